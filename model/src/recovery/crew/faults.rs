//! What the judge finds wrong with a plan's structure, as types: [`CrewProblem`] for a crew member's roster
//! or the plan as a whole, [`PairingFault`] and [`DutyFault`] for a pairing or a duty of one. Breaches of
//! the flight-time-limitation rules are not here: they are the rule engine's
//! [`Violation`](crate::legality::Violation)s. Each one's `Display` is the sentence a controller reads, and
//! it serializes as that sentence.

use std::fmt;

use crate::crew::Rank;
use crate::ids::{AirportCode, CarrierCode, CrewId, LegId, PairingId, TypeCode};
use crate::legality::LegalityError;
use crate::time::{Minutes, UtcMinute};

/// A structural fault of a plan: in one crew member's roster ([`super::judge_roster`]) or in the plan as a
/// whole ([`super::evaluate`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CrewProblem {
    /// The plan gives a roster to someone who is neither a crew member nor a reserve.
    UnknownCrew { crew: CrewId },
    /// The plan changes the roster of a crew member the disruption does not touch.
    NotAffected { crew: CrewId },
    /// A reserve covers one call-out, and the plan calls them for more.
    ReserveCalledMoreThanOnce { crew: CrewId, pairings: usize },
    /// A reserve reports outside their standby.
    ReserveOutsideStandby {
        crew: CrewId,
        report: UtcMinute,
        from: UtcMinute,
        until: UtcMinute,
    },
    /// The plan changes what a crew member flew before the window opened.
    PastChanged { crew: CrewId, t0: UtcMinute },
    /// A fault of one of the crew member's pairings.
    InPairing {
        pairing: PairingId,
        fault: PairingFault,
    },
    /// A fault of one duty (numbered from 1) of one of the crew member's pairings.
    InDuty {
        pairing: PairingId,
        duty: usize,
        fault: DutyFault,
    },
    /// A pairing ends away from base, and the plan does not declare the crew member stranded.
    EndsAwayUndeclared {
        pairing: PairingId,
        crew: CrewId,
        at: AirportCode,
        base: AirportCode,
    },
    /// The rule engine cannot read the roster.
    RuleEngine { crew: CrewId, error: LegalityError },
    /// An affected crew member has no roster in the plan.
    AffectedWithoutRoster { crew: CrewId },
    /// A crew member declared stranded has no roster in the plan.
    StrandedWithoutRoster { crew: CrewId },
    /// Two crew members' pairings share an id.
    PairingIdTwice {
        pairing: PairingId,
        first: CrewId,
        second: CrewId,
    },
    /// A new pairing takes the id of a pairing the plan keeps.
    PairingIdOfKeptPairing { pairing: PairingId, crew: CrewId },
    /// A leg is declared uncovered for a rank that has no open seat on it.
    UncoveredWithoutOpenSeat { leg: LegId, rank: Rank },
    /// More crew of a rank fly a leg than it has open seats.
    SeatsFlownTooOften {
        leg: LegId,
        rank: Rank,
        flown: u32,
        open: u32,
    },
    /// The seats left empty on a leg are not the ones the plan declares uncovered.
    UndeclaredEmptySeats {
        leg: LegId,
        rank: Rank,
        empty: u32,
        declared: u32,
    },
}

/// A fault of a pairing as a whole.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PairingFault {
    /// The pairing belongs to another airline than the crew member's.
    OtherAirline {
        crew: CrewId,
        pairing_airline: CarrierCode,
        crew_airline: CarrierCode,
    },
    /// The pairing is based elsewhere than the crew member.
    OtherBase {
        crew: CrewId,
        pairing_base: AirportCode,
        crew_base: AirportCode,
    },
    /// The pairing has no duties.
    NoDuties,
}

