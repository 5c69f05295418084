//! Importer for the data of the 2021 Chinese post-graduate modelling contest (GMCM), problem F "airline crew
//! scheduling": a flight file (`DataA_Flight.csv`, `DataB_Flight.csv`) and a crew file (`DataA_Crew.csv`,
//! `DataB_Crew.csv`), described in `../shared/benchmarks/gmcm2021f/README.md`.
//!
//! What the files give and how it is read:
//! - **Flights** (`FltNum,DptrDate,DptrTime,DptrStn,ArrvDate,ArrvTime,ArrvStn,Comp`): dates `M/D/YYYY`, times
//!   `H:MM` on a local clock the contest never places in a zone. They are read as UTC, which keeps every
//!   duration and connection exactly as the contest sees it. Every flight becomes a [`Leg`] with id 1, 2, ...
//!   in file order, of the airline named by its flight number's letters (`FA2` → airline `FA`, flight 2),
//!   without a tail (the data has no aircraft). Only composition `C1F1` (one captain, one first officer) is
//!   accepted, the only one the files use.
//! - **Stations** are fictitious three-letter codes: each becomes an [`Airport`] in zone UTC at the
//!   placeholder position 0° N 0° E ([`PLACEHOLDER_LATITUDE_DEG`], [`PLACEHOLDER_LONGITUDE_DEG`]) — the model
//!   has no airport without a position, and one shared position keeps every station in the same "theater"
//!   for the acclimatisation rules.
//! - **Crew** (`EmpNo,Captain,FirstOfficer,Deadhead,Base,DutyCostPerHour,ParingCostPerHour`; Data B spells the
//!   costs `…PerHr`): each employee becomes a pilot of the flights' airline with one type rating
//!   ([`TYPE_CODE`]): `Captain=Y` is a captain (also when `FirstOfficer=Y`: that captain may sit in the right
//!   seat in the contest, which the model's ranks do not express), `FirstOfficer=Y` alone a first officer.
//!   The contest's columns are kept beside the schedule in [`GmcmCrew`].
//!
//! The contest gives no planned roster. [`rostered`] builds one with the crew generator
//! ([`crate::crewgen::generate`]), which hires its own members (it does not roster named crew), so the contest's
//! crew counts are reported next to the generator's in [`CrewCounts`].
//!
//! Every error names the file, the line (the header is line 1), the column and the value.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ucodts_model::{
    AircraftType, Airline, Airport, AirportCode, CarrierCode, CrewId, CrewMember, Date, Leg, LegId,
    LegSource, LegStatus, Minutes, OutOffOnIn, Rank, Schedule, ScheduleParts, TimeZone, TypeCode,
    UtcMinute,
};

use crate::crewgen::{self, CrewConfig, CrewReport};
use crate::csvread::CsvTable;
use crate::DatasetError;

/// The one aircraft type every imported pilot is rated on (the contest has one fleet and names no type).
pub const TYPE_CODE: &str = "GMCM-C1F1";
/// The zone of every station: the contest's clock has none, so it is read as UTC.
pub const STATION_ZONE: &str = "UTC";
/// The position given to every fictitious station (the model needs one; the contest has none).
pub const PLACEHOLDER_LATITUDE_DEG: f64 = 0.0;
pub const PLACEHOLDER_LONGITUDE_DEG: f64 = 0.0;

/// The two data sets of the contest.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DataSet {
    /// 206 flights over 15 days, 21 crew at one base.
    A,
    /// 13,954 flights over 31 days, 465 crew at two bases.
    B,
}

impl DataSet {
    pub fn name(self) -> &'static str {
        match self {
            DataSet::A => "A",
            DataSet::B => "B",
        }
    }
    pub fn flight_file(self) -> &'static str {
        match self {
            DataSet::A => "DataA_Flight.csv",
            DataSet::B => "DataB_Flight.csv",
        }
    }
    pub fn crew_file(self) -> &'static str {
        match self {
            DataSet::A => "DataA_Crew.csv",
            DataSet::B => "DataB_Crew.csv",
        }
    }
}

/// Days of flights to keep, by departure date: `days` days from `first`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct DaySlice {
    pub first: Date,
    pub days: u32,
}

impl DaySlice {
    fn contains(&self, date: Date) -> bool {
        let d = date.days_since_epoch() - self.first.days_since_epoch();
        (0..i64::from(self.days)).contains(&d)
    }
}

/// One row of the crew file, as the contest states it.
#[derive(Clone, Debug, PartialEq)]
pub struct GmcmCrew {
    pub id: CrewId,
    pub captain: bool,
    pub first_officer: bool,
    pub deadhead: bool,
    pub base: AirportCode,
    pub duty_cost_per_hour: f64,
    pub pairing_cost_per_hour: f64,
}

