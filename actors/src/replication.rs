//! One replication: the actors of a world on the kernel, run until every leg is decided, and what a run
//! leaves behind ([`ReplicationOutcome`]). What the actors say to each other, and in which order, is the
//! `messages` module's.
//!
//! Actor addresses are laid out in a fixed order — aircraft, then crew members, then airports, then
//! operations control — so that an index in the world is an address without a lookup.

use std::cell::Cell;

use rand::Rng;
use ucodts_model::{Minutes, UtcMinute};
use ucodts_sim::{
    Actor, ActorId, Context, Purpose, ReplicationStreams, SimDuration, SimTime, Simulation,
};

use crate::aircraft::AircraftActor;
use crate::airport::AirportActor;
use crate::crew::CrewActor;
use crate::delay_model::conditions::{
    conditioned_uniform, day_conditioned_uniform, normal_quantile,
};
use crate::delay_model::DelayModel;
use crate::messages::Message;
use crate::ops_control::{OpsControl, OpsPolicy, OpsStats};
use crate::world::World;
use crate::ActorsError;

/// The stream purpose of a leg's own departure delay (entity: the leg id).
pub const DEPARTURE_DELAY: Purpose = Purpose::named("departure_delay");
/// The stream purpose of a leg's block-time variation (entity: the leg id).
pub const BLOCK_TIME: Purpose = Purpose::named("block_time");
/// The stream purpose of a tail's turn-time variation, one draw per arrival (entity: a hash of the tail).
pub const TURN_TIME: Purpose = Purpose::named("turn_time");
/// The stream purpose of operations control's decision to cancel a leg ahead of weather or delay
/// (entity: the leg id).
pub const CANCELLATION: Purpose = Purpose::named("cancellation");
/// The stream purpose of a day's shared effect on the legs' own delays and block times, one draw per
/// replication and day (entity: the local date of departure, days since 1970-01-01).
pub const DAY_EFFECT: Purpose = Purpose::named("day_effect");

/// A block never takes less than this share of its scheduled time, whatever the draw (a guard against the
/// far tail of a sparse route's distribution).
pub const MIN_BLOCK_SHARE: f64 = 0.5;

/// Why a leg was not flown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CancelReason {
    /// Cancelled in the plan (schedule status or a recovery action).
    Plan,
    /// Its aircraft was elsewhere: an earlier leg of the tail was cancelled (the aircraft skips legs until
    /// its rotation departs from where it is again).
    AircraftElsewhere,
    /// Operations control cancelled it: a crew member would exceed the duty limit and no reserve came.
    CrewDutyLimit,
    /// Operations control cancelled it: a crew member could not get there and no reserve came.
    CrewMissing,
    /// Operations control cancelled it ahead of the weather, a closure or a long delay: the fitted
    /// cancellation policy ([`crate::delay_model::disruption_model`]).
    Disruption,
}

/// What happened to one leg in one replication.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LegResult {
    /// When it left the gate.
    pub out: Option<SimTime>,
    /// When it reached the gate at its destination.
    pub arrived: Option<SimTime>,
    /// Why it was not flown.
    pub cancelled: Option<CancelReason>,
}

impl LegResult {
    /// Minutes late at the gate (negative when early), if flown.
    pub fn arrival_delay_min(&self, scheduled_in: UtcMinute) -> Option<f64> {
        self.arrived
            .map(|t| (t - sim_time(scheduled_in)).seconds() as f64 / 60.0)
    }

    /// Minutes late off the gate, if flown.
    pub fn departure_delay_min(&self, scheduled_out: UtcMinute) -> Option<f64> {
        self.out
            .map(|t| (t - sim_time(scheduled_out)).seconds() as f64 / 60.0)
    }
}

