//! The live feed on the server: POST /api/feed (role `feed`) stores each accepted event before it answers
//! and each refused one in a dead-letter table with why; GET /api/live/state serves the live state
//! (`ucodts_live::LiveState`) over the embedded default, rebuilt from the stored events when the server
//! starts, so an acknowledged event survives a crash.
//!
//! The rolling twin (`ucodts_workflows::forecast`) runs from a tokio task beside it: woken by every post
//! that applied events (debounced, `UCODTS_FORECAST_DEBOUNCE_MS`, 2,000 by default) and every
//! `UCODTS_FORECAST_EVERY_MIN` minutes (5), it re-forecasts the rest of the day when the state changed
//! since the last forecast, with `UCODTS_FORECAST_REPS` replications (100), seed 1 and
//! `UCODTS_OVERDUE_AFTER_MIN` (unset: see `ForecastOptions::overdue_after_min`), off the async
//! threads. GET /api/live/forecast and /api/live/alerts answer the forecast of the current state (run at
//! once if the task has not got to it), GET /api/live/events pushes `state`, `forecast` and `alerts` as
//! server-sent events. The forecast is a function of the stored events, so the same feed gives the same
//! forecast on any server.

use std::sync::{Arc, Mutex, OnceLock, Weak};

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use ucodts_live::{aidx, jsonl, Applied, FeedError, FeedEvent, LiveState};
use ucodts_model::Schedule;
use ucodts_workflows::data;
use ucodts_workflows::forecast::{self, Alert, Forecast, ForecastOptions, RollingTwin};

use crate::auth::{Caller, Role};
use crate::db::{now_ms, Backend, Db};
use crate::error::{Error, Result};
use crate::AppState;

/// The live state of one server (one `AppState`), behind an async lock that orders check, store and
/// apply, and its rolling forecast.
struct Hub {
    live: tokio::sync::Mutex<Option<LiveState<'static>>>,
    rolling: Rolling,
}

/// The latest forecast, who wants to hear of the next one, and the task that makes it.
struct Rolling {
    latest: Mutex<Option<Latest>>,
    /// Held while a forecast runs: one at a time, the next one sees the last one's result.
    computing: tokio::sync::Mutex<()>,
    /// Rung by every post that applied events.
    changed: tokio::sync::Notify,
    /// Server-sent events for GET /api/live/events, as written on the wire.
    events: tokio::sync::broadcast::Sender<web::Bytes>,
    task_started: std::sync::atomic::AtomicBool,
}

/// A forecast and the state version (events applied) it was made from.
#[derive(Clone)]
struct Latest {
    version: u64,
    forecast: Arc<Forecast>,
    actual: Arc<Vec<Alert>>,
}

static HUBS: Mutex<Vec<(Weak<AppState>, Arc<Hub>)>> = Mutex::new(Vec::new());
static SCHEDULE: OnceLock<Schedule> = OnceLock::new();
static TWIN: OnceLock<RollingTwin> = OnceLock::new();

/// Mounts the live routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/feed", web::post().to(feed))
        .route("/api/live/state", web::get().to(live_state))
        .route("/api/live/forecast", web::get().to(live_forecast))
        .route("/api/live/alerts", web::get().to(live_alerts))
        .route("/api/live/events", web::get().to(live_events));
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
    let hub = Arc::new(Hub {
        live: tokio::sync::Mutex::new(None),
        rolling: Rolling {
            latest: Mutex::new(None),
            computing: tokio::sync::Mutex::new(()),
            changed: tokio::sync::Notify::new(),
            events: tokio::sync::broadcast::channel(64).0,
            task_started: std::sync::atomic::AtomicBool::new(false),
        },
    });
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
        let event = jsonl::parse_feed_line(line, n + 1)
            .map_err(|e| Error::Internal(format!("stored live event {}: {e}", n + 1)))?;
        state
            .apply_feed(&event)
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

/// One feed message as it came: JSON lines (many events) or one AIDX message.
pub struct FeedMessage {
    /// An AIDX message (else JSON lines).
    pub xml: bool,
    pub body: web::Bytes,
}

/// What became of one message of a [`store`] call.
pub struct MessageOutcome {
    answer: FeedAnswer,
    /// The sequence number of the first event the message stored.
    first_sequence: Option<u64>,
    /// Why the first refused event of the message was refused.
    first_error: Option<FeedError>,
}