/// Pilots by role as the contest counts them: captain only, captain also qualified as first officer, first
/// officer only.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct CrewCounts {
    pub captains_only: u32,
    pub captains_also_first_officer: u32,
    pub first_officers_only: u32,
}

impl CrewCounts {
    pub fn captains(&self) -> u32 {
        self.captains_only + self.captains_also_first_officer
    }
    pub fn total(&self) -> u32 {
        self.captains() + self.first_officers_only
    }
}

/// An imported data set: a schedule with the legs and the named crew (no pairings), and the crew rows.
#[derive(Clone, Debug)]
pub struct GmcmData {
    pub data_set: DataSet,
    pub slice: Option<DaySlice>,
    pub schedule: Schedule,
    pub crew: Vec<GmcmCrew>,
    /// Flights in the file, before the day slice.
    pub flights_in_file: usize,
}

impl GmcmData {
    /// The contest's crew by role.
    pub fn crew_counts(&self) -> CrewCounts {
        let mut counts = CrewCounts::default();
        for c in &self.crew {
            match (c.captain, c.first_officer) {
                (true, true) => counts.captains_also_first_officer += 1,
                (true, false) => counts.captains_only += 1,
                _ => counts.first_officers_only += 1,
            }
        }
        counts
    }
}

/// Reads data set `data_set` from `dir` (the folder holding the four files), keeping the flights of `slice`.
pub fn load(
    dir: &Path,
    data_set: DataSet,
    slice: Option<DaySlice>,
) -> Result<GmcmData, DatasetError> {
    let flights = read_flights(&dir.join(data_set.flight_file()), slice)?;
    let crew = read_crew(&dir.join(data_set.crew_file()))?;
    let flights_in_file = flights.in_file;
    let schedule = build_schedule(&dir.join(data_set.flight_file()), flights.rows, &crew)?;
    Ok(GmcmData {
        data_set,
        slice,
        schedule,
        crew,
        flights_in_file,
    })
}

/// A flight row, read.
#[derive(Clone, Debug)]
struct Flight {
    carrier: String,
    number: u32,
    origin: AirportCode,
    destination: AirportCode,
    out: UtcMinute,
    arrival: UtcMinute,
}

struct Flights {
    rows: Vec<Flight>,
    in_file: usize,
}

/// The file, buffered (`CsvTable` reads CRLF line ends as LF, so errors name the true line).
fn open(path: &Path) -> Result<std::io::BufReader<std::fs::File>, DatasetError> {
    let file = crate::limits::open(path).map_err(|e| DatasetError::io(path, e))?;
    Ok(std::io::BufReader::new(file))
}

fn read_flights(path: &Path, slice: Option<DaySlice>) -> Result<Flights, DatasetError> {
    let mut table = CsvTable::open(
        open(path)?,
        path,
        &[
            "FltNum", "DptrDate", "DptrTime", "DptrStn", "ArrvDate", "ArrvTime", "ArrvStn", "Comp",
        ],
    )?;
    let mut rows = Vec::new();
    let mut in_file = 0;
    while let Some(row) = table.next_row()? {
        in_file += 1;
        let (carrier, number) = row.parse_with(
            "FltNum",
            "a flight number: letters then digits (FA2)",
            split_flight_number,
        )?;
        let out_date = row.parse_with("DptrDate", "a date M/D/YYYY", parse_date)?;
        let out_minute = row.parse_with("DptrTime", "a time H:MM", parse_time)?;
        let origin = row.parse_with("DptrStn", "a three-letter station code", AirportCode::new)?;
        let in_date = row.parse_with("ArrvDate", "a date M/D/YYYY", parse_date)?;
        let in_minute = row.parse_with("ArrvTime", "a time H:MM", parse_time)?;
        let destination =
            row.parse_with("ArrvStn", "a three-letter station code", AirportCode::new)?;
        row.parse_with("Comp", "C1F1 (one captain, one first officer)", |s| {
            (s == "C1F1").then_some(())
        })?;
        let out = UtcMinute::from_date_minute(out_date, out_minute);
        let arrival = UtcMinute::from_date_minute(in_date, in_minute);
        if arrival <= out {
            return Err(row.error(
                "ArrvTime",
                format!(
                    "expected an arrival after the departure at {} {}",
                    out_date,
                    clock(out_minute)
                ),
            ));
        }
        if slice.is_some_and(|s| !s.contains(out_date)) {
            continue;
        }
        rows.push(Flight {
            carrier,
            number,
            origin,
            destination,
            out,
            arrival,
        });
    }
    Ok(Flights { rows, in_file })
}

