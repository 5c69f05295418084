//! The Tianchi 2017 benchmark (`ucodts bench tianchi2017`): the Xiamen Airlines typhoon challenge of either
//! season solved by `ucodts_optimizer::tianchi` under a time limit, the plan checked and scored by
//! `ucodts_model::tianchi2017::evaluate`, written in the contest's solution format and compared with the
//! best public score (the card, `../shared/benchmarks/tianchi2017/README-card.md` §8: scores in the file
//! names of the HKU team's result files, no official leaderboard).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde::Serialize;
use ucodts_datasets::tianchi2017;
use ucodts_model::tianchi2017::{
    evaluate, ActionCounts, CostBreakdown, Season, TyphoonEvaluation, TyphoonPlan, Violation,
};
use ucodts_optimizer::tianchi::{recover, TyphoonOptions};
use ucodts_optimizer::{Clock, WallClock};

use crate::bail;
use crate::error::{Context, Result};
use crate::progress::Progress;

/// Best public scores (card §8): season 2 `linearsolutionwithpassenger_..._584161.3_530.csv`, season 1
/// `pony_599401.874_1440.csv`, both zdpony/airline_rp.
pub const PUBLIC_BEST_SEASON_1: f64 = 599_401.874;
pub const PUBLIC_BEST_SEASON_2: f64 = 584_161.3;

/// What `bench tianchi2017` is asked for.
#[derive(Debug, Clone)]
pub struct TianchiBenchRequest {
    /// The folder with the `s1_*.csv` and `s2_*.csv` sheets.
    pub data_dir: PathBuf,
    /// 1 or 2.
    pub season: u8,
    pub time_limit_seconds: f64,
    pub seed: u64,
    /// Where to write the solution (`OUT/s{season}_solution.csv`).
    pub out: Option<PathBuf>,
}

/// Violations of one rule.
#[derive(Debug, Clone, Serialize)]
pub struct RuleCount {
    pub rule: &'static str,
    pub count: usize,
}

/// A plan's verdict in short: feasibility, score, violations by rule.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    pub feasible: bool,
    pub score: f64,
    pub violation_count: usize,
    pub violations: Vec<RuleCount>,
}

impl Verdict {
    fn of(e: &TyphoonEvaluation) -> Verdict {
        Verdict {
            feasible: e.feasible,
            score: e.score,
            violation_count: e.violations.len(),
            violations: counts(e),
        }
    }
}

fn counts(e: &TyphoonEvaluation) -> Vec<RuleCount> {
    e.counts()
        .into_iter()
        .map(|(rule, count)| RuleCount {
            rule: rule.name(),
            count,
        })
        .collect()
}

/// The result, as printed with `--json`.
#[derive(Debug, Clone, Serialize)]
pub struct TianchiBenchReport {
    pub benchmark: &'static str,
    pub season: u8,
    pub time_limit_s: f64,
    pub seed: u64,
    pub flights: usize,
    pub aircraft: usize,
    pub feasible: bool,
    /// The contest's score: costs + 5·10⁷ if infeasible + 10 per violation.
    pub score: f64,
    /// Violations by rule (empty when feasible).
    pub violations: Vec<RuleCount>,
    pub violation_count: usize,
    /// The first few violations in full.
    pub violation_examples: Vec<Violation>,
    /// Each cost term, weighted.
    pub cost: CostBreakdown,
    pub cost_total: f64,
    pub actions: ActionCounts,
    pub public_best: f64,
    /// (score - public best) / public best, in percent.
    pub gap_percent: f64,
    pub seconds_to_first_feasible: Option<f64>,
    pub seconds_to_best: f64,
    pub seconds_total: f64,
    pub seconds_to_load: f64,
    pub search_steps: u64,
    pub search_steps_kept: u64,
    /// The original schedule flown through the typhoon, for comparison.
    pub original_plan: Verdict,
    pub solution_file: Option<PathBuf>,
}

/// Loads the season, repairs the plan under the time limit, checks, scores and writes it.
pub fn bench(args: &TianchiBenchRequest, progress: &dyn Progress) -> Result<TianchiBenchReport> {
    crate::recovery::check_time_limit(args.time_limit_seconds)?;
    let season = match args.season {
        1 => Season::One,
        2 => Season::Two,
        other => bail!("--season must be 1 or 2, not {other}"),
    };
    if !args.data_dir.is_dir() {
        bail!(
            "the Tianchi 2017 data folder {} does not exist (it holds s1_*.csv and s2_*.csv; \
             by default ../shared/benchmarks/tianchi2017 from the repository root, or give --data-dir)",
            args.data_dir.display()
        );
    }
    progress.stage("tianchi2017", Some(1));
    let started = Instant::now();
    let problem = tianchi2017::load(&args.data_dir, season).with_context(|| {
        format!(
            "loading Tianchi 2017 season {} from {}",
            args.season,
            args.data_dir.display()
        )
    })?;
    let seconds_to_load = started.elapsed().as_secs_f64();
    let original = evaluate(&problem, &TyphoonPlan::original(&problem));
    let clock = WallClock::start();
    let options = TyphoonOptions {
        time_limit: Duration::from_secs_f64(args.time_limit_seconds),
        seed: args.seed,
    };
    let recovery = recover(&problem, &options, &clock);
    let seconds_total = clock.elapsed().as_secs_f64();
    let solution_file = match &args.out {
        Some(out) => {
            let file = out.join(tianchi2017::solution_file_name(season));
            tianchi2017::write_solution(&recovery.plan, season, &file)
                .with_context(|| format!("writing the solution to {}", file.display()))?;
            Some(file)
        }
        None => None,
    };
    progress.step();
    progress.done();
    let e = &recovery.evaluation;
    let public_best = match season {
        Season::One => PUBLIC_BEST_SEASON_1,
        Season::Two => PUBLIC_BEST_SEASON_2,
    };
    Ok(TianchiBenchReport {
        benchmark: "tianchi2017",
        season: args.season,
        time_limit_s: args.time_limit_seconds,
        seed: args.seed,
        flights: problem.flights.len(),
        aircraft: problem.aircraft.len(),
        feasible: e.feasible,
        score: e.score,
        violations: counts(e),
        violation_count: e.violations.len(),
        violation_examples: e.violations.iter().take(20).cloned().collect(),
        cost_total: e.cost.total(),
        cost: e.cost.clone(),
        actions: e.actions.clone(),
        public_best,
        gap_percent: (e.score - public_best) / public_best * 100.0,
        seconds_to_first_feasible: recovery.seconds_to_first_feasible,
        seconds_to_best: recovery.seconds_to_best,
        seconds_total,
        seconds_to_load,
        search_steps: recovery.steps,
        search_steps_kept: recovery.steps_kept,
        original_plan: Verdict::of(&original),
        solution_file,
    })
}
