//! Disruptions injected into the twin: what a scenario changes while the day runs.
//!
//! [`World::with_disruptions`] resolves scenario disruptions against a world once; the actors of every
//! replication then apply them at their times, as they would live:
//! - an airport's capacity (arrivals and/or departures per hour) changes at `from` and is restored at `to`;
//!   a closure or a curfew is a capacity of zero (movements wait until it lifts; no diversions);
//! - an aircraft on ground cannot depart from `from` until its return, drawn per replication from the
//!   stream of (replication, tail, "aog") uniformly within `expected_return ± return_uncertainty`;
//! - block-time inflation and route delays lengthen the block of matching legs that leave in the window.
//!
//! - a crew member calling in sick at `at` works no leg scheduled to leave at or after `at` (operations
//!   control finds a reserve or cancels); of a base's share, each member is sick or not by a draw from the
//!   stream of (replication, member, "sick_call").
//!
//! - a ground delay programme gives each flight bound for the airport and scheduled to arrive in the window
//!   the first free arrival slot at the programme's rate from its scheduled arrival (ration by schedule,
//!   at most `max_delay` later), and holds it at its origin by as much (its departure is retimed, as an
//!   EDCT is issued before the flight leaves);
//!
//! - a weather replay gives each leg of the target operating day (local date at its origin) the weather its
//!   origin had at the same time on the source day: the category that selects the delay model's
//!   distributions, and the weather windows the disruption model's cancellations read; and each leg
//!   arriving on the target day (local date at its destination) the weather its destination had then, which
//!   operations control reads to cancel flights into a storm.
//!
//! Every kind of [`Disruption`] is simulated.
//!
//! Airport rates (capacity cuts, ground delay programmes) are the whole airport's, as a planner reads them
//! off an advisory; at an airport with a known scheduling limit the data set's flights get their share of
//! the rate ([`traffic_share`]), the other traffic taking the rest.

use ucodts_model::{Disruption, Minutes, Routes, UtcMinute};
use ucodts_sim::{Purpose, SimTime};
use ucodts_stats::hash::fnv1a;

use crate::replication::sim_time;
use crate::{ActorsError, World};

pub mod traffic_share;
pub use traffic_share::{scheduling_limit, scheduling_limits, SchedulingLimit, TrafficShare};

/// The stream purpose of an AOG's return time.
pub const AOG: Purpose = Purpose::named("aog");

/// The stream purpose of whether a crew member of a base's sick share calls in sick.
pub const SICK: Purpose = Purpose::named("sick_call");

/// The disruption kinds the twin simulates (as scenario files spell them).
pub const SIMULATED_KINDS: [&str; 9] = [
    "weather_replay",
    "airport_capacity",
    "ground_delay_programme",
    "airport_closure",
    "curfew",
    "aircraft_on_ground",
    "crew_sick_call",
    "route_delay",
    "block_time_inflation",
];

/// The stream entity of a crew member (a hash of the id, apart from tails' and legs' entities).
pub(crate) fn crew_entity(id: &str) -> u64 {
    fnv1a(id.as_bytes()) ^ 0x5349_434b_0000_0000
}

/// A capacity change at one airport in `[from, to)`; `None` leaves a direction as it was.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct CapacityChange {
    pub airport: u32,
    pub from: SimTime,
    pub to: SimTime,
    pub arrivals_per_hour: Option<u32>,
    pub departures_per_hour: Option<u32>,
}

/// A tail out of service from `from` until `expected_return ± uncertainty_s`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Grounding {
    pub aircraft: u32,
    pub from: SimTime,
    pub expected_return: SimTime,
    pub uncertainty_s: i64,
}

/// Longer blocks for matching legs leaving in `[from, to)`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct BlockEffect {
    pub routes: Routes,
    pub from: SimTime,
    pub to: SimTime,
    pub factor: f64,
    pub extra_min: f64,
}

