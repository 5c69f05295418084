//! The native format as users rely on it: what is written loads back exactly and writes the same bytes
//! again, a damaged data set is refused with the file, line and column at fault, and writing never leaves a
//! half-written or clobbered folder.

use std::fs;
use std::path::Path;

use proptest::prelude::*;
use ucodts_datasets::native::{load_dir, read_manifest, write_dir};
use ucodts_model::*;

fn t(text: &str) -> UtcMinute {
    UtcMinute::parse(text).unwrap()
}

fn code(text: &str) -> AirportCode {
    AirportCode::new(text).unwrap()
}

fn zone(name: &str) -> TimeZone {
    TimeZone::from_iana(name).unwrap()
}

fn leg(id: u32, flight: Option<u32>, from: &str, to: &str, out: &str, block_min: i64) -> Leg {
    Leg {
        id: LegId(id),
        carrier: CarrierCode::new("B6"),
        flight_number: flight,
        origin: code(from),
        destination: code(to),
        scheduled_out: t(out),
        scheduled_in: t(out) + Minutes(block_min),
        estimated: OutOffOnIn::default(),
        actual: OutOffOnIn::default(),
        tail: None,
        status: LegStatus::Scheduled,
        source: LegSource::Recorded,
    }
}

fn segment(leg: u32, kind: SegmentKind) -> Segment {
    Segment {
        leg: LegId(leg),
        kind,
    }
}

/// A small schedule with every optional field both set and empty, texts that need quoting, a pairing of
/// several duties with a deadhead, and weather with missing measurements.
fn handcrafted() -> Schedule {
    let ny = zone("America/New_York");
    let legs = vec![
        Leg {
            estimated: OutOffOnIn {
                gate_out: Some(t("2013-02-08T11:05Z")),
                takeoff: Some(t("2013-02-08T11:20Z")),
                landing: Some(t("2013-02-08T12:10Z")),
                gate_in: Some(t("2013-02-08T12:18Z")),
            },
            actual: OutOffOnIn {
                gate_out: Some(t("2013-02-08T11:04Z")),
                takeoff: Some(t("2013-02-08T11:19Z")),
                landing: Some(t("2013-02-08T12:09Z")),
                gate_in: Some(t("2013-02-08T12:16Z")),
            },
            tail: Some(TailId::new("N1")),
            status: LegStatus::Arrived,
            ..leg(1, Some(101), "JFK", "BOS", "2013-02-08T11:00Z", 75)
        },
        Leg {
            actual: OutOffOnIn {
                gate_out: Some(t("2013-02-08T13:10Z")),
                gate_in: Some(t("2013-02-08T14:30Z")),
                ..OutOffOnIn::default()
            },
            tail: Some(TailId::new("N1")),
            status: LegStatus::Arrived,
            ..leg(2, Some(102), "BOS", "JFK", "2013-02-08T13:00Z", 75)
        },
        Leg {
            source: LegSource::Inferred,
            ..leg(3, None, "JFK", "BOS", "2013-02-09T11:00Z", 75)
        },
        Leg {
            status: LegStatus::Cancelled,
            tail: Some(TailId::new("N2")),
            ..leg(4, Some(104), "BOS", "JFK", "2013-02-09T13:00Z", 80)
        },
        Leg {
            actual: OutOffOnIn {
                gate_out: Some(t("2013-02-09T15:02Z")),
                ..OutOffOnIn::default()
            },
            status: LegStatus::Departed,
            ..leg(5, Some(105), "BOS", "JFK", "2013-02-09T15:00Z", 75)
        },
        Leg {
            carrier: CarrierCode::new("UA"),
            actual: OutOffOnIn {
                gate_out: Some(t("2013-02-09T18:00Z")),
                takeoff: Some(t("2013-02-09T18:12Z")),
                ..OutOffOnIn::default()
            },
            estimated: OutOffOnIn {
                landing: Some(t("2013-02-09T19:30Z")),
                ..OutOffOnIn::default()
            },
            status: LegStatus::Diverted,
            ..leg(6, Some(1545), "EWR", "BOS", "2013-02-09T17:55Z", 85)
        },
    ];
    let weather = |airport: &str, time: &str| WeatherObservation {
        airport: code(airport),
        time: t(time),
        temperature_f: None,
        dewpoint_f: None,
        humidity_pct: None,
        wind_direction_deg: None,
        wind_speed_mph: None,
        wind_gust_mph: None,
        precipitation_in: None,
        pressure_mb: None,
        visibility_mi: None,
    };
    Schedule::new(ScheduleParts {
        airlines: vec![
            Airline {
                code: CarrierCode::new("B6"),
                name: "JetBlue Airways".into(),
            },
            Airline {
                code: CarrierCode::new("UA"),
                name: "United Air Lines, Inc.".into(),
            },
        ],
        airports: vec![
            Airport {
                code: code("JFK"),
                icao: Some("KJFK".into()),
                name: "John F Kennedy Intl".into(),
                latitude_deg: 40.639751,
                longitude_deg: -73.778925,
                time_zone: ny,
            },
            Airport {
                code: code("BOS"),
                icao: None,
                name: "General Edward Lawrence \"Logan\" Intl".into(),
                latitude_deg: 42.364347,
                longitude_deg: -71.005181,
                time_zone: ny,
            },
            Airport {
                code: code("EWR"),
                icao: Some("KEWR".into()),
                name: "Newark Liberty Intl".into(),
                latitude_deg: 40.6925,
                longitude_deg: -74.168667,
                time_zone: ny,
            },
        ],
        aircraft_types: vec![
            AircraftType {
                code: TypeCode::new("AIRBUS A320-232"),
                family: "A320".into(),
                seats: 150,
                min_turn: Minutes(35),
            },
            AircraftType {
                code: TypeCode::new("EMBRAER ERJ 190-100 IGW"),
                family: "E190".into(),
                seats: 100,
                min_turn: Minutes(30),
            },
        ],
        aircraft: vec![
            Aircraft {
                tail: TailId::new("N1"),
                type_code: TypeCode::new("AIRBUS A320-232"),
                carrier: CarrierCode::new("B6"),
                base: code("JFK"),
                maintenance_due: Some(t("2013-03-01T06:00Z")),
            },
            Aircraft {
                tail: TailId::new("N2"),
                type_code: TypeCode::new("EMBRAER ERJ 190-100 IGW"),
                carrier: CarrierCode::new("B6"),
                base: code("BOS"),
                maintenance_due: None,
            },
        ],
        crew: vec![
            CrewMember {
                id: CrewId::new("C1"),
                airline: CarrierCode::new("B6"),
                rank: Rank::Captain,
                base: code("JFK"),
                qualifications: vec![
                    TypeCode::new("AIRBUS A320-232"),
                    TypeCode::new("EMBRAER ERJ 190-100 IGW"),
                ],
                home_zone: ny,
            },
            CrewMember {
                id: CrewId::new("C2"),
                airline: CarrierCode::new("B6"),
                rank: Rank::FirstOfficer,
                base: code("JFK"),
                qualifications: vec![TypeCode::new("AIRBUS A320-232")],
                home_zone: zone("Europe/London"),
            },
            CrewMember {
                id: CrewId::new("C3"),
                airline: CarrierCode::new("B6"),
                rank: Rank::Cabin,
                base: code("JFK"),
                qualifications: vec![],
                home_zone: ny,
            },
        ],
        legs,
        pairings: vec![
            Pairing {
                id: PairingId(10),
                airline: CarrierCode::new("B6"),
                base: code("JFK"),
                duties: vec![
                    Duty {
                        report: t("2013-02-08T10:00Z"),
                        release: t("2013-02-08T14:45Z"),
                        segments: vec![
                            segment(1, SegmentKind::Operating),
                            segment(2, SegmentKind::Operating),
                        ],
                    },
                    Duty {
                        report: t("2013-02-09T10:00Z"),
                        release: t("2013-02-09T16:45Z"),
                        segments: vec![
                            segment(3, SegmentKind::Deadhead),
                            segment(5, SegmentKind::Operating),
                        ],
                    },
                ],
            },
            Pairing {
                id: PairingId(11),
                airline: CarrierCode::new("B6"),
                base: code("JFK"),
                duties: vec![Duty {
                    report: t("2013-02-08T10:15Z"),
                    release: t("2013-02-08T14:45Z"),
                    segments: vec![
                        segment(1, SegmentKind::Operating),
                        segment(2, SegmentKind::Deadhead),
                    ],
                }],
            },
        ],
        rosters: vec![
            RosterAssignment {
                crew: CrewId::new("C1"),
                pairing: PairingId(10),
            },
            RosterAssignment {
                crew: CrewId::new("C2"),
                pairing: PairingId(10),
            },
            RosterAssignment {
                crew: CrewId::new("C3"),
                pairing: PairingId(11),
            },
        ],
        weather: vec![
            WeatherObservation {
                temperature_f: Some(39.02),
                dewpoint_f: Some(26.06),
                humidity_pct: Some(59.37),
                wind_direction_deg: Some(270),
                wind_speed_mph: Some(10.35702),
                wind_gust_mph: Some(11.918651),
                precipitation_in: Some(0.0),
                pressure_mb: Some(1012.0),
                visibility_mi: Some(10.0),
                ..weather("JFK", "2013-02-08T11:00Z")
            },
            weather("JFK", "2013-02-08T12:00Z"),
            WeatherObservation {
                temperature_f: Some(-3.5),
                visibility_mi: Some(0.25),
                ..weather("BOS", "2013-02-08T11:00Z")
            },
        ],
    })
    .expect("the handcrafted schedule is consistent")
}

