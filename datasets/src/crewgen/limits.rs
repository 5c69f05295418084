//! FAA Part 117 as the crew generator applies it: the limits of one duty (Tables A and B) and the cumulative
//! limits over a crew member's duties (§117.23, §117.25(b)). The generator and [`super::check_generated`]
//! both use this module, so a rule cannot be read one way when building and another when checking.

use std::fmt;
use std::sync::OnceLock;

use ucodts_model::rules::faa117;
use ucodts_model::{Minutes, UtcMinute};

/// §117.23(c)(1): at most 60 flight duty period hours in any 168 consecutive hours.
pub const MAX_FLIGHT_DUTY_IN_168_HOURS: Minutes = Minutes::hours(60);
/// §117.23(c)(2): at most 190 flight duty period hours in any 672 consecutive hours.
pub const MAX_FLIGHT_DUTY_IN_672_HOURS: Minutes = Minutes::hours(190);
/// §117.23(b)(1): at most 100 hours of flight time in any 672 consecutive hours.
pub const MAX_FLIGHT_TIME_IN_672_HOURS: Minutes = Minutes::hours(100);
/// §117.23(b)(2): at most 1,000 hours of flight time in any 365 consecutive calendar days (read here as
/// 365 x 24 consecutive hours).
pub const MAX_FLIGHT_TIME_IN_365_DAYS: Minutes = Minutes::hours(1000);
/// §117.25(b): at least 30 consecutive hours free from all duty within the 168 hours before any flight duty.
pub const MIN_FREE_IN_168_HOURS: Minutes = Minutes::hours(30);

const HOURS_168: Minutes = Minutes::hours(168);
const HOURS_672: Minutes = Minutes::hours(672);
const DAYS_365: Minutes = Minutes::hours(365 * 24);

/// §117.3: a theater spans at most 60 degrees of longitude. A crew member who departs farther than that
/// from their base is taken as no longer acclimated for that duty (the generator does not plan the 72 hours
/// in a new theater that would acclimate them there).
pub const THEATER_LONGITUDE_DEG: f64 = 60.0;

/// §117.13(b): Table B less 30 minutes for a crew member who is not acclimated.
pub const NOT_ACCLIMATED_REDUCTION: Minutes = Minutes(30);

/// Whether a departure from `longitude_deg` takes a crew based at `base_longitude_deg` out of its theater.
pub fn outside_theater(base_longitude_deg: f64, longitude_deg: f64) -> bool {
    let d = (base_longitude_deg - longitude_deg).abs() % 360.0;
    d.min(360.0 - d) > THEATER_LONGITUDE_DEG
}

/// Table B for a duty reported at this local minute of the crew's home zone with this many flight
/// segments, less [`NOT_ACCLIMATED_REDUCTION`] when the duty departs outside the crew's theater; a duty that
/// only deadheads is held to the one-segment limit.
pub fn max_flight_duty(
    report_minute_of_day: i64,
    operating_segments: usize,
    acclimated: bool,
) -> Minutes {
    let column = operating_segments.clamp(1, 7) - 1;
    let limit = tables().flight_duty[minute_index(report_minute_of_day)][column];
    if acclimated {
        limit
    } else {
        limit - NOT_ACCLIMATED_REDUCTION
    }
}

/// Table A for a duty reported at this local minute of the crew's home zone.
pub fn max_flight_time(report_minute_of_day: i64) -> Minutes {
    tables().flight_time[minute_index(report_minute_of_day)]
}

fn minute_index(minute_of_day: i64) -> usize {
    minute_of_day.rem_euclid(24 * 60) as usize
}

/// Tables A and B of `ucodts_model::rules::faa117`, read once into one entry per minute of the day: the
/// generator asks them millions of times.
struct Tables {
    flight_duty: Vec<[Minutes; 7]>,
    flight_time: Vec<Minutes>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| Tables {
        flight_duty: (0..24 * 60)
            .map(|m| std::array::from_fn(|c| faa117::max_flight_duty_period(m, c + 1)))
            .collect(),
        flight_time: (0..24 * 60).map(faa117::max_flight_time).collect(),
    })
}

/// One duty of a crew member, as the cumulative limits see it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct DutySpan {
    pub report: UtcMinute,
    /// Arrival of the duty's last leg: the end of the flight duty period.
    pub end: UtcMinute,
    pub release: UtcMinute,
    /// Scheduled block time of the legs operated.
    pub flight: Minutes,
}

