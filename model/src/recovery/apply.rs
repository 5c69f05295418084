//! Recovery plans turned back into the schedule the twin flies.
//!
//! The optimizer answers in its own terms: an aircraft [`RecoveryPlan`] on a [`RecoveryProblem`] built from a
//! schedule (each planned [`Flight`](super::Flight)'s `number` is the schedule's [`LegId`]; aircraft are tails,
//! `TAIL`, or the later unconnected parts of a tail's day, `TAIL/2`, `TAIL/3`, ...), and a
//! [`CrewRecoveryPlan`] on a [`CrewDisruption`]. [`apply`] reads both back onto the schedule:
//!
//! - **Cancelled legs**: every planned flight no aircraft of the plan flies ([`AppliedPlan::cancelled`]).
//! - **Retimed legs**: the plan's departure *less the delay the problem imposed* (route delays and block-time
//!   inflation become imposed delays on the aircraft side, but a simulator models them itself, in the air:
//!   passing them on again would count them twice); only departures later than scheduled are listed
//!   ([`AppliedPlan::retimed`]). The legs keep their scheduled times in the schedule, so a delay is still
//!   measured against the timetable the passengers hold.
//! - **Tail swaps**: a leg flown by another aircraft gets that aircraft's tail.
//! - **New flights** (ferries, replacement flights) are *not* added: a simulator would count them as
//!   scheduled flights, and one that bridges a gap in a rotation does it for free anyway. Each is listed in
//!   [`AppliedPlan::not_replayed`], as is a rotation the plan flies in another order than the timetable's.
//! - **Crew**: each affected crew member's affected pairings are replaced by the plan's pairings; each
//!   reserve the plan calls joins the crew (after everyone else) with their pairing. Plan pairings get fresh
//!   ids above every pairing of the schedule (two crew members may share a pairing as planned, so an old id
//!   cannot be reused), numbered in crew-id order.
//! - **Duty reports**: the crew plan reports a retimed duty at its new time, but the schedule keeps the
//!   timetable's departures, and a [`Schedule`] refuses a leg that departs before its duty reports. Such a
//!   report is moved back to the leg's scheduled departure (counted in the notes): the crew are there early,
//!   and the duty clock of the simulator starts earlier than the plan meant — a cautious reading.
//! - **Legs a schedule cannot hold in a pairing**: a plan may connect two legs only at their retimed times
//!   (the second one's timetable departure is before the first one's timetable arrival), or leave a member
//!   away from base (a sick member's remaining legs, a declared stranding). A [`Schedule`]'s pairings connect
//!   at timetable times and come home, so such a leg is left out of the member's pairing — with the legs
//!   after it until the member's sequence departs from where they are again, and the legs after their last
//!   arrival at base — and listed ([`AppliedPlan::dropped_segments`]); the simulator flies those legs without
//!   that member.
//!
//! The result is checked by [`Schedule::new`] like any schedule; a plan that names a crew member the
//! disruption does not touch or a leg the schedule does not have is refused with an error that names them.

use std::collections::{BTreeMap, BTreeSet};

use super::crew::{
    CrewDisruption, CrewRecoveryError, CrewRecoveryPlan, CrewRecoveryProblem, Reserve,
};
use super::plan::{PlanFlight, RecoveryPlan};
use super::problem::{FlightDisruption, FlightIdx, RecoveryProblem};
use crate::ids::{AirportCode, CrewId, LegId, PairingId, TailId};
use crate::pairing::{Duty, Pairing, RosterAssignment};
use crate::schedule::{ModelError, Schedule};
use crate::time::{Minutes, UtcMinute};

