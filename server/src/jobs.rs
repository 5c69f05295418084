//! Long work as jobs: a run (a recovery loop, a scenario simulation) is stored as `queued`, waits for one of
//! a bounded number of workers (a semaphore; the queue itself is bounded too), runs the workflow on a
//! blocking thread with a [`Progress`] that feeds live state and server-sent events, and stores its result
//! or why it failed.
//!
//! Cancelling sets a flag that the job's progress callback reads at its next step; the workflow then stops
//! by unwinding (without the panic hook: nothing is printed) and the run is marked failed, "cancelled by".
//! A server that starts marks every run still queued or running under another instance as failed, with
//! why: a killed process leaves no half result behind, and its late writes are refused by the `instance`
//! check.

use std::collections::HashMap;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use sqlx::Row;
use tokio::sync::{broadcast, Semaphore};
use ucodts_workflows::crew_bench::{self, CrewBenchRequest};
use ucodts_workflows::recovery::{self, RecoverRequest};
use ucodts_workflows::roadef_bench::{self, RoadefBenchRequest};
use ucodts_workflows::twin::{self, RunRequest};
use ucodts_workflows::Progress;

use crate::api::datasets::{self, DataSetRef, Files};
use crate::audit::{self, SYSTEM};
use crate::db::{now_ms, Db};
use crate::error::{Error, Result};

/// What a run asks for (stored as the run's `request`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JobSpec {
    pub kind: JobKind,
    /// A library scenario's name or a user scenario's name.
    pub scenario: String,
    /// The TOML of a user scenario, when `scenario` names one (kept with the run so it replays as it ran).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario_toml: Option<String>,
    pub seed: Option<u64>,
    pub reps: Option<u64>,
    pub time_limit_s: Option<f64>,
    pub policy: Option<String>,
    pub crew_policy: Option<String>,
    pub candidates: Option<usize>,
    /// bench-roadef: the instances to solve (`A01`); empty: every one found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instances: Option<Vec<String>>,
    /// bench-crew: only the first N cases of each data set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cases: Option<usize>,
    /// bench-roadef: `official` or `honest` (`--objective`); `None`: official.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objective: Option<String>,
    /// Recover and simulate: the imported data set to run on, with the hash of its files; `None`: the
    /// embedded default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_set: Option<DataSetRef>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum JobKind {
    /// The recovery loop (`ucodts recover`): ranked plans.
    Recover,
    /// A scenario run against the undisrupted day (`ucodts simulate --scenario`).
    Simulate,
    /// The crew-recovery benchmark (`ucodts bench crew-recovery`), a researcher's run.
    #[serde(rename = "bench-crew")]
    BenchCrew,
    /// The ROADEF 2009 benchmark (`ucodts bench roadef2009`), a researcher's run.
    #[serde(rename = "bench-roadef")]
    BenchRoadef,
}

impl JobKind {
    pub const ALL: [JobKind; 4] = [
        JobKind::Recover,
        JobKind::Simulate,
        JobKind::BenchCrew,
        JobKind::BenchRoadef,
    ];

    /// The name in requests and in the `runs` table.
    pub fn name(self) -> &'static str {
        match self {
            JobKind::Recover => "recover",
            JobKind::Simulate => "simulate",
            JobKind::BenchCrew => "bench-crew",
            JobKind::BenchRoadef => "bench-roadef",
        }
    }

    /// Benchmarks are the researchers'; scenario runs the planners'.
    pub fn is_benchmark(self) -> bool {
        matches!(self, JobKind::BenchCrew | JobKind::BenchRoadef)
    }
}

/// What a finished workflow hands back: its JSON, and for a recover run the schedule export of the
/// recommended plan (legs CSV, crew CSV).
pub struct Finished {
    pub json: String,
    pub schedule: Option<(String, String)>,
}

/// The stages whose steps are Monte Carlo replications (the twin's runs in `simulate`, `validate` and the
/// recovery loop's replay), counted for /metrics.
const REPLICATION_STAGES: [&str; 3] = ["simulating", "replaying", "validating"];

