//! Aircraft and passenger recovery after a disruption (the ROADEF/EURO 2009 problem, in the airline's words).
//!
//! - [`problem`]: what the airline has when the recovery window opens — airports with hourly capacities,
//!   routes, the planned flights and rotations, the fleet with maintenance and breakdowns, the booked
//!   itineraries, end-of-window position requirements and the cost tables ([`RecoveryProblem`]).
//! - [`plan`]: what a solver proposes — every aircraft's legs, cancellations, new flights and where the
//!   passengers go ([`RecoveryPlan`]), and the actions a controller reads.
//! - [`check`]: every feasibility rule, each broken one a [`Violation`] with the official wording.
//! - [`cost`]: every cost term ([`CostBreakdown`]), exact in cents, official checker behaviours by default.
//! - [`evaluate`]: both at once ([`Evaluation`]); the optimizer, the benchmark and the file checker use it.
//!
//! Optimizers depend on these types only; reading and writing the challenge's files is `ucodts-datasets`'s job.

pub mod apply;
pub mod check;
pub mod cost;
pub mod crew;
pub mod evaluation;
pub mod plan;
pub mod problem;
pub mod protocol;

pub use check::{check, ReportDate, Violation};
pub use cost::{
    cost, earliest_departures, end_positions, knock_on_delays, skips_a_booked_stop, CostBreakdown,
    CostRules,
};
pub use evaluation::{evaluate, evaluate_with, Evaluation};

pub use plan::{
    NewFlight, NewFlightIdx, OperatedLeg, PassengerLeg, PassengerLine, PlanFlight, RecoveryAction,
    RecoveryPlan,
};
pub use problem::{
    AircraftIdx, AirportIdx, BookedLeg, Cabin, CapacityCut, Cents, CostConfig, CrewConnection,
    FamilyIdx, Flight, FlightDisruption, FlightIdx, HourlyCapacity, Itinerary, ItineraryIdx,
    MaintenanceSlot, ModelIdx, PositionRequirement, RecoveryAircraft, RecoveryAirport,
    RecoveryProblem, RecoveryProblemError, RecoveryProblemParts, Route, RouteClass, RouteTable,
    SeatConfiguration, TripDirection, Unavailability, GROUND_TRANSPORT_FAMILY, MINIMUM_CONNECTION,
};
