//! A new rotation for one aircraft over the whole network: a label-setting shortest path that may fly any
//! flight it is allowed (its own, and flights the rest of the fleet leaves cancelled, of any type the route
//! bans allow), in any order time permits, delayed, advanced into a take-off ban or straightened as
//! [`super::route`] would, against the slots and parking places the other aircraft hold, ending where the
//! aircraft must end. Where the search's swaps only exchange tails, this takes single flights or strings of
//! them from any aircraft's cancellations and builds a rotation nobody planned.
//!
//! A flight is worth its cancellation cost when flown, so the path minimises the flying costs less the
//! cancellations it saves.

use std::collections::{BTreeMap, BinaryHeap};

use ucodts_model::tianchi2017::{rules, BanKind};
use ucodts_model::UtcMinute;

use super::route::{Decision, ParkingLeft, Route};
use super::timing::{candidate_departures, earliest_departure, SlotBook};
use super::Context;

/// Fixed facts every search for a rotation reads.
pub struct Index {
    /// Adjustable flights by departure airport, in order of planned departure.
    departures: BTreeMap<u32, Vec<usize>>,
}

impl Index {
    pub fn new(ctx: &Context) -> Index {
        let p = ctx.problem;
        let mut departures: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
        for (i, f) in p.flights.iter().enumerate() {
            if p.adjustable(f) {
                departures.entry(f.from).or_default().push(i);
            }
        }
        for list in departures.values_mut() {
            list.sort_by_key(|&i| (p.flights[i].departure, i));
        }
        Index { departures }
    }
}

const NEVER: i64 = i64::MIN / 4;
/// How far the pricing delays a flight: beyond this a delay costs about as much as the cancellation.
const PRICING_MAX_DELAY: i64 = 8 * 60;
/// How long an aircraft may wait for its next flight in a priced route, after the earliest it could leave
/// (and then for the next few departures at most).
const PRICING_MAX_WAIT: i64 = 6 * 60;
const PRICING_LATER_DEPARTURES: usize = 3;
/// Labels kept per last flight.
const LABELS_PER_NODE: usize = 3;

#[derive(Clone)]
struct Label {
    airport: u32,
    ready: i64,
    last: Option<usize>,
    cost: f64,
    parent: Option<usize>,
    decision: Option<Decision>,
    visited: Vec<u64>,
    alive: bool,
}

fn seen(bits: &[u64], i: usize) -> bool {
    bits[i / 64] >> (i % 64) & 1 == 1
}

fn mark(bits: &mut [u64], i: usize) {
    bits[i / 64] |= 1 << (i % 64);
}

/// What aircraft `a` may do: the flights it may fly (`allowed`), the first `fixed` of `prefix` flown as
/// planned, and the airport it must end at.
pub struct Ask<'x> {
    pub aircraft: usize,
    pub prefix: &'x [usize],
    pub fixed: usize,
    pub allowed: &'x [bool],
    pub target: u32,
}

