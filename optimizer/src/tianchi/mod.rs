//! A recovery policy for the Tianchi 2017 typhoon challenge (`ucodts_model::tianchi2017`).
//!
//! Construction: every aircraft's rotation is repaired by a shortest path over its own flights
//! ([`route::solve`]): each flight flown as early as bans, curfews, turn time and free slots allow (a
//! domestic flight planned into a take-off ban may instead leave as late as possible before it), cancelled,
//! straightened with its through partner when the middle airport is hit, or skipped by a ferry, always
//! ending where the rotation was planned to end (so the end-of-horizon balance holds by construction).
//! Aircraft are repaired one after another and each books the slots and parking places it uses, so the
//! caps hold across the fleet.
//!
//! Improvement, until the time limit: a large-neighbourhood search that either swaps the tails of two
//! aircraft's rotations at an airport where both pass (a swap, with a type change when the types differ and
//! the tails end at the same airport; never between the two legs of a through pair, wherever they sit in
//! the lists), re-solves a few aircraft in another order, gives one aircraft a new rotation over the whole
//! network that takes flights other aircraft leave cancelled, of any type ([`pickup`], one step in
//! [`PICKUP_ONE_IN`]), or releases every adjustable flight of a few aircraft that pass one airport at about
//! the same time and rebuilds their rotations one after another from that pool ([`ruin`], one step in
//! [`RUIN_ONE_IN`] of the rest), so aircraft trade flights they fly, or trades a flight an aircraft cancels
//! or flies late for another aircraft's flight with the same airports up to a day away ([`substitute`], one
//! step in [`SUBSTITUTE_ONE_IN`] of those that are not pickups). A change is kept when the estimated
//! cost does not rise; after [`STALL_STEPS`] steps without a better estimate the search goes back to its
//! best state and for [`TRAVEL_STEPS`] steps also keeps changes within [`RECORD_DEVIATION`] of it
//! (record-to-record travel), which lets it leave a local optimum. Every route the search solves goes into
//! a pool, and once in [`RECOMBINE_EVERY_STEPS`] steps a set-partitioning MILP recombines pooled routes of
//! a group of aircraft into a better state ([`pool`]). Season 2's passengers are then rebooked
//! (sign-change) onto later flights with the same airports and free seats. Every plan returned has been
//! through `ucodts_model::tianchi2017::evaluate`: the state with the best estimate is checked every
//! [`SCORE_EVERY_STEPS`] steps and kept when the checker scores it better.
//!
//! Deterministic for a seed: all draws come from one SplitMix64 stream, nothing depends on threads and no
//! decision but stopping reads the clock, so a run stopped after a given number of steps returns the same
//! plan on any machine; only how many steps fit in the time limit depends on the machine.

#[cfg(test)]
mod fixtures;
pub mod pickup;
mod pool;
pub mod route;
mod ruin;
mod substitute;
pub mod timing;

use std::collections::BTreeMap;
use std::time::Duration;

use ucodts_model::tianchi2017::{
    evaluate, original_turns, passenger_flows, rules, weights, BanKind, PlanLine,
    TyphoonEvaluation, TyphoonPlan, TyphoonProblem, Weights,
};
use ucodts_model::UtcMinute;

use crate::lns::Draws;
use crate::Clock;
use route::{Decision, Route};
use timing::SlotBook;

/// What the policy is given.
#[derive(Clone, Debug)]
pub struct TyphoonOptions {
    pub time_limit: Duration,
    pub seed: u64,
}

/// The best plan found, its verdict and when it was found.
#[derive(Clone, Debug)]
pub struct TyphoonRecovery {
    pub plan: TyphoonPlan,
    pub evaluation: TyphoonEvaluation,
    pub seconds_to_first_feasible: Option<f64>,
    pub seconds_to_best: f64,
    /// Search steps tried and kept.
    pub steps: u64,
    pub steps_kept: u64,
}

/// Per-flight facts the search reads again and again.
pub struct Context<'a> {
    pub problem: &'a TyphoonProblem,
    weights: Weights,
    turns: BTreeMap<(usize, usize), i64>,
    pub cancellable: Vec<bool>,
    pub cancel_cost: Vec<f64>,
    pub max_delay: Vec<i64>,
    /// For a domestic flight planned into a take-off ban: the ban's start, the latest an advance may leave.
    pub advance_until: Vec<Option<i64>>,
    /// The second leg, where this flight may be straightened with it.
    pub straightenable: Vec<Option<usize>>,
    /// The second leg of the through pair this flight opens.
    pub pair_second: Vec<Option<usize>>,
    pub pair_first: Vec<Option<usize>>,
    pub start_airport: Vec<u32>,
    pub rotations: Vec<Vec<usize>>,
    /// Dense copies of the route bans, the flight-time table and the domestic airports for the searches'
    /// inner loops (the problem's B-tree lookups were a tenth of a step): airports below `airports` only.
    airports: usize,
    types: usize,
    route_banned: Vec<bool>,
    table: Vec<i64>,
    domestic: Vec<bool>,
}

