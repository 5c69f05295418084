//! Disruptions: the things that go wrong on an operating day, as domain values with every time in UTC.
//! A scenario file (crate `ucodts-scenarios`) is parsed into these; the twin will inject them as events.
//! This module owns only their meaning and their simple invariants (a window is `from < to`), no I/O.

use crate::{AirportCode, CrewId, Date, Minutes, TailId, UtcMinute};

/// A reduced acceptance rate at an airport; `None` leaves that direction at its normal rate.
#[derive(Clone, Debug, PartialEq)]
pub struct AirportCapacity {
    pub airport: AirportCode,
    pub from: UtcMinute,
    pub to: UtcMinute,
    pub arrivals_per_hour: Option<u32>,
    pub departures_per_hour: Option<u32>,
}

/// A ground delay programme: flights bound for `airport` are held at their origins so that arrivals in the
/// window do not exceed `arrivals_per_hour`; no flight is held longer than `max_delay`.
#[derive(Clone, Debug, PartialEq)]
pub struct GroundDelayProgramme {
    pub airport: AirportCode,
    pub from: UtcMinute,
    pub to: UtcMinute,
    pub arrivals_per_hour: u32,
    pub max_delay: Option<Minutes>,
}

impl GroundDelayProgramme {
    /// Rationing by schedule at `per_hour` arrivals an hour: each arrival, in the order of `scheduled_in`
    /// (sorted), gets the first free slot at or after its scheduled arrival, the slots `60 / per_hour`
    /// minutes apart from the programme's start (unrounded, so that a rate of 10.4 lands 11 in some hours).
    /// The slot of each arrival, in the same order; the programme's maximum delay is the caller's to apply.
    pub fn slots_by_schedule(&self, per_hour: f64, scheduled_in: &[UtcMinute]) -> Vec<UtcMinute> {
        let spacing = 60.0 / per_hour.max(1.0 / 60.0);
        // The next free slot, in minutes after the programme starts.
        let mut next = 0.0f64;
        scheduled_in
            .iter()
            .map(|&t| {
                let free = self.from + Minutes(next.ceil() as i64);
                if t > free {
                    next = (t - self.from).0 as f64 + spacing;
                    t
                } else {
                    next += spacing;
                    free
                }
            })
            .collect()
    }
}

/// No arrivals and no departures at `airport` in the window (snow removal, runway incident).
#[derive(Clone, Debug, PartialEq)]
pub struct AirportClosure {
    pub airport: AirportCode,
    pub from: UtcMinute,
    pub to: UtcMinute,
}

/// A noise curfew: no movements at `airport` in the window; a flight that cannot make it before the
/// curfew starts is held until it ends or diverted.
#[derive(Clone, Debug, PartialEq)]
pub struct Curfew {
    pub airport: AirportCode,
    pub from: UtcMinute,
    pub to: UtcMinute,
}

/// An aircraft on ground: `tail` is unserviceable from `from` and expected back at `expected_return`,
/// give or take `return_uncertainty` (the spread the twin draws the real return time from).
#[derive(Clone, Debug, PartialEq)]
pub struct AircraftOnGround {
    pub tail: TailId,
    pub from: UtcMinute,
    pub expected_return: UtcMinute,
    pub return_uncertainty: Minutes,
}

/// Crew who do not report: one named crew member, or a random share (0..=1) of a base's crew.
/// Exactly one of `crew` and `base_share` is set.
#[derive(Clone, Debug, PartialEq)]
pub struct CrewSickCall {
    pub crew: Option<CrewId>,
    pub base_share: Option<(AirportCode, f64)>,
    pub at: UtcMinute,
}

/// One direction of a city pair.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Route {
    pub origin: AirportCode,
    pub destination: AirportCode,
}

/// The routes a disruption applies to.
#[derive(Clone, Debug, PartialEq)]
pub enum Routes {
    All,
    Only(Vec<Route>),
}

impl Routes {
    /// Whether a leg from `origin` to `destination` is affected.
    pub fn contains(&self, origin: AirportCode, destination: AirportCode) -> bool {
        match self {
            Routes::All => true,
            Routes::Only(routes) => routes
                .iter()
                .any(|r| r.origin == origin && r.destination == destination),
        }
    }
}

/// ATC / en-route delay: legs on `routes` departing in the window take `extra` longer.
#[derive(Clone, Debug, PartialEq)]
pub struct RouteDelay {
    pub routes: Routes,
    pub from: UtcMinute,
    pub to: UtcMinute,
    pub extra: Minutes,
}

