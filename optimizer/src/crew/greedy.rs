//! The greedy repair: a first plan in well under a second on the embedded default.
//!
//! 1. Every affected crew member whose roster, as the disruption leaves it, is still legal keeps it.
//! 2. Each other affected crew member (by id) takes the candidate roster that flies the most seats still
//!    open (then the cheapest): a swap onto another crew's legs, a deadhead home, or the fallback.
//! 3. Seats still open, by departure: the reserve candidate (unused reserve, by id) that flies this seat
//!    and the most others still open, then the cheapest.
//! 4. What is left is uncovered, with why ([`uncovered_reason`]).

use std::collections::BTreeMap;
use std::time::Instant;

use ucodts_model::recovery::crew::{
    evaluate, CrewRecoveryPlan, CrewRecoveryProblem, UncoveredPosition,
};
use ucodts_model::{CrewId, Pairing, PairingId};

use super::columns::{build_pool, ColumnKind, ColumnPool};
use super::{CrewRecoveryOptions, CrewSolution};

/// The greedy repair (see the module documentation). Past [`CrewRecoveryOptions::deadline`] the pool
/// stops growing and the repair works with the rosters found by then.
pub fn greedy_repair(
    problem: &CrewRecoveryProblem<'_>,
    options: &CrewRecoveryOptions,
) -> CrewSolution {
    let started = Instant::now();
    let pool = build_pool(problem, options);
    let chosen = greedy_choice(problem, &pool);
    let plan = plan_from(problem, &pool, &chosen, "greedy");
    let evaluation = evaluate(problem, &plan);
    CrewSolution {
        plan,
        evaluation,
        seconds: started.elapsed().as_secs_f64(),
        columns: pool.columns.len(),
        optimal: false,
        cut_at_deadline: pool.cut_at_deadline,
    }
}

/// Per crew member of the pool, the index of the chosen column.
#[allow(clippy::needless_range_loop)] // `owner` indexes three parallel tables of the pool
pub(crate) fn greedy_choice(problem: &CrewRecoveryProblem<'_>, pool: &ColumnPool) -> Vec<usize> {
    let mut open: Vec<u32> = problem.demand().iter().map(|d| d.count).collect();
    let mut chosen: Vec<Option<usize>> = vec![None; pool.crew.len()];
    let fits = |open: &[u32], c: usize| {
        let mut need: BTreeMap<usize, u32> = BTreeMap::new();
        for &i in &pool.columns[c].covers {
            *need.entry(i).or_default() += 1;
        }
        need.iter().all(|(&i, &n)| open[i] >= n)
    };
    let take = |open: &mut Vec<u32>, c: usize| {
        for &i in &pool.columns[c].covers {
            open[i] -= 1;
        }
    };
    // 1. Rosters the disruption leaves legal.
    for owner in 0..pool.crew.len() {
        if pool.is_reserve[owner] {
            continue;
        }
        if let Some(&c) = pool.by_crew[owner]
            .iter()
            .find(|&&c| pool.columns[c].kind == ColumnKind::AsDisrupted)
        {
            if fits(&open, c) {
                take(&mut open, c);
                chosen[owner] = Some(c);
            }
        }
    }
    // 2. The others: the candidate flying the most open seats, then the cheapest.
    for owner in 0..pool.crew.len() {
        if pool.is_reserve[owner] || chosen[owner].is_some() {
            continue;
        }
        let best = pool.by_crew[owner]
            .iter()
            .copied()
            .filter(|&c| fits(&open, c))
            .min_by_key(|&c| {
                (
                    std::cmp::Reverse(pool.columns[c].covers.len()),
                    pool.columns[c].cost,
                    c,
                )
            });
        if let Some(c) = best {
            take(&mut open, c);
            chosen[owner] = Some(c);
        }
    }
    // 3. Reserves for the seats still open, by departure.
    let mut order: Vec<usize> = (0..open.len()).collect();
    order.sort_by_key(|&i| {
        let d = &problem.demand()[i];
        (problem.leg(d.leg).map(|l| l.scheduled_out), d.leg, d.rank)
    });
    for i in order {
        while open[i] > 0 {
            let best = (0..pool.crew.len())
                .filter(|&o| pool.is_reserve[o] && chosen[o].is_none())
                .flat_map(|o| pool.by_crew[o].iter().copied())
                .filter(|&c| pool.columns[c].covers.contains(&i) && fits(&open, c))
                .min_by_key(|&c| {
                    (
                        std::cmp::Reverse(pool.columns[c].covers.len()),
                        pool.columns[c].cost,
                        c,
                    )
                });
            let Some(c) = best else { break };
            take(&mut open, c);
            chosen[pool.columns[c].owner] = Some(c);
        }
    }
    // Reserves not called, and anyone without a fitting column: their first column that fits.
    (0..pool.crew.len())
        .map(|owner| {
            chosen[owner].unwrap_or_else(|| {
                let columns = &pool.by_crew[owner];
                columns
                    .iter()
                    .copied()
                    .find(|&c| pool.columns[c].covers.is_empty())
                    .or_else(|| columns.first().copied())
                    .expect("every crew member of the pool has a column")
            })
        })
        .collect()
}

