//! FAA Part 117 as [`super::check_generated`] reads it: the limits of one duty (Tables A and B, less the
//! not-acclimated reduction outside the base's theater), the rest before a duty (§117.25(e)) and the
//! cumulative limits over a crew member's duties (§117.23, §117.25(b)). Every number comes from the rule
//! tables through `ucodts_model::rules::faa117` (the rows of `model/rules/faa117_*.csv`); this module only
//! says how the checker applies them, read once.

use std::fmt;
use std::sync::OnceLock;

use ucodts_model::rules::faa117::{self, Part117};
use ucodts_model::rules::{Acclimatisation, Measure, RecurringRest, RuleSet, Window};
use ucodts_model::{Minutes, UtcMinute};

/// Whether a departure from `longitude_deg` takes a crew based at `base_longitude_deg` out of its theater
/// (§117.3). A crew member who departs farther than that from their base is taken as no longer acclimated
/// for that duty (the generator does not plan the hours in a new theater that would acclimate them there).
pub fn outside_theater(base_longitude_deg: f64, longitude_deg: f64) -> bool {
    let d = (base_longitude_deg - longitude_deg).abs() % 360.0;
    d.min(360.0 - d) > limits().theater_longitude_deg
}

/// Table B for a duty reported at this local minute of the crew's home zone with this many flight
/// segments, less the not-acclimated reduction (§117.13(b)) when the duty departs outside the crew's
/// theater; a duty that only deadheads is held to the one-segment limit.
pub fn max_flight_duty(
    report_minute_of_day: i64,
    operating_segments: usize,
    acclimated: bool,
) -> Minutes {
    let column = operating_segments.clamp(1, 7) - 1;
    let limits = limits();
    let limit = limits.flight_duty[minute_index(report_minute_of_day)][column];
    if acclimated {
        limit
    } else {
        limit - limits.not_acclimated_reduction
    }
}

/// Table A for a duty reported at this local minute of the crew's home zone.
pub fn max_flight_time(report_minute_of_day: i64) -> Minutes {
    limits().flight_time[minute_index(report_minute_of_day)]
}

/// §117.25(e): the least rest before a duty, and the rule that asks it.
pub fn min_rest() -> (Minutes, &'static str) {
    let l = limits();
    (l.min_rest, &l.min_rest_rule)
}

fn minute_index(minute_of_day: i64) -> usize {
    minute_of_day.rem_euclid(24 * 60) as usize
}

/// A cumulative limit of Part 117 as the checker sums it: over a rolling window ending where a duty ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cumulative {
    pub measure: Measure,
    /// The window as rolling time: a window of N calendar days is read as N x 24 consecutive hours.
    pub window: Minutes,
    pub limit: Minutes,
    /// The table's words for the window: "168 hours", "365 days".
    pub window_words: String,
    /// "14 CFR 117.23(c)(1)".
    pub rule: String,
}

/// The numbers of Part 117 the checker applies, read once from the rule tables: Tables A and B with one
/// entry per minute of the day (the checker asks them for every duty of every member).
struct Limits {
    flight_duty: Vec<[Minutes; 7]>,
    flight_time: Vec<Minutes>,
    not_acclimated_reduction: Minutes,
    theater_longitude_deg: f64,
    min_rest: Minutes,
    min_rest_rule: String,
    cumulative: Vec<Cumulative>,
    /// §117.25(b): this much free of all duty at a stretch within the `lookback` before any duty.
    free: Minutes,
    free_lookback: Minutes,
    free_rule: String,
}

