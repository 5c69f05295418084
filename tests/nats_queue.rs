//! The Monte Carlo work queue on NATS JetStream: `ucodts mc submit --nats URL` with three `ucodts worker`
//! processes on loopback, one killed with kill -9 in the middle of a shard; its job goes to another worker
//! after the ack wait, and the merged result is the very bytes of `ucodts simulate --json` in one process.
//!
//! Needs a NATS server with JetStream: UCODTS_TEST_NATS_URL=nats://127.0.0.1:4222 (.ci/run sets it).
//! Without it the test says why and passes; under UCODTS_REQUIRE_EXTERNAL=1 it fails instead. Each run uses
//! its own queue (stream, consumer and object store) and deletes it at the end.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::ok;

const SCENARIO: [&str; 7] = [
    "--scenario",
    "jfk-two-hour-closure",
    "--reps",
    "40",
    "--seed",
    "11",
    "--json",
];

/// A `ucodts worker` whose stderr lines arrive on `lines` as (worker, line).
fn worker(url: &str, queue: &str, n: usize, lines: &mpsc::Sender<(usize, String)>) -> Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ucodts"))
        .args([
            "worker",
            "--nats",
            url,
            "--queue",
            queue,
            "--threads",
            "1",
            "--ack-wait",
            "2",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the ucodts binary runs");
    let stderr = child.stderr.take().unwrap();
    let lines = lines.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = lines.send((n, line));
        }
    });
    child
}

/// The shard a worker's "running shard I/N of study S (delivery D)" line names, and D.
fn running(line: &str) -> Option<(String, u64)> {
    let rest = line.split("running shard ").nth(1)?;
    let shard = rest.split(' ').next()?.to_string();
    let delivery = rest
        .split("(delivery ")
        .nth(1)?
        .trim_end_matches(')')
        .parse()
        .ok()?;
    Some((shard, delivery))
}

fn delete_queue(url: &str, queue: &str) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = ucodts_live::nats::connect(url, "nats_queue test cleanup")
            .await
            .unwrap();
        let js = async_nats::jetstream::new(client);
        let _ = js.delete_stream(format!("{queue}-jobs")).await;
        let _ = js.delete_object_store(format!("{queue}-results")).await;
    });
}

#[test]
fn three_workers_one_killed_mid_shard_merge_to_the_single_run_bytes() {
    let Ok(url) = std::env::var("UCODTS_TEST_NATS_URL") else {
        common::skip(
            "UCODTS_TEST_NATS_URL is not set",
            "set it to a NATS server with JetStream (UCODTS_TEST_NATS_URL=nats://127.0.0.1:4222)",
        );
        return;
    };
    let queue = format!(
        "test-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis()
    );
    let mut single = vec!["simulate"];
    single.extend(SCENARIO);
    let expected = ok(&single);

    let (send, lines) = mpsc::channel();
    let mut workers: Vec<Child> = (0..3).map(|n| worker(&url, &queue, n, &send)).collect();
    let mut submit_args = vec![
        "mc",
        "submit",
        "--nats",
        &url,
        "--queue",
        &queue,
        "--shards",
        "4",
        "--timeout",
        "600",
    ];
    submit_args.extend(SCENARIO);
    let submit = Command::new(env!("CARGO_BIN_EXE_ucodts"))
        .args(&submit_args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the ucodts binary runs");
    let (done_send, done) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = done_send.send(submit.wait_with_output());
    });

    // Kill the first worker that starts a shard, while it runs it.
    let mut log: Vec<(usize, String)> = Vec::new();
    let mut killed: Option<(usize, String)> = None;
    let start = Instant::now();
    let output = loop {
        if let Ok(output) = done.try_recv() {
            break output.expect("mc submit ran");
        }
        assert!(
            start.elapsed() < Duration::from_secs(900),
            "mc submit did not finish; workers said {log:?}"
        );
        let Ok((n, line)) = lines.recv_timeout(Duration::from_millis(50)) else {
            continue;
        };
        if killed.is_none() {
            if let Some((shard, _)) = running(&line) {
                workers[n].kill().unwrap();
                workers[n].wait().unwrap();
                killed = Some((n, shard));
            }
        }
        log.push((n, line));
    };
    for w in &mut workers {
        let _ = w.kill();
        let _ = w.wait();
    }
    while let Ok(line) = lines.try_recv() {
        log.push(line);
    }
    delete_queue(&url, &queue);

    assert!(
        output.status.success(),
        "mc submit failed: {}\nworkers: {log:?}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        expected,
        "the merged study differs from the single run"
    );
    let (victim, shard) = killed.expect("a worker started a shard");
    assert!(
        !log.iter()
            .any(|(n, l)| *n == victim && l.contains("stored")),
        "the killed worker stored a summary before it died: {log:?}"
    );
    assert!(
        log.iter().any(|(n, l)| *n != victim
            && running(l).is_some_and(|(s, delivery)| s == shard && delivery >= 2)),
        "shard {shard} of the killed worker was not delivered again to another: {log:?}"
    );
}

