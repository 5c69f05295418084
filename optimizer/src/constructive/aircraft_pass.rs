//! The aircraft pass: delay propagation within the hourly capacities. Every aircraft flies its planned
//! rotation as early as its turn-round, breakdowns and both airports' capacity allow, all aircraft advanced
//! together in time order so capacity goes to the leg ready first; a leg that would break a commitment or
//! leave past the delay tolerance is cancelled with its round trip, and an aircraft out of position is
//! ferried where it must be.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use ucodts_model::recovery::{
    AircraftIdx, AirportIdx, FlightDisruption, FlightIdx, NewFlight, OperatedLeg, PlanFlight,
    RecoveryProblem,
};
use ucodts_model::time::{Minutes, UtcMinute};

use super::capacity::{earliest_departure, AirportLoad};
use super::ferry::{ferry_slot, fly_ferry};
use super::lookahead::Lookahead;
use super::round_trip::{cancel_round_trip, round_trip_end};

/// What the aircraft pass decides.
pub(super) struct FlownLegs {
    pub rotations: Vec<Vec<OperatedLeg>>,
    /// Ferries the pass created (positioning flights without passengers).
    pub new_flights: Vec<NewFlight>,
    pub cancelled: Vec<FlightIdx>,
}

/// Where an aircraft stands while the pass advances it.
#[derive(Clone, Copy)]
pub(super) struct AircraftState {
    /// Index into its planned rotation of the next leg to decide.
    pub next: usize,
    pub position: AirportIdx,
    /// Arrival of its last flown leg (none yet: the start of time).
    pub last_arrival: Option<UtcMinute>,
    pub last_number: Option<u32>,
    /// Block time flown before its maintenance slot starts.
    pub flown_before_maintenance: Minutes,
}

impl AircraftState {
    /// Counts `block` against the flying allowed before the maintenance slot.
    pub(super) fn count_flying_before_maintenance(&mut self, block: Minutes) {
        self.flown_before_maintenance = self.flown_before_maintenance + block;
    }
}

/// Flies every aircraft with the delay `tolerance`; aircraft with `priority` are advanced first.
pub(super) fn fly_aircraft(
    problem: &RecoveryProblem,
    tolerance: Option<Minutes>,
    priority: &[bool],
) -> FlownLegs {
    let mut pass = AircraftPass::new(problem, tolerance, priority);
    while let Some(Reverse((_, _, a))) = pass.queue.pop() {
        pass.advance(a);
    }
    pass.ferry_to_maintenance();
    pass.finish()
}

/// The state of the pass: what is decided so far and the aircraft waiting for their next decision.
struct AircraftPass<'p> {
    problem: &'p RecoveryProblem,
    tolerance: Option<Minutes>,
    priority: &'p [bool],
    cancelled: Vec<bool>,
    rotations: Vec<Vec<OperatedLeg>>,
    new_flights: Vec<NewFlight>,
    load: AirportLoad,
    states: Vec<AircraftState>,
    /// Aircraft by (priority rank, when their next leg could leave, aircraft): priority aircraft are
    /// advanced first (all of their legs), then the others in time order.
    queue: BinaryHeap<Reverse<(u8, UtcMinute, AircraftIdx)>>,
}

