//! Crew holds: a flight waits for the crew rostered on it when the flight they come off lands late.
//!
//! An aircraft plan moves flights; crew who change aircraft then miss their next leg by minutes. Doing
//! nothing, the operation holds that leg until they have made the connection, and every later leg of its
//! aircraft follows. Without that hold, the crew plan sees a broken roster and swaps, deadheads or calls a
//! reserve for each such member: a thirty-minute delay on one route then reaches a couple of hundred crew
//! members, a plan no controller would act on. [`hold_for_crew`] gives the aircraft plan those holds, as
//! doing nothing would: each flight leaves no sooner than its crew's connection
//! ([`RecoveryProblem::crew_feeds`]) and its aircraft's previous leg plus the turn-round allow. Such a
//! delay is a knock-on ([`ucodts_model::recovery::knock_on_delays`]): not a decision, not priced as one.

use ucodts_model::recovery::{AircraftIdx, PlanFlight, RecoveryPlan, RecoveryProblem};
use ucodts_model::UtcMinute;

/// Passes over the plan at most: a hold moves later flights only, so the passes settle long before (each
/// pass settles every chain whose flights come in index order); the bound keeps a bad problem finite.
const MAX_PASSES: usize = 64;

/// `plan` with every flight held for its crew and its aircraft's previous leg, or `None` when no flight
/// needs a hold. Frozen flights never move. The result is a plan to check like any other: a hold can push
/// a flight into a curfew or past the window's end.
pub fn hold_for_crew(problem: &RecoveryProblem, plan: &RecoveryPlan) -> Option<RecoveryPlan> {
    if problem.crew_connections.is_empty() || plan.rotations.len() != problem.aircraft.len() {
        return None;
    }
    let mut held = plan.clone();
    // Where each planned flight is flown (its first occurrence), and each rotation in departure order.
    let mut at: Vec<Option<(usize, usize)>> = vec![None; problem.flights.len()];
    let mut orders: Vec<Vec<usize>> = Vec::with_capacity(held.rotations.len());
    for (a, rotation) in held.rotations.iter().enumerate() {
        for (p, leg) in rotation.iter().enumerate() {
            if let PlanFlight::Planned(f) = leg.flight {
                if let Some(slot) = at.get_mut(f.index()) {
                    slot.get_or_insert((a, p));
                }
            }
        }
        let mut order: Vec<usize> = (0..rotation.len()).collect();
        order.sort_by_key(|&p| (rotation[p].departure, p));
        orders.push(order);
    }
    let mut pushed: Vec<Vec<bool>> = held
        .rotations
        .iter()
        .map(|r| vec![false; r.len()])
        .collect();
    let mut moved = false;
    for _ in 0..MAX_PASSES {
        let mut changed = false;
        for a in 0..held.rotations.len() {
            for k in 0..orders[a].len() {
                let p = orders[a][k];
                let leg = held.rotations[a][p];
                let frozen = match leg.flight {
                    PlanFlight::Planned(f) => {
                        problem.flights.get(f.index()).map_or(true, |f| f.frozen)
                    }
                    PlanFlight::New(_) => false,
                };
                if frozen {
                    continue;
                }
                let mut earliest: UtcMinute = leg.departure;
                if k > 0 {
                    let previous = held.rotations[a][orders[a][k - 1]];
                    let gap = held.ground_time(
                        problem,
                        AircraftIdx(a as u16),
                        previous.flight,
                        leg.flight,
                    );
                    // Only a held leg makes the next one wait: a plan that was tighter than the
                    // turn-round before any hold stays so (the checker judges it).
                    if pushed[a][orders[a][k - 1]] {
                        earliest = earliest.max(previous.arrival + gap);
                    }
                }
                if let PlanFlight::Planned(f) = leg.flight {
                    for feed in problem.crew_feeds(f) {
                        if let Some((fa, fp)) = at[feed.from.index()] {
                            earliest = earliest.max(held.rotations[fa][fp].arrival + feed.need);
                        }
                    }
                }
                if earliest > leg.departure {
                    let by = earliest - leg.departure;
                    let slot = &mut held.rotations[a][p];
                    slot.departure = slot.departure + by;
                    slot.arrival = slot.arrival + by;
                    pushed[a][p] = true;
                    changed = true;
                    moved = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    moved.then_some(held)
}
