//! The passenger pass: bookings whose legs all still fly with their connections keep them; every other
//! booking is rebooked greedily, most valuable first, on the earliest-arriving journey with free seats from
//! where the trip stands, within the maximum delay and only if that costs less than cancelling the trip
//! (a problem [`RecoveryProblem::without_rebooking`] cancels those trips instead). A group stranded on its
//! way with no seat left on any journey may take seats from bookings that have not started and cost less
//! to cancel or rebook (a passenger stranded at a hub costs the return rate, one who has not left home the
//! outbound rate; see [`Holders`]). The flights a plan creates
//! carry passengers too: a ferry that takes an aircraft to where a cancelled leg was going has the seats
//! that leg's passengers need.

use std::cmp::Reverse;

use ucodts_model::recovery::check::{MAX_DELAY_INTERCONTINENTAL, MAX_DELAY_SHORT_HAUL};
use ucodts_model::recovery::cost::{
    cancellation_compensation, delay_compensation_threshold, DELAY_COMPENSATION,
    HOTEL_COMPENSATION, HOTEL_DELAY,
};
use ucodts_model::recovery::{
    AirportIdx, Cabin, Cents, FlightIdx, ItineraryIdx, NewFlightIdx, PassengerLeg, PassengerLine,
    PlanFlight, RecoveryPlan, RecoveryProblem, RouteClass, TripDirection, MINIMUM_CONNECTION,
};
use ucodts_model::time::{Minutes, UtcMinute};

use super::journeys::{earliest_path, pick_cabin, Journey, JourneyRequest, Network};

/// Seats free on each leg, per cabin (`None` = unlimited), numbered as in [`Legs`].
pub(super) type FreeSeats = [[Option<i64>; 3]];

/// The legs a plan flies, numbered planned flights first (a [`FlightIdx`]'s index), then the plan's
/// created flights ([`Legs::index`]).
pub(super) struct Legs {
    /// Per leg: (departure, arrival) if flown.
    pub times: Vec<Option<(UtcMinute, UtcMinute)>>,
    /// Per leg: origin and destination.
    pub airports: Vec<(AirportIdx, AirportIdx)>,
    /// How many planned flights the problem has (where the created flights' numbers start).
    planned: usize,
}

impl Legs {
    /// The number of leg `f` in [`Legs::times`], [`Legs::airports`] and [`Seats::free`].
    pub fn index(&self, f: PlanFlight) -> usize {
        match f {
            PlanFlight::Planned(f) => f.index(),
            PlanFlight::New(n) => self.planned + n.index(),
        }
    }

    /// The leg numbered `index` (see [`Legs::index`]).
    pub fn flight(&self, index: usize) -> PlanFlight {
        if index < self.planned {
            PlanFlight::Planned(FlightIdx(index as u32))
        } else {
            PlanFlight::New(NewFlightIdx((index - self.planned) as u32))
        }
    }

    /// (departure, arrival) of leg `f`, if flown.
    pub fn times_of(&self, f: PlanFlight) -> Option<(UtcMinute, UtcMinute)> {
        self.times[self.index(f)]
    }
}

/// The plan's legs and the seats still free on each.
pub(super) struct Seats {
    pub free: Vec<[Option<i64>; 3]>,
    pub legs: Legs,
}

impl Seats {
    /// Seats `passengers` in `cabin` on leg `f`.
    fn take(&mut self, f: PlanFlight, cabin: Cabin, passengers: i64) {
        let i = self.legs.index(f);
        if let Some(s) = &mut self.free[i][cabin.column()] {
            *s -= passengers;
        }
    }
}

