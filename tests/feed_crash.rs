//! The movement feed survives `kill -9`: the real `ucodts serve` is fed a recorded day as JSON lines by two
//! posters at once and killed with SIGKILL while they post; after a restart on the same database every
//! event answered with a 2xx is in the live state, and every post that got no answer (in flight when the
//! process died) is there whole or not at all.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::serve::ServeProcess;
use serde_json::{json, Value};

const PASSWORD: &str = "a long enough test password";
/// JSON lines per post.
const BATCH: usize = 25;

/// One HTTP/1.1 request on its own connection: (status, body).
fn request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> std::io::Result<(u16, String)> {
    common::serve::request(addr, method, path, headers, body).map(|a| (a.status, a.body))
}

/// An API token of user `feeder`, made by admin `root` through the API.
fn feed_token(addr: &str) -> String {
    let login = json!({"name": "root", "password": PASSWORD}).to_string();
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "POST /api/login HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{login}",
        login.len()
    )
    .unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    let cookie = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .starts_with("set-cookie:")
                .then(|| l[11..].trim().split(';').next().unwrap().to_string())
        })
        .expect("a session cookie");
    let csrf = serde_json::from_str::<Value>(body).unwrap()["csrf_token"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, body) = request(
        addr,
        "POST",
        "/api/tokens",
        &[
            ("Cookie", &cookie),
            ("X-CSRF-Token", &csrf),
            ("Content-Type", "application/json"),
        ],
        &json!({"user": "feeder", "label": "kill -9 test"}).to_string(),
    )
    .unwrap();
    assert_eq!(status, 201, "{body}");
    serde_json::from_str::<Value>(&body).unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string()
}

/// POSTs a batch of JSON lines: the answer's JSON, or `None` when there was no answer.
fn post(addr: &str, token: &str, lines: &[String]) -> Option<(u16, Value)> {
    let bearer = format!("Bearer {token}");
    let body = lines.join("\n") + "\n";
    request(
        addr,
        "POST",
        "/api/feed",
        &[
            ("Authorization", &bearer),
            ("Content-Type", "application/x-ndjson"),
        ],
        &body,
    )
    .ok()
    .map(|(s, b)| (s, serde_json::from_str(&b).unwrap_or(Value::String(b))))
}

/// What became of one post before the kill.
#[derive(Debug)]
enum Fate {
    /// Answered with a 2xx: every event of it must be there after the restart.
    Acknowledged,
    /// No answer (in flight, or sent to a dead server): there whole or not at all.
    Unknown,
}