impl<'a> Context<'a> {
    pub fn new(problem: &'a TyphoonProblem) -> Context<'a> {
        let n = problem.flights.len();
        let weights = Weights::of(problem.season);
        let mut turns = BTreeMap::new();
        for ((a, b), m) in original_turns(problem) {
            if let (Some(i), Some(j)) = (problem.flight_index(a), problem.flight_index(b)) {
                turns.insert((i, j), m);
            }
        }
        let mut pair_second = vec![None; n];
        let mut pair_first = vec![None; n];
        for pair in &problem.through_pairs {
            if let (Some(i), Some(j)) = (
                problem.flight_index(pair.first),
                problem.flight_index(pair.second),
            ) {
                pair_second[i] = Some(j);
                pair_first[j] = Some(i);
            }
        }
        let f = &problem.flights;
        let adjustable: Vec<bool> = f.iter().map(|x| problem.adjustable(x)).collect();
        let cancellable = (0..n)
            .map(|i| {
                adjustable[i]
                    && pair_first[i].is_none_or_adjustable(&adjustable)
                    && pair_second[i].is_none_or_adjustable(&adjustable)
            })
            .collect();
        let cancel_cost = (0..n)
            .map(|i| {
                weights.cancellation * f[i].importance + cancelled_passengers(problem, &weights, i)
            })
            .collect();
        let max_delay = f
            .iter()
            .map(|x| {
                if x.international {
                    rules::MAX_DELAY_INTERNATIONAL_MINUTES
                } else {
                    rules::MAX_DELAY_DOMESTIC_MINUTES
                }
            })
            .collect();
        let advance_until = f
            .iter()
            .enumerate()
            .map(|(i, x)| {
                if !adjustable[i] || x.international {
                    return None;
                }
                problem
                    .banned(x.from, BanKind::Takeoff, x.departure)
                    .map(|b| b.start.0)
            })
            .collect();
        let straightenable = (0..n)
            .map(|i| {
                let j = pair_second[i]?;
                let (a, b) = (&f[i], &f[j]);
                let hit = problem.banned(a.to, BanKind::Landing, a.arrival).is_some()
                    || problem
                        .banned(a.to, BanKind::Takeoff, b.departure)
                        .is_some();
                (adjustable[i] && adjustable[j] && !a.international && !b.international && hit)
                    .then_some(j)
            })
            .collect();
        let by_id = problem.rotations();
        let rotations: Vec<Vec<usize>> = problem
            .aircraft
            .iter()
            .map(|a| by_id.get(&a.id).cloned().unwrap_or_default())
            .collect();
        let start_airport = rotations
            .iter()
            .map(|r| r.first().map_or(0, |&i| f[i].from))
            .collect();
        let airports = f
            .iter()
            .flat_map(|x| [x.from, x.to])
            .max()
            .map_or(0, |m| m as usize + 1)
            .min(1 << 12);
        let mut route_banned = vec![false; problem.aircraft.len() * airports * airports];
        let by_aircraft: BTreeMap<u32, usize> = problem
            .aircraft
            .iter()
            .enumerate()
            .map(|(k, a)| (a.id, k))
            .collect();
        for &(id, from, to) in &problem.route_bans {
            if let Some(&k) = by_aircraft.get(&id) {
                let (x, y) = (from as usize, to as usize);
                if x < airports && y < airports {
                    route_banned[(k * airports + x) * airports + y] = true;
                }
            }
        }
        let types = problem
            .aircraft
            .iter()
            .map(|a| a.aircraft_type as usize + 1)
            .max()
            .unwrap_or(0);
        let mut table = vec![-1; types * airports * airports];
        for (&(t, from, to), m) in &problem.flight_times {
            let (t, x, y) = (t as usize, from as usize, to as usize);
            if t < types && x < airports && y < airports {
                table[(t * airports + x) * airports + y] = m.0;
            }
        }
        let domestic = (0..airports)
            .map(|x| problem.domestic_airports.contains(&(x as u32)))
            .collect();
        Context {
            problem,
            weights,
            airports,
            types,
            route_banned,
            table,
            domestic,
            turns,
            cancellable,
            cancel_cost,
            max_delay,
            advance_until,
            straightenable,
            pair_second,
            pair_first,
            start_airport,
            rotations,
        }
    }

    /// Whether aircraft `aircraft` (index) may not fly `from -> to` (rule 6).
    pub fn route_banned(&self, aircraft: usize, from: u32, to: u32) -> bool {
        let (x, y, n) = (from as usize, to as usize, self.airports);
        if x < n && y < n {
            self.route_banned[(aircraft * n + x) * n + y]
        } else {
            let id = self.problem.aircraft[aircraft].id;
            self.problem.route_bans.contains(&(id, from, to))
        }
    }

    /// Block minutes of a ferry or straightened flight of `aircraft_type` from `from` to `to`, from the table.
    pub fn table_block(&self, aircraft_type: u8, from: u32, to: u32) -> Option<i64> {
        let (t, x, y, n) = (
            aircraft_type as usize,
            from as usize,
            to as usize,
            self.airports,
        );
        if t < self.types && x < n && y < n {
            let m = self.table[(t * n + x) * n + y];
            (m >= 0).then_some(m)
        } else {
            self.problem
                .table_block(aircraft_type, from, to)
                .map(|m| m.0)
        }
    }

    /// Whether `airport` is domestic (both ends of a ferry must be).
    pub fn domestic(&self, airport: u32) -> bool {
        let x = airport as usize;
        if x < self.airports {
            self.domestic[x]
        } else {
            self.problem.domestic_airports.contains(&airport)
        }
    }

    /// The least ground time between flights `last` and `next` on one aircraft.
    pub fn turn(&self, last: usize, next: usize) -> i64 {
        let planned = self.turns.get(&(last, next)).copied().unwrap_or(i64::MAX);
        rules::MIN_TURN_MINUTES.min(planned)
    }

    /// Where an aircraft flying `tasks` must end: where the last of them was planned to arrive.
    pub fn end_airport(&self, tasks: &[usize], aircraft: usize) -> u32 {
        tasks.last().map_or(self.start_airport[aircraft], |&i| {
            self.problem.flights[i].to
        })
    }

    fn swap_cost(&self, i: usize, aircraft: usize) -> f64 {
        let f = &self.problem.flights[i];
        let a = &self.problem.aircraft[aircraft];
        let mut cost = self.weights.type_change
            * self.weights.type_factor(f.aircraft_type, a.aircraft_type)
            * f.importance;
        if a.id != f.aircraft {
            let cutoff = UtcMinute::from_date_minute(
                ucodts_model::Date::new(2017, 5, 6).expect("a valid date"),
                16 * 60,
            );
            cost += f.importance
                * if f.departure <= cutoff {
                    self.weights.swap_early
                } else {
                    self.weights.swap_late
                };
        }
        cost
    }

    fn shift_cost(&self, i: usize, aircraft: usize, departure: i64, passengers: u32) -> f64 {
        let f = &self.problem.flights[i];
        let shift = departure - f.departure.0;
        let h = shift.abs() as f64 / 60.0;
        let mut cost = if shift > 0 {
            self.weights.delay_per_hour * f.importance * h
        } else {
            self.weights.advance_per_hour * f.importance * h
        };
        if self.weights.passengers {
            let seats = self.problem.aircraft[aircraft].seats;
            let flown = passengers.min(seats);
            if shift > 0 {
                cost += f64::from(flown) * weights::delayed_passenger(h);
            }
            cost += self.weights.cancelled_passenger * f64::from(passengers - flown);
        }
        cost
    }

    /// Estimated cost of flying flight `i` on `aircraft` leaving at `departure`.
    pub fn fly_cost(&self, i: usize, aircraft: usize, departure: i64) -> f64 {
        self.swap_cost(i, aircraft)
            + self.shift_cost(i, aircraft, departure, self.problem.flights[i].passengers)
    }

    /// Estimated cost of straightening `first` and `second` on `aircraft` leaving at `departure`.
    pub fn straighten_cost(
        &self,
        first: usize,
        second: usize,
        aircraft: usize,
        departure: i64,
    ) -> f64 {
        let (a, b) = (&self.problem.flights[first], &self.problem.flights[second]);
        let through = a.through_passengers.min(b.through_passengers);
        let local = a.passengers.saturating_sub(through) + b.passengers.saturating_sub(through);
        self.weights.straightening * (a.importance + b.importance)
            + self.swap_cost(first, aircraft)
            + self.shift_cost(first, aircraft, departure, through)
            + self.weights.cancelled_passenger * f64::from(local)
    }
}

/// How long after their own flight's planned departure passengers may be rebooked (the checker refuses later).
const REBOOK_HORIZON_MINUTES: i64 = 48 * 60;

/// What the passengers of flight `i` cost when it is cancelled. Season 2 rebooks them (sign-change) onto
/// later flights with the same airports, so the price is what the rebooking would cost where the later
/// flights of the plan as given have seats left within 48 h, in their order, and the cancellation price for
/// the rest (the checker's terms: each rebooked passenger by the hours to the flight that takes them). It
/// reads the planned schedule, not the search's state, so it is fixed for a run: it ignores other
/// cancelled flights competing for the same seats, and the delays of the flights that take them.
fn cancelled_passengers(problem: &TyphoonProblem, w: &Weights, i: usize) -> f64 {
    let f = &problem.flights[i];
    let all = w.cancelled_passenger * f64::from(f.passengers);
    if !w.passengers {
        return all;
    }
    let mut later: Vec<&ucodts_model::tianchi2017::Flight> = problem
        .flights
        .iter()
        .enumerate()
        .filter(|&(j, g)| {
            j != i
                && g.from == f.from
                && g.to == f.to
                && g.departure >= f.departure
                && g.departure.0 - f.departure.0 <= REBOOK_HORIZON_MINUTES
        })
        .map(|(_, g)| g)
        .collect();
    later.sort_by_key(|g| (g.departure, g.id));
    let mut left = f.passengers;
    let mut cost = 0.0;
    for g in later {
        if left == 0 {
            break;
        }
        let seats = problem.aircraft_by_id(g.aircraft).map_or(0, |a| a.seats);
        let n = left.min(seats.saturating_sub(g.passengers));
        let hours = (g.departure.0 - f.departure.0) as f64 / 60.0;
        let each = weights::rebooked_passenger(hours).min(w.cancelled_passenger);
        cost += each * f64::from(n);
        left -= n;
    }
    cost + w.cancelled_passenger * f64::from(left)
}

trait AdjustablePartner {
    fn is_none_or_adjustable(&self, adjustable: &[bool]) -> bool;
}

impl AdjustablePartner for Option<usize> {
    fn is_none_or_adjustable(&self, adjustable: &[bool]) -> bool {
        self.map_or(true, |j| adjustable[j])
    }
}

/// The fleet's routes and the slots and parking places they hold.
#[derive(Clone)]
struct State {
    tasks: Vec<Vec<usize>>,
    fixed: Vec<usize>,
    routes: Vec<Route>,
    /// Aircraft whose route ignores slots and parking caps (no route kept them).
    relaxed: Vec<bool>,
    slots: SlotBook,
    parked: Vec<u32>,
}

/// What a route that ignores the shared caps costs extra, so the search trades it for anything feasible.
const RELAXED_PENALTY: f64 = 1.0e7;

impl State {
    fn total(&self) -> f64 {
        self.routes.iter().map(|r| r.cost).sum::<f64>()
            + self.relaxed.iter().filter(|r| **r).count() as f64 * RELAXED_PENALTY
    }