impl MessageOutcome {
    /// Events stored.
    pub fn accepted(&self) -> usize {
        self.answer.accepted
    }
}

/// Events stored in one INSERT statement (2 parameters each: under SQLite's historical limit of 999).
const ROWS_PER_INSERT: usize = 450;

/// The statement that stores `rows` events received by `user` at `ms`: the two integers are written into
/// it (they are ours, not the feed's), the sequence number and the line are parameters. SQLite gets
/// anonymous `?` parameters: sqlx looks each numbered one up by its name, a scan of the statement's
/// parameter list, which made a many-row statement quadratic in its rows.
fn insert_events_sql(backend: Backend, rows: usize, user: i64, ms: i64) -> String {
    let mut sql = String::with_capacity(80 + rows * 24);
    sql.push_str("INSERT INTO live_events (sequence, event, received_by, received_ms) VALUES ");
    for i in 0..rows {
        if i > 0 {
            sql.push_str(", ");
        }
        match backend {
            Backend::Sqlite => sql.push_str(&format!("(?, ?, {user}, {ms})")),
            Backend::Postgres => {
                sql.push_str(&format!("(${}, ${}, {user}, {ms})", 2 * i + 1, 2 * i + 2))
            }
        }
    }
    sql
}

/// Checks `messages`, stores every accepted event and every refused one (a dead letter with why) in one
/// transaction with one audit row, commits, and only then applies the events to the live state: a message
/// is stored whole or not at all, and an event is in the state only once it is stored. The caller may
/// acknowledge the messages once this returns `Ok`.
pub async fn store(
    state: &web::Data<AppState>,
    caller: &Caller,
    messages: &[FeedMessage],
) -> Result<Vec<MessageOutcome>> {
    caller.require(&[Role::Feed])?;
    // Each event: its message, its line, its raw text, and the event or why it was refused.
    type Parsed<'a> = (
        usize,
        usize,
        &'a str,
        std::result::Result<FeedEvent, FeedError>,
    );
    let texts: Vec<std::borrow::Cow<str>> = messages
        .iter()
        .map(|m| String::from_utf8_lossy(&m.body))
        .collect();
    let mut parsed: Vec<Parsed> = Vec::new();
    for (m, (message, text)) in messages.iter().zip(&texts).enumerate() {
        if message.xml {
            let event = aidx::parse_message(&message.body).map(FeedEvent::Leg);
            parsed.push((m, 1, text, event));
        } else {
            let lines: Vec<&str> = text.lines().collect();
            for (n, r) in jsonl::parse_feed_lines(text) {
                parsed.push((m, n, lines[n - 1], r));
            }
        }
    }
    let hub = hub_of(state);
    let mut guard = hub.live.lock().await;
    open(&state.db, &mut guard).await?;
    let live = guard.as_mut().expect("opened above");
    let now = now_ms();
    // One transaction with the audit row (the audit table's writer lock): a store of events or dead
    // letters is a change of state, and it is audited once.
    let mut write = state.db.write().await?;
    let mut to_apply: Vec<FeedEvent> = Vec::new();
    // The JSON lines as they came (they parse to the event: no writing them again), AIDX as JSON lines.
    let mut rows: Vec<(i64, std::borrow::Cow<str>)> = Vec::new();
    let mut outcomes: Vec<MessageOutcome> = messages
        .iter()
        .map(|_| MessageOutcome {
            answer: FeedAnswer {
                accepted: 0,
                duplicates: 0,
                rejected: Vec::new(),
            },
            first_sequence: None,
            first_error: None,
        })
        .collect();
    let mut rejected = 0;
    let mut batch = std::collections::BTreeSet::new();
    for (m, line, raw, parsed) in parsed {
        let outcome = &mut outcomes[m];
        let checked = parsed.and_then(|e| live.check_feed(&e).map(|_| e));
        match checked {
            Ok(e) => {
                if live.is_duplicate_feed(&e) || !batch.insert(e.sequence()) {
                    outcome.answer.duplicates += 1;
                    continue;
                }
                let line = if messages[m].xml {
                    std::borrow::Cow::Owned(jsonl::write_feed_line(&e))
                } else {
                    std::borrow::Cow::Borrowed(raw.trim())
                };
                rows.push((e.sequence() as i64, line));
                outcome.answer.accepted += 1;
                outcome.first_sequence.get_or_insert(e.sequence());
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
                rejected += 1;
                outcome.answer.rejected.push(Refused {
                    line,
                    kind: err.kind(),
                    reason: err.to_string(),
                });
                outcome.first_error.get_or_insert(err);
            }
        }
    }
    // Many rows a statement: one round trip through the driver per ROWS_PER_INSERT events.
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let sql = insert_events_sql(state.db.backend, chunk.len(), caller.user_id, now);
        let mut query = sqlx::query(&sql);
        for (sequence, event) in chunk {
            query = query.bind(*sequence).bind(event.as_ref());
        }
        query.execute(&mut *write.tx).await?;
    }
    if !to_apply.is_empty() || rejected > 0 {
        let format = match (
            messages.iter().any(|m| m.xml),
            messages.iter().any(|m| !m.xml),
        ) {
            (true, false) => "aidx",
            (false, true) => "jsonl",
            _ => "aidx+jsonl",
        };
        let mut bodies = Vec::new();
        for m in messages {
            bodies.extend_from_slice(&m.body);
        }
        let content = serde_json::json!({
            "format": format,
            "messages": messages.len(),
            "accepted": to_apply.len(),
            "duplicates": outcomes.iter().map(|o| o.answer.duplicates).sum::<usize>(),
            "rejected": rejected,
            "first_sequence": to_apply.first().map(|e| e.sequence()),
            "last_sequence": to_apply.last().map(|e| e.sequence()),
            "body_sha256": crate::auth::sha256_hex(&bodies),
        });
        let actor = caller.actor();
        crate::audit::append(&mut write, &actor, "feed.post", "feed", &content).await?;
    }
    write.commit().await?;
    for e in &to_apply {
        let applied = live
            .apply_feed(e)
            .map_err(|err| Error::Internal(format!("applying a checked event: {err}")))?;
        debug_assert!(matches!(applied, Applied::Applied { .. }));
    }
    if !to_apply.is_empty() {
        let _ = hub.rolling.events.send(sse(
            "state",
            &serde_json::json!({"events_applied": live.events_applied(), "now": live.now().map(|t| t.to_string())}),
        ));
        drop(guard);
        start_rolling(state, &hub);
        hub.rolling.changed.notify_one();
    }
    Ok(outcomes)
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
    let outcome = store(&state, &caller, &[FeedMessage { xml, body }])
        .await?
        .pop()
        .expect("one outcome per message");
    if xml {
        let ack = aidx::acknowledgement(
            outcome.first_sequence,
            outcome.first_error.as_ref().map_or(Ok(()), Err),
        );
        return Ok(HttpResponse::Ok().content_type("application/xml").body(ack));
    }
    Ok(HttpResponse::Ok().json(outcome.answer))
}

