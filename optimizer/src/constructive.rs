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
//! search keeps the cheapest by the checker's cost.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use ucodts_model::recovery::{
    AircraftIdx, AirportIdx, Cabin, Cents, FlightDisruption, FlightIdx, ItineraryIdx, NewFlight,
    NewFlightIdx, OperatedLeg, PassengerLeg, PassengerLine, PlanFlight, RecoveryPlan,
    RecoveryProblem, RouteClass, TripDirection, MINIMUM_CONNECTION,
};
use ucodts_model::time::{Minutes, UtcMinute};

use crate::policy::{RecoveryPolicy, Search};
use crate::OptimizerError;

/// Longest delay an outbound trip may arrive late (domestic and continental trips; SPEC §4 P6).
const MAX_TRIP_DELAY_MIN: i64 = 18 * 60;
/// ... for intercontinental trips.
const MAX_TRIP_DELAY_INTERCONTINENTAL_MIN: i64 = 36 * 60;

/// The constructive heuristic as a [`RecoveryPolicy`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConstructivePolicy {
    /// Delay tolerances to try, in minutes: a leg that could only leave later than this after its scheduled
    /// time is cancelled with its round trip instead. `None` means no tolerance (delay as long as the
    /// aircraft's next commitments allow).
    pub tolerances: Vec<Option<i64>>,
}