/// A cumulative limit that a duty breaks.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum LimitBreach {
    FlightDutyIn168Hours(Minutes),
    FlightDutyIn672Hours(Minutes),
    FlightTimeIn672Hours(Minutes),
    FlightTimeIn365Days(Minutes),
    /// The longest stretch free of duty in the 168 hours before the duty's report.
    NoFreeStretchIn168Hours(Minutes),
}

impl fmt::Display for LimitBreach {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LimitBreach::FlightDutyIn168Hours(m) => write!(
                f,
                "{m} of flight duty in 168 hours, above the {MAX_FLIGHT_DUTY_IN_168_HOURS} of §117.23(c)(1)"
            ),
            LimitBreach::FlightDutyIn672Hours(m) => write!(
                f,
                "{m} of flight duty in 672 hours, above the {MAX_FLIGHT_DUTY_IN_672_HOURS} of §117.23(c)(2)"
            ),
            LimitBreach::FlightTimeIn672Hours(m) => write!(
                f,
                "{m} of flight time in 672 hours, above the {MAX_FLIGHT_TIME_IN_672_HOURS} of §117.23(b)(1)"
            ),
            LimitBreach::FlightTimeIn365Days(m) => write!(
                f,
                "{m} of flight time in 365 days, above the {MAX_FLIGHT_TIME_IN_365_DAYS} of §117.23(b)(2)"
            ),
            LimitBreach::NoFreeStretchIn168Hours(m) => write!(
                f,
                "only {m} free of duty at a stretch in the 168 hours before report, below the \
                 {MIN_FREE_IN_168_HOURS} of §117.25(b)"
            ),
        }
    }
}

/// A crew member's duties in time order. The limits of the last duty look back over at most 672 hours of
/// duties, except the yearly flight time, which a running sum answers with one binary search, and only for
/// members who have flown 1,000 hours at all.
#[derive(Clone, Debug, Default)]
pub struct DutyHistory {
    /// Each duty with the flight time of all duties up to and including it, in minutes (one allocation, so
    /// that looking at a member's history touches one block of memory).
    duties: Vec<(DutySpan, i64)>,
}

impl DutyHistory {
    pub fn new() -> DutyHistory {
        DutyHistory::default()
    }

    /// Adds a duty after all the others.
    pub fn push(&mut self, span: DutySpan) {
        let before = self.duties.last().map_or(0, |&(last, flight)| {
            debug_assert!(
                last.release <= span.report,
                "duties are pushed in time order without overlap"
            );
            flight
        });
        self.duties.push((span, before + span.flight.0));
    }

    /// Takes back the last duty.
    #[cfg(test)]
    pub fn pop(&mut self) {
        self.duties.pop();
    }

    /// The first cumulative limit that the last duty breaks. Checking each duty as it is pushed checks every
    /// window: a sum over a sliding window is largest when the window ends where a duty ends.
    pub fn breach_of_last(&self) -> Option<LimitBreach> {
        let &(last, flight_total) = self.duties.last()?;
        let (start_168, start_672) = (last.end - HOURS_168, last.end - HOURS_672);
        let (mut duty_168, mut duty_672, mut flight_672) = (Minutes(0), Minutes(0), Minutes(0));
        for (s, _) in self.duties.iter().rev() {
            if s.end <= start_672 {
                break;
            }
            // The duty that straddles a window's start counts only inside it; its flight time counts whole
            // (the legs' times are not kept).
            duty_672 = duty_672 + (s.end - s.report.max(start_672));
            flight_672 = flight_672 + s.flight;
            if s.end > start_168 {
                duty_168 = duty_168 + (s.end - s.report.max(start_168));
            }
        }
        if duty_168 > MAX_FLIGHT_DUTY_IN_168_HOURS {
            return Some(LimitBreach::FlightDutyIn168Hours(duty_168));
        }
        if duty_672 > MAX_FLIGHT_DUTY_IN_672_HOURS {
            return Some(LimitBreach::FlightDutyIn672Hours(duty_672));
        }
        if flight_672 > MAX_FLIGHT_TIME_IN_672_HOURS {
            return Some(LimitBreach::FlightTimeIn672Hours(flight_672));
        }
        if Minutes(flight_total) > MAX_FLIGHT_TIME_IN_365_DAYS {
            let start = last.end - DAYS_365;
            let j = self.duties.partition_point(|(s, _)| s.end <= start);
            let before = if j == 0 { 0 } else { self.duties[j - 1].1 };
            let flight = Minutes(flight_total - before);
            if flight > MAX_FLIGHT_TIME_IN_365_DAYS {
                return Some(LimitBreach::FlightTimeIn365Days(flight));
            }
        }
        let longest_free = self.longest_free_before_last();
        if longest_free < MIN_FREE_IN_168_HOURS {
            return Some(LimitBreach::NoFreeStretchIn168Hours(longest_free));
        }
        None
    }

