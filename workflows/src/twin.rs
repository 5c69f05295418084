//! `ucodts simulate`, `ucodts fit` and `ucodts validate`: the twin from the command line.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ucodts_actors::delay_model::FittedOn;
use ucodts_actors::kpi::MISCONNECTS_NOTE;
use ucodts_actors::world::service_date;
use ucodts_actors::{
    fit_excluding, validate_shard as validate_days, validation_report, DataSetIdentity, DelayModel,
    Kpis, Twin, ValidationBasis, ValidationCounts, ValidationReport, Window, World, WorldOptions,
    KPI_NAMES, VALIDATION_METRICS,
};
use ucodts_datasets::{embedded, native};
use ucodts_model::{Date, LegSource, Schedule};
use ucodts_sim::{MetricReport, MonteCarlo, MonteCarloReport, Shard, Summary};

use crate::error::{Context, Result};
use crate::progress::Progress;
use crate::ReportFiles;

/// The day `simulate` runs on the embedded default without `from`: an ordinary summer Tuesday.
pub const DEFAULT_DAY: &str = "2013-07-02";

/// Which data and which days: shared by simulate, fit and validate.
#[derive(Debug, Clone, Default)]
pub struct DataRequest {
    /// A native data set folder; `None`: the embedded default.
    pub data: Option<PathBuf>,
    /// First operating day (local date of departure), YYYY-MM-DD.
    pub from: Option<String>,
    /// Last operating day, YYYY-MM-DD; `None`: the same as `from`.
    pub to: Option<String>,
}

/// How to run the Monte Carlo study.
#[derive(Debug, Clone, Default)]
pub struct RunRequest {
    /// Replications; `None`: 100 (a scenario's own with `simulate_scenario`).
    pub reps: Option<u64>,
    /// Master seed; `None`: 1 (a scenario's own with `simulate_scenario`).
    pub seed: Option<u64>,
    /// Threads (0: one per core). Does not change any result.
    pub threads: usize,
    /// A delay-model parameter file (from `fit`); `None`: the embedded default's for the embedded data set,
    /// else a model fitted on all recorded days of the data set.
    pub params: Option<PathBuf>,
}

impl RunRequest {
    /// Replications: `reps`, else 100.
    pub fn replications(&self) -> u64 {
        self.reps.unwrap_or(100)
    }
    /// Master seed: `seed`, else 1.
    pub fn master_seed(&self) -> u64 {
        self.seed.unwrap_or(1)
    }
}

/// A loaded data set with its identity.
pub(crate) struct DataSet {
    pub(crate) schedule: Schedule,
    pub(crate) identity: DataSetIdentity,
    pub(crate) embedded: bool,
}

pub(crate) fn load(data: &Option<PathBuf>) -> Result<DataSet> {
    match data {
        Some(dir) => {
            let schedule = crate::data::load(dir)?;
            let manifest = native::read_manifest(dir)
                .with_context(|| format!("reading the manifest of {}", dir.display()))?;
            let identity = DataSetIdentity::of(&schedule, &manifest.name);
            Ok(DataSet {
                schedule,
                identity,
                embedded: false,
            })
        }
        None => {
            let schedule = crate::data::default_with_crew()?;
            let identity = DataSetIdentity::of(&schedule, embedded::NAME);
            Ok(DataSet {
                schedule,
                identity,
                embedded: true,
            })
        }
    }
}

pub(crate) fn parse_date(text: &str, flag: &str) -> Result<Date> {
    Date::parse(text).with_context(|| format!("{flag} {text:?}: expected a date as YYYY-MM-DD"))
}

/// The operating days of the recorded legs of a schedule.
fn recorded_days(schedule: &Schedule) -> Option<Window> {
    let dates = schedule
        .legs()
        .iter()
        .filter(|l| l.source == LegSource::Recorded)
        .map(|l| service_date(schedule, l));
    let (mut first, mut last) = (None::<Date>, None::<Date>);
    for d in dates {
        first = Some(first.map_or(d, |f| f.min(d)));
        last = Some(last.map_or(d, |l| l.max(d)));
    }
    Some(Window {
        from: first?,
        to: last?,
    })
}

