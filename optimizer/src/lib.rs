//! Recovery after a disruption: given what the airline has when the recovery window opens (a
//! [`RecoveryProblem`]: planned flights and rotations, the disruption, the fleet, the passengers, the costs),
//! propose how to fly the rest of the operation — retime, cancel, swap tails, ferry, rebook passengers — as
//! ranked [`RecoveryPlan`]s, improving anytime and stopping on a wall-clock budget.
//!
//! Every policy sits behind the [`RecoveryPolicy`] trait and every plan leaves through [`recover`], which
//! checks it with [`ucodts_model::recovery::evaluate`] first: no plan leaves the optimizer unchecked, and
//! plans are ranked by the checker's cost. Policies: [`ConstructivePolicy`] (a feasible plan in well under a
//! second: delay propagation, round-trip cancellation, greedy passenger rebooking); the MILP and the
//! large-neighbourhood search build on it.
//!
//! Results are deterministic: a policy offers the same plans in the same order for the same problem, on
//! any number of threads; only where the budget cuts a search off depends on the machine. Tests use a
//! [`SteppingClock`] to make even that repeatable.
//!
//! ```
//! use ucodts_model::recovery::*;
//! use ucodts_model::time::{Date, Minutes, UtcMinute};
//! use ucodts_model::AirportCode;
//! use ucodts_optimizer::{recover, Budget, ConstructivePolicy, WallClock};
//!
//! // Two airports, one aircraft flying a round trip, nobody booked: nothing to repair.
//! let day = Date::new(2006, 1, 7).unwrap();
//! let at = |h: i64| UtcMinute::from_date_minute(day, h * 60);
//! let airport = |code: &str| RecoveryAirport {
//!     code: AirportCode::new(code).unwrap(),
//!     daily_capacity: [HourlyCapacity { departures: 5, arrivals: 5 }; 24],
//!     cuts: Vec::new(),
//! };
//! let mut routes = RouteTable::new(2);
//! for (o, d) in [(0, 1), (1, 0)] {
//!     let route = Route { block_time: Minutes(60), class: RouteClass::Domestic };
//!     routes.set(AirportIdx(o), AirportIdx(d), route);
//! }
//! let flight = |number, o, d, h| Flight {
//!     number,
//!     date: day,
//!     origin: AirportIdx(o),
//!     destination: AirportIdx(d),
//!     scheduled_departure: at(h),
//!     scheduled_arrival: at(h) + Minutes(60),
//!     previous_number: None,
//!     planned_aircraft: AircraftIdx(0),
//!     disruption: None,
//!     frozen: false,
//! };
//! let problem = RecoveryProblem::new(RecoveryProblemParts {
//!     window_start: Some(at(6)),
//!     window_end: Some(at(23)),
//!     airports: vec![airport("CDG"), airport("NCE")],
//!     routes,
//!     families: vec!["Airbus".into()],
//!     models: vec!["A320".into()],
//!     aircraft: vec![RecoveryAircraft {
//!         id: "A320#1".into(),
//!         model: ModelIdx(0),
//!         family: FamilyIdx(0),
//!         seats: SeatConfiguration { first: Some(0), business: Some(0), economy: Some(150) },
//!         range: Minutes(300),
//!         cost_per_hour: Cents(200_000),
//!         turn_round: Minutes(30),
//!         transit: Minutes(30),
//!         origin: AirportIdx(0),
//!         maintenance: None,
//!         unavailable: Vec::new(),
//!         ground_transport: false,
//!     }],
//!     flights: vec![flight(1, 0, 1, 8), flight(2, 1, 0, 10)],
//!     itineraries: Vec::new(),
//!     positions: Vec::new(),
//!     costs: Some(CostConfig {
//!         delay_per_minute: [[Cents(5); 3]; 3],
//!         outbound_cancellation: [[Cents(25_000); 3]; 3],
//!         return_cancellation: [[Cents(75_000); 3]; 3],
//!         downgrade: [[[Cents(0); 3]; 3]; 3],
//!         position_penalty_family: Cents(2_000_000),
//!         position_penalty_model: Cents(500_000),
//!         position_penalty_configuration: Cents(100_000),
//!         alpha: 1.0,
//!         beta: 1.0,
//!         gamma: 1.0,
//!     }),
//! })
//! .unwrap();
//!
//! let mut improvements = Vec::new();
//! let recovery = recover(
//!     &ConstructivePolicy::default(),
//!     &problem,
//!     &Budget::seconds(5),
//!     &WallClock::start(),
//!     &mut |incumbent| improvements.push(incumbent.cost),
//! )
//! .unwrap();
//! let best = recovery.best().unwrap();
//! assert!(best.feasible());
//! assert_eq!(best.cost(), Cents::ZERO);
//! assert_eq!(best.plan().rotations[0].len(), 2);
//! assert_eq!(improvements, vec![Cents::ZERO]);
//! ```

pub mod constructive;
pub mod crew;
pub mod holds;
pub mod integrated;
pub mod lns;
pub mod milp;
pub mod montecarlo;
pub mod policies;
pub mod policy;
pub mod tianchi;

pub use constructive::{rebook_passengers, ConstructivePolicy};
pub use lns::LnsPolicy;
pub use milp::MilpPolicy;
pub use policy::{
    recover, Budget, CheckedPlan, Clock, Incumbent, Offer, Recovery, RecoveryPolicy, Search,
    SteppingClock, WallClock,
};
pub use ucodts_model::recovery::{RecoveryPlan, RecoveryProblem};

/// Why the optimizer could not produce plans.
#[derive(Debug, thiserror::Error)]
pub enum OptimizerError {
    /// The MILP solver failed (not "no better plan": a solver error or an unexpected status).
    #[error("the {policy} policy's solver failed: {message}")]
    Solver {
        policy: &'static str,
        message: String,
    },
    /// No policy of that name.
    #[error("no recovery policy named {name:?} (known: {known})")]
    UnknownPolicy { name: String, known: String },
    /// No crew policy of that name.
    #[error("no crew recovery policy named {name:?} (known: {known})")]
    UnknownCrewPolicy { name: String, known: String },
    /// The crew input, with an aircraft plan's leg changes, cannot be read against the schedule.
    #[error("aircraft plan {plan}: the crew recovery problem cannot be built: {source}")]
    CrewProblem {
        plan: usize,
        source: ucodts_model::recovery::crew::CrewRecoveryError,
    },
    /// Ranking candidate plans by Monte Carlo replications failed.
    #[error(transparent)]
    MonteCarlo(#[from] montecarlo::MonteCarloError),
}
