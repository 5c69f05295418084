//! A crew plan in a crew scheduler's words: who is called, who swaps onto whose legs, who rides as a
//! passenger, which seats stay empty and why. Times are local at the leg's departure airport.

use serde::Serialize;
use ucodts_model::recovery::crew::{CrewEvaluation, CrewRecoveryPlan, CrewRole};
use ucodts_model::{LegId, Schedule};

/// One crew action.
#[derive(Clone, Debug, Serialize)]
pub struct CrewAction {
    /// `reserve_callout`, `swap`, `deadhead`, `uncovered`, `stranded`, `stand_down`.
    pub kind: &'static str,
    /// The crew members the action concerns.
    pub crew: Vec<String>,
    pub legs: Vec<u32>,
    pub text: String,
}

/// `B6 1234 JFK-BOS 2013-07-02 14:05 local (UTC-04:00)` (the local departure date and time), or the leg id
/// when the schedule lacks it.
pub fn leg_text(schedule: &Schedule, leg: LegId) -> String {
    let Some(l) = schedule.leg(leg) else {
        return format!("leg {}", leg.0);
    };
    let number = l.flight_number.map_or_else(
        || format!("leg {}", l.id.0),
        |n| format!("{} {n}", l.carrier),
    );
    match super::aircraft_words::local_label(schedule, l, l.scheduled_out) {
        Some(when) => format!("{number} {}-{} {when}", l.origin, l.destination),
        None => format!("{number} {}-{}", l.origin, l.destination),
    }
}

/// The legs in the order they fly.
fn legs_text(schedule: &Schedule, legs: &[LegId]) -> String {
    let mut legs = legs.to_vec();
    legs.sort_by_key(|&l| (schedule.leg(l).map(|l| l.scheduled_out), l));
    legs.iter()
        .map(|&l| leg_text(schedule, l))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every action of `plan`, in the order a scheduler works through them: reserves called, swaps, deadheads,
/// crew stood down, crew left away from base, seats left empty.
pub fn crew_actions(
    schedule: &Schedule,
    plan: &CrewRecoveryPlan,
    evaluation: &CrewEvaluation,
) -> Vec<CrewAction> {
    let mut out = Vec::new();
    for c in &evaluation.reserve_callouts {
        out.push(CrewAction {
            kind: "reserve_callout",
            crew: vec![c.reserve.to_string()],
            legs: c.legs.iter().map(|l| l.0).collect(),
            text: format!(
                "Call reserve {} ({} at {}) to fly {}",
                c.reserve,
                c.rank,
                c.base,
                legs_text(schedule, &c.legs)
            ),
        });
    }
    for (crew, leg, instead_of) in &evaluation.swaps {
        out.push(CrewAction {
            kind: "swap",
            crew: vec![crew.to_string(), instead_of.to_string()],
            legs: vec![leg.0],
            text: format!(
                "{crew} flies {} in place of {instead_of}",
                leg_text(schedule, *leg)
            ),
        });
    }
    for (crew, leg) in &evaluation.deadheads {
        out.push(CrewAction {
            kind: "deadhead",
            crew: vec![crew.to_string()],
            legs: vec![leg.0],
            text: format!(
                "{crew} rides {} as a passenger (deadhead)",
                leg_text(schedule, *leg)
            ),
        });
    }
    for v in &evaluation.crew {
        if v.role == CrewRole::Rostered
            && v.contacted
            && v.operating.is_empty()
            && v.deadheads.is_empty()
            && plan.rosters.get(&v.crew).is_some_and(|p| p.is_empty())
        {
            out.push(CrewAction {
                kind: "stand_down",
                crew: vec![v.crew.to_string()],
                legs: Vec::new(),
                text: format!("{} flies nothing more in the window", v.crew),
            });
        }
    }
    for (crew, why) in &plan.stranded {
        out.push(CrewAction {
            kind: "stranded",
            crew: vec![crew.to_string()],
            legs: Vec::new(),
            text: format!("{crew} is left away from base: {why}"),
        });
    }
    for u in &evaluation.uncovered {
        out.push(CrewAction {
            kind: "uncovered",
            crew: Vec::new(),
            legs: vec![u.leg.0],
            text: format!(
                "{} {} seat(s) on {} stay empty: {}",
                u.count,
                u.rank,
                leg_text(schedule, u.leg),
                u.why
            ),
        });
    }
    out
}
