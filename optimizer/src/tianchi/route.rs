//! One aircraft's day-by-day repair as a shortest path: given the flights it is asked to fly (its own
//! rotation, or one with another aircraft's tail swapped in), the labels walk the list and at each flight
//! fly it (as early as the bans, curfews, turn time and free slots allow; or, into a take-off ban, advanced
//! as late as possible), cancel it, straighten it with its through partner, or ferry to a later flight,
//! ending where the list's last flight was planned to end. Dominated labels (same airport, no cheaper, no
//! earlier) are dropped.

use ucodts_model::tianchi2017::{weights, BanKind, TyphoonProblem};
use ucodts_model::UtcMinute;

use super::timing::{candidate_departures, earliest_departure, SlotBook};
use super::Context;

/// What an aircraft does with one flight of its list, or a ferry it adds.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Decision {
    Fly {
        flight: usize,
        departure: i64,
    },
    Cancel {
        flight: usize,
    },
    /// The first leg flown straight to the second's destination; the second is cancelled with it.
    Straighten {
        first: usize,
        second: usize,
        departure: i64,
        block: i64,
    },
    Ferry {
        from: u32,
        to: u32,
        departure: i64,
        block: i64,
    },
}

/// An aircraft's repaired day and what it costs by the policy's estimate.
#[derive(Clone, Debug, Default)]
pub struct Route {
    pub decisions: Vec<Decision>,
    pub cost: f64,
}

impl Route {
    /// The flights the route flies, in its order: each flown flight, and both legs of a straightened pair.
    pub fn flown_flights(&self) -> impl Iterator<Item = usize> + '_ {
        self.decisions.iter().flat_map(|d| match *d {
            Decision::Fly { flight, .. } => vec![flight],
            Decision::Straighten { first, second, .. } => vec![first, second],
            _ => Vec::new(),
        })
    }
}

impl Route {
    /// The movements it flies as (from, departure, to, arrival), in order.
    pub fn movements(&self, ctx: &Context) -> Vec<(u32, i64, u32, i64)> {
        let p = ctx.problem;
        let mut out = Vec::new();
        for d in &self.decisions {
            match *d {
                Decision::Fly { flight, departure } => {
                    let f = &p.flights[flight];
                    out.push((f.from, departure, f.to, departure + f.block().0));
                }
                Decision::Straighten {
                    first,
                    second,
                    departure,
                    block,
                } => out.push((
                    p.flights[first].from,
                    departure,
                    p.flights[second].to,
                    departure + block,
                )),
                Decision::Ferry {
                    from,
                    to,
                    departure,
                    block,
                } => out.push((from, departure, to, departure + block)),
                Decision::Cancel { .. } => {}
            }
        }
        out
    }
}

#[derive(Clone, Debug)]
struct Label {
    pos: usize,
    airport: u32,
    /// Arrival of the last movement (`NEVER` before the first).
    ready: i64,
    /// The last flown original flight, if the last movement was one.
    last: Option<usize>,
    cost: f64,
    prev: Option<usize>,
    step: Option<Decision>,
    ferried: bool,
    /// The second leg of a through pair whose first leg this route flew and then left for something else:
    /// it may no longer be flown (rule 9: a pair flown whole is flown back to back), only cancelled.
    forbid: Option<usize>,
}

const NEVER: i64 = i64::MIN / 4;
const MAX_LABELS_PER_POSITION: usize = 48;

/// Parking caps still open, by `problem.parking` index (`u32::MAX`: no cap).
pub type ParkingLeft = [u32];

