//! Who is calling and what they may do: roles, argon2id passwords, server-side sessions with a CSRF token,
//! hashed API tokens, the [`Caller`] every handler asks for, and the login rate limit.
//!
//! A session is a random id in an HttpOnly, SameSite=Strict cookie; the table keeps its SHA-256, so a copy
//! of the database opens no session. A request that changes state with a session must send the session's
//! CSRF token in `X-CSRF-Token`; a machine sends `Authorization: Bearer TOKEN` instead and needs no CSRF
//! token (no browser sends it on its own).

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::str::FromStr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::{dev::Payload, web, FromRequest, HttpRequest};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::db::{now_ms, Db};
use crate::error::{Error, Result};
use crate::AppState;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "ucodts_session";
/// How long a session lasts: a working day and a half.
pub const SESSION_LIFETIME_MS: i64 = 12 * 3600 * 1000;
/// Longest password accepted (argon2 takes any length; a bound keeps hashing cost bounded).
const MAX_PASSWORD_BYTES: usize = 1024;

/// What a user may do. Every role reads what a viewer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads scenarios, runs, plans, decisions, incidents and the audit log.
    Viewer,
    /// Adds scenarios, starts and cancels runs.
    Planner,
    /// Accepts or rejects plans.
    Scheduler,
    /// Runs benchmarks (through runs, as a planner does).
    Researcher,
    /// Posts movement events (the live feed).
    Feed,
    /// Manages users and API tokens.
    Admin,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Viewer,
        Role::Planner,
        Role::Scheduler,
        Role::Researcher,
        Role::Feed,
        Role::Admin,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Planner => "planner",
            Role::Scheduler => "scheduler",
            Role::Researcher => "researcher",
            Role::Feed => "feed",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Role, String> {
        Role::ALL
            .into_iter()
            .find(|r| r.name() == s)
            .ok_or_else(|| {
                format!("`{s}` is not a role (viewer, planner, scheduler, researcher, feed, admin)")
            })
    }
}

/// 32 random bytes from the operating system, as 64 hex digits.
pub fn random_hex() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// An argon2id hash (PHC string, with its own random salt) of a password.
pub fn hash_password(password: &str) -> Result<String> {
    check_password(password)?;
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal(format!("hashing a password: {e}")))
}

fn check_password(password: &str) -> Result<()> {
    if password.chars().count() < 12 {
        return Err(Error::bad("password", "must be at least 12 characters"));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(Error::bad(
            "password",
            format!("must be at most {MAX_PASSWORD_BYTES} bytes"),
        ));
    }
    Ok(())
}

fn password_matches(password: &str, phc: &str) -> bool {
    password.len() <= MAX_PASSWORD_BYTES
        && PasswordHash::new(phc).is_ok_and(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
}

/// A hash that no password matches, verified when the name is unknown so that a wrong name takes as long
/// as a wrong password.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| {
        Argon2::default()
            .hash_password(random_hex().as_bytes(), &SaltString::generate(&mut OsRng))
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

/// A user name: 1 to 64 letters, digits, `.`, `_`, `-`.
pub fn check_user_name(name: &str) -> Result<()> {
    if name.is_empty()
        || name.len() > 64
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        return Err(Error::bad(
            "name",
            "must be 1 to 64 letters, digits, `.`, `_` or `-`",
        ));
    }
    Ok(())
}

/// How the caller proved who they are.
#[derive(Debug, Clone)]
pub enum Credential {
    Session { id_hash: String },
    Token,
}

/// The authenticated caller of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user_id: i64,
    pub name: String,
    pub role: Role,
    pub credential: Credential,
}

impl Caller {
    /// Who the audit log names for what this caller changes.
    pub fn actor(&self) -> crate::audit::Actor<'_> {
        crate::audit::Actor {
            name: &self.name,
            role: self.role.name(),
        }
    }

    /// Refuses (403) unless the caller has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<()> {
        if roles.contains(&self.role) {
            return Ok(());
        }
        let names: Vec<&str> = roles.iter().map(|r| r.name()).collect();
        Err(Error::Forbidden(format!(
            "this needs the role {}; `{}` is {}",
            names.join(" or "),
            self.name,
            self.role
        )))
    }
}

impl FromRequest for Caller {
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<Caller>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .ok_or_else(|| Error::Internal("no application state".into()))?
                .clone();
            authenticate(&state, &req).await
        })
    }
}

fn header<'r>(req: &'r HttpRequest, name: &str) -> Option<&'r str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}

/// The value of a cookie of the request.
pub fn cookie<'r>(req: &'r HttpRequest, name: &str) -> Option<&'r str> {
    header(req, "cookie")?
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