/// Crew totals of a replication.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CrewTotals {
    /// Block time flown by operating crew, summed over members, minutes.
    pub block_min: f64,
    /// Duty time (report to release), summed over members and duties, minutes.
    pub duty_min: f64,
    /// Duties whose report had to wait for the minimum rest after a late release.
    pub rest_shortfalls: u64,
    /// Trips of members left elsewhere to the origin of their next leg.
    pub repositionings: u64,
    /// Duties started (by pilots and cabin crew alike): the denominator of the rates per 1,000 duties.
    pub duties: u64,
    /// Pilot duties that ran past their flight duty limit within the unforeseen extension the rules allow
    /// (14 CFR 117.19, ORO.FTL.205(f)): legal, counted once per duty (`crate::legality`).
    pub legal_extensions: u64,
    /// Pilot duties whose next leg would take them past the limit plus the extension: the member may not
    /// fly it, a reserve or a cancellation must (counted once per duty).
    pub exceedances: u64,
}

/// What one replication leaves behind.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplicationOutcome {
    /// Per leg of the world, in [`World::legs`] order.
    pub legs: Vec<LegResult>,
    /// What operations control did.
    pub ops: OpsStats,
    /// Crew totals.
    pub crew: CrewTotals,
    /// Jumps in the tails' rotations the data does not explain, bridged by moving the tail.
    pub rotation_gaps: u64,
    /// Events the kernel delivered.
    pub events: u64,
}

/// The instant of a UTC minute on the kernel's clock (seconds since 1970).
pub fn sim_time(t: UtcMinute) -> SimTime {
    SimTime(t.0 * 60)
}

pub(crate) fn duration(m: Minutes) -> SimDuration {
    SimDuration::from_minutes(m.0)
}

/// Everything the actors of one replication share: the world, the model bound to it, the policy, the
/// streams, the address layout, and what operations control has decided so far.
pub(crate) struct Run<'r> {
    pub world: &'r World,
    pub model: ReplicationModel<'r>,
    pub policy: &'r dyn OpsPolicy,
    pub streams: ReplicationStreams,
    crew_base: u32,
    airport_base: u32,
    ops: u32,
    /// Per leg, what has been decided about it ([`Decided`]): the board operations control reads the
    /// recent cancellations at an origin from. A replication runs on one thread, in event order, so
    /// what a decision sees is a function of the seed.
    decided: Vec<Cell<Decided>>,
}

/// What operations control has decided about a leg so far in a replication.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Decided {
    /// Not yet: its aircraft has not come to it.
    #[default]
    Open,
    /// It is to fly (it may still be cancelled later).
    Flies,
    /// Cancelled, for whatever reason.
    Cancelled,
}

/// The recent cancelled share at an origin is read over at least this many of its recent departures (or
/// all of them, when fewer are scheduled) even when fewer have been decided: one early decision is not a
/// trend.
pub const MIN_RECENT_DECIDED: u32 = 10;

impl<'r> Run<'r> {
    pub fn aircraft_id(&self, aircraft: u32) -> ActorId {
        ActorId::from_index(aircraft)
    }
    pub fn crew_id(&self, crew: u32) -> ActorId {
        ActorId::from_index(self.crew_base + crew)
    }
    pub fn airport_id(&self, airport: u32) -> ActorId {
        ActorId::from_index(self.airport_base + airport)
    }
    pub fn ops_id(&self) -> ActorId {
        ActorId::from_index(self.ops)
    }
    /// The aircraft flying `leg`.
    pub fn aircraft_of_leg(&self, leg: u32) -> ActorId {
        self.aircraft_id(self.world.legs()[leg as usize].aircraft)
    }
    /// A uniform draw in [0, 1) from the stream of (this replication, entity, purpose).
    pub fn uniform(&self, entity: u64, purpose: Purpose) -> f64 {
        self.streams.stream(entity, purpose).gen::<f64>()
    }

    /// Notes that `leg` is to fly (unless it was cancelled already).
    pub fn decide_flies(&self, leg: u32) {
        let d = &self.decided[leg as usize];
        if d.get() == Decided::Open {
            d.set(Decided::Flies);
        }
    }

    /// Notes that `leg` was cancelled.
    pub fn decide_cancelled(&self, leg: u32) {
        self.decided[leg as usize].set(Decided::Cancelled);
    }

