//! The rolling twin on the server, on SQLite and PostgreSQL: after a morning of a recorded day is posted,
//! GET /api/live/forecast answers a forecast of the rest of the day with the flown part fixed, the same
//! bytes on every call and on a server restarted from the stored events; GET /api/live/alerts lists
//! predicted and actual alerts newest first; GET /api/live/events pushes them as server-sent events.

mod common;

use actix_web::body::MessageBody;
use actix_web::test::{self, TestRequest};
use actix_web::App;
use common::{call, token, users, with_token};
use ucodts_live::jsonl;
use ucodts_live::replay::{recorded_day, ReplayOptions};
use ucodts_model::{Date, UtcMinute};
use ucodts_server::auth::Role;
use ucodts_server::{routes, AppState};

/// Few replications: the test is about the service, not the statistics.
fn few_replications() {
    std::env::set_var("UCODTS_FORECAST_REPS", "3");
}

async fn forecast_on(url: &str) {
    few_replications();
    let schedule = ucodts_workflows::data::default_with_crew().unwrap();
    let day = recorded_day(
        &schedule,
        Date::new(2013, 7, 2).unwrap(),
        ReplayOptions::default(),
    );
    let noon = UtcMinute::parse("2013-07-02T16:00Z").unwrap();
    let body: String = day
        .events
        .iter()
        .filter(|e| e.sent <= noon)
        .map(|e| jsonl::write_line(e) + "\n")
        .collect();
    let first_forecast;
    {
        let state = AppState::open(url, 1, 4).await.unwrap();
        let tokens = users(&state).await;
        let app = test::init_service(App::new().configure(routes(state.clone()))).await;
        let viewer = token(&tokens, Role::Viewer);
        let get = |path: &str| with_token(TestRequest::get().uri(path), &viewer);
        // Before any event there is nothing to forecast: said, not a failure.
        let early = call(&app, get("/api/live/forecast")).await;
        assert_eq!(early.status, 409, "{}", early.body);
        let none = call(&app, get("/api/live/alerts")).await;
        assert_eq!(none.body["alerts"], serde_json::json!([]));

        let posted = call(
            &app,
            with_token(
                TestRequest::post().uri("/api/feed"),
                &token(&tokens, Role::Feed),
            )
            .insert_header(("Content-Type", "application/x-ndjson"))
            .set_payload(body.clone()),
        )
        .await;
        assert_eq!(posted.status, 200, "{}", posted.body);

        let forecast = call(&app, get("/api/live/forecast")).await;
        assert_eq!(forecast.status, 200, "{}", forecast.body);
        let f = &forecast.body;
        assert_eq!(f["day"], "2013-07-02");
        assert_eq!(f["now"], "2013-07-02T16:00Z");
        assert_eq!(f["replications"], 3);
        // The morning is fixed: legs already arrived are not forecast again.
        let so_far = &f["so_far"];
        let arrived = so_far["arrived"].as_u64().unwrap();
        assert!(arrived > 100, "{so_far}");
        let remaining = f["remaining"]["legs"].as_u64().unwrap();
        assert_eq!(
            remaining,
            so_far["legs"].as_u64().unwrap()
                - arrived
                - so_far["cancelled"].as_u64().unwrap()
                - so_far["diverted"].as_u64().unwrap()
        );
        assert_eq!(f["legs"].as_array().unwrap().len() as u64, remaining);
        // Each measure with its interval around its mean.
        let delay = &f["remaining"]["mean_arrival_delay_min"];
        assert!(delay["lower"].as_f64().unwrap() <= delay["mean"].as_f64().unwrap());
        assert!(delay["mean"].as_f64().unwrap() <= delay["upper"].as_f64().unwrap());
        // Asked again without a change: the same bytes.
        let again = call(&app, get("/api/live/forecast")).await;
        assert_eq!(again.body, forecast.body);

        let alerts = call(&app, get("/api/live/alerts")).await;
        assert_eq!(alerts.status, 200, "{}", alerts.body);
        let list = alerts.body["alerts"].as_array().unwrap();
        assert!(
            list.iter().any(|a| a["source"] == "actual"),
            "the morning of 2 July had late and cancelled flights"
        );
        let raised: Vec<&str> = list
            .iter()
            .map(|a| a["raised_at"].as_str().unwrap())
            .collect();
        assert!(
            raised.windows(2).all(|w| w[0] >= w[1]),
            "newest first: {raised:?}"
        );
        for a in list.iter().filter(|a| a["source"] == "predicted") {
            let p = a["probability"].as_f64().unwrap();
            assert!((0.2..=1.0).contains(&p), "{a}");
            assert_eq!(a["raised_at"], "2013-07-02T16:00Z");
        }

        // Without Accept: text/event-stream, the events route answers where things stand.
        let status = call(&app, get("/api/live/events")).await;
        assert_eq!(status.body["forecast_now"], "2013-07-02T16:00Z");
        // As a stream: the state, then the latest forecast and its alerts, at once.
        let stream = test::call_service(
            &app,
            get("/api/live/events")
                .insert_header(("Accept", "text/event-stream"))
                .to_request(),
        )
        .await;
        assert_eq!(
            stream.headers().get("content-type").unwrap(),
            "text/event-stream"
        );
        let mut body = stream.into_body();
        let mut text = String::new();
        while !text.contains("event: alerts") {
            let chunk = std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_next(cx))
                .await
                .unwrap()
                .unwrap();
            text.push_str(std::str::from_utf8(&chunk).unwrap());
        }
        assert!(text.starts_with("event: state\ndata: {"), "{text}");
        assert!(text.contains("event: forecast\ndata: {"), "{text}");
        first_forecast = forecast.body;
    }
    // A server restarted on the same database forecasts the same from the stored events.
    assert_eq!(
        common::after_restart(url, "/api/live/forecast").await,
        first_forecast
    );
}

on_both!(forecast_on: rolling_forecast_on_sqlite => sqlite, rolling_forecast_on_postgres => postgres);