async fn authenticate(state: &AppState, req: &HttpRequest) -> Result<Caller> {
    let db = &state.db;
    let cache = &state.credentials;
    if let Some(auth) = header(req, "authorization") {
        let token = auth
            .strip_prefix("Bearer ")
            .ok_or_else(|| Error::Unauthorized("Authorization must be `Bearer TOKEN`".into()))?;
        let key = format!("t:{}", sha256_hex(token.trim().as_bytes()));
        let known = match cache.get(&key) {
            Some(known) => known,
            None => {
                let row = sqlx::query(
                    "SELECT u.id, u.name, u.role, t.id AS token_id FROM api_tokens t JOIN users u ON u.id = t.user_id \
                     WHERE t.token_hash = $1 AND t.revoked_ms IS NULL",
                )
                .bind(&key[2..])
                .fetch_optional(&db.pool)
                .await?
                .ok_or_else(|| Error::Unauthorized("unknown or revoked API token".into()))?;
                let known = Known {
                    token_id: Some(row.try_get("token_id")?),
                    ..known(&row)?
                };
                cache.put(key, known.clone());
                known
            }
        };
        return Ok(known.caller(Credential::Token));
    }
    let Some(session) = cookie(req, SESSION_COOKIE) else {
        return Err(Error::Unauthorized(
            "log in first (POST /api/login) or send Authorization: Bearer TOKEN".into(),
        ));
    };
    let id_hash = sha256_hex(session.as_bytes());
    let key = format!("s:{id_hash}");
    let now = now_ms();
    let known = match cache.get(&key).filter(|k| k.expires_ms > now) {
        Some(known) => known,
        None => {
            let row = sqlx::query(
                "SELECT u.id, u.name, u.role, s.csrf_token, s.expires_ms FROM sessions s JOIN users u ON u.id = s.user_id \
                 WHERE s.id_hash = $1 AND s.expires_ms > $2",
            )
            .bind(&id_hash)
            .bind(now)
            .fetch_optional(&db.pool)
            .await?
            .ok_or_else(|| Error::Unauthorized("the session has ended; log in again".into()))?;
            let known = Known {
                csrf: row.try_get("csrf_token")?,
                expires_ms: row.try_get("expires_ms")?,
                ..known(&row)?
            };
            cache.put(key, known.clone());
            known
        }
    };
    let safe_method = matches!(req.method().as_str(), "GET" | "HEAD" | "OPTIONS");
    if !safe_method {
        let sent = header(req, "x-csrf-token").unwrap_or_default();
        if !constant_time_eq(sent.as_bytes(), known.csrf.as_bytes()) {
            return Err(Error::Forbidden(
                "X-CSRF-Token header missing or wrong: send the csrf_token that POST /api/login returned".into(),
            ));
        }
    }
    Ok(known.caller(Credential::Session { id_hash }))
}

/// What the database said of a credential.
#[derive(Debug, Clone)]
struct Known {
    user_id: i64,
    name: String,
    role: Role,
    /// A session's CSRF token (empty for a token).
    csrf: String,
    /// When a session ends (`i64::MAX` for a token).
    expires_ms: i64,
    /// An API token's id, so that revoking it drops it from the cache.
    token_id: Option<i64>,
}

impl Known {
    fn caller(self, credential: Credential) -> Caller {
        Caller {
            user_id: self.user_id,
            name: self.name,
            role: self.role,
            credential,
        }
    }
}

fn known(row: &sqlx::any::AnyRow) -> Result<Known> {
    let role: String = row.try_get("role")?;
    Ok(Known {
        user_id: row.try_get("id")?,
        name: row.try_get("name")?,
        role: role.parse().map_err(Error::Internal)?,
        csrf: String::new(),
        expires_ms: i64::MAX,
        token_id: None,
    })
}

/// How long a checked credential is believed without asking the database again. This server forgets a
/// token it revokes and a session it ends at once; another server on the same PostgreSQL sees a revocation
/// within this time.
pub const CREDENTIAL_TTL: Duration = Duration::from_secs(2);
/// A bound on the cache's memory.
const MAX_CACHED: usize = 10_000;

/// Credentials checked in the last [`CREDENTIAL_TTL`], by the SHA-256 of the token or session id: a read
/// costs no database round trip for who is calling. Only credentials the database accepted are kept.
#[derive(Default)]
pub struct CredentialCache {
    entries: Mutex<HashMap<String, (Known, Instant)>>,
}

