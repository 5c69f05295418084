//! Route-pool recombination: the fleet-wide view the single-aircraft moves lack.
//!
//! Every route the search solves (one aircraft's day against the slots and parking places the others
//! hold) goes into a pool, one set of distinct routes per aircraft. Now and then a set-partitioning MILP
//! (HiGHS through good_lp) picks one route per aircraft from the pool so that no flight is flown twice, a
//! flight nobody flies pays its cancellation price (the search's estimate), the slot slices and parking
//! caps hold over the chosen routes together, the end-of-horizon balance holds by airport and type, and no
//! through pair is split between two aircraft. Routes found in different states of the search can so be
//! combined: aircraft a's route from one state with aircraft b's from another, which no single move of the
//! search reaches when each of the two alone makes the plan worse.
//!
//! The master over the whole pool (about 14,000 routes after 20,000 steps on the challenge's data) did not
//! finish within 30 s and ignored the starting solution, so each recombination frees one aircraft and
//! those whose pooled routes compete with its own for flights ([`Pool::neighbours`]) and holds the rest
//! of the fleet to the search's best state: a few thousand columns, solved in about 0.1 s.
//!
//! A column covers the flights its route flies (both legs of a straightened pair) and, when its task
//! list's last flight is cancelled, that flight too: the last flight of an aircraft's list fixes where it
//! must end, so it stays with the aircraft that holds it.
//!
//! The result is an ordinary search state (task lists, routes, bookings); the search hands it to the
//! checker and keeps it only when the checker scores it better and feasible.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};

use good_lp::solvers::WithInitialSolution;
use good_lp::{highs, variable, Expression, ProblemVariables, Solution, SolverModel, Variable};
use ucodts_model::tianchi2017::rules;
use ucodts_model::UtcMinute;

use super::route::{Decision, Route};
use super::timing::SlotBook;
use super::{fixed_prefix, insert_cancelled, Context, State};

/// Routes kept per aircraft; past twice this many the dearest (by value) are dropped.
pub const ROUTES_PER_AIRCRAFT: usize = 150;
/// Branch-and-bound nodes the MILP may explore: a limit on work, not on wall-clock time, so that a run
/// repeats itself on any machine that does not hit the safety time limit below.
const MAX_NODES: i32 = 200;
/// A safety net only (seconds); the node limit is meant to stop the solver first.
const SAFETY_SECONDS: f64 = 30.0;

/// A row of the master: the sum of the chosen columns among `terms` lies in [lo, hi].
struct Row {
    terms: Vec<(usize, usize)>,
    lo: f64,
    hi: f64,
    /// What the row stands for, for the tests that name the rows a choice breaks.
    #[cfg_attr(not(test), allow(dead_code))]
    what: &'static str,
}

/// One aircraft's route with what the master needs to know about it.
#[derive(Clone, Debug)]
pub struct Column {
    route: Route,
    /// Flights flown, in order (both legs of a straightened pair).
    flown: Vec<usize>,
    /// The task list's last flight when the route cancels it.
    anchor: Option<usize>,
    end: u32,
    /// Flying cost less the cancellation price of every flight it covers: what choosing it saves or costs
    /// against cancelling everything.
    value: f64,
    /// Global slot slice indices its movements use (a slice may appear twice).
    slices: Vec<usize>,
    /// Parking caps (`problem.parking` indices) it sits through.
    parking: Vec<usize>,
    seq: u64,
}

impl Column {
    fn covers(&self) -> impl Iterator<Item = usize> + '_ {
        self.flown.iter().copied().chain(self.anchor)
    }
}

/// The distinct routes the search produced, by aircraft.
pub struct Pool {
    pub columns: Vec<Vec<Column>>,
    seen: Vec<BTreeSet<u64>>,
    seq: u64,
    slice_offsets: Vec<usize>,
    slices: usize,
}

fn fingerprint(route: &Route) -> u64 {
    // DefaultHasher::new() has fixed keys: the same route hashes the same in every run.
    let mut h = std::collections::hash_map::DefaultHasher::new();
    route.decisions.hash(&mut h);
    h.finish()
}

impl Pool {
    pub fn new(ctx: &Context) -> Pool {
        let n = ctx.problem.aircraft.len();
        let book = SlotBook::new(ctx.problem);
        let mut slice_offsets = Vec::new();
        let mut slices = 0;
        for w in &book.windows {
            slice_offsets.push(slices);
            slices += w.slices();
        }
        Pool {
            columns: vec![Vec::new(); n],
            seen: vec![BTreeSet::new(); n],
            seq: 0,
            slice_offsets,
            slices,
        }
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.columns.iter().map(Vec::len).sum()
    }

