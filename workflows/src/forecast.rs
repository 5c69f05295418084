//! The rolling twin: from the live state at its "now", the rest of the operating day flown N times by the
//! twin with the flown part fixed, summarised with 95 % intervals, and the trouble it sees coming as
//! predicted alerts (a crew duty past its limit, a curfew missed, an airport hour at capacity, a long
//! delay), each with its expected time and its probability (a share of replications).
//!
//! The kernel stays synchronous and seeded: a forecast is a pure function of (schedule, live state, now,
//! delay model, options), so the same feed and seed give the same bytes. The server runs it from a tokio
//! task; `ucodts forecast-skill` ([`crate::forecast_skill`]) scores it against the record hour by hour.
//!
//! How the live state reaches the twin:
//! - a leg reported cancelled or diverted is cancelled in the world's plan ([`RecoveryAction`]);
//! - a leg reported off the gate reaches the twin as flown ([`AsFlown`]): its actual out, off, on and in and
//!   its in estimate. The actors fly it at exactly those times in every replication, an airborne leg
//!   landing with the model's spread around its estimate (without one, at its out plus the twin's own
//!   block draw); its tail turns from its actual arrival and its
//!   crew carry their duty on from it (see `ucodts_actors::as_flown`);
//! - a tail the feed reported out of service (`out_of_service` events) is grounded in the twin for that
//!   window (`Disruption::AircraftOnGround`, returning at its `until`): its legs wait or are recovered as
//!   the twin's operations control does for any grounding;
//! - a leg that should have left by now and has not leaves no earlier than now (a hold in the plan) and, where
//!   its aircraft was there and turned by now, with an own delay drawn from the part of its distribution past
//!   now ([`AsFlown::insert_still_at_gate`]: an hour's wait at the gate is news about the flight), but
//!   only where the feed is known to cover it: it has reported a leg of the same carrier from the same
//!   airport scheduled out at or after this one, or any leg of that carrier there and the leg is
//!   [`OVERDUE_IN_REPORTED_AFTER_MIN`] past its departure (or, with [`ForecastOptions::overdue_after_min`],
//!   the leg has been silent that long). A leg the feed has said nothing of, and nothing of its carrier
//!   at its airport, is flown by the twin as its own forecast: a feed that has sent two events is not a
//!   day of overdue flights.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;

use serde::Serialize;
use ucodts_actors::legality::{extension_allowed, flight_duty_limit};
use ucodts_actors::{
    AsFlown, DelayModel, FlownLeg, FlownTimes, LegResult, RecoveryAction, Twin, Window, World,
    WorldOptions,
};
use ucodts_live::{LiveState, Milestone, TimeKind};
use ucodts_model::disruption::{AircraftOnGround, Curfew, Disruption};
use ucodts_model::{Date, LegStatus, Minutes, Schedule, SegmentKind, UtcMinute, ON_TIME_THRESHOLD};
use ucodts_sim::{MonteCarlo, Shard};
use ucodts_stats::{student_t_interval, Interval, Moments, SortedSample};

use crate::error::{Context, Error, Result};
use crate::progress::Progress;

/// A leg this many minutes late at the gate or more is a long delay (an operating choice, not a rule:
/// the hour past which a controller usually looks at a flight; `--long-delay-min` changes it).
pub const LONG_DELAY_MIN: i64 = 60;
/// A predicted alert is raised when at least this share of replications shows it.
pub const ALERT_PROBABILITY: f64 = 0.2;

/// What a forecast assumes where the feed or the twin says nothing.
pub const ASSUMPTIONS: [&str; 4] = [
    "predicted alerts are of what happens at or after now; legs already off the gate keep their reported times in every replication; an airborne leg lands around its reported on-block estimate with the block time's spread for the share of the block still to fly, or without an estimate at its out plus the block the twin draws for it (the route's variation on the day's conditions), and a leg touched down without an in time is at the gate 7 min later; an unreported leg between two reported legs of its tail was flown in the gap between them",
    "a tail turns from its actual arrival; a leg with a flight number due out before now that the feed has not reported off the gate leaves no earlier than now once the feed has reported a leg of its carrier from its airport scheduled at or after it, or any leg of its carrier there and the leg is 5 min past its departure, and where its aircraft was there and turned by now its own delay is drawn from those of its cell longer than the wait so far (else the twin flies it as its own forecast; legs without a flight number, which no feed names, are the twin's)",
    "crew of a leg already flown were on it: their duty runs from its planned report to the actual arrival, and their connections, release and rest from the actual times",
    "the rest of the day is flown blind: no recorded outcome after now is visible to the twin",
];

/// How a forecast runs.
#[derive(Debug, Clone)]
pub struct ForecastOptions {
    /// Replications of the rest of the day.
    pub replications: u64,
    /// Master seed: the same feed and seed give the same forecast.
    pub seed: u64,
    /// Threads (0: one per core). Does not change any result.
    pub threads: usize,
    /// See [`LONG_DELAY_MIN`].
    pub long_delay_min: i64,
    /// See [`ALERT_PROBABILITY`].
    pub alert_probability: f64,
    /// Curfews in force (none in the embedded default's airports): injected into the twin and watched.
    pub curfews: Vec<Curfew>,
    /// A leg the feed has said nothing of this many minutes past its scheduled departure is overdue
    /// (held to now) even if the feed has reported no later leg of its carrier from its airport; `None`:
    /// only that coverage makes a leg overdue.
    pub overdue_after_min: Option<i64>,
    /// A leg the feed has said nothing of this many minutes past its scheduled departure is overdue when
    /// the feed has reported any leg of the day of its carrier from its airport, earlier or later (it
    /// speaks for that carrier there, so its silence on a leg due out is news); `None`: only a later leg
    /// covers. See [`OVERDUE_IN_REPORTED_AFTER_MIN`].
    pub overdue_in_reported_after_min: Option<i64>,
}

/// The default of [`ForecastOptions::overdue_in_reported_after_min`]: a feed sends a push-back within a
/// minute or two of it, so five minutes' silence on a leg due out is a leg still at the gate. Without it,
/// the legs left at the gate past their schedule while their carrier's next departures from the airport
/// were not due yet were flown as if nothing were known of them: on 2 July 2013 at 20:00 local, five such
/// legs 5 to 90 minutes past their schedule, which left 89 to 118 minutes late, were forecast to leave 26
/// to 67 minutes late (docs/benchmarks.md, issue 17).
pub const OVERDUE_IN_REPORTED_AFTER_MIN: i64 = 5;

impl Default for ForecastOptions {
    fn default() -> ForecastOptions {
        ForecastOptions {
            replications: 100,
            seed: 1,
            threads: 0,
            long_delay_min: LONG_DELAY_MIN,
            alert_probability: ALERT_PROBABILITY,
            curfews: Vec::new(),
            overdue_after_min: None,
            overdue_in_reported_after_min: Some(OVERDUE_IN_REPORTED_AFTER_MIN),
        }
    }
}

