//! Weather as the delay model reads it: per airport and hour, fair or adverse, from the schedule's recorded
//! observations.
//!
//! An hour is **adverse** at an airport when any observation there in the [`LOOKBACK_HOURS`] before it (and
//! the hour itself) has precipitation, visibility under [`ADVERSE_VISIBILITY_MI_BELOW`] miles or gusts of
//! [`ADVERSE_GUST_MPH_AT_LEAST`] mph or more; **fair** when there are observations and none is adverse;
//! **unknown** when there are none. The thresholds are assumptions (IFR visibility starts below 3 statute miles;
//! 30 mph gusts are where crosswind limits start to close runways); the lookback is there because delays
//! outlast the storm that caused them: on the embedded default, flights with adverse weather in the last three
//! hours had an on-time rate of 41% in July against 76% for the others, where the hour alone separated them
//! less (41% / 72%).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ucodts_model::{AirportCode, Schedule, UtcMinute};

/// Hours before the hour of departure whose weather still counts.
pub const LOOKBACK_HOURS: i64 = 3;
/// Precipitation (inches in the hour) above which an hour is adverse.
pub const ADVERSE_PRECIPITATION_IN_ABOVE: f64 = 0.0;
/// Visibility (statute miles) below which an hour is adverse.
pub const ADVERSE_VISIBILITY_MI_BELOW: f64 = 3.0;
/// Wind gusts (mph) from which an hour is adverse.
pub const ADVERSE_GUST_MPH_AT_LEAST: f64 = 30.0;

/// The weather of an hour at an airport, as the delay model distinguishes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WeatherCategory {
    /// Observations, none adverse.
    Fair,
    /// At least one adverse observation in the lookback.
    Adverse,
    /// No observation: the data set has no weather for this airport and hour.
    Unknown,
}

impl WeatherCategory {
    /// Every category, in file order.
    pub const ALL: [WeatherCategory; 3] = [
        WeatherCategory::Fair,
        WeatherCategory::Adverse,
        WeatherCategory::Unknown,
    ];
}

/// The weather rule, as written into a parameter file so that a reader knows what "adverse" meant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeatherRule {
    /// See [`LOOKBACK_HOURS`].
    pub lookback_hours: i64,
    /// See [`ADVERSE_PRECIPITATION_IN_ABOVE`].
    pub precipitation_in_above: f64,
    /// See [`ADVERSE_VISIBILITY_MI_BELOW`].
    pub visibility_mi_below: f64,
    /// See [`ADVERSE_GUST_MPH_AT_LEAST`].
    pub wind_gust_mph_at_least: f64,
}

impl WeatherRule {
    /// The rule this version applies.
    pub fn current() -> WeatherRule {
        WeatherRule {
            lookback_hours: LOOKBACK_HOURS,
            precipitation_in_above: ADVERSE_PRECIPITATION_IN_ABOVE,
            visibility_mi_below: ADVERSE_VISIBILITY_MI_BELOW,
            wind_gust_mph_at_least: ADVERSE_GUST_MPH_AT_LEAST,
        }
    }
}

/// Per (airport, UTC hour): whether the observations of that hour were adverse.
#[derive(Clone, Debug, Default)]
pub struct WeatherIndex {
    hours: BTreeMap<(AirportCode, i64), bool>,
}

impl WeatherIndex {
    /// Indexes the schedule's observations.
    pub fn new(schedule: &Schedule) -> WeatherIndex {
        let mut hours: BTreeMap<(AirportCode, i64), bool> = BTreeMap::new();
        for w in schedule.weather() {
            let adverse = w
                .precipitation_in
                .is_some_and(|p| p > ADVERSE_PRECIPITATION_IN_ABOVE)
                || w.visibility_mi
                    .is_some_and(|v| v < ADVERSE_VISIBILITY_MI_BELOW)
                || w.wind_gust_mph
                    .is_some_and(|g| g >= ADVERSE_GUST_MPH_AT_LEAST);
            *hours
                .entry((w.airport, w.time.0.div_euclid(60)))
                .or_default() |= adverse;
        }
        WeatherIndex { hours }
    }

    /// The category of a departure from `airport` at `t`.
    pub fn category(&self, airport: AirportCode, t: UtcMinute) -> WeatherCategory {
        let hour = t.0.div_euclid(60);
        let mut seen = false;
        for h in hour - LOOKBACK_HOURS..=hour {
            match self.hours.get(&(airport, h)) {
                Some(true) => return WeatherCategory::Adverse,
                Some(false) => seen = true,
                None => {}
            }
        }
        if seen {
            WeatherCategory::Fair
        } else {
            WeatherCategory::Unknown
        }
    }
}