#[test]
fn every_feed_event_answered_before_a_kill_9_is_there_after_the_restart_and_none_is_half_stored() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/ops.db", dir.path().display());
    common::add_user(&db, "root", "admin", PASSWORD);
    common::add_user(&db, "feeder", "feed", PASSWORD);
    let feed = common::ok(&[
        "replay",
        "--date",
        "2013-07-02",
        "--speed",
        "max",
        "--format",
        "jsonl",
        "--to",
        "stdout",
    ]);
    let lines: Vec<String> = feed.lines().map(str::to_string).collect();
    assert!(lines.len() > 1_500, "{} events", lines.len());
    let batches: Vec<Vec<String>> = lines.chunks(BATCH).map(<[String]>::to_vec).collect();

    let server = ServeProcess::start(&db, &dir.path().join("first.log"));
    let token = feed_token(&server.addr);
    // Two posters, taking alternate batches, as fast as the server answers.
    let answered = Arc::new(AtomicUsize::new(0));
    let posters: Vec<_> = (0..2)
        .map(|k| {
            let (addr, token, answered) = (server.addr.clone(), token.clone(), answered.clone());
            let mine: Vec<(usize, Vec<String>)> = batches
                .iter()
                .cloned()
                .enumerate()
                .filter(|(i, _)| i % 2 == k)
                .collect();
            std::thread::spawn(move || {
                let mut fates = Vec::new();
                for (i, batch) in mine {
                    match post(&addr, &token, &batch) {
                        Some((200, answer)) => {
                            assert_eq!(answer["accepted"], batch.len(), "{answer}");
                            fates.push((i, Fate::Acknowledged));
                            answered.fetch_add(1, Ordering::SeqCst);
                        }
                        Some((status, answer)) => panic!("batch {i}: {status} {answer}"),
                        None => {
                            fates.push((i, Fate::Unknown));
                            break;
                        }
                    }
                }
                fates
            })
        })
        .collect();
    // Kill once a good part of the day is in, while both posters are still posting.
    let start = Instant::now();
    while answered.load(Ordering::SeqCst) < batches.len() / 3 {
        assert!(
            start.elapsed() < Duration::from_secs(300),
            "the server answered only {} posts in 5 minutes",
            answered.load(Ordering::SeqCst)
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    server.kill_9();
    let fates: Vec<(usize, Fate)> = posters
        .into_iter()
        .flat_map(|p| p.join().unwrap())
        .collect();
    let acknowledged: Vec<usize> = fates
        .iter()
        .filter(|(_, f)| matches!(f, Fate::Acknowledged))
        .map(|(i, _)| *i)
        .collect();
    let unknown: Vec<usize> = fates
        .iter()
        .filter(|(_, f)| matches!(f, Fate::Unknown))
        .map(|(i, _)| *i)
        .collect();
    assert!(
        acknowledged.len() >= batches.len() / 3 && acknowledged.len() < batches.len(),
        "killed mid-feed: {} of {} posts answered",
        acknowledged.len(),
        batches.len()
    );
    assert_eq!(unknown.len(), 2, "each poster lost its server: {fates:?}");

    // The restarted server rebuilds the state from what was stored.
    let server = ServeProcess::start(&db, &dir.path().join("second.log"));
    let bearer = format!("Bearer {token}");
    let (status, state) = request(
        &server.addr,
        "GET",
        "/api/live/state",
        &[("Authorization", &bearer)],
        "",
    )
    .unwrap();
    assert_eq!(status, 200, "{state}");
    let state: Value = serde_json::from_str(&state).unwrap();
    let applied = state["events_applied"].as_u64().unwrap() as usize;
    // Every acknowledged event is there: posted again, each is a duplicate.
    for &i in &acknowledged {
        let (status, answer) = post(&server.addr, &token, &batches[i]).unwrap();
        assert_eq!(status, 200, "{answer}");
        assert_eq!(
            (answer["accepted"].as_u64(), answer["duplicates"].as_u64()),
            (Some(0), Some(batches[i].len() as u64)),
            "batch {i} was acknowledged before the kill but is not all there: {answer}"
        );
    }
    // A post in flight at the kill is there whole or not at all.
    let mut stored_unknown = 0;
    for &i in &unknown {
        let (status, answer) = post(&server.addr, &token, &batches[i]).unwrap();
        assert_eq!(status, 200, "{answer}");
        let n = batches[i].len() as u64;
        let (accepted, duplicates) = (answer["accepted"].as_u64(), answer["duplicates"].as_u64());
        assert!(
            (accepted, duplicates) == (Some(n), Some(0))
                || (accepted, duplicates) == (Some(0), Some(n)),
            "batch {i} is half stored: {answer}"
        );
        if duplicates == Some(n) {
            stored_unknown += batches[i].len();
        }
    }
    let acknowledged_events: usize = acknowledged.iter().map(|&i| batches[i].len()).sum();
    assert_eq!(
        applied,
        acknowledged_events + stored_unknown,
        "the restarted state holds exactly the stored posts"
    );
    server.kill_9();
    // The audit chain (one row per stored post) still verifies.
    let verify = common::ucodts(&["audit", "verify", "--db", &db]);
    assert!(
        verify.status.success(),
        "{}{}",
        String::from_utf8_lossy(&verify.stdout),
        String::from_utf8_lossy(&verify.stderr)
    );
}