    /// Adds aircraft `a`'s route solved over `tasks`, if the pool has not seen it.
    pub fn add(
        &mut self,
        ctx: &Context,
        slots: &SlotBook,
        a: usize,
        tasks: &[usize],
        route: &Route,
    ) {
        let key = fingerprint(route);
        if !self.seen[a].insert(key) {
            return;
        }
        let flown: Vec<usize> = route.flown_flights().collect();
        let anchor = tasks.last().copied().filter(|i| !flown.contains(i));
        let mut value = route.cost;
        for d in &route.decisions {
            if let Decision::Cancel { flight } = *d {
                value -= ctx.cancel_cost[flight];
            }
        }
        for &i in &flown {
            value -= ctx.cancel_cost[i];
        }
        let moves = route.movements(ctx);
        let mut slices = Vec::new();
        for &(from, dep, to, arr) in &moves {
            for (airport, t) in [(from, dep), (to, arr)] {
                for (k, w) in slots.windows.iter().enumerate() {
                    if w.airport == airport {
                        if let Some(s) = w.slice(UtcMinute(t)) {
                            slices.push(self.slice_offsets[k] + s);
                        }
                    }
                }
            }
        }
        let mut parking = Vec::new();
        for w in moves.windows(2) {
            let (airport, arrived, left) = (w[0].2, w[0].3, w[1].1);
            for (k, cap) in ctx.problem.parking.iter().enumerate() {
                if cap.airport == airport && arrived <= cap.start.0 && left >= cap.end.0 {
                    parking.push(k);
                }
            }
        }
        self.seq += 1;
        let list = &mut self.columns[a];
        list.push(Column {
            route: route.clone(),
            flown,
            anchor,
            end: ctx.end_airport(tasks, a),
            value,
            slices,
            parking,
            seq: self.seq,
        });
        if list.len() > 2 * ROUTES_PER_AIRCRAFT {
            list.sort_by(|x, y| x.value.total_cmp(&y.value).then(x.seq.cmp(&y.seq)));
            for c in list.drain(ROUTES_PER_AIRCRAFT..) {
                self.seen[a].remove(&fingerprint(&c.route));
            }
            list.sort_by_key(|c| c.seq);
        }
    }

    /// Adds every route of `state` and returns, per aircraft, the index of its column in the pool (None
    /// where the pool dropped it at once as too dear).
    pub fn add_state(&mut self, ctx: &Context, state: &State) -> Vec<Option<usize>> {
        (0..state.routes.len())
            .map(|a| {
                self.add(ctx, &state.slots, a, &state.tasks[a], &state.routes[a]);
                let key = fingerprint(&state.routes[a]);
                self.columns[a]
                    .iter()
                    .position(|c| fingerprint(&c.route) == key)
            })
            .collect()
    }