/// Every file of a data set folder, by name.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// Writes `schedule` to `dir`, loads it, writes that to a second folder: the schedules are equal and the
/// files byte for byte identical.
fn assert_round_trip(schedule: &Schedule, root: &Path) {
    let first = root.join("first");
    let second = root.join("second");
    write_dir(schedule, &first, "round trip", "a test").unwrap();
    let loaded = load_dir(&first).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.parts(), schedule.parts());
    write_dir(&loaded, &second, "round trip", "a test").unwrap();
    assert_eq!(files(&first), files(&second));
}

#[test]
fn handcrafted_schedule_loads_back_exactly_and_rewrites_the_same_bytes() {
    let root = tempfile::tempdir().unwrap();
    assert_round_trip(&handcrafted(), root.path());
}

#[test]
fn every_table_gets_a_file_with_a_header_and_the_manifest_counts_its_rows() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("set");
    write_dir(
        &handcrafted(),
        &dir,
        "handcrafted",
        "written by hand in a test",
    )
    .unwrap();
    let manifest = read_manifest(&dir).unwrap();
    assert_eq!(manifest.name, "handcrafted");
    assert_eq!(manifest.source, "written by hand in a test");
    assert_eq!(manifest.version, 1);
    let names: Vec<String> = files(&dir).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        [
            "aircraft.csv",
            "aircraft_types.csv",
            "airlines.csv",
            "airports.csv",
            "crew.csv",
            "duties.csv",
            "duty_legs.csv",
            "legs.csv",
            "manifest.json",
            "pairings.csv",
            "rosters.csv",
            "weather.csv",
        ]
    );
    let expected_rows = [
        (Table::Airlines, 2),
        (Table::Airports, 3),
        (Table::AircraftTypes, 2),
        (Table::Aircraft, 2),
        (Table::Crew, 3),
        (Table::Legs, 6),
        (Table::Pairings, 2),
        (Table::Duties, 3),
        (Table::DutyLegs, 6),
        (Table::Rosters, 3),
        (Table::Weather, 3),
    ];
    for (table, rows) in expected_rows {
        assert_eq!(manifest.rows(table), rows, "{table}");
        let text = fs::read_to_string(dir.join(&manifest.file(table).file)).unwrap();
        assert_eq!(
            text.lines().count() as u64,
            rows + 1,
            "{table}: header + rows"
        );
    }
}