/// The window from --from/--to, or `default` for what is not given.
fn window(args: &DataRequest, default: Option<Window>) -> Result<Window> {
    let from = match &args.from {
        Some(text) => parse_date(text, "--from")?,
        None => default
            .map(|w| w.from)
            .context("the data set has no recorded legs: give --from")?,
    };
    let to = match (&args.to, &args.from) {
        (Some(text), _) => parse_date(text, "--to")?,
        (None, Some(_)) => from,
        (None, None) => default.map_or(from, |w| w.to),
    };
    Ok(Window::new(from, to)?)
}

/// Where a model came from, for the report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModelSource {
    pub source: String,
    pub data_set: DataSetIdentity,
    pub fitted_on: FittedOn,
}

pub(crate) fn delay_model(
    data: &DataSet,
    params: &Option<PathBuf>,
    progress: &dyn Progress,
) -> Result<(DelayModel, String)> {
    match params {
        Some(path) => Ok((
            DelayModel::read(path, &data.identity)
                .with_context(|| format!("reading the delay model {}", path.display()))?,
            path.display().to_string(),
        )),
        None if data.embedded => {
            let model = DelayModel::embedded_default();
            model
                .expect_data_set(&data.identity, Path::new("<embedded default parameters>"))
                .context("the embedded parameter file does not match the embedded data set")?;
            Ok((model, "embedded default parameters".into()))
        }
        None => {
            let days = recorded_days(&data.schedule).context(
                "the data set has no recorded legs to fit a delay model on: give --params",
            )?;
            progress.note(&format!(
                "no --params: fitting a delay model on every recorded day of the data set ({} .. {})",
                days.from, days.to
            ));
            let model = fit_excluding(&data.schedule, &data.identity.name, days, None)
                .context("fitting a delay model on the data set")?;
            Ok((model, "fitted on all recorded days of the data set".into()))
        }
    }
}

fn study(run: &RunRequest) -> MonteCarlo {
    MonteCarlo::new(run.master_seed(), run.replications()).threads(run.threads)
}

fn build_world(data: &DataSet, window: Window) -> Result<World> {
    build_world_with(data, window, WorldOptions::default())
}

pub(crate) fn build_world_with(
    data: &DataSet,
    window: Window,
    options: WorldOptions,
) -> Result<World> {
    World::new(&data.schedule, window, &[], options).with_context(|| {
        format!(
            "building the world of {} for {} .. {}",
            data.identity.name, window.from, window.to
        )
    })
}

/// What `simulate` reports: the days flown, the model used, the KPIs over the replications.
/// Deserialized without its KPIs: a shard carries the rest (see [`simulate_shard`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SimulateOutput {
    pub data_set: DataSetIdentity,
    pub from: String,
    pub to: String,
    pub legs: usize,
    pub recorded_legs: usize,
    pub aircraft: usize,
    pub crew: usize,
    pub delay_model: ModelSource,
    pub seed: u64,
    pub replications: u64,
    /// Per KPI: mean, 95 % interval of the mean, min, exact quantiles p05/p50/p95, max.
    #[serde(skip_deserializing)]
    pub kpis: Vec<MetricReport>,
    pub crew_fatigue: CrewFatigueKpis,
    #[serde(skip_deserializing, default = "simulate_notes")]
    pub notes: [&'static str; 2],
}

fn simulate_notes() -> [&'static str; 2] {
    [MISCONNECTS_NOTE, FATIGUE_NOTE]
}

/// One shard of a Monte Carlo command's replications: the output without its KPIs (`head`), the data
/// set flown, and each metric's values over the shard's replications in replication order.
#[derive(Debug, Clone)]
pub struct ShardRun<H> {
    pub head: H,
    pub data_set: DataSetIdentity,
    pub metrics: Vec<String>,
    pub summaries: Vec<Summary>,
}

/// Fatigue of the rostered duties that report in the window (Three-Process Model, KSS).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CrewFatigueKpis {
    pub duties: usize,
    /// Duties whose forecast reaches the alert level.
    pub alerts: usize,
    pub alert_kss: f64,
    pub max_peak_kss: Option<f64>,
    pub mean_peak_kss: Option<f64>,
}

const FATIGUE_NOTE: &str = "crew_fatigue is the Three-Process Model forecast of the planned roster's duties reporting in the window (the same for every replication), not of the simulated duty times";

