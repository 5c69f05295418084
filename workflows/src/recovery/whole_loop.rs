//! The whole loop behind `ucodts recover` and `ucodts demo`: a scenario on our own data becomes K recovery
//! plans (aircraft first, then crew, with a feedback step), each replayed in the twin with common random
//! numbers, ranked by expected cost and risk, with the recommended plan and why.

use std::num::NonZeroUsize;
use std::time::{Duration, Instant};

use serde::Serialize;
use ucodts_model::recovery::crew::{
    evaluate as crew_evaluate, CrewCostBreakdown, CrewEvaluation, CrewRecoveryPlan,
    CrewRecoveryProblem, CrewRole, UncoveredPosition,
};
use ucodts_model::recovery::{CostBreakdown, RecoveryAction, RecoveryPlan, RecoveryProblem};
use ucodts_model::Schedule;
use ucodts_optimizer::crew::{crew_policy_by_name, CrewRecoveryOptions};
use ucodts_optimizer::integrated::{recover_joint, JointOptions, JointPlan};
use ucodts_optimizer::montecarlo::{rank_within, Kpis, Outcome, Ranking};
use ucodts_optimizer::{policies, Budget, Clock, RecoveryPolicy, WallClock};
use ucodts_scenarios::Scenario;

use super::aircraft_words::aircraft_action;
use super::crew_side::{crew_side, CrewSide};
use super::crew_words::{crew_actions, crew_changes, CrewAction, CrewChange};
use super::refine::{
    refine, refinement_work, Refinement, Refining, REFINEMENT_REPLICATIONS, SEARCH_SHARE,
};
use super::replay::{Candidate, TwinReplay};
use super::{examples, registration, ScenarioProblem};
use crate::error::{Context, Result};
use crate::progress::Progress;
use crate::text::number;
use ucodts_stats::Interval;

/// A seed for one purpose of a run, derived from its master seed: every random choice of the loop (the sick
/// crew picked from a base share, the optimizer's neighbourhood draws and solver seeds, the twin's streams)
/// comes from `--seed` through a named purpose.
pub fn derive_seed(master: u64, purpose: &str) -> u64 {
    ucodts_stats::hash::mix(master, purpose.as_bytes())
}

/// What the loop is asked for.
pub struct LoopRequest<'a> {
    /// (aircraft policy, crew policy) pairs to run, in order; see [`policy_pairs`].
    pub pairs: Vec<(String, String)>,
    pub time_limit: Duration,
    pub candidates: usize,
    pub replications: u64,
    pub seed: u64,
    pub threads: usize,
    pub rule_set: &'a str,
    /// The most actions a plan may ask of operations control (see [`action_count`]); a plan over it is
    /// replayed and shown but never recommended.
    pub max_actions: usize,
    pub progress: &'a dyn Progress,
    /// The policy of the aircraft name [`super::external::EXTERNAL`] in `pairs` (`--policy-cmd`).
    pub external: Option<&'a super::external::ExternalPolicy>,
}

/// The policy pairs of `--policy` and `--crew-policy`: every aircraft policy with every crew policy, where
/// `auto` (the default crew policy) pairs every aircraft policy with the crew MILP and adds the fast answer,
/// the constructive heuristic with the greedy repair, so that a disruption with nothing to do on the aircraft
/// side (a sick call) still gets more than one candidate.
pub fn policy_pairs(aircraft: &[String], crew: &str) -> Vec<(String, String)> {
    let crew_names = match crew {
        "auto" => vec!["milp".to_string()],
        list => policy_names(list, ucodts_optimizer::crew::CREW_POLICY_NAMES),
    };
    let mut pairs: Vec<(String, String)> = aircraft
        .iter()
        .flat_map(|a| crew_names.iter().map(move |c| (a.clone(), c.clone())))
        .collect();
    let fast = ("constructive".to_string(), "greedy".to_string());
    if crew == "auto" && !pairs.contains(&fast) {
        pairs.push(fast);
    }
    pairs
}

/// The names in a comma-separated `list`; `all` is every name in `all`.
pub fn policy_names(list: &str, all: &[&str]) -> Vec<String> {
    if list == "all" {
        all.iter().map(|s| s.to_string()).collect()
    } else {
        list.split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    }
}

/// One action of a plan, aircraft or crew.
#[derive(Clone, Debug, Serialize)]
pub struct ActionJson {
    pub kind: &'static str,
    /// The aircraft the action concerns (`TAIL` or `TAIL/2`), for aircraft actions.
    pub tails: Vec<String>,
    /// The crew members the action concerns, for crew actions.
    pub crew: Vec<String>,
    pub text: String,
    /// The flight's marketing carrier (`B6`), for actions on a scheduled flight.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub carrier: Option<String>,
    /// Its flight number as the timetable shows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flight: Option<String>,
    /// Its local departure date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The scheduled departure, UTC (ISO 8601, ending in Z).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_time: Option<String>,
    /// The new departure of a retimed flight, UTC.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_time: Option<String>,
}

/// The `kind` of a flight the plan flies later only because the disruption delays it, or its aircraft or an
/// airport is not ready sooner ([`ucodts_model::recovery::knock_on_delays`]): listed with its new time, but
/// no decision, not counted in `action_count` nor in what the plan touches.
pub const KNOCK_ON_DELAY: &str = "knock_on_delay";

impl ActionJson {
    /// Whether this is an aircraft action (retime, cancel, tail swap, ferry), not a passenger's rebooking,
    /// a knock-on delay or a crew action.
    pub fn is_aircraft(&self) -> bool {
        matches!(self.kind, "retime" | "cancel" | "tail_swap" | "ferry")
    }
}

/// One action of a plan in the JSON: the action's fields, and for a crew action the rank of the crew
/// members it concerns (for `uncovered`, of the empty seats).
#[derive(Clone, Debug, Serialize)]
pub struct PlanAction {
    #[serde(flatten)]
    pub action: ActionJson,
    /// `captain`, `first_officer` or `cabin`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank: Option<&'static str>,
}

