//! How fast the movement feed goes in (issue 17's goal: 50,000 JSON-lines events a second), each path
//! measured against a baseline in the same run: the same events parsed, checked and applied to a live
//! state in this process with no database and no network (the ceiling of any path).
//!
//! The feed is every recorded day of the embedded default (two weeks, as `ucodts replay --speed max`
//! plays each), numbered 1.. across the days. Each path starts from an empty SQLite database in a
//! temporary folder and ends when the last event is stored (checked by counting `live_events`):
//! - POST /api/feed over loopback TCP with the replay's own client (`HttpFeed`: JSON lines, up to
//!   `HttpFeed::BATCH` a post), to an actix server with one worker;
//! - POST /api/feed, one AIDX message per request (the first 3,000 events);
//! - with `UCODTS_TEST_NATS_URL` (a NATS server with JetStream), the events published to a subject of
//!   their own first (JetStream acknowledged), then `serve --nats`'s consumer timed from start to the
//!   last event stored: JSON lines, then AIDX.
//!
//! The rolling forecast is held off (a debounce of an hour) so that it does not share the cores.
//!
//! Run: `cargo bench -p ucodts-server --bench ingest` (UCODTS_TEST_NATS_URL=nats://127.0.0.1:4222 for the
//! NATS rows). Prints a table; numbers in docs/benchmarks.md.

use std::time::{Duration, Instant};

use actix_web::{web, App, HttpServer};
use ucodts_live::replay::{recorded_day, ReplayOptions};
use ucodts_live::send::{play, Format, HttpFeed};
use ucodts_live::{jsonl, LegEvent, LiveState};
use ucodts_model::{Date, Schedule};
use ucodts_server::audit::Actor;
use ucodts_server::auth::Role;
use ucodts_server::feed_nats::{self, NatsFeedConfig};
use ucodts_server::{accounts, routes, AppState};

const PASSWORD: &str = "a long enough bench password";

fn feed(schedule: &Schedule) -> Vec<LegEvent> {
    let days = (4..=10)
        .map(|d| Date::new(2013, 2, d).unwrap())
        .chain((1..=7).map(|d| Date::new(2013, 7, d).unwrap()));
    let mut events = Vec::new();
    for day in days {
        events.extend(recorded_day(schedule, day, ReplayOptions::default()).events);
    }
    for (i, e) in events.iter_mut().enumerate() {
        e.sequence = i as u64 + 1;
    }
    events
}

/// Parsed, checked and applied in batches of 200 lines, as the server does, without storing.
fn baseline(schedule: &Schedule, events: &[LegEvent]) -> Duration {
    let lines: Vec<String> = events.iter().map(jsonl::write_line).collect();
    let start = Instant::now();
    let mut state = LiveState::new(schedule);
    for chunk in lines.chunks(HttpFeed::BATCH) {
        let body = chunk.join("\n") + "\n";
        for (_, parsed) in jsonl::parse_lines(&body) {
            let e = parsed.expect("the replay writes good lines");
            state.check(&e).expect("known flights");
            if !state.is_duplicate(&e) {
                state.apply(&e).expect("checked");
            }
        }
    }
    assert_eq!(state.events_applied(), events.len() as u64);
    start.elapsed()
}

async fn stored(state: &web::Data<AppState>) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM live_events")
        .fetch_one(&state.db.pool)
        .await
        .unwrap();
    n
}

async fn until_stored(state: &web::Data<AppState>, n: usize, limit: Duration) {
    let start = Instant::now();
    while stored(state).await < n as i64 {
        assert!(
            start.elapsed() < limit,
            "only {} of {n} stored",
            stored(state).await
        );
        actix_web::rt::time::sleep(Duration::from_millis(10)).await;
    }
}

/// A fresh database with a feed user; its token.
async fn fresh() -> (tempfile::TempDir, web::Data<AppState>, String) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/ingest.db", dir.path().display());
    let state = AppState::open(&url, 1, 4).await.unwrap();
    let admin = Actor {
        name: "bench",
        role: "admin",
    };
    accounts::add_user(&state.db, &admin, "feeder", Role::Feed, PASSWORD)
        .await
        .unwrap();
    let (_, token) = accounts::create_token(&state.db, &admin, "feeder", "bench")
        .await
        .unwrap();
    (dir, state, token)
}

