//! The twin through the real `ucodts` binary: simulate, fit, validate.

mod common;
use common::{json, ok, ucodts};

use std::path::Path;

fn fails_with(args: &[&str], needles: &[&str]) {
    let out = ucodts(args);
    assert!(!out.status.success(), "ucodts {args:?} should fail");
    let err = String::from_utf8_lossy(&out.stderr);
    for needle in needles {
        assert!(err.contains(needle), "`{needle}` missing from: {err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        out.stdout.is_empty(),
        "nothing may be printed as if it had worked"
    );
}

#[test]
fn the_twin_commands_have_help() {
    for cmd in ["simulate", "fit", "validate"] {
        assert!(ok(&[cmd, "--help"]).contains("Usage"));
    }
}

#[test]
fn same_seed_gives_byte_identical_simulate_json_on_one_and_two_threads() {
    let run = |threads: &str| {
        ok(&[
            "simulate",
            "--reps",
            "12",
            "--seed",
            "42",
            "--threads",
            threads,
            "--json",
        ])
    };
    let one = run("1");
    assert_eq!(one, run("2"), "the thread count changed the output");
    assert_eq!(one, run("1"), "two runs with the same seed differ");
    let other_seed = ok(&[
        "simulate",
        "--reps",
        "12",
        "--seed",
        "43",
        "--threads",
        "2",
        "--json",
    ]);
    assert_ne!(one, other_seed, "the seed must matter");
}

#[test]
fn simulate_prints_kpis_with_confidence_intervals_for_the_default_day() {
    let out = json(&["simulate", "--reps", "8", "--json"]);
    assert_eq!(out["from"], "2013-07-02");
    assert_eq!(out["replications"], 8);
    assert!(out["legs"].as_u64().unwrap() > 1000, "{out}");
    let kpis = out["kpis"].as_array().unwrap();
    let names: Vec<&str> = kpis.iter().map(|k| k["name"].as_str().unwrap()).collect();
    for name in [
        "on_time_rate",
        "mean_arrival_delay_min",
        "p90_arrival_delay_min",
        "cancelled_legs",
        "duty_limit_alerts",
        "aircraft_block_hours_per_day",
        "crew_block_to_duty_ratio",
    ] {
        assert!(names.contains(&name), "no {name} in {names:?}");
    }
    let fatigue = &out["crew_fatigue"];
    assert!(fatigue["duties"].as_u64().unwrap() > 1000, "{fatigue}");
    assert!(fatigue["alerts"].as_u64().unwrap() <= fatigue["duties"].as_u64().unwrap());
    let peak = fatigue["max_peak_kss"].as_f64().unwrap();
    assert!(
        (7.0..=10.6).contains(&peak),
        "a day of real rosters reaches the alert level: {fatigue}"
    );
    let otp = &kpis[0];
    let (mean, ci) = (otp["mean"].as_f64().unwrap(), &otp["ci95"]);
    assert!(ci["lower"].as_f64().unwrap() <= mean && mean <= ci["upper"].as_f64().unwrap());
    assert!(out["notes"][0].as_str().unwrap().contains("misconnects"));
    let table = ok(&["simulate", "--reps", "4", "--from", "2013-02-08"]);
    assert!(
        table.contains("on_time_rate") && table.contains("2013-02-08"),
        "{table}"
    );
}

#[test]
fn fit_on_some_days_then_validate_on_others_reports_recorded_and_simulated_on_time_rates() {
    let tmp = tempfile::tempdir().unwrap();
    let params = tmp.path().join("jul1-4.json");
    let params = params.to_str().unwrap();
    let fitted = json(&[
        "fit",
        "--from",
        "2013-07-01",
        "--to",
        "2013-07-04",
        "--out",
        params,
        "--json",
    ]);
    assert_eq!(fitted["fitted_on"]["from"], "2013-07-01");
    let report = json(&[
        "validate",
        "--params",
        params,
        "--from",
        "2013-07-05",
        "--to",
        "2013-07-07",
        "--reps",
        "6",
        "--json",
    ]);
    assert_eq!(report["overlaps_fitted_days"], false);
    let recorded = report["recorded_on_time_rate"].as_f64().unwrap();
    let simulated = report["simulated_on_time_rate"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&recorded) && (0.0..=1.0).contains(&simulated));
    // 5-7 July 2013: every recorded flight counts (2,475 of them with a recorded arrival), flown blind.
    assert!(report["recorded_flights"].as_u64().unwrap() >= 2475);
    assert_eq!(report["blind"], true);
    assert!(report["ks_distance"].as_f64().unwrap() < 1.0);
    let days = report["days"].as_array().unwrap();
    assert_eq!(days.len(), 3);
    assert_eq!(days[0]["date"], "2013-07-05");
    for side in ["recorded", "simulated"] {
        for field in ["on_time_rate", "cancelled_share", "mean_arrival_delay_min"] {
            assert!(days[0][side][field].is_number(), "days[0].{side}.{field}");
        }
    }
    let table = ok(&[
        "validate",
        "--params",
        params,
        "--from",
        "2013-07-05",
        "--to",
        "2013-07-05",
        "--reps",
        "2",
    ]);
    assert!(
        table.contains("OTP record") && table.contains("held out"),
        "{table}"
    );
}