/// A fault of one duty of a pairing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DutyFault {
    /// The duty has no legs.
    NoLegs,
    ReleaseNotAfterReport {
        report: UtcMinute,
        release: UtcMinute,
    },
    ReportBeforePreviousRelease {
        report: UtcMinute,
    },
    /// A duty reported before `t0` that no rostered duty reported at: the plan invents the past.
    ReportBeforeT0 {
        report: UtcMinute,
        t0: UtcMinute,
    },
    UnknownLeg {
        leg: LegId,
    },
    /// The leg leaves from another airport than the one the crew is at.
    Disconnected {
        leg: LegId,
        origin: AirportCode,
        crew_at: AirportCode,
    },
    CancelledLeg {
        leg: LegId,
    },
    /// A new duty's first leg leaves sooner after report than `need`.
    ReportTooLate {
        leg: LegId,
        out: UtcMinute,
        need: Minutes,
        report: UtcMinute,
    },
    /// A leg leaves sooner after the previous arrival than `need` (a change of aircraft needs a
    /// connection).
    ConnectionTooShort {
        leg: LegId,
        out: UtcMinute,
        need: Minutes,
        arrival: UtcMinute,
    },
    /// The leg is another airline's.
    OtherAirlinesLeg {
        leg: LegId,
        carrier: CarrierCode,
        crew_airline: CarrierCode,
    },
    OperatesWhileSick {
        crew: CrewId,
        sick_from: UtcMinute,
        leg: LegId,
    },
    NotQualified {
        crew: CrewId,
        type_code: TypeCode,
        leg: LegId,
    },
    /// The crew member operates a leg that has no open seat of their rank.
    NoOpenSeat {
        leg: LegId,
        rank: Rank,
    },
    /// The crew member operates a leg departing at or after the window's end that they were not rostered
    /// on: the plan does not re-crew legs beyond its window.
    BeyondWindow {
        leg: LegId,
        out: UtcMinute,
        window_end: UtcMinute,
    },
    /// The duty releases sooner after its last arrival than `need`.
    ReleaseTooEarly {
        release: UtcMinute,
        need: Minutes,
        last_arrival: UtcMinute,
    },
}

impl fmt::Display for CrewProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CrewProblem::UnknownCrew { crew } => {
                write!(f, "{crew} is neither a crew member nor a reserve")
            }
            CrewProblem::NotAffected { crew } => write!(
                f,
                "{crew} is not affected by the disruption, so the plan may not change their roster"
            ),
            CrewProblem::ReserveCalledMoreThanOnce { crew, pairings } => write!(
                f,
                "reserve {crew} covers one call-out, not {pairings} pairings"
            ),
            CrewProblem::ReserveOutsideStandby {
                crew,
                report,
                from,
                until,
            } => write!(
                f,
                "reserve {crew} reports at {report}, outside their standby {from} to {until}"
            ),
            CrewProblem::PastChanged { crew, t0 } => write!(
                f,
                "{crew}'s segments on legs that departed before t0 {t0} differ from the roster"
            ),
            CrewProblem::InPairing { pairing, fault } => write!(f, "pairing {pairing}: {fault}"),
            CrewProblem::InDuty {
                pairing,
                duty,
                fault,
            } => write!(f, "pairing {pairing} duty {duty}: {fault}"),
            CrewProblem::EndsAwayUndeclared {
                pairing,
                crew,
                at,
                base,
            } => write!(
                f,
                "pairing {pairing} ends at {at}, not at {crew}'s base {base}, and the plan does not say \
                 {crew} is stranded"
            ),
            CrewProblem::RuleEngine { crew, error } => {
                write!(f, "the rule engine cannot read {crew}'s roster: {error}")
            }
            CrewProblem::AffectedWithoutRoster { crew } => {
                write!(f, "affected crew member {crew} has no roster in the plan")
            }
            CrewProblem::StrandedWithoutRoster { crew } => write!(
                f,
                "{crew} is declared stranded but has no roster in the plan"
            ),
            CrewProblem::PairingIdTwice {
                pairing,
                first,
                second,
            } => write!(f, "pairing id {pairing} is used for {first} and {second}"),
            CrewProblem::PairingIdOfKeptPairing { pairing, crew } => write!(
                f,
                "pairing id {pairing} of {crew} is the id of a pairing the plan keeps"
            ),
            CrewProblem::UncoveredWithoutOpenSeat { leg, rank } => write!(
                f,
                "leg {leg} is declared uncovered for a {rank}, but has no open {rank} seat"
            ),
            CrewProblem::SeatsFlownTooOften {
                leg,
                rank,
                flown,
                open,
            } => write!(f, "leg {leg} has {flown} {rank}s flying {open} open seats"),
            CrewProblem::UndeclaredEmptySeats {
                leg,
                rank,
                empty,
                declared,
            } => write!(
                f,
                "leg {leg}: {empty} {rank} seats are empty, the plan declares {declared}"
            ),
        }
    }
}

