//! `ucodts simulate`, `ucodts fit` and `ucodts validate`: the twin from the command line.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Serialize;
use ucodts_actors::delay_model::FittedOn;
use ucodts_actors::kpi::MISCONNECTS_NOTE;
use ucodts_actors::world::service_date;
use ucodts_actors::{
    fit, validate, DataSetIdentity, DelayModel, Kpis, Twin, ValidationReport, Window, World,
    WorldOptions, KPI_NAMES,
};
use ucodts_datasets::{embedded, native};
use ucodts_model::{Date, LegSource, Schedule};
use ucodts_sim::{MetricReport, MonteCarlo};

use crate::progress;

/// The day `simulate` runs on the embedded default without `--from`: an ordinary summer Tuesday.
pub const DEFAULT_DAY: &str = "2013-07-02";

/// Options shared by the three commands.
#[derive(clap::Args)]
pub struct DataArgs {
    /// A native data set folder; without it, the embedded default.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// First operating day (local date of departure), YYYY-MM-DD.
    #[arg(long)]
    pub from: Option<String>,
    /// Last operating day, YYYY-MM-DD; without it, the same as --from.
    #[arg(long)]
    pub to: Option<String>,
}

/// Options of the Monte Carlo runs.
#[derive(clap::Args)]
pub struct RunArgs {
    /// Replications [default: 100; with --scenario, the scenario file's].
    #[arg(long = "reps")]
    pub reps_arg: Option<u64>,
    /// Master seed: the same seed gives the same numbers, on any number of threads [default: 1; with
    /// --scenario, the scenario file's].
    #[arg(long = "seed")]
    pub seed_arg: Option<u64>,
    /// Threads (0: one per core). Does not change any result.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// A delay-model parameter file (from `ucodts fit`); without it, the embedded default's for the
    /// embedded data set, else a model fitted on all recorded days of the data set.
    #[arg(long)]
    pub params: Option<PathBuf>,
}

impl RunArgs {
    /// Replications: `--reps`, else 100.
    pub fn reps(&self) -> u64 {
        self.reps_arg.unwrap_or(100)
    }
    /// Master seed: `--seed`, else 1.
    pub fn seed(&self) -> u64 {
        self.seed_arg.unwrap_or(1)
    }
}

/// A loaded data set with its identity.
struct DataSet {
    schedule: Schedule,
    identity: DataSetIdentity,
    embedded: bool,
}

fn load(data: &Option<PathBuf>) -> Result<DataSet> {
    match data {
        Some(dir) => {
            let schedule = crate::load(dir)?;
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
            let schedule = crate::default_with_crew()?;
            let identity = DataSetIdentity::of(&schedule, embedded::NAME);
            Ok(DataSet {
                schedule,
                identity,
                embedded: true,
            })
        }
    }
}

fn parse_date(text: &str, flag: &str) -> Result<Date> {
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
fn window(args: &DataArgs, default: Option<Window>) -> Result<Window> {
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
#[derive(Serialize)]
struct ModelSource {
    source: String,
    data_set: DataSetIdentity,
    fitted_on: FittedOn,
}

fn delay_model(data: &DataSet, params: &Option<PathBuf>) -> Result<(DelayModel, String)> {
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
            eprintln!(
                "note: no --params: fitting a delay model on every recorded day of the data set ({} .. {})",
                days.from, days.to
            );
            let model = fit(&data.schedule, &data.identity.name, days)
                .context("fitting a delay model on the data set")?;
            Ok((model, "fitted on all recorded days of the data set".into()))
        }
    }
}

fn study(run: &RunArgs) -> MonteCarlo {
    MonteCarlo::new(run.seed(), run.reps()).threads(run.threads)
}

fn build_world(data: &DataSet, window: Window) -> Result<World> {
    World::new(&data.schedule, window, &[], WorldOptions::default()).with_context(|| {
        format!(
            "building the world of {} for {} .. {}",
            data.identity.name, window.from, window.to
        )
    })
}

