//! The ROADEF 2009 benchmark (`ucodts bench roadef2009`): the recovery policies on the ROADEF/EURO Challenge 2009 instances, each
//! solution written in the challenge's format, checked by our checker and compared with the published best.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::bail;
use crate::error::{Context, Result};
use crate::policy_cmd::{self, PolicyCommand};
use serde::Serialize;
use ucodts_datasets::roadef2009;
use ucodts_model::recovery::{evaluate, evaluate_with, CostRules, RecoveryPlan, RecoveryProblem};
use ucodts_optimizer::{policies, recover, Budget, Clock, WallClock};

use crate::progress::Progress;

/// Best costs among the top four qualified teams on set A, from the challenge's qualification results as
/// quoted in `../shared/benchmarks/roadef2009/README.md` ("Published results to measure against"); no
/// per-instance table for set B was published with the data.
const PUBLISHED_BEST_SET_A: &[(&str, f64)] = &[
    ("A01", 28_155.60),
    ("A02", 116_431.70),
    ("A03", 131_694.60),
    ("A04", 108_081.90),
    ("A05", 3_717_376.35),
    ("A06", 44_305.05),
    ("A07", 202_247.75),
    ("A08", 329_521.85),
    ("A09", 187_144.40),
    ("A10", 7_210_166.90),
];

fn published_best(instance: &str) -> Option<f64> {
    PUBLISHED_BEST_SET_A
        .iter()
        .find(|(name, _)| *name == instance)
        .map(|(_, cost)| *cost)
}

/// What `bench roadef2009` is asked for.
#[derive(Debug, Clone)]
pub struct RoadefBenchRequest {
    /// The folder holding one folder per instance (A01, ..., B10).
    pub instances_dir: PathBuf,
    /// Instances to solve; empty: every instance folder found.
    pub instances: Vec<String>,
    /// Wall-clock seconds per instance (the challenge allowed 600).
    pub time_limit_seconds: f64,
    /// Threads per instance (the challenge allowed one).
    pub threads: usize,
    /// The policy: constructive, milp, lns, or best (the strongest available).
    pub policy: String,
    /// Where to write each solution, as OUT/<instance>/sol_rotations.csv and sol_itineraries.csv.
    pub out: Option<PathBuf>,
    /// An external policy (`"CMD ARGS"`) to run instead of `policy`, by the challenge's protocol: it gets
    /// the instance folder, an output folder and the time limit in seconds, and writes the two solution
    /// files there.
    pub policy_cmd: Option<String>,
    /// What the policies minimise: the official checker's cost, or the cost a real airline would accept
    /// (no round-trip shortcut, no swapped-aircraft term; [`CostRules::HONEST`]). Every reading is reported
    /// either way.
    pub objective: Objective,
}

/// What the built-in policies minimise (`--objective`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Objective {
    /// The official checker's cost (the challenge's rules).
    #[default]
    Official,
    /// [`CostRules::HONEST`]: a round-trip passenger is taken to every booked stop or the trip is
    /// cancelled, and the swapped-aircraft term is left out; the policies and the rebooking keep to it.
    Honest,
}

impl Objective {
    /// Its name on the command line and in requests.
    pub fn name(self) -> &'static str {
        match self {
            Objective::Official => "official",
            Objective::Honest => "honest",
        }
    }

    /// The objective called `name`, if there is one.
    pub fn from_name(name: &str) -> Option<Objective> {
        [Objective::Official, Objective::Honest]
            .into_iter()
            .find(|o| o.name() == name)
    }
}

/// One solution's cost under four readings of the rules, in euros (see `docs/benchmarks.md`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct HonestCosts {
    /// The official cost checker's total.
    pub cost: f64,
    /// `cost` without the swapped-aircraft operating-cost term, which the organisers added to the checker
    /// after the 2008 qualification round that produced the published set-A costs.
    pub cost_2008_rules: f64,
    /// `cost` with every passenger of a round-trip itinerary (origin = final destination) who is flown
    /// home without reaching each intermediate destination of the booking counted as a cancelled trip
    /// (ticket refund, compensation, cancellation cost) instead of arrived.
    pub cost_without_round_trip_shortcut: f64,
    /// Neither quirk: `cost_without_round_trip_shortcut` without the swapped-aircraft term.
    pub cost_without_quirks: f64,
}