fn crew_fatigue(schedule: &Schedule, window: Window) -> CrewFatigueKpis {
    let forecast = ucodts_model::fatigue::forecast_schedule(schedule);
    let in_window: Vec<&ucodts_model::fatigue::DutyFatigue> = forecast
        .duties
        .iter()
        .filter(|d| {
            schedule.crew_member(&d.crew).is_some_and(|c| {
                let day = c.home_zone.to_local(d.report).date;
                window.from <= day && day <= window.to
            })
        })
        .collect();
    let n = in_window.len();
    CrewFatigueKpis {
        duties: n,
        alerts: in_window.iter().filter(|d| d.is_alert()).count(),
        alert_kss: forecast.alert_kss,
        max_peak_kss: in_window.iter().map(|d| d.peak_kss).max_by(f64::total_cmp),
        mean_peak_kss: (n > 0)
            .then(|| in_window.iter().map(|d| d.peak_kss).sum::<f64>() / n as f64),
    }
}

/// Monte Carlo replications of operating days: `simulate`.
pub fn simulate(
    data_args: &DataRequest,
    run: &RunRequest,
    progress: &dyn Progress,
) -> Result<SimulateOutput> {
    let whole = simulate_shard(data_args, run, Shard::WHOLE, progress)?;
    simulate_output(whole.head, whole.summaries)
}

/// `simulate`'s output from its head and every replication's KPIs in replication order (one shard's or
/// several merged in shard order): the same value, to the last bit, as the run in one piece.
pub fn simulate_output(
    mut head: SimulateOutput,
    summaries: Vec<Summary>,
) -> Result<SimulateOutput> {
    head.kpis = MonteCarloReport::from_summaries(head.seed, &KPI_NAMES, summaries)
        .context("summarising the replications")?
        .metrics;
    Ok(head)
}

/// The replications of one shard of `simulate` (`simulate --shard I/N`): its output without KPIs, and
/// the KPIs of each of the shard's replications.
pub fn simulate_shard(
    data_args: &DataRequest,
    run: &RunRequest,
    shard: Shard,
    progress: &dyn Progress,
) -> Result<ShardRun<SimulateOutput>> {
    let data = load(&data_args.data)?;
    let default = if data.embedded {
        let day = parse_date(DEFAULT_DAY, "the default day")?;
        Some(Window::day(day))
    } else {
        recorded_days(&data.schedule).map(|w| Window::day(w.from))
    };
    let window = window(data_args, default)?;
    let (model, source) = delay_model(&data, &run.params, progress)?;
    simulate_shard_on(&data, window, &model, source, run, shard, progress)
}

/// [`simulate_shard`] on a loaded data set and delay model (`source` says where the model came from).
pub(crate) fn simulate_shard_on(
    data: &DataSet,
    window: Window,
    model: &DelayModel,
    source: String,
    run: &RunRequest,
    shard: Shard,
    progress: &dyn Progress,
) -> Result<ShardRun<SimulateOutput>> {
    let world = build_world(data, window)?;
    let twin = Twin::new(&world, model);
    let slice = shard.replications(run.replications());
    progress.stage("simulating", Some(slice.end - slice.start));
    let summaries = study(run)
        .try_run_shard(shard, KPI_NAMES, |streams| {
            let outcome = twin.replicate(streams)?;
            progress.step();
            Ok::<_, ucodts_actors::ActorsError>(Kpis::of(&world, &outcome).values())
        })
        .context("running the Monte Carlo study")?;
    progress.done();
    let head = SimulateOutput {
        data_set: data.identity.clone(),
        from: window.from.to_string(),
        to: window.to.to_string(),
        legs: world.legs().len(),
        recorded_legs: world
            .legs()
            .iter()
            .filter(|l| l.source == LegSource::Recorded)
            .count(),
        aircraft: world.aircraft().iter().filter(|a| a.tail.is_some()).count(),
        crew: world.crew().len(),
        delay_model: ModelSource {
            source,
            data_set: model.data_set.clone(),
            fitted_on: model.fitted_on.clone(),
        },
        seed: run.master_seed(),
        replications: run.replications(),
        kpis: Vec::new(),
        crew_fatigue: crew_fatigue(&data.schedule, window),
        notes: simulate_notes(),
    };
    Ok(ShardRun {
        head,
        data_set: data.identity.clone(),
        metrics: KPI_NAMES.iter().map(|n| n.to_string()).collect(),
        summaries: summaries.into(),
    })
}

