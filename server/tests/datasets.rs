//! Data sets as objects of the service: the embedded default is always listed; a planner or an admin
//! imports a native data set by uploading its folder as a zip file, refused with the loader's own message
//! (file, line, column) when it is broken; a run and a user's scenario may name one, and a run on an
//! imported data set gives what the workflow gives on the same folder (the CLI's `--data DIR`). On SQLite
//! always, on PostgreSQL when there is one.

mod common;

use std::io::Write;
use std::path::Path;

use actix_web::test::{self, TestRequest};
use actix_web::App;
use serde_json::{json, Value};
use ucodts_server::auth::Role;
use ucodts_server::{audit, routes, AppState};

use common::{call, token, with_token};

/// A zip file of the folder `dir`, its files in a folder `top/` (as `zip -r set.zip set` makes them).
fn zip_dir(dir: &Path, top: &str, change: impl Fn(&str, String) -> String) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    for name in names {
        let content = std::fs::read_to_string(dir.join(&name)).unwrap();
        zip.start_file(
            format!("{top}/{name}"),
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        zip.write_all(change(&name, content).as_bytes()).unwrap();
    }
    zip.finish().unwrap();
    out.into_inner()
}

/// `legs.csv` with the second data row's `scheduled_out` made unreadable: (the new text, the line).
fn break_legs(content: String) -> String {
    let mut lines: Vec<String> = content.lines().map(str::to_string).collect();
    let column = lines[0]
        .split(',')
        .position(|c| c == "scheduled_out")
        .expect("legs.csv has scheduled_out");
    // The first columns hold no quoted commas in the default's legs: split and rejoin the row.
    let mut cells: Vec<String> = lines[2].split(',').map(str::to_string).collect();
    cells[column] = "soon".into();
    lines[2] = cells.join(",");
    lines.join("\n") + "\n"
}

fn upload(name: &str, zip: Vec<u8>, token: &str) -> TestRequest {
    with_token(
        TestRequest::post()
            .uri(&format!("/api/datasets?name={name}"))
            .insert_header(("Content-Type", "application/zip"))
            .set_payload(zip),
        token,
    )
}

/// A result without its wall-clock fields.
fn comparable(v: &Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !k.starts_with("seconds"))
                .map(|(k, v)| (k.clone(), comparable(v)))
                .collect(),
        ),
        Value::Array(list) => Value::Array(list.iter().map(comparable).collect()),
        v => v.clone(),
    }
}

