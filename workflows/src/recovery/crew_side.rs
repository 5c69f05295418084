//! The crew side of a scenario: what the crew controller is told at the decision time.
//!
//! A scenario's sick calls come in two forms. A named one (`crew = "B6-JFK-CA-0077"`) is what a controller
//! hears on the phone. A share of a base ("5 % of the JFK crew") is how a planner writes a what-if; the twin
//! draws who is sick afresh in every replication. A recovery plan must name people, so before planning the
//! share is resolved once into named sick calls: among the crew of that base with a pairing that is still to
//! report at or after the call and reports before the recovery window ends, `ceil(share x count)` members are
//! picked in the order of a hash of the run's master seed and their id (deterministic, and not biased towards any
//! part of the id range). The Monte Carlo comparison then replays every plan and "doing nothing" with the same
//! named sick calls, so the plans are judged against the sickness they were made for.
//!
//! Every other disruption reaches the crew side through the aircraft plan (its retimed and cancelled legs), so
//! the crew input carries only the window, the sick calls, the rule set, reserves and cost weights. The window
//! is the aircraft problem's: the crew plan re-crews only legs departing inside it (legs after its end keep
//! their rostered crew, and no reserve is called for them; see `ucodts_model::recovery::crew`), as the
//! aircraft plan retimes, cancels and swaps only flights departing inside it.

use std::collections::BTreeMap;

use ucodts_stats::hash::mix;

use crate::error::Result;
use ucodts_model::recovery::crew::{CrewDisruption, SickCall};
use ucodts_model::{AirportCode, CrewId, CrewSickCall, Disruption, Schedule, UtcMinute};
use ucodts_scenarios::Scenario;

/// The rule set crew plans keep unless the command line names another: the data sets are US airlines.
pub const DEFAULT_RULE_SET: &str = "faa117";

/// The crew side of a scenario.
pub struct CrewSide {
    /// The scenario with every base-share sick call replaced by the named calls it was resolved into.
    pub scenario: Scenario,
    /// What the crew recovery is given (no leg changes: those come from each aircraft plan).
    pub input: CrewDisruption,
    /// Sick calls resolved from a base share: (crew member, base, share).
    pub resolved: Vec<(CrewId, AirportCode, f64)>,
}

/// Resolves the scenario's sick calls with the run's master `seed` (the scenario's own seed when the user gave
/// none) and builds the crew input for the window `t0 .. window_end`.
pub fn crew_side(
    schedule: &Schedule,
    scenario: &Scenario,
    t0: UtcMinute,
    window_end: UtcMinute,
    rule_set: &str,
    seed: u64,
) -> Result<CrewSide> {
    let mut disruptions = Vec::with_capacity(scenario.disruptions.len());
    let mut sick: BTreeMap<CrewId, UtcMinute> = BTreeMap::new();
    let mut resolved = Vec::new();
    for d in &scenario.disruptions {
        let Disruption::CrewSickCall(call) = d else {
            disruptions.push(d.clone());
            continue;
        };
        if let Some(crew) = &call.crew {
            note_sick(&mut sick, crew, call.at);
            disruptions.push(Disruption::CrewSickCall(CrewSickCall {
                crew: Some(crew.clone()),
                base_share: None,
                at: call.at,
            }));
        }
        if let Some((base, share)) = call.base_share {
            for crew in pick_share(schedule, base, share, call.at, window_end, seed) {
                note_sick(&mut sick, &crew, call.at);
                disruptions.push(Disruption::CrewSickCall(CrewSickCall {
                    crew: Some(crew.clone()),
                    base_share: None,
                    at: call.at,
                }));
                resolved.push((crew, base, share));
            }
        }
    }
    let input = CrewDisruption {
        sick_calls: sick
            .into_iter()
            .map(|(crew, from)| SickCall {
                crew,
                from: from.max(t0),
            })
            .collect(),
        ..CrewDisruption::new(t0, window_end, rule_set)
    };
    Ok(CrewSide {
        scenario: Scenario {
            disruptions,
            ..scenario.clone()
        },
        input,
        resolved,
    })
}

/// A member named twice is sick from the earlier call.
fn note_sick(sick: &mut BTreeMap<CrewId, UtcMinute>, crew: &CrewId, at: UtcMinute) {
    let from = sick.entry(crew.clone()).or_insert(at);
    *from = (*from).min(at);
}

/// `ceil(share x n)` of the `n` crew members based at `base` who report for a pairing from `at` to `until`,
/// in the order of a seeded hash of their ids.
fn pick_share(
    schedule: &Schedule,
    base: AirportCode,
    share: f64,
    at: UtcMinute,
    until: UtcMinute,
    seed: u64,
) -> Vec<CrewId> {
    let mut on_duty: Vec<(u64, &CrewId)> = schedule
        .crew()
        .iter()
        .filter(|m| m.base == base)
        .filter(|m| {
            schedule
                .roster(&m.id)
                .any(|p| p.report().is_some_and(|r| r >= at && r < until))
        })
        .map(|m| (mix(seed, m.id.as_str().as_bytes()), &m.id))
        .collect();
    on_duty.sort();
    let n = (share.clamp(0.0, 1.0) * on_duty.len() as f64).ceil() as usize;
    let mut picked: Vec<CrewId> = on_duty
        .into_iter()
        .take(n)
        .map(|(_, c)| c.clone())
        .collect();
    picked.sort();
    picked
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The crew of the embedded default's JFK base reporting on 2 July 2013 (UTC day), picked at 5 %.
    fn picked(schedule: &Schedule, seed: u64) -> Vec<CrewId> {
        let day = |h: i64| {
            UtcMinute::from_date_minute(
                ucodts_model::Date::new(2013, 7, 2).expect("a calendar date"),
                h * 60,
            )
        };
        let jfk = AirportCode::new("JFK").expect("a valid code");
        pick_share(schedule, jfk, 0.05, day(10), day(22), seed)
    }

    #[test]
    fn the_sick_crew_follow_the_master_seed() {
        let schedule = crate::data::default_with_crew().expect("the embedded default builds");
        let pick = |seed| picked(&schedule, seed);
        let (one, again, two) = (pick(1), pick(1), pick(2));
        assert!(
            !one.is_empty(),
            "5 % of a base on duty is at least one member"
        );
        assert_eq!(one, again, "the same seed picks the same crew");
        assert_eq!(one.len(), two.len(), "the share fixes how many");
        assert_ne!(one, two, "another seed picks other crew");
    }
}
