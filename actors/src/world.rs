//! The world: what every replication of a window of operation starts from, built once from a `Schedule`
//! and shared (read-only) by all replications.
//!
//! A world holds the legs that operate on the days of a [`Window`] (local date of scheduled departure at the
//! origin), each tail's rotation through them, each crew member's positions on them (from the rosters), the
//! airports with their hourly capacities, the crew bases with their reserves, and the recovery actions in
//! force. Everything is in flat vectors addressed by `u32` indices; the actors of a replication keep only
//! their own changing state.
//!
//! What is assumed where the data says nothing (all adjustable through [`WorldOptions`]); the crew timing
//! and the reserves are the operating practice of [`ucodts_model::practice`], the numbers the crew generator
//! plans with and the crew recovery judge holds plans to:
//! - a crew member changing aircraft needs [`practice::MIN_CONNECTION_AIRCRAFT_CHANGE`]; one staying on the
//!   tail needs only the aircraft's turn;
//! - crew are released [`practice::RELEASE_AFTER_ARRIVAL`] after the last arrival of a duty and report no
//!   earlier than the minimum rest of 14 CFR 117.25(e) after it (the twin runs Part 117; the number is the
//!   rule table's, [`faa117::min_rest_before_fdp`]);
//! - an airport's capacity per hour, for departures and for arrivals separately, is the busiest hour the data
//!   set records there (scheduled or actual), but at least [`MIN_CAPACITY_PER_HOUR`]: the data of one airline
//!   or one city is only part of an outstation's traffic;
//! - crew and reserves who must get to another airport travel [`POSITIONING_FIXED`] plus the great-circle
//!   distance at [`POSITIONING_SPEED_KMH`];
//! - each crew base keeps a small pool of airport-standby reserves ([`ReserveSupply`]), and operations control
//!   holds a flight at most [`practice::MAX_HOLD_FOR_CREW`] for a crew member or reserve travelling in.
//! - a leg without a tail is flown by an aircraft of its own, which is always ready.

use std::collections::BTreeMap;

use ucodts_model::practice::{self, ReserveSupply};
use ucodts_model::rules::faa117;
use ucodts_model::{
    AirportCode, CarrierCode, CrewId, Date, Leg, LegId, LegSource, LegStatus, Minutes, Rank,
    Schedule, SegmentKind, TailId, TimeZone, UtcMinute,
};

use crate::delay_model::features::{leg_features, ScheduledTraffic};
use crate::delay_model::{HourBand, LegFeatures, WeatherCategory, WeatherIndex, WeatherWindows};
use crate::ActorsError;

/// Fixed part of any positioning trip of crew or reserves to another airport (an assumption).
pub const POSITIONING_FIXED: Minutes = Minutes(30);
/// Average gate-to-gate speed of a positioning trip over the great-circle distance (an assumption: jets
/// cruise near 800 km/h, and the route is rarely straight).
pub const POSITIONING_SPEED_KMH: f64 = 700.0;
/// The least hourly capacity (departures, and arrivals) given to any airport: about what one runway handles
/// in mixed operations (an assumption; raise or cut it per airport with [`WorldOptions::capacity`]).
pub const MIN_CAPACITY_PER_HOUR: u32 = 30;

/// Operating days, first and last included; a leg belongs to the day of its scheduled departure in the local
/// time of its origin.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// First operating day.
    pub from: Date,
    /// Last operating day.
    pub to: Date,
}

impl Window {
    /// The days `from` to `to`; an error if `to` is before `from`.
    pub fn new(from: Date, to: Date) -> Result<Window, ActorsError> {
        if to < from {
            return Err(ActorsError::BadWindow { from, to });
        }
        Ok(Window { from, to })
    }

    /// One operating day.
    pub fn day(date: Date) -> Window {
        Window {
            from: date,
            to: date,
        }
    }

    /// Whether `date` is one of the days.
    pub fn contains(&self, date: Date) -> bool {
        self.from <= date && date <= self.to
    }

    /// How many days.
    pub fn days(&self) -> i64 {
        self.to.days_since_epoch() - self.from.days_since_epoch() + 1
    }
}

