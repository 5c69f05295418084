//! `ucodts recover`: a disruption scenario on our own data, turned into recovery plans (aircraft first, then
//! crew, with a feedback step) by the optimizer's policies, each replayed in the twin by Monte Carlo with
//! common random numbers and ranked by expected cost and risk; printed as actions a controller reads, written
//! as JSON and, on request, as an HTML report.

mod crew_side;
mod crew_words;
mod from_schedule;
pub mod replay;
mod to_report;
mod whole_loop;

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Context, Result};
use serde::Serialize;
use ucodts_model::recovery::{
    CostBreakdown, RecoveryAction, RecoveryPlan, RecoveryProblem, Violation,
};
use ucodts_optimizer::policies;

pub use crew_side::DEFAULT_RULE_SET;
pub use from_schedule::{problem, ScenarioProblem};
pub use whole_loop::{policy_names, policy_pairs, run_loop, KpisJson, LoopRequest, PlanJson};

/// Options of `ucodts recover`.
#[derive(clap::Args)]
pub struct RecoverArgs {
    /// A scenario file, or the name of a library scenario (`ucodts scenario list`).
    #[arg(long)]
    pub scenario: String,
    /// A native data set folder; overrides the scenario's `data`.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Aircraft policies, comma separated (`all`: constructive, milp, lns). The default leaves out the
    /// whole-family MILP, which the LNS uses on smaller pieces and which can overrun a short time limit by
    /// one model build.
    #[arg(long, default_value = "constructive,lns")]
    pub policy: String,
    /// Crew policies, comma separated (`greedy`, `milp`, `all`); each aircraft policy is paired with each.
    /// `auto`: every aircraft policy with the crew MILP, plus the constructive heuristic with the greedy repair.
    #[arg(long, default_value = "auto")]
    pub crew_policy: String,
    /// Wall-clock seconds for all policies together.
    #[arg(long, default_value_t = 10.0)]
    pub time_limit: f64,
    /// How many candidate plans to compare in the twin (K).
    #[arg(long = "candidates", alias = "plans", default_value_t = 3)]
    pub candidates: usize,
    /// Monte Carlo replications per plan (N); at least 2.
    #[arg(long, default_value_t = 30)]
    pub reps: u64,
    /// Master seed of the Monte Carlo runs (default: the scenario's seed).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Threads for the Monte Carlo runs (results do not depend on it).
    #[arg(long, default_value_t = 2)]
    pub threads: usize,
    /// The flight-time-limitation rule set crew plans keep (`faa117`, `easa`).
    #[arg(long, default_value = DEFAULT_RULE_SET)]
    pub rules: String,
    /// Also write the JSON to this file.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write the comparison as an HTML page (with the same numbers in .csv and .json beside it).
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Print JSON instead of the text summary.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
pub struct RecoverReport {
    scenario: String,
    window_start: String,
    window_end: String,
    /// When the controller decides (the plans change nothing before it).
    decision_time: String,
    flights: usize,
    aircraft: usize,
    passengers: u64,
    /// Disruptions (or parts of them) that the aircraft side does not model.
    not_modelled: Vec<String>,
    /// Sick calls given as a share of a base, resolved into the named crew members the plans cover.
    sick_calls_resolved: Vec<String>,
    replications: u64,
    seed: u64,
    rule_set: String,
    /// Doing nothing, by the aircraft checker: the original plan with only the imposed delays applied.
    baseline: BaselineJson,
    /// Doing nothing, in the twin: Monte Carlo KPIs with 95 % intervals.
    baseline_kpis: KpisJson,
    /// The plan a cautious controller picks, and why.
    recommended: Recommended,
    /// The plans, recommended first, then in the Monte Carlo ranking's order.
    plans: Vec<PlanJson>,
    /// Report files written with `--report`.
    #[serde(skip_serializing_if = "Option::is_none")]
    report: Option<ReportFiles>,
}

#[derive(Serialize)]
struct Recommended {
    policy: String,
    why: String,
    /// The plan costs significantly less than doing nothing in the twin (paired 95 % interval below zero).
    better_than_doing_nothing: bool,
    /// It costs significantly more: the cautious choice is to let the day run (the `why` says so).
    worse_than_doing_nothing: bool,
}

#[derive(Serialize)]
struct ReportFiles {
    html: String,
    csv: String,
    json: String,
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

pub fn run(args: RecoverArgs) -> Result<()> {
    if !(args.time_limit > 0.0 && args.time_limit.is_finite()) {
        bail!(
            "--time-limit must be a positive number of seconds, not {}",
            args.time_limit
        );
    }
    if args.reps < 2 {
        bail!(
            "--reps must be at least 2 (a confidence interval needs two replications), not {}",
            args.reps
        );
    }
    let (file_name, file, base_dir) = crate::scenario::read(&args.scenario)?;
    let schedule = match crate::scenario::data_dir(&file, &base_dir, args.data.as_deref()) {
        Some(dir) => crate::load(&dir)?,
        None => crate::default_with_crew()?,
    };
    let scenario = file.validate(&schedule)?;
    let request = LoopRequest {
        pairs: policy_pairs(
            &policy_names(&args.policy, policies::NAMES),
            &args.crew_policy,
        ),
        time_limit: Duration::from_secs_f64(args.time_limit),
        candidates: args.candidates.max(1),
        replications: args.reps,
        seed: args.seed.unwrap_or(scenario.seed),
        threads: args.threads.max(1),
        rule_set: &args.rules,
        progress: !args.json,
    };
    let report = recover_scenario(
        &schedule,
        &file_name,
        &scenario,
        &request,
        args.report.as_deref(),
    )?;
    let json = serde_json::to_string_pretty(&report)?;
    if let Some(out) = &args.out {
        write_atomically(out, &json)?;
    }
    if args.json {
        println!("{json}");
    } else {
        print_report(&report);
        if let Some(out) = &args.out {
            println!("\nWrote {}", out.display());
        }
    }
    Ok(())
}

/// The whole loop on one scenario: plans, their Monte Carlo comparison, and the report files if asked.
pub fn recover_scenario(
    schedule: &ucodts_model::Schedule,
    file_name: &str,
    scenario: &ucodts_scenarios::Scenario,
    request: &LoopRequest<'_>,
    report_path: Option<&Path>,
) -> Result<RecoverReport> {
    let built = problem(schedule, scenario)
        .with_context(|| format!("turning {file_name} into a recovery problem"))?;
    let problem = &built.problem;
    let outcome = run_loop(schedule, scenario, &built, request)?;
    let baseline_plan = RecoveryPlan::with_disruptions_applied(problem);
    let baseline = ucodts_model::recovery::evaluate(problem, &baseline_plan);
    let recommended = outcome
        .plans
        .iter()
        .find(|p| p.recommended)
        .map_or_else(String::new, |p| p.policy.clone());
    let mut report = RecoverReport {
        scenario: scenario.name.clone(),
        window_start: problem.window_start.to_string(),
        window_end: problem.window_end.to_string(),
        decision_time: problem.window_start.to_string(),
        flights: problem.flights.len(),
        aircraft: problem.aircraft.len(),
        passengers: problem
            .itineraries
            .iter()
            .map(|i| u64::from(i.passengers))
            .sum(),
        not_modelled: built
            .not_modelled
            .iter()
            .filter(|n| !n.starts_with("crew sick call"))
            .cloned()
            .collect(),
        sick_calls_resolved: outcome
            .crew_side
            .resolved
            .iter()
            .map(|(crew, base, share)| {
                format!("{crew} ({:.0} % of {base} crew sick)", share * 100.0)
            })
            .collect(),
        replications: outcome.replications,
        seed: request.seed,
        rule_set: request.rule_set.to_string(),
        baseline: BaselineJson {
            feasible: baseline.feasible,
            violations: baseline.violations.len(),
            violation_examples: examples(problem, &baseline_plan, &baseline.violations),
            cost: baseline.cost.total.euros(),
            cost_breakdown: baseline.cost,
        },
        baseline_kpis: outcome.baseline_kpis.clone(),
        recommended: Recommended {
            policy: recommended,
            why: outcome.why.clone(),
            better_than_doing_nothing: outcome.better_than_doing_nothing,
            worse_than_doing_nothing: outcome.worse_than_doing_nothing,
        },
        plans: outcome.plans.clone(),
        report: None,
    };
    if let Some(path) = report_path {
        let written = to_report::write(schedule, scenario, &report, path)?;
        report.report = Some(ReportFiles {
            html: written.html.display().to_string(),
            csv: written.csv.display().to_string(),
            json: written.json.display().to_string(),
        });
    }
    Ok(report)
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
const ACTIONS_SHOWN: usize = 12;

/// The text summary of a recovery (what `recover` prints without `--json`).
pub fn print_report(r: &RecoverReport) {
    println!(
        "Recovery for scenario `{}`: {} flights, {} aircraft, {} passengers; decision at {}, window to {}",
        r.scenario, r.flights, r.aircraft, r.passengers, r.decision_time, r.window_end
    );
    for note in &r.not_modelled {
        println!("  not in the aircraft plan: {note}");
    }
    if !r.sick_calls_resolved.is_empty() {
        println!(
            "  sick calls the plans cover: {}",
            r.sick_calls_resolved.join(", ")
        );
    }
    println!(
        "\nMonte Carlo in the twin: {} replications, seed {}, the same random numbers for every plan; 95 % intervals",
        r.replications, r.seed
    );
    println!(
        "  {:<4} {:<22} {:>5} {:>26} {:>14} {:>12} {:>12} {:>9}",
        "rank",
        "plan",
        "legal",
        "expected cost",
        "p90 delay min",
        "cancelled",
        "P(crew ill.)",
        "contacts"
    );
    let iv = |i: &whole_loop::IntervalJson, d: usize| {
        format!("{:.d$} ({:.d$}..{:.d$})", i.mean, i.lower, i.upper, d = d)
    };
    let k = &r.baseline_kpis;
    println!(
        "  {:<4} {:<22} {:>5} {:>26} {:>14.1} {:>12.1} {:>12.2} {:>9}",
        "-",
        "doing nothing",
        "-",
        iv(&k.cost, 0),
        k.p90_arrival_delay_min.mean,
        k.cancelled_legs.mean,
        k.crew_illegality_probability.mean,
        "-"
    );
    for p in &r.plans {
        let k = &p.kpis;
        println!(
            "  {:<4} {:<22} {:>5} {:>26} {:>14.1} {:>12.1} {:>12.2} {:>9}",
            format!("{}{}", p.rank, if p.recommended { "*" } else { "" }),
            p.policy,
            if p.legal { "yes" } else { "NO" },
            iv(&k.cost, 0),
            k.p90_arrival_delay_min.mean,
            k.cancelled_legs.mean,
            k.crew_illegality_probability.mean,
            p.crew_contacted
        );
    }
    println!(
        "\nRecommended: {}\n  {}",
        r.recommended.policy, r.recommended.why
    );
    for p in &r.plans {
        println!(
            "\n#{} {}: own cost {:.0} (aircraft {:.2} EUR, crew {:.0} units); {} cancelled, {} retimed, {} tail swaps; \
             {} reserves called, {} swaps, {} deadheads, {} seats uncovered",
            p.rank,
            p.policy,
            p.cost,
            p.cost_breakdown.aircraft,
            p.cost_breakdown.crew,
            p.aircraft.cancelled_flights,
            p.aircraft.retimed_flights,
            p.aircraft.tail_swaps,
            p.crew.reserves_called,
            p.crew.swaps,
            p.crew.deadheads,
            p.crew.uncovered_positions
        );
        let shown: Vec<_> = p
            .actions
            .iter()
            .filter(|a| !matches!(a.kind, "reaccommodate" | "cancel_trip"))
            .collect();
        for a in shown.iter().take(ACTIONS_SHOWN) {
            println!("   - {}", a.text);
        }
        if shown.len() > ACTIONS_SHOWN {
            println!(
                "   ... {} more actions in the JSON (--json or --out)",
                shown.len() - ACTIONS_SHOWN
            );
        }
        for f in &p.feedback {
            println!("   feedback: {f}");
        }
    }
    if let Some(f) = &r.report {
        println!(
            "\nReport: {} (the same numbers in {} and {})",
            f.html, f.csv, f.json
        );
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
