//! The UCODTS domain model: airports, airlines, aircraft types and tails, crew members, legs, pairings,
//! rosters, weather, and the `Schedule` that holds them as one consistent, indexed whole. Time is integer
//! minutes in UTC ([`UtcMinute`]), turned into local time only through an IANA zone. This crate does no I/O;
//! `ucodts-datasets` reads and writes it.
//!
//! ```
//! use ucodts_model::*;
//!
//! let ny = TimeZone::from_iana("America/New_York").unwrap();
//! let airport = |code: &str, name: &str| Airport {
//!     code: AirportCode::new(code).unwrap(),
//!     icao: None,
//!     name: name.into(),
//!     latitude_deg: 40.7,
//!     longitude_deg: -74.0,
//!     time_zone: ny,
//! };
//! let out = ny.to_utc(Date::new(2013, 2, 8).unwrap(), 6 * 60).earliest();
//! let leg = Leg {
//!     id: LegId(1),
//!     carrier: CarrierCode::new("B6"),
//!     flight_number: Some(1),
//!     origin: AirportCode::new("JFK").unwrap(),
//!     destination: AirportCode::new("BOS").unwrap(),
//!     scheduled_out: out,
//!     scheduled_in: out + Minutes(75),
//!     estimated: OutOffOnIn::default(),
//!     actual: OutOffOnIn::default(),
//!     tail: None,
//!     status: LegStatus::Scheduled,
//!     source: LegSource::Recorded,
//! };
//! let schedule = Schedule::new(ScheduleParts {
//!     airlines: vec![Airline { code: CarrierCode::new("B6"), name: "JetBlue Airways".into() }],
//!     airports: vec![airport("JFK", "John F Kennedy Intl"), airport("BOS", "Logan Intl")],
//!     legs: vec![leg],
//!     ..ScheduleParts::default()
//! })
//! .unwrap();
//! let first = schedule.departures(AirportCode::new("JFK").unwrap()).next().unwrap();
//! assert_eq!(first.scheduled_out.to_string(), "2013-02-08T11:00Z");
//! ```

pub mod airport;
pub mod crew;
pub mod disruption;
pub mod fatigue;
pub mod fleet;
pub mod ids;
pub mod leg;
pub mod legality;
pub mod maintenance;
pub mod pairing;
pub mod practice;
pub mod recovery;
pub mod rules;
pub mod schedule;
pub mod tianchi2017;
pub mod time;
pub mod weather;

pub use airport::{Airline, Airport};
pub use crew::{CrewMember, Rank};
pub use disruption::{
    AircraftOnGround, AirportCapacity, AirportClosure, BlockTimeInflation, CrewSickCall, Curfew,
    Disruption, GroundDelayProgramme, Route, RouteDelay, Routes, WeatherReplay,
};
pub use fleet::{Aircraft, AircraftType};
pub use ids::{AirportCode, CarrierCode, CrewId, LegId, PairingId, TailId, TypeCode};
pub use leg::{Leg, LegSource, LegStatus, OutOffOnIn, ON_TIME_THRESHOLD};
pub use pairing::{Duty, Pairing, RosterAssignment, Segment, SegmentKind};
pub use practice::ReserveSupply;
pub use schedule::{ModelError, Schedule, ScheduleParts, Table};
pub use time::{Date, LocalTime, LocalToUtc, Minutes, TimeZone, UtcMinute};
pub use weather::WeatherObservation;