/// The passenger lines of `plan`: every booking kept, rebooked or cancelled on the legs it flies.
pub fn rebook_passengers(problem: &RecoveryProblem, plan: &RecoveryPlan) -> Vec<PassengerLine> {
    let n = problem.flights.len() + plan.new_flights.len();
    let mut seats = Seats {
        free: vec![[Some(0); 3]; n],
        legs: Legs {
            times: vec![None; n],
            airports: problem
                .flights
                .iter()
                .map(|f| (f.origin, f.destination))
                .chain(plan.new_flights.iter().map(|f| (f.origin, f.destination)))
                .collect(),
            planned: problem.flights.len(),
        },
    };
    for (a, rotation) in plan.rotations.iter().enumerate() {
        let tail = &problem.aircraft[a];
        let config = tail.seats;
        for leg in rotation {
            // Ground transport carries passengers too, but bookings never use it; neither do we.
            if tail.ground_transport && matches!(leg.flight, PlanFlight::New(_)) {
                continue;
            }
            let i = seats.legs.index(leg.flight);
            seats.legs.times[i] = Some((leg.departure, leg.arrival));
            seats.free[i] = [
                config.first.map(i64::from),
                config.business.map(i64::from),
                config.economy.map(i64::from),
            ];
        }
    }

    let mut lines: Vec<Option<Vec<PassengerLine>>> = vec![None; problem.itineraries.len()];
    let mut to_rebook: Vec<(ItineraryIdx, Vec<FlightIdx>)> = Vec::new();
    let mut holders = Holders {
        on_leg: vec![Vec::new(); seats.legs.times.len()],
        holding: vec![0; problem.itineraries.len()],
        cost_per_passenger: vec![Cents::ZERO; problem.itineraries.len()],
    };
    for (i, it) in problem.itineraries.iter().enumerate() {
        let idx = ItineraryIdx(i as u32);
        let prefix = frozen_prefix(problem, &seats.legs, idx);
        let intact = it
            .legs
            .iter()
            .all(|l| seats.legs.times[l.flight.index()].is_some())
            && it.legs.windows(2).all(|w| {
                let (_, arrival) = seats.legs.times[w[0].flight.index()].expect("checked flown");
                let (departure, _) = seats.legs.times[w[1].flight.index()].expect("checked flown");
                departure - arrival >= MINIMUM_CONNECTION
            })
            && within_max_delay(
                problem,
                idx,
                seats.legs.times[it.legs[it.legs.len() - 1].flight.index()]
                    .expect("checked flown")
                    .1,
                &seats.legs,
                &it.legs.iter().map(|l| l.flight).collect::<Vec<_>>(),
            );
        if intact {
            for l in &it.legs {
                seats.take(
                    PlanFlight::Planned(l.flight),
                    l.cabin,
                    i64::from(it.passengers),
                );
            }
            lines[i] = Some(vec![PassengerLine::as_booked(problem, idx)]);
            if prefix.is_empty() {
                holders.hold(problem, idx);
            }
        } else {
            // The frozen prefix is carried whatever happens; its seats are the group's own.
            for &f in &prefix {
                let cabin = it
                    .legs
                    .iter()
                    .find(|l| l.flight == f)
                    .map_or(it.reference_cabin, |l| l.cabin);
                seats.take(PlanFlight::Planned(f), cabin, i64::from(it.passengers));
            }
            to_rebook.push((idx, prefix));
        }
    }
    // Most valuable bookings first: what cancelling one passenger's trip would cost.
    to_rebook.sort_by_key(|(idx, prefix)| {
        let it = problem.itinerary(*idx);
        (
            Reverse(cancellation_cost_per_passenger(
                problem,
                *idx,
                !prefix.is_empty(),
            )),
            it.id,
        )
    });
    let network = Network::new(problem, &seats.legs);
    let mut bumped: Vec<(ItineraryIdx, i64)> = Vec::new();
    for (idx, prefix) in to_rebook {
        let passengers = i64::from(problem.itinerary(idx).passengers);
        let rebooked = rebook_one(
            problem,
            &network,
            &mut seats,
            Group {
                itinerary: idx,
                prefix: &prefix,
                passengers,
            },
            Some((&mut holders, &mut bumped)),
        );
        lines[idx.index()] = Some(rebooked);
    }
    // Passengers who gave up their seats: the rest of their group keeps the booking; they are rebooked on
    // what is left, or their trip is cancelled.
    for (idx, passengers) in bumped {
        let Some(kept) = lines[idx.index()].as_mut().and_then(|l| l.first_mut()) else {
            continue;
        };
        kept.passengers -= passengers as u32;
        let group = Group {
            itinerary: idx,
            prefix: &[],
            passengers,
        };
        let rebooked = rebook_one(problem, &network, &mut seats, group, None);
        lines[idx.index()]
            .as_mut()
            .expect("a bumped booking has its line")
            .extend(rebooked);
    }
    lines
        .into_iter()
        .flatten()
        .flatten()
        .filter(|l| l.passengers > 0)
        .collect()
}

