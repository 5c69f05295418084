//! Importer for the US DOT/BTS "Reporting Carrier On-Time Performance" files, in their own column layout
//! (`FlightDate`, `Reporting_Airline`, `Tail_Number`, `CRSDepTime`, `DepDelay`, `WheelsOff`, `WheelsOn`,
//! `ArrDelay`, `Cancelled`, `Diverted`, ...). Users download these themselves; they hold the whole US network,
//! so a tail's legs chain as flown and no leg has to be inferred. Older and newer releases name some columns
//! differently (`Carrier`/`Reporting_Airline`, `TailNum`/`Tail_Number`, upper-case names in the "Marketing
//! Carrier" files); all are accepted.
//!
//! BTS files carry no aircraft types: every tail gets its airline's stand-in type (seat count assumed, and
//! logged as such) until a fleet file says otherwise.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;

use ucodts_model::{
    Aircraft, AircraftType, Airline, AirportCode, CarrierCode, Date, Leg, LegId, LegSource,
    LegStatus, Minutes, OutOffOnIn, ScheduleParts, TailId, TypeCode,
};

use crate::airportsdata::AirportsTable;
use crate::csvread::CsvTable;
use crate::nycflights13::Progress;
use crate::recorded::{hhmm, local_instant, next_local_after, AnomalyLog, TailUsage};
use crate::recorded::{Imported, RotationReport};
use crate::DatasetError;

/// Seats assumed for a tail whose type the file does not give.
pub const STAND_IN_SEATS: u16 = 150;
const MAX_BLOCK: Minutes = Minutes::hours(20);

/// The column names this importer reads, and the names other releases of the files use for them.
const COLUMNS: &[(&str, &[&str])] = &[
    ("date", &["FlightDate", "FL_DATE"]),
    (
        "carrier",
        &[
            "Reporting_Airline",
            "IATA_CODE_Reporting_Airline",
            "Carrier",
            "OP_UNIQUE_CARRIER",
            "OP_CARRIER",
        ],
    ),
    ("tail", &["Tail_Number", "TailNum", "TAIL_NUM"]),
    (
        "flight",
        &[
            "Flight_Number_Reporting_Airline",
            "FlightNum",
            "OP_CARRIER_FL_NUM",
        ],
    ),
    ("origin", &["Origin", "ORIGIN"]),
    ("dest", &["Dest", "DEST"]),
    ("crs_dep", &["CRSDepTime", "CRS_DEP_TIME"]),
    ("dep_delay", &["DepDelay", "DEP_DELAY"]),
    ("wheels_off", &["WheelsOff", "WHEELS_OFF"]),
    ("wheels_on", &["WheelsOn", "WHEELS_ON"]),
    ("crs_arr", &["CRSArrTime", "CRS_ARR_TIME"]),
    ("arr_delay", &["ArrDelay", "ARR_DELAY"]),
    ("cancelled", &["Cancelled", "CANCELLED"]),
    ("diverted", &["Diverted", "DIVERTED"]),
];

/// `2013-02-04`, or `2/4/2013 12:00:00 AM` as some downloads write it.
fn flight_date(text: &str) -> Option<Date> {
    if let Some(d) = Date::parse(text) {
        return Some(d);
    }
    let date_part = text.split(' ').next()?;
    let mut it = date_part.split('/');
    let (m, d, y) = (
        it.next()?.parse().ok()?,
        it.next()?.parse().ok()?,
        it.next()?.parse().ok()?,
    );
    Date::new(y, m, d)
}

/// `1.00`/`0.00` or `1`/`0`.
fn flag(text: &str) -> Option<bool> {
    let v = text.parse::<f64>().ok()?;
    if v == 0.0 {
        Some(false)
    } else if v == 1.0 {
        Some(true)
    } else {
        None
    }
}

/// Whole minutes written as `-3.00` or `-3`.
fn minutes(text: &str) -> Option<i64> {
    let v = text.parse::<f64>().ok()?;
    (v.fract() == 0.0 && v.abs() < 1e6).then_some(v as i64)
}

/// Imports one on-time performance CSV.
pub fn import_path(
    path: &Path,
    airports: &AirportsTable,
    progress: Progress,
) -> Result<Imported, DatasetError> {
    let file = crate::limits::open(path).map_err(|e| DatasetError::io(path, e))?;
    import(std::io::BufReader::new(file), path, airports, progress)
}

