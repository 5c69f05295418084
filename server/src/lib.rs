//! The operations service of UCODTS: the HTTP API that planners, crew schedulers and researchers share.
//!
//! A planner starts runs — the recovery loop or a scenario simulation, the same library calls as
//! `ucodts recover` and `ucodts simulate --scenario` — which wait as jobs for a bounded pool of workers and
//! stream their progress; a scheduler accepts or rejects the plans of a run with a reason; every state
//! change writes a row of a hash-chained audit log. Users log in to server-side sessions (argon2id
//! passwords, HttpOnly SameSite=Strict cookies, a CSRF token) or send API tokens; six roles decide who may
//! do what ([`api::ROUTES`]). Everything is kept in one database, an SQLite file by default or PostgreSQL,
//! through one code path ([`db`]).
//!
//! The binary's `ucodts serve`, `ucodts user add` and `ucodts audit verify` call [`serve`], [`add_user`]
//! and [`verify_audit`]. Tests and other hosts build the app with [`AppState::open`] and [`routes`]:
//!
//! ```
//! # actix_web::rt::System::new().block_on(async {
//! use actix_web::{test, App};
//! use ucodts_server::{routes, AppState};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let url = format!("sqlite://{}/ops.db", dir.path().display());
//! let state = AppState::open(&url, 1, 4).await.unwrap();
//! let app = test::init_service(App::new().configure(routes(state))).await;
//! let health = test::call_service(&app, test::TestRequest::get().uri("/healthz").to_request()).await;
//! assert_eq!(health.status(), 200);
//! let runs = test::call_service(&app, test::TestRequest::get().uri("/api/runs").to_request()).await;
//! assert_eq!(runs.status(), 401, "every route but the service's own needs a login or a token");
//! # });
//! ```

pub mod accounts;
pub mod api;
pub mod audit;
pub mod auth;
pub mod db;
mod error;
pub mod feed_nats;
pub mod jobs;
pub mod metrics;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpServer};

pub use error::{Error, ErrorBody, Result};

use crate::audit::Actor;
use crate::auth::{LoginLimiter, Role};
use crate::db::Db;
use crate::jobs::Jobs;
use crate::metrics::Metrics;

/// What every handler shares.
pub struct AppState {
    pub db: Db,
    pub jobs: Arc<Jobs>,
    pub metrics: Metrics,
    pub logins: LoginLimiter,
    /// Credentials checked in the last two seconds.
    pub credentials: auth::CredentialCache,
    /// Whether the session cookie carries `Secure` (served over TLS, or behind a TLS proxy).
    pub secure_cookies: bool,
}

/// How a server's state is set up beyond its database.
#[derive(Debug, Clone)]
pub struct Options {
    /// Runs that may work at once.
    pub workers: usize,
    /// Runs that may wait for a worker.
    pub max_queued: usize,
    /// The benchmarks' folder (`roadef2009/instances`, `gmcm2021f`) of researchers' runs.
    pub benchmarks: PathBuf,
    /// Mark the session cookie `Secure`.
    pub secure_cookies: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            workers: 1,
            max_queued: 16,
            benchmarks: PathBuf::from("../shared/benchmarks"),
            secure_cookies: false,
        }
    }
}

impl AppState {
    /// Opens the database (creating and migrating it), marks runs a stopped server left unfinished as
    /// failed, and sets up `workers` job workers with room for `max_queued` waiting runs. Call it inside
    /// the runtime that is to run the jobs.
    pub async fn open(
        db_url: &str,
        workers: usize,
        max_queued: usize,
    ) -> Result<web::Data<AppState>> {
        let options = Options {
            workers,
            max_queued,
            ..Options::default()
        };
        AppState::open_with(db_url, &options).await
    }

    /// [`AppState::open`] with every option.
    pub async fn open_with(db_url: &str, options: &Options) -> Result<web::Data<AppState>> {
        let db = Db::open(db_url).await?;
        jobs::fail_orphans(&db).await?;
        let instance = auth::random_hex();
        Ok(web::Data::new(AppState {
            jobs: Arc::new(Jobs::new(
                db.clone(),
                options.workers,
                options.max_queued,
                instance,
                options.benchmarks.clone(),
            )),
            db,
            metrics: Metrics::default(),
            logins: LoginLimiter::default(),
            credentials: auth::CredentialCache::default(),
            secure_cookies: options.secure_cookies,
        }))
    }
}

/// The whole app — state, routes, input error handlers, request ids, metrics and logs — for `App::configure`.
pub fn routes(state: web::Data<AppState>) -> impl FnOnce(&mut web::ServiceConfig) + Clone {
    move |cfg| {
        cfg.app_data(state).service(
            web::scope("")
                .wrap(from_fn(metrics::observe))
                .configure(api::configure),
        );
    }
}