#[test]
fn handcrafted_schedule_is_written_as_the_format_document_describes() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("set");
    write_dir(&handcrafted(), &dir, "handcrafted", "a test").unwrap();
    let read = |name: &str| fs::read_to_string(dir.join(name)).unwrap();
    assert_eq!(
        read("airlines.csv"),
        "code,name\nB6,JetBlue Airways\nUA,\"United Air Lines, Inc.\"\n"
    );
    assert_eq!(
        read("airports.csv"),
        "code,icao,name,latitude_deg,longitude_deg,time_zone\n\
         JFK,KJFK,John F Kennedy Intl,40.639751,-73.778925,America/New_York\n\
         BOS,,\"General Edward Lawrence \"\"Logan\"\" Intl\",42.364347,-71.005181,America/New_York\n\
         EWR,KEWR,Newark Liberty Intl,40.6925,-74.168667,America/New_York\n"
    );
    assert_eq!(
        read("crew.csv"),
        "id,airline,rank,base,qualifications,home_zone\n\
         C1,B6,captain,JFK,AIRBUS A320-232;EMBRAER ERJ 190-100 IGW,America/New_York\n\
         C2,B6,first_officer,JFK,AIRBUS A320-232,Europe/London\n\
         C3,B6,cabin,JFK,,America/New_York\n"
    );
    assert_eq!(
        read("legs.csv").lines().take(4).collect::<Vec<_>>(),
        [
            "id,carrier,flight_number,origin,destination,scheduled_out,scheduled_in,\
             estimated_out,estimated_takeoff,estimated_landing,estimated_in,\
             actual_out,actual_takeoff,actual_landing,actual_in,tail,status,source",
            "1,B6,101,JFK,BOS,2013-02-08T11:00Z,2013-02-08T12:15Z,\
             2013-02-08T11:05Z,2013-02-08T11:20Z,2013-02-08T12:10Z,2013-02-08T12:18Z,\
             2013-02-08T11:04Z,2013-02-08T11:19Z,2013-02-08T12:09Z,2013-02-08T12:16Z,N1,arrived,recorded",
            "2,B6,102,BOS,JFK,2013-02-08T13:00Z,2013-02-08T14:15Z,,,,,\
             2013-02-08T13:10Z,,,2013-02-08T14:30Z,N1,arrived,recorded",
            "3,B6,,JFK,BOS,2013-02-09T11:00Z,2013-02-09T12:15Z,,,,,,,,,,scheduled,inferred",
        ]
    );
    assert_eq!(
        read("duties.csv"),
        "pairing,duty,report,release\n\
         10,1,2013-02-08T10:00Z,2013-02-08T14:45Z\n\
         10,2,2013-02-09T10:00Z,2013-02-09T16:45Z\n\
         11,1,2013-02-08T10:15Z,2013-02-08T14:45Z\n"
    );
    assert_eq!(
        read("duty_legs.csv"),
        "pairing,duty,seq,leg,kind\n\
         10,1,1,1,operating\n\
         10,1,2,2,operating\n\
         10,2,1,3,deadhead\n\
         10,2,2,5,operating\n\
         11,1,1,1,operating\n\
         11,1,2,2,deadhead\n"
    );
    assert_eq!(read("rosters.csv"), "crew,pairing\nC1,10\nC2,10\nC3,11\n");
    assert_eq!(
        read("manifest.json"),
        r#"{
  "format": "ucodts-native",
  "version": 1,
  "name": "handcrafted",
  "source": "a test",
  "files": [
    {
      "table": "airlines",
      "file": "airlines.csv",
      "rows": 2
    },
    {
      "table": "airports",
      "file": "airports.csv",
      "rows": 3
    },
    {
      "table": "aircraft_types",
      "file": "aircraft_types.csv",
      "rows": 2
    },
    {
      "table": "aircraft",
      "file": "aircraft.csv",
      "rows": 2
    },
    {
      "table": "crew",
      "file": "crew.csv",
      "rows": 3
    },
    {
      "table": "legs",
      "file": "legs.csv",
      "rows": 6
    },
    {
      "table": "pairings",
      "file": "pairings.csv",
      "rows": 2
    },
    {
      "table": "duties",
      "file": "duties.csv",
      "rows": 3
    },
    {
      "table": "duty_legs",
      "file": "duty_legs.csv",
      "rows": 6
    },
    {
      "table": "rosters",
      "file": "rosters.csv",
      "rows": 3
    },
    {
      "table": "weather",
      "file": "weather.csv",
      "rows": 3
    }
  ]
}
"#
    );
    assert_eq!(
        read("weather.csv"),
        "airport,time,temperature_f,dewpoint_f,humidity_pct,wind_direction_deg,wind_speed_mph,\
         wind_gust_mph,precipitation_in,pressure_mb,visibility_mi\n\
         JFK,2013-02-08T11:00Z,39.02,26.06,59.37,270,10.35702,11.918651,0,1012,10\n\
         JFK,2013-02-08T12:00Z,,,,,,,,,\n\
         BOS,2013-02-08T11:00Z,-3.5,,,,,,,,0.25\n"
    );
}

// ---- Damaged data sets: one error, naming file, line, column and value ----