#[derive(Serialize)]
struct SimulateOutput<'a> {
    data_set: &'a DataSetIdentity,
    from: String,
    to: String,
    legs: usize,
    recorded_legs: usize,
    aircraft: usize,
    crew: usize,
    delay_model: ModelSource,
    seed: u64,
    replications: u64,
    kpis: &'a [MetricReport],
    crew_fatigue: CrewFatigueKpis,
    notes: [&'static str; 2],
}

/// Fatigue of the rostered duties that report in the window (Three-Process Model, KSS).
#[derive(Serialize)]
struct CrewFatigueKpis {
    duties: usize,
    /// Duties whose forecast reaches the alert level.
    alerts: usize,
    alert_kss: f64,
    max_peak_kss: Option<f64>,
    mean_peak_kss: Option<f64>,
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

/// `ucodts simulate`.
pub fn simulate(data_args: &DataArgs, run: &RunArgs, json: bool) -> Result<()> {
    let data = load(&data_args.data)?;
    let default = if data.embedded {
        let day = parse_date(DEFAULT_DAY, "the default day")?;
        Some(Window::day(day))
    } else {
        recorded_days(&data.schedule).map(|w| Window::day(w.from))
    };
    let window = window(data_args, default)?;
    let world = build_world(&data, window)?;
    let (model, source) = delay_model(&data, &run.params)?;
    let twin = Twin::new(&world, &model);
    let bar = progress::bar(run.reps(), "simulating");
    let report = twin
        .monte_carlo(&study(run), &|| bar.inc(1))
        .context("running the Monte Carlo study")?;
    bar.finish_and_clear();
    let output = SimulateOutput {
        data_set: &data.identity,
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
        seed: run.seed(),
        replications: run.reps(),
        kpis: &report.kpis,
        crew_fatigue: crew_fatigue(&data.schedule, window),
        notes: [MISCONNECTS_NOTE, FATIGUE_NOTE],
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&output)?);
        return Ok(());
    }
    println!(
        "Simulated {} .. {} of {}: {} legs ({} recorded), {} tails, {} crew members",
        output.from,
        output.to,
        data.identity.name,
        output.legs,
        output.recorded_legs,
        output.aircraft,
        output.crew
    );
    println!(
        "{} replications, seed {}, delay model: {}",
        run.reps(),
        run.seed(),
        output.delay_model.source
    );
    println!(
        "  {:<30} {:>10} {:>23} {:>10} {:>10}",
        "KPI", "mean", "95% CI of the mean", "p05", "p95"
    );
    for m in &report.kpis {
        let ci = m.ci95.map_or("-".to_string(), |c| {
            format!("{:.3} .. {:.3}", c.lower, c.upper)
        });
        println!(
            "  {:<30} {:>10.3} {:>23} {:>10.3} {:>10.3}",
            m.name, m.mean, ci, m.p05, m.p95
        );
    }
    let f = &output.crew_fatigue;
    println!(
        "  crew fatigue (planned roster): {} duties, {} at KSS {} or more, peak KSS {}",
        f.duties,
        f.alerts,
        f.alert_kss,
        f.max_peak_kss
            .map_or("-".to_string(), |k| format!("{k:.2}"))
    );
    println!("  ({MISCONNECTS_NOTE})");
    Ok(())
}

#[derive(Serialize)]
struct FitOutput<'a> {
    out: String,
    data_set: &'a DataSetIdentity,
    fitted_on: &'a FittedOn,
    departure_delay_cells: usize,
    block_time_cells: usize,
}

/// `ucodts fit`.
pub fn fit_command(data_args: &DataArgs, out: &Path, json: bool) -> Result<()> {
    let data = load(&data_args.data)?;
    let window = window(data_args, recorded_days(&data.schedule))?;
    let spinner = progress::spinner("fitting the delay model");
    let model = fit(&data.schedule, &data.identity.name, window)
        .with_context(|| format!("fitting a delay model on {} .. {}", window.from, window.to))?;
    spinner.finish_and_clear();
    model
        .write(out)
        .with_context(|| format!("writing the delay model to {}", out.display()))?;
    let output = FitOutput {
        out: out.display().to_string(),
        data_set: &model.data_set,
        fitted_on: &model.fitted_on,
        departure_delay_cells: model.departure_delay.len(),
        block_time_cells: model.block_time.len(),
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&output)?);
    } else {
        let f = &model.fitted_on;
        println!(
            "Fitted on {} .. {} of {}: {} departures, {} arrivals, {} turn chains; {} departure-delay and {} block-time cells. Wrote {}.",
            f.from,
            f.to,
            model.data_set.name,
            f.departures,
            f.arrivals,
            f.turn_chains,
            output.departure_delay_cells,
            output.block_time_cells,
            output.out
        );
    }
    Ok(())
}

