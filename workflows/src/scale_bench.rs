//! `ucodts bench scale`: Monte Carlo beyond one core, measured on a synthetic network day (issue 20).
//!
//! The day is `bench sim`'s synthetic hub-and-spoke airline ([`ucodts_benches::airline_day`]) grown to
//! `flights` legs by adding tails, with generated crew, flown by the embedded default delay model. One
//! study of `reps` replications runs four ways, all through `simulate`'s own shard code
//! ([`crate::twin`] and [`crate::shard`]), so every way must print the same bytes:
//!
//! 1. one process, one thread: the baseline every ratio is measured against;
//! 2. one process, two threads (rayon over replications);
//! 3. `shards` shards running at once (one thread each, as `simulate --shard I/N` processes would on
//!    this machine), each building its own world, then their summaries written as JSON, read back and
//!    merged (`mc merge`);
//! 4. with [`ScaleRequest::binary`], the same `shards` shards as operating-system processes: the binary
//!    run `shards` times at once as `bench scale ... --shard I/N --out FILE` (each generates the day
//!    itself, as a process on another machine would load its data), then the files read and merged.
//!
//! Then the merge of `merge_shards` shards of the same study on its own (parse and merge, the summaries
//! already in memory as text), one replication's median time, and the size of a shard summary for 1 and
//! 1,000 replications and for a day of a quarter of the flights (a summary grows with replications,
//! never with legs). Results, not times, are checked here: tests run it on a tiny day.

use std::collections::BTreeMap;
use std::time::Instant;

use serde::Serialize;
use ucodts_actors::{DataSetIdentity, Window};
use ucodts_benches::airline_day;
use ucodts_model::Date;
use ucodts_sim::{Shard, Summary};

use crate::error::Result;
use crate::progress::Progress;
use crate::shard::{self, Head, Merged, Parts, ShardFile};
use crate::twin::{self, DataSet, RunRequest, ShardRun, SimulateOutput};
use crate::Error;

/// One replication of the 20,000-flight day must take less than this (issue 20).
pub const TARGET_ONE_REPLICATION_MS: f64 = 80.0;
/// A merge of 1,000 shards must take less than this (issue 20).
pub const TARGET_MERGE_SECONDS: f64 = 1.0;

/// What to measure.
#[derive(Debug, Clone)]
pub struct ScaleRequest {
    /// Legs of the synthetic day (about; the generator flies whole out-and-back trips).
    pub flights: usize,
    /// Replications of the study.
    pub reps: u64,
    /// Seed of the network, the crew and the study.
    pub seed: u64,
    /// Shards run at once for the third way.
    pub shards: u64,
    /// Shards of the merge measured on its own.
    pub merge_shards: u64,
    /// The `ucodts` executable to run the shards as processes with (the fourth way); `None`: not run.
    pub binary: Option<std::path::PathBuf>,
}

impl Default for ScaleRequest {
    fn default() -> ScaleRequest {
        ScaleRequest {
            flights: 20_000,
            reps: 2_000,
            seed: 1,
            shards: 4,
            merge_shards: 1_000,
            binary: None,
        }
    }
}

/// A shard summary's size.
#[derive(Debug, Clone, Serialize)]
pub struct ShardSize {
    pub flights: usize,
    pub replications: u64,
    pub bytes: usize,
}

/// The fourth way: the shards as operating-system processes.
#[derive(Debug, Clone, Serialize)]
pub struct ProcessShards {
    pub processes: u64,
    /// From the first start to the merged result, s; speedup over the baseline; efficiency (speedup
    /// over the cores the processes can use, the fewer of processes and cores).
    pub seconds: f64,
    pub speedup: f64,
    pub efficiency: f64,
    /// Reading the N shard files and merging them (what `mc merge` does), s.
    pub merge_seconds: f64,
    /// Whether the merged files print the very bytes of the baseline.
    pub identical: bool,
}

