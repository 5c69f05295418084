//! The checker of generated crew: every rule the generator promises, re-derived from the schedule's own
//! tables, so that tests (and later the optimizer) can hold any crew plan to it.

use std::collections::HashMap;

use ucodts_model::{LegId, Minutes, PairingId, Rank, Schedule, SegmentKind};

use super::limits::{self, DutyHistory, DutySpan};
use super::{cabin_crew_for, leg_tails, operating_types};

/// The violations of the crew tables of `schedule`, in words; empty when the crew plan keeps every rule:
///
/// - each duty within Table B (flight duty from report to its last arrival, flight segments counted) and
///   Table A (block time of the legs operated), by report time in the base's zone;
/// - at least the rest of §117.25(e) between two duties of a pairing, and between two pairings of a member;
/// - each pairing crewed by exactly one captain and one first officer and at least the cabin crew of its
///   largest aircraft, all of its airline and base, at home in the base's zone, qualified on every type it
///   operates;
/// - no leg operated by two pairings;
/// - each member within the cumulative limits of §117.23 and the weekly free time of §117.25(b).
///
/// That pairings start and end at their base, connect in space and time, and that a member's pairings do
/// not overlap, `Schedule::new` has already guaranteed.
pub fn check_generated(schedule: &Schedule) -> Vec<String> {
    let mut violations = Vec::new();
    let (min_rest, min_rest_rule) = limits::min_rest();
    let types = operating_types(schedule, &leg_tails(schedule));
    let leg_index: HashMap<LegId, usize> = schedule
        .legs()
        .iter()
        .enumerate()
        .map(|(i, l)| (l.id, i))
        .collect();
    let zone_of = |pairing_base| {
        schedule
            .airport(pairing_base)
            .expect("Schedule::new checked the pairing base")
            .time_zone
    };

    let mut operated_by: HashMap<LegId, Vec<PairingId>> = HashMap::new();
    let mut spans: HashMap<PairingId, Vec<DutySpan>> = HashMap::new();
    let mut cabin_needed: HashMap<PairingId, u16> = HashMap::new();
    for p in schedule.pairings() {
        let zone = zone_of(p.base);
        let base_longitude = schedule
            .airport(p.base)
            .expect("Schedule::new checked the pairing base")
            .longitude_deg;
        let mut previous_release = None;
        let mut list = Vec::with_capacity(p.duties.len());
        let mut cabin = 0;
        let mut operates = false;
        for (k, duty) in p.duties.iter().enumerate() {
            let mut segments = 0;
            let mut flight = Minutes(0);
            let mut end = duty.report;
            let mut acclimated = true;
            for s in &duty.segments {
                let i = leg_index[&s.leg];
                let leg = &schedule.legs()[i];
                end = leg.scheduled_in;
                let origin = schedule
                    .airport(leg.origin)
                    .expect("Schedule::new checked the leg's origin");
                acclimated &= !limits::outside_theater(base_longitude, origin.longitude_deg);
                if s.kind == SegmentKind::Operating {
                    segments += 1;
                    flight = flight + leg.scheduled_block();
                    cabin = cabin.max(cabin_crew_for(schedule, types[i]));
                    operated_by.entry(s.leg).or_default().push(p.id);
                    operates = true;
                }
            }
            let local = zone.to_local(duty.report);
            let duty_limit = limits::max_flight_duty(local.minute_of_day, segments, acclimated);
            let acclimation = if acclimated {
                ""
            } else {
                ", not acclimated (a leg departs outside the base's theater)"
            };
            let flight_duty = end - duty.report;
            let n = k + 1;
            if flight_duty > duty_limit {
                violations.push(format!(
                    "pairing {} duty {n}: flight duty {flight_duty} from report at {local} ({zone}) with \
                     {segments} flight segments{acclimation} exceeds the Table B limit of {duty_limit}",
                    p.id
                ));
            }
            let flight_limit = limits::max_flight_time(local.minute_of_day);
            if flight > flight_limit {
                violations.push(format!(
                    "pairing {} duty {n}: flight time {flight} from report at {local} ({zone}) exceeds the \
                     Table A limit of {flight_limit}",
                    p.id
                ));
            }
            if let Some(release) = previous_release {
                let rest = duty.report - release;
                if rest < min_rest {
                    violations.push(format!(
                        "pairing {} duty {n}: {rest} of rest before it, below the {min_rest} of \
                         {min_rest_rule}",
                        p.id
                    ));
                }
            }
            previous_release = Some(duty.release);
            list.push(DutySpan {
                report: duty.report,
                end,
                release: duty.release,
                flight,
            });
        }
        if !operates {
            violations.push(format!("pairing {} operates no leg", p.id));
        }
        spans.insert(p.id, list);
        cabin_needed.insert(p.id, cabin);
    }
    for (leg, pairings) in sorted(operated_by) {
        if pairings.len() > 1 {
            violations.push(format!(
                "leg {leg} is operated by {} pairings: {pairings:?}",
                pairings.len()
            ));
        }
    }

    let mut seats: HashMap<PairingId, [u32; 3]> = HashMap::new();
    for r in schedule.rosters() {
        let (Some(member), Some(p)) = (schedule.crew_member(&r.crew), schedule.pairing(r.pairing))
        else {
            continue;
        };
        let seat = match member.rank {
            Rank::Captain => 0,
            Rank::FirstOfficer => 1,
            Rank::Cabin => 2,
        };
        seats.entry(p.id).or_default()[seat] += 1;
        if member.base != p.base {
            violations.push(format!(
                "{} (based at {}) flies pairing {} of base {}",
                member.id, member.base, p.id, p.base
            ));
        }
        if member.home_zone != zone_of(p.base) {
            violations.push(format!(
                "{} is at home in {}, not in the zone of base {}",
                member.id, member.home_zone, p.base
            ));
        }
        for s in p.legs().filter(|s| s.kind == SegmentKind::Operating) {
            let Some(t) = types[leg_index[&s.leg]] else {
                continue;
            };
            let code = &schedule.aircraft_types()[t].code;
            if !member.is_qualified_on(code) {
                violations.push(format!(
                    "{} ({}) operates leg {} of pairing {} on {code} without that qualification",
                    member.id, member.rank, s.leg, p.id
                ));
            }
        }
    }
    for p in schedule.pairings() {
        let [captains, first_officers, cabin] = seats.get(&p.id).copied().unwrap_or_default();
        let needed = cabin_needed[&p.id];
        if captains != 1 || first_officers != 1 || cabin < u32::from(needed) {
            violations.push(format!(
                "pairing {} has {captains} captains, {first_officers} first officers and {cabin} cabin crew; \
                 it needs 1, 1 and {needed}",
                p.id
            ));
        }
    }

    for member in schedule.crew() {
        let mut history = DutyHistory::new();
        let mut previous: Option<(PairingId, ucodts_model::UtcMinute)> = None;
        for p in schedule.roster(&member.id) {
            if let (Some((before, release)), Some(report)) = (previous, p.report()) {
                let rest = report - release;
                if rest < min_rest {
                    violations.push(format!(
                        "{}: {rest} of rest between pairings {before} and {}, below the {min_rest} of \
                         {min_rest_rule}",
                        member.id, p.id
                    ));
                }
            }
            previous = p.release().map(|r| (p.id, r));
            for (k, &span) in spans[&p.id].iter().enumerate() {
                history.push(span);
                if let Some(breach) = history.breach_of_last() {
                    violations.push(format!(
                        "{}: pairing {} duty {}: {breach}",
                        member.id,
                        p.id,
                        k + 1
                    ));
                }
            }
        }
    }
    violations
}

fn sorted<K: Ord, V>(map: HashMap<K, V>) -> Vec<(K, V)> {
    let mut v: Vec<(K, V)> = map.into_iter().collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}