/// The operating day of a leg: the local date of its scheduled departure at its origin.
pub fn service_date(schedule: &Schedule, leg: &Leg) -> Date {
    let zone = schedule
        .airport(leg.origin)
        .expect("a schedule's legs name known airports")
        .time_zone;
    leg.service_date(&zone)
}

/// A change to the plan that the twin flies: the hook through which a recovery plan reaches the world.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecoveryAction {
    /// The leg leaves no earlier than `earliest_out` (a delay decided in advance, or an injected one).
    Retime {
        /// The leg.
        leg: LegId,
        /// Its new earliest departure.
        earliest_out: UtcMinute,
    },
    /// The leg is not flown.
    Cancel {
        /// The leg.
        leg: LegId,
    },
}

pub(crate) fn rank_index(rank: Rank) -> usize {
    match rank {
        Rank::Captain => 0,
        Rank::FirstOfficer => 1,
        Rank::Cabin => 2,
    }
}

/// Movements an airport handles per clock hour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AirportCapacity {
    /// Departures per hour.
    pub departures_per_hour: u32,
    /// Arrivals per hour.
    pub arrivals_per_hour: u32,
}

/// The assumptions of a world (see the module documentation).
#[derive(Clone, Debug, PartialEq)]
pub struct WorldOptions {
    /// Least time for a crew member changing aircraft.
    pub crew_connection_aircraft_change: Minutes,
    /// From the last arrival of a duty to release.
    pub crew_release_after_arrival: Minutes,
    /// Least rest between release and the next report: by default the minimum rest of the rule set the twin
    /// runs (Part 117, 14 CFR 117.25(e)).
    pub min_rest_before_duty: Minutes,
    /// Fixed part of a positioning trip to another airport (boarding, taxi), for crew and reserves.
    pub positioning_fixed: Minutes,
    /// Average gate-to-gate speed of a positioning trip over the great-circle distance, km/h.
    pub positioning_speed_kmh: f64,
    /// Least hourly capacity of any airport.
    pub min_capacity_per_hour: u32,
    /// Capacities that replace the defaults at these airports.
    pub capacity: Vec<(AirportCode, AirportCapacity)>,
    /// Whether a disruption's airport rate (capacity cut, ground delay programme) is the whole airport's,
    /// of which the world's flights get their share where the airport has a scheduling limit
    /// ([`crate::disruption::traffic_share`]); if not, it applies to the world's flights as written.
    pub airport_rates_are_whole_airport: bool,
    /// Reserves at crew bases.
    pub reserves: ReserveSupply,
    /// The longest a flight is held for a reserve positioning from another base, or for its own crew
    /// travelling in after being left elsewhere.
    pub max_hold_for_crew: Minutes,
    /// Blind: the twin sees no recorded outcome of the simulated days. A leg the record shows cancelled is
    /// flown as planned (only the twin's own operations control cancels), and airport capacities come from
    /// the busiest hours recorded on other days. The recorded times stay in [`WorldLeg::recorded_out`] and
    /// `recorded_in` for validation only; no actor reads them. Off by default: the record's cancellations
    /// are then cancellations of the plan (the replayed mode).
    pub blind: bool,
}

impl Default for WorldOptions {
    fn default() -> WorldOptions {
        WorldOptions {
            crew_connection_aircraft_change: practice::MIN_CONNECTION_AIRCRAFT_CHANGE,
            crew_release_after_arrival: practice::RELEASE_AFTER_ARRIVAL,
            min_rest_before_duty: faa117::min_rest_before_fdp(),
            positioning_fixed: POSITIONING_FIXED,
            positioning_speed_kmh: POSITIONING_SPEED_KMH,
            min_capacity_per_hour: MIN_CAPACITY_PER_HOUR,
            capacity: Vec::new(),
            airport_rates_are_whole_airport: true,
            reserves: ReserveSupply::default(),
            max_hold_for_crew: practice::MAX_HOLD_FOR_CREW,
            blind: false,
        }
    }
}

