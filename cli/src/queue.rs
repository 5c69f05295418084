//! The Monte Carlo work queue on NATS JetStream: `ucodts mc submit --nats URL` and `ucodts worker --nats URL`
//! (docs/guide/scale.md). Only transport lives here; the shard run and the merge are the workflows
//! library's (`ucodts_workflows::shard`), the same calls as `simulate --shard I/N` and `mc merge`.
//!
//! `mc submit` puts one job per shard on a work-queue stream and waits for the shards' summaries in the
//! queue's object store, then merges them into the bytes the study's command prints with `--json`
//! (`simulate`, `validate`, `forecast-skill` or `recover`, as `--command` says). A `worker` pulls one
//! job at a time from the stream's durable consumer, runs the shard (telling JetStream every few seconds
//! that it is still at work), puts the summary into the object store, and only then acknowledges the job.
//! A worker killed mid-shard never acknowledges: after the ack wait JetStream hands the job to another
//! worker, and since a shard is a pure function of its inputs, the redone summary is the same. A job that
//! cannot succeed (a scenario the worker cannot find) leaves its error where the summary would be, and
//! `mc submit` stops with it.
//!
//! For a queue named Q (`--queue`, default `ucodts-mc`): stream `Q-jobs` on subject `Q.jobs`, durable
//! consumer `workers`, object store `Q-results`, objects `STUDY/I-of-N.json` (or `.error`).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use async_nats::jetstream::{self, consumer, object_store, stream, AckKind};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use tokio::io::AsyncReadExt;
use ucodts_sim::Shard;
use ucodts_workflows::shard::{self, Merged, ShardFile, ShardRequest};
use ucodts_workflows::{text, Silent};

/// The queue's name unless `--queue` says otherwise.
pub const DEFAULT_QUEUE: &str = "ucodts-mc";
/// The durable consumer all workers share.
const CONSUMER: &str = "workers";
/// A job that fails this many deliveries (workers dying on it) is not delivered again.
const MAX_DELIVERIES: i64 = 10;
/// How often `mc submit` looks for summaries.
const POLL: Duration = Duration::from_millis(200);
/// How long a worker's pull waits for a job before asking again.
const PULL_WAIT: Duration = Duration::from_secs(5);

/// The Monte Carlo command a submitted study runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum StudyCommand {
    Simulate,
    Validate,
    ForecastSkill,
    Recover,
}

/// `ucodts mc submit`
#[derive(clap::Args)]
pub struct SubmitArgs {
    /// The NATS server with JetStream: nats://HOST:PORT.
    #[arg(long, value_name = "nats://HOST:PORT")]
    pub nats: String,
    /// The study's command; its options are the command's own (`--replayed` for validate, `--date` for
    /// forecast-skill, `--scenario` and the policies for recover), and the merged result is what it prints.
    #[arg(long, value_enum, default_value = "simulate")]
    pub command: StudyCommand,
    /// The queue's name (letters, digits, `-`, `_`): its stream, consumer and object store are named after it.
    #[arg(long, default_value = DEFAULT_QUEUE)]
    pub queue: String,
    /// As `simulate --scenario` and `recover --scenario`: a library scenario's name, or a scenario file
    /// every worker can read.
    #[arg(long)]
    pub scenario: Option<String>,
    /// validate: replay the record's cancellations (as `validate --replayed`).
    #[arg(long)]
    pub replayed: bool,
    /// forecast-skill: the day scored (as `forecast-skill --date`).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    #[command(flatten)]
    pub recover: RecoverStudyArgs,
    #[command(flatten)]
    pub data: crate::args::DataArgs,
    /// Replications of the whole study (as `simulate --reps`).
    #[arg(long)]
    pub reps: Option<u64>,
    /// Master seed (as `simulate --seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// A delay-model parameter file every worker can read (as `simulate --params`).
    #[arg(long)]
    pub params: Option<PathBuf>,
    /// How many shard jobs to split the replications into.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub shards: u64,
    /// Write the merged result (what the command prints with `--json`) to this file.
    #[arg(long, value_name = "FILE.json")]
    pub out: Option<PathBuf>,
    /// Print the merged result as the command prints it with `--json`.
    #[arg(long)]
    pub json: bool,
    /// Give up after this many seconds, naming the shards still missing; without it, wait as long as it takes.
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<u64>,
}

