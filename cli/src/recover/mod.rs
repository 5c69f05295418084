//! `ucodts recover`: a disruption scenario on our own data, turned into ranked aircraft-recovery plans by the
//! optimizer's policies, printed as actions a controller reads and written as JSON.

mod crew_side;
mod crew_words;
mod from_schedule;
pub mod replay;

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use serde::Serialize;
use ucodts_model::recovery::{
    CostBreakdown, RecoveryAction, RecoveryPlan, RecoveryProblem, Violation,
};
use ucodts_optimizer::{policies, recover, Budget, CheckedPlan, WallClock};

pub use from_schedule::problem;

/// Options of `ucodts recover`.
#[derive(clap::Args)]
pub struct RecoverArgs {
    /// A scenario file, or the name of a library scenario (`ucodts scenario list`).
    #[arg(long)]
    pub scenario: String,
    /// A native data set folder; overrides the scenario's `data`.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Policies to run, comma separated (`all`: every policy; see `ucodts bench roadef2009 --help`).
    #[arg(long, default_value = "all")]
    pub policy: String,
    /// Wall-clock seconds for all policies together.
    #[arg(long, default_value_t = 10.0)]
    pub time_limit: f64,
    /// How many ranked plans to show.
    #[arg(long = "candidates", alias = "plans", default_value_t = 3)]
    pub candidates: usize,
    /// Also write the JSON to this file.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print JSON instead of the text summary.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct RecoverReport {
    scenario: String,
    window_start: String,
    window_end: String,
    flights: usize,
    aircraft: usize,
    passengers: u64,
    /// Disruptions (or parts of them) that the aircraft side does not model.
    not_modelled: Vec<String>,
    /// Doing nothing: the original plan with only the imposed delays applied.
    baseline: BaselineJson,
    /// Ranked plans, best first.
    plans: Vec<PlanJson>,
}

#[derive(Serialize)]
struct BaselineJson {
    feasible: bool,
    violations: usize,
    /// The first few broken rules, in words.
    violation_examples: Vec<String>,
    cost: f64,
    cost_breakdown: CostBreakdown,
}

#[derive(Serialize)]
struct PlanJson {
    rank: usize,
    policy: &'static str,
    feasible: bool,
    violations: usize,
    /// The first few broken rules, in words (empty for a feasible plan).
    violation_examples: Vec<String>,
    /// Total cost by the checker, euros.
    cost: f64,
    /// Every cost term of the checker, euros.
    cost_breakdown: CostBreakdown,
    seconds_to_find: f64,
    cancelled_flights: usize,
    retimed_flights: usize,
    tail_swaps: usize,
    ferries: usize,
    passengers_rebooked: u64,
    passengers_without_trip: u64,
    actions: Vec<ActionJson>,
}

#[derive(Serialize)]
struct ActionJson {
    kind: &'static str,
    /// The aircraft the action concerns (both, for a tail swap), by the problem's ids (`TAIL` or `TAIL/2`
    /// for the second unconnected part of a tail's day).
    tails: Vec<String>,
    text: String,
}