/// Seats held by bookings that keep their legs and have not started, which a group with nowhere else to
/// sit may take when cancelling or rebooking their holders costs less than cancelling the group.
struct Holders {
    /// Per leg (numbered as in [`Seats`]): the bookings holding seats on it, with their cabin there.
    on_leg: Vec<Vec<(ItineraryIdx, Cabin)>>,
    /// Per itinerary: passengers still holding their booked seats.
    holding: Vec<i64>,
    /// Per itinerary: what cancelling one holder's trip costs.
    cost_per_passenger: Vec<Cents>,
}

impl Holders {
    fn hold(&mut self, problem: &RecoveryProblem, idx: ItineraryIdx) {
        let it = problem.itinerary(idx);
        for l in &it.legs {
            self.on_leg[l.flight.index()].push((idx, l.cabin));
        }
        self.holding[idx.index()] = i64::from(it.passengers);
        self.cost_per_passenger[idx.index()] = cancellation_cost_per_passenger(problem, idx, false);
    }

    /// The free seats of `seats` with every seat of a holder cheaper to cancel than `below` counted as
    /// free.
    fn seats_below(&self, seats: &Seats, below: Cents) -> Vec<[Option<i64>; 3]> {
        let mut free = seats.free.clone();
        for (leg, holders) in self.on_leg.iter().enumerate() {
            for &(h, cabin) in holders {
                if self.cost_per_passenger[h.index()] < below {
                    if let Some(s) = &mut free[leg][cabin.column()] {
                        *s += self.holding[h.index()];
                    }
                }
            }
        }
        free
    }

    /// The holders to bump so that `passengers` fit on `journey`, cheapest first, and what cancelling
    /// their trips costs; `None` if they cannot be found below `below` a passenger.
    fn to_bump(
        &self,
        seats: &Seats,
        journey: &Journey,
        passengers: i64,
        below: Cents,
    ) -> Option<(Vec<(ItineraryIdx, i64)>, Cents)> {
        let mut bumps: Vec<(ItineraryIdx, i64)> = Vec::new();
        let mut cost = Cents::ZERO;
        let taken = |bumps: &[(ItineraryIdx, i64)], h: ItineraryIdx| -> i64 {
            bumps.iter().filter(|(b, _)| *b == h).map(|(_, k)| k).sum()
        };
        for &(f, cabin) in journey {
            let leg = seats.legs.index(f);
            let Some(free) = seats.free[leg][cabin.column()] else {
                continue;
            };
            // seats already freed on this leg by bumps for earlier legs
            let freed: i64 = self.on_leg[leg]
                .iter()
                .filter(|(_, c)| *c == cabin)
                .map(|&(h, _)| taken(&bumps, h))
                .sum();
            let mut need = passengers - free.max(0) - freed;
            let mut candidates: Vec<(Cents, u32, ItineraryIdx)> = self.on_leg[leg]
                .iter()
                .filter(|&&(h, c)| c == cabin && self.cost_per_passenger[h.index()] < below)
                .map(|&(h, _)| (self.cost_per_passenger[h.index()], h.0, h))
                .collect();
            candidates.sort();
            for (per_passenger, _, h) in candidates {
                if need <= 0 {
                    break;
                }
                let k = (self.holding[h.index()] - taken(&bumps, h)).min(need);
                if k > 0 {
                    bumps.push((h, k));
                    cost += per_passenger * k;
                    need -= k;
                }
            }
            if need > 0 {
                return None;
            }
        }
        Some((bumps, cost))
    }