    /// The cancelled share of the recent departures from `leg`'s origin scheduled before it, among those
    /// decided so far ([`BoundModel::recent_departures`]; at least [`MIN_RECENT_DECIDED`] of them count
    /// in the denominator); 0 without the model's column.
    pub fn recent_cancelled_share(&self, leg: u32) -> f64 {
        let recent = self.model.recent_departures(leg);
        if recent.is_empty() {
            return 0.0;
        }
        let (mut decided, mut cancelled) = (0u32, 0u32);
        for &l in recent {
            match self.decided[l as usize].get() {
                Decided::Open => {}
                Decided::Flies => decided += 1,
                Decided::Cancelled => {
                    decided += 1;
                    cancelled += 1;
                }
            }
        }
        let floor = (recent.len() as u32).min(MIN_RECENT_DECIDED);
        f64::from(cancelled) / f64::from(decided.max(floor))
    }
}

/// A delay model resolved against one world: per leg, which distribution it draws from, and its
/// cancellation log-odds before congestion.
#[derive(Clone, Debug)]
pub struct BoundModel {
    model: DelayModel,
    departure: Vec<Option<u32>>,
    block: Vec<u32>,
    /// Per leg: the disruption model's cancellation log-odds without congestion; `None` for a leg that
    /// operations control never cancels by forecast (no disruption model, or an origin not fitted).
    cancellation_logit: Vec<Option<f32>>,
    /// The second stage of the policy, on the cancelled share of the origin's recent departures
    /// ([`RecentCancellations`](crate::delay_model::disruption_model::RecentCancellations)); `None`
    /// without one.
    recent_stage: Option<(f64, f64)>,
    /// The world's legs by origin, then scheduled departure, then id (empty without the column).
    recent_order: Vec<u32>,
    /// Per leg, the range of `recent_order` holding its origin's recent departures before it: the last
    /// [`RecentCancellations::departures`](crate::delay_model::disruption_model::RecentCancellations)
    /// within its lookback (empty without the column).
    recent_range: Vec<(u32, u32)>,
    /// Per leg: the probability that operations control cancels it for the storm forecast at its
    /// destination around its arrival (the weather's excess over fair weather,
    /// [`DisruptionModel::weather_excess_probability`](crate::delay_model::DisruptionModel::weather_excess_probability));
    /// 0 without a disruption model, at a destination not fitted, or without storm weather there
    /// ([`WeatherFeatures::storm_near`](crate::delay_model::WeatherFeatures::storm_near)).
    arrival_cancellation: Vec<f32>,
    /// Per leg: the mean own departure delay of its cell, read where the day's conditions put the leg,
    /// minutes.
    expected_own_delay_min: Vec<f32>,
    /// Per leg: how far up its cell the day's conditions move its own delay, on the normal scale
    /// ([`DelayConditions`](crate::delay_model::DelayConditions)); empty without a conditions model.
    conditions_shift: Vec<f32>,
    /// The conditions model's residual spread (1 without one).
    conditions_sd: f64,
    /// The spread of the day effect in the own delays' normal scale (0 without one).
    conditions_day_sd: f64,
    /// Per leg: its operating day's index in `days`.
    leg_day: Vec<u32>,
    /// The operating days of the world's legs (local date at the origin, days since 1970-01-01), sorted;
    /// each draws its day effect from its own stream ([`DAY_EFFECT`]).
    days: Vec<i64>,
    /// Per leg: how far up its block cell the day's conditions at its origin move its block-time variation,
    /// on the normal scale, and the spread left ([`DelayModel::block_conditions`]); `None` for a leg from
    /// an origin the model was not fitted on, and for every leg without a block conditions model.
    block_shift: Vec<Option<f32>>,
    /// The block conditions model's residual spread (1 without one).
    block_sd: f64,
    /// The spread of the day effect in the block times' normal scale (0 without one).
    block_day_sd: f64,
    /// Whether replications draw the day effects ([`BoundModel::with_day_effects`]); off by default.
    day_effects: bool,
    /// Log-odds per hour of expected delay.
    congestion_per_hour: f64,
    /// Per leg: what a storm forecast at its origin adds to the policy's probability — the weather's excess
    /// at the congestion the features forecast
    /// ([`DisruptionModel::weather_excess_probability`](crate::delay_model::DisruptionModel::weather_excess_probability)),
    /// where the model has a congestion forecast, the origin was fitted and the near window holds storm
    /// weather ([`WeatherFeatures::storm_near`](crate::delay_model::WeatherFeatures::storm_near)); 0
    /// otherwise, so that ordinary days are flown as before.
    forecast_cancellation: Vec<f32>,
}

