//! The operations service killed with SIGKILL and started again, driving the real `ucodts serve` process:
//! every decision that got a 2xx is still there, the audit chain verifies, a recovery run that was running
//! is marked failed with why and has no result, a decision that was in flight when the process died is
//! there whole (with its audit row) or not at all. And a recovery run through the API gives the JSON and
//! the schedule export `ucodts recover --json --schedule-out` gives for the same request and seed.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::serve::ServeProcess;
use serde_json::{json, Value};

const PASSWORD: &str = "a long enough test password";

/// A minimal HTTP/1.1 client (one request per connection): the test needs nothing more.
struct Http {
    addr: String,
}

struct Answer {
    status: u16,
    headers: String,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.body))
    }
}

/// Who is calling: the session cookie and its CSRF token.
#[derive(Clone)]
struct Session {
    cookie: String,
    csrf: String,
}

impl Http {
    fn send(
        &self,
        method: &str,
        path: &str,
        session: Option<&Session>,
        body: Option<&Value>,
    ) -> std::io::Result<Answer> {
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let session_headers = session.map(|s| {
            [
                ("Cookie", s.cookie.as_str()),
                ("X-CSRF-Token", s.csrf.as_str()),
            ]
        });
        let mut headers: Vec<(&str, &str)> = session_headers.iter().flatten().copied().collect();
        if !body.is_empty() {
            headers.push(("Content-Type", "application/json"));
        }
        let a = common::serve::request(&self.addr, method, path, &headers, &body)?;
        Ok(Answer {
            status: a.status,
            headers: a.headers,
            body: a.body,
        })
    }

    fn ok(&self, method: &str, path: &str, session: &Session, body: Option<&Value>) -> Answer {
        let answer = self
            .send(method, path, Some(session), body)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        assert!(
            (200..300).contains(&answer.status),
            "{method} {path}: {} {}",
            answer.status,
            answer.body
        );
        answer
    }

    fn login(&self, name: &str) -> Session {
        let answer = self
            .send(
                "POST",
                "/api/login",
                None,
                Some(&json!({"name": name, "password": PASSWORD})),
            )
            .unwrap();
        assert_eq!(answer.status, 200, "{}", answer.body);
        let cookie = answer
            .headers
            .lines()
            .find_map(|l| {
                l.to_ascii_lowercase()
                    .starts_with("set-cookie:")
                    .then(|| l[11..].trim().to_string())
            })
            .expect("a session cookie");
        Session {
            cookie: cookie.split(';').next().unwrap().to_string(),
            csrf: answer.json()["csrf_token"].as_str().unwrap().to_string(),
        }
    }
}

/// A server process on a free port of the loopback, and a client of it.
struct Server {
    process: ServeProcess,
    http: Http,
}

impl Server {
    fn start(db: &str, log: &Path) -> Server {
        let process = ServeProcess::start(db, log);
        let http = Http {
            addr: process.addr.clone(),
        };
        Server { process, http }
    }

    /// SIGKILL: no shutdown code runs.
    fn kill_9(self) {
        self.process.kill_9();
    }
}

fn wait_for(http: &Http, session: &Session, id: i64, status: &str) -> Value {
    let start = Instant::now();
    loop {
        let run = http
            .ok("GET", &format!("/api/runs/{id}"), session, None)
            .json();
        if run["status"] == status {
            return run;
        }
        assert!(
            start.elapsed() < Duration::from_secs(300),
            "run {id} never became {status}: {run}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The JSON without wall-clock fields (keys starting with `seconds`) and without `schedule_out` (where
/// the CLI wrote the export: the server keeps the files instead).
fn comparable(v: Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(k, _)| !k.starts_with("seconds") && k != "schedule_out")
                .map(|(k, v)| (k, comparable(v)))
                .collect(),
        ),
        Value::Array(list) => Value::Array(list.into_iter().map(comparable).collect()),
        v => v,
    }
}