    /// Takes `passengers` of booking `h` off their booked legs.
    fn bump(
        &mut self,
        problem: &RecoveryProblem,
        seats: &mut Seats,
        h: ItineraryIdx,
        passengers: i64,
    ) {
        self.holding[h.index()] -= passengers;
        for l in &problem.itinerary(h).legs {
            seats.take(PlanFlight::Planned(l.flight), l.cabin, -passengers);
        }
    }
}

/// Passengers of one itinerary to rebook from the end of its frozen prefix.
#[derive(Clone, Copy)]
struct Group<'a> {
    itinerary: ItineraryIdx,
    prefix: &'a [FlightIdx],
    passengers: i64,
}

/// The legs of an itinerary already flown when the window opened, which every line of it must carry
/// (SPEC §4 I6): the longest prefix of its legs flown, departing before the window, with connections kept.
fn frozen_prefix(problem: &RecoveryProblem, legs: &Legs, idx: ItineraryIdx) -> Vec<FlightIdx> {
    let it = problem.itinerary(idx);
    let mut prefix = Vec::new();
    let mut last_arrival: Option<UtcMinute> = None;
    for l in &it.legs {
        let Some((departure, arrival)) = legs.times[l.flight.index()] else {
            break;
        };
        if departure >= problem.window_start {
            break;
        }
        if let Some(previous) = last_arrival {
            if departure - previous < MINIMUM_CONNECTION {
                break;
            }
        }
        prefix.push(l.flight);
        last_arrival = Some(arrival);
    }
    prefix
}

/// Whether an outbound trip arriving at `arrival` stays within its maximum delay (return trips and trips
/// already started have none).
fn within_max_delay(
    problem: &RecoveryProblem,
    idx: ItineraryIdx,
    arrival: UtcMinute,
    flown: &Legs,
    legs: &[FlightIdx],
) -> bool {
    let it = problem.itinerary(idx);
    if it.direction == TripDirection::Return {
        return true;
    }
    let started = legs
        .first()
        .and_then(|f| flown.times[f.index()])
        .is_some_and(|(departure, _)| departure <= problem.window_start);
    if started {
        return true;
    }
    arrival - it.scheduled_arrival <= max_trip_delay(it.class)
}

/// Longest delay an outbound trip may arrive late (SPEC §4 P6).
fn max_trip_delay(class: RouteClass) -> Minutes {
    if class == RouteClass::Intercontinental {
        MAX_DELAY_INTERCONTINENTAL
    } else {
        MAX_DELAY_SHORT_HAUL
    }
}

/// What cancelling the trip costs per passenger (ticket, compensation and the cancellation rate). A trip
/// under way (`stranded`: a frozen prefix it keeps) is charged the return rate, as the checker charges a
/// line that ends away from its destination.
pub(super) fn cancellation_cost_per_passenger(
    problem: &RecoveryProblem,
    idx: ItineraryIdx,
    stranded: bool,
) -> Cents {
    let it = problem.itinerary(idx);
    let costs = &problem.costs;
    let rate = if stranded || it.direction == TripDirection::Return {
        costs.return_cancellation
    } else {
        costs.outbound_cancellation
    }[it.reference_cabin.column()][it.class.column()];
    it.price + cancellation_compensation(it.planned_duration) + rate
}

/// What a passenger arriving `delay` late costs (delay rate and the compensation thresholds).
fn delay_cost_per_passenger(problem: &RecoveryProblem, idx: ItineraryIdx, delay: Minutes) -> Cents {
    if delay <= Minutes::ZERO {
        return Cents::ZERO;
    }
    let it = problem.itinerary(idx);
    let rate_per_minute =
        problem.costs.delay_per_minute[it.reference_cabin.column()][it.class.column()];
    let mut compensation = Cents::ZERO;
    if delay > delay_compensation_threshold(it.planned_duration) {
        compensation += DELAY_COMPENSATION;
    }
    if delay > HOTEL_DELAY {
        compensation += HOTEL_COMPENSATION;
    }
    rate_per_minute * delay.0 + compensation
}