/// `ucodts validate`.
pub fn validate_command(data_args: &DataArgs, run: &RunArgs, json: bool) -> Result<()> {
    let data = load(&data_args.data)?;
    let window = window(data_args, recorded_days(&data.schedule))?;
    let world = build_world(&data, window)?;
    let (model, _) = delay_model(&data, &run.params)?;
    let bar = progress::bar(run.reps(), "validating");
    let report =
        validate(&world, &model, &study(run), &|| bar.inc(1)).context("running the validation")?;
    bar.finish_and_clear();
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    print_validation(&report);
    Ok(())
}

fn print_validation(r: &ValidationReport) {
    println!(
        "Validation of {} .. {} (model fitted on {} .. {}{}), {} replications, seed {}",
        r.from,
        r.to,
        r.fitted_from,
        r.fitted_to,
        if r.overlaps_fitted_days {
            "; OVERLAPS the validated days: not a held-out test"
        } else {
            "; held out"
        },
        r.replications,
        r.seed
    );
    println!(
        "  {:<12} {:>8} {:>12} {:>12} {:>9} {:>12} {:>12}",
        "day", "flights", "OTP record", "OTP twin", "diff pp", "delay rec", "delay twin"
    );
    let line = |name: &str, c: &ucodts_actors::validation::Comparison| {
        println!(
            "  {:<12} {:>8} {:>11.1}% {:>11.1}% {:>+9.1} {:>12.1} {:>12.1}",
            name,
            c.recorded_flights,
            c.recorded_on_time_rate * 100.0,
            c.simulated_on_time_rate * 100.0,
            c.on_time_rate_difference_pp,
            c.recorded_mean_arrival_delay_min,
            c.simulated_mean_arrival_delay_min
        )
    };
    for d in &r.days {
        line(&d.date, &d.comparison);
    }
    line("all days", &r.overall);
    if let Some(ci) = r.simulated_on_time_rate_ci95 {
        println!(
            "  simulated OTP 95% CI of the mean: {:.1}% .. {:.1}%",
            ci.lower * 100.0,
            ci.upper * 100.0
        );
    }
    println!(
        "  Kolmogorov-Smirnov distance of arrival delays (record vs twin): {:.3}",
        r.ks_distance
    );
}

#[derive(Serialize)]
struct Difference {
    mean: f64,
    ci95: Option<[f64; 2]>,
}

#[derive(Serialize)]
struct ScenarioKpi {
    name: &'static str,
    baseline: f64,
    scenario: f64,
    difference: Difference,
}

#[derive(Serialize)]
struct ScenarioOutput {
    scenario: String,
    from: String,
    to: String,
    replications: u64,
    seed: u64,
    kpis: Vec<ScenarioKpi>,
    #[serde(skip_serializing_if = "Option::is_none")]
    report: Option<ReportFiles>,
}

/// Where `--report` wrote the page and its numbers.
#[derive(Serialize)]
struct ReportFiles {
    html: String,
    csv: String,
    json: String,
}

