//! Shuttles: an out-and-back flight pair added for passengers the plan would otherwise cancel. An aircraft
//! idle at an airport the group still has to pass (where it stands, a booked stop it has not reached, its
//! destination) flies to another such airport and back, in a gap of its rotation or after its last leg, so
//! it ends where it did and keeps every later leg. The group rides it if the rebooking finds that cheaper
//! than cancelling the trip; the checker's cost decides whether the pair (two created flights, their
//! operating cost) is kept.
//!
//! Example (ROADEF 2009 A01): three passengers on a round trip URO-LYS-LEH-LYS-URO miss their LYS-LEH
//! connection before the window opens; the only way on to LEH lands there at 19:50 with nothing back, so
//! the trip is cancelled (5,850 EUR). A LEH-URO-LEH pair on the aircraft that ends its day at LEH takes
//! them home after their stop for two hours of operating cost (2,900 EUR).

use std::cmp::Reverse;

use ucodts_model::recovery::cost::leg_operating_cost;
use ucodts_model::recovery::evaluate;
use ucodts_model::recovery::{
    AircraftIdx, AirportIdx, Cents, FlightIdx, ItineraryIdx, NewFlight, NewFlightIdx, OperatedLeg,
    PlanFlight, RecoveryPlan, RecoveryProblem, MINIMUM_CONNECTION,
};
use ucodts_model::time::UtcMinute;

use super::capacity::{earliest_slot, AirportLoad};
use super::rebooking::{cancellation_cost_per_passenger, rebook_passengers, waypoints};
use crate::Search;

/// Most cancelled groups a pass tries shuttles for, costliest first.
pub const MAX_GROUPS: usize = 8;
/// Most shuttles a pass offers to the checker for one group, cheapest to fly first.
pub const MAX_TRIES_PER_GROUP: usize = 12;

/// A group the plan cancels, and where its trip stands.
struct Cancelled {
    itinerary: ItineraryIdx,
    /// What cancelling the group costs.
    value: Cents,
    /// Where the group is and when it can leave.
    from: AirportIdx,
    after: UtcMinute,
    /// Where it still has to go: its position, the booked stops left, its destination.
    airports: Vec<AirportIdx>,
}

/// An out-and-back: `aircraft` leaves `base` at `out`, lands at `turn_at`, leaves it at `back` and lands
/// at `base` again.
#[derive(Clone, Copy, Debug)]
struct Shuttle {
    aircraft: AircraftIdx,
    base: AirportIdx,
    turn_at: AirportIdx,
    out: (UtcMinute, UtcMinute),
    back: (UtcMinute, UtcMinute),
    /// What flying both legs costs.
    cost: Cents,
}

/// Tries shuttles for the groups `plan` cancels, costliest group first, and offers each plan the checker
/// finds cheaper than the plan so far (passengers rebooked) to the search, keeping it and trying the next
/// group on top of it. Returns the plan with the shuttles kept and how many plans were tried. Bounded
/// work (at most [`MAX_GROUPS`] times [`MAX_TRIES_PER_GROUP`] plans) and no look at the clock, so that a
/// search on a work budget does the same on any machine.
pub fn add_shuttles(
    problem: &RecoveryProblem,
    plan: &RecoveryPlan,
    search: &mut Search<'_>,
) -> (RecoveryPlan, usize) {
    let mut plan = plan.clone();
    let mut cost = evaluate(problem, &plan).cost.total;
    let mut tried = 0;
    let groups = cancelled_groups(problem, &plan);
    for group in groups.into_iter().take(MAX_GROUPS) {
        let mut shuttles = candidates(problem, &plan, &group);
        shuttles.sort_by_key(|s| (s.cost, s.out.0, s.aircraft));
        for shuttle in shuttles.into_iter().take(MAX_TRIES_PER_GROUP) {
            tried += 1;
            let candidate = with_shuttle(problem, &plan, &shuttle);
            let evaluation = evaluate(problem, &candidate);
            if !evaluation.feasible || evaluation.cost.total >= cost {
                continue;
            }
            cost = evaluation.cost.total;
            search.offer(candidate.clone());
            plan = candidate;
            break;
        }
    }
    (plan, tried)
}

/// The groups `plan` cancels, costliest first (ties by itinerary).
fn cancelled_groups(problem: &RecoveryProblem, plan: &RecoveryPlan) -> Vec<Cancelled> {
    let mut groups: Vec<Cancelled> = Vec::new();
    for line in plan.passengers.iter().filter(|l| l.cancelled) {
        let it = problem.itinerary(line.itinerary);
        let prefix: Vec<FlightIdx> = line
            .legs
            .iter()
            .filter_map(|l| match l.flight {
                PlanFlight::Planned(f) => Some(f),
                PlanFlight::New(_) => None,
            })
            .collect();
        if prefix.len() != line.legs.len() {
            continue;
        }
        let (from, after) = match line.legs.last() {
            Some(last) => {
                let Some(leg) = plan
                    .rotations
                    .iter()
                    .flatten()
                    .find(|l| l.flight == last.flight)
                else {
                    continue;
                };
                let (_, destination) = plan.flight_airports(problem, last.flight);
                (destination, leg.arrival + MINIMUM_CONNECTION)
            }
            None => (it.origin, it.scheduled_departure),
        };
        let stranded = !line.legs.is_empty();
        let mut airports = vec![from];
        for stop in waypoints(problem, line.itinerary, &prefix) {
            if !airports.contains(&stop) {
                airports.push(stop);
            }
        }
        let value = cancellation_cost_per_passenger(problem, line.itinerary, stranded)
            * i64::from(line.passengers);
        groups.push(Cancelled {
            itinerary: line.itinerary,
            value,
            from,
            after,
            airports,
        });
    }
    groups.sort_by_key(|g| (Reverse(g.value), g.itinerary));
    groups
}

