//! A tail out of service posted as a JSON line: stored, shown on the tail in GET /api/live/state
//! (`out_of_service: [{from, until, reason}]`), rebuilt after a restart, and an unknown tail refused.

mod common;

use actix_web::test::{self, TestRequest};
use actix_web::App;
use common::{call, token, users, with_token};
use ucodts_live::jsonl;
use ucodts_live::replay::{recorded_day, ReplayOptions};
use ucodts_model::Date;
use ucodts_server::auth::Role;
use ucodts_server::{routes, AppState};

#[actix_web::test]
async fn a_posted_out_of_service_tail_is_in_the_state_and_survives_a_restart() {
    let db = common::TestDb::sqlite();
    let schedule = ucodts_workflows::data::default_with_crew().unwrap();
    let day = recorded_day(
        &schedule,
        Date::new(2013, 7, 2).unwrap(),
        ReplayOptions::default(),
    );
    let moved: String = day.events[..50]
        .iter()
        .map(|e| jsonl::write_line(e) + "\n")
        .collect();
    let tail = day.events[..50]
        .iter()
        .find_map(|e| e.registration.clone())
        .unwrap();
    let aog = format!(
        "{{\"seq\":900001,\"sent\":\"2013-07-02T15:00Z\",\"kind\":\"out_of_service\",\"registration\":\"{tail}\",\"from\":\"2013-07-02T15:00Z\",\"until\":\"2013-07-02T22:00Z\",\"reason\":\"AOG: bird strike\"}}\n"
    );
    let unknown = aog
        .replace("900001", "900002")
        .replace(tail.as_str(), "N0NE");
    let state_before;
    {
        let state = AppState::open(&db.url, 1, 4).await.unwrap();
        let tokens = users(&state).await;
        let app = test::init_service(App::new().configure(routes(state.clone()))).await;
        let feed = token(&tokens, Role::Feed);
        let answer = call(
            &app,
            with_token(TestRequest::post().uri("/api/feed"), &feed)
                .insert_header(("Content-Type", "application/x-ndjson"))
                .set_payload(format!("{moved}{aog}{unknown}")),
        )
        .await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        assert_eq!(answer.body["accepted"], 51);
        assert_eq!(answer.body["rejected"][0]["kind"], "unknown_tail");
        let viewer = token(&tokens, Role::Viewer);
        let snapshot = call(
            &app,
            with_token(TestRequest::get().uri("/api/live/state"), &viewer),
        )
        .await;
        let view = snapshot.body["tails"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["tail"] == tail.as_str())
            .unwrap()
            .clone();
        assert_eq!(
            view["out_of_service"],
            serde_json::json!([{"from": "2013-07-02T15:00Z", "until": "2013-07-02T22:00Z", "reason": "AOG: bird strike"}])
        );
        state_before = snapshot.body;
    }
    assert_eq!(
        common::after_restart(&db.url, "/api/live/state").await,
        state_before
    );
}
