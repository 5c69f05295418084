//! What the disruption models know about a leg before it flies: the weather in windows around its hour at
//! the origin, its airport, airline, local hour, day of the week and how busy its hour is.
//!
//! The weather windows reach **after** the scheduled departure as well as before it: the recorded weather is
//! used as a perfect forecast (operations control cancels ahead of a storm on the forecast; the record holds
//! only what happened). Every output that rests on these features says so.
//!
//! Per (airport, UTC hour) the observations give precipitation (summed), frozen precipitation (precipitation
//! at or below [`FROZEN_AT_OR_BELOW_F`] in an hour whose visibility was at most
//! [`FROZEN_VISIBILITY_MI_AT_MOST`]), the lowest visibility and the highest gust. A *severe* hour has
//! frozen precipitation of [`SEVERE_FROZEN_IN_AT_LEAST`] or more, visibility under
//! [`SEVERE_VISIBILITY_MI_BELOW`] or gusts of [`SEVERE_GUST_MPH_AT_LEAST`]; the hours since the last one (up
//! to [`SEVERE_LOOKBACK_HOURS`]) say how fresh the aftermath of a storm is, when aircraft and crew are out
//! of position and runways are being cleared under a clear sky.

use std::collections::BTreeMap;

use ucodts_model::{AirportCode, CarrierCode, Leg, Schedule, UtcMinute};

/// Hours either side of the departure hour of the near window.
pub const NEAR_WINDOW_HOURS: i64 = 2;
/// Hours either side of the departure hour of the wide window.
pub const WIDE_WINDOW_HOURS: i64 = 6;
/// Precipitation at or below this temperature (°F) counts as frozen (snow, sleet, freezing rain).
pub const FROZEN_AT_OR_BELOW_F: f64 = 34.0;
/// Precipitation counts as frozen only in an hour whose visibility was at most this (statute miles), or not
/// reported. Snow cuts visibility: the intensity a weather observer reports for snow is read off the
/// visibility (light above half a mile, heavy at a quarter or less), so precipitation at a near-freezing
/// temperature under a clear horizon is rain, not the snow an airline de-ices for, and a gauge that reads a
/// third of an inch an hour under a ten-mile sky is wrong (Newark, 27 January 2013, 02:00-07:00 local, at
/// 1030 mb). Fitted without January, counting every near-freezing hour cancelled 96 % of 16 January 2013's
/// departures (a wet day at 33-38 °F, visibility 4-8 miles; record 5.1 %) and 36 % of 27 January's (clear;
/// record 1.9 %); with this rule 3.8 and 0.4 %, while 8 and 9 February (fitted without February) cancel
/// 45.2 and 52.3 % (record 50.8 and 57.5). A 5-mile limit left 16 January at 36 %; a limit under 3 miles
/// dropped 8 February to 38 % (its evening snow came at 3 miles).
pub const FROZEN_VISIBILITY_MI_AT_MOST: f64 = 3.0;
/// Frozen precipitation in an hour (inches of water) from which the hour is severe.
pub const SEVERE_FROZEN_IN_AT_LEAST: f64 = 0.02;
/// Visibility (statute miles) under which an hour is severe (low IFR).
pub const SEVERE_VISIBILITY_MI_BELOW: f64 = 1.0;
/// Gusts (mph) from which an hour is severe.
pub const SEVERE_GUST_MPH_AT_LEAST: f64 = 40.0;
/// Frozen precipitation over the near window (inches of water) from which it is a snowstorm
/// ([`WeatherFeatures::storm_near`]): 0.02 an hour, [`SEVERE_FROZEN_IN_AT_LEAST`], for its five hours.
pub const STORM_FROZEN_NEAR_IN: f64 = 0.1;
/// How far back the last severe hour is looked for.
pub const SEVERE_LOOKBACK_HOURS: i64 = 48;
/// Hours either side of the departure hour of the day window (the weather of the operating day around it).
pub const DAY_WINDOW_HOURS: i64 = 12;
/// Precipitation at or above this temperature (°F) counts as warm (showers and thunderstorms, the summer's
/// ground stops), as opposed to the steady rain or snow of a cold front.
pub const WARM_AT_OR_ABOVE_F: f64 = 65.0;

/// One airport-hour of observations.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Hour {
    precipitation_in: f64,
    frozen_in: f64,
    warm_in: f64,
    visibility_mi: f64,
    gust_mph: f64,
    wind_mph: f64,
    temperature_f: Option<f64>,
    dewpoint_f: Option<f64>,
    pressure_mb: Option<f64>,
}