/// A run's progress as clients see it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProgressState {
    /// The current stage, in words.
    pub stage: String,
    pub step: u64,
    /// Steps of the stage, when known.
    pub steps: Option<u64>,
    /// Notes the workflow gave (defaults chosen, fallbacks), at most the last 20.
    pub notes: Vec<String>,
}

/// One server-sent event of a run.
#[derive(Debug, Clone)]
pub struct Event {
    /// `progress`, `done` or `failed`.
    pub name: &'static str,
    pub data: String,
}

/// A run this process is working on.
pub struct LiveRun {
    pub cancelled: AtomicBool,
    pub cancelled_by: Mutex<Option<String>>,
    pub state: Mutex<ProgressState>,
    pub events: broadcast::Sender<Event>,
    last_sent: Mutex<Instant>,
    /// Whether the current stage's steps are replications.
    counting: AtomicBool,
    /// Replications this run completed.
    pub replications: AtomicU64,
    /// The server's total, for /metrics.
    total_replications: Arc<AtomicU64>,
}

impl LiveRun {
    fn new(total_replications: Arc<AtomicU64>) -> LiveRun {
        LiveRun {
            counting: AtomicBool::new(false),
            replications: AtomicU64::new(0),
            total_replications,
            cancelled: AtomicBool::new(false),
            cancelled_by: Mutex::new(None),
            state: Mutex::new(ProgressState::default()),
            events: broadcast::channel(256).0,
            last_sent: Mutex::new(Instant::now()),
        }
    }

    pub fn snapshot(&self) -> ProgressState {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn send_progress(&self, force: bool) {
        let mut last = self.last_sent.lock().unwrap_or_else(|e| e.into_inner());
        // At most ten events a second: a Monte Carlo stage has thousands of steps.
        if force || last.elapsed() >= Duration::from_millis(100) {
            *last = Instant::now();
            let data = serde_json::to_string(&self.snapshot()).unwrap_or_default();
            let _ = self.events.send(Event {
                name: "progress",
                data,
            });
        }
    }
}

/// The payload a cancelled job unwinds with.
struct Cancelled;

impl Progress for LiveRun {
    fn stage(&self, name: &str, steps: Option<u64>) {
        self.stop_if_cancelled();
        {
            let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
            s.stage = name.to_string();
            s.step = 0;
            s.steps = steps;
        }
        self.counting.store(
            REPLICATION_STAGES.iter().any(|p| name.starts_with(p)),
            Ordering::Relaxed,
        );
        self.send_progress(true);
    }
    fn step(&self) {
        self.stop_if_cancelled();
        self.state.lock().unwrap_or_else(|e| e.into_inner()).step += 1;
        if self.counting.load(Ordering::Relaxed) {
            self.replications.fetch_add(1, Ordering::Relaxed);
            self.total_replications.fetch_add(1, Ordering::Relaxed);
        }
        self.send_progress(false);
    }
    fn done(&self) {
        self.send_progress(true);
    }
    fn note(&self, text: &str) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if s.notes.len() == 20 {
            s.notes.remove(0);
        }
        s.notes.push(text.to_string());
    }
}

impl LiveRun {
    fn stop_if_cancelled(&self) {
        if self.cancelled.load(Ordering::Relaxed) {
            resume_unwind(Box::new(Cancelled));
        }
    }
}

/// The worker pool and the runs it holds.
pub struct Jobs {
    db: Db,
    /// This process, in the runs it owns.
    pub instance: String,
    workers: Arc<Semaphore>,
    max_queued: usize,
    pub queued: AtomicUsize,
    pub running: AtomicUsize,
    pub failed: AtomicU64,
    pub done: AtomicU64,
    /// Monte Carlo replications the runs of this process completed.
    pub replications: Arc<AtomicU64>,
    live: Mutex<HashMap<i64, Arc<LiveRun>>>,
    /// Threads each job's Monte Carlo runs use (results do not depend on it).
    threads: usize,
    /// The benchmarks' folder: `roadef2009/instances` and `gmcm2021f` under it.
    pub benchmarks: PathBuf,
    /// The runtime the jobs wait and store on: the server's main one, which outlives the HTTP workers, so
    /// that a shutdown still records how each run ended.
    runtime: tokio::runtime::Handle,
}

