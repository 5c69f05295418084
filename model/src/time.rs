//! Time in UCODTS: integer minutes in UTC, converted to local wall-clock time only through an airport's
//! (or a crew member's) IANA time zone. No floating-point clocks anywhere.

use std::fmt;
use std::ops::{Add, Sub};

use chrono::{NaiveDate, Offset, TimeZone as _};

/// An instant, as whole minutes since 1970-01-01T00:00Z.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UtcMinute(pub i64);

/// A signed span of whole minutes.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Minutes(pub i64);

impl Minutes {
    pub const fn hours(h: i64) -> Minutes {
        Minutes(h * 60)
    }
    pub const fn hours_minutes(h: i64, m: i64) -> Minutes {
        Minutes(h * 60 + m)
    }

    /// No time at all.
    pub const ZERO: Minutes = Minutes(0);

    /// The whole hours in this span, rounded down (90 minutes is 1 hour, -30 minutes is -1).
    pub const fn whole_hours(self) -> i64 {
        self.0.div_euclid(60)
    }
}

impl fmt::Display for Minutes {
    /// `H:MM`, negative spans with a leading minus.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.abs();
        write!(f, "{sign}{}:{:02}", a / 60, a % 60)
    }
}

// Checked arithmetic: every instant and span a data set, a scenario or a plan can hold is bounded at load
// (`UtcMinute::EARLIEST..=LATEST`, spans of days), so an overflow here is a bug, never a wrapped clock that
// silently shifts a result (a release build would otherwise wrap where a debug build panics).

impl Add<Minutes> for UtcMinute {
    type Output = UtcMinute;
    fn add(self, rhs: Minutes) -> UtcMinute {
        UtcMinute(
            self.0.checked_add(rhs.0).expect(
                "an instant plus a span stays within i64 minutes (inputs are bounded at load)",
            ),
        )
    }
}

impl Sub<Minutes> for UtcMinute {
    type Output = UtcMinute;
    fn sub(self, rhs: Minutes) -> UtcMinute {
        UtcMinute(self.0.checked_sub(rhs.0).expect(
            "an instant minus a span stays within i64 minutes (inputs are bounded at load)",
        ))
    }
}

impl Sub<UtcMinute> for UtcMinute {
    type Output = Minutes;
    fn sub(self, rhs: UtcMinute) -> Minutes {
        Minutes(
            self.0.checked_sub(rhs.0).expect(
                "the span between two instants fits i64 minutes (inputs are bounded at load)",
            ),
        )
    }
}

impl Add for Minutes {
    type Output = Minutes;
    fn add(self, rhs: Minutes) -> Minutes {
        Minutes(
            self.0
                .checked_add(rhs.0)
                .expect("a sum of spans fits i64 minutes (inputs are bounded at load)"),
        )
    }
}

impl Sub for Minutes {
    type Output = Minutes;
    fn sub(self, rhs: Minutes) -> Minutes {
        Minutes(
            self.0
                .checked_sub(rhs.0)
                .expect("a difference of spans fits i64 minutes (inputs are bounded at load)"),
        )
    }
}

