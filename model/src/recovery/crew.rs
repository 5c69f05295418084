//! Crew recovery after a disruption, in a crew controller's words.
//!
//! - [`CrewDisruption`]: what happened and what the controller may use — the recovery window (`t0` to
//!   `window_end`), legs retimed or cancelled (from an aircraft plan or a scenario's imposed delays), crew
//!   members out of service from a time (sick calls), the rule set, the reserves and the cost weights.
//! - [`CrewRecoveryProblem`]: the disruption read against a [`Schedule`] — which crew members it touches and
//!   which of their pairings must be redone (the *affected* pairings), which crew positions on which legs
//!   are open (the *demand*), what is already flown (the frozen past), and the reserves, each a named
//!   crew member.
//! - [`CrewRecoveryPlan`]: a solver's answer — per crew member the pairings that replace their affected
//!   ones (or, for a reserve, the pairing they are called out for), the crew left away from base, and the
//!   positions left uncovered with why.
//! - [`evaluate`]: the only judge of a plan. It checks every roster the plan touches with the rule engine
//!   ([`crate::legality::check_proposed`], on the legs' disrupted times), checks the plan's structure (the
//!   past is unchanged, pairings connect and come home, reserves are called within their standby, every open
//!   position is flown once or declared uncovered) and prices it ([`CrewCostBreakdown`]), with the fatigue
//!   of every new duty from [`crate::fatigue`]. [`judge_roster`] is the same judgement for one crew member,
//!   so that an optimizer can price candidate rosters exactly as the plan will be priced.
//!
//! # Reserves
//! The data sets have no reserve lines, so reserves are defined the way the twin keeps them
//! ([`ReserveSupply`], with the defaults of [`crate::practice`]): each day of the window, per airline, crew
//! base and rank, a share (5 % by default, at least one) of the crew members of that airline and rank based
//! there stands by at the base airport from 05:00 to 22:00 local, ready 30 minutes after a call, and covers
//! one call-out (one pairing) that day. Reserves stand by every day from `t0` through the last release of an
//! affected pairing (at most three days past the window), since a replaced trip may run that long. Each reserve is a named crew member, `R-<base>-<airline>-<rank>-<date>-<n>`
//! (e.g. `R-JFK-B6-captain-20130702-1`), qualified on every aircraft type the based crew of that rank flies,
//! with nothing flown before the call.
//!
//! # What the plan may change
//! A crew member is *affected* when a changed leg is in one of their pairings that overlaps the window, or
//! when they are out sick from a time before the window ends; all their pairings overlapping the window are
//! then affected and are replaced as a whole. Legs that depart (as planned) before `t0` are the past: every
//! segment on them stays as rostered, and a duty reported before `t0` keeps its report time. New duties
//! report at least [`REPORT_BEFORE_DEPARTURE`] before their first leg and release at least
//! [`RELEASE_AFTER_ARRIVAL`] after their last; a change of aircraft within a duty needs
//! [`MIN_CONNECTION_AIRCRAFT_CHANGE`], the operating practice the crew generator plans with
//! ([`crate::practice`]). Deadheads ride the
//! airline's own legs. A sick crew member flies nothing that departs from their call on and need not come
//! home; anyone else left away from base must be declared stranded (and pays for it).
//!
//! Costs are integers in cost units (about US dollars); the weights ([`CrewCostWeights`]) are assumptions,
//! not airline data, and are named where they are set.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::crew::{CrewMember, Rank};
use crate::fatigue::{forecast_crew_duties, DutyFatigue, FatigueSettings};
use crate::ids::{AirportCode, CarrierCode, CrewId, LegId, PairingId, TypeCode};
use crate::leg::{Leg, LegStatus};
use crate::legality::{check_proposed, Violation};
use crate::pairing::{Duty, Pairing, RosterAssignment, Segment, SegmentKind};
use crate::practice::{
    MIN_CONNECTION_AIRCRAFT_CHANGE, RELEASE_AFTER_ARRIVAL, REPORT_BEFORE_DEPARTURE,
};
use crate::rules::{by_name, RuleSet};
use crate::schedule::{Schedule, ScheduleParts};
use crate::time::{Date, Minutes, UtcMinute};

pub use crate::practice::ReserveSupply;