/// The live state of the operation (every role): the embedded default's legs with the movements the feed
/// reported (`ucodts_live::LiveState`'s snapshot).
#[utoipa::path(get, path = "/api/live/state", tag = "live",
    responses((status = 200, description = "the live state", body = Object),
        (status = 401, body = crate::error::ErrorBody)))]
async fn live_state(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse> {
    let _ = caller;
    let hub = hub_of(&state);
    let mut guard = hub.live.lock().await;
    open(&state.db, &mut guard).await?;
    let snapshot = guard.as_ref().expect("opened above").snapshot();
    Ok(HttpResponse::Ok().json(snapshot))
}

/// One server-sent event as written on the wire.
fn sse(event: &str, data: &impl Serialize) -> web::Bytes {
    let data =
        serde_json::to_string(data).expect("a forecast serializes (no map with non-string keys)");
    web::Bytes::from(format!("event: {event}\ndata: {data}\n\n"))
}

fn env_number<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn forecast_options() -> ForecastOptions {
    ForecastOptions {
        replications: env_number("UCODTS_FORECAST_REPS", 100u64).max(1),
        overdue_after_min: std::env::var("UCODTS_OVERDUE_AFTER_MIN")
            .ok()
            .and_then(|v| v.parse().ok()),
        ..ForecastOptions::default()
    }
}

/// The forecast of the current live state: the latest if the state has not changed since, else made now.
/// `None` before the first event.
async fn current(state: &web::Data<AppState>, hub: &Arc<Hub>) -> Result<Option<Latest>> {
    let _one_at_a_time = hub.rolling.computing.lock().await;
    let options = forecast_options();
    let (version, prepared, actual) = {
        let mut guard = hub.live.lock().await;
        open(&state.db, &mut guard).await?;
        let live = guard.as_ref().expect("opened above");
        let version = live.events_applied();
        let cached = hub
            .rolling
            .latest
            .lock()
            .expect("the forecast lock is never poisoned (no panics while held)")
            .clone();
        if let Some(latest) = cached.filter(|l| l.version == version) {
            return Ok(Some(latest));
        }
        if live.now().is_none() {
            return Ok(None);
        }
        let prepared = forecast::prepare(live, &options)
            .map_err(|e| Error::Internal(format!("reading the live state for a forecast: {e}")))?;
        let actual = forecast::actual_alerts(live, options.long_delay_min);
        (version, prepared, actual)
    };
    let made = web::block(move || {
        TWIN.get_or_init(RollingTwin::embedded)
            .forecast_prepared(&prepared, &options)
    })
    .await
    .map_err(|e| Error::Internal(format!("running the rolling forecast: {e}")))?
    .map_err(|e| Error::Internal(format!("the rolling forecast: {e}")))?;
    let latest = Latest {
        version,
        forecast: Arc::new(made),
        actual: Arc::new(actual),
    };
    *hub.rolling
        .latest
        .lock()
        .expect("the forecast lock is never poisoned (no panics while held)") =
        Some(latest.clone());
    let f = &latest.forecast;
    let _ = hub.rolling.events.send(sse("forecast", &summary(f)));
    let _ = hub.rolling.events.send(sse(
        "alerts",
        &serde_json::json!({"now": f.now, "alerts": f.alerts}),
    ));
    Ok(Some(latest))
}

/// A forecast without its legs: what the event stream pushes.
fn summary(f: &Forecast) -> serde_json::Value {
    serde_json::json!({
        "day": f.day,
        "now": f.now,
        "replications": f.replications,
        "seed": f.seed,
        "so_far": f.so_far,
        "remaining": f.remaining,
        "alerts": f.alerts.len(),
    })
}

/// Starts this server's rolling task once: it re-forecasts after a debounce when posts ring, and every K
/// minutes, whenever the state changed since the last forecast; it ends with its server.
fn start_rolling(state: &web::Data<AppState>, hub: &Arc<Hub>) {
    use std::sync::atomic::Ordering;
    if hub.rolling.task_started.swap(true, Ordering::SeqCst) {
        return;
    }
    let server = Arc::downgrade(&state.clone().into_inner());
    let hub = hub.clone();
    let debounce =
        std::time::Duration::from_millis(env_number("UCODTS_FORECAST_DEBOUNCE_MS", 2_000));
    let every =
        std::time::Duration::from_secs(60 * env_number("UCODTS_FORECAST_EVERY_MIN", 5u64).max(1));
    actix_web::rt::spawn(async move {
        loop {
            tokio::select! {
                _ = hub.rolling.changed.notified() => tokio::time::sleep(debounce).await,
                _ = tokio::time::sleep(every) => {}
            }
            let Some(server) = server.upgrade() else {
                return;
            };
            if let Err(e) = current(&web::Data::from(server), &hub).await {
                tracing::warn!(error = %e, "the rolling forecast failed");
            }
        }
    });
}

fn no_event_yet() -> Error {
    Error::Conflict("no movement event yet: the feed has not said which day it is on".into())
}

/// The rolling forecast of the rest of the operating day (every role): the legs still to arrive over the
/// replications (on-time rate, cancellations, mean arrival delay, each with its 95 % interval), each such
/// leg's cancellation probability and delay quantiles, and the predicted alerts.
#[utoipa::path(get, path = "/api/live/forecast", tag = "live",
    responses((status = 200, description = "the forecast (docs/guide/live.md)", body = Object),
        (status = 401, body = crate::error::ErrorBody),
        (status = 409, description = "no movement event yet", body = crate::error::ErrorBody)))]