impl fmt::Display for PairingFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PairingFault::OtherAirline {
                crew,
                pairing_airline,
                crew_airline,
            } => write!(
                f,
                "of airline {pairing_airline}, not {crew}'s {crew_airline}"
            ),
            PairingFault::OtherBase {
                crew,
                pairing_base,
                crew_base,
            } => write!(
                f,
                "based at {pairing_base}, not at {crew}'s base {crew_base}"
            ),
            PairingFault::NoDuties => f.write_str("has no duties"),
        }
    }
}

impl fmt::Display for DutyFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DutyFault::NoLegs => f.write_str("has no legs"),
            DutyFault::ReleaseNotAfterReport { report, release } => {
                write!(f, "releases at {release}, not after its report at {report}")
            }
            DutyFault::ReportBeforePreviousRelease { report } => {
                write!(f, "reports at {report} before the previous duty's release")
            }
            DutyFault::ReportBeforeT0 { report, t0 } => write!(
                f,
                "reports at {report}, before t0 {t0}, but no rostered duty did"
            ),
            DutyFault::UnknownLeg { leg } => write!(f, "leg {leg} is not in the schedule"),
            DutyFault::Disconnected {
                leg,
                origin,
                crew_at,
            } => write!(f, "leg {leg} leaves {origin}, but the crew is at {crew_at}"),
            DutyFault::CancelledLeg { leg } => write!(f, "leg {leg} is cancelled"),
            DutyFault::ReportTooLate {
                leg,
                out,
                need,
                report,
            } => write!(
                f,
                "leg {leg} leaves at {out}, less than {need} after the report at {report}"
            ),
            DutyFault::ConnectionTooShort {
                leg,
                out,
                need,
                arrival,
            } => write!(
                f,
                "leg {leg} leaves at {out}, less than {need} after the arrival at {arrival}"
            ),
            DutyFault::OtherAirlinesLeg {
                leg,
                carrier,
                crew_airline,
            } => write!(f, "leg {leg} is flown by {carrier}, not {crew_airline}"),
            DutyFault::OperatesWhileSick {
                crew,
                sick_from,
                leg,
            } => write!(
                f,
                "{crew} is out sick from {sick_from} but operates leg {leg}"
            ),
            DutyFault::NotQualified {
                crew,
                type_code,
                leg,
            } => write!(f, "{crew} is not qualified on {type_code} (leg {leg})"),
            DutyFault::NoOpenSeat { leg, rank } => write!(f, "leg {leg} has no open {rank} seat"),
            DutyFault::BeyondWindow {
                leg,
                out,
                window_end,
            } => write!(
                f,
                "leg {leg} departs at {out}, after the recovery window ends at {window_end}: only its rostered crew fly it"
            ),
            DutyFault::ReleaseTooEarly {
                release,
                need,
                last_arrival,
            } => write!(
                f,
                "releases at {release}, less than {need} after the last arrival at {last_arrival}"
            ),
        }
    }
}

impl serde::Serialize for CrewProblem {
    /// As the sentence a controller reads.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_read_as_the_judge_words_them() {
        let (leg, t) = (LegId(7), UtcMinute(21_600));
        let in_duty = CrewProblem::InDuty {
            pairing: PairingId(12),
            duty: 2,
            fault: DutyFault::ConnectionTooShort {
                leg,
                out: t,
                need: Minutes(30),
                arrival: UtcMinute(21_590),
            },
        };
        assert_eq!(
            in_duty.to_string(),
            "pairing 12 duty 2: leg 7 leaves at 1970-01-16T00:00Z, less than 0:30 after the arrival at \
             1970-01-15T23:50Z"
        );
        let plan = CrewProblem::UndeclaredEmptySeats {
            leg,
            rank: Rank::Captain,
            empty: 1,
            declared: 0,
        };
        assert_eq!(
            plan.to_string(),
            "leg 7: 1 captain seats are empty, the plan declares 0"
        );
        assert_eq!(
            serde_json::to_string(&plan).unwrap(),
            "\"leg 7: 1 captain seats are empty, the plan declares 0\""
        );
    }
}
