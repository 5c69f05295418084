//! The Three-Process Model of alertness (Åkerstedt & Folkard): a homeostatic process S that falls while
//! awake and recovers during sleep, a circadian process C, and an ultradian 12-hour process U. Alertness is
//! S + C + U, and the Karolinska Sleepiness Scale follows as KSS = 10.6 - 0.6 (S + C + U).
//!
//! Written from the published equations (see `../shared/reference/RULES.md` 3.1) with the default
//! parameters of Ingre et al. (2014), "Validating and extending the three process model of alertness in
//! airline operations", PLoS ONE 9(10): e108679, as the `humanfactors/FIPS` R package lists them. No code of
//! FIPS (AGPL-3) is used. Time is in hours; `tod` is the time of day in hours on the crew member's body
//! clock (their home zone).

use std::f64::consts::PI;

/// The model's parameters.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Parameters {
    /// Lower asymptote of S while awake.
    pub la: f64,
    /// Rate of S's decay while awake (per hour).
    pub d: f64,
    /// Upper asymptote of S during sleep.
    pub ha: f64,
    /// Break level: below it, S recovers linearly during sleep; above it, exponentially towards `ha`.
    pub bl: f64,
    /// Rate of S's recovery during sleep (per hour, negative).
    pub g: f64,
    /// S at the start of a simulation (at sleep onset).
    pub s0: f64,
    /// Circadian mesor, amplitude and acrophase (hour of day).
    pub cm: f64,
    pub ca: f64,
    pub p: f64,
    /// Ultradian mesor and amplitude; its phase is `p + 3` hours with a 12-hour period.
    pub um: f64,
    pub ua: f64,
    /// KSS = kss_intercept - kss_slope * (S + C + U).
    pub kss_intercept: f64,
    pub kss_slope: f64,
}

/// The published parameters (Ingre et al. 2014 defaults; KSS mapping from the same source).
/// `g` = ln((14.3 - 14) / (14.3 - 7.96)) / 8: S recovers from 7.96 to 14 in 8 hours of sleep.
pub const PUBLISHED: Parameters = Parameters {
    la: 2.4,
    d: -0.0353,
    ha: 14.3,
    bl: 12.2,
    g: -0.381_356_446_596_883_56,
    s0: 7.96,
    cm: 0.0,
    ca: 2.5,
    p: 16.8,
    um: -0.5,
    ua: 0.5,
    kss_intercept: 10.6,
    kss_slope: 0.6,
};

impl Parameters {
    /// S after `hours` awake, starting from `s_at_wake`.
    pub fn s_awake(&self, s_at_wake: f64, hours: f64) -> f64 {
        self.la + (s_at_wake - self.la) * (self.d * hours).exp()
    }

    /// S after `hours` asleep, starting from `s_at_sleep`: linear recovery up to the break level, then
    /// exponential towards the upper asymptote. (Asleep above the break level, the exponential phase starts
    /// at once.)
    pub fn s_asleep(&self, s_at_sleep: f64, hours: f64) -> f64 {
        let rate = self.g * (self.bl - self.ha);
        if s_at_sleep < self.bl {
            let breaktime = (self.bl - s_at_sleep) / rate;
            if hours <= breaktime {
                return s_at_sleep + rate * hours;
            }
            self.ha - (self.ha - self.bl) * (self.g * (hours - breaktime)).exp()
        } else {
            self.ha - (self.ha - s_at_sleep) * (self.g * hours).exp()
        }
    }

    /// The circadian process at this time of day.
    pub fn circadian(&self, tod: f64) -> f64 {
        self.cm + self.ca * (2.0 * PI * (tod - self.p) / 24.0).cos()
    }

    /// The ultradian process at this time of day.
    pub fn ultradian(&self, tod: f64) -> f64 {
        self.um + self.ua * (2.0 * PI * (tod - self.p - 3.0) / 12.0).cos()
    }

    /// KSS for homeostatic level `s` at time of day `tod`.
    pub fn kss(&self, s: f64, tod: f64) -> f64 {
        self.kss_intercept - self.kss_slope * (s + self.circadian(tod) + self.ultradian(tod))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g_is_the_published_eight_hour_recovery_rate() {
        let g = ((14.3f64 - 14.0) / (14.3 - 7.96)).ln() / 8.0;
        assert!((PUBLISHED.g - g).abs() < 1e-15);
    }

    #[test]
    fn sleep_recovery_is_continuous_at_the_break_level() {
        let p = PUBLISHED;
        let rate = p.g * (p.bl - p.ha);
        let breaktime = (p.bl - 7.96) / rate;
        let below = p.s_asleep(7.96, breaktime - 1e-9);
        let above = p.s_asleep(7.96, breaktime + 1e-9);
        assert!((below - p.bl).abs() < 1e-6 && (above - p.bl).abs() < 1e-6);
        // Asleep above the break level, S keeps rising towards 14.3 without a jump.
        assert!((p.s_asleep(13.0, 0.0) - 13.0).abs() < 1e-12);
        assert!(p.s_asleep(13.0, 8.0) < p.ha);
    }

    #[test]
    fn kss_after_a_night_of_sleep_follows_the_published_curve() {
        // Sleep 23:00-07:00 from S = 7.96, then awake: numbers from the equations by hand.
        let p = PUBLISHED;
        let s_wake = p.s_asleep(7.96, 8.0);
        assert!((s_wake - 13.551_637).abs() < 1e-5, "{s_wake}");
        let kss_at = |clock: f64| {
            let awake = (clock - 7.0).rem_euclid(24.0);
            p.kss(p.s_awake(s_wake, awake), clock)
        };
        for (clock, expected) in [
            (10.0, 3.631),
            (16.0, 3.245),
            (22.0, 5.086),
            (1.0, 7.007),
            (4.0, 7.861),
            (6.0, 7.739),
        ] {
            assert!(
                (kss_at(clock) - expected).abs() < 1e-3,
                "{clock}: {}",
                kss_at(clock)
            );
        }
    }
}