async fn data_sets_are_imported_listed_and_run(url: &str) {
    let state = AppState::open(url, 1, 4).await.unwrap();
    let tokens = common::users(&state).await;
    let app = test::init_service(App::new().configure(routes(state.clone()))).await;
    let (planner, admin, viewer) = (
        token(&tokens, Role::Planner),
        token(&tokens, Role::Admin),
        token(&tokens, Role::Viewer),
    );
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path().join("nyc");
    ucodts_workflows::data::export_default(&dir).unwrap();

    // The embedded default is listed before anything is imported.
    let listed = call(
        &app,
        with_token(TestRequest::get().uri("/api/datasets"), &viewer),
    )
    .await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    let default = &listed.body[0];
    assert_eq!(
        (default["name"].as_str(), default["origin"].as_str()),
        (Some("default"), Some("embedded"))
    );
    let default_flights = default["summary"]["flights"].as_u64().unwrap();
    assert!(default_flights > 1000, "{default}");

    // A broken legs.csv is refused with the loader's own message: the file, the line, the column.
    let broken = call(
        &app,
        upload(
            "broken",
            zip_dir(&dir, "nyc", |name, c| match name {
                "legs.csv" => break_legs(c),
                _ => c,
            }),
            &planner,
        ),
    )
    .await;
    let error = broken.body["error"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        (broken.status, broken.body["field"].as_str()),
        (400, Some("body")),
        "{}",
        broken.body
    );
    let cli = {
        let copy = folder.path().join("broken");
        std::fs::create_dir(&copy).unwrap();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            let content = std::fs::read_to_string(entry.path()).unwrap();
            let content = match entry.file_name().to_str() {
                Some("legs.csv") => break_legs(content),
                _ => content,
            };
            std::fs::write(copy.join(entry.file_name()), content).unwrap();
        }
        let e = ucodts_workflows::data::load(&copy).unwrap_err();
        let mut text = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            text = format!("{text}: {s}");
            source = s.source();
        }
        text
    };
    let cli_cause = cli
        .split_once(&format!("{}/", folder.path().join("broken").display()))
        .map(|(_, rest)| rest.to_string())
        .expect("the loader names the file with its folder");
    assert!(
        cli_cause.starts_with("legs.csv:3: ") && cli_cause.contains("`scheduled_out`"),
        "the loader's message: {cli}"
    );
    assert!(
        error.ends_with(&cli_cause),
        "the server says what the loader says ({cli_cause}): {error}"
    );
    let not_zip = call(
        &app,
        with_token(
            TestRequest::post()
                .uri("/api/datasets?name=junk")
                .set_payload("not a zip"),
            &planner,
        ),
    )
    .await;
    assert_eq!(
        (not_zip.status, not_zip.body["field"].as_str()),
        (400, Some("body"))
    );
    let no_name = call(&app, upload("", zip_dir(&dir, "nyc", |_, c| c), &planner)).await;
    assert_eq!(
        (no_name.status, no_name.body["field"].as_str()),
        (400, Some("name"))
    );
    assert_eq!(
        call(
            &app,
            upload("mine", zip_dir(&dir, "nyc", |_, c| c), &viewer)
        )
        .await
        .status,
        403,
        "a viewer imports nothing"
    );

    // The default exported and imported again is a data set of its own, with its content hash.
    let imported = call(
        &app,
        upload("nyc-copy", zip_dir(&dir, "nyc", |_, c| c), &planner),
    )
    .await;
    assert_eq!(imported.status, 201, "{}", imported.body);
    assert_eq!(
        imported.body["summary"]["flights"].as_u64(),
        Some(default_flights)
    );
    let hash = imported.body["content_hash"].as_str().unwrap().to_string();
    assert_eq!(hash.len(), 64);
    assert_eq!(
        call(
            &app,
            upload("nyc-copy", zip_dir(&dir, "nyc", |_, c| c), &admin)
        )
        .await
        .status,
        409,
        "a name is taken once"
    );
    let listed = call(
        &app,
        with_token(TestRequest::get().uri("/api/datasets"), &viewer),
    )
    .await;
    let names: Vec<&str> = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["default", "nyc-copy"]);
    assert_eq!(listed.body[1]["created_by"], "planner");
    let audit = call(
        &app,
        with_token(TestRequest::get().uri("/api/audit?limit=1000"), &viewer),
    )
    .await;
    let rows: Vec<&Value> = audit
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["action"] == "dataset.create")
        .collect();
    assert_eq!(rows.len(), 1, "one audit row per import, none for refusals");
    assert_eq!(rows[0]["actor"], "planner");

    // Runs name a data set; unknown names and benchmarks are refused naming the field.
    let start = |body: Value| {
        with_token(
            TestRequest::post().uri("/api/runs").set_json(body),
            &planner,
        )
    };
    let unknown = call(
        &app,
        start(json!({"kind": "simulate", "scenario": "captain-no-show", "data_set": "nope"})),
    )
    .await;
    assert_eq!(
        (unknown.status, unknown.body["field"].as_str()),
        (400, Some("data_set"))
    );
    let researcher = token(&tokens, Role::Researcher);
    let bench = call(
        &app,
        with_token(
            TestRequest::post()
                .uri("/api/runs")
                .set_json(json!({"kind": "bench-crew", "data_set": "nyc-copy"})),
            &researcher,
        ),
    )
    .await;
    assert_eq!(
        (bench.status, bench.body["field"].as_str()),
        (400, Some("data_set"))
    );
    let mut results = Vec::new();
    for data_set in ["default", "nyc-copy"] {
        let run = call(
            &app,
            start(
                json!({"kind": "simulate", "scenario": "captain-no-show", "reps": 2, "seed": 3,
                         "data_set": data_set}),
            ),
        )
        .await;
        assert_eq!(run.status, 202, "{}", run.body);
        let id = run.body["id"].as_i64().unwrap();
        call(
            &app,
            with_token(
                TestRequest::get().uri(&format!("/api/runs/{id}/events")),
                &planner,
            ),
        )
        .await;
        let done = call(
            &app,
            with_token(TestRequest::get().uri(&format!("/api/runs/{id}")), &planner),
        )
        .await;
        assert_eq!(done.body["status"], "done", "{}", done.body);
        results.push(done);
    }
    assert_eq!(
        results[1].body["request"]["data_set"],
        json!({"id": 1, "name": "nyc-copy", "content_hash": hash}),
        "the run keeps which files it ran on"
    );
    assert!(results[0].body["request"].get("data_set").is_none());
    let cli = ucodts_workflows::twin::simulate_scenario(
        "captain-no-show",
        Some(&dir),
        &ucodts_workflows::twin::RunRequest {
            reps: Some(2),
            seed: Some(3),
            threads: 2,
            params: None,
        },
        None,
        &ucodts_workflows::Silent,
    )
    .unwrap();
    assert_eq!(
        comparable(&results[1].body["result"]),
        // Through the same text as the server's (serde_json reads some decimals one unit off the bits).
        comparable(&serde_json::from_str(&serde_json::to_string_pretty(&cli).unwrap()).unwrap()),
        "a run on an imported data set gives what `ucodts simulate --scenario S --data DIR --json` gives"
    );
    assert_eq!(
        results[0].body["result"]["scenario"],
        results[1].body["result"]["scenario"]
    );

    // A user's scenario is checked against the data set it names, which its runs then use.
    let toml = r#"name = "copy-ewr"