fn limits() -> &'static Limits {
    static LIMITS: OnceLock<Limits> = OnceLock::new();
    LIMITS.get_or_init(|| {
        let rules: &Part117 = Part117::embedded()
            .expect("the embedded Part 117 tables parse (tested in ucodts_model::rules::faa117)");
        let not_acclimated_reduction = rules
            .max_fdp(0, 1, false)
            .ok()
            .and_then(|l| l.reduction)
            .map(|r| r.by)
            .expect("Part 117 reduces Table B for a pilot who is not acclimated (§117.13(b))");
        let Acclimatisation::Theater {
            max_longitude_deg, ..
        } = rules.acclimatisation()
        else {
            unreachable!("Part 117 decides acclimatisation by theater (§117.3)")
        };
        let RecurringRest::FreeBeforeEveryFdp {
            free,
            lookback,
            rule: free_rule,
        } = rules.recurring_rest()
        else {
            unreachable!("Part 117's recurring rest is the free period of §117.25(b)")
        };
        let rest = rules.min_rest_before_fdp(Minutes(0), true);
        let cumulative = rules
            .cumulative_limits()
            .iter()
            .map(|c| {
                let (window, window_words) = match c.window {
                    Window::Rolling(w) => (w, format!("{} hours", w.0 / 60)),
                    Window::CalendarDays(n) => {
                        (Minutes::hours(24 * i64::from(n)), format!("{n} days"))
                    }
                    Window::CalendarMonths(n) => (
                        Minutes::hours(24 * 31 * i64::from(n)),
                        format!("{n} months"),
                    ),
                    Window::CalendarYear => (Minutes::hours(24 * 366), "a calendar year".into()),
                };
                Cumulative {
                    measure: c.measure,
                    window,
                    limit: c.limit,
                    window_words,
                    rule: c.rule.clone(),
                }
            })
            .collect();
        Limits {
            flight_duty: (0..24 * 60)
                .map(|m| std::array::from_fn(|c| faa117::max_flight_duty_period(m, c + 1)))
                .collect(),
            flight_time: (0..24 * 60).map(faa117::max_flight_time).collect(),
            not_acclimated_reduction,
            theater_longitude_deg: max_longitude_deg,
            min_rest: rest.min,
            min_rest_rule: rest.rule.to_string(),
            cumulative,
            free,
            free_lookback: lookback,
            free_rule,
        }
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

/// A limit that a duty breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LimitBreach {
    /// This much of the limit's measure in its window.
    Cumulative {
        limit: &'static Cumulative,
        found: Minutes,
    },
    /// The longest stretch free of duty in the lookback before the duty's report.
    NoFreeStretch { longest: Minutes },
}

impl fmt::Display for LimitBreach {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LimitBreach::Cumulative { limit, found } => {
                let what = match limit.measure {
                    Measure::FlightTime => "flight time",
                    Measure::FlightDutyPeriod => "flight duty",
                    Measure::Duty => "duty",
                };
                write!(
                    f,
                    "{found} of {what} in {}, above the {} of {}",
                    limit.window_words, limit.limit, limit.rule
                )
            }
            LimitBreach::NoFreeStretch { longest } => {
                let l = limits();
                write!(
                    f,
                    "only {longest} free of duty at a stretch in the {} hours before report, below the {} of {}",
                    l.free_lookback.0 / 60,
                    l.free,
                    l.free_rule
                )
            }
        }
    }
}

/// Running sums over a member's duties up to and including one, in minutes.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
struct Sums {
    flight: i64,
    flight_duty: i64,
    duty: i64,
}

/// A crew member's duties in time order, with running sums, so that the total of any measure over a window
/// that ends at the last duty is two binary searches away.
#[derive(Clone, Debug, Default)]
pub struct DutyHistory {
    /// Each duty with the sums of all duties up to and including it (one allocation, so that looking at a
    /// member's history touches one block of memory).
    duties: Vec<(DutySpan, Sums)>,
}

impl DutyHistory {
    pub fn new() -> DutyHistory {
        DutyHistory::default()
    }

    /// Adds a duty after all the others.
    pub fn push(&mut self, span: DutySpan) {
        let before = self.duties.last().map_or(Sums::default(), |&(last, sums)| {
            debug_assert!(
                last.release <= span.report,
                "duties are pushed in time order without overlap"
            );
            sums
        });
        self.duties.push((
            span,
            Sums {
                flight: before.flight + span.flight.0,
                flight_duty: before.flight_duty + (span.end - span.report).0,
                duty: before.duty + (span.release - span.report).0,
            },
        ));
    }

    /// Takes back the last duty.
    #[cfg(test)]
    pub fn pop(&mut self) {
        self.duties.pop();
    }

    /// The first limit that the last duty breaks, cumulative limits in the rule table's order, then the free
    /// period. Checking each duty as it is pushed checks every window: a sum over a sliding window is
    /// largest when the window ends where a duty ends.
    pub fn breach_of_last(&self) -> Option<LimitBreach> {
        let &(last, _) = self.duties.last()?;
        for limit in &limits().cumulative {
            let found = self.total_since(limit.measure, last.end - limit.window);
            if found > limit.limit {
                return Some(LimitBreach::Cumulative { limit, found });
            }
        }
        let longest = self.longest_free_before_last();
        if longest < limits().free {
            return Some(LimitBreach::NoFreeStretch { longest });
        }
        None
    }

    /// The total of `measure` from `start` on. The duty that straddles `start` counts only inside the window
    /// for flight duty and duty; its flight time counts whole (the legs' times are not kept).
    fn total_since(&self, measure: Measure, start: UtcMinute) -> Minutes {
        let Some(&(_, total)) = self.duties.last() else {
            return Minutes(0);
        };
        let ends = |s: &DutySpan| match measure {
            Measure::FlightTime | Measure::FlightDutyPeriod => s.end,
            Measure::Duty => s.release,
        };
        let j = self.duties.partition_point(|(s, _)| ends(s) <= start);
        let before = if j == 0 {
            Sums::default()
        } else {
            self.duties[j - 1].1
        };
        let outside = self
            .duties
            .get(j)
            .map_or(0, |(s, _)| (start - s.report).0.max(0));
        Minutes(match measure {
            Measure::FlightTime => total.flight - before.flight,
            Measure::FlightDutyPeriod => total.flight_duty - before.flight_duty - outside,
            Measure::Duty => total.duty - before.duty - outside,
        })
    }