    /// The longest stretch without duty in the 168 hours before the last duty's report. Time before the
    /// member's first duty counts as free.
    fn longest_free_before_last(&self) -> Minutes {
        let Some(((last, _), earlier)) = self.duties.split_last() else {
            return HOURS_168;
        };
        let start = last.report - HOURS_168;
        let mut longest = Minutes(0);
        let mut next_report = last.report;
        for (s, _) in earlier.iter().rev() {
            longest = longest.max(next_report - s.release.max(start));
            if longest >= MIN_FREE_IN_168_HOURS || s.release <= start {
                return longest;
            }
            next_report = s.report;
            if next_report <= start {
                return longest;
            }
        }
        longest.max(next_report - start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_tables_answer_as_the_regulation_tables_do() {
        for m in [
            0, 239, 240, 299, 300, 359, 360, 419, 420, 719, 720, 779, 780, 1019, 1020, 1319, 1320,
            1379, 1380, 1439,
        ] {
            assert_eq!(max_flight_time(m), faa117::max_flight_time(m), "{m}");
            for segments in 1..=9 {
                assert_eq!(
                    max_flight_duty(m, segments, true),
                    faa117::max_flight_duty_period(m, segments),
                    "{m} {segments}"
                );
            }
        }
        assert_eq!(max_flight_duty(7 * 60, 0, true), Minutes::hours(14));
        assert_eq!(
            max_flight_duty(7 * 60, 1, false),
            Minutes::hours_minutes(13, 30)
        );
        assert_eq!(
            max_flight_duty(-60, 1, true),
            faa117::max_flight_duty_period(23 * 60, 1)
        );
    }

    #[test]
    fn theaters_span_sixty_degrees_of_longitude_across_the_date_line() {
        let (new_york, anchorage, honolulu, london) = (-74.2, -149.9, -157.9, -0.5);
        assert!(!outside_theater(new_york, -87.9)); // Chicago
        assert!(outside_theater(new_york, anchorage));
        assert!(outside_theater(new_york, honolulu));
        assert!(outside_theater(new_york, london));
        assert!(!outside_theater(170.0, -175.0)); // 15 degrees across the date line
    }

    fn span(day: i64, report_h: i64, hours: i64, flight_h: i64) -> DutySpan {
        let report = UtcMinute(day * 24 * 60 + report_h * 60);
        let end = report + Minutes::hours(hours);
        DutySpan {
            report,
            end,
            release: end + Minutes(30),
            flight: Minutes::hours(flight_h),
        }
    }

    #[test]
    fn sixty_hours_of_flight_duty_in_a_week_is_the_limit() {
        let mut h = DutyHistory::new();
        // Five 12-hour duties on five days: 60 hours, legal.
        for day in 0..5 {
            h.push(span(day, 6, 12, 6));
            assert_eq!(h.breach_of_last(), None, "day {day}");
        }
        // A sixth, one hour long, on the next day, still inside the 168 hours: 61 hours.
        h.push(span(5, 6, 1, 0));
        assert_eq!(
            h.breach_of_last(),
            Some(LimitBreach::FlightDutyIn168Hours(Minutes::hours(61)))
        );
        h.pop();
        // A week after the first duty began, the first has left the window.
        h.push(span(7, 7, 12, 6));
        assert_eq!(h.breach_of_last(), None);
    }

    #[test]
    fn a_week_of_daily_duties_lacks_the_thirty_free_hours() {
        let mut h = DutyHistory::new();
        // Before the first week the member was free, so the first days pass.
        for day in 0..7 {
            h.push(span(day, 6, 8, 4));
        }
        // Daily 8-hour duties leave at most 15.5 hours free at a stretch within the last 168 hours.
        assert!(matches!(
            h.breach_of_last(),
            Some(LimitBreach::NoFreeStretchIn168Hours(_))
        ));
    }

    #[test]
    fn flight_time_counts_a_hundred_hours_in_four_weeks() {
        let mut h = DutyHistory::new();
        // 9 hours of flight every other day for 22 days: 11 duties, 99 hours, then a 12th crosses 100.
        for k in 0..11 {
            h.push(span(2 * k, 6, 11, 9));
            assert_eq!(h.breach_of_last(), None, "duty {k}");
        }
        h.push(span(22, 6, 11, 9));
        assert_eq!(
            h.breach_of_last(),
            Some(LimitBreach::FlightTimeIn672Hours(Minutes::hours(108)))
        );
    }
}
