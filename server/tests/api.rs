//! What users of the API rely on: logging in with a session and a CSRF token, who may call what, and that
//! every malformed request is a 4xx naming its field. On SQLite always, on PostgreSQL when there is one.

mod common;

use actix_web::test::{self, TestRequest};
use actix_web::App;
use serde_json::json;
use ucodts_server::api::{Access, ROUTES};
use ucodts_server::auth::Role;
use ucodts_server::{routes, AppState};

use common::{call, token, with_token, PASSWORD};

async fn login_sets_a_session_that_needs_the_csrf_token_to_change_state(url: &str) {
    let state = AppState::open(url, 1, 4).await.unwrap();
    common::users(&state).await;
    let app = test::init_service(App::new().configure(routes(state))).await;

    let wrong = call(
        &app,
        TestRequest::post()
            .uri("/api/login")
            .set_json(json!({"name": "planner", "password": "not it at all"})),
    )
    .await;
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.body["error"], "wrong name or password");

    let login = call(
        &app,
        TestRequest::post()
            .uri("/api/login")
            .set_json(json!({"name": "planner", "password": PASSWORD})),
    )
    .await;
    assert_eq!(login.status, 200, "{}", login.body);
    let cookie = login
        .headers
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let session = cookie.split(';').next().unwrap().to_string();
    let csrf = login.body["csrf_token"].as_str().unwrap().to_string();
    assert_eq!(login.body["role"], "planner");

    let me = call(
        &app,
        TestRequest::get()
            .uri("/api/me")
            .insert_header(("Cookie", session.clone())),
    )
    .await;
    assert_eq!(
        (me.status, me.body["name"].as_str()),
        (200, Some("planner"))
    );

    let incident = json!({"category": "fatigue", "narrative": "captain reported poor rest before the 06:00 report"});
    let without = call(
        &app,
        TestRequest::post()
            .uri("/api/incidents")
            .insert_header(("Cookie", session.clone()))
            .set_json(&incident),
    )
    .await;
    assert_eq!(
        without.status, 403,
        "a session without X-CSRF-Token changes nothing"
    );
    assert!(without.body["error"]
        .as_str()
        .unwrap()
        .contains("X-CSRF-Token"));
    let forged = call(
        &app,
        TestRequest::post()
            .uri("/api/incidents")
            .insert_header(("Cookie", session.clone()))
            .insert_header(("X-CSRF-Token", "0".repeat(64)))
            .set_json(&incident),
    )
    .await;
    assert_eq!(forged.status, 403);
    let with = call(
        &app,
        TestRequest::post()
            .uri("/api/incidents")
            .insert_header(("Cookie", session.clone()))
            .insert_header(("X-CSRF-Token", csrf.clone()))
            .set_json(&incident),
    )
    .await;
    assert_eq!(with.status, 201, "{}", with.body);
    assert_eq!(with.body["reported_by"], "planner");

    let out = call(
        &app,
        TestRequest::post()
            .uri("/api/logout")
            .insert_header(("Cookie", session.clone()))
            .insert_header(("X-CSRF-Token", csrf)),
    )
    .await;
    assert_eq!(out.status, 204);
    let after = call(
        &app,
        TestRequest::get()
            .uri("/api/me")
            .insert_header(("Cookie", session)),
    )
    .await;
    assert_eq!(after.status, 401, "a logged-out session opens nothing");
}

on_both!(login_sets_a_session_that_needs_the_csrf_token_to_change_state:
    login_and_csrf_on_sqlite => sqlite, login_and_csrf_on_postgres => postgres);

async fn failed_logins_are_rate_limited(url: &str) {
    let state = AppState::open(url, 1, 4).await.unwrap();
    common::users(&state).await;
    let app = test::init_service(App::new().configure(routes(state))).await;
    let wrong = json!({"name": "viewer", "password": "wrong password, guessed"});
    for _ in 0..5 {
        assert_eq!(
            call(&app, TestRequest::post().uri("/api/login").set_json(&wrong))
                .await
                .status,
            401
        );
    }
    let limited = call(
        &app,
        TestRequest::post()
            .uri("/api/login")
            .set_json(json!({"name": "viewer", "password": PASSWORD})),
    )
    .await;
    assert_eq!(
        limited.status, 429,
        "even the right password waits after five failures"
    );
    assert!(limited.headers.contains_key("retry-after"));
}