impl WorldOptions {
    fn check(&self) -> Result<(), ActorsError> {
        for (name, value) in [
            (
                "crew_connection_aircraft_change",
                self.crew_connection_aircraft_change,
            ),
            (
                "crew_release_after_arrival",
                self.crew_release_after_arrival,
            ),
            ("min_rest_before_duty", self.min_rest_before_duty),
            ("positioning_fixed", self.positioning_fixed),
            ("reserves.report_delay", self.reserves.report_delay),
            ("max_hold_for_crew", self.max_hold_for_crew),
        ] {
            if value.0 < 0 {
                return Err(ActorsError::NegativeDuration {
                    name,
                    value_min: value.0,
                });
            }
        }
        let capacities = self
            .capacity
            .iter()
            .flat_map(|(_, c)| [c.departures_per_hour, c.arrivals_per_hour])
            .chain([self.min_capacity_per_hour]);
        for c in capacities {
            if c == 0 {
                return Err(ActorsError::InvalidSetting {
                    name: "capacity per hour",
                    value: "0".into(),
                    expected: "at least 1 movement per hour (a closed airport is a scenario, not a capacity)",
                });
            }
        }
        let r = &self.reserves;
        if !(r.share_of_based_crew >= 0.0 && r.share_of_based_crew <= 1.0) {
            return Err(ActorsError::InvalidSetting {
                name: "reserves.share_of_based_crew",
                value: r.share_of_based_crew.to_string(),
                expected: "a share between 0 and 1",
            });
        }
        if !(self.positioning_speed_kmh > 0.0 && self.positioning_speed_kmh.is_finite()) {
            return Err(ActorsError::InvalidSetting {
                name: "positioning_speed_kmh",
                value: self.positioning_speed_kmh.to_string(),
                expected: "a positive speed",
            });
        }
        if !(0..=1440).contains(&r.standby_from_minute)
            || !(0..=1440).contains(&r.standby_until_minute)
            || r.standby_until_minute < r.standby_from_minute
        {
            return Err(ActorsError::InvalidSetting {
                name: "reserves.standby_from_minute .. standby_until_minute",
                value: format!("{} .. {}", r.standby_from_minute, r.standby_until_minute),
                expected: "minutes of the day, 0 to 1440, the first not after the second",
            });
        }
        Ok(())
    }
}

/// A leg of the world.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorldLeg {
    /// The leg's id in the schedule.
    pub id: LegId,
    /// Origin, an index into [`World::airports`].
    pub origin: u32,
    /// Destination, an index into [`World::airports`].
    pub destination: u32,
    /// Scheduled gate departure.
    pub scheduled_out: UtcMinute,
    /// Scheduled gate arrival.
    pub scheduled_in: UtcMinute,
    /// The earliest departure the plan allows: the scheduled one unless retimed.
    pub earliest_out: UtcMinute,
    /// Cancelled before the day: in the schedule's status or by a recovery action.
    pub planned_cancelled: bool,
    /// Recorded or inferred.
    pub source: LegSource,
    /// The recorded actual departure and arrival, where the data has them (for validation).
    pub recorded_out: Option<UtcMinute>,
    /// See `recorded_out`.
    pub recorded_in: Option<UtcMinute>,
    /// The aircraft flying it, an index into [`World::aircraft`].
    pub aircraft: u32,
    /// Its place in that aircraft's rotation.
    pub rotation_position: u32,
    /// Its crew seats: `first_seat .. first_seat + seat_count` in [`World::seats`].
    pub first_seat: u32,
    /// See `first_seat`.
    pub seat_count: u32,
    /// Band of local hours of the scheduled departure at the origin.
    pub hours: HourBand,
    /// The weather at the origin before the scheduled departure.
    pub weather: WeatherCategory,
}

impl WorldLeg {
    /// Scheduled block time.
    pub fn scheduled_block(&self) -> Minutes {
        self.scheduled_in - self.scheduled_out
    }
}

/// An aircraft of the world: a tail, or the stand-in aircraft of a leg without one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorldAircraft {
    /// The tail; `None` for a leg without one.
    pub tail: Option<TailId>,
    /// Its type's minimum turn.
    pub min_turn: Minutes,
    /// Its rotation: `first_leg .. first_leg + legs` in [`World::rotation`].
    pub first_leg: u32,
    /// See `first_leg`.
    pub legs: u32,
    /// Its legs' seats: `first_seat .. first_seat + seats` in [`World::seats`].
    pub first_seat: u32,
    /// See `first_seat`.
    pub seats: u32,
    /// The entity number of its random streams (stable across plans: a hash of the tail).
    pub stream_entity: u64,
}

