//! The look-ahead over the rest of an aircraft's rotation: whether a departure still lets the aircraft keep
//! its next fixed commitments (its next leg with imposed times, its maintenance slot's airport and flying
//! allowance), playing the legs in between forward the way the aircraft pass would decide them today.

use ucodts_model::recovery::{AircraftIdx, RecoveryProblem};
use ucodts_model::time::UtcMinute;

use super::aircraft_pass::AircraftState;
use super::capacity::{earliest_departure, AirportLoad};

/// Most rotation states the look-ahead visits for one decision; past it the answer is "no" (cancel), which
/// is always safe.
const LOOKAHEAD_NODES: usize = 400;

/// One aircraft's commitments against the capacity left and the legs cancelled so far.
pub(super) struct Lookahead<'a> {
    pub problem: &'a RecoveryProblem,
    pub load: &'a AirportLoad,
    pub cancelled: &'a [bool],
    pub a: AircraftIdx,
}

impl Lookahead<'_> {
    /// Whether flying leg `k` of the aircraft's rotation at `departure` still lets it keep its next
    /// commitments: reach its next leg with imposed times in place and in time, and be at the maintenance
    /// airport when its slot starts within the flying allowance. The legs in between are played forward the
    /// way the pass would decide them today (earliest departure within breakdowns and the capacity left; a
    /// leg that cannot fly is cancelled with its round trip); other aircraft may still take capacity before
    /// they are decided.
    pub(super) fn keeps_commitments(
        &self,
        k: usize,
        departure: UtcMinute,
        state: &AircraftState,
    ) -> bool {
        let problem = self.problem;
        let rotation = &problem.planned_rotations[self.a.index()];
        let tail = problem.tail(self.a);
        let flight = problem.flight(rotation[k]);
        let mut after = *state;
        let arrival = departure + flight.block_time();
        if let Some(m) = tail.maintenance {
            if departure < m.start {
                after.count_flying_before_maintenance(flight.block_time());
                if arrival > m.start {
                    return false;
                }
            }
        }
        after.position = flight.destination;
        after.last_arrival = Some(arrival);
        after.last_number = Some(flight.number);
        after.next = k + 1;
        self.reaches_commitments(&after)
    }

    /// Whether the rest of the aircraft's rotation from `state` can still keep its next fixed leg and its
    /// maintenance slot: a depth-first search over flying each leg at its earliest departure (within
    /// breakdowns and the capacity left) or cancelling it with its round trip, flying first.
    pub(super) fn reaches_commitments(&self, state: &AircraftState) -> bool {
        let tail = self.problem.tail(self.a);
        let maintenance_due = tail
            .maintenance
            .is_some_and(|m| state.last_arrival.map_or(true, |t| t <= m.start));
        let mut nodes = 0;
        self.search(*state, maintenance_due, &mut nodes)
    }

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
                && state.flown_before_maintenance <= m.max_flying_before
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
            let Some((fixed_departure, _)) = problem.disrupted_times(g) else {
                state.next += 1;
                return self.search(state, maintenance_due, nodes);
            };
            let ready_in_time = state.last_arrival.map_or(true, |t| {
                t + problem.ground_time(self.a, g, state.last_number) <= fixed_departure
            });
            // After a fixed leg the aircraft is back on its plan: nothing further to check here.
            return next.origin == state.position && ready_in_time;
        }
        if next.origin == state.position {
            let ready = state.last_arrival.map_or(next.scheduled_departure, |t| {
                t + problem.ground_time(self.a, g, state.last_number)
            });
            let block = next.block_time();
            let earliest = next.scheduled_departure.max(ready);
            if let Some(t) = earliest_departure(problem, self.load, self.a, g, earliest, block) {
                let mut flown = state;
                if maintenance_due {
                    flown.count_flying_before_maintenance(block);
                }
                flown.position = next.destination;
                flown.last_arrival = Some(t + block);
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