    fn parking_left(&self, ctx: &Context) -> Vec<u32> {
        ctx.problem
            .parking
            .iter()
            .zip(&self.parked)
            .map(|(cap, &n)| cap.cap.map_or(u32::MAX, |c| c.saturating_sub(n)))
            .collect()
    }

    fn book(&mut self, ctx: &Context, a: usize, delta: i32) {
        let moves = self.routes[a].movements(ctx);
        for &(from, dep, to, arr) in &moves {
            self.slots.book(from, dep, delta);
            self.slots.book(to, arr, delta);
        }
        for w in moves.windows(2) {
            let (airport, arrived, left) = (w[0].2, w[0].3, w[1].1);
            for (k, cap) in ctx.problem.parking.iter().enumerate() {
                if cap.airport == airport && arrived <= cap.start.0 && left >= cap.end.0 {
                    self.parked[k] = self.parked[k]
                        .checked_add_signed(delta)
                        .expect("parking bookings stay balanced");
                }
            }
        }
    }

    /// Solves aircraft `a` against what the others hold and books it; false if no route keeps the caps.
    fn solve(&mut self, ctx: &Context, a: usize, allow_relaxed: bool) -> bool {
        let left = self.parking_left(ctx);
        let strict = route::solve(
            ctx,
            a,
            &self.tasks[a],
            self.fixed[a],
            &self.slots,
            &left,
            true,
        );
        let (route, relaxed) = match strict {
            Some(r) => (r, false),
            None if allow_relaxed => (
                route::solve(
                    ctx,
                    a,
                    &self.tasks[a],
                    self.fixed[a],
                    &self.slots,
                    &left,
                    false,
                )
                .unwrap_or_default(),
                true,
            ),
            None => return false,
        };
        self.routes[a] = route;
        self.relaxed[a] = relaxed;
        self.book(ctx, a, 1);
        true
    }
}

fn fixed_prefix(ctx: &Context, tasks: &[usize]) -> usize {
    tasks
        .iter()
        .take_while(|&&i| !ctx.problem.adjustable(&ctx.problem.flights[i]))
        .count()
}

/// The search's running state: the incumbent routes, the best plan scored so far and the counters.
struct Search<'c, 'p> {
    ctx: &'c Context<'p>,
    state: State,
    current: f64,
    best: (TyphoonPlan, TyphoonEvaluation),
    first_feasible: Option<f64>,
    best_at: f64,
    steps: u64,
    kept: u64,
    draws: Draws,
    same_group: Vec<Vec<usize>>,
    /// The state with the lowest estimate so far, and whether the checker has seen it.
    best_estimate: (f64, State),
    best_estimate_scored: bool,
    /// Steps since the best estimate last fell, and the step until which the search travels.
    since_best: u64,
    kick_until: u64,
    /// Every route the search solved, for the recombination ([`pool`]).
    pool: pool::Pool,
}

impl Search<'_, '_> {
    /// Scores the state with the lowest estimate with the checker and keeps it if it beats the best.
    fn score(&mut self, now: Duration) {
        self.best_estimate_scored = true;
        let candidate = finish(self.ctx, &self.best_estimate.1);
        if candidate.1.feasible && self.first_feasible.is_none() {
            self.first_feasible = Some(now.as_secs_f64());
        }
        if better(&candidate.1, &self.best.1) {
            self.best = candidate;
            self.best_at = now.as_secs_f64();
        }
    }