/// One crew member on one leg.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Seat {
    /// The leg, an index into [`World::legs`].
    pub leg: u32,
    /// The crew member, an index into [`World::crew`].
    pub crew: u32,
    /// The crew member's position for this leg, an index into [`World::positions`].
    pub position: u32,
    /// The member's rank.
    pub rank: Rank,
    /// Operating or deadheading.
    pub kind: SegmentKind,
}

/// One leg in a crew member's sequence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CrewPosition {
    /// The leg, an index into [`World::legs`].
    pub leg: u32,
    /// The member's seat on it, an index into [`World::seats`].
    pub seat: u32,
    /// The duty it belongs to, an index into [`World::duties`].
    pub duty: u32,
    /// Whether it is the member's last leg of that duty in the window.
    pub last_in_duty: bool,
}

/// A duty as planned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DutyPlan {
    /// Planned report.
    pub report: UtcMinute,
    /// The offset of the member's home zone at the report (local = UTC + offset).
    pub home_offset: Minutes,
    /// Operating legs of the whole duty (Table B's flight segments).
    pub operating_segments: u16,
}

/// A crew member of the world: one with at least one leg in the window.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorldCrew {
    /// The member's id.
    pub id: CrewId,
    /// The member's rank.
    pub rank: Rank,
    /// The member's airline, an index into the schedule's airlines.
    pub airline: u32,
    /// The member's base, an index into [`World::airports`].
    pub base: u32,
    /// The member's legs: `first_position .. first_position + positions` in [`World::positions`].
    pub first_position: u32,
    /// See `first_position`.
    pub positions: u32,
}

/// An airport of the world (every airport of the schedule).
#[derive(Clone, Debug, PartialEq)]
pub struct WorldAirport {
    /// Its code.
    pub code: AirportCode,
    /// Its time zone.
    pub zone: TimeZone,
    /// Latitude, degrees north.
    pub latitude_deg: f64,
    /// Longitude, degrees east.
    pub longitude_deg: f64,
    /// Its hourly capacity.
    pub capacity: AirportCapacity,
    /// Whether crew of the world are based here (and reserves stand by).
    pub crew_base: bool,
}

/// See the module documentation.
#[derive(Clone, Debug)]
pub struct World {
    window: Window,
    legs: Vec<WorldLeg>,
    rotation: Vec<u32>,
    aircraft: Vec<WorldAircraft>,
    seats: Vec<Seat>,
    positions: Vec<CrewPosition>,
    duties: Vec<DutyPlan>,
    crew: Vec<WorldCrew>,
    airports: Vec<WorldAirport>,
    options: WorldOptions,
    leg_index: BTreeMap<LegId, u32>,
    reserve_pools: BTreeMap<(u32, u32, usize), u32>,
    pub(crate) injected: crate::disruption::Injected,
    /// Legs a movement feed has fixed as flown ([`World::with_as_flown`]).
    pub(crate) flown: crate::as_flown::FixedLegs,
    /// The data set's weather observations (for a replayed weather day).
    pub(crate) weather: WeatherIndex,
    /// The same in windows around each hour (for a replayed weather day).
    pub(crate) weather_windows: WeatherWindows,
    /// What the disruption model reads of each leg, in [`World::legs`] order.
    features: Vec<LegFeatures>,
    /// Per leg: the weather at its destination around its scheduled arrival.
    arrival_weather: Vec<crate::delay_model::WeatherFeatures>,
}