/// `ucodts simulate --scenario FILE_OR_NAME`: the scenario's window undisrupted (baseline) and disrupted,
/// on the same random streams per replication (common random numbers); per KPI, the paired difference
/// (scenario − baseline) with its 95% confidence interval.
pub fn simulate_scenario(
    scenario: &str,
    data_dir: Option<&Path>,
    run: &RunArgs,
    report_path: Option<&Path>,
    json: bool,
) -> Result<()> {
    let (file_name, file, base_dir) = crate::scenario::read(scenario)?;
    let data = load(&crate::scenario::data_dir(&file, &base_dir, data_dir))?;
    let scenario = file.validate(&data.schedule)?;
    let window = Window::new(scenario.from, scenario.to).context("the scenario's window")?;
    let run = &RunArgs {
        reps_arg: run.reps_arg.or(Some(u64::from(scenario.replications))),
        seed_arg: run.seed_arg.or(Some(scenario.seed)),
        threads: run.threads,
        params: run.params.clone(),
    };
    let baseline_world = build_world(&data, window)?;
    let scenario_world = build_world(&data, window)?
        .with_disruptions(&scenario.disruptions)
        .with_context(|| format!("injecting the disruptions of {file_name}"))?;
    let (model, _) = delay_model(&data, &run.params)?;
    let baseline = Twin::new(&baseline_world, &model);
    let disrupted = Twin::new(&scenario_world, &model);
    const K: usize = KPI_NAMES.len();
    let names: Vec<String> = ["baseline", "scenario", "difference"]
        .iter()
        .flat_map(|part| KPI_NAMES.iter().map(move |n| format!("{part}:{n}")))
        .collect();
    let names: [&str; 3 * K] = std::array::from_fn(|i| names[i].as_str());
    let collector = match report_path {
        Some(path) => Some(crate::report::Collector::new(
            &baseline_world,
            &scenario_world,
            path,
        )?),
        None => None,
    };
    let bar = progress::bar(run.reps(), "simulating baseline and scenario");
    let report = study(run)
        .try_run(names, |streams| {
            let (b_run, s_run) = (baseline.replicate(streams)?, disrupted.replicate(streams)?);
            let b = Kpis::of(&baseline_world, &b_run).values();
            let s = Kpis::of(&scenario_world, &s_run).values();
            if let Some(c) = &collector {
                c.add(streams.index(), &baseline_world, &b_run, &s_run);
            }
            bar.inc(1);
            Ok::<_, ucodts_actors::ActorsError>(std::array::from_fn(|i| match i / K {
                0 => b[i],
                1 => s[i - K],
                _ => s[i - 2 * K] - b[i - 2 * K],
            }))
        })
        .context("running the Monte Carlo study")?;
    bar.finish_and_clear();
    let m = &report.metrics;
    let kpis = KPI_NAMES
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
        .collect();
    let files = match (report_path, collector) {
        (Some(path), Some(collector)) => {
            let inputs = crate::report::Inputs {
                file_name: &file_name,
                name: &scenario.name,
                description: file.description(),
                data_set: &data.identity.name,
                schedule: &data.schedule,
                disruptions: &scenario.disruptions,
                baseline: &baseline,
                scenario: &disrupted,
                replications: run.reps(),
                seed: run.seed(),
                metrics: &report.metrics,
                notes: vec![MISCONNECTS_NOTE.to_string()],
            };
            let written = crate::report::write(&inputs, collector, path)?;
            Some(ReportFiles {
                html: written.html.display().to_string(),
                csv: written.csv.display().to_string(),
                json: written.json.display().to_string(),
            })
        }
        _ => None,
    };
    let output = ScenarioOutput {
        scenario: scenario.name.clone(),
        from: window.from.to_string(),
        to: window.to.to_string(),
        replications: run.reps(),
        seed: run.seed(),
        kpis,
        report: files,
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&output)?);
        return Ok(());
    }
    println!(
        "Scenario `{}` ({file_name}), {} .. {}: {} replications, seed {}, common random numbers",
        output.scenario, output.from, output.to, output.replications, output.seed
    );
    println!(
        "  {:<30} {:>10} {:>10} {:>10} {:>23}",
        "KPI", "baseline", "scenario", "difference", "95% CI of difference"
    );
    for k in &output.kpis {
        let ci = k
            .difference
            .ci95
            .map_or("-".to_string(), |[l, u]| format!("{l:.3} .. {u:.3}"));
        println!(
            "  {:<30} {:>10.3} {:>10.3} {:>10.3} {:>23}",
            k.name, k.baseline, k.scenario, k.difference.mean, ci
        );
    }
    if let Some(f) = &output.report {
        println!(
            "Report: {} (open in a browser; the same numbers in {} and {})",
            f.html, f.csv, f.json
        );
    }
    Ok(())
}