/// The shuttles between two of the group's airports that fit an aircraft's rotation in `plan` (range,
/// turn-rounds, airport capacity, breakdowns, the window) and cost less to fly than the group's trip.
fn candidates(problem: &RecoveryProblem, plan: &RecoveryPlan, group: &Cancelled) -> Vec<Shuttle> {
    let mut load = AirportLoad::new(problem);
    for (a, rotation) in plan.rotations.iter().enumerate() {
        if problem.aircraft[a].ground_transport {
            continue;
        }
        for leg in rotation {
            let (o, d) = plan.flight_airports(problem, leg.flight);
            load.add(o, leg.departure, d, leg.arrival);
        }
    }
    let mut found = Vec::new();
    for (a, tail) in problem.aircraft.iter().enumerate() {
        let aircraft = AircraftIdx(a as u16);
        if tail.ground_transport {
            continue;
        }
        let mut rotation = plan.rotations.get(a).cloned().unwrap_or_default();
        rotation.sort_by_key(|l| (l.departure, l.arrival));
        // the ground time that lets both the aircraft turn and passengers connect
        let ground = tail.turn_round.max(MINIMUM_CONNECTION);
        for gap in 0..=rotation.len() {
            let (base, mut ready) = match gap.checked_sub(1).map(|i| &rotation[i]) {
                Some(previous) => (
                    plan.flight_airports(problem, previous.flight).1,
                    previous.arrival + ground,
                ),
                None => (tail.origin, problem.window_start),
            };
            ready = ready.max(problem.window_start);
            if base == group.from {
                ready = ready.max(group.after);
            }
            let must_be_back = rotation
                .get(gap)
                .map_or(problem.window_end, |next| next.departure - tail.turn_round);
            // a maintenance slot still to come limits the flying before it: left alone
            if !group.airports.contains(&base) || tail.maintenance.is_some_and(|m| m.end > ready) {
                continue;
            }
            for &turn_at in &group.airports {
                if turn_at == base {
                    continue;
                }
                let (Some(out_route), Some(back_route)) = (
                    problem.routes.get(base, turn_at),
                    problem.routes.get(turn_at, base),
                ) else {
                    continue;
                };
                let (out_block, back_block) = (out_route.block_time, back_route.block_time);
                if out_block > tail.range || back_block > tail.range {
                    continue;
                }
                let cost = leg_operating_cost(problem.cost_rules, out_block, tail.cost_per_hour)
                    + leg_operating_cost(problem.cost_rules, back_block, tail.cost_per_hour);
                if cost >= group.value {
                    continue;
                }
                let Some(out) = earliest_slot(
                    problem,
                    &load,
                    aircraft,
                    (base, turn_at),
                    ready,
                    out_block,
                    false,
                ) else {
                    continue;
                };
                let Some(back) = earliest_slot(
                    problem,
                    &load,
                    aircraft,
                    (turn_at, base),
                    out + out_block + ground,
                    back_block,
                    false,
                ) else {
                    continue;
                };
                if back + back_block > must_be_back {
                    continue;
                }
                found.push(Shuttle {
                    aircraft,
                    base,
                    turn_at,
                    out: (out, out + out_block),
                    back: (back, back + back_block),
                    cost,
                });
            }
        }
    }
    found
}

/// `plan` with `shuttle` flown and every passenger rebooked.
fn with_shuttle(problem: &RecoveryProblem, plan: &RecoveryPlan, shuttle: &Shuttle) -> RecoveryPlan {
    let mut next = plan.clone();
    let legs = [
        (shuttle.base, shuttle.turn_at, shuttle.out),
        (shuttle.turn_at, shuttle.base, shuttle.back),
    ];
    for (origin, destination, (departure, arrival)) in legs {
        let number = problem.max_flight_number + 1 + next.new_flights.len() as u32;
        let (date, _) = departure.date_minute();
        next.new_flights.push(NewFlight {
            number,
            date,
            origin,
            destination,
        });
        let flight = PlanFlight::New(NewFlightIdx((next.new_flights.len() - 1) as u32));
        let rotation = &mut next.rotations[shuttle.aircraft.index()];
        rotation.push(OperatedLeg {
            flight,
            departure,
            arrival,
        });
        rotation.sort_by_key(|l| (l.departure, l.arrival));
    }
    next.passengers = rebook_passengers(problem, &next);
    next.order_passenger_lines();
    next
}