/// POSTs `events` in `format` over loopback to a one-worker server: the time to the last answer.
async fn over_http(events: &[LegEvent], format: Format) -> Duration {
    let (_dir, state, token) = fresh().await;
    let app_state = state.clone();
    let server = HttpServer::new(move || App::new().configure(routes(app_state.clone())))
        .workers(1)
        .bind("127.0.0.1:0")
        .unwrap();
    let addr = server.addrs()[0];
    let server = server.run();
    let handle = server.handle();
    actix_web::rt::spawn(server);
    let events = events.to_vec();
    let n = events.len();
    let url = format!("http://{addr}");
    let took = web::block(move || {
        let mut sink = HttpFeed::new(&url, &token, format).unwrap();
        let start = Instant::now();
        play(&events, format, None, &mut sink).unwrap();
        start.elapsed()
    })
    .await
    .unwrap();
    assert_eq!(
        stored(&state).await,
        n as i64,
        "every answered event stored"
    );
    handle.stop(true).await;
    took
}

/// Publishes `events` to a subject of their own, then times the consumer from start to the last stored.
async fn over_nats(url: &str, events: &[LegEvent], format: Format) -> (Duration, Duration) {
    let (_dir, state, _) = fresh().await;
    let run = format!(
        "b{}x{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis()
    );
    let subject = format!("ucodts.bench.{run}");
    let (publish_url, publish_subject, events_owned) =
        (url.to_string(), subject.clone(), events.to_vec());
    let published = web::block(move || {
        let mut sink =
            ucodts_live::nats::NatsFeed::new(&publish_url, &publish_subject, format).unwrap();
        let start = Instant::now();
        play(&events_owned, format, None, &mut sink).unwrap();
        start.elapsed()
    })
    .await
    .unwrap();
    let config = NatsFeedConfig {
        url: url.to_string(),
        subject: subject.clone(),
        consumer: format!("bench-{run}"),
    };
    let start = Instant::now();
    let consuming = feed_nats::start(state.clone(), &config).await.unwrap();
    until_stored(&state, events.len(), Duration::from_secs(600)).await;
    let took = start.elapsed();
    consuming.abort();
    let _ = consuming.await;
    let client = ucodts_live::nats::connect(url, "ingest bench")
        .await
        .unwrap();
    let _ = async_nats::jetstream::new(client)
        .delete_stream(ucodts_live::nats::stream_name(&subject))
        .await;
    (published, took)
}

fn row(path: &str, n: usize, took: Duration, base_rate: f64) {
    let rate = n as f64 / took.as_secs_f64();
    println!(
        "{path:<44} {n:>7} {:>9.3} {rate:>12.0} {:>9.3}",
        took.as_secs_f64(),
        rate / base_rate
    );
}

fn main() {
    // No rolling forecast during the measurement.
    std::env::set_var("UCODTS_FORECAST_DEBOUNCE_MS", "3600000");
    std::env::set_var("UCODTS_FORECAST_EVERY_MIN", "600");
    let schedule = ucodts_workflows::data::default_with_crew().unwrap();
    let events = feed(&schedule);
    let n = events.len();
    let base = baseline(&schedule, &events);
    let base_rate = n as f64 / base.as_secs_f64();
    println!(
        "{:<44} {:>7} {:>9} {:>12} {:>9}",
        "path", "events", "seconds", "events/s", "x baseline"
    );
    row(
        "baseline: parse + check + apply, no storage",
        n,
        base,
        base_rate,
    );
    actix_web::rt::System::new().block_on(async {
        let took = over_http(&events, Format::Jsonl).await;
        row(
            &format!("POST /api/feed, JSON lines, {} a post", HttpFeed::BATCH),
            n,
            took,
            base_rate,
        );
        let few = &events[..3_000.min(n)];
        let took = over_http(few, Format::Aidx).await;
        row(
            "POST /api/feed, AIDX, one message a post",
            few.len(),
            took,
            base_rate,
        );
        match std::env::var("UCODTS_TEST_NATS_URL") {
            Ok(url) => {
                for (format, name) in [(Format::Jsonl, "JSON lines"), (Format::Aidx, "AIDX")] {
                    let (published, took) = over_nats(&url, &events, format).await;
                    row(
                        &format!("NATS {name}: publish (JetStream acks)"),
                        n,
                        published,
                        base_rate,
                    );
                    row(
                        &format!("NATS {name}: consume and store"),
                        n,
                        took,
                        base_rate,
                    );
                }
            }
            Err(_) => println!("NATS: skipped (set UCODTS_TEST_NATS_URL=nats://127.0.0.1:4222)"),
        }
    });
}
