//! The ROADEF 2009 benchmark (`ucodts bench roadef2009`): the recovery policies on the ROADEF/EURO Challenge 2009 instances, each
//! solution written in the challenge's format, checked by our checker and compared with the published best.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::bail;
use crate::error::{Context, Result};
use serde::Serialize;
use ucodts_datasets::roadef2009;
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
}

/// One instance's result, as printed with `--json`.
#[derive(Debug, Clone, Serialize)]
pub struct InstanceResult {
    pub instance: String,
    pub policy: &'static str,
    pub time_limit_s: f64,
    pub threads: usize,
    pub flights: usize,
    pub feasible: bool,
    pub violations: usize,
    /// Total cost by our checker, in euros.
    pub cost: f64,
    pub published_best: Option<f64>,
    /// (cost - published best) / published best, in percent.
    pub gap_percent: Option<f64>,
    /// The cost without the swapped-aircraft operating cost term, which the organisers added to the cost
    /// checker on 24 October 2008, after the set-A qualification phase (submissions 28 July 2008, results
    /// 15 September 2008): the published set-A costs were computed without it, so this is the like-for-like
    /// number to compare with them.
    pub cost_2008_rules: f64,
    /// (cost_2008_rules - published best) / published best, in percent.
    pub gap_percent_2008_rules: Option<f64>,
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
    pub time_limit_s: f64,
    pub threads: usize,
    pub instances: Vec<InstanceResult>,
}

/// Solves each instance with the policy under the budget, checks and costs the best plan, writes it on
/// request, and compares it with the published best.
pub fn bench(args: &RoadefBenchRequest, progress: &dyn Progress) -> Result<BenchReport> {
    if !(args.time_limit_seconds > 0.0
        && args.time_limit_seconds <= crate::recovery::MAX_TIME_LIMIT_SECONDS)
    {
        bail!(
            "--time-limit must be a positive number of seconds up to {} (a week), not {}",
            crate::recovery::MAX_TIME_LIMIT_SECONDS,
            args.time_limit_seconds
        );
    }
    let threads =
        std::num::NonZeroUsize::new(args.threads).context("--threads must be at least 1")?;
    let policy = policies::by_name(&args.policy)?;
    let instances = if args.instances.is_empty() {
        list_instances(&args.instances_dir)?
    } else {
        args.instances.clone()
    };
    let budget = Budget {
        time_limit: Duration::from_secs_f64(args.time_limit_seconds),
        threads,
        plans: 1,
    };
    progress.stage("roadef2009", Some(instances.len() as u64));
    let mut results = Vec::new();
    for name in &instances {
        let dir = args.instances_dir.join(name);
        let started = Instant::now();
        let problem = roadef2009::load(&dir)
            .with_context(|| format!("loading instance {name} from {}", dir.display()))?;
        let seconds_to_load = started.elapsed().as_secs_f64();
        let clock = WallClock::start();
        let recovery = recover(policy.as_ref(), &problem, &budget, &clock, &mut |_| {})
            .with_context(|| format!("solving instance {name}"))?;
        let seconds_total = clock.elapsed().as_secs_f64();
        let best = recovery
            .best()
            .with_context(|| format!("the {} policy offered no plan for {name}", policy.name()))?;
        let solution_dir = match &args.out {
            Some(out) => {
                let dir = out.join(name);
                roadef2009::write_solution(&problem, best.plan(), &dir).with_context(|| {
                    format!("writing the solution of {name} to {}", dir.display())
                })?;
                Some(dir)
            }
            None => None,
        };
        let cost = best.cost().euros();
        let cost_2008_rules = cost - best.evaluation().cost.swapped_aircraft_cost.euros();
        let published = published_best(name);
        results.push(InstanceResult {
            instance: name.clone(),
            policy: best.policy(),
            time_limit_s: args.time_limit_seconds,
            threads: args.threads,
            flights: problem.flights.len(),
            feasible: best.feasible(),
            violations: best.evaluation().violations.len(),
            cost,
            published_best: published,
            gap_percent: published.map(|p| (cost - p) / p * 100.0),
            cost_2008_rules,
            gap_percent_2008_rules: published.map(|p| (cost_2008_rules - p) / p * 100.0),
            seconds_to_first_feasible: recovery.first_feasible_after.map(|d| d.as_secs_f64()),
            seconds_to_best: recovery.best_after.map(|d| d.as_secs_f64()),
            seconds_total,
            seconds_to_load,
            plans_checked: recovery.offers,
            solution_dir,
        });
        progress.step();
    }
    progress.done();
    Ok(BenchReport {
        policy: args.policy.clone(),
        time_limit_s: args.time_limit_seconds,
        threads: args.threads,
        instances: results,
    })
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