/// What happens to a leg.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum LegChange {
    /// The leg leaves and arrives at these times instead.
    Retimed { out: UtcMinute, arrival: UtcMinute },
    /// The leg is not flown.
    Cancelled,
}

/// A crew member who cannot work from a time on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SickCall {
    pub crew: CrewId,
    /// The member flies no leg departing at or after this.
    pub from: UtcMinute,
}

/// The price of each thing a plan does, in cost units (assumptions; see [`CrewCostWeights::default`]).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct CrewCostWeights {
    /// Per crew position left uncovered on a leg: the leg waits or is cancelled.
    pub uncovered_position: i64,
    /// Per reserve called out.
    pub reserve_callout: i64,
    /// Per deadhead segment.
    pub deadhead: i64,
    /// Per leg a crew member flies in another crew member's place.
    pub swap: i64,
    /// Per crew member whose legs change (reserves called included).
    pub crew_contacted: i64,
    /// Per crew member left away from base at the end of their roster.
    pub stranded: i64,
    /// Per KSS point above `fatigue_threshold_kss` of a new duty's peak.
    pub fatigue_per_kss_point: i64,
    pub fatigue_threshold_kss: f64,
}

impl Default for CrewCostWeights {
    /// Assumptions, ordered the way controllers rank their options: an uncovered position (a delayed or
    /// cancelled leg) costs far more than anything else; a stranded crew member (hotel, positioning later)
    /// next; then a reserve call-out, a deadhead seat, a swap, and a phone call. Fatigue counts from KSS 6
    /// ("some signs of sleepiness"), 500 per point of a duty's peak above it.
    fn default() -> CrewCostWeights {
        CrewCostWeights {
            uncovered_position: 20_000,
            reserve_callout: 1_000,
            deadhead: 400,
            swap: 300,
            crew_contacted: 150,
            stranded: 5_000,
            fatigue_per_kss_point: 500,
            fatigue_threshold_kss: 6.0,
        }
    }
}

/// The disruption and what the controller may use.
#[derive(Clone, Debug, PartialEq)]
pub struct CrewDisruption {
    /// When the controller decides (the recovery window opens).
    pub t0: UtcMinute,
    /// Legs departing (as planned) from `t0` up to here are the controller's to repair.
    pub window_end: UtcMinute,
    /// The rule set every roster must keep ([`crate::rules::by_name`]: `faa117`, `easa`).
    pub rule_set: String,
    pub leg_changes: Vec<(LegId, LegChange)>,
    pub sick_calls: Vec<SickCall>,
    pub reserves: ReserveSupply,
    pub costs: CrewCostWeights,
}

impl CrewDisruption {
    /// A window `t0 .. window_end` under `rule_set` with nothing changed yet, the default reserves and costs:
    /// callers add leg changes and sick calls.
    pub fn new(t0: UtcMinute, window_end: UtcMinute, rule_set: &str) -> CrewDisruption {
        CrewDisruption {
            t0,
            window_end,
            rule_set: rule_set.to_string(),
            leg_changes: Vec::new(),
            sick_calls: Vec::new(),
            reserves: ReserveSupply::default(),
            costs: CrewCostWeights::default(),
        }
    }
}

/// A disruption that cannot be read against the schedule.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CrewRecoveryError {
    #[error("recovery window: window_end {end} is not after t0 {t0}")]
    Window { t0: UtcMinute, end: UtcMinute },
    #[error("rule_set = {name:?}: {problem}")]
    RuleSet { name: String, problem: String },
    #[error("leg_changes[{index}]: leg {leg}: {problem}")]
    LegChange {
        index: usize,
        leg: LegId,
        problem: String,
    },
    #[error("sick_calls[{index}]: crew member {crew}: {problem}")]
    SickCall {
        index: usize,
        crew: CrewId,
        problem: String,
    },
    #[error("reserves.share_of_based_crew = {0}: expected a share from 0 to 1")]
    ReserveShare(f64),
    #[error("the disrupted schedule is inconsistent: {0}")]
    Schedule(String),
}

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

/// The disruption read against a schedule (see the module documentation).
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
    /// legs from a sick call on dropped. It may not connect, not come home or not be legal; [`judge_roster`]
    /// says.
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

/// The reserves for every day from `t0` through `through` (see the module documentation), sorted by id.
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

