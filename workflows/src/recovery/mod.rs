//! The recovery loop: a disruption scenario on our own data, turned into recovery plans (aircraft first, then
//! crew, with a feedback step) by the optimizer's policies, each replayed in the twin by Monte Carlo with
//! common random numbers and ranked by expected cost and risk; a [`RecoverReport`] with actions a controller
//! reads and, on request, an HTML report.

mod aircraft_words;
mod crew_side;
mod crew_words;
mod exact_json;
pub mod export;
pub mod external;
mod from_schedule;
mod refine;
pub mod replay;
pub mod shard;
mod to_report;
mod whole_loop;

#[cfg(test)]
mod test_fixture;

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;
use ucodts_model::recovery::{
    CostBreakdown, RecoveryAction, RecoveryPlan, RecoveryProblem, Violation,
};

use ucodts_optimizer::policies;

use crate::error::{Context, Result};
use crate::progress::Progress;
use crate::{bail, scenario, ReportFiles};

pub use crew_side::DEFAULT_RULE_SET;
pub use from_schedule::{problem, ScenarioProblem};
pub use ucodts_optimizer::montecarlo::Kpis;
pub use ucodts_stats::Interval;
pub use whole_loop::{
    action_count, derive_seed, kendall_tau, policy_names, policy_pairs, run_loop, ActionJson,
    LoopRequest, PlanJson, RankingAgreement, DO_NOTHING, KNOCK_ON_DELAY,
};

/// What a planner asks the loop for (`ucodts recover`'s options).
#[derive(Debug, Clone)]
pub struct RecoverRequest {
    /// A scenario file, or the name of a library scenario.
    pub scenario: String,
    /// A native data set folder; overrides the scenario's `data`.
    pub data: Option<PathBuf>,
    /// Aircraft policies, comma separated (`all`: every one).
    pub policy: String,
    /// Crew policies, comma separated, or `auto`.
    pub crew_policy: String,
    /// Wall-clock seconds for all policies together.
    pub time_limit_seconds: f64,
    /// How many candidate plans to compare in the twin (K).
    pub candidates: usize,
    /// Monte Carlo replications per plan (N), at least 2.
    pub replications: u64,
    /// Master seed of every random choice; `None`: the scenario's seed.
    pub seed: Option<u64>,
    /// Threads for the Monte Carlo runs (results do not depend on it).
    pub threads: usize,
    /// The flight-time-limitation rule set crew plans keep.
    pub rule_set: String,
    /// Where to write the HTML report (with .csv and .json beside it).
    pub report: Option<PathBuf>,
    /// Where to write the recommended plan's changed legs as CSV (with the crew changes per member in
    /// `.crew.csv` beside it); see [`export`].
    pub schedule_out: Option<PathBuf>,
    /// The most actions a plan may ask of operations control (`--max-actions`); a plan over it is shown
    /// but never recommended.
    pub max_actions: usize,
    /// An external aircraft policy instead of `policy` (`--policy-cmd "CMD ARGS"`): the problem as JSON on
    /// its standard input, a plan as JSON on its standard output (see [`external`]).
    pub policy_cmd: Option<String>,
}

impl RecoverRequest {
    /// The defaults of `ucodts recover` for a scenario.
    pub fn new(scenario: &str) -> RecoverRequest {
        RecoverRequest {
            scenario: scenario.to_string(),
            data: None,
            policy: "constructive,lns".into(),
            crew_policy: "auto".into(),
            time_limit_seconds: 10.0,
            candidates: 3,
            replications: 30,
            seed: None,
            threads: 2,
            rule_set: DEFAULT_RULE_SET.into(),
            report: None,
            schedule_out: None,
            max_actions: ucodts_model::practice::DEFAULT_MAX_ACTIONS,
            policy_cmd: None,
        }
    }
}

/// Runs the whole loop for a request: reads the scenario and its data, checks the options, and returns the
/// ranked plans.
pub fn recover(request: &RecoverRequest, progress: &dyn Progress) -> Result<RecoverReport> {
    check_request(request)?;
    let loaded = scenario::load(&request.scenario, request.data.as_deref())?;
    recover_loaded(request, &loaded, progress)
}

