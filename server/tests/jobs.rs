//! What planners and schedulers rely on: a recovery run through the API gives the JSON `ucodts recover
//! --json` gives, progress streams as server-sent events, a scheduler's decisions are audited and a second
//! accept in a run is refused, a tampered audit row is found, and a run that a killed server left behind
//! is marked failed on restart. On SQLite always, on PostgreSQL when there is one.

mod common;

use std::time::{Duration, Instant};

use actix_web::test::{self, TestRequest};
use actix_web::App;
use serde_json::{json, Value};
use ucodts_server::auth::Role;
use ucodts_server::{audit, routes, AppState};
use ucodts_workflows::recovery::{recover, RecoverRequest};
use ucodts_workflows::Silent;

use common::{call, token, with_token};

/// The JSON without wall-clock fields (every key starting with `seconds`) and without where the library
/// wrote the schedule export (`schedule_out`: the server keeps the files instead).
fn without_timings(v: Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(k, _)| !k.starts_with("seconds") && k != "schedule_out")
                .map(|(k, v)| (k, without_timings(v)))
                .collect(),
        ),
        Value::Array(list) => Value::Array(list.into_iter().map(without_timings).collect()),
        v => v,
    }
}

/// Small and deterministic: the constructive policy with the greedy crew repair, two replications.
fn small_recover(scenario: &str) -> Value {
    json!({"kind": "recover", "scenario": scenario, "seed": 11, "reps": 2, "time_limit_s": 5,
           "policy": "constructive", "crew_policy": "greedy", "candidates": 2})
}