/// The crew plan's costs, cost units: every term and their total.
#[derive(Clone, Debug, Serialize)]
pub struct CrewCostJson {
    #[serde(flatten)]
    pub terms: CrewCostBreakdown,
    pub total: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct CostBreakdownJson {
    /// The aircraft plan's cost by the ROADEF 2009 cost rules, euros.
    pub aircraft: f64,
    pub aircraft_terms: CostBreakdown,
    /// The crew plan's cost, cost units (about US dollars).
    pub crew: f64,
    pub crew_terms: CrewCostJson,
}

/// A duty of an affected crew member, with its fatigue forecast.
#[derive(Clone, Debug, Serialize)]
pub struct DutyJson {
    pub report: String,
    pub release: String,
    pub kss_peak: f64,
}

/// Legality and fatigue of one crew member the plan touches.
#[derive(Clone, Debug, Serialize)]
pub struct CrewMemberJson {
    pub crew: String,
    pub role: &'static str,
    pub legal: bool,
    pub violations: Vec<String>,
    /// Duties as rostered that the disruption makes run past the planning limit, flown as an extension for
    /// unforeseen circumstances (legal; 14 CFR 117.19(a), EASA ORO.FTL.205(f)), and in a refined plan
    /// duties as rostered that report late to keep the minimum rest after a late release (the rest is whole
    /// before the report; the first leg waits): the rule engine's words.
    pub extensions: Vec<String>,
    pub problems: Vec<String>,
    pub contacted: bool,
    pub kss_peak: Option<f64>,
    pub duties: Vec<DutyJson>,
}

#[derive(Clone, Debug, Serialize)]
pub struct AircraftSideJson {
    pub policy: String,
    pub feasible: bool,
    pub violations: usize,
    pub violation_examples: Vec<String>,
    pub seconds_to_find: f64,
    pub cancelled_flights: usize,
    pub retimed_flights: usize,
    pub tail_swaps: usize,
    pub ferries: usize,
    pub passengers_rebooked: u64,
    pub passengers_without_trip: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct CrewSideJson {
    pub policy: String,
    pub legal: bool,
    pub seconds: f64,
    pub optimal: bool,
    /// `--time-limit` cut the crew side's search short: the crew plan is the best found by then.
    pub cut_at_deadline: bool,
    pub columns: usize,
    pub affected_crew: usize,
    pub open_positions: usize,
    pub uncovered_positions: u32,
    pub reserves_called: usize,
    pub swaps: usize,
    /// Deadheads the plan adds (one the roster already had is no action and not counted).
    pub deadheads: usize,
    pub members: Vec<CrewMemberJson>,
}

/// One candidate plan, as the planner and the crew scheduler read it.
#[derive(Clone, Debug, Serialize)]
pub struct PlanJson {
    pub rank: usize,
    pub recommended: bool,
    pub policy: String,
    /// Aircraft plan feasible by the checker and every crew roster legal by the rule engine.
    pub legal: bool,
    pub crew_contacted: usize,
    /// The plan's own cost: aircraft (euros) plus crew (cost units).
    pub cost: f64,
    pub cost_breakdown: CostBreakdownJson,
    /// Monte Carlo KPIs in the twin, 95 % intervals.
    pub kpis: Kpis,
    /// Paired differences from doing nothing (plan minus doing nothing), 95 % intervals.
    pub vs_baseline: Kpis,
    /// Paired differences from the recommended plan.
    pub vs_recommended: Kpis,
    /// Every action, aircraft first, then crew (one entry per reserve called, swap, deadhead, ...).
    pub actions: Vec<PlanAction>,
    /// The crew actions grouped by crew member, with the duties the plan gives them in local time and UTC:
    /// the list a crew scheduler phones through.
    pub crew_changes: Vec<CrewChange>,
    /// How much of the operation the plan changes: what a controller weighs against its saving.
    pub touches: Touches,
    /// How many actions operations control must make to carry the plan out ([`action_count`]).
    pub action_count: usize,
    /// Whether `action_count` is within the action budget (`--max-actions`); a plan over it is never
    /// recommended.
    pub within_budget: bool,
    pub aircraft: AircraftSideJson,
    pub crew: CrewSideJson,
    /// What the crew side sent back to the aircraft side, in words.
    pub feedback: Vec<String>,
    /// Parts of the plan the twin cannot fly (e.g. ferry flights), left out of its replay.
    pub not_replayed: Vec<String>,
}

/// How much of the operation a plan changes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Touches {
    /// Aircraft (registrations) that fly other legs, at other times, or stay on the ground.
    pub aircraft: usize,
    /// Legs retimed, cancelled, given another tail or another crew.
    pub legs: usize,
    /// Crew members called, swapped, deadheaded, stood down or left away from base.
    pub crew_members: usize,
    /// Passengers booked on a leg the plan retimes, cancels or moves to another tail.
    pub passengers: u64,
}

/// Counts what a plan's actions touch (`crew` lists each crew action's members and legs).
fn touches(problem: &RecoveryProblem, aircraft: &[RecoveryAction], crew: &[CrewAction]) -> Touches {
    use std::collections::BTreeSet;
    let mut flights = BTreeSet::new();
    let mut tails = BTreeSet::new();
    for a in aircraft {
        match a {
            RecoveryAction::Retime { flight, .. } | RecoveryAction::Cancel { flight } => {
                flights.insert(*flight);
                tails.insert(problem.flight(*flight).planned_aircraft);
            }
            RecoveryAction::TailSwap { flight, from, to } => {
                flights.insert(*flight);
                tails.extend([*from, *to]);
            }
            RecoveryAction::Ferry { aircraft, .. } => {
                tails.insert(*aircraft);
            }
            RecoveryAction::Reaccommodate { .. } | RecoveryAction::CancelTrip { .. } => {}
        }
    }
    let registrations: BTreeSet<String> = tails.iter().map(|&t| registration(problem, t)).collect();
    let mut legs: BTreeSet<u32> = flights.iter().map(|&f| problem.flight(f).number).collect();
    legs.extend(crew.iter().flat_map(|c| c.legs.iter().copied()));
    let crew_members: BTreeSet<&str> = crew
        .iter()
        .flat_map(|c| c.crew.iter().map(String::as_str))
        .collect();
    let passengers = problem
        .itineraries
        .iter()
        .filter(|i| i.legs.iter().any(|l| flights.contains(&l.flight)))
        .map(|i| u64::from(i.passengers))
        .sum();
    Touches {
        aircraft: registrations.len(),
        legs: legs.len(),
        crew_members: crew_members.len(),
        passengers,
    }
}

/// Actions a controller must make to carry a plan out: each leg retimed or cancelled beyond what the
/// disruption imposes, each tail swap and each ferry of the aircraft side; each reserve call-out, crew swap,
/// deadhead and stand-down of the crew side. Seats left empty and crew left away from base are the plan's
/// consequences, not actions; passengers' rebookings follow the flights and are counted in `touches`.
pub fn action_count(
    schedule: &Schedule,
    problem: &RecoveryProblem,
    plan: &RecoveryPlan,
    crew_plan: &CrewRecoveryPlan,
    crew: &CrewEvaluation,
) -> usize {
    use ucodts_model::recovery::FlightDisruption;
    let knock_on = ucodts_model::recovery::knock_on_delays(problem, plan);
    let aircraft = plan
        .actions(problem)
        .iter()
        .filter(|a| match a {
            RecoveryAction::Retime { flight, by } => {
                problem.flight(*flight).disruption != Some(FlightDisruption::Delayed(*by))
                    && !knock_on.get(flight.index()).copied().unwrap_or(false)
            }
            RecoveryAction::Cancel { flight } => {
                problem.flight(*flight).disruption != Some(FlightDisruption::Cancelled)
            }
            RecoveryAction::TailSwap { .. } | RecoveryAction::Ferry { .. } => true,
            RecoveryAction::Reaccommodate { .. } | RecoveryAction::CancelTrip { .. } => false,
        })
        .count();
    let crew = crew_actions(schedule, crew_plan, crew)
        .iter()
        .filter(|c| {
            matches!(
                c.kind,
                "reserve_callout" | "swap" | "deadhead" | "stand_down"
            )
        })
        .count();
    aircraft + crew
}

/// How far the optimizer's own cost ranking of the candidates agrees with the twin's ranking by expected
/// cost: where they disagree, the optimizer's model of the day misses something the twin flies.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RankingAgreement {
    /// Candidates compared.
    pub candidates: usize,
    /// Kendall's tau-b between the optimizer's costs and the twin's mean costs (1: the same order, -1:
    /// reversed); `None` with fewer than two candidates or all ties.
    pub kendall_tau: Option<f64>,
    /// The optimizer's cheapest candidate is also the twin's cheapest.
    pub top1_agree: bool,
}