/// The cheapest rotation for the aircraft of `ask` by the estimate (flying costs less the cancellations it
/// saves), keeping the slots in `slots` and the parking places left; None if it cannot reach its target.
pub fn best_route(
    ctx: &Context,
    index: &Index,
    ask: &Ask,
    slots: &SlotBook,
    parking_left: &ParkingLeft,
) -> Option<Route> {
    let p = ctx.problem;
    let n = p.flights.len();
    let a = ask.aircraft;
    let aircraft = &p.aircraft[a];
    let rotation = ask.prefix;
    let fixed = ask.fixed;
    let mut prefix = Vec::new();
    let mut start = Label {
        airport: ctx.start_airport[a],
        ready: NEVER,
        last: None,
        cost: 0.0,
        parent: None,
        decision: None,
        visited: vec![0; n.div_ceil(64)],
        alive: true,
    };
    for &i in &rotation[..fixed] {
        let f = &p.flights[i];
        prefix.push(Decision::Fly {
            flight: i,
            departure: f.departure.0,
        });
        start.airport = f.to;
        start.ready = f.arrival.0;
        start.last = Some(i);
    }
    // The second leg of a through pair begun in the fixed prefix must follow it.
    let forced = start
        .last
        .and_then(|l| ctx.pair_second[l])
        .filter(|&g| !ctx.cancellable[g]);
    let mut arena: Vec<Label> = vec![start];
    let mut at_node: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut heap: BinaryHeap<std::cmp::Reverse<(i64, usize)>> = BinaryHeap::new();
    heap.push(std::cmp::Reverse((NEVER, 0)));
    let mut best_end: Option<(f64, usize)> = None;
    while let Some(std::cmp::Reverse((_, li))) = heap.pop() {
        if !arena[li].alive {
            continue;
        }
        let l = arena[li].clone();
        let must = if li == 0 { forced } else { None };
        // End here.
        if must.is_none()
            && l.airport == ask.target
            && best_end.map_or(true, |(c, _)| l.cost < c - 1e-9)
        {
            best_end = Some((l.cost, li));
        }
        let Some(list) = index.departures.get(&l.airport) else {
            continue;
        };
        let earliest = if l.ready == NEVER {
            p.window_start.0
        } else {
            l.ready + 30
        };
        // The first minute a take-off is allowed here, for the candidate range.
        let open = p
            .banned(l.airport, BanKind::Takeoff, UtcMinute(earliest))
            .map_or(earliest, |b| b.end.0);
        let lo = open - PRICING_MAX_DELAY;
        // An aircraft that starts inside the window may wait for any of its airport's flights.
        let hi = if l.ready == NEVER {
            i64::MAX
        } else {
            open + PRICING_MAX_WAIT
        };
        let first = list.partition_point(|&i| p.flights[i].departure.0 < lo);
        let open_pair = l.last.and_then(|x| ctx.pair_second[x]);
        let mut later = 0;
        for &i in &list[first..] {
            let f = &p.flights[i];
            if f.departure.0 > hi {
                later += 1;
                if later > PRICING_LATER_DEPARTURES {
                    break;
                }
            }
            if !ask.allowed[i] || seen(&l.visited, i) || must.is_some_and(|g| g != i) {
                continue;
            }
            if ctx.route_banned(a, f.from, f.to) {
                continue;
            }
            let turn = match l.last {
                Some(last) => ctx.turn(last, i),
                None => rules::MIN_TURN_MINUTES,
            };
            let ready = if l.ready == NEVER {
                NEVER
            } else {
                l.ready + turn
            };
            let block = f.block().0;
            let latest = f.departure.0 + ctx.max_delay[i].min(PRICING_MAX_DELAY);
            let times = candidate_departures(ctx, slots, i, ready, latest);
            let mut visited = l.visited.clone();
            mark(&mut visited, i);
            if let Some(g) = open_pair.filter(|&g| g != i) {
                mark(&mut visited, g);
            }
            let continues_pair = open_pair == Some(i);
            if let Some(h) = ctx.pair_first[i].filter(|_| !continues_pair) {
                mark(&mut visited, h);
            }
            for t in times {
                if !parks(ctx, parking_left, &l, t) {
                    continue;
                }
                let cost = l.cost + ctx.fly_cost(i, a, t) - ctx.cancel_cost[i];
                let label = Label {
                    airport: f.to,
                    ready: t + block,
                    last: Some(i),
                    cost,
                    parent: Some(li),
                    decision: Some(Decision::Fly {
                        flight: i,
                        departure: t,
                    }),
                    visited: visited.clone(),
                    alive: true,
                };
                insert(&mut arena, &mut at_node[i], &mut heap, label);
            }
            // Straighten with the second leg.
            if let Some(g) =
                ctx.straightenable[i].filter(|&g| ask.allowed[g] && !seen(&l.visited, g))
            {
                let second = &p.flights[g];
                if ctx.route_banned(a, f.from, second.to) {
                    continue;
                }
                let block = ctx
                    .table_block(aircraft.aircraft_type, f.from, second.to)
                    .unwrap_or(block + second.block().0);
                let Some(t) = earliest_departure(
                    p,
                    slots,
                    f.from,
                    second.to,
                    block,
                    ready.max(f.departure.0),
                    latest,
                ) else {
                    continue;
                };
                if !parks(ctx, parking_left, &l, t) {
                    continue;
                }
                let cost = l.cost + ctx.straighten_cost(i, g, a, t)
                    - ctx.cancel_cost[i]
                    - ctx.cancel_cost[g];
                let mut visited = visited.clone();
                mark(&mut visited, g);
                let label = Label {
                    airport: second.to,
                    ready: t + block,
                    last: Some(i),
                    cost,
                    parent: Some(li),
                    decision: Some(Decision::Straighten {
                        first: i,
                        second: g,
                        departure: t,
                        block,
                    }),
                    visited,
                    alive: true,
                };
                insert(&mut arena, &mut at_node[g], &mut heap, label);
            }
        }
    }
    let (cost, mut li) = best_end?;
    let mut steps = Vec::new();
    while let Some(parent) = arena[li].parent {
        steps.extend(arena[li].decision.clone());
        li = parent;
    }
    steps.reverse();
    let mut decisions = prefix;
    decisions.extend(steps);
    Some(Route { decisions, cost })
}