/// The options of a `recover` study, as `recover` takes them (its defaults too).
#[derive(clap::Args)]
#[command(next_help_heading = "recover (--command recover)")]
pub struct RecoverStudyArgs {
    /// Aircraft policies (as `recover --policy`). Every shard runs the whole search, so they must find the
    /// same candidates: a search the time limit never cuts does (`constructive`, `greedy`, a generous
    /// `--time-limit`), one cut by the wall clock may not.
    #[arg(long, default_value = "constructive,lns")]
    pub policy: String,
    /// Crew policies (as `recover --crew-policy`).
    #[arg(long, default_value = "auto")]
    pub crew_policy: String,
    /// Wall-clock seconds for all policies together (as `recover --time-limit`).
    #[arg(long, default_value_t = 10.0)]
    pub time_limit: f64,
    /// Candidate plans compared (as `recover --candidates`).
    #[arg(long, default_value_t = 3)]
    pub candidates: usize,
    /// The rule set crew plans keep (as `recover --rules`).
    #[arg(long, default_value = ucodts_workflows::recovery::DEFAULT_RULE_SET)]
    pub rules: String,
    /// The most actions a recommended plan may ask (as `recover --max-actions`).
    #[arg(long, default_value_t = ucodts_model::practice::DEFAULT_MAX_ACTIONS)]
    pub max_actions: usize,
    /// An external aircraft policy every worker can run (as `recover --policy-cmd`).
    #[arg(long, value_name = "CMD ARGS")]
    pub policy_cmd: Option<String>,
}

/// `ucodts worker`
#[derive(clap::Args)]
pub struct WorkerArgs {
    /// The NATS server with JetStream: nats://HOST:PORT.
    #[arg(long, value_name = "nats://HOST:PORT")]
    pub nats: String,
    /// The queue to take shard jobs from (as `mc submit --queue`).
    #[arg(long, default_value = DEFAULT_QUEUE)]
    pub queue: String,
    /// Threads of each shard run (0: one per core). Does not change any result.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Seconds JetStream waits for a sign of life before giving a worker's job to another worker; a running
    /// worker says it is still at work every third of it. Applies when the queue's consumer is created.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub ack_wait: u64,
    /// Stop after this many jobs (by default a worker runs until it is stopped).
    #[arg(long)]
    pub max_jobs: Option<u64>,
}

/// One shard of one study, as it travels on the queue.
#[derive(Debug, Serialize, Deserialize)]
struct Job {
    /// Which submission the shard belongs to (the objects' folder).
    study: String,
    /// `I/N`.
    shard: String,
    request: ShardRequest,
}

/// The JetStream names of a queue.
struct Queue {
    stream: String,
    subject: String,
    bucket: String,
}

impl Queue {
    fn named(name: &str) -> Result<Queue> {
        if name.is_empty()
            || name.len() > 64
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            bail!("--queue `{name}`: expected 1 to 64 letters, digits, `-` or `_`");
        }
        Ok(Queue {
            stream: format!("{name}-jobs"),
            subject: format!("{name}.jobs"),
            bucket: format!("{name}-results"),
        })
    }

    /// Connects and makes sure the stream and the object store exist.
    async fn open(
        &self,
        url: &str,
        who: &str,
    ) -> Result<(
        jetstream::Context,
        stream::Stream,
        object_store::ObjectStore,
    )> {
        let client = ucodts_live::nats::connect(url, who)
            .await
            .map_err(|e| anyhow!("--nats: {e}"))?;
        let js = jetstream::new(client);
        let jobs = js
            .get_or_create_stream(stream::Config {
                name: self.stream.clone(),
                subjects: vec![self.subject.clone()],
                description: Some("ucodts Monte Carlo shard jobs (docs/guide/scale.md)".into()),
                retention: stream::RetentionPolicy::WorkQueue,
                storage: stream::StorageType::File,
                ..Default::default()
            })
            .await
            .with_context(|| format!("the work-queue stream {}", self.stream))?;
        let results = match js.get_object_store(&self.bucket).await {
            Ok(store) => store,
            Err(_) => js
                .create_object_store(object_store::Config {
                    bucket: self.bucket.clone(),
                    description: Some("ucodts Monte Carlo shard summaries".into()),
                    storage: stream::StorageType::File,
                    ..Default::default()
                })
                .await
                .with_context(|| format!("the object store {}", self.bucket))?,
        };
        Ok((js, jobs, results))
    }
}

fn summary_name(study: &str, shard: Shard) -> String {
    format!("{study}/{}-of-{}.json", shard.index(), shard.count())
}

fn error_name(study: &str, shard: Shard) -> String {
    format!("{study}/{}-of-{}.error", shard.index(), shard.count())
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting a runtime for NATS")
}

/// An object's bytes, or `None` while it is not there.
async fn object(store: &object_store::ObjectStore, name: &str) -> Result<Option<Vec<u8>>> {
    match store.info(name).await {
        Ok(info) if !info.deleted => {}
        Ok(_) => return Ok(None),
        Err(e) if e.kind() == object_store::InfoErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(anyhow!("looking for {name}: {e}")),
    }
    let mut bytes = Vec::new();
    store
        .get(name)
        .await
        .with_context(|| format!("reading {name}"))?
        .read_to_end(&mut bytes)
        .await
        .with_context(|| format!("reading {name}"))?;
    Ok(Some(bytes))
}

