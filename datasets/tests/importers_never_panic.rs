//! Importers meet arbitrary damage to their input with an error or a schedule, never a panic.

use std::path::Path;

use proptest::prelude::*;
use ucodts_datasets::airportsdata::AirportsTable;
use ucodts_datasets::nycflights13::{self, Source, Sources};
use ucodts_datasets::DatasetError;
use ucodts_model::AirportCode;

const FLIGHTS: &str = include_str!("../default/flights.csv");
const PLANES: &str = include_str!("../default/planes.csv");
const AIRLINES: &str = include_str!("../default/airlines.csv");
const WEATHER: &str = include_str!("../default/weather.csv");
const AIRPORTS: &str = include_str!("../default/airports.csv");

/// The header and the first `n` rows of a table.
fn head(text: &str, n: usize) -> String {
    text.lines().take(n + 1).collect::<Vec<_>>().join("\n") + "\n"
}

fn damage(text: &str, at: usize, bytes: &[u8]) -> Vec<u8> {
    let mut out = text.as_bytes().to_vec();
    let at = at % out.len();
    out.splice(at..(at + bytes.len()).min(out.len()), bytes.iter().copied());
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn damaged_nycflights13_flights_never_panic(at in 0usize..40_000, bytes in proptest::collection::vec(any::<u8>(), 1..8)) {
        let airports = AirportsTable::embedded();
        let flights = damage(&head(FLIGHTS, 300), at, &bytes);
        let weather = head(WEATHER, 50);
        let sources = Sources {
            flights: Source::new(flights.as_slice(), "flights.csv"),
            planes: Source::new(PLANES.as_bytes(), "planes.csv"),
            airlines: Source::new(AIRLINES.as_bytes(), "airlines.csv"),
            airports: Source::new(AIRPORTS.as_bytes(), "airports.csv"),
            weather: Source::new(weather.as_bytes(), "weather.csv"),
        };
        match nycflights13::import(sources, &airports, "fuzz", &mut |_, _| {}) {
            Ok(imported) => prop_assert!(imported.schedule.legs().len() <= 600),
            Err(e) => prop_assert!(e.to_string().contains("flights.csv"), "{}", e),
        }
    }

    #[test]
    fn damaged_weather_never_panics(at in 0usize..8_000, bytes in proptest::collection::vec(any::<u8>(), 1..8)) {
        let airports = AirportsTable::embedded();
        let weather = damage(&head(WEATHER, 80), at, &bytes);
        let flights = head(FLIGHTS, 20);
        let sources = Sources {
            flights: Source::new(flights.as_bytes(), "flights.csv"),
            planes: Source::new(PLANES.as_bytes(), "planes.csv"),
            airlines: Source::new(AIRLINES.as_bytes(), "airlines.csv"),
            airports: Source::new(AIRPORTS.as_bytes(), "airports.csv"),
            weather: Source::new(weather.as_slice(), "weather.csv"),
        };
        if let Err(e) = nycflights13::import(sources, &airports, "fuzz", &mut |_, _| {}) {
            prop_assert!(e.to_string().contains("weather.csv"), "{}", e);
        }
    }

    /// A damaged airports file is refused with an error that names the file and, past the header, the
    /// damaged line or a later one (never an earlier, intact line); or, where the damage still reads, the
    /// airports of the intact lines before it come out exactly as from the undamaged file.
    #[test]
    fn damaged_airportsdata_is_refused_at_the_damage_or_keeps_the_airports_before_it(
        at in 0usize..20_000,
        bytes in proptest::collection::vec(any::<u8>(), 1..8),
    ) {
        let text = head(ucodts_datasets::airportsdata::EMBEDDED_CSV, 200);
        let at = at % text.len();
        // Lines count from 1; the damage starts on this one.
        let damaged_line = 1 + text.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() as u64;
        let read = AirportsTable::read(damage(&text, at, &bytes).as_slice(), Path::new("airports.csv"));
        match read {
            Err(e) => {
                let message = e.to_string();
                prop_assert!(message.starts_with("airports.csv"), "{}", message);
                if damaged_line > 1 {
                    match e {
                        DatasetError::Field { line, .. } | DatasetError::Record { line, .. } => {
                            prop_assert!(line >= damaged_line, "line {} damaged: {}", damaged_line, message)
                        }
                        _ => prop_assert!(false, "line {} damaged, no line named: {}", damaged_line, message),
                    }
                }
            }
            Ok(damaged) => {
                let intact = head(&text, damaged_line.saturating_sub(2) as usize);
                let undamaged =
                    AirportsTable::read(text.as_bytes(), Path::new("airports.csv")).unwrap();
                let mut rows = csv::Reader::from_reader(intact.as_bytes());
                for row in rows.records() {
                    let row = row.unwrap();
                    let Some(code) = AirportCode::new(&row[1]) else { continue };
                    prop_assert_eq!(damaged.get(code), undamaged.get(code), "{}", code);
                }
            }
        }
    }
}
