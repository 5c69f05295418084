//! `ucodts bench crew-recovery --json`: every plan legal, the MILP never dearer than the greedy repair on the
//! same case, every field present; the embedded default always, the GMCM 2021 F cases when
//! `../shared/benchmarks/gmcm2021f` is there (and under `UCODTS_REQUIRE_EXTERNAL=1` it must be).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

const FIELDS: &[&str] = &[
    "data_set",
    "case",
    "policy",
    "affected_crew",
    "open_positions",
    "uncovered_positions",
    "uncovered_legs",
    "delay_minutes",
    "crew_contacted",
    "reserves_called",
    "deadheads",
    "cost",
    "legal",
    "seconds",
];

fn gmcm_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/benchmarks/gmcm2021f")
}

fn int(row: &Value, field: &str) -> i64 {
    row[field]
        .as_i64()
        .unwrap_or_else(|| panic!("{field} is not an integer in {row}"))
}

#[test]
fn every_crew_plan_is_legal_and_the_milp_never_costs_more_than_the_greedy_repair() {
    let dir = gmcm_dir();
    let with_gmcm = dir.join("DataA_Flight.csv").is_file();
    if !with_gmcm {
        common::skip(
            &format!("the GMCM 2021 F files are not in {}", dir.display()),
            "only the embedded default's cases run; README.md says where the benchmark instances come from",
        );
    }
    let dir_arg = dir.to_string_lossy().into_owned();
    let out = common::json(&[
        "bench",
        "crew-recovery",
        "--instances-dir",
        &dir_arg,
        "--time-limit",
        "20",
        // The optimizer's default pool keeps a debug build's run near a minute.
        "--columns-per-crew",
        "10",
        "--json",
    ]);
    let rows = out.as_array().expect("a JSON list");
    // (data set, case) -> policy -> row
    let mut cases: BTreeMap<(String, String), BTreeMap<String, &Value>> = BTreeMap::new();
    for row in rows {
        for field in FIELDS {
            assert!(row.get(*field).is_some(), "{field} missing from {row}");
        }
        assert_eq!(row["legal"], Value::Bool(true), "an illegal plan: {row}");
        assert!(
            int(row, "uncovered_positions") <= int(row, "open_positions"),
            "more positions uncovered than open: {row}"
        );
        assert!(int(row, "uncovered_legs") <= int(row, "uncovered_positions"));
        let key = (
            row["data_set"].as_str().unwrap().to_string(),
            row["case"].as_str().unwrap().to_string(),
        );
        cases
            .entry(key)
            .or_default()
            .insert(row["policy"].as_str().unwrap().to_string(), row);
    }
    for ((data_set, case), by_policy) in &cases {
        let (greedy, milp) = (&by_policy["greedy"], &by_policy["milp"]);
        assert!(
            int(milp, "cost") <= int(greedy, "cost"),
            "{data_set} {case}: the MILP costs {} against the greedy repair's {}",
            milp["cost"],
            greedy["cost"]
        );
        assert_eq!(
            greedy["delay_minutes"], milp["delay_minutes"],
            "the case imposes the delay, not the policy"
        );
        assert_eq!(greedy["open_positions"], milp["open_positions"]);
    }
    let per_set = |name: &str| cases.keys().filter(|(d, _)| d.starts_with(name)).count();
    // Sick crew, a delayed bank, a closure and one named captain sick on the embedded default.
    assert_eq!(per_set("default"), 4);
    let bank = cases
        .iter()
        .find(|((d, c), _)| d.starts_with("default") && c.contains("+3 h"))
        .expect("the delayed bank case");
    assert!(int(bank.1["greedy"], "delay_minutes") > 0);
    if with_gmcm {
        assert_eq!(per_set("gmcm-A"), 3);
        assert_eq!(per_set("gmcm-B"), 3);
    }
}

#[test]
fn without_the_contest_files_the_embedded_default_still_runs() {
    let missing = std::env::temp_dir().join("ucodts-no-gmcm-here");
    let out = common::ucodts(&[
        "bench",
        "crew-recovery",
        "--instances-dir",
        &missing.to_string_lossy(),
        "--cases",
        "1",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("GMCM 2021 F cases skipped"), "{stderr}");
    let rows: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let rows = rows.as_array().expect("a list");
    assert_eq!(rows.len(), 2, "one case, two policies: {rows:?}");
    assert!(rows
        .iter()
        .all(|r| r["data_set"].as_str().unwrap().starts_with("default")));
}