fn read_crew(path: &Path) -> Result<Vec<GmcmCrew>, DatasetError> {
    let mut table = CsvTable::open(
        open(path)?,
        path,
        &["EmpNo", "Captain", "FirstOfficer", "Deadhead", "Base"],
    )?;
    table.alias("duty cost", &["DutyCostPerHour", "DutyCostPerHr"])?;
    table.alias("pairing cost", &["ParingCostPerHour", "ParingCostPerHr"])?;
    let mut crew: Vec<GmcmCrew> = Vec::new();
    while let Some(row) = table.next_row()? {
        let id = row.required_text("EmpNo", "expected an employee number")?;
        if crew.iter().any(|c| c.id.as_str() == id) {
            return Err(row.error("EmpNo", "expected an employee number not seen before"));
        }
        let yes = |field: &str| row.parse_with(field, "Y or an empty field", parse_yes);
        let captain = yes("Captain")?;
        let first_officer = yes("FirstOfficer")?;
        let deadhead = yes("Deadhead")?;
        if !captain && !first_officer {
            return Err(row.error(
                "FirstOfficer",
                "expected Y: a member who is not a captain must be a first officer",
            ));
        }
        let base = row.parse_with("Base", "a three-letter station code", AirportCode::new)?;
        let cost = |field: &str| {
            row.parse_with(field, "a cost per hour of zero or more", |s| {
                s.parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0)
            })
        };
        crew.push(GmcmCrew {
            id: CrewId::new(id),
            captain,
            first_officer,
            deadhead,
            base,
            duty_cost_per_hour: cost("duty cost")?,
            pairing_cost_per_hour: cost("pairing cost")?,
        });
    }
    Ok(crew)
}

fn build_schedule(
    flight_file: &Path,
    flights: Vec<Flight>,
    crew: &[GmcmCrew],
) -> Result<Schedule, DatasetError> {
    let zone = TimeZone::from_iana(STATION_ZONE).ok_or_else(|| DatasetError::File {
        file: flight_file.to_path_buf(),
        message: format!("the compiled-in tz database has no zone {STATION_ZONE}"),
    })?;
    // The crew's airline: the flights' airline with most legs (ties to the smaller code).
    let mut by_carrier: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &flights {
        *by_carrier.entry(f.carrier.as_str()).or_default() += 1;
    }
    let crew_airline = by_carrier
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(c, _)| CarrierCode::new(*c))
        .ok_or_else(|| DatasetError::File {
            file: flight_file.to_path_buf(),
            message: "no flight on the days asked for".into(),
        })?;
    let airlines = by_carrier
        .keys()
        .map(|c| Airline {
            code: CarrierCode::new(*c),
            name: format!("GMCM 2021 F airline {c}"),
        })
        .collect();
    let mut stations: Vec<AirportCode> = flights
        .iter()
        .flat_map(|f| [f.origin, f.destination])
        .chain(crew.iter().map(|c| c.base))
        .collect();
    stations.sort();
    stations.dedup();
    let airports = stations
        .iter()
        .map(|&code| Airport {
            code,
            icao: None,
            name: format!("{code} (fictitious GMCM station)"),
            latitude_deg: PLACEHOLDER_LATITUDE_DEG,
            longitude_deg: PLACEHOLDER_LONGITUDE_DEG,
            time_zone: zone,
        })
        .collect();
    let legs = flights
        .into_iter()
        .enumerate()
        .map(|(i, f)| Leg {
            id: LegId(i as u32 + 1),
            carrier: CarrierCode::new(&f.carrier),
            flight_number: Some(f.number),
            origin: f.origin,
            destination: f.destination,
            scheduled_out: f.out,
            scheduled_in: f.arrival,
            estimated: OutOffOnIn::default(),
            actual: OutOffOnIn::default(),
            tail: None,
            status: LegStatus::Scheduled,
            source: LegSource::Recorded,
        })
        .collect();
    let crew = crew
        .iter()
        .map(|c| CrewMember {
            id: c.id.clone(),
            airline: crew_airline.clone(),
            rank: if c.captain {
                Rank::Captain
            } else {
                Rank::FirstOfficer
            },
            base: c.base,
            qualifications: vec![TypeCode::new(TYPE_CODE)],
            home_zone: zone,
        })
        .collect();
    Schedule::new(ScheduleParts {
        airlines,
        airports,
        aircraft_types: vec![gmcm_type()],
        crew,
        legs,
        ..ScheduleParts::default()
    })
    .map_err(|e| DatasetError::File {
        file: flight_file.to_path_buf(),
        message: format!("the imported schedule is inconsistent: {e}"),
    })
}