/// Kendall's tau-b of two equally long lists (`None` below two items or when either list is all ties).
pub fn kendall_tau(a: &[f64], b: &[f64]) -> Option<f64> {
    let pairs: Vec<(f64, f64)> = a.iter().copied().zip(b.iter().copied()).collect();
    let (mut concordant, mut discordant, mut ties_a, mut ties_b) = (0i64, 0i64, 0i64, 0i64);
    for (i, &(ai, bi)) in pairs.iter().enumerate() {
        for &(aj, bj) in &pairs[i + 1..] {
            let da = ai.total_cmp(&aj);
            let db = bi.total_cmp(&bj);
            use std::cmp::Ordering::Equal;
            match (da, db) {
                (Equal, Equal) => {}
                (Equal, _) => ties_a += 1,
                (_, Equal) => ties_b += 1,
                _ if da == db => concordant += 1,
                _ => discordant += 1,
            }
        }
    }
    let n0 = (concordant + discordant + ties_a) as f64;
    let n1 = (concordant + discordant + ties_b) as f64;
    (n0 > 0.0 && n1 > 0.0).then(|| (concordant - discordant) as f64 / (n0 * n1).sqrt())
}

pub(crate) fn agreement(optimizer: &[f64], twin: &[f64]) -> RankingAgreement {
    let argmin = |v: &[f64]| (0..v.len()).min_by(|&i, &j| v[i].total_cmp(&v[j]).then(i.cmp(&j)));
    RankingAgreement {
        candidates: optimizer.len(),
        kendall_tau: kendall_tau(optimizer, twin),
        top1_agree: !optimizer.is_empty() && argmin(optimizer) == argmin(twin),
    }
}

/// What the loop produced.
pub struct LoopOutcome {
    pub plans: Vec<PlanJson>,
    pub baseline_kpis: Kpis,
    /// The recommended plan's policy, or `None`: doing nothing, as no plan costs significantly less in the
    /// twin (the upper end of the paired 95 % interval of the difference below zero).
    pub recommended: Option<String>,
    /// The recommendation in one sentence (`Recommended: ...`).
    pub headline: String,
    /// The recommendation as the report gives it.
    pub recommendation: super::Recommended,
    /// The ranking's reasons, with the numbers.
    pub why: String,
    /// The recommended joint plan (for the schedule export), `None` when doing nothing is recommended.
    pub recommended_plan: Option<JointPlan>,
    pub replications: u64,
    pub crew_side: CrewSide,
    /// Wall-clock seconds the policies took, aircraft and crew sides and feedback together (what
    /// `--time-limit` bounds).
    pub seconds_optimising: f64,
    /// Of `seconds_optimising`, the refinement of the top plans in the twin (its replications included).
    pub seconds_refining: f64,
    /// Wall-clock seconds of the twin's replications of doing nothing and of every candidate.
    pub seconds_replaying: f64,
    /// The action budget the plans were held to.
    pub max_actions: usize,
    /// How far the optimizer's cost ranking of the candidates agrees with the twin's.
    pub ranking_agreement: RankingAgreement,
}

/// Shares of the search's part of `--time-limit` a policy pair gets for a pair whose aircraft policy keeps
/// improving with the time it is given (the large-neighbourhood search, on a work budget proportional to
/// its share: [`policies::on_work_budget`]).
pub const WORK_BUDGET_SHARES: u32 = 6;

/// Shares of a pair whose crew policy is the MILP (and whose aircraft search ends in milliseconds, the
/// constructive heuristic, or on its own, the aircraft MILP): its time is the crew side's, up to three
/// solves of the crew MILP (its plan, then a feedback round's retime and cancellation answers), each
/// building its pool of candidate rosters again (about a second on a hub closure on a loaded machine).
pub const CREW_MILP_SHARES: u32 = 3;

/// Shares of any other pair (the greedy crew repair: up to three pools, no MILP).
pub const OTHER_SHARES: u32 = 2;

/// Share of a policy pair's time that each of its crew MILP solves gets as work
/// ([`CrewRecoveryOptions::milp_work_for`]): a pair solves the crew side up to three times, each after
/// building its pool of candidate rosters, which takes most of a solve's time.
pub const CREW_MILP_SHARE_OF_PAIR: f64 = 0.08;