/// `recover --json`'s text with the values of its wall-clock fields (names starting with `seconds`)
/// blanked: they differ between any two runs.
fn without_timings(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("\": ") {
            Some(colon) if line.trim_start().starts_with("\"seconds") => {
                format!("{}\": <seconds>", &line[..colon])
            }
            _ => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn validate_forecast_skill_and_recover_studies_through_the_queue_merge_to_the_single_run_bytes() {
    let Ok(url) = std::env::var("UCODTS_TEST_NATS_URL") else {
        common::skip(
            "UCODTS_TEST_NATS_URL is not set",
            "set it to a NATS server with JetStream (UCODTS_TEST_NATS_URL=nats://127.0.0.1:4222)",
        );
        return;
    };
    let queue = format!(
        "test-commands-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis()
    );
    let (send, lines) = mpsc::channel();
    let mut workers: Vec<Child> = (0..2).map(|n| worker(&url, &queue, n, &send)).collect();
    // (the single run, the study's options for `mc submit`); the study's options are the command's.
    let studies: [(Vec<&str>, Vec<&str>); 3] = [
        (
            vec!["validate"],
            vec![
                "--from",
                "2013-07-02",
                "--to",
                "2013-07-03",
                "--reps",
                "5",
                "--seed",
                "9",
            ],
        ),
        (
            vec!["forecast-skill"],
            vec!["--date", "2013-07-02", "--reps", "3", "--seed", "4"],
        ),
        (
            vec!["recover"],
            vec![
                "--scenario",
                "jfk-crew-sickness-5pct",
                "--policy",
                "constructive",
                "--crew-policy",
                "greedy,milp",
                "--time-limit",
                "60",
                "--reps",
                "5",
                "--seed",
                "7",
            ],
        ),
    ];
    let mut results = Vec::new();
    for (command, options) in &studies {
        let mut single = command.clone();
        single.extend(options);
        single.push("--json");
        let expected = ok(&single);
        let mut submit = vec![
            "mc",
            "submit",
            "--nats",
            &url,
            "--queue",
            &queue,
            "--shards",
            "3",
            "--timeout",
            "600",
            "--command",
            command[0],
            "--json",
        ];
        submit.extend(options);
        let output = Command::new(env!("CARGO_BIN_EXE_ucodts"))
            .args(&submit)
            .output()
            .expect("the ucodts binary runs");
        results.push((command[0], expected, output));
    }
    for w in &mut workers {
        let _ = w.kill();
        let _ = w.wait();
    }
    let log: Vec<(usize, String)> = lines.try_iter().collect();
    delete_queue(&url, &queue);
    for (command, expected, output) in results {
        assert!(
            output.status.success(),
            "mc submit --command {command} failed: {}\nworkers: {log:?}",
            String::from_utf8_lossy(&output.stderr)
        );
        let merged = String::from_utf8(output.stdout).unwrap();
        if command == "recover" {
            assert_eq!(without_timings(&merged), without_timings(&expected));
        } else {
            assert_eq!(merged, expected, "{command} through the queue");
        }
    }
}
