//! The constructive recovery heuristic: a feasible plan in well under a second on every ROADEF 2009
//! instance, and the starting point of the other policies.
//!
//! It works in two passes, the way a controller would:
//! 1. **Aircraft.** Imposed delays and cancellations are applied; every other leg is flown by its planned
//!    aircraft as early as its turn-round (or transit) time, breakdowns and the hourly departure and arrival
//!    capacities of both airports allow (a leg that does not fit an hour moves to the next hour with room).
//!    Aircraft are advanced together in time order, so capacity goes to the leg ready first. A leg that
//!    would break the aircraft's next fixed commitment (a look-ahead over the rest of its rotation shows it
//!    could no longer reach its next leg with imposed times or be at its maintenance airport when the slot
//!    starts; nothing may land after the window), or that would leave later than the policy's delay
//!    tolerance, is cancelled together with the legs that bring the aircraft back to where it stands, so it
//!    stays in position for the rest of its day. An aircraft left away from its next leg (after an imposed
//!    cancellation) or from its maintenance airport is ferried there when a flight fits (route block time
//!    within range, capacity at both ends). Aircraft that still miss a commitment because others took the
//!    capacity they needed get the first pick of capacity in another round.
//! 2. **Passengers.** A booking whose legs all still fly with 30-minute connections keeps them. Every other
//!    booking (its leg cancelled, a connection broken) is rebooked greedily, most valuable first, on the
//!    earliest-arriving path of flown legs with free seats from where the trip stands, within the maximum
//!    delay, if that costs less than cancelling the trip; a group that does not fit one path is split.
//!
//! The policy builds one plan per delay tolerance in [`ConstructivePolicy::tolerances`] and offers each; the
//! search keeps the cheapest by the checker's cost. Then, for the groups the cheapest plan still cancels,
//! it tries out-and-back flight pairs that would carry them (`shuttle`), and keeps each the checker finds
//! cheaper.
//!
//! Where each part lives: the aircraft pass (`aircraft_pass`) advances the fleet in time order within the
//! hourly capacities and breakdowns (`capacity`), asks the look-ahead (`lookahead`) whether a departure keeps
//! the next fixed leg and the maintenance slot, cancels round trips (`round_trip`) and positions aircraft with
//! ferries (`ferry`); this module runs it in priority rounds. The passenger pass (`rebooking`) keeps intact
//! bookings and rebooks the rest on earliest-arriving journeys (`journeys`), or back onto a later leg of
//! their booking when that costs less.

mod aircraft_pass;
mod capacity;
mod ferry;
mod journeys;
mod lookahead;
mod rebooking;
mod round_trip;
mod shuttle;

use ucodts_model::recovery::{AircraftIdx, OperatedLeg, PlanFlight, RecoveryPlan, RecoveryProblem};
use ucodts_model::time::Minutes;

use crate::policy::{RecoveryPolicy, Search};
use crate::OptimizerError;
use aircraft_pass::{fly_aircraft, FlownLegs};
pub use rebooking::rebook_passengers;
pub use shuttle::add_shuttles;

/// The constructive heuristic as a [`RecoveryPolicy`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConstructivePolicy {
    /// Delay tolerances to try: a leg that could only leave later than this after its scheduled time is
    /// cancelled with its round trip instead. `None` means no tolerance (delay as long as the aircraft's
    /// next commitments allow).
    pub tolerances: Vec<Option<Minutes>>,
    /// Then try out-and-back pairs for the groups the cheapest plan still cancels (`shuttle`). The
    /// searches that start from this policy's plan and re-optimise the aircraft (the MILP, the LNS) start
    /// without them, since a created flight is fixed in their sub-problems, and add them to their own
    /// plans.
    pub shuttles: bool,
}

impl ConstructivePolicy {
    /// The policy without the shuttle pass: the start of the searches that re-optimise the aircraft.
    pub fn without_shuttles() -> ConstructivePolicy {
        ConstructivePolicy {
            shuttles: false,
            ..ConstructivePolicy::default()
        }
    }
}

