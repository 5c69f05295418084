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
