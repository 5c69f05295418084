//! Reading one season's sheets into a [`TyphoonProblem`].

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use ucodts_model::tianchi2017::{
    rules, Aircraft, BanKind, Curfew, Flight, ParkingCap, Season, ThroughPair, Transfer,
    TyphoonBan, TyphoonProblem,
};
use ucodts_model::{Date, Minutes, UtcMinute};

use crate::csvread::{CsvTable, Row};
use crate::DatasetError;

/// The sheets a season reads, in the order `load` reads them.
pub fn file_names(season: Season) -> Vec<String> {
    let n = season.number();
    let mut names = vec![
        format!("s{n}_flights.csv"),
        format!("s{n}_route_aircraft_restrictions.csv"),
        format!("s{n}_airport_closures.csv"),
        format!("s{n}_typhoon_scenario.csv"),
        format!("s{n}_flight_times.csv"),
    ];
    if season == Season::Two {
        names.push("s2_airports.csv".into());
        names.push("s2_transfer_min_connect.csv".into());
    }
    names
}

/// The largest id of a flight, aircraft or airport read (ferries are numbered from 9001 and must not meet
/// an original id, so flights stay below it).
const MAX_ID: u32 = 1_000_000;
const MAX_FLIGHT_ID: u32 = rules::FIRST_FERRY_ID - 1;
const MAX_BLOCK_MINUTES: i64 = 48 * 60;
const MAX_PASSENGERS: u32 = 1_000;

fn open(
    dir: &Path,
    name: &str,
    required: &[&str],
) -> Result<CsvTable<std::fs::File>, DatasetError> {
    let file = dir.join(name);
    let reader = crate::limits::open(&file).map_err(|e| DatasetError::io(&file, e))?;
    CsvTable::open(reader, &file, required)
}

pub(crate) fn parse_instant(text: &str) -> Option<UtcMinute> {
    let (date, clock) = text.split_once(' ')?;
    let date = Date::parse(date)?;
    let minute = parse_clock(clock)?;
    let t = UtcMinute::from_date_minute(date, minute);
    t.is_in_range().then_some(t)
}

fn parse_clock(text: &str) -> Option<i64> {
    let (h, m) = text.split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let h: i64 = h.parse().ok()?;
    let m: i64 = m.parse().ok()?;
    ((0..24).contains(&h) && (0..60).contains(&m)).then_some(h * 60 + m)
}

fn id(row: &Row<'_>, field: &str, max: u32) -> Result<u32, DatasetError> {
    row.parse_with(field, &format!("a whole number from 1 to {max}"), |s| {
        s.parse::<u32>().ok().filter(|v| (1..=max).contains(v))
    })
}

fn instant(row: &Row<'_>, field: &str) -> Result<UtcMinute, DatasetError> {
    row.parse_with(field, "a time YYYY-MM-DD HH:MM", parse_instant)
}

fn date(row: &Row<'_>, field: &str) -> Result<Date, DatasetError> {
    row.parse_with(field, "a date YYYY-MM-DD", Date::parse)
}