    /// Record-to-record travel (Dueck 1993): a candidate is kept when its estimate is no worse than the
    /// incumbent's or within [`RECORD_DEVIATION`] of the best estimate so far, so the search can step out of
    /// a local optimum by a cancellation or so at a time and never drifts far from its record.
    fn accept(&mut self, total: f64) -> bool {
        let deviation = if self.steps < self.kick_until {
            RECORD_DEVIATION
        } else {
            0.0
        };
        let ok = total <= self.current + 1e-6 || total <= self.best_estimate.0 + deviation;
        if ok {
            if total < self.current - 1e-6 {
                self.kept += 1;
            }
            self.current = total;
        }
        ok
    }

    /// The large-neighbourhood search until `until`.
    fn improve(&mut self, until: Duration, clock: &dyn Clock, index: &pickup::Index) {
        let ctx = self.ctx;
        let same_route = &substitute::SameRoute::new(ctx);
        let problem = ctx.problem;
        let n = problem.aircraft.len();
        while clock.elapsed() < until {
            self.steps += 1;
            let state = &mut self.state;
            let draws = &mut self.draws;
            // The aircraft to work on: one in trouble (a costly route) most of the time.
            let troubled: Vec<usize> = (0..n)
                .filter(|&a| state.routes[a].cost > 1.0 || state.relaxed[a])
                .collect();
            let a = if !troubled.is_empty() && draws.below(4) > 0 {
                troubled[draws.below(troubled.len())]
            } else {
                draws.below(n)
            };
            let saved = state.clone();
            let mut shuffle = true;
            let touched: Vec<usize> = if draws.below(PICKUP_ONE_IN) == 0 {
                match pickup_move(ctx, index, state, a) {
                    Some(touched) => {
                        shuffle = false;
                        touched
                    }
                    None => {
                        *state = saved;
                        continue;
                    }
                }
            } else if draws.below(SUBSTITUTE_ONE_IN) == 0 {
                match substitute::substitute(ctx, same_route, state, a, draws) {
                    Some(touched) => touched,
                    None => {
                        *state = saved;
                        continue;
                    }
                }
            } else if draws.below(RUIN_ONE_IN) == 0 {
                let set = ruin::group(ctx, state, a, draws);
                match ruin::rebuild(ctx, index, state, &set, draws) {
                    Some(order) => {
                        shuffle = false;
                        order
                    }
                    None => {
                        *state = saved;
                        continue;
                    }
                }
            } else if draws.below(3) > 0 {
                let b = if draws.below(5) == 0 || self.same_group[a].is_empty() {
                    let mut b = draws.below(n);
                    if b == a {
                        b = (b + 1) % n;
                    }
                    b
                } else {
                    self.same_group[a][draws.below(self.same_group[a].len())]
                };
                match exchange_point(ctx, state, a, b, draws) {
                    Some((i, j)) => {
                        let ta = state.tasks[a].clone();
                        let tb = state.tasks[b].clone();
                        state.book(ctx, a, -1);
                        state.book(ctx, b, -1);
                        state.tasks[a] = [&ta[..i], &tb[j..]].concat();
                        state.tasks[b] = [&tb[..j], &ta[i..]].concat();
                        vec![a, b]
                    }
                    None => continue,
                }
            } else {
                let mut set = vec![a];
                for _ in 0..draws.below(3) + 1 {
                    let b = draws.below(n);
                    if !set.contains(&b) {
                        set.push(b);
                    }
                }
                for &x in &set {
                    state.book(ctx, x, -1);
                }
                set
            };
            let mut order = touched.clone();
            if shuffle {
                for k in (1..order.len()).rev() {
                    order.swap(k, draws.below(k + 1));
                }
            }
            let mut ok = true;
            for &x in &order {
                if !state.solve(ctx, x, saved.relaxed[x]) {
                    ok = false;
                    break;
                }
                self.pool
                    .add(ctx, &state.slots, x, &state.tasks[x], &state.routes[x]);
            }
            let total = state.total();
            if !(ok && self.accept(total)) {
                self.state = saved;
            } else if self.current < self.best_estimate.0 - 1e-6 {
                self.best_estimate = (self.current, self.state.clone());
                self.best_estimate_scored = false;
                self.since_best = 0;
            }
            self.since_best += 1;
            // Stuck: back to the best state, and travel from it for a while.
            if self.since_best >= STALL_STEPS {
                self.state = self.best_estimate.1.clone();
                self.current = self.best_estimate.0;
                self.kick_until = self.steps + TRAVEL_STEPS;
                self.since_best = 0;
            }
            // Score the best state now and then, after a count of steps (never after a time, so that a run
            // is the same at every step count): the estimate guides, the checker decides.
            let every = if self.first_feasible.is_none() {
                50
            } else {
                SCORE_EVERY_STEPS
            };
            if !self.best_estimate_scored && self.steps % every == 0 {
                self.score(clock.elapsed());
            }
            if self.steps % RECOMBINE_EVERY_STEPS == 0 {
                self.recombine(clock);
            }
        }
    }

