//! `ucodts bench roadef2009`: the recovery policies on the ROADEF/EURO Challenge 2009 instances, each
//! solution written in the challenge's format, checked by our checker and compared with the published best.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use serde::Serialize;
use ucodts_datasets::roadef2009;
use ucodts_optimizer::{policies, recover, Budget, Clock, WallClock};

use crate::progress;

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

#[derive(clap::Args)]
pub struct Roadef2009Args {
    /// The folder holding one folder per instance (A01, ..., B10).
    #[arg(long, default_value = "../shared/benchmarks/roadef2009/instances")]
    instances_dir: PathBuf,
    /// Instances to solve, comma separated (`A01,A02`); by default every instance folder found.
    #[arg(long, value_delimiter = ',')]
    instances: Vec<String>,
    /// Wall-clock seconds per instance (the challenge allowed 600).
    #[arg(long, default_value_t = 60.0)]
    time_limit: f64,
    /// Threads per instance (the challenge allowed one).
    #[arg(long, default_value_t = 1)]
    threads: usize,
    /// The policy: constructive, milp, lns, or best (the strongest available).
    #[arg(long, default_value = "best")]
    policy: String,
    /// Where to write each solution, as OUT/<instance>/sol_rotations.csv and sol_itineraries.csv.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
}

/// One instance's result, as printed with `--json`.
#[derive(Serialize)]
struct InstanceResult {
    instance: String,
    policy: &'static str,
    time_limit_s: f64,
    threads: usize,
    flights: usize,
    feasible: bool,
    violations: usize,
    /// Total cost by our checker, in euros.
    cost: f64,
    published_best: Option<f64>,
    /// (cost - published best) / published best, in percent.
    gap_percent: Option<f64>,
    /// The cost without the swapped-aircraft operating cost term, which the organisers added to the cost
    /// checker on 24 October 2008, after the set-A qualification phase (submissions 28 July 2008, results
    /// 15 September 2008): the published set-A costs were computed without it, so this is the like-for-like
    /// number to compare with them.
    cost_2008_rules: f64,
    /// (cost_2008_rules - published best) / published best, in percent.
    gap_percent_2008_rules: Option<f64>,
    seconds_to_first_feasible: Option<f64>,
    seconds_to_best: Option<f64>,
    seconds_total: f64,
    seconds_to_load: f64,
    /// Plans the policy offered to the checker.
    plans_checked: usize,
    solution_dir: Option<PathBuf>,
}

#[derive(Serialize)]
struct BenchReport {
    policy: String,
    time_limit_s: f64,
    threads: usize,
    instances: Vec<InstanceResult>,
}

pub fn bench(args: &Roadef2009Args) -> Result<()> {
    if !(args.time_limit > 0.0 && args.time_limit.is_finite()) {
        bail!(
            "--time-limit must be a positive number of seconds, not {}",
            args.time_limit
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
        time_limit: Duration::from_secs_f64(args.time_limit),
        threads,
        plans: 1,
    };
    let bar = progress::bar(instances.len() as u64, "roadef2009");
    let mut results = Vec::new();
    for name in &instances {
        bar.set_message(format!("{name}: loading"));
        let dir = args.instances_dir.join(name);
        let started = Instant::now();
        let problem = roadef2009::load(&dir)
            .with_context(|| format!("loading instance {name} from {}", dir.display()))?;
        let seconds_to_load = started.elapsed().as_secs_f64();
        bar.set_message(format!("{name}: {}", policy.name()));
        let clock = WallClock::start();
        let recovery = recover(
            policy.as_ref(),
            &problem,
            &budget,
            &clock,
            &mut |incumbent| {
                bar.set_message(format!(
                    "{name}: {} {} after {:.1} s",
                    incumbent.policy,
                    incumbent.cost,
                    incumbent.found_after.as_secs_f64()
                ));
            },
        )
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
            time_limit_s: args.time_limit,
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
        bar.inc(1);
    }
    bar.finish_and_clear();
    let report = BenchReport {
        policy: args.policy.clone(),
        time_limit_s: args.time_limit,
        threads: args.threads,
        instances: results,
    };
    if args.json {
        // A list with one object per instance, each carrying the run's settings.
        println!("{}", serde_json::to_string_pretty(&report.instances)?);
    } else {
        print_table(&report);
    }
    Ok(())
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

fn print_table(report: &BenchReport) {
    println!(
        "ROADEF 2009, policy {}, {} s and {} thread(s) per instance; published best = best of the top four \
         qualified teams on set A",
        report.policy, report.time_limit_s, report.threads
    );
    println!(
        "  {:<8} {:>7} {:>9} {:>15} {:>15} {:>9} {:>15} {:>9} {:>12} {:>9}",
        "instance",
        "flights",
        "feasible",
        "cost",
        "published best",
        "gap %",
        "2008-rules cost",
        "gap %",
        "1st feasible",
        "best"
    );
    let secs = |s: Option<f64>| s.map_or("-".to_string(), |s| format!("{s:.2} s"));
    for r in &report.instances {
        let feasible = if r.feasible {
            "yes".to_string()
        } else {
            format!("no ({})", r.violations)
        };
        println!(
            "  {:<8} {:>7} {:>9} {:>15.2} {:>15} {:>9} {:>15.2} {:>9} {:>12} {:>9}",
            r.instance,
            r.flights,
            feasible,
            r.cost,
            r.published_best
                .map_or("-".to_string(), |p| format!("{p:.2}")),
            r.gap_percent
                .map_or("-".to_string(), |g| format!("{g:+.1}")),
            r.cost_2008_rules,
            r.gap_percent_2008_rules
                .map_or("-".to_string(), |g| format!("{g:+.1}")),
            secs(r.seconds_to_first_feasible),
            secs(r.seconds_to_best),
        );
    }
    let gaps: Vec<f64> = report
        .instances
        .iter()
        .filter(|r| r.feasible)
        .filter_map(|r| r.gap_percent)
        .collect();
    let gaps_2008: Vec<f64> = report
        .instances
        .iter()
        .filter(|r| r.feasible)
        .filter_map(|r| r.gap_percent_2008_rules)
        .collect();
    if !gaps.is_empty() {
        println!(
            "  mean gap to the published best over {} set-A instance(s): {:+.1} % ({:+.1} % by the 2008 rules, \
             without the swapped-aircraft term the published costs did not have)",
            gaps.len(),
            gaps.iter().sum::<f64>() / gaps.len() as f64,
            gaps_2008.iter().sum::<f64>() / gaps_2008.len() as f64
        );
    }
}
