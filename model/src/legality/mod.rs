//! The legality checker: applies a [`RuleSet`] to crew rosters and says, in a scheduler's words, every way a
//! roster breaks it.
//!
//! Entry points: [`check_roster`] (one crew member's roster as the schedule holds it), [`check_all`] (every
//! roster of a schedule, as a [`LegalityReport`]) and [`check_proposed`] (a roster that is not in the
//! schedule yet: a proposed change, e.g. a recovery plan's reassignment). Each [`Violation`] names the rule,
//! the table cell, the limit, the actual value, the crew member, the pairing and duty, and
//! [`Violation::explain`] puts it in a sentence.
//!
//! # What is measured
//! - **Flight duty period (FDP)**: from the duty's report to the scheduled block-in of its last *operating*
//!   leg. Deadheads before that leg are inside it; deadheads after it are duty but not FDP; a duty that only
//!   deadheads has no FDP (so neither FDP limits nor the rest owed before an FDP apply to it).
//! - **Segments** (sectors): the legs operated in the duty.
//! - **Flight time**: scheduled block (in - out) of the legs operated; deadheads are not flight time.
//! - **Duty**: report to release, every duty.
//! - **Rest**: from one duty's release to the next duty's report, whatever the pairing.
//!
//! Only what the roster holds counts: time before its first duty counts as free, flying before it as none.
//! The check uses scheduled times (it is a planning check); unforeseen-circumstance extensions
//! ([`RuleSet::unforeseen_extension`]) are for the operation, not for a plan.
//!
//! # Acclimatisation and local time
//! Report times are read as local time of the place a crew member is acclimated to. Every pairing starts at
//! the crew member's base, after the rest between pairings, so the checker takes them as acclimated to their
//! `home_zone` at the start of each pairing. Then, duty by duty:
//! - Part 117 (§117.3): a *theater* spans at most 60 degrees of longitude. A departure within 60 degrees of
//!   the theater the pilot is acclimated to (at first: the base airport's) keeps them acclimated, and the
//!   report is read in that theater's zone (at first: the home zone). So crews of a US carrier flying within
//!   the US time zones stay acclimated to home. A departure farther away makes the pilot *not acclimated*
//!   (Table B less 30 minutes, read in the old theater's time) until they have been in the new theater 72
//!   hours (counted from the release of the duty that brought them there) or have had 36 consecutive hours
//!   free before the duty; then they are acclimated to the new theater (its departure airport's zone).
//! - EASA (ORO.FTL.105(1) Table 1): the reference time starts as the home zone at the pairing's first
//!   report. For each duty, the time difference between the reference zone and the departure airport's zone
//!   and the time elapsed since reporting at the reference give state B (read the report in the reference
//!   zone), D (read it in the departure zone, which becomes the reference) or X (unknown: Table 3 applies;
//!   while Table 3 is unverified such duties are listed as unchecked, not guessed at).
//!
//! # Rest
//! - Before every FDP, the rule set's minimum rest after the previous duty's release (Part 117: 10 hours;
//!   EASA: the preceding duty or 12 hours at home base, 10 hours away, the home base being the crew member's
//!   base airport and "at home base" meaning the FDP departs from it).
//! - Part 117 §117.25(b): before every FDP, at least 30 consecutive hours free within the past 168 hours.
//! - EASA ORO.FTL.235(d): a recovery rest is a break of at least 36 hours holding 2 local nights (8 hours
//!   within 22:00-08:00 at the airport where the break is taken); no more than 168 hours may pass from the
//!   end of one to the start of the next. The time before the roster's first duty and after its last count
//!   as recovery rests.
//!
//! # Cumulative limits
//! Rolling windows ("any 168 consecutive hours") are checked exactly: the heaviest window ending in each
//! duty is found in one pass (see `windows`). Calendar windows read dates in the crew member's home zone.
//! A duty is reported at most once per limit, with the heaviest window it ends.
//!
//! EASA planned extensions (ORO.FTL.205(d), CS FTL.1.205(b)) are applied where a duty needs one and the
//! crew member is acclimatised: an FDP over Table 2 but within the extension table is legal if it is at
//! most the second extension in any 7 consecutive days.

pub(crate) mod clock;
mod roster;
mod windows;

use std::fmt;