/// A calendar date (proleptic Gregorian), without a zone.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// A valid date, or `None` (31 February, month 13, ...).
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        // Shift the year to start in March so that the leap day is the last day of the shifted year.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let year_of_era = y - era * 400;
        let m = i64::from(self.month);
        let day_of_year =
            (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// The date that is `days` days after 1970-01-01.
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z - era * 146_097;
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (year_of_era + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    pub fn add_days(self, days: i64) -> Date {
        Date::from_days_since_epoch(self.days_since_epoch() + days)
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Date> {
        let b = text.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        Date::new(
            digits(&b[0..4])? as i32,
            digits(&b[5..7])? as u8,
            digits(&b[8..10])? as u8,
        )
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

fn digits(b: &[u8]) -> Option<u32> {
    let mut v = 0u32;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
    }
    Some(v)
}

pub const MINUTES_PER_DAY: i64 = 24 * 60;

impl UtcMinute {
    /// The instant of a UTC calendar date and minute of the day.
    pub fn from_date_minute(date: Date, minute_of_day: i64) -> UtcMinute {
        UtcMinute(date.days_since_epoch() * MINUTES_PER_DAY + minute_of_day)
    }

    /// The earliest instant a data set, scenario or plan may hold: 1900-01-01T00:00Z. With
    /// [`UtcMinute::LATEST`] it bounds every clock so that no sum of an instant and a loaded span can overflow.
    pub const EARLIEST: UtcMinute = UtcMinute(-36_816_480);
    /// The latest instant a data set, scenario or plan may hold: 2199-12-31T23:59Z.
    pub const LATEST: UtcMinute = UtcMinute(120_968_639);

    /// Whether this instant lies in `EARLIEST..=LATEST`.
    pub fn is_in_range(self) -> bool {
        (UtcMinute::EARLIEST..=UtcMinute::LATEST).contains(&self)
    }

    /// The words for that range, for errors.
    pub const RANGE: &'static str = "an instant from 1900-01-01T00:00Z to 2199-12-31T23:59Z";

    /// The start of the UTC hour this instant falls in (10:59Z gives 10:00Z).
    pub fn start_of_hour(self) -> UtcMinute {
        UtcMinute(self.0.div_euclid(60) * 60)
    }

    /// The UTC date and minute of the day of this instant.
    pub fn date_minute(self) -> (Date, i64) {
        let days = self.0.div_euclid(MINUTES_PER_DAY);
        (
            Date::from_days_since_epoch(days),
            self.0.rem_euclid(MINUTES_PER_DAY),
        )
    }

    /// Parses the native format's `YYYY-MM-DDTHH:MMZ`.
    pub fn parse(text: &str) -> Option<UtcMinute> {
        let b = text.as_bytes();
        if b.len() != 17 || b[10] != b'T' || b[13] != b':' || b[16] != b'Z' {
            return None;
        }
        let date = Date::parse(&text[0..10])?;
        let hour = digits(&b[11..13])?;
        let minute = digits(&b[14..16])?;
        if hour > 23 || minute > 59 {
            return None;
        }
        Some(UtcMinute::from_date_minute(
            date,
            i64::from(hour * 60 + minute),
        ))
    }
}

impl fmt::Display for UtcMinute {
    /// `YYYY-MM-DDTHH:MMZ`, the form the native format stores.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (date, m) = self.date_minute();
        write!(f, "{date}T{:02}:{:02}Z", m / 60, m % 60)
    }
}

/// Wall-clock time somewhere: a local date and a minute of that day (0..1440).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LocalTime {
    pub date: Date,
    pub minute_of_day: i64,
}

impl fmt::Display for LocalTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = self.minute_of_day;
        write!(f, "{} {:02}:{:02}", self.date, m / 60, m % 60)
    }
}

/// How a local wall-clock time maps to UTC in a zone with daylight-saving changes.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum LocalToUtc {
    /// The usual case: one instant.
    Exact(UtcMinute),
    /// Clocks went back: the wall time happened twice.
    Ambiguous {
        earlier: UtcMinute,
        later: UtcMinute,
    },
    /// Clocks went forward: the wall time never happened. `shifted` reads it with the offset in force
    /// before the change, i.e. as if the clock had not yet been set forward.
    Skipped { shifted: UtcMinute },
}

impl LocalToUtc {
    /// One instant for every case: the earlier reading of a repeated hour, the pre-change offset in a gap.
    pub fn earliest(self) -> UtcMinute {
        match self {
            LocalToUtc::Exact(t) => t,
            LocalToUtc::Ambiguous { earlier, .. } => earlier,
            LocalToUtc::Skipped { shifted } => shifted,
        }
    }
}

/// An IANA time zone (`America/New_York`), from the tz database compiled into the binary.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct TimeZone(chrono_tz::Tz);

impl TimeZone {
    /// The zone with this IANA name, or `None` if the tz database does not know it.
    pub fn from_iana(name: &str) -> Option<TimeZone> {
        name.parse::<chrono_tz::Tz>().ok().map(TimeZone)
    }

    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    /// Offset from UTC in force at `t`, in minutes (New York in winter: -300).
    pub fn offset_at(&self, t: UtcMinute) -> Minutes {
        let utc =
            chrono::DateTime::from_timestamp(t.0 * 60, 0).expect("UtcMinute within chrono's range");
        let seconds = self
            .0
            .offset_from_utc_datetime(&utc.naive_utc())
            .fix()
            .local_minus_utc();
        Minutes(i64::from(seconds) / 60)
    }

    /// The local wall-clock time of an instant.
    pub fn to_local(&self, t: UtcMinute) -> LocalTime {
        let local = t + self.offset_at(t);
        let (date, minute_of_day) = local.date_minute();
        LocalTime {
            date,
            minute_of_day,
        }
    }