/// What [`measure`] found.
#[derive(Debug, Clone, Serialize)]
pub struct ScaleReport {
    pub flights: usize,
    pub aircraft: usize,
    /// Crew members generated for the day.
    pub crew: usize,
    /// Generating the network and its crew, s (not part of any way below).
    pub build_seconds: f64,
    /// Cores this process may use.
    pub cores: usize,
    /// Median of 5 replications on one thread, ms, and its ratio to the target.
    pub one_replication_ms: f64,
    pub one_replication_target_ms: f64,
    pub one_replication_over_target: f64,
    pub replications: u64,
    /// The first way: one process, one thread, s (the baseline).
    pub one_thread_seconds: f64,
    /// The second way: one process, two threads, s; speedup over the baseline and efficiency
    /// (speedup / 2).
    pub two_threads_seconds: f64,
    pub two_threads_speedup: f64,
    pub two_threads_efficiency: f64,
    /// The third way: `shards` shards at once and their merge, wall time s; speedup; efficiency
    /// (speedup over the cores the shards can use, the fewer of shards and cores).
    pub shards: u64,
    pub shards_seconds: f64,
    pub shards_speedup: f64,
    pub shards_efficiency: f64,
    /// A shard's fixed cost (world, crew fatigue, head: a shard of no replication), s.
    pub shard_setup_seconds: f64,
    /// Writing the shards' summaries as JSON, reading them back and merging, s.
    pub shards_merge_seconds: f64,
    /// Whether the two-thread run and the merged shards print the very bytes of the baseline.
    pub identical_two_threads: bool,
    pub identical_shards: bool,
    /// The fourth way, when run: `shards` processes at once and the merge of their files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub processes: Option<ProcessShards>,
    /// The merge of `merge_shards` shards (parse, checks, merge, the merged JSON), s, and its ratio to
    /// the target; whether it printed the baseline's bytes.
    pub merge_shards: u64,
    pub merge_seconds: f64,
    pub merge_target_seconds: f64,
    pub merge_over_target: f64,
    pub identical_merge: bool,
    /// Shard summary sizes: 1 and 1,000 replications of this day, 1 replication of a day of a quarter
    /// of the flights.
    pub shard_sizes: Vec<ShardSize>,
}

fn seconds(since: Instant) -> f64 {
    since.elapsed().as_secs_f64()
}

fn day() -> Date {
    let (y, m, d) = airline_day::DAY;
    Date::new(y, m, d).expect("the synthetic airline's day is a date")
}

/// The synthetic day of about `flights` legs as a data set.
fn synthetic(flights: usize, seed: u64) -> Result<DataSet> {
    let schedule = airline_day::build_sized(seed, airline_day::aircraft_for(flights))
        .map_err(|e| Error::invalid(format!("generating the synthetic day: {e}")))?;
    let name = format!("synthetic network day, {flights} flights, seed {seed}");
    Ok(DataSet {
        identity: DataSetIdentity::of(&schedule, &name),
        schedule,
        embedded: false,
    })
}

/// A shard of `simulate` on the synthetic day.
fn simulate(
    data: &DataSet,
    run: &RunRequest,
    shard: Shard,
    progress: &dyn Progress,
) -> Result<ShardRun<SimulateOutput>> {
    twin::simulate_shard_on(
        data,
        Window::day(day()),
        &airline_day::delay_model(),
        "embedded default parameters, every airport on the fallback cells".into(),
        run,
        shard,
        progress,
    )
}

/// A shard's summary file from a `simulate` shard run: the values of `values` (each metric's values over
/// the shard's replications).
fn shard_file(
    head: &SimulateOutput,
    data_set: &DataSetIdentity,
    metrics: &[String],
    values: Vec<Summary>,
    shard: Shard,
) -> Result<ShardFile> {
    let fatigue = &head.crew_fatigue;
    let exact = [
        Some(fatigue.alert_kss),
        fatigue.max_peak_kss,
        fatigue.mean_peak_kss,
    ]
    .map(|x| x.map(|x| x.to_string()));
    Parts {
        head: Head::Simulate {
            output: Box::new(head.clone()),
            crew_fatigue_exact: exact,
        },
        data_set: data_set.clone(),
        metrics: metrics.to_vec(),
        summaries: values,
        scenario_hash: None,
        params: "default".into(),
        options: None,
        sums: BTreeMap::new(),
    }
    .into_file(shard)
}

/// The slice of every metric's values that shard `shard` holds.
fn slice(all: &[Summary], shard: Shard, total: u64) -> Result<Vec<Summary>> {
    let range = shard.replications(total);
    all.iter()
        .map(|s| {
            Summary::try_from(s.values()[range.start as usize..range.end as usize].to_vec())
                .map_err(Error::invalid)
        })
        .collect()
}

