//! Cutting a sub-problem out of a recovery problem and an incumbent plan, and writing the MILP's answer
//! back into the plan.
//!
//! A [`Neighbourhood`] names some tails of one family and a time window `[from, to)`. Their legs that
//! depart inside the window and are not fixed (frozen or delayed by the disruption), plus the legs
//! planned on them there that the incumbent cancels, become the sub-problem's free legs; everything else
//! the incumbent does stays as it is and becomes the sub-problem's surroundings: where each tail is free,
//! where it must be next, the capacity left per airport hour, and the passengers' other legs.
//!
//! Passenger costs are the challenge's, linearised per leg: the delay cost and compensation of bookings
//! that end on the leg (exact for each departure option), the value of bookings lost when the leg is
//! cancelled or a connection is missed (ticket, compensation and trip-cancellation cost), and seats lost
//! when a smaller cabin flies the leg. The exact cost of the resulting plan is the checker's; the MILP's
//! objective only steers.

use std::collections::BTreeMap;

use ucodts_model::recovery::{
    AircraftIdx, Cents, FlightDisruption, FlightIdx, ItineraryIdx, OperatedLeg, PlanFlight,
    RecoveryPlan, RecoveryProblem, TripDirection, MINIMUM_CONNECTION,
};
use ucodts_model::time::UtcMinute;

use super::network::{
    EndRequirement, FlyingLimit, LegOption, PassengerConnection, SlotLimit, SubAssignment, SubLeg,
    SubProblem, SubTail, TailEnd,
};

/// Departure options of a free leg, in minutes after its scheduled departure (the incumbent's own time is
/// always added, so the incumbent is a solution of every sub-problem cut from it).
pub const DELAY_OPTIONS_MIN: [i64; 14] =
    [0, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 300, 360];

/// Which part of the plan a sub-problem re-optimises.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Neighbourhood {
    /// Tails of one family.
    pub aircraft: Vec<AircraftIdx>,
    pub from: UtcMinute,
    pub to: UtcMinute,
}

/// What the problem's passengers mean for each leg, computed once per problem.
#[derive(Clone, Debug)]
pub struct PassengerIndex {
    /// Per planned flight: bookings on it and the leg's position in each.
    pub bookings: Vec<Vec<(ItineraryIdx, usize)>>,
    /// Per planned flight: booked passengers (all cabins).
    pub booked_load: Vec<u32>,
    /// Per itinerary: what losing the whole group costs (compensation, ticket, trip cancellation), euros.
    pub lost_value: Vec<f64>,
}

impl PassengerIndex {
    pub fn new(problem: &RecoveryProblem) -> PassengerIndex {
        let mut bookings = vec![Vec::new(); problem.flights.len()];
        let mut booked_load = vec![0u32; problem.flights.len()];
        let mut lost_value = Vec::with_capacity(problem.itineraries.len());
        let costs = &problem.costs;
        for (i, it) in problem.itineraries.iter().enumerate() {
            for (p, leg) in it.legs.iter().enumerate() {
                bookings[leg.flight.index()].push((ItineraryIdx(i as u32), p));
                booked_load[leg.flight.index()] += it.passengers;
            }
            let started = it.scheduled_departure < problem.window_start;
            let rate = if it.direction == TripDirection::Return || started {
                costs.return_cancellation[it.reference_cabin.column()][it.class.column()]
            } else {
                costs.outbound_cancellation[it.reference_cabin.column()][it.class.column()]
            };
            let compensation = cancellation_compensation(it.planned_duration.0);
            let per_passenger =
                costs.alpha * euros(it.price + compensation) + costs.beta * euros(rate);
            lost_value.push(per_passenger * it.passengers as f64);
        }
        PassengerIndex {
            bookings,
            booked_load,
            lost_value,
        }
    }

