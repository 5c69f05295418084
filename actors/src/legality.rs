//! Whether a crew member would stay legal on the next leg: the one place where the twin asks a duty rule.
//!
//! Kept to one small function on purpose: the full rule engine (`ucodts_model::legality`, cumulative limits,
//! rest, augmentation) will replace [`flight_duty_limit`] here and nowhere else.
//!
//! What it checks today: the flight duty period from report to the block-in of the leg about to depart
//! (at its scheduled block time) against FAA Part 117 Table B
//! ([`ucodts_model::rules::faa117::max_flight_duty_period`]) for the report time read in the member's home
//! zone and the duty's planned flight segments. Past the limit, operations control may still let a pilot fly
//! under the 117.19 extension ([`extension_allowed`], the rule table's `unforeseen extension` row; EASA's
//! commander's discretion, ORO.FTL.205(f), is the same two hours). A duty that goes past its limit is
//! therefore one of two things ([`DutyCheck::verdict`]): a **legal extension**, within the allowance, which
//! the rules provide for exactly this (delays after report); or an **exceedance**, past the allowance, which
//! no rule allows, so the member may not fly the leg. Only exceedances are crew illegalities.
//!
//! Pilots only: Part 117 covers flightcrew members, and the flight attendant rule (14 CFR 121.467) limits
//! the *scheduled* duty period, which the crew generator keeps within 14 hours; the twin does not time
//! flight attendants out on the day (a simplification).

use ucodts_model::rules::{faa117, RuleSet};
use ucodts_model::{Minutes, Rank};

/// The longest flight duty period a member of `rank` may work on the day in a duty that reports at
/// `report_minute_of_day` (local time of the zone the member is acclimated to) with `segments` flight
/// segments; `None` for cabin crew, who are not timed out on the day.
pub fn flight_duty_limit(
    rank: Rank,
    report_minute_of_day: i64,
    segments: usize,
) -> Option<Minutes> {
    rank.is_pilot()
        .then(|| faa117::max_flight_duty_period(report_minute_of_day, segments))
}

/// How far past its limit a duty of `rank` may be extended on the day: for pilots, 14 CFR 117.19(a)(1)'s
/// unforeseen extension (2 hours, when unforeseen operational circumstances arise before takeoff), read
/// from the Part 117 parameter table; nothing for cabin crew, who are not timed out on the day.
pub fn extension_allowed(rank: Rank) -> Minutes {
    if !rank.is_pilot() {
        return Minutes(0);
    }
    faa117::Part117::embedded()
        .expect("the compiled-in Part 117 tables parse (tested in ucodts-model)")
        .unforeseen_extension()
        .map_or(Minutes(0), |a| a.max)
}

/// What a duty clock past its limit means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Within the limit.
    Within,
    /// Past the limit, within the unforeseen extension the rules allow: legal.
    LegalExtension,
    /// Past the limit and the extension: the member may not fly the leg.
    Exceedance,
}

/// What a crew member's duty clock says about the next leg.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DutyCheck {
    /// Report to block-in of the next leg, if it leaves now and flies its scheduled block.
    pub projected_duty: Minutes,
    /// The limit that applies.
    pub limit: Minutes,
}

impl DutyCheck {
    /// Whether the leg can be flown within the limit.
    pub fn is_legal(&self) -> bool {
        self.projected_duty <= self.limit
    }

    /// Within the limit, a legal extension past it for a member of `rank`, or an exceedance.
    pub fn verdict(&self, rank: Rank) -> Verdict {
        if self.is_legal() {
            Verdict::Within
        } else if self.projected_duty <= self.limit + extension_allowed(rank) {
            Verdict::LegalExtension
        } else {
            Verdict::Exceedance
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pilots_follow_table_b_and_cabin_crew_are_not_timed_out_on_the_day() {
        // Table B, report 07:00-11:59, one or two segments: 14 hours; 00:00-03:59: 9 hours.
        assert_eq!(
            flight_duty_limit(Rank::Captain, 8 * 60, 2),
            Some(Minutes::hours(14))
        );
        assert_eq!(
            flight_duty_limit(Rank::FirstOfficer, 2 * 60, 1),
            Some(Minutes::hours(9))
        );
        assert_eq!(flight_duty_limit(Rank::Cabin, 2 * 60, 1), None);
        let check = DutyCheck {
            projected_duty: Minutes::hours(9) + Minutes(1),
            limit: Minutes::hours(9),
        };
        assert!(!check.is_legal());
    }

    #[test]
    fn past_the_limit_a_pilot_is_extended_legally_for_two_hours_then_exceeds() {
        let check = |over: i64| DutyCheck {
            projected_duty: Minutes::hours(13) + Minutes(over),
            limit: Minutes::hours(13),
        };
        assert_eq!(extension_allowed(Rank::Captain), Minutes::hours(2));
        assert_eq!(check(0).verdict(Rank::Captain), Verdict::Within);
        assert_eq!(check(1).verdict(Rank::Captain), Verdict::LegalExtension);
        assert_eq!(
            check(120).verdict(Rank::FirstOfficer),
            Verdict::LegalExtension
        );
        assert_eq!(check(121).verdict(Rank::Captain), Verdict::Exceedance);
        assert_eq!(check(1).verdict(Rank::Cabin), Verdict::Exceedance);
    }
}