pub fn run(args: RecoverArgs) -> Result<()> {
    let (file_name, file, base_dir) = crate::scenario::read(&args.scenario)?;
    let schedule = match crate::scenario::data_dir(&file, &base_dir, args.data.as_deref()) {
        Some(dir) => crate::load(&dir)?,
        None => crate::default_with_crew()?,
    };
    let scenario = file.validate(&schedule)?;
    let built = problem(&schedule, &scenario)
        .with_context(|| format!("turning {file_name} into a recovery problem"))?;
    let problem = &built.problem;

    let names: Vec<&str> = if args.policy == "all" {
        policies::NAMES.to_vec()
    } else {
        args.policy.split(',').map(str::trim).collect()
    };
    let per_policy = Duration::from_secs_f64(args.time_limit.max(0.0) / names.len().max(1) as f64);
    let mut candidates: Vec<CheckedPlan> = Vec::new();
    for name in &names {
        let policy = policies::by_name(name)?;
        let budget = Budget {
            time_limit: per_policy,
            threads: std::num::NonZeroUsize::MIN,
            plans: args.candidates.max(1),
        };
        let recovery = recover(
            policy.as_ref(),
            problem,
            &budget,
            &WallClock::start(),
            &mut |_| {},
        )
        .with_context(|| format!("the {name} policy"))?;
        candidates.extend(recovery.plans);
        if let Some(least) = recovery.least_infeasible {
            candidates.push(least);
        }
    }
    // Best first: feasible, then fewer violations, then cheaper; the policy order breaks ties.
    candidates.sort_by_key(|p| (!p.feasible(), p.evaluation().violations.len(), p.cost()));
    // Policies often agree (the LNS starts from the constructive plan): show each distinct plan once.
    let mut distinct: Vec<CheckedPlan> = Vec::new();
    for c in candidates {
        if !distinct.iter().any(|d| d.plan() == c.plan()) {
            distinct.push(c);
        }
    }
    let mut candidates = distinct;
    candidates.truncate(args.candidates.max(1));

    let baseline_plan = RecoveryPlan::with_disruptions_applied(problem);
    let baseline = ucodts_model::recovery::evaluate(problem, &baseline_plan);
    let report = RecoverReport {
        scenario: scenario.name.clone(),
        window_start: problem.window_start.to_string(),
        window_end: problem.window_end.to_string(),
        flights: problem.flights.len(),
        aircraft: problem.aircraft.len(),
        passengers: problem
            .itineraries
            .iter()
            .map(|i| u64::from(i.passengers))
            .sum(),
        not_modelled: built.not_modelled.clone(),
        baseline: BaselineJson {
            feasible: baseline.feasible,
            violations: baseline.violations.len(),
            violation_examples: examples(problem, &baseline_plan, &baseline.violations),
            cost: baseline.cost.total.euros(),
            cost_breakdown: baseline.cost,
        },
        plans: candidates
            .iter()
            .enumerate()
            .map(|(i, p)| plan_json(problem, i + 1, p))
            .collect(),
    };
    let json = serde_json::to_string_pretty(&report)?;
    if let Some(out) = &args.out {
        write_atomically(out, &json)?;
    }
    if args.json {
        println!("{json}");
    } else {
        print_text(&report);
        if let Some(out) = &args.out {
            println!("\nWrote {}", out.display());
        }
    }
    Ok(())
}

fn plan_json(problem: &RecoveryProblem, rank: usize, p: &CheckedPlan) -> PlanJson {
    let plan = p.plan();
    let actions = plan.actions(problem);
    let count = |f: fn(&RecoveryAction) -> bool| actions.iter().filter(|a| f(a)).count();
    let passengers = |f: fn(&RecoveryAction) -> Option<u32>| -> u64 {
        actions.iter().filter_map(f).map(u64::from).sum()
    };
    PlanJson {
        rank,
        policy: p.policy(),
        feasible: p.feasible(),
        violations: p.evaluation().violations.len(),
        violation_examples: examples(problem, plan, &p.evaluation().violations),
        cost: p.cost().euros(),
        cost_breakdown: p.evaluation().cost.clone(),
        seconds_to_find: p.found_after().as_secs_f64(),
        cancelled_flights: count(|a| matches!(a, RecoveryAction::Cancel { .. })),
        retimed_flights: count(|a| matches!(a, RecoveryAction::Retime { .. })),
        tail_swaps: count(|a| matches!(a, RecoveryAction::TailSwap { .. })),
        ferries: count(|a| matches!(a, RecoveryAction::Ferry { .. })),
        passengers_rebooked: passengers(|a| match a {
            RecoveryAction::Reaccommodate { passengers, .. } => Some(*passengers),
            _ => None,
        }),
        passengers_without_trip: passengers(|a| match a {
            RecoveryAction::CancelTrip { passengers, .. } => Some(*passengers),
            _ => None,
        }),
        actions: actions
            .iter()
            .map(|a| ActionJson {
                kind: action_kind(a),
                tails: action_tails(problem, a),
                text: plan.describe(problem, a),
            })
            .collect(),
    }
}

