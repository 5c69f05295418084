//! The disruption read against a schedule ([`CrewRecoveryProblem`]): the affected crew and the pairings a
//! plan replaces, the open positions (the demand), the frozen past, the reserves as named crew members, and
//! the schedule of disrupted times the rule engine checks against.

use std::collections::{BTreeMap, BTreeSet};

use crate::crew::{CrewMember, Rank};
use crate::ids::{AirportCode, CarrierCode, CrewId, LegId, PairingId, TypeCode};
use crate::leg::{Leg, LegStatus};
use crate::pairing::{Duty, Pairing, Segment, SegmentKind};
use crate::practice::{RELEASE_AFTER_ARRIVAL, REPORT_BEFORE_DEPARTURE};
use crate::rules::{by_name, RuleSet};
use crate::schedule::{Schedule, ScheduleParts};
use crate::time::{Date, Minutes, UtcMinute};

use super::{CrewCostWeights, CrewDisruption, CrewRecoveryError, LegChange};

/// Why a crew member is affected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AffectedBecause {
    Sick { from: UtcMinute },
    LegChanged { leg: LegId },
}

/// A crew member the disruption touches, and the pairings a plan replaces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AffectedCrew {
    pub crew: CrewId,
    pub because: AffectedBecause,
    /// Their pairings overlapping the window, by report time.
    pub pairings: Vec<PairingId>,
}

/// A reserve: a named crew member standing by at their base.
#[derive(Clone, Debug, PartialEq)]
pub struct Reserve {
    pub member: CrewMember,
    pub day: Date,
    /// Earliest report (the later of the standby start and `t0` plus the report delay).
    pub available_from: UtcMinute,
    /// Latest report.
    pub available_until: UtcMinute,
}

/// A crew position to fill: `count` seats of `rank` on `leg`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct OpenPosition {
    pub leg: LegId,
    pub rank: Rank,
    pub count: u32,
    /// Who held these seats in the plan before the disruption.
    pub rostered: Vec<CrewId>,
}

/// The disruption read against a schedule (see the [crew recovery](super) documentation).
#[derive(Debug)]
pub struct CrewRecoveryProblem<'s> {
    original: &'s Schedule,
    disrupted: Schedule,
    rules: &'static dyn RuleSet,
    input: CrewDisruption,
    changes: BTreeMap<LegId, LegChange>,
    sick: BTreeMap<CrewId, UtcMinute>,
    affected: Vec<AffectedCrew>,
    affected_index: BTreeMap<CrewId, usize>,
    reserves: Vec<Reserve>,
    reserve_index: BTreeMap<CrewId, usize>,
    demand: Vec<OpenPosition>,
    demand_index: BTreeMap<(LegId, Rank), usize>,
    next_pairing_id: u32,
}

fn planned_out(schedule: &Schedule, leg: LegId) -> Option<UtcMinute> {
    schedule.leg(leg).map(|l| l.scheduled_out)
}

impl<'s> CrewRecoveryProblem<'s> {
    /// Reads `input` against `schedule`: validates it, finds the affected crew, the open positions and the
    /// reserves, and builds the schedule of disrupted times the rule engine checks against.
    pub fn new(
        schedule: &'s Schedule,
        input: CrewDisruption,
    ) -> Result<CrewRecoveryProblem<'s>, CrewRecoveryError> {
        let (t0, end) = (input.t0, input.window_end);
        if end <= t0 {
            return Err(CrewRecoveryError::Window { t0, end });
        }
        let rules = by_name(&input.rule_set).map_err(|e| CrewRecoveryError::RuleSet {
            name: input.rule_set.clone(),
            problem: e.to_string(),
        })?;
        let share = input.reserves.share_of_based_crew;
        if !(0.0..=1.0).contains(&share) {
            return Err(CrewRecoveryError::ReserveShare(share));
        }
        let mut changes = BTreeMap::new();
        for (index, (leg_id, change)) in input.leg_changes.iter().enumerate() {
            let bad = |problem: String| CrewRecoveryError::LegChange {
                index,
                leg: *leg_id,
                problem,
            };
            let leg = schedule
                .leg(*leg_id)
                .ok_or_else(|| bad("not in the schedule".into()))?;
            if leg.scheduled_out < t0 || leg.scheduled_out >= end {
                return Err(bad(format!(
                    "departs at {}, outside the recovery window {t0} to {end}",
                    leg.scheduled_out
                )));
            }
            if let LegChange::Retimed { out, arrival } = change {
                if *out < t0 {
                    return Err(bad(format!("retimed to leave at {out}, before t0 {t0}")));
                }
                if arrival <= out {
                    return Err(bad(format!(
                        "retimed to arrive at {arrival}, not after it leaves at {out}"
                    )));
                }
            }
            if changes.insert(*leg_id, *change).is_some() {
                return Err(bad("changed twice".into()));
            }
        }
        let mut sick = BTreeMap::new();
        for (index, call) in input.sick_calls.iter().enumerate() {
            let bad = |problem: String| CrewRecoveryError::SickCall {
                index,
                crew: call.crew.clone(),
                problem,
            };
            if schedule.crew_member(&call.crew).is_none() {
                return Err(bad("not in the schedule".into()));
            }
            if call.from < t0 {
                return Err(bad(format!(
                    "out from {}, before the window opens at {t0}",
                    call.from
                )));
            }
            let from = sick.entry(call.crew.clone()).or_insert(call.from);
            *from = (*from).min(call.from);
        }