/// An estimate over the replications with its 95 % Student-t interval (ends `null` with one replication).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Estimate {
    #[serde(flatten)]
    pub interval: Interval,
}

fn estimate(values: &[f64]) -> Option<Estimate> {
    let moments: Moments = values.iter().copied().collect();
    let mean = moments.mean()?;
    let interval = student_t_interval(&moments, 0.95).unwrap_or(Interval {
        mean,
        lower: f64::NAN,
        upper: f64::NAN,
    });
    Some(Estimate { interval })
}

/// The legs still to arrive, over the replications.
#[derive(Debug, Clone, Serialize)]
pub struct Remaining {
    /// Legs of the day not yet arrived nor cancelled at now.
    pub legs: usize,
    /// Of them, airborne now.
    pub airborne: usize,
    /// Share of the flown ones at the gate less than 15 minutes late.
    pub on_time_rate: Option<Estimate>,
    /// How many are cancelled.
    pub cancelled: Option<Estimate>,
    /// Mean arrival delay of the flown ones, minutes.
    pub mean_arrival_delay_min: Option<Estimate>,
}

/// What the day looks like so far.
#[derive(Debug, Clone, Serialize)]
pub struct SoFar {
    pub legs: usize,
    pub arrived: usize,
    pub airborne: usize,
    pub cancelled: usize,
    pub diverted: usize,
    /// Due out before now, not reported, and known to be covered by the feed (a later leg of its carrier
    /// from its airport reported, or silent past `overdue_after_min`): held to leave no earlier than now.
    pub overdue: usize,
}

/// Delay quantiles, minutes.
#[derive(Debug, Clone, Serialize)]
pub struct DelayQuantiles {
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
}

/// One leg still to arrive.
#[derive(Debug, Clone, Serialize)]
pub struct LegForecast {
    pub leg: u32,
    pub flight: String,
    pub from: String,
    pub to: String,
    pub scheduled_in: String,
    /// `airborne` (landing around its estimate) or `scheduled`.
    pub state: &'static str,
    pub cancellation_probability: f64,
    /// Over the replications that flew it.
    pub arrival_delay_min: Option<DelayQuantiles>,
}

/// Trouble the forecast sees coming, or that happened.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    /// `predicted` (from a forecast) or `actual` (from the feed).
    pub source: &'static str,
    /// `crew_duty_limit` (past the limit and the 117.19 extension), `crew_duty_extension` (past the limit,
    /// within the extension), `curfew`, `airport_capacity`, `long_delay`; actual: `long_delay`, `cancelled`.
    pub kind: &'static str,
    /// When it was raised: the forecast's now, or when the feed reported it.
    pub raised_at: String,
    /// When it is expected (predicted) or happened (actual).
    pub expected_at: String,
    /// Share of replications (1 for an actual alert).
    pub probability: f64,
    pub leg: Option<u32>,
    pub flight: Option<String>,
    pub crew: Option<String>,
    pub airport: Option<String>,
    pub detail: String,
}

/// A rolling forecast of the rest of the day.
#[derive(Debug, Clone, Serialize)]
pub struct Forecast {
    pub day: String,
    pub now: String,
    pub replications: u64,
    pub seed: u64,
    pub so_far: SoFar,
    pub remaining: Remaining,
    pub alerts: Vec<Alert>,
    pub legs: Vec<LegForecast>,
    pub assumptions: [&'static str; 4],
}

/// What the feed fixed of a leg of the day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fixed {
    /// Still the twin's to fly.
    Open,
    Cancelled,
    Diverted,
    Arrived {
        out: UtcMinute,
        arrived: UtcMinute,
    },
    Airborne {
        out: UtcMinute,
        estimate: UtcMinute,
    },
}

/// The rest of a day flown: the world, what was fixed, and every replication's leg results.
pub(crate) struct Flights {
    pub(crate) world: World,
    pub(crate) now: UtcMinute,
    pub(crate) day: Date,
    /// Per world leg.
    pub(crate) fixed: Vec<Fixed>,
    /// Per world leg, the schedule index (the live state's index).
    pub(crate) schedule_index: Vec<usize>,
    /// Per world leg: overdue (see [`SoFar::overdue`]).
    pub(crate) overdue: Vec<bool>,
    /// Per replication, per world leg.
    pub(crate) reps: Vec<Vec<LegResult>>,
}

impl Flights {
    /// Arrival delay in minutes of world leg `l` in replication `r` (`None`: not arrived at its destination).
    pub(crate) fn arrival_delay_min(&self, r: usize, l: usize) -> Option<f64> {
        let scheduled_in = self.world.legs()[l].scheduled_in;
        match self.fixed[l] {
            Fixed::Cancelled | Fixed::Diverted => None,
            // The actors flew the arrived ones at their actual times, the airborne ones around their estimate.
            Fixed::Arrived { .. } | Fixed::Airborne { .. } | Fixed::Open => {
                self.reps[r][l].arrival_delay_min(scheduled_in)
            }
        }
    }

    /// Whether world leg `l` was still to arrive at now.
    pub(crate) fn is_remaining(&self, l: usize) -> bool {
        matches!(self.fixed[l], Fixed::Open | Fixed::Airborne { .. })
    }

    /// Per replication: (flown, on time, sum of arrival delays, cancelled) over the world legs `legs`.
    pub(crate) fn tallies(&self, legs: &[usize]) -> Vec<(u32, u32, f64, u32)> {
        (0..self.reps.len())
            .map(|r| {
                let mut t = (0u32, 0u32, 0.0f64, 0u32);
                for &l in legs {
                    match self.arrival_delay_min(r, l) {
                        Some(d) => {
                            t.0 += 1;
                            t.1 += u32::from(d < ON_TIME_THRESHOLD.0 as f64);
                            t.2 += d;
                        }
                        None if self.fixed[l] == Fixed::Open
                            && self.reps[r][l].cancelled.is_some() =>
                        {
                            t.3 += 1
                        }
                        None => {}
                    }
                }
                t
            })
            .collect()
    }
}

/// The twin that rolls forward from a live state: a delay model ready for the day's worlds.
pub struct RollingTwin {
    model: DelayModel,
}

impl RollingTwin {
    /// With the embedded default's fitted parameters (the live state of the server is over that data set).
    pub fn embedded() -> RollingTwin {
        RollingTwin {
            model: DelayModel::embedded_default(),
        }
    }

    /// A data set (native folder, or the embedded default) and its delay model, as `simulate` picks it.
    pub fn for_data(
        data: &Option<PathBuf>,
        params: &Option<PathBuf>,
        progress: &dyn Progress,
    ) -> Result<(Schedule, RollingTwin)> {
        let set = crate::twin::load(data)?;
        let (model, _) = crate::twin::delay_model(&set, params, progress)?;
        Ok((set.schedule, RollingTwin { model }))
    }