impl BoundModel {
    /// Resolves `model` for every leg of `world`.
    pub fn new(world: &World, model: &DelayModel) -> BoundModel {
        let departures = model.departure_lookup();
        let blocks = model.block_lookup();
        let airports = world.airports();
        let departure: Vec<Option<u32>> = world
            .legs()
            .iter()
            .map(|l| {
                model
                    .departure_index(
                        &departures,
                        airports[l.origin as usize].code,
                        l.hours,
                        l.weather,
                    )
                    .map(|i| i as u32)
            })
            .collect();
        let block = world
            .legs()
            .iter()
            .map(|l| {
                model.block_index(
                    &blocks,
                    airports[l.origin as usize].code,
                    airports[l.destination as usize].code,
                ) as u32
            })
            .collect();
        let conditions_shift: Vec<f32> = match &model.conditions {
            None => Vec::new(),
            Some(c) => world
                .leg_features()
                .iter()
                .map(|f| c.shift(f) as f32)
                .collect(),
        };
        let conditions_sd = model.conditions.as_ref().map_or(1.0, |c| c.residual_sd);
        let block_shift: Vec<Option<f32>> = match &model.block_conditions {
            None => vec![None; world.legs().len()],
            Some(c) => world
                .leg_features()
                .iter()
                .map(|f| c.fitted_at(f.airport).then(|| c.shift(f) as f32))
                .collect(),
        };
        let block_sd = model
            .block_conditions
            .as_ref()
            .map_or(1.0, |c| c.residual_sd);
        let conditions_day_sd = model.conditions.as_ref().map_or(0.0, |c| c.day_sd);
        let block_day_sd = model.block_conditions.as_ref().map_or(0.0, |c| c.day_sd);
        let leg_dates: Vec<i64> = world
            .legs()
            .iter()
            .map(|l| {
                airports[l.origin as usize]
                    .zone
                    .to_local(l.scheduled_out)
                    .date
                    .days_since_epoch()
            })
            .collect();
        let mut days = leg_dates.clone();
        days.sort_unstable();
        days.dedup();
        let leg_day = leg_dates
            .iter()
            .map(|d| days.binary_search(d).expect("every leg's day is listed") as u32)
            .collect();
        // The mean of a cell read at Φ(shift + sd z), z over 40 equally likely normal scores; without a
        // conditions model, the cell's own mean over 100 equally likely probabilities, once per cell.
        let mean_in_cell = |cell: &crate::delay_model::QuantileFunction, shift: f64| {
            let n = 40;
            let sum: f64 = (0..n)
                .map(|k| {
                    let u = (f64::from(k) + 0.5) / f64::from(n);
                    cell.at(conditioned_uniform(shift, conditions_sd, u))
                })
                .sum();
            (sum / f64::from(n)) as f32
        };
        let cell_means: Vec<f32> = model
            .departure_delay
            .iter()
            .map(|c| {
                let n = 100;
                let sum: f64 = (0..n)
                    .map(|k| c.delay_min.at((f64::from(k) + 0.5) / f64::from(n)))
                    .sum();
                (sum / f64::from(n)) as f32
            })
            .collect();
        let expected_own_delay_min = departure
            .iter()
            .enumerate()
            .map(|(leg, c): (usize, &Option<u32>)| {
                c.map_or(0.0, |i| match conditions_shift.get(leg) {
                    Some(&shift) => mean_in_cell(
                        &model.departure_delay[i as usize].delay_min,
                        f64::from(shift),
                    ),
                    None => cell_means[i as usize],
                })
            })
            .collect();
        // Whether the disruption model was fitted on this airport (every airport when it names none).
        let fitted = |code: &_| {
            model
                .origins
                .as_ref()
                .map_or(true, |o| o.binary_search(code).is_ok())
        };
        let cancellation_logit = match &model.disruption {
            None => vec![None; world.legs().len()],
            Some(d) => world
                .legs()
                .iter()
                .zip(world.leg_features())
                .map(|(l, f)| {
                    fitted(&airports[l.origin as usize].code)
                        .then(|| d.cancellation_logit_base(f) as f32)
                })
                .collect(),
        };
        let arrival_cancellation = match &model.disruption {
            None => vec![0.0; world.legs().len()],
            Some(d) => world
                .legs()
                .iter()
                .zip(world.leg_features())
                .zip(world.arrival_weather())
                .map(|((l, f), w)| {
                    let destination = &airports[l.destination as usize];
                    if !fitted(&destination.code) || !w.storm_near() {
                        return 0.0;
                    }
                    let local = destination.zone.to_local(l.scheduled_in);
                    let at_destination = crate::delay_model::LegFeatures {
                        weather: *w,
                        airport: destination.code,
                        local_hour: (local.minute_of_day / 60) as u8,
                        ..f.clone()
                    };
                    d.weather_excess_probability(&at_destination) as f32
                })
                .collect(),
        };
        let forecast_cancellation = match &model.disruption {
            None => vec![0.0; world.legs().len()],
            Some(d) => world
                .legs()
                .iter()
                .zip(world.leg_features())
                .map(|(l, f)| {
                    if fitted(&airports[l.origin as usize].code)
                        && f.weather.storm_near()
                        && d.congestion_forecast.is_some()
                    {
                        d.weather_excess_probability(f) as f32
                    } else {
                        0.0
                    }
                })
                .collect(),
        };
        let recent = model
            .disruption
            .as_ref()
            .and_then(|d| d.recent_cancellations.as_ref());
        let (recent_order, mut recent_range) = match recent {
            None => (Vec::new(), Vec::new()),
            Some(r) => recent_departures(world, r.departures, r.lookback_min),
        };
        // A leg operations control never cancels by forecast reads no share.
        for (range, logit) in recent_range.iter_mut().zip(&cancellation_logit) {
            if logit.is_none() {
                *range = (0, 0);
            }
        }
        BoundModel {
            recent_stage: recent.map(|r| (r.intercept, r.coefficient)),
            recent_order,
            recent_range,
            forecast_cancellation,
            arrival_cancellation,
            congestion_per_hour: model
                .disruption
                .as_ref()
                .map_or(0.0, |d| d.congestion_coefficient()),
            model: model.clone(),
            departure,
            block,
            cancellation_logit,
            expected_own_delay_min,
            conditions_shift,
            conditions_sd,
            block_shift,
            block_sd,
            conditions_day_sd,
            block_day_sd,
            day_effects: false,
            leg_day,
            days,
        }
    }

