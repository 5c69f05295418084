//! Validation against the record: simulate recorded days and compare with what happened.
//!
//! The comparison is over the recorded legs of the window that the record shows arriving (a recorded
//! arrival delay) and that the twin flew: the recorded on-time rate, mean arrival delay and arrival-delay
//! distribution against the simulated ones, the last as the Kolmogorov–Smirnov distance between the
//! recorded distribution and the simulated one pooled over all replications; and per day the cancelled
//! share of the recorded legs. In a blind world ([`crate::WorldOptions::blind`], what `ucodts validate`
//! runs by default) the twin sees none of the record's outcomes: it cancels by its own operations control
//! (the fitted cancellation policy, crew and aircraft), and delays, block times and turns come from the
//! model. In a replayed world the legs the record shows cancelled are cancelled in the plan.
//!
//! Validation means something only on days the model was not fitted on; the report says whether the
//! windows overlap.

use std::sync::atomic::{AtomicI64, Ordering};

use serde::{Deserialize, Serialize};
use ucodts_model::{Date, LegSource, ON_TIME_THRESHOLD};
use ucodts_sim::stats::ConfidenceInterval;
use ucodts_sim::{MonteCarlo, MonteCarloReport, Shard, Summary};

use crate::delay_model::DelayModel;
use crate::replication::sim_time;
use crate::twin::Twin;
use crate::world::World;
use crate::ActorsError;

/// Arrival delays are compared in whole minutes from this many minutes early ...
const HISTOGRAM_FROM_MIN: i64 = -180;
/// ... to this many late; beyond, they count at the ends.
const HISTOGRAM_TO_MIN: i64 = 1800;

/// Recorded against simulated, over the window.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    /// Recorded legs of the window (flown or cancelled in the record).
    pub recorded_flights: u64,
    /// Recorded share less than 15 minutes late, of the recorded legs with a recorded arrival.
    pub recorded_on_time_rate: f64,
    /// Simulated share less than 15 minutes late, of the recorded legs the twin flew; mean over replications.
    pub simulated_on_time_rate: f64,
    /// Simulated minus recorded, percentage points.
    pub on_time_rate_difference_pp: f64,
    /// Recorded mean arrival delay, minutes.
    pub recorded_mean_arrival_delay_min: f64,
    /// Simulated mean arrival delay, mean over replications, minutes.
    pub simulated_mean_arrival_delay_min: f64,
    /// Share of the recorded legs the record shows cancelled.
    pub recorded_cancelled_share: f64,
    /// Share of the same legs the twin cancelled (any reason), mean over replications.
    pub simulated_cancelled_share: f64,
}

/// One side of a day's comparison.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DayFigures {
    /// Share of the flown legs less than 15 minutes late at the gate.
    pub on_time_rate: f64,
    /// Share of the day's recorded legs cancelled.
    pub cancelled_share: f64,
    /// Mean arrival delay of the flown legs, minutes.
    pub mean_arrival_delay_min: f64,
}

/// What [`validate`] reports.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ValidationReport {
    /// First day validated.
    pub from: String,
    /// Last day validated.
    pub to: String,
    /// The days the model was fitted on.
    pub fitted_from: String,
    /// See `fitted_from`.
    pub fitted_to: String,
    /// Days left out of the fit (`fit --exclude`), if any.
    pub fitted_excluding: Option<[String; 2]>,
    /// Whether the validated days overlap the fitted ones (then this is not a held-out test).
    pub overlaps_fitted_days: bool,
    /// Whether the twin flew blind ([`crate::WorldOptions::blind`]): no recorded outcome of the days visible,
    /// the recorded weather used as a perfect forecast.
    pub blind: bool,
    /// What the twin knew.
    pub note: &'static str,
    /// Replications.
    pub replications: u64,
    /// Master seed.
    pub seed: u64,
    /// Over the window.
    #[serde(flatten)]
    pub overall: Comparison,
    /// 95% confidence interval of the simulated on-time rate's mean.
    pub simulated_on_time_rate_ci95: Option<ConfidenceInterval>,
    /// Kolmogorov–Smirnov distance between the recorded arrival delays and the simulated ones pooled over
    /// replications (0: the same distribution, 1: disjoint).
    pub ks_distance: f64,
    /// Pearson correlation of the recorded and simulated daily on-time rates (`None` under three days).
    pub daily_on_time_correlation: Option<f64>,
    /// Mean absolute difference of the daily on-time rates, percentage points.
    pub daily_on_time_mean_absolute_error_pp: f64,
    /// Per operating day.
    pub days: Vec<DayComparison>,
}