description = "EWR at half arrival capacity, on the imported copy"
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
    let added = call(
        &app,
        with_token(
            TestRequest::post()
                .uri("/api/scenarios")
                .set_json(json!({"toml": toml, "data_set": "nyc-copy"})),
            &planner,
        ),
    )
    .await;
    assert_eq!(added.status, 201, "{}", added.body);
    let wrong = call(
        &app,
        with_token(
            TestRequest::post()
                .uri("/api/scenarios")
                .set_json(json!({"toml": toml.replace("copy-ewr", "other"), "data_set": "nope"})),
            &planner,
        ),
    )
    .await;
    assert_eq!(
        (wrong.status, wrong.body["field"].as_str()),
        (400, Some("data_set"))
    );
    let scenarios = call(
        &app,
        with_token(TestRequest::get().uri("/api/scenarios"), &viewer),
    )
    .await;
    let own = scenarios
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "copy-ewr")
        .unwrap()
        .clone();
    assert_eq!(own["data_set"], "nyc-copy");
    let run = call(
        &app,
        start(json!({"kind": "simulate", "scenario": "copy-ewr", "reps": 2})),
    )
    .await;
    assert_eq!(run.status, 202, "{}", run.body);
    let id = run.body["id"].as_i64().unwrap();
    let shown = call(
        &app,
        with_token(TestRequest::get().uri(&format!("/api/runs/{id}")), &viewer),
    )
    .await;
    assert_eq!(shown.body["request"]["data_set"]["name"], "nyc-copy");
    call(
        &app,
        with_token(
            TestRequest::get().uri(&format!("/api/runs/{id}/events")),
            &planner,
        ),
    )
    .await;

    let chain = audit::verify(&state.db).await.unwrap();
    assert!(chain.first_broken.is_none(), "{chain:?}");
}

on_both!(data_sets_are_imported_listed_and_run:
    data_sets_on_sqlite => sqlite, data_sets_on_postgres => postgres);