/// Reads season `season`'s sheets from `dir`. Every error names the file, line, column, field, value and
/// what was expected; a malformed file never panics.
pub fn load(dir: &Path, season: Season) -> Result<TyphoonProblem, DatasetError> {
    if !dir.is_dir() {
        return Err(DatasetError::File {
            file: dir.to_path_buf(),
            message: "no such folder: the Tianchi 2017 data is read from a folder holding s1_*.csv and s2_*.csv (../shared/benchmarks/tianchi2017)".into(),
        });
    }
    let names = file_names(season);
    let two = season == Season::Two;

    // Flights, and from them the fleet.
    let mut columns = vec![
        "flight_id",
        "date",
        "dom_intl",
        "flight_no",
        "dep_airport",
        "arr_airport",
        "dep_time",
        "arr_time",
        "aircraft_id",
        "aircraft_type",
        "importance",
    ];
    if two {
        columns.extend(["passengers", "connecting_passengers", "seats"]);
    }
    let mut t = open(dir, &names[0], &columns)?;
    let mut flights: Vec<Flight> = Vec::new();
    let mut aircraft: BTreeMap<u32, (Aircraft, PathBuf, u64)> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    while let Some(row) = t.next_row()? {
        let flight_id = id(&row, "flight_id", MAX_FLIGHT_ID)?;
        if !seen.insert(flight_id) {
            return Err(row.error("flight_id", "an id not used by an earlier line"));
        }
        let international =
            row.parse_with("dom_intl", "domestic or international", |s| match s {
                "domestic" => Some(false),
                "international" => Some(true),
                _ => None,
            })?;
        let departure = instant(&row, "dep_time")?;
        let arrival = instant(&row, "arr_time")?;
        let block = arrival.0 - departure.0;
        if !(1..=MAX_BLOCK_MINUTES).contains(&block) {
            return Err(row.error(
                "arr_time",
                format!("a time after the departure, at most {MAX_BLOCK_MINUTES} minutes later"),
            ));
        }
        let aircraft_id = id(&row, "aircraft_id", MAX_ID)?;
        let aircraft_type =
            row.parse_with("aircraft_type", "an aircraft type from 1 to 9", |s| {
                s.parse::<u8>().ok().filter(|v| (1..=9).contains(v))
            })?;
        let importance = row.parse_with("importance", "a number from 0 to 100", |s| {
            s.parse::<f64>().ok().filter(|v| (0.0..=100.0).contains(v))
        })?;
        let count = |field: &str| {
            row.parse_with(
                field,
                &format!("a whole number from 0 to {MAX_PASSENGERS}"),
                |s| s.parse::<u32>().ok().filter(|v| *v <= MAX_PASSENGERS),
            )
        };
        let (passengers, through_passengers, seats) = if two {
            let p = count("passengers")?;
            // Through passengers may exceed the leg's own count in the sheet (row 67 of season 2).
            let c = count("connecting_passengers")?;
            (p, c, count("seats")?)
        } else {
            (0, 0, u32::MAX)
        };
        match aircraft.get(&aircraft_id) {
            Some((a, file, line)) if a.aircraft_type != aircraft_type || a.seats != seats => {
                return Err(row.error(
                    "aircraft_type",
                    format!(
                        "the type {} and seats of aircraft {aircraft_id} as given at {}:{line}",
                        a.aircraft_type,
                        file.display()
                    ),
                ));
            }
            Some(_) => {}
            None => {
                aircraft.insert(
                    aircraft_id,
                    (
                        Aircraft {
                            id: aircraft_id,
                            aircraft_type,
                            seats,
                        },
                        dir.join(&names[0]),
                        row.line,
                    ),
                );
            }
        }
        flights.push(Flight {
            id: flight_id,
            date: date(&row, "date")?,
            international,
            flight_no: id(&row, "flight_no", MAX_ID)?,
            from: id(&row, "dep_airport", MAX_ID)?,
            to: id(&row, "arr_airport", MAX_ID)?,
            departure,
            arrival,
            aircraft: aircraft_id,
            aircraft_type,
            passengers,
            through_passengers,
            importance,
        });
    }
    if flights.is_empty() {
        return Err(DatasetError::File {
            file: dir.join(&names[0]),
            message: "no flights".into(),
        });
    }
    flights.sort_by_key(|f| f.id);

    let mut t = open(
        dir,
        &names[1],
        &["dep_airport", "arr_airport", "aircraft_id"],
    )?;
    let mut route_bans = BTreeSet::new();
    while let Some(row) = t.next_row()? {
        let from = id(&row, "dep_airport", MAX_ID)?;
        let to = id(&row, "arr_airport", MAX_ID)?;
        route_bans.insert((id(&row, "aircraft_id", MAX_ID)?, from, to));
    }

    let mut t = open(
        dir,
        &names[2],
        &[
            "airport",
            "close_time",
            "reopen_time",
            "effective_date",
            "expiry_date",
        ],
    )?;
    let mut curfews = Vec::new();
    while let Some(row) = t.next_row()? {
        let clock = |field: &str| row.parse_with(field, "a clock time HH:MM", parse_clock);
        curfews.push(Curfew {
            airport: id(&row, "airport", MAX_ID)?,
            close: clock("close_time")?,
            reopen: clock("reopen_time")?,
            effective: date(&row, "effective_date")?,
            expiry: date(&row, "expiry_date")?,
        });
    }

    let mut columns = vec!["start_time", "end_time", "affect_type", "airport"];
    if two {
        columns.push("max_parked_aircraft");
    }
    let mut t = open(dir, &names[3], &columns)?;
    let (mut bans, mut parking) = (Vec::new(), Vec::new());
    while let Some(row) = t.next_row()? {
        let start = instant(&row, "start_time")?;
        let end = instant(&row, "end_time")?;
        if end <= start {
            return Err(row.error("end_time", "a time after start_time"));
        }
        let airport = id(&row, "airport", MAX_ID)?;
        let kind = row.parse_with("affect_type", "landing, takeoff or parking", |s| match s {
            "landing" => Some(Some(BanKind::Landing)),
            "takeoff" => Some(Some(BanKind::Takeoff)),
            "parking" => Some(None),
            _ => None,
        })?;
        match kind {
            Some(kind) => bans.push(TyphoonBan {
                airport,
                kind,
                start,
                end,
            }),
            None => {
                let cap = if two {
                    row.optional_with(
                        "max_parked_aircraft",
                        "a whole number of aircraft",
                        &[],
                        |s| s.parse::<u32>().ok().filter(|v| *v <= MAX_ID),
                    )?
                } else {
                    None
                };
                // Season 2's evaluator reads a blank cap as 0.
                let cap = if two { Some(cap.unwrap_or(0)) } else { None };
                parking.push(ParkingCap {
                    airport,
                    start,
                    end,
                    cap,
                });
            }
        }
    }

    let mut t = open(
        dir,
        &names[4],
        &[
            "aircraft_type",
            "dep_airport",
            "arr_airport",
            "flight_minutes",
        ],
    )?;
    let mut flight_times = BTreeMap::new();
    while let Some(row) = t.next_row()? {
        let aircraft_type =
            row.parse_with("aircraft_type", "an aircraft type from 1 to 9", |s| {
                s.parse::<u8>().ok().filter(|v| (1..=9).contains(v))
            })?;
        let from = id(&row, "dep_airport", MAX_ID)?;
        let to = id(&row, "arr_airport", MAX_ID)?;
        let minutes = row.parse_with(
            "flight_minutes",
            &format!("a whole number of minutes from 1 to {MAX_BLOCK_MINUTES}"),
            |s| {
                s.parse::<i64>()
                    .ok()
                    .filter(|v| (1..=MAX_BLOCK_MINUTES).contains(v))
            },
        )?;
        flight_times.insert((aircraft_type, from, to), Minutes(minutes));
    }

    let mut domestic_airports = BTreeSet::new();
    let mut transfers = Vec::new();
    if two {
        let mut t = open(dir, &names[5], &["airport", "is_domestic"])?;
        while let Some(row) = t.next_row()? {
            let airport = id(&row, "airport", MAX_ID)?;
            let domestic =
                row.parse_with("is_domestic", "1 (domestic) or 0 (foreign)", |s| match s {
                    "1" => Some(true),
                    "0" => Some(false),
                    _ => None,
                })?;
            if domestic {
                domestic_airports.insert(airport);
            }
        }
        let mut t = open(
            dir,
            &names[6],
            &[
                "inbound_flight_id",
                "outbound_flight_id",
                "min_connect_minutes",
                "transfer_passengers",
            ],
        )?;
        while let Some(row) = t.next_row()? {
            let known = |field: &str| {
                row.parse_with(field, "the id of a flight in the flights sheet", |s| {
                    s.parse::<u32>()
                        .ok()
                        .filter(|v| flights.binary_search_by_key(v, |f| f.id).is_ok())
                })
            };
            transfers.push(Transfer {
                inbound: known("inbound_flight_id")?,
                outbound: known("outbound_flight_id")?,
                min_connect: Minutes(row.parse_with(
                    "min_connect_minutes",
                    "a whole number of minutes from 0 to 1440",
                    |s| s.parse::<i64>().ok().filter(|v| (0..=1440).contains(v)),
                )?),
                passengers: row.parse_with(
                    "transfer_passengers",
                    &format!("a whole number from 0 to {MAX_PASSENGERS}"),
                    |s| s.parse::<u32>().ok().filter(|v| *v <= MAX_PASSENGERS),
                )?,
            });
        }
    } else {
        // Season 1 has no airports sheet: an airport is domestic when a domestic flight uses it (season 2's
        // sheet agrees with this rule on the same network).
        for f in flights.iter().filter(|f| !f.international) {
            domestic_airports.insert(f.from);
            domestic_airports.insert(f.to);
        }
    }

    let mut problem = TyphoonProblem {
        season,
        flights,
        aircraft: aircraft.into_values().map(|(a, _, _)| a).collect(),
        bans,
        parking,
        curfews,
        route_bans,
        flight_times,
        domestic_airports,
        transfers,
        through_pairs: Vec::new(),
        window_start: UtcMinute(0),
        window_end: UtcMinute(0),
    };
    let ((y0, m0, d0, t0), (y1, m1, d1, t1)) = rules::WINDOW;
    let day = |y, m, d| Date::new(y, m, d).expect("the contest's window dates are valid");
    problem.window_start = UtcMinute::from_date_minute(day(y0, m0, d0), t0);
    problem.window_end = UtcMinute::from_date_minute(day(y1, m1, d1), t1);
    // Through pairs: consecutive legs of one aircraft with the same date and flight number.
    let mut pairs = Vec::new();
    for legs in problem.rotations().values() {
        for w in legs.windows(2) {
            let (a, b) = (&problem.flights[w[0]], &problem.flights[w[1]]);
            if a.date == b.date && a.flight_no == b.flight_no {
                pairs.push(ThroughPair {
                    first: a.id,
                    second: b.id,
                });
            }
        }
    }
    pairs.sort_by_key(|p| p.first);
    problem.through_pairs = pairs;
    Ok(problem)
}
