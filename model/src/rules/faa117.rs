//! FAA 14 CFR Part 117 (flight and duty limitations, unaugmented two-pilot operations), as tables.
//!
//! Each table below is a transcription of the regulation; the row bounds are start-of-FDP local times in the
//! zone the crew member is acclimated to.

use crate::time::Minutes;

/// Table A to Part 117 — maximum flight time for an unaugmented operation, by acclimated report time.
/// Rows: (first minute of the day, last minute of the day, limit).
pub const TABLE_A_MAX_FLIGHT_TIME: [(i64, i64, Minutes); 3] = [
    (0, 4 * 60 + 59, Minutes::hours(8)),
    (5 * 60, 19 * 60 + 59, Minutes::hours(9)),
    (20 * 60, 23 * 60 + 59, Minutes::hours(8)),
];

/// Table B to Part 117 — maximum flight duty period (hours:minutes) for an unaugmented operation, by
/// acclimated scheduled start time (rows) and number of flight segments (columns 1, 2, 3, 4, 5, 6, 7+).
pub const TABLE_B_MAX_FDP: [(i64, i64, [Minutes; 7]); 10] = {
    const fn h(hours: i64, minutes: i64) -> Minutes {
        Minutes::hours_minutes(hours, minutes)
    }
    [
        (
            0,
            3 * 60 + 59,
            [
                h(9, 0),
                h(9, 0),
                h(9, 0),
                h(9, 0),
                h(9, 0),
                h(9, 0),
                h(9, 0),
            ],
        ),
        (
            4 * 60,
            4 * 60 + 59,
            [
                h(10, 0),
                h(10, 0),
                h(10, 0),
                h(10, 0),
                h(9, 0),
                h(9, 0),
                h(9, 0),
            ],
        ),
        (
            5 * 60,
            5 * 60 + 59,
            [
                h(12, 0),
                h(12, 0),
                h(12, 0),
                h(12, 0),
                h(11, 30),
                h(11, 0),
                h(10, 30),
            ],
        ),
        (
            6 * 60,
            6 * 60 + 59,
            [
                h(13, 0),
                h(13, 0),
                h(12, 0),
                h(12, 0),
                h(11, 30),
                h(11, 0),
                h(10, 30),
            ],
        ),
        (
            7 * 60,
            11 * 60 + 59,
            [
                h(14, 0),
                h(14, 0),
                h(13, 0),
                h(13, 0),
                h(12, 30),
                h(12, 0),
                h(11, 30),
            ],
        ),
        (
            12 * 60,
            12 * 60 + 59,
            [
                h(13, 0),
                h(13, 0),
                h(13, 0),
                h(13, 0),
                h(12, 30),
                h(12, 0),
                h(11, 30),
            ],
        ),
        (
            13 * 60,
            16 * 60 + 59,
            [
                h(12, 0),
                h(12, 0),
                h(12, 0),
                h(12, 0),
                h(11, 30),
                h(11, 0),
                h(10, 30),
            ],
        ),
        (
            17 * 60,
            21 * 60 + 59,
            [
                h(12, 0),
                h(12, 0),
                h(11, 0),
                h(11, 0),
                h(10, 0),
                h(9, 0),
                h(9, 0),
            ],
        ),
        (
            22 * 60,
            22 * 60 + 59,
            [
                h(11, 0),
                h(11, 0),
                h(10, 0),
                h(10, 0),
                h(9, 0),
                h(9, 0),
                h(9, 0),
            ],
        ),
        (
            23 * 60,
            23 * 60 + 59,
            [
                h(10, 0),
                h(10, 0),
                h(10, 0),
                h(9, 0),
                h(9, 0),
                h(9, 0),
                h(9, 0),
            ],
        ),
    ]
};

/// §117.25(e): at least 10 consecutive hours of rest immediately before a flight duty period.
pub const MIN_REST_BEFORE_FDP: Minutes = Minutes::hours(10);

fn minute_of_day_row<T: Copy>(table: &[(i64, i64, T)], minute_of_day: i64) -> T {
    let m = minute_of_day.rem_euclid(24 * 60);
    table
        .iter()
        .find(|(from, to, _)| (*from..=*to).contains(&m))
        .map(|r| r.2)
        .expect("the rows of a Part 117 table cover all 1,440 minutes of the day")
}

/// Table A: the most flight time an unaugmented crew may log in an FDP that starts at this local minute.
pub fn max_flight_time(report_minute_of_day: i64) -> Minutes {
    minute_of_day_row(&TABLE_A_MAX_FLIGHT_TIME, report_minute_of_day)
}

/// Table B: the longest unaugmented FDP that starts at this local minute and has `segments` flight segments.
pub fn max_flight_duty_period(report_minute_of_day: i64, segments: usize) -> Minutes {
    let row = minute_of_day_row(&TABLE_B_MAX_FDP, report_minute_of_day);
    row[segments.clamp(1, 7) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_b_rows_quoted_from_the_regulation() {
        // 07:30 report, 4 segments: 13 hours.
        assert_eq!(max_flight_duty_period(7 * 60 + 30, 4), Minutes::hours(13));
        // 05:00-05:59, 7 or more segments: 10:30.
        assert_eq!(
            max_flight_duty_period(5 * 60 + 59, 9),
            Minutes::hours_minutes(10, 30)
        );
        // 23:00-23:59, 4 segments: 9 hours; 3 segments: 10.
        assert_eq!(max_flight_duty_period(23 * 60, 4), Minutes::hours(9));
        assert_eq!(max_flight_duty_period(23 * 60, 3), Minutes::hours(10));
        // Row edges: 11:59 is still the 14-hour row, 12:00 is not.
        assert_eq!(max_flight_duty_period(11 * 60 + 59, 1), Minutes::hours(14));
        assert_eq!(max_flight_duty_period(12 * 60, 1), Minutes::hours(13));
    }

    #[test]
    fn table_a_limits_flight_time_by_report_hour() {
        assert_eq!(max_flight_time(4 * 60 + 59), Minutes::hours(8));
        assert_eq!(max_flight_time(5 * 60), Minutes::hours(9));
        assert_eq!(max_flight_time(19 * 60 + 59), Minutes::hours(9));
        assert_eq!(max_flight_time(20 * 60), Minutes::hours(8));
    }
}
