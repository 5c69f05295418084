//! The Tianchi 2017 Xiamen Airlines typhoon recovery problem (`../shared/benchmarks/tianchi2017`): a typhoon
//! closes three airports for about a day, and every aircraft's four-day rotation must be revised by delays,
//! advances, cancellations, swaps, ferries, straightened through flights and (season 2) passenger
//! sign-changes. [`evaluate`] is the contest's checker and scorer as one function: each hard rule a typed
//! [`Violation`], each cost term in a [`CostBreakdown`], and the score (costs, plus 5·10⁷ once for an
//! infeasible plan, plus 10 per violation). `ucodts_datasets::tianchi2017` reads the files,
//! `ucodts_optimizer::tianchi` repairs the plan.

mod evaluate;
mod plan;
mod problem;
pub mod weights;

pub use weights::Weights;

pub use evaluate::{
    evaluate, original_turns, passenger_flows, sequences, ActionCounts, CostBreakdown,
    PassengerFlow, Rule, TyphoonEvaluation, Violation,
};
pub use plan::{PlanLine, TyphoonPlan};
pub use problem::{
    rules, Aircraft, BanKind, Curfew, Flight, ParkingCap, Season, SlotWindow, ThroughPair,
    Transfer, TyphoonBan, TyphoonProblem,
};