#[test]
fn a_parameter_file_for_another_data_set_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("default");
    ok(&["export-default", data.to_str().unwrap()]);
    // Another data set: the export with one recorded flight's scheduled departure moved.
    let other = tmp.path().join("other");
    ok(&["export-default", other.to_str().unwrap()]);
    edit_line(&other.join("legs.csv"), 2, |line| {
        line.replacen("T10:00Z", "T10:05Z", 1)
    });
    let params = tmp.path().join("other.json");
    ok(&[
        "fit",
        "--data",
        other.to_str().unwrap(),
        "--from",
        "2013-02-04",
        "--to",
        "2013-02-05",
        "--out",
        params.to_str().unwrap(),
    ]);
    fails_with(
        &[
            "simulate",
            "--data",
            data.to_str().unwrap(),
            "--params",
            params.to_str().unwrap(),
            "--reps",
            "2",
        ],
        &[
            "other.json",
            "fitted on data set",
            "fingerprint",
            "ucodts fit",
        ],
    );
    // The embedded default's own parameter file does fit its export.
    let shipped =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../actors/params/embedded-default.json");
    let out = json(&[
        "simulate",
        "--data",
        data.to_str().unwrap(),
        "--params",
        shipped.to_str().unwrap(),
        "--from",
        "2013-07-02",
        "--reps",
        "2",
        "--json",
    ]);
    assert_eq!(out["from"], "2013-07-02");
}

#[test]
fn a_data_set_with_an_unknown_tail_or_a_negative_turn_time_is_refused_with_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("d");
    ok(&["export-default", data.to_str().unwrap()]);
    edit_line(&data.join("legs.csv"), 2, |line| {
        line.replacen(",N557UW,", ",N0NEXIST,", 1)
    });
    fails_with(
        &["simulate", "--data", data.to_str().unwrap(), "--reps", "2"],
        &["legs.csv", "N0NEXIST", "unknown tail"],
    );
    ok(&["export-default", data.to_str().unwrap()]);
    edit_line(&data.join("aircraft_types.csv"), 2, |line| {
        let (head, _) = line.rsplit_once(',').unwrap();
        format!("{head},-15")
    });
    fails_with(
        &["simulate", "--data", data.to_str().unwrap(), "--reps", "2"],
        &["aircraft_types.csv", "min_turn", "-15"],
    );
}

#[test]
fn bad_dates_and_windows_are_clear_errors() {
    fails_with(
        &["simulate", "--from", "2013-13-01"],
        &["--from", "YYYY-MM-DD"],
    );
    fails_with(
        &["simulate", "--from", "2013-07-05", "--to", "2013-07-01"],
        &["2013-07-05", "before it starts"],
    );
    fails_with(
        &["simulate", "--from", "2014-01-01"],
        &["no leg", "2014-01-01"],
    );
}

/// Rewrites line `number` (1-based, the header is line 1) of a CSV file.
fn edit_line(path: &Path, number: usize, edit: impl Fn(&str) -> String) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let edited = edit(&lines[number - 1]);
    assert_ne!(
        edited,
        lines[number - 1],
        "the edit changed nothing in {}",
        path.display()
    );
    lines[number - 1] = edited;
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
}

/// Every KPI over the replications is ordered as a sample is (min <= p05 <= p50 <= p95 <= max, the mean
/// between min and max), and a count's quantiles are what the type 7 definition gives on 20 whole numbers:
/// multiples of 1/20, never a sketch's 2.0078125.
fn assert_exact_quantiles_of_20(out: &serde_json::Value) {
    const COUNTS: [&str; 10] = [
        "flown_legs",
        "cancelled_legs",
        "cancelled_by_operations",
        "duty_limit_alerts",
        "reserve_callouts",
        "crew_rest_shortfalls",
        "holds_for_reserve",
        "crew_duties",
        "crew_legal_extensions",
        "crew_exceedances",
    ];
    let kpis = out["kpis"].as_array().unwrap();
    assert_eq!(kpis.len(), 18, "{out:#}");
    for k in kpis {
        let v = |f: &str| k[f].as_f64().unwrap_or_else(|| panic!("{f} in {k}"));
        let (min, p05, p50, p95, max, mean) =
            (v("min"), v("p05"), v("p50"), v("p95"), v("max"), v("mean"));
        assert!(min <= p05 && p05 <= p50 && p50 <= p95 && p95 <= max, "{k}");
        assert!(min <= mean && mean <= max, "{k}");
        if COUNTS.contains(&k["name"].as_str().unwrap()) {
            for q in [min, p05, p50, p95, max] {
                let twentieths = q * 20.0;
                assert!((twentieths - twentieths.round()).abs() < 1e-6, "{q} in {k}");
            }
        }
    }
}

#[test]
fn kpi_quantiles_are_exact_over_the_replications_on_the_default_and_on_its_export() {
    assert_exact_quantiles_of_20(&json(&["simulate", "--reps", "20", "--json"]));
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("default");
    ok(&["export-default", data.to_str().unwrap()]);
    let out = json(&[
        "simulate",
        "--data",
        data.to_str().unwrap(),
        "--reps",
        "20",
        "--json",
    ]);
    assert_exact_quantiles_of_20(&out);
}