/// Writes the handcrafted schedule, lets `damage` change the folder, and returns the load error's text.
fn load_error_after(damage: impl FnOnce(&Path)) -> String {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("set");
    write_dir(&handcrafted(), &dir, "handcrafted", "a test").unwrap();
    damage(&dir);
    match load_dir(&dir) {
        Ok(_) => panic!("a damaged data set loaded"),
        Err(e) => e.to_string(),
    }
}

/// Changes one file's text.
fn edit(dir: &Path, file: &str, change: impl FnOnce(String) -> String) {
    let path = dir.join(file);
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, change(text)).unwrap();
}

/// Sets field `column` (1-based) of line `line` (1-based, the header is line 1) of an unquoted CSV text.
fn set_field(text: String, line: usize, column: usize, value: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let mut fields: Vec<&str> = lines[line - 1].split(',').collect();
    fields[column - 1] = value;
    lines[line - 1] = fields.join(",");
    lines.join("\n") + "\n"
}

fn assert_mentions(error: &str, parts: &[&str]) {
    for part in parts {
        assert!(error.contains(part), "`{part}` missing from: {error}");
    }
}

#[test]
fn truncated_legs_file_names_the_line_and_is_refused() {
    let e = load_error_after(|dir| {
        edit(dir, "legs.csv", |text| {
            let mut lines: Vec<&str> = text.lines().collect();
            lines.pop();
            lines.join("\n") + "\n"
        })
    });
    assert_mentions(&e, &["legs.csv:7:", "ends after 5 records", "promises 6"]);
}

#[test]
fn legs_line_cut_in_the_middle_names_the_first_missing_column() {
    let e = load_error_after(|dir| {
        edit(dir, "legs.csv", |text| {
            let last_line_start = text.trim_end().rfind('\n').unwrap() + 1;
            text[..last_line_start + 20].to_string()
        })
    });
    // Line 7 is "6,UA,1545,EWR,BOS,2013-...": cut after 20 bytes, six fields remain, the sixth cut short.
    assert_mentions(
        &e,
        &[
            "legs.csv:7:",
            "column 7 (`scheduled_in`)",
            "stops after field 6 (\"20\")",
            "cut short",
        ],
    );
}

#[test]
fn seats_that_are_not_a_number_are_refused_with_line_and_column() {
    let e = load_error_after(|dir| {
        edit(dir, "aircraft_types.csv", |text| {
            set_field(text, 3, 3, "abc")
        })
    });
    assert_mentions(
        &e,
        &[
            "aircraft_types.csv:3:",
            "column 3 (`seats`)",
            "\"abc\"",
            "whole number from 0 to 65535",
        ],
    );
}

#[test]
fn a_date_that_does_not_exist_is_refused() {
    let e = load_error_after(|dir| {
        edit(dir, "legs.csv", |text| {
            set_field(text, 2, 6, "2013-02-30T10:00Z")
        })
    });
    assert_mentions(
        &e,
        &[
            "legs.csv:2:",
            "column 6 (`scheduled_out`)",
            "\"2013-02-30T10:00Z\"",
            "YYYY-MM-DDTHH:MMZ",
        ],
    );
}

#[test]
fn an_unknown_airport_in_legs_is_traced_to_its_line_and_column() {
    let e = load_error_after(|dir| edit(dir, "legs.csv", |text| set_field(text, 3, 4, "XYZ")));
    assert_mentions(
        &e,
        &[
            "legs.csv:3:",
            "column 4 (`origin`)",
            "\"XYZ\"",
            "unknown airport",
        ],
    );
}

#[test]
fn a_flight_arriving_before_it_departs_is_refused() {
    let e = load_error_after(|dir| {
        edit(dir, "legs.csv", |text| {
            set_field(text, 5, 7, "2013-02-09T12:59Z")
        })
    });
    assert_mentions(
        &e,
        &[
            "legs.csv:5:",
            "column 7 (`scheduled_in`)",
            "\"2013-02-09T12:59Z\"",
            "arrives before it departs",
        ],
    );
}

#[test]
fn duplicate_leg_ids_name_both_lines() {
    let e = load_error_after(|dir| edit(dir, "legs.csv", |text| set_field(text, 7, 1, "1")));
    assert_mentions(
        &e,
        &[
            "legs.csv:7:",
            "column 1 (`id`)",
            "\"1\"",
            "duplicate id: line 2 has it already",
        ],
    );
}

#[test]
fn an_unknown_column_name_is_refused_with_its_position() {
    let e = load_error_after(|dir| {
        edit(dir, "aircraft_types.csv", |text| {
            text.replacen("seats", "seat_count", 1)
        })
    });
    assert_mentions(
        &e,
        &[
            "aircraft_types.csv:1:",
            "column 3",
            "\"seat_count\"",
            "code,family,seats,min_turn_min",
        ],
    );
}

#[test]
fn a_missing_column_is_refused() {
    let e =
        load_error_after(|dir| edit(dir, "legs.csv", |text| text.replacen(",source\n", "\n", 1)));
    assert_mentions(&e, &["legs.csv:1:", "missing column `source`"]);
}

#[test]
fn columns_in_another_order_load_the_same() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("set");
    write_dir(&handcrafted(), &dir, "handcrafted", "a test").unwrap();
    fs::write(
        dir.join("rosters.csv"),
        "pairing,crew\n10,C1\n10,C2\n11,C3\n",
    )
    .unwrap();
    assert_eq!(load_dir(&dir).unwrap().parts(), handcrafted().parts());
}

#[test]
fn a_folder_without_manifest_is_not_a_data_set() {
    let e = load_error_after(|dir| fs::remove_file(dir.join("manifest.json")).unwrap());
    assert_mentions(&e, &["manifest.json", "not a UCODTS native data set"]);
}

#[test]
fn a_missing_table_file_is_named() {
    let e = load_error_after(|dir| fs::remove_file(dir.join("weather.csv")).unwrap());
    assert_mentions(&e, &["weather.csv", "missing", "weather table"]);
}