impl Default for ConstructivePolicy {
    fn default() -> Self {
        ConstructivePolicy {
            tolerances: vec![
                None,
                Some(Minutes::hours(6)),
                Some(Minutes::hours(4)),
                Some(Minutes::hours(3)),
                Some(Minutes::hours(2)),
                Some(Minutes(90)),
                Some(Minutes(60)),
                Some(Minutes(45)),
                Some(Minutes(30)),
            ],
            shuttles: true,
        }
    }
}

impl RecoveryPolicy for ConstructivePolicy {
    fn name(&self) -> &'static str {
        "constructive"
    }

    fn search(
        &self,
        problem: &RecoveryProblem,
        search: &mut Search<'_>,
    ) -> Result<(), OptimizerError> {
        for (i, tolerance) in self.tolerances.iter().enumerate() {
            // The first plan is always built: a search cut off at once still has something to show.
            if i > 0 && search.out_of_time() {
                break;
            }
            search.offer(construct(problem, *tolerance));
        }
        if self.shuttles && !search.out_of_time() {
            if let Some(best) = search.best() {
                let plan = best.plan().clone();
                shuttle::add_shuttles(problem, &plan, search);
            }
        }
        Ok(())
    }
}

/// Rounds of giving aircraft that miss a commitment the first pick of capacity.
const PRIORITY_ROUNDS: usize = 4;

/// Builds one plan with the given delay tolerance (see [`ConstructivePolicy::tolerances`]).
pub fn construct(problem: &RecoveryProblem, tolerance: Option<Minutes>) -> RecoveryPlan {
    // Aircraft that miss a commitment (a maintenance slot's airport, a fixed leg) because others took the
    // capacity they needed go first in the next round, with the capacity they need reserved.
    let mut priority = vec![false; problem.aircraft.len()];
    let mut flights = fly_aircraft(problem, tolerance, &priority);
    for _ in 0..PRIORITY_ROUNDS {
        let mut more = false;
        for a in aircraft_missing_commitments(problem, &flights) {
            more |= !priority[a.index()];
            priority[a.index()] = true;
        }
        if !more {
            break;
        }
        flights = fly_aircraft(problem, tolerance, &priority);
    }
    let mut plan = RecoveryPlan {
        rotations: flights.rotations,
        new_flights: flights.new_flights,
        cancelled: flights.cancelled,
        passengers: Vec::new(),
    };
    plan.passengers = rebook_passengers(problem, &plan);
    plan.order_passenger_lines();
    plan
}

/// Aircraft whose rotation in `flown` breaks continuity or is not at its maintenance airport in time.
fn aircraft_missing_commitments(problem: &RecoveryProblem, flown: &FlownLegs) -> Vec<AircraftIdx> {
    let mut missing = Vec::new();
    for (a, rotation) in flown.rotations.iter().enumerate() {
        let tail = &problem.aircraft[a];
        // (origin, destination) of a flown leg.
        let airports = |leg: &OperatedLeg| match leg.flight {
            PlanFlight::Planned(f) => (problem.flight(f).origin, problem.flight(f).destination),
            PlanFlight::New(n) => {
                let ferry = &flown.new_flights[n.index()];
                (ferry.origin, ferry.destination)
            }
        };
        let broken = rotation.windows(2).any(|w| {
            let (_, landed_at) = airports(&w[0]);
            let (leaves_from, _) = airports(&w[1]);
            landed_at != leaves_from
        });
        let maintenance_missed = tail.maintenance.is_some_and(|m| {
            let before: Vec<&OperatedLeg> =
                rotation.iter().filter(|l| l.departure < m.start).collect();
            let position = before.last().map_or(tail.origin, |l| airports(l).1);
            position != m.airport || before.last().is_some_and(|l| l.arrival > m.start)
        });
        if broken || maintenance_missed {
            missing.push(AircraftIdx(a as u16));
        }
    }
    missing
}
