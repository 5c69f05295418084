//! Operating practice: the times and shares that crew planning and operations control work with and that no
//! regulation sets — when crew report and are released, how long a connection or a sit may be, how long a
//! trip runs, how many reserves stand by and when. Public data has none of them, so each is an assumption,
//! named here once with where it comes from; the crew generator (`ucodts_datasets::crewgen`), the crew
//! recovery judge ([`crate::recovery::crew`]), the twin (`ucodts_actors`) and the crew optimizer all read
//! them from this module, so that a plan is built, judged and flown by the same numbers.
//!
//! Regulation limits are not here: they live in the rule tables under `model/rules/`, read through
//! [`crate::rules`].
//!
//! ```
//! use ucodts_model::practice::{self, ReserveSupply};
//! use ucodts_model::Minutes;
//!
//! // A duty of one 2-hour leg lasts from an hour before departure to half an hour after arrival.
//! let duty = practice::REPORT_BEFORE_DEPARTURE + Minutes::hours(2) + practice::RELEASE_AFTER_ARRIVAL;
//! assert_eq!(duty, Minutes::hours_minutes(3, 30));
//! assert_eq!(ReserveSupply::default().report_delay, practice::CALL_TO_REPORT);
//! ```

use crate::time::Minutes;

// Duties.

/// From report to the first departure of a duty. Common airline practice for domestic flights (briefing,
/// walk-around, boarding); Part 117 leaves it to the operator.
pub const REPORT_BEFORE_DEPARTURE: Minutes = Minutes(60);

/// From the last arrival of a duty to release (post-flight duties, debriefing). An assumption; Part 117
/// leaves it to the operator.
pub const RELEASE_AFTER_ARRIVAL: Minutes = Minutes(30);

/// Least time between an arrival and the next departure of a duty when the crew changes aircraft (walking to
/// another gate). An assumption. Staying on the same tail needs no time beyond the aircraft's own turn.
pub const MIN_CONNECTION_AIRCRAFT_CHANGE: Minutes = Minutes(30);

/// Longest a crew on duty waits at an airport for its next leg (sit time); a longer wait needs a rest
/// (layover) first. An assumption, in line with how airlines build pairings (sits of more than a few hours
/// are broken by a rest or avoided).
pub const MAX_SIT_IN_DUTY: Minutes = Minutes::hours(4);

// Pairings.

/// Longest a pairing runs, first report to last release: US domestic trips run one to four days. An
/// assumption.
pub const MAX_PAIRING_SPAN: Minutes = Minutes::hours(4 * 24);

/// Least time off at home between two pairings of one crew member: more than the 10 hours Part 117 asks
/// before a duty, to allow for the commute. An assumption (a rule set that asks more is kept as well).
pub const MIN_REST_AT_HOME_BETWEEN_PAIRINGS: Minutes = Minutes::hours(12);

// Calls and reserves.

/// From a controller's call to the crew member's report: airport-standby reserves are ready this soon, and
/// the crew recovery search lets a crew member called when the recovery window opens report no sooner. An
/// assumption.
pub const CALL_TO_REPORT: Minutes = Minutes(30);

/// Reserves on call each day, as a share of the crew members of an airline and rank based at an airport.
/// An assumption: airlines keep roughly a tenth of their crew on reserve, and about half of them are on
/// call on a given day. The data sets have no reserve lines.
pub const RESERVE_SHARE_OF_BASED_CREW: f64 = 0.05;

/// Local minute of the day from which airport-standby reserves stand by (05:00). An assumption: the first
/// departures of a domestic day.
pub const RESERVE_STANDBY_FROM_MINUTE_OF_DAY: i64 = 5 * 60;

/// Local minute of the day until which a reserve may report (22:00). An assumption: the last departures
/// of a domestic day.
pub const RESERVE_STANDBY_UNTIL_MINUTE_OF_DAY: i64 = 22 * 60;

/// The longest operations control holds a flight for a reserve positioning from another base, or for its
/// own crew travelling in after being left elsewhere; past it the flight is cancelled. An assumption.
pub const MAX_HOLD_FOR_CREW: Minutes = Minutes::hours(3);

// Cabin crew.

/// Cabin crew assumed for a leg whose aircraft type cannot be known (no tail, and an airline without typed
/// tails): the flight attendants 14 CFR 121.391(a) asks of a narrow body of 101 to 150 seats, the size we
/// assume an unknown type to be.
pub const UNKNOWN_TYPE_CABIN_CREW: u16 = 3;

/// How many reserves stand by, where and when: each day, per airline, crew base and rank, a share of the
/// crew members of that airline and rank based there stands by at the base airport within a window of local
/// time, ready a fixed time after a call, for one call-out that day. The crew recovery problem
/// ([`crate::recovery::crew::CrewDisruption::reserves`]) and the twin (`ucodts_actors::WorldOptions`) both
/// keep their reserves this way.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct ReserveSupply {
    /// Reserves per day at a base, as a share of the crew members of that airline and rank based there; at
    /// least one where the share is above zero, none where it is zero.
    pub share_of_based_crew: f64,
    /// From call-out to report: they stand by at the airport.
    pub report_delay: Minutes,
    /// Local minute of the day from which they stand by.
    pub standby_from_minute: i64,
    /// Local minute of the day until which they may report.
    pub standby_until_minute: i64,
}

impl Default for ReserveSupply {
    /// [`RESERVE_SHARE_OF_BASED_CREW`], ready [`CALL_TO_REPORT`] after a call, from
    /// [`RESERVE_STANDBY_FROM_MINUTE_OF_DAY`] to [`RESERVE_STANDBY_UNTIL_MINUTE_OF_DAY`] local.
    fn default() -> ReserveSupply {
        ReserveSupply {
            share_of_based_crew: RESERVE_SHARE_OF_BASED_CREW,
            report_delay: CALL_TO_REPORT,
            standby_from_minute: RESERVE_STANDBY_FROM_MINUTE_OF_DAY,
            standby_until_minute: RESERVE_STANDBY_UNTIL_MINUTE_OF_DAY,
        }
    }
}

impl ReserveSupply {
    /// Reserves per day for `based` crew members of one airline and rank at one base: the share, rounded
    /// up, at least one where the share is above zero.
    pub fn reserves_for(&self, based: u32) -> u32 {
        let share = self.share_of_based_crew;
        ((f64::from(based) * share).ceil() as u32).max(u32::from(share > 0.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserves_are_a_share_of_the_based_crew_rounded_up_and_at_least_one() {
        let supply = ReserveSupply::default();
        assert_eq!(supply.reserves_for(1), 1);
        assert_eq!(supply.reserves_for(20), 1);
        assert_eq!(supply.reserves_for(21), 2);
        let none = ReserveSupply {
            share_of_based_crew: 0.0,
            ..supply
        };
        assert_eq!(none.reserves_for(100), 0);
    }

    #[test]
    fn reserves_stand_by_within_one_local_day() {
        let r = ReserveSupply::default();
        assert!(0 <= r.standby_from_minute);
        assert!(r.standby_from_minute < r.standby_until_minute);
        assert!(r.standby_until_minute <= 24 * 60);
    }
}