async fn a_recover_run_gives_the_workflows_json_and_its_plans_can_be_decided(url: &str) {
    let state = AppState::open(url, 1, 4).await.unwrap();
    let tokens = common::users(&state).await;
    let app = test::init_service(App::new().configure(routes(state.clone()))).await;
    let (planner, scheduler) = (
        token(&tokens, Role::Planner),
        token(&tokens, Role::Scheduler),
    );

    let created = call(
        &app,
        with_token(
            TestRequest::post()
                .uri("/api/runs")
                .set_json(small_recover("captain-no-show")),
            &planner,
        ),
    )
    .await;
    assert_eq!(created.status, 202, "{}", created.body);
    let id = created.body["id"].as_i64().unwrap();

    // The events stream ends when the run does; reading it whole is waiting for the run.
    let events = call(
        &app,
        with_token(
            TestRequest::get().uri(&format!("/api/runs/{id}/events")),
            &planner,
        ),
    )
    .await;
    let events = events.body.as_str().unwrap().to_string();
    assert!(events.contains("event: progress\ndata: {"), "{events}");
    assert!(
        events.trim_end().ends_with(&format!(
            r#"event: done
data: {{"id":{id},"status":"done"}}"#
        )),
        "{events}"
    );

    let run = call(
        &app,
        with_token(TestRequest::get().uri(&format!("/api/runs/{id}")), &planner),
    )
    .await;
    assert_eq!(run.body["status"], "done", "{}", run.body);
    let export_dir = tempfile::tempdir().unwrap();
    let export = export_dir.path().join("plan.csv");
    let direct = recover(
        &RecoverRequest {
            schedule_out: Some(export.clone()),
            seed: Some(11),
            replications: 2,
            time_limit_seconds: 5.0,
            policy: "constructive".into(),
            crew_policy: "greedy".into(),
            candidates: 2,
            ..RecoverRequest::new("captain-no-show")
        },
        &Silent,
    )
    .unwrap();
    // Both sides read from the text `ucodts recover --json` prints (serde_json's float parser may round a
    // last digit differently from a value that never was text).
    let direct: Value =
        serde_json::from_str(&serde_json::to_string_pretty(&direct).unwrap()).unwrap();
    assert_eq!(
        without_timings(run.body["result"].clone()),
        without_timings(direct.clone())
    );

    let plans = call(
        &app,
        with_token(
            TestRequest::get().uri(&format!("/api/plans?run={id}")),
            &scheduler,
        ),
    )
    .await;
    let plans = plans.body.as_array().unwrap().clone();
    assert_eq!(plans.len(), direct["plans"].as_array().unwrap().len());
    assert_eq!(
        without_timings(plans[0]["plan"].clone()),
        without_timings(direct["plans"][0].clone())
    );
    let plan = plans[0]["id"].as_i64().unwrap();

    let by_planner = call(
        &app,
        with_token(
            TestRequest::post()
                .uri(&format!("/api/plans/{plan}/decision"))
                .set_json(json!({"decision": "accept", "reason": "cheapest"})),
            &planner,
        ),
    )
    .await;
    assert_eq!(by_planner.status, 403, "only a scheduler decides");
    let accepted = call(&app, with_token(TestRequest::post().uri(&format!("/api/plans/{plan}/decision")).set_json(json!({"decision": "accept", "reason": "recommended, legal, and the reserve is at base"})), &scheduler)).await;
    assert_eq!(accepted.status, 201, "{}", accepted.body);
    let current = call(
        &app,
        with_token(TestRequest::get().uri("/api/plans/current"), &planner),
    )
    .await;
    assert_eq!(current.body["id"], plan);
    // The current plan's schedule export is the file `recover --schedule-out` writes, when it is the
    // recommended plan; otherwise a 404 says why.
    for (route, file) in [
        ("/api/plans/current/schedule.csv", export.clone()),
        (
            "/api/plans/current/crew.csv",
            export_dir.path().join("plan.crew.csv"),
        ),
    ] {
        let csv = call(&app, with_token(TestRequest::get().uri(route), &planner)).await;
        match plans[0]["recommended"].as_bool().unwrap() {
            true => {
                assert_eq!(csv.status, 200, "{route}: {}", csv.body);
                assert!(csv
                    .headers
                    .get("content-type")
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .starts_with("text/csv"));
                assert_eq!(
                    csv.body.as_str().unwrap(),
                    std::fs::read_to_string(&file).unwrap()
                );
            }
            false => {
                assert_eq!(csv.status, 404, "{route}");
                assert!(csv.body["error"]
                    .as_str()
                    .unwrap()
                    .contains("not recommended"));
            }
        }
    }
    let metrics = call(&app, TestRequest::get().uri("/metrics")).await;
    let replications: u64 = metrics
        .body
        .as_str()
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("ucodts_replications_total "))
        .expect("the replications counter")
        .parse()
        .unwrap();
    assert_eq!(
        replications, 2,
        "the run's two replications of the comparison are counted"
    );
    let again = call(
        &app,
        with_token(
            TestRequest::post()
                .uri(&format!("/api/plans/{plan}/decision"))
                .set_json(json!({"decision": "accept", "reason": "twice"})),
            &scheduler,
        ),
    )
    .await;
    assert_eq!(again.status, 409);
    assert!(
        again.body["error"]
            .as_str()
            .unwrap()
            .contains("already decided"),
        "{}",
        again.body
    );

    let log = call(
        &app,
        with_token(TestRequest::get().uri("/api/audit?limit=1000"), &planner),
    )
    .await;
    let actions: Vec<&str> = log
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for action in ["run.create", "run.finish", "plan.accept"] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
    assert_eq!(
        audit::verify(&state.db)
            .await
            .unwrap()
            .first_broken
            .map(|b| b.seq),
        None
    );
}

on_both!(a_recover_run_gives_the_workflows_json_and_its_plans_can_be_decided:
    recover_run_on_sqlite => sqlite, recover_run_on_postgres => postgres);

/// A finished recover run with two plans, written as the job would.
async fn run_with_two_plans(state: &AppState) -> (i64, i64, i64) {
    let run: i64 = sqlx::Row::get(
        &sqlx::query("INSERT INTO runs (kind, request, status, result, created_by, instance, created_ms) VALUES ('recover', '{}', 'done', '{}', 1, 'x', 0) RETURNING id")
            .fetch_one(&state.db.pool)
            .await
            .unwrap(),
        "id",
    );
    let mut plans = Vec::new();
    for rank in [1i64, 2] {
        let row = sqlx::query("INSERT INTO plans (run_id, rank, policy, recommended, plan) VALUES ($1, $2, 'constructive+greedy', $3, '{\"actions\":[]}') RETURNING id")
            .bind(run)
            .bind(rank)
            .bind(i64::from(rank == 1))
            .fetch_one(&state.db.pool)
            .await
            .unwrap();
        plans.push(sqlx::Row::get::<i64, _>(&row, "id"));
    }
    (run, plans[0], plans[1])
}