/// Finds the cheapest route for aircraft `aircraft` (index) over `tasks` (flight indices), the first
/// `fixed` of which fly as planned. `strict`: respect slots and parking caps held by others.
pub fn solve(
    ctx: &Context,
    aircraft: usize,
    tasks: &[usize],
    fixed: usize,
    slots: &SlotBook,
    parking_left: &ParkingLeft,
    strict: bool,
) -> Option<Route> {
    let p = ctx.problem;
    let a = &p.aircraft[aircraft];
    let empty = SlotBook {
        windows: Vec::new(),
        used: Vec::new(),
    };
    let slots = if strict { slots } else { &empty };
    let n = tasks.len();
    let target = ctx.end_airport(tasks, aircraft);
    let need = |pos: usize| -> u32 {
        if pos < n {
            p.flights[tasks[pos]].from
        } else {
            target
        }
    };
    // The fixed prefix.
    let mut start = Label {
        pos: fixed,
        airport: ctx.start_airport[aircraft],
        ready: NEVER,
        last: None,
        cost: 0.0,
        prev: None,
        step: None,
        ferried: false,
        forbid: None,
    };
    let mut prefix = Vec::with_capacity(fixed);
    for &i in &tasks[..fixed] {
        let f = &p.flights[i];
        prefix.push(Decision::Fly {
            flight: i,
            departure: f.departure.0,
        });
        start.airport = f.to;
        start.ready = f.arrival.0;
        start.last = Some(i);
    }
    let mut arena: Vec<Label> = vec![start];
    let mut at: Vec<Vec<usize>> = vec![Vec::new(); n + 1];
    at[fixed].push(0);
    let mut best_end: Option<usize> = None;

    let parks = |airport: u32, ready: i64, dep: i64, last: Option<usize>| -> bool {
        if !strict || last.is_none() && ready == NEVER {
            return true;
        }
        p.parking.iter().enumerate().all(|(k, cap)| {
            !(cap.airport == airport && ready <= cap.start.0 && dep >= cap.end.0)
                || parking_left[k] > 0
        })
    };
    let turn = |last: Option<usize>, next: Option<usize>| -> i64 {
        match (last, next) {
            (Some(l), Some(nx)) => ctx.turn(l, nx),
            _ => ucodts_model::tianchi2017::rules::MIN_TURN_MINUTES,
        }
    };

    // What a label's `forbid` becomes when it leaves its last flight for `next` (a flight of the list at
    // position `at` or later, or None for a ferry); None: the move would leave two pair legs open at once.
    let leave = |l: &Label, next: Option<usize>, at: usize| -> Option<Option<usize>> {
        let Some(j) = l.last.and_then(|x| ctx.pair_second[x]) else {
            return Some(l.forbid);
        };
        if next == Some(j) || !tasks[at.min(n)..].contains(&j) {
            return Some(l.forbid);
        }
        match l.forbid {
            Some(k) if k != j => None,
            _ => Some(Some(j)),
        }
    };

    for pos in fixed..=n {
        // Ferries from here to this position's airport.
        let here: Vec<usize> = at[pos].clone();
        for &li in &here {
            let l = arena[li].clone();
            if l.ferried || l.airport == need(pos) {
                continue;
            }
            // Flying the second leg of a pair after its first leg and a ferry would split the pair.
            if pos < n
                && l.last
                    .is_some_and(|last| ctx.pair_second[last] == Some(tasks[pos]))
            {
                continue;
            }
            let Some(forbid) = leave(&l, None, pos) else {
                continue;
            };
            if let Some(mut lab) = ferry(
                ctx,
                slots,
                a.aircraft_type,
                aircraft,
                &l,
                need(pos),
                pos,
                li,
                &parks,
            ) {
                lab.forbid = forbid;
                arena.push(lab);
                at[pos].push(arena.len() - 1);
            }
        }
        prune(&arena, &mut at[pos]);
        let here: Vec<usize> = at[pos].clone();
        if pos == n {
            for &li in &here {
                if arena[li].airport == target && best_end.is_none_or_more(&arena, arena[li].cost) {
                    best_end = Some(li);
                }
            }
            break;
        }
        let i = tasks[pos];
        let f = &p.flights[i];
        for &li in &here {
            let l = arena[li].clone();
            let push = |lab: Label, arena: &mut Vec<Label>, at: &mut Vec<Vec<usize>>| {
                let to = lab.pos;
                arena.push(lab);
                at[to].push(arena.len() - 1);
            };
            // Cancel.
            if ctx.cancellable[i] {
                let mut lab = l.clone();
                lab.pos = pos + 1;
                lab.cost += ctx.cancel_cost[i];
                lab.prev = Some(li);
                lab.step = Some(Decision::Cancel { flight: i });
                lab.ferried = false;
                if lab.forbid == Some(i) {
                    lab.forbid = None;
                }
                push(lab, &mut arena, &mut at);
            }
            if l.airport != f.from
                || ctx.route_banned(aircraft, f.from, f.to)
                || l.forbid == Some(i)
            {
                continue;
            }
            let Some(forbid) = leave(&l, Some(i), pos) else {
                continue;
            };
            let ready = if l.ready == NEVER {
                NEVER
            } else {
                l.ready + turn(l.last, Some(i))
            };
            let block = f.block().0;
            let latest = f.departure.0 + ctx.max_delay[i];
            let times = candidate_departures(ctx, slots, i, ready, latest);
            for t in times {
                if !parks(l.airport, l.ready, t, l.last) {
                    continue;
                }
                let mut lab = l.clone();
                lab.pos = pos + 1;
                lab.airport = f.to;
                lab.ready = t + block;
                lab.last = Some(i);
                lab.cost += ctx.fly_cost(i, aircraft, t);
                lab.prev = Some(li);
                lab.step = Some(Decision::Fly {
                    flight: i,
                    departure: t,
                });
                lab.ferried = false;
                lab.forbid = forbid;
                push(lab, &mut arena, &mut at);
            }
            // Straighten with the next flight.
            if let (Some(second), true) = (ctx.straightenable[i], pos + 1 < n) {
                if tasks[pos + 1] == second {
                    let g = &p.flights[second];
                    let block = ctx
                        .table_block(a.aircraft_type, f.from, g.to)
                        .unwrap_or(f.block().0 + g.block().0);
                    if !ctx.route_banned(aircraft, f.from, g.to) {
                        if let Some(t) = earliest_departure(
                            p,
                            slots,
                            f.from,
                            g.to,
                            block,
                            ready.max(f.departure.0),
                            latest,
                        ) {
                            if parks(l.airport, l.ready, t, l.last) {
                                let mut lab = l.clone();
                                lab.pos = pos + 2;
                                lab.airport = g.to;
                                lab.ready = t + block;
                                lab.last = Some(i);
                                lab.cost += ctx.straighten_cost(i, second, aircraft, t);
                                lab.prev = Some(li);
                                lab.step = Some(Decision::Straighten {
                                    first: i,
                                    second,
                                    departure: t,
                                    block,
                                });
                                lab.ferried = false;
                                lab.forbid = forbid;
                                push(lab, &mut arena, &mut at);
                            }
                        }
                    }
                }
            }
        }
    }
    let mut li = best_end?;
    let cost = arena[li].cost;
    let mut steps: Vec<Decision> = Vec::new();
    loop {
        steps.extend(arena[li].step.clone());
        match arena[li].prev {
            Some(prev) => li = prev,
            None => break,
        }
    }
    steps.reverse();
    prefix.extend(steps);
    Some(Route {
        decisions: prefix,
        cost,
    })
}

