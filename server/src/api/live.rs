//! The live feed on the server: POST /api/feed (role `feed`) stores each accepted event before it answers
//! and each refused one in a dead-letter table with why; GET /api/live/state serves the live state
//! (`ucodts_live::LiveState`) over the embedded default, rebuilt from the stored events when the server
//! starts, so an acknowledged event survives a crash.

use std::sync::{Arc, Mutex, OnceLock, Weak};

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use ucodts_live::{aidx, jsonl, Applied, FeedError, LegEvent, LiveState};
use ucodts_model::Schedule;
use ucodts_workflows::data;

use crate::auth::{Caller, Role};
use crate::db::{now_ms, Db};
use crate::error::{Error, Result};
use crate::AppState;

/// The live state of one server (one `AppState`), behind an async lock that orders check, store and apply.
type Hub = tokio::sync::Mutex<Option<LiveState<'static>>>;

static HUBS: Mutex<Vec<(Weak<AppState>, Arc<Hub>)>> = Mutex::new(Vec::new());
static SCHEDULE: OnceLock<Schedule> = OnceLock::new();

/// Mounts the live routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/feed", web::post().to(feed))
        .route("/api/live/state", web::get().to(live_state));
}

fn hub_of(state: &web::Data<AppState>) -> Arc<Hub> {
    let me = Arc::downgrade(&state.clone().into_inner());
    let mut hubs = HUBS
        .lock()
        .expect("the hub list lock is never poisoned (no panics while held)");
    hubs.retain(|(w, _)| w.strong_count() > 0);
    if let Some((_, hub)) = hubs.iter().find(|(w, _)| w.ptr_eq(&me)) {
        return hub.clone();
    }
    let hub = Arc::new(tokio::sync::Mutex::new(None));
    hubs.push((me, hub.clone()));
    hub
}

fn schedule() -> Result<&'static Schedule> {
    if let Some(s) = SCHEDULE.get() {
        return Ok(s);
    }
    let s = data::default_with_crew()
        .map_err(|e| Error::Internal(format!("the live schedule: {e}")))?;
    Ok(SCHEDULE.get_or_init(|| s))
}

/// The live state of this server: on first use, every stored event re-applied (the tables are migration 3).
async fn open(db: &Db, slot: &mut Option<LiveState<'static>>) -> Result<()> {
    if slot.is_some() {
        return Ok(());
    }
    let schedule = web::block(schedule)
        .await
        .map_err(|e| Error::Internal(format!("building the live schedule: {e}")))??;
    let mut state = LiveState::new(schedule);
    let rows: Vec<(String,)> = sqlx::query_as("SELECT event FROM live_events ORDER BY id")
        .fetch_all(&db.pool)
        .await?;
    for (n, (line,)) in rows.iter().enumerate() {
        let event = jsonl::parse_line(line, n + 1)
            .map_err(|e| Error::Internal(format!("stored live event {}: {e}", n + 1)))?;
        state
            .apply(&event)
            .map_err(|e| Error::Internal(format!("stored live event {}: {e}", n + 1)))?;
    }
    *slot = Some(state);
    Ok(())
}

/// A message the feed refused (also kept in the dead-letter table).
#[derive(Serialize, utoipa::ToSchema)]
struct Refused {
    line: usize,
    kind: &'static str,
    reason: String,
}

/// What became of a JSON-lines post.
#[derive(Serialize, utoipa::ToSchema)]
struct FeedAnswer {
    accepted: usize,
    duplicates: usize,
    rejected: Vec<Refused>,
}

