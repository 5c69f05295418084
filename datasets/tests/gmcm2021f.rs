//! The GMCM 2021 F importer on the contest's own files (skipped with a message when
//! `../shared/benchmarks/gmcm2021f` is absent, failed under `UCODTS_REQUIRE_EXTERNAL=1`) and on damaged
//! copies whose errors must say where.

mod common;

use std::path::{Path, PathBuf};

use ucodts_datasets::gmcm2021f::{self, DataSet, DaySlice};
use ucodts_model::{AirportCode, Date, LegId, Minutes, Rank};

fn shared() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/benchmarks/gmcm2021f");
    if dir.join("DataA_Flight.csv").is_file() {
        Some(dir)
    } else {
        common::skip(
            &format!("the GMCM 2021 F files are not in {}", dir.display()),
            "README.md says where the benchmark instances come from (they are read there, never copied)",
        );
        None
    }
}

#[test]
fn data_a_imports_whole_with_the_contest_counts() {
    let Some(dir) = shared() else { return };
    let data = gmcm2021f::load(&dir, DataSet::A, None).expect("Data A imports");
    assert_eq!(data.flights_in_file, 206);
    assert_eq!(data.schedule.legs().len(), 206);
    assert_eq!(data.schedule.airports().len(), 7);
    // 21 crew at NKX: 5 captain-only, 6 captain+FO, 10 FO-only (the data card's counts).
    let counts = data.crew_counts();
    assert_eq!(
        (
            counts.captains_only,
            counts.captains_also_first_officer,
            counts.first_officers_only
        ),
        (5, 6, 10)
    );
    let captains = data
        .schedule
        .crew()
        .iter()
        .filter(|m| m.rank == Rank::Captain)
        .count();
    assert_eq!(captains, 11, "a captain also FO-qualified stays a captain");
    let nkx = AirportCode::new("NKX").unwrap();
    assert!(data.schedule.crew().iter().all(|m| m.base == nkx));
    // First row: FA2,8/12/2021,10:10,PGX,8/12/2021,11:40,NKX read on a UTC clock.
    let first = data.schedule.leg(LegId(1)).expect("leg 1");
    assert_eq!(first.carrier.as_str(), "FA");
    assert_eq!(first.flight_number, Some(2));
    assert_eq!(first.origin.as_str(), "PGX");
    assert_eq!(first.scheduled_block(), Minutes(90));
    let day = Date::new(2021, 8, 12).unwrap();
    assert_eq!(
        first.scheduled_out.0,
        day.days_since_epoch() * 1440 + 10 * 60 + 10
    );
}

#[test]
fn a_three_day_slice_of_data_b_keeps_only_those_days_and_both_bases() {
    let Some(dir) = shared() else { return };
    let slice = DaySlice {
        first: Date::new(2019, 8, 1).unwrap(),
        days: 3,
    };
    let data = gmcm2021f::load(&dir, DataSet::B, Some(slice)).expect("Data B imports");
    assert_eq!(data.flights_in_file, 13_954);
    // 452 + 450 + 450 departures on 1-3 August 2019.
    assert_eq!(data.schedule.legs().len(), 1_352);
    assert_eq!(data.crew.len(), 465);
    let counts = data.crew_counts();
    assert_eq!(counts.captains(), 211);
}

#[test]
fn the_generated_roster_of_data_a_flies_only_pilots_rated_on_the_one_type() {
    let Some(dir) = shared() else { return };
    let data = gmcm2021f::load(&dir, DataSet::A, None).expect("Data A imports");
    let (schedule, report) = gmcm2021f::rostered(&data, 7).expect("a roster");
    assert!(report.legs_covered > 0);
    assert!(!schedule.pairings().is_empty());
    assert!(schedule.crew().iter().all(|m| m.rank != Rank::Cabin
        && m.qualifications.len() == 1
        && m.qualifications[0].as_str() == gmcm2021f::TYPE_CODE));
    let counts = gmcm2021f::generated_counts(&schedule);
    assert!(counts.captains() > 0 && counts.first_officers_only > 0);
}

/// A copy of Data A's files (or a two-line stand-in when the shared data is absent) with the flight file
/// replaced by `flights`.
fn damaged(flights: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("DataA_Flight.csv"), flights).expect("write");
    std::fs::write(
        dir.path().join("DataA_Crew.csv"),
        "EmpNo,Captain,FirstOfficer,Deadhead,Base,DutyCostPerHour,ParingCostPerHour\r\n\
         A0001,Y,,Y,NKX,680,20\r\nA0002,,Y,Y,NKX,600,20\r\n",
    )
    .expect("write");
    let file = dir.path().join("DataA_Flight.csv");
    (dir, file)
}

const HEADER: &str = "FltNum,DptrDate,DptrTime,DptrStn,ArrvDate,ArrvTime,ArrvStn,Comp\r\n";

fn error_of(flights: &str) -> String {
    let (dir, _) = damaged(flights);
    gmcm2021f::load(dir.path(), DataSet::A, None)
        .expect_err("a damaged file is refused")
        .to_string()
}

#[test]
fn good_stand_in_files_import() {
    let (dir, _) = damaged(&format!(
        "{HEADER}FA2,8/12/2021,10:10,PGX,8/12/2021,11:40,NKX,C1F1\r\n\
         FA3,8/12/2021,23:30,NKX,8/13/2021,0:45,PGX,C1F1\r\n"
    ));
    let data = gmcm2021f::load(dir.path(), DataSet::A, None).expect("imports");
    assert_eq!(data.schedule.legs().len(), 2);
    let overnight = data.schedule.leg(LegId(2)).unwrap();
    assert_eq!(overnight.scheduled_block(), Minutes(75));
}

