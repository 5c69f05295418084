//! How much of an airport's traffic a world's flights are, so that an airport rate a planner gives for the
//! whole airport ("Newark arrivals cut to 20 an hour") becomes the rate the data set's flights get.
//!
//! A data set rarely holds all of an airport's traffic: the embedded default has the New York departures
//! of the carriers that report on-time data, and only inferred returns as arrivals, so its flights are a
//! third to a half of the New York airports' movements. A cut to 20 arrivals an hour applied to them as
//! written never binds: they alone never reach 20 an hour. Under a real cut the other traffic is cut too,
//! and flights are rationed in proportion to their share of the demand. So at an airport whose real rate
//! is known, the twin gives the data set's flights `rate × share`, where `share` is the data set's
//! scheduled movements (per direction) in the disruption's window over what the airport is scheduled to
//! handle in it. The New York airports were slot-controlled in 2013 and scheduled to their hourly limits
//! all through the busy day; those limits (`actors/data/airport-scheduling-limits.csv`, each row citing
//! its FAA order) stand for the airport's rate, split evenly between arrivals and departures. In effect a
//! cut to `rate` of the airport's `limit` leaves the data set's flights `rate / limit` of their scheduled
//! movements in the window. At an airport without a row, a rate applies to the data set's flights as
//! written. (A window at night, when the airport is not scheduled to its limit, is cut as if it were.)

use std::sync::OnceLock;

use ucodts_model::{AirportCode, UtcMinute};

use crate::World;

/// The compiled-in table of hourly limits on scheduled operations, with sources.
const LIMITS_CSV: &str = include_str!("../../data/airport-scheduling-limits.csv");

/// An airport's hourly limit on scheduled operations (arrivals plus departures), with its source.
#[derive(Clone, Debug, PartialEq)]
pub struct SchedulingLimit {
    /// The airport.
    pub airport: AirportCode,
    /// Scheduled arrivals plus departures allowed per clock hour.
    pub operations_per_hour: u32,
    /// First local clock hour the limit applies to.
    /// (The hours document the order; the twin assumes the limit wherever a disruption's window is.)
    pub first_hour_local: i64,
    /// Last local clock hour the limit applies to (inclusive).
    pub last_hour_local: i64,
    /// Whether the number and hours were read in the cited text.
    pub verified: bool,
    /// The order or publication the row comes from.
    pub source: String,
}

impl SchedulingLimit {
    /// The airport's rate in one direction: half its scheduled operations.
    pub fn per_direction_per_hour(&self) -> f64 {
        f64::from(self.operations_per_hour) / 2.0
    }
}

/// Every row of the compiled-in table (`actors/data/airport-scheduling-limits.csv`).
pub fn scheduling_limits() -> &'static [SchedulingLimit] {
    static LIMITS: OnceLock<Vec<SchedulingLimit>> = OnceLock::new();
    LIMITS.get_or_init(|| {
        parse_limits(LIMITS_CSV).unwrap_or_else(|e| {
            panic!("the compiled-in airport-scheduling-limits.csv is malformed (a build bug, tested): {e}")
        })
    })
}

/// The limit of one airport, if the table has it.
pub fn scheduling_limit(airport: AirportCode) -> Option<&'static SchedulingLimit> {
    scheduling_limits().iter().find(|l| l.airport == airport)
}

fn parse_limits(text: &str) -> Result<Vec<SchedulingLimit>, String> {
    let mut rows = Vec::new();
    let lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .skip(1); // the header
    for (i, line) in lines {
        let bad = |field: &str| format!("line {}: field `{field}`: `{line}`", i + 1);
        let mut cells = line.splitn(6, ',');
        let mut next = |field: &str| cells.next().map(str::trim).ok_or_else(|| bad(field));
        let airport = AirportCode::new(next("airport")?).ok_or_else(|| bad("airport"))?;
        let operations_per_hour = next("operations_per_hour")?
            .parse::<u32>()
            .ok()
            .filter(|&n| n > 0)
            .ok_or_else(|| bad("operations_per_hour"))?;
        let hour = |text: &str, field: &str| {
            text.parse::<i64>()
                .ok()
                .filter(|h| (0..24).contains(h))
                .ok_or_else(|| bad(field))
        };
        let first_hour_local = hour(next("first_hour_local")?, "first_hour_local")?;
        let last_hour_local = hour(next("last_hour_local")?, "last_hour_local")?;
        if last_hour_local < first_hour_local {
            return Err(bad("last_hour_local"));
        }
        let verified = match next("verified")? {
            "yes" => true,
            "no" => false,
            _ => return Err(bad("verified")),
        };
        let source = next("source")?.trim_matches('"').to_string();
        if source.is_empty() {
            return Err(bad("source"));
        }
        rows.push(SchedulingLimit {
            airport,
            operations_per_hour,
            first_hour_local,
            last_hour_local,
            verified,
            source,
        });
    }
    Ok(rows)
}