/// A plan that cannot be read back onto its schedule.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApplyError {
    #[error("aircraft plan: flight {number} (leg {number} of the schedule) is not a leg of the schedule")]
    UnknownLeg { number: u32 },
    #[error("aircraft plan: aircraft {aircraft:?} flies leg {leg}, but its tail {tail} is not in the fleet")]
    UnknownTail {
        aircraft: String,
        leg: LegId,
        tail: String,
    },
    #[error("aircraft plan: {aircraft_count} aircraft rotations for a problem of {problem_count} aircraft")]
    Rotations {
        aircraft_count: usize,
        problem_count: usize,
    },
    #[error("crew plan: the disruption does not fit the schedule: {0}")]
    CrewProblem(#[from] CrewRecoveryError),
    #[error("crew plan: crew member {crew} is neither affected by the disruption nor a reserve")]
    NotAffected { crew: CrewId },
    #[error("crew plan: crew member {crew}, pairing {pairing}: leg {leg} {problem}")]
    Pairing {
        crew: CrewId,
        pairing: PairingId,
        leg: LegId,
        problem: String,
    },
    #[error("the schedule with the plan applied is inconsistent: {0}")]
    Schedule(#[from] ModelError),
}

/// A schedule with a plan applied, and what the plan changes that the schedule cannot show by itself.
#[derive(Clone, Debug)]
pub struct AppliedPlan {
    /// The schedule as planned after recovery: legs at their timetable times (with their new tails), the
    /// crew's new pairings and the called reserves.
    pub schedule: Schedule,
    /// Legs the plan does not fly, by id.
    pub cancelled: Vec<LegId>,
    /// Legs the plan holds, with their new earliest departure (imposed delays taken off), by id.
    pub retimed: Vec<(LegId, UtcMinute)>,
    /// Legs flown by another tail than planned, with that tail, by id.
    pub tail_swaps: Vec<(LegId, TailId)>,
    /// Reserves the crew plan calls, by id (they are the last crew members of `schedule`), with the day
    /// they stand by.
    pub reserves_called: Vec<Reserve>,
    /// Segments of the crew plan no pairing of the schedule can hold (see the module documentation), by
    /// crew member and leg: the legs fly without that member.
    pub dropped_segments: Vec<(CrewId, LegId)>,
    /// What the schedule does not carry of the plan, in words (the dropped segments apart: which of them
    /// matter depends on the days simulated).
    pub not_replayed: Vec<String>,
}

/// The leg changes of an aircraft plan (see the module documentation).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AircraftChanges {
    pub cancelled: Vec<LegId>,
    pub retimed: Vec<(LegId, UtcMinute)>,
    pub tail_swaps: Vec<(LegId, TailId)>,
    pub not_replayed: Vec<String>,
}

/// The tail of a problem aircraft id: `N123` and `N123/2` are both tail `N123`.
pub fn tail_of_aircraft(id: &str) -> &str {
    id.split('/').next().unwrap_or(id)
}