#[test]
fn a_bad_date_names_file_line_column_and_value() {
    let text = error_of(&format!(
        "{HEADER}FA2,8/12/2021,10:10,PGX,8/12/2021,11:40,NKX,C1F1\r\n\
         FA3,13/12/2021,10:25,PGX,8/12/2021,11:40,NKX,C1F1\r\n"
    ));
    assert!(text.contains("DataA_Flight.csv:3"), "{text}");
    assert!(text.contains("column 2 (`DptrDate`)"), "{text}");
    assert!(text.contains("\"13/12/2021\""), "{text}");
    assert!(text.contains("M/D/YYYY"), "{text}");
}

#[test]
fn a_bad_time_names_file_line_column_and_value() {
    let text = error_of(&format!(
        "{HEADER}FA2,8/12/2021,10:70,PGX,8/12/2021,11:40,NKX,C1F1\r\n"
    ));
    assert!(text.contains("DataA_Flight.csv:2"), "{text}");
    assert!(text.contains("column 3 (`DptrTime`)"), "{text}");
    assert!(text.contains("\"10:70\""), "{text}");
    assert!(text.contains("H:MM"), "{text}");
}

#[test]
fn an_arrival_before_the_departure_is_refused_at_its_row() {
    let text = error_of(&format!(
        "{HEADER}FA2,8/12/2021,10:10,PGX,8/12/2021,9:40,NKX,C1F1\r\n"
    ));
    assert!(text.contains("DataA_Flight.csv:2"), "{text}");
    assert!(text.contains("`ArrvTime`"), "{text}");
    assert!(text.contains("after the departure"), "{text}");
}

#[test]
fn a_missing_column_is_named() {
    let text = error_of(
        "FltNum,DptrDate,DptrTime,DptrStn,ArrvDate,ArrvStn,Comp\r\n\
         FA2,8/12/2021,10:10,PGX,8/12/2021,NKX,C1F1\r\n",
    );
    assert!(text.contains("DataA_Flight.csv"), "{text}");
    assert!(text.contains("no column `ArrvTime`"), "{text}");
}

#[test]
fn a_crew_member_with_neither_seat_is_refused() {
    let (dir, _) = damaged(&format!(
        "{HEADER}FA2,8/12/2021,10:10,PGX,8/12/2021,11:40,NKX,C1F1\r\n"
    ));
    std::fs::write(
        dir.path().join("DataA_Crew.csv"),
        "EmpNo,Captain,FirstOfficer,Deadhead,Base,DutyCostPerHour,ParingCostPerHour\r\n\
         A0001,,,Y,NKX,680,20\r\n",
    )
    .unwrap();
    let text = gmcm2021f::load(dir.path(), DataSet::A, None)
        .expect_err("refused")
        .to_string();
    assert!(text.contains("DataA_Crew.csv:2"), "{text}");
    assert!(text.contains("`FirstOfficer`"), "{text}");
}

mod damage {
    use super::*;
    use proptest::prelude::*;

    const FLIGHTS: &str = "FltNum,DptrDate,DptrTime,DptrStn,ArrvDate,ArrvTime,ArrvStn,Comp\r\n\
        FA2,8/12/2021,10:10,PGX,8/12/2021,11:40,NKX,C1F1\r\n\
        FA3,8/12/2021,12:25,NKX,8/12/2021,13:40,PGX,C1F1\r\n\
        FA4,8/12/2021,23:30,PGX,8/13/2021,0:45,NKX,C1F1\r\n";
    const CREW: &str =
        "EmpNo,Captain,FirstOfficer,Deadhead,Base,DutyCostPerHour,ParingCostPerHour\r\n\
        A0001,Y,,Y,NKX,680,20\r\nA0002,Y,Y,Y,NKX,640,20\r\nA0003,,Y,Y,NKX,600,20\r\n";

    fn damaged(text: &str, at: usize, bytes: &[u8]) -> Vec<u8> {
        let mut out = text.as_bytes().to_vec();
        let at = at % out.len();
        out.splice(at..(at + bytes.len()).min(out.len()), bytes.iter().copied());
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        /// Any damage to either file gives a schedule or an error naming the damaged file, never a panic.
        #[test]
        fn damaged_contest_files_never_panic(
            crew_file in any::<bool>(),
            at in 0usize..400,
            bytes in proptest::collection::vec(any::<u8>(), 1..6),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let (flights, crew) = if crew_file {
                (FLIGHTS.as_bytes().to_vec(), damaged(CREW, at, &bytes))
            } else {
                (damaged(FLIGHTS, at, &bytes), CREW.as_bytes().to_vec())
            };
            std::fs::write(dir.path().join("DataA_Flight.csv"), flights).unwrap();
            std::fs::write(dir.path().join("DataA_Crew.csv"), crew).unwrap();
            if let Err(e) = gmcm2021f::load(dir.path(), DataSet::A, None) {
                let text = e.to_string();
                let file = if crew_file { "DataA_Crew.csv" } else { "DataA_Flight.csv" };
                prop_assert!(text.contains(file), "{}", text);
            }
        }
    }
}
