//! Hourly airport capacities and aircraft breakdowns: how many movements each airport has in each hour, and
//! the earliest minute a flight can leave without an airport over its capacity, an aircraft flying while
//! broken down or during its maintenance slot, or a landing after the window.

use ucodts_model::recovery::{AircraftIdx, AirportIdx, FlightIdx, RecoveryProblem};
use ucodts_model::time::{Minutes, UtcMinute};

/// Departures and arrivals counted at one airport in one hour.
#[derive(Clone, Copy, Default)]
struct Movements {
    departures: u32,
    arrivals: u32,
}

/// Hour-by-hour movement counts of every airport, against its capacity.
pub(super) struct AirportLoad {
    /// The start of the first hour counted.
    first_hour: UtcMinute,
    hours: usize,
    /// `[airport][hours since first_hour]`.
    counts: Vec<Vec<Movements>>,
}

impl AirportLoad {
    /// No movements yet, over every hour a flight of the problem may use.
    pub(super) fn new(problem: &RecoveryProblem) -> AirportLoad {
        let earliest = problem
            .flights
            .iter()
            .map(|f| f.scheduled_departure)
            .min()
            .unwrap_or(problem.window_start)
            .min(problem.window_start);
        let first_hour = earliest.start_of_hour() - Minutes::hours(1);
        // Nothing may arrive after the window closes; fixed legs may (they are counted all the same).
        let latest = problem
            .flights
            .iter()
            .map(|f| f.scheduled_arrival + Minutes::hours(48))
            .max()
            .unwrap_or(problem.window_end)
            .max(problem.window_end);
        let hours = ((latest - first_hour).whole_hours() + 2).max(1) as usize;
        AirportLoad {
            first_hour,
            hours,
            counts: vec![vec![Movements::default(); hours]; problem.airports.len()],
        }
    }

    fn slot(&self, t: UtcMinute) -> Option<usize> {
        let h = (t - self.first_hour).whole_hours();
        (h >= 0 && (h as usize) < self.hours).then_some(h as usize)
    }

    /// Whether `airport` has room for one more departure in the hour of `t`.
    pub(super) fn departure_free(
        &self,
        problem: &RecoveryProblem,
        airport: AirportIdx,
        t: UtcMinute,
    ) -> bool {
        let Some(h) = self.slot(t) else { return false };
        let capacity = problem.airport(airport).capacity_of_hour(t.start_of_hour());
        self.counts[airport.index()][h].departures < capacity.departures
    }

    /// Whether `airport` has room for one more arrival in the hour of `t`.
    pub(super) fn arrival_free(
        &self,
        problem: &RecoveryProblem,
        airport: AirportIdx,
        t: UtcMinute,
    ) -> bool {
        let Some(h) = self.slot(t) else { return false };
        let capacity = problem.airport(airport).capacity_of_hour(t.start_of_hour());
        self.counts[airport.index()][h].arrivals < capacity.arrivals
    }

    /// Counts a flight leaving `origin` at `departure` and landing at `destination` at `arrival`.
    pub(super) fn add(
        &mut self,
        origin: AirportIdx,
        departure: UtcMinute,
        destination: AirportIdx,
        arrival: UtcMinute,
    ) {
        if let Some(h) = self.slot(departure) {
            self.counts[origin.index()][h].departures += 1;
        }
        if let Some(h) = self.slot(arrival) {
            self.counts[destination.index()][h].arrivals += 1;
        }
    }
}

/// The start of the hour after the one `t` falls in.
fn next_hour(t: UtcMinute) -> UtcMinute {
    t.start_of_hour() + Minutes::hours(1)
}

/// The earliest minute at or after `earliest` that leg `f` can leave: the aircraft is not broken down
/// during the flight and both airports have room in the hour. `None` if it would arrive after the window.
pub(super) fn earliest_departure(
    problem: &RecoveryProblem,
    load: &AirportLoad,
    a: AircraftIdx,
    f: FlightIdx,
    earliest: UtcMinute,
    block: Minutes,
) -> Option<UtcMinute> {
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
pub(super) fn earliest_slot(
    problem: &RecoveryProblem,
    load: &AirportLoad,
    a: AircraftIdx,
    (origin, destination): (AirportIdx, AirportIdx),
    earliest: UtcMinute,
    block: Minutes,
    before_maintenance: bool,
) -> Option<UtcMinute> {
    let tail = problem.tail(a);
    let latest = problem.window_end - block;
    let mut t = earliest;
    // Each round moves `t` forward by at least a minute or returns, and `t` is bounded by `latest`.
    while t <= latest {
        if let Some(u) = tail
            .unavailable
            .iter()
            .find(|u| t < u.to && t + block > u.from)
        {
            t = u.to;
            continue;
        }
        if let Some(m) = tail.maintenance {
            if t < m.end && t + block > m.start {
                // Planned before the slot: it must land by the start; after: leave after the end.
                if before_maintenance {
                    return None;
                }
                t = m.end;
                continue;
            }
        }
        if !load.departure_free(problem, origin, t) {
            t = next_hour(t);
            continue;
        }
        let arrival = t + block;
        if !load.arrival_free(problem, destination, arrival) {
            t = next_hour(arrival) - block;
            continue;
        }
        return Some(t);
    }
    None
}
