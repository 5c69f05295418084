//! Airports and airlines.

use crate::ids::{AirportCode, CarrierCode};
use crate::time::TimeZone;

#[derive(Clone, Debug, PartialEq)]
pub struct Airport {
    pub code: AirportCode,
    /// ICAO location indicator (`KEWR`), where one is assigned.
    pub icao: Option<String>,
    pub name: String,
    pub latitude_deg: f64,
    pub longitude_deg: f64,
    pub time_zone: TimeZone,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Airline {
    pub code: CarrierCode,
    pub name: String,
}

/// The range of an airport's latitude, degrees north.
pub const LATITUDE_DEG: (f64, f64) = (-90.0, 90.0);
/// The range of an airport's longitude, degrees east.
pub const LONGITUDE_DEG: (f64, f64) = (-180.0, 180.0);