async fn a_second_accept_in_a_run_is_refused_and_a_tampered_audit_row_is_found(url: &str) {
    let state = AppState::open(url, 1, 4).await.unwrap();
    let tokens = common::users(&state).await;
    let app = test::init_service(App::new().configure(routes(state.clone()))).await;
    let scheduler = token(&tokens, Role::Scheduler);
    let (run, first, second) = run_with_two_plans(&state).await;
    let decide = |plan: i64, decision: &str, reason: &str| {
        with_token(
            TestRequest::post()
                .uri(&format!("/api/plans/{plan}/decision"))
                .set_json(json!({"decision": decision, "reason": reason})),
            &scheduler,
        )
    };
    assert_eq!(
        call(
            &app,
            decide(first, "accept", "keeps every crew member legal")
        )
        .await
        .status,
        201
    );
    let conflict = call(&app, decide(second, "accept", "also fine")).await;
    assert_eq!(conflict.status, 409);
    let why = conflict.body["error"].as_str().unwrap();
    assert!(
        why.contains(&format!("plan {first} of run {run}"))
            && why.contains("accepted by scheduler"),
        "{why}"
    );
    assert_eq!(
        call(
            &app,
            decide(second, "reject", "costs more than the accepted plan")
        )
        .await
        .status,
        201
    );

    let before = audit::verify(&state.db).await.unwrap();
    assert!(
        before.first_broken.is_none() && before.rows >= 12,
        "{before:?}"
    );
    let accept_row: i64 = sqlx::Row::get(
        &sqlx::query("SELECT seq FROM audit WHERE action = 'plan.accept'")
            .fetch_one(&state.db.pool)
            .await
            .unwrap(),
        "seq",
    );
    sqlx::query("UPDATE audit SET actor = 'mallory' WHERE seq = $1")
        .bind(accept_row)
        .execute(&state.db.pool)
        .await
        .unwrap();
    let after = audit::verify(&state.db).await.unwrap();
    let broken = after.first_broken.expect("a changed row breaks the chain");
    assert_eq!(broken.seq, accept_row, "{}", broken.why);
    assert!(broken.why.contains("changed"));
    // The command line says the same about the same database.
    if url.starts_with("sqlite") {
        let check = tokio::task::spawn_blocking({
            let url = url.to_string();
            move || ucodts_server::verify_audit(&url)
        })
        .await
        .unwrap()
        .unwrap();
        assert_eq!(check.first_broken.map(|b| b.seq), Some(accept_row));
    }
}

on_both!(a_second_accept_in_a_run_is_refused_and_a_tampered_audit_row_is_found:
    decisions_and_audit_on_sqlite => sqlite, decisions_and_audit_on_postgres => postgres);