/// Every disruption of a world, resolved to its indices.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Injected {
    pub capacity: Vec<CapacityChange>,
    pub groundings: Vec<Grounding>,
    pub blocks: Vec<BlockEffect>,
    /// Named sick calls: (crew index, from when).
    pub sick_crew: Vec<(u32, SimTime)>,
    /// A random share of a base's crew calls in sick: (base airport index, share, from when).
    pub sick_share: Vec<(u32, f64, SimTime)>,
}

impl Injected {
    /// The hourly capacity in force at `t` for one direction, starting from `base`.
    pub fn capacity_at(
        &self,
        airport: u32,
        arrivals: bool,
        base: u32,
        t: SimTime,
    ) -> (u32, SimTime) {
        let mut per_hour = base;
        let mut until = SimTime(i64::MAX);
        for c in &self.capacity {
            if c.airport == airport && c.from <= t && t < c.to {
                let cut = if arrivals {
                    c.arrivals_per_hour
                } else {
                    c.departures_per_hour
                };
                if let Some(cut) = cut {
                    if cut < per_hour {
                        per_hour = cut;
                        until = c.to;
                    } else if cut == per_hour {
                        until = until.min(c.to);
                    }
                }
            }
        }
        (per_hour, until)
    }

    /// Scheduled-plus-variation block minutes of a leg from `origin` to `destination` leaving at `out`,
    /// after the block effects in force.
    pub fn block_min(
        &self,
        world: &World,
        origin: u32,
        destination: u32,
        out: SimTime,
        block: f64,
    ) -> f64 {
        let (o, d) = (
            world.airports()[origin as usize].code,
            world.airports()[destination as usize].code,
        );
        let mut block = block;
        for b in &self.blocks {
            if b.from <= out && out < b.to && b.routes.contains(o, d) {
                block = block * b.factor + b.extra_min;
            }
        }
        block
    }
}