pub fn import(
    reader: impl Read,
    file: &Path,
    airports: &AirportsTable,
    progress: Progress,
) -> Result<Imported, DatasetError> {
    let mut log = AnomalyLog::default();
    let mut table = CsvTable::open(reader, file, &[])?;
    for (name, alternatives) in COLUMNS {
        table.alias(name, alternatives)?;
    }
    let mut legs = Vec::new();
    let mut row_number = 0u32;
    while let Some(row) = table.next_row()? {
        row_number += 1;
        if row_number % 20_000 == 0 {
            progress("reading flights", u64::from(row_number));
        }
        let date = row.parse_with("date", "a date YYYY-MM-DD", flight_date)?;
        let carrier = CarrierCode::new(row.required_text("carrier", "an airline code")?);
        let tail = row.optional_with("tail", "a tail number", &[], |s| Some(TailId::new(s)))?;
        let flight_number = row.parse_with("flight", "a flight number", |s| {
            minutes(s).and_then(|v| u32::try_from(v).ok())
        })?;
        let airport = |field: &str| {
            let code = row.parse_with(field, "an IATA airport code", AirportCode::new)?;
            airports.get(code).map(|a| (code, a.time_zone)).ok_or_else(|| {
                row.error(field, "expected an airport known to the airports table (pass --airports with airportsdata's airports.csv)")
            })
        };
        let (origin, origin_zone) = airport("origin")?;
        let (destination, dest_zone) = airport("dest")?;
        let sched_dep = row.parse_with("crs_dep", "a local time HHMM", hhmm)?;
        let sched_arr = row.parse_with("crs_arr", "a local time HHMM", hhmm)?;
        let cancelled = row.parse_with("cancelled", "0 or 1", flag)?;
        let diverted = row.parse_with("diverted", "0 or 1", flag)?;
        let dep_delay = row.optional_with("dep_delay", "a delay in minutes", &[], minutes)?;
        let arr_delay = row.optional_with("arr_delay", "a delay in minutes", &[], minutes)?;
        let wheels_off = row.optional_with("wheels_off", "a local time HHMM", &[], hhmm)?;
        let wheels_on = row.optional_with("wheels_on", "a local time HHMM", &[], hhmm)?;

        let what = format!("{carrier}{flight_number} {date} (line {})", row.line);
        let scheduled_out = local_instant(&origin_zone, date, sched_dep, &mut log, &what);
        let Some(scheduled_in) =
            next_local_after(&dest_zone, date, sched_arr, scheduled_out, MAX_BLOCK)
        else {
            return Err(row.error(
                "crs_arr",
                "expected a scheduled arrival within 20 hours of the scheduled departure",
            ));
        };
        let mut actual = OutOffOnIn::default();
        let status = if cancelled {
            LegStatus::Cancelled
        } else {
            actual.gate_out = dep_delay.map(|d| scheduled_out + Minutes(d));
            if let (Some(out), Some(m)) = (actual.gate_out, wheels_off) {
                actual.takeoff =
                    next_local_after(&origin_zone, date, m, out - Minutes(1), Minutes::hours(24));
            }
            if let (Some(off), Some(m), false) = (actual.takeoff, wheels_on, diverted) {
                actual.landing = next_local_after(&dest_zone, date, m, off - Minutes(1), MAX_BLOCK);
            }
            if !diverted {
                actual.gate_in = arr_delay.map(|d| scheduled_in + Minutes(d));
            }
            if let (Some(on), Some(inn)) = (actual.landing, actual.gate_in) {
                if inn < on {
                    log.note(
                        "recorded gate arrival before landing",
                        "landing time dropped",
                        what.clone(),
                    );
                    actual.landing = None;
                }
            }
            if let (Some(out), Some(inn)) = (actual.gate_out, actual.gate_in) {
                if inn <= out {
                    log.note(
                        "recorded arrival not after the recorded departure",
                        "arrival time dropped",
                        what.clone(),
                    );
                    actual.gate_in = None;
                    actual.landing = None;
                }
            }
            match (actual.gate_out, actual.gate_in, diverted) {
                (None, _, _) => {
                    log.note(
                        "flight neither cancelled nor departed",
                        "kept as scheduled",
                        what.clone(),
                    );
                    LegStatus::Scheduled
                }
                (Some(_), _, true) => LegStatus::Diverted,
                (Some(_), Some(_), false) => LegStatus::Arrived,
                (Some(_), None, false) => LegStatus::Departed,
            }
        };
        legs.push(Leg {
            id: LegId(row_number),
            carrier,
            flight_number: Some(flight_number),
            origin,
            destination,
            scheduled_out,
            scheduled_in,
            estimated: OutOffOnIn::default(),
            actual,
            tail,
            status,
            source: LegSource::Recorded,
        });
    }
    progress("reading flights", u64::from(row_number));
    legs.sort_by_key(|l| (l.scheduled_out, l.id));

    // Fleet: one aircraft per tail, based where it departs most, with its airline's stand-in type.
    let per_tail = TailUsage::count(legs.iter().map(|l| (l.tail.as_ref(), &l.carrier, l.origin)));
    let mut aircraft = Vec::new();
    let mut types = BTreeMap::new();
    for (tail, usage) in &per_tail {
        let carrier = usage.carrier();
        if usage.carriers.len() > 1 {
            log.note(
                "tail flown by more than one carrier",
                "assigned to the carrier that flew it most",
                tail.to_string(),
            );
        }
        let type_code = TypeCode::new(format!("UNKNOWN {carrier}"));
        types
            .entry(type_code.clone())
            .or_insert_with(|| AircraftType {
                code: type_code.clone(),
                family: type_code.to_string(),
                seats: STAND_IN_SEATS,
                min_turn: Minutes(35),
            });
        aircraft.push(Aircraft {
            tail: (*tail).clone(),
            type_code,
            carrier: carrier.clone(),
            base: usage.base(),
            maintenance_due: None,
        });
    }
    if !types.is_empty() {
        log.note_many(
            "aircraft type not in the file",
            "stand-in type per airline with 150 seats and a 35-minute minimum turn",
            aircraft.len() as u64,
            "BTS on-time files carry tails, not types",
        );
    }

    // Rotations as flown: count where a tail's next departure is not where it last arrived.
    let mut rotations = RotationReport::default();
    let mut last: BTreeMap<&TailId, AirportCode> = BTreeMap::new();
    for l in legs.iter().filter(|l| l.status != LegStatus::Cancelled) {
        if let Some(t) = &l.tail {
            if let Some(at) = last.insert(t, l.destination) {
                if at != l.origin {
                    rotations.gaps += 1;
                    log.note(
                        "tail departs from somewhere other than its last arrival",
                        "kept as recorded",
                        format!("{t} at {} ({})", l.origin, l.designator()),
                    );
                }
            }
        }
    }

    let carriers: BTreeSet<CarrierCode> = legs.iter().map(|l| l.carrier.clone()).collect();
    let airlines: Vec<Airline> = carriers
        .into_iter()
        .map(|c| Airline {
            name: c.to_string(),
            code: c,
        })
        .collect();
    let codes: BTreeSet<AirportCode> = legs
        .iter()
        .flat_map(|l| [l.origin, l.destination])
        .collect();
    let airports_used = codes
        .iter()
        .map(|c| airports.get(*c).cloned().expect("checked while reading"))
        .collect();
    let parts = ScheduleParts {
        airlines,
        airports: airports_used,
        aircraft_types: types.into_values().collect(),
        aircraft,
        legs,
        ..ScheduleParts::default()
    };
    Imported::build(
        parts,
        &format!("BTS on-time performance ({})", file.display()),
        rotations,
        log,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use ucodts_model::UtcMinute;

    /// Four rows in the layout of the BTS download (quoted header, trailing comma, `1.00` flags): a tail that
    /// flies EWR-ORD-EWR, a cancelled flight and a diversion.
    const SAMPLE: &str = "\"Year\",\"Month\",\"DayofMonth\",\"FlightDate\",\"Reporting_Airline\",\"Tail_Number\",\"Flight_Number_Reporting_Airline\",\"Origin\",\"Dest\",\"CRSDepTime\",\"DepTime\",\"DepDelay\",\"TaxiOut\",\"WheelsOff\",\"WheelsOn\",\"TaxiIn\",\"CRSArrTime\",\"ArrTime\",\"ArrDelay\",\"Cancelled\",\"CancellationCode\",\"Diverted\",\n\
2013,2,4,2013-02-04,\"UA\",\"N14228\",\"1545\",\"EWR\",\"ORD\",\"0600\",\"0612\",12.00,15.00,\"0627\",\"0740\",8.00,\"0735\",\"0748\",13.00,0.00,\"\",0.00,\n\
2013,2,4,2013-02-04,\"UA\",\"N14228\",\"1546\",\"ORD\",\"EWR\",\"0830\",\"0828\",-2.00,10.00,\"0838\",\"1135\",5.00,\"1145\",\"1140\",-5.00,0.00,\"\",0.00,\n\
2013,2,4,2013-02-04,\"UA\",\"N14228\",\"1547\",\"EWR\",\"ORD\",\"2330\",\"\",,,\"\",\"\",,\"0045\",\"\",,1.00,\"B\",0.00,\n\
2013,2,4,2013-02-04,\"B6\",\"N503JB\",\"17\",\"JFK\",\"SJU\",\"0900\",\"0905\",5.00,20.00,\"0925\",\"\",,\"1330\",\"\",,0.00,\"\",1.00,\n";

    fn import_text(text: &str) -> Result<Imported, DatasetError> {
        import(
            text.as_bytes(),
            Path::new("ontime.csv"),
            &AirportsTable::embedded(),
            &mut |_, _| {},
        )
    }

    fn t(text: &str) -> UtcMinute {
        UtcMinute::parse(text).unwrap()
    }

    #[test]
    fn bts_rows_become_legs_with_out_off_on_in_in_utc() {
        let imported = import(
            SAMPLE.as_bytes(),
            Path::new("ontime.csv"),
            &AirportsTable::embedded(),
            &mut |_, _| {},
        )
        .unwrap();
        let s = &imported.schedule;
        assert_eq!(s.legs().len(), 4);
        let first = s.leg(LegId(1)).unwrap();
        assert_eq!(first.scheduled_out, t("2013-02-04T11:00Z"));
        assert_eq!(first.scheduled_in, t("2013-02-04T13:35Z")); // 07:35 Chicago time
        assert_eq!(first.actual.gate_out, Some(t("2013-02-04T11:12Z")));
        assert_eq!(first.actual.takeoff, Some(t("2013-02-04T11:27Z")));
        assert_eq!(first.actual.landing, Some(t("2013-02-04T13:40Z")));
        assert_eq!(first.actual.gate_in, Some(t("2013-02-04T13:48Z")));
        assert_eq!(first.status, LegStatus::Arrived);
        // The late departure arrives after midnight: the next day.
        let cancelled = s.leg(LegId(3)).unwrap();
        assert_eq!(cancelled.status, LegStatus::Cancelled);
        assert_eq!(cancelled.scheduled_in, t("2013-02-05T06:45Z"));
        assert_eq!(s.leg(LegId(4)).unwrap().status, LegStatus::Diverted);
        // The tail's legs chain as flown: no rotation gaps, nothing inferred.
        let rotation: Vec<_> = s.rotation(&TailId::new("N14228")).map(|l| l.id.0).collect();
        assert_eq!(rotation, vec![1, 2, 3]);
        assert_eq!(imported.report.rotations.gaps, 0);
        assert_eq!(imported.report.inferred_legs, 0);
        assert_eq!(imported.report.cancelled, 1);
    }

    #[test]
    fn older_column_names_are_accepted() {
        let old = SAMPLE
            .replacen("\"Reporting_Airline\"", "\"Carrier\"", 1)
            .replacen("\"Tail_Number\"", "\"TailNum\"", 1)
            .replacen("\"Flight_Number_Reporting_Airline\"", "\"FlightNum\"", 1);
        let imported = import(
            old.as_bytes(),
            Path::new("old.csv"),
            &AirportsTable::embedded(),
            &mut |_, _| {},
        )
        .unwrap();
        assert_eq!(imported.schedule.legs().len(), 4);
    }

    #[test]
    fn a_bad_delay_names_file_line_and_column() {
        let bad = SAMPLE.replacen("12.00", "twelve", 1);
        let e = import_text(&bad).unwrap_err().to_string();
        assert!(
            e.contains("ontime.csv:2") && e.contains("column 12") && e.contains("twelve"),
            "{e}"
        );
    }

    #[test]
    fn an_airport_missing_from_the_airports_table_is_an_error_not_a_silent_drop() {
        let bad = SAMPLE.replacen("\"ORD\"", "\"ZZZ\"", 1);
        let e = import_text(&bad).unwrap_err().to_string();
        assert!(
            e.contains("ontime.csv:2") && e.contains("ZZZ") && e.contains("--airports"),
            "{e}"
        );
    }
}
