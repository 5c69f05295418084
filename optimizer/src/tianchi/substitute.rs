//! Same-route substitution: two flights with the same departure and arrival airports trade places between
//! two aircraft's task lists (with their through partners), so each aircraft flies the other's flight where
//! it stood in its own day.
//!
//! Around the typhoon the search would otherwise hold a flight into a closed airport for a day (a 37 -> 49
//! planned on the evening of the 6th flown at 16:00 on the 7th, 20 h late) while another aircraft's 37 -> 49
//! planned for 14:00 on the 7th stays cancelled: both put an aircraft at 49 after the reopening, but the
//! first costs a day's delay and the second a cancellation. Swapping the two flights between the lists lets
//! the route search fly the later one on time and cancel the earlier one. The swaps, re-solves and pickups
//! never meet this change: the flights may be a day apart, further than an exchange looks, and the pickup
//! prices delays up to 8 h only.
//!
//! The flight given up is one the aircraft cancels or flies at least [`MIN_DELAY_MINUTES`] late (on time
//! counts: an aircraft may give up an on-time flight for a cancelled one that serves it better); the one
//! taken is any flight of another aircraft with the same airports whose planned departure lies within
//! [`WINDOW_MINUTES`]. Both aircraft must keep their end airport, every flight moved must be adjustable, and
//! a through pair moves whole, its legs side by side.

use std::collections::BTreeMap;

use super::route::Decision;
use super::{fixed_prefix, Context, State};
use crate::lns::Draws;

/// How late a flown flight must be to be offered for a substitute: 0, any flight not advanced (at 100,000
/// steps, seeds 1-5, offering flights on time too gave a mean of 663,965 against 673,120 when only flights
/// 30 min late or more were offered).
pub const MIN_DELAY_MINUTES: i64 = 0;
/// How far apart the planned departures of the two flights may be.
pub const WINDOW_MINUTES: i64 = 24 * 60;

/// Adjustable flights by (departure airport, arrival airport), in order of planned departure.
pub struct SameRoute {
    by_route: BTreeMap<(u32, u32), Vec<usize>>,
}

impl SameRoute {
    pub fn new(ctx: &Context) -> SameRoute {
        let p = ctx.problem;
        let mut by_route: BTreeMap<(u32, u32), Vec<usize>> = BTreeMap::new();
        for (i, f) in p.flights.iter().enumerate() {
            if p.adjustable(f) {
                by_route.entry((f.from, f.to)).or_default().push(i);
            }
        }
        for list in by_route.values_mut() {
            list.sort_by_key(|&i| (p.flights[i].departure, i));
        }
        SameRoute { by_route }
    }
}

/// A flight and its through partner, in flying order.
fn unit(ctx: &Context, i: usize) -> Vec<usize> {
    match (ctx.pair_first[i], ctx.pair_second[i]) {
        (Some(h), _) => vec![h, i],
        (_, Some(j)) => vec![i, j],
        _ => vec![i],
    }
}

/// `list` with the flights of `out` removed and `inner` put where `at` (a flight of `out`) stood.
fn replaced(list: &[usize], out: &[usize], at: usize, inner: &[usize]) -> Vec<usize> {
    let mut new = Vec::with_capacity(list.len() + inner.len());
    for &x in list {
        if x == at {
            new.extend_from_slice(inner);
        } else if !out.contains(&x) {
            new.push(x);
        }
    }
    new
}