    /// The master's rows over the pool's columns (as (aircraft, column) pairs with coefficients).
    fn rows(&self, ctx: &Context, allowed: &[Vec<usize>]) -> Vec<Row> {
        let p = ctx.problem;
        let nf = p.flights.len();
        let mut rows = Vec::new();
        let mut by_flight: Vec<Vec<(usize, usize)>> = vec![Vec::new(); nf];
        let mut flies: Vec<Vec<(usize, usize)>> = vec![Vec::new(); nf];
        let mut by_slice: Vec<Vec<(usize, usize)>> = vec![Vec::new(); self.slices];
        let mut by_parking: Vec<Vec<(usize, usize)>> = vec![Vec::new(); p.parking.len()];
        let mut ends: BTreeMap<(u32, u8), Vec<(usize, usize)>> = BTreeMap::new();
        for (a, list) in self.columns.iter().enumerate() {
            let t = p.aircraft[a].aircraft_type;
            rows.push(Row {
                terms: allowed[a].iter().map(|&k| (a, k)).collect(),
                lo: 1.0,
                hi: 1.0,
                what: "one route per aircraft",
            });
            for &k in &allowed[a] {
                let c = &list[k];
                for i in c.covers() {
                    by_flight[i].push((a, k));
                }
                for &i in &c.flown {
                    flies[i].push((a, k));
                }
                for &s in &c.slices {
                    by_slice[s].push((a, k));
                }
                for &q in &c.parking {
                    by_parking[q].push((a, k));
                }
                ends.entry((c.end, t)).or_default().push((a, k));
            }
        }
        for (i, terms) in by_flight.into_iter().enumerate() {
            if !ctx.cancellable[i] {
                rows.push(Row {
                    terms,
                    lo: 1.0,
                    hi: 1.0,
                    what: "a flight that may not be cancelled",
                });
            } else if terms.len() > 1 {
                rows.push(Row {
                    terms,
                    lo: f64::NEG_INFINITY,
                    hi: 1.0,
                    what: "a flight flown once",
                });
            }
        }
        for terms in by_slice.into_iter().filter(|t| t.len() > 2) {
            rows.push(Row {
                terms,
                lo: f64::NEG_INFINITY,
                hi: f64::from(rules::SLOT_MOVEMENTS),
                what: "a slot slice",
            });
        }
        for (q, terms) in by_parking.into_iter().enumerate() {
            if let Some(cap) = p.parking[q].cap {
                rows.push(Row {
                    terms,
                    lo: f64::NEG_INFINITY,
                    hi: f64::from(cap),
                    what: "a parking cap",
                });
            }
        }
        // End-of-horizon balance: at least as many aircraft of each type end at each airport as planned.
        let mut planned: BTreeMap<(u32, u8), u32> = BTreeMap::new();
        for (a, rotation) in ctx.rotations.iter().enumerate() {
            *planned
                .entry((ctx.end_airport(rotation, a), p.aircraft[a].aircraft_type))
                .or_default() += 1;
        }
        for (key, count) in planned {
            rows.push(Row {
                terms: ends.remove(&key).unwrap_or_default(),
                lo: f64::from(count),
                hi: f64::INFINITY,
                what: "the end-of-horizon balance",
            });
        }
        // Through pairs: one aircraft flying one leg and another the other is refused (rule 9).
        for (i, second) in ctx.pair_second.iter().enumerate() {
            let Some(j) = *second else { continue };
            let one = |f: usize, g: usize| -> Vec<(usize, usize)> {
                flies[f]
                    .iter()
                    .copied()
                    .filter(|&(a, k)| !self.columns[a][k].flown.contains(&g))
                    .collect()
            };
            let (only_i, only_j) = (one(i, j), one(j, i));
            if !only_i.is_empty() && !only_j.is_empty() {
                rows.push(Row {
                    terms: only_i.into_iter().chain(only_j).collect(),
                    lo: f64::NEG_INFINITY,
                    hi: 1.0,
                    what: "a through pair on one aircraft",
                });
            }
        }
        rows
    }

    /// Solves the set-partitioning master over the pool for the aircraft marked `free`, the others held
    /// to their columns in `start`, and returns the chosen column per aircraft; None when the solver fails
    /// or an aircraft held has no column.
    pub fn choose(
        &self,
        ctx: &Context,
        start: &[Option<usize>],
        free: &[bool],
    ) -> Option<Vec<usize>> {
        let n = self.columns.len();
        let mut allowed: Vec<Vec<usize>> = Vec::with_capacity(n);
        for a in 0..n {
            if free[a] {
                allowed.push((0..self.columns[a].len()).collect());
            } else {
                allowed.push(vec![start[a]?]);
            }
        }
        let mut vars = ProblemVariables::new();
        let mut x: Vec<Vec<Option<Variable>>> =
            self.columns.iter().map(|l| vec![None; l.len()]).collect();
        let mut objective = Expression::from(0.0);
        for (a, ks) in allowed.iter().enumerate() {
            for &k in ks {
                let v = vars.add(variable().binary());
                x[a][k] = Some(v);
                objective += self.columns[a][k].value * v;
            }
        }
        let var = |a: usize, k: usize| x[a][k].expect("a variable for every allowed column");
        let mut model = vars
            .minimise(objective)
            .using(highs)
            .set_threads(1)
            .set_time_limit(SAFETY_SECONDS)
            .set_option("random_seed", 0)
            .set_option("mip_max_nodes", MAX_NODES)
            .set_option("mip_rel_gap", 1e-6)
            .set_option("output_flag", false);
        if start.iter().all(Option::is_some) {
            let mut values = Vec::new();
            for (a, ks) in allowed.iter().enumerate() {
                for &k in ks {
                    values.push((var(a, k), if start[a] == Some(k) { 1.0 } else { 0.0 }));
                }
            }
            model = model.with_initial_solution(values);
        }
        for row in self.rows(ctx, &allowed) {
            let sum: Expression = row.terms.iter().map(|&(a, k)| var(a, k)).sum();
            if row.lo == row.hi {
                model.add_constraint(sum.eq(row.lo));
            } else if row.lo.is_finite() {
                model.add_constraint(sum.geq(row.lo));
            } else {
                model.add_constraint(sum.leq(row.hi));
            }
        }
        let solution = model.solve().ok()?;
        allowed
            .iter()
            .enumerate()
            .map(|(a, ks)| {
                ks.iter()
                    .copied()
                    .find(|&k| solution.value(var(a, k)) > 0.5)
            })
            .collect()
    }