/// What `fit` wrote.
#[derive(Debug, Clone, Serialize)]
pub struct FitOutput {
    pub out: String,
    pub data_set: DataSetIdentity,
    pub fitted_on: FittedOn,
    pub departure_delay_cells: usize,
    pub block_time_cells: usize,
    /// Departures the disruption model (cancellation and delay) was fitted on, and of them cancelled.
    pub disruption_legs: u64,
    pub disruption_cancelled: u64,
}

/// Fits the delay model on the recorded legs of the requested days and writes its parameter file: `fit`.
pub fn fit_model(
    data_args: &DataRequest,
    out: &Path,
    progress: &dyn Progress,
) -> Result<FitOutput> {
    fit_model_excluding(data_args, None, out, progress)
}

/// Parses `A..B` (two dates, first and last day) as a window; `flag` names it in errors.
pub fn parse_range(text: &str, flag: &str) -> Result<Window> {
    let (a, b) = text.split_once("..").with_context(|| {
        format!("{flag} {text:?}: expected two dates as YYYY-MM-DD..YYYY-MM-DD")
    })?;
    let (from, to) = (parse_date(a, flag)?, parse_date(b, flag)?);
    Window::new(from, to)
        .with_context(|| format!("{flag} {text:?}: the last day is before the first"))
}

/// [`fit_model`] leaving out the days `exclude` (`A..B`, e.g. a held-out month): `fit --exclude`.
pub fn fit_model_excluding(
    data_args: &DataRequest,
    exclude: Option<&str>,
    out: &Path,
    progress: &dyn Progress,
) -> Result<FitOutput> {
    let data = load(&data_args.data)?;
    let window = window(data_args, recorded_days(&data.schedule))?;
    let excluded = exclude
        .map(|text| parse_range(text, "--exclude"))
        .transpose()?;
    progress.stage("fitting the delay and disruption models", None);
    let model = fit_excluding(&data.schedule, &data.identity.name, window, excluded)
        .with_context(|| format!("fitting a delay model on {} .. {}", window.from, window.to))?;
    progress.done();
    model
        .write(out)
        .with_context(|| format!("writing the delay model to {}", out.display()))?;
    Ok(FitOutput {
        out: out.display().to_string(),
        data_set: model.data_set.clone(),
        fitted_on: model.fitted_on.clone(),
        departure_delay_cells: model.departure_delay.len(),
        block_time_cells: model.block_time.len(),
        disruption_legs: model.disruption.as_ref().map_or(0, |d| d.legs),
        disruption_cancelled: model.disruption.as_ref().map_or(0, |d| d.cancelled),
    })
}

/// Simulates recorded days blind and compares them with the record: `validate`.
pub fn validate(
    data_args: &DataRequest,
    run: &RunRequest,
    progress: &dyn Progress,
) -> Result<ValidationReport> {
    validate_with(data_args, run, true, progress)
}

/// [`validate`], blind or replayed (`validate --replayed`: the record's cancellations cancelled in the
/// plan).
pub fn validate_with(
    data_args: &DataRequest,
    run: &RunRequest,
    blind: bool,
    progress: &dyn Progress,
) -> Result<ValidationReport> {
    let whole = validate_shard(data_args, run, blind, Shard::WHOLE, progress)?;
    validation_output(&whole.head, whole.summaries)
}

/// A validation's shard head: what it knows without the replications, and its counts over them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ValidationHead {
    pub basis: ValidationBasis,
    /// The shard's own counts (added up over the shards by a merge).
    pub counts: ValidationCounts,
}

/// `validate`'s report from a head holding the counts of all the replications, and each metric's values
/// over them in replication order: the same value, to the last bit, as the run in one piece.
pub fn validation_output(
    head: &ValidationHead,
    summaries: Vec<Summary>,
) -> Result<ValidationReport> {
    validation_report(&head.basis, &head.counts, summaries).context("summarising the validation")
}