/// [`recover`] on a scenario already read and validated against its data set (`request.scenario` and
/// `request.data` are not read again).
pub fn recover_loaded(
    request: &RecoverRequest,
    loaded: &scenario::LoadedScenario,
    progress: &dyn Progress,
) -> Result<RecoverReport> {
    with_loop_request(request, loaded, progress, |request_loop| {
        recover_scenario(
            &loaded.schedule,
            &loaded.file_name,
            &loaded.scenario,
            request_loop,
            request.report.as_deref(),
            request.schedule_out.as_deref(),
        )
    })
}

/// Checks `request` and calls `run` with the loop's request for it on `loaded`.
pub(crate) fn with_loop_request<T>(
    request: &RecoverRequest,
    loaded: &scenario::LoadedScenario,
    progress: &dyn Progress,
    run: impl FnOnce(&LoopRequest<'_>) -> Result<T>,
) -> Result<T> {
    check_request(request)?;
    let external = request
        .policy_cmd
        .as_deref()
        .map(crate::policy_cmd::PolicyCommand::parse)
        .transpose()?
        .map(external::ExternalPolicy::new);
    // An external policy takes the place of `--policy`; with `--crew-policy auto` the built-in fast answer
    // (constructive+greedy) stays beside it, so its plan is ranked against one of ours and a policy that
    // fails still leaves a plan to compare with doing nothing.
    let aircraft = match &external {
        Some(_) => vec![external::EXTERNAL.to_string()],
        None => policy_names(&request.policy, policies::NAMES),
    };
    let pairs = policy_pairs(&aircraft, &request.crew_policy);
    let request_loop = LoopRequest {
        pairs,
        external: external.as_ref(),
        time_limit: Duration::from_secs_f64(request.time_limit_seconds),
        candidates: request.candidates.max(1),
        replications: request.replications,
        seed: request.seed.unwrap_or(loaded.scenario.seed),
        threads: request.threads.max(1),
        rule_set: &request.rule_set,
        max_actions: request.max_actions,
        progress,
    };
    run(&request_loop)
}

fn check_request(request: &RecoverRequest) -> Result<()> {
    check_time_limit(request.time_limit_seconds)?;
    if request.replications < 2 {
        bail!(
            "--reps must be at least 2 (a confidence interval needs two replications), not {}",
            request.replications
        );
    }
    Ok(())
}

/// The longest `--time-limit` accepted: a week, in seconds.
pub const MAX_TIME_LIMIT_SECONDS: f64 = 7.0 * 24.0 * 3600.0;

/// Refuses a `--time-limit` that is not a positive number of seconds up to [`MAX_TIME_LIMIT_SECONDS`]
/// (NaN, zero, negative, or so large a deadline would overflow the clock).
pub fn check_time_limit(seconds: f64) -> Result<()> {
    if !(seconds > 0.0 && seconds <= MAX_TIME_LIMIT_SECONDS) {
        bail!(
            "--time-limit must be a positive number of seconds up to {MAX_TIME_LIMIT_SECONDS} (a week), not {seconds}"
        );
    }
    Ok(())
}

/// The loop's answer: the operation, doing nothing, the ranked plans and the recommendation. What
/// `recover --json` prints and what a server sends.
///
/// Doing nothing — the twin's own reactive control on the day: flights held for slots and crew, reserves
/// called as seats fall empty — is always a candidate and the default one. It is not an entry of `plans`,
/// which holds only plans a controller can act on (each with its actions, aircraft side and crew side); it
/// appears as `baseline` (by the aircraft checker), `baseline_kpis` (in the twin), each plan's `vs_baseline`
/// and, when no plan costs significantly less, as the recommendation: `recommended.policy` is
/// [`DO_NOTHING`] (`"do-nothing"`), no plan has `recommended: true`, and each plan's `vs_recommended` is its
/// difference from doing nothing. A scheduler's screen shows doing nothing as the first row and the plans
/// beneath it, ranked 1, 2, ... by the Monte Carlo ranking.
#[derive(Debug, Clone, Serialize)]
pub struct RecoverReport {
    pub scenario: String,
    pub window_start: String,
    pub window_end: String,
    /// When the controller decides (the plans change nothing before it).
    pub decision_time: String,
    pub flights: usize,
    pub aircraft: usize,
    pub passengers: u64,
    /// Disruptions (or parts of them) that the aircraft side does not model.
    pub not_modelled: Vec<String>,
    /// Sick calls given as a share of a base, resolved into the named crew members the plans cover.
    pub sick_calls_resolved: Vec<String>,
    pub replications: u64,
    pub seed: u64,
    pub rule_set: String,
    /// `--time-limit`: the wall-clock budget of the whole optimisation.
    pub time_limit_seconds: f64,
    /// Wall-clock seconds the optimisation took (aircraft policies, crew policies, the feedback replan):
    /// what `--time-limit` bounds. Like every field whose name starts with `seconds`, it depends on the
    /// machine; everything else depends only on the inputs and the seed.
    pub seconds_optimising: f64,
    /// Of `seconds_optimising`, the seconds spent refining the top plans in the twin (on replications of
    /// their own, apart from the ranking's).
    pub seconds_refining: f64,
    /// Wall-clock seconds the twin took to replay doing nothing and every candidate.
    pub seconds_replaying: f64,
    /// The action budget (`--max-actions`): the most actions a recommended plan may ask of operations
    /// control; each plan's `action_count` and `within_budget` say how it fares.
    pub max_actions: usize,
    /// How far the optimizer's own cost ranking of the candidates agrees with the twin's (Kendall's tau-b,
    /// and whether both put the same plan first).
    pub ranking_agreement: RankingAgreement,
    /// Doing nothing, by the aircraft checker: the original plan with only the imposed delays applied.
    pub baseline: BaselineJson,
    /// Doing nothing, in the twin: Monte Carlo KPIs with 95 % intervals.
    pub baseline_kpis: Kpis,
    /// The plan a cautious controller picks, and why.
    pub recommended: Recommended,
    /// The plans, recommended first, then in the Monte Carlo ranking's order.
    pub plans: Vec<PlanJson>,
    /// Report files written with `--report`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<ReportFiles>,
    /// The schedule export written with `--schedule-out`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule_out: Option<export::ScheduleFiles>,
    /// With `--policy-cmd`: the command and what each call of it gave (a plan, or why not).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_policy: Option<ExternalPolicyJson>,
}

/// An external policy's calls in a run.
#[derive(Debug, Clone, Serialize)]
pub struct ExternalPolicyJson {
    pub command: String,
    pub calls: Vec<external::ExternalCall>,
}

/// The plan a cautious controller picks, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Recommended {
    /// The recommended plan's policy (`lns+milp`), or [`DO_NOTHING`] when no plan costs significantly less
    /// than doing nothing.
    pub policy: String,
    /// The recommendation in one sentence, as `why` begins: `Recommended: do nothing — ...`.
    pub headline: String,
    /// The headline, then the ranking's reasons with the numbers.
    pub why: String,
    /// The plan costs significantly less than doing nothing in the twin (paired 95 % interval below zero);
    /// false when doing nothing is recommended.
    pub better_than_doing_nothing: bool,
    /// It costs significantly more (paired 95 % interval above zero). Never true: such a plan is not
    /// recommended; kept so that outside checks can assert it.
    pub worse_than_doing_nothing: bool,
}