#[test]
fn more_records_than_the_manifest_promises_are_refused() {
    let e = load_error_after(|dir| edit(dir, "rosters.csv", |text| text + "C3,10\n"));
    assert_mentions(&e, &["rosters.csv:5:", "one record more than the 3"]);
}

#[test]
fn duties_out_of_pairing_order_are_refused() {
    let e = load_error_after(|dir| {
        edit(dir, "duties.csv", |text| {
            let mut lines: Vec<&str> = text.lines().collect();
            let last = lines.pop().unwrap();
            lines.insert(1, last);
            lines.join("\n") + "\n"
        })
    });
    assert_mentions(
        &e,
        &[
            "duties.csv:3:",
            "column 1 (`pairing`)",
            "\"10\"",
            "pairing by pairing",
        ],
    );
}

#[test]
fn a_duty_released_before_its_report_is_traced_to_the_duties_file() {
    let e = load_error_after(|dir| {
        edit(dir, "duties.csv", |text| {
            set_field(text, 3, 4, "2013-02-09T09:00Z")
        })
    });
    assert_mentions(
        &e,
        &[
            "duties.csv:3:",
            "column 4 (`release`)",
            "\"2013-02-09T09:00Z\"",
            "release after the report",
        ],
    );
}

#[test]
fn a_duty_leg_naming_an_unknown_leg_is_traced_to_the_duty_legs_file() {
    let e = load_error_after(|dir| edit(dir, "duty_legs.csv", |text| set_field(text, 4, 4, "99")));
    assert_mentions(
        &e,
        &[
            "duty_legs.csv:4:",
            "column 4 (`leg`)",
            "\"99\"",
            "unknown leg",
        ],
    );
}

#[test]
fn errors_after_a_text_spanning_lines_still_name_the_right_line() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("set");
    let mut parts = handcrafted().into_parts();
    parts.airlines[0].name = "Jet\nBlue".into();
    parts.airlines.push(Airline {
        code: CarrierCode::new("ZZ"),
        name: "Zed".into(),
    });
    write_dir(&Schedule::new(parts).unwrap(), &dir, "x", "y").unwrap();
    // airlines.csv: header, "B6,"Jet" / "Blue"" on lines 2-3, UA on 4, ZZ on 5; make ZZ a second B6.
    edit(&dir, "airlines.csv", |text| {
        text.replace("ZZ,Zed", "B6,Zed")
    });
    let e = load_dir(&dir).unwrap_err().to_string();
    assert_mentions(
        &e,
        &[
            "airlines.csv:5:",
            "column 1 (`code`)",
            "duplicate id: line 2 has it already",
        ],
    );
}

// ---- Writing never clobbers ----

#[test]
fn writing_into_a_folder_that_is_not_a_data_set_is_refused() {
    let root = tempfile::tempdir().unwrap();
    fs::write(root.path().join("notes.txt"), "mine").unwrap();
    let e = write_dir(&handcrafted(), root.path(), "x", "y")
        .unwrap_err()
        .to_string();
    assert_mentions(&e, &["refusing to replace it"]);
    assert_eq!(files(root.path()), [("notes.txt".into(), b"mine".to_vec())]);
}

#[test]
fn a_value_the_format_cannot_hold_is_refused_and_the_previous_data_set_is_kept() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("set");
    write_dir(&handcrafted(), &dir, "first", "a test").unwrap();
    let before = files(&dir);
    // Schedule::new keeps every value in its domain (a NaN latitude is refused there); what remains for
    // the writer to refuse is text the format cannot hold, such as a `;` inside a qualification.
    let mut parts = handcrafted().into_parts();
    parts.airports[2].latitude_deg = f64::NAN;
    let e = Schedule::new(parts).unwrap_err().to_string();
    assert_mentions(&e, &["latitude_deg", "NaN", "expected -90 to 90"]);
    let mut parts = handcrafted().into_parts();
    let (old, odd) = (
        TypeCode::new("AIRBUS A320-232"),
        TypeCode::new("AIRBUS A320;232"),
    );
    for t in &mut parts.aircraft_types {
        if t.code == old {
            t.code = odd.clone();
        }
    }
    for a in &mut parts.aircraft {
        if a.type_code == old {
            a.type_code = odd.clone();
        }
    }
    for c in &mut parts.crew {
        for q in &mut c.qualifications {
            if *q == old {
                *q = odd.clone();
            }
        }
    }
    let broken = Schedule::new(parts).unwrap();
    let e = write_dir(&broken, &dir, "second", "a test")
        .unwrap_err()
        .to_string();
    assert_mentions(&e, &["crew.csv:", "qualifications", "free of `;`"]);
    assert_eq!(files(&dir), before);
    assert_eq!(
        fs::read_dir(root.path()).unwrap().count(),
        1,
        "no leftovers"
    );
}

#[test]
fn an_empty_optional_text_is_refused_rather_than_read_back_as_missing() {
    let root = tempfile::tempdir().unwrap();
    let mut parts = handcrafted().into_parts();
    parts.airports[0].icao = Some(String::new());
    let e = write_dir(
        &Schedule::new(parts).unwrap(),
        &root.path().join("s"),
        "x",
        "y",
    )
    .unwrap_err()
    .to_string();
    assert_mentions(&e, &["airports.csv:2:", "column 2 (`icao`)"]);
}

#[test]
fn rewriting_a_data_set_replaces_it_whole() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("set");
    write_dir(&handcrafted(), &dir, "first", "a test").unwrap();
    let empty = Schedule::new(ScheduleParts::default()).unwrap();
    write_dir(&empty, &dir, "second", "a test").unwrap();
    assert_eq!(read_manifest(&dir).unwrap().name, "second");
    assert_eq!(load_dir(&dir).unwrap().parts(), empty.parts());
}