impl World {
    /// The world of `schedule` on the days of `window`, with `actions` applied.
    pub fn new(
        schedule: &Schedule,
        window: Window,
        actions: &[RecoveryAction],
        options: WorldOptions,
    ) -> Result<World, ActorsError> {
        options.check()?;
        let airport_index: BTreeMap<AirportCode, u32> = schedule
            .airports()
            .iter()
            .enumerate()
            .map(|(i, a)| (a.code, i as u32))
            .collect();
        let airline_index: BTreeMap<CarrierCode, u32> = schedule
            .airlines()
            .iter()
            .enumerate()
            .map(|(i, a)| (a.code.clone(), i as u32))
            .collect();
        let weather = WeatherIndex::new(schedule);
        let weather_windows = WeatherWindows::new(schedule);

        // Legs of the window, by scheduled departure.
        let mut chosen: Vec<&Leg> = schedule
            .legs()
            .iter()
            .filter(|l| window.contains(service_date(schedule, l)))
            .collect();
        if chosen.is_empty() {
            return Err(ActorsError::EmptyWindow {
                from: window.from,
                to: window.to,
            });
        }
        chosen.sort_by_key(|l| (l.scheduled_out, l.id));
        let leg_index: BTreeMap<LegId, u32> = chosen
            .iter()
            .enumerate()
            .map(|(i, l)| (l.id, i as u32))
            .collect();
        let mut legs: Vec<WorldLeg> = chosen
            .iter()
            .map(|l| {
                let zone = schedule
                    .airport(l.origin)
                    .expect("legs name known airports")
                    .time_zone;
                WorldLeg {
                    id: l.id,
                    origin: airport_index[&l.origin],
                    destination: airport_index[&l.destination],
                    scheduled_out: l.scheduled_out,
                    scheduled_in: l.scheduled_in,
                    earliest_out: l.scheduled_out,
                    planned_cancelled: !options.blind && l.status == LegStatus::Cancelled,
                    source: l.source,
                    recorded_out: l.actual.gate_out,
                    recorded_in: l.actual.gate_in,
                    aircraft: u32::MAX,
                    rotation_position: 0,
                    first_seat: 0,
                    seat_count: 0,
                    hours: HourBand::of_minute(zone.to_local(l.scheduled_out).minute_of_day),
                    weather: weather.category(l.origin, l.scheduled_out),
                }
            })
            .collect();
        let traffic = ScheduledTraffic::new(schedule);
        let features = chosen
            .iter()
            .map(|l| leg_features(schedule, l, &weather_windows, &traffic))
            .collect();
        let arrival_weather = chosen
            .iter()
            .map(|l| weather_windows.around(l.destination, l.scheduled_in))
            .collect();
        for action in actions {
            let (id, name) = match *action {
                RecoveryAction::Retime { leg, .. } => (leg, "retime"),
                RecoveryAction::Cancel { leg } => (leg, "cancel"),
            };
            let &i = leg_index.get(&id).ok_or(ActorsError::UnknownLeg {
                leg: id,
                action: name,
            })?;
            let leg = &mut legs[i as usize];
            match *action {
                RecoveryAction::Retime { earliest_out, .. } => leg.earliest_out = earliest_out,
                RecoveryAction::Cancel { .. } => leg.planned_cancelled = true,
            }
        }

        // Aircraft: the tails with legs in the window, then one stand-in per leg without a tail.
        let mut aircraft = Vec::new();
        let mut rotation = Vec::with_capacity(legs.len());
        for a in schedule.aircraft() {
            let start = rotation.len() as u32;
            for leg in schedule.rotation(&a.tail) {
                if let Some(&i) = leg_index.get(&leg.id) {
                    legs[i as usize].aircraft = aircraft.len() as u32;
                    legs[i as usize].rotation_position = rotation.len() as u32 - start;
                    rotation.push(i);
                }
            }
            if rotation.len() as u32 > start {
                let min_turn = schedule
                    .aircraft_type(&a.type_code)
                    .expect("aircraft have known types")
                    .min_turn;
                aircraft.push(WorldAircraft {
                    tail: Some(a.tail.clone()),
                    min_turn,
                    first_leg: start,
                    legs: rotation.len() as u32 - start,
                    first_seat: 0,
                    seats: 0,
                    stream_entity: ucodts_stats::hash::fnv1a(a.tail.as_str().as_bytes())
                        & !(1 << 63),
                });
            }
        }
        for (i, leg) in legs.iter_mut().enumerate() {
            if leg.aircraft == u32::MAX {
                leg.aircraft = aircraft.len() as u32;
                aircraft.push(WorldAircraft {
                    tail: None,
                    min_turn: Minutes(0),
                    first_leg: rotation.len() as u32,
                    legs: 1,
                    first_seat: 0,
                    seats: 0,
                    stream_entity: (1 << 63) | u64::from(leg.id.0),
                });
                rotation.push(i as u32);
            }
        }

        // Crew: each member's legs of the window, duty by duty; seats grouped by aircraft and rotation.
        let mut crew = Vec::new();
        let mut positions = Vec::new();
        let mut duties = Vec::new();
        let mut seat_list: Vec<(u32, u32, u32, u32)> = Vec::new(); // (aircraft, rotation pos, crew, position)
        let mut kinds = Vec::new();
        for member in schedule.crew() {
            let first_position = positions.len() as u32;
            let crew_index = crew.len() as u32;
            for pairing in schedule.roster(&member.id) {
                for duty in &pairing.duties {
                    let in_window: Vec<(u32, SegmentKind)> = duty
                        .segments
                        .iter()
                        .filter_map(|s| leg_index.get(&s.leg).map(|&i| (i, s.kind)))
                        .collect();
                    let Some(last) = in_window.len().checked_sub(1) else {
                        continue;
                    };
                    let duty_index = duties.len() as u32;
                    duties.push(DutyPlan {
                        report: duty.report,
                        home_offset: member.home_zone.offset_at(duty.report),
                        operating_segments: duty
                            .segments
                            .iter()
                            .filter(|s| s.kind == SegmentKind::Operating)
                            .count() as u16,
                    });
                    for (k, (leg, kind)) in in_window.into_iter().enumerate() {
                        let l = &legs[leg as usize];
                        seat_list.push((
                            l.aircraft,
                            l.rotation_position,
                            crew_index,
                            positions.len() as u32,
                        ));
                        kinds.push(kind);
                        positions.push(CrewPosition {
                            leg,
                            seat: u32::MAX,
                            duty: duty_index,
                            last_in_duty: k == last,
                        });
                    }
                }
            }
            let count = positions.len() as u32 - first_position;
            if count > 0 {
                crew.push(WorldCrew {
                    id: member.id.clone(),
                    rank: member.rank,
                    airline: airline_index[&member.airline],
                    base: airport_index[&member.base],
                    first_position,
                    positions: count,
                });
            }
        }
        let mut order: Vec<usize> = (0..seat_list.len()).collect();
        order.sort_by_key(|&i| seat_list[i]);
        let mut seats = Vec::with_capacity(order.len());
        for i in order {
            let (_, _, crew_index, position) = seat_list[i];
            let leg = positions[position as usize].leg;
            let seat = seats.len() as u32;
            positions[position as usize].seat = seat;
            let l = &mut legs[leg as usize];
            if l.seat_count == 0 {
                l.first_seat = seat;
            }
            l.seat_count += 1;
            seats.push(Seat {
                leg,
                crew: crew_index,
                position,
                rank: crew[crew_index as usize].rank,
                kind: kinds[i],
            });
        }
        for a in &mut aircraft {
            let rotation_legs = &rotation[a.first_leg as usize..(a.first_leg + a.legs) as usize];
            let with_seats = rotation_legs
                .iter()
                .map(|&l| &legs[l as usize])
                .filter(|l| l.seat_count > 0);
            if let Some(first) = with_seats.clone().next() {
                a.first_seat = first.first_seat;
                a.seats = with_seats.map(|l| l.seat_count).sum();
            } else {
                a.first_seat = seats.len() as u32;
            }
        }

        let airports = airports_with_capacity(schedule, &options, &crew, &airport_index, window);
        let mut based: BTreeMap<(u32, u32, usize), u32> = BTreeMap::new();
        for c in &crew {
            *based
                .entry((c.airline, c.base, rank_index(c.rank)))
                .or_default() += 1;
        }
        let reserve_pools = based
            .into_iter()
            .map(|(key, n)| (key, options.reserves.reserves_for(n)))
            .collect();
        Ok(World {
            window,
            legs,
            rotation,
            aircraft,
            seats,
            positions,
            duties,
            crew,
            airports,
            options,
            leg_index,
            reserve_pools,
            injected: Default::default(),
            flown: Default::default(),
            weather,
            weather_windows,
            features,
            arrival_weather,
        })
    }