impl Recommended {
    /// The recommendation of a ranking whose candidates `policy` names.
    pub(crate) fn of(
        ranking: &ucodts_optimizer::montecarlo::Ranking,
        policy: impl Fn(usize) -> String,
    ) -> Recommended {
        let headline = whole_loop::headline(ranking, &policy);
        let recommended = ranking
            .recommended
            .and_then(|c| ranking.ranked.iter().find(|r| r.candidate == c));
        Recommended {
            policy: ranking
                .recommended
                .map_or_else(|| DO_NOTHING.to_string(), &policy),
            why: format!("{headline} {}", ranking.why),
            headline,
            better_than_doing_nothing: recommended.is_some_and(|r| r.vs_baseline.cost.upper < 0.0),
            worse_than_doing_nothing: recommended.is_some_and(|r| r.vs_baseline.cost.lower > 0.0),
        }
    }
}

/// Doing nothing, by the aircraft checker.
#[derive(Debug, Clone, Serialize)]
pub struct BaselineJson {
    pub feasible: bool,
    pub violations: usize,
    /// The first few broken rules, in words.
    pub violation_examples: Vec<String>,
    pub cost: f64,
    pub cost_breakdown: CostBreakdown,
}

/// The whole loop on one scenario: plans, their Monte Carlo comparison, and the report files and the
/// schedule export if asked.
pub fn recover_scenario(
    schedule: &ucodts_model::Schedule,
    file_name: &str,
    scenario: &ucodts_scenarios::Scenario,
    request: &LoopRequest<'_>,
    report_path: Option<&Path>,
    schedule_out: Option<&Path>,
) -> Result<RecoverReport> {
    let built = problem(schedule, scenario)
        .with_context(|| format!("turning {file_name} into a recovery problem"))?;
    let outcome = run_loop(schedule, scenario, &built, request)?;
    let mut report = report_of(scenario, &built, request, &outcome);
    let problem = &built.problem;
    if let Some(path) = schedule_out {
        let crew = report
            .plans
            .iter()
            .find(|p| p.recommended)
            .map_or(&[][..], |p| &p.crew_changes);
        let recommended = outcome
            .recommended_plan
            .as_ref()
            .map(|plan| export::Recommended {
                schedule,
                problem,
                plan,
                crew,
            });
        report.schedule_out = Some(export::write(recommended, path)?);
    }
    if let Some(path) = report_path {
        let written = to_report::write(schedule, scenario, &report, path)?;
        report.report = Some(ReportFiles::from(&written));
    }
    Ok(report)
}