/// Shares of the search's time for the pair (`aircraft`, `crew`) (see [`WORK_BUDGET_SHARES`]). Fixed by
/// the request, so each pair's work budgets are the same on any machine; at `--time-limit 20` the
/// `lns+milp` pair has 8.4 s, `constructive+milp` 4.2 s, `constructive+greedy` 2.8 s.
pub fn search_shares(aircraft: &str, crew: &str) -> u32 {
    if policies::on_work_budget(aircraft) {
        WORK_BUDGET_SHARES
    } else if crew == "milp" {
        CREW_MILP_SHARES
    } else {
        OTHER_SHARES
    }
}

/// Runs the loop: joint plans from every (aircraft policy, crew policy) pair, the distinct cheapest
/// `candidates` of them, their Monte Carlo comparison.
pub fn run_loop(
    schedule: &Schedule,
    scenario: &Scenario,
    built: &ScenarioProblem,
    request: &LoopRequest<'_>,
) -> Result<LoopOutcome> {
    run_loop_replaying(schedule, scenario, built, request, None).map(|(outcome, _)| outcome)
}

/// What shard `I/N` of the loop's Monte Carlo comparison ran (`recover --shard`): the candidates as the
/// ranking names them and their per-replication outcomes; see [`super::shard`].
pub(crate) struct ReplaySlice {
    /// Each candidate's name in the ranking's `why`.
    pub(crate) labels: Vec<String>,
    /// Each candidate may be recommended (within the action budget).
    pub(crate) eligible: Vec<bool>,
    /// Each candidate's own cost by the optimizer (for the ranking agreement).
    pub(crate) optimizer_costs: Vec<f64>,
    /// `outcomes[plan][i]`: replication `first + i` of plan 0 (doing nothing) and of each candidate.
    pub(crate) outcomes: Vec<Vec<Outcome>>,
}