use crate::crew::CrewMember;
use crate::ids::{CrewId, LegId, PairingId};
use crate::pairing::Pairing;
use crate::rules::{Measure, RuleSet, TableLimit};
use crate::schedule::Schedule;
use crate::time::{Minutes, TimeZone, UtcMinute};

/// What a violation is about, with what its explanation needs.
#[derive(Clone, Debug, PartialEq)]
pub enum ViolationKind {
    /// The FDP is longer than its table cell allows.
    FlightDutyPeriod {
        limit: TableLimit,
        /// Why no planned extension covered it, where one might have.
        extension: Option<String>,
    },
    /// More flight time in one FDP than its table cell allows (Part 117 Table A).
    FlightTime { limit: TableLimit },
    /// Too little rest between the previous duty's release and this FDP's report.
    RestBeforeDuty {
        previous_release: UtcMinute,
        because: String,
    },
    /// Part 117 §117.25(b): the longest free period in the lookback before this FDP is too short.
    FreePeriod { lookback: Minutes },
    /// EASA ORO.FTL.235(d): too long since the end of the last recovery rest.
    RecoveryRest {
        last_recovery_end: UtcMinute,
        recovery_min: Minutes,
        local_nights: u32,
    },
    /// A cumulative limit over a window.
    Cumulative {
        measure: Measure,
        /// The file's name for the limit: "FDP 60 h in 168 h".
        name: String,
        /// The heaviest window in words: "the 168 h ending 2013-02-07T14:30Z".
        window: String,
    },
}

impl ViolationKind {
    /// A short tag for machines: `flight_duty_period`, `flight_time`, `rest_before_duty`, `free_period`,
    /// `recovery_rest`, `cumulative`.
    pub fn tag(&self) -> &'static str {
        match self {
            ViolationKind::FlightDutyPeriod { .. } => "flight_duty_period",
            ViolationKind::FlightTime { .. } => "flight_time",
            ViolationKind::RestBeforeDuty { .. } => "rest_before_duty",
            ViolationKind::FreePeriod { .. } => "free_period",
            ViolationKind::RecoveryRest { .. } => "recovery_rest",
            ViolationKind::Cumulative { .. } => "cumulative",
        }
    }

    fn order(&self) -> u8 {
        match self {
            ViolationKind::FlightDutyPeriod { .. } => 0,
            ViolationKind::FlightTime { .. } => 1,
            ViolationKind::RestBeforeDuty { .. } => 2,
            ViolationKind::FreePeriod { .. } => 3,
            ViolationKind::RecoveryRest { .. } => 4,
            ViolationKind::Cumulative { .. } => 5,
        }
    }
}

/// One way a roster breaks a rule set.
#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    pub crew: CrewId,
    pub pairing: PairingId,
    /// The duty's number within its pairing, from 1.
    pub duty: usize,
    pub report: UtcMinute,
    /// The zone the report is read in (where the crew member is acclimated), and the local minute there.
    pub report_zone: TimeZone,
    pub report_minute_of_day: i64,
    /// Legs operated in the duty.
    pub segments: usize,
    pub kind: ViolationKind,
    /// The citation: "14 CFR 117.13 Table B", "14 CFR 117.25(e)", "EASA ORO.FTL.210(a)(1)".
    pub rule: String,
    /// The table cell or window in words: "05:00-05:59 report, 5 segments".
    pub cell: String,
    pub limit: Minutes,
    pub actual: Minutes,
}

/// "America/New_York" -> "New York".
fn place(zone: &TimeZone) -> String {
    zone.name()
        .rsplit('/')
        .next()
        .unwrap_or_else(|| zone.name())
        .replace('_', " ")
}