// ---- Random valid schedules round-trip ----

const ZONES: [&str; 5] = [
    "America/New_York",
    "Europe/London",
    "Asia/Tokyo",
    "UTC",
    "America/Los_Angeles",
];

/// Text with the characters CSV must quote, plus anything else.
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => any::<char>(),
            2 => prop::sample::select(vec![',', '"', '\n', '\r', ';', ' ', 'é', 'a']),
        ],
        0..6,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

/// Unique by construction: the index up to the first `|`.
fn unique(i: usize, text: &str) -> String {
    format!("{i}|{text}")
}

fn finite() -> impl Strategy<Value = f64> {
    use prop::num::f64::*;
    POSITIVE | NEGATIVE | NORMAL | SUBNORMAL | ZERO
}

/// Any minute a schedule may hold, often near 2013.
fn minute() -> impl Strategy<Value = i64> {
    // Schedule::new's range of instants (1900-2199), with room for the days of actual and estimated times
    // generated around a departure.
    let first = UtcMinute::parse("1900-01-04T00:00Z").unwrap().0;
    let last = UtcMinute::parse("2199-12-01T00:00Z").unwrap().0;
    let near = UtcMinute::parse("2013-01-01T00:00Z").unwrap().0;
    prop_oneof![first..last, near..near + 366 * 1440]
}

#[derive(Clone, Debug)]
struct RawLeg {
    carrier: usize,
    flight: Option<u32>,
    origin: usize,
    destination_offset: usize,
    out: i64,
    block: i64,
    estimated: [Option<u16>; 4],
    actual: [Option<u16>; 4],
    tail: Option<usize>,
    status: usize,
    inferred: bool,
}

fn raw_leg() -> impl Strategy<Value = RawLeg> {
    (
        (
            any::<usize>(),
            any::<Option<u32>>(),
            any::<usize>(),
            1usize..5,
        ),
        (minute(), 1i64..900),
        (any::<[Option<u16>; 4]>(), any::<[Option<u16>; 4]>()),
        (any::<Option<usize>>(), any::<usize>(), any::<bool>()),
    )
        .prop_map(
            |(
                (carrier, flight, origin, destination_offset),
                (out, block),
                (estimated, actual),
                (tail, status, inferred),
            )| RawLeg {
                carrier,
                flight,
                origin,
                destination_offset,
                out,
                block,
                estimated,
                actual,
                tail,
                status,
                inferred,
            },
        )
}

#[derive(Clone, Debug)]
struct RawTrip {
    airline: usize,
    base: usize,
    other_offset: usize,
    two_duties: bool,
    deadhead: [bool; 2],
    block: i64,
    crew: Vec<bool>,
}

fn raw_trip() -> impl Strategy<Value = RawTrip> {
    (
        any::<usize>(),
        any::<usize>(),
        1usize..5,
        any::<bool>(),
        any::<[bool; 2]>(),
        30i64..400,
        prop::collection::vec(any::<bool>(), 0..5),
    )
        .prop_map(
            |(airline, base, other_offset, two_duties, deadhead, block, crew)| RawTrip {
                airline,
                base,
                other_offset,
                two_duties,
                deadhead,
                block,
                crew,
            },
        )
}

type RawWeather = (usize, [Option<f64>; 8], Option<u16>);

#[derive(Clone, Debug)]
struct RawSchedule {
    airports: Vec<(String, Option<String>, f64, f64, usize)>,
    airlines: Vec<(String, String)>,
    types: Vec<(String, String, u16, i64)>,
    aircraft: Vec<(String, usize, usize, usize, Option<i64>)>,
    crew: Vec<(String, usize, usize, usize, Vec<bool>, usize)>,
    legs: Vec<RawLeg>,
    trips: Vec<RawTrip>,
    weather: Vec<RawWeather>,
    first_leg_id: u32,
    first_pairing_id: u32,
    first_weather_minute: i64,
}

fn raw_schedule() -> impl Strategy<Value = RawSchedule> {
    let opt_text = prop::option::of(text());
    let airport = (text(), opt_text, finite(), finite(), 0..ZONES.len());
    let weather = (
        any::<usize>(),
        prop::array::uniform8(prop::option::of(finite())),
        any::<Option<u16>>(),
    );
    (
        (
            prop::collection::vec(airport, 2..5),
            prop::collection::vec((text(), text()), 1..3),
            prop::collection::vec((text(), text(), any::<u16>(), 0i64..300), 1..3),
        ),
        (
            prop::collection::vec(
                (
                    text(),
                    any::<usize>(),
                    any::<usize>(),
                    any::<usize>(),
                    prop::option::of(minute()),
                ),
                0..4,
            ),
            prop::collection::vec(
                (
                    text(),
                    any::<usize>(),
                    0..Rank::ALL.len(),
                    any::<usize>(),
                    prop::collection::vec(any::<bool>(), 0..3),
                    0..ZONES.len(),
                ),
                0..5,
            ),
        ),
        (
            prop::collection::vec(raw_leg(), 0..8),
            prop::collection::vec(raw_trip(), 0..4),
            prop::collection::vec(weather, 0..5),
        ),
        (0..u32::MAX - 100, 0..u32::MAX - 10, minute()),
    )
        .prop_map(
            |(
                (airports, airlines, types),
                (aircraft, crew),
                (legs, trips, weather),
                (first_leg_id, first_pairing_id, first_weather_minute),
            )| RawSchedule {
                airports,
                airlines,
                types,
                aircraft,
                crew,
                legs,
                trips,
                weather,
                first_leg_id,
                first_pairing_id,
                first_weather_minute,
            },
        )
}