        // Affected crew and their pairings overlapping the window.
        let mut affected = Vec::new();
        for member in schedule.crew() {
            let overlapping: Vec<&Pairing> = schedule
                .roster(&member.id)
                .filter(|p| {
                    p.report().is_some_and(|r| r < end) && p.release().is_some_and(|r| r > t0)
                })
                .collect();
            let sick_from = sick.get(&member.id).copied().filter(|&f| f < end);
            let because = match sick_from {
                Some(from) => Some(AffectedBecause::Sick { from }),
                None => overlapping
                    .iter()
                    .flat_map(|p| p.legs())
                    .find(|s| changes.contains_key(&s.leg))
                    .map(|s| AffectedBecause::LegChanged { leg: s.leg }),
            };
            if let Some(because) = because {
                affected.push(AffectedCrew {
                    crew: member.id.clone(),
                    because,
                    pairings: overlapping.iter().map(|p| p.id).collect(),
                });
            }
        }
        affected.sort_by(|a, b| a.crew.cmp(&b.crew));
        let affected_index = affected
            .iter()
            .enumerate()
            .map(|(i, a)| (a.crew.clone(), i))
            .collect();

        // Open positions: seats of affected crew on legs from t0 on that still fly.
        let mut seats: BTreeMap<(LegId, Rank), Vec<CrewId>> = BTreeMap::new();
        for a in &affected {
            let rank = schedule
                .crew_member(&a.crew)
                .map(|m| m.rank)
                .expect("affected crew come from the schedule");
            for p in a.pairings.iter().filter_map(|&id| schedule.pairing(id)) {
                for s in p.legs().filter(|s| s.kind == SegmentKind::Operating) {
                    let out =
                        planned_out(schedule, s.leg).expect("a schedule's pairings fly its legs");
                    if out >= t0 && changes.get(&s.leg) != Some(&LegChange::Cancelled) {
                        seats.entry((s.leg, rank)).or_default().push(a.crew.clone());
                    }
                }
            }
        }
        let demand: Vec<OpenPosition> = seats
            .into_iter()
            .map(|((leg, rank), mut rostered)| {
                rostered.sort();
                OpenPosition {
                    leg,
                    rank,
                    count: rostered.len() as u32,
                    rostered,
                }
            })
            .collect();
        let demand_index = demand
            .iter()
            .enumerate()
            .map(|(i, d)| ((d.leg, d.rank), i))
            .collect();

        // Reserves stand by every day an affected pairing flies (at most three days past the window).
        let last_release = affected
            .iter()
            .flat_map(|a| a.pairings.iter())
            .filter_map(|&id| schedule.pairing(id).and_then(|p| p.release()))
            .max()
            .unwrap_or(end)
            .max(end)
            .min(end + Minutes(3 * 24 * 60));
        let reserves = make_reserves(schedule, &input, last_release);
        let reserve_index = reserves
            .iter()
            .enumerate()
            .map(|(i, r)| (r.member.id.clone(), i))
            .collect();