    /// Recombines the pool's routes by the set-partitioning master ([`pool`]), started from the state
    /// with the best estimate; the result replaces that state only when its estimate is lower and the
    /// checker finds it feasible and better than the best plan so far.
    fn recombine(&mut self, clock: &dyn Clock) {
        let ctx = self.ctx;
        let start = self.pool.add_state(ctx, &self.best_estimate.1);
        let a = self.draws.below(start.len());
        let free = self.pool.neighbours(a, RECOMBINE_AIRCRAFT);
        let chosen = self.pool.choose(ctx, &start, &free);
        let Some(state) = chosen.and_then(|c| self.pool.state_of(ctx, &c)) else {
            return;
        };
        let total = state.total();
        if total >= self.best_estimate.0 - 1e-6 {
            return;
        }
        let candidate = finish(ctx, &state);
        if !(candidate.1.feasible && better(&candidate.1, &self.best.1)) {
            return;
        }
        self.state = state;
        self.current = total;
        self.best_estimate = (total, self.state.clone());
        self.best_estimate_scored = true;
        self.since_best = 0;
        self.best = candidate;
        self.best_at = clock.elapsed().as_secs_f64();
    }
}

/// The pool is recombined once in this many steps (a count, not a time, so that a run repeats itself).
const RECOMBINE_EVERY_STEPS: u64 = 2_000;
/// Aircraft a recombination frees (the others keep their routes): an aircraft and those whose routes
/// compete with its own for flights.
const RECOMBINE_AIRCRAFT: usize = 20;

/// One step in this many of those that are not pickups is a same-route substitution ([`substitute`]),
/// which costs about a swap.
const SUBSTITUTE_ONE_IN: usize = 10;
/// One step in this many is a pickup ([`pickup_move`]), which costs a few dozen swaps.
const PICKUP_ONE_IN: usize = 40;
/// One step in this many of the rest is a ruin and recreate ([`ruin`]), which costs a few pickups.
const RUIN_ONE_IN: usize = 100;
/// How far above the best estimate the search may travel: a few cancelled flights with their passengers.
const RECORD_DEVIATION: f64 = 3_000.0;
/// Steps without a better estimate after which the search goes back to its best state and travels.
const STALL_STEPS: u64 = 20_000;
/// Steps it then travels (accepting worse states within [`RECORD_DEVIATION`] of the best) before it
/// climbs again.
const TRAVEL_STEPS: u64 = 2_000;
/// The best state is scored by the checker at most once in this many steps (a check costs a few hundred).
const SCORE_EVERY_STEPS: u64 = 500;

/// Gives aircraft `a` a new rotation over the whole network ([`pickup::best_route`]): it may take the
/// flights other aircraft leave cancelled (with their through partners), and the flights of its own it no
/// longer flies stay in its list, cancelled unless the re-solve fits them. The aircraft and those it takes
/// from are unbooked and returned (`a` first) for re-solving; None (state untouched but for nothing) where
/// no new rotation differs.
fn pickup_move(
    ctx: &Context,
    index: &pickup::Index,
    state: &mut State,
    a: usize,
) -> Option<Vec<usize>> {
    let p = ctx.problem;
    let nf = p.flights.len();
    let mut holder = vec![usize::MAX; nf];
    let mut flown = vec![false; nf];
    for (b, t) in state.tasks.iter().enumerate() {
        for &i in t {
            holder[i] = b;
        }
        for i in state.routes[b].flown_flights() {
            flown[i] = true;
        }
    }
    let last_of = |i: usize| -> bool {
        let b = holder[i];
        b != a && b != usize::MAX && state.tasks[b].last() == Some(&i)
    };
    let partner = |i: usize| ctx.pair_first[i].or(ctx.pair_second[i]);
    let free = |i: usize| -> bool {
        holder[i] != usize::MAX
            && p.adjustable(&p.flights[i])
            && (holder[i] == a || !flown[i] && !last_of(i))
    };
    let allowed: Vec<bool> = (0..nf)
        .map(|i| free(i) && partner(i).map_or(true, |j| holder[j] == a || free(j)))
        .collect();
    let target = ctx.end_airport(&state.tasks[a], a);
    state.book(ctx, a, -1);
    let left = state.parking_left(ctx);
    let ask = pickup::Ask {
        aircraft: a,
        prefix: &state.tasks[a],
        fixed: state.fixed[a],
        allowed: &allowed,
        target,
    };
    let route = pickup::best_route(ctx, index, &ask, &state.slots, &left)?;
    let mut list: Vec<usize> = route.flown_flights().collect();
    let mut taken: Vec<usize> = list.iter().copied().filter(|&i| holder[i] != a).collect();
    if taken.is_empty() {
        return None;
    }
    // Through partners come along, next to their leg.
    for k in 0..taken.len() {
        let i = taken[k];
        if let Some(j) = partner(i).filter(|&j| holder[j] != a && !list.contains(&j)) {
            let at = list
                .iter()
                .position(|&x| x == i)
                .expect("taken from the list");
            if ctx.pair_second[i] == Some(j) {
                list.insert(at + 1, j);
            } else {
                list.insert(at, j);
            }
            taken.push(j);
        }
    }
    for &i in &state.tasks[a] {
        if !list.contains(&i) {
            insert_cancelled(ctx, &mut list, i);
        }
    }
    if ctx.end_airport(&list, a) != target {
        return None;
    }
    let mut touched = vec![a];
    for &i in &taken {
        let b = holder[i];
        if !touched.contains(&b) {
            touched.push(b);
            state.book(ctx, b, -1);
        }
        state.tasks[b].retain(|&x| x != i);
    }
    state.fixed[a] = fixed_prefix(ctx, &list);
    state.tasks[a] = list;
    Some(touched)
}

/// Puts a flight nobody flies into a task list at its place in time, never last (the list's last flight
/// fixes where the aircraft ends) and never between the legs of a through pair.
fn insert_cancelled(ctx: &Context, list: &mut Vec<usize>, i: usize) {
    let p = ctx.problem;
    let lo = fixed_prefix(ctx, list);
    let splits = |list: &[usize], k: usize| {
        k > 0 && k < list.len() && ctx.pair_second[list[k - 1]] == Some(list[k])
    };
    let mut k = list.partition_point(|&x| p.flights[x].departure <= p.flights[i].departure);
    if !list.is_empty() {
        k = k.min(list.len() - 1);
    }
    k = k.max(lo);
    while k > lo && splits(list, k) {
        k -= 1;
    }
    if splits(list, k) {
        k += 1;
    }
    list.insert(k, i);
}

/// Every aircraft's own rotation repaired by [`route::solve`], those that meet the typhoon first first.
fn construct(ctx: &Context) -> State {
    let problem = ctx.problem;
    let n = problem.aircraft.len();
    let tasks = ctx.rotations.clone();
    let fixed = tasks.iter().map(|t| fixed_prefix(ctx, t)).collect();
    let mut state = State {
        tasks,
        fixed,
        routes: vec![Route::default(); n],
        relaxed: vec![false; n],
        slots: SlotBook::new(problem),
        parked: vec![0; problem.parking.len()],
    };
    // Aircraft that meet the typhoon first, in order of their first hit flight.
    let hit_at: Vec<i64> = (0..n)
        .map(|a| {
            state.tasks[a]
                .iter()
                .map(|&i| &problem.flights[i])
                .filter(|f| problem.adjustable(f))
                .filter(|f| {
                    problem.ban_airports().contains(&f.from)
                        || problem.ban_airports().contains(&f.to)
                })
                .map(|f| f.departure.0)
                .min()
                .unwrap_or(i64::MAX)
        })
        .collect();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&a| (hit_at[a], a));
    for &a in &order {
        state.solve(ctx, a, true);
    }

