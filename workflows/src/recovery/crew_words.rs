//! A crew plan in a crew scheduler's words: who is called, who swaps onto whose legs, who rides as a
//! passenger, which seats stay empty and why ([`crew_actions`]), and the same grouped by crew member with
//! the duties the plan gives them from the decision on ([`crew_changes`]): the list a scheduler phones
//! through. Times are local at the airport where they happen, with the UTC offset, and in UTC.

use std::collections::BTreeMap;

use serde::Serialize;
use ucodts_model::recovery::crew::{
    CrewDisruption, CrewEvaluation, CrewRecoveryPlan, CrewRole, LegChange,
};
use ucodts_model::{AirportCode, CrewId, LegId, Rank, Schedule, SegmentKind, UtcMinute};

/// One crew action.
#[derive(Clone, Debug, Serialize)]
pub struct CrewAction {
    /// `reserve_callout`, `swap`, `deadhead`, `uncovered`, `stranded`, `stand_down`.
    pub kind: &'static str,
    /// The crew members the action concerns.
    pub crew: Vec<String>,
    /// Their rank (`captain`, `first_officer`, `cabin`); for `uncovered`, the empty seats'.
    pub rank: Option<&'static str>,
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

/// A crew member's rank and base: the schedule's, or for a reserve the call-out's (the day's reserves are
/// drawn for the recovery and are not in the schedule).
fn rank_and_base(
    schedule: &Schedule,
    evaluation: &CrewEvaluation,
    crew: &CrewId,
) -> Option<(Rank, AirportCode)> {
    schedule
        .crew_member(crew)
        .map(|m| (m.rank, m.base))
        .or_else(|| {
            evaluation
                .reserve_callouts
                .iter()
                .find(|c| &c.reserve == crew)
                .map(|c| (c.rank, c.base))
        })
}

/// Whether `crew` was rostered to ride `leg` anyway: a deadhead of the plan as it was is no action.
pub(super) fn rostered_deadhead(schedule: &Schedule, crew: &CrewId, leg: LegId) -> bool {
    schedule.roster(crew).any(|p| {
        p.duties
            .iter()
            .flat_map(|d| &d.segments)
            .any(|s| s.leg == leg && s.kind == SegmentKind::Deadhead)
    })
}

/// Every action of `plan`, in the order a scheduler works through them: reserves called, swaps, deadheads,
/// crew stood down, crew left away from base, seats left empty.
pub fn crew_actions(
    schedule: &Schedule,
    plan: &CrewRecoveryPlan,
    evaluation: &CrewEvaluation,
) -> Vec<CrewAction> {
    let rank = |crew: &CrewId| rank_and_base(schedule, evaluation, crew).map(|(r, _)| r.as_str());
    let mut out = Vec::new();
    for c in &evaluation.reserve_callouts {
        out.push(CrewAction {
            kind: "reserve_callout",
            crew: vec![c.reserve.to_string()],
            rank: Some(c.rank.as_str()),
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
            rank: rank(crew),
            legs: vec![leg.0],
            text: format!(
                "{crew} flies {} in place of {instead_of}",
                leg_text(schedule, *leg)
            ),
        });
    }
    for (crew, leg) in &evaluation.deadheads {
        if rostered_deadhead(schedule, crew, *leg) {
            continue;
        }
        out.push(CrewAction {
            kind: "deadhead",
            crew: vec![crew.to_string()],
            rank: rank(crew),
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
                rank: rank(&v.crew),
                legs: Vec::new(),
                text: format!("{} flies nothing more in the window", v.crew),
            });
        }
    }
    for (crew, why) in &plan.stranded {
        out.push(CrewAction {
            kind: "stranded",
            crew: vec![crew.to_string()],
            rank: rank(crew),
            legs: Vec::new(),
            text: format!("{crew} is left away from base: {why}"),
        });
    }
    for u in &evaluation.uncovered {
        out.push(CrewAction {
            kind: "uncovered",
            crew: Vec::new(),
            rank: Some(u.rank.as_str()),
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

/// One crew member the plan changes, with the duties it gives them: what a scheduler tells them on the
/// phone.
#[derive(Clone, Debug, Serialize)]
pub struct CrewChange {
    pub crew: String,
    /// `captain`, `first_officer`, `cabin`.
    pub rank: &'static str,
    pub base: String,
    /// `rostered` or `reserve`.
    pub role: &'static str,
    /// What happens to them, in the order a scheduler says it: `reserve_callout`, `swap` (flies another
    /// member's leg), `replaced` (another member flies theirs), `deadhead`, `stand_down`, `stranded`,
    /// `duty_changed` (the same kind of work at other times).
    pub actions: Vec<&'static str>,
    /// Their duties from the decision on, as the plan leaves them, in order.
    pub duties: Vec<NewDuty>,
    /// All of it in one line.
    pub text: String,
}

/// A duty of a crew member in the plan.
#[derive(Clone, Debug, Serialize)]
pub struct NewDuty {
    /// Report and release, UTC (ISO 8601, ending in Z).
    pub report: String,
    pub release: String,
    /// `2013-07-02 13:05 local (UTC-04:00) at JFK`: report at the first leg's origin, release at the last
    /// leg's destination.
    pub report_local: String,
    pub release_local: String,
    pub legs: Vec<CrewLeg>,
}

/// A leg of a new duty, at the times the plan flies it.
#[derive(Clone, Debug, Serialize)]
pub struct CrewLeg {
    pub leg: u32,
    pub carrier: String,
    /// The flight number, when the timetable has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flight: Option<String>,
    pub origin: String,
    pub destination: String,
    /// Departure, UTC (ISO 8601, ending in Z) and local at the origin.
    pub out: String,
    pub out_local: String,
    /// `operating` or `deadhead`.
    pub seat: &'static str,
}

/// `2013-07-02 13:05 local (UTC-04:00) at JFK`; the airport alone when the schedule lacks it.
fn local_at(schedule: &Schedule, airport: AirportCode, t: UtcMinute) -> String {
    let Some(a) = schedule.airport(airport) else {
        return format!("{t} at {airport}");
    };
    let offset = a.time_zone.offset_at(t).0;
    format!(
        "{} local (UTC{}{:02}:{:02}) at {airport}",
        a.time_zone.to_local(t),
        if offset < 0 { '-' } else { '+' },
        offset.abs() / 60,
        offset.abs() % 60
    )
}

/// `14:05` local at `airport`; the UTC time when the schedule lacks the airport.
fn local_clock(schedule: &Schedule, airport: AirportCode, t: UtcMinute) -> String {
    match schedule.airport(airport) {
        Some(a) => {
            let m = a.time_zone.to_local(t).minute_of_day;
            format!("{:02}:{:02}", m / 60, m % 60)
        }
        None => t.to_string(),
    }
}

/// What an action is called in a scheduler's sentence.
fn action_words(kind: &str) -> &'static str {
    match kind {
        "reserve_callout" => "called from reserve",
        "swap" => "flies another crew member's leg",
        "replaced" => "replaced on a leg",
        "deadhead" => "rides as a passenger",
        "stand_down" => "stood down",
        "stranded" => "left away from base",
        _ => "duty changed",
    }
}

/// Every crew member `plan` changes, by id, with what happens to them and their duties from the decision
/// on; legs at the times `disruption` (the aircraft plan's changes included) gives them.
pub fn crew_changes(
    schedule: &Schedule,
    disruption: &CrewDisruption,
    plan: &CrewRecoveryPlan,
    evaluation: &CrewEvaluation,
) -> Vec<CrewChange> {
    let mut actions: BTreeMap<CrewId, Vec<&'static str>> = BTreeMap::new();
    let mut add = |crew: &CrewId, kind: &'static str| {
        let list = actions.entry(crew.clone()).or_default();
        if !list.contains(&kind) {
            list.push(kind);
        }
    };
    for c in &evaluation.reserve_callouts {
        add(&c.reserve, "reserve_callout");
    }
    for (crew, _, instead_of) in &evaluation.swaps {
        add(crew, "swap");
        add(instead_of, "replaced");
    }
    for (crew, leg) in &evaluation.deadheads {
        if !rostered_deadhead(schedule, crew, *leg) {
            add(crew, "deadhead");
        }
    }
    for a in crew_actions(schedule, plan, evaluation) {
        if a.kind == "stand_down" {
            for crew in &a.crew {
                add(&CrewId::new(crew), "stand_down");
            }
        }
    }
    for crew in plan.stranded.keys() {
        add(crew, "stranded");
    }
    // Anyone else the plan must call: the same kind of work at other times.
    for v in evaluation.crew.iter().filter(|v| v.contacted) {
        actions
            .entry(v.crew.clone())
            .or_insert_with(|| vec!["duty_changed"]);
    }
    let roles: BTreeMap<&CrewId, CrewRole> =
        evaluation.crew.iter().map(|v| (&v.crew, v.role)).collect();
    let changes: BTreeMap<LegId, LegChange> = disruption.leg_changes.iter().copied().collect();
    let out_of = |leg: LegId, scheduled: UtcMinute| match changes.get(&leg) {
        Some(LegChange::Retimed { out, .. }) => *out,
        _ => scheduled,
    };
    actions
        .into_iter()
        .map(|(crew, kinds)| {
            let member = rank_and_base(schedule, evaluation, &crew);
            let mut said = Vec::new();
            let duties: Vec<NewDuty> = plan
                .rosters
                .get(&crew)
                .into_iter()
                .flatten()
                .flat_map(|p| &p.duties)
                .filter(|d| d.release > disruption.t0 && !d.segments.is_empty())
                .map(|d| {
                    let mut words = Vec::new();
                    let legs: Vec<CrewLeg> = d
                        .segments
                        .iter()
                        .filter_map(|s| {
                            let l = schedule.leg(s.leg)?;
                            let out = out_of(l.id, l.scheduled_out);
                            let number = l
                                .flight_number
                                .map_or_else(|| format!("leg {}", l.id.0), |n| n.to_string());
                            words.push(format!(
                                "{} {number} {}-{} {}{}",
                                l.carrier,
                                l.origin,
                                l.destination,
                                local_clock(schedule, l.origin, out),
                                match s.kind {
                                    SegmentKind::Operating => "",
                                    SegmentKind::Deadhead => " (deadhead)",
                                }
                            ));
                            Some(CrewLeg {
                                leg: l.id.0,
                                carrier: l.carrier.to_string(),
                                flight: l.flight_number.map(|n| n.to_string()),
                                origin: l.origin.to_string(),
                                destination: l.destination.to_string(),
                                out: out.to_string(),
                                out_local: local_at(schedule, l.origin, out),
                                seat: match s.kind {
                                    SegmentKind::Operating => "operating",
                                    SegmentKind::Deadhead => "deadhead",
                                },
                            })
                        })
                        .collect();
                    let first = d.segments.first().and_then(|s| schedule.leg(s.leg));
                    let last = d.segments.last().and_then(|s| schedule.leg(s.leg));
                    let duty = NewDuty {
                        report: d.report.to_string(),
                        release: d.release.to_string(),
                        report_local: first.map_or_else(
                            || d.report.to_string(),
                            |l| local_at(schedule, l.origin, d.report),
                        ),
                        release_local: last.map_or_else(
                            || d.release.to_string(),
                            |l| local_at(schedule, l.destination, d.release),
                        ),
                        legs,
                    };
                    said.push(format!(
                        "duty {} to {}: {}",
                        duty.report_local,
                        duty.release_local,
                        words.join(", ")
                    ));
                    duty
                })
                .collect();
            let rank = member.map_or("unknown", |(r, _)| r.as_str());
            let base = member.map_or_else(String::new, |(_, b)| b.to_string());
            let mut text = format!(
                "{crew} ({}{}{base}): {}",
                rank.replace('_', " "),
                if base.is_empty() { "" } else { ", " },
                kinds
                    .iter()
                    .map(|k| action_words(k))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            if let Some(why) = plan.stranded.get(&crew) {
                text.push_str(&format!(" ({why})"));
            }
            if duties.is_empty() {
                text.push_str("; no duty left in the window");
            }
            for duty in said {
                text.push_str("; ");
                text.push_str(&duty);
            }
            CrewChange {
                rank,
                base,
                role: match roles.get(&crew) {
                    Some(CrewRole::Reserve) => "reserve",
                    _ if kinds.contains(&"reserve_callout") => "reserve",
                    _ => "rostered",
                },
                crew: crew.to_string(),
                actions: kinds,
                duties,
                text,
            }
        })
        .collect()
}
