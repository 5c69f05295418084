//! When a crew member sleeps, inferred from their duties (rosters say when people work, not when they
//! sleep). The rules, all in [`SleepAssumptions`]:
//!
//! 1. Sleep only happens off duty, in a *sleep window*: from `after_release` after a duty's release (travel
//!    to home or hotel, winding down) to `before_report` before the next report (waking, getting ready,
//!    travel). Before the roster, a warm-up of `warm_up` of free days starting at a habitual bedtime lets the
//!    model settle into its daily rhythm.
//! 2. Night sleep: a crew member who is free during their habitual night (`night_start`..`night_end` on the
//!    home-zone clock, 23:00-07:00 by default) and has been up at least `min_awake` goes to sleep, for at
//!    most `max_sleep`, cut short by the end of the window. So a late release means sleeping in, an early
//!    report means a short night.
//! 3. Recovery sleep: whenever a crew member in a sleep window has been awake `sleep_pressure` (16 h by
//!    default), they sleep at once, whatever the time of day, for at most `max_sleep`: the day sleep after a
//!    night duty.
//! 4. No naps otherwise, and no sleep shorter than `min_sleep`. Sleep timing and the body clock stay on the
//!    home zone: crews are not taken to adapt to other time zones (fine for trips within a few zones;
//!    conservative-ish for long-haul layovers, which the model does not try to capture).

use crate::legality::clock::ZoneClock;
use crate::time::{Minutes, TimeZone, UtcMinute};

/// The assumptions of sleep inference; see the module documentation.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct SleepAssumptions {
    pub after_release: Minutes,
    pub before_report: Minutes,
    /// Habitual night on the home-zone clock, as minutes of the day.
    pub night_start: i64,
    pub night_end: i64,
    pub min_awake: Minutes,
    pub max_sleep: Minutes,
    pub min_sleep: Minutes,
    pub sleep_pressure: Minutes,
    pub warm_up: Minutes,
}

impl Default for SleepAssumptions {
    fn default() -> SleepAssumptions {
        SleepAssumptions {
            after_release: Minutes(60),
            before_report: Minutes(90),
            night_start: 23 * 60,
            night_end: 7 * 60,
            min_awake: Minutes::hours(2),
            max_sleep: Minutes::hours(8),
            min_sleep: Minutes(30),
            sleep_pressure: Minutes::hours(16),
            warm_up: Minutes::hours(72),
        }
    }
}

/// One inferred sleep.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct SleepPeriod {
    pub start: UtcMinute,
    pub end: UtcMinute,
}

impl SleepAssumptions {
    fn in_night(&self, minute_of_day: i64) -> bool {
        if self.night_start <= self.night_end {
            (self.night_start..self.night_end).contains(&minute_of_day)
        } else {
            minute_of_day >= self.night_start || minute_of_day < self.night_end
        }
    }

    /// The instant the simulation starts: a habitual bedtime at least `warm_up` before `first_report`.
    pub(crate) fn warm_up_start(
        &self,
        clock: &mut ZoneClock,
        zone: TimeZone,
        first_report: UtcMinute,
    ) -> UtcMinute {
        let day = clock.local_day(zone, first_report - self.warm_up);
        let t = clock.instant(zone, day, self.night_start);
        if t <= first_report - self.warm_up {
            t
        } else {
            clock.instant(zone, day - 1, self.night_start)
        }
    }

    /// The sleeps of a crew member whose duties are `duties` (report, release), sorted, in `zone`, from
    /// `start` (a bedtime: the first sleep begins there).
    pub(crate) fn infer(
        &self,
        clock: &mut ZoneClock,
        zone: TimeZone,
        start: UtcMinute,
        duties: &[(UtcMinute, UtcMinute)],
        out: &mut Vec<SleepPeriod>,
    ) {
        out.clear();
        // Taken as awake long enough at `start` that sleep begins at once.
        let mut awake_since = start - self.sleep_pressure;
        let mut window_start = start;
        for &(report, release) in duties {
            let window_end = report - self.before_report;
            self.fill(clock, zone, window_start, window_end, &mut awake_since, out);
            window_start = (release + self.after_release).max(window_end);
        }
    }

    fn fill(
        &self,
        clock: &mut ZoneClock,
        zone: TimeZone,
        from: UtcMinute,
        to: UtcMinute,
        awake_since: &mut UtcMinute,
        out: &mut Vec<SleepPeriod>,
    ) {
        let mut t = from;
        while t < to {
            let local = clock.minute_of_day(zone, t);
            let awake = t - *awake_since;
            let night = self.in_night(local) && awake >= self.min_awake;
            if night || awake >= self.sleep_pressure {
                let end = (t + self.max_sleep).min(to);
                if end - t >= self.min_sleep {
                    out.push(SleepPeriod { start: t, end });
                    *awake_since = end;
                }
                t = end;
                continue;
            }
            // Wait for the next bedtime, or for sleep pressure, whichever comes first.
            let day = clock.local_day(zone, t);
            let mut bedtime = clock.instant(zone, day, self.night_start);
            if bedtime <= t {
                bedtime = clock.instant(zone, day + 1, self.night_start);
            }
            let pressure = *awake_since + self.sleep_pressure;
            let next = bedtime.min(pressure).max(*awake_since + self.min_awake);
            t = if next > t { next } else { t + Minutes(1) };
        }
    }
}