    /// The forecast of the rest of the feed's operating day from the state's now (the latest event sent).
    pub fn forecast(&self, state: &LiveState, options: &ForecastOptions) -> Result<Forecast> {
        let prepared = prepare(state, options)?;
        self.forecast_prepared(&prepared, options)
    }

    /// The forecast from what [`prepare`] took of a live state (so that a caller can let go of the state
    /// while the replications run).
    pub fn forecast_prepared(
        &self,
        prepared: &Prepared,
        options: &ForecastOptions,
    ) -> Result<Forecast> {
        let flights = self.run(prepared, options, Shard::WHOLE)?;
        Ok(summarise(prepared.schedule, &flights, options))
    }

    /// Flies the replications of `shard` of the rest of `day` from `now` with the flown part of `state`
    /// fixed.
    pub(crate) fn fly(
        &self,
        state: &LiveState,
        day: Date,
        now: UtcMinute,
        options: &ForecastOptions,
        shard: Shard,
    ) -> Result<Flights> {
        self.run(&prepare_at(state, day, now, options)?, options, shard)
    }

    fn run(&self, prepared: &Prepared, options: &ForecastOptions, shard: Shard) -> Result<Flights> {
        if options.replications == 0 {
            return Err(Error::invalid("replications: at least 1"));
        }
        let Prepared {
            schedule,
            day,
            now,
            by_id,
            fixed,
            overdue,
            actions,
            as_flown,
            groundings,
        } = prepared;
        let (schedule, day, now) = (*schedule, *day, *now);
        let options_world = WorldOptions {
            blind: true,
            ..WorldOptions::default()
        };
        let mut world = World::new(schedule, Window::day(day), actions, options_world)
            .and_then(|w| w.with_as_flown(as_flown))
            .with_context(|| format!("building the world of {day} from the live state"))?;
        let disruptions: Vec<Disruption> = options
            .curfews
            .iter()
            .cloned()
            .map(Disruption::Curfew)
            .chain(groundings.iter().cloned().map(Disruption::AircraftOnGround))
            .collect();
        if !disruptions.is_empty() {
            world = world
                .with_disruptions(&disruptions)
                .context("injecting the curfews and the tails out of service")?;
        }
        let schedule_index: Vec<usize> = world.legs().iter().map(|l| by_id[&l.id]).collect();
        let fixed: Vec<Fixed> = schedule_index
            .iter()
            .enumerate()
            .map(|(l, i)| match (fixed[i], world.as_flown(l as u32)) {
                // Not reported, but its tail flew on: done.
                (Fixed::Open, Some(FlownLeg::InGap { out, arrived })) => {
                    Fixed::Arrived { out, arrived }
                }
                (f, _) => f,
            })
            .collect();
        let overdue: Vec<bool> = schedule_index.iter().map(|i| overdue.contains(i)).collect();
        let twin = Twin::new(&world, &self.model);
        let slice = shard.replications(options.replications);
        let slots: Mutex<Vec<Option<Vec<LegResult>>>> =
            Mutex::new(vec![None; (slice.end - slice.start) as usize]);
        let none: [&str; 0] = [];
        MonteCarlo::new(options.seed, options.replications)
            .threads(options.threads)
            .try_run_shard(shard, none, |streams| {
                let outcome = twin.replicate(streams)?;
                slots
                    .lock()
                    .expect("no replication panics while holding the slots")
                    [(streams.index() - slice.start) as usize] = Some(outcome.legs);
                Ok::<_, ucodts_actors::ActorsError>([])
            })
            .context("flying the rest of the day")?;
        drop(twin);
        let reps = slots
            .into_inner()
            .expect("no replication panicked")
            .into_iter()
            .map(|r| r.expect("every replication ran"))
            .collect();
        Ok(Flights {
            world,
            now,
            day,
            fixed,
            schedule_index,
            overdue,
            reps,
        })
    }
}

/// What a forecast takes of a live state: the day's legs, what the feed fixed of them, and the plan
/// changes that carry it into the twin.
pub struct Prepared<'s> {
    schedule: &'s Schedule,
    day: Date,
    now: UtcMinute,
    by_id: BTreeMap<ucodts_model::LegId, usize>,
    fixed: BTreeMap<usize, Fixed>,
    /// Schedule indexes of the overdue legs (see [`SoFar::overdue`]).
    overdue: std::collections::BTreeSet<usize>,
    actions: Vec<RecoveryAction>,
    as_flown: AsFlown,
    /// The tails out of service, as the twin's groundings.
    groundings: Vec<AircraftOnGround>,
}

impl Prepared<'_> {
    /// The state's now.
    pub fn now(&self) -> UtcMinute {
        self.now
    }
}

/// [`prepare_at`] the state's operating day and now (its latest event); an error before any event.
pub fn prepare<'s>(state: &LiveState<'s>, options: &ForecastOptions) -> Result<Prepared<'s>> {
    let (Some(day), Some(now)) = (state.operating_day(), state.now()) else {
        return Err(Error::invalid(
            "no movement event yet: the feed has not said which day it is on",
        ));
    };
    prepare_at(state, day, now, options)
}

