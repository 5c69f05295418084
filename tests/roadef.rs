//! `ucodts bench roadef2009` through the real binary on the ROADEF 2009 instance A01 (read from ../shared,
//! skipped with a message where it is absent, failed under `UCODTS_REQUIRE_EXTERNAL=1`): the JSON fields
//! outside checks rely on, the solution files in the challenge's format, and that those files check the
//! same when read back.

mod common;
use common::ucodts;

use std::path::{Path, PathBuf};
use std::process::Command;

use ucodts_datasets::roadef2009;
use ucodts_model::recovery::evaluate;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("cli/ sits in the repository")
        .to_path_buf()
}

fn instances_dir() -> Option<PathBuf> {
    let dir = repo_root().join("../shared/benchmarks/roadef2009/instances");
    if dir.join("A01/flights.csv").is_file() {
        Some(dir)
    } else {
        common::skip(
            &format!("the ROADEF 2009 instances are not at {}", dir.display()),
            "README.md says where the benchmark instances come from",
        );
        None
    }
}

#[test]
fn bench_roadef2009_a01_json_reports_a_feasible_checked_solution_written_in_the_challenge_format() {
    let Some(_) = instances_dir() else {
        return;
    };
    let out = tempfile::tempdir().expect("a temporary folder");
    // From the repository root, as the README runs it: the instances folder is the default.
    let output = Command::new(env!("CARGO_BIN_EXE_ucodts"))
        .current_dir(repo_root())
        .args([
            "bench",
            "roadef2009",
            "--instances",
            "A01",
            "--time-limit",
            "5",
        ])
        .args(["--threads", "1", "--json", "--out"])
        .arg(out.path())
        .output()
        .expect("the ucodts binary runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("one JSON document on stdout");
    // A list, one object per instance.
    assert_eq!(report.as_array().map(Vec::len), Some(1), "{report:#}");
    let a01 = &report[0];
    assert_eq!(a01["threads"], 1);
    assert_eq!(a01["instance"], "A01");
    assert_eq!(a01["feasible"], true);
    assert_eq!(a01["flights"], 608);
    let cost = a01["cost"].as_f64().expect("a cost");
    // Under the reference checker's naive repair (515,253.70), never under zero.
    assert!(cost > 0.0 && cost < 515_253.70, "cost {cost}");
    assert_eq!(a01["published_best"], 28_155.60);
    let first = a01["seconds_to_first_feasible"]
        .as_f64()
        .expect("found a feasible plan");
    let best = a01["seconds_to_best"].as_f64().expect("found a best plan");
    assert!(first <= best);

    // The written files are the challenge's two solution files, and they check the same when read back.
    let dir = out.path().join("A01");
    assert!(dir.join("sol_rotations.csv").is_file());
    assert!(dir.join("sol_itineraries.csv").is_file());
    let problem =
        roadef2009::load(&instances_dir().expect("checked above").join("A01")).expect("A01 loads");
    let plan = roadef2009::read_solution(&problem, &dir).expect("the written solution reads back");
    let verdict = evaluate(&problem, &plan);
    assert!(verdict.feasible, "{:?}", verdict.violations);
    assert!((verdict.cost.total.euros() - cost).abs() < 0.005);
    // The 2008-rules cost is the total without the swapped-aircraft term the published costs lacked.
    let cost_2008 = a01["cost_2008_rules"].as_f64().expect("a 2008-rules cost");
    let swaps = verdict.cost.swapped_aircraft_cost.euros();
    assert!((cost_2008 - (cost - swaps)).abs() < 0.005, "{a01:#}");
    let gap = a01["gap_percent_2008_rules"].as_f64().expect("a gap");
    assert!((gap - (cost_2008 - 28_155.60) / 28_155.60 * 100.0).abs() < 1e-6);
}

#[test]
fn bench_roadef2009_names_a_missing_instance_and_an_unknown_policy() {
    let empty = tempfile::tempdir().expect("a temporary folder");
    let dir = empty.path().to_str().expect("a UTF-8 path");
    let out = ucodts(&[
        "bench",
        "roadef2009",
        "--instances-dir",
        dir,
        "--instances",
        "Z99",
        "--time-limit",
        "1",
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Z99") && err.contains(dir), "{err}");

    let out = ucodts(&[
        "bench",
        "roadef2009",
        "--instances-dir",
        dir,
        "--policy",
        "simulated-annealing",
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("simulated-annealing") && err.contains("constructive"),
        "{err}"
    );
}