impl Hour {
    fn severe(&self) -> bool {
        self.frozen_in >= SEVERE_FROZEN_IN_AT_LEAST
            || self.visibility_mi < SEVERE_VISIBILITY_MI_BELOW
            || self.gust_mph >= SEVERE_GUST_MPH_AT_LEAST
    }
}

/// The observations of a schedule per (airport, UTC hour), for windows around a time.
#[derive(Clone, Debug, Default)]
pub struct WeatherWindows {
    hours: BTreeMap<(AirportCode, i64), Hour>,
}

/// The weather around one departure.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct WeatherFeatures {
    /// Precipitation in the near window, inches.
    pub precipitation_near_in: f32,
    /// Precipitation in the wide window, inches.
    pub precipitation_wide_in: f32,
    /// Frozen precipitation in the near window, inches.
    pub frozen_near_in: f32,
    /// Frozen precipitation in the wide window, inches.
    pub frozen_wide_in: f32,
    /// Frozen precipitation in the 24 hours before the departure hour, inches.
    pub frozen_previous_day_in: f32,
    /// Lowest visibility in the near window, miles (10 when none was observed).
    pub min_visibility_mi: f32,
    /// Highest gust in the near window, mph (0 when none).
    pub max_gust_mph: f32,
    /// Hours since the last severe hour at or before the departure hour; `None` within the lookback.
    pub hours_since_severe: Option<u16>,
    /// Whether any hour of the wide window was observed.
    pub observed: bool,
    /// Precipitation in the day window (the departure hour and [`DAY_WINDOW_HOURS`] either side), inches.
    pub precipitation_day_in: f32,
    /// Precipitation at or above [`WARM_AT_OR_ABOVE_F`] in the near window, inches (showers, thunderstorms).
    pub warm_precipitation_near_in: f32,
    /// Precipitation at or above [`WARM_AT_OR_ABOVE_F`] in the day window, inches.
    pub warm_precipitation_day_in: f32,
    /// Lowest visibility in the wide window, miles (10 when none was observed).
    pub min_visibility_wide_mi: f32,
    /// Highest gust in the wide window, mph (0 when none).
    pub max_gust_wide_mph: f32,
    /// Highest sustained wind in the near window, mph (0 when none).
    pub max_wind_near_mph: f32,
    /// Highest temperature in the wide window, °F; `None` when none was observed.
    pub max_temperature_wide_f: Option<f32>,
    /// Highest dew point in the wide window, °F (moist air: thunderstorms); `None` when none was observed.
    pub max_dewpoint_wide_f: Option<f32>,
    /// Lowest sea-level pressure in the day window, mb (fronts and lows); `None` when none was observed.
    pub min_pressure_day_mb: Option<f32>,
}

impl WeatherFeatures {
    /// Fair weather, observed: what [`DisruptionModel::weather_excess_probability`](super::DisruptionModel::weather_excess_probability)
    /// compares a forecast with.
    pub fn fair() -> WeatherFeatures {
        WeatherFeatures {
            min_visibility_mi: 10.0,
            min_visibility_wide_mi: 10.0,
            observed: true,
            ..WeatherFeatures::default()
        }
    }

    /// Whether the near window holds a snowstorm: at least [`STORM_FROZEN_NEAR_IN`] of frozen
    /// precipitation over its hours, or frozen precipitation under [`SEVERE_VISIBILITY_MI_BELOW`] of
    /// visibility. Fog, rain and gusts alone are not a storm here: gated on them too, the storm policy
    /// raised the cancelled share of ordinary winter and autumn months by one to two points and cost them a
    /// point of on-time rate (fitted leave-one-month-out on 2013).
    pub fn storm_near(&self) -> bool {
        let frozen = f64::from(self.frozen_near_in);
        frozen >= STORM_FROZEN_NEAR_IN
            || (frozen > 0.0 && f64::from(self.min_visibility_mi) < SEVERE_VISIBILITY_MI_BELOW)
    }
}

impl WeatherWindows {
    /// The first instant at or after `t` (on the hour, or `t` itself) from which `airport` has no severe
    /// hour within [`NEAR_WINDOW_HOURS`] either side: when a storm there has cleared on the forecast. Looks
    /// up to [`SEVERE_LOOKBACK_HOURS`] ahead (a longer storm is read as clearing then).
    pub fn clear_from(&self, airport: AirportCode, t: UtcMinute) -> UtcMinute {
        let hour = t.0.div_euclid(60);
        let severe = |h: i64| self.hours.get(&(airport, h)).is_some_and(Hour::severe);
        for h in hour..=hour + SEVERE_LOOKBACK_HOURS {
            if (h - NEAR_WINDOW_HOURS..=h + NEAR_WINDOW_HOURS).all(|k| !severe(k)) {
                return if h == hour { t } else { UtcMinute(h * 60) };
            }
        }
        UtcMinute((hour + SEVERE_LOOKBACK_HOURS) * 60)
    }