    /// The same model drawing, in each replication, one day effect per operating day shared by the day's
    /// legs (the fitted `day_sd` of the conditions models; nothing without them).
    ///
    /// Off by default. On the 2013 record it gives a run's days the unevenness of the record's (spread of
    /// the daily on-time rate 8.4 -> 10.2 points at 3 replications, record 14.8), but the days it makes bad
    /// are not the record's bad days: the mean of a few replications follows the record less closely
    /// (leave-one-month-out daily r 0.640 without, 0.502 with at 3 replications, 0.600 at 12;
    /// docs/benchmarks.md). For the spread of a forecast, not for a point comparison.
    pub fn with_day_effects(mut self, on: bool) -> BoundModel {
        self.day_effects = on;
        self
    }

    /// The probability that operations control cancels `leg` when it expects it to leave
    /// `expected_delay_min` late with `recent_cancelled_share` of its origin's recent departures cancelled
    /// ([`BoundModel::recent_departures`]), and for a storm at its origin on top; `None` if it never
    /// cancels the leg by forecast.
    pub fn cancellation_probability(
        &self,
        leg: u32,
        expected_delay_min: f64,
        recent_cancelled_share: f64,
    ) -> Option<f64> {
        let base = self.cancellation_logit[leg as usize]?;
        let hours = (expected_delay_min / 60.0).clamp(
            0.0,
            crate::delay_model::disruption_model::CONGESTION_CAP_HOURS,
        );
        let known = crate::delay_model::disruption_model::sigmoid(
            f64::from(base) + self.congestion_per_hour * hours,
        );
        let storm = f64::from(self.forecast_cancellation[leg as usize]);
        let p = known + (1.0 - known) * storm;
        Some(match self.recent_stage {
            None => p,
            Some((intercept, per_share)) => {
                let p = p.clamp(1e-9, 1.0 - 1e-9);
                crate::delay_model::disruption_model::sigmoid(
                    (p / (1.0 - p)).ln()
                        + intercept
                        + per_share * recent_cancelled_share.clamp(0.0, 1.0),
                )
            }
        })
    }