impl CredentialCache {
    fn get(&self, key: &str) -> Option<Known> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(key)
            .filter(|(_, at)| at.elapsed() < CREDENTIAL_TTL)
            .map(|(known, _)| known.clone())
    }

    fn put(&self, key: String, known: Known) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_CACHED {
            entries.retain(|_, (_, at)| at.elapsed() < CREDENTIAL_TTL);
            if entries.len() >= MAX_CACHED {
                entries.clear();
            }
        }
        entries.insert(key, (known, Instant::now()));
    }

    /// Forgets a revoked token.
    pub fn forget_token(&self, id: i64) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.retain(|_, (known, _)| known.token_id != Some(id));
    }

    /// Forgets an ended session.
    pub fn forget_session(&self, id_hash: &str) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.remove(&format!("s:{id_hash}"));
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A user whose name and password matched.
pub struct LoggedIn {
    pub user_id: i64,
    pub role: Role,
}

/// Checks a name and password (argon2 off the request threads); `None` when either is wrong.
pub async fn check_login(db: &Db, name: &str, password: &str) -> Result<Option<LoggedIn>> {
    let row = sqlx::query("SELECT id, role, password_hash FROM users WHERE name = $1")
        .bind(name)
        .fetch_optional(&db.pool)
        .await?;
    let (user, phc) = match &row {
        Some(r) => {
            let role: String = r.try_get("role")?;
            let user = LoggedIn {
                user_id: r.try_get("id")?,
                role: role.parse().map_err(Error::Internal)?,
            };
            (Some(user), r.try_get::<String, _>("password_hash")?)
        }
        None => (None, decoy_hash().to_string()),
    };
    let password = password.to_string();
    let matches = tokio::task::spawn_blocking(move || password_matches(&password, &phc))
        .await
        .map_err(|e| Error::Internal(format!("checking a password: {e}")))?;
    Ok(user.filter(|_| matches))
}

/// Failed logins per user name and per client address: after `MAX_FAILURES` in a window, further tries
/// are refused (429) until the window ends.
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

const MAX_FAILURES: u32 = 5;
const FAILURE_WINDOW: Duration = Duration::from_secs(300);
/// A bound on the limiter's memory: past it, expired entries are dropped, then the oldest.
const MAX_TRACKED: usize = 10_000;

impl Default for LoginLimiter {
    fn default() -> LoginLimiter {
        LoginLimiter {
            failures: Mutex::new(HashMap::new()),
        }
    }
}

impl LoginLimiter {
    fn keys(name: &str, ip: Option<IpAddr>) -> [String; 2] {
        [
            format!("name:{name}"),
            format!("ip:{}", ip.map(|i| i.to_string()).unwrap_or_default()),
        ]
    }

    /// Refuses when the name or the address has too many recent failures.
    pub fn check(&self, name: &str, ip: Option<IpAddr>) -> Result<()> {
        let failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        for key in Self::keys(name, ip) {
            if let Some((count, since)) = failures.get(&key) {
                let age = since.elapsed();
                if *count >= MAX_FAILURES && age < FAILURE_WINDOW {
                    return Err(Error::TooManyRequests {
                        message: format!(
                            "too many failed logins for this name or address; try again in {} s",
                            (FAILURE_WINDOW - age).as_secs() + 1
                        ),
                        retry_after_s: (FAILURE_WINDOW - age).as_secs() + 1,
                    });
                }
            }
        }
        Ok(())
    }

    pub fn failed(&self, name: &str, ip: Option<IpAddr>) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if failures.len() >= MAX_TRACKED {
            failures.retain(|_, (_, since)| since.elapsed() < FAILURE_WINDOW);
        }
        for key in Self::keys(name, ip) {
            let entry = failures.entry(key).or_insert((0, Instant::now()));
            if entry.1.elapsed() >= FAILURE_WINDOW {
                *entry = (0, Instant::now());
            }
            entry.0 += 1;
        }
    }

    pub fn succeeded(&self, name: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        failures.remove(&format!("name:{name}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_matches_its_own_hash_only() {
        let phc = hash_password("correct horse battery").unwrap();
        assert!(phc.starts_with("$argon2id$"));
        assert!(password_matches("correct horse battery", &phc));
        assert!(!password_matches("correct horse battery!", &phc));
        assert_eq!(
            hash_password("short").unwrap_err().to_string(),
            "password: must be at least 12 characters"
        );
    }

    #[test]
    fn five_failures_lock_a_name_out() {
        let limiter = LoginLimiter::default();
        for _ in 0..MAX_FAILURES {
            limiter.check("ana", None).unwrap();
            limiter.failed("ana", None);
        }
        assert!(matches!(
            limiter.check("ana", None),
            Err(Error::TooManyRequests { .. })
        ));
        assert!(limiter.check("bob", "127.0.0.2".parse().ok()).is_ok());
    }
}