    /// The instant(s) at which the clocks of this zone show `minute_of_day` on `date`.
    pub fn to_utc(&self, date: Date, minute_of_day: i64) -> LocalToUtc {
        // Minutes of day beyond 24:00 (a recorded `2400`) roll into the next day.
        let date = date.add_days(minute_of_day.div_euclid(MINUTES_PER_DAY));
        let minute_of_day = minute_of_day.rem_euclid(MINUTES_PER_DAY);
        let naive = NaiveDate::from_ymd_opt(date.year, u32::from(date.month), u32::from(date.day))
            .and_then(|d| {
                d.and_hms_opt((minute_of_day / 60) as u32, (minute_of_day % 60) as u32, 0)
            })
            .expect("Date holds only valid calendar dates");
        let as_utc = |dt: chrono::DateTime<chrono_tz::Tz>| UtcMinute(dt.timestamp().div_euclid(60));
        match self.0.from_local_datetime(&naive) {
            chrono::LocalResult::Single(dt) => LocalToUtc::Exact(as_utc(dt)),
            chrono::LocalResult::Ambiguous(a, b) => {
                let (a, b) = (as_utc(a), as_utc(b));
                LocalToUtc::Ambiguous {
                    earlier: a.min(b),
                    later: a.max(b),
                }
            }
            chrono::LocalResult::None => {
                // Read the wall time with the offset in force a day earlier, i.e. before the clocks moved.
                let wall = UtcMinute::from_date_minute(date, minute_of_day);
                let before = self.offset_at(wall - Minutes::hours(24));
                LocalToUtc::Skipped {
                    shifted: wall - before,
                }
            }
        }
    }
}

impl fmt::Display for TimeZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_round_trip_through_epoch_days() {
        for days in -800_000..800_000i64 {
            let d = Date::from_days_since_epoch(days);
            assert_eq!(d.days_since_epoch(), days, "{d}");
            assert!(Date::new(d.year, d.month, d.day).is_some());
        }
        assert_eq!(Date::new(2013, 2, 29), None);
        assert_eq!(
            Date::new(2012, 2, 29).map(|d| d.days_since_epoch()),
            Some(15_399)
        );
    }

    #[test]
    fn utc_minute_text_round_trips_and_rejects_nonsense() {
        let t = UtcMinute::parse("2013-02-08T23:59Z").unwrap();
        assert_eq!(t.to_string(), "2013-02-08T23:59Z");
        for bad in [
            "2013-02-30T10:00Z",
            "2013-02-08T24:00Z",
            "2013-02-08 10:00Z",
            "2013-02-08T10:00",
        ] {
            assert_eq!(UtcMinute::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn hours_round_down_before_and_after_the_epoch() {
        assert_eq!(Minutes(90).whole_hours(), 1);
        assert_eq!(Minutes(-30).whole_hours(), -1);
        let t = UtcMinute::parse("2013-02-08T10:59Z").unwrap();
        assert_eq!(t.start_of_hour().to_string(), "2013-02-08T10:00Z");
        assert_eq!(UtcMinute(-1).start_of_hour(), UtcMinute(-60));
        assert_eq!(Minutes::ZERO + Minutes::hours(2), Minutes(120));
    }

    #[test]
    fn new_york_local_times_convert_with_winter_and_summer_offsets() {
        let ny = TimeZone::from_iana("America/New_York").unwrap();
        let winter = ny
            .to_utc(Date::new(2013, 2, 8).unwrap(), 5 * 60 + 15)
            .earliest();
        assert_eq!(winter.to_string(), "2013-02-08T10:15Z");
        let summer = ny
            .to_utc(Date::new(2013, 7, 1).unwrap(), 5 * 60 + 15)
            .earliest();
        assert_eq!(summer.to_string(), "2013-07-01T09:15Z");
        assert_eq!(ny.to_local(summer).to_string(), "2013-07-01 05:15");
        // A recorded 2400 is midnight at the end of the day.
        let midnight = ny
            .to_utc(Date::new(2013, 10, 30).unwrap(), 24 * 60)
            .earliest();
        assert_eq!(midnight.to_string(), "2013-10-31T04:00Z");
    }

    #[test]
    fn daylight_saving_gaps_and_repeats_are_reported() {
        let ny = TimeZone::from_iana("America/New_York").unwrap();
        match ny.to_utc(Date::new(2013, 3, 10).unwrap(), 2 * 60 + 30) {
            LocalToUtc::Skipped { shifted } => assert_eq!(shifted.to_string(), "2013-03-10T07:30Z"),
            other => panic!("02:30 on 10 March 2013 does not exist in New York, got {other:?}"),
        }
        match ny.to_utc(Date::new(2013, 11, 3).unwrap(), 60 + 30) {
            LocalToUtc::Ambiguous { earlier, later } => assert_eq!(later - earlier, Minutes(60)),
            other => panic!("01:30 on 3 November 2013 happens twice in New York, got {other:?}"),
        }
    }
}