    /// Whether operations control's cancellations depend on the origin's recent ones (the model has the
    /// column).
    pub fn reads_recent_cancellations(&self) -> bool {
        self.recent_stage.is_some()
    }

    /// The recent departures from `leg`'s origin scheduled before it (world leg indices; empty without the
    /// model's column).
    pub fn recent_departures(&self, leg: u32) -> &[u32] {
        self.recent_range
            .get(leg as usize)
            .map_or(&[], |&(from, to)| {
                &self.recent_order[from as usize..to as usize]
            })
    }

    /// The probability that operations control cancels `leg` for the storm at its destination (see the
    /// field); 0 for most legs.
    pub fn arrival_cancellation_probability(&self, leg: u32) -> f64 {
        f64::from(self.arrival_cancellation[leg as usize])
    }

    /// The mean own departure delay of `leg`'s cell, minutes (0 without an own delay).
    pub fn expected_own_delay_min(&self, leg: u32) -> f64 {
        f64::from(self.expected_own_delay_min[leg as usize])
    }

    /// The model.
    pub fn model(&self) -> &DelayModel {
        &self.model
    }

    /// The departure-delay cell a leg draws from (an index into the model's cells), if it has an own delay.
    pub fn departure_cell(&self, leg: u32) -> Option<u32> {
        self.departure[leg as usize]
    }

    /// A leg's own departure delay for the uniform `u`, minutes (0 where the model has no own delay): its
    /// cell read at `u`, moved by the day's conditions where the model has them.
    pub fn departure_delay_min(&self, leg: u32, u: f64) -> f64 {
        self.departure_delay_on_day(leg, u, 0.0)
    }

    /// [`BoundModel::departure_delay_min`] on a day whose shared effect is `day_z` (a standard normal; 0
    /// is a day as the columns predict it).
    pub fn departure_delay_on_day(&self, leg: u32, u: f64, day_z: f64) -> f64 {
        self.departure[leg as usize].map_or(0.0, |i| {
            let u = match self.conditions_shift.get(leg as usize) {
                Some(&shift) if self.day_effects && self.conditions_day_sd > 0.0 => {
                    day_conditioned_uniform(
                        f64::from(shift),
                        self.conditions_sd,
                        self.conditions_day_sd,
                        day_z,
                        u,
                    )
                }
                Some(&shift) => conditioned_uniform(f64::from(shift), self.conditions_sd, u),
                None => u,
            };
            self.model.departure_delay[i as usize].delay_min.at(u)
        })
    }

    /// How far up its cell the day's conditions move `leg`'s own delay, on the normal scale (0 without a
    /// conditions model).
    pub fn conditions_shift(&self, leg: u32) -> f64 {
        self.conditions_shift
            .get(leg as usize)
            .map_or(0.0, |&s| f64::from(s))
    }

    /// A leg's block-time variation for the uniform `u`, minutes: its block cell read at `u`, moved by the
    /// day's conditions at its origin where the model has them.
    pub fn block_variation_min(&self, leg: u32, u: f64) -> f64 {
        self.block_variation_on_day(leg, u, 0.0)
    }