/// Movement events (role feed): JSON lines (`application/x-ndjson`, one event a line) or one AIDX message
/// (`application/xml`). Each accepted event is stored before the answer; each refused one is kept with why.
#[utoipa::path(post, path = "/api/feed", tag = "live",
    request_body(content(
        (String = "application/x-ndjson"),
        (String = "application/xml"),
    ), description = "JSON lines (docs/guide/live.md), or one AIDX flight leg message"),
    responses((status = 200, description = "JSON lines: what was accepted, duplicated, refused (line, kind, reason); AIDX: its acknowledgement",
            content((FeedAnswer = "application/json"), (String = "application/xml"))),
        (status = 400, description = "another Content-Type", body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn feed(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse> {
    caller.require(&[Role::Feed])?;
    let content_type = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_string();
    let xml = match content_type.as_str() {
        "application/x-ndjson" => false,
        "application/xml" | "text/xml" => true,
        other => {
            return Err(Error::bad(
                "Content-Type",
                format!("`{other}`: expected application/x-ndjson or application/xml"),
            ))
        }
    };
    // Each message: its line, its raw text, and the event or why it was refused.
    let messages: Vec<(usize, String, std::result::Result<LegEvent, FeedError>)> = if xml {
        let text = String::from_utf8_lossy(&body).into_owned();
        vec![(1, text, aidx::parse_message(&body))]
    } else {
        let text = String::from_utf8_lossy(&body).into_owned();
        let lines: Vec<&str> = text.lines().collect();
        jsonl::parse_lines(&text)
            .into_iter()
            .map(|(n, r)| (n, lines[n - 1].to_string(), r))
            .collect()
    };
    let hub = hub_of(&state);
    let mut guard = hub.lock().await;
    open(&state.db, &mut guard).await?;
    let live = guard.as_mut().expect("opened above");
    let now = now_ms();
    // One transaction with the audit row (the audit table's writer lock): a post that stores events or
    // dead letters is a change of state, and it is audited once.
    let mut write = state.db.write().await?;
    let mut to_apply = Vec::new();
    let mut answer = FeedAnswer {
        accepted: 0,
        duplicates: 0,
        rejected: Vec::new(),
    };
    let mut first_error = None;
    let mut batch = std::collections::BTreeSet::new();
    for (line, raw, parsed) in messages {
        let checked = parsed.and_then(|e| live.check(&e).map(|_| e));
        match checked {
            Ok(e) => {
                if live.is_duplicate(&e) || !batch.insert(e.sequence) {
                    answer.duplicates += 1;
                    continue;
                }
                sqlx::query(
                    "INSERT INTO live_events (sequence, event, received_by, received_ms) VALUES ($1, $2, $3, $4)",
                )
                .bind(e.sequence as i64)
                .bind(jsonl::write_line(&e))
                .bind(caller.user_id)
                .bind(now)
                .execute(&mut *write.tx)
                .await?;
                answer.accepted += 1;
                to_apply.push(e);
            }
            Err(err) => {
                sqlx::query(
                    "INSERT INTO live_dead_letters (kind, reason, message, received_by, received_ms) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(err.kind())
                .bind(err.to_string())
                .bind(raw)
                .bind(caller.user_id)
                .bind(now)
                .execute(&mut *write.tx)
                .await?;
                answer.rejected.push(Refused {
                    line,
                    kind: err.kind(),
                    reason: err.to_string(),
                });
                first_error.get_or_insert(err);
            }
        }
    }
    if answer.accepted > 0 || !answer.rejected.is_empty() {
        let content = serde_json::json!({
            "format": if xml { "aidx" } else { "jsonl" },
            "accepted": answer.accepted,
            "duplicates": answer.duplicates,
            "rejected": answer.rejected.len(),
            "first_sequence": to_apply.first().map(|e| e.sequence),
            "last_sequence": to_apply.last().map(|e| e.sequence),
            "body_sha256": crate::auth::sha256_hex(&body),
        });
        let actor = caller.actor();
        crate::audit::append(&mut write, &actor, "feed.post", "feed", &content).await?;
    }
    write.commit().await?;
    for e in &to_apply {
        let applied = live
            .apply(e)
            .map_err(|err| Error::Internal(format!("applying a checked event: {err}")))?;
        debug_assert!(matches!(applied, Applied::Applied { .. }));
    }
    if xml {
        let sequence = to_apply.first().map(|e| e.sequence);
        let ack = aidx::acknowledgement(sequence, first_error.as_ref().map_or(Ok(()), Err));
        return Ok(HttpResponse::Ok().content_type("application/xml").body(ack));
    }
    Ok(HttpResponse::Ok().json(answer))
}

/// The live state of the operation (every role): the embedded default's legs with the movements the feed
/// reported (`ucodts_live::LiveState`'s snapshot).
#[utoipa::path(get, path = "/api/live/state", tag = "live",
    responses((status = 200, description = "the live state", body = Object),
        (status = 401, body = crate::error::ErrorBody)))]
async fn live_state(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse> {
    let _ = caller;
    let hub = hub_of(&state);
    let mut guard = hub.lock().await;
    open(&state.db, &mut guard).await?;
    let snapshot = guard.as_ref().expect("opened above").snapshot();
    Ok(HttpResponse::Ok().json(snapshot))
}