/// A plan: what a solver proposes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CrewRecoveryPlan {
    /// Who proposed it: `greedy`, `milp`.
    pub policy: String,
    /// Per affected crew member, the pairings that replace their affected ones (empty: they fly nothing
    /// more in them); per reserve called, the pairing they are called out for. Every affected crew member has
    /// an entry.
    pub rosters: BTreeMap<CrewId, Vec<Pairing>>,
    /// Crew members the plan leaves away from base, and why.
    pub stranded: BTreeMap<CrewId, String>,
    /// Positions nobody flies, and why.
    pub uncovered: Vec<UncoveredPosition>,
}

/// Seats left empty on a leg.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UncoveredPosition {
    pub leg: LegId,
    pub rank: Rank,
    pub count: u32,
    pub why: String,
}

/// Whether a crew member in a plan is one of the airline's rostered crew or a reserve.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum CrewRole {
    Rostered,
    Reserve,
}

/// The judgement of one crew member's roster in a plan.
#[derive(Clone, Debug, PartialEq)]
pub struct CrewVerdict {
    pub crew: CrewId,
    pub role: CrewRole,
    /// Legal by the rule engine and structurally sound (no `problems`).
    pub legal: bool,
    /// What the rule engine finds in the whole roster (kept pairings and the plan's).
    pub violations: Vec<Violation>,
    /// Structural faults: changed past, broken connections, wrong seat, not home.
    pub problems: Vec<String>,
    /// Legs operated from `t0` on (with the rank's seat), legs deadheaded from `t0` on.
    pub operating: Vec<LegId>,
    pub deadheads: Vec<LegId>,
    /// Legs operated in another crew member's place, with whose.
    pub swaps: Vec<(LegId, CrewId)>,
    /// Whether the crew member must be called (their legs change, or a reserve is used).
    pub contacted: bool,
    pub stranded: Option<String>,
    /// The fatigue forecast of the plan's duties that end after `t0`.
    pub fatigue: Vec<DutyFatigue>,
    pub cost: CrewCostBreakdown,
}

/// What a plan costs, term by term (cost units).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct CrewCostBreakdown {
    pub uncovered: i64,
    pub reserve_callouts: i64,
    pub deadheads: i64,
    pub swaps: i64,
    pub crew_contacted: i64,
    pub stranded: i64,
    pub fatigue: i64,
}

impl CrewCostBreakdown {
    pub fn total(&self) -> i64 {
        self.uncovered
            + self.reserve_callouts
            + self.deadheads
            + self.swaps
            + self.crew_contacted
            + self.stranded
            + self.fatigue
    }

    fn add(&mut self, other: &CrewCostBreakdown) {
        self.uncovered += other.uncovered;
        self.reserve_callouts += other.reserve_callouts;
        self.deadheads += other.deadheads;
        self.swaps += other.swaps;
        self.crew_contacted += other.crew_contacted;
        self.stranded += other.stranded;
        self.fatigue += other.fatigue;
    }
}

impl fmt::Display for CrewCostBreakdown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (uncovered {}, reserves {}, deadheads {}, swaps {}, contacted {}, stranded {}, fatigue {})",
            self.total(),
            self.uncovered,
            self.reserve_callouts,
            self.deadheads,
            self.swaps,
            self.crew_contacted,
            self.stranded,
            self.fatigue
        )
    }
}

/// A reserve called out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReserveCallOut {
    pub reserve: CrewId,
    pub base: AirportCode,
    pub rank: Rank,
    pub legs: Vec<LegId>,
}

/// The judgement of a whole plan.
#[derive(Clone, Debug, PartialEq)]
pub struct CrewEvaluation {
    /// Every crew member of the plan, by id.
    pub crew: Vec<CrewVerdict>,
    pub reserve_callouts: Vec<ReserveCallOut>,
    /// (crew member, leg, in place of).
    pub swaps: Vec<(CrewId, LegId, CrewId)>,
    /// (crew member, leg).
    pub deadheads: Vec<(CrewId, LegId)>,
    pub uncovered: Vec<UncoveredPosition>,
    /// Seats left empty in fact (whatever the plan declares), per leg and rank.
    pub seats_uncovered: u32,
    pub crew_contacted: usize,
    /// Faults of the plan as a whole: positions flown twice, undeclared gaps, missing rosters, ids reused.
    pub problems: Vec<String>,
    pub cost: CrewCostBreakdown,
}