trait BetterEnd {
    fn is_none_or_more(&self, arena: &[Label], cost: f64) -> bool;
}

impl BetterEnd for Option<usize> {
    fn is_none_or_more(&self, arena: &[Label], cost: f64) -> bool {
        self.map_or(true, |b| arena[b].cost > cost)
    }
}

#[allow(clippy::too_many_arguments)]
fn ferry(
    ctx: &Context,
    slots: &SlotBook,
    aircraft_type: u8,
    aircraft: usize,
    l: &Label,
    to: u32,
    pos: usize,
    li: usize,
    parks: &dyn Fn(u32, i64, i64, Option<usize>) -> bool,
) -> Option<Label> {
    let p = ctx.problem;
    if !ctx.domestic(l.airport) || !ctx.domestic(to) || ctx.route_banned(aircraft, l.airport, to) {
        return None;
    }
    let block = ctx.table_block(aircraft_type, l.airport, to)?;
    let earliest = if l.ready == NEVER {
        p.window_start.0
    } else {
        l.ready + ucodts_model::tianchi2017::rules::MIN_TURN_MINUTES
    }
    .max(p.window_start.0);
    let t = earliest_departure(p, slots, l.airport, to, block, earliest, earliest + 48 * 60)?;
    if !parks(l.airport, l.ready, t, l.last) {
        return None;
    }
    let mut lab = l.clone();
    lab.pos = pos;
    lab.airport = to;
    lab.ready = t + block;
    lab.last = None;
    lab.cost += weights::Weights::of(p.season).ferry;
    lab.prev = Some(li);
    lab.step = Some(Decision::Ferry {
        from: l.airport,
        to,
        departure: t,
        block,
    });
    lab.ferried = true;
    Some(lab)
}

