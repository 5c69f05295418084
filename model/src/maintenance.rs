//! Scheduled maintenance as airlines plan it: check intervals from public maintenance-programme practice,
//! the usage a tail has flown since its last check, when the next check falls due, and the overnight or
//! hangar block it takes the tail out of service for.
//!
//! A check is due at the first of its limits to be reached — flight hours, flight cycles (one take-off and
//! landing) or calendar days since the last one — "whichever comes first", as maintenance planning
//! documents state them. The numbers are practice, not regulation: each operator's approved programme
//! (its CAMP under FAA oversight) sets its own, escalated from the manufacturer's planning document. They
//! live in [`PROGRAMMES`] with their sources; code reads that table.
//!
//! ```
//! use ucodts_model::maintenance::{programme_for_family, CheckKind, Usage};
//!
//! let a = programme_for_family("A320").check(CheckKind::A).unwrap();
//! let flown = Usage { flight_hours: 600.0, cycles: 350.0, days: 60.0 };
//! // 10 flight hours and 6 cycles a day: the 750 flight hours are reached first, in 15 days.
//! let due = a.days_until_due(flown, Usage { flight_hours: 10.0, cycles: 6.0, days: 1.0 });
//! assert_eq!(due.days.round(), 15.0);
//! assert_eq!(due.limit, "flight hours");
//! ```

use crate::ids::{AirportCode, TailId};
use crate::time::{Date, Minutes, TimeZone, UtcMinute};

/// The kinds of scheduled check in the letter-check system.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum CheckKind {
    /// The light check, done overnight at a line station or hangar.
    A,
    /// The heavy (base) check, weeks in a hangar at a maintenance base.
    C,
}

/// One check of a programme: its limits and how long the tail is out of service.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CheckInterval {
    pub check: CheckKind,
    /// Flight hours between checks (block hours stand in for them in the twin).
    pub flight_hours: f64,
    /// Flight cycles (take-off and landing) between checks.
    pub cycles: f64,
    /// Calendar days between checks.
    pub days: f64,
    /// How long the tail is out of service for the check.
    pub out_of_service: Minutes,
}

/// A maintenance programme: the checks that apply to a group of types, with where the numbers come from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Programme {
    /// The type families it applies to; empty for the generic programme.
    pub families: &'static [&'static str],
    pub checks: &'static [CheckInterval],
    pub source: &'static str,
}

/// Usage since the last check, or per day.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Usage {
    pub flight_hours: f64,
    pub cycles: f64,
    pub days: f64,
}

/// When a check falls due and which limit is reached first.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Due {
    /// Days from now until the first limit is reached (0 when one already is).
    pub days: f64,
    /// `"flight hours"`, `"cycles"` or `"days"`.
    pub limit: &'static str,
    /// The largest share of a limit already used (1 or more: due).
    pub share_used: f64,
}

/// The probability that a tail flying the day is removed from service for it by a technical fault: the level
/// at which the twin draws breakdowns (the fitted proxy hazard only ranks tails; its own level is that of
/// every disappearance from the record, about 17 % of tail-days at risk). **An assumption**, an order of
/// magnitude: all-cause cancellations of a young narrowbody fleet run at 0.35-0.54 % of scheduled flights
/// (AirInsight, "Analysis: A320neo flight operations, February 2017": 134 of 28,105 flights), a day-long
/// technical removal of a tail is rarer than a cancelled flight, and a tail flies several flights a day.
pub const UNSCHEDULED_REMOVAL_PER_TAIL_DAY: f64 = 0.003;

/// The programmes, most specific first; the last is the generic one every other family follows.
///
/// - **A320 family** (A318-A321): light checks every 750 flight hours, 750 cycles or 4 months, whichever comes
///   first, because most light-check tasks of the A320 maintenance planning document carry those intervals or
///   multiples of them; base (heavy) checks every 36 months, 12,000 flight hours or 8,000 cycles under the
///   block concept. Source: operator planning practice for the A320 MPD as described by Leeham News,
///   "Bjorn's Corner: Keeping airliners operational", parts 6-8 (May-June 2017), and the r/aviation and
///   planners' notes on the A320's 1A = 750 FH task group; the A check grounds the tail overnight (about 10
///   hours on the ground), the base check about two weeks.
/// - **Generic** (every other family: Boeing 737/757/767, Embraer, Bombardier, MD-80): A checks every 400-600
///   flight hours or 200-300 cycles, taking 50-70 man-hours and about 10 hours on the ground; C checks every
///   20-24 months, one to two weeks out of service. Source: the summary of the letter-check system in
///   Wikipedia, "Aircraft maintenance checks" (A, B, C and D checks; B checks are now folded into A checks),
///   with the upper ends taken (programmes escalate toward them); about every two months for the A check's
///   calendar limit (SlashGear, "How often airplanes get maintenance", 2025: every 500-800 flight hours, or
///   about every two months).
pub const PROGRAMMES: [Programme; 2] = [
    Programme {
        families: &["A320"],
        checks: &[
            CheckInterval {
                check: CheckKind::A,
                flight_hours: 750.0,
                cycles: 750.0,
                days: 120.0,
                out_of_service: Minutes(10 * 60),
            },
            CheckInterval {
                check: CheckKind::C,
                flight_hours: 12_000.0,
                cycles: 8_000.0,
                days: 36.0 * 30.4,
                out_of_service: Minutes(14 * 24 * 60),
            },
        ],
        source: "A320 MPD practice: light checks 750 FH / 750 FC / 4 months, base checks 36 months / 12,000 FH / 8,000 FC, whichever first (Leeham News, Bjorn's Corner: Keeping airliners operational, 2017)",
    },
    Programme {
        families: &[],
        checks: &[
            CheckInterval {
                check: CheckKind::A,
                flight_hours: 600.0,
                cycles: 300.0,
                days: 60.0,
                out_of_service: Minutes(10 * 60),
            },
            CheckInterval {
                check: CheckKind::C,
                flight_hours: 7_500.0,
                cycles: 5_000.0,
                days: 24.0 * 30.4,
                out_of_service: Minutes(14 * 24 * 60),
            },
        ],
        source: "letter-check practice: A check every 400-600 FH or 200-300 FC (about two months), C check every 20-24 months (Wikipedia, Aircraft maintenance checks; upper ends taken)",
    },
];

