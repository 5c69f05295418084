//! Ruin and recreate: a few aircraft that pass the same airport at about the same time give up every
//! adjustable flight they hold, and then, one after another in a random order, each takes a new rotation
//! over the whole network by the pickup search ([`super::pickup`]) from that pool and from the flights the
//! rest of the fleet leaves cancelled, ending where it must end. What nobody takes goes back to the aircraft
//! that held it, cancelled unless its re-solve fits it in.
//!
//! The pickup move only gives one aircraft flights nobody flies; here aircraft that fly flights trade them,
//! so a string of flights can move from one tail to another while that tail takes someone else's evening.
//! The aircraft are then re-solved in the same order by [`super::route::solve`] and the search keeps or
//! drops the whole change by its estimate, as for its other moves.

use super::pickup::{self, Ask};
use super::route::Decision;
use super::{fixed_prefix, insert_cancelled, Context, State};
use crate::lns::Draws;

/// The most aircraft released together.
pub const MAX_GROUP: usize = 4;
/// How far apart two aircraft's planned departures (or arrivals) at the pivot airport may be to be grouped.
const GROUP_WINDOW_MINUTES: i64 = 6 * 60;

/// Aircraft `a` and up to [`MAX_GROUP`] - 1 others that leave or reach the airport one of a's adjustable
/// flights leaves from, within [`GROUP_WINDOW_MINUTES`] of it.
pub fn group(ctx: &Context, state: &State, a: usize, draws: &mut Draws) -> Vec<usize> {
    let p = ctx.problem;
    let mut set = vec![a];
    let own = &state.tasks[a][state.fixed[a]..];
    if own.is_empty() {
        return set;
    }
    let pivot = &p.flights[own[draws.below(own.len())]];
    let near_pivot = |i: usize| {
        let f = &p.flights[i];
        f.from == pivot.from && (f.departure.0 - pivot.departure.0).abs() <= GROUP_WINDOW_MINUTES
            || f.to == pivot.from && (f.arrival.0 - pivot.departure.0).abs() <= GROUP_WINDOW_MINUTES
    };
    let mut near: Vec<usize> = (0..state.tasks.len())
        .filter(|&b| {
            b != a
                && state.tasks[b][state.fixed[b]..]
                    .iter()
                    .any(|&i| near_pivot(i))
        })
        .collect();
    for _ in 0..1 + draws.below(MAX_GROUP - 1) {
        if near.is_empty() {
            break;
        }
        set.push(near.swap_remove(draws.below(near.len())));
    }
    set
}