/// Block times on `routes` departing in the window are `percent` % longer (headwinds, reroutes).
#[derive(Clone, Debug, PartialEq)]
pub struct BlockTimeInflation {
    pub routes: Routes,
    pub from: UtcMinute,
    pub to: UtcMinute,
    pub percent: f64,
}

/// Replay the recorded weather of `source_date` on `target_date` (e.g. a winter storm onto a summer day).
#[derive(Clone, Debug, PartialEq)]
pub struct WeatherReplay {
    pub source_date: Date,
    pub target_date: Date,
}

/// One disruption of a scenario.
#[derive(Clone, Debug, PartialEq)]
pub enum Disruption {
    AirportCapacity(AirportCapacity),
    GroundDelayProgramme(GroundDelayProgramme),
    AirportClosure(AirportClosure),
    Curfew(Curfew),
    AircraftOnGround(AircraftOnGround),
    CrewSickCall(CrewSickCall),
    RouteDelay(RouteDelay),
    BlockTimeInflation(BlockTimeInflation),
    WeatherReplay(WeatherReplay),
}

impl Disruption {
    /// The name of the kind as a scenario file spells it (`airport_capacity`).
    pub fn kind(&self) -> &'static str {
        match self {
            Disruption::AirportCapacity(_) => "airport_capacity",
            Disruption::GroundDelayProgramme(_) => "ground_delay_programme",
            Disruption::AirportClosure(_) => "airport_closure",
            Disruption::Curfew(_) => "curfew",
            Disruption::AircraftOnGround(_) => "aircraft_on_ground",
            Disruption::CrewSickCall(_) => "crew_sick_call",
            Disruption::RouteDelay(_) => "route_delay",
            Disruption::BlockTimeInflation(_) => "block_time_inflation",
            Disruption::WeatherReplay(_) => "weather_replay",
        }
    }

    /// The UTC interval `[from, to)` in which the disruption acts, if it is bounded in time.
    /// A sick call acts from `at` to the end of the day it falls on; a weather replay covers the target day.
    pub fn window(&self) -> (UtcMinute, UtcMinute) {
        match self {
            Disruption::AirportCapacity(d) => (d.from, d.to),
            Disruption::GroundDelayProgramme(d) => (d.from, d.to),
            Disruption::AirportClosure(d) => (d.from, d.to),
            Disruption::Curfew(d) => (d.from, d.to),
            Disruption::AircraftOnGround(d) => (d.from, d.expected_return + d.return_uncertainty),
            Disruption::CrewSickCall(d) => {
                let (date, _) = d.at.date_minute();
                (d.at, UtcMinute::from_date_minute(date.add_days(1), 0))
            }
            Disruption::RouteDelay(d) => (d.from, d.to),
            Disruption::BlockTimeInflation(d) => (d.from, d.to),
            Disruption::WeatherReplay(d) => (
                UtcMinute::from_date_minute(d.target_date, 0),
                UtcMinute::from_date_minute(d.target_date.add_days(1), 0),
            ),
        }
    }

    /// The airport this disruption is tied to, if any.
    pub fn airport(&self) -> Option<AirportCode> {
        match self {
            Disruption::AirportCapacity(d) => Some(d.airport),
            Disruption::GroundDelayProgramme(d) => Some(d.airport),
            Disruption::AirportClosure(d) => Some(d.airport),
            Disruption::Curfew(d) => Some(d.airport),
            Disruption::CrewSickCall(d) => d.base_share.map(|(base, _)| base),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> UtcMinute {
        UtcMinute::parse(text).unwrap()
    }

    #[test]
    fn a_sick_call_acts_until_the_end_of_its_utc_day() {
        let d = Disruption::CrewSickCall(CrewSickCall {
            crew: Some(CrewId::new("B6-JFK-CA-0001")),
            base_share: None,
            at: t("2013-07-02T10:00Z"),
        });
        assert_eq!(d.window(), (t("2013-07-02T10:00Z"), t("2013-07-03T00:00Z")));
        assert_eq!(d.kind(), "crew_sick_call");
    }

    #[test]
    fn route_sets_match_one_direction_only() {
        let jfk = AirportCode::new("JFK").unwrap();
        let bos = AirportCode::new("BOS").unwrap();
        let only = Routes::Only(vec![Route {
            origin: jfk,
            destination: bos,
        }]);
        assert!(only.contains(jfk, bos));
        assert!(!only.contains(bos, jfk));
        assert!(Routes::All.contains(bos, jfk));
    }
}