/// One day of a validation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DayComparison {
    /// The operating day.
    pub date: String,
    /// Recorded legs of the day.
    pub flights: u64,
    /// What the record shows.
    pub recorded: DayFigures,
    /// What the twin did, mean over replications (pooled over them for the rates).
    pub simulated: DayFigures,
    /// Simulated minus recorded on-time rate, percentage points.
    pub on_time_rate_difference_pp: f64,
}

/// What a blind validation knew and what it did not.
pub const BLIND_NOTE: &str = "blind: the twin flew the planned schedule with no recorded outcome of these days visible (no actual times, no recorded cancellations or delays); it saw the schedule, fleet, crew and the recorded weather, used as a perfect forecast";
/// What a replayed validation knew.
pub const REPLAYED_NOTE: &str = "replayed: legs the record shows cancelled were cancelled in the plan; delays, block and turn times came from the model; the recorded weather used as a perfect forecast";

/// Simulates the window of `world` (built from a schedule with recorded legs) with `model` over `study`
/// and compares with the record. `progress` is called once per finished replication. The world says
/// whether it is blind ([`crate::WorldOptions::blind`]); this function reads recorded outcomes only to
/// compare.
pub fn validate(
    world: &World,
    model: &DelayModel,
    study: &MonteCarlo,
    progress: &(dyn Fn() + Sync),
) -> Result<ValidationReport, ActorsError> {
    let part = validate_shard(world, model, study, Shard::WHOLE, progress)?;
    validation_report(&part.basis, &part.counts, part.summaries.into())
}

/// The per-replication metrics of a validation, in the order of [`ValidationShard::summaries`].
pub const VALIDATION_METRICS: [&str; 3] =
    ["on_time_rate", "mean_arrival_delay_min", "cancelled_share"];

/// What a validation knows without its replications: the window, the model's days and the record's side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValidationBasis {
    /// First day validated.
    pub from: String,
    /// Last day validated.
    pub to: String,
    /// First day the model was fitted on.
    pub fitted_from: String,
    /// Last day the model was fitted on.
    pub fitted_to: String,
    /// Days left out of the fit, if any.
    pub fitted_excluding: Option<[String; 2]>,
    /// Whether the validated days overlap the fitted ones.
    pub overlaps_fitted_days: bool,
    /// Whether the twin flew blind.
    pub blind: bool,
    /// Replications of the whole study.
    pub replications: u64,
    /// Master seed of the whole study.
    pub seed: u64,
    /// Per day of the window: recorded legs, of them cancelled, arrived, arrived on time, and the sum of
    /// the arrived legs' delays in minutes.
    pub recorded_days: Vec<[i64; 5]>,
    /// Recorded arrival delays per whole minute from -180 to 1800 (the ends hold what lies beyond).
    pub recorded_histogram: Vec<i64>,
}

/// Integer sums over a set of replications: two sets' counts add up to their union's, exactly and in any
/// order, which is what lets a validation run in shards.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValidationCounts {
    /// Simulated arrival delays of the recorded legs, in the bins of [`ValidationBasis::recorded_histogram`].
    pub arrival_delay_histogram: Vec<i64>,
    /// Per day: recorded legs the twin flew.
    pub day_flown: Vec<i64>,
    /// Per day: of them, on time.
    pub day_on_time: Vec<i64>,
    /// Per day: their arrival delays, seconds.
    pub day_delay_s: Vec<i64>,
    /// Per day: recorded legs the twin cancelled.
    pub day_cancelled: Vec<i64>,
}

impl ValidationCounts {
    /// Adds `other`'s counts (of the same window) to these.
    pub fn add(&mut self, other: &ValidationCounts) -> Result<(), ActorsError> {
        let pairs = [
            (
                &mut self.arrival_delay_histogram,
                &other.arrival_delay_histogram,
            ),
            (&mut self.day_flown, &other.day_flown),
            (&mut self.day_on_time, &other.day_on_time),
            (&mut self.day_delay_s, &other.day_delay_s),
            (&mut self.day_cancelled, &other.day_cancelled),
        ];
        for (mine, theirs) in pairs {
            if mine.len() != theirs.len() {
                return Err(ActorsError::InvalidSetting {
                    name: "validation counts",
                    value: format!("{} and {} entries", mine.len(), theirs.len()),
                    expected: "the counts of one window (as many entries each)",
                });
            }
            mine.iter_mut().zip(theirs).for_each(|(a, b)| *a += b);
        }
        Ok(())
    }
}