/// [`run_loop`]; with `shard`, only that slice of the replications is replayed and the outcome's ranking
/// is a placeholder (every plan in candidate order with zero KPIs, doing nothing recommended) that the
/// merge of the shards replaces ([`super::shard`]). The search is the same either way: the candidates do
/// not depend on the replay.
pub(crate) fn run_loop_replaying(
    schedule: &Schedule,
    scenario: &Scenario,
    built: &ScenarioProblem,
    request: &LoopRequest<'_>,
    shard: Option<ucodts_sim::Shard>,
) -> Result<(LoopOutcome, Option<ReplaySlice>)> {
    let problem = &built.problem;
    let side = crew_side(
        schedule,
        scenario,
        problem.window_start,
        problem.window_end,
        request.rule_set,
        request.seed,
    )?;
    let pairs: Vec<(&str, &str)> = request
        .pairs
        .iter()
        .map(|(a, c)| (a.as_str(), c.as_str()))
        .collect();
    request
        .progress
        .stage("optimizing aircraft and crew plans", None);
    // `--time-limit` bounds the whole optimisation: each pair gets its shares ([`search_shares`]) of the
    // search's part of it. The shares are fixed by the request, not by what the pairs before it left, so a
    // policy on a work budget (the large-neighbourhood search) does the same work on any machine and load;
    // a pair running late eats into the refinement, which has the end of the budget.
    let optimising = WallClock::start();
    let search_limit = request.time_limit.mul_f64(SEARCH_SHARE);
    let shares: u32 = pairs.iter().map(|(a, c)| search_shares(a, c)).sum();
    let mut joint: Vec<JointPlan> = Vec::new();
    for (aircraft_name, crew_name) in &pairs {
        let share = search_limit * search_shares(aircraft_name, crew_name) / shares.max(1);
        let built_in;
        let aircraft_policy: &dyn RecoveryPolicy = match request.external {
            Some(external) if *aircraft_name == super::external::EXTERNAL => external,
            _ => {
                built_in = policies::by_name_seeded(
                    aircraft_name,
                    derive_seed(request.seed, "optimizer/aircraft"),
                )?;
                built_in.as_ref()
            }
        };
        let crew_policy = crew_policy_by_name(crew_name)?;
        let budget = Budget {
            time_limit: share,
            threads: NonZeroUsize::MIN,
            plans: 1,
        };
        // The crew MILP stops on work, fixed by the pair's share like the search's, so it gives the same
        // plan on any machine; its time limits stay as safety stops.
        let options = JointOptions {
            crew: CrewRecoveryOptions {
                random_seed: policies::solver_seed(derive_seed(request.seed, "optimizer/crew")),
                milp_work: Some(CrewRecoveryOptions::milp_work_for(
                    share.as_secs_f64() * CREW_MILP_SHARE_OF_PAIR,
                )),
                ..CrewRecoveryOptions::default()
            },
            feedback_rounds: 1,
        };
        let plans = recover_joint(
            aircraft_policy,
            crew_policy.as_ref(),
            problem,
            schedule,
            &side.input,
            &budget,
            &optimising,
            &options,
        )
        .with_context(|| format!("the {aircraft_name}+{crew_name} policies"))?;
        joint.extend(plans);
    }
    request.progress.done();
    if joint.is_empty() {
        let why: Vec<String> = request
            .external
            .map(|e| e.calls().into_iter().map(|c| c.why).collect())
            .unwrap_or_default();
        crate::bail!(
            "no policy gave a plan to compare with doing nothing{}",
            if why.is_empty() {
                String::new()
            } else {
                format!(": the external policy {}", why.join("; "))
            }
        );
    }
    // Legal plans first, then those within the action budget, then cheaper; show each distinct plan once.
    let mut joint: Vec<(usize, JointPlan)> = joint
        .into_iter()
        .map(|j| {
            let n = action_count(
                schedule,
                problem,
                j.aircraft.plan(),
                &j.crew.plan,
                &j.crew.evaluation,
            );
            (n, j)
        })
        .collect();
    joint.sort_by(|(na, a), (nb, b)| {
        let legal = |p: &JointPlan| p.aircraft.feasible() && p.crew.evaluation.is_legal();
        (!legal(a), *na > request.max_actions, a.cost)
            .partial_cmp(&(!legal(b), *nb > request.max_actions, b.cost))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let mut distinct: Vec<JointPlan> = Vec::new();
    let mut counts: Vec<usize> = Vec::new();
    for (n, p) in joint {
        let same = distinct.iter().any(|d| {
            d.aircraft.plan() == p.aircraft.plan()
                && d.crew.plan.rosters == p.crew.plan.rosters
                && d.crew.plan.uncovered == p.crew.plan.uncovered
        });
        if !same {
            distinct.push(p);
            counts.push(n);
        }
    }
    distinct.truncate(request.candidates.max(1));
    counts.truncate(distinct.len());
    let joint = distinct;
    let mut eligible: Vec<bool> = counts.iter().map(|&n| n <= request.max_actions).collect();

    // The top candidates refined in the twin, each beside its source (see [`super::refine`]).
    let refining = WallClock::start();
    let mut refined_notes: Vec<Option<String>> = vec![None; joint.len()];
    let refinement = Refinement {
        schedule,
        problem,
        scenario: &side.scenario,
        crew_input: &side.input,
        seed: derive_seed(request.seed, "refinement/twin"),
        crew_seed: policies::solver_seed(derive_seed(request.seed, "optimizer/crew")),
        replications: REFINEMENT_REPLICATIONS.min(request.replications),
        threads: request.threads,
        work: refinement_work(request.time_limit),
        clock: &optimising,
        deadline: request.time_limit,
    };
    // Plans over the action budget are refined too: what the refinement drops (the groups that do not pay
    // in the twin) can bring a plan within the budget, and the refined plan is offered when it is.
    let sources: Vec<(&JointPlan, usize)> = joint.iter().zip(counts.iter().copied()).collect();
    let refining_outcome = if sources.is_empty() {
        None
    } else {
        request
            .progress
            .stage("refining the best plan in the twin", None);
        let refined = refine(&refinement, &sources).context("refining the plans in the twin")?;
        request.progress.done();
        Some(refined)
    };
    let clock_note = refining_outcome
        .as_ref()
        .filter(|o| o.stopped_by_clock)
        .map(|o| clock_stop_note(o, refinement.work));
    let mut joint = joint;
    if let Some((_, refined)) = refining_outcome.and_then(|o| o.refined) {
        let same = joint.iter().any(|d| {
            d.aircraft.plan() == refined.plan.aircraft.plan()
                && d.crew.plan.rosters == refined.plan.crew.plan.rosters
                && d.crew.plan.uncovered == refined.plan.crew.plan.uncovered
        });
        if !same {
            eligible.push(refined.actions <= request.max_actions);
            counts.push(refined.actions);
            refined_notes.push(Some(refined.what));
            joint.push(refined.plan);
        }
    }
    let seconds_refining = refining.elapsed().as_secs_f64();
    let seconds_optimising = optimising.elapsed().as_secs_f64();

    let candidates: Vec<Candidate<'_>> = joint
        .iter()
        .zip(&counts)
        .map(|(j, &actions)| twin_candidate(schedule, problem, j, actions))
        .collect::<Result<_>>()?;
    let replaying = Instant::now();
    let replay = TwinReplay::new(schedule, &side.scenario, request.seed, &candidates)
        .context("preparing the twin to replay the plans")?;
    request.progress.stage(
        &format!(
            "replaying doing nothing and {} plan(s) in the twin",
            joint.len()
        ),
        Some(request.replications),
    );
    let tick = || request.progress.step();
    let (ranking, slice) = match shard {
        None => {
            let ranking = rank_within(
                &replay,
                &eligible,
                request.replications,
                request.threads,
                &tick,
            )
            .context("running the Monte Carlo comparison")?;
            (ranking, None)
        }
        Some(shard) => {
            let range = shard.replications(request.replications);
            let outcomes = replay_slice(&replay, range, request.threads, &tick)?;
            let slice = ReplaySlice {
                labels: joint.iter().map(|j| j.policy.clone()).collect(),
                eligible: eligible.clone(),
                optimizer_costs: joint.iter().map(|j| j.cost).collect(),
                outcomes,
            };
            (
                placeholder_ranking(joint.len(), request.replications),
                Some(slice),
            )
        }
    };
    let seconds_replaying = replaying.elapsed().as_secs_f64();
    request.progress.done();
    let plans = ranking
        .ranked
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let j = &joint[r.candidate];
            let mut p = plan_json(
                schedule,
                problem,
                i + 1,
                Some(r.candidate) == ranking.recommended,
                j,
                r,
            );
            p.not_replayed = replay.not_replayed(r.candidate).to_vec();
            if let Some(what) = &refined_notes[r.candidate] {
                p.feedback.push(what.clone());
            }
            p.action_count = counts[r.candidate];
            p.within_budget = eligible[r.candidate];
            p
        })
        .collect();
    let mut twin_costs = vec![0.0; joint.len()];
    for r in &ranking.ranked {
        twin_costs[r.candidate] = r.kpis.cost.mean;
    }
    let optimizer_costs: Vec<f64> = joint.iter().map(|j| j.cost).collect();
    let ranking_agreement = agreement(&optimizer_costs, &twin_costs);
    let headline = headline(&ranking, |c| joint[c].policy.clone());
    // The refinement's clock stop, when it fired, ends both reasons: the ranking's and the recommendation's.
    let with_clock_note = |why: &str| match &clock_note {
        Some(note) => format!("{why} {note}"),
        None => why.to_string(),
    };
    let why = with_clock_note(&ranking.why);
    let mut recommendation = super::Recommended::of(&ranking, |c| joint[c].policy.clone());
    recommendation.why = with_clock_note(&recommendation.why);
    let outcome = LoopOutcome {
        recommendation,
        plans,
        baseline_kpis: ranking.baseline.clone(),
        recommended: ranking.recommended.map(|c| joint[c].policy.clone()),
        headline,
        why,
        recommended_plan: ranking.recommended.map(|c| joint[c].clone()),
        replications: ranking.replications,
        crew_side: side,
        seconds_optimising,
        seconds_refining,
        seconds_replaying,
        max_actions: request.max_actions,
        ranking_agreement,
    };
    Ok((outcome, slice))
}

/// What the ranking's reasons say when the refinement's safety stop fired: its result depends on the load.
fn clock_stop_note(refining: &Refining, budget: u64) -> String {
    format!(
        "The refinement in the twin was stopped by the clock before its work budget was spent ({} variants, \
         {} of {} replayed legs): --time-limit ran out, so what it kept depends on the machine's load.",
        refining.variants,
        number(refining.work as f64, 0),
        number(budget as f64, 0)
    )
}