impl Jobs {
    /// Call inside the runtime that is to run the jobs.
    pub fn new(
        db: Db,
        workers: usize,
        max_queued: usize,
        instance: String,
        benchmarks: PathBuf,
    ) -> Jobs {
        Jobs {
            db,
            instance,
            workers: Arc::new(Semaphore::new(workers.max(1))),
            max_queued,
            queued: AtomicUsize::new(0),
            running: AtomicUsize::new(0),
            failed: AtomicU64::new(0),
            done: AtomicU64::new(0),
            replications: Arc::new(AtomicU64::new(0)),
            live: Mutex::new(HashMap::new()),
            threads: 2,
            benchmarks,
            runtime: tokio::runtime::Handle::current(),
        }
    }

    pub fn live(&self, run: i64) -> Option<Arc<LiveRun>> {
        self.live
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&run)
            .cloned()
    }

    /// Refuses (503) when the queue is full.
    pub fn check_room(&self) -> Result<()> {
        let queued = self.queued.load(Ordering::Relaxed);
        if queued >= self.max_queued {
            return Err(Error::Unavailable(format!(
                "the job queue is full ({queued} runs waiting); try again when one has finished"
            )));
        }
        Ok(())
    }

    /// Starts a stored, queued run.
    pub fn start(self: &Arc<Self>, run: i64, spec: JobSpec) {
        let live = Arc::new(LiveRun::new(self.replications.clone()));
        self.live
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(run, live.clone());
        self.queued.fetch_add(1, Ordering::Relaxed);
        let jobs = self.clone();
        self.runtime.spawn(async move {
            let permit = jobs.workers.clone().acquire_owned().await;
            jobs.queued.fetch_sub(1, Ordering::Relaxed);
            let outcome = match permit {
                Ok(_permit) if !live.cancelled.load(Ordering::Relaxed) => {
                    jobs.running.fetch_add(1, Ordering::Relaxed);
                    let outcome = jobs.run(run, spec, live.clone()).await;
                    jobs.running.fetch_sub(1, Ordering::Relaxed);
                    outcome
                }
                _ => Err(cancelled_why(&live)),
            };
            if let Err(e) = jobs.finish(run, outcome, &live).await {
                tracing::error!(run, error = %e, "storing a run's outcome");
            }
            jobs.live
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remove(&run);
        });
    }

    async fn run(
        &self,
        run: i64,
        spec: JobSpec,
        live: Arc<LiveRun>,
    ) -> std::result::Result<Finished, String> {
        let updated = sqlx::query(
            "UPDATE runs SET status = 'running', started_ms = $1 WHERE id = $2 AND status = 'queued' AND instance = $3",
        )
        .bind(now_ms())
        .bind(run)
        .bind(&self.instance)
        .execute(&self.db.pool)
        .await
        .map_err(|e| format!("marking the run running: {e}"))?;
        if updated.rows_affected() != 1 {
            return Err("the run is no longer queued".into());
        }
        tracing::info!(run, kind = ?spec.kind, scenario = %spec.scenario, "run started");
        let data_files = match &spec.data_set {
            Some(data_set) => Some(
                datasets::files(&self.db, data_set)
                    .await
                    .map_err(|e| format!("reading the data set: {e}"))?,
            ),
            None => None,
        };
        let threads = self.threads;
        let benchmarks = self.benchmarks.clone();
        let worker_live = live.clone();
        let joined = tokio::task::spawn_blocking(move || {
            catch_unwind(AssertUnwindSafe(|| {
                run_workflow(
                    &spec,
                    data_files.as_ref(),
                    threads,
                    &benchmarks,
                    worker_live.as_ref(),
                )
            }))
        })
        .await;
        match joined {
            Ok(Ok(result)) => result,
            Ok(Err(payload)) if payload.is::<Cancelled>() => Err(cancelled_why(&live)),
            Ok(Err(payload)) => Err(format!(
                "the workflow stopped on a bug: {}",
                panic_text(&payload)
            )),
            Err(e) => Err(format!("the worker thread failed: {e}")),
        }
    }

    /// Stores a run's result (and its plans) or its failure, with the audit row, and tells the listeners.
    async fn finish(
        &self,
        run: i64,
        outcome: std::result::Result<Finished, String>,
        live: &LiveRun,
    ) -> Result<()> {
        let mut write = self.db.write().await?;
        let progress = serde_json::to_string(&live.snapshot()).unwrap_or_default();
        let (status, event) = match &outcome {
            Ok(finished) => {
                let (schedule_csv, crew_csv) = finished.schedule.clone().unzip();
                let done = sqlx::query(
                    "UPDATE runs SET status = 'done', result = $1, progress = $2, finished_ms = $3, \
                     schedule_csv = $4, crew_csv = $5, replications = $6 \
                     WHERE id = $7 AND status = 'running' AND instance = $8",
                )
                .bind(&finished.json)
                .bind(&progress)
                .bind(now_ms())
                .bind(schedule_csv)
                .bind(crew_csv)
                .bind(live.replications.load(Ordering::Relaxed) as i64)
                .bind(run)
                .bind(&self.instance)
                .execute(&mut *write.tx)
                .await?;
                if done.rows_affected() != 1 {
                    return Err(Error::Conflict(format!(
                        "run {run} was taken from this server (marked failed on a restart) before it ended"
                    )));
                }
                store_plans(&mut write, run, &finished.json).await?;
                (
                    "done",
                    Event {
                        name: "done",
                        data: format!(r#"{{"id":{run},"status":"done"}}"#),
                    },
                )
            }
            Err(why) => {
                sqlx::query(
                    "UPDATE runs SET status = 'failed', error = $1, progress = $2, finished_ms = $3, \
                     replications = $4 WHERE id = $5 AND status IN ('queued', 'running') AND instance = $6",
                )
                .bind(why)
                .bind(&progress)
                .bind(now_ms())
                .bind(live.replications.load(Ordering::Relaxed) as i64)
                .bind(run)
                .bind(&self.instance)
                .execute(&mut *write.tx)
                .await?;
                let data = serde_json::json!({ "id": run, "status": "failed", "error": why });
                (
                    "failed",
                    Event {
                        name: "failed",
                        data: data.to_string(),
                    },
                )
            }
        };
        let content =
            serde_json::json!({ "id": run, "status": status, "error": outcome.as_ref().err() });
        audit::append(
            &mut write,
            &SYSTEM,
            "run.finish",
            &format!("run/{run}"),
            &content,
        )
        .await?;
        write.commit().await?;
        match status {
            "done" => self.done.fetch_add(1, Ordering::Relaxed),
            _ => self.failed.fetch_add(1, Ordering::Relaxed),
        };
        tracing::info!(run, status, "run ended");
        let _ = live.events.send(event);
        Ok(())
    }

    /// Asks a run of this process to stop; `false` when it is not running here.
    pub fn cancel(&self, run: i64, by: &str) -> bool {
        match self.live(run) {
            Some(live) => {
                *live.cancelled_by.lock().unwrap_or_else(|e| e.into_inner()) = Some(by.to_string());
                live.cancelled.store(true, Ordering::Relaxed);
                true
            }
            None => false,
        }
    }

    /// Stops every run of this process (a shutdown): each is marked failed with why.
    pub fn cancel_all(&self, why: &str) {
        let live: Vec<Arc<LiveRun>> = self
            .live
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .values()
            .cloned()
            .collect();
        for run in live {
            *run.cancelled_by.lock().unwrap_or_else(|e| e.into_inner()) = Some(why.to_string());
            run.cancelled.store(true, Ordering::Relaxed);
        }
    }

    /// Waits up to `limit` for this process's runs to be stored as ended.
    pub async fn drain(&self, limit: Duration) {
        let start = Instant::now();
        while start.elapsed() < limit
            && !self
                .live
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .is_empty()
        {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

fn cancelled_why(live: &LiveRun) -> String {
    match live
        .cancelled_by
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_deref()
    {
        Some(by) if by.starts_with("the server") => by.to_string(),
        Some(by) => format!("cancelled by {by}"),
        None => "cancelled".to_string(),
    }
}

fn panic_text(payload: &Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".into())
}

/// Runs a job's workflow: the same library call `ucodts recover --json` / `simulate --scenario --json` /
/// `bench crew-recovery --json` / `bench roadef2009 --json` make, serialized the same way. A recover run
/// also writes the schedule export (`recover --schedule-out`) to a temporary folder and hands its two files
/// back; the result's `schedule_out` (their temporary paths) is left out, as the CLI has it without
/// `--schedule-out`. An imported data set's files are written to the temporary folder and passed as the
/// CLI's `--data DIR`.
fn run_workflow(
    spec: &JobSpec,
    data_files: Option<&Files>,
    threads: usize,
    benchmarks: &std::path::Path,
    progress: &dyn Progress,
) -> std::result::Result<Finished, String> {
    let work = tempfile::tempdir().map_err(|e| format!("a temporary folder: {e}"))?;
    let data_dir = match data_files {
        Some(files) => {
            let dir = work.path().join("data");
            datasets::write_files(files, &dir).map_err(|e| format!("writing the data set: {e}"))?;
            Some(dir)
        }
        None => None,
    };
    let scenario = match &spec.scenario_toml {
        Some(toml) => {
            let path = work.path().join(format!("{}.toml", spec.scenario));
            std::fs::write(&path, toml).map_err(|e| format!("writing the scenario: {e}"))?;
            path.display().to_string()
        }
        None => spec.scenario.clone(),
    };
    let finished = match spec.kind {
        JobKind::Recover => {
            let defaults = RecoverRequest::new(&scenario);
            let legs_path = work.path().join("schedule.csv");
            let request = RecoverRequest {
                seed: spec.seed,
                replications: spec.reps.unwrap_or(defaults.replications),
                time_limit_seconds: spec.time_limit_s.unwrap_or(defaults.time_limit_seconds),
                policy: spec.policy.clone().unwrap_or(defaults.policy.clone()),
                crew_policy: spec
                    .crew_policy
                    .clone()
                    .unwrap_or(defaults.crew_policy.clone()),
                candidates: spec.candidates.unwrap_or(defaults.candidates),
                threads,
                data: data_dir.clone(),
                schedule_out: Some(legs_path.clone()),
                ..defaults
            };
            recovery::recover(&request, progress).and_then(|mut report| {
                let files = report.schedule_out.take();
                let read = |path: &std::path::Path| {
                    ucodts_workflows::Context::context(
                        std::fs::read_to_string(path),
                        "reading the schedule export back",
                    )
                };
                let schedule = match files {
                    Some(_) => Some((
                        read(&legs_path)?,
                        read(&recovery::export::crew_path(&legs_path))?,
                    )),
                    None => None,
                };
                Ok(Finished {
                    json: serde_json::to_string_pretty(&report)?,
                    schedule,
                })
            })
        }
        JobKind::Simulate => {
            let run = RunRequest {
                reps: spec.reps,
                seed: spec.seed,
                threads,
                params: None,
            };
            twin::simulate_scenario(&scenario, data_dir.as_deref(), &run, None, progress).and_then(
                |r| {
                    Ok(Finished {
                        json: serde_json::to_string_pretty(&r)?,
                        schedule: None,
                    })
                },
            )
        }
        JobKind::BenchCrew => {
            let request = CrewBenchRequest {
                instances_dir: benchmarks.join("gmcm2021f"),
                time_limit_seconds: spec.time_limit_s.unwrap_or(30.0),
                columns_per_crew: 40,
                cases: spec.cases,
            };
            crew_bench::run(&request, progress).and_then(|r| {
                Ok(Finished {
                    json: serde_json::to_string_pretty(&r)?,
                    schedule: None,
                })
            })
        }
        JobKind::BenchRoadef => {
            let request = RoadefBenchRequest {
                instances_dir: benchmarks.join("roadef2009").join("instances"),
                instances: spec.instances.clone().unwrap_or_default(),
                time_limit_seconds: spec.time_limit_s.unwrap_or(60.0),
                threads: 1,
                policy: spec.policy.clone().unwrap_or_else(|| "best".into()),
                out: None,
                policy_cmd: None,
                objective: spec
                    .objective
                    .as_deref()
                    .and_then(roadef_bench::Objective::from_name)
                    .unwrap_or_default(),
            };
            roadef_bench::bench(&request, progress).and_then(|r| {
                Ok(Finished {
                    json: serde_json::to_string_pretty(&r)?,
                    schedule: None,
                })
            })
        }
    };
    finished.map_err(|e| {
        // Without the temporary folder: `legs.csv:3: ...`, `the data set`, `NAME.toml`.
        let work = work.path().display().to_string();
        let chain = error_chain(&e)
            .replace(&format!("{work}/data/"), "")
            .replace(&format!("{work}/data"), "the imported data set")
            .replace(&format!("{work}/"), "");
        match e.is_invalid_request() {
            true => format!("invalid request: {chain}"),
            false => chain,
        }
    })
}

/// An error with its causes, as the binary prints it (`a: b: c`).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// The plans of a recover result, one row each, so a scheduler can decide on them.
async fn store_plans(write: &mut crate::db::Write, run: i64, result: &str) -> Result<()> {
    let report: serde_json::Value = serde_json::from_str(result)
        .map_err(|e| Error::Internal(format!("reading back run {run}'s result: {e}")))?;
    let Some(plans) = report.get("plans").and_then(|p| p.as_array()) else {
        return Ok(());
    };
    sqlx::query("UPDATE runs SET window_start = $1, window_end = $2 WHERE id = $3")
        .bind(report.get("window_start").and_then(|w| w.as_str()))
        .bind(report.get("window_end").and_then(|w| w.as_str()))
        .bind(run)
        .execute(&mut *write.tx)
        .await?;
    for (i, plan) in plans.iter().enumerate() {
        let rank = plan
            .get("rank")
            .and_then(|r| r.as_i64())
            .unwrap_or(i as i64 + 1);
        sqlx::query(
            "INSERT INTO plans (run_id, rank, policy, recommended, plan) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(run)
        .bind(rank)
        .bind(plan.get("policy").and_then(|p| p.as_str()).unwrap_or_default())
        .bind(i64::from(plan.get("recommended").and_then(|r| r.as_bool()).unwrap_or(false)))
        .bind(plan.to_string())
        .execute(&mut *write.tx)
        .await?;
    }
    Ok(())
}

/// On start: every run still queued or running (under any instance: the one that owned it is gone) is
/// marked failed with why. Returns how many.
pub async fn fail_orphans(db: &Db) -> Result<u64> {
    let rows =
        sqlx::query("SELECT id, status, instance FROM runs WHERE status IN ('queued', 'running')")
            .fetch_all(&db.pool)
            .await?;
    for row in &rows {
        let id: i64 = row.try_get("id")?;
        let status: String = row.try_get("status")?;
        let why = format!(
            "the server stopped while this run was {status} (it was killed or crashed); start the run again"
        );
        let mut write = db.write().await?;
        sqlx::query(
            "UPDATE runs SET status = 'failed', error = $1, finished_ms = $2 WHERE id = $3 AND status = $4",
        )
        .bind(&why)
        .bind(now_ms())
        .bind(id)
        .bind(&status)
        .execute(&mut *write.tx)
        .await?;
        let content = serde_json::json!({ "id": id, "status": "failed", "error": why });
        audit::append(
            &mut write,
            &SYSTEM,
            "run.finish",
            &format!("run/{id}"),
            &content,
        )
        .await?;
        write.commit().await?;
        tracing::warn!(
            run = id,
            "a run left {status} by a stopped server is marked failed"
        );
    }
    Ok(rows.len() as u64)
}