fn clock(minute_of_day: i64) -> String {
    format!("{:02}:{:02}", minute_of_day / 60, minute_of_day % 60)
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

impl Violation {
    /// The violation in words a scheduler understands, e.g. "Duty 2 of pairing 17 (report 05:10 New York,
    /// 5 segments) has a flight duty period of 11:45; Part 117 Table B allows 11:30 for a 05:00-05:59
    /// report with 5 segments."
    pub fn explain(&self) -> String {
        let head = format!(
            "Duty {} of pairing {} (report {} {}, {})",
            self.duty,
            self.pairing,
            clock(self.report_minute_of_day),
            place(&self.report_zone),
            plural(self.segments, "segment")
        );
        match &self.kind {
            ViolationKind::FlightDutyPeriod { limit, extension } => {
                let mut s = format!(
                    "{head} has a flight duty period of {}; {} allows {} for a {} report with {}",
                    self.actual, limit.table, self.limit, limit.row, limit.column
                );
                if let Some(r) = &limit.reduction {
                    s += &format!(
                        ", after taking off {} because the crew member is {} ({})",
                        r.by, r.because, r.rule
                    );
                }
                if let Some(e) = extension {
                    s += &format!("; {e}");
                }
                s + "."
            }
            ViolationKind::FlightTime { limit } => format!(
                "{head} holds {} of flight time; {} allows {} in a flight duty period reported {}.",
                self.actual, limit.table, self.limit, limit.row
            ),
            ViolationKind::RestBeforeDuty {
                previous_release,
                because,
            } => format!(
                "{head} follows only {} of rest after the release at {}; {} requires {} ({}).",
                self.actual, previous_release, self.rule, self.limit, because
            ),
            ViolationKind::FreePeriod { lookback } => format!(
                "Before {}, the longest time free from duty in the preceding {} h is {}; {} requires {} consecutive.",
                head.replacen("Duty", "duty", 1),
                lookback.0 / 60,
                self.actual,
                self.rule,
                self.limit
            ),
            ViolationKind::RecoveryRest {
                last_recovery_end,
                recovery_min,
                local_nights,
            } => format!(
                "{head} ends {} after the last recovery rest (at least {} including {} local nights) ended at {}; {} allows at most {}.",
                self.actual, recovery_min, local_nights, last_recovery_end, self.rule, self.limit
            ),
            ViolationKind::Cumulative {
                measure, window, ..
            } => format!(
                "With {}, {} in {} comes to {}; {} allows {}.",
                head.replacen("Duty", "duty", 1),
                measure.in_words(),
                window,
                self.actual,
                self.rule,
                self.limit
            ),
        }
    }

    fn sort_key(&self) -> (&CrewId, UtcMinute, PairingId, usize, u8, &str, &str) {
        (
            &self.crew,
            self.report,
            self.pairing,
            self.duty,
            self.kind.order(),
            &self.rule,
            &self.cell,
        )
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.crew, self.explain())
    }
}

/// A duty the checker could not check, and why (its limit lies in a table row that is not verified).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UncheckedDuty {
    pub crew: CrewId,
    pub pairing: PairingId,
    pub duty: usize,
    pub report: UtcMinute,
    pub reason: String,
}

/// The result of checking rosters.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LegalityReport {
    /// Crew members whose rosters were checked (those the rule set covers: Part 117 covers pilots only).
    pub crew_checked: usize,
    /// Crew members the rule set does not cover (cabin crew under Part 117).
    pub crew_not_covered: usize,
    /// Every violation, by crew member, then report time, pairing, duty and rule.
    pub violations: Vec<Violation>,
    /// Duties whose FDP limit could not be read, by crew member and report time.
    pub unchecked: Vec<UncheckedDuty>,
}

impl LegalityReport {
    pub fn is_legal(&self) -> bool {
        self.violations.is_empty()
    }
}

/// A proposed roster that cannot be checked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LegalityError {
    #[error("crew member {0} is not in the schedule")]
    UnknownCrew(CrewId),
    #[error("pairing {pairing}: leg {leg} is not in the schedule")]
    UnknownLeg { pairing: PairingId, leg: LegId },
    #[error("pairing {pairing}, duty {duty}: {problem}")]
    BadDuty {
        pairing: PairingId,
        duty: usize,
        problem: String,
    },
    #[error(
        "pairing {later} starts at {report}, before pairing {earlier} of the same crew member ends"
    )]
    Overlap {
        earlier: PairingId,
        later: PairingId,
        report: UtcMinute,
    },
}

/// Every violation in the roster the schedule gives this crew member, sorted. A crew id that is not in the
/// schedule has no roster and so no violations; a crew member the rule set does not cover has none either.
pub fn check_roster(schedule: &Schedule, crew: &CrewId, rules: &dyn RuleSet) -> Vec<Violation> {
    let Some(member) = schedule.crew_member(crew) else {
        return Vec::new();
    };
    let pairings: Vec<&Pairing> = schedule.roster(crew).collect();
    let mut checker = roster::Checker::new(schedule, rules);
    let mut report = LegalityReport::default();
    checker
        .check(member, &pairings, &mut report)
        .expect("a schedule's own rosters are consistent (Schedule::new checks them)");
    sort(&mut report);
    report.violations
}