pub async fn live_forecast(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse> {
    let _ = caller;
    let hub = hub_of(&state);
    start_rolling(&state, &hub);
    let latest = current(&state, &hub).await?.ok_or_else(no_event_yet)?;
    Ok(HttpResponse::Ok().json(&*latest.forecast))
}

/// Alerts (every role), newest first: the latest forecast's predicted ones (kind crew_duty_limit,
/// crew_duty_extension, curfew, airport_capacity, long_delay; leg or crew member; expected time;
/// probability) and what the feed shows (cancelled, long_delay).
#[utoipa::path(get, path = "/api/live/alerts", tag = "live",
    responses((status = 200, description = "{now, alerts: [{source, kind, raised_at, expected_at, probability, leg, flight, crew, airport, detail}]}", body = Object),
        (status = 401, body = crate::error::ErrorBody)))]
pub async fn live_alerts(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse> {
    let _ = caller;
    let hub = hub_of(&state);
    start_rolling(&state, &hub);
    let Some(latest) = current(&state, &hub).await? else {
        return Ok(HttpResponse::Ok().json(serde_json::json!({"now": null, "alerts": []})));
    };
    let alerts = forecast::alerts_newest_first(&latest.forecast.alerts, &latest.actual);
    Ok(HttpResponse::Ok().json(serde_json::json!({"now": latest.forecast.now, "alerts": alerts})))
}

/// Live updates (every role). With `Accept: text/event-stream`: server-sent events, `state`
/// (`{events_applied, now}`) when posts apply events, `forecast` (the forecast without its legs) and
/// `alerts` (`{now, alerts}`) when the rolling twin has re-run, a comment every 15 s otherwise, without
/// end; the latest forecast first if there is one. Otherwise `{"events_applied", "forecast_now"}` as JSON.
#[utoipa::path(get, path = "/api/live/events", tag = "live",
    responses((status = 200, description = "server-sent events `state`, `forecast`, `alerts`; as JSON without Accept: text/event-stream",
            content((Object = "application/json"), (String = "text/event-stream"))),
        (status = 401, body = crate::error::ErrorBody)))]