async fn wait_for(
    app: &impl actix_web::dev::Service<
        actix_http::Request,
        Response = actix_web::dev::ServiceResponse,
        Error = actix_web::Error,
    >,
    token: &str,
    id: i64,
    status: &str,
) -> Value {
    let start = Instant::now();
    loop {
        let run = call(
            app,
            with_token(TestRequest::get().uri(&format!("/api/runs/{id}")), token),
        )
        .await;
        if run.body["status"] == status {
            return run.body;
        }
        assert!(
            start.elapsed() < Duration::from_secs(300),
            "run {id} never became {status}: {}",
            run.body
        );
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn a_run_left_running_by_a_killed_server_is_marked_failed_on_restart(url: &str) {
    let state = AppState::open(url, 1, 4).await.unwrap();
    let tokens = common::users(&state).await;
    let app = test::init_service(App::new().configure(routes(state.clone()))).await;
    let planner = token(&tokens, Role::Planner);
    let long = json!({"kind": "recover", "scenario": "jfk-two-hour-closure", "reps": 200, "time_limit_s": 60});
    let id = call(
        &app,
        with_token(
            TestRequest::post().uri("/api/runs").set_json(&long),
            &planner,
        ),
    )
    .await
    .body["id"]
        .as_i64()
        .unwrap();
    wait_for(&app, &planner, id, "running").await;

    // A second server on the same database is what a restart after kill -9 sees: a run `running` that no
    // process works on.
    let restarted = AppState::open(url, 1, 4).await.unwrap();
    let app2 = test::init_service(App::new().configure(routes(restarted.clone()))).await;
    let run = wait_for(&app2, &planner, id, "failed").await;
    assert!(
        run["error"]
            .as_str()
            .unwrap()
            .contains("stopped while this run was running"),
        "{run}"
    );
    assert!(run["result"].is_null(), "no half result");

    // The first process, still working, must not write its late result over that.
    assert!(state.jobs.cancel(id, "the test"));
    let start = Instant::now();
    while state.jobs.live(id).is_some() && start.elapsed() < Duration::from_secs(120) {
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    let run = call(
        &app2,
        with_token(TestRequest::get().uri(&format!("/api/runs/{id}")), &planner),
    )
    .await
    .body;
    assert!(
        run["error"]
            .as_str()
            .unwrap()
            .contains("stopped while this run was running"),
        "{run}"
    );
    assert!(audit::verify(&restarted.db)
        .await
        .unwrap()
        .first_broken
        .is_none());
}

on_both!(a_run_left_running_by_a_killed_server_is_marked_failed_on_restart:
    killed_run_on_sqlite => sqlite, killed_run_on_postgres => postgres);

async fn a_planner_cancels_a_run(url: &str) {
    let state = AppState::open(url, 1, 4).await.unwrap();
    let tokens = common::users(&state).await;
    let app = test::init_service(App::new().configure(routes(state.clone()))).await;
    let planner = token(&tokens, Role::Planner);
    let long = json!({"kind": "simulate", "scenario": "new-york-snow-day", "reps": 1000});
    let id = call(
        &app,
        with_token(
            TestRequest::post().uri("/api/runs").set_json(&long),
            &planner,
        ),
    )
    .await
    .body["id"]
        .as_i64()
        .unwrap();
    wait_for(&app, &planner, id, "running").await;
    let cancel = call(
        &app,
        with_token(
            TestRequest::delete().uri(&format!("/api/runs/{id}")),
            &planner,
        ),
    )
    .await;
    assert_eq!(cancel.status, 202, "{}", cancel.body);
    let run = wait_for(&app, &planner, id, "failed").await;
    assert_eq!(run["error"], "cancelled by planner");
    let again = call(
        &app,
        with_token(
            TestRequest::delete().uri(&format!("/api/runs/{id}")),
            &planner,
        ),
    )
    .await;
    assert_eq!(again.status, 409);
}

on_both!(a_planner_cancels_a_run:
    cancel_on_sqlite => sqlite, cancel_on_postgres => postgres);

/// A finished recover run over `window` with one recommended plan whose actions touch `tails` and `crew`.
async fn run_with_plan(
    state: &AppState,
    window: (&str, &str),
    tails: &[&str],
    crew: &[&str],
) -> i64 {
    let run: i64 = sqlx::Row::get(
        &sqlx::query("INSERT INTO runs (kind, request, status, result, created_by, instance, created_ms, window_start, window_end) VALUES ('recover', '{}', 'done', '{}', 1, 'x', 0, $1, $2) RETURNING id")
            .bind(window.0)
            .bind(window.1)
            .fetch_one(&state.db.pool)
            .await
            .unwrap(),
        "id",
    );
    let plan = json!({"actions": [
        {"kind": "tail_swap", "tails": tails, "crew": [], "text": "swap"},
        {"kind": "reserve_callout", "tails": [], "crew": crew, "text": "call"},
    ]});
    let row = sqlx::query("INSERT INTO plans (run_id, rank, policy, recommended, plan) VALUES ($1, 1, 'lns+greedy', 1, $2) RETURNING id")
        .bind(run)
        .bind(plan.to_string())
        .fetch_one(&state.db.pool)
        .await
        .unwrap();
    sqlx::Row::get(&row, "id")
}

async fn an_accept_that_changes_what_another_runs_accepted_plan_changes_is_refused(url: &str) {
    let state = AppState::open(url, 1, 4).await.unwrap();
    let tokens = common::users(&state).await;
    let app = test::init_service(App::new().configure(routes(state.clone()))).await;
    let scheduler = token(&tokens, Role::Scheduler);
    let accept = |plan: i64| {
        with_token(
            TestRequest::post()
                .uri(&format!("/api/plans/{plan}/decision"))
                .set_json(json!({"decision": "accept", "reason": "legal and cheapest"})),
            &scheduler,
        )
    };
    let morning = ("2013-07-03T10:00Z", "2013-07-03T16:00Z");
    let first = run_with_plan(&state, morning, &["N525UA", "N526UA"], &["C0001"]).await;
    // The same tail (its second rotation) in an overlapping window.
    let overlapping = run_with_plan(
        &state,
        ("2013-07-03T14:00Z", "2013-07-03T20:00Z"),
        &["N525UA/2"],
        &["C0002"],
    )
    .await;
    // Other tails and crew in an overlapping window, and the same tail on another day.
    let elsewhere = run_with_plan(&state, morning, &["N900DL"], &["C0003"]).await;
    let next_day = run_with_plan(
        &state,
        ("2013-07-04T10:00Z", "2013-07-04T16:00Z"),
        &["N525UA"],
        &["C0001"],
    )
    .await;
    assert_eq!(call(&app, accept(first)).await.status, 201);
    let refused = call(&app, accept(overlapping)).await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    let why = refused.body["error"].as_str().unwrap();
    assert!(
        why.contains(&format!("plan {first} of run"))
            && why.contains("tail N525UA")
            && why.contains("accepted by scheduler"),
        "{why}"
    );
    assert_eq!(call(&app, accept(elsewhere)).await.status, 201);
    assert_eq!(call(&app, accept(next_day)).await.status, 201);
    let current = call(
        &app,
        with_token(TestRequest::get().uri("/api/plans/current"), &scheduler),
    )
    .await;
    assert_eq!(current.body["id"], next_day, "the latest accepted plan");
}

on_both!(an_accept_that_changes_what_another_runs_accepted_plan_changes_is_refused:
    conflicting_runs_on_sqlite => sqlite, conflicting_runs_on_postgres => postgres);

#[actix_web::test]
async fn a_researcher_runs_the_crew_benchmark_as_a_job() {
    let db = common::TestDb::sqlite();
    let dir = tempfile::tempdir().unwrap();
    let options = ucodts_server::Options {
        // No GMCM files here: the benchmark runs the embedded default's cases and says it skipped the rest.
        benchmarks: dir.path().to_path_buf(),
        ..ucodts_server::Options::default()
    };
    let state = AppState::open_with(&db.url, &options).await.unwrap();
    let tokens = common::users(&state).await;
    let app = test::init_service(App::new().configure(routes(state.clone()))).await;
    let researcher = token(&tokens, Role::Researcher);
    let created = call(
        &app,
        with_token(
            TestRequest::post()
                .uri("/api/runs")
                .set_json(json!({"kind": "bench-crew", "cases": 1, "time_limit_s": 5})),
            &researcher,
        ),
    )
    .await;
    assert_eq!(created.status, 202, "{}", created.body);
    let id = created.body["id"].as_i64().unwrap();
    let run = wait_for(&app, &researcher, id, "done").await;
    assert_eq!(run["kind"], "bench-crew");
    let cases = run["result"].as_array().expect("the CLI's list of cases");
    assert!(!cases.is_empty());
    assert!(cases
        .iter()
        .all(|c| c["data_set"].is_string() && c["policy"].is_string()));
    assert!(
        run["progress"]["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().contains("GMCM 2021 F cases skipped")),
        "{}",
        run["progress"]
    );
}