/// Reads an aircraft plan on a problem built from `schedule` as leg changes.
pub fn aircraft_changes(
    schedule: &Schedule,
    problem: &RecoveryProblem,
    plan: &RecoveryPlan,
) -> Result<AircraftChanges, ApplyError> {
    if plan.rotations.len() != problem.aircraft.len() {
        return Err(ApplyError::Rotations {
            aircraft_count: plan.rotations.len(),
            problem_count: problem.aircraft.len(),
        });
    }
    let leg_of = |f: FlightIdx| -> Result<LegId, ApplyError> {
        let number = problem.flight(f).number;
        schedule
            .leg(LegId(number))
            .map(|l| l.id)
            .ok_or(ApplyError::UnknownLeg { number })
    };
    let mut changes = AircraftChanges::default();
    let mut flown = vec![false; problem.flights.len()];
    for (a, rotation) in plan.rotations.iter().enumerate() {
        let aircraft = &problem.aircraft[a];
        let mut new_flights = 0;
        let mut previous_out: Option<UtcMinute> = None;
        let mut out_of_order = false;
        for operated in rotation {
            let f = match operated.flight {
                PlanFlight::Planned(f) => f,
                PlanFlight::New(_) => {
                    new_flights += 1;
                    continue;
                }
            };
            flown[f.index()] = true;
            let flight = problem.flight(f);
            let id = leg_of(f)?;
            let leg = schedule
                .leg(id)
                .ok_or(ApplyError::UnknownLeg { number: id.0 })?;
            if previous_out.is_some_and(|p| leg.scheduled_out < p) {
                out_of_order = true;
            }
            previous_out = Some(leg.scheduled_out);
            let imposed = match flight.disruption {
                Some(FlightDisruption::Delayed(d)) => d,
                _ => Minutes(0),
            };
            let earliest_out = operated.departure - imposed;
            if earliest_out > leg.scheduled_out {
                changes.retimed.push((id, earliest_out));
            }
            let tail = tail_of_aircraft(&aircraft.id);
            if leg.tail.as_ref().map(TailId::as_str) != Some(tail) {
                let tail_id = schedule
                    .tail(&TailId::new(tail))
                    .map(|t| t.tail.clone())
                    .ok_or_else(|| ApplyError::UnknownTail {
                        aircraft: aircraft.id.clone(),
                        leg: id,
                        tail: tail.to_string(),
                    })?;
                changes.tail_swaps.push((id, tail_id));
            }
        }
        if new_flights > 0 {
            changes.not_replayed.push(format!(
                "aircraft {}: {new_flights} flight(s) the plan creates (ferries) are not flown in the twin; \
                 it moves a tail to the next leg's origin itself",
                aircraft.id
            ));
        }
        if out_of_order {
            changes.not_replayed.push(format!(
                "aircraft {}: the plan flies its legs in another order than the timetable; the twin flies a \
                 tail's legs in timetable order",
                aircraft.id
            ));
        }
    }
    for (f, &was_flown) in flown.iter().enumerate() {
        if !was_flown {
            changes.cancelled.push(leg_of(FlightIdx(f as u32))?);
        }
    }
    changes.cancelled.sort();
    changes.retimed.sort();
    changes.tail_swaps.sort();
    Ok(changes)
}