/// Reads the flown part of `day` at `now` off `state` (see the module documentation).
pub fn prepare_at<'s>(
    state: &LiveState<'s>,
    day: Date,
    now: UtcMinute,
    options: &ForecastOptions,
) -> Result<Prepared<'s>> {
    let schedule = state.schedule();
    let mut by_id = BTreeMap::new();
    for (i, leg) in schedule.legs().iter().enumerate() {
        if ucodts_actors::world::service_date(schedule, leg) == day {
            by_id.insert(leg.id, i);
        }
    }
    if by_id.is_empty() {
        return Err(Error::invalid(format!(
            "{day}: the schedule has no legs that day"
        )));
    }
    // How far the feed is known to cover each carrier at each airport: the latest scheduled departure of
    // a leg of the day it reported something of.
    let mut covered_until: BTreeMap<
        (&ucodts_model::CarrierCode, ucodts_model::AirportCode),
        UtcMinute,
    > = BTreeMap::new();
    for &i in by_id.values() {
        if state.reported(i) {
            let leg = &schedule.legs()[i];
            let until = covered_until
                .entry((&leg.carrier, leg.origin))
                .or_insert(leg.scheduled_out);
            *until = (*until).max(leg.scheduled_out);
        }
    }
    let mut overdue = std::collections::BTreeSet::new();
    // What the feed fixed, per schedule index of the day's legs.
    let mut fixed: BTreeMap<usize, Fixed> = BTreeMap::new();
    let mut actions = Vec::new();
    let mut as_flown = AsFlown::new(now);
    for &i in by_id.values() {
        let leg = &schedule.legs()[i];
        let actual = |m: Milestone| state.time(i, m, TimeKind::Actual).filter(|t| *t <= now);
        let times = FlownTimes {
            out: actual(Milestone::OffBlock),
            off: actual(Milestone::TakeOff),
            on: actual(Milestone::TouchDown),
            gate_in: actual(Milestone::OnBlock),
            estimated_in: state.time(i, Milestone::OnBlock, TimeKind::Estimated),
        };
        let out = times.out.or(times.off);
        let arrived = times.gate_in.or(times.on);
        let f = match (state.status(i), out, arrived) {
            (LegStatus::Cancelled, ..) => Fixed::Cancelled,
            (LegStatus::Diverted, ..) => Fixed::Diverted,
            (_, out, Some(arrived)) => Fixed::Arrived {
                out: out.unwrap_or(leg.scheduled_out),
                arrived,
            },
            (_, Some(out), None) => Fixed::Airborne {
                out,
                estimate: times
                    .estimated_in
                    .unwrap_or(out + leg.scheduled_block())
                    .max(now),
            },
            (_, None, None) => Fixed::Open,
        };
        match f {
            Fixed::Cancelled | Fixed::Diverted => {
                actions.push(RecoveryAction::Cancel { leg: leg.id });
            }
            Fixed::Arrived { .. } | Fixed::Airborne { .. } => as_flown.insert(leg.id, times),
            Fixed::Open => {
                // Only a leg the feed reports on (it has a flight number) and is known to cover is known
                // not to have left.
                let silent_min = (now - leg.scheduled_out).0;
                let covered = covered_until
                    .get(&(&leg.carrier, leg.origin))
                    .is_some_and(|until| {
                        *until >= leg.scheduled_out
                            || options
                                .overdue_in_reported_after_min
                                .is_some_and(|silence| silent_min >= silence)
                    })
                    || options
                        .overdue_after_min
                        .is_some_and(|silence| silent_min >= silence);
                if leg.scheduled_out < now && leg.flight_number.is_some() && covered {
                    overdue.insert(i);
                    as_flown.insert_still_at_gate(leg.id);
                    actions.push(RecoveryAction::Retime {
                        leg: leg.id,
                        earliest_out: now,
                    });
                }
            }
        }
        fixed.insert(i, f);
    }
    Ok(Prepared {
        schedule,
        day,
        now,
        by_id,
        fixed,
        overdue,
        actions,
        as_flown,
        groundings: state
            .out_of_service()
            .filter(|(_, _, until, _)| *until > now)
            .map(|(tail, from, until, _)| AircraftOnGround {
                tail: tail.clone(),
                from,
                expected_return: until,
                return_uncertainty: Minutes::ZERO,
            })
            .collect(),
    })
}

fn sorted_percentiles(values: Vec<f64>) -> Option<DelayQuantiles> {
    let s = SortedSample::new(values);
    let round = |x: f64| (x * 10.0).round() / 10.0;
    Some(DelayQuantiles {
        p10: round(s.percentile(10)?),
        p50: round(s.percentile(50)?),
        p90: round(s.percentile(90)?),
    })
}

/// The remaining legs' measures over the replications.
pub(crate) fn remaining_measures(flights: &Flights, legs: &[usize]) -> Remaining {
    let [on_time_rate, cancelled, mean_arrival_delay_min] = estimates(&flights.tallies(legs));
    Remaining {
        legs: legs.len(),
        airborne: legs
            .iter()
            .filter(|&&l| matches!(flights.fixed[l], Fixed::Airborne { .. }))
            .count(),
        on_time_rate,
        cancelled,
        mean_arrival_delay_min,
    }
}

/// On-time rate, cancelled legs and mean arrival delay over the replications from their
/// [`Flights::tallies`] (of one shard's replications, or all of them in order).
pub(crate) fn estimates(tallies: &[(u32, u32, f64, u32)]) -> [Option<Estimate>; 3] {
    let rates: Vec<f64> = tallies
        .iter()
        .filter(|t| t.0 > 0)
        .map(|t| f64::from(t.1) / f64::from(t.0))
        .collect();
    let delays: Vec<f64> = tallies
        .iter()
        .filter(|t| t.0 > 0)
        .map(|t| t.2 / f64::from(t.0))
        .collect();
    let cancelled: Vec<f64> = tallies.iter().map(|t| f64::from(t.3)).collect();
    [estimate(&rates), estimate(&cancelled), estimate(&delays)]
}

fn summarise(schedule: &Schedule, flights: &Flights, options: &ForecastOptions) -> Forecast {
    let world = &flights.world;
    let remaining: Vec<usize> = (0..world.legs().len())
        .filter(|&l| flights.is_remaining(l))
        .collect();
    let count = |f: fn(&Fixed) -> bool| flights.fixed.iter().filter(|x| f(x)).count();
    let so_far = SoFar {
        legs: world.legs().len(),
        arrived: count(|f| matches!(f, Fixed::Arrived { .. })),
        airborne: count(|f| matches!(f, Fixed::Airborne { .. })),
        cancelled: count(|f| matches!(f, Fixed::Cancelled)),
        diverted: count(|f| matches!(f, Fixed::Diverted)),
        overdue: flights.overdue.iter().filter(|o| **o).count(),
    };
    let n = flights.reps.len() as f64;
    let airports = world.airports();
    let legs = remaining
        .iter()
        .map(|&l| {
            let wl = &world.legs()[l];
            let leg = &schedule.legs()[flights.schedule_index[l]];
            let delays: Vec<f64> = (0..flights.reps.len())
                .filter_map(|r| flights.arrival_delay_min(r, l))
                .collect();
            let cancelled = n - delays.len() as f64;
            LegForecast {
                leg: wl.id.0,
                flight: leg.designator(),
                from: airports[wl.origin as usize].code.to_string(),
                to: airports[wl.destination as usize].code.to_string(),
                scheduled_in: wl.scheduled_in.to_string(),
                state: match flights.fixed[l] {
                    Fixed::Airborne { .. } => "airborne",
                    _ => "scheduled",
                },
                cancellation_probability: cancelled / n,
                arrival_delay_min: sorted_percentiles(delays),
            }
        })
        .collect();
    Forecast {
        day: flights.day.to_string(),
        now: flights.now.to_string(),
        replications: flights.reps.len() as u64,
        seed: options.seed,
        so_far,
        remaining: remaining_measures(flights, &remaining),
        alerts: predicted_alerts(schedule, flights, options),
        legs,
        assumptions: ASSUMPTIONS,
    }
}

/// Arrival instant (UTC minute) of world leg `l` in replication `r`, if it arrived.
fn arrival_at(flights: &Flights, r: usize, l: usize) -> Option<UtcMinute> {
    flights
        .arrival_delay_min(r, l)
        .map(|d| flights.world.legs()[l].scheduled_in + Minutes(d.floor() as i64))
}

fn departure_at(flights: &Flights, r: usize, l: usize) -> Option<UtcMinute> {
    let wl = &flights.world.legs()[l];
    match flights.fixed[l] {
        Fixed::Cancelled | Fixed::Diverted => None,
        Fixed::Arrived { .. } | Fixed::Airborne { .. } | Fixed::Open => flights.reps[r][l]
            .departure_delay_min(wl.scheduled_out)
            .map(|d| wl.scheduled_out + Minutes(d.floor() as i64)),
    }
}

