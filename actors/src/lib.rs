//! The airline on the simulation kernel: every aircraft, crew member and airport of a schedule as an actor,
//! operations control deciding crew shortages, delay models fitted to recorded data, KPIs over Monte Carlo
//! runs, and validation of the twin against what was recorded.
//!
//! Three steps, as with the kernel:
//!
//! 1. **build a [`World`]** from a `Schedule` for a [`Window`] of operating days, with any
//!    [`RecoveryAction`]s in force (the hook through which a recovery plan reaches the twin);
//! 2. **make a [`Twin`]** of it with a [`DelayModel`] — fitted with [`fit`] on the recorded legs of a data
//!    set, read from a parameter file, the embedded default's, or [`DelayModel::none`] for no randomness;
//! 3. **run** one replication ([`Twin::replicate`]) and read what happened to each leg, or many
//!    ([`Twin::monte_carlo`]) and read [`Kpis`] with 95% confidence intervals; [`validate()`] compares
//!    simulated with recorded days.
//!
//! A run is a pure function of (world, model, policy, seed). Every random number comes from a stream per
//! (replication, entity, purpose) — a leg's own departure delay and its block time from streams of that
//! leg, turn times from a stream of the tail — so two worlds that differ in one flight draw the same numbers
//! everywhere else (common random numbers).
//!
//! A tail flying out and back, with the first leg held 90 minutes by a recovery action and no randomness:
//!
//! ```
//! use ucodts_actors::{DelayModel, RecoveryAction, Twin, Window, World, WorldOptions};
//! use ucodts_model::*;
//! use ucodts_sim::RngStreams;
//!
//! let ny = TimeZone::from_iana("America/New_York").unwrap();
//! let code = |c: &str| AirportCode::new(c).unwrap();
//! let airport = |c: &str| Airport {
//!     code: code(c), icao: None, name: c.into(), latitude_deg: 40.7, longitude_deg: -74.0, time_zone: ny,
//! };
//! let day = Date::new(2013, 7, 2).unwrap();
//! let at = |hour: i64| ny.to_utc(day, hour * 60).earliest();
//! let leg = |id: u32, from: &str, to: &str, out: UtcMinute| Leg {
//!     id: LegId(id), carrier: CarrierCode::new("B6"), flight_number: Some(id), origin: code(from),
//!     destination: code(to), scheduled_out: out, scheduled_in: out + Minutes(75),
//!     estimated: OutOffOnIn::default(), actual: OutOffOnIn::default(), tail: Some(TailId::new("N1")),
//!     status: LegStatus::Scheduled, source: LegSource::Recorded,
//! };
//! let schedule = Schedule::new(ScheduleParts {
//!     airlines: vec![Airline { code: CarrierCode::new("B6"), name: "JetBlue".into() }],
//!     airports: vec![airport("JFK"), airport("BOS")],
//!     aircraft_types: vec![AircraftType {
//!         code: TypeCode::new("A320"), family: "A320".into(), seats: 150, min_turn: Minutes(40),
//!     }],
//!     aircraft: vec![Aircraft {
//!         tail: TailId::new("N1"), type_code: TypeCode::new("A320"), carrier: CarrierCode::new("B6"),
//!         base: code("JFK"), maintenance_due: None,
//!     }],
//!     // Out at 08:00, back at 11:00: 105 minutes on the ground in Boston for a 40-minute minimum turn.
//!     legs: vec![leg(1, "JFK", "BOS", at(8)), leg(2, "BOS", "JFK", at(11))],
//!     ..ScheduleParts::default()
//! })?;
//!
//! let hold = RecoveryAction::Retime { leg: LegId(1), earliest_out: at(8) + Minutes(90) };
//! let world = World::new(&schedule, Window::day(day), &[hold], WorldOptions::default())?;
//! let twin = Twin::new(&world, &DelayModel::none());
//! let outcome = twin.replicate(RngStreams::new(1).replication(0))?;
//!
//! let delays: Vec<_> = world.legs().iter().zip(&outcome.legs)
//!     .map(|(l, r)| r.arrival_delay_min(l.scheduled_in).unwrap())
//!     .collect();
//! assert_eq!(delays, [90.0, 25.0]); // the 65 spare minutes of the turn absorb the rest
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod aircraft;
mod airport;
pub mod as_flown;
pub mod breakdown;
mod crew;
pub mod delay_model;
pub mod disruption;
mod error;
pub mod kpi;
pub mod legality;
mod messages;
pub mod ops_control;
pub mod replication;
mod twin;
pub mod validation;
pub mod world;

pub use as_flown::{AsFlown, FlownLeg, FlownTimes};
pub use delay_model::fit::{fit, fit_conditions, fit_excluding};
pub use delay_model::{DataSetIdentity, DelayModel};
pub use error::ActorsError;
pub use kpi::{KpiReport, Kpis, KPI_NAMES};
pub use ops_control::{CrewShortage, Decision, DefaultPolicy, OpsPolicy, ReserveDesk};
pub use replication::{CancelReason, LegResult, ReplicationOutcome};
pub use twin::Twin;
pub use validation::{
    validate, validate_shard, validation_report, ValidationBasis, ValidationCounts,
    ValidationReport, ValidationShard, VALIDATION_METRICS,
};
pub use world::{AirportCapacity, RecoveryAction, Window, World, WorldOptions};