/// The replications of one shard of a validation: its basis, its counts, and each metric of
/// [`VALIDATION_METRICS`] over its replications in order.
#[derive(Clone, Debug)]
pub struct ValidationShard {
    /// What the validation knows without its replications.
    pub basis: ValidationBasis,
    /// The shard's counts.
    pub counts: ValidationCounts,
    /// The metrics over the shard's replications, in order.
    pub summaries: [Summary; 3],
}

/// Runs the replications of `shard` of a validation (see [`validate`]); [`validation_report`] turns the
/// shards' parts, added up, into the report of the whole study.
pub fn validate_shard(
    world: &World,
    model: &DelayModel,
    study: &MonteCarlo,
    shard: Shard,
    progress: &(dyn Fn() + Sync),
) -> Result<ValidationShard, ActorsError> {
    let window = world.window();
    let twin = Twin::new(world, model);
    let days = window.days() as usize;
    let day_of = |leg: &crate::world::WorldLeg| -> usize {
        let zone = world.airports()[leg.origin as usize].zone;
        let date = zone.to_local(leg.scheduled_out).date;
        (date.days_since_epoch() - window.from.days_since_epoch()) as usize
    };
    // The recorded legs of the window: (leg, day, recorded arrival delay in minutes if it arrived,
    // recorded as cancelled).
    let recorded: Vec<(usize, usize, Option<i64>, bool)> = world
        .legs()
        .iter()
        .enumerate()
        .filter(|(_, l)| l.source == LegSource::Recorded)
        .map(|(i, l)| {
            (
                i,
                day_of(l),
                l.recorded_in.map(|t| (t - l.scheduled_in).0),
                l.recorded_out.is_none() && l.recorded_in.is_none(),
            )
        })
        .collect();
    let bins = (HISTOGRAM_TO_MIN - HISTOGRAM_FROM_MIN + 1) as usize;
    // Integer sums commute, so these do not depend on which thread ran which replication.
    let counters = |n: usize| -> Vec<AtomicI64> { (0..n).map(|_| AtomicI64::new(0)).collect() };
    let simulated_histogram = counters(bins);
    let (day_flown, day_on_time, day_cancelled) = (counters(days), counters(days), counters(days));
    let day_delay_s = counters(days);
    let on_time_s = ON_TIME_THRESHOLD.0 * 60;
    let summaries = study.try_run_shard(shard, VALIDATION_METRICS, |streams| {
        let outcome = twin.replicate(streams)?;
        let (mut flown, mut on_time, mut delay_s, mut cancelled) = (0u64, 0u64, 0i64, 0u64);
        for &(i, day, _, _) in &recorded {
            let result = &outcome.legs[i];
            if result.cancelled.is_some() {
                day_cancelled[day].fetch_add(1, Ordering::Relaxed);
                cancelled += 1;
            }
            let Some(arrived) = result.arrived else {
                continue;
            };
            let d = (arrived - sim_time(world.legs()[i].scheduled_in)).seconds();
            simulated_histogram[bin(d.div_euclid(60))].fetch_add(1, Ordering::Relaxed);
            day_flown[day].fetch_add(1, Ordering::Relaxed);
            day_on_time[day].fetch_add(i64::from(d < on_time_s), Ordering::Relaxed);
            day_delay_s[day].fetch_add(d, Ordering::Relaxed);
            flown += 1;
            on_time += u64::from(d < on_time_s);
            delay_s += d;
        }
        progress();
        let per = |x: f64, n: u64| if n == 0 { 0.0 } else { x / n as f64 };
        Ok::<_, ActorsError>([
            per(on_time as f64, flown),
            per(delay_s as f64 / 60.0, flown),
            per(cancelled as f64, recorded.len() as u64),
        ])
    })?;

    // The recorded side, per day: (legs, cancelled, arrived, on time, delay sum).
    let mut recorded_histogram = vec![0i64; bins];
    let mut recorded_days = vec![[0i64; 5]; days];
    for &(_, day, delay, cancelled) in &recorded {
        let r = &mut recorded_days[day];
        r[0] += 1;
        r[1] += i64::from(cancelled);
        if let Some(d) = delay {
            recorded_histogram[bin(d)] += 1;
            r[2] += 1;
            r[3] += i64::from(d < ON_TIME_THRESHOLD.0);
            r[4] += d;
        }
    }
    let fitted = (
        Date::parse(&model.fitted_on.from),
        Date::parse(&model.fitted_on.to),
    );
    let excluded = model
        .fitted_on
        .excluded
        .as_ref()
        .and_then(|[a, b]| Some((Date::parse(a)?, Date::parse(b)?)));
    let overlaps = match fitted {
        (Some(from), Some(to)) => (0..days as i64).any(|d| {
            let day = window.from.add_days(d);
            from <= day && day <= to && !excluded.is_some_and(|(a, b)| a <= day && day <= b)
        }),
        _ => false,
    };
    let load = |c: &[AtomicI64]| c.iter().map(|c| c.load(Ordering::Relaxed)).collect();
    Ok(ValidationShard {
        basis: ValidationBasis {
            from: window.from.to_string(),
            to: window.to.to_string(),
            fitted_from: model.fitted_on.from.clone(),
            fitted_to: model.fitted_on.to.clone(),
            fitted_excluding: model.fitted_on.excluded.clone(),
            overlaps_fitted_days: overlaps,
            blind: world.options().blind,
            replications: study.replications(),
            seed: study.master_seed(),
            recorded_days,
            recorded_histogram,
        },
        counts: ValidationCounts {
            arrival_delay_histogram: load(&simulated_histogram),
            day_flown: load(&day_flown),
            day_on_time: load(&day_on_time),
            day_delay_s: load(&day_delay_s),
            day_cancelled: load(&day_cancelled),
        },
        summaries,
    })
}