/// Where a rebooked journey of itinerary `idx` must go, in order, after its frozen `prefix`: its
/// destination; and, when the problem's cost rules do not count a round-trip passenger flown home as
/// arrived ([`CostRules::round_trip_shortcut`] false), first every booked stop the prefix has not reached,
/// so that such a passenger is taken where the booking was going or not at all.
///
/// [`CostRules::round_trip_shortcut`]: ucodts_model::recovery::cost::CostRules::round_trip_shortcut
pub(super) fn waypoints(
    problem: &RecoveryProblem,
    idx: ItineraryIdx,
    prefix: &[FlightIdx],
) -> Vec<AirportIdx> {
    let it = problem.itinerary(idx);
    let mut out = Vec::new();
    if !problem.cost_rules.round_trip_shortcut && it.origin == it.destination {
        let reached: Vec<AirportIdx> = prefix
            .iter()
            .map(|&f| problem.flight(f).destination)
            .collect();
        if let Some((_, stops)) = it.legs.split_last() {
            for booked in stops {
                let stop = problem.flight(booked.flight).destination;
                if !reached.contains(&stop) && !out.contains(&stop) {
                    out.push(stop);
                }
            }
        }
    }
    out.push(it.destination);
    out
}

/// Where a group stands and may go: from `from`, leaving at or after `after`, landing by `deadline`, seated
/// from `cabin` down.
#[derive(Clone, Copy)]
struct Reach {
    from: AirportIdx,
    after: UtcMinute,
    deadline: UtcMinute,
    cabin: Cabin,
}

/// The earliest-arriving journey for `reach` through each of `waypoints` in turn, with a connection at
/// each; `None` if some part has none.
fn journey(
    problem: &RecoveryProblem,
    network: &Network,
    (legs, free): (&Legs, &FreeSeats),
    reach: Reach,
    waypoints: &[AirportIdx],
) -> Option<Journey> {
    let (mut at, mut ready) = (reach.from, reach.after);
    let mut path = Vec::new();
    for &next in waypoints {
        if next == at && !path.is_empty() {
            continue;
        }
        let request = JourneyRequest {
            origin: at,
            after: ready,
            destination: next,
            deadline: reach.deadline,
            cabin: reach.cabin,
        };
        let part = earliest_path(problem, network, legs, free, &request)?;
        let &(last, _) = part.last()?;
        let (_, arrival) = legs.times_of(last)?;
        path.extend(part);
        at = next;
        ready = arrival + MINIMUM_CONNECTION;
    }
    (!path.is_empty()).then_some(path)
}