    /// Indexes the schedule's observations.
    pub fn new(schedule: &Schedule) -> WeatherWindows {
        let mut hours: BTreeMap<(AirportCode, i64), Hour> = BTreeMap::new();
        for w in schedule.weather() {
            let h = hours
                .entry((w.airport, w.time.0.div_euclid(60)))
                .or_insert(Hour {
                    precipitation_in: 0.0,
                    frozen_in: 0.0,
                    warm_in: 0.0,
                    visibility_mi: 10.0,
                    gust_mph: 0.0,
                    wind_mph: 0.0,
                    temperature_f: None,
                    dewpoint_f: None,
                    pressure_mb: None,
                });
            let p = w.precipitation_in.unwrap_or(0.0).max(0.0);
            h.precipitation_in += p;
            let snow_like = !matches!(w.visibility_mi, Some(v) if v > FROZEN_VISIBILITY_MI_AT_MOST);
            if w.temperature_f.is_some_and(|t| t <= FROZEN_AT_OR_BELOW_F) && snow_like {
                h.frozen_in += p;
            }
            if w.temperature_f.is_some_and(|t| t >= WARM_AT_OR_ABOVE_F) {
                h.warm_in += p;
            }
            let higher = |a: Option<f64>, b: Option<f64>| match (a, b) {
                (Some(x), Some(y)) => Some(x.max(y)),
                (x, y) => x.or(y),
            };
            h.temperature_f = higher(h.temperature_f, w.temperature_f);
            h.dewpoint_f = higher(h.dewpoint_f, w.dewpoint_f);
            h.pressure_mb = match (h.pressure_mb, w.pressure_mb) {
                (Some(x), Some(y)) => Some(x.min(y)),
                (x, y) => x.or(y),
            };
            if let Some(s) = w.wind_speed_mph {
                h.wind_mph = h.wind_mph.max(s);
            }
            if let Some(v) = w.visibility_mi {
                h.visibility_mi = h.visibility_mi.min(v);
            }
            if let Some(g) = w.wind_gust_mph {
                h.gust_mph = h.gust_mph.max(g);
            }
        }
        WeatherWindows { hours }
    }

    /// The weather around a departure from `airport` at `t`.
    pub fn around(&self, airport: AirportCode, t: UtcMinute) -> WeatherFeatures {
        let hour = t.0.div_euclid(60);
        let mut f = WeatherFeatures {
            min_visibility_mi: 10.0,
            min_visibility_wide_mi: 10.0,
            ..WeatherFeatures::default()
        };
        let (mut pn, mut pw, mut fnear, mut fw, mut fd) = (0.0, 0.0, 0.0, 0.0, 0.0);
        let (mut pday, mut warm_near, mut warm_day) = (0.0, 0.0, 0.0);
        let reach = WIDE_WINDOW_HOURS.max(DAY_WINDOW_HOURS);
        let range = (airport, hour - SEVERE_LOOKBACK_HOURS)..=(airport, hour + reach);
        let max = |a: Option<f32>, b: Option<f64>| match (a, b) {
            (Some(x), Some(y)) => Some(x.max(y as f32)),
            (x, y) => x.or(y.map(|v| v as f32)),
        };
        for (&(_, h), o) in self.hours.range(range) {
            let d = h - hour;
            if d.abs() <= DAY_WINDOW_HOURS {
                pday += o.precipitation_in;
                warm_day += o.warm_in;
                f.min_pressure_day_mb = match (f.min_pressure_day_mb, o.pressure_mb) {
                    (Some(x), Some(y)) => Some(x.min(y as f32)),
                    (x, y) => x.or(y.map(|v| v as f32)),
                };
            }
            if d.abs() <= WIDE_WINDOW_HOURS {
                f.observed = true;
                pw += o.precipitation_in;
                fw += o.frozen_in;
                f.min_visibility_wide_mi = f.min_visibility_wide_mi.min(o.visibility_mi as f32);
                f.max_gust_wide_mph = f.max_gust_wide_mph.max(o.gust_mph as f32);
                f.max_temperature_wide_f = max(f.max_temperature_wide_f, o.temperature_f);
                f.max_dewpoint_wide_f = max(f.max_dewpoint_wide_f, o.dewpoint_f);
            }
            if d.abs() <= NEAR_WINDOW_HOURS {
                pn += o.precipitation_in;
                fnear += o.frozen_in;
                warm_near += o.warm_in;
                f.min_visibility_mi = f.min_visibility_mi.min(o.visibility_mi as f32);
                f.max_gust_mph = f.max_gust_mph.max(o.gust_mph as f32);
                f.max_wind_near_mph = f.max_wind_near_mph.max(o.wind_mph as f32);
            }
            if (-24..0).contains(&d) {
                fd += o.frozen_in;
            }
            if d <= 0 && o.severe() {
                f.hours_since_severe = Some((-d) as u16);
            }
        }
        f.precipitation_near_in = pn as f32;
        f.precipitation_wide_in = pw as f32;
        f.frozen_near_in = fnear as f32;
        f.frozen_wide_in = fw as f32;
        f.frozen_previous_day_in = fd as f32;
        f.precipitation_day_in = pday as f32;
        f.warm_precipitation_near_in = warm_near as f32;
        f.warm_precipitation_day_in = warm_day as f32;
        f
    }
}