/// The programme a type family follows.
pub fn programme_for_family(family: &str) -> &'static Programme {
    PROGRAMMES
        .iter()
        .find(|p| p.families.contains(&family))
        .unwrap_or(&PROGRAMMES[PROGRAMMES.len() - 1])
}

impl Programme {
    /// The interval of one kind of check.
    pub fn check(&self, kind: CheckKind) -> Option<&'static CheckInterval> {
        self.checks.iter().find(|c| c.check == kind)
    }
}

impl CheckInterval {
    /// The largest share of a limit `used` has reached.
    pub fn share_used(&self, used: Usage) -> f64 {
        (used.flight_hours / self.flight_hours)
            .max(used.cycles / self.cycles)
            .max(used.days / self.days)
    }

    /// Whether a check is due after `used`.
    pub fn is_due(&self, used: Usage) -> bool {
        self.share_used(used) >= 1.0
    }

    /// Days until the first limit is reached from `used` at `per_day` (its `days` is 1 for a calendar day).
    pub fn days_until_due(&self, used: Usage, per_day: Usage) -> Due {
        let left = |limit: f64, used: f64, rate: f64| {
            if used >= limit {
                0.0
            } else if rate <= 0.0 {
                f64::INFINITY
            } else {
                (limit - used) / rate
            }
        };
        let candidates = [
            (
                left(self.flight_hours, used.flight_hours, per_day.flight_hours),
                "flight hours",
            ),
            (left(self.cycles, used.cycles, per_day.cycles), "cycles"),
            (left(self.days, used.days, 1.0), "days"),
        ];
        let (days, limit) = candidates
            .into_iter()
            .fold(
                (f64::INFINITY, "days"),
                |best, c| if c.0 < best.0 { c } else { best },
            );
        Due {
            days,
            limit,
            share_used: self.share_used(used),
        }
    }
}

/// A tail out of service for a scheduled check.
#[derive(Clone, Debug, PartialEq)]
pub struct MaintenanceBlock {
    pub tail: TailId,
    pub check: CheckKind,
    /// Where the check is done (the tail's base).
    pub airport: AirportCode,
    pub from: UtcMinute,
    pub to: UtcMinute,
}

/// Local hour at which an overnight check starts: after the last arrivals of a domestic bank.
pub const OVERNIGHT_CHECK_STARTS_LOCAL_HOUR: i64 = 22;

impl MaintenanceBlock {
    /// The block of a check done on the night of local date `night` at `airport` (zone `zone`): from
    /// [`OVERNIGHT_CHECK_STARTS_LOCAL_HOUR`] for the check's time out of service.
    pub fn overnight(
        tail: TailId,
        check: &CheckInterval,
        airport: AirportCode,
        zone: TimeZone,
        night: Date,
    ) -> MaintenanceBlock {
        let from = zone
            .to_utc(night, OVERNIGHT_CHECK_STARTS_LOCAL_HOUR * 60)
            .earliest();
        MaintenanceBlock {
            tail,
            check: check.check,
            airport,
            from,
            to: from + check.out_of_service,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_falls_due_at_the_first_limit_reached() {
        let a = programme_for_family("737").check(CheckKind::A).unwrap();
        // A regional-style day: many short cycles reach the cycle limit long before the hours.
        let due = a.days_until_due(
            Usage::default(),
            Usage {
                flight_hours: 6.0,
                cycles: 8.0,
                days: 1.0,
            },
        );
        assert_eq!(due.limit, "cycles");
        assert!((due.days - 37.5).abs() < 1e-9);
        // An idle tail still falls due on the calendar.
        let idle = a.days_until_due(Usage::default(), Usage::default());
        assert_eq!((idle.limit, idle.days), ("days", 60.0));
        // Past a limit: due now.
        let over = Usage {
            flight_hours: 601.0,
            cycles: 10.0,
            days: 5.0,
        };
        assert!(a.is_due(over));
        assert_eq!(a.days_until_due(over, Usage::default()).days, 0.0);
    }

    #[test]
    fn families_without_their_own_programme_follow_the_generic_one() {
        assert_eq!(programme_for_family("A320").families, &["A320"]);
        assert!(programme_for_family("EMB-145").families.is_empty());
        for p in &PROGRAMMES {
            let a = p.check(CheckKind::A).unwrap();
            let c = p.check(CheckKind::C).unwrap();
            assert!(a.flight_hours < c.flight_hours && a.days < c.days);
            assert!(a.out_of_service < c.out_of_service);
        }
    }

    #[test]
    fn an_overnight_check_starts_at_ten_at_night_local() {
        let ny = TimeZone::from_iana("America/New_York").unwrap();
        let a = programme_for_family("A320").check(CheckKind::A).unwrap();
        let night = Date::new(2013, 7, 2).unwrap();
        let b = MaintenanceBlock::overnight(
            TailId::new("N1"),
            a,
            AirportCode::new("JFK").unwrap(),
            ny,
            night,
        );
        assert_eq!(b.from.to_string(), "2013-07-03T02:00Z");
        assert_eq!(b.to - b.from, Minutes(600));
    }
}