/// How to run the server.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Where to listen, `127.0.0.1:8080`.
    pub addr: String,
    /// `sqlite:///path/file.db` or `postgres://user@host/db`.
    pub db: String,
    /// Runs that may work at once (each uses `threads` cores for its Monte Carlo runs).
    pub job_workers: usize,
    /// Runs that may wait for a worker; past that, POST /api/runs answers 503.
    pub max_queued: usize,
    /// HTTP worker threads.
    pub http_workers: usize,
    /// The benchmarks' folder of researchers' runs.
    pub benchmarks: PathBuf,
    /// Mark the session cookie `Secure`: set it when clients reach the server over HTTPS (through a TLS
    /// proxy in front of it); browsers then never send the cookie over plain HTTP.
    pub secure_cookies: bool,
    /// Also consume the movement feed from a NATS JetStream subject (`feed_nats`).
    pub nats: Option<feed_nats::NatsFeedConfig>,
}

impl ServeConfig {
    pub fn new(addr: &str, db: &str) -> ServeConfig {
        ServeConfig {
            addr: addr.to_string(),
            db: db.to_string(),
            job_workers: 1,
            max_queued: 16,
            http_workers: 2,
            benchmarks: Options::default().benchmarks,
            secure_cookies: false,
            nats: None,
        }
    }
}

/// JSON log lines on stdout, one per event; `UCODTS_LOG` sets the level (error, warn, info, debug).
pub fn init_logging() {
    let level = match std::env::var("UCODTS_LOG").as_deref() {
        Ok("error") => tracing::Level::ERROR,
        Ok("warn") => tracing::Level::WARN,
        Ok("debug") => tracing::Level::DEBUG,
        _ => tracing::Level::INFO,
    };
    let _ = tracing_subscriber::fmt()
        .json()
        .with_max_level(level)
        .with_target(false)
        .with_current_span(false)
        .try_init();
}

/// `ucodts serve`: runs until SIGTERM or SIGINT, then stops taking requests, lets the open ones finish,
/// stops the runs in progress (each marked failed, with why) and returns.
pub fn serve(config: ServeConfig) -> Result<()> {
    init_logging();
    actix_web::rt::System::new().block_on(async move {
        let options = Options {
            workers: config.job_workers,
            max_queued: config.max_queued,
            benchmarks: config.benchmarks.clone(),
            secure_cookies: config.secure_cookies,
        };
        let state = AppState::open_with(&config.db, &options).await?;
        if accounts::user_count(&state.db).await? == 0 {
            eprintln!(
                "The database has no users yet. Create the admin (the password is read from stdin, never from the command line):\n  \
                 ucodts user add --db '{}' --name admin --role admin --password-stdin",
                db::redact(&config.db)
            );
        }
        if let Some(nats) = &config.nats {
            feed_nats::start(state.clone(), nats).await?;
        }
        let app_state = state.clone();
        let server = HttpServer::new(move || App::new().configure(routes(app_state.clone())))
            .workers(config.http_workers.max(1))
            .shutdown_timeout(5)
            .bind(&config.addr)
            .map_err(|e| Error::Config(format!("--addr {}: {e}", config.addr)))?
            .run();
        eprintln!(
            "ucodts serve: listening on http://{} (database {}); SIGTERM or Ctrl-C stops it",
            config.addr,
            db::redact(&config.db)
        );
        tracing::info!(addr = %config.addr, db = %db::redact(&config.db), "listening");
        server.await.map_err(|e| Error::Internal(format!("the HTTP server: {e}")))?;
        tracing::info!("stopping: runs in progress are stopped and marked failed");
        state
            .jobs
            .cancel_all("the server shut down (SIGTERM or Ctrl-C) while this run was queued or running");
        state.jobs.drain(Duration::from_secs(10)).await;
        Ok(())
    })
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Internal(format!("starting a runtime: {e}")))
}

/// `ucodts user add`: adds a user (the audit row names the actor `cli`). Returns the user's id.
pub fn add_user(db_url: &str, name: &str, role: &str, password: &str) -> Result<i64> {
    let role: Role = role.parse().map_err(|e: String| Error::bad("role", e))?;
    runtime()?.block_on(async {
        let db = Db::open(db_url).await?;
        let actor = Actor {
            name: "cli",
            role: "admin",
        };
        accounts::add_user(&db, &actor, name, role, password).await
    })
}

/// `ucodts audit verify`: checks the audit chain.
pub fn verify_audit(db_url: &str) -> Result<audit::Verification> {
    runtime()?.block_on(async {
        let db = Db::open(db_url).await?;
        audit::verify(&db).await
    })
}