    state
}

/// Repairs the plan of `problem` within the time limit (see the module documentation).
pub fn recover(
    problem: &TyphoonProblem,
    options: &TyphoonOptions,
    clock: &dyn Clock,
) -> TyphoonRecovery {
    let ctx = Context::new(problem);
    let n = problem.aircraft.len();
    let state = construct(&ctx);

    let best = finish(&ctx, &state);
    let first_feasible = best.1.feasible.then(|| clock.elapsed().as_secs_f64());
    let same_group: Vec<Vec<usize>> = (0..n)
        .map(|a| {
            (0..n)
                .filter(|&b| {
                    b != a && problem.aircraft[b].aircraft_type == problem.aircraft[a].aircraft_type
                })
                .collect()
        })
        .collect();
    let current = state.total();
    let mut search = Search {
        ctx: &ctx,
        current,
        best_estimate: (current, state.clone()),
        best_estimate_scored: true,
        since_best: 0,
        kick_until: 0,
        pool: pool::Pool::new(&ctx),
        state,
        best,
        first_feasible,
        best_at: clock.elapsed().as_secs_f64(),
        steps: 0,
        kept: 0,
        draws: Draws::new(options.seed ^ 0x7469_616e_6368_6931),
        same_group,
    };
    let index = pickup::Index::new(&ctx);
    search.improve(options.time_limit, clock, &index);
    if !search.best_estimate_scored {
        search.score(clock.elapsed());
    }
    let best_at = search.best_at;
    let first_feasible = search
        .first_feasible
        .or(search.best.1.feasible.then_some(best_at));
    TyphoonRecovery {
        plan: search.best.0,
        evaluation: search.best.1,
        seconds_to_first_feasible: first_feasible,
        seconds_to_best: best_at,
        steps: search.steps,
        steps_kept: search.kept,
    }
}