/// The share of an airport's scheduled traffic that a world's flights make up in a window, per direction.
#[derive(Clone, Debug, PartialEq)]
pub struct TrafficShare {
    /// The airport's limit this share is of.
    pub limit: &'static SchedulingLimit,
    /// The world's scheduled arrivals in the window over the airport's arrival rate in it (0..=1).
    pub arrivals: f64,
    /// The same for departures.
    pub departures: f64,
}

impl TrafficShare {
    /// The share of `limit`'s airport that `arrivals` and `departures` scheduled in `[from, to)` make up.
    pub fn of(
        limit: &'static SchedulingLimit,
        from: UtcMinute,
        to: UtcMinute,
        arrivals: usize,
        departures: usize,
    ) -> TrafficShare {
        let hours = (to - from).0.max(1) as f64 / 60.0;
        let capacity = limit.per_direction_per_hour() * hours;
        let share = |n: usize| (n as f64 / capacity).min(1.0);
        TrafficShare {
            limit,
            arrivals: share(arrivals),
            departures: share(departures),
        }
    }

    /// The hourly rate the world's flights get of an airport rate `per_hour` (all traffic) in one
    /// direction; `None` if `per_hour` is no cut (at or above the airport's rate).
    pub fn rate_for_world(&self, arrivals: bool, per_hour: u32) -> Option<f64> {
        if f64::from(per_hour) >= self.limit.per_direction_per_hour() {
            return None;
        }
        let share = if arrivals {
            self.arrivals
        } else {
            self.departures
        };
        Some(f64::from(per_hour) * share)
    }
}

impl World {
    /// The share of `airport`'s scheduled traffic this world's flights make up in `[from, to)`, if the
    /// airport has a scheduling limit in `actors/data/airport-scheduling-limits.csv`: the world's
    /// scheduled movements in the window over what the airport is scheduled to handle in it (its limit,
    /// half each way, assumed in force through the window), per direction. `None` also when
    /// [`crate::WorldOptions::airport_rates_are_whole_airport`] is off.
    pub fn traffic_share(
        &self,
        airport: AirportCode,
        from: UtcMinute,
        to: UtcMinute,
    ) -> Option<TrafficShare> {
        if !self.options().airport_rates_are_whole_airport {
            return None;
        }
        let limit = scheduling_limit(airport)?;
        let index = self.airports().iter().position(|a| a.code == airport)? as u32;
        let within = |t: UtcMinute| from <= t && t < to;
        let (mut arrivals, mut departures) = (0, 0);
        for leg in self.legs() {
            if leg.destination == index && within(leg.scheduled_in) {
                arrivals += 1;
            }
            if leg.origin == index && within(leg.scheduled_out) {
                departures += 1;
            }
        }
        Some(TrafficShare::of(limit, from, to, arrivals, departures))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compiled_in_table_parses_and_cites_a_source_per_row() {
        let limits = scheduling_limits();
        let codes: Vec<String> = limits.iter().map(|l| l.airport.to_string()).collect();
        assert_eq!(codes, ["JFK", "EWR", "LGA"]);
        assert!(limits.iter().all(|l| l.source.contains("FR")));
        assert_eq!(
            scheduling_limit(AirportCode::new("LGA").unwrap()).map(|l| l.operations_per_hour),
            Some(71)
        );
    }

    #[test]
    fn a_malformed_row_names_its_line_and_field() {
        let text = "airport,operations_per_hour,first_hour_local,last_hour_local,verified,source\n\
                    JFK,81,6,25,yes,\"x\"\n";
        let e = parse_limits(text).unwrap_err();
        assert!(e.starts_with("line 2: field `last_hour_local`"), "{e}");
    }
}
