//! The database: one code path for an embedded SQLite file (the default: a fresh machine needs nothing) and
//! PostgreSQL (shared deployments), through sqlx's Any driver. Owns the connection URL's rules, the
//! migrations, and the write transaction every state change goes through (with its audit row).

use std::borrow::Cow;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use futures_util::future::BoxFuture;
use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use sqlx::{Any, AnyPool, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::error::{Error, Result};

/// The schema, written once; `{ID}` is the dialect's auto-numbered primary key.
const SCHEMA_0001: &str = include_str!("../migrations/0001_operations.sql");
/// The recommended plan's schedule export kept with its run.
const SCHEMA_0002: &str = include_str!("../migrations/0002_exports.sql");
/// The live feed's events and dead letters.
const SCHEMA_0003: &str = include_str!("../migrations/0003_live.sql");
/// Imported data sets and their files; the data set a user's scenario was checked against.
const SCHEMA_0004: &str = include_str!("../migrations/0004_datasets.sql");

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    fn of(url: &str) -> Result<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(Error::Config(format!(
                "--db must be sqlite:///path/file.db or postgres://user@host/db, not `{}`",
                redact(url)
            )))
        }
    }

    fn id_column(self) -> &'static str {
        match self {
            Backend::Sqlite => "INTEGER PRIMARY KEY AUTOINCREMENT",
            Backend::Postgres => "BIGSERIAL PRIMARY KEY",
        }
    }
}

/// A URL without its password, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let user_info = &url[scheme_end + 3..at];
            match user_info.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// The migrations of a backend, compiled into the binary.
#[derive(Debug)]
struct Embedded(Backend);

impl<'s> MigrationSource<'s> for Embedded {
    fn resolve(
        self,
    ) -> BoxFuture<'s, std::result::Result<Vec<Migration>, sqlx::error::BoxDynError>> {
        let id = self.0.id_column();
        let migrations = [
            (1, "operations", SCHEMA_0001),
            (2, "exports", SCHEMA_0002),
            (3, "live", SCHEMA_0003),
            (4, "datasets", SCHEMA_0004),
        ]
        .into_iter()
        .map(|(version, name, sql)| {
            Migration::new(
                version,
                Cow::Borrowed(name),
                MigrationType::Simple,
                Cow::Owned(sql.replace("{ID}", id)),
                false,
            )
        })
        .collect();
        Box::pin(async move { Ok(migrations) })
    }
}

/// The database of a server, with the lock that orders the audit chain.
#[derive(Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// Held for the whole of every write transaction, so audit rows get consecutive numbers and each
    /// sees the previous row's hash (PostgreSQL also locks the table, for several servers on one base).
    write_lock: Arc<Mutex<()>>,
}

/// A state change in progress: a transaction that holds the write lock; `audit::append` adds its audit
/// row, `commit` makes both visible at once.
pub struct Write {
    pub tx: Transaction<'static, Any>,
    _lock: OwnedMutexGuard<()>,
}

impl Write {
    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await?;
        Ok(())
    }
}

impl Db {
    /// Connects (creating an SQLite file and its folder when missing) and brings the schema up to date.
    pub async fn open(url: &str) -> Result<Db> {
        install_default_drivers();
        let backend = Backend::of(url)?;
        let url = match backend {
            Backend::Sqlite => sqlite_url(url)?,
            Backend::Postgres => url.to_string(),
        };
        let pool = AnyPoolOptions::new()
            // SQLite: each connection is a thread that runs its queries; with WAL, readers do not wait for
            // each other, and 16 of them read faster than 4 or 8 under 100 concurrent clients on two cores
            // (scripts/loadtest.sh: 10,700 reads a second against 7,600 with 4; 32 was no faster).
            .max_connections(match backend {
                Backend::Sqlite => 16,
                Backend::Postgres => 8,
            })
            // SQLite in WAL mode: a commit is written to the WAL but not fsynced (the checkpoint is), so a
            // committed transaction survives the server's own crash (kill -9: the OS still holds the
            // pages) and only a crash of the OS or a power loss can lose the last commits. FULL fsyncs
            // every commit, which held the feed's store under half its speed (docs/guide/live.md).
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        sqlx::Executor::execute(&mut *conn, "PRAGMA synchronous = NORMAL").await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await
            .map_err(|e| Error::Config(format!("connecting to {}: {e}", redact(&url))))?;
        if backend == Backend::Sqlite {
            // WAL lets readers go on while a job writes its result; the setting stays in the file.
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&pool)
                .await?;
        }
        Migrator::new(Embedded(backend)).await?.run(&pool).await?;
        Ok(Db {
            pool,
            backend,
            write_lock: Arc::new(Mutex::new(())),
        })
    }

    /// Begins a state change (see [`Write`]).
    pub async fn write(&self) -> Result<Write> {
        let lock = self.write_lock.clone().lock_owned().await;
        let mut tx = self.pool.begin().await?;
        if self.backend == Backend::Postgres {
            sqlx::query("LOCK TABLE audit IN SHARE ROW EXCLUSIVE MODE")
                .execute(&mut *tx)
                .await?;
        }
        Ok(Write { tx, _lock: lock })
    }
}

/// `sqlite:///path/file.db` with `mode=rwc` (create when missing) unless a mode is given, after creating the
/// file's folder.
fn sqlite_url(url: &str) -> Result<String> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Err(Error::Config(
            "--db sqlite: needs a file, e.g. sqlite:///var/lib/ucodts/ucodts.db (a database in memory would lose every decision)".into(),
        ));
    }
    if let Some(dir) = std::path::Path::new(path)
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::Config(format!("creating the folder {}: {e}", dir.display())))?;
    }
    Ok(if url.contains("mode=") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    })
}

/// Milliseconds since 1970 UTC, the time of every row.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

/// A row's time as RFC 3339 in UTC with milliseconds.
pub fn rfc3339(ms: i64) -> String {
    chrono::DateTime::<chrono::Utc>::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_password_never_reaches_a_message() {
        assert_eq!(
            redact("postgres://ops:s3cret@db.example/ucodts"),
            "postgres://ops:***@db.example/ucodts"
        );
        assert_eq!(redact("postgres://ops@db/u"), "postgres://ops@db/u");
        assert!(Backend::of("mysql://x:pw@h/d")
            .unwrap_err()
            .to_string()
            .contains("***"));
    }

    #[test]
    fn an_sqlite_url_creates_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/new/ops.db", dir.path().display());
        assert_eq!(sqlite_url(&url).unwrap(), format!("{url}?mode=rwc"));
        assert!(dir.path().join("new").is_dir());
        assert!(sqlite_url("sqlite::memory:").is_err());
    }
}