on_both!(failed_logins_are_rate_limited:
    rate_limit_on_sqlite => sqlite, rate_limit_on_postgres => postgres);

/// A request to a route that is harmless whoever is allowed: ids that do not exist, bodies that are
/// refused after the role check.
fn probe(method: &str, path: &str) -> TestRequest {
    let path = path.replace("{id}", "999999");
    let path = if path == "/api/plans" {
        "/api/plans?run=999999".to_string()
    } else {
        path
    };
    let req = match method {
        "GET" => TestRequest::get(),
        "POST" => TestRequest::post(),
        "DELETE" => TestRequest::delete(),
        other => panic!("no probe for {other}"),
    };
    let req = req.uri(&path);
    match method {
        "POST" if path == "/api/login" => {
            req.set_json(json!({"name": "viewer", "password": PASSWORD}))
        }
        "POST" => req.set_json(json!({})),
        _ => req,
    }
}

async fn every_route_answers_each_role_as_documented(url: &str) {
    let state = AppState::open(url, 1, 4).await.unwrap();
    let tokens = common::users(&state).await;
    let app = test::init_service(App::new().configure(routes(state))).await;
    let mut wrong = Vec::new();
    for (method, path, access) in ROUTES {
        let anonymous = call(&app, probe(method, path)).await.status;
        let ok = match access {
            Access::Anonymous => anonymous != 401 && anonymous != 403,
            _ => anonymous == 401,
        };
        if !ok {
            wrong.push(format!("{method} {path} anonymous: {anonymous}"));
        }
        for role in Role::ALL {
            let status = call(&app, with_token(probe(method, path), &token(&tokens, role)))
                .await
                .status;
            let allowed = match access {
                Access::Anonymous | Access::AnyRole => true,
                Access::Only(roles) => roles.contains(&role),
            };
            let ok = match allowed {
                true => status != 401 && status != 403 && status < 500,
                false => status == 403,
            };
            if !ok {
                wrong.push(format!(
                    "{method} {path} as {role}: {status} (allowed: {allowed})"
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "routes that do not answer as documented:\n{}",
        wrong.join("\n")
    );
}

on_both!(every_route_answers_each_role_as_documented:
    authorization_matrix_on_sqlite => sqlite, authorization_matrix_on_postgres => postgres);

async fn a_bad_request_is_a_400_naming_the_field(url: &str) {
    let state = AppState::open(url, 1, 4).await.unwrap();
    let tokens = common::users(&state).await;
    let app = test::init_service(App::new().configure(routes(state))).await;
    let planner = token(&tokens, Role::Planner);
    let cases = [
        (
            "/api/runs",
            json!({"kind": "optimise", "scenario": "captain-no-show"}),
            "kind",
        ),
        ("/api/runs", json!({"kind": "recover"}), "scenario"),
        (
            "/api/runs",
            json!({"kind": "recover", "scenario": "no-such-scenario"}),
            "scenario",
        ),
        (
            "/api/runs",
            json!({"kind": "recover", "scenario": "captain-no-show", "reps": 1}),
            "reps",
        ),
        (
            "/api/runs",
            json!({"kind": "recover", "scenario": "captain-no-show", "time_limit_s": -3}),
            "time_limit_s",
        ),
        (
            "/api/runs",
            json!({"kind": "recover", "scenario": "captain-no-show", "seed": "x"}),
            "body",
        ),
        (
            "/api/incidents",
            json!({"category": "fatigue", "narrative": "  "}),
            "narrative",
        ),
        (
            "/api/incidents",
            json!({"category": "tired", "narrative": "x"}),
            "category",
        ),
        (
            // PostgreSQL stores no text with a NUL character: refused before it gets there.
            "/api/incidents",
            json!({"category": "fatigue", "narrative": "a\u{0}b"}),
            "narrative",
        ),
        (
            "/api/scenarios",
            json!({"toml": "name = \"mine\"\n"}),
            "toml",
        ),
    ];
    for (path, body, field) in cases {
        let answer = call(
            &app,
            with_token(TestRequest::post().uri(path).set_json(&body), &planner),
        )
        .await;
        assert_eq!(
            (answer.status, answer.body["field"].as_str()),
            (400, Some(field)),
            "{path} {body}: {}",
            answer.body
        );
    }
    let not_json = call(
        &app,
        with_token(
            TestRequest::post()
                .uri("/api/runs")
                .insert_header(("Content-Type", "application/json"))
                .set_payload("{kind"),
            &planner,
        ),
    )
    .await;
    assert_eq!(
        (not_json.status, not_json.body["field"].as_str()),
        (400, Some("body"))
    );
    let scheduler = token(&tokens, Role::Scheduler);
    let no_reason = call(
        &app,
        with_token(
            TestRequest::post()
                .uri("/api/plans/1/decision")
                .set_json(json!({"decision": "accept"})),
            &scheduler,
        ),
    )
    .await;
    assert_eq!(
        (no_reason.status, no_reason.body["field"].as_str()),
        (400, Some("reason"))
    );
    let bad_id = call(
        &app,
        with_token(TestRequest::get().uri("/api/runs/abc"), &planner),
    )
    .await;
    assert_eq!(
        (bad_id.status, bad_id.body["field"].as_str()),
        (400, Some("id"))
    );
}

on_both!(a_bad_request_is_a_400_naming_the_field:
    bad_requests_on_sqlite => sqlite, bad_requests_on_postgres => postgres);

async fn a_planners_own_scenario_is_checked_listed_and_run(url: &str) {
    let state = AppState::open(url, 1, 4).await.unwrap();
    let tokens = common::users(&state).await;
    let app = test::init_service(App::new().configure(routes(state))).await;
    let planner = token(&tokens, Role::Planner);
    let toml = r#"name = "ewr-short-cut"
description = "EWR at half arrival capacity for two hours"
from = "2013-07-02"
to = "2013-07-02"
replications = 2

[[disruption]]
kind = "airport_capacity"
airport = "EWR"
from = "2013-07-02T18:00Z"
to = "2013-07-02T20:00Z"
arrivals_per_hour = 20
"#;
    let post = |toml: String| {
        with_token(
            TestRequest::post()
                .uri("/api/scenarios")
                .set_json(json!({ "toml": toml })),
            &planner,
        )
    };
    let added = call(&app, post(toml.to_string())).await;
    assert_eq!(added.status, 201, "{}", added.body);
    assert_eq!(
        (added.body["name"].as_str(), added.body["valid"].as_bool()),
        (Some("ewr-short-cut"), Some(true))
    );
    assert_eq!(
        call(&app, post(toml.to_string())).await.status,
        409,
        "a name is taken once"
    );
    let broken = call(&app, post(toml.replace("\"EWR\"", "\"ZZZ\""))).await;
    let error = broken.body["error"].as_str().unwrap();
    assert_eq!(broken.status, 400);
    assert!(
        error.contains("scenario.toml:9") && error.contains("`airport`"),
        "the CLI's message, file, line and field: {error}"
    );
    let elsewhere = call(
        &app,
        post(
            toml.replace("ewr-short-cut", "elsewhere")
                .replace("replications = 2", "replications = 2\ndata = \"/etc\""),
        ),
    )
    .await;
    assert_eq!(
        (elsewhere.status, elsewhere.body["field"].as_str()),
        (400, Some("toml")),
        "{}",
        elsewhere.body
    );

    let listed = call(
        &app,
        with_token(TestRequest::get().uri("/api/scenarios"), &planner),
    )
    .await;
    let own: Vec<_> = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["source"] == "user")
        .collect();
    assert_eq!(own.len(), 1);
    assert_eq!(
        (own[0]["name"].as_str(), own[0]["created_by"].as_str()),
        (Some("ewr-short-cut"), Some("planner"))
    );
    let run = call(
        &app,
        with_token(
            TestRequest::post()
                .uri("/api/runs")
                .set_json(json!({"kind": "simulate", "scenario": "ewr-short-cut", "reps": 2})),
            &planner,
        ),
    )
    .await;
    assert_eq!(run.status, 202, "{}", run.body);
    let id = run.body["id"].as_i64().unwrap();
    let events = call(
        &app,
        with_token(
            TestRequest::get().uri(&format!("/api/runs/{id}/events")),
            &planner,
        ),
    )
    .await;
    assert!(
        events.body.as_str().unwrap().contains("event: done"),
        "{}",
        events.body
    );
    let done = call(
        &app,
        with_token(TestRequest::get().uri(&format!("/api/runs/{id}")), &planner),
    )
    .await;
    assert_eq!(
        done.body["result"]["scenario"], "ewr-short-cut",
        "{}",
        done.body
    );
    assert_eq!(done.body["result"]["replications"], 2);
}

on_both!(a_planners_own_scenario_is_checked_listed_and_run:
    user_scenario_on_sqlite => sqlite, user_scenario_on_postgres => postgres);

#[actix_web::test]
async fn the_service_describes_itself_openapi_metrics_health() {
    let db = common::TestDb::sqlite();
    let state = AppState::open(&db.url, 1, 4).await.unwrap();
    let app = test::init_service(App::new().configure(routes(state))).await;
    let doc = call(&app, TestRequest::get().uri("/api/openapi.json")).await;
    assert_eq!(doc.status, 200);
    assert!(doc.body["openapi"].as_str().unwrap().starts_with("3."));
    for (method, path, _) in ROUTES {
        if *path == "/api/openapi.json" || path.ends_with("/cancel") {
            continue;
        }
        let op = &doc.body["paths"][path][method.to_lowercase()];
        assert!(
            op.is_object(),
            "{method} {path} is not in the OpenAPI document"
        );
    }
    // And the other way: every documented operation is in the authorization matrix.
    for (path, item) in doc.body["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            assert!(
                ROUTES
                    .iter()
                    .any(|(m, p, _)| m.eq_ignore_ascii_case(method) && p == path),
                "{method} {path} is documented but not in api::ROUTES"
            );
        }
    }
    assert_eq!(
        call(&app, TestRequest::get().uri("/readyz")).await.status,
        200
    );
    let metrics = call(&app, TestRequest::get().uri("/metrics")).await;
    let text = metrics.body.as_str().unwrap();
    assert!(
        text.contains(r#"ucodts_http_requests_total{method="GET",route="/readyz",status="200"} 1"#),
        "{text}"
    );
    assert!(text.contains("ucodts_http_request_duration_seconds_bucket"));
    assert!(text.contains("ucodts_jobs_queued 0"));
    let unknown = call(&app, TestRequest::get().uri("/api/nothing")).await;
    assert_eq!(unknown.status, 404);
    assert!(unknown.headers.contains_key("x-request-id"));
}

async fn an_admin_lists_and_revokes_api_tokens(url: &str) {
    let state = AppState::open(url, 1, 4).await.unwrap();
    let tokens = common::users(&state).await;
    let app = test::init_service(App::new().configure(routes(state))).await;
    let admin = token(&tokens, Role::Admin);
    let feed = token(&tokens, Role::Feed);
    let listed = call(
        &app,
        with_token(TestRequest::get().uri("/api/tokens"), &admin),
    )
    .await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    let list = listed.body.as_array().unwrap();
    assert_eq!(list.len(), Role::ALL.len());
    assert!(
        list.iter().all(|t| t.get("token").is_none()),
        "a listing never shows a token: {}",
        listed.body
    );
    let feed_id = list.iter().find(|t| t["user"] == "feed").unwrap()["id"]
        .as_i64()
        .unwrap();
    let me = || with_token(TestRequest::get().uri("/api/me"), &feed);
    assert_eq!(call(&app, me()).await.status, 200);
    let revoke = || {
        with_token(
            TestRequest::delete().uri(&format!("/api/tokens/{feed_id}")),
            &admin,
        )
    };
    assert_eq!(call(&app, revoke()).await.status, 204);
    let after = call(&app, me()).await;
    assert_eq!(
        (after.status, after.body["error"].as_str()),
        (401, Some("unknown or revoked API token"))
    );
    assert_eq!(call(&app, revoke()).await.status, 409, "revoked once");
    let listed = call(
        &app,
        with_token(TestRequest::get().uri("/api/tokens"), &admin),
    )
    .await;
    let feed_row = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == feed_id)
        .unwrap()
        .clone();
    assert!(feed_row["revoked"].is_string(), "{feed_row}");
}

on_both!(an_admin_lists_and_revokes_api_tokens:
    tokens_on_sqlite => sqlite, tokens_on_postgres => postgres);

#[actix_web::test]
async fn behind_tls_the_session_cookie_is_secure() {
    let db = common::TestDb::sqlite();
    let options = ucodts_server::Options {
        secure_cookies: true,
        ..ucodts_server::Options::default()
    };
    let state = AppState::open_with(&db.url, &options).await.unwrap();
    common::users(&state).await;
    let app = test::init_service(App::new().configure(routes(state))).await;
    let login = call(
        &app,
        TestRequest::post()
            .uri("/api/login")
            .set_json(json!({"name": "viewer", "password": PASSWORD})),
    )
    .await;
    let cookie = login.headers.get("set-cookie").unwrap().to_str().unwrap();
    assert!(
        cookie.contains("; Secure") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
}

#[actix_web::test]
async fn benchmarks_are_the_researchers_and_scenario_runs_the_planners() {
    let db = common::TestDb::sqlite();
    let state = AppState::open(&db.url, 1, 4).await.unwrap();
    let tokens = common::users(&state).await;
    let app = test::init_service(App::new().configure(routes(state))).await;
    let post = |body: serde_json::Value, role: Role| {
        with_token(
            TestRequest::post().uri("/api/runs").set_json(body),
            &token(&tokens, role),
        )
    };
    let bench = json!({"kind": "bench-crew", "cases": 1, "time_limit_s": 5});
    assert_eq!(
        call(&app, post(bench.clone(), Role::Planner)).await.status,
        403
    );
    let recover = json!({"kind": "recover", "scenario": "captain-no-show"});
    assert_eq!(
        call(&app, post(recover, Role::Researcher)).await.status,
        403
    );
    let with_scenario = call(
        &app,
        post(
            json!({"kind": "bench-roadef", "scenario": "captain-no-show"}),
            Role::Researcher,
        ),
    )
    .await;
    assert_eq!(
        (with_scenario.status, with_scenario.body["field"].as_str()),
        (400, Some("scenario"))
    );
    let bad_instances = call(
        &app,
        post(
            json!({"kind": "bench-roadef", "instances": "A01,../etc"}),
            Role::Researcher,
        ),
    )
    .await;
    assert_eq!(
        (bad_instances.status, bad_instances.body["field"].as_str()),
        (400, Some("instances"))
    );
    for body in [
        json!({"kind": "bench-roadef", "objective": "cheapest"}),
        json!({"kind": "bench-crew", "objective": "honest"}),
    ] {
        let bad_objective = call(&app, post(body, Role::Researcher)).await;
        assert_eq!(
            (bad_objective.status, bad_objective.body["field"].as_str()),
            (400, Some("objective"))
        );
    }
}

#[actix_web::test]
async fn the_api_explorer_is_served_from_the_binary() {
    let db = common::TestDb::sqlite();
    let state = AppState::open(&db.url, 1, 4).await.unwrap();
    let app = test::init_service(App::new().configure(routes(state))).await;
    let page = call(&app, TestRequest::get().uri("/api/docs")).await;
    assert_eq!(page.status, 200);
    let html = page.body.as_str().unwrap();
    assert!(html.contains("fetch(\"/api/openapi.json\")"));
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "the page loads nothing from the network"
    );
    let csp = page.headers.get("content-security-policy").unwrap();
    assert!(csp.to_str().unwrap().contains("connect-src 'self'"));
}

/// Two servers on one database: a token revoked through one is refused by the other once the other's
/// credential cache has let it go (`auth::CREDENTIAL_TTL`), and at once by the one that revoked it.
#[actix_web::test]
async fn a_revoked_token_is_refused_by_every_server_on_the_database() {
    let db = common::TestDb::sqlite();
    let one = AppState::open(&db.url, 1, 4).await.unwrap();
    let tokens = common::users(&one).await;
    let other = AppState::open(&db.url, 1, 4).await.unwrap();
    let one = test::init_service(App::new().configure(routes(one))).await;
    let other = test::init_service(App::new().configure(routes(other))).await;
    let (admin, viewer) = (token(&tokens, Role::Admin), token(&tokens, Role::Viewer));
    let me = || with_token(TestRequest::get().uri("/api/me"), &viewer);
    assert_eq!(call(&other, me()).await.status, 200);
    let listed = call(
        &one,
        with_token(TestRequest::get().uri("/api/tokens"), &admin),
    )
    .await;
    let id = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["user"] == "viewer")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let revoked = call(
        &one,
        with_token(
            TestRequest::delete().uri(&format!("/api/tokens/{id}")),
            &admin,
        ),
    )
    .await;
    assert_eq!(revoked.status, 204);
    assert_eq!(call(&one, me()).await.status, 401);
    tokio::time::sleep(ucodts_server::auth::CREDENTIAL_TTL + std::time::Duration::from_millis(100))
        .await;
    assert_eq!(call(&other, me()).await.status, 401);
}
