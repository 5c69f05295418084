//! `ucodts simulate --scenario ... --report FILE.html`: the page, its CSV and its JSON, written whole.

use std::path::Path;
use std::process::{Command, Output};

fn ucodts(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ucodts"))
        .args(args)
        .output()
        .expect("ucodts runs")
}

fn run_report(html: &Path, threads: &str) -> serde_json::Value {
    let out = ucodts(&[
        "simulate",
        "--scenario",
        "jfk-two-hour-closure",
        "--reps",
        "4",
        "--seed",
        "3",
        "--threads",
        threads,
        "--report",
        html.to_str().expect("a UTF-8 temp path"),
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object on stdout")
}

#[test]
fn report_writes_the_page_with_its_csv_and_json_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("jfk.html");
    let stdout = run_report(&html, "2");

    // The printed JSON says where the files went, and they are there.
    let files = &stdout["report"];
    for (key, name) in [
        ("html", "jfk.html"),
        ("csv", "jfk.csv"),
        ("json", "jfk.json"),
    ] {
        let path = files[key]
            .as_str()
            .unwrap_or_else(|| panic!("report.{key} in {stdout}"));
        assert!(path.ends_with(name), "{path}");
        assert!(Path::new(path).is_file(), "{path} written");
    }

    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    for chart in [
        "delay-distribution",
        "on-time-by-hour",
        "tail-rotations",
        "crew-duties",
    ] {
        assert!(
            page.contains(&format!("data-chart=\"{chart}\"")),
            "{chart} missing"
        );
    }
    assert!(page.contains("JFK closed"), "the disruption is named");
    assert!(!page.contains("<script"), "no script in the page");

    // The CSV and JSON hold the same KPI means as the printed comparison.
    let csv = std::fs::read_to_string(dir.path().join("jfk.csv")).unwrap();
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("jfk.json")).unwrap())
            .unwrap();
    assert_eq!(report["format"], "ucodts-scenario-report/1");
    assert_eq!(report["scenario"]["name"], "jfk-two-hour-closure");
    assert_eq!(report["scenario"]["replications"], 4);
    let printed = stdout["kpis"].as_array().unwrap();
    let written = report["kpis"].as_array().unwrap();
    assert_eq!(printed.len(), written.len());
    for (p, w) in printed.iter().zip(written) {
        let name = p["name"].as_str().unwrap();
        assert_eq!(w["name"], name);
        for (series, printed_mean) in [
            ("baseline", &p["baseline"]),
            ("scenario", &p["scenario"]),
            ("difference", &p["difference"]["mean"]),
        ] {
            let printed_mean = printed_mean.as_f64().unwrap();
            assert!(
                (w[series]["mean"].as_f64().unwrap() - printed_mean).abs() < 1e-9,
                "{name} {series}"
            );
            let row = format!("kpi,{name},{series},mean,");
            let line = csv
                .lines()
                .find(|l| l.starts_with(&row))
                .unwrap_or_else(|| panic!("{row}"));
            let value: f64 = line[row.len()..].parse().unwrap();
            assert!(
                (value - printed_mean).abs() < 1e-6,
                "{line} vs {printed_mean}"
            );
        }
    }
    // The closure hurts: more late arrivals in the scenario's histogram than in the baseline's.
    let late = |series: &str| -> u64 {
        let counts = report["arrival_delay"][series]["counts"]
            .as_array()
            .unwrap();
        counts[4..].iter().map(|c| c.as_u64().unwrap()).sum() // bins from 15 min late on
    };
    assert!(late("scenario") > late("baseline"));
    // The Gantt of tails shows legs of the disruption.
    assert!(!report["tail_rotations"]["rows"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn the_same_seed_writes_the_same_bytes_on_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.html"), dir.path().join("b.html"));
    run_report(&a, "1");
    run_report(&b, "2");
    for ext in ["html", "csv", "json"] {
        let read = |p: &Path| std::fs::read(p.with_extension(ext)).unwrap();
        assert!(
            read(&a) == read(&b),
            "{ext} differs between 1 and 2 threads"
        );
    }
}

#[test]
fn an_unwritable_report_path_fails_and_names_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing-folder").join("out.html");
    let out = ucodts(&[
        "simulate",
        "--scenario",
        "jfk-two-hour-closure",
        "--reps",
        "2",
        "--report",
        path.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("missing-folder"), "{stderr}");
    assert!(!dir.path().join("missing-folder").exists());
}

#[test]
fn report_needs_a_scenario() {
    let out = ucodts(&["simulate", "--report", "/tmp/never-written.html"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--scenario"));
}