/// How many broken rules a report spells out.
const VIOLATIONS_SHOWN: usize = 10;

fn examples(
    problem: &RecoveryProblem,
    plan: &RecoveryPlan,
    violations: &[Violation],
) -> Vec<String> {
    violations
        .iter()
        .take(VIOLATIONS_SHOWN)
        .map(|v| v.message(problem, plan))
        .collect()
}

fn action_tails(problem: &RecoveryProblem, a: &RecoveryAction) -> Vec<String> {
    let id = |t: ucodts_model::recovery::AircraftIdx| problem.tail(t).id.clone();
    match a {
        RecoveryAction::Retime { flight, .. } | RecoveryAction::Cancel { flight } => {
            vec![id(problem.flight(*flight).planned_aircraft)]
        }
        RecoveryAction::TailSwap { from, to, .. } => vec![id(*from), id(*to)],
        RecoveryAction::Ferry { aircraft, .. } => vec![id(*aircraft)],
        RecoveryAction::Reaccommodate { .. } | RecoveryAction::CancelTrip { .. } => Vec::new(),
    }
}

fn action_kind(a: &RecoveryAction) -> &'static str {
    match a {
        RecoveryAction::Retime { .. } => "retime",
        RecoveryAction::Cancel { .. } => "cancel",
        RecoveryAction::TailSwap { .. } => "tail_swap",
        RecoveryAction::Ferry { .. } => "ferry",
        RecoveryAction::Reaccommodate { .. } => "reaccommodate",
        RecoveryAction::CancelTrip { .. } => "cancel_trip",
    }
}

/// Most actions a controller reads in the text summary per plan; the JSON has them all.
const ACTIONS_SHOWN: usize = 15;

fn print_text(r: &RecoverReport) {
    println!(
        "Recovery for scenario `{}`: {} flights, {} aircraft, {} passengers, window {} .. {}",
        r.scenario, r.flights, r.aircraft, r.passengers, r.window_start, r.window_end
    );
    for note in &r.not_modelled {
        println!("  not in the aircraft plan: {note}");
    }
    println!(
        "Doing nothing (imposed delays only): {} ({} rule violations), cost {:.2} EUR",
        if r.baseline.feasible {
            "feasible"
        } else {
            "infeasible"
        },
        r.baseline.violations,
        r.baseline.cost
    );
    for p in &r.plans {
        println!(
            "\n#{} {} plan: {}, cost {:.2} EUR (found after {:.1} s) — {} cancelled, {} retimed, {} tail swaps, {} ferries, {} passengers rebooked, {} without a trip",
            p.rank,
            p.policy,
            if p.feasible { "feasible" } else { "INFEASIBLE" },
            p.cost,
            p.seconds_to_find,
            p.cancelled_flights,
            p.retimed_flights,
            p.tail_swaps,
            p.ferries,
            p.passengers_rebooked,
            p.passengers_without_trip
        );
        // Flight actions only; passengers' rebookings are in the JSON.
        let flight_actions: Vec<&ActionJson> = p
            .actions
            .iter()
            .filter(|a| !matches!(a.kind, "reaccommodate" | "cancel_trip"))
            .collect();
        for a in flight_actions.iter().take(ACTIONS_SHOWN) {
            println!("   - {}", a.text);
        }
        if p.actions.len() > ACTIONS_SHOWN.min(flight_actions.len()) {
            println!(
                "   ... {} more actions in the JSON (--json or --out)",
                p.actions.len() - ACTIONS_SHOWN.min(flight_actions.len())
            );
        }
    }
}

fn write_atomically(path: &Path, text: &str) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        ".{}.partial",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("recover.json")
    ));
    std::fs::write(&tmp, text).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}
