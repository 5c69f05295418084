//! `ucodts replay`: a recorded day played as a movement feed (the `ucodts-live` library) to stdout or the
//! operations service (docs/guide/live.md).

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use ucodts_live::replay::{recorded_day, ReplayOptions};
use ucodts_live::send::{play, Format, HttpFeed, Lines, Sink};
use ucodts_model::{Date, Minutes};

#[derive(clap::Args)]
pub struct ReplayArgs {
    /// A native data set folder; without it, the embedded default.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// The operating day to play (local date of departure), YYYY-MM-DD.
    #[arg(long)]
    pub date: String,
    /// `max` sends at once in the same order; a number N plays N times real time (60: a minute a second).
    #[arg(long, default_value = "max")]
    pub speed: String,
    /// The wire form: jsonl (one event per line) or aidx (one IATA AIDX FlightLegNotifRQ per line).
    #[arg(long, default_value = "jsonl")]
    pub format: String,
    /// stdout, http://HOST:PORT (POST /api/feed with --token or UCODTS_TOKEN, a user with role feed), or
    /// nats://HOST:PORT (a JetStream subject, --nats-subject, that `serve --nats` consumes).
    #[arg(long, default_value = "stdout")]
    pub to: String,
    /// With --to nats://: the subject to publish to.
    #[arg(long, default_value = ucodts_live::nats::DEFAULT_SUBJECT)]
    pub nats_subject: String,
    /// The API token for --to http://; without it, the environment's UCODTS_TOKEN.
    #[arg(long)]
    pub token: Option<String>,
    /// Minutes before its scheduled departure a cancellation is announced (the record has no notice time).
    #[arg(long, default_value_t = 120)]
    pub cancel_notice_min: i64,
}

pub fn replay(args: ReplayArgs) -> Result<()> {
    let date = Date::parse(&args.date)
        .with_context(|| format!("--date `{}`: expected YYYY-MM-DD", args.date))?;
    let format = Format::parse(&args.format)
        .with_context(|| format!("--format `{}`: expected jsonl or aidx", args.format))?;
    let speed = match args.speed.as_str() {
        "max" => None,
        n => match n.parse::<f64>() {
            Ok(s) if s > 0.0 && s.is_finite() => Some(s),
            _ => bail!("--speed `{n}`: expected max or a positive number"),
        },
    };
    if args.cancel_notice_min < 0 {
        bail!(
            "--cancel-notice-min must be 0 or more, not {}",
            args.cancel_notice_min
        );
    }
    let schedule = match &args.data {
        Some(dir) => ucodts_workflows::data::load(dir)?,
        None => ucodts_datasets::embedded::default_schedule(),
    };
    let day = recorded_day(
        &schedule,
        date,
        ReplayOptions {
            cancel_notice: Minutes(args.cancel_notice_min),
        },
    );
    if day.events.is_empty() {
        bail!("--date {date}: the data set has no recorded legs that day");
    }
    let mut sink: Box<dyn Sink> = if args.to == "stdout" {
        Box::new(Lines(std::io::stdout().lock()))
    } else if args.to.starts_with("http://") {
        let token = args
            .token
            .clone()
            .or_else(|| std::env::var("UCODTS_TOKEN").ok())
            .context("--to http:// needs --token or UCODTS_TOKEN (an API token of a user with role feed)")?;
        Box::new(HttpFeed::new(&args.to, &token, format).map_err(anyhow::Error::msg)?)
    } else if args.to.starts_with("nats://") {
        Box::new(
            ucodts_live::nats::NatsFeed::new(&args.to, &args.nats_subject, format)
                .map_err(|e| anyhow::anyhow!("--to {}: {e}", args.to))?,
        )
    } else {
        bail!(
            "--to `{}`: expected stdout, http://HOST:PORT or nats://HOST:PORT",
            args.to
        );
    };
    let sent = play(&day.events, format, speed, sink.as_mut())
        .with_context(|| format!("sending the feed to {}", args.to))?;
    eprintln!(
        "replayed {date}: {sent} events for {} legs ({} departed, {} arrived, {} cancelled)",
        day.legs, day.departed, day.arrived, day.cancelled
    );
    for a in &day.assumptions {
        eprintln!("  assumed: {a}");
    }
    Ok(())
}

#[derive(clap::Args)]
pub struct ForecastSkillArgs {
    /// A native data set folder; without it, the embedded default.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// A delay-model parameter file from `fit`; without it, as for `simulate`.
    #[arg(long)]
    pub params: Option<PathBuf>,
    /// The recorded day to replay and score, YYYY-MM-DD.
    #[arg(long)]
    pub date: String,
    /// Replications of the rest of the day at each hour.
    #[arg(long, default_value_t = 100)]
    pub reps: u64,
    /// Master seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Threads (0: one per core); the result does not depend on it.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Print JSON instead of the table.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub shard: crate::args::ShardArgs,
}

/// `ucodts forecast-skill`: the rolling twin against persistence, the morning forecast and the record,
/// hour by hour (`ucodts_workflows::forecast_skill`).
pub fn forecast_skill(args: ForecastSkillArgs) -> Result<()> {
    if let (Some(shard), Some(out)) = (args.shard.shard, &args.shard.out) {
        let request = ucodts_workflows::shard::ShardRequest {
            command: ucodts_workflows::shard::ShardCommand::ForecastSkill { date: args.date },
            data: args.data,
            reps: Some(args.reps),
            seed: Some(args.seed),
            params: args.params,
            ..Default::default()
        };
        return crate::write_shard(&request, shard, out, args.threads, args.json);
    }
    let request = ucodts_workflows::forecast_skill::SkillRequest {
        data: args.data,
        params: args.params,
        date: args.date,
        reps: Some(args.reps),
        seed: Some(args.seed),
        threads: args.threads,
    };
    let out = ucodts_workflows::forecast_skill::forecast_skill(
        &request,
        &crate::progress::Bars::new(args.json),
    )?;
    crate::print::out(args.json, &out, || {
        ucodts_workflows::forecast_skill::table(&out)
    })
}