    /// Aircraft `a` and up to `most` - 1 others whose pooled routes fly a flight some route of a flies,
    /// the most often first: the aircraft a recombination around `a` frees.
    pub fn neighbours(&self, a: usize, most: usize) -> Vec<bool> {
        let n = self.columns.len();
        let mut mine = BTreeSet::new();
        for c in &self.columns[a] {
            mine.extend(c.covers());
        }
        let mut shared: Vec<(usize, usize)> = (0..n)
            .filter(|&b| b != a)
            .map(|b| {
                let count = self.columns[b]
                    .iter()
                    .map(|c| c.covers().filter(|i| mine.contains(i)).count())
                    .sum();
                (count, b)
            })
            .filter(|&(count, _)| count > 0)
            .collect();
        shared.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
        let mut free = vec![false; n];
        free[a] = true;
        for &(_, b) in shared.iter().take(most.saturating_sub(1)) {
            free[b] = true;
        }
        free
    }

    /// The rows a choice of one column per aircraft breaks, by what they stand for (empty: the choice
    /// is a solution of the master).
    #[cfg(test)]
    pub fn broken_by(&self, ctx: &Context, chosen: &[usize]) -> Vec<&'static str> {
        let all: Vec<Vec<usize>> = self
            .columns
            .iter()
            .map(|l| (0..l.len()).collect())
            .collect();
        self.rows(ctx, &all)
            .into_iter()
            .filter(|row| {
                let v = row.terms.iter().filter(|&&(a, k)| chosen[a] == k).count() as f64;
                v < row.lo - 1e-9 || v > row.hi + 1e-9
            })
            .map(|row| row.what)
            .collect()
    }

    /// The search state that flies the chosen columns: each aircraft's list is its column's flights (and
    /// its anchor), and every flight no column covers is put back cancelled beside its through partner's
    /// aircraft, or its own planned aircraft. None where a flight would land last in a list (it would
    /// move the aircraft's end).
    pub fn state_of(&self, ctx: &Context, chosen: &[usize]) -> Option<State> {
        let p = ctx.problem;
        let n = p.aircraft.len();
        let nf = p.flights.len();
        let mut tasks: Vec<Vec<usize>> = Vec::with_capacity(n);
        let mut routes: Vec<Route> = Vec::with_capacity(n);
        let mut holder = vec![usize::MAX; nf];
        for (a, &k) in chosen.iter().enumerate() {
            let c = &self.columns[a][k];
            let mut list = c.flown.clone();
            list.extend(c.anchor);
            for &i in &list {
                debug_assert_eq!(holder[i], usize::MAX, "the master covers a flight once");
                holder[i] = a;
            }
            let mut decisions: Vec<Decision> = c
                .route
                .decisions
                .iter()
                .filter(|d| !matches!(d, Decision::Cancel { .. }))
                .cloned()
                .collect();
            let mut cost = c.value;
            for &i in &c.flown {
                cost += ctx.cancel_cost[i];
            }
            if let Some(i) = c.anchor {
                decisions.push(Decision::Cancel { flight: i });
                cost += ctx.cancel_cost[i];
            }
            tasks.push(list);
            routes.push(Route { decisions, cost });
        }
        let mut planned_on = vec![usize::MAX; nf];
        for (a, rotation) in ctx.rotations.iter().enumerate() {
            for &i in rotation {
                planned_on[i] = a;
            }
        }
        for i in 0..nf {
            if holder[i] != usize::MAX {
                continue;
            }
            let partner = ctx.pair_first[i].or(ctx.pair_second[i]);
            let owner = partner
                .map(|j| holder[j])
                .filter(|&b| b != usize::MAX)
                .unwrap_or(planned_on[i]);
            if owner == usize::MAX || fixed_prefix(ctx, &tasks[owner]) == tasks[owner].len() {
                return None;
            }
            insert_cancelled(ctx, &mut tasks[owner], i);
            routes[owner].decisions.push(Decision::Cancel { flight: i });
            routes[owner].cost += ctx.cancel_cost[i];
        }
        let fixed = tasks.iter().map(|t| fixed_prefix(ctx, t)).collect();
        let mut state = State {
            tasks,
            fixed,
            routes,
            relaxed: vec![false; n],
            slots: SlotBook::new(p),
            parked: vec![0; p.parking.len()],
        };
        for a in 0..n {
            state.book(ctx, a, 1);
        }
        Some(state)
    }
}