/// Replications `range` of doing nothing and of every candidate on `threads` threads:
/// `outcomes[plan][i]` is replication `range.start + i` of plan `i` (0: doing nothing), whatever the
/// thread count; the error of the lowest failing replication.
fn replay_slice(
    replay: &TwinReplay,
    range: std::ops::Range<u64>,
    threads: usize,
    tick: &(dyn Fn() + Sync),
) -> Result<Vec<Vec<Outcome>>> {
    use std::sync::atomic::{AtomicU64, Ordering};
    use ucodts_optimizer::montecarlo::Replay;
    let plans = replay.candidates() + 1;
    let next = AtomicU64::new(range.start);
    let length = (range.end - range.start) as usize;
    let workers = threads.clamp(1, length.max(1));
    type Row = (u64, std::result::Result<Vec<Outcome>, String>);
    let rows: Vec<Row> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut rows: Vec<Row> = Vec::new();
                    loop {
                        let r = next.fetch_add(1, Ordering::Relaxed);
                        if r >= range.end {
                            return rows;
                        }
                        let row = (0..plans)
                            .map(|plan| {
                                let candidate = plan.checked_sub(1);
                                replay.replicate(candidate, r).map_err(|e| {
                                    let name = candidate
                                        .map_or("doing nothing".to_string(), |c| replay.label(c));
                                    format!("replication {r} of {name} failed: {e}")
                                })
                            })
                            .collect();
                        tick();
                        rows.push((r, row));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    let mut by_replication: Vec<Option<Vec<Outcome>>> = vec![None; length];
    let mut rows = rows;
    rows.sort_by_key(|(r, _)| *r);
    for (r, row) in rows {
        let row = row.map_err(crate::Error::invalid)?;
        by_replication[(r - range.start) as usize] = Some(row);
    }
    let mut outcomes = vec![Vec::with_capacity(length); plans];
    for row in by_replication {
        let row = row.expect("every replication of the slice was claimed and run");
        for (plan, outcome) in row.into_iter().enumerate() {
            outcomes[plan].push(outcome);
        }
    }
    Ok(outcomes)
}

/// The ranking a shard's report carries until the merge ranks the whole study: every candidate in index
/// order, zero KPIs, doing nothing recommended.
fn placeholder_ranking(candidates: usize, replications: u64) -> Ranking {
    let zero = Interval {
        mean: 0.0,
        lower: 0.0,
        upper: 0.0,
    };
    let kpis = Kpis {
        cost: zero,
        mean_arrival_delay_min: zero,
        p90_arrival_delay_min: zero,
        on_time_rate: zero,
        cancelled_legs: zero,
        crew_illegality_probability: zero,
        misconnects: zero,
    };
    Ranking {
        replications,
        baseline: kpis.clone(),
        ranked: (0..candidates)
            .map(|candidate| ucodts_optimizer::montecarlo::RankedCandidate {
                candidate,
                kpis: kpis.clone(),
                vs_baseline: kpis.clone(),
                vs_recommended: kpis.clone(),
            })
            .collect(),
        recommended: None,
        why: String::new(),
    }
}

/// The policy name of doing nothing in `recommended.policy`: the twin's own reactive control on the day.
pub const DO_NOTHING: &str = "do-nothing";

/// The recommendation in one sentence a controller reads first: the plan and what it saves against doing
/// nothing, or "do nothing" and how the best plan compares.
pub(crate) fn headline(ranking: &Ranking, policy: impl Fn(usize) -> String) -> String {
    let euros = |d: &Interval| {
        format!(
            "{}{} EUR, 95 % CI {}..{}",
            if d.mean > 0.0 { "+" } else { "" },
            number(d.mean, 0),
            number(d.lower, 0),
            number(d.upper, 0)
        )
    };
    match ranking.recommended {
        Some(c) => {
            let best = ranking
                .ranked
                .iter()
                .find(|r| r.candidate == c)
                .expect("the recommended plan is ranked");
            format!(
                "Recommended: {} — significantly cheaper than letting operations control react on the day \
                 ({} against doing nothing).",
                policy(c),
                euros(&best.vs_baseline.cost)
            )
        }
        None => {
            let best = ranking.ranked.iter().min_by(|a, b| {
                a.vs_baseline
                    .cost
                    .mean
                    .total_cmp(&b.vs_baseline.cost.mean)
                    .then(a.candidate.cmp(&b.candidate))
            });
            let best = best.map_or_else(String::new, |b| {
                format!(
                    " (best: {}, {})",
                    policy(b.candidate),
                    euros(&b.vs_baseline.cost)
                )
            });
            format!(
                "Recommended: do nothing — no plan is significantly cheaper than letting operations control \
                 react on the day{best}."
            )
        }
    }
}

/// A joint plan as the twin replays it: its aircraft and crew plans, and the cost of its actions the twin
/// does not see. A plan that asks nothing of operations control (`actions` is 0: its only changes are
/// knock-on delays and the crew following them) is doing nothing: the twin flies it as doing nothing.
/// Replaying its rewritten rosters instead let crew seats fly without their member and showed savings no
/// controller action makes.
pub(crate) fn twin_candidate<'j>(
    schedule: &Schedule,
    problem: &'j RecoveryProblem,
    j: &'j JointPlan,
    actions: usize,
) -> Result<Candidate<'j>> {
    if actions == 0 {
        return Ok(Candidate {
            label: j.policy.clone(),
            aircraft: None,
            crew: None,
            action_cost: 0.0,
        });
    }
    let crew_problem = CrewRecoveryProblem::new(schedule, j.crew_disruption.clone())
        .context("re-reading the crew disruption of a plan")?;
    Ok(Candidate {
        label: j.policy.clone(),
        aircraft: Some((problem, j.aircraft.plan())),
        crew: Some((
            &j.crew_disruption,
            std::borrow::Cow::Owned(changed_rosters(schedule, &crew_problem, j)),
        )),
        // The twin flies the plan but does not price the controller's aircraft actions.
        action_cost: action_cost(&crew_problem, &j.crew.evaluation)
            + j.aircraft.evaluation().cost.controller_actions.euros(),
    })
}

