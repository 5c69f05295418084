//! The live feed end to end on SQLite: POST /api/feed stores and applies, refusals go to the dead-letter
//! table with why, GET /api/live/state shows the result, and a restarted server has every acknowledged event.

mod common;

use actix_web::test::{self, TestRequest};
use actix_web::App;
use common::{call, token, users, with_token};
use ucodts_live::replay::{recorded_day, ReplayOptions};
use ucodts_live::{aidx, jsonl};
use ucodts_model::Date;
use ucodts_server::auth::Role;
use ucodts_server::{routes, AppState};

#[actix_web::test]
async fn posted_feed_events_are_stored_applied_and_survive_a_restart() {
    let db = common::TestDb::sqlite();
    let schedule = ucodts_datasets_default();
    let day = recorded_day(
        &schedule,
        Date::new(2013, 7, 2).unwrap(),
        ReplayOptions::default(),
    );
    let events = &day.events[..300];
    let body: String = events.iter().map(|e| jsonl::write_line(e) + "\n").collect();
    let bad = "{\"seq\":999999,\"sent\":\"2013-07-02T10:00Z\",\"carrier\":\"ZZ\",\"flight\":1,\"date\":\"2013-07-02\",\"from\":\"EWR\",\"to\":\"ORD\"}\nnot json\n";
    let snapshot_before;
    {
        let state = AppState::open(&db.url, 1, 4).await.unwrap();
        let tokens = users(&state).await;
        let app = test::init_service(App::new().configure(routes(state.clone()))).await;
        let post = |t: &str, ct: &str, b: String| {
            with_token(TestRequest::post().uri("/api/feed"), t)
                .insert_header(("Content-Type", ct.to_string()))
                .set_payload(b)
        };
        // Only the feed role may post.
        let planner = call(
            &app,
            post(
                &token(&tokens, Role::Planner),
                "application/x-ndjson",
                body.clone(),
            ),
        )
        .await;
        assert_eq!(planner.status, 403);
        let feed = token(&tokens, Role::Feed);
        let answer = call(
            &app,
            post(&feed, "application/x-ndjson", format!("{body}{bad}")),
        )
        .await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        assert_eq!(answer.body["accepted"], 300);
        let rejected = answer.body["rejected"].as_array().unwrap();
        assert_eq!(rejected.len(), 2);
        assert_eq!(rejected[0]["kind"], "unknown_flight");
        assert_eq!(rejected[0]["line"], 301);
        assert_eq!(rejected[1]["kind"], "malformed");
        // Posting the same events again changes nothing.
        let again = call(&app, post(&feed, "application/x-ndjson", body.clone())).await;
        assert_eq!(again.body["accepted"], 0);
        assert_eq!(again.body["duplicates"], 300);
        // AIDX: acknowledged with FlightLegRS; a DOCTYPE is refused in it.
        let next = aidx::write_message(&day.events[300]);
        let ok = call(&app, post(&feed, "application/xml", next)).await;
        assert!(
            ok.body.as_str().unwrap().contains("<Success/>"),
            "{}",
            ok.body
        );
        let xxe = aidx::write_message(&day.events[301]).replacen(
            "<IATA",
            "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><IATA",
            1,
        );
        let refused = call(&app, post(&feed, "application/xml", xxe)).await;
        assert!(
            refused.body.as_str().unwrap().contains("forbidden"),
            "{}",
            refused.body
        );
        let dead: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM live_dead_letters")
            .fetch_one(&state.db.pool)
            .await
            .unwrap();
        assert_eq!(dead.0, 3);
        // Every post that stored an event or a dead letter is one audit row (the duplicates-only post
        // changed nothing and has none), and the chain verifies.
        let posts: Vec<serde_json::Value> = ucodts_server::audit::list(&state.db, 0, 1_000)
            .await
            .unwrap()
            .into_iter()
            .map(|e| serde_json::to_value(e).unwrap())
            .filter(|e| e["action"] == "feed.post")
            .collect();
        assert_eq!(posts.len(), 3, "{posts:?}");
        assert_eq!(posts[0]["role"], "feed");
        let chain = ucodts_server::audit::verify(&state.db).await.unwrap();
        assert!(chain.first_broken.is_none(), "{:?}", chain.first_broken);
        let viewer = token(&tokens, Role::Viewer);
        let snapshot = call(
            &app,
            with_token(TestRequest::get().uri("/api/live/state"), &viewer),
        )
        .await;
        assert_eq!(snapshot.status, 200);
        assert_eq!(snapshot.body["events_applied"], 301);
        snapshot_before = snapshot.body;
    }
    // A new server on the same database rebuilds the same state from the stored events.
    assert_eq!(
        common::after_restart(&db.url, "/api/live/state").await,
        snapshot_before
    );
}

fn ucodts_datasets_default() -> ucodts_model::Schedule {
    ucodts_workflows::data::default_with_crew().unwrap()
}