    /// Delay cost and compensation of a group arriving at `arrival`, or its lost value past the maximum
    /// delay of an outbound trip.
    pub fn arrival_cost(
        &self,
        problem: &RecoveryProblem,
        itinerary: ItineraryIdx,
        arrival: UtcMinute,
    ) -> f64 {
        let it = problem.itinerary(itinerary);
        let delay = (arrival - it.scheduled_arrival).0;
        if delay <= 0 {
            return 0.0;
        }
        let limit = if it.class.column() == 2 { 2160 } else { 1080 };
        let started = it.scheduled_departure <= problem.window_start;
        if it.direction == TripDirection::Outbound && !started && delay > limit {
            return self.lost_value[itinerary.index()];
        }
        let costs = &problem.costs;
        let rate = euros(costs.delay_per_minute[it.reference_cabin.column()][it.class.column()]);
        let threshold = match it.planned_duration.0 {
            d if d < 120 => 120,
            d if d < 270 => 180,
            _ => 240,
        };
        let mut compensation = 0.0;
        if delay > threshold {
            compensation += 15.0;
        }
        if delay > 300 {
            compensation += 60.0;
        }
        let pax = it.passengers as f64;
        pax * (costs.beta * rate * delay as f64 + costs.alpha * compensation)
    }
}

fn cancellation_compensation(planned_duration_min: i64) -> Cents {
    // the challenge's EU261-like amounts by planned trip duration
    match planned_duration_min {
        d if d < 120 => Cents(25_000),
        d if d < 270 => Cents(40_000),
        _ => Cents(60_000),
    }
}

fn euros(c: Cents) -> f64 {
    c.0 as f64 / 100.0
}

/// Operating cost of `block` minutes at `cost_per_hour`: whole hours rounded up, as the challenge counts.
pub fn operating_cost(block_min: i64, cost_per_hour: Cents) -> f64 {
    let hours = (block_min.max(0) + 59) / 60;
    euros(cost_per_hour) * hours as f64
}

/// What each leg of the sub-problem stands for in the plan.
#[derive(Clone, Debug, PartialEq)]
enum SubLegSource {
    /// A planned leg the MILP may retime, swap or cancel.
    Free(FlightIdx),
    /// A leg the incumbent flies that stays as it is (fixed times, or a created flight).
    Kept(OperatedLeg),
    /// The tail's maintenance slot.
    Maintenance,
}

/// A sub-problem with what it needs to go back into the plan.
#[derive(Clone, Debug)]
pub struct CutSubProblem {
    pub sub: SubProblem,
    /// The incumbent, as a solution of `sub`.
    pub start: SubAssignment,
    tails: Vec<AircraftIdx>,
    sources: Vec<SubLegSource>,
    /// Per tail of the sub-problem: the incumbent's legs outside the window.
    kept: Vec<Vec<OperatedLeg>>,
}

impl CutSubProblem {
    pub fn free_legs(&self) -> usize {
        self.sources
            .iter()
            .filter(|s| matches!(s, SubLegSource::Free(_)))
            .count()
    }

    /// The incumbent with the sub-problem's legs replaced by `assignment`. Passengers are left as they
    /// were: the caller re-accommodates them.
    pub fn apply(
        &self,
        problem: &RecoveryProblem,
        incumbent: &RecoveryPlan,
        assignment: &SubAssignment,
    ) -> RecoveryPlan {
        let mut plan = incumbent.clone();
        let mut flown_free: BTreeMap<FlightIdx, bool> = BTreeMap::new();
        for (k, &aircraft) in self.tails.iter().enumerate() {
            let mut rotation = self.kept[k].clone();
            for (l, source) in self.sources.iter().enumerate() {
                let Some((tail, option)) = assignment.legs[l] else {
                    continue;
                };
                if tail != k {
                    continue;
                }
                match source {
                    SubLegSource::Free(f) => {
                        let leg = &self.sub.legs[l];
                        let departure = UtcMinute(leg.options[option].departure_min);
                        rotation.push(OperatedLeg {
                            flight: PlanFlight::Planned(*f),
                            departure,
                            arrival: UtcMinute(departure.0 + leg.block_min),
                        });
                    }
                    SubLegSource::Kept(leg) => rotation.push(*leg),
                    SubLegSource::Maintenance => {}
                }
            }
            rotation.sort_by_key(|leg| (leg.departure, leg.arrival));
            plan.rotations[aircraft.index()] = rotation;
        }
        for (l, source) in self.sources.iter().enumerate() {
            if let SubLegSource::Free(f) = source {
                flown_free.insert(*f, assignment.legs[l].is_some());
            }
        }
        plan.cancelled.retain(|f| !flown_free.contains_key(f));
        plan.cancelled.extend(
            flown_free
                .iter()
                .filter(|(_, &flown)| !flown)
                .map(|(&f, _)| f),
        );
        plan.cancelled.sort();
        plan.cancelled.dedup();
        let _ = problem;
        plan
    }
}

