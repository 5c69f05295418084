//! The simulation clock: integer seconds, never `f64`.
//!
//! The kernel's unit is the **second**. Airline models count in minutes, but a runway is held for one to three
//! minutes and a rounding to whole minutes would distort such holds by up to 25%; seconds keep that error
//! under 1% while the clock stays an exact integer that compares, sorts and hashes the same on every machine.
//! Stochastic durations are drawn as `f64` and rounded once, half away from zero, to whole seconds by
//! [`SimDuration::from_minutes_f64`] or [`SimDuration::from_seconds_f64`].

use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::{Add, AddAssign, Sub};

/// The largest duration a model may draw, in seconds: 1000 years, far beyond any airline span and far
/// below the clock's limit, so that sums of drawn durations cannot overflow.
const MAX_DRAWN_SECONDS: f64 = 1000.0 * 366.0 * 86_400.0;

/// A point on the simulation clock: whole seconds since the model's epoch (which the model chooses; the
/// kernel starts at [`SimTime::ZERO`]).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct SimTime(pub i64);

/// A span of simulation time in whole seconds. Negative spans exist (as differences of times) but cannot be
/// used to schedule an event.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct SimDuration(pub i64);

impl SimTime {
    /// The start of the clock.
    pub const ZERO: SimTime = SimTime(0);
    /// The last representable instant; useful as "never" or as the end of an unbounded run.
    pub const MAX: SimTime = SimTime(i64::MAX);

    /// The instant `minutes` whole minutes after the epoch.
    ///
    /// # Panics
    /// If the instant does not fit the clock (beyond ±292 billion years): the model's inputs are bounded at
    /// load, so this is a bug, never a wrapped clock.
    pub const fn from_minutes(minutes: i64) -> SimTime {
        match minutes.checked_mul(60) {
            Some(seconds) => SimTime(seconds),
            None => panic!("an instant in minutes overflowed the simulation clock (i64 seconds)"),
        }
    }

    /// Seconds since the epoch.
    pub const fn seconds(self) -> i64 {
        self.0
    }
}

impl SimDuration {
    /// No time at all: an event sent with this delay is delivered at the current instant.
    pub const ZERO: SimDuration = SimDuration(0);

    /// A span of whole seconds.
    pub const fn from_seconds(seconds: i64) -> SimDuration {
        SimDuration(seconds)
    }

    /// A span of whole minutes.
    ///
    /// # Panics
    /// If the span does not fit i64 seconds (a bug: the model's inputs are bounded at load).
    pub const fn from_minutes(minutes: i64) -> SimDuration {
        match minutes.checked_mul(60) {
            Some(seconds) => SimDuration(seconds),
            None => panic!("a span in minutes overflowed the simulation clock (i64 seconds)"),
        }
    }

    /// A drawn duration in (fractional) minutes, rounded to the nearest second, halves away from zero.
    ///
    /// # Panics
    /// If `minutes` is not finite: a NaN or infinite duration is a bug in the model that drew it.
    pub fn from_minutes_f64(minutes: f64) -> SimDuration {
        SimDuration::from_seconds_f64(minutes * 60.0)
    }

    /// A drawn duration in (fractional) seconds, rounded to the nearest second, halves away from zero.
    ///
    /// # Panics
    /// If `seconds` is not finite: a NaN or infinite duration is a bug in the model that drew it.
    pub fn from_seconds_f64(seconds: f64) -> SimDuration {
        assert!(
            seconds.is_finite(),
            "a simulated duration must be finite, the model drew {seconds} s"
        );
        // `as` would saturate a larger draw to i64::MAX and the clock would overflow later, far from here.
        assert!(
            seconds.abs() < MAX_DRAWN_SECONDS,
            "a simulated duration must be under 1000 years, the model drew {seconds} s"
        );
        // `round` is exact IEEE rounding, so the same draw gives the same second everywhere.
        SimDuration(seconds.round() as i64)
    }

    /// The span in seconds.
    pub const fn seconds(self) -> i64 {
        self.0
    }

    /// The span in (fractional) minutes, for reports.
    pub fn minutes_f64(self) -> f64 {
        self.0 as f64 / 60.0
    }
}

impl Add<SimDuration> for SimTime {
    type Output = SimTime;
    fn add(self, rhs: SimDuration) -> SimTime {
        SimTime(
            self.0
                .checked_add(rhs.0)
                .expect("simulation clock overflowed i64 seconds"),
        )
    }
}

impl AddAssign<SimDuration> for SimTime {
    fn add_assign(&mut self, rhs: SimDuration) {
        *self = *self + rhs;
    }
}

impl Sub<SimTime> for SimTime {
    type Output = SimDuration;
    fn sub(self, rhs: SimTime) -> SimDuration {
        SimDuration(
            self.0
                .checked_sub(rhs.0)
                .expect("the span between two instants fits i64 seconds"),
        )
    }
}

impl Add for SimDuration {
    type Output = SimDuration;
    fn add(self, rhs: SimDuration) -> SimDuration {
        SimDuration(
            self.0
                .checked_add(rhs.0)
                .expect("a sum of spans fits i64 seconds"),
        )
    }
}

impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "t={}s", self.0)
    }
}

impl fmt::Display for SimDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}s", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drawn_minutes_round_to_the_nearest_second() {
        assert_eq!(SimDuration::from_minutes_f64(1.5), SimDuration(90));
        assert_eq!(SimDuration::from_minutes_f64(1.0 / 120.0), SimDuration(1)); // 0.5 s rounds up
        assert_eq!(SimDuration::from_minutes_f64(0.004), SimDuration(0)); // 0.24 s
        assert_eq!(SimDuration::from_seconds_f64(-2.5), SimDuration(-3));
    }

    #[test]
    #[should_panic(expected = "must be finite")]
    fn a_nan_duration_is_a_model_bug() {
        let _ = SimDuration::from_minutes_f64(f64::NAN);
    }

    #[test]
    #[should_panic(expected = "overflowed the simulation clock")]
    fn an_instant_beyond_the_clock_panics_instead_of_wrapping() {
        let _ = SimTime::from_minutes(i64::MAX / 2);
    }

    #[test]
    #[should_panic(expected = "under 1000 years")]
    fn an_absurd_draw_is_a_model_bug() {
        let _ = SimDuration::from_minutes_f64(1e20);
    }

    #[test]
    fn time_arithmetic_is_in_seconds() {
        let t = SimTime::from_minutes(2) + SimDuration::from_seconds(5);
        assert_eq!(t, SimTime(125));
        assert_eq!(t - SimTime::ZERO, SimDuration(125));
        assert_eq!(t.to_string(), "t=125s");
    }
}