/// Four times after `start`, each present one at least a minute after the one before.
/// `v` if it lies in `lo..=hi`, else folded into it (any float the generator drew, kept in the domain
/// Schedule::new checks; the round trip stays exact for whatever value comes out).
fn into(v: f64, lo: f64, hi: f64) -> f64 {
    if (lo..=hi).contains(&v) {
        v
    } else {
        lo + v.abs() % (hi - lo)
    }
}

fn chain(start: UtcMinute, steps: [Option<u16>; 4]) -> OutOffOnIn {
    let mut at = start;
    let [gate_out, takeoff, landing, gate_in] = steps.map(|step| {
        step.map(|d| {
            // At most 4000 minutes in all: within the 72 hours around the departure Schedule::new allows.
            at = at + Minutes(i64::from(d % 1000) + 1);
            at
        })
    });
    OutOffOnIn {
        gate_out,
        takeoff,
        landing,
        gate_in,
    }
}

/// Turns raw random values into a schedule `Schedule::new` accepts: references taken modulo the table
/// they point into, times put in order, trips built as out-and-back pairings far apart in time.
fn build(raw: RawSchedule) -> Schedule {
    let airport_code = |i: usize| {
        let i = i % raw.airports.len();
        code(&format!("A{i:02}"))
    };
    let airline_code = |i: usize| {
        CarrierCode(unique(
            i % raw.airlines.len(),
            &raw.airlines[i % raw.airlines.len()].0,
        ))
    };
    let type_code = |i: usize| {
        let i = i % raw.types.len();
        TypeCode(unique(i, &raw.types[i].0.replace(';', "")))
    };
    let tail_id = |i: usize| TailId(unique(i, &raw.aircraft[i].0));
    let airports = raw
        .airports
        .iter()
        .enumerate()
        .map(|(i, (name, icao, lat, lon, z))| Airport {
            code: airport_code(i),
            icao: icao.clone().filter(|s| !s.is_empty()),
            name: name.clone(),
            latitude_deg: into(*lat, -90.0, 90.0),
            longitude_deg: into(*lon, -180.0, 180.0),
            time_zone: zone(ZONES[*z]),
        })
        .collect();
    let airlines = raw
        .airlines
        .iter()
        .enumerate()
        .map(|(i, (_, name))| Airline {
            code: airline_code(i),
            name: name.clone(),
        })
        .collect();
    let aircraft_types = raw
        .types
        .iter()
        .enumerate()
        .map(|(i, (_, family, seats, turn))| AircraftType {
            code: type_code(i),
            family: family.clone(),
            seats: *seats,
            min_turn: Minutes(*turn),
        })
        .collect();
    let aircraft = raw
        .aircraft
        .iter()
        .enumerate()
        .map(|(i, (_, ty, airline, base, due))| Aircraft {
            tail: tail_id(i),
            type_code: type_code(*ty),
            carrier: airline_code(*airline),
            base: airport_code(*base),
            maintenance_due: due.map(UtcMinute),
        })
        .collect();
    let crew: Vec<CrewMember> = raw
        .crew
        .iter()
        .enumerate()
        .map(|(i, (id, airline, rank, base, quals, z))| CrewMember {
            id: CrewId(unique(i, id)),
            airline: airline_code(*airline),
            rank: Rank::ALL[*rank],
            base: airport_code(*base),
            qualifications: quals
                .iter()
                .enumerate()
                .filter(|(_, q)| **q)
                .map(|(k, _)| type_code(k))
                .collect(),
            home_zone: zone(ZONES[*z]),
        })
        .collect();

    let mut legs = Vec::new();
    let mut next_leg_id = raw.first_leg_id;
    for r in &raw.legs {
        let scheduled_out = UtcMinute(r.out);
        let mut actual = chain(scheduled_out - Minutes(30), r.actual);
        let status = LegStatus::ALL[r.status % LegStatus::ALL.len()];
        let present = [
            actual.gate_out,
            actual.takeoff,
            actual.landing,
            actual.gate_in,
        ];
        match status {
            LegStatus::Cancelled => actual.gate_out = None,
            LegStatus::Arrived if actual.gate_in.is_none() => {
                let last = present.iter().flatten().max().copied();
                actual.gate_in = Some(last.unwrap_or(scheduled_out) + Minutes(1));
            }
            LegStatus::Departed | LegStatus::Diverted if actual.gate_out.is_none() => {
                let first = present.iter().flatten().min().copied();
                actual.gate_out = Some(first.unwrap_or(scheduled_out) - Minutes(1));
            }
            _ => {}
        }
        let origin = r.origin % raw.airports.len();
        legs.push(Leg {
            id: LegId(next_leg_id),
            carrier: airline_code(r.carrier),
            flight_number: r.flight,
            origin: airport_code(origin),
            destination: airport_code(origin + 1 + r.destination_offset % (raw.airports.len() - 1)),
            scheduled_out,
            scheduled_in: scheduled_out + Minutes(r.block),
            estimated: chain(scheduled_out - Minutes(10), r.estimated),
            actual,
            tail: r
                .tail
                .filter(|_| !raw.aircraft.is_empty())
                .map(|i| tail_id(i % raw.aircraft.len())),
            status,
            source: if r.inferred {
                LegSource::Inferred
            } else {
                LegSource::Recorded
            },
        });
        next_leg_id += 1;
    }

    let trips_start = UtcMinute::parse("2013-01-01T00:00Z").unwrap();
    let mut pairings = Vec::new();
    let mut rosters = Vec::new();
    for (k, trip) in raw.trips.iter().enumerate() {
        let base = trip.base % raw.airports.len();
        let other = base + 1 + trip.other_offset % (raw.airports.len() - 1);
        let out = trips_start + Minutes(k as i64 * 3 * 1440 + 60);
        let back_out = out + Minutes(trip.block + 60);
        let airline = airline_code(trip.airline);
        let mut trip_leg = |from: usize, to: usize, at: UtcMinute| {
            legs.push(Leg {
                id: LegId(next_leg_id),
                carrier: airline.clone(),
                flight_number: Some(k as u32),
                origin: airport_code(from),
                destination: airport_code(to),
                scheduled_out: at,
                scheduled_in: at + Minutes(trip.block),
                estimated: OutOffOnIn::default(),
                actual: OutOffOnIn::default(),
                tail: None,
                status: LegStatus::Scheduled,
                source: LegSource::Recorded,
            });
            next_leg_id += 1;
            LegId(next_leg_id - 1)
        };
        let there = trip_leg(base, other, out);
        let back = trip_leg(other, base, back_out);
        let kind = |deadhead: bool| {
            if deadhead {
                SegmentKind::Deadhead
            } else {
                SegmentKind::Operating
            }
        };
        let there = Segment {
            leg: there,
            kind: kind(trip.deadhead[0]),
        };
        let back = Segment {
            leg: back,
            kind: kind(trip.deadhead[1]),
        };
        let back_in = back_out + Minutes(trip.block);
        let duties = if trip.two_duties {
            vec![
                Duty {
                    report: out - Minutes(60),
                    release: out + Minutes(trip.block + 15),
                    segments: vec![there],
                },
                Duty {
                    report: back_out - Minutes(45),
                    release: back_in + Minutes(15),
                    segments: vec![back],
                },
            ]
        } else {
            vec![Duty {
                report: out - Minutes(60),
                release: back_in + Minutes(30),
                segments: vec![there, back],
            }]
        };
        let id = PairingId(raw.first_pairing_id + k as u32);
        for (c, member) in crew.iter().enumerate() {
            if trip.crew.get(c).copied().unwrap_or(false) && member.airline == airline {
                rosters.push(RosterAssignment {
                    crew: member.id.clone(),
                    pairing: id,
                });
            }
        }
        pairings.push(Pairing {
            id,
            airline,
            base: airport_code(base),
            duties,
        });
    }

    let weather = raw
        .weather
        .iter()
        .enumerate()
        .map(|(i, (airport, values, direction))| WeatherObservation {
            airport: airport_code(*airport),
            time: UtcMinute(raw.first_weather_minute + i as i64),
            temperature_f: values[0].map(|v| into(v, -130.0, 140.0)),
            dewpoint_f: values[1].map(|v| into(v, -130.0, 140.0)),
            humidity_pct: values[2].map(|v| into(v, 0.0, 100.0)),
            wind_direction_deg: direction.map(|d| d % 361),
            wind_speed_mph: values[3].map(|v| into(v, 0.0, 260.0)),
            wind_gust_mph: values[4].map(|v| into(v, 0.0, 260.0)),
            precipitation_in: values[5].map(|v| into(v, 0.0, 15.0)),
            pressure_mb: values[6].map(|v| into(v, 850.0, 1100.0)),
            visibility_mi: values[7].map(|v| into(v, 0.0, 100.0)),
        })
        .collect();

    Schedule::new(ScheduleParts {
        airlines,
        airports,
        aircraft_types,
        aircraft,
        crew,
        legs,
        pairings,
        rosters,
        weather,
    })
    .unwrap_or_else(|e| panic!("the generator builds consistent schedules: {e}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_schedules_load_back_exactly_and_rewrite_the_same_bytes(raw in raw_schedule()) {
        let schedule = build(raw);
        let root = tempfile::tempdir().unwrap();
        assert_round_trip(&schedule, root.path());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Any damage to any file gives an error or a schedule, never a panic; a schedule that still loads
    /// round-trips like any other.
    #[test]
    fn damaged_data_sets_never_panic(
        file in 0usize..12,
        at in any::<prop::sample::Index>(),
        bytes in prop::collection::vec(any::<u8>(), 1..8),
    ) {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("set");
        write_dir(&handcrafted(), &dir, "handcrafted", "a test").unwrap();
        let (name, mut content) = files(&dir).swap_remove(file);
        let at = at.index(content.len());
        let end = (at + bytes.len()).min(content.len());
        content.splice(at..end, bytes);
        fs::write(dir.join(&name), &content).unwrap();
        if let Ok(schedule) = load_dir(&dir) {
            assert_round_trip(&schedule, &root.path().join("again"));
        }
    }
}

/// A reader racing a writer that replaces the data set again and again gets one whole generation each time,
/// never the tables of two (the generations differ in the legs' row count, so a manifest of one with the
/// legs of the other would be refused as "cut short" or "one record more") and never a spurious error.
#[test]
fn a_reader_racing_a_writer_gets_one_whole_generation_each_time() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("set");
    let small = handcrafted();
    let mut parts = small.parts().clone();
    let extra: Vec<Leg> = parts
        .legs
        .iter()
        .map(|l| Leg {
            id: LegId(l.id.0 + 10_000),
            flight_number: None,
            tail: None,
            ..l.clone()
        })
        .collect();
    parts.legs.extend(extra);
    let large = Schedule::new(parts).unwrap();
    write_dir(&small, &dir, "race", "a test").unwrap();

    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|s| {
        s.spawn(|| {
            for i in 0..200 {
                let next = if i % 2 == 0 { &large } else { &small };
                write_dir(next, &dir, "race", "a test").unwrap();
            }
            stop.store(true, std::sync::atomic::Ordering::SeqCst);
        });
        let mut reads = 0;
        while !stop.load(std::sync::atomic::Ordering::SeqCst) || reads < 10 {
            let loaded = load_dir(&dir).unwrap_or_else(|e| panic!("read {reads}: {e}"));
            assert!(
                loaded.parts() == small.parts() || loaded.parts() == large.parts(),
                "read {reads} mixed two generations"
            );
            reads += 1;
        }
    });
}