/// Scores one solution under the four readings. A pure function of the instance and the plan.
pub fn honest_costs(problem: &RecoveryProblem, plan: &RecoveryPlan) -> HonestCosts {
    let official = evaluate_with(problem, plan, CostRules::OFFICIAL).cost;
    let strict = evaluate_with(
        problem,
        plan,
        CostRules {
            round_trip_shortcut: false,
            ..CostRules::OFFICIAL
        },
    )
    .cost;
    debug_assert_eq!(
        evaluate_with(problem, plan, CostRules::HONEST)
            .cost
            .total
            .euros(),
        strict.total.euros() - official.swapped_aircraft_cost.euros()
    );
    // The swapped-aircraft term does not depend on the passengers, so one value serves both totals.
    let swaps = official.swapped_aircraft_cost.euros();
    HonestCosts {
        cost: official.total.euros(),
        cost_2008_rules: official.total.euros() - swaps,
        cost_without_round_trip_shortcut: strict.total.euros(),
        cost_without_quirks: strict.total.euros() - swaps,
    }
}

/// One instance's result, as printed with `--json`.
#[derive(Debug, Clone, Serialize)]
pub struct InstanceResult {
    pub instance: String,
    pub policy: &'static str,
    /// What the policy minimised: `official` or `honest` (`--objective`; an external policy minimises
    /// whatever it minimises, and is labelled with the run's setting).
    pub objective: Objective,
    pub time_limit_s: f64,
    pub threads: usize,
    pub flights: usize,
    pub feasible: bool,
    pub violations: usize,
    /// Total cost by our checker, in euros (none when an external policy gave no readable solution).
    pub cost: Option<f64>,
    pub published_best: Option<f64>,
    /// (cost - published best) / published best, in percent.
    pub gap_percent: Option<f64>,
    /// The cost without the swapped-aircraft operating cost term, which the organisers added to the cost
    /// checker on 24 October 2008, after the set-A qualification phase (submissions 28 July 2008, results
    /// 15 September 2008): the published set-A costs were computed without it, so this is the like-for-like
    /// number to compare with them.
    pub cost_2008_rules: Option<f64>,
    /// (cost_2008_rules - published best) / published best, in percent.
    pub gap_percent_2008_rules: Option<f64>,
    /// The cost with round-trip passengers flown home without reaching a booked stop counted as cancelled
    /// trips (see [`HonestCosts::cost_without_round_trip_shortcut`]).
    pub cost_without_round_trip_shortcut: Option<f64>,
    pub gap_percent_without_round_trip_shortcut: Option<f64>,
    /// Neither the shortcut nor the swapped-aircraft term (see [`HonestCosts::cost_without_quirks`]).
    pub cost_without_quirks: Option<f64>,
    pub gap_percent_without_quirks: Option<f64>,
    /// Why an external policy gave nothing to judge (crash, overrun, unreadable files); null otherwise.
    pub policy_error: Option<String>,
    /// An external policy's own wall-clock time, start-up included.
    pub policy_seconds: Option<f64>,
    /// What the bench added to an external policy's call: starting it, noticing its exit, reading,
    /// checking and scoring its files, in milliseconds.
    pub overhead_ms: Option<f64>,
    pub seconds_to_first_feasible: Option<f64>,
    pub seconds_to_best: Option<f64>,
    pub seconds_total: f64,
    pub seconds_to_load: f64,
    /// Plans the policy offered to the checker.
    pub plans_checked: usize,
    pub solution_dir: Option<PathBuf>,
}

/// The run's settings and one result per instance.
#[derive(Debug, Clone, Serialize)]
pub struct BenchReport {
    pub policy: String,
    /// What the built-in policies minimised (`official` or `honest`).
    pub objective: Objective,
    /// The external policy's command line, if one was run.
    pub policy_cmd: Option<String>,
    pub time_limit_s: f64,
    pub threads: usize,
    pub instances: Vec<InstanceResult>,
}