fn mean_instant(times: &[UtcMinute]) -> Option<UtcMinute> {
    (!times.is_empty()).then(|| {
        let sum: i128 = times.iter().map(|t| i128::from(t.0)).sum();
        UtcMinute((sum / times.len() as i128) as i64)
    })
}

/// A pilot duty's alert, from each replication's end of it (its last arrival; `None` where none arrived):
/// `crew_duty_limit` where at least `threshold` of the replications end past the limit and the extension,
/// at or after now (no rule allows it); else `crew_duty_extension` where at least `threshold` end past the
/// limit only (legal under 117.19 with the captain's and the airline's agreement); else none.
#[derive(Debug, PartialEq)]
struct DutyAlert {
    kind: &'static str,
    expected_at: UtcMinute,
    /// Shares of replications past the limit, and past the limit and the extension.
    past_limit: f64,
    past_extension: f64,
}

fn duty_alert(
    ends: impl Iterator<Item = Option<UtcMinute>>,
    end_of_limit: UtcMinute,
    extension: Minutes,
    now: UtcMinute,
    threshold: f64,
) -> Option<DutyAlert> {
    let (mut n, mut past_limit, mut past_extension) = (0usize, 0usize, 0usize);
    for end in ends {
        n += 1;
        if let Some(end) = end.filter(|end| *end > end_of_limit && *end >= now) {
            past_limit += 1;
            past_extension += usize::from(end > end_of_limit + extension);
        }
    }
    let share = |k: usize| if n == 0 { 0.0 } else { k as f64 / n as f64 };
    let (p_limit, p_extension) = (share(past_limit), share(past_extension));
    let (kind, expected_at) = if past_extension > 0 && p_extension >= threshold {
        ("crew_duty_limit", end_of_limit + extension)
    } else if past_limit > 0 && p_limit >= threshold {
        ("crew_duty_extension", end_of_limit)
    } else {
        return None;
    };
    Some(DutyAlert {
        kind,
        expected_at,
        past_limit: p_limit,
        past_extension: p_extension,
    })
}

/// A duty's report as the crew and their base read it, beside the UTC the feed and the alert's times use:
/// `2013-07-02T10:30Z (06:30 local at base)`.
fn report_words(report: UtcMinute, home_offset: Minutes) -> String {
    let local = (report + home_offset).0.rem_euclid(1440);
    format!(
        "{report} ({:02}:{:02} local at base)",
        local / 60,
        local % 60
    )
}

fn predicted_alerts(
    schedule: &Schedule,
    flights: &Flights,
    options: &ForecastOptions,
) -> Vec<Alert> {
    let world = &flights.world;
    let reps = flights.reps.len();
    let n = reps as f64;
    let now = flights.now.to_string();
    let mut alerts = Vec::new();
    let alert = |kind: &'static str, at: UtcMinute, p: f64, detail: String| Alert {
        source: "predicted",
        kind,
        raised_at: now.clone(),
        expected_at: at.to_string(),
        probability: (p * 1000.0).round() / 1000.0,
        leg: None,
        flight: None,
        crew: None,
        airport: None,
        detail,
    };
    let flight_of = |l: usize| schedule.legs()[flights.schedule_index[l]].designator();
    // A predicted alert is of what comes: a replication shows it only where it happens at or after now
    // (a leg the feed has said nothing of is flown by the twin, possibly before now).
    let now_at = flights.now;
    // Long delays of legs still to arrive.
    for l in (0..world.legs().len()).filter(|&l| flights.is_remaining(l)) {
        let late: Vec<UtcMinute> = (0..reps)
            .filter(|&r| {
                flights
                    .arrival_delay_min(r, l)
                    .is_some_and(|d| d >= options.long_delay_min as f64)
            })
            .filter_map(|r| arrival_at(flights, r, l))
            .filter(|at| *at >= now_at)
            .collect();
        let p = late.len() as f64 / n;
        if p >= options.alert_probability && !late.is_empty() {
            let at = mean_instant(&late).expect("not empty");
            let mut a = alert(
                "long_delay",
                at,
                p,
                format!(
                    "arrives {} min or more late in {:.0} % of replications",
                    options.long_delay_min,
                    p * 100.0
                ),
            );
            a.leg = Some(world.legs()[l].id.0);
            a.flight = Some(flight_of(l));
            alerts.push(a);
        }
    }
    // Pilot duties still under way or to come that run past their flight duty limit: past the 117.19
    // extension too (no rule allows it: a crew change is needed), or within it (legal, but the captain and
    // the airline must agree to it and report it, so it is the controller's to arrange).
    for member in world.crew() {
        let positions = &world.positions()
            [member.first_position as usize..(member.first_position + member.positions) as usize];
        let mut duties: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
        for p in positions {
            if world.seats()[p.seat as usize].kind == SegmentKind::Operating {
                duties.entry(p.duty).or_default().push(p.leg as usize);
            }
        }
        let extension = extension_allowed(member.rank);
        for (duty, legs) in duties {
            if !legs.iter().any(|&l| flights.is_remaining(l)) {
                continue;
            }
            let plan = world.duties()[duty as usize];
            let local_minute = (plan.report + plan.home_offset).0.rem_euclid(1440);
            let Some(limit) = flight_duty_limit(
                member.rank,
                local_minute,
                usize::from(plan.operating_segments),
            ) else {
                continue;
            };
            let end_of_limit = plan.report + limit;
            let ends =
                (0..reps).map(|r| legs.iter().filter_map(|&l| arrival_at(flights, r, l)).max());
            let Some(duty) = duty_alert(
                ends,
                end_of_limit,
                extension,
                now_at,
                options.alert_probability,
            ) else {
                continue;
            };
            let limit_words = format!("{} h {:02} min limit", limit.0 / 60, limit.0 % 60);
            let report_words = report_words(plan.report, plan.home_offset);
            let extension_words = format!("{} h extension", extension.0 / 60);
            let mut a = match duty.kind {
                "crew_duty_limit" => alert(
                    duty.kind,
                    duty.expected_at,
                    duty.past_extension,
                    format!(
                        "flight duty from {report_words} past its {limit_words} and the {extension_words} of 117.19 in {:.0} % of replications: a crew change is needed",
                        duty.past_extension * 100.0
                    ),
                ),
                _ => alert(
                    duty.kind,
                    duty.expected_at,
                    duty.past_limit,
                    format!(
                        "flight duty from {report_words} past its {limit_words} in {:.0} % of replications, past the {extension_words} of 117.19 in {:.0} %: legal with the captain's and the airline's agreement",
                        duty.past_limit * 100.0,
                        duty.past_extension * 100.0
                    ),
                ),
            };
            a.crew = Some(member.id.to_string());
            alerts.push(a);
        }
    }
    // Curfews: a leg planned to move before a curfew that moves at or after its start.
    for curfew in &options.curfews {
        for l in (0..world.legs().len()).filter(|&l| flights.is_remaining(l)) {
            let wl = &world.legs()[l];
            let code = |a: u32| world.airports()[a as usize].code;
            let moves: [(bool, &str); 2] = [
                (
                    code(wl.destination) == curfew.airport && wl.scheduled_in < curfew.from,
                    "arrival",
                ),
                (
                    code(wl.origin) == curfew.airport && wl.scheduled_out < curfew.from,
                    "departure",
                ),
            ];
            for (applies, what) in moves {
                if !applies {
                    continue;
                }
                let missed = (0..reps)
                    .filter(|&r| {
                        let t = if what == "arrival" {
                            arrival_at(flights, r, l)
                        } else {
                            departure_at(flights, r, l)
                        };
                        t.is_some_and(|t| t >= curfew.from && t >= now_at)
                    })
                    .count();
                let p = missed as f64 / n;
                if p >= options.alert_probability && missed > 0 {
                    let mut a = alert(
                        "curfew",
                        curfew.from,
                        p,
                        format!(
                            "{what} at {} misses the curfew from {} in {:.0} % of replications",
                            curfew.airport,
                            curfew.from,
                            p * 100.0
                        ),
                    );
                    a.leg = Some(wl.id.0);
                    a.flight = Some(flight_of(l));
                    a.airport = Some(curfew.airport.to_string());
                    alerts.push(a);
                }
            }
        }
    }
    // Airport hours whose arrivals reach the airport's capacity (the twin queues the rest).
    let mut saturated: BTreeMap<(u32, i64), u64> = BTreeMap::new();
    for r in 0..reps {
        let mut counts: BTreeMap<(u32, i64), u32> = BTreeMap::new();
        for (l, wl) in world.legs().iter().enumerate() {
            if flights.fixed[l] != Fixed::Open {
                continue;
            }
            if let Some(at) = arrival_at(flights, r, l).filter(|t| *t >= flights.now) {
                *counts
                    .entry((wl.destination, at.0.div_euclid(60)))
                    .or_default() += 1;
            }
        }
        for ((a, hour), c) in counts {
            if c >= world.airports()[a as usize].capacity.arrivals_per_hour {
                *saturated.entry((a, hour)).or_default() += 1;
            }
        }
    }
    for ((a, hour), k) in saturated {
        let p = k as f64 / n;
        if p >= options.alert_probability {
            let airport = &world.airports()[a as usize];
            let mut x = alert(
                "airport_capacity",
                UtcMinute(hour * 60),
                p,
                format!(
                    "arrivals reach the capacity of {} an hour in {:.0} % of replications",
                    airport.capacity.arrivals_per_hour,
                    p * 100.0
                ),
            );
            x.airport = Some(airport.code.to_string());
            alerts.push(x);
        }
    }
    alerts.sort_by(|a, b| {
        (&a.expected_at, a.kind, &a.airport, &a.flight, &a.crew).cmp(&(
            &b.expected_at,
            b.kind,
            &b.airport,
            &b.flight,
            &b.crew,
        ))
    });
    alerts
}