fn better(a: &TyphoonEvaluation, b: &TyphoonEvaluation) -> bool {
    a.score < b.score - 1e-9
}

/// A point where aircraft `a` and `b` can swap the rest of their rotations: positions `i` in a's list and
/// `j` in b's whose flights leave the same airport, near in time, splitting no through pair and keeping
/// the end-of-horizon balance.
fn exchange_point(
    ctx: &Context,
    state: &State,
    a: usize,
    b: usize,
    draws: &mut Draws,
) -> Option<(usize, usize)> {
    let p = ctx.problem;
    let (ta, tb) = (&state.tasks[a], &state.tasks[b]);
    let same_type = p.aircraft[a].aircraft_type == p.aircraft[b].aircraft_type;
    if !same_type && ctx.end_airport(ta, a) != ctx.end_airport(tb, b) {
        return None;
    }
    let (cuts_a, cuts_b) = (cut_points(ctx, ta), cut_points(ctx, tb));
    let mut points = Vec::new();
    for i in state.fixed[a].max(1)..ta.len() {
        if !cuts_a[i] {
            continue;
        }
        let fa = &p.flights[ta[i]];
        for j in state.fixed[b].max(1)..tb.len() {
            let fb = &p.flights[tb[j]];
            if fb.from == fa.from
                && (fb.departure.0 - fa.departure.0).abs() <= 12 * 60
                && cuts_b[j]
                && ta[i] != tb[j]
            {
                points.push((i, j));
            }
        }
    }
    if points.is_empty() {
        return None;
    }
    Some(points[draws.below(points.len())])
}

/// Where a task list may be cut in two: `cuts[k]` when no through pair has one leg before position `k`
/// and the other at or after it. The legs of a pair need not be next to each other in a list (a leg the
/// route cancels is put back by time), and a cut between them would let two aircraft fly them.
fn cut_points(ctx: &Context, tasks: &[usize]) -> Vec<bool> {
    let mut cuts = vec![true; tasks.len() + 1];
    for (k, &i) in tasks.iter().enumerate() {
        if let Some(j) = ctx.pair_second[i] {
            if let Some(m) = tasks.iter().position(|&x| x == j) {
                let (lo, hi) = (k.min(m), k.max(m));
                for c in &mut cuts[lo + 1..=hi] {
                    *c = false;
                }
            }
        }
    }
    cuts
}

/// The state as a plan in the contest's terms (season 2: with passengers rebooked), and its verdict.
fn finish(ctx: &Context, state: &State) -> (TyphoonPlan, TyphoonEvaluation) {
    let mut plan = plan_of(ctx, state);
    if ctx.problem.season == ucodts_model::tianchi2017::Season::Two {
        rebook(ctx.problem, &mut plan);
    }
    let evaluation = evaluate(ctx.problem, &plan);
    (plan, evaluation)
}

fn plan_of(ctx: &Context, state: &State) -> TyphoonPlan {
    let p = ctx.problem;
    let mut lines: Vec<PlanLine> = Vec::new();
    let mut ferries = Vec::new();
    let line = |i: usize, aircraft: u32, departure: i64| {
        let f = &p.flights[i];
        PlanLine {
            flight: f.id,
            from: f.from,
            to: f.to,
            departure: UtcMinute(departure),
            arrival: UtcMinute(departure + f.block().0),
            aircraft,
            cancelled: false,
            straightened: false,
            ferry: false,
            sign_changes: Vec::new(),
        }
    };
    for (a, route) in state.routes.iter().enumerate() {
        let id = p.aircraft[a].id;
        for d in &route.decisions {
            match *d {
                Decision::Fly { flight, departure } => lines.push(line(flight, id, departure)),
                Decision::Cancel { flight } => {
                    let f = &p.flights[flight];
                    let mut l = line(flight, f.aircraft, f.departure.0);
                    l.cancelled = true;
                    lines.push(l);
                }
                Decision::Straighten {
                    first,
                    second,
                    departure,
                    block,
                } => {
                    let mut l = line(first, id, departure);
                    l.to = p.flights[second].to;
                    l.arrival = UtcMinute(departure + block);
                    l.straightened = true;
                    lines.push(l);
                    let g = &p.flights[second];
                    let mut l = line(second, g.aircraft, g.departure.0);
                    l.cancelled = true;
                    l.straightened = true;
                    lines.push(l);
                }
                Decision::Ferry {
                    from,
                    to,
                    departure,
                    block,
                } => ferries.push(PlanLine {
                    flight: 0,
                    from,
                    to,
                    departure: UtcMinute(departure),
                    arrival: UtcMinute(departure + block),
                    aircraft: id,
                    cancelled: false,
                    straightened: false,
                    ferry: true,
                    sign_changes: Vec::new(),
                }),
            }
        }
    }
    lines.sort_by_key(|l| l.flight);
    for (k, mut l) in ferries.into_iter().enumerate() {
        l.flight = rules::FIRST_FERRY_ID + k as u32;
        lines.push(l);
    }
    TyphoonPlan { lines }
}

