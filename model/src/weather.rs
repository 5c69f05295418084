//! Hourly surface weather observations at airports (METAR-like), as the delay models read them.

use crate::ids::AirportCode;
use crate::time::UtcMinute;

/// One observation. A measurement the source did not give, or gave as physically impossible, is `None`.
#[derive(Clone, Debug, PartialEq)]
pub struct WeatherObservation {
    pub airport: AirportCode,
    pub time: UtcMinute,
    pub temperature_f: Option<f64>,
    pub dewpoint_f: Option<f64>,
    pub humidity_pct: Option<f64>,
    pub wind_direction_deg: Option<u16>,
    pub wind_speed_mph: Option<f64>,
    pub wind_gust_mph: Option<f64>,
    pub precipitation_in: Option<f64>,
    pub pressure_mb: Option<f64>,
    pub visibility_mi: Option<f64>,
}

/// What a surface observation can physically be: a value outside its range is a broken record, refused at
/// load (a loader may instead drop it to `None`, saying so). Each bound is beyond the world record it names.
pub mod domain {
    /// -128.6 °F (Vostok, 1983) to 134 °F (Death Valley, 1913); the dew point never exceeds the temperature.
    pub const TEMPERATURE_F: (f64, f64) = (-130.0, 140.0);
    pub const HUMIDITY_PCT: (f64, f64) = (0.0, 100.0);
    /// Degrees from true north; 0 is calm and 360 north in METARs.
    pub const WIND_DIRECTION_DEG: (u16, u16) = (0, 360);
    /// The highest surface gust measured is 253 mph (Barrow Island, 1996).
    pub const WIND_MPH: (f64, f64) = (0.0, 260.0);
    /// Per hourly observation; the record is about 12 inches in under an hour (Holt, Missouri, 1947).
    pub const PRECIPITATION_IN: (f64, f64) = (0.0, 15.0);
    /// Sea-level pressure: 870 mb (typhoon Tip, 1979) to 1084 mb (Agata, Siberia, 1968).
    pub const PRESSURE_MB: (f64, f64) = (850.0, 1100.0);
    /// Statute miles; surface observations report at most 10 in the US, 100 anywhere.
    pub const VISIBILITY_MI: (f64, f64) = (0.0, 100.0);
}
