//! The disruption read against a schedule ([`CrewRecoveryProblem`]): the affected crew and the pairings a
//! plan replaces, the open positions (the demand), the frozen past, the reserves as named crew members, and
//! the schedule of disrupted times the rule engine checks against.

use std::collections::{BTreeMap, BTreeSet};

use crate::crew::{CrewMember, Rank};
use crate::ids::{AirportCode, CarrierCode, CrewId, LegId, PairingId, TypeCode};
use crate::leg::{Leg, LegStatus};
use crate::pairing::{Duty, Pairing, Segment, SegmentKind};
use crate::practice::{co_terminal_transfer, RELEASE_AFTER_ARRIVAL, REPORT_BEFORE_DEPARTURE};
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
    /// Whether a duty as rostered may report late to keep the minimum rest
    /// ([`CrewRecoveryProblem::with_rest_delayed_reports`]).
    rest_delayed_reports: bool,
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

        // Open positions: seats of affected crew on legs departing inside the window that still fly. Legs
        // beyond the window are not re-crewed: their rostered crew keep them, or leave them to the next plan.
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
                    if out >= t0 && out < end && changes.get(&s.leg) != Some(&LegChange::Cancelled)
                    {
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

        // Reserves stand by every day of the window: every open position departs inside it.
        let reserves = make_reserves(schedule, &input, end);
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
            rest_delayed_reports: false,
        })
    }

    /// The problem where a duty as rostered that follows too short a rest may report late, its first leg
    /// waiting for the crew, as operations control does on the day (and the twin does): see
    /// [`rest_delayed_reports`](super::rest_delayed_reports). The crew policies plan every seat on time
    /// (a plan they make never needs it); the refinement in the twin reads a roster this way when it
    /// leaves a crew member's duties as the disruption leaves them, so that it can weigh covering a seat on
    /// time against the crew's own late report.
    pub fn with_rest_delayed_reports(mut self) -> Self {
        self.rest_delayed_reports = true;
        self
    }

    /// Whether [`CrewRecoveryProblem::with_rest_delayed_reports`] applies.
    pub fn reads_rest_delayed_reports(&self) -> bool {
        self.rest_delayed_reports
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
    /// Whether the leg departs (as planned) at or after `window_end`: beyond the window, the next plan's.
    /// Nobody but its rostered crew operates it.
    pub fn is_beyond_window(&self, leg: LegId) -> bool {
        planned_out(self.original, leg).is_some_and(|o| o >= self.input.window_end)
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
            for (k, d) in p.duties.iter().enumerate() {
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
                let last = segments.last().and_then(|s| self.leg(s.leg));
                let (Some(first), Some(last)) = (first, last) else {
                    continue;
                };
                // The trip's last duty ending at a co-terminal of its base is released after the road
                // transfer home, as the plan was (duty, not rest).
                let transfer = if k + 1 == p.duties.len() {
                    co_terminal_transfer(last.destination.as_str(), p.base.as_str())
                        .unwrap_or(Minutes(0))
                } else {
                    Minutes(0)
                };
                let last = last.scheduled_in;
                let report = if d.report < t0 {
                    d.report
                } else {
                    (first - REPORT_BEFORE_DEPARTURE).max(t0)
                };
                duties.push(Duty {
                    report,
                    release: last + RELEASE_AFTER_ARRIVAL + transfer,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::TailId;
    use crate::leg::{LegSource, OutOffOnIn};
    use crate::legality::Violation;
    use crate::pairing::RosterAssignment;
    use crate::recovery::crew::{
        evaluate, judge_roster, unforeseen_extensions, CrewProblem, CrewRecoveryPlan, DutyFault,
        SickCall, UncoveredPosition,
    };
    use crate::time::{Minutes, TimeZone};
    use crate::{Aircraft, AircraftType, Airline, Airport};

    const DAY_MIN: i64 = 15_888 * 24 * 60; // 2013-07-02 00:00 UTC
    fn at(hour: i64) -> UtcMinute {
        UtcMinute(DAY_MIN + hour * 60)
    }
    fn code(c: &str) -> AirportCode {
        AirportCode::new(c).expect("a three-letter code")
    }
    const WINDOW_END_HOUR: i64 = 20; // 2013-07-02 20:00Z, 16:00 at JFK

    /// Two JFK captains on two-day trips to BOS and back: C1 out on leg 1 (2 July 12:00Z), home on leg 2 (3
    /// July 12:00Z); C2 out on leg 3 (2 July 13:00Z), home on leg 4 (3 July 13:00Z). The window runs from 2
    /// July 06:00Z to 20:00Z, so legs 2 and 4 are beyond it.
    fn schedule() -> Schedule {
        let zone = TimeZone::from_iana("America/New_York").expect("a zone");
        let airport = |c: &str| Airport {
            code: code(c),
            icao: None,
            name: c.into(),
            latitude_deg: 40.7,
            longitude_deg: -74.0,
            time_zone: zone,
        };
        let leg = |id: u32, from: &str, to: &str, out: UtcMinute, tail: &str| Leg {
            id: LegId(id),
            carrier: CarrierCode::new("B6"),
            flight_number: Some(id),
            origin: code(from),
            destination: code(to),
            scheduled_out: out,
            scheduled_in: out + Minutes(60),
            estimated: OutOffOnIn::default(),
            actual: OutOffOnIn::default(),
            tail: Some(TailId::new(tail)),
            status: LegStatus::Scheduled,
            source: LegSource::Recorded,
        };
        let member = |id: &str| CrewMember {
            id: CrewId::new(id),
            airline: CarrierCode::new("B6"),
            rank: Rank::Captain,
            base: code("JFK"),
            qualifications: vec![TypeCode::new("A320")],
            home_zone: zone,
        };
        let duty = |leg: u32, out: UtcMinute| Duty {
            report: out - Minutes(60),
            release: out + Minutes(90),
            segments: vec![Segment {
                leg: LegId(leg),
                kind: SegmentKind::Operating,
            }],
        };
        let trip = |id: u32, out: [u32; 2], hour: i64| Pairing {
            id: PairingId(id),
            airline: CarrierCode::new("B6"),
            base: code("JFK"),
            duties: vec![duty(out[0], at(hour)), duty(out[1], at(hour + 24))],
        };
        let plane = |tail: &str| Aircraft {
            tail: TailId::new(tail),
            type_code: TypeCode::new("A320"),
            carrier: CarrierCode::new("B6"),
            base: code("JFK"),
            maintenance_due: None,
        };
        Schedule::new(ScheduleParts {
            airlines: vec![Airline {
                code: CarrierCode::new("B6"),
                name: "JetBlue".into(),
            }],
            airports: vec![airport("JFK"), airport("BOS")],
            aircraft_types: vec![AircraftType {
                code: TypeCode::new("A320"),
                family: "A320".into(),
                seats: 150,
                min_turn: Minutes(40),
            }],
            aircraft: vec![plane("N1"), plane("N2")],
            crew: vec![member("C1"), member("C2")],
            legs: vec![
                leg(1, "JFK", "BOS", at(12), "N1"),
                leg(2, "BOS", "JFK", at(36), "N1"),
                leg(3, "JFK", "BOS", at(13), "N2"),
                leg(4, "BOS", "JFK", at(37), "N2"),
            ],
            pairings: vec![trip(1, [1, 2], 12), trip(2, [3, 4], 13)],
            rosters: vec![
                RosterAssignment {
                    crew: CrewId::new("C1"),
                    pairing: PairingId(1),
                },
                RosterAssignment {
                    crew: CrewId::new("C2"),
                    pairing: PairingId(2),
                },
            ],
            ..ScheduleParts::default()
        })
        .expect("the test schedule is consistent")
    }

    /// C1 calls in sick at 07:00Z; leg 3 is retimed by an hour (so C2 is affected too).
    fn disruption() -> CrewDisruption {
        let mut input = CrewDisruption::new(at(6), at(WINDOW_END_HOUR), "faa117");
        input.sick_calls.push(SickCall {
            crew: CrewId::new("C1"),
            from: at(7),
        });
        input.leg_changes.push((
            LegId(3),
            LegChange::Retimed {
                out: at(14),
                arrival: at(15),
            },
        ));
        input
    }

    #[test]
    fn legs_beyond_the_window_are_no_open_position_and_no_reserve_stands_by_for_them() {
        let schedule = schedule();
        let problem = CrewRecoveryProblem::new(&schedule, disruption()).expect("a valid input");
        assert_eq!(problem.affected().len(), 2);
        let open: Vec<LegId> = problem.demand().iter().map(|d| d.leg).collect();
        assert_eq!(
            open,
            vec![LegId(1), LegId(3)],
            "legs 2 and 4 are beyond the window"
        );
        assert!(!problem.reserves().is_empty());
        let last_day = Date::new(2013, 7, 2).expect("a date");
        assert!(
            problem.reserves().iter().all(|r| r.day <= last_day),
            "reserves stand by on the window's days only: {:?}",
            problem.reserves().iter().map(|r| r.day).collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_rostered_member_keeps_their_legs_beyond_the_window() {
        let schedule = schedule();
        let problem = CrewRecoveryProblem::new(&schedule, disruption()).expect("a valid input");
        let c2 = CrewId::new("C2");
        let kept = problem.roster_as_disrupted(&c2);
        let verdict = judge_roster(&problem, &c2, &kept, None);
        assert!(verdict.problems.is_empty(), "{:?}", verdict.problems);
        assert_eq!(verdict.operating, vec![LegId(3), LegId(4)]);
        assert!(verdict.left_beyond_window.is_empty());
    }

    #[test]
    fn nobody_else_is_put_on_a_leg_beyond_the_window() {
        let schedule = schedule();
        let problem = CrewRecoveryProblem::new(&schedule, disruption()).expect("a valid input");
        let reserve = problem.reserves()[0].member.id.clone();
        // The reserve deadheads to BOS and takes C1's leg home the next day.
        let trip = Pairing {
            id: problem.next_pairing_id(),
            airline: CarrierCode::new("B6"),
            base: code("JFK"),
            duties: vec![
                Duty {
                    report: at(11),
                    release: at(13) + Minutes(30),
                    segments: vec![Segment {
                        leg: LegId(1),
                        kind: SegmentKind::Deadhead,
                    }],
                },
                Duty {
                    report: at(35),
                    release: at(37) + Minutes(30),
                    segments: vec![Segment {
                        leg: LegId(2),
                        kind: SegmentKind::Operating,
                    }],
                },
            ],
        };
        let verdict = judge_roster(&problem, &reserve, &[trip], None);
        let beyond = verdict.problems.iter().any(|p| {
            matches!(
                p,
                CrewProblem::InDuty {
                    fault: DutyFault::BeyondWindow { leg: LegId(2), .. },
                    ..
                }
            )
        });
        assert!(beyond, "{:?}", verdict.problems);
        let words = verdict
            .problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ");
        assert!(
            words.contains("after the recovery window ends at 2013-07-02T20:00Z"),
            "{words}"
        );
    }

    #[test]
    fn a_seat_left_beyond_the_window_is_priced_as_an_uncovered_position() {
        let schedule = schedule();
        let problem = CrewRecoveryProblem::new(&schedule, disruption()).expect("a valid input");
        let (c1, c2) = (CrewId::new("C1"), CrewId::new("C2"));
        // Nobody acts: sick C1 flies nothing (leg 1 declared uncovered, leg 2 left beyond the window).
        let plan = CrewRecoveryPlan {
            policy: "test".into(),
            rosters: [
                (c1.clone(), problem.roster_as_disrupted(&c1)),
                (c2.clone(), problem.roster_as_disrupted(&c2)),
            ]
            .into_iter()
            .collect(),
            stranded: Default::default(),
            uncovered: vec![UncoveredPosition {
                leg: LegId(1),
                rank: Rank::Captain,
                count: 1,
                why: "test".into(),
            }],
        };
        let e = evaluate(&problem, &plan);
        assert!(e.problems.is_empty(), "{:?}", e.problems);
        assert_eq!(e.left_beyond_window, vec![(c1, LegId(2))]);
        assert_eq!(e.seats_uncovered, 1, "one open position (leg 1) is empty");
        assert_eq!(e.cost.uncovered, 2 * problem.costs().uncovered_position);
        assert!(e.reserve_callouts.is_empty());
    }

    /// C2 has reported (t0 is 12:30Z, their report 12:00Z, 08:00 in New York) when leg 3 is retimed so that
    /// the duty runs `over` minutes past its planning limit.
    fn duty_run_long(over: i64) -> (Schedule, CrewDisruption, Minutes) {
        let schedule = schedule();
        let rules = crate::rules::by_name("faa117").expect("the embedded rules");
        let limit = rules.max_fdp(8 * 60, 1, true).expect("a table cell").limit;
        let out = at(12) + limit - Minutes(60) + Minutes(over);
        let mut input = CrewDisruption::new(at(12) + Minutes(30), at(WINDOW_END_HOUR), "faa117");
        input.leg_changes.push((
            LegId(3),
            LegChange::Retimed {
                out,
                arrival: out + Minutes(60),
            },
        ));
        (schedule, input, limit)
    }

    #[test]
    fn a_rostered_duty_the_delay_makes_run_long_is_an_extension_within_the_unforeseen_allowance() {
        use crate::legality::ViolationKind;
        let fdp = |v: &Violation| matches!(v.kind, ViolationKind::FlightDutyPeriod { .. });
        let c2 = CrewId::new("C2");
        for (over, extended) in [(20, true), (90, true), (150, false)] {
            let (schedule, input, limit) = duty_run_long(over);
            let problem = CrewRecoveryProblem::new(&schedule, input).expect("a valid input");
            let kept = problem.roster_as_disrupted(&c2);
            let verdict = judge_roster(&problem, &c2, &kept, None);
            assert!(verdict.problems.is_empty(), "{:?}", verdict.problems);
            let (ext, viol) = (
                verdict.extensions.iter().filter(|v| fdp(v)).count(),
                verdict.violations.iter().filter(|v| fdp(v)).count(),
            );
            assert_eq!(
                (ext, viol),
                if extended { (1, 0) } else { (0, 1) },
                "{over} min over the {limit} limit: {:?}",
                verdict.violations
            );
            if extended {
                assert_eq!(verdict.extensions[0].actual, limit + Minutes(over));
            }
        }
    }

    #[test]
    fn a_duty_the_plan_makes_gets_no_extension_and_only_one_long_extension_is_allowed() {
        use crate::legality::ViolationKind;
        let c2 = CrewId::new("C2");
        let (schedule, input, _) = duty_run_long(20);
        let problem = CrewRecoveryProblem::new(&schedule, input).expect("a valid input");
        let kept = problem.roster_as_disrupted(&c2);
        let roster: Vec<&Pairing> = kept.iter().collect();
        let report =
            crate::legality::check_proposed(problem.disrupted(), &c2, &roster, problem.rules())
                .expect("a well-formed roster");
        let fdp: Vec<Violation> = report
            .violations
            .into_iter()
            .filter(|v| matches!(v.kind, ViolationKind::FlightDutyPeriod { .. }))
            .collect();
        assert_eq!(fdp.len(), 1, "the delayed duty runs long");
        // The same duty given to C1, whose roster never had it, is a duty the plan makes: planning limits.
        let (ext, viol) = unforeseen_extensions(&problem, &CrewId::new("C1"), &roster, fdp.clone());
        assert!(ext.is_empty() && viol.len() == 1, "{ext:?}");
        // Two long overruns of duties as rostered: the first is an extension, the second a violation.
        let long = |v: &Violation| Violation {
            actual: v.limit + Minutes(45),
            ..v.clone()
        };
        let twice = vec![long(&fdp[0]), long(&fdp[0])];
        let twice = twice
            .into_iter()
            .map(|mut v| {
                v.pairing = kept[0].id;
                v.duty = 1;
                v
            })
            .collect();
        let (ext, viol) = unforeseen_extensions(&problem, &c2, &roster, twice);
        assert_eq!((ext.len(), viol.len()), (1, 1));
    }

    /// C2's first leg (leg 3) retimed so that it lands `late` after 01:30Z on 3 July: released 30 minutes
    /// after, C2 has `10:00 - late` of rest before the report of their leg home (36:00Z, the leg at
    /// 37:00Z). The window runs through that leg.
    fn rest_short_by(late: Minutes) -> (Schedule, CrewDisruption) {
        let mut input = CrewDisruption::new(at(6), at(40), "faa117");
        let arrival = at(25) + Minutes(30) + late;
        input.leg_changes.push((
            LegId(3),
            LegChange::Retimed {
                out: arrival - Minutes(60),
                arrival,
            },
        ));
        (schedule(), input)
    }

    #[test]
    fn a_member_short_of_rest_by_no_more_than_the_report_lead_keeps_their_duty() {
        let c2 = CrewId::new("C2");
        // Short by the whole lead: C2 reports at 37:00Z, as the leg leaves; nobody waits.
        let (schedule, input) = rest_short_by(REPORT_BEFORE_DEPARTURE);
        let problem = CrewRecoveryProblem::new(&schedule, input).expect("a valid input");
        let verdict = judge_roster(&problem, &c2, &problem.roster_as_disrupted(&c2), None);
        assert!(
            verdict.legal,
            "{:?} {:?}",
            verdict.violations, verdict.problems
        );
        assert_eq!(verdict.operating, vec![LegId(3), LegId(4)]);
        assert_eq!(verdict.extensions.len(), 1, "the late report is shown");
        assert_eq!(verdict.extensions[0].rule, "14 CFR 117.25(e)");
        // A minute more and the leg would wait for the crew: a violation the plan must resolve.
        let (schedule, input) = rest_short_by(REPORT_BEFORE_DEPARTURE + Minutes(1));
        let problem = CrewRecoveryProblem::new(&schedule, input).expect("a valid input");
        let verdict = judge_roster(&problem, &c2, &problem.roster_as_disrupted(&c2), None);
        assert!(!verdict.legal);
        assert!(verdict.extensions.is_empty(), "{:?}", verdict.extensions);
        assert!(
            verdict
                .violations
                .iter()
                .any(|v| v.rule == "14 CFR 117.25(e)"),
            "{:?}",
            verdict.violations
        );
    }
}