/// What the feed itself shows on the state's operating day: cancellations and long delays, when they
/// were reported.
pub fn actual_alerts(state: &LiveState, long_delay_min: i64) -> Vec<Alert> {
    let Some(day) = state.operating_day() else {
        return Vec::new();
    };
    let schedule = state.schedule();
    let mut out = Vec::new();
    for (i, leg) in schedule.legs().iter().enumerate() {
        if ucodts_actors::world::service_date(schedule, leg) != day {
            continue;
        }
        let base = |kind: &'static str, at: UtcMinute, detail: String| Alert {
            source: "actual",
            kind,
            raised_at: at.to_string(),
            expected_at: at.to_string(),
            probability: 1.0,
            leg: Some(leg.id.0),
            flight: Some(leg.designator()),
            crew: None,
            airport: None,
            detail,
        };
        let status = state.status(i);
        if status == LegStatus::Cancelled {
            let at = state.status_reported_at(i).unwrap_or(leg.scheduled_out);
            out.push(base(
                "cancelled",
                at,
                format!("{} cancelled", leg.designator()),
            ));
            continue;
        }
        let actual = |m: Milestone| state.time(i, m, TimeKind::Actual);
        if let Some(arrived) = actual(Milestone::OnBlock) {
            let late = (arrived - leg.scheduled_in).0;
            if late >= long_delay_min {
                out.push(base(
                    "long_delay",
                    arrived,
                    format!("arrived {late} min late"),
                ));
            }
        } else if let Some(left) = actual(Milestone::OffBlock) {
            let late = (left - leg.scheduled_out).0;
            if late >= long_delay_min {
                out.push(base("long_delay", left, format!("left {late} min late")));
            }
        }
    }
    out
}