/// The replications of one shard of `validate` (`validate --shard I/N`).
pub fn validate_shard(
    data_args: &DataRequest,
    run: &RunRequest,
    blind: bool,
    shard: Shard,
    progress: &dyn Progress,
) -> Result<ShardRun<ValidationHead>> {
    let data = load(&data_args.data)?;
    let window = window(data_args, recorded_days(&data.schedule))?;
    let options = WorldOptions {
        blind,
        ..WorldOptions::default()
    };
    let world = build_world_with(&data, window, options)?;
    let (model, _) = delay_model(&data, &run.params, progress)?;
    let slice = shard.replications(run.replications());
    progress.stage("validating", Some(slice.end - slice.start));
    let part = validate_days(&world, &model, &study(run), shard, &|| progress.step())
        .context("running the validation")?;
    progress.done();
    Ok(ShardRun {
        head: ValidationHead {
            basis: part.basis,
            counts: part.counts,
        },
        data_set: data.identity.clone(),
        metrics: VALIDATION_METRICS.iter().map(|n| n.to_string()).collect(),
        summaries: part.summaries.into(),
    })
}

/// A paired difference (scenario − baseline) over the replications.
#[derive(Debug, Clone, Serialize)]
pub struct Difference {
    pub mean: f64,
    pub ci95: Option<[f64; 2]>,
}

/// One KPI of a scenario run: baseline, scenario, and their paired difference.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioKpi {
    pub name: &'static str,
    pub baseline: f64,
    pub scenario: f64,
    pub difference: Difference,
}

/// What `simulate --scenario` reports. Deserialized without its KPIs and report: a shard carries the
/// rest (see [`simulate_scenario_shard`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScenarioOutput {
    pub scenario: String,
    pub file: String,
    pub from: String,
    pub to: String,
    pub replications: u64,
    pub seed: u64,
    #[serde(skip_deserializing)]
    pub kpis: Vec<ScenarioKpi>,
    #[serde(skip_serializing_if = "Option::is_none", skip_deserializing)]
    pub report: Option<ReportFiles>,
}

/// The metrics of a scenario run, in order: every KPI of the baseline, of the scenario, and their
/// paired difference (`baseline:NAME`, `scenario:NAME`, `difference:NAME`).
fn scenario_metric_names() -> Vec<String> {
    ["baseline", "scenario", "difference"]
        .iter()
        .flat_map(|part| KPI_NAMES.iter().map(move |n| format!("{part}:{n}")))
        .collect()
}

fn scenario_kpis(m: &[MetricReport]) -> Vec<ScenarioKpi> {
    const K: usize = KPI_NAMES.len();
    KPI_NAMES
        .iter()
        .enumerate()
        .map(|(i, &name)| ScenarioKpi {
            name,
            baseline: m[i].mean,
            scenario: m[K + i].mean,
            difference: Difference {
                mean: m[2 * K + i].mean,
                ci95: m[2 * K + i].ci95.map(|c| [c.lower, c.upper]),
            },
        })
        .collect()
}

/// `simulate --scenario`'s output from its head and every replication's metrics in replication order
/// (one shard's or several merged in shard order): the same value, to the last bit, as the run in one
/// piece (without an HTML report).
pub fn scenario_output(
    mut head: ScenarioOutput,
    summaries: Vec<Summary>,
) -> Result<ScenarioOutput> {
    let names = scenario_metric_names();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let report = MonteCarloReport::from_summaries(head.seed, &names, summaries)
        .context("summarising the replications")?;
    head.kpis = scenario_kpis(&report.metrics);
    Ok(head)
}

/// The replications of one shard of `simulate --scenario` (`--shard I/N`): its output without KPIs, and
/// the metrics of each of the shard's replications.
pub fn simulate_scenario_shard(
    scenario: &str,
    data_dir: Option<&Path>,
    run: &RunRequest,
    shard: Shard,
    progress: &dyn Progress,
) -> Result<ShardRun<ScenarioOutput>> {
    scenario_run(scenario, data_dir, run, shard, None, progress)
}

/// `ucodts simulate --scenario FILE_OR_NAME`: the scenario's window undisrupted (baseline) and disrupted,
/// on the same random streams per replication (common random numbers); per KPI, the paired difference
/// (scenario − baseline) with its 95% confidence interval.
pub fn simulate_scenario(
    scenario: &str,
    data_dir: Option<&Path>,
    run: &RunRequest,
    report_path: Option<&Path>,
    progress: &dyn Progress,
) -> Result<ScenarioOutput> {
    Ok(scenario_run(scenario, data_dir, run, Shard::WHOLE, report_path, progress)?.head)
}