impl World {
    /// This world with `disruptions` injected (see the module [`crate::disruption`]). An error names an
    /// airport the schedule does not have; a tail without legs in
    /// the window is not affected.
    pub fn with_disruptions(mut self, disruptions: &[Disruption]) -> Result<World, ActorsError> {
        let mut injected = Injected::default();
        let airport = |world: &World, code: ucodts_model::AirportCode| {
            world
                .airports()
                .iter()
                .position(|a| a.code == code)
                .map(|i| i as u32)
                .ok_or(ActorsError::InvalidSetting {
                    name: "disruption airport",
                    value: code.to_string(),
                    expected: "an airport of the schedule",
                })
        };
        for d in disruptions {
            match d {
                Disruption::AirportCapacity(c) => {
                    let share = self.traffic_share(c.airport, c.from, c.to);
                    // The airport's rate becomes the data set's share of it, at least one movement an
                    // hour (a rate of zero is a closure); a rate at or above the airport's is no cut.
                    let for_world = |arrivals: bool, rate: Option<u32>| match (rate, &share) {
                        (Some(0), _) => Some(0),
                        (Some(r), Some(s)) => s
                            .rate_for_world(arrivals, r)
                            .map(|r| (r.round() as u32).max(1)),
                        (rate, None) => rate,
                        (None, _) => None,
                    };
                    injected.capacity.push(CapacityChange {
                        airport: airport(&self, c.airport)?,
                        from: sim_time(c.from),
                        to: sim_time(c.to),
                        arrivals_per_hour: for_world(true, c.arrivals_per_hour),
                        departures_per_hour: for_world(false, c.departures_per_hour),
                    })
                }
                Disruption::AirportClosure(c) => injected.capacity.push(CapacityChange {
                    airport: airport(&self, c.airport)?,
                    from: sim_time(c.from),
                    to: sim_time(c.to),
                    arrivals_per_hour: Some(0),
                    departures_per_hour: Some(0),
                }),
                Disruption::GroundDelayProgramme(g) => {
                    let to_airport = airport(&self, g.airport)?;
                    let mut bound: Vec<(UtcMinute, u32)> = self
                        .legs()
                        .iter()
                        .enumerate()
                        .filter(|(_, l)| {
                            l.destination == to_airport
                                && g.from <= l.scheduled_in
                                && l.scheduled_in < g.to
                        })
                        .map(|(i, l)| (l.scheduled_in, i as u32))
                        .collect();
                    bound.sort();
                    // The programme rate is the airport's; the data set's flights get their share.
                    let rate = match self.traffic_share(g.airport, g.from, g.to) {
                        Some(share) => share
                            .rate_for_world(true, g.arrivals_per_hour)
                            .unwrap_or(f64::INFINITY),
                        None => f64::from(g.arrivals_per_hour),
                    };
                    let arrivals: Vec<UtcMinute> = bound.iter().map(|&(t, _)| t).collect();
                    let slots = g.slots_by_schedule(rate, &arrivals);
                    for ((scheduled_in, leg), slot) in bound.into_iter().zip(slots) {
                        let mut delay = slot - scheduled_in;
                        if let Some(max) = g.max_delay {
                            delay = delay.min(max);
                        }
                        if delay.0 > 0 {
                            let out = self.legs()[leg as usize].scheduled_out + delay;
                            self.hold_leg(leg, out);
                        }
                    }
                }
                Disruption::WeatherReplay(w) => {
                    let shift = Minutes(
                        (w.source_date.days_since_epoch() - w.target_date.days_since_epoch())
                            * 24
                            * 60,
                    );
                    // Every leg of the target's operating day (local date at its origin), evening included.
                    for i in 0..self.legs().len() {
                        let l = &self.legs()[i];
                        let origin = &self.airports()[l.origin as usize];
                        if origin.zone.to_local(l.scheduled_out).date == w.target_date {
                            let source = l.scheduled_out + shift;
                            let category = self.weather.category(origin.code, source);
                            let windows = self.weather_windows.around(origin.code, source);
                            self.set_leg_weather(i as u32, category, windows);
                        }
                    }
                    // And every arrival of the target day (local date at its destination): the weather
                    // that makes operations control cancel flights into a storm.
                    for i in 0..self.legs().len() {
                        let l = &self.legs()[i];
                        let destination = &self.airports()[l.destination as usize];
                        if destination.zone.to_local(l.scheduled_in).date == w.target_date {
                            let windows = self
                                .weather_windows
                                .around(destination.code, l.scheduled_in + shift);
                            self.set_arrival_weather(i as u32, windows);
                        }
                    }
                }
                // A curfew holds movements until it ends, as a closure does (diversions are not modelled).
                Disruption::Curfew(c) => injected.capacity.push(CapacityChange {
                    airport: airport(&self, c.airport)?,
                    from: sim_time(c.from),
                    to: sim_time(c.to),
                    arrivals_per_hour: Some(0),
                    departures_per_hour: Some(0),
                }),
                Disruption::AircraftOnGround(a) => {
                    if let Some(i) = self
                        .aircraft()
                        .iter()
                        .position(|w| w.tail.as_ref() == Some(&a.tail))
                    {
                        injected.groundings.push(Grounding {
                            aircraft: i as u32,
                            from: sim_time(a.from),
                            expected_return: sim_time(a.expected_return),
                            uncertainty_s: a.return_uncertainty.0.max(0) * 60,
                        });
                    }
                }
                Disruption::BlockTimeInflation(b) => injected.blocks.push(BlockEffect {
                    routes: b.routes.clone(),
                    from: sim_time(b.from),
                    to: sim_time(b.to),
                    factor: 1.0 + b.percent / 100.0,
                    extra_min: 0.0,
                }),
                Disruption::RouteDelay(r) => injected.blocks.push(BlockEffect {
                    routes: r.routes.clone(),
                    from: sim_time(r.from),
                    to: sim_time(r.to),
                    factor: 1.0,
                    extra_min: r.extra.0 as f64,
                }),
                Disruption::CrewSickCall(c) => {
                    if let Some(crew) = &c.crew {
                        if let Some(i) = self.crew().iter().position(|m| &m.id == crew) {
                            injected.sick_crew.push((i as u32, sim_time(c.at)));
                        }
                    }
                    if let Some((base, share)) = c.base_share {
                        injected
                            .sick_share
                            .push((airport(&self, base)?, share, sim_time(c.at)));
                    }
                }
            }
        }
        self.injected = injected;
        Ok(self)
    }
}
