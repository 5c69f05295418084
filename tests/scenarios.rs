//! Disruption scenarios through the real `ucodts` binary: the library, and located errors for bad files.

mod common;
use common::{json, ok, ucodts};

use ucodts_scenarios::library;

#[test]
fn scenario_list_json_has_at_least_ten_named_objects() {
    let list = json(&["scenario", "list", "--json"]);
    let list = list.as_array().expect("a JSON list");
    assert!(list.len() >= 10, "{} scenarios", list.len());
    for s in list {
        let name = s["name"].as_str().expect("every scenario has a name");
        assert!(!name.is_empty());
        assert!(s["description"].as_str().is_some());
    }
    assert!(ok(&["scenario", "list"]).contains("ewr-afternoon-thunderstorms"));
}

#[test]
fn every_library_scenario_is_valid_on_the_embedded_default() {
    // One process validating every scenario would be faster, but the binary is the contract a planner uses.
    let names: Vec<&str> = library().iter().map(|s| s.name).collect();
    assert!(names.len() >= 10);
    for name in names {
        let out = json(&["scenario", "check", name, "--json"]);
        assert_eq!(out["valid"], true, "{name}");
        assert_eq!(out["name"], name);
        assert!(!out["disruptions"].as_array().unwrap().is_empty(), "{name}");
    }
}

const GOOD: &str = r#"name = "bad"
from = "2013-07-02"
to = "2013-07-02"

[[disruption]]
kind = "airport_capacity"
airport = "EWR"
from = "2013-07-02T14:00"
to = "2013-07-02T18:00"
arrivals_per_hour = 20
"#;

/// Writes `text` as a scenario file, checks it, and expects a failure naming `file:line: field `field``.
fn rejected(text: &str, line: usize, field: &str, also: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, text).unwrap();
    let out = ucodts(&["scenario", "check", path.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "accepted: {text}");
    let located = format!("bad.toml:{line}: field `{field}`");
    assert!(err.contains(&located), "`{located}` missing from: {err}");
    assert!(err.contains(also), "`{also}` missing from: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn a_well_formed_file_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("good.toml");
    std::fs::write(&path, GOOD).unwrap();
    assert!(ok(&["scenario", "check", path.to_str().unwrap()]).contains("is valid"));
}

#[test]
fn an_unknown_field_is_named_with_its_line() {
    rejected(
        &GOOD.replace(
            "arrivals_per_hour = 20",
            "arrivals_per_hour = 20\nrunways = 2",
        ),
        11,
        "runways",
        "unknown field",
    );
}

#[test]
fn an_unknown_airport_is_named_with_its_line() {
    rejected(&GOOD.replace("\"EWR\"", "\"XXX\""), 7, "airport", "XXX");
}

#[test]
fn an_unknown_tail_is_named_with_its_line() {
    let text = r#"name = "bad"
from = "2013-07-02"
to = "2013-07-02"

[[disruption]]
kind = "aircraft_on_ground"
tail = "N000XX"
from = "2013-07-02T09:00Z"
expected_return = "2013-07-02T13:00Z"
"#;
    rejected(text, 7, "tail", "N000XX");
}

#[test]
fn an_unknown_crew_member_is_named_with_its_line() {
    let text = r#"name = "bad"
from = "2013-07-02"
to = "2013-07-02"

[[disruption]]
kind = "crew_sick_call"
at = "2013-07-02T05:00"
crew = "B6-JFK-CA-9999"
"#;
    rejected(text, 8, "crew", "B6-JFK-CA-9999");
}

#[test]
fn an_inverted_disruption_window_is_named_with_its_line() {
    rejected(
        &GOOD.replace("to = \"2013-07-02T18:00\"", "to = \"2013-07-02T13:00\""),
        9,
        "to",
        "before it starts",
    );
}

#[test]
fn an_inverted_scenario_window_is_named_with_its_line() {
    rejected(
        &GOOD.replace("to = \"2013-07-02\"\n", "to = \"2013-07-01\"\n"),
        3,
        "to",
        "before it starts",
    );
}

#[test]
fn contradictory_overlapping_capacity_cuts_are_rejected() {
    let text = format!(
        "{GOOD}\n[[disruption]]\nkind = \"airport_capacity\"\nairport = \"EWR\"\nfrom = \"2013-07-02T17:00\"\nto = \"2013-07-02T20:00\"\narrivals_per_hour = 30\n"
    );
    rejected(&text, 17, "arrivals_per_hour", "contradicts");
}

#[test]
fn a_field_of_another_kind_is_rejected() {
    rejected(
        &GOOD.replace(
            "arrivals_per_hour = 20",
            "arrivals_per_hour = 20\ntail = \"N554JB\"",
        ),
        11,
        "tail",
        "does not apply",
    );
}

#[test]
fn a_name_that_is_neither_file_nor_library_scenario_fails() {
    let out = ucodts(&["scenario", "check", "no-such-scenario"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("scenario list"));
}

#[test]
fn a_disruption_outside_the_simulated_days_is_rejected() {
    rejected(
        &GOOD
            .replace("from = \"2013-07-02T14:00\"", "from = \"2013-07-20T14:00\"")
            .replace("to = \"2013-07-02T18:00\"", "to = \"2013-07-20T18:00\""),
        8,
        "from",
        "outside the simulated days",
    );
}

#[test]
fn a_relative_data_path_is_read_beside_the_scenario_file_and_data_overrides_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("nyc");
    ok(&["export-default", data.to_str().unwrap()]);
    let path = dir.path().join("curfew.toml");
    let text = GOOD.replace("name = \"bad\"\n", "name = \"bad\"\ndata = \"nyc\"\n");
    std::fs::write(&path, &text).unwrap();
    // Run from elsewhere: the path is relative to the file, not to the working directory.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ucodts"))
        .args(["scenario", "check", path.to_str().unwrap()])
        .current_dir(std::env::temp_dir())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let missing = dir.path().join("no-such-data");
    let out = ucodts(&[
        "scenario",
        "check",
        path.to_str().unwrap(),
        "--data",
        missing.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-data"));
}