/// Whether waiting from the label's arrival to `t` keeps the parking caps (only between two flights).
fn parks(ctx: &Context, parking_left: &ParkingLeft, l: &Label, t: i64) -> bool {
    l.last.is_none()
        || ctx.problem.parking.iter().enumerate().all(|(k, cap)| {
            !(cap.airport == l.airport && l.ready <= cap.start.0 && t >= cap.end.0)
                || parking_left[k] > 0
        })
}

/// Adds a label at a node unless one there is no later and no dearer; drops those it beats.
fn insert(
    arena: &mut Vec<Label>,
    node: &mut Vec<usize>,
    heap: &mut BinaryHeap<std::cmp::Reverse<(i64, usize)>>,
    label: Label,
) {
    node.retain(|&k| arena[k].alive);
    if node
        .iter()
        .any(|&k| arena[k].ready <= label.ready && arena[k].cost <= label.cost + 1e-9)
    {
        return;
    }
    for &k in node.iter() {
        if label.ready <= arena[k].ready && label.cost <= arena[k].cost + 1e-9 {
            arena[k].alive = false;
        }
    }
    node.retain(|&k| arena[k].alive);
    if node.len() >= LABELS_PER_NODE {
        // Full: replace the dearest if the new one is cheaper.
        let (pos, &worst) = node
            .iter()
            .enumerate()
            .max_by(|x, y| {
                arena[*x.1]
                    .cost
                    .total_cmp(&arena[*y.1].cost)
                    .then(x.0.cmp(&y.0))
            })
            .expect("a full node has labels");
        if arena[worst].cost <= label.cost {
            return;
        }
        arena[worst].alive = false;
        node.remove(pos);
    }
    let ready = label.ready;
    arena.push(label);
    let id = arena.len() - 1;
    node.push(id);
    heap.push(std::cmp::Reverse((ready, id)));
}

#[cfg(test)]
mod tests {

    use ucodts_model::tianchi2017::TyphoonProblem;

    use super::*;
    use crate::tianchi::fixtures::{self, at, flight};

    /// Aircraft 1 (type 2) flies 10 -> 20 -> 10 in the morning; aircraft 2 (type 1) is planned 10 -> 20 ->
    /// 10 in the afternoon, which the fleet has cancelled.
    fn problem() -> TyphoonProblem {
        TyphoonProblem {
            ..fixtures::problem(
                vec![
                    flight(1, 10, 20, at(6, 8), 1, 2),
                    flight(2, 20, 10, at(6, 11), 1, 2),
                    flight(3, 10, 20, at(6, 14), 2, 1),
                    flight(4, 20, 10, at(6, 17), 2, 1),
                ],
                &[(1, 2, 150), (2, 1, 119)],
            )
        }
    }

    fn flown(route: &Route) -> Vec<usize> {
        route
            .decisions
            .iter()
            .filter_map(|d| match *d {
                Decision::Fly { flight, .. } => Some(flight),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn an_aircraft_takes_cancelled_flights_of_another_type() {
        let p = problem();
        let ctx = Context::new(&p);
        let index = Index::new(&ctx);
        let slots = SlotBook::new(&p);
        let ask = Ask {
            aircraft: 0,
            prefix: &[0, 1],
            fixed: 0,
            allowed: &[true; 4],
            target: 10,
        };
        let route = best_route(&ctx, &index, &ask, &slots, &[]).expect("a route home");
        assert_eq!(flown(&route), vec![0, 1, 2, 3]);
        // Two flights saved from cancellation, less the type change 1 -> 2 and the swaps.
        assert!(route.cost < -2.0 * 1_200.0, "{}", route.cost);
    }

    #[test]
    fn flights_not_allowed_stay_out_and_the_route_ends_at_its_target() {
        let p = problem();
        let ctx = Context::new(&p);
        let index = Index::new(&ctx);
        let slots = SlotBook::new(&p);
        let mut ask = Ask {
            aircraft: 0,
            prefix: &[0, 1],
            fixed: 0,
            allowed: &[true, true, false, true],
            target: 10,
        };
        let route = best_route(&ctx, &index, &ask, &slots, &[]).expect("a route home");
        assert_eq!(flown(&route), vec![0, 1]);
        ask.target = 30;
        assert!(best_route(&ctx, &index, &ask, &slots, &[]).is_none());
    }
}