/// Releases the adjustable flights of the aircraft in `set` and rebuilds their rotations one after another
/// in a random order (see the module documentation). Flights taken from aircraft outside the set were
/// cancelled there and leave their routes without a re-solve. The set's aircraft are left unbooked and
/// returned in the order to re-solve them; None where an aircraft finds no rotation to its end airport (the
/// state is then half-changed: the caller restores it).
pub fn rebuild(
    ctx: &Context,
    index: &pickup::Index,
    state: &mut State,
    set: &[usize],
    draws: &mut Draws,
) -> Option<Vec<usize>> {
    let p = ctx.problem;
    let nf = p.flights.len();
    let na = p.aircraft.len();
    let mut order = set.to_vec();
    for k in (1..order.len()).rev() {
        order.swap(k, draws.below(k + 1));
    }
    let mut member = vec![false; na];
    let mut target = vec![0; na];
    let mut last: Vec<Option<usize>> = vec![None; na];
    let mut old: Vec<Vec<usize>> = vec![Vec::new(); na];
    for &x in set {
        member[x] = true;
        target[x] = ctx.end_airport(&state.tasks[x], x);
        let t = &state.tasks[x];
        if t.len() > state.fixed[x] {
            last[x] = t.last().copied();
        }
        old[x] = t[state.fixed[x]..].to_vec();
    }
    let mut holder = vec![usize::MAX; nf];
    let mut flown = vec![false; nf];
    for (b, t) in state.tasks.iter().enumerate() {
        for &i in t {
            holder[i] = b;
        }
        if !member[b] {
            for i in state.routes[b].flown_flights() {
                flown[i] = true;
            }
        }
    }
    let mut pooled = vec![false; nf];
    for &x in set {
        for &i in &old[x] {
            pooled[i] = true;
        }
        state.book(ctx, x, -1);
    }
    let partner = |i: usize| ctx.pair_first[i].or(ctx.pair_second[i]);
    for &x in &order {
        let free = |i: usize, holder: &[usize], pooled: &[bool]| -> bool {
            if pooled[i] {
                return set.iter().all(|&y| y == x || last[y] != Some(i));
            }
            let b = holder[i];
            b != usize::MAX
                && !member[b]
                && p.adjustable(&p.flights[i])
                && !flown[i]
                && state.tasks[b].last() != Some(&i)
        };
        let allowed: Vec<bool> = (0..nf)
            .map(|i| {
                free(i, &holder, &pooled)
                    && partner(i).map_or(true, |j| {
                        holder[j] == x && !pooled[j] || free(j, &holder, &pooled)
                    })
            })
            .collect();
        let left = state.parking_left(ctx);
        let ask = Ask {
            aircraft: x,
            prefix: &state.tasks[x],
            fixed: state.fixed[x],
            allowed: &allowed,
            target: target[x],
        };
        let route = pickup::best_route(ctx, index, &ask, &state.slots, &left)?;
        let mut list: Vec<usize> = route.flown_flights().collect();
        // Through partners come along, next to their leg.
        let mut k = state.fixed[x];
        while k < list.len() {
            let i = list[k];
            if let Some(j) = partner(i).filter(|&j| !list.contains(&j) && free(j, &holder, &pooled))
            {
                if ctx.pair_second[i] == Some(j) {
                    list.insert(k + 1, j);
                } else {
                    list.insert(k, j);
                    k += 1;
                }
            }
            k += 1;
        }
        for &i in &list {
            if pooled[i] {
                pooled[i] = false;
            } else if holder[i] != x {
                let b = holder[i];
                debug_assert!(!member[b], "a member's flights are pooled");
                // Cancelled there: its route loses the cancellation and keeps its movements.
                state.tasks[b].retain(|&y| y != i);
                let r = &mut state.routes[b];
                r.decisions.retain(|d| *d != Decision::Cancel { flight: i });
                r.cost -= ctx.cancel_cost[i];
            }
            holder[i] = x;
        }
        state.fixed[x] = fixed_prefix(ctx, &list);
        state.tasks[x] = list;
        // Held for the pickups after it; the re-solve books it again.
        state.routes[x] = route;
        state.book(ctx, x, 1);
    }
    for &x in set {
        for &i in &old[x] {
            if pooled[i] {
                pooled[i] = false;
                insert_cancelled(ctx, &mut state.tasks[x], i);
            }
        }
        state.book(ctx, x, -1);
    }
    order
        .iter()
        .all(|&x| ctx.end_airport(&state.tasks[x], x) == target[x])
        .then_some(order)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::time::Duration;

    use ucodts_model::tianchi2017::{BanKind, ThroughPair, TyphoonBan, TyphoonProblem};
    use ucodts_model::Minutes;

    use super::super::{construct, cut_points, finish, recover, TyphoonOptions};
    use super::*;
    use crate::tianchi::fixtures::{self, at, flight};
    use crate::SteppingClock;

    /// Three aircraft shuttling between 10 and 20; airport 20 closes from 13:00 to 18:00 on the 6th, so the
    /// afternoon flights there are delayed or cancelled.
    fn problem() -> TyphoonProblem {
        let mut flight_times = BTreeMap::new();
        for t in [1, 2] {
            flight_times.insert((t, 10, 20), Minutes(100));
            flight_times.insert((t, 20, 10), Minutes(100));
        }
        let ban = |kind| TyphoonBan {
            airport: 20,
            kind,
            start: at(6, 13),
            end: at(6, 18),
        };
        TyphoonProblem {
            bans: vec![ban(BanKind::Landing), ban(BanKind::Takeoff)],
            flight_times,
            ..fixtures::problem(
                vec![
                    flight(1, 10, 20, at(6, 8), 1, 2),
                    flight(2, 20, 10, at(6, 11), 1, 2),
                    flight(3, 10, 20, at(6, 15), 1, 2),
                    flight(4, 20, 10, at(6, 19), 1, 2),
                    flight(5, 10, 20, at(6, 12), 2, 1),
                    flight(6, 20, 10, at(6, 16), 2, 1),
                    flight(7, 20, 10, at(6, 9), 3, 2),
                    flight(8, 10, 20, at(6, 14), 3, 2),
                ],
                &[(1, 2, 150), (2, 1, 119), (3, 2, 150)],
            )
        }
    }

    #[test]
    fn rebuilding_a_group_keeps_every_flight_once_each_end_airport_and_a_feasible_plan() {
        let p = problem();
        let ctx = Context::new(&p);
        let index = pickup::Index::new(&ctx);
        let start = construct(&ctx);
        assert!(finish(&ctx, &start).1.feasible);
        let ends: Vec<u32> = (0..3)
            .map(|a| ctx.end_airport(&start.tasks[a], a))
            .collect();
        let mut rebuilt = 0;
        let mut lowest = f64::INFINITY;
        for seed in 0..20 {
            let mut draws = Draws::new(seed);
            let mut state = start.clone();
            let Some(order) = rebuild(&ctx, &index, &mut state, &[0, 1, 2], &mut draws) else {
                continue;
            };
            if !order.iter().all(|&x| state.solve(&ctx, x, false)) {
                continue;
            }
            rebuilt += 1;
            let mut held: Vec<usize> = state.tasks.concat();
            held.sort_unstable();
            assert_eq!(held, (0..8).collect::<Vec<_>>(), "seed {seed}");
            for (a, &end) in ends.iter().enumerate() {
                assert_eq!(ctx.end_airport(&state.tasks[a], a), end, "seed {seed}");
            }
            let (_, e) = finish(&ctx, &state);
            assert!(e.feasible, "seed {seed}: {:?}", e.violations);
            lowest = lowest.min(state.total());
        }
        assert!(rebuilt > 10, "{rebuilt} of 20 rebuilds found routes");
        // Some order rebuilds the group at least as cheaply as the construction did.
        assert!(
            lowest <= start.total() + 1e-6,
            "{lowest} > {}",
            start.total()
        );
    }

    #[test]
    fn an_exchange_never_cuts_between_the_legs_of_a_through_pair() {
        let mut p = problem();
        // Flights 1 -> 2 (indices 0 and 1) are a through pair; flight 8 sits between them in a list.
        p.through_pairs.push(ThroughPair {
            first: 1,
            second: 2,
        });
        let ctx = Context::new(&p);
        assert_eq!(
            cut_points(&ctx, &[0, 7, 1, 2]),
            vec![true, false, false, true, true]
        );
        assert_eq!(cut_points(&ctx, &[1, 0]), vec![true, false, true]);
    }

    #[test]
    fn the_search_ends_no_worse_than_the_construction_and_repeats_itself_exactly() {
        let p = problem();
        let ctx = Context::new(&p);
        let constructed = finish(&ctx, &construct(&ctx)).1.score;
        let run = || {
            let options = TyphoonOptions {
                time_limit: Duration::from_secs(3_000),
                seed: 7,
            };
            recover(&p, &options, &SteppingClock::new(Duration::from_secs(1)))
        };
        let (one, two) = (run(), run());
        assert!(one.evaluation.feasible);
        assert!(
            one.evaluation.score <= constructed,
            "{} > {constructed}",
            one.evaluation.score
        );
        assert!(one.steps > 1_000);
        assert_eq!(one.plan, two.plan);
        assert_eq!(one.steps, two.steps);
    }
}
