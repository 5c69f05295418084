//! The audit log: one row per state change (who, their role, what, the changed object's content hash, when),
//! chained by hashes so that an edited, removed or inserted row shows.
//!
//! Row `seq` (1, 2, 3, ... without gaps) stores `prev_hash`, the previous row's `hash` (64 zeros for the
//! first), and `hash` = SHA-256 of its own fields and `prev_hash`. [`verify`] recomputes the chain and names
//! the first row that does not fit. Rows are appended inside the transaction of the change they record
//! ([`crate::db::Write`]), so a change and its audit row exist together or not at all.

use serde::Serialize;
use sqlx::Row;

use crate::auth::sha256_hex;
use crate::db::{now_ms, rfc3339, Db, Write};
use crate::error::Result;

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who did it: a user with their role, or the server itself (`system`) finishing a job.
pub struct Actor<'a> {
    pub name: &'a str,
    pub role: &'a str,
}

pub const SYSTEM: Actor<'static> = Actor {
    name: "system",
    role: "system",
};

/// One audit row as the API lists it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    pub seq: i64,
    /// RFC 3339, UTC.
    pub at: String,
    pub actor: String,
    pub role: String,
    /// What was done: `user.add`, `token.create`, `token.revoke`, `session.login`, `dataset.create`,
    /// `run.create`, `run.cancel`, `run.finish`, `scenario.create`, `plan.accept`, `plan.reject`,
    /// `incident.create`, `feed.post` (a feed post that stored events or dead letters).
    pub action: String,
    /// The object changed, as `kind/id` (`run/4`, `plan/12`).
    pub object: String,
    /// SHA-256 of the object's content as stored (its JSON).
    pub content_hash: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash of a row: `seq`, `at_ms`, then actor, role, action, object, content hash and previous hash.
fn row_hash(seq: i64, at_ms: i64, fields: [&str; 6]) -> String {
    // Unit separators keep field boundaries unambiguous (`ab`+`c` differs from `a`+`bc`).
    let mut text = format!("{seq}\u{1f}{at_ms}");
    for field in fields {
        text.push('\u{1f}');
        text.push_str(field);
    }
    sha256_hex(text.as_bytes())
}

/// Appends the audit row of a change inside its transaction. `content` is the object as stored.
pub async fn append(
    write: &mut Write,
    actor: &Actor<'_>,
    action: &str,
    object: &str,
    content: &serde_json::Value,
) -> Result<()> {
    let last = sqlx::query("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
        .fetch_optional(&mut *write.tx)
        .await?;
    let (seq, prev_hash) = match last {
        Some(row) => (row.try_get::<i64, _>("seq")? + 1, row.try_get("hash")?),
        None => (1, GENESIS.to_string()),
    };
    let at_ms = now_ms();
    let content_hash = sha256_hex(content.to_string().as_bytes());
    let hash = row_hash(
        seq,
        at_ms,
        [
            actor.name,
            actor.role,
            action,
            object,
            &content_hash,
            &prev_hash,
        ],
    );
    sqlx::query(
        "INSERT INTO audit (seq, at_ms, actor, role, action, object, content_hash, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(seq)
    .bind(at_ms)
    .bind(actor.name)
    .bind(actor.role)
    .bind(action)
    .bind(object)
    .bind(content_hash)
    .bind(prev_hash)
    .bind(hash)
    .execute(&mut *write.tx)
    .await?;
    Ok(())
}

fn entry(row: &sqlx::any::AnyRow) -> Result<(AuditEntry, i64)> {
    let at_ms: i64 = row.try_get("at_ms")?;
    Ok((
        AuditEntry {
            seq: row.try_get("seq")?,
            at: rfc3339(at_ms),
            actor: row.try_get("actor")?,
            role: row.try_get("role")?,
            action: row.try_get("action")?,
            object: row.try_get("object")?,
            content_hash: row.try_get("content_hash")?,
            prev_hash: row.try_get("prev_hash")?,
            hash: row.try_get("hash")?,
        },
        at_ms,
    ))
}

/// Entries after `after_seq`, oldest first, at most `limit`.
pub async fn list(db: &Db, after_seq: i64, limit: i64) -> Result<Vec<AuditEntry>> {
    let rows = sqlx::query("SELECT * FROM audit WHERE seq > $1 ORDER BY seq LIMIT $2")
        .bind(after_seq)
        .bind(limit)
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(|r| entry(r).map(|(e, _)| e)).collect()
}

/// What `ucodts audit verify` reports.
#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    pub rows: u64,
    /// The first row that does not fit the chain, and why; `None`: the chain holds.
    pub first_broken: Option<BrokenRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BrokenRow {
    pub seq: i64,
    pub why: String,
}

/// Recomputes the chain from the first row; stops at the first row that does not fit.
pub async fn verify(db: &Db) -> Result<Verification> {
    let rows = sqlx::query("SELECT * FROM audit ORDER BY seq")
        .fetch_all(&db.pool)
        .await?;
    let mut prev_hash = GENESIS.to_string();
    for (n, row) in rows.iter().enumerate() {
        let expected_seq = n as i64 + 1;
        let (e, at_ms) = entry(row)?;
        let why = if e.seq != expected_seq {
            Some(format!(
                "row {expected_seq} is missing (the next row is {})",
                e.seq
            ))
        } else if e.prev_hash != prev_hash {
            Some("its prev_hash is not the previous row's hash (a row before it was removed or changed)".to_string())
        } else if row_hash(
            e.seq,
            at_ms,
            [
                &e.actor,
                &e.role,
                &e.action,
                &e.object,
                &e.content_hash,
                &e.prev_hash,
            ],
        ) != e.hash
        {
            Some("its content does not match its hash (the row was changed)".to_string())
        } else {
            None
        };
        if let Some(why) = why {
            return Ok(Verification {
                rows: n as u64,
                first_broken: Some(BrokenRow {
                    seq: expected_seq.min(e.seq),
                    why,
                }),
            });
        }
        prev_hash = e.hash;
    }
    Ok(Verification {
        rows: rows.len() as u64,
        first_broken: None,
    })
}