/// Where every planned flight is flown in a plan: (aircraft, departure, arrival).
fn operated_flights(
    problem: &RecoveryProblem,
    plan: &RecoveryPlan,
) -> Vec<Option<(AircraftIdx, UtcMinute, UtcMinute)>> {
    let mut operated = vec![None; problem.flights.len()];
    for (a, rotation) in plan.rotations.iter().enumerate() {
        for leg in rotation {
            if let PlanFlight::Planned(f) = leg.flight {
                operated[f.index()] = Some((AircraftIdx(a as u16), leg.departure, leg.arrival));
            }
        }
    }
    operated
}

/// Cuts the sub-problem of `neighbourhood` out of `incumbent`.
pub fn cut(
    problem: &RecoveryProblem,
    passengers: &PassengerIndex,
    incumbent: &RecoveryPlan,
    neighbourhood: &Neighbourhood,
) -> CutSubProblem {
    let from = neighbourhood.from;
    let to = neighbourhood.to;
    let tails: Vec<AircraftIdx> = neighbourhood.aircraft.clone();
    let local: BTreeMap<AircraftIdx, usize> =
        tails.iter().enumerate().map(|(k, &a)| (a, k)).collect();
    let operated = operated_flights(problem, incumbent);
    let costs = &problem.costs;

    let mut sub = SubProblem {
        min_connection_min: MINIMUM_CONNECTION.0,
        ..SubProblem::default()
    };
    let mut sources: Vec<SubLegSource> = Vec::new();
    let mut start_legs: Vec<Option<(usize, usize)>> = Vec::new();
    let mut kept: Vec<Vec<OperatedLeg>> = Vec::with_capacity(tails.len());
    // free legs: (flight, incumbent (tail, departure))
    let mut free: BTreeMap<FlightIdx, Option<(usize, UtcMinute)>> = BTreeMap::new();

    for (k, &aircraft) in tails.iter().enumerate() {
        let tail = problem.tail(aircraft);
        let ground = tail.turn_round.0.max(tail.transit.0);
        let mut rotation = incumbent
            .rotations
            .get(aircraft.index())
            .cloned()
            .unwrap_or_default();
        rotation.sort_by_key(|leg| (leg.departure, leg.arrival));
        let mut before = Vec::new();
        let mut after = Vec::new();
        for leg in rotation {
            if leg.departure < from {
                before.push(leg);
            } else if leg.departure >= to {
                after.push(leg);
            } else {
                match leg.flight {
                    PlanFlight::Planned(f) if !problem.is_fixed(f) => {
                        free.insert(f, Some((k, leg.departure)));
                    }
                    _ => {
                        let block = (leg.arrival - leg.departure).0;
                        let (origin, destination) = incumbent.flight_airports(problem, leg.flight);
                        let mut tail_cost = vec![None; tails.len()];
                        tail_cost[k] = Some(0.0);
                        sources.push(SubLegSource::Kept(leg));
                        start_legs.push(Some((k, 0)));
                        sub.legs.push(SubLeg {
                            origin: origin.0 as u32,
                            destination: destination.0 as u32,
                            block_min: block,
                            flying_min: block,
                            options: vec![LegOption {
                                departure_min: leg.departure.0,
                                cost: 0.0,
                            }],
                            tail_cost,
                            cancel_cost: None,
                            uses_capacity: false,
                            ground_override_min: None,
                        });
                    }
                }
            }
        }
        // where the tail is free
        let (mut start_airport, mut ready) = match before.last() {
            Some(last) => {
                let (_, destination) = incumbent.flight_airports(problem, last.flight);
                (destination.0 as u32, last.arrival.0 + ground)
            }
            None => (tail.origin.0 as u32, problem.window_start.0 - 24 * 60),
        };
        let mut end = after.first().map(|first| {
            let (origin, _) = incumbent.flight_airports(problem, first.flight);
            TailEnd::At {
                airport: origin.0 as u32,
                by_min: first.departure.0,
            }
        });
        let mut flying_limit = None;
        if let Some(m) = tail.maintenance {
            if m.start < from {
                if m.end > from {
                    start_airport = m.airport.0 as u32;
                    ready = ready.max(m.end.0);
                }
            } else {
                let flown_outside: i64 = before
                    .iter()
                    .chain(after.iter())
                    .filter(|leg| leg.departure < m.start)
                    .map(|leg| (leg.arrival - leg.departure).0)
                    .sum();
                flying_limit = Some(FlyingLimit {
                    before_min: m.start.0,
                    minutes_left: m.max_flying_before.0 - flown_outside,
                });
                if m.start < to {
                    let mut tail_cost = vec![None; tails.len()];
                    tail_cost[k] = Some(0.0);
                    sources.push(SubLegSource::Maintenance);
                    start_legs.push(Some((k, 0)));
                    sub.legs.push(SubLeg {
                        origin: m.airport.0 as u32,
                        destination: m.airport.0 as u32,
                        block_min: (m.end - m.start).0,
                        flying_min: 0,
                        options: vec![LegOption {
                            departure_min: m.start.0,
                            cost: 0.0,
                        }],
                        tail_cost,
                        cancel_cost: None,
                        uses_capacity: false,
                        ground_override_min: Some(0),
                    });
                } else {
                    let at_maintenance = TailEnd::At {
                        airport: m.airport.0 as u32,
                        by_min: m.start.0,
                    };
                    end = match end {
                        Some(TailEnd::At { by_min, .. }) if by_min <= m.start.0 => end,
                        _ => Some(at_maintenance),
                    };
                }
            }
        }
        sub.tails.push(SubTail {
            start_airport,
            ready_min: ready,
            end: end.unwrap_or(TailEnd::Free),
            ground_min: ground,
            blocked: tail
                .unavailable
                .iter()
                .map(|u| (u.from.0, u.to.0))
                .collect(),
            flying_limit,
        });
        let mut outside = before;
        outside.extend(after);
        kept.push(outside);
    }
    // legs planned on these tails in the window that the incumbent cancels
    for (k, &aircraft) in tails.iter().enumerate() {
        let _ = k;
        for &f in &problem.planned_rotations[aircraft.index()] {
            let flight = problem.flight(f);
            if operated[f.index()].is_none()
                && !problem.is_fixed(f)
                && problem.disrupted_times(f).is_some()
                && flight.scheduled_departure >= from
                && flight.scheduled_departure < to
            {
                free.entry(f).or_insert(None);
            }
        }
    }

    // passenger surroundings: is each booking still alive outside the sub-problem?
    let is_free = |f: FlightIdx| free.contains_key(&f);
    let alive = |it: ItineraryIdx| {
        problem
            .itinerary(it)
            .legs
            .iter()
            .all(|leg| is_free(leg.flight) || operated[leg.flight.index()].is_some())
    };
    let mut leg_of_flight: BTreeMap<FlightIdx, usize> = BTreeMap::new();
    let mut connections: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    for (&f, &incumbent_leg) in &free {
        let flight = problem.flight(f);
        let block = flight.block_time().0;
        let mut departures: Vec<i64> = DELAY_OPTIONS_MIN
            .iter()
            .map(|d| flight.scheduled_departure.0 + d)
            .collect();
        if let Some((_, departure)) = incumbent_leg {
            departures.push(departure.0);
        }
        departures.retain(|&d| d + block <= problem.window_end.0);
        departures.sort_unstable();
        departures.dedup();
        let planned = problem.tail(flight.planned_aircraft);
        let mut cancel = -costs.alpha * operating_cost(block, planned.cost_per_hour);
        // The controller's actions, priced as the plan's cost prices them (`controller_actions`).
        let prices = problem.action_prices;
        let imposed = match flight.disruption {
            Some(FlightDisruption::Delayed(by)) => by.0,
            _ => 0,
        };
        if let Some(p) = &prices {
            cancel += costs.alpha * p.cancellation as f64;
        }
        let mut options: Vec<LegOption> = departures
            .iter()
            .map(|&d| LegOption {
                departure_min: d,
                cost: match &prices {
                    Some(p) if d != flight.scheduled_departure.0 + imposed => {
                        costs.alpha * p.retime as f64
                    }
                    _ => 0.0,
                },
            })
            .collect();
        let mut lost_per_seat = 0.0;
        let mut lost_pax = 0u32;
        for &(it, position) in &passengers.bookings[f.index()] {
            if !alive(it) {
                continue;
            }
            let itinerary = problem.itinerary(it);
            let lost = passengers.lost_value[it.index()];
            cancel += lost;
            lost_per_seat += lost;
            lost_pax += itinerary.passengers;
            let last = position + 1 == itinerary.legs.len();
            for option in &mut options {
                let arrival = UtcMinute(option.departure_min + block);
                if last {
                    option.cost += passengers.arrival_cost(problem, it, arrival);
                }
                if position > 0 {
                    let previous = itinerary.legs[position - 1].flight;
                    if !is_free(previous) {
                        if let Some((_, _, arrived)) = operated[previous.index()] {
                            if option.departure_min - arrived.0 < MINIMUM_CONNECTION.0 {
                                option.cost += lost;
                            }
                        }
                    }
                }
                if !last {
                    let next = itinerary.legs[position + 1].flight;
                    if !is_free(next) {
                        if let Some((_, departs, _)) = operated[next.index()] {
                            if departs.0 - arrival.0 < MINIMUM_CONNECTION.0 {
                                option.cost += lost;
                            }
                        }
                    }
                }
            }
        }
        let lost_per_passenger = if lost_pax > 0 {
            lost_per_seat / lost_pax as f64
        } else {
            0.0
        };
        let family = planned.family;
        let tail_cost = tails
            .iter()
            .map(|&a| {
                let tail = problem.tail(a);
                if tail.family != family || tail.ground_transport || tail.range.0 < block {
                    return None;
                }
                let seats: u32 = [tail.seats.first, tail.seats.business, tail.seats.economy]
                    .iter()
                    .map(|s| s.unwrap_or(u32::MAX / 4))
                    .sum();
                let left_behind = passengers.booked_load[f.index()].saturating_sub(seats);
                let swap = operating_cost(block, tail.cost_per_hour)
                    - operating_cost(block, planned.cost_per_hour);
                let action = match &prices {
                    Some(p) if a != flight.planned_aircraft => p.tail_swap as f64,
                    _ => 0.0,
                };
                Some(costs.alpha * (swap + action) + left_behind as f64 * lost_per_passenger)
            })
            .collect();
        let start = incumbent_leg.and_then(|(k, departure)| {
            departures
                .iter()
                .position(|&d| d == departure.0)
                .map(|o| (k, o))
        });
        leg_of_flight.insert(f, sub.legs.len());
        sources.push(SubLegSource::Free(f));
        start_legs.push(start);
        sub.legs.push(SubLeg {
            origin: flight.origin.0 as u32,
            destination: flight.destination.0 as u32,
            block_min: block,
            flying_min: block,
            options,
            tail_cost,
            cancel_cost: Some(cancel),
            uses_capacity: true,
            ground_override_min: None,
        });
    }
    // connections inside the sub-problem
    for &f in free.keys() {
        for &(it, position) in &passengers.bookings[f.index()] {
            let itinerary = problem.itinerary(it);
            if position + 1 >= itinerary.legs.len() || !alive(it) {
                continue;
            }
            let next = itinerary.legs[position + 1].flight;
            if let (Some(&a), Some(&b)) = (leg_of_flight.get(&f), leg_of_flight.get(&next)) {
                *connections.entry((a, b)).or_default() += passengers.lost_value[it.index()];
            }
        }
    }
    sub.connections = connections
        .into_iter()
        .map(|((from_leg, to_leg), broken_cost)| PassengerConnection {
            from_leg,
            to_leg,
            broken_cost,
        })
        .collect();

    // capacity left per airport hour
    let mut used: BTreeMap<(u32, i64), (i64, i64)> = BTreeMap::new();
    for (a, rotation) in incumbent.rotations.iter().enumerate() {
        if problem.aircraft.get(a).map_or(true, |t| t.ground_transport) {
            continue;
        }
        for leg in rotation {
            if let PlanFlight::Planned(f) = leg.flight {
                if is_free(f) {
                    continue;
                }
            }
            let (origin, destination) = incumbent.flight_airports(problem, leg.flight);
            used.entry((origin.0 as u32, leg.departure.0.div_euclid(60)))
                .or_default()
                .0 += 1;
            used.entry((destination.0 as u32, leg.arrival.0.div_euclid(60)))
                .or_default()
                .1 += 1;
        }
    }
    let mut touched: BTreeMap<(u32, i64), ()> = BTreeMap::new();
    for leg in sub.legs.iter().filter(|l| l.uses_capacity) {
        for option in &leg.options {
            touched.insert((leg.origin, option.departure_min.div_euclid(60)), ());
            touched.insert(
                (
                    leg.destination,
                    (option.departure_min + leg.block_min).div_euclid(60),
                ),
                (),
            );
        }
    }
    for &(airport, hour) in touched.keys() {
        let capacity = problem.airports[airport as usize].capacity_of_hour(UtcMinute(hour * 60));
        let (departures, arrivals) = used.get(&(airport, hour)).copied().unwrap_or((0, 0));
        sub.slots.push(SlotLimit {
            airport,
            hour,
            departures_left: i64::from(capacity.departures) - departures,
            arrivals_left: i64::from(capacity.arrivals) - arrivals,
        });
    }

    // end-of-window positions for tails that end the window free
    if sub.tails.iter().any(|t| t.end == TailEnd::Free) {
        sub.end_requirements = residual_requirements(problem, incumbent, &tails, &local);
    }
    CutSubProblem {
        sub,
        start: SubAssignment { legs: start_legs },
        tails,
        sources,
        kept,
    }
}