    /// The days simulated.
    pub fn window(&self) -> Window {
        self.window
    }
    /// The legs, by scheduled departure.
    pub fn legs(&self) -> &[WorldLeg] {
        &self.legs
    }
    /// The aircraft: tails first (schedule order), then stand-ins of legs without a tail.
    pub fn aircraft(&self) -> &[WorldAircraft] {
        &self.aircraft
    }
    /// Every rotation, aircraft after aircraft, as indices into [`World::legs`].
    pub fn rotation(&self) -> &[u32] {
        &self.rotation
    }
    /// The legs of one aircraft, in order.
    pub fn rotation_of(&self, aircraft: u32) -> &[u32] {
        let a = &self.aircraft[aircraft as usize];
        &self.rotation[a.first_leg as usize..(a.first_leg + a.legs) as usize]
    }
    /// Every crew seat, grouped by aircraft and rotation.
    pub fn seats(&self) -> &[Seat] {
        &self.seats
    }
    /// The seats of one leg.
    pub fn seats_of(&self, leg: u32) -> &[Seat] {
        let l = &self.legs[leg as usize];
        &self.seats[l.first_seat as usize..(l.first_seat + l.seat_count) as usize]
    }
    /// Every crew position, member after member.
    pub fn positions(&self) -> &[CrewPosition] {
        &self.positions
    }
    /// The duties that have legs in the window.
    pub fn duties(&self) -> &[DutyPlan] {
        &self.duties
    }
    /// The crew members with legs in the window.
    pub fn crew(&self) -> &[WorldCrew] {
        &self.crew
    }
    /// Every airport of the schedule.
    pub fn airports(&self) -> &[WorldAirport] {
        &self.airports
    }
    /// The assumptions in force.
    pub fn options(&self) -> &WorldOptions {
        &self.options
    }
    /// Reserves per day of (airline, base airport, rank) — indices into the schedule's airlines, the world's
    /// airports and [`Rank::ALL`]; only bases with crew in the world have any.
    pub fn reserve_pool(&self, airline: u32, base: u32, rank: Rank) -> u32 {
        self.reserve_pools
            .get(&(airline, base, rank_index(rank)))
            .copied()
            .unwrap_or(0)
    }