impl CrewEvaluation {
    /// Every roster legal and structurally sound, and the plan consistent.
    pub fn is_legal(&self) -> bool {
        self.problems.is_empty() && self.crew.iter().all(|c| c.legal)
    }
    pub fn violations(&self) -> impl Iterator<Item = &Violation> {
        self.crew.iter().flat_map(|c| c.violations.iter())
    }
}

/// Judges one crew member's part of a plan: `pairings` replace their affected pairings (for a reserve: are
/// the call-out), `stranded` declares them left away from base. Legality is the rule engine's over the whole
/// roster on the disrupted times; the cost is this member's share of the plan's (all but uncovered seats).
pub fn judge_roster(
    problem: &CrewRecoveryProblem<'_>,
    crew: &CrewId,
    pairings: &[Pairing],
    stranded: Option<&str>,
) -> CrewVerdict {
    let t0 = problem.t0();
    let weights = problem.costs();
    let reserve = problem.reserve(crew);
    let role = if reserve.is_some() {
        CrewRole::Reserve
    } else {
        CrewRole::Rostered
    };
    let mut v = CrewVerdict {
        crew: crew.clone(),
        role,
        legal: false,
        violations: Vec::new(),
        problems: Vec::new(),
        operating: Vec::new(),
        deadheads: Vec::new(),
        swaps: Vec::new(),
        contacted: false,
        stranded: stranded.map(str::to_string),
        fatigue: Vec::new(),
        cost: CrewCostBreakdown::default(),
    };
    let Some(member) = problem.member(crew) else {
        v.problems
            .push(format!("{crew} is neither a crew member nor a reserve"));
        return v;
    };
    let affected = problem.affected_crew(crew);
    if affected.is_none() && reserve.is_none() {
        v.problems.push(format!(
            "{crew} is not affected by the disruption, so the plan may not change their roster"
        ));
        return v;
    }
    let sick_from = problem.sick_from(crew);
    if let Some(r) = reserve {
        if pairings.len() > 1 {
            v.problems.push(format!(
                "reserve {crew} covers one call-out, not {} pairings",
                pairings.len()
            ));
        }
        if let Some(report) = pairings.first().and_then(|p| p.report()) {
            if report < r.available_from || report > r.available_until {
                v.problems.push(format!(
                    "reserve {crew} reports at {report}, outside their standby {} to {}",
                    r.available_from, r.available_until
                ));
            }
        }
    }

    // The past stays as rostered.
    let replaced = problem.replaced_pairings(crew);
    let past = |ps: &mut dyn Iterator<Item = &Pairing>| -> BTreeSet<(LegId, SegmentKind)> {
        ps.flat_map(|p| p.legs())
            .filter(|s| problem.is_past(s.leg))
            .map(|s| (s.leg, s.kind))
            .collect()
    };
    if past(&mut replaced.iter().copied()) != past(&mut pairings.iter()) {
        v.problems.push(format!(
            "{crew}'s segments on legs that departed before t0 {t0} differ from the roster"
        ));
    }
    let past_reports: BTreeSet<UtcMinute> = replaced
        .iter()
        .flat_map(|p| p.duties.iter())
        .filter(|d| d.report < t0)
        .map(|d| d.report)
        .collect();

    for p in pairings {
        let pid = p.id;
        let mut problems: Vec<String> = Vec::new();
        macro_rules! fault {
            ($e:expr) => {
                problems.push(format!("pairing {pid}: {}", $e))
            };
        }
        if p.airline != member.airline {
            fault!(format!(
                "of airline {}, not {crew}'s {}",
                p.airline, member.airline
            ));
        }
        if p.base != member.base {
            fault!(format!(
                "based at {}, not at {crew}'s base {}",
                p.base, member.base
            ));
        }
        if p.duties.is_empty() {
            fault!("has no duties");
        }
        let mut at = member.base;
        let mut previous_release: Option<UtcMinute> = None;
        for (n, d) in p.duties.iter().enumerate() {
            macro_rules! fault {
                ($e:expr) => {
                    problems.push(format!("pairing {pid} duty {}: {}", n + 1, $e))
                };
            }
            if d.segments.is_empty() {
                fault!("has no legs");
                continue;
            }
            if d.release <= d.report {
                fault!(format!(
                    "releases at {}, not after its report at {}",
                    d.release, d.report
                ));
            }
            if previous_release.is_some_and(|r| d.report < r) {
                fault!(format!(
                    "reports at {} before the previous duty's release",
                    d.report
                ));
            }
            previous_release = Some(d.release);
            let new_duty = d.report >= t0;
            if !new_duty && !past_reports.contains(&d.report) {
                fault!(format!(
                    "reports at {}, before t0 {t0}, but no rostered duty did",
                    d.report
                ));
            }
            let mut ready: Option<(UtcMinute, Option<&crate::ids::TailId>)> = None;
            let mut last_in = None;
            let mut touches_window = new_duty;
            for s in &d.segments {
                let Some(leg) = problem.leg(s.leg) else {
                    fault!(format!("leg {} is not in the schedule", s.leg));
                    continue;
                };
                if leg.origin != at {
                    fault!(format!(
                        "leg {} leaves {}, but the crew is at {at}",
                        leg.id, leg.origin
                    ));
                }
                at = leg.destination;
                let past_leg = problem.is_past(leg.id);
                if !past_leg {
                    touches_window = true;
                    if problem.is_cancelled(leg.id) {
                        fault!(format!("leg {} is cancelled", leg.id));
                    }
                    match ready {
                        None => {
                            if new_duty && leg.scheduled_out < d.report + REPORT_BEFORE_DEPARTURE {
                                fault!(format!(
                                    "leg {} leaves at {}, less than {} after the report at {}",
                                    leg.id, leg.scheduled_out, REPORT_BEFORE_DEPARTURE, d.report
                                ));
                            }
                        }
                        Some((arrival, tail)) => {
                            let same_aircraft = tail.is_some() && tail == leg.tail.as_ref();
                            let need = if same_aircraft {
                                Minutes(0)
                            } else {
                                MIN_CONNECTION_AIRCRAFT_CHANGE
                            };
                            if leg.scheduled_out < arrival + need {
                                fault!(format!(
                                    "leg {} leaves at {}, less than {} after the arrival at {arrival}",
                                    leg.id, leg.scheduled_out, need
                                ));
                            }
                        }
                    }
                    if leg.carrier != member.airline {
                        fault!(format!(
                            "leg {} is flown by {}, not {}",
                            leg.id, leg.carrier, member.airline
                        ));
                    }
                    match s.kind {
                        SegmentKind::Operating => {
                            if let Some(f) = sick_from.filter(|&f| leg.scheduled_out >= f) {
                                fault!(format!(
                                    "{crew} is out sick from {f} but operates leg {}",
                                    leg.id
                                ));
                            }
                            let type_code = leg
                                .tail
                                .as_ref()
                                .and_then(|t| problem.disrupted().tail(t))
                                .map(|a| &a.type_code);
                            if let Some(tc) = type_code.filter(|tc| !member.is_qualified_on(tc)) {
                                fault!(format!("{crew} is not qualified on {tc} (leg {})", leg.id));
                            }
                            match problem.open_position(leg.id, member.rank) {
                                None => fault!(format!(
                                    "leg {} has no open {} seat",
                                    leg.id, member.rank
                                )),
                                Some(open) => {
                                    if !open.rostered.contains(crew) {
                                        let whose = open.rostered[0].clone();
                                        if reserve.is_none() {
                                            v.swaps.push((leg.id, whose));
                                        }
                                    }
                                }
                            }
                            v.operating.push(leg.id);
                        }
                        SegmentKind::Deadhead => v.deadheads.push(leg.id),
                    }
                }
                ready = Some((leg.scheduled_in, leg.tail.as_ref()));
                last_in = Some(leg.scheduled_in);
            }
            if let Some(last) = last_in.filter(|_| touches_window) {
                if d.release < last + RELEASE_AFTER_ARRIVAL {
                    fault!(format!(
                        "releases at {}, less than {} after the last arrival at {last}",
                        d.release, RELEASE_AFTER_ARRIVAL
                    ));
                }
            }
        }
        v.problems.append(&mut problems);
        if at != member.base && stranded.is_none() && sick_from.is_none() {
            v.problems.push(format!(
                "pairing {} ends at {at}, not at {crew}'s base {}, and the plan does not say {crew} is stranded",
                p.id, member.base
            ));
        }
    }

    // The rule engine, over the whole roster on disrupted times.
    let kept = problem.kept_pairings(crew);
    let mut roster: Vec<&Pairing> = kept.clone();
    roster.extend(pairings.iter());
    // A roster already broken in structure is not worth the rule engine's time.
    if v.problems.is_empty() {
        match check_proposed(problem.disrupted(), crew, &roster, problem.rules()) {
            Ok(report) => v.violations = report.violations,
            Err(e) => v
                .problems
                .push(format!("the rule engine cannot read {crew}'s roster: {e}")),
        }
    }

    // Contacted: their duties from t0 on (legs, report, release) differ from what the disruption leaves
    // them (a reserve: called at all).
    let upcoming = |ps: &[Pairing]| -> Vec<(UtcMinute, UtcMinute, Vec<Segment>)> {
        ps.iter()
            .flat_map(|p| p.duties.iter())
            .filter(|d| d.segments.iter().any(|s| !problem.is_past(s.leg)))
            .map(|d| (d.report, d.release, d.segments.clone()))
            .collect()
    };
    v.contacted = match role {
        CrewRole::Reserve => !pairings.is_empty(),
        CrewRole::Rostered => upcoming(pairings) != upcoming(&problem.roster_as_disrupted(crew)),
    };

    // Fatigue is priced for legal rosters only: an illegal one is never part of a sound plan.
    if v.problems.is_empty() && v.violations.is_empty() {
        v.fatigue = fatigue_of(problem, member, &kept, pairings);
    }
    let excess: f64 = v
        .fatigue
        .iter()
        .map(|d| (d.peak_kss - weights.fatigue_threshold_kss).max(0.0))
        .sum();
    v.cost = CrewCostBreakdown {
        uncovered: 0,
        reserve_callouts: if role == CrewRole::Reserve && !pairings.is_empty() {
            weights.reserve_callout
        } else {
            0
        },
        deadheads: weights.deadhead * v.deadheads.len() as i64,
        swaps: weights.swap * v.swaps.len() as i64,
        crew_contacted: if v.contacted {
            weights.crew_contacted
        } else {
            0
        },
        stranded: if stranded.is_some() {
            weights.stranded
        } else {
            0
        },
        fatigue: (excess * weights.fatigue_per_kss_point as f64).round() as i64,
    };
    v.legal = v.problems.is_empty() && v.violations.is_empty();
    v
}