impl<'p> AircraftPass<'p> {
    fn new(
        problem: &'p RecoveryProblem,
        tolerance: Option<Minutes>,
        priority: &'p [bool],
    ) -> AircraftPass<'p> {
        let n_aircraft = problem.aircraft.len();
        let mut pass = AircraftPass {
            problem,
            tolerance,
            priority,
            cancelled: vec![false; problem.flights.len()],
            rotations: vec![Vec::new(); n_aircraft],
            new_flights: Vec::new(),
            load: AirportLoad::new(problem),
            states: (0..n_aircraft)
                .map(|a| AircraftState {
                    next: 0,
                    position: problem.aircraft[a].origin,
                    last_arrival: None,
                    last_number: None,
                    flown_before_maintenance: Minutes::ZERO,
                })
                .collect(),
            queue: BinaryHeap::new(),
        };
        // Legs the disruption cancels. The pass then brings each aircraft back to its next leg (a ferry) or
        // cancels up to the next leg leaving from where it stands.
        for (i, flight) in problem.flights.iter().enumerate() {
            if matches!(flight.disruption, Some(FlightDisruption::Cancelled)) {
                pass.cancelled[i] = true;
            }
        }
        // Fixed legs (frozen history, ground transport, imposed delays) use capacity whatever happens.
        for (i, flight) in problem.flights.iter().enumerate() {
            let f = FlightIdx(i as u32);
            if pass.cancelled[i]
                || !problem.is_fixed(f)
                || problem.tail(flight.planned_aircraft).ground_transport
            {
                continue;
            }
            if let Some((departure, arrival)) = problem.disrupted_times(f) {
                pass.load
                    .add(flight.origin, departure, flight.destination, arrival);
            }
        }
        for a in 0..n_aircraft {
            if let Some(&f) = problem.planned_rotations[a].first() {
                let a = AircraftIdx(a as u16);
                pass.push(a, problem.flight(f).scheduled_departure);
            }
        }
        pass
    }

    /// Queues aircraft `a` to be advanced again at `at`.
    fn push(&mut self, a: AircraftIdx, at: UtcMinute) {
        let rank = u8::from(!self.priority[a.index()]);
        self.queue.push(Reverse((rank, at, a)));
    }

    /// Decides the next leg of aircraft `a` (or ferries it first) and queues it again.
    fn advance(&mut self, a: AircraftIdx) {
        let problem = self.problem;
        let rotation = &problem.planned_rotations[a.index()];
        let mut state = self.states[a.index()];
        // Skip legs already cancelled.
        while state.next < rotation.len() && self.cancelled[rotation[state.next].index()] {
            state.next += 1;
        }
        if state.next >= rotation.len() {
            self.states[a.index()] = state;
            return;
        }
        let k = state.next;
        let f = rotation[k];
        let flight = problem.flight(f);
        let tail = problem.tail(a);
        let block = flight.block_time();

        // Away from where the aircraft must be: its maintenance airport when the slot comes, or the origin
        // of its next leg. A ferry takes it there if one fits; the leg is then decided next round.
        let fixed = problem.is_fixed(f) || tail.ground_transport;
        let maintenance_target = tail.maintenance.filter(|m| {
            flight.scheduled_departure >= m.start
                && state.last_arrival.map_or(true, |t| t <= m.start)
                && state.position != m.airport
        });
        let ferry = match maintenance_target {
            Some(m) => ferry_slot(problem, &self.load, a, &state, m.airport, Some(m.start)),
            None if !fixed && flight.origin != state.position => {
                ferry_slot(problem, &self.load, a, &state, flight.origin, None)
            }
            None => None,
        };
        if let Some(ferry) = ferry {
            let number = fly_ferry(
                problem,
                &mut self.load,
                &mut self.new_flights,
                &mut self.rotations[a.index()],
                &ferry,
            );
            if tail.maintenance.is_some_and(|m| ferry.departure < m.start) {
                state.count_flying_before_maintenance(ferry.block);
            }
            state.position = ferry.destination;
            state.last_arrival = Some(ferry.arrival());
            state.last_number = Some(number);
            self.states[a.index()] = state;
            let at = (ferry.arrival() + tail.turn_round).max(flight.scheduled_departure);
            self.push(a, at);
            return;
        }

        let decision = if fixed {
            // Imposed: flown at its times whatever else happens.
            problem.disrupted_times(f).map(|(departure, _)| departure)
        } else if flight.origin != state.position {
            None
        } else {
            self.earliest_within_commitments(a, k, &state)
        };
        match decision {
            Some(departure) => {
                let arrival = departure + block;
                if !tail.ground_transport && !problem.is_fixed(f) {
                    self.load
                        .add(flight.origin, departure, flight.destination, arrival);
                }
                self.rotations[a.index()].push(OperatedLeg {
                    flight: PlanFlight::Planned(f),
                    departure,
                    arrival,
                });
                if let Some(m) = tail.maintenance {
                    if departure < m.start {
                        state.count_flying_before_maintenance(block);
                    }
                }
                state.position = flight.destination;
                state.last_arrival = Some(arrival);
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
                cancel_round_trip(problem, rotation, k, home, &mut self.cancelled);
                // Always true already unless leg k has imposed times; either way the pass moves on.
                self.cancelled[f.index()] = true;
                // The aircraft stays where it is; the next leg it can fly is decided next.
            }
        }
        self.states[a.index()] = state;
        self.requeue(a, &state);
    }

    /// When leg `k` of aircraft `a`, at its origin, leaves: at the earliest departure that keeps its
    /// commitments and the delay tolerance; past the tolerance only if cancelling the round trip would miss
    /// a commitment; `None` to cancel it.
    fn earliest_within_commitments(
        &self,
        a: AircraftIdx,
        k: usize,
        state: &AircraftState,
    ) -> Option<UtcMinute> {
        let problem = self.problem;
        let rotation = &problem.planned_rotations[a.index()];
        let f = rotation[k];
        let flight = problem.flight(f);
        let lookahead = Lookahead {
            problem,
            load: &self.load,
            cancelled: &self.cancelled,
            a,
        };
        let ready = state.last_arrival.map_or(flight.scheduled_departure, |t| {
            t + problem.ground_time(a, f, state.last_number)
        });
        let earliest = flight.scheduled_departure.max(ready);
        let flyable = earliest_departure(problem, &self.load, a, f, earliest, flight.block_time())
            .filter(|&departure| lookahead.keeps_commitments(k, departure, state));
        let within_tolerance = flyable.filter(|&departure| {
            self.tolerance.map_or(true, |tolerance| {
                departure - flight.scheduled_departure <= tolerance
            })
        });
        // Past the tolerance the round trip is cancelled, unless that would miss a commitment.
        let cancelling_keeps = || {
            round_trip_end(problem, rotation, k, state.position, &self.cancelled).is_some_and(
                |end| {
                    let after = AircraftState {
                        next: end,
                        ..*state
                    };
                    lookahead.reaches_commitments(&after)
                },
            )
        };
        match within_tolerance {
            Some(departure) => Some(departure),
            None if flyable.is_some() && !cancelling_keeps() => flyable,
            None => None,
        }
    }

    /// Queues aircraft `a` again at the time its next leg not cancelled could leave.
    fn requeue(&mut self, a: AircraftIdx, state: &AircraftState) {
        let problem = self.problem;
        let rotation = &problem.planned_rotations[a.index()];
        let mut next = state.next;
        while next < rotation.len() && self.cancelled[rotation[next].index()] {
            next += 1;
        }
        if next < rotation.len() {
            let f = rotation[next];
            let scheduled = problem.flight(f).scheduled_departure;
            let at = match state.last_arrival {
                Some(t) => scheduled.max(t + problem.ground_time(a, f, state.last_number)),
                None => scheduled,
            };
            let at = if problem.is_fixed(f) {
                problem
                    .disrupted_times(f)
                    .map_or(at, |(departure, _)| departure)
            } else {
                at
            };
            self.push(a, at);
        }
    }

    /// Ferries an aircraft whose rotation ends away from its maintenance airport there, if a flight fits.
    fn ferry_to_maintenance(&mut self) {
        let problem = self.problem;
        for (a, state) in self.states.iter().enumerate() {
            let aircraft = AircraftIdx(a as u16);
            let Some(m) = problem.aircraft[a].maintenance else {
                continue;
            };
            let due = self.rotations[a].iter().all(|l| l.departure < m.start);
            if !due || state.position == m.airport {
                continue;
            }
            if let Some(ferry) = ferry_slot(
                problem,
                &self.load,
                aircraft,
                state,
                m.airport,
                Some(m.start),
            ) {
                fly_ferry(
                    problem,
                    &mut self.load,
                    &mut self.new_flights,
                    &mut self.rotations[a],
                    &ferry,
                );
            }
        }
    }

    /// The legs flown, in time order per aircraft, and every planned leg not flown declared cancelled (so
    /// the cost checker credits its operating cost).
    fn finish(self) -> FlownLegs {
        let mut rotations = self.rotations;
        let mut flown = vec![false; self.problem.flights.len()];
        for rotation in &rotations {
            for leg in rotation {
                if let PlanFlight::Planned(f) = leg.flight {
                    flown[f.index()] = true;
                }
            }
        }
        let cancelled = (0..self.problem.flights.len())
            .filter(|&i| !flown[i])
            .map(|i| FlightIdx(i as u32))
            .collect();
        for rotation in &mut rotations {
            rotation.sort_by_key(|l| l.departure);
        }
        FlownLegs {
            rotations,
            new_flights: self.new_flights,
            cancelled,
        }
    }
}