fn text(merged: &Merged) -> Result<String> {
    serde_json::to_string(merged).map_err(|e| Error::invalid(format!("printing JSON: {e}")))
}

/// Shard `shard` of the study `request` describes, on its synthetic day: what each process of the
/// fourth way runs (`bench scale --shard I/N --out FILE`).
pub fn run_shard(request: &ScaleRequest, shard: Shard) -> Result<ShardFile> {
    let data = synthetic(request.flights, request.seed)?;
    let run = RunRequest {
        reps: Some(request.reps),
        seed: Some(request.seed),
        threads: 1,
        params: None,
    };
    simulated_shard_file(&data, &run, shard)
}

/// Shard `shard` of `simulate` on `data`, run quietly, as its summary file.
fn simulated_shard_file(data: &DataSet, run: &RunRequest, shard: Shard) -> Result<ShardFile> {
    let part = simulate(data, run, shard, &crate::Silent)?;
    shard_file(
        &part.head,
        &part.data_set,
        &part.metrics,
        part.summaries,
        shard,
    )
}

/// The fourth way: `request.shards` processes of `binary` at once, then their files merged.
fn processes(
    request: &ScaleRequest,
    binary: &std::path::Path,
    baseline: &str,
    one_thread_seconds: f64,
    cores: usize,
) -> Result<ProcessShards> {
    let dir = tempfile::tempdir()
        .map_err(|e| Error::invalid(format!("a folder for the shard files: {e}")))?;
    let start = Instant::now();
    let children = (0..request.shards)
        .map(|i| {
            let out = dir.path().join(format!("shard-{i}.json"));
            let child = std::process::Command::new(binary)
                .args(["bench", "scale", "--flights"])
                .arg(request.flights.to_string())
                .arg("--reps")
                .arg(request.reps.to_string())
                .arg("--seed")
                .arg(request.seed.to_string())
                .arg("--shard")
                .arg(format!("{i}/{}", request.shards))
                .arg("--out")
                .arg(&out)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .map_err(|e| Error::invalid(format!("starting {}: {e}", binary.display())))?;
            Ok((out, child))
        })
        .collect::<Result<Vec<_>>>()?;
    let mut files = Vec::new();
    for (out, child) in children {
        let output = child
            .wait_with_output()
            .map_err(|e| Error::invalid(format!("waiting for a shard process: {e}")))?;
        if !output.status.success() {
            return Err(Error::invalid(format!(
                "a shard process failed: {}",
                String::from_utf8_lossy(&output.stderr)
            )));
        }
        files.push(out);
    }
    let merge_start = Instant::now();
    let merged = shard::merge_files(&files)?;
    let merge_seconds = seconds(merge_start);
    let seconds = seconds(start);
    let speedup = one_thread_seconds / seconds;
    Ok(ProcessShards {
        processes: request.shards,
        seconds,
        speedup,
        efficiency: speedup / (request.shards as usize).min(cores).max(1) as f64,
        merge_seconds,
        identical: text(&merged)? == baseline,
    })
}