/// `ucodts mc submit`: the merged study.
pub fn submit(args: SubmitArgs) -> Result<()> {
    let queue = Queue::named(&args.queue)?;
    let command = match args.command {
        StudyCommand::Simulate => shard::ShardCommand::Simulate,
        StudyCommand::Validate => shard::ShardCommand::Validate {
            replayed: args.replayed,
        },
        StudyCommand::ForecastSkill => shard::ShardCommand::ForecastSkill {
            date: args
                .date
                .clone()
                .context("--command forecast-skill needs --date")?,
        },
        StudyCommand::Recover => {
            ucodts_workflows::recovery::check_time_limit(args.recover.time_limit)?;
            let r = &args.recover;
            shard::ShardCommand::Recover(ucodts_workflows::recovery::shard::RecoverOptions {
                policy: r.policy.clone(),
                crew_policy: r.crew_policy.clone(),
                time_limit_seconds: r.time_limit,
                candidates: r.candidates,
                rule_set: r.rules.clone(),
                max_actions: r.max_actions,
                policy_cmd: r.policy_cmd.clone(),
            })
        }
    };
    if args.replayed && args.command != StudyCommand::Validate {
        bail!("--replayed goes with --command validate");
    }
    if args.date.is_some() && args.command != StudyCommand::ForecastSkill {
        bail!("--date goes with --command forecast-skill");
    }
    let request = ShardRequest {
        command,
        scenario: args.scenario.clone(),
        data: args.data.data.clone(),
        from: args.data.from.clone(),
        to: args.data.to.clone(),
        reps: args.reps,
        seed: args.seed,
        params: args.params.clone(),
    };
    let shards: Vec<Shard> = (0..args.shards)
        .map(|i| Shard::new(i, args.shards))
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| anyhow!("--shards {}: {e}", args.shards))?;
    // Unique per submission: the objects of two studies never meet.
    let study = format!(
        "{:x}-{}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
        std::process::id()
    );
    let deadline = args
        .timeout
        .map(|s| Instant::now() + Duration::from_secs(s));
    let merged = runtime()?.block_on(async {
        let (js, _, results) = queue.open(&args.nats, "ucodts mc submit").await?;
        for &shard in &shards {
            let job = Job {
                study: study.clone(),
                shard: shard.to_string(),
                request: request.clone(),
            };
            js.publish(queue.subject.clone(), serde_json::to_vec(&job)?.into())
                .await
                .with_context(|| format!("queueing shard {shard}"))?
                .await
                .with_context(|| format!("queueing shard {shard}: JetStream did not store it"))?;
        }
        eprintln!(
            "queued {} shard jobs of study {study} on {}; waiting for workers (`ucodts worker --nats {} --queue {}`)",
            shards.len(),
            queue.subject,
            args.nats,
            args.queue
        );
        let mut done: BTreeMap<u64, (String, ShardFile)> = BTreeMap::new();
        while done.len() < shards.len() {
            for &shard in &shards {
                if done.contains_key(&shard.index()) {
                    continue;
                }
                if let Some(error) = object(&results, &error_name(&study, shard)).await? {
                    bail!(
                        "shard {shard} failed on a worker: {}",
                        String::from_utf8_lossy(&error)
                    );
                }
                let name = summary_name(&study, shard);
                if let Some(bytes) = object(&results, &name).await? {
                    let text = String::from_utf8(bytes)
                        .with_context(|| format!("{name}: not UTF-8"))?;
                    let file = ShardFile::from_json(&name, &text)?;
                    done.insert(shard.index(), (name, file));
                    eprintln!("shard {shard} done ({} of {})", done.len(), shards.len());
                }
            }
            if done.len() == shards.len() {
                break;
            }
            if deadline.is_some_and(|d| Instant::now() >= d) {
                let missing: Vec<String> = shards
                    .iter()
                    .filter(|s| !done.contains_key(&s.index()))
                    .map(|s| s.to_string())
                    .collect();
                bail!(
                    "--timeout: {} of {} shards still missing: {} (are workers running on queue {}?)",
                    missing.len(),
                    shards.len(),
                    missing.join(", "),
                    args.queue
                );
            }
            tokio::time::sleep(POLL).await;
        }
        let files: Vec<(String, ShardFile)> = done.into_values().collect();
        let merged = shard::merge(&files)?;
        for (name, _) in &files {
            if let Err(e) = results.delete(name).await {
                eprintln!("could not delete {name} from {}: {e}", queue.bucket);
            }
        }
        Ok::<_, anyhow::Error>(merged)
    })?;
    if let Some(out) = &args.out {
        let mut text = serde_json::to_string_pretty(&merged)?;
        text.push('\n');
        ucodts_workflows::write_files(&[(out.as_path(), text)])
            .with_context(|| format!("writing {}", out.display()))?;
        if !args.json {
            println!(
                "Wrote the merged result of {} shards to {}.",
                shards.len(),
                out.display()
            );
            return Ok(());
        }
    }
    print_merged(&merged, args.json)
}