/// The crew plan as the twin flies it: the rosters the plan changes (reserves called, members it contacts,
/// members the disruption takes off legs, such as a sick call) and the seats it leaves empty. A member
/// who flies the same legs as rostered, only at the times the disruption's knock-on delays give them, flies
/// their own pairing in the twin, which propagates the delays itself: the plan's copy of it, written on
/// the retimed legs, is not replayed. The twin's schedule holds pairings on timetable times only, so a
/// connection made at the retimed times could not be held and the seat flew without its member (312 seats
/// of the JFK closure's plan), a difference from doing nothing that no controller's action made.
fn changed_rosters(
    schedule: &Schedule,
    problem: &CrewRecoveryProblem<'_>,
    j: &JointPlan,
) -> CrewRecoveryPlan {
    use std::collections::BTreeSet;
    let contacted: BTreeSet<&ucodts_model::CrewId> = j
        .crew
        .evaluation
        .crew
        .iter()
        .filter(|v| v.contacted)
        .map(|v| &v.crew)
        .collect();
    let legs = |pairings: &mut dyn Iterator<Item = &ucodts_model::pairing::Pairing>| {
        pairings
            .flat_map(|p| p.duties.iter())
            .flat_map(|d| d.segments.iter())
            .map(|s| (s.leg, s.kind))
            .collect::<BTreeSet<_>>()
    };
    let as_rostered = |crew: &ucodts_model::CrewId| -> Option<BTreeSet<_>> {
        let affected = problem.affected_crew(crew)?;
        Some(legs(
            &mut schedule
                .roster(crew)
                .filter(|p| affected.pairings.contains(&p.id)),
        ))
    };
    let mut flown = j.crew.plan.clone();
    flown.rosters.retain(|crew, pairings| {
        contacted.contains(crew)
            || problem.sick_from(crew).is_some()
            || as_rostered(crew) != Some(legs(&mut pairings.iter()))
    });
    let kept: BTreeSet<ucodts_model::CrewId> = flown.rosters.keys().cloned().collect();
    flown.stranded.retain(|crew, _| kept.contains(crew));
    flown
}

/// The crew plan's costs the twin does not see (it flies the rosters but does not price phone calls,
/// deadhead seats, swaps, stranded crew, fatigue, or the reserves the plan calls: it prices only the
/// call-outs of its own operations control, so a plan's reserve is charged here at the same price, else a
/// plan's reserve for tomorrow's seat would be free where doing nothing's is not; uncovered seats it sees),
/// less what the affected crew's rosters cost on those terms as rostered: the crew evaluator prices every
/// deadhead and every duty's fatigue in a replaced roster, including the deadheads the roster already had
/// and the fatigue of duties the plan keeps, which doing nothing pays too. Without this a plan that
/// retimes 200 legs was charged 1.5 M for 1,400 deadheads that were in the roster all along.
pub(crate) fn action_cost(problem: &CrewRecoveryProblem<'_>, e: &CrewEvaluation) -> f64 {
    let c = &e.cost;
    let plan = (c.deadheads + c.swaps + c.crew_contacted + c.stranded + c.fatigue) as f64;
    let as_rostered = CrewRecoveryPlan {
        policy: "as rostered".into(),
        rosters: problem
            .affected()
            .iter()
            .map(|a| (a.crew.clone(), problem.roster_as_disrupted(&a.crew)))
            .collect(),
        stranded: Default::default(),
        uncovered: problem
            .demand()
            .iter()
            .map(|d| UncoveredPosition {
                leg: d.leg,
                rank: d.rank,
                count: d.count,
                why: "reference: nobody acts".into(),
            })
            .collect(),
    };
    let reference = crew_evaluate(problem, &as_rostered).cost;
    // Never below nothing: doing nothing pays no deadhead or fatigue term in the twin, so a plan with fewer
    // of them than the disrupted rosters earns no credit there (it had recommended plans the twin flew
    // exactly as doing nothing, on a few hundred euros of paper fatigue).
    c.reserve_callouts as f64 + (plan - (reference.deadheads + reference.fatigue) as f64).max(0.0)
}