/// The report of the loop's outcome, without the files `--report` and `--schedule-out` write.
pub(crate) fn report_of(
    scenario: &ucodts_scenarios::Scenario,
    built: &ScenarioProblem,
    request: &LoopRequest<'_>,
    outcome: &whole_loop::LoopOutcome,
) -> RecoverReport {
    let problem = &built.problem;
    let baseline_plan = RecoveryPlan::with_disruptions_applied(problem);
    let baseline = ucodts_model::recovery::evaluate(problem, &baseline_plan);
    let recommended = outcome.recommendation.clone();
    RecoverReport {
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
        time_limit_seconds: request.time_limit.as_secs_f64(),
        seconds_optimising: outcome.seconds_optimising,
        seconds_refining: outcome.seconds_refining,
        seconds_replaying: outcome.seconds_replaying,
        max_actions: outcome.max_actions,
        ranking_agreement: outcome.ranking_agreement.clone(),
        baseline: BaselineJson {
            feasible: baseline.feasible,
            violations: baseline.violations.len(),
            violation_examples: examples(problem, &baseline_plan, &baseline.violations),
            cost: baseline.cost.total.euros(),
            cost_breakdown: baseline.cost,
        },
        baseline_kpis: outcome.baseline_kpis.clone(),
        recommended,
        plans: outcome.plans.clone(),
        report: None,
        schedule_out: None,
        external_policy: request.external.map(|e| ExternalPolicyJson {
            command: e.command().to_string(),
            calls: e.calls(),
        }),
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

/// The registration of a problem aircraft: `N554JB/2` (the rest of a tail's day after a gap, a separate
/// aircraft of the problem) is N554JB.
fn registration(problem: &RecoveryProblem, a: ucodts_model::recovery::AircraftIdx) -> String {
    let id = &problem.tail(a).id;
    id.split('/').next().unwrap_or(id).to_string()
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