/// Prints a merged study as the single run prints it (`--json`) or as its tables.
pub fn print_merged(merged: &Merged, json: bool) -> Result<()> {
    match merged {
        Merged::Simulate(out) => crate::print::out(json, merged, || text::twin::simulate(out)),
        Merged::Scenario(out) => crate::print::out(json, merged, || text::twin::scenario(out)),
        Merged::Validate(out) => crate::print::out(json, merged, || text::twin::validation(out)),
        Merged::ForecastSkill(out) => crate::print::out(json, merged, || {
            ucodts_workflows::forecast_skill::table(out)
        }),
        Merged::Recover(out) => crate::print::out(json, merged, || out.summary()),
    }
}

/// `ucodts worker`: takes shard jobs until stopped (or `--max-jobs`).
pub fn worker(args: WorkerArgs) -> Result<()> {
    let queue = Queue::named(&args.queue)?;
    let me = format!("worker {}", std::process::id());
    let ack_wait = Duration::from_secs(args.ack_wait);
    runtime()?.block_on(async {
        let (_, jobs, results) = queue.open(&args.nats, "ucodts worker").await?;
        let consumer: consumer::PullConsumer = jobs
            .get_or_create_consumer(
                CONSUMER,
                consumer::pull::Config {
                    durable_name: Some(CONSUMER.to_string()),
                    description: Some("ucodts workers".into()),
                    ack_policy: consumer::AckPolicy::Explicit,
                    ack_wait,
                    max_deliver: MAX_DELIVERIES,
                    ..Default::default()
                },
            )
            .await
            .with_context(|| format!("the consumer {CONSUMER} of {}", queue.stream))?;
        eprintln!("{me}: waiting for shard jobs on {}", queue.subject);
        let mut taken = 0;
        while args.max_jobs.map_or(true, |max| taken < max) {
            let mut batch = match consumer
                .fetch()
                .max_messages(1)
                .expires(PULL_WAIT)
                .messages()
                .await
            {
                Ok(batch) => batch,
                Err(e) => {
                    eprintln!("{me}: pulling a job: {e}");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            };
            let Some(message) = batch.next().await else {
                continue;
            };
            let message = match message {
                Ok(m) => m,
                Err(e) => {
                    eprintln!("{me}: pulling a job: {e}");
                    continue;
                }
            };
            taken += 1;
            let delivery = message.info().map_or(1, |i| i.delivered);
            let job: Job = match serde_json::from_slice(&message.payload) {
                Ok(job) => job,
                Err(e) => {
                    eprintln!("{me}: not a shard job, dropped: {e}");
                    let _ = message.ack_with(AckKind::Term).await;
                    continue;
                }
            };
            let shard: Shard = match job.shard.parse() {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("{me}: job with shard `{}`, dropped: {e}", job.shard);
                    let _ = message.ack_with(AckKind::Term).await;
                    continue;
                }
            };
            eprintln!(
                "{me}: running shard {shard} of study {} (delivery {delivery})",
                job.study
            );
            let threads = args.threads;
            let request = job.request;
            let work = async {
                let ran = tokio::task::spawn_blocking(move || {
                    shard::run(&request, shard, threads, &Silent)
                })
                .await
                .context("the shard run panicked")?;
                let (name, bytes) = match ran {
                    Ok(file) => (summary_name(&job.study, shard), file.to_json()?.into_bytes()),
                    Err(e) => (error_name(&job.study, shard), format!("{e:#}").into_bytes()),
                };
                results
                    .put(name.as_str(), &mut bytes.as_slice())
                    .await
                    .with_context(|| format!("storing {name} in {}", queue.bucket))?;
                Ok::<_, anyhow::Error>(name)
            };
            tokio::pin!(work);
            let mut alive = tokio::time::interval(ack_wait / 3);
            alive.tick().await;
            let stored = loop {
                tokio::select! {
                    stored = &mut work => break stored,
                    _ = alive.tick() => {
                        let _ = message.ack_with(AckKind::Progress).await;
                    }
                }
            };
            match stored {
                Ok(name) => match message.double_ack().await {
                    Ok(()) => eprintln!("{me}: stored {name}, job acknowledged"),
                    Err(e) => eprintln!("{me}: stored {name}; the acknowledgement failed ({e}), so the job may run again"),
                },
                Err(e) => {
                    eprintln!("{me}: shard {shard}: {e:#}; handing the job back");
                    let _ = message.ack_with(AckKind::Nak(None)).await;
                }
            }
        }
        Ok(())
    })
}