/// The journey that takes the group back onto its own booking at booked leg `k`: the earliest journey to
/// that leg's origin (through the booked stops before it that the prefix has not reached, when the rules
/// refuse the round-trip shortcut), then the booked legs from `k` on in their booked cabins. `None` if
/// those legs do not all fly with their connections and a free seat, or the group cannot reach leg `k`
/// in time.
fn rejoin(
    problem: &RecoveryProblem,
    network: &Network,
    (legs, free): (&Legs, &FreeSeats),
    group: Group<'_>,
    reach: Reach,
    k: usize,
) -> Option<Journey> {
    let it = problem.itinerary(group.itinerary);
    let booked = &it.legs[k..];
    let mut suffix: Journey = Vec::with_capacity(booked.len());
    let mut last_arrival: Option<UtcMinute> = None;
    for b in booked {
        let f = PlanFlight::Planned(b.flight);
        let (departure, arrival) = legs.times_of(f)?;
        if last_arrival.is_some_and(|t| departure - t < MINIMUM_CONNECTION) {
            return None;
        }
        let (cabin, _) = pick_cabin(legs, free, f, b.cabin)?;
        suffix.push((f, cabin));
        last_arrival = Some(arrival);
    }
    if last_arrival? > reach.deadline {
        return None;
    }
    let (first_departure, _) = legs.times_of(suffix[0].0)?;
    let joins_at = problem.flight(booked[0].flight).origin;
    // booked stops before leg k the group has still to land at
    let mut waypoints: Vec<AirportIdx> = Vec::new();
    if !problem.cost_rules.round_trip_shortcut && it.origin == it.destination {
        for b in &it.legs[..k] {
            let stop = problem.flight(b.flight).destination;
            let reached = group
                .prefix
                .iter()
                .any(|&f| problem.flight(f).destination == stop);
            if !reached && !waypoints.contains(&stop) {
                waypoints.push(stop);
            }
        }
    }
    let mut path = if waypoints.is_empty() && reach.from == joins_at {
        if reach.after > first_departure {
            return None;
        }
        Vec::new()
    } else {
        if waypoints.last() != Some(&joins_at) {
            waypoints.push(joins_at);
        }
        let connect = Reach {
            deadline: first_departure - MINIMUM_CONNECTION,
            ..reach
        };
        journey(problem, network, (legs, free), connect, &waypoints)?
    };
    path.extend(suffix);
    Some(path)
}

/// What one passenger of itinerary `idx` costs on `path` beyond its ticket: the delay at the end and the
/// downgrades, each leg compared, as the checker does, with its booked cabin if the booking has it, else
/// with the booking's highest cabin.
fn journey_cost_per_passenger(
    problem: &RecoveryProblem,
    legs: &Legs,
    idx: ItineraryIdx,
    path: &Journey,
) -> Option<(UtcMinute, Cents)> {
    let it = problem.itinerary(idx);
    let &(last_leg, _) = path.last()?;
    let (_, arrival) = legs.times_of(last_leg)?;
    let mut cost = delay_cost_per_passenger(problem, idx, arrival - it.scheduled_arrival);
    for &(f, c) in path {
        let base = it
            .legs
            .iter()
            .rev()
            .find(|b| PlanFlight::Planned(b.flight) == f)
            .map_or(it.reference_cabin, |b| b.cabin);
        if c < base {
            let (origin, destination) = legs.airports[legs.index(f)];
            let class = problem
                .routes
                .get(origin, destination)
                .map_or(RouteClass::Domestic, |r| r.class);
            cost += problem.costs.downgrade[base.column()][c.column()][class.column()];
        }
    }
    Some((arrival, cost))
}

/// The cheapest way on for `group` with the seats of `view`: the earliest-arriving journey through the
/// waypoints, or a journey back onto a later leg of its own booking when that costs a passenger less
/// (no downgrade on booked legs, the same arrival); with its cost per passenger.
fn cheapest_journey(
    problem: &RecoveryProblem,
    network: &Network,
    view: (&Legs, &FreeSeats),
    group: Group<'_>,
    reach: Reach,
    waypoints: &[AirportIdx],
) -> Option<(Journey, Cents)> {
    let idx = group.itinerary;
    let it = problem.itinerary(idx);
    let mut best: Option<(Cents, UtcMinute, Journey)> = None;
    let mut consider = |path: Option<Journey>| {
        let Some(path) = path else { return };
        let Some((arrival, cost)) = journey_cost_per_passenger(problem, view.0, idx, &path) else {
            return;
        };
        if best
            .as_ref()
            .map_or(true, |(c, a, _)| (cost, arrival) < (*c, *a))
        {
            best = Some((cost, arrival, path));
        }
    };
    consider(journey(problem, network, view, reach, waypoints));
    for k in group.prefix.len()..it.legs.len() {
        consider(rejoin(problem, network, view, group, reach, k));
    }
    best.map(|(cost, _, path)| (path, cost))
}