    /// [`BoundModel::block_variation_min`] on a day whose shared effect is `day_z`.
    pub fn block_variation_on_day(&self, leg: u32, u: f64, day_z: f64) -> f64 {
        let u = match self.block_shift[leg as usize] {
            Some(shift) if self.day_effects && self.block_day_sd > 0.0 => day_conditioned_uniform(
                f64::from(shift),
                self.block_sd,
                self.block_day_sd,
                day_z,
                u,
            ),
            Some(shift) => conditioned_uniform(f64::from(shift), self.block_sd, u),
            None => u,
        };
        self.model.block_time[self.block[leg as usize] as usize]
            .variation_min
            .at(u)
    }

    /// Ground time beyond the minimum turn for the uniform `u`, minutes.
    pub fn turn_extra_min(&self, u: f64) -> f64 {
        self.model.turn_time.extra_min.at(u).max(0.0)
    }
}

/// The world's legs by origin, then scheduled departure, then id; and per leg, the range of that order
/// holding the last `departures` legs from its origin scheduled before it within `lookback_min`.
fn recent_departures(
    world: &World,
    departures: u32,
    lookback_min: i64,
) -> (Vec<u32>, Vec<(u32, u32)>) {
    let legs = world.legs();
    let mut order: Vec<u32> = (0..legs.len() as u32).collect();
    order.sort_unstable_by_key(|&i| {
        let l = &legs[i as usize];
        (l.origin, l.scheduled_out, l.id)
    });
    let mut range = vec![(0, 0); legs.len()];
    let mut group = 0;
    let mut earliest = 0;
    for (rank, &i) in order.iter().enumerate() {
        let l = &legs[i as usize];
        if legs[order[group] as usize].origin != l.origin {
            group = rank;
            earliest = rank;
        }
        while legs[order[earliest] as usize].scheduled_out.0 < l.scheduled_out.0 - lookback_min {
            earliest += 1;
        }
        let from = earliest.max(rank.saturating_sub(departures as usize));
        range[i as usize] = (from as u32, rank as u32);
    }
    (order, range)
}

/// The bound model as one replication sees it: the same for every replication but for the day effects
/// drawn for this one (a standard normal per operating day, shared by the day's legs); everything else is
/// the [`BoundModel`]'s.
#[derive(Clone, Copy)]
pub(crate) struct ReplicationModel<'r> {
    bound: &'r BoundModel,
    /// Per day of `bound.days`, this replication's day effect (empty without one).
    day_z: &'r [f64],
}

impl<'r> ReplicationModel<'r> {
    /// Draws the day effects of one replication from `streams` (none when the model has no day effect).
    fn day_effects(bound: &BoundModel, streams: &ReplicationStreams) -> Vec<f64> {
        if !bound.day_effects || (bound.conditions_day_sd == 0.0 && bound.block_day_sd == 0.0) {
            return Vec::new();
        }
        bound
            .days
            .iter()
            .map(|&d| {
                let u: f64 = streams.stream(d as u64, DAY_EFFECT).gen();
                normal_quantile(u.clamp(1e-9, 1.0 - 1e-9))
            })
            .collect()
    }

    fn day_z(&self, leg: u32) -> f64 {
        if self.day_z.is_empty() {
            0.0
        } else {
            self.day_z[self.bound.leg_day[leg as usize] as usize]
        }
    }

    /// A leg's own departure delay for the uniform `u` on this replication's day ([`BoundModel::departure_delay_on_day`]).
    pub fn departure_delay_min(&self, leg: u32, u: f64) -> f64 {
        self.bound.departure_delay_on_day(leg, u, self.day_z(leg))
    }