    /// Sets the reserves per day of (airline, base airport, rank), indices as in [`World::reserve_pool`]: a
    /// recovery plan that calls some of them before the day leaves operations control fewer.
    pub fn set_reserve_pool(&mut self, airline: u32, base: u32, rank: Rank, reserves: u32) {
        self.reserve_pools
            .insert((airline, base, rank_index(rank)), reserves);
    }

    /// The bases of `airline` that keep reserves of `rank`, as airport indices.
    pub fn reserve_bases(&self, airline: u32, rank: Rank) -> impl Iterator<Item = u32> + '_ {
        let r = rank_index(rank);
        self.reserve_pools
            .iter()
            .filter(move |(&(a, _, k), &n)| a == airline && k == r && n > 0)
            .map(|(&(_, base, _), _)| base)
    }

    /// Great-circle distance between two airports, km.
    pub fn distance_km(&self, a: u32, b: u32) -> f64 {
        let (a, b) = (&self.airports[a as usize], &self.airports[b as usize]);
        let (la, lb) = (a.latitude_deg.to_radians(), b.latitude_deg.to_radians());
        let dl = (b.longitude_deg - a.longitude_deg).to_radians();
        let h = ((lb - la) / 2.0).sin().powi(2) + la.cos() * lb.cos() * (dl / 2.0).sin().powi(2);
        2.0 * 6371.0 * h.sqrt().min(1.0).asin()
    }

    /// How long a crew member or reserve takes to get from airport `from` to airport `to` on another flight
    /// (whole minutes, rounded up).
    pub fn positioning_time(&self, from: u32, to: u32) -> Minutes {
        if from == to {
            return Minutes(0);
        }
        let flight = self.distance_km(from, to) / self.options.positioning_speed_kmh * 60.0;
        self.options.positioning_fixed + Minutes(flight.ceil() as i64)
    }

    /// Holds leg `leg` (an index) so that it leaves no earlier than `earliest_out` (an injected delay).
    pub(crate) fn hold_leg(&mut self, leg: u32, earliest_out: UtcMinute) {
        let l = &mut self.legs[leg as usize];
        l.earliest_out = l.earliest_out.max(earliest_out);
    }

    /// Replaces the weather of leg `leg` (an index): a replayed weather day.
    pub(crate) fn set_leg_weather(
        &mut self,
        leg: u32,
        weather: WeatherCategory,
        windows: crate::delay_model::WeatherFeatures,
    ) {
        self.legs[leg as usize].weather = weather;
        self.features[leg as usize].weather = windows;
    }

    /// Replaces the weather at the destination of leg `leg` (an index) around its arrival: a replayed
    /// weather day.
    pub(crate) fn set_arrival_weather(
        &mut self,
        leg: u32,
        windows: crate::delay_model::WeatherFeatures,
    ) {
        self.arrival_weather[leg as usize] = windows;
    }

    /// The weather at each leg's destination around its scheduled arrival, in [`World::legs`] order.
    pub fn arrival_weather(&self) -> &[crate::delay_model::WeatherFeatures] {
        &self.arrival_weather
    }

    /// What the disruption model reads of each leg, in [`World::legs`] order.
    pub fn leg_features(&self) -> &[LegFeatures] {
        &self.features
    }

    /// The index of leg `id` in [`World::legs`], if it operates in the window.
    pub fn leg_index(&self, id: LegId) -> Option<u32> {
        self.leg_index.get(&id).copied()
    }
}