/// Runs the measurements of the module documentation.
pub fn measure(request: &ScaleRequest, progress: &dyn Progress) -> Result<ScaleReport> {
    if request.reps == 0 || request.shards == 0 || request.merge_shards == 0 {
        return Err(Error::invalid(
            "--reps, --shards and --merge-shards: at least 1 each",
        ));
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    progress.stage("generating the synthetic day and its crew", None);
    let start = Instant::now();
    let data = synthetic(request.flights, request.seed)?;
    let build_seconds = seconds(start);
    progress.done();
    let run = |threads| RunRequest {
        reps: Some(request.reps),
        seed: Some(request.seed),
        threads,
        params: None,
    };

    // One replication, median of 5 (as `bench sim`).
    let world = ucodts_actors::World::new(
        &data.schedule,
        Window::day(day()),
        &[],
        ucodts_actors::WorldOptions::default(),
    )
    .map_err(|e| Error::invalid(format!("building the synthetic world: {e}")))?;
    let model = airline_day::delay_model();
    let twin = ucodts_actors::Twin::new(&world, &model);
    let streams = ucodts_sim::RngStreams::new(request.seed);
    let mut index = 0;
    let (one, outcome) = ucodts_benches::median_time(5, || {
        index += 1;
        twin.replicate(streams.replication(index))
    });
    outcome.map_err(|e| Error::invalid(format!("one replication: {e}")))?;
    let (flights, aircraft, crew) = (
        world.legs().len(),
        world.aircraft().len(),
        data.schedule.crew().len(),
    );
    drop(twin);
    drop(world);

    // 1. One process, one thread.
    let start = Instant::now();
    let whole = simulate(&data, &run(1), Shard::WHOLE, progress)?;
    let one_thread_seconds = seconds(start);
    let baseline_values = whole.summaries.clone();
    let baseline = text(&Merged::Simulate(Box::new(twin::simulate_output(
        whole.head.clone(),
        whole.summaries.clone(),
    )?)))?;

    // 2. One process, two threads.
    let start = Instant::now();
    let two = simulate(&data, &run(2), Shard::WHOLE, progress)?;
    let two_threads_seconds = seconds(start);
    let two_text = text(&Merged::Simulate(Box::new(twin::simulate_output(
        two.head,
        two.summaries,
    )?)))?;

    // A shard's fixed cost: a shard of no replication.
    let empty = Shard::new(0, request.reps + 1).map_err(|e| Error::invalid(e.to_string()))?;
    let start = Instant::now();
    simulate(&data, &run(1), empty, progress)?;
    let shard_setup_seconds = seconds(start);

    // 3. The shards at once, their summaries through JSON, merged.
    let start = Instant::now();
    let files: Vec<Result<ShardFile>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..request.shards)
            .map(|i| {
                let data = &data;
                let run = run(1);
                scope.spawn(move || {
                    let shard =
                        Shard::new(i, request.shards).map_err(|e| Error::invalid(e.to_string()))?;
                    simulated_shard_file(data, &run, shard)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a shard thread does not panic"))
            .collect()
    });
    let merge_start = Instant::now();
    let texts = files
        .into_iter()
        .map(|f| f?.to_json())
        .collect::<Result<Vec<String>>>()?;
    let merged = merge_texts(&texts)?;
    let shards_merge_seconds = seconds(merge_start);
    let shards_seconds = seconds(start);

    // 4. The shards as processes.
    let processes = match &request.binary {
        Some(binary) => {
            progress.stage(&format!("{} shard processes at once", request.shards), None);
            let p = processes(request, binary, &baseline, one_thread_seconds, cores)?;
            progress.done();
            Some(p)
        }
        None => None,
    };

    // The merge on its own: `merge_shards` shards of the same study.
    let count = request.merge_shards;
    let many = (0..count)
        .map(|i| {
            let shard = Shard::new(i, count).map_err(|e| Error::invalid(e.to_string()))?;
            shard_file(
                &whole.head,
                &whole.data_set,
                &whole.metrics,
                slice(&baseline_values, shard, request.reps)?,
                shard,
            )?
            .to_json()
        })
        .collect::<Result<Vec<String>>>()?;
    progress.stage(&format!("merging {count} shards"), None);
    let start = Instant::now();
    let merged_many = merge_texts(&many)?;
    let merge_seconds = seconds(start);
    progress.done();

    // Sizes: 1 and 1,000 replications of this day; 1 of a day of a quarter of the flights.
    let mut shard_sizes = Vec::new();
    for reps in [1, 1_000.min(request.reps)] {
        let part = slice(&baseline_values, Shard::WHOLE, reps)?;
        let shard = Shard::new(0, 1).map_err(|e| Error::invalid(e.to_string()))?;
        let file = shard_file(&whole.head, &whole.data_set, &whole.metrics, part, shard)?;
        shard_sizes.push(ShardSize {
            flights,
            replications: reps,
            bytes: file.to_json()?.len(),
        });
    }
    let quarter = synthetic((request.flights / 4).max(1), request.seed)?;
    let one_rep = RunRequest {
        reps: Some(1),
        ..run(1)
    };
    let small = simulate(&quarter, &one_rep, Shard::WHOLE, progress)?;
    let file = shard_file(
        &small.head,
        &small.data_set,
        &small.metrics,
        small.summaries,
        Shard::WHOLE,
    )?;
    shard_sizes.push(ShardSize {
        flights: small.head.legs,
        replications: 1,
        bytes: file.to_json()?.len(),
    });

    let two_threads_speedup = one_thread_seconds / two_threads_seconds;
    let shards_speedup = one_thread_seconds / shards_seconds;
    let shard_cores = (request.shards as usize).min(cores).max(1) as f64;
    Ok(ScaleReport {
        flights,
        aircraft,
        crew,
        build_seconds,
        cores,
        one_replication_ms: one.as_secs_f64() * 1e3,
        one_replication_target_ms: TARGET_ONE_REPLICATION_MS,
        one_replication_over_target: one.as_secs_f64() * 1e3 / TARGET_ONE_REPLICATION_MS,
        replications: request.reps,
        one_thread_seconds,
        two_threads_seconds,
        two_threads_speedup,
        two_threads_efficiency: two_threads_speedup / 2.0,
        shards: request.shards,
        shards_seconds,
        shards_speedup,
        shards_efficiency: shards_speedup / shard_cores,
        shard_setup_seconds,
        shards_merge_seconds,
        identical_two_threads: two_text == baseline,
        identical_shards: text(&merged)? == baseline,
        processes,
        merge_shards: count,
        merge_seconds,
        merge_target_seconds: TARGET_MERGE_SECONDS,
        merge_over_target: merge_seconds / TARGET_MERGE_SECONDS,
        identical_merge: text(&merged_many)? == baseline,
        shard_sizes,
    })
}

/// Reads shard summaries from their JSON texts and merges them, as `mc merge` does with files.
fn merge_texts(texts: &[String]) -> Result<Merged> {
    let shards = texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let origin = format!("shard text {i}");
            let file = ShardFile::from_json(&origin, t)?;
            Ok((origin, file))
        })
        .collect::<Result<Vec<_>>>()?;
    shard::merge(&shards)
}