fn bin(delay_min: i64) -> usize {
    (delay_min.clamp(HISTOGRAM_FROM_MIN, HISTOGRAM_TO_MIN) - HISTOGRAM_FROM_MIN) as usize
}

/// The report of a validation from its basis, the counts of all its replications, and each metric of
/// [`VALIDATION_METRICS`] over all its replications in order (one shard's or several joined in shard
/// order): the same value, to the last bit, as [`validate`] in one piece.
pub fn validation_report(
    basis: &ValidationBasis,
    counts: &ValidationCounts,
    summaries: Vec<Summary>,
) -> Result<ValidationReport, ActorsError> {
    let report = MonteCarloReport::from_summaries(basis.seed, &VALIDATION_METRICS, summaries)?;
    let metric = |name: &str| {
        report
            .metric(name)
            .expect("the study reports the metrics it was given")
    };
    let (simulated_on_time, simulated_delay, simulated_cancelled) = (
        metric("on_time_rate"),
        metric("mean_arrival_delay_min"),
        metric("cancelled_share"),
    );
    let days = basis.recorded_days.len();
    let day_counts = [
        &counts.day_flown,
        &counts.day_on_time,
        &counts.day_delay_s,
        &counts.day_cancelled,
    ];
    if day_counts.iter().any(|c| c.len() != days)
        || counts.arrival_delay_histogram.len() != basis.recorded_histogram.len()
    {
        return Err(ActorsError::InvalidSetting {
            name: "validation counts",
            value: format!("{} days", counts.day_flown.len()),
            expected: "the days of the basis's window",
        });
    }
    let ratio = |a: f64, b: i64| if b == 0 { 0.0 } else { a / b as f64 };
    let total = basis.recorded_days.iter().fold([0i64; 5], |a, r| {
        [
            a[0] + r[0],
            a[1] + r[1],
            a[2] + r[2],
            a[3] + r[3],
            a[4] + r[4],
        ]
    });
    let recorded_on_time = ratio(total[3] as f64, total[2]);
    let overall = Comparison {
        recorded_flights: total[0] as u64,
        recorded_on_time_rate: recorded_on_time,
        simulated_on_time_rate: simulated_on_time.mean,
        on_time_rate_difference_pp: (simulated_on_time.mean - recorded_on_time) * 100.0,
        recorded_mean_arrival_delay_min: ratio(total[4] as f64, total[2]),
        simulated_mean_arrival_delay_min: simulated_delay.mean,
        recorded_cancelled_share: ratio(total[1] as f64, total[0]),
        simulated_cancelled_share: simulated_cancelled.mean,
    };
    let reps = report.replications.max(1) as i64;
    let from = Date::parse(&basis.from).ok_or_else(|| ActorsError::InvalidSetting {
        name: "validation basis: from",
        value: basis.from.clone(),
        expected: "a date as YYYY-MM-DD",
    })?;
    let day_list: Vec<DayComparison> = (0..days)
        .map(|d| {
            let r = basis.recorded_days[d];
            let flown = counts.day_flown[d];
            let recorded = DayFigures {
                on_time_rate: ratio(r[3] as f64, r[2]),
                cancelled_share: ratio(r[1] as f64, r[0]),
                mean_arrival_delay_min: ratio(r[4] as f64, r[2]),
            };
            let simulated = DayFigures {
                on_time_rate: ratio(counts.day_on_time[d] as f64, flown),
                cancelled_share: ratio(counts.day_cancelled[d] as f64, r[0] * reps),
                mean_arrival_delay_min: ratio(counts.day_delay_s[d] as f64 / 60.0, flown),
            };
            DayComparison {
                date: Date::from_days_since_epoch(from.days_since_epoch() + d as i64).to_string(),
                flights: r[0] as u64,
                on_time_rate_difference_pp: (simulated.on_time_rate - recorded.on_time_rate)
                    * 100.0,
                recorded,
                simulated,
            }
        })
        .collect();
    let flown_days: Vec<&DayComparison> = day_list
        .iter()
        .filter(|d| d.flights > 0 && day_recorded_arrivals(d))
        .collect();
    let pairs: Vec<(f64, f64)> = flown_days
        .iter()
        .map(|d| (d.recorded.on_time_rate, d.simulated.on_time_rate))
        .collect();
    let mean_absolute_error_pp = if pairs.is_empty() {
        0.0
    } else {
        pairs.iter().map(|(r, s)| (s - r).abs()).sum::<f64>() / pairs.len() as f64 * 100.0
    };
    let histogram = |h: &[i64]| -> Vec<u64> { h.iter().map(|&c| c as u64).collect() };
    Ok(ValidationReport {
        from: basis.from.clone(),
        to: basis.to.clone(),
        fitted_from: basis.fitted_from.clone(),
        fitted_to: basis.fitted_to.clone(),
        fitted_excluding: basis.fitted_excluding.clone(),
        overlaps_fitted_days: basis.overlaps_fitted_days,
        blind: basis.blind,
        note: if basis.blind {
            BLIND_NOTE
        } else {
            REPLAYED_NOTE
        },
        replications: report.replications,
        seed: report.master_seed,
        overall,
        simulated_on_time_rate_ci95: simulated_on_time.ci95,
        ks_distance: ks_distance(
            &histogram(&basis.recorded_histogram),
            &histogram(&counts.arrival_delay_histogram),
        ),
        daily_on_time_correlation: pearson(&pairs),
        daily_on_time_mean_absolute_error_pp: mean_absolute_error_pp,
        days: day_list,
    })
}