    /// The longest stretch without duty in the lookback before the last duty's report. Time before the
    /// member's first duty counts as free.
    fn longest_free_before_last(&self) -> Minutes {
        let (free, lookback) = (limits().free, limits().free_lookback);
        let Some(((last, _), earlier)) = self.duties.split_last() else {
            return lookback;
        };
        let start = last.report - lookback;
        let mut longest = Minutes(0);
        let mut next_report = last.report;
        for (s, _) in earlier.iter().rev() {
            longest = longest.max(next_report - s.release.max(start));
            if longest >= free || s.release <= start {
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
    fn the_limits_are_the_rows_of_the_part117_tables() {
        assert_eq!(min_rest(), (Minutes::hours(10), "14 CFR 117.25(e)"));
        let l = limits();
        assert_eq!(l.not_acclimated_reduction, Minutes(30));
        assert_eq!(l.theater_longitude_deg, 60.0);
        assert_eq!(
            (l.free, l.free_lookback),
            (Minutes::hours(30), Minutes::hours(168))
        );
        let read: Vec<(Measure, Minutes, Minutes)> = l
            .cumulative
            .iter()
            .map(|c| (c.measure, c.window, c.limit))
            .collect();
        assert_eq!(
            read,
            [
                (
                    Measure::FlightTime,
                    Minutes::hours(672),
                    Minutes::hours(100)
                ),
                (
                    Measure::FlightTime,
                    Minutes::hours(365 * 24),
                    Minutes::hours(1000)
                ),
                (
                    Measure::FlightDutyPeriod,
                    Minutes::hours(168),
                    Minutes::hours(60)
                ),
                (
                    Measure::FlightDutyPeriod,
                    Minutes::hours(672),
                    Minutes::hours(190)
                ),
            ]
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

    fn cumulative(breach: Option<LimitBreach>) -> Option<(Measure, Minutes, Minutes)> {
        match breach? {
            LimitBreach::Cumulative { limit, found } => Some((limit.measure, limit.window, found)),
            LimitBreach::NoFreeStretch { .. } => None,
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
        let breach = h.breach_of_last();
        assert_eq!(
            cumulative(breach.clone()),
            Some((
                Measure::FlightDutyPeriod,
                Minutes::hours(168),
                Minutes::hours(61)
            ))
        );
        assert_eq!(
            breach.unwrap().to_string(),
            "61:00 of flight duty in 168 hours, above the 60:00 of 14 CFR 117.23(c)(1)"
        );
        h.pop();
        // A week after the first duty began, the first has left the window.
        h.push(span(7, 7, 12, 6));
        assert_eq!(h.breach_of_last(), None);
    }

    #[test]
    fn a_duty_straddling_the_window_start_counts_only_inside_it() {
        let mut h = DutyHistory::new();
        // Four 12-hour duties from 06:00 on days 0 to 3, then one of 13 hours.
        for day in 0..4 {
            h.push(span(day, 6, 12, 6));
        }
        h.push(span(6, 23, 13, 6));
        // A window starting at the first duty's end leaves it out.
        assert_eq!(
            h.total_since(Measure::FlightDutyPeriod, UtcMinute(18 * 60)),
            Minutes::hours(3 * 12 + 13)
        );
        // Starting six hours into the first duty, six of its hours count.
        assert_eq!(
            h.total_since(Measure::FlightDutyPeriod, UtcMinute(12 * 60)),
            Minutes::hours(6 + 3 * 12 + 13)
        );
        // Flight time counts whole for the duty that straddles the start.
        assert_eq!(
            h.total_since(Measure::FlightTime, UtcMinute(12 * 60)),
            Minutes::hours(5 * 6)
        );
    }

    #[test]
    fn a_week_of_daily_duties_lacks_the_thirty_free_hours() {
        let mut h = DutyHistory::new();
        // Before the first week the member was free, so the first days pass.
        for day in 0..7 {
            h.push(span(day, 6, 8, 4));
        }
        // Daily 8-hour duties leave at most 15.5 hours free at a stretch within the last 168 hours.
        let breach = h.breach_of_last();
        assert!(
            matches!(breach, Some(LimitBreach::NoFreeStretch { .. })),
            "{breach:?}"
        );
        assert!(breach
            .unwrap()
            .to_string()
            .ends_with("in the 168 hours before report, below the 30:00 of 14 CFR 117.25(b)"));
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
            cumulative(h.breach_of_last()),
            Some((
                Measure::FlightTime,
                Minutes::hours(672),
                Minutes::hours(108)
            ))
        );
    }
}