/// Rebooks one itinerary whose booked journey no longer works: from the end of its frozen prefix (or its
/// origin) on the cheapest journey with free seats ([`cheapest_journey`]), splitting the group if needed,
/// as long as that costs less than cancelling the trip; whoever is left is cancelled.
/// With `bumping`, a group under way that finds no free seat may take seats from [`Holders`] (recorded in
/// the list for rebooking) when that costs less than cancelling the group.
fn rebook_one(
    problem: &RecoveryProblem,
    network: &Network,
    seats: &mut Seats,
    group: Group<'_>,
    mut bumping: Option<(&mut Holders, &mut Vec<(ItineraryIdx, i64)>)>,
) -> Vec<PassengerLine> {
    let Group {
        itinerary: idx,
        prefix,
        passengers,
    } = group;
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
            let (_, arrival) = seats.legs.times[f.index()].expect("a prefix leg is flown");
            // The first new leg connects with the last flown one.
            (
                problem.flight(f).destination,
                arrival + MINIMUM_CONNECTION,
                true,
            )
        }
        None => (it.origin, it.scheduled_departure, false),
    };
    // A trip not yet started must keep within the maximum delay if outbound (P6); every trip must land
    // before the window closes.
    let deadline = if !started && it.direction == TripDirection::Outbound {
        (it.scheduled_arrival + max_trip_delay(it.class)).min(problem.window_end)
    } else {
        problem.window_end
    };
    let reach = Reach {
        from,
        after,
        deadline,
        cabin: it.reference_cabin,
    };
    let waypoints = waypoints(problem, idx, prefix);
    let cancel_cost = cancellation_cost_per_passenger(problem, idx, started);
    let mut lines = Vec::new();
    let mut left = passengers;
    let mut guard = 0;
    while left > 0 && guard < 16 {
        guard += 1;
        if prefix.is_empty() || from != it.destination {
            if !problem.rebooking {
                break;
            }
            let free_path = cheapest_journey(
                problem,
                network,
                (&seats.legs, &seats.free),
                group,
                reach,
                &waypoints,
            );
            let (path, per_passenger, view) = match (free_path, bumping.as_ref()) {
                (Some((path, cost)), _) => (path, cost, None),
                // Only a trip under way bumps: its passengers are stranded away from home (the return
                // rate), while a holder who has not left home is refunded or rebooked (the outbound rate).
                (None, Some((holders, _))) if started => {
                    // seats of holders cheaper to cancel than this group
                    let view = holders.seats_below(seats, cancel_cost);
                    let Some(path) =
                        journey(problem, network, (&seats.legs, &view), reach, &waypoints)
                    else {
                        break;
                    };
                    let Some((_, cost)) =
                        journey_cost_per_passenger(problem, &seats.legs, idx, &path)
                    else {
                        break;
                    };
                    (path, cost, Some(view))
                }
                _ => break,
            };
            if per_passenger >= cancel_cost {
                break;
            }
            let free = view.as_deref().unwrap_or(&seats.free);
            let room = path
                .iter()
                .map(|&(f, c)| free[seats.legs.index(f)][c.column()].unwrap_or(i64::MAX))
                .min()
                .unwrap_or(0);
            let pax = room.min(left);
            if pax <= 0 {
                break;
            }
            if view.is_some() {
                let (holders, bumped) = bumping.as_mut().expect("a view comes from the holders");
                let Some((bumps, cost)) = holders.to_bump(seats, &path, pax, cancel_cost) else {
                    break;
                };
                // Bump only where the group saves more than its holders lose.
                if cost >= (cancel_cost - per_passenger) * pax {
                    break;
                }
                for (h, k) in bumps {
                    holders.bump(problem, seats, h, k);
                    bumped.push((h, k));
                }
            }
            for &(f, c) in &path {
                seats.take(f, c, pax);
            }
            let mut legs = prefix_legs.clone();
            legs.extend(
                path.iter()
                    .map(|&(flight, cabin)| PassengerLeg { flight, cabin }),
            );
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