/// Rebooks displaced passengers (season 2) onto the earliest flown flights with the same airports, leaving
/// no earlier than their own flight was planned, within 48 h, with free seats, that displace nobody
/// themselves (a flight that receives may not rebook out).
pub fn rebook(problem: &TyphoonProblem, plan: &mut TyphoonPlan) {
    let flows = passenger_flows(problem, plan);
    let mut by_route: BTreeMap<(u32, u32), Vec<usize>> = BTreeMap::new();
    let mut spare: Vec<u32> = vec![0; plan.lines.len()];
    for (k, l) in plan.lines.iter().enumerate() {
        if l.ferry || l.cancelled {
            continue;
        }
        let Some(flow) = flows.get(&l.flight) else {
            continue;
        };
        if flow.displaced > 0 {
            continue;
        }
        let seats = problem.aircraft_by_id(l.aircraft).map_or(0, |a| a.seats);
        spare[k] = seats.saturating_sub(flow.flown);
        by_route.entry((l.from, l.to)).or_default().push(k);
    }
    for list in by_route.values_mut() {
        list.sort_by_key(|&k| (plan.lines[k].departure, plan.lines[k].flight));
    }
    for k in 0..plan.lines.len() {
        if plan.lines[k].ferry {
            continue;
        }
        let Some(f) = problem.flight(plan.lines[k].flight) else {
            continue;
        };
        let mut left = flows.get(&f.id).map_or(0, |x| x.displaced);
        if left == 0 {
            continue;
        }
        let Some(targets) = by_route.get(&(f.from, f.to)) else {
            continue;
        };
        let mut changes = Vec::new();
        for &t in targets {
            let late = plan.lines[t].departure.0 - f.departure.0;
            if late < 0 || plan.lines[t].flight == f.id {
                continue;
            }
            if late > REBOOK_HORIZON_MINUTES || left == 0 {
                break;
            }
            let n = left.min(spare[t]);
            if n > 0 {
                spare[t] -= n;
                left -= n;
                changes.push((plan.lines[t].flight, n));
            }
        }
        plan.lines[k].sign_changes = changes;
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use ucodts_model::tianchi2017::{Season, TyphoonProblem};
    use ucodts_model::Minutes;

    use super::*;
    use crate::tianchi::fixtures::{self, at, flight};

    /// Aircraft 1 (150 seats) flies 10 -> 20 at 08:00 and 14:00 on the 6th, aircraft 2 (119 seats) 20 -> 10
    /// at 09:00; every flight carries 100 passengers.
    fn problem(season: Season) -> TyphoonProblem {
        let mut flight_times = BTreeMap::new();
        flight_times.insert((2, 10, 20), Minutes(95));
        flight_times.insert((1, 20, 10), Minutes(105));
        TyphoonProblem {
            season,
            route_bans: [(2, 10, 20), (1, 20, 30), (2, 500, 10)]
                .into_iter()
                .collect(),
            flight_times,
            ..fixtures::problem(
                vec![
                    flight(1, 10, 20, at(6, 8), 1, 2),
                    flight(2, 20, 10, at(6, 9), 2, 1),
                    flight(3, 10, 20, at(6, 14), 1, 2),
                ],
                &[(1, 2, 150), (2, 1, 119)],
            )
        }
    }

    #[test]
    fn a_cancellation_prices_its_passengers_as_the_rebooking_onto_later_seats_would() {
        let p = problem(Season::Two);
        let ctx = Context::new(&p);
        // Flight 1's 100 passengers: 50 fit on flight 3 six hours later (6 h / 24 each), 50 are lost (4 each).
        assert!((ctx.cancel_cost[0] - (1_200.0 + 50.0 * 0.25 + 50.0 * 4.0)).abs() < 1e-9);
        // Nothing later with the same airports: all 100 lost.
        assert!((ctx.cancel_cost[1] - (1_200.0 + 400.0)).abs() < 1e-9);
        assert!((ctx.cancel_cost[2] - (1_200.0 + 400.0)).abs() < 1e-9);
        // Season 1 has no passengers.
        let p1 = problem(Season::One);
        let ctx1 = Context::new(&p1);
        let plain = weights::Weights::of(Season::One).cancellation;
        assert!((ctx1.cancel_cost[0] - plain).abs() < 1e-9);
    }

    #[test]
    fn the_dense_lookups_agree_with_the_problem() {
        let p = problem(Season::Two);
        let ctx = Context::new(&p);
        for (k, a) in p.aircraft.iter().enumerate() {
            for from in [0, 10, 20, 30, 500] {
                for to in [0, 10, 20, 30, 500] {
                    assert_eq!(
                        ctx.route_banned(k, from, to),
                        p.route_bans.contains(&(a.id, from, to)),
                        "aircraft {} {from} -> {to}",
                        a.id
                    );
                }
            }
        }
        for t in 0..4 {
            for from in [0, 10, 20, 500] {
                for to in [0, 10, 20, 500] {
                    assert_eq!(
                        ctx.table_block(t, from, to),
                        p.table_block(t, from, to).map(|m| m.0)
                    );
                }
            }
        }
        for x in [0, 10, 20, 30, 500] {
            assert_eq!(ctx.domestic(x), p.domestic_airports.contains(&x));
        }
    }
}