/// The forecast of the plan's duties ending after `t0`, from the whole roster on disrupted times. A
/// roster that does not form a schedule of its own (a stranded or sick member's) has none.
fn fatigue_of(
    problem: &CrewRecoveryProblem<'_>,
    member: &CrewMember,
    kept: &[&Pairing],
    pairings: &[Pairing],
) -> Vec<DutyFatigue> {
    let mut all: Vec<Pairing> = kept.iter().map(|p| (*p).clone()).collect();
    all.extend(pairings.iter().cloned());
    let mut legs: Vec<Leg> = Vec::new();
    let mut seen = BTreeSet::new();
    for s in all.iter().flat_map(|p| p.legs()) {
        if seen.insert(s.leg) {
            if let Some(l) = problem.leg(s.leg) {
                let mut l = l.clone();
                l.tail = None;
                l.status = LegStatus::Scheduled;
                legs.push(l);
            }
        }
    }
    let d = problem.disrupted().parts();
    let rosters = all
        .iter()
        .map(|p| RosterAssignment {
            crew: member.id.clone(),
            pairing: p.id,
        })
        .collect();
    let Ok(own) = Schedule::new(ScheduleParts {
        airlines: d.airlines.clone(),
        airports: d.airports.clone(),
        crew: vec![CrewMember {
            qualifications: Vec::new(),
            ..member.clone()
        }],
        legs,
        pairings: all,
        rosters,
        ..ScheduleParts::default()
    }) else {
        return Vec::new();
    };
    let ids: BTreeSet<PairingId> = pairings.iter().map(|p| p.id).collect();
    forecast_crew_duties(&own, &member.id, &FatigueSettings::default())
        .map(|duties| {
            duties
                .into_iter()
                .filter(|d| ids.contains(&d.pairing) && d.release > problem.t0())
                .collect()
        })
        .unwrap_or_default()
}