/// Applies an aircraft plan and a crew plan (either may be absent) to `schedule`.
pub fn apply(
    schedule: &Schedule,
    aircraft: Option<(&RecoveryProblem, &RecoveryPlan)>,
    crew: Option<(&CrewDisruption, &CrewRecoveryPlan)>,
) -> Result<AppliedPlan, ApplyError> {
    let changes = match aircraft {
        Some((problem, plan)) => aircraft_changes(schedule, problem, plan)?,
        None => AircraftChanges::default(),
    };
    let mut parts = schedule.parts().clone();
    let swaps: BTreeMap<LegId, &TailId> = changes.tail_swaps.iter().map(|(l, t)| (*l, t)).collect();
    for leg in &mut parts.legs {
        if let Some(tail) = swaps.get(&leg.id) {
            leg.tail = Some((*tail).clone());
        }
    }
    let mut not_replayed = changes.not_replayed;
    let mut reserves_called = Vec::new();
    let mut dropped_segments = Vec::new();

    if let Some((disruption, plan)) = crew {
        let problem = CrewRecoveryProblem::new(schedule, disruption.clone())?;
        let timetable: BTreeMap<LegId, Timetabled> = parts
            .legs
            .iter()
            .map(|l| {
                let t = Timetabled {
                    out: l.scheduled_out,
                    arrival: l.scheduled_in,
                    origin: l.origin,
                    destination: l.destination,
                };
                (l.id, t)
            })
            .collect();
        let mut next_id = parts.pairings.iter().map(|p| p.id.0).max().unwrap_or(0) + 1;
        let mut removed: BTreeSet<(CrewId, PairingId)> = BTreeSet::new();
        let mut new_pairings = Vec::new();
        let mut new_rosters = Vec::new();
        let mut moved_reports = 0usize;
        for (crew_id, pairings) in &plan.rosters {
            if let Some(affected) = problem.affected_crew(crew_id) {
                removed.extend(affected.pairings.iter().map(|&p| (crew_id.clone(), p)));
            } else if let Some(reserve) = problem.reserve(crew_id) {
                if pairings.is_empty() {
                    continue;
                }
                if !parts.crew.iter().any(|m| &m.id == crew_id) {
                    parts.crew.push(reserve.member.clone());
                }
                reserves_called.push(reserve.clone());
            } else {
                return Err(ApplyError::NotAffected {
                    crew: crew_id.clone(),
                });
            }
            let mut dropped = Vec::new();
            for pairing in pairings {
                let fitted = fit_to_timetable(crew_id, pairing, &timetable)?;
                moved_reports += fitted.moved_reports;
                dropped.extend(fitted.dropped);
                let Some(mut p) = fitted.pairing else {
                    continue;
                };
                p.id = PairingId(next_id);
                next_id += 1;
                new_rosters.push(RosterAssignment {
                    crew: crew_id.clone(),
                    pairing: p.id,
                });
                new_pairings.push(p);
            }
            dropped_segments.extend(dropped.into_iter().map(|leg| (crew_id.clone(), leg)));
        }
        parts
            .rosters
            .retain(|r| !removed.contains(&(r.crew.clone(), r.pairing)));
        // A pairing nobody flies any more leaves the schedule; one still flown by a crew-mate stays.
        let dropped: BTreeSet<PairingId> = removed.iter().map(|(_, p)| *p).collect();
        let still_flown: BTreeSet<PairingId> = parts.rosters.iter().map(|r| r.pairing).collect();
        parts
            .pairings
            .retain(|p| !dropped.contains(&p.id) || still_flown.contains(&p.id));
        parts.pairings.extend(new_pairings);
        parts.rosters.extend(new_rosters);
        if moved_reports > 0 {
            not_replayed.push(format!(
                "{moved_reports} duty report(s) of the crew plan come after the retimed leg's timetable \
                 departure; they report at that departure instead (earlier than the plan, a cautious reading \
                 of the duty clock)"
            ));
        }
    }
    let schedule = Schedule::new(parts)?;
    Ok(AppliedPlan {
        schedule,
        cancelled: changes.cancelled,
        retimed: changes.retimed,
        tail_swaps: changes.tail_swaps,
        reserves_called,
        dropped_segments,
        not_replayed,
    })
}

/// A leg as the timetable has it.
#[derive(Clone, Copy)]
struct Timetabled {
    out: UtcMinute,
    arrival: UtcMinute,
    origin: AirportCode,
    destination: AirportCode,
}

/// A plan pairing made valid on the timetable's times.
struct Fitted {
    /// `None` when no leg is left.
    pairing: Option<Pairing>,
    moved_reports: usize,
    /// Segments left out, in order.
    dropped: Vec<LegId>,
}