/// Whether a day has recorded arrivals to compare on-time rates on (a day the record cancelled whole
/// has none).
fn day_recorded_arrivals(day: &DayComparison) -> bool {
    day.recorded.cancelled_share < 1.0
}

/// Pearson's correlation of paired values; `None` under three pairs or without variation.
pub fn pearson(pairs: &[(f64, f64)]) -> Option<f64> {
    if pairs.len() < 3 {
        return None;
    }
    let n = pairs.len() as f64;
    let (mx, my) = (
        pairs.iter().map(|p| p.0).sum::<f64>() / n,
        pairs.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in pairs {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    // A side with every value equal has no spread (its sum of squares may still be a rounding residue).
    let flat_x = pairs.iter().all(|p| p.0 == pairs[0].0);
    let flat_y = pairs.iter().all(|p| p.1 == pairs[0].1);
    (!flat_x && !flat_y && sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

/// The largest gap between the two empirical distribution functions of two histograms over the same bins.
pub fn ks_distance(a: &[u64], b: &[u64]) -> f64 {
    let (total_a, total_b) = (a.iter().sum::<u64>(), b.iter().sum::<u64>());
    if total_a == 0 || total_b == 0 {
        return if total_a == total_b { 0.0 } else { 1.0 };
    }
    let (mut cum_a, mut cum_b, mut gap) = (0u64, 0u64, 0.0f64);
    for (x, y) in a.iter().zip(b) {
        cum_a += x;
        cum_b += y;
        gap = gap.max((cum_a as f64 / total_a as f64 - cum_b as f64 / total_b as f64).abs());
    }
    gap
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ks_distance_is_zero_for_equal_shapes_and_one_for_disjoint_ones() {
        assert_eq!(ks_distance(&[1, 2, 3], &[2, 4, 6]), 0.0);
        assert_eq!(ks_distance(&[5, 0, 0], &[0, 0, 7]), 1.0);
        assert!((ks_distance(&[1, 1, 0], &[0, 1, 1]) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn pearson_is_one_for_a_line_and_none_without_spread() {
        let line = [(0.1, 0.3), (0.2, 0.5), (0.4, 0.9)];
        assert!((pearson(&line).unwrap() - 1.0).abs() < 1e-12);
        assert_eq!(pearson(&[(0.1, 0.2), (0.1, 0.3), (0.1, 0.4)]), None);
        assert_eq!(pearson(&line[..2]), None);
    }
}