/// Checks every roster of the schedule.
pub fn check_all(schedule: &Schedule, rules: &dyn RuleSet) -> LegalityReport {
    let mut checker = roster::Checker::new(schedule, rules);
    let mut report = LegalityReport::default();
    let mut pairings: Vec<&Pairing> = Vec::new();
    for member in schedule.crew() {
        pairings.clear();
        pairings.extend(schedule.roster(&member.id));
        checker
            .check(member, &pairings, &mut report)
            .expect("a schedule's own rosters are consistent (Schedule::new checks them)");
    }
    sort(&mut report);
    report
}

/// Checks a proposed roster for a crew member of the schedule: exactly `pairings`, in any order, which may
/// or may not be in the schedule (their legs must be). Use it to vet a change before applying it, e.g. the
/// member's current roster plus a pairing a recovery plan would give them.
pub fn check_proposed(
    schedule: &Schedule,
    crew: &CrewId,
    pairings: &[&Pairing],
    rules: &dyn RuleSet,
) -> Result<LegalityReport, LegalityError> {
    let member: &CrewMember = schedule
        .crew_member(crew)
        .ok_or_else(|| LegalityError::UnknownCrew(crew.clone()))?;
    let mut sorted: Vec<&Pairing> = pairings.to_vec();
    for p in &sorted {
        roster::validate(schedule, p)?;
    }
    sorted.sort_by_key(|p| (p.report(), p.id));
    for w in sorted.windows(2) {
        if w[1].report() < w[0].release() {
            return Err(LegalityError::Overlap {
                earlier: w[0].id,
                later: w[1].id,
                report: w[1].report().expect("validated pairings have duties"),
            });
        }
    }
    let mut checker = roster::Checker::new(schedule, rules);
    let mut report = LegalityReport::default();
    checker.check(member, &sorted, &mut report)?;
    sort(&mut report);
    Ok(report)
}

impl serde::Serialize for Violation {
    /// Flat, for machines: ids and times as text, spans in minutes (`limit_min`, `actual_min`), plus the
    /// sentence of [`Violation::explain`].
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut v = s.serialize_struct("Violation", 13)?;
        v.serialize_field("crew", self.crew.as_str())?;
        v.serialize_field("pairing", &self.pairing.0)?;
        v.serialize_field("duty", &self.duty)?;
        v.serialize_field("report", &self.report.to_string())?;
        v.serialize_field("report_local", &clock(self.report_minute_of_day))?;
        v.serialize_field("report_zone", self.report_zone.name())?;
        v.serialize_field("segments", &self.segments)?;
        v.serialize_field("kind", self.kind.tag())?;
        v.serialize_field("rule", &self.rule)?;
        v.serialize_field("cell", &self.cell)?;
        v.serialize_field("limit_min", &self.limit.0)?;
        v.serialize_field("actual_min", &self.actual.0)?;
        v.serialize_field("explanation", &self.explain())?;
        v.end()
    }
}

impl serde::Serialize for UncheckedDuty {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut v = s.serialize_struct("UncheckedDuty", 5)?;
        v.serialize_field("crew", self.crew.as_str())?;
        v.serialize_field("pairing", &self.pairing.0)?;
        v.serialize_field("duty", &self.duty)?;
        v.serialize_field("report", &self.report.to_string())?;
        v.serialize_field("reason", &self.reason)?;
        v.end()
    }
}

impl serde::Serialize for LegalityReport {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut v = s.serialize_struct("LegalityReport", 4)?;
        v.serialize_field("crew_checked", &self.crew_checked)?;
        v.serialize_field("crew_not_covered", &self.crew_not_covered)?;
        v.serialize_field("violations", &self.violations)?;
        v.serialize_field("unchecked", &self.unchecked)?;
        v.end()
    }
}

fn sort(report: &mut LegalityReport) {
    report
        .violations
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    report.unchecked.sort_by(|a, b| {
        (&a.crew, a.report, a.pairing, a.duty).cmp(&(&b.crew, b.report, b.pairing, b.duty))
    });
}