/// Position requirements of the neighbourhood's family left after the family's other tails are matched
/// (same model and configuration first, then same model, then any model), priced per tail.
fn residual_requirements(
    problem: &RecoveryProblem,
    incumbent: &RecoveryPlan,
    tails: &[AircraftIdx],
    local: &BTreeMap<AircraftIdx, usize>,
) -> Vec<EndRequirement> {
    let Some(&first) = tails.first() else {
        return Vec::new();
    };
    let family = problem.tail(first).family;
    let costs = &problem.costs;
    let mut residual: Vec<u32> = problem
        .positions
        .iter()
        .map(|p| if p.family == family { p.count } else { 0 })
        .collect();
    // outside tails of the family and where they end
    let mut outside: Vec<(AircraftIdx, u32)> = Vec::new();
    for (a, tail) in problem.aircraft.iter().enumerate() {
        let aircraft = AircraftIdx(a as u16);
        if tail.family != family || local.contains_key(&aircraft) {
            continue;
        }
        let end = incumbent
            .rotations
            .get(a)
            .and_then(|r| r.iter().max_by_key(|leg| (leg.departure, leg.arrival)))
            .map(|leg| incumbent.flight_airports(problem, leg.flight).1)
            .unwrap_or(tail.origin);
        outside.push((aircraft, end.0 as u32));
    }
    let mut used = vec![false; outside.len()];
    for round in 0..3 {
        for (r, requirement) in problem.positions.iter().enumerate() {
            for (i, &(aircraft, airport)) in outside.iter().enumerate() {
                if residual[r] == 0 {
                    break;
                }
                if used[i] || airport != requirement.airport.0 as u32 {
                    continue;
                }
                let tail = problem.tail(aircraft);
                let matches = match round {
                    0 => tail.model == requirement.model && tail.seats == requirement.seats,
                    1 => tail.model == requirement.model,
                    _ => true,
                };
                if matches {
                    used[i] = true;
                    residual[r] -= 1;
                }
            }
        }
    }
    problem
        .positions
        .iter()
        .zip(residual)
        .filter(|(_, left)| *left > 0)
        .map(|(requirement, left)| EndRequirement {
            airport: requirement.airport.0 as u32,
            count: left,
            penalty_by_tail: tails
                .iter()
                .map(|&a| {
                    let tail = problem.tail(a);
                    let penalty =
                        if tail.model == requirement.model && tail.seats == requirement.seats {
                            Cents::ZERO
                        } else if tail.model == requirement.model {
                            costs.position_penalty_configuration
                        } else {
                            costs.position_penalty_model
                        };
                    costs.gamma * euros(penalty)
                })
                .collect(),
            unmet_penalty: costs.gamma * euros(costs.position_penalty_family),
        })
        .collect()
}