/// The report as text: the ways side by side, ratios to the baseline.
pub fn table(r: &ScaleReport) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Synthetic network day: {} flights, {} aircraft, {} crew (generated in {:.1} s); {} cores",
        r.flights, r.aircraft, r.crew, r.build_seconds, r.cores
    );
    let _ = writeln!(
        s,
        "One replication: {:.1} ms (target {:.0} ms: {:.2})",
        r.one_replication_ms, r.one_replication_target_ms, r.one_replication_over_target
    );
    let _ = writeln!(s, "{} replications:", r.replications);
    let _ = writeln!(
        s,
        "  1 process, 1 thread   {:>8.2} s  (baseline)",
        r.one_thread_seconds
    );
    let _ = writeln!(
        s,
        "  1 process, 2 threads  {:>8.2} s  speedup {:.2}, efficiency {:.2}, same bytes: {}",
        r.two_threads_seconds,
        r.two_threads_speedup,
        r.two_threads_efficiency,
        r.identical_two_threads
    );
    let _ = writeln!(
        s,
        "  {} shards at once      {:>8.2} s  speedup {:.2}, efficiency {:.2}, same bytes: {}",
        r.shards, r.shards_seconds, r.shards_speedup, r.shards_efficiency, r.identical_shards
    );
    let _ = writeln!(
        s,
        "    per-shard setup {:.3} s; summaries to JSON, read back and merged in {:.3} s",
        r.shard_setup_seconds, r.shards_merge_seconds
    );
    if let Some(p) = &r.processes {
        let _ = writeln!(
            s,
            "  {} processes at once   {:>8.2} s  speedup {:.2}, efficiency {:.2}, same bytes: {}",
            p.processes, p.seconds, p.speedup, p.efficiency, p.identical
        );
        let _ = writeln!(
            s,
            "    (each generates the day itself); shard files read and merged in {:.3} s",
            p.merge_seconds
        );
    }
    let _ = writeln!(
        s,
        "Merge of {} shards: {:.3} s (target {:.0} s: {:.2}), same bytes: {}",
        r.merge_shards,
        r.merge_seconds,
        r.merge_target_seconds,
        r.merge_over_target,
        r.identical_merge
    );
    let _ = writeln!(s, "Shard summary size:");
    for size in &r.shard_sizes {
        let _ = writeln!(
            s,
            "  {:>6} flights, {:>5} replications: {:>9} bytes",
            size.flights, size.replications, size.bytes
        );
    }
    s
}