fn airports_with_capacity(
    schedule: &Schedule,
    options: &WorldOptions,
    crew: &[WorldCrew],
    airport_index: &BTreeMap<AirportCode, u32>,
    window: Window,
) -> Vec<WorldAirport> {
    let n = schedule.airports().len();
    let mut busiest = vec![(0u32, 0u32); n];
    let mut departures: BTreeMap<(u32, i64), u32> = BTreeMap::new();
    let mut arrivals: BTreeMap<(u32, i64), u32> = BTreeMap::new();
    let hour = |t: UtcMinute| t.0.div_euclid(60);
    for leg in schedule.legs() {
        let (o, d) = (airport_index[&leg.origin], airport_index[&leg.destination]);
        for (map, airport, t) in [
            (&mut departures, o, Some(leg.scheduled_out)),
            (&mut arrivals, d, Some(leg.scheduled_in)),
        ] {
            if let Some(t) = t {
                *map.entry((airport, hour(t))).or_default() += 1;
            }
        }
    }
    let mut actual_departures: BTreeMap<(u32, i64), u32> = BTreeMap::new();
    let mut actual_arrivals: BTreeMap<(u32, i64), u32> = BTreeMap::new();
    for leg in schedule.legs() {
        // Blind: the recorded movements of the simulated days are outcomes the twin may not see.
        if options.blind && window.contains(service_date(schedule, leg)) {
            continue;
        }
        if let Some(t) = leg.actual.gate_out {
            *actual_departures
                .entry((airport_index[&leg.origin], hour(t)))
                .or_default() += 1;
        }
        if let Some(t) = leg.actual.gate_in {
            *actual_arrivals
                .entry((airport_index[&leg.destination], hour(t)))
                .or_default() += 1;
        }
    }
    for map in [&departures, &actual_departures] {
        for (&(a, _), &count) in map {
            busiest[a as usize].0 = busiest[a as usize].0.max(count);
        }
    }
    for map in [&arrivals, &actual_arrivals] {
        for (&(a, _), &count) in map {
            busiest[a as usize].1 = busiest[a as usize].1.max(count);
        }
    }
    let mut bases = vec![false; n];
    for c in crew {
        bases[c.base as usize] = true;
    }
    schedule
        .airports()
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let floor = options.min_capacity_per_hour;
            let capacity = options
                .capacity
                .iter()
                .find(|(code, _)| *code == a.code)
                .map(|&(_, c)| c)
                .unwrap_or(AirportCapacity {
                    departures_per_hour: busiest[i].0.max(floor),
                    arrivals_per_hour: busiest[i].1.max(floor),
                });
            WorldAirport {
                code: a.code,
                zone: a.time_zone,
                latitude_deg: a.latitude_deg,
                longitude_deg: a.longitude_deg,
                capacity,
                crew_base: bases[i],
            }
        })
        .collect()
}