/// Judges a plan (see the module documentation): every crew member's roster by [`judge_roster`], then the
/// plan as a whole — each open position flown once or declared uncovered, every affected crew member
/// given a roster, no pairing id used twice — and its cost.
pub fn evaluate(problem: &CrewRecoveryProblem<'_>, plan: &CrewRecoveryPlan) -> CrewEvaluation {
    let mut e = CrewEvaluation {
        crew: Vec::new(),
        reserve_callouts: Vec::new(),
        swaps: Vec::new(),
        deadheads: Vec::new(),
        uncovered: plan.uncovered.clone(),
        seats_uncovered: 0,
        crew_contacted: 0,
        problems: Vec::new(),
        cost: CrewCostBreakdown::default(),
    };
    for a in problem.affected() {
        if !plan.rosters.contains_key(&a.crew) {
            e.problems.push(format!(
                "affected crew member {} has no roster in the plan",
                a.crew
            ));
        }
    }
    for crew in plan.stranded.keys() {
        if !plan.rosters.contains_key(crew) {
            e.problems.push(format!(
                "{crew} is declared stranded but has no roster in the plan"
            ));
        }
    }
    // Pairing ids: unique in the plan and unused by pairings the plan keeps.
    let mut ids: BTreeMap<PairingId, &CrewId> = BTreeMap::new();
    for (crew, ps) in &plan.rosters {
        for p in ps {
            if let Some(other) = ids.insert(p.id, crew) {
                e.problems.push(format!(
                    "pairing id {} is used for {other} and {crew}",
                    p.id
                ));
            }
        }
    }
    for p in problem.original().pairings() {
        if let Some(crew) = ids.get(&p.id) {
            let replaced = problem
                .affected_crew(crew)
                .is_some_and(|a| a.pairings.contains(&p.id));
            if !replaced {
                e.problems.push(format!(
                    "pairing id {} of {crew} is the id of a pairing the plan keeps",
                    p.id
                ));
            }
        }
    }

    let mut flown: BTreeMap<(LegId, Rank), u32> = BTreeMap::new();
    for (crew, ps) in &plan.rosters {
        let v = judge_roster(
            problem,
            crew,
            ps,
            plan.stranded.get(crew).map(String::as_str),
        );
        let rank = problem.member(crew).map(|m| m.rank);
        if let Some(rank) = rank {
            for &leg in &v.operating {
                *flown.entry((leg, rank)).or_default() += 1;
            }
        }
        if v.role == CrewRole::Reserve && !ps.is_empty() {
            if let Some(r) = problem.reserve(crew) {
                e.reserve_callouts.push(ReserveCallOut {
                    reserve: crew.clone(),
                    base: r.member.base,
                    rank: r.member.rank,
                    legs: v.operating.clone(),
                });
            }
        }
        e.swaps.extend(
            v.swaps
                .iter()
                .map(|(leg, whose)| (crew.clone(), *leg, whose.clone())),
        );
        e.deadheads
            .extend(v.deadheads.iter().map(|&leg| (crew.clone(), leg)));
        if v.contacted {
            e.crew_contacted += 1;
        }
        e.cost.add(&v.cost);
        e.crew.push(v);
    }

    let mut declared: BTreeMap<(LegId, Rank), u32> = BTreeMap::new();
    for u in &plan.uncovered {
        *declared.entry((u.leg, u.rank)).or_default() += u.count;
        if problem.open_position(u.leg, u.rank).is_none() {
            e.problems.push(format!(
                "leg {} is declared uncovered for a {}, but has no open {} seat",
                u.leg, u.rank, u.rank
            ));
        }
    }
    for open in problem.demand() {
        let f = flown.get(&(open.leg, open.rank)).copied().unwrap_or(0);
        let d = declared.get(&(open.leg, open.rank)).copied().unwrap_or(0);
        if f > open.count {
            e.problems.push(format!(
                "leg {} has {f} {}s flying {} open seats",
                open.leg, open.rank, open.count
            ));
        }
        let missing = open.count.saturating_sub(f);
        if missing != d {
            e.problems.push(format!(
                "leg {}: {missing} {} seats are empty, the plan declares {d}",
                open.leg, open.rank
            ));
        }
        e.seats_uncovered += missing;
    }
    e.cost.uncovered = problem.costs().uncovered_position * i64::from(e.seats_uncovered);
    e
}