/// A scenario run over the replications of `shard`: with the whole study, the output with its KPIs
/// (and the report when asked); with a shard, the output without KPIs (no report).
fn scenario_run(
    scenario: &str,
    data_dir: Option<&Path>,
    run: &RunRequest,
    shard: Shard,
    report_path: Option<&Path>,
    progress: &dyn Progress,
) -> Result<ShardRun<ScenarioOutput>> {
    let (file_name, file, base_dir) = crate::scenario::read(scenario)?;
    let data = load(&crate::scenario::data_dir(&file, &base_dir, data_dir))?;
    let scenario = file.validate(&data.schedule)?;
    let window = Window::new(scenario.from, scenario.to).context("the scenario's window")?;
    let run = &RunRequest {
        reps: run.reps.or(Some(u64::from(scenario.replications))),
        seed: run.seed.or(Some(scenario.seed)),
        threads: run.threads,
        params: run.params.clone(),
    };
    let baseline_world = build_world(&data, window)?;
    let scenario_world = build_world(&data, window)?
        .with_disruptions(&scenario.disruptions)
        .with_context(|| format!("injecting the disruptions of {file_name}"))?;
    let (model, _) = delay_model(&data, &run.params, progress)?;
    let baseline = Twin::new(&baseline_world, &model);
    let disrupted = Twin::new(&scenario_world, &model);
    const K: usize = KPI_NAMES.len();
    let metric_names = scenario_metric_names();
    let names: [&str; 3 * K] = std::array::from_fn(|i| metric_names[i].as_str());
    let collector = match report_path {
        Some(path) => Some(crate::scenario_report::Collector::new(
            &baseline_world,
            &scenario_world,
            path,
        )?),
        None => None,
    };
    let slice = shard.replications(run.replications());
    progress.stage(
        "simulating baseline and scenario",
        Some(slice.end - slice.start),
    );
    let summaries = study(run)
        .try_run_shard(shard, names, |streams| {
            let (b_run, s_run) = (baseline.replicate(streams)?, disrupted.replicate(streams)?);
            let b = Kpis::of(&baseline_world, &b_run).values();
            let s = Kpis::of(&scenario_world, &s_run).values();
            if let Some(c) = &collector {
                c.add(streams.index(), &baseline_world, &b_run, &s_run);
            }
            progress.step();
            Ok::<_, ucodts_actors::ActorsError>(std::array::from_fn(|i| match i / K {
                0 => b[i],
                1 => s[i - K],
                _ => s[i - 2 * K] - b[i - 2 * K],
            }))
        })
        .context("running the Monte Carlo study")?;
    progress.done();
    let mut head = ScenarioOutput {
        scenario: scenario.name.clone(),
        file: file_name.clone(),
        from: window.from.to_string(),
        to: window.to.to_string(),
        replications: run.replications(),
        seed: run.master_seed(),
        kpis: Vec::new(),
        report: None,
    };
    let shard_run = |head| ShardRun {
        head,
        data_set: data.identity.clone(),
        metrics: metric_names.clone(),
        summaries: Vec::from(summaries.clone()),
    };
    if shard != Shard::WHOLE {
        return Ok(shard_run(head));
    }
    let report = MonteCarloReport::from_summaries(head.seed, &names, summaries.clone().into())
        .context("summarising the replications")?;
    head.kpis = scenario_kpis(&report.metrics);
    let files = match (report_path, collector) {
        (Some(path), Some(collector)) => {
            let inputs = crate::scenario_report::Inputs {
                file_name: &file_name,
                name: &scenario.name,
                description: file.description(),
                data_set: &data.identity.name,
                schedule: &data.schedule,
                disruptions: &scenario.disruptions,
                baseline: &baseline,
                scenario: &disrupted,
                replications: run.replications(),
                seed: run.master_seed(),
                metrics: &report.metrics,
                notes: vec![MISCONNECTS_NOTE.to_string()],
            };
            let written = crate::scenario_report::write(&inputs, collector, path)?;
            Some(ReportFiles::from(&written))
        }
        _ => None,
    };
    head.report = files;
    Ok(shard_run(head))
}