/// The plan of a choice of columns, with every seat left open declared uncovered and why.
pub(crate) fn plan_from(
    problem: &CrewRecoveryProblem<'_>,
    pool: &ColumnPool,
    chosen: &[usize],
    policy: &str,
) -> CrewRecoveryPlan {
    // Pairings are shared by a crew's members, so each member's replacements get ids of their own.
    let mut next_id = problem.next_pairing_id().0;
    let mut rosters: BTreeMap<CrewId, Vec<Pairing>> = BTreeMap::new();
    let mut stranded = BTreeMap::new();
    let mut flown: Vec<u32> = vec![0; problem.demand().len()];
    for (owner, &c) in chosen.iter().enumerate() {
        let column = &pool.columns[c];
        for &i in &column.covers {
            flown[i] += 1;
        }
        let crew = &pool.crew[owner];
        if pool.is_reserve[owner] && column.pairings.is_empty() {
            continue;
        }
        let mut pairings = column.pairings.clone();
        for p in &mut pairings {
            p.id = PairingId(next_id);
            next_id += 1;
        }
        rosters.insert(crew.clone(), pairings);
        if let Some(why) = &column.stranded {
            stranded.insert(crew.clone(), why.clone());
        }
    }
    let uncovered = problem
        .demand()
        .iter()
        .enumerate()
        .filter(|(i, d)| flown[*i] < d.count)
        .map(|(i, d)| UncoveredPosition {
            leg: d.leg,
            rank: d.rank,
            count: d.count - flown[i],
            why: uncovered_reason(problem, pool, i),
        })
        .collect();
    CrewRecoveryPlan {
        policy: policy.to_string(),
        rosters,
        stranded,
        uncovered,
    }
}

/// Why seat `i` is left open, in a controller's words.
pub fn uncovered_reason(problem: &CrewRecoveryProblem<'_>, pool: &ColumnPool, i: usize) -> String {
    let d = &problem.demand()[i];
    let station = problem
        .leg(d.leg)
        .map(|l| l.origin.to_string())
        .unwrap_or_else(|| "its origin".into());
    let seats = &pool.seats[i];
    if seats.tried == 0 {
        let reserves = pool
            .crew
            .iter()
            .zip(&pool.is_reserve)
            .filter(|(c, &r)| r && problem.member(c).is_some_and(|m| m.rank == d.rank))
            .count();
        if reserves == 0 {
            format!(
                "no legal crew at {station}: no {} reserve stands by anywhere, and no affected crew member can reach the leg",
                d.rank
            )
        } else {
            format!(
                "no legal crew at {station}: no affected crew member or {} reserve on standby can be routed to the leg and home within the search limits",
                d.rank
            )
        }
    } else if seats.legal == 0 {
        match &seats.first_violation {
            Some(v) => format!(
                "every candidate ({}) is over a limit, e.g. {}: {}",
                seats.tried,
                v.crew,
                v.explain()
            ),
            None => format!(
                "every candidate ({}) breaks the plan's structure (connections, standby, qualification)",
                seats.tried
            ),
        }
    } else {
        format!(
            "the {} crew members who could fly it legally are needed on other legs or cost more than the seat",
            seats.legal
        )
    }
}
