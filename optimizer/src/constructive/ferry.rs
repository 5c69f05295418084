//! Ferries: flights without passengers that bring an aircraft to where it must be (the origin of its next
//! leg after an imposed cancellation, or its maintenance airport), when the route is within the aircraft's
//! range and both airports have room.

use ucodts_model::recovery::{
    AircraftIdx, AirportIdx, NewFlight, NewFlightIdx, OperatedLeg, PlanFlight, RecoveryProblem,
};
use ucodts_model::time::{Minutes, UtcMinute};

use super::aircraft_pass::AircraftState;
use super::capacity::{earliest_slot, AirportLoad};

/// A ferry that fits: where from and to, when it leaves and how long it flies.
#[derive(Clone, Copy)]
pub(super) struct Ferry {
    pub origin: AirportIdx,
    pub destination: AirportIdx,
    pub departure: UtcMinute,
    pub block: Minutes,
}

impl Ferry {
    pub(super) fn arrival(&self) -> UtcMinute {
        self.departure + self.block
    }
}

/// A ferry for the aircraft from where it stands to `to`: the route's block time within the aircraft's
/// range, leaving after its turn-round and not before the window opens, at the first hour both airports
/// have room, landing by `arrive_by` if given, within the flying allowed before its maintenance slot.
pub(super) fn ferry_slot(
    problem: &RecoveryProblem,
    load: &AirportLoad,
    a: AircraftIdx,
    state: &AircraftState,
    to: AirportIdx,
    arrive_by: Option<UtcMinute>,
) -> Option<Ferry> {
    let tail = problem.tail(a);
    if tail.ground_transport || state.position == to {
        return None;
    }
    let block = problem.routes.get(state.position, to)?.block_time;
    if block > tail.range || block <= Minutes::ZERO {
        return None;
    }
    let ready = state
        .last_arrival
        .map_or(problem.window_start, |t| t + tail.turn_round)
        .max(problem.window_start);
    let before_maintenance = match (tail.maintenance, arrive_by) {
        (Some(m), Some(by)) => by <= m.start,
        _ => false,
    };
    let departure = earliest_slot(
        problem,
        load,
        a,
        (state.position, to),
        ready,
        block,
        before_maintenance,
    )?;
    let ferry = Ferry {
        origin: state.position,
        destination: to,
        departure,
        block,
    };
    if arrive_by.is_some_and(|by| ferry.arrival() > by) {
        return None;
    }
    if let Some(m) = tail.maintenance {
        if departure < m.start && state.flown_before_maintenance + block > m.max_flying_before {
            return None;
        }
    }
    Some(ferry)
}

/// Appends `ferry` to an aircraft's rotation: books both airports' hourly load and numbers the new flight
/// above every number of the plan. Returns the new flight's number.
pub(super) fn fly_ferry(
    problem: &RecoveryProblem,
    load: &mut AirportLoad,
    new_flights: &mut Vec<NewFlight>,
    rotation: &mut Vec<OperatedLeg>,
    ferry: &Ferry,
) -> u32 {
    load.add(
        ferry.origin,
        ferry.departure,
        ferry.destination,
        ferry.arrival(),
    );
    let number = problem.max_flight_number + 1 + new_flights.len() as u32;
    let (date, _) = ferry.departure.date_minute();
    new_flights.push(NewFlight {
        number,
        date,
        origin: ferry.origin,
        destination: ferry.destination,
    });
    rotation.push(OperatedLeg {
        flight: PlanFlight::New(NewFlightIdx((new_flights.len() - 1) as u32)),
        departure: ferry.departure,
        arrival: ferry.arrival(),
    });
    number
}