/// Predicted and actual alerts together, newest first (by when raised, then when expected).
pub fn alerts_newest_first(predicted: &[Alert], actual: &[Alert]) -> Vec<Alert> {
    let mut all: Vec<Alert> = predicted.iter().chain(actual).cloned().collect();
    all.sort_by(|a, b| {
        (
            &b.raised_at,
            &b.expected_at,
            b.kind,
            &b.flight,
            &b.crew,
            &b.airport,
        )
            .cmp(&(
                &a.raised_at,
                &a.expected_at,
                a.kind,
                &a.flight,
                &a.crew,
                &a.airport,
            ))
    });
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use ucodts_live::replay::{recorded_day, ReplayOptions};

    fn state_at<'s>(schedule: &'s Schedule, day: Date, until: UtcMinute) -> LiveState<'s> {
        let feed = recorded_day(schedule, day, ReplayOptions::default());
        let mut state = LiveState::new(schedule);
        for e in feed.events.iter().filter(|e| e.sent <= until) {
            state.apply(e).unwrap();
        }
        state
    }

    #[test]
    fn same_feed_and_seed_give_the_same_forecast_bytes_and_the_flown_part_is_fixed() {
        let schedule = crate::data::default_with_crew().unwrap();
        let day = Date::new(2013, 7, 2).unwrap();
        let noon = UtcMinute::parse("2013-07-02T16:00Z").unwrap();
        let state = state_at(&schedule, day, noon);
        let twin = RollingTwin::embedded();
        let options = ForecastOptions {
            replications: 4,
            seed: 7,
            threads: 2,
            ..ForecastOptions::default()
        };
        let a = twin.forecast(&state, &options).unwrap();
        let b = twin
            .forecast(
                &state,
                &ForecastOptions {
                    threads: 1,
                    ..options.clone()
                },
            )
            .unwrap();
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            serde_json::to_string(&b).unwrap()
        );
        // Legs that arrived are not forecast again; the others are.
        assert!(a.so_far.arrived > 100, "{:?}", a.so_far);
        assert_eq!(
            a.remaining.legs,
            a.so_far.legs - a.so_far.arrived - a.so_far.cancelled - a.so_far.diverted
        );
        assert_eq!(a.legs.len(), a.remaining.legs);
        // An airborne leg lands in every replication, around its estimate.
        let airborne = a.legs.iter().find(|l| l.state == "airborne").unwrap();
        let q = airborne.arrival_delay_min.as_ref().unwrap();
        assert_eq!(airborne.cancellation_probability, 0.0);
        assert!(q.p10 <= q.p50 && q.p50 <= q.p90, "{q:?}");
    }

    #[test]
    fn legs_the_feed_reported_flown_are_flown_at_its_times_in_every_replication() {
        let schedule = crate::data::default_with_crew().unwrap();
        let day = Date::new(2013, 7, 2).unwrap();
        let now = UtcMinute::parse("2013-07-02T18:00Z").unwrap();
        let state = state_at(&schedule, day, now);
        // The world and the twin as the forecast builds them.
        let prepared = prepare_at(&state, day, now, &ForecastOptions::default()).unwrap();
        let options = WorldOptions {
            blind: true,
            ..WorldOptions::default()
        };
        let world = World::new(&schedule, Window::day(day), &prepared.actions, options)
            .unwrap()
            .with_as_flown(&prepared.as_flown)
            .unwrap();
        let model = RollingTwin::embedded().model;
        let twin = Twin::new(&world, &model);
        let reps: Vec<Vec<LegResult>> = (0..5)
            .map(|r| {
                let streams = ucodts_sim::RngStreams::new(3).replication(r);
                twin.replicate(streams).unwrap().legs
            })
            .collect();
        let sim = ucodts_actors::replication::sim_time;
        let (mut arrived, mut airborne) = (0, 0);
        for (l, wl) in world.legs().iter().enumerate() {
            let i = prepared.by_id[&wl.id];
            let actual = |m: Milestone| state.time(i, m, TimeKind::Actual);
            let Some(out) = actual(Milestone::OffBlock) else {
                continue;
            };
            let gate_in = actual(Milestone::OnBlock);
            for rep in &reps {
                assert_eq!(rep[l].out, Some(sim(out)), "leg {}", wl.id);
                match gate_in {
                    Some(gate_in) => assert_eq!(rep[l].arrived, Some(sim(gate_in))),
                    None => assert!(rep[l].arrived.is_some_and(|t| t >= sim(now))),
                }
            }
            match gate_in {
                Some(_) => arrived += 1,
                None => airborne += 1,
            }
        }
        assert!(
            arrived > 300 && airborne > 10,
            "{arrived} arrived, {airborne} airborne"
        );
    }

    #[test]
    fn a_curfew_the_day_runs_into_is_a_predicted_alert() {
        let schedule = crate::data::default_with_crew().unwrap();
        let day = Date::new(2013, 7, 2).unwrap();
        let state = state_at(
            &schedule,
            day,
            UtcMinute::parse("2013-07-02T20:00Z").unwrap(),
        );
        // A curfew at LGA from 21:00 local (01:00Z): legs planned to leave just before it do not all make it.
        let curfew = Curfew {
            airport: ucodts_model::AirportCode::new("LGA").unwrap(),
            from: UtcMinute::parse("2013-07-03T00:30Z").unwrap(),
            to: UtcMinute::parse("2013-07-03T10:00Z").unwrap(),
        };
        let options = ForecastOptions {
            replications: 4,
            curfews: vec![curfew],
            ..ForecastOptions::default()
        };
        let f = RollingTwin::embedded().forecast(&state, &options).unwrap();
        let curfews: Vec<&Alert> = f.alerts.iter().filter(|a| a.kind == "curfew").collect();
        assert!(!curfews.is_empty(), "{:?}", f.alerts);
        assert!(curfews
            .iter()
            .all(|a| a.airport.as_deref() == Some("LGA") && a.probability >= 0.2));
    }

    #[test]
    fn a_sparse_feed_does_not_make_every_unreported_leg_overdue() {
        let schedule = crate::data::default_with_crew().unwrap();
        let day = Date::new(2013, 7, 2).unwrap();
        let feed = recorded_day(&schedule, day, ReplayOptions::default());
        let evening = UtcMinute::parse("2013-07-02T22:00Z").unwrap();
        // Two departures reported at 18:00 local, nothing else: the feed has just been switched on.
        let mut sparse = LiveState::new(&schedule);
        let two: Vec<_> = feed
            .events
            .iter()
            .filter(|e| e.sent <= evening && e.status == Some(LegStatus::Departed))
            .rev()
            .take(2)
            .collect();
        for e in &two {
            sparse.apply(e).unwrap();
        }
        let options = ForecastOptions {
            replications: 10,
            ..ForecastOptions::default()
        };
        let twin = RollingTwin::embedded();
        let f = twin.forecast(&sparse, &options).unwrap();
        let prepared = prepare(&sparse, &options).unwrap();
        // Overdue only where the feed reported a later leg of the carrier at the airport, or any leg of
        // it there and the leg is five minutes past its departure.
        let covered = |i: usize| {
            let leg = &schedule.legs()[i];
            two.iter().any(|e| {
                let j = sparse.resolve(&e.leg).unwrap();
                let other = &schedule.legs()[j];
                other.carrier == leg.carrier
                    && other.origin == leg.origin
                    && (other.scheduled_out >= leg.scheduled_out
                        || (prepared.now - leg.scheduled_out).0 >= OVERDUE_IN_REPORTED_AFTER_MIN)
            })
        };
        let could_be: usize = prepared
            .by_id
            .values()
            .filter(|&&i| {
                let leg = &schedule.legs()[i];
                !sparse.reported(i)
                    && leg.flight_number.is_some()
                    && leg.scheduled_out < prepared.now
                    && covered(i)
            })
            .count();
        assert_eq!(f.so_far.overdue, could_be, "{:?}", f.so_far);
        assert!(f.so_far.overdue < 100, "{:?}", f.so_far);
        // Not a flood: the old rule (every unreported leg due out before now held to now, the
        // silence at 0) is what made the 1,943 alerts; no long delay is expected before now.
        let flood_options = ForecastOptions {
            overdue_after_min: Some(0),
            ..options.clone()
        };
        let flood = twin.forecast(&sparse, &flood_options).unwrap();
        assert!(
            flood.so_far.overdue > 5 * f.so_far.overdue.max(1),
            "{:?} against {:?}",
            flood.so_far,
            f.so_far
        );
        let kinds = |f: &Forecast| {
            let mut k = BTreeMap::new();
            for a in &f.alerts {
                *k.entry(a.kind).or_insert(0) += 1;
            }
            k
        };
        assert!(
            2 * f.alerts.len() < flood.alerts.len(),
            "{:?} alerts, {:?} with every unreported leg overdue",
            kinds(&f),
            kinds(&flood)
        );
        assert!(
            f.alerts
                .iter()
                .all(|a| a.kind != "long_delay" || a.expected_at >= f.now),
            "{:?}",
            f.alerts
        );
    }

    #[test]
    fn a_leg_silent_past_its_departure_where_the_feed_speaks_for_its_carrier_is_held_at_the_gate() {
        // 2 July 2013 at 20:00 local: B6 305 EWR-FLL, due out at 18:30, left at 20:09 (99 min late). The
        // feed had reported JetBlue's earlier Newark departures, and none of its later ones, which were
        // not due yet: its silence on B6 305 says it is still at the gate.
        let schedule = crate::data::default_with_crew().unwrap();
        let day = Date::new(2013, 7, 2).unwrap();
        let now = UtcMinute::parse("2013-07-03T00:00Z").unwrap();
        let state = state_at(&schedule, day, now);
        let i = schedule
            .legs()
            .iter()
            .position(|l| {
                l.carrier.as_str() == "B6"
                    && l.flight_number == Some(305)
                    && ucodts_actors::world::service_date(&schedule, l) == day
            })
            .unwrap();
        let leg = &schedule.legs()[i];
        assert!(!state.reported(i) && leg.scheduled_out + Minutes(60) < now);
        let held = prepare_at(&state, day, now, &ForecastOptions::default()).unwrap();
        assert!(held.overdue.contains(&i));
        // Only a later leg of the carrier at the airport covered it before: it was the twin's own.
        let later_only = ForecastOptions {
            overdue_in_reported_after_min: None,
            ..ForecastOptions::default()
        };
        let own = prepare_at(&state, day, now, &later_only).unwrap();
        assert!(!own.overdue.contains(&i));
        // A carrier the feed has said nothing of at the airport is not held.
        assert!(held.overdue.iter().all(|&j| {
            let l = &schedule.legs()[j];
            by_carrier_reported(&state, &held, l)
        }));
    }

    /// Whether the feed reported any leg of the day of `leg`'s carrier from `leg`'s origin.
    fn by_carrier_reported(
        state: &LiveState,
        prepared: &Prepared,
        leg: &ucodts_model::Leg,
    ) -> bool {
        let schedule = state.schedule();
        prepared.by_id.values().any(|&k| {
            let other = &schedule.legs()[k];
            state.reported(k) && other.carrier == leg.carrier && other.origin == leg.origin
        })
    }

    #[test]
    fn a_tail_reported_out_of_service_is_grounded_in_the_twin() {
        use ucodts_live::{FeedEvent, OutOfServiceEvent};
        let schedule = crate::data::default_with_crew().unwrap();
        let day = Date::new(2013, 7, 2).unwrap();
        let now = UtcMinute::parse("2013-07-02T16:00Z").unwrap();
        let until = now + Minutes(8 * 60);
        let mut state = state_at(&schedule, day, now);
        // A tail with a leg of the day an hour or more after now.
        let leg = schedule
            .legs()
            .iter()
            .find(|l| {
                l.tail.is_some()
                    && l.scheduled_out > now + Minutes(60)
                    && l.scheduled_out < until
                    && ucodts_actors::world::service_date(&schedule, l) == day
            })
            .unwrap();
        let tail = leg.tail.clone().unwrap();
        let options = ForecastOptions {
            replications: 8,
            ..ForecastOptions::default()
        };
        let twin = RollingTwin::embedded();
        let before = twin.forecast(&state, &options).unwrap();
        let aog = FeedEvent::OutOfService(OutOfServiceEvent {
            sequence: 1_000_000,
            sent: now,
            registration: tail.clone(),
            from: now,
            until,
            reason: "AOG".into(),
        });
        state.apply_feed(&aog).unwrap();
        let prepared = prepare(&state, &options).unwrap();
        assert_eq!(prepared.groundings.len(), 1);
        assert_eq!(prepared.groundings[0].tail, tail);
        let after = twin.forecast(&state, &options).unwrap();
        let of_tail = |f: &Forecast| -> Vec<String> {
            f.legs
                .iter()
                .filter(|l| {
                    schedule
                        .leg(ucodts_model::LegId(l.leg))
                        .is_some_and(|s| s.tail.as_ref() == Some(&tail))
                })
                .map(|l| serde_json::to_string(l).unwrap())
                .collect()
        };
        assert!(!of_tail(&before).is_empty());
        assert_ne!(
            of_tail(&before),
            of_tail(&after),
            "the grounding changed nothing"
        );
    }

    #[test]
    fn a_duty_past_its_limit_is_an_extension_to_arrange_and_past_the_extension_a_crew_change() {
        let t = |s: &str| UtcMinute::parse(s).unwrap();
        let limit = t("2013-07-02T20:00Z");
        let now = t("2013-07-02T16:00Z");
        let two_hours = Minutes(120);
        let ends = |minutes: &[i64]| -> Vec<Option<UtcMinute>> {
            minutes.iter().map(|m| Some(limit + Minutes(*m))).collect()
        };
        // Four replications of ten end 30-90 min past the limit: within the 2 h extension.
        let mut within = ends(&[-60, -30, -10, -5, 0, 10, 30, 60, 90, -20]);
        within[9] = None;
        let a = duty_alert(within.into_iter(), limit, two_hours, now, 0.2).unwrap();
        assert_eq!(a.kind, "crew_duty_extension");
        assert_eq!(a.expected_at, limit);
        assert_eq!((a.past_limit, a.past_extension), (0.4, 0.0));
        // Three of ten past the extension as well: a crew change, expected when the extension runs out.
        let beyond = ends(&[-60, -30, 0, 10, 30, 60, 130, 150, 200, 20]);
        let a = duty_alert(beyond.into_iter(), limit, two_hours, now, 0.2).unwrap();
        assert_eq!(a.kind, "crew_duty_limit");
        assert_eq!(a.expected_at, limit + two_hours);
        assert_eq!((a.past_limit, a.past_extension), (0.7, 0.3));
        // One of ten past the limit: under the alert threshold.
        assert_eq!(
            duty_alert(
                ends(&[-60, -30, 0, 10, -5, -6, -7, -8, -9, -1]).into_iter(),
                limit,
                two_hours,
                now,
                0.2
            ),
            None
        );
        // The alert's words give the report in the base's local time too (New York in July: UTC-4).
        assert_eq!(
            report_words(t("2013-07-02T10:30Z"), Minutes(-240)),
            "2013-07-02T10:30Z (06:30 local at base)"
        );
        assert_eq!(
            report_words(t("2013-07-02T02:15Z"), Minutes(-240)),
            "2013-07-02T02:15Z (22:15 local at base)"
        );
        // A duty that ended past its limit before now is what happened, not what is coming.
        let over_before_now = ends(&[-60, 30, 30, 30, 30]);
        assert_eq!(
            duty_alert(
                over_before_now.into_iter(),
                limit,
                two_hours,
                t("2013-07-02T21:00Z"),
                0.2
            ),
            None
        );
    }
}