/// Keeps the labels at one position that no other beats on cost and readiness at the same airport.
fn prune(arena: &[Label], ids: &mut Vec<usize>) {
    ids.sort_by(|&x, &y| {
        let (a, b) = (&arena[x], &arena[y]);
        a.cost
            .total_cmp(&b.cost)
            .then(a.ready.cmp(&b.ready))
            .then(x.cmp(&y))
    });
    let mut kept: Vec<usize> = Vec::new();
    for &id in ids.iter() {
        let l = &arena[id];
        let dominated = kept.iter().any(|&k| {
            let m = &arena[k];
            m.airport == l.airport
                && m.ready <= l.ready
                && m.ferried <= l.ferried
                && (m.forbid.is_none() || m.forbid == l.forbid)
                && (m.last == l.last || m.cost + 1e-9 < l.cost)
        });
        if !dominated {
            kept.push(id);
        }
        if kept.len() >= MAX_LABELS_PER_POSITION {
            break;
        }
    }
    *ids = kept;
}

/// Whether a movement at `airport` at `t` is inside a typhoon ban (for callers outside the search).
pub fn banned(problem: &TyphoonProblem, airport: u32, kind: BanKind, t: i64) -> bool {
    problem.banned(airport, kind, UtcMinute(t)).is_some()
}

#[cfg(test)]
mod tests {

    use ucodts_model::tianchi2017::{ThroughPair, TyphoonProblem};

    use super::*;
    use crate::tianchi::fixtures::{self, at, flight};

    #[test]
    fn a_through_pair_flown_whole_is_flown_back_to_back_even_with_flights_between_it_in_the_list() {
        // Flights 1 -> 4 are a through pair 10 -> 20 -> 30; the search's list holds 2 and 3 (20 -> 40 -> 20)
        // between its legs, which the checker refuses to see flown there (rule 9).
        let p = TyphoonProblem {
            domestic_airports: [10, 20, 30, 40].into_iter().collect(),
            through_pairs: vec![ThroughPair {
                first: 1,
                second: 4,
            }],
            ..fixtures::problem(
                vec![
                    flight(1, 10, 20, at(6, 8), 1, 2),
                    flight(2, 20, 40, at(6, 10), 2, 2),
                    flight(3, 40, 20, at(6, 12), 2, 2),
                    flight(4, 20, 30, at(6, 14), 1, 2),
                ],
                &[(1, 2, 150)],
            )
        };
        let ctx = Context::new(&p);
        let slots = SlotBook::new(&p);
        let route = solve(&ctx, 0, &[0, 1, 2, 3], 0, &slots, &[], true).expect("a route");
        let flown: Vec<usize> = route.flown_flights().collect();
        // Cancelling the two flights between the legs is cheaper than a ferry to the pair's end.
        assert_eq!(flown, vec![0, 3]);
        assert!(route
            .decisions
            .iter()
            .all(|d| !matches!(d, Decision::Ferry { .. })));
    }
}