pub async fn live_events(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
) -> Result<HttpResponse> {
    let _ = caller;
    let hub = hub_of(&state);
    start_rolling(&state, &hub);
    let receiver = hub.rolling.events.subscribe();
    let (applied, now) = {
        let mut guard = hub.live.lock().await;
        open(&state.db, &mut guard).await?;
        let live = guard.as_ref().expect("opened above");
        (live.events_applied(), live.now().map(|t| t.to_string()))
    };
    let latest = hub
        .rolling
        .latest
        .lock()
        .expect("the forecast lock is never poisoned (no panics while held)")
        .clone();
    let wants_stream = super::wants_event_stream(&req);
    if !wants_stream {
        return Ok(HttpResponse::Ok()
            .insert_header(("Cache-Control", "no-store"))
            .json(serde_json::json!({
                "events_applied": applied,
                "now": now,
                "forecast_now": latest.as_ref().map(|l| l.forecast.now.clone()),
            })));
    }
    let mut first = vec![sse(
        "state",
        &serde_json::json!({"events_applied": applied, "now": now}),
    )];
    if let Some(l) = &latest {
        first.push(sse("forecast", &summary(&l.forecast)));
        first.push(sse(
            "alerts",
            &serde_json::json!({"now": l.forecast.now, "alerts": l.forecast.alerts}),
        ));
    }
    let first = futures_util::stream::iter(first.into_iter().map(Ok::<_, actix_web::Error>));
    let rest = futures_util::stream::unfold(receiver, |mut receiver| async move {
        loop {
            let keep_alive = tokio::time::sleep(std::time::Duration::from_secs(15));
            tokio::select! {
                got = receiver.recv() => match got {
                    Ok(bytes) => return Some((Ok(bytes), receiver)),
                    // A slow reader missed some: the next event brings it up to date.
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
                },
                _ = keep_alive => return Some((Ok(web::Bytes::from_static(b": keep-alive\n\n")), receiver)),
            }
        }
    });
    Ok(HttpResponse::Ok()
        .insert_header(("Content-Type", "text/event-stream"))
        .insert_header(("Cache-Control", "no-cache"))
        .streaming(futures_util::StreamExt::chain(first, rest)))
}
