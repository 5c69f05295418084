//! `ucodts serve`, `ucodts user add`, `ucodts audit verify`: the operations service (the `ucodts-server`
//! library) from the command line.

use std::io::Read;

use anyhow::{bail, Context, Result};

/// Where the service keeps its data unless `--db` says otherwise.
const DEFAULT_DB: &str = "sqlite://ucodts-data/ucodts.db";

#[derive(clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// The database: sqlite:///path/file.db (created when missing) or postgres://user@host/db.
    #[arg(long, default_value = DEFAULT_DB)]
    pub db: String,
    /// Runs that may work at once (each uses two threads for its Monte Carlo runs).
    #[arg(long, default_value_t = 1)]
    pub job_workers: usize,
    /// Runs that may wait for a worker; past that, POST /api/runs answers 503.
    #[arg(long, default_value_t = 16)]
    pub max_queued: usize,
    /// The benchmarks' folder of researchers' runs: roadef2009/instances and gmcm2021f under it.
    #[arg(long, default_value = "../shared/benchmarks")]
    pub benchmarks: std::path::PathBuf,
    /// Mark the session cookie Secure: pass it when clients reach the server over HTTPS (a TLS proxy in
    /// front of it); browsers then never send the cookie over plain HTTP.
    #[arg(long)]
    pub secure_cookies: bool,
    /// Also take the movement feed from a NATS JetStream subject: nats://HOST:PORT. Each message (a JSON
    /// line or an AIDX message) is stored as POST /api/feed stores it, then acknowledged.
    #[arg(long, value_name = "nats://HOST:PORT")]
    pub nats: Option<String>,
    /// With --nats: the feed's subject (its stream is named after it: ucodts.feed -> UCODTS_FEED).
    #[arg(long, default_value = ucodts_live::nats::DEFAULT_SUBJECT, requires = "nats")]
    pub nats_subject: String,
    /// With --nats: the durable consumer's name; a restarted server goes on from its last acknowledgement.
    #[arg(long, default_value = ucodts_server::feed_nats::DEFAULT_CONSUMER, requires = "nats")]
    pub nats_consumer: String,
}

#[derive(clap::Subcommand)]
pub enum UserWhat {
    /// Add a user of the operations service; the password is read from stdin.
    Add {
        /// The database (as `serve --db`).
        #[arg(long, default_value = DEFAULT_DB)]
        db: String,
        /// The login name: letters, digits, `.`, `_`, `-`.
        #[arg(long)]
        name: String,
        /// viewer, planner, scheduler, researcher, feed or admin.
        #[arg(long)]
        role: String,
        /// Read the password (at least 12 characters) from the first line of stdin. Required: a password
        /// on the command line would show in `ps` and in the shell's history.
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(clap::Subcommand)]
pub enum AuditWhat {
    /// Check the audit log's hash chain; name the first broken row (and exit non-zero) if there is one.
    Verify {
        /// The database (as `serve --db`).
        #[arg(long, default_value = DEFAULT_DB)]
        db: String,
        /// Print {"rows": N, "first_broken": null | {"seq": N, "why": "..."}}.
        #[arg(long)]
        json: bool,
    },
}

pub fn serve(args: ServeArgs) -> Result<()> {
    let config = ucodts_server::ServeConfig {
        job_workers: args.job_workers,
        max_queued: args.max_queued,
        benchmarks: args.benchmarks,
        secure_cookies: args.secure_cookies,
        nats: args
            .nats
            .map(|url| ucodts_server::feed_nats::NatsFeedConfig {
                url,
                subject: args.nats_subject,
                consumer: args.nats_consumer,
            }),
        ..ucodts_server::ServeConfig::new(&args.addr, &args.db)
    };
    Ok(ucodts_server::serve(config)?)
}

pub fn user(what: UserWhat) -> Result<()> {
    let UserWhat::Add {
        db,
        name,
        role,
        password_stdin,
    } = what;
    if !password_stdin {
        bail!("pass --password-stdin and the password on stdin (a password on the command line shows in `ps` and the shell's history)");
    }
    let mut password = String::new();
    std::io::stdin()
        .take(4096)
        .read_to_string(&mut password)
        .context("reading the password from stdin")?;
    let password = password.lines().next().unwrap_or_default();
    let id = ucodts_server::add_user(&db, &name, &role, password)?;
    outln!("Added user {name} ({role}), id {id}.")?;
    Ok(())
}

pub fn audit(what: AuditWhat) -> Result<()> {
    let AuditWhat::Verify { db, json } = what;
    let check = ucodts_server::verify_audit(&db)?;
    if json {
        outln!("{}", serde_json::to_string_pretty(&check)?)?;
    } else if check.first_broken.is_none() {
        outln!("The audit chain holds: {} rows.", check.rows)?;
    }
    match check.first_broken {
        Some(row) => bail!("the audit chain is broken at row {}: {}", row.seq, row.why),
        None => Ok(()),
    }
}