/// Picks a flight aircraft `a` cancels or flies late and a flight of another aircraft with the same
/// airports, swaps them (with their partners) between the two lists and unbooks both aircraft, which are
/// returned for re-solving; None (state untouched) where no pair qualifies.
pub fn substitute(
    ctx: &Context,
    index: &SameRoute,
    state: &mut State,
    a: usize,
    draws: &mut Draws,
) -> Option<Vec<usize>> {
    let p = ctx.problem;
    let offered: Vec<usize> = state.routes[a]
        .decisions
        .iter()
        .filter_map(|d| match *d {
            Decision::Fly { flight, departure }
                if departure - p.flights[flight].departure.0 >= MIN_DELAY_MINUTES =>
            {
                Some(flight)
            }
            Decision::Cancel { flight } => Some(flight),
            _ => None,
        })
        .filter(|&i| p.adjustable(&p.flights[i]))
        .collect();
    if offered.is_empty() {
        return None;
    }
    let mut holder = vec![usize::MAX; p.flights.len()];
    for (b, t) in state.tasks.iter().enumerate() {
        for &i in t {
            holder[i] = b;
        }
    }
    let mut pairs = Vec::new();
    for &f in &offered {
        let x = &p.flights[f];
        let Some(same) = index.by_route.get(&(x.from, x.to)) else {
            continue;
        };
        for &g in same {
            let b = holder[g];
            if b == a || b == usize::MAX {
                continue;
            }
            if (p.flights[g].departure.0 - x.departure.0).abs() <= WINDOW_MINUTES {
                pairs.push((f, g));
            }
        }
    }
    if pairs.is_empty() {
        return None;
    }
    let (f, g) = pairs[draws.below(pairs.len())];
    let b = holder[g];
    let (uf, ug) = (unit(ctx, f), unit(ctx, g));
    let movable = |u: &[usize], owner: usize| {
        u.iter()
            .all(|&i| holder[i] == owner && p.adjustable(&p.flights[i]))
    };
    if !movable(&uf, a) || !movable(&ug, b) {
        return None;
    }
    let (ta, tb) = (&state.tasks[a], &state.tasks[b]);
    let new_a = replaced(ta, &uf, f, &ug);
    let new_b = replaced(tb, &ug, g, &uf);
    if ctx.end_airport(&new_a, a) != ctx.end_airport(ta, a)
        || ctx.end_airport(&new_b, b) != ctx.end_airport(tb, b)
    {
        return None;
    }
    let (fixed_a, fixed_b) = (fixed_prefix(ctx, &new_a), fixed_prefix(ctx, &new_b));
    if fixed_a != state.fixed[a] || fixed_b != state.fixed[b] {
        return None;
    }
    state.book(ctx, a, -1);
    state.book(ctx, b, -1);
    state.tasks[a] = new_a;
    state.tasks[b] = new_b;
    Some(vec![a, b])
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use ucodts_model::tianchi2017::{BanKind, TyphoonBan, TyphoonProblem};
    use ucodts_model::Minutes;

    use super::super::{construct, finish};
    use super::*;
    use crate::tianchi::fixtures::{self, at, flight};

    /// Airport 20 is closed from 12:00 on the 6th to 10:00 on the 7th. Aircraft 1 flies 10 -> 20 at 13:00
    /// on the 6th and 20 -> 30 at 12:00 on the 7th; aircraft 2, which may not fly 10 -> 20, is planned
    /// 30 -> 10 at 08:00 on the 7th, 10 -> 20 at 10:00 and 20 -> 10 at 14:00.
    fn problem() -> TyphoonProblem {
        let mut flight_times = BTreeMap::new();
        flight_times.insert((2, 10, 20), Minutes(100));
        let ban = |kind| TyphoonBan {
            airport: 20,
            kind,
            start: at(6, 12),
            end: at(7, 10),
        };
        TyphoonProblem {
            bans: vec![ban(BanKind::Landing), ban(BanKind::Takeoff)],
            flight_times,
            route_bans: [(2, 10, 20)].into_iter().collect(),
            ..fixtures::problem(
                vec![
                    flight(1, 10, 20, at(6, 13), 1, 2),
                    flight(2, 20, 30, at(7, 12), 1, 2),
                    flight(3, 30, 10, at(7, 8), 2, 2),
                    flight(4, 10, 20, at(7, 10), 2, 2),
                    flight(5, 20, 10, at(7, 14), 2, 2),
                ],
                &[(1, 2, 150), (2, 2, 150)],
            )
        }
    }

    #[test]
    fn a_flight_held_over_the_closure_trades_places_with_a_later_one_on_the_same_route() {
        let p = problem();
        let ctx = Context::new(&p);
        let index = SameRoute::new(&ctx);
        let mut state = construct(&ctx);
        let before = state.total();
        // Aircraft 1 holds its 10 -> 20 for 19 h; aircraft 2 cancels its own later one, which it may not fly.
        assert!(state.routes[0].decisions.iter().any(
            |d| matches!(*d, Decision::Fly { flight: 0, departure } if departure > at(7, 8).0)
                || *d == Decision::Cancel { flight: 0 }
        ));
        let mut draws = Draws::new(1);
        let touched = substitute(&ctx, &index, &mut state, 0, &mut draws).expect("a substitute");
        assert_eq!(touched, vec![0, 1]);
        assert_eq!(state.tasks[0], vec![3, 1]);
        assert_eq!(state.tasks[1], vec![2, 0, 4]);
        for &x in &touched {
            assert!(state.solve(&ctx, x, false));
        }
        let after = state.total();
        assert!(after < before - 1_000.0, "{after} vs {before}");
        let (_, e) = finish(&ctx, &state);
        assert!(e.feasible, "{:?}", e.violations);
        // Aircraft 1 flies aircraft 2's 10 -> 20 on time and its own leg home; nobody flies flight 1.
        assert!(state.routes[0].decisions.contains(&Decision::Fly {
            flight: 3,
            departure: at(7, 10).0,
        }));
    }
}