/// Solves each instance with the policy under the budget, checks and costs the best plan, writes it on
/// request, and compares it with the published best.
pub fn bench(args: &RoadefBenchRequest, progress: &dyn Progress) -> Result<BenchReport> {
    crate::recovery::check_time_limit(args.time_limit_seconds)?;
    let threads =
        std::num::NonZeroUsize::new(args.threads).context("--threads must be at least 1")?;
    let external = args
        .policy_cmd
        .as_deref()
        .map(PolicyCommand::parse)
        .transpose()?;
    let policy = match external {
        Some(_) => None,
        None => Some(policies::by_name(&args.policy)?),
    };
    let instances = if args.instances.is_empty() {
        list_instances(&args.instances_dir)?
    } else {
        args.instances.clone()
    };
    for name in &instances {
        // A path here would make --out OUT/<instance> point anywhere, into the instance itself included.
        let plain = !name.is_empty()
            && name != "."
            && name != ".."
            && !name.contains(['/', '\\'])
            && !name.contains(std::path::MAIN_SEPARATOR);
        if !plain {
            bail!(
                "--instances: {name:?} is not an instance name: give folder names inside \
                 --instances-dir (A01, B03, ...), or point --instances-dir at another folder"
            );
        }
    }
    let budget = Budget {
        time_limit: Duration::from_secs_f64(args.time_limit_seconds),
        threads,
        plans: 1,
    };
    // Without --out an external policy still needs a folder to write in.
    let scratch = match (&external, &args.out) {
        (Some(_), None) => {
            Some(tempfile_dir().context("making a folder for the external policy's solutions")?)
        }
        _ => None,
    };
    progress.stage("roadef2009", Some(instances.len() as u64));
    let mut results = Vec::new();
    for name in &instances {
        let dir = args.instances_dir.join(name);
        let started = Instant::now();
        let problem = roadef2009::load(&dir)
            .with_context(|| format!("loading instance {name} from {}", dir.display()))?;
        let problem = match args.objective {
            Objective::Official => problem,
            Objective::Honest => problem.with_cost_rules(CostRules::HONEST),
        };
        let seconds_to_load = started.elapsed().as_secs_f64();
        let mut result = InstanceResult {
            instance: name.clone(),
            policy: "external",
            objective: args.objective,
            time_limit_s: args.time_limit_seconds,
            threads: args.threads,
            flights: problem.flights.len(),
            feasible: false,
            violations: 0,
            cost: None,
            published_best: published_best(name),
            gap_percent: None,
            cost_2008_rules: None,
            gap_percent_2008_rules: None,
            cost_without_round_trip_shortcut: None,
            gap_percent_without_round_trip_shortcut: None,
            cost_without_quirks: None,
            gap_percent_without_quirks: None,
            policy_error: None,
            policy_seconds: None,
            overhead_ms: None,
            seconds_to_first_feasible: None,
            seconds_to_best: None,
            seconds_total: 0.0,
            seconds_to_load,
            plans_checked: 0,
            solution_dir: None,
        };
        let scored = match (&external, &policy) {
            (Some(command), _) => {
                let out_root = args.out.as_deref().or(scratch.as_ref().map(|d| d.path()));
                let out_dir = out_root
                    .expect("a scratch folder exists without --out")
                    .join(name);
                let call = run_external(command, &problem, &dir, &out_dir, args.time_limit_seconds);
                result.seconds_total = call.seconds_total;
                result.policy_seconds = call.policy_seconds;
                result.overhead_ms = call.overhead_ms;
                if args.out.is_some() {
                    result.solution_dir = Some(out_dir);
                }
                match call.outcome {
                    Ok((plan, evaluation)) => {
                        result.plans_checked = 1;
                        if evaluation.feasible {
                            result.seconds_to_first_feasible = call.policy_seconds;
                            result.seconds_to_best = call.policy_seconds;
                        }
                        Some((plan, evaluation))
                    }
                    Err(why) => {
                        result.policy_error = Some(why);
                        None
                    }
                }
            }
            (None, Some(policy)) => {
                let clock = WallClock::start();
                let recovery = recover(policy.as_ref(), &problem, &budget, &clock, &mut |_| {})
                    .with_context(|| format!("solving instance {name}"))?;
                result.seconds_total = clock.elapsed().as_secs_f64();
                let best = recovery.best().with_context(|| {
                    format!("the {} policy offered no plan for {name}", policy.name())
                })?;
                if let Some(out) = &args.out {
                    let dir = out.join(name);
                    roadef2009::write_solution(&problem, best.plan(), &dir).with_context(|| {
                        format!("writing the solution of {name} to {}", dir.display())
                    })?;
                    result.solution_dir = Some(dir);
                }
                result.policy = best.policy();
                result.seconds_to_first_feasible =
                    recovery.first_feasible_after.map(|d| d.as_secs_f64());
                result.seconds_to_best = recovery.best_after.map(|d| d.as_secs_f64());
                result.plans_checked = recovery.offers;
                Some((best.plan().clone(), best.evaluation().clone()))
            }
            (None, None) => unreachable!("either an external command or a built-in policy"),
        };
        if let Some((plan, evaluation)) = scored {
            let costs = honest_costs(&problem, &plan);
            let gap = |c: f64| result.published_best.map(|p| (c - p) / p * 100.0);
            result.feasible = evaluation.feasible;
            result.violations = evaluation.violations.len();
            result.cost = Some(costs.cost);
            result.gap_percent = gap(costs.cost);
            result.cost_2008_rules = Some(costs.cost_2008_rules);
            result.gap_percent_2008_rules = gap(costs.cost_2008_rules);
            result.cost_without_round_trip_shortcut = Some(costs.cost_without_round_trip_shortcut);
            result.gap_percent_without_round_trip_shortcut =
                gap(costs.cost_without_round_trip_shortcut);
            result.cost_without_quirks = Some(costs.cost_without_quirks);
            result.gap_percent_without_quirks = gap(costs.cost_without_quirks);
        }
        results.push(result);
        progress.step();
    }
    progress.done();
    Ok(BenchReport {
        policy: match &external {
            Some(_) => "external".to_string(),
            None => args.policy.clone(),
        },
        objective: args.objective,
        policy_cmd: external.map(|c| c.to_string()),
        time_limit_s: args.time_limit_seconds,
        threads: args.threads,
        instances: results,
    })
}