impl Default for ConstructivePolicy {
    fn default() -> Self {
        ConstructivePolicy {
            tolerances: vec![
                None,
                Some(360),
                Some(240),
                Some(180),
                Some(120),
                Some(90),
                Some(60),
                Some(45),
                Some(30),
            ],
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
        Ok(())
    }
}

/// Builds one plan with the given delay tolerance (see [`ConstructivePolicy::tolerances`]).
pub fn construct(problem: &RecoveryProblem, tolerance_min: Option<i64>) -> RecoveryPlan {
    // Aircraft that miss a commitment (a maintenance slot's airport, a fixed leg) because others took the
    // capacity they needed go first in the next round, with the capacity they need reserved.
    let mut priority = vec![false; problem.aircraft.len()];
    let mut flights = fly_aircraft(problem, tolerance_min, &priority);
    for _ in 0..PRIORITY_ROUNDS {
        let mut more = false;
        for a in aircraft_missing_commitments(problem, &flights) {
            more |= !priority[a.index()];
            priority[a.index()] = true;
        }
        if !more {
            break;
        }
        flights = fly_aircraft(problem, tolerance_min, &priority);
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

/// Hour-by-hour movement counts of every airport, against its capacity.
struct AirportLoad {
    first_hour: i64,
    hours: usize,
    /// `[airport][hour - first_hour]` = (departures, arrivals).
    counts: Vec<Vec<(u32, u32)>>,
}

impl AirportLoad {
    fn new(problem: &RecoveryProblem) -> AirportLoad {
        let earliest = problem
            .flights
            .iter()
            .map(|f| f.scheduled_departure.0)
            .min()
            .unwrap_or(problem.window_start.0)
            .min(problem.window_start.0);
        let first_hour = earliest.div_euclid(60) - 1;
        // Nothing may arrive after the window closes; fixed legs may (they are counted all the same).
        let latest = problem
            .flights
            .iter()
            .map(|f| f.scheduled_arrival.0 + 48 * 60)
            .max()
            .unwrap_or(problem.window_end.0)
            .max(problem.window_end.0);
        let hours = (latest.div_euclid(60) - first_hour + 2).max(1) as usize;
        AirportLoad {
            first_hour,
            hours,
            counts: vec![vec![(0, 0); hours]; problem.airports.len()],
        }
    }

    fn slot(&self, t: UtcMinute) -> Option<usize> {
        let h = t.0.div_euclid(60) - self.first_hour;
        (h >= 0 && (h as usize) < self.hours).then_some(h as usize)
    }

    fn departure_free(&self, problem: &RecoveryProblem, airport: AirportIdx, t: UtcMinute) -> bool {
        let Some(h) = self.slot(t) else { return false };
        let cap = problem
            .airport(airport)
            .capacity_of_hour(UtcMinute(t.0.div_euclid(60) * 60));
        self.counts[airport.index()][h].0 < cap.departures
    }

    fn arrival_free(&self, problem: &RecoveryProblem, airport: AirportIdx, t: UtcMinute) -> bool {
        let Some(h) = self.slot(t) else { return false };
        let cap = problem
            .airport(airport)
            .capacity_of_hour(UtcMinute(t.0.div_euclid(60) * 60));
        self.counts[airport.index()][h].1 < cap.arrivals
    }

    fn add(
        &mut self,
        origin: AirportIdx,
        departure: UtcMinute,
        destination: AirportIdx,
        arrival: UtcMinute,
    ) {
        if let Some(h) = self.slot(departure) {
            self.counts[origin.index()][h].0 += 1;
        }
        if let Some(h) = self.slot(arrival) {
            self.counts[destination.index()][h].1 += 1;
        }
    }
}

/// What the aircraft pass decides.
struct FlownLegs {
    rotations: Vec<Vec<OperatedLeg>>,
    /// Ferries the pass created (positioning flights without passengers).
    new_flights: Vec<NewFlight>,
    cancelled: Vec<FlightIdx>,
}

/// Where an aircraft stands while the pass advances it.
#[derive(Clone, Copy)]
struct AircraftState {
    /// Index into its planned rotation of the next leg to decide.
    next: usize,
    position: AirportIdx,
    /// Arrival of its last flown leg (none yet: the start of time).
    last_arrival: Option<UtcMinute>,
    last_number: Option<u32>,
    /// Block minutes flown before its maintenance slot starts.
    flown_before_maintenance: i64,
}

fn is_ground_transport(problem: &RecoveryProblem, a: AircraftIdx) -> bool {
    problem.tail(a).ground_transport
}

/// Minimum ground time before leg `f` after a leg with flight number `previous`.
fn ground_time(
    problem: &RecoveryProblem,
    a: AircraftIdx,
    previous: Option<u32>,
    f: FlightIdx,
) -> i64 {
    let tail = problem.tail(a);
    let linked = previous.is_some() && problem.flight(f).previous_number == previous;
    if linked {
        tail.transit.0
    } else {
        tail.turn_round.0
    }
}

/// Rounds of giving aircraft that miss a commitment the first pick of capacity.
const PRIORITY_ROUNDS: usize = 4;

/// Aircraft whose rotation in `rotations` breaks continuity or is not at its maintenance airport in time.
fn aircraft_missing_commitments(problem: &RecoveryProblem, flown: &FlownLegs) -> Vec<AircraftIdx> {
    let mut missing = Vec::new();
    for (a, rotation) in flown.rotations.iter().enumerate() {
        let tail = &problem.aircraft[a];
        let airports = |leg: &OperatedLeg| match leg.flight {
            PlanFlight::Planned(f) => (problem.flight(f).origin, problem.flight(f).destination),
            PlanFlight::New(n) => {
                let ferry = &flown.new_flights[n.index()];
                (ferry.origin, ferry.destination)
            }
        };
        let broken = rotation
            .windows(2)
            .any(|w| airports(&w[0]).1 != airports(&w[1]).0);
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

fn fly_aircraft(
    problem: &RecoveryProblem,
    tolerance_min: Option<i64>,
    priority: &[bool],
) -> FlownLegs {
    let rank = |a: usize| u8::from(!priority[a]);
    let n_aircraft = problem.aircraft.len();
    let mut cancelled = vec![false; problem.flights.len()];
    let mut rotations: Vec<Vec<OperatedLeg>> = vec![Vec::new(); n_aircraft];
    let mut new_flights: Vec<NewFlight> = Vec::new();
    let mut load = AirportLoad::new(problem);

    // Legs the disruption cancels. The pass then brings each aircraft back to its next leg (a ferry) or
    // cancels up to the next leg leaving from where it stands.
    for (i, flight) in problem.flights.iter().enumerate() {
        if matches!(flight.disruption, Some(FlightDisruption::Cancelled)) {
            cancelled[i] = true;
        }
    }
    // Fixed legs (frozen history, ground transport, imposed delays) use capacity whatever happens.
    for (i, flight) in problem.flights.iter().enumerate() {
        let f = FlightIdx(i as u32);
        if cancelled[i]
            || !problem.is_fixed(f)
            || is_ground_transport(problem, flight.planned_aircraft)
        {
            continue;
        }
        if let Some((dep, arr)) = problem.disrupted_times(f) {
            load.add(flight.origin, dep, flight.destination, arr);
        }
    }

    let mut states: Vec<AircraftState> = (0..n_aircraft)
        .map(|a| AircraftState {
            next: 0,
            position: problem.aircraft[a].origin,
            last_arrival: None,
            last_number: None,
            flown_before_maintenance: 0,
        })
        .collect();
    // Aircraft with priority are advanced first (all of their legs), then the others in time order.
    let mut queue: BinaryHeap<Reverse<(u8, i64, u16)>> = BinaryHeap::new();
    for a in 0..n_aircraft {
        if let Some(&f) = problem.planned_rotations[a].first() {
            queue.push(Reverse((
                rank(a),
                problem.flight(f).scheduled_departure.0,
                a as u16,
            )));
        }
    }

    while let Some(Reverse((_, _, a))) = queue.pop() {
        let a = AircraftIdx(a);
        let rotation = &problem.planned_rotations[a.index()];
        let mut state = states[a.index()];
        // Skip legs already cancelled.
        while state.next < rotation.len() && cancelled[rotation[state.next].index()] {
            state.next += 1;
        }
        if state.next >= rotation.len() {
            states[a.index()] = state;
            continue;
        }
        let k = state.next;
        let f = rotation[k];
        let flight = problem.flight(f);
        let tail = problem.tail(a);
        let block = flight.block_time().0;

        // Away from where the aircraft must be: its maintenance airport when the slot comes, or the origin
        // of its next leg. A ferry takes it there if one fits; the leg is then decided next round.
        let fixed = problem.is_fixed(f) || tail.ground_transport;
        let maintenance_target = tail.maintenance.filter(|m| {
            flight.scheduled_departure >= m.start
                && state.last_arrival.map_or(true, |t| t <= m.start)
                && state.position != m.airport
        });
        let ferry = match maintenance_target {
            Some(m) => ferry_slot(problem, &load, a, &state, m.airport, Some(m.start.0)),
            None if !fixed && flight.origin != state.position => {
                ferry_slot(problem, &load, a, &state, flight.origin, None)
            }
            None => None,
        };
        if let Some((to, dep, ferry_block)) = ferry {
            let (number, dep, arr) = fly_ferry(
                problem,
                &mut load,
                &mut new_flights,
                &mut rotations[a.index()],
                (state.position, to),
                dep,
                ferry_block,
            );
            if tail.maintenance.is_some_and(|m| dep < m.start) {
                state.flown_before_maintenance += ferry_block;
            }
            state.position = to;
            state.last_arrival = Some(arr);
            state.last_number = Some(number);
            states[a.index()] = state;
            let at = (arr.0 + tail.turn_round.0).max(flight.scheduled_departure.0);
            queue.push(Reverse((rank(a.index()), at, a.0)));
            continue;
        }

        let decision = if fixed {
            // Imposed: flown at its times whatever else happens.
            problem.disrupted_times(f).map(|(d, _)| d)
        } else if flight.origin != state.position {
            None
        } else {
            let ready = state
                .last_arrival
                .map_or(flight.scheduled_departure.0, |t| {
                    t.0 + ground_time(problem, a, state.last_number, f)
                });
            let earliest = flight.scheduled_departure.0.max(ready);
            let flyable = earliest_departure(problem, &load, a, f, earliest, block)
                .filter(|&dep| keeps_commitments(problem, &load, &cancelled, a, k, dep, &state));
            let within_tolerance = flyable.filter(|&dep| {
                tolerance_min.map_or(true, |tol| dep - flight.scheduled_departure.0 <= tol)
            });
            // Past the tolerance the round trip is cancelled, unless that would miss a commitment.
            let cancelling_keeps = || {
                round_trip_end(problem, rotation, k, state.position, &cancelled).is_some_and(
                    |end| {
                        let after = AircraftState { next: end, ..state };
                        reaches_commitments(problem, &load, &cancelled, a, &after)
                    },
                )
            };
            match within_tolerance {
                Some(dep) => Some(UtcMinute(dep)),
                None if flyable.is_some() && !cancelling_keeps() => flyable.map(UtcMinute),
                None => None,
            }
        };
        match decision {
            Some(dep) => {
                let arr = dep + Minutes(block);
                if !tail.ground_transport && !problem.is_fixed(f) {
                    load.add(flight.origin, dep, flight.destination, arr);
                }
                rotations[a.index()].push(OperatedLeg {
                    flight: PlanFlight::Planned(f),
                    departure: dep,
                    arrival: arr,
                });
                if let Some(m) = tail.maintenance {
                    if dep < m.start {
                        state.flown_before_maintenance += block;
                    }
                }
                state.position = flight.destination;
                state.last_arrival = Some(arr);
                state.last_number = Some(flight.number);
                state.next = k + 1;
            }
            None => {
                // Back to where the aircraft stands (normally the leg's origin).
                let home = if problem.is_fixed(f) {
                    flight.origin
                } else {
                    state.position
                };
                cancel_round_trip(problem, rotation, k, home, &mut cancelled);
                // Always true already unless leg k has imposed times; either way the pass moves on.
                cancelled[f.index()] = true;
                // The aircraft stays where it is; the next leg it can fly is decided next.
            }
        }
        states[a.index()] = state;
        // Requeue at the time its next leg could leave.
        let mut next = state.next;
        while next < rotation.len() && cancelled[rotation[next].index()] {
            next += 1;
        }
        if next < rotation.len() {
            let f = rotation[next];
            let at = problem.flight(f).scheduled_departure.0.max(
                state.last_arrival.map_or(i64::MIN, |t| {
                    t.0 + ground_time(problem, a, state.last_number, f)
                }),
            );
            let at = if problem.is_fixed(f) {
                problem.disrupted_times(f).map_or(at, |(d, _)| d.0)
            } else {
                at
            };
            queue.push(Reverse((rank(a.index()), at, a.0)));
        }
    }

    // An aircraft whose rotation ends away from its maintenance airport is ferried there if a flight fits.
    for (a, state) in states.iter().enumerate() {
        let aircraft = AircraftIdx(a as u16);
        let Some(m) = problem.aircraft[a].maintenance else {
            continue;
        };
        let due = rotations[a].iter().all(|l| l.departure < m.start);
        if !due || state.position == m.airport {
            continue;
        }
        if let Some((to, dep, block)) =
            ferry_slot(problem, &load, aircraft, state, m.airport, Some(m.start.0))
        {
            fly_ferry(
                problem,
                &mut load,
                &mut new_flights,
                &mut rotations[a],
                (state.position, to),
                dep,
                block,
            );
        }
    }

    // Every planned leg not flown is declared cancelled (so the cost checker credits its operating cost).
    let mut flown = vec![false; problem.flights.len()];
    for rotation in &rotations {
        for leg in rotation {
            if let PlanFlight::Planned(f) = leg.flight {
                flown[f.index()] = true;
            }
        }
    }
    let cancelled = (0..problem.flights.len())
        .filter(|&i| !flown[i])
        .map(|i| FlightIdx(i as u32))
        .collect();
    for rotation in &mut rotations {
        rotation.sort_by_key(|l| l.departure);
    }
    FlownLegs {
        rotations,
        new_flights,
        cancelled,
    }
}

/// The earliest minute at or after `earliest` that leg `f` can leave: the aircraft is not broken down
/// during the flight and both airports have room in the hour. `None` if it would arrive after the window.
fn earliest_departure(
    problem: &RecoveryProblem,
    load: &AirportLoad,
    a: AircraftIdx,
    f: FlightIdx,
    earliest: i64,
    block: i64,
) -> Option<i64> {
    let flight = problem.flight(f);
    let before_maintenance = problem
        .tail(a)
        .maintenance
        .is_some_and(|m| flight.scheduled_departure < m.start);
    earliest_slot(
        problem,
        load,
        a,
        (flight.origin, flight.destination),
        earliest,
        block,
        before_maintenance,
    )
}

/// [`earliest_departure`] for any flight between two airports; `before_maintenance` says the flight
/// belongs before the aircraft's maintenance slot (it must land by the start) rather than after it.
fn earliest_slot(
    problem: &RecoveryProblem,
    load: &AirportLoad,
    a: AircraftIdx,
    (origin, destination): (AirportIdx, AirportIdx),
    earliest: i64,
    block: i64,
    before_maintenance: bool,
) -> Option<i64> {
    let tail = problem.tail(a);
    let latest = problem.window_end.0 - block;
    let mut t = earliest;
    // Each round moves `t` forward by at least a minute or returns, and `t` is bounded by `latest`.
    while t <= latest {
        if let Some(u) = tail
            .unavailable
            .iter()
            .find(|u| t < u.to.0 && t + block > u.from.0)
        {
            t = u.to.0;
            continue;
        }
        if let Some(m) = tail.maintenance {
            if t < m.end.0 && t + block > m.start.0 {
                // Planned before the slot: it must land by the start; after: leave after the end.
                if before_maintenance {
                    return None;
                }
                t = m.end.0;
                continue;
            }
        }
        if !load.departure_free(problem, origin, UtcMinute(t)) {
            t = (t.div_euclid(60) + 1) * 60;
            continue;
        }
        let arr = t + block;
        if !load.arrival_free(problem, destination, UtcMinute(arr)) {
            t = (arr.div_euclid(60) + 1) * 60 - block;
            continue;
        }
        return Some(t);
    }
    None
}

/// Whether flying leg `k` of the aircraft's rotation at `dep` still lets it keep its next commitments: reach
/// its next leg with imposed times in place and in time, and be at the maintenance airport when its slot
/// starts within the flying allowance. The legs in between are played forward the way the pass would
/// decide them today (earliest departure within breakdowns and the capacity left; a leg that cannot fly is
/// cancelled with its round trip); other aircraft may still take capacity before they are decided.
fn keeps_commitments(
    problem: &RecoveryProblem,
    load: &AirportLoad,
    cancelled: &[bool],
    a: AircraftIdx,
    k: usize,
    dep: i64,
    state: &AircraftState,
) -> bool {
    let rotation = &problem.planned_rotations[a.index()];
    let tail = problem.tail(a);
    let flight = problem.flight(rotation[k]);
    let mut after = *state;
    let arrival = dep + flight.block_time().0;
    if let Some(m) = tail.maintenance {
        if dep < m.start.0 {
            after.flown_before_maintenance += flight.block_time().0;
            if arrival > m.start.0 {
                return false;
            }
        }
    }
    after.position = flight.destination;
    after.last_arrival = Some(UtcMinute(arrival));
    after.last_number = Some(flight.number);
    after.next = k + 1;
    reaches_commitments(problem, load, cancelled, a, &after)
}

/// Appends a ferry from `route.0` to `route.1` leaving at minute `dep` and flying `block` minutes to an
/// aircraft's rotation: books both airports' hourly load and numbers the new flight above every number of
/// the plan. Returns the new flight's number, departure and arrival.
fn fly_ferry(
    problem: &RecoveryProblem,
    load: &mut AirportLoad,
    new_flights: &mut Vec<NewFlight>,
    rotation: &mut Vec<OperatedLeg>,
    route: (AirportIdx, AirportIdx),
    dep: i64,
    block: i64,
) -> (u32, UtcMinute, UtcMinute) {
    let (from, to) = route;
    let dep = UtcMinute(dep);
    let arr = dep + Minutes(block);
    load.add(from, dep, to, arr);
    let number = problem.max_flight_number + 1 + new_flights.len() as u32;
    new_flights.push(NewFlight {
        number,
        date: dep.date_minute().0,
        origin: from,
        destination: to,
    });
    rotation.push(OperatedLeg {
        flight: PlanFlight::New(NewFlightIdx((new_flights.len() - 1) as u32)),
        departure: dep,
        arrival: arr,
    });
    (number, dep, arr)
}

/// A ferry (a new flight without passengers) for the aircraft from where it stands to `to`: the route's
/// block time within the aircraft's range, leaving after its turn-round and not before the window opens,
/// at the first hour both airports have room, landing by `arrive_by` if given. Returns (destination,
/// departure, block minutes).
fn ferry_slot(
    problem: &RecoveryProblem,
    load: &AirportLoad,
    a: AircraftIdx,
    state: &AircraftState,
    to: AirportIdx,
    arrive_by: Option<i64>,
) -> Option<(AirportIdx, i64, i64)> {
    let tail = problem.tail(a);
    if tail.ground_transport || state.position == to {
        return None;
    }
    let block = problem.routes.get(state.position, to)?.block_time.0;
    if block > tail.range.0 || block <= 0 {
        return None;
    }
    let ready = state
        .last_arrival
        .map_or(problem.window_start.0, |t| t.0 + tail.turn_round.0)
        .max(problem.window_start.0);
    let before_maintenance = match (tail.maintenance, arrive_by) {
        (Some(m), Some(by)) => by <= m.start.0,
        _ => false,
    };
    let dep = earliest_slot(
        problem,
        load,
        a,
        (state.position, to),
        ready,
        block,
        before_maintenance,
    )?;
    if arrive_by.is_some_and(|by| dep + block > by) {
        return None;
    }
    if let Some(m) = tail.maintenance {
        if dep < m.start.0 && state.flown_before_maintenance + block > m.max_flying_before.0 {
            return None;
        }
    }
    Some((to, dep, block))
}

/// Most rotation states the look-ahead of [`reaches_commitments`] visits for one decision; past it the
/// answer is "no" (cancel), which is always safe.
const LOOKAHEAD_NODES: usize = 400;

/// Whether the rest of an aircraft's rotation from `state` can still keep its next fixed leg and its
/// maintenance slot: a depth-first search over flying each leg at its earliest departure (within
/// breakdowns and the capacity left) or cancelling it with its round trip, flying first.
fn reaches_commitments(
    problem: &RecoveryProblem,
    load: &AirportLoad,
    cancelled: &[bool],
    a: AircraftIdx,
    state: &AircraftState,
) -> bool {
    let tail = problem.tail(a);
    let maintenance_due = tail
        .maintenance
        .is_some_and(|m| state.last_arrival.map_or(true, |t| t <= m.start));
    let mut nodes = 0;
    Lookahead {
        problem,
        load,
        cancelled,
        a,
    }
    .search(*state, maintenance_due, &mut nodes)
}

struct Lookahead<'a> {
    problem: &'a RecoveryProblem,
    load: &'a AirportLoad,
    cancelled: &'a [bool],
    a: AircraftIdx,
}

impl Lookahead<'_> {
    fn search(
        &self,
        mut state: AircraftState,
        mut maintenance_due: bool,
        nodes: &mut usize,
    ) -> bool {
        *nodes += 1;
        if *nodes > LOOKAHEAD_NODES {
            return false;
        }
        let problem = self.problem;
        let rotation = &problem.planned_rotations[self.a.index()];
        let tail = problem.tail(self.a);
        while state.next < rotation.len() && self.cancelled[rotation[state.next].index()] {
            state.next += 1;
        }
        let maintenance_ok = |state: &AircraftState| {
            let m = tail.maintenance.expect("only called with a slot due");
            state.position == m.airport
                && state.last_arrival.map_or(true, |t| t <= m.start)
                && state.flown_before_maintenance <= m.max_flying_before.0
        };
        if state.next >= rotation.len() {
            return !maintenance_due || maintenance_ok(&state);
        }
        let g = rotation[state.next];
        let next = problem.flight(g);
        if maintenance_due {
            let m = tail.maintenance.expect("a slot is due");
            if next.scheduled_departure >= m.start {
                if !maintenance_ok(&state) {
                    return false;
                }
                maintenance_due = false;
            }
        }
        if problem.is_fixed(g) {
            let Some((fixed_dep, _)) = problem.disrupted_times(g) else {
                state.next += 1;
                return self.search(state, maintenance_due, nodes);
            };
            let ready = state.last_arrival.map_or(i64::MIN, |t| {
                t.0 + ground_time(problem, self.a, state.last_number, g)
            });
            // After a fixed leg the aircraft is back on its plan: nothing further to check here.
            return next.origin == state.position && ready <= fixed_dep.0;
        }
        if next.origin == state.position {
            let ready = state.last_arrival.map_or(next.scheduled_departure.0, |t| {
                t.0 + ground_time(problem, self.a, state.last_number, g)
            });
            let block = next.block_time().0;
            let earliest = next.scheduled_departure.0.max(ready);
            if let Some(t) = earliest_departure(problem, self.load, self.a, g, earliest, block) {
                let mut flown = state;
                if maintenance_due {
                    flown.flown_before_maintenance += block;
                }
                flown.position = next.destination;
                flown.last_arrival = Some(UtcMinute(t + block));
                flown.last_number = Some(next.number);
                flown.next += 1;
                if self.search(flown, maintenance_due, nodes) {
                    return true;
                }
            }
        }
        // Cancel it: go on from the next leg leaving from where the aircraft stands, never past a fixed
        // leg. Without one, the rest of the rotation is cancelled.
        let mut skip = state.next + 1;
        while skip < rotation.len() {
            let h = rotation[skip];
            if !self.cancelled[h.index()] {
                if problem.is_fixed(h) {
                    return false;
                }
                if problem.flight(h).origin == state.position {
                    break;
                }
            }
            skip += 1;
        }
        if skip >= rotation.len() {
            return !maintenance_due || maintenance_ok(&state);
        }
        state.next = skip;
        self.search(state, maintenance_due, nodes)
    }
}

/// Where cancelling leg `k` with its round trip back to `home` would leave the rotation: the index of the
/// next leg leaving from `home` (the rotation's length if none), or `None` if a fixed leg comes first.
fn round_trip_end(
    problem: &RecoveryProblem,
    rotation: &[FlightIdx],
    k: usize,
    home: AirportIdx,
    cancelled: &[bool],
) -> Option<usize> {
    for (j, &g) in rotation.iter().enumerate().skip(k + 1) {
        if cancelled[g.index()] {
            continue;
        }
        if problem.is_fixed(g) {
            return None;
        }
        if problem.flight(g).origin == home {
            return Some(j);
        }
    }
    Some(rotation.len())
}

/// Cancels leg `k` of a rotation with the legs up to the next one that leaves from `home` (where the
/// aircraft stands: normally leg `k`'s origin, so this is a round trip or a longer cycle), so the aircraft
/// stays in position for the rest of its rotation. If it never comes back there, the rest of the rotation is
/// cancelled; legs with imposed times are never cancelled here (the cycle stops short of them).
fn cancel_round_trip(
    problem: &RecoveryProblem,
    rotation: &[FlightIdx],
    k: usize,
    home: AirportIdx,
    cancelled: &mut [bool],
) {
    let mut end = rotation.len();
    for (j, &g) in rotation.iter().enumerate().skip(k + 1) {
        if cancelled[g.index()] {
            continue;
        }
        if problem.flight(g).origin == home {
            end = j;
            break;
        }
    }
    for &g in rotation.iter().take(end).skip(k) {
        if problem.is_fixed(g) {
            break;
        }
        cancelled[g.index()] = true;
    }
}

/// Seats still free on each flown planned leg, per cabin (`None` = unlimited).
struct Seats {
    free: Vec<[Option<i64>; 3]>,
    /// Per planned leg: (departure, arrival) if flown.
    times: Vec<Option<(UtcMinute, UtcMinute)>>,
}

pub(crate) fn rebook_passengers(
    problem: &RecoveryProblem,
    plan: &RecoveryPlan,
) -> Vec<PassengerLine> {
    let n = problem.flights.len();
    let mut seats = Seats {
        free: vec![[Some(0); 3]; n],
        times: vec![None; n],
    };
    for (a, rotation) in plan.rotations.iter().enumerate() {
        let config = problem.aircraft[a].seats;
        for leg in rotation {
            if let PlanFlight::Planned(f) = leg.flight {
                seats.times[f.index()] = Some((leg.departure, leg.arrival));
                seats.free[f.index()] = [
                    config.first.map(i64::from),
                    config.business.map(i64::from),
                    config.economy.map(i64::from),
                ];
            }
        }
    }
    let take = |seats: &mut Seats, f: FlightIdx, cabin: Cabin, pax: i64| {
        if let Some(s) = &mut seats.free[f.index()][cabin.column()] {
            *s -= pax;
        }
    };

    let mut lines: Vec<Option<Vec<PassengerLine>>> = vec![None; problem.itineraries.len()];
    let mut to_rebook: Vec<(ItineraryIdx, Vec<FlightIdx>)> = Vec::new();
    for (i, it) in problem.itineraries.iter().enumerate() {
        let idx = ItineraryIdx(i as u32);
        let prefix = frozen_prefix(problem, &seats, idx);
        let intact = it
            .legs
            .iter()
            .all(|l| seats.times[l.flight.index()].is_some())
            && it.legs.windows(2).all(|w| {
                let (_, arr) = seats.times[w[0].flight.index()].expect("checked flown");
                let (dep, _) = seats.times[w[1].flight.index()].expect("checked flown");
                dep - arr >= MINIMUM_CONNECTION
            })
            && within_max_delay(
                problem,
                idx,
                seats.times[it.legs[it.legs.len() - 1].flight.index()]
                    .expect("checked flown")
                    .1,
                &seats,
                &it.legs.iter().map(|l| l.flight).collect::<Vec<_>>(),
            );
        if intact {
            for l in &it.legs {
                take(&mut seats, l.flight, l.cabin, i64::from(it.passengers));
            }
            lines[i] = Some(vec![PassengerLine::as_booked(problem, idx)]);
        } else {
            // The frozen prefix is carried whatever happens; its seats are the group's own.
            for &f in &prefix {
                let cabin = it
                    .legs
                    .iter()
                    .find(|l| l.flight == f)
                    .map_or(it.reference_cabin, |l| l.cabin);
                take(&mut seats, f, cabin, i64::from(it.passengers));
            }
            to_rebook.push((idx, prefix));
        }
    }
    // Most valuable bookings first: what cancelling one passenger's trip would cost.
    to_rebook.sort_by_key(|(idx, _)| {
        let it = problem.itinerary(*idx);
        (
            Reverse(cancellation_cost_per_passenger(problem, *idx).0),
            it.id,
        )
    });
    let network = Network::new(problem, &seats);
    for (idx, prefix) in to_rebook {
        lines[idx.index()] = Some(rebook_one(problem, &network, &mut seats, idx, &prefix));
    }
    lines.into_iter().flatten().flatten().collect()
}

/// The legs of an itinerary already flown when the window opened, which every line of it must carry
/// (SPEC §4 I6): the longest prefix of its legs flown, departing before the window, with connections kept.
fn frozen_prefix(problem: &RecoveryProblem, seats: &Seats, idx: ItineraryIdx) -> Vec<FlightIdx> {
    let it = problem.itinerary(idx);
    let mut prefix = Vec::new();
    let mut last_arrival: Option<UtcMinute> = None;
    for l in &it.legs {
        let Some((dep, arr)) = seats.times[l.flight.index()] else {
            break;
        };
        if dep >= problem.window_start {
            break;
        }
        if let Some(prev) = last_arrival {
            if dep - prev < MINIMUM_CONNECTION {
                break;
            }
        }
        prefix.push(l.flight);
        last_arrival = Some(arr);
    }
    prefix
}

/// Whether an outbound trip arriving at `arrival` stays within its maximum delay (return trips and trips
/// already started have none).
fn within_max_delay(
    problem: &RecoveryProblem,
    idx: ItineraryIdx,
    arrival: UtcMinute,
    seats: &Seats,
    legs: &[FlightIdx],
) -> bool {
    let it = problem.itinerary(idx);
    if it.direction == TripDirection::Return {
        return true;
    }
    let started = legs
        .first()
        .and_then(|f| seats.times[f.index()])
        .is_some_and(|(dep, _)| dep <= problem.window_start);
    if started {
        return true;
    }
    (arrival - it.scheduled_arrival).0 <= max_delay_min(it.class)
}

fn max_delay_min(class: RouteClass) -> i64 {
    if class == RouteClass::Intercontinental {
        MAX_TRIP_DELAY_INTERCONTINENTAL_MIN
    } else {
        MAX_TRIP_DELAY_MIN
    }
}

/// What cancelling the trip costs per passenger (compensation, ticket and the cancellation rate).
fn cancellation_cost_per_passenger(problem: &RecoveryProblem, idx: ItineraryIdx) -> Cents {
    let it = problem.itinerary(idx);
    let costs = &problem.costs;
    let compensation = if it.planned_duration.0 < 120 {
        25_000
    } else if it.planned_duration.0 < 270 {
        40_000
    } else {
        60_000
    };
    let rate = if it.direction == TripDirection::Return {
        costs.return_cancellation
    } else {
        costs.outbound_cancellation
    }[it.reference_cabin.column()][it.class.column()];
    Cents(it.price.0 + compensation) + rate
}

/// What a passenger arriving `delay_min` late costs (delay rate and the compensation thresholds).
fn delay_cost_per_passenger(problem: &RecoveryProblem, idx: ItineraryIdx, delay_min: i64) -> Cents {
    if delay_min <= 0 {
        return Cents::ZERO;
    }
    let it = problem.itinerary(idx);
    let rate = problem.costs.delay_per_minute[it.reference_cabin.column()][it.class.column()];
    let threshold = if it.planned_duration.0 < 120 {
        120
    } else if it.planned_duration.0 < 270 {
        180
    } else {
        240
    };
    let mut compensation = 0;
    if delay_min > threshold {
        compensation += 1_500;
    }
    if delay_min > 300 {
        compensation += 6_000;
    }
    rate * delay_min + Cents(compensation)
}

/// The flown planned legs by origin, sorted by departure, for path searches.
struct Network {
    departures: Vec<Vec<(UtcMinute, FlightIdx)>>,
}

impl Network {
    fn new(problem: &RecoveryProblem, seats: &Seats) -> Network {
        let mut departures = vec![Vec::new(); problem.airports.len()];
        for (i, t) in seats.times.iter().enumerate() {
            let f = FlightIdx(i as u32);
            if let Some((dep, _)) = t {
                // Ground transport carries passengers too, but bookings never use it; neither do we.
                if problem
                    .tail(problem.flight(f).planned_aircraft)
                    .ground_transport
                {
                    continue;
                }
                departures[problem.flight(f).origin.index()].push((*dep, f));
            }
        }
        for d in &mut departures {
            d.sort();
        }
        Network { departures }
    }
}

/// Most legs a rebooked journey may take (the bookings have at most four).
const MAX_REBOOKED_LEGS: usize = 4;

/// The cabin to seat a rebooked passenger in on leg `f`: the booked one, else a higher one (free), else a
/// lower one (a downgrade); with the number of seats free there.
fn pick_cabin(seats: &Seats, f: FlightIdx, booked: Cabin) -> Option<(Cabin, i64)> {
    let order: &[Cabin] = match booked {
        Cabin::First => &[Cabin::First, Cabin::Business, Cabin::Economy],
        Cabin::Business => &[Cabin::Business, Cabin::First, Cabin::Economy],
        Cabin::Economy => &[Cabin::Economy, Cabin::Business, Cabin::First],
    };
    order
        .iter()
        .find_map(|&c| match seats.free[f.index()][c.column()] {
            None => Some((c, i64::MAX)),
            Some(s) if s > 0 => Some((c, s)),
            _ => None,
        })
}

/// Legs of a rebooked journey, each with the cabin taken.
type Journey = Vec<(FlightIdx, Cabin)>;

/// What a rebooking search looks for: from `origin`, leaving at or after `after`, to `destination` by
/// `deadline`, seated in `cabin` if there is room (see [`pick_cabin`]).
#[derive(Clone, Copy)]
struct JourneyRequest {
    origin: AirportIdx,
    after: UtcMinute,
    destination: AirportIdx,
    deadline: UtcMinute,
    cabin: Cabin,
}

/// Earliest-arrival journey of flown legs with a free seat for `request`. Labels are (arrival, legs) per
/// airport; a label-setting search over at most [`MAX_REBOOKED_LEGS`] legs.
fn earliest_path(
    problem: &RecoveryProblem,
    network: &Network,
    seats: &Seats,
    request: &JourneyRequest,
) -> Option<Journey> {
    let JourneyRequest {
        origin,
        after,
        destination,
        deadline,
        cabin,
    } = *request;
    // best[airport] = earliest arrival found, with the journey.
    let mut best: Vec<Option<(UtcMinute, Journey)>> = vec![None; problem.airports.len()];
    let mut frontier: Vec<(AirportIdx, UtcMinute, Journey)> = vec![(origin, after, Vec::new())];
    for _ in 0..MAX_REBOOKED_LEGS {
        let mut next_frontier = Vec::new();
        for (airport, ready, path) in &frontier {
            let earliest = if path.is_empty() {
                *ready
            } else {
                *ready + MINIMUM_CONNECTION
            };
            let deps = &network.departures[airport.index()];
            let start = deps.partition_point(|(d, _)| *d < earliest);
            for &(dep, f) in &deps[start..] {
                if dep > deadline {
                    break;
                }
                let flight = problem.flight(f);
                let Some((_, arr)) = seats.times[f.index()] else {
                    continue;
                };
                if arr > deadline || flight.destination == origin {
                    continue;
                }
                if path
                    .iter()
                    .any(|(g, _)| problem.flight(*g).origin == flight.destination)
                {
                    continue;
                }
                let improves = best[flight.destination.index()]
                    .as_ref()
                    .map_or(true, |(t, _)| arr < *t);
                if !improves {
                    continue;
                }
                let Some((c, _)) = pick_cabin(seats, f, cabin) else {
                    continue;
                };
                let mut p = path.clone();
                p.push((f, c));
                best[flight.destination.index()] = Some((arr, p.clone()));
                if flight.destination != destination {
                    next_frontier.push((flight.destination, arr, p));
                }
            }
        }
        if next_frontier.is_empty() {
            break;
        }
        // Deterministic order, earliest first.
        next_frontier.sort_by(|a, b| (a.1, a.0, &a.2).cmp(&(b.1, b.0, &b.2)));
        frontier = next_frontier;
    }
    best[destination.index()].take().map(|(_, p)| p)
}

/// Rebooks one itinerary whose booked journey no longer works: from the end of its frozen prefix (or its
/// origin) on the earliest-arriving paths with free seats, splitting the group if needed, as long as that
/// costs less than cancelling the trip; whoever is left is cancelled.
fn rebook_one(
    problem: &RecoveryProblem,
    network: &Network,
    seats: &mut Seats,
    idx: ItineraryIdx,
    prefix: &[FlightIdx],
) -> Vec<PassengerLine> {
    let it = problem.itinerary(idx);
    let prefix_legs: Vec<PassengerLeg> = prefix
        .iter()
        .map(|&f| PassengerLeg {
            flight: PlanFlight::Planned(f),
            cabin: it
                .legs
                .iter()
                .find(|l| l.flight == f)
                .map_or(it.reference_cabin, |l| l.cabin),
        })
        .collect();
    let (from, after, started) = match prefix.last() {
        Some(&f) => {
            let (_, arr) = seats.times[f.index()].expect("a prefix leg is flown");
            // The first new leg connects with the last flown one.
            (
                problem.flight(f).destination,
                arr + MINIMUM_CONNECTION,
                true,
            )
        }
        None => (it.origin, it.scheduled_departure, false),
    };
    // A trip not yet started must keep within the maximum delay if outbound (P6); every trip must land
    // before the window closes.
    let deadline = if !started && it.direction == TripDirection::Outbound {
        (it.scheduled_arrival + Minutes(max_delay_min(it.class))).min(problem.window_end)
    } else {
        problem.window_end
    };
    let cancel_cost = cancellation_cost_per_passenger(problem, idx);
    let mut lines = Vec::new();
    let mut left = i64::from(it.passengers);
    let mut guard = 0;
    while left > 0 && guard < 16 {
        guard += 1;
        if prefix.is_empty() || from != it.destination {
            let request = JourneyRequest {
                origin: from,
                after,
                destination: it.destination,
                deadline,
                cabin: it.reference_cabin,
            };
            let Some(path) = earliest_path(problem, network, seats, &request) else {
                break;
            };
            let arrival = seats.times[path[path.len() - 1].0.index()]
                .expect("a path leg is flown")
                .1;
            let delay = (arrival - it.scheduled_arrival).0;
            let mut downgrade = Cents::ZERO;
            for &(f, c) in &path {
                if c < it.reference_cabin {
                    let class = problem
                        .routes
                        .get(problem.flight(f).origin, problem.flight(f).destination)
                        .map_or(RouteClass::Domestic, |r| r.class);
                    downgrade += problem.costs.downgrade[it.reference_cabin.column()][c.column()]
                        [class.column()];
                }
            }
            if delay_cost_per_passenger(problem, idx, delay) + downgrade >= cancel_cost {
                break;
            }
            let room = path
                .iter()
                .map(|&(f, c)| seats.free[f.index()][c.column()].unwrap_or(i64::MAX))
                .min()
                .unwrap_or(0);
            let pax = room.min(left);
            if pax <= 0 {
                break;
            }
            for &(f, c) in &path {
                if let Some(s) = &mut seats.free[f.index()][c.column()] {
                    *s -= pax;
                }
            }
            let mut legs = prefix_legs.clone();
            legs.extend(path.iter().map(|&(f, c)| PassengerLeg {
                flight: PlanFlight::Planned(f),
                cabin: c,
            }));
            lines.push(PassengerLine {
                itinerary: idx,
                passengers: pax as u32,
                legs,
                cancelled: false,
            });
            left -= pax;
        } else {
            // The prefix already ends at the destination.
            lines.push(PassengerLine {
                itinerary: idx,
                passengers: left as u32,
                legs: prefix_legs.clone(),
                cancelled: false,
            });
            left = 0;
        }
    }
    if left > 0 {
        lines.push(PassengerLine {
            itinerary: idx,
            passengers: left as u32,
            legs: prefix_legs,
            cancelled: true,
        });
    }
    lines
}