/// The decisions in the database as the API lists them: (plan, decision).
fn decisions(http: &Http, session: &Session, run: i64) -> Vec<(i64, String)> {
    http.ok("GET", &format!("/api/plans?run={run}"), session, None)
        .json()
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| !p["decision"].is_null())
        .map(|p| {
            (
                p["id"].as_i64().unwrap(),
                p["decision"]["decision"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_killed_server_keeps_every_answered_decision_and_fails_the_interrupted_run_with_why() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/ops.db", dir.path().display());
    common::add_user(&db, "ana", "planner", PASSWORD);
    common::add_user(&db, "sam", "scheduler", PASSWORD);
    let server = Server::start(&db, &dir.path().join("first.log"));
    let http = &server.http;
    let (ana, sam) = (http.login("ana"), http.login("sam"));

    // A small recovery run, to the end.
    let small = json!({"kind": "recover", "scenario": "captain-no-show", "seed": 11, "reps": 2,
        "time_limit_s": 5, "policy": "constructive", "crew_policy": "greedy", "candidates": 2});
    let run_a = http.ok("POST", "/api/runs", &ana, Some(&small)).json()["id"]
        .as_i64()
        .unwrap();
    let finished = wait_for(http, &ana, run_a, "done");

    // The CLI on the same request and seed prints the same JSON and writes the same export.
    let export = dir.path().join("cli").join("plan.csv");
    let cli = common::json(&[
        "recover",
        "--scenario",
        "captain-no-show",
        "--seed",
        "11",
        "--reps",
        "2",
        "--time-limit",
        "5",
        "--policy",
        "constructive",
        "--crew-policy",
        "greedy",
        "--candidates",
        "2",
        "--json",
        "--schedule-out",
        export.to_str().unwrap(),
    ]);
    assert_eq!(
        comparable(finished["result"].clone()),
        comparable(cli.clone())
    );

    let plans = http
        .ok("GET", &format!("/api/plans?run={run_a}"), &sam, None)
        .json();
    let plans = plans.as_array().unwrap();
    assert!(!plans.is_empty());
    let plan = |i: usize| plans[i]["id"].as_i64().unwrap();
    let mut answered = Vec::new();
    if plans.len() > 1 {
        http.ok(
            "POST",
            &format!("/api/plans/{}/decision", plan(1)),
            &sam,
            Some(&json!({"decision": "reject", "reason": "more crew contacted"})),
        );
        answered.push((plan(1), "reject".to_string()));
    }

    // A long run, killed while it runs; an accept in flight when the process dies.
    let long = json!({"kind": "recover", "scenario": "jfk-two-hour-closure", "reps": 200, "time_limit_s": 60});
    let run_b = http.ok("POST", "/api/runs", &ana, Some(&long)).json()["id"]
        .as_i64()
        .unwrap();
    wait_for(http, &ana, run_b, "running");
    let accept = {
        let http = Http {
            addr: http.addr.clone(),
        };
        let sam = sam.clone();
        let first = plan(0);
        std::thread::spawn(move || {
            http.send(
                "POST",
                &format!("/api/plans/{first}/decision"),
                Some(&sam),
                Some(&json!({"decision": "accept", "reason": "legal, cheapest"})),
            )
            .ok()
            .map(|a| a.status)
        })
    };
    std::thread::sleep(Duration::from_millis(3));
    server.kill_9();
    if accept
        .join()
        .unwrap()
        .is_some_and(|s| (200..300).contains(&s))
    {
        answered.push((plan(0), "accept".to_string()));
    }

    let server = Server::start(&db, &dir.path().join("second.log"));
    let http = &server.http;
    let sam = http.login("sam");
    let kept = decisions(http, &sam, run_a);
    for d in &answered {
        assert!(kept.contains(d), "{d:?} got a 2xx but is gone: {kept:?}");
    }
    let run = http
        .ok("GET", &format!("/api/runs/{run_b}"), &sam, None)
        .json();
    assert_eq!(run["status"], "failed", "{run}");
    assert!(
        run["error"]
            .as_str()
            .unwrap()
            .contains("stopped while this run was running (it was killed or crashed)"),
        "{run}"
    );
    assert!(run["result"].is_null(), "no half result: {run}");

    // A decision and its audit row exist together or not at all.
    let audit = http.ok("GET", "/api/audit?limit=1000", &sam, None).json();
    let audited: Vec<String> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"].as_str().unwrap().starts_with("plan."))
        .map(|e| e["object"].as_str().unwrap().to_string())
        .collect();
    let mut stored: Vec<String> = kept.iter().map(|(p, _)| format!("plan/{p}")).collect();
    stored.sort();
    let mut audited_sorted = audited.clone();
    audited_sorted.sort();
    assert_eq!(stored, audited_sorted);

    // The accept again if it did not land; then the current plan's export is the CLI's.
    if !kept.iter().any(|(_, d)| d == "accept") {
        http.ok(
            "POST",
            &format!("/api/plans/{}/decision", plan(0)),
            &sam,
            Some(&json!({"decision": "accept", "reason": "legal, cheapest"})),
        );
    }
    let current = http
        .send("GET", "/api/plans/current/schedule.csv", Some(&sam), None)
        .unwrap();
    let crew = http
        .send("GET", "/api/plans/current/crew.csv", Some(&sam), None)
        .unwrap();
    if plans[0]["recommended"] == true {
        assert_eq!(current.status, 200, "{}", current.body);
        assert_eq!(current.body, std::fs::read_to_string(&export).unwrap());
        assert_eq!(
            crew.body,
            std::fs::read_to_string(dir.path().join("cli").join("plan.crew.csv")).unwrap()
        );
    } else {
        assert_eq!(current.status, 404);
        assert!(current.body.contains("not recommended"), "{}", current.body);
    }
    server.kill_9();

    let verify = common::ucodts(&["audit", "verify", "--db", &db]);
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stderr)
    );
}
