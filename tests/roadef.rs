//! `ucodts bench roadef2009` through the real binary on the ROADEF 2009 instance A01 (read from ../shared,
//! skipped with a message where it is absent, failed under `UCODTS_REQUIRE_EXTERNAL=1`): the JSON fields
//! outside checks rely on, the solution files in the challenge's format, and that those files check the
//! same when read back.

mod common;
use common::ucodts;

use std::path::PathBuf;
use std::process::Command;

use ucodts_datasets::roadef2009;
use ucodts_model::recovery::evaluate;

use common::repo_root;

fn instances_dir() -> Option<PathBuf> {
    common::shared_benchmark(
        "roadef2009/instances",
        "the ROADEF 2009 instances",
        &["A01/flights.csv"],
    )
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

/// The first line of A01's itinerary 7 (BIQ-ORY-BES-ORY-BIQ, a round trip through two stops), flown on
/// its first and last legs only: home again without having been to BES.
#[test]
fn a_round_trip_flown_home_without_its_stop_counts_as_cancelled_only_without_the_shortcut() {
    use ucodts_model::recovery::{skips_a_booked_stop, RecoveryPlan};
    use ucodts_workflows::roadef_bench::honest_costs;
    let Some(dir) = instances_dir() else {
        return;
    };
    let problem = roadef2009::load(&dir.join("A01")).expect("A01 loads");
    let booked = RecoveryPlan::original(&problem);
    let mut shortcut = booked.clone();
    let k = shortcut
        .passengers
        .iter()
        .position(|l| problem.itinerary(l.itinerary).id == 7)
        .expect("A01 has itinerary 7");
    let legs = &mut shortcut.passengers[k].legs;
    assert_eq!(legs.len(), 4, "itinerary 7 has four legs");
    legs.drain(1..3);
    assert!(skips_a_booked_stop(
        &problem,
        &shortcut,
        &shortcut.passengers[k]
    ));
    assert!(booked
        .passengers
        .iter()
        .all(|l| !skips_a_booked_stop(&problem, &booked, l)));

    let before = honest_costs(&problem, &booked);
    let after = honest_costs(&problem, &shortcut);
    // Officially the shortcut passengers arrived on time, as booked: no cost changes.
    assert_eq!(after.cost, before.cost);
    assert_eq!(after.cost_2008_rules, before.cost_2008_rules);
    // Without the shortcut they are a cancelled trip: refund, compensation and the inbound rate (the line
    // has legs, so they count as stranded).
    let it = problem.itinerary(shortcut.passengers[k].itinerary);
    let costs = &problem.costs;
    let p = f64::from(shortcut.passengers[k].passengers);
    let per_passenger = it.price.euros()
        + ucodts_model::recovery::cost::cancellation_compensation(it.planned_duration).euros()
        + costs.return_cancellation[it.reference_cabin.column()][it.class.column()].euros();
    let extra = after.cost_without_round_trip_shortcut - before.cost_without_round_trip_shortcut;
    assert!(
        (extra - p * per_passenger).abs() < 0.005,
        "{extra} vs {p} x {per_passenger}"
    );
    // Neither quirk: the same passengers, and the swapped-aircraft term left out as by the 2008 rules.
    assert!(
        (after.cost_without_quirks
            - (after.cost_without_round_trip_shortcut - (after.cost - after.cost_2008_rules)))
            .abs()
            < 0.005
    );
}

fn policy(name: &str) -> String {
    format!(
        "python3 {}",
        repo_root().join("examples/policies").join(name).display()
    )
}

fn bench_json(args: &[&str]) -> serde_json::Value {
    let output = Command::new(env!("CARGO_BIN_EXE_ucodts"))
        .current_dir(repo_root())
        .args(["bench", "roadef2009", "--threads", "1", "--json"])
        .args(args)
        .output()
        .expect("the ucodts binary runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("one JSON document on stdout")
}

#[test]
fn external_python_policies_are_run_by_the_challenge_protocol_and_scored_by_our_checker() {
    let Some(dir) = instances_dir() else {
        return;
    };
    let out = tempfile::tempdir().expect("a temporary folder");
    let out_dir = out.path().to_str().expect("a UTF-8 path");
    let greedy = policy("roadef_greedy.py");
    let report = bench_json(&[
        "--instances",
        "A01",
        "--time-limit",
        "5",
        "--out",
        out_dir,
        "--policy-cmd",
        &greedy,
    ]);
    let a01 = &report[0];
    assert_eq!(a01["policy"], "external", "{a01:#}");
    assert!(a01["policy_error"].is_null(), "{a01:#}");
    assert_eq!(a01["feasible"], true, "{a01:#}");
    let cost = a01["cost"].as_f64().expect("a cost");
    // Above nothing-to-repair, below the reference checker's naive repair (515,253.70).
    assert!(cost > 28_155.60 && cost < 515_253.70, "{a01:#}");
    // The round-trip rule changes nothing for a policy that never takes the shortcut.
    assert_eq!(a01["cost_without_round_trip_shortcut"], a01["cost"]);
    let overhead = a01["overhead_ms"].as_f64().expect("an overhead");
    assert!(overhead >= 0.0 && a01["policy_seconds"].as_f64().is_some());
    // What the policy wrote is what was scored.
    let problem = roadef2009::load(&dir.join("A01")).expect("A01 loads");
    let plan = roadef2009::read_solution(&problem, &out.path().join("A01")).expect("readable");
    assert!((evaluate(&problem, &plan).cost.total.euros() - cost).abs() < 0.005);

    // The trivial policy's plan is scored too, and found infeasible, with its violations counted.
    let trivial = policy("roadef_original.py");
    let report = bench_json(&[
        "--instances",
        "A01",
        "--time-limit",
        "5",
        "--policy-cmd",
        &trivial,
    ]);
    let a01 = &report[0];
    assert!(a01["policy_error"].is_null(), "{a01:#}");
    assert_eq!(a01["feasible"], false, "{a01:#}");
    assert!(a01["violations"].as_u64().expect("a count") > 0, "{a01:#}");
    assert!(a01["cost"].as_f64().is_some(), "{a01:#}");
}

#[test]
fn a_policy_that_crashes_writes_garbage_or_overruns_is_reported_and_the_bench_goes_on() {
    let Some(dir) = instances_dir() else {
        return;
    };
    if !dir.join("A04/flights.csv").is_file() {
        common::skip("the ROADEF 2009 instance A04 is missing", "see README.md");
        return;
    }
    // One misbehaviour per instance; on A04 it behaves (the greedy example) and is scored.
    let scripts = tempfile::tempdir().expect("a temporary folder");
    let script = scripts.path().join("misbehaving.py");
    std::fs::write(
        &script,
        format!(
            r##"import os, subprocess, sys, time
sys.path.insert(0, {examples:?})
instance, out, limit = sys.argv[1], sys.argv[2], float(sys.argv[3])
name = os.path.basename(instance.rstrip("/"))
if name == "A01":
    sys.exit("boom: this policy crashes")
if name == "A02":
    open(os.path.join(out, "sol_rotations.csv"), "w").write("this is not a rotation\n#\n")
    open(os.path.join(out, "sol_itineraries.csv"), "w").write("#\n")
    sys.exit(0)
if name == "A03":
    subprocess.Popen(["sleep", "60"])
    time.sleep(60)
import roadef_greedy
roadef_greedy.main(instance, out)
"##,
            examples = repo_root().join("examples/policies").display().to_string()
        ),
    )
    .expect("the script is written");
    let command = format!("python3 {}", script.display());
    let report = bench_json(&[
        "--instances",
        "A01,A02,A03,A04",
        "--time-limit",
        "1",
        "--policy-cmd",
        &command,
    ]);
    let why = |i: usize| {
        report[i]["policy_error"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    for i in 0..3 {
        assert_eq!(report[i]["feasible"], false, "{report:#}");
        assert!(report[i]["cost"].is_null(), "{report:#}");
    }
    assert!(
        why(0).contains("status 1") && why(0).contains("boom"),
        "{}",
        why(0)
    );
    assert!(
        why(1).contains("unreadable solution") && why(1).contains("sol_rotations.csv"),
        "{}",
        why(1)
    );
    assert!(why(2).contains("overran"), "{}", why(2));
    assert_eq!(report[3]["instance"], "A04");
    assert!(report[3]["policy_error"].is_null(), "{report:#}");
    assert_eq!(report[3]["feasible"], true, "{report:#}");
}

#[test]
fn the_honest_objective_takes_round_trip_passengers_to_their_stops_and_lowers_the_cost_without_quirks(
) {
    let Some(dir) = instances_dir() else {
        return;
    };
    let dir = dir.display().to_string();
    let run = |objective: &str| {
        let report = bench_json(&[
            "--instances-dir",
            &dir,
            "--instances",
            "A01",
            "--policy",
            "constructive",
            "--time-limit",
            "5",
            "--objective",
            objective,
        ]);
        let a01 = report[0].clone();
        assert_eq!(a01["objective"], objective, "{a01:#}");
        assert_eq!(a01["feasible"], true, "{a01:#}");
        let cost = |field: &str| a01[field].as_f64().expect("a cost");
        (
            cost("cost"),
            cost("cost_without_round_trip_shortcut"),
            cost("cost_without_quirks"),
        )
    };
    let (official, official_strict, official_honest) = run("official");
    let (honest, honest_strict, honest_honest) = run("honest");
    // The challenge's rebooking sends some round-trip passengers straight home; the honest one never.
    assert!(official_strict > official, "{official} {official_strict}");
    assert!(
        (honest_strict - honest).abs() < 0.005,
        "{honest} {honest_strict}"
    );
    // And what a real airline would pay is lower when the policy aims at it.
    assert!(
        honest_honest < official_honest,
        "{honest_honest} {official_honest}"
    );
}
