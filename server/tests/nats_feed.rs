//! The feed from a NATS JetStream subject (`ucodts serve --nats`): events published to the subject reach
//! GET /api/live/state, a refused message lands in the dead-letter table with its reason, a message is
//! acknowledged only once it is stored, and a restarted server neither loses a stored event nor gets one
//! delivered again.
//!
//! Needs a NATS server with JetStream: UCODTS_TEST_NATS_URL=nats://127.0.0.1:4222 (.ci/run sets it).
//! Without it the test says why and passes; under UCODTS_REQUIRE_EXTERNAL=1 it fails instead. Each run
//! uses its own subject, stream and consumer.

mod common;

use std::time::{Duration, Instant};

use actix_web::test::{self, TestRequest};
use actix_web::App;
use async_nats::jetstream::{self, consumer};
use common::{call, token, users, with_token};
use ucodts_live::replay::{recorded_day, ReplayOptions};
use ucodts_live::{jsonl, LiveState};
use ucodts_model::Date;
use ucodts_server::auth::Role;
use ucodts_server::feed_nats::{self, NatsFeedConfig};
use ucodts_server::{routes, AppState};

fn nats_url(test: &str) -> Option<String> {
    match std::env::var("UCODTS_TEST_NATS_URL") {
        Ok(url) => Some(url),
        Err(_) => {
            if std::env::var("UCODTS_REQUIRE_EXTERNAL").as_deref() == Ok("1") {
                panic!("{test}: UCODTS_TEST_NATS_URL is not set, and UCODTS_REQUIRE_EXTERNAL=1 lets no test skip (.ci/run sets it to the local NATS server)");
            }
            eprintln!("{test}: skipped: set UCODTS_TEST_NATS_URL=nats://127.0.0.1:4222 (a NATS server with JetStream) to run it");
            None
        }
    }
}