    /// The uniform that reads `leg`'s own departure delay from the part of its distribution beyond
    /// `late_min` minutes, for the uniform `u`: `u₀ + u (1 − u₀)` where `u₀` is where the delay reaches
    /// `late_min` (found by bisection; the delay rises with the uniform). A leg whose delay never reaches it
    /// reads the top of its distribution.
    pub fn departure_uniform_beyond(&self, leg: u32, late_min: f64, u: f64) -> f64 {
        let (mut lo, mut hi) = (0.0f64, 1.0f64);
        if self.departure_delay_min(leg, lo) >= late_min {
            return u;
        }
        for _ in 0..40 {
            let mid = 0.5 * (lo + hi);
            if self.departure_delay_min(leg, mid) >= late_min {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        hi + u * (1.0 - hi)
    }

    /// A leg's block-time variation for the uniform `u` on this replication's day.
    pub fn block_variation_min(&self, leg: u32, u: f64) -> f64 {
        self.bound.block_variation_on_day(leg, u, self.day_z(leg))
    }
}

impl std::ops::Deref for ReplicationModel<'_> {
    type Target = BoundModel;
    fn deref(&self) -> &BoundModel {
        self.bound
    }
}

/// The actors of the airline, as one type for the kernel.
pub(crate) enum Agent<'r> {
    Aircraft(AircraftActor<'r>),
    Crew(CrewActor<'r>),
    Airport(AirportActor<'r>),
    Ops(OpsControl<'r>),
}

impl Actor for Agent<'_> {
    type Message = Message;

    fn start(&mut self, cx: &mut Context<'_, Message>) {
        match self {
            Agent::Aircraft(a) => a.start(cx),
            Agent::Crew(c) => c.start(cx),
            Agent::Airport(_) | Agent::Ops(_) => {}
        }
    }

    fn handle(&mut self, message: Message, cx: &mut Context<'_, Message>) {
        match self {
            Agent::Aircraft(a) => a.handle(message, cx),
            Agent::Crew(c) => c.handle(message, cx),
            Agent::Airport(p) => p.handle(message, cx),
            Agent::Ops(o) => o.handle(message, cx),
        }
    }
}

/// Runs one replication of `world` with `model` and `policy` on the random streams `streams`.
pub(crate) fn run(
    world: &World,
    model: &BoundModel,
    policy: &dyn OpsPolicy,
    streams: ReplicationStreams,
) -> Result<ReplicationOutcome, ActorsError> {
    let n_aircraft = world.aircraft().len() as u32;
    let n_crew = world.crew().len() as u32;
    let n_airports = world.airports().len() as u32;
    let day_z = ReplicationModel::day_effects(model, &streams);
    let run = Run {
        world,
        model: ReplicationModel {
            bound: model,
            day_z: &day_z,
        },
        policy,
        streams,
        crew_base: n_aircraft,
        airport_base: n_aircraft + n_crew,
        ops: n_aircraft + n_crew + n_airports,
        decided: vec![Cell::new(Decided::Open); world.legs().len()],
    };
    let actors = (n_aircraft + n_crew + n_airports + 1) as usize;
    let mut sim = Simulation::with_capacity(actors, actors);
    for a in 0..n_aircraft {
        sim.add_actor(Agent::Aircraft(AircraftActor::new(&run, a)));
    }
    for c in 0..n_crew {
        sim.add_actor(Agent::Crew(CrewActor::new(&run, c)));
    }
    for p in 0..n_airports {
        sim.add_actor(Agent::Airport(AirportActor::new(&run, p)));
    }
    sim.add_actor(Agent::Ops(OpsControl::new(&run)));
    // Every message moves a leg or a crew member forward; a bound keeps a bug from spinning forever.
    let limit = 64 * (world.legs().len() as u64 + world.seats().len() as u64) + 1024;
    sim.set_event_limit(limit);
    sim.run()?;
    let events = sim.events_delivered();

    let mut legs = vec![LegResult::default(); world.legs().len()];
    let mut ops = OpsStats::default();
    let mut crew = CrewTotals::default();
    let mut rotation_gaps = 0;
    for agent in sim.into_actors() {
        match agent {
            Agent::Aircraft(a) => rotation_gaps += a.collect(&mut legs)?,
            Agent::Crew(c) => c.collect(&mut crew),
            Agent::Airport(_) => {}
            Agent::Ops(o) => ops = o.stats(),
        }
    }
    Ok(ReplicationOutcome {
        legs,
        ops,
        crew,
        rotation_gaps,
        events,
    })
}