/// Makes a plan pairing (built on the disrupted times) valid on the timetable's times, as a [`Schedule`]
/// requires: a duty reporting after its first leg's timetable departure reports at that departure; a leg
/// that departs (in the timetable) before the member is there — the plan connects it only at retimed times —
/// is left out, and so are the legs after it until the member's sequence departs from where they are
/// again; legs after the member's last arrival at base are left out, so the pairing comes home. An error if a
/// segment names a leg the schedule does not have.
fn fit_to_timetable(
    crew: &CrewId,
    pairing: &Pairing,
    timetable: &BTreeMap<LegId, Timetabled>,
) -> Result<Fitted, ApplyError> {
    let mut fitted = Fitted {
        pairing: None,
        moved_reports: 0,
        dropped: Vec::new(),
    };
    let mut at = pairing.base;
    let mut previous_release: Option<UtcMinute> = None;
    let mut duties: Vec<Duty> = Vec::new();
    for duty in &pairing.duties {
        let mut kept = Vec::new();
        let mut ready = previous_release;
        let mut last_arrival = None;
        for s in &duty.segments {
            let t = timetable.get(&s.leg).ok_or_else(|| ApplyError::Pairing {
                crew: crew.clone(),
                pairing: pairing.id,
                leg: s.leg,
                problem: "is not a leg of the schedule".into(),
            })?;
            if t.origin != at || ready.is_some_and(|r| t.out < r) {
                fitted.dropped.push(s.leg);
                continue;
            }
            kept.push(*s);
            at = t.destination;
            ready = Some(t.arrival);
            last_arrival = Some(t.arrival);
        }
        let (Some(first), Some(last_arrival)) = (kept.first(), last_arrival) else {
            continue;
        };
        let first_out = timetable[&first.leg].out;
        let mut report = duty.report;
        if first_out < report {
            report = first_out;
            fitted.moved_reports += 1;
        }
        if let Some(release) = previous_release {
            report = report.max(release);
        }
        let release = duty.release.max(last_arrival);
        previous_release = Some(release);
        duties.push(Duty {
            report,
            release,
            segments: kept,
        });
    }
    // Home: drop the legs after the last arrival at base.
    while at != pairing.base {
        let Some(duty) = duties.last_mut() else {
            break;
        };
        match duty.segments.pop() {
            Some(s) => fitted.dropped.push(s.leg),
            None => {
                duties.pop();
                continue;
            }
        }
        if duty.segments.is_empty() {
            duties.pop();
        }
        at = duties
            .last()
            .and_then(|d| d.segments.last())
            .map_or(pairing.base, |s| timetable[&s.leg].destination);
    }
    if !duties.is_empty() {
        fitted.pairing = Some(Pairing {
            id: pairing.id,
            airline: pairing.airline.clone(),
            base: pairing.base,
            duties,
        });
    }
    Ok(fitted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crew::{CrewMember, Rank};
    use crate::ids::{AirportCode, CarrierCode, TypeCode};
    use crate::leg::{Leg, LegSource, LegStatus, OutOffOnIn};
    use crate::pairing::{Duty, Segment, SegmentKind};
    use crate::recovery::crew::{CrewCostWeights, LegChange, ReserveSupply, SickCall};
    use crate::recovery::plan::OperatedLeg;
    use crate::recovery::problem::{
        AircraftIdx, AirportIdx, Cents, CostConfig, FamilyIdx, Flight, ModelIdx, RecoveryAircraft,
        RecoveryAirport, RecoveryProblemParts, Route, RouteClass, RouteTable, SeatConfiguration,
    };
    use crate::schedule::ScheduleParts;
    use crate::time::{Date, TimeZone};
    use crate::{Aircraft, AircraftType, Airline, Airport};

    const DAY_MIN: i64 = 15_888 * 24 * 60; // 2013-07-02 00:00 UTC
    fn at(hour: i64) -> UtcMinute {
        UtcMinute(DAY_MIN + hour * 60)
    }
    fn code(c: &str) -> AirportCode {
        AirportCode::new(c).expect("a three-letter code")
    }

    /// Two tails out and back JFK-BOS (one-hour legs), legs 1 (08:00) and 2 (09:30) on N1, 3 (09:00) and 4
    /// (11:00) on N2; captain C1 flies N1's legs, C2 N2's.
    fn schedule() -> Schedule {
        let utc = TimeZone::from_iana("America/New_York").expect("a zone");
        let airport = |c: &str| Airport {
            code: code(c),
            icao: None,
            name: c.into(),
            latitude_deg: 40.7,
            longitude_deg: -74.0,
            time_zone: utc,
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
            home_zone: utc,
        };
        let pairing = |id: u32, legs: [u32; 2], hour: i64| Pairing {
            id: PairingId(id),
            airline: CarrierCode::new("B6"),
            base: code("JFK"),
            duties: vec![Duty {
                report: at(hour) - Minutes(60),
                release: at(hour + 3) + Minutes(30),
                segments: legs
                    .iter()
                    .map(|&l| Segment {
                        leg: LegId(l),
                        kind: SegmentKind::Operating,
                    })
                    .collect(),
            }],
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
                leg(1, "JFK", "BOS", at(8), "N1"),
                leg(2, "BOS", "JFK", at(9) + Minutes(30), "N1"),
                leg(3, "JFK", "BOS", at(9), "N2"),
                leg(4, "BOS", "JFK", at(11), "N2"),
            ],
            pairings: vec![pairing(1, [1, 2], 8), pairing(2, [3, 4], 9)],
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

    /// The aircraft problem of the two tails: flight k is leg k; leg 3 has an imposed 20-minute delay.
    fn problem() -> RecoveryProblem {
        let flight = |n: u32, from: u16, to: u16, out: UtcMinute, a: u16| Flight {
            number: n,
            date: Date::new(2035, 7, 2).expect("a date"),
            origin: AirportIdx(from),
            destination: AirportIdx(to),
            scheduled_departure: out,
            scheduled_arrival: out + Minutes(60),
            previous_number: None,
            planned_aircraft: AircraftIdx(a),
            disruption: (n == 3).then_some(FlightDisruption::Delayed(Minutes(20))),
            frozen: false,
        };
        let aircraft = |id: &str| RecoveryAircraft {
            id: id.into(),
            model: ModelIdx(0),
            family: FamilyIdx(0),
            seats: SeatConfiguration {
                first: Some(0),
                business: Some(0),
                economy: Some(150),
            },
            range: Minutes(600),
            cost_per_hour: Default::default(),
            turn_round: Minutes(20),
            transit: Minutes(20),
            origin: AirportIdx(1),
            maintenance: None,
            unavailable: Vec::new(),
            ground_transport: false,
        };
        let airport = |c: &str| RecoveryAirport {
            code: code(c),
            daily_capacity: Default::default(),
            cuts: Vec::new(),
        };
        let mut routes = RouteTable::new(2);
        for (o, d) in [(0, 1), (1, 0)] {
            routes.set(
                AirportIdx(o),
                AirportIdx(d),
                Route {
                    block_time: Minutes(60),
                    class: RouteClass::Domestic,
                },
            );
        }
        RecoveryProblem::new(RecoveryProblemParts {
            window_start: Some(at(7)),
            window_end: Some(at(20)),
            airports: vec![airport("BOS"), airport("JFK")],
            routes,
            families: vec!["A320".into()],
            models: vec!["A320".into()],
            aircraft: vec![aircraft("N1"), aircraft("N2")],
            flights: vec![
                flight(1, 1, 0, at(8), 0),
                flight(2, 0, 1, at(9) + Minutes(30), 0),
                flight(3, 1, 0, at(9), 1),
                flight(4, 0, 1, at(11), 1),
            ],
            itineraries: Vec::new(),
            positions: Vec::new(),
            costs: Some(CostConfig {
                delay_per_minute: [[Cents(0); 3]; 3],
                outbound_cancellation: [[Cents(0); 3]; 3],
                return_cancellation: [[Cents(0); 3]; 3],
                downgrade: [[[Cents(0); 3]; 3]; 3],
                position_penalty_family: Cents(0),
                position_penalty_model: Cents(0),
                position_penalty_configuration: Cents(0),
                alpha: 1.0,
                beta: 1.0,
                gamma: 1.0,
            }),
        })
        .expect("the test problem is consistent")
    }

    fn operated(f: u32, out_hour: i64, extra: i64) -> OperatedLeg {
        OperatedLeg {
            flight: PlanFlight::Planned(FlightIdx(f)),
            departure: at(out_hour) + Minutes(extra),
            arrival: at(out_hour) + Minutes(60 + extra),
        }
    }

    #[test]
    fn cancelled_retimed_and_swapped_legs_are_read_off_the_plan() {
        let (schedule, problem) = (schedule(), problem());
        // N1 flies leg 1 and then N2's leg 4 an hour late; N2 flies leg 3 with its imposed 20 minutes plus
        // 10; leg 2 is flown by nobody.
        let plan = RecoveryPlan {
            rotations: vec![
                vec![operated(0, 8, 0), operated(3, 11, 60)],
                vec![operated(2, 9, 30)],
            ],
            ..RecoveryPlan::default()
        };
        let applied = apply(&schedule, Some((&problem, &plan)), None).expect("the plan applies");
        assert_eq!(applied.cancelled, vec![LegId(2)]);
        assert_eq!(
            applied.retimed,
            vec![(LegId(3), at(9) + Minutes(10)), (LegId(4), at(12))],
            "the imposed delay is the twin's own, not the plan's"
        );
        assert_eq!(applied.tail_swaps, vec![(LegId(4), TailId::new("N1"))]);
        let leg4 = applied.schedule.leg(LegId(4)).expect("leg 4 stays");
        assert_eq!(leg4.tail, Some(TailId::new("N1")));
        assert_eq!(leg4.scheduled_out, at(11), "timetable times stay");
    }

    #[test]
    fn an_aircraft_id_of_a_later_chain_names_its_tail() {
        assert_eq!(tail_of_aircraft("N123/2"), "N123");
        assert_eq!(tail_of_aircraft("N123"), "N123");
    }

    fn crew_input(sick: &str) -> CrewDisruption {
        CrewDisruption {
            t0: at(6),
            window_end: at(20),
            rule_set: "faa117".into(),
            leg_changes: Vec::new(),
            sick_calls: vec![SickCall {
                crew: CrewId::new(sick),
                from: at(6),
            }],
            reserves: ReserveSupply::default(),
            costs: CrewCostWeights::default(),
        }
    }

    #[test]
    fn a_called_reserve_joins_the_crew_with_the_sick_captains_pairing() {
        let schedule = schedule();
        let input = crew_input("C1");
        let problem = CrewRecoveryProblem::new(&schedule, input.clone()).expect("a problem");
        let reserve = problem.reserves()[0].member.id.clone();
        let original = schedule.pairing(PairingId(1)).expect("pairing 1").clone();
        let plan = CrewRecoveryPlan {
            policy: "test".into(),
            rosters: BTreeMap::from([
                (CrewId::new("C1"), Vec::new()),
                (reserve.clone(), vec![original]),
            ]),
            ..CrewRecoveryPlan::default()
        };
        let applied = apply(&schedule, None, Some((&input, &plan))).expect("the plan applies");
        let s = &applied.schedule;
        let called: Vec<&CrewId> = applied
            .reserves_called
            .iter()
            .map(|r| &r.member.id)
            .collect();
        assert_eq!(called, vec![&reserve]);
        assert_eq!(
            s.crew().last().map(|m| &m.id),
            Some(&reserve),
            "reserves come last"
        );
        assert_eq!(s.roster(&CrewId::new("C1")).count(), 0);
        let flown: Vec<LegId> = s
            .roster(&reserve)
            .flat_map(|p| p.legs().map(|l| l.leg))
            .collect();
        assert_eq!(flown, vec![LegId(1), LegId(2)]);
        assert_eq!(
            s.roster(&CrewId::new("C2")).count(),
            1,
            "others keep theirs"
        );
    }

    #[test]
    fn a_late_report_moves_back_to_the_timetable_departure() {
        let schedule = schedule();
        let mut input = crew_input("C2");
        input.sick_calls.clear();
        input.leg_changes = vec![(
            LegId(1),
            LegChange::Retimed {
                out: at(10),
                arrival: at(11),
            },
        )];
        // C1 reports at 09:00 for leg 1 retimed to 10:00 (timetable 08:00).
        let mut late = schedule.pairing(PairingId(1)).expect("pairing 1").clone();
        late.duties[0].report = at(9);
        let plan = CrewRecoveryPlan {
            policy: "test".into(),
            rosters: BTreeMap::from([(CrewId::new("C1"), vec![late])]),
            ..CrewRecoveryPlan::default()
        };
        let applied = apply(&schedule, None, Some((&input, &plan))).expect("the plan applies");
        let p = applied
            .schedule
            .roster(&CrewId::new("C1"))
            .next()
            .expect("C1 keeps a pairing");
        assert_eq!(p.duties[0].report, at(8));
        assert!(p.id.0 > 2, "a fresh pairing id");
        assert_eq!(applied.not_replayed.len(), 1);
    }

    #[test]
    fn a_plan_for_someone_unaffected_is_refused_by_name() {
        let schedule = schedule();
        let input = crew_input("C1");
        let plan = CrewRecoveryPlan {
            rosters: BTreeMap::from([(CrewId::new("C2"), Vec::new())]),
            ..CrewRecoveryPlan::default()
        };
        let err = apply(&schedule, None, Some((&input, &plan))).expect_err("C2 is not affected");
        assert!(err.to_string().contains("C2"), "{err}");
    }

    #[test]
    fn a_leg_the_plan_connects_only_at_retimed_times_is_flown_without_the_member_and_named() {
        let schedule = schedule();
        let input = crew_input("C1");
        // C1 would fly leg 3 (in 10:00) then leg 2 (out 09:30 in the timetable).
        let mut p = schedule.pairing(PairingId(1)).expect("pairing 1").clone();
        p.duties[0].segments[0].leg = LegId(3);
        p.duties[0].report = at(8);
        let plan = CrewRecoveryPlan {
            rosters: BTreeMap::from([(CrewId::new("C1"), vec![p])]),
            ..CrewRecoveryPlan::default()
        };
        let applied = apply(&schedule, None, Some((&input, &plan))).expect("the plan applies");
        // Without leg 2 the pairing would end in Boston: leg 3 goes too.
        assert_eq!(applied.schedule.roster(&CrewId::new("C1")).count(), 0);
        let c1 = CrewId::new("C1");
        assert_eq!(
            applied.dropped_segments,
            vec![(c1.clone(), LegId(2)), (c1, LegId(3))]
        );
    }

    #[test]
    fn legs_that_leave_a_member_away_from_base_are_flown_without_them() {
        let schedule = schedule();
        let input = crew_input("C1");
        // A plan that flies C1 to Boston on leg 1 and leaves them there (stranded, as plans may declare).
        let mut p = schedule.pairing(PairingId(1)).expect("pairing 1").clone();
        p.duties[0].segments.truncate(1);
        let plan = CrewRecoveryPlan {
            rosters: BTreeMap::from([(CrewId::new("C1"), vec![p])]),
            stranded: BTreeMap::from([(CrewId::new("C1"), "in Boston".to_string())]),
            ..CrewRecoveryPlan::default()
        };
        let applied = apply(&schedule, None, Some((&input, &plan))).expect("the plan applies");
        assert_eq!(applied.schedule.roster(&CrewId::new("C1")).count(), 0);
        assert_eq!(
            applied.dropped_segments,
            vec![(CrewId::new("C1"), LegId(1))]
        );
    }

    #[test]
    fn a_leg_the_member_cannot_reach_in_time_is_dropped_and_the_rest_kept() {
        let schedule = schedule();
        let input = crew_input("C1");
        // Legs 1 and 2 as planned, then leg 3, which leaves JFK at 09:00 in the timetable, before leg 2
        // brings C1 back at 10:30.
        let mut p = schedule.pairing(PairingId(1)).expect("pairing 1").clone();
        p.duties[0].segments.push(Segment {
            leg: LegId(3),
            kind: SegmentKind::Operating,
        });
        let plan = CrewRecoveryPlan {
            rosters: BTreeMap::from([(CrewId::new("C1"), vec![p])]),
            ..CrewRecoveryPlan::default()
        };
        let applied = apply(&schedule, None, Some((&input, &plan))).expect("the plan applies");
        let flown: Vec<LegId> = applied
            .schedule
            .roster(&CrewId::new("C1"))
            .flat_map(|p| p.legs().map(|l| l.leg))
            .collect();
        assert_eq!(flown, vec![LegId(1), LegId(2)]);
        assert_eq!(
            applied.dropped_segments,
            vec![(CrewId::new("C1"), LegId(3))]
        );
    }
}