fn plan_json(
    schedule: &Schedule,
    problem: &RecoveryProblem,
    rank: usize,
    recommended: bool,
    j: &JointPlan,
    r: &ucodts_optimizer::montecarlo::RankedCandidate,
) -> PlanJson {
    let plan: &RecoveryPlan = j.aircraft.plan();
    let aircraft_actions = plan.actions(problem);
    let count = |f: fn(&RecoveryAction) -> bool| aircraft_actions.iter().filter(|a| f(a)).count();
    let passengers = |f: fn(&RecoveryAction) -> Option<u32>| -> u64 {
        aircraft_actions.iter().filter_map(f).map(u64::from).sum()
    };
    let e = &j.crew.evaluation;
    let crew_list = crew_actions(schedule, &j.crew.plan, e);
    let knock_on = ucodts_model::recovery::knock_on_delays(problem, plan);
    // A retime that is the disruption's own delay, or its knock-on, is no decision.
    let is_knock_on = |a: &RecoveryAction| match a {
        RecoveryAction::Retime { flight, by } => {
            knock_on.get(flight.index()).copied().unwrap_or(false)
                || problem.flight(*flight).disruption
                    == Some(ucodts_model::recovery::FlightDisruption::Delayed(*by))
        }
        _ => false,
    };
    let actions: Vec<ActionJson> = aircraft_actions
        .iter()
        .map(|a| {
            let mut json = aircraft_action(schedule, problem, plan, a);
            if is_knock_on(a) {
                json.kind = KNOCK_ON_DELAY;
                json.text = format!(
                    "{} (no decision: it leaves when the disruption, its aircraft or its airports let it, \
                     as without a plan)",
                    json.text
                );
            }
            json
        })
        .collect();
    let decided: Vec<RecoveryAction> = aircraft_actions
        .iter()
        .filter(|a| !is_knock_on(a))
        .cloned()
        .collect();
    let mut actions: Vec<PlanAction> = actions
        .into_iter()
        .map(|action| PlanAction { action, rank: None })
        .collect();
    actions.extend(crew_list.iter().map(|c: &CrewAction| PlanAction {
        action: ActionJson {
            kind: c.kind,
            tails: Vec::new(),
            crew: c.crew.clone(),
            text: c.text.clone(),
            carrier: None,
            flight: None,
            date: None,
            old_time: None,
            new_time: None,
        },
        rank: c.rank,
    }));
    let crew_changes = crew_changes(schedule, &j.crew_disruption, &j.crew.plan, e);
    let touches = touches(problem, &decided, &crew_list);
    let members = e
        .crew
        .iter()
        .filter(|v| v.contacted || !v.legal)
        .map(|v| CrewMemberJson {
            crew: v.crew.to_string(),
            role: match v.role {
                CrewRole::Rostered => "rostered",
                CrewRole::Reserve => "reserve",
            },
            legal: v.legal,
            violations: v.violations.iter().map(|x| x.to_string()).collect(),
            extensions: v.extensions.iter().map(|x| x.to_string()).collect(),
            problems: v.problems.iter().map(|p| p.to_string()).collect(),
            contacted: v.contacted,
            kss_peak: v.fatigue.iter().map(|d| d.peak_kss).max_by(f64::total_cmp),
            duties: v
                .fatigue
                .iter()
                .map(|d| DutyJson {
                    report: d.report.to_string(),
                    release: d.release.to_string(),
                    kss_peak: d.peak_kss,
                })
                .collect(),
        })
        .collect();
    let c = &e.cost;
    let legal = j.aircraft.feasible() && e.is_legal();
    PlanJson {
        rank,
        recommended,
        policy: j.policy.clone(),
        legal,
        crew_contacted: e.crew_contacted,
        cost: j.cost,
        cost_breakdown: CostBreakdownJson {
            aircraft: j.aircraft.cost().euros(),
            aircraft_terms: j.aircraft.evaluation().cost.clone(),
            crew: c.total() as f64,
            crew_terms: CrewCostJson {
                terms: *c,
                total: c.total(),
            },
        },
        kpis: r.kpis.clone(),
        vs_baseline: r.vs_baseline.clone(),
        vs_recommended: r.vs_recommended.clone(),
        actions,
        crew_changes,
        touches,
        action_count: 0,
        within_budget: true,
        aircraft: AircraftSideJson {
            policy: j.aircraft.policy().to_string(),
            feasible: j.aircraft.feasible(),
            violations: j.aircraft.evaluation().violations.len(),
            violation_examples: examples(problem, plan, &j.aircraft.evaluation().violations),
            seconds_to_find: j.aircraft.found_after().as_secs_f64(),
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
        },
        crew: CrewSideJson {
            policy: j.crew.plan.policy.clone(),
            legal: e.is_legal(),
            seconds: j.crew.seconds,
            optimal: j.crew.optimal,
            cut_at_deadline: j.crew.cut_at_deadline,
            columns: j.crew.columns,
            affected_crew: e
                .crew
                .iter()
                .filter(|v| v.role == CrewRole::Rostered)
                .count(),
            open_positions: 0,
            uncovered_positions: e.seats_uncovered,
            reserves_called: e.reserve_callouts.len(),
            swaps: e.swaps.len(),
            deadheads: e
                .deadheads
                .iter()
                .filter(|(crew, leg)| !super::crew_words::rostered_deadhead(schedule, crew, *leg))
                .count(),
            members,
        },
        feedback: j.feedback.iter().map(|f| f.what.clone()).collect(),
        not_replayed: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ucodts_optimizer::montecarlo::RankedCandidate;

    fn kpis(cost: (f64, f64, f64)) -> Kpis {
        let i = |(mean, lower, upper)| Interval { mean, lower, upper };
        Kpis {
            cost: i(cost),
            mean_arrival_delay_min: i((0.0, 0.0, 0.0)),
            p90_arrival_delay_min: i((0.0, 0.0, 0.0)),
            on_time_rate: i((0.0, 0.0, 0.0)),
            cancelled_legs: i((0.0, 0.0, 0.0)),
            crew_illegality_probability: i((0.0, 0.0, 0.0)),
            misconnects: i((0.0, 0.0, 0.0)),
        }
    }

    fn ranking(recommended: Option<usize>, vs_nothing: &[(f64, f64, f64)]) -> Ranking {
        Ranking {
            replications: 20,
            baseline: kpis((1_000_000.0, 900_000.0, 1_100_000.0)),
            ranked: vs_nothing
                .iter()
                .enumerate()
                .map(|(candidate, &d)| RankedCandidate {
                    candidate,
                    kpis: kpis((0.0, 0.0, 0.0)),
                    vs_baseline: kpis(d),
                    vs_recommended: kpis(d),
                })
                .collect(),
            recommended,
            why: String::new(),
        }
    }

    #[test]
    fn the_large_neighbourhood_search_gets_most_of_the_search_time_whatever_its_name() {
        let pairs = policy_pairs(&["constructive".to_string(), "lns".to_string()], "auto");
        let shares: Vec<u32> = pairs.iter().map(|(a, c)| search_shares(a, c)).collect();
        // constructive+milp, lns+milp, constructive+greedy
        assert_eq!(shares, [CREW_MILP_SHARES, WORK_BUDGET_SHARES, OTHER_SHARES]);
        assert_eq!(search_shares("best", "greedy"), WORK_BUDGET_SHARES);
        assert_eq!(search_shares("milp", "greedy"), OTHER_SHARES);
    }

    #[test]
    fn kendall_tau_is_one_for_the_same_order_and_minus_one_for_the_reverse() {
        assert_eq!(
            kendall_tau(&[1.0, 2.0, 3.0], &[10.0, 20.0, 30.0]),
            Some(1.0)
        );
        assert_eq!(
            kendall_tau(&[1.0, 2.0, 3.0], &[30.0, 20.0, 10.0]),
            Some(-1.0)
        );
        assert_eq!(kendall_tau(&[1.0], &[1.0]), None);
        let a = agreement(&[5.0, 1.0, 3.0], &[50.0, 20.0, 10.0]);
        assert!(!a.top1_agree);
        assert_eq!(a.kendall_tau, Some(1.0 / 3.0));
    }

    #[test]
    fn the_headline_says_do_nothing_in_plain_words_with_the_best_plan_against_it() {
        let r = ranking(
            None,
            &[
                (832_805.5, 592_524.1, 1_073_086.9),
                (480_018.2, 396_112.0, 563_924.4),
            ],
        );
        let names = ["lns+milp", "constructive+greedy"];
        assert_eq!(
            headline(&r, |c| names[c].to_string()),
            "Recommended: do nothing — no plan is significantly cheaper than letting operations control \
             react on the day (best: constructive+greedy, +480,018 EUR, 95 % CI 396,112..563,924)."
        );
    }

    #[test]
    fn the_headline_names_the_recommended_plan_and_what_it_saves() {
        let r = ranking(Some(0), &[(-162_424.0, -204_119.0, -120_730.0)]);
        assert_eq!(
            headline(&r, |_| "constructive+greedy".to_string()),
            "Recommended: constructive+greedy — significantly cheaper than letting operations control react \
             on the day (-162,424 EUR, 95 % CI -204,119..-120,730 against doing nothing)."
        );
    }
}