/// The stand-in type: the contest names none. Fewer than 20 seats, so it needs no cabin crew, like the
/// contest's `C1F1` composition; its turn time is the contest's least connection (40 minutes).
fn gmcm_type() -> AircraftType {
    AircraftType {
        code: TypeCode::new(TYPE_CODE),
        family: TYPE_CODE.into(),
        seats: 0,
        min_turn: Minutes(40),
    }
}

/// A planned roster for an imported data set, by the crew generator (seed `seed`, default rule sets).
///
/// The generator hires its own pilots (`FA-NKX-CA-0001`, ...) rather than rostering the contest's named crew,
/// and plans cabin crew for legs of an unknown type; the contest's composition is `C1F1`, so the cabin crew
/// it hires are dropped with their roster lines, and every generated pilot is rated on [`TYPE_CODE`]. It
/// chooses crew bases itself (airports originating at least a tenth of the airline's legs), which may differ
/// from the contest's bases. Compare [`GmcmData::crew_counts`] with [`generated_counts`].
pub fn rostered(data: &GmcmData, seed: u64) -> Result<(Schedule, CrewReport), DatasetError> {
    let (schedule, report) =
        crewgen::generate(data.schedule.clone(), &CrewConfig::with_seed(seed))?;
    let mut parts = schedule.into_parts();
    let cabin: std::collections::BTreeSet<CrewId> = parts
        .crew
        .iter()
        .filter(|m| m.rank == Rank::Cabin)
        .map(|m| m.id.clone())
        .collect();
    parts.crew.retain(|m| m.rank != Rank::Cabin);
    parts.rosters.retain(|r| !cabin.contains(&r.crew));
    for m in &mut parts.crew {
        m.qualifications = vec![TypeCode::new(TYPE_CODE)];
    }
    let schedule = Schedule::new(parts).map_err(|e| DatasetError::File {
        file: "<crew generator>".into(),
        message: format!("the generated roster without cabin crew is inconsistent: {e}"),
    })?;
    Ok((schedule, report))
}

/// Pilots of a (generated) schedule by rank; the model has no "captain also first officer".
pub fn generated_counts(schedule: &Schedule) -> CrewCounts {
    let mut counts = CrewCounts::default();
    for m in schedule.crew() {
        match m.rank {
            Rank::Captain => counts.captains_only += 1,
            Rank::FirstOfficer => counts.first_officers_only += 1,
            Rank::Cabin => {}
        }
    }
    counts
}

/// `FA2` → (`FA`, 2).
fn split_flight_number(s: &str) -> Option<(String, u32)> {
    let digits = s.find(|c: char| c.is_ascii_digit())?;
    let (letters, number) = s.split_at(digits);
    if letters.is_empty() || !letters.chars().all(|c| c.is_ascii_uppercase()) || letters.len() > 3 {
        return None;
    }
    Some((letters.to_string(), number.parse().ok()?))
}

/// `8/12/2021` → 2021-08-12.
fn parse_date(s: &str) -> Option<Date> {
    let mut parts = s.split('/');
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    let year: i32 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || !(1900..=2200).contains(&year) {
        return None;
    }
    Date::new(year, month, day)
}

/// `0:05` → 5, `23:59` → 1439.
fn parse_time(s: &str) -> Option<i64> {
    let (h, m) = s.split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    ((0..24).contains(&h) && (0..60).contains(&m)).then_some(h * 60 + m)
}

fn parse_yes(s: &str) -> Option<bool> {
    match s {
        "Y" | "y" => Some(true),
        "" | "N" | "n" => Some(false),
        _ => None,
    }
}

fn clock(minute: i64) -> String {
    format!("{}:{:02}", minute / 60, minute % 60)
}

/// The folder of the contest files beside the repository (`../shared/benchmarks/gmcm2021f`), for tests and
/// the bench's default.
pub fn default_dir() -> PathBuf {
    PathBuf::from("../shared/benchmarks/gmcm2021f")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flight_numbers_dates_and_times_read_as_the_contest_writes_them() {
        assert_eq!(split_flight_number("FB8559"), Some(("FB".into(), 8559)));
        assert_eq!(split_flight_number("8559"), None);
        assert_eq!(parse_date("8/1/2019"), Date::new(2019, 8, 1));
        assert_eq!(parse_date("2/30/2019"), None);
        assert_eq!(parse_time("0:05"), Some(5));
        assert_eq!(parse_time("24:00"), None);
        assert_eq!(parse_time("7:5"), None);
    }
}