/// Everything the disruption models read of one leg.
#[derive(Clone, Debug, PartialEq)]
pub struct LegFeatures {
    /// Weather at the origin around the scheduled departure.
    pub weather: WeatherFeatures,
    /// Origin.
    pub airport: AirportCode,
    /// Operating airline.
    pub carrier: CarrierCode,
    /// Local hour of the scheduled departure at the origin, 0-23.
    pub local_hour: u8,
    /// Day of the week of the operating day, 0 = Monday.
    pub day_of_week: u8,
    /// Departures scheduled from the origin in the same local hour of the same day (the data set's own).
    pub scheduled_departures_in_hour: u16,
    /// Departures scheduled from the origin on the same local day (the data set's own).
    pub scheduled_departures_in_day: u16,
    /// Day of the year of the operating day, 0 = 1 January (the season).
    pub day_of_year: u16,
}

/// The scheduled departures per (origin, UTC hour) of a schedule: how busy an hour is.
#[derive(Clone, Debug, Default)]
pub struct ScheduledTraffic {
    departures: BTreeMap<(AirportCode, i64), u16>,
}

impl ScheduledTraffic {
    /// Counts the schedule's legs (cancelled ones too: this is the plan, not the outcome).
    pub fn new(schedule: &Schedule) -> ScheduledTraffic {
        let mut departures: BTreeMap<(AirportCode, i64), u16> = BTreeMap::new();
        for l in schedule.legs() {
            let n = departures
                .entry((l.origin, l.scheduled_out.0.div_euclid(60)))
                .or_default();
            *n = n.saturating_add(1);
        }
        ScheduledTraffic { departures }
    }

    fn at(&self, airport: AirportCode, t: UtcMinute) -> u16 {
        self.departures
            .get(&(airport, t.0.div_euclid(60)))
            .copied()
            .unwrap_or(0)
    }

    /// Departures from `airport` in the 24 hours from `midnight` (a local midnight, in UTC).
    fn in_day(&self, airport: AirportCode, midnight: UtcMinute) -> u16 {
        let first = midnight.0.div_euclid(60);
        self.departures
            .range((airport, first)..(airport, first + 24))
            .fold(0u16, |n, (_, &k)| n.saturating_add(k))
    }
}

/// The day of the week of a date given as days since 1970-01-01 (a Thursday); 0 = Monday.
pub fn day_of_week(days_since_epoch: i64) -> u8 {
    (days_since_epoch + 3).rem_euclid(7) as u8
}

/// The features of `leg` of `schedule`.
pub fn leg_features(
    schedule: &Schedule,
    leg: &Leg,
    weather: &WeatherWindows,
    traffic: &ScheduledTraffic,
) -> LegFeatures {
    let zone = schedule
        .airport(leg.origin)
        .expect("a schedule's legs name known airports")
        .time_zone;
    let local = zone.to_local(leg.scheduled_out);
    let days = local.date.days_since_epoch();
    let new_year = ucodts_model::Date::new(local.date.year, 1, 1)
        .expect("1 January exists every year")
        .days_since_epoch();
    let midnight = UtcMinute(leg.scheduled_out.0 - local.minute_of_day);
    LegFeatures {
        weather: weather.around(leg.origin, leg.scheduled_out),
        airport: leg.origin,
        carrier: leg.carrier.clone(),
        local_hour: (local.minute_of_day / 60) as u8,
        day_of_week: day_of_week(days),
        scheduled_departures_in_hour: traffic.at(leg.origin, leg.scheduled_out),
        scheduled_departures_in_day: traffic.in_day(leg.origin, midnight),
        day_of_year: (days - new_year).clamp(0, 365) as u16,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_of_january_2013_was_a_tuesday() {
        let d = ucodts_model::Date::new(2013, 1, 1).unwrap();
        assert_eq!(day_of_week(d.days_since_epoch()), 1);
        assert_eq!(day_of_week(0), 3);
    }
}