#[cfg(test)]
mod tests {
    use ucodts_model::tianchi2017::TyphoonProblem;

    use super::super::{finish, route};
    use super::*;
    use crate::tianchi::fixtures::{self, at, flight};

    /// Aircraft 1 flies 10 -> 20 -> 10 in the morning, aircraft 2 the same in the afternoon.
    fn problem() -> TyphoonProblem {
        fixtures::problem(
            vec![
                flight(1, 10, 20, at(6, 8), 1, 2),
                flight(2, 20, 10, at(6, 11), 1, 2),
                flight(3, 10, 20, at(6, 14), 2, 2),
                flight(4, 20, 10, at(6, 17), 2, 2),
            ],
            &[(1, 2, 150), (2, 2, 150)],
        )
    }

    /// Aircraft `a`'s route over `tasks`: flown by the route search, or everything after the first
    /// cancelled.
    fn flown(ctx: &Context, a: usize, tasks: &[usize]) -> Route {
        route::solve(ctx, a, tasks, 0, &SlotBook::new(ctx.problem), &[], true).expect("a route")
    }

    fn cancelled(ctx: &Context, tasks: &[usize]) -> Route {
        Route {
            decisions: tasks
                .iter()
                .map(|&flight| Decision::Cancel { flight })
                .collect(),
            cost: tasks.iter().map(|&i| ctx.cancel_cost[i]).sum(),
        }
    }

    #[test]
    fn the_master_combines_two_states_routes_so_that_every_flight_is_flown() {
        let p = problem();
        let ctx = Context::new(&p);
        let slots = SlotBook::new(&p);
        let mut pool = Pool::new(&ctx);
        // The search met two states, each flying one aircraft's day and cancelling the other's; neither
        // flies every flight.
        pool.add(&ctx, &slots, 0, &[0, 1], &flown(&ctx, 0, &[0, 1]));
        pool.add(&ctx, &slots, 1, &[2, 3], &cancelled(&ctx, &[2, 3]));
        pool.add(&ctx, &slots, 0, &[0, 1], &cancelled(&ctx, &[0, 1]));
        pool.add(&ctx, &slots, 1, &[2, 3], &flown(&ctx, 1, &[2, 3]));
        assert_eq!(pool.len(), 4);
        let chosen = pool
            .choose(&ctx, &[Some(0), Some(0)], &[true, true])
            .expect("the master solves");
        assert_eq!(chosen, vec![0, 1]);
        assert!(pool.broken_by(&ctx, &chosen).is_empty());
        let state = pool.state_of(&ctx, &chosen).expect("a state");
        let held: Vec<usize> = state.routes.iter().flat_map(Route::flown_flights).collect();
        assert_eq!(held, vec![0, 1, 2, 3]);
        let (_, e) = finish(&ctx, &state);
        assert!(e.feasible, "{:?}", e.violations);
        assert!(state.total() < 1.0, "{}", state.total());
    }

    #[test]
    fn the_master_cancels_rather_than_fly_a_flight_twice_and_puts_it_back_in_a_list() {
        let p = problem();
        let ctx = Context::new(&p);
        let slots = SlotBook::new(&p);
        let mut pool = Pool::new(&ctx);
        // Aircraft 2 may fly the whole day (its own and aircraft 1's), or its own; aircraft 1 its own or
        // nothing.
        pool.add(&ctx, &slots, 0, &[0, 1], &cancelled(&ctx, &[0, 1]));
        pool.add(
            &ctx,
            &slots,
            1,
            &[0, 1, 2, 3],
            &flown(&ctx, 1, &[0, 1, 2, 3]),
        );
        pool.add(&ctx, &slots, 0, &[0, 1], &flown(&ctx, 0, &[0, 1]));
        pool.add(&ctx, &slots, 1, &[2, 3], &flown(&ctx, 1, &[2, 3]));
        let chosen = pool
            .choose(&ctx, &[None, None], &[true, true])
            .expect("the master solves");
        // Aircraft 1 flying its own day and aircraft 2 the whole one would fly flights 1 and 2 twice.
        assert!(pool
            .broken_by(&ctx, &[1, 0])
            .contains(&"a flight flown once"));
        let state = pool.state_of(&ctx, &chosen).expect("a state");
        let mut held: Vec<usize> = state.tasks.concat();
        held.sort_unstable();
        assert_eq!(held, vec![0, 1, 2, 3], "every flight in exactly one list");
        let (_, e) = finish(&ctx, &state);
        assert!(e.feasible, "{:?}", e.violations);
    }
}