/// Waits (up to a minute) until `done` holds for the consumer's state, which it returns.
async fn until(
    stream: &mut jetstream::stream::Stream,
    name: &str,
    what: &str,
    done: impl Fn(&consumer::Info) -> bool,
) -> consumer::Info {
    let start = Instant::now();
    loop {
        let info = stream.consumer_info(name).await.unwrap();
        if done(&info) {
            return info;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "waited a minute for {what}; the consumer: {info:?}"
        );
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn stored_events(state: &actix_web::web::Data<AppState>) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM live_events")
        .fetch_one(&state.db.pool)
        .await
        .unwrap();
    n
}

#[actix_web::test]
async fn events_on_the_subject_are_stored_then_acknowledged_and_survive_a_restart() {
    let Some(url) = nats_url("nats_feed") else {
        return;
    };
    let run = format!(
        "t{}x{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis()
    );
    let subject = format!("ucodts.test.feed.{run}");
    let config = NatsFeedConfig {
        url: url.clone(),
        subject: subject.clone(),
        consumer: format!("serve-{run}"),
    };
    let schedule = ucodts_workflows::data::default_with_crew().unwrap();
    let day = recorded_day(
        &schedule,
        Date::new(2013, 7, 2).unwrap(),
        ReplayOptions::default(),
    );
    let events = &day.events[..150];
    let client = ucodts_live::nats::connect(&url, "nats_feed test")
        .await
        .unwrap();
    let js = jetstream::new(client);
    let mut stream = ucodts_live::nats::feed_stream(&js, &subject).await.unwrap();
    let publish = |text: String| {
        let js = js.clone();
        let subject = subject.clone();
        async move {
            js.publish(subject, text.into_bytes().into())
                .await
                .unwrap()
                .await
                .unwrap();
        }
    };

    let db = common::TestDb::sqlite();
    let state = AppState::open(&db.url, 1, 4).await.unwrap();
    // 100 events, a line that is no JSON, and a flight the schedule does not have.
    for e in &events[..100] {
        publish(jsonl::write_line(e)).await;
    }
    publish("not json".to_string()).await;
    publish("{\"seq\":999999,\"sent\":\"2013-07-02T10:00Z\",\"carrier\":\"ZZ\",\"flight\":1,\"date\":\"2013-07-02\",\"from\":\"EWR\",\"to\":\"ORD\"}".to_string()).await;
    let consuming = feed_nats::start(state.clone(), &config).await.unwrap();
    until(
        &mut stream,
        &config.consumer,
        "the first 102 messages acknowledged",
        |i| i.ack_floor.stream_sequence == 102 && i.num_ack_pending == 0,
    )
    .await;
    assert_eq!(stored_events(&state).await, 100);
    let dead: Vec<(String, String)> =
        sqlx::query_as("SELECT kind, message FROM live_dead_letters ORDER BY id")
            .fetch_all(&state.db.pool)
            .await
            .unwrap();
    assert_eq!(dead.len(), 2, "{dead:?}");
    assert_eq!(dead[0], ("malformed".to_string(), "not json".to_string()));
    assert_eq!(dead[1].0, "unknown_flight");
    // The state the API serves is the events applied, as a LiveState of their own would have them.
    let tokens = users(&state).await;
    let app = test::init_service(App::new().configure(routes(state.clone()))).await;
    let viewer = token(&tokens, Role::Viewer);
    let served = call(
        &app,
        with_token(TestRequest::get().uri("/api/live/state"), &viewer),
    )
    .await;
    assert_eq!(served.status, 200);
    let mut expected = LiveState::new(&schedule);
    for e in &events[..100] {
        expected.apply(e).unwrap();
    }
    assert_eq!(
        served.body,
        serde_json::to_value(expected.snapshot()).unwrap()
    );

    // While the database refuses to store, the message stays unacknowledged and comes again.
    sqlx::query(
        "CREATE TRIGGER refuse_feed BEFORE INSERT ON live_events BEGIN SELECT RAISE(ABORT, 'the test refuses the store'); END",
    )
    .execute(&state.db.pool)
    .await
    .unwrap();
    publish(jsonl::write_line(&events[100])).await;
    let refused = until(
        &mut stream,
        &config.consumer,
        "a failed store delivered again",
        |i| i.num_redelivered > 0,
    )
    .await;
    assert_eq!(refused.ack_floor.stream_sequence, 102, "{refused:?}");
    assert_eq!(stored_events(&state).await, 100);
    sqlx::query("DROP TRIGGER refuse_feed")
        .execute(&state.db.pool)
        .await
        .unwrap();
    until(
        &mut stream,
        &config.consumer,
        "the refused message stored at last",
        |i| i.ack_floor.stream_sequence == 103 && i.num_ack_pending == 0,
    )
    .await;
    assert_eq!(stored_events(&state).await, 101);

    // The server stops; the feed goes on; a new server on the same database takes up where it stopped.
    consuming.abort();
    let _ = consuming.await;
    let before = stream.consumer_info(&config.consumer).await.unwrap();
    drop(app);
    drop(state);
    for e in &events[101..] {
        publish(jsonl::write_line(e)).await;
    }
    let state = AppState::open(&db.url, 1, 4).await.unwrap();
    let consuming = feed_nats::start(state.clone(), &config).await.unwrap();
    let after = until(
        &mut stream,
        &config.consumer,
        "the events sent while stopped",
        |i| i.ack_floor.stream_sequence == 152 && i.num_ack_pending == 0,
    )
    .await;
    // Exactly the 49 new messages were delivered: nothing stored before was delivered again.
    assert_eq!(
        after.delivered.consumer_sequence - before.delivered.consumer_sequence,
        49,
        "before {before:?}, after {after:?}"
    );
    assert_eq!(stored_events(&state).await, 150);
    consuming.abort();
    let _ = consuming.await;
    js.delete_stream(ucodts_live::nats::stream_name(&subject))
        .await
        .unwrap();
}