/// One call of an external policy: the solution it wrote, checked, or why there is none.
struct ExternalCall {
    outcome: std::result::Result<(RecoveryPlan, ucodts_model::recovery::Evaluation), String>,
    seconds_total: f64,
    policy_seconds: Option<f64>,
    overhead_ms: Option<f64>,
}

/// Runs the command as `CMD ARGS INSTANCE_DIR OUT_DIR TIME_LIMIT_S` after clearing any solution files a
/// previous run left in `out_dir`, then reads and checks what it wrote. Never fails the bench: every
/// problem becomes the call's reason.
fn run_external(
    command: &PolicyCommand,
    problem: &RecoveryProblem,
    instance_dir: &Path,
    out_dir: &Path,
    time_limit_seconds: f64,
) -> ExternalCall {
    let started = Instant::now();
    let fail = |why: String, policy_seconds: Option<f64>| ExternalCall {
        outcome: Err(why),
        seconds_total: started.elapsed().as_secs_f64(),
        policy_seconds,
        overhead_ms: None,
    };
    if let Err(e) = std::fs::create_dir_all(out_dir) {
        return fail(format!("cannot make {}: {e}", out_dir.display()), None);
    }
    for file in [roadef2009::ROTATIONS_FILE, roadef2009::ITINERARIES_FILE] {
        let stale = out_dir.join(file);
        if stale.exists() {
            if let Err(e) = std::fs::remove_file(&stale) {
                return fail(format!("cannot remove {}: {e}", stale.display()), None);
            }
        }
    }
    let protocol_args: Vec<OsString> = vec![
        instance_dir.as_os_str().to_owned(),
        out_dir.as_os_str().to_owned(),
        OsString::from(format!("{time_limit_seconds}")),
    ];
    let run = match policy_cmd::run(
        command,
        &protocol_args,
        Duration::from_secs_f64(time_limit_seconds),
        policy_cmd::GRACE,
        out_dir,
    ) {
        Ok(run) => run,
        Err(failure) => return fail(failure.to_string(), None),
    };
    let policy_seconds = Some(run.policy_time.as_secs_f64());
    let judged = Instant::now();
    let plan = match roadef2009::read_solution(problem, out_dir) {
        Ok(plan) => plan,
        Err(e) => return fail(format!("unreadable solution: {e}"), policy_seconds),
    };
    let evaluation = evaluate(problem, &plan);
    let overhead = run.harness_time + judged.elapsed();
    ExternalCall {
        outcome: Ok((plan, evaluation)),
        seconds_total: started.elapsed().as_secs_f64(),
        policy_seconds,
        overhead_ms: Some(overhead.as_secs_f64() * 1000.0),
    }
}

/// A temporary folder that is removed when dropped.
fn tempfile_dir() -> std::io::Result<TempDir> {
    let base = std::env::temp_dir();
    for attempt in 0..100u32 {
        let path = base.join(format!("ucodts-policy-{}-{attempt}", std::process::id()));
        match std::fs::create_dir(&path) {
            Ok(()) => return Ok(TempDir(path)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("no free temporary folder name"))
}

struct TempDir(PathBuf);

impl TempDir {
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Instance folders (those holding a `flights.csv`), sorted by name.
fn list_instances(dir: &Path) -> Result<Vec<String>> {
    let mut names = Vec::new();
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("listing the instances in {}", dir.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("listing the instances in {}", dir.display()))?;
        if entry.path().join("flights.csv").is_file() {
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    names.sort();
    if names.is_empty() {
        bail!(
            "no instance folders (with a flights.csv) in {}",
            dir.display()
        );
    }
    Ok(names)
}