        // The schedule of disrupted times: every leg (retimed or cancelled), every crew member and reserve.
        let parts = schedule.parts();
        let mut legs = parts.legs.clone();
        for leg in &mut legs {
            match changes.get(&leg.id) {
                Some(LegChange::Retimed { out, arrival }) => {
                    leg.scheduled_out = *out;
                    leg.scheduled_in = *arrival;
                    leg.status = LegStatus::Scheduled;
                }
                Some(LegChange::Cancelled) => leg.status = LegStatus::Cancelled,
                None => continue,
            }
            // A changed leg is a plan, not a record: what was recorded of it no longer holds.
            leg.estimated = Default::default();
            leg.actual = Default::default();
        }
        let mut crew = parts.crew.clone();
        crew.extend(reserves.iter().map(|r| r.member.clone()));
        let disrupted = Schedule::new(ScheduleParts {
            airlines: parts.airlines.clone(),
            airports: parts.airports.clone(),
            aircraft_types: parts.aircraft_types.clone(),
            aircraft: parts.aircraft.clone(),
            crew,
            legs,
            ..ScheduleParts::default()
        })
        .map_err(|e| CrewRecoveryError::Schedule(e.to_string()))?;
        let next_pairing_id = parts.pairings.iter().map(|p| p.id.0).max().unwrap_or(0) + 1;
        Ok(CrewRecoveryProblem {
            original: schedule,
            disrupted,
            rules,
            input,
            changes,
            sick,
            affected,
            affected_index,
            reserves,
            reserve_index,
            demand,
            demand_index,
            next_pairing_id,
        })
    }

    pub fn t0(&self) -> UtcMinute {
        self.input.t0
    }
    pub fn window_end(&self) -> UtcMinute {
        self.input.window_end
    }
    pub fn rules(&self) -> &'static dyn RuleSet {
        self.rules
    }
    pub fn disruption(&self) -> &CrewDisruption {
        &self.input
    }
    pub fn costs(&self) -> &CrewCostWeights {
        &self.input.costs
    }
    /// The schedule as planned (rosters included).
    pub fn original(&self) -> &'s Schedule {
        self.original
    }
    /// Every leg at its disrupted time (cancelled legs have that status) and every crew member and reserve;
    /// no pairings. The rule engine checks rosters against it.
    pub fn disrupted(&self) -> &Schedule {
        &self.disrupted
    }
    /// A leg at its disrupted time.
    pub fn leg(&self, id: LegId) -> Option<&Leg> {
        self.disrupted.leg(id)
    }
    pub fn is_cancelled(&self, id: LegId) -> bool {
        self.changes.get(&id) == Some(&LegChange::Cancelled)
    }
    pub fn leg_change(&self, id: LegId) -> Option<LegChange> {
        self.changes.get(&id).copied()
    }
    /// A crew member or reserve.
    pub fn member(&self, crew: &CrewId) -> Option<&CrewMember> {
        self.disrupted.crew_member(crew)
    }
    pub fn affected(&self) -> &[AffectedCrew] {
        &self.affected
    }
    pub fn affected_crew(&self, crew: &CrewId) -> Option<&AffectedCrew> {
        self.affected_index.get(crew).map(|&i| &self.affected[i])
    }
    pub fn sick_from(&self, crew: &CrewId) -> Option<UtcMinute> {
        self.sick.get(crew).copied()
    }
    pub fn reserves(&self) -> &[Reserve] {
        &self.reserves
    }
    pub fn reserve(&self, crew: &CrewId) -> Option<&Reserve> {
        self.reserve_index.get(crew).map(|&i| &self.reserves[i])
    }
    /// The open positions, by leg id and rank.
    pub fn demand(&self) -> &[OpenPosition] {
        &self.demand
    }
    pub fn open_position(&self, leg: LegId, rank: Rank) -> Option<&OpenPosition> {
        self.demand_index
            .get(&(leg, rank))
            .map(|&i| &self.demand[i])
    }
    /// The index in [`CrewRecoveryProblem::demand`] of the open position of `rank` on `leg`.
    pub fn open_position_index(&self, leg: LegId, rank: Rank) -> Option<usize> {
        self.demand_index.get(&(leg, rank)).copied()
    }
    /// The first pairing id no pairing of the schedule uses; new pairings number up from it.
    pub fn next_pairing_id(&self) -> PairingId {
        PairingId(self.next_pairing_id)
    }
    /// Whether the leg departed (as planned) before `t0`: it is the past.
    pub fn is_past(&self, leg: LegId) -> bool {
        planned_out(self.original, leg).is_some_and(|o| o < self.input.t0)
    }

    /// The crew member's pairings the plan does not touch (all of a reserve's: none).
    pub fn kept_pairings(&self, crew: &CrewId) -> Vec<&'s Pairing> {
        let replaced: &[PairingId] = self
            .affected_crew(crew)
            .map(|a| a.pairings.as_slice())
            .unwrap_or(&[]);
        self.original
            .roster(crew)
            .filter(|p| !replaced.contains(&p.id))
            .collect()
    }

    /// The affected pairings as planned.
    pub fn replaced_pairings(&self, crew: &CrewId) -> Vec<&'s Pairing> {
        self.affected_crew(crew)
            .map(|a| {
                a.pairings
                    .iter()
                    .filter_map(|&id| self.original.pairing(id))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// What is left of the crew member's affected pairings after the disruption, with nobody acting:
    /// retimed legs at their new times (new duties report and release around them), cancelled legs and
    /// legs from a sick call on dropped. It may not connect, not come home or not be legal;
    /// [`judge_roster`](super::judge_roster) says.
    pub fn roster_as_disrupted(&self, crew: &CrewId) -> Vec<Pairing> {
        let t0 = self.t0();
        let sick_from = self.sick_from(crew);
        let mut out = Vec::new();
        for p in self.replaced_pairings(crew) {
            let mut duties = Vec::new();
            for d in &p.duties {
                let segments: Vec<Segment> = d
                    .segments
                    .iter()
                    .filter(|s| {
                        self.is_past(s.leg)
                            || (!self.is_cancelled(s.leg)
                                && sick_from.map_or(true, |f| {
                                    self.leg(s.leg).is_some_and(|l| l.scheduled_out < f)
                                }))
                    })
                    .copied()
                    .collect();
                if segments.is_empty() {
                    continue;
                }
                let changed = segments != d.segments
                    || segments.iter().any(|s| self.changes.contains_key(&s.leg));
                if !changed {
                    duties.push(d.clone());
                    continue;
                }
                let first = self.leg(segments[0].leg).map(|l| l.scheduled_out);
                let last = segments
                    .last()
                    .and_then(|s| self.leg(s.leg))
                    .map(|l| l.scheduled_in);
                let (Some(first), Some(last)) = (first, last) else {
                    continue;
                };
                let report = if d.report < t0 {
                    d.report
                } else {
                    (first - REPORT_BEFORE_DEPARTURE).max(t0)
                };
                duties.push(Duty {
                    report,
                    release: last + RELEASE_AFTER_ARRIVAL,
                    segments,
                });
            }
            if !duties.is_empty() {
                out.push(Pairing {
                    id: p.id,
                    airline: p.airline.clone(),
                    base: p.base,
                    duties,
                });
            }
        }
        out
    }
}

/// The reserves for every day from `t0` through `through` (see "Reserves" in the [crew recovery](super)
/// documentation), sorted by id.
fn make_reserves(schedule: &Schedule, input: &CrewDisruption, through: UtcMinute) -> Vec<Reserve> {
    let supply = &input.reserves;
    if supply.share_of_based_crew <= 0.0 {
        return Vec::new();
    }
    let mut based: BTreeMap<(AirportCode, CarrierCode, Rank), (u32, BTreeSet<TypeCode>)> =
        BTreeMap::new();
    for m in schedule.crew() {
        let e = based
            .entry((m.base, m.airline.clone(), m.rank))
            .or_default();
        e.0 += 1;
        e.1.extend(m.qualifications.iter().cloned());
    }
    let mut reserves = Vec::new();
    for ((base, airline, rank), (count, types)) in based {
        let Some(airport) = schedule.airport(base) else {
            continue;
        };
        let zone = airport.time_zone;
        let n = supply.reserves_for(count);
        let first_day = zone.to_local(input.t0).date;
        let last_day = zone.to_local(through).date;
        let mut day = first_day;
        while day <= last_day {
            let from = zone.to_utc(day, supply.standby_from_minute).earliest();
            let until = zone.to_utc(day, supply.standby_until_minute).earliest();
            let available_from = from.max(input.t0 + supply.report_delay);
            if available_from <= until {
                for k in 1..=n {
                    let id = format!(
                        "R-{base}-{airline}-{rank}-{:04}{:02}{:02}-{k}",
                        day.year, day.month, day.day
                    );
                    reserves.push(Reserve {
                        member: CrewMember {
                            id: CrewId::new(id),
                            airline: airline.clone(),
                            rank,
                            base,
                            qualifications: types.iter().cloned().collect(),
                            home_zone: zone,
                        },
                        day,
                        available_from,
                        available_until: until,
                    });
                }
            }
            day = day.add_days(1);
        }
    }
    reserves.sort_by(|a, b| a.member.id.cmp(&b.member.id));
    reserves
}
