//! Validation against the record: simulate recorded days and compare with what happened.
//!
//! The comparison is over the recorded legs of the window that the record shows arriving (a recorded
//! arrival delay) and that the twin flew: the recorded on-time rate, mean arrival delay and arrival-delay
//! distribution against the simulated ones, the last as the Kolmogorov–Smirnov distance between the
//! recorded distribution and the simulated one pooled over all replications. Legs the record shows
//! cancelled are cancelled in the plan of the simulated days too (the twin has no model of spontaneous
//! cancellations); everything else — delays, block times, turns — comes from the model.
//!
//! Validation means something only on days the model was not fitted on; the report says whether the
//! windows overlap.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

use serde::Serialize;
use ucodts_model::{Date, LegSource, ON_TIME_THRESHOLD};
use ucodts_sim::stats::ConfidenceInterval;
use ucodts_sim::MonteCarlo;

use crate::delay_model::DelayModel;
use crate::replication::sim_time;
use crate::twin::Twin;
use crate::world::World;
use crate::ActorsError;

/// Arrival delays are compared in whole minutes from this many minutes early ...
const HISTOGRAM_FROM_MIN: i64 = -180;
/// ... to this many late; beyond, they count at the ends.
const HISTOGRAM_TO_MIN: i64 = 1800;

/// Recorded against simulated, on one day or over the window.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    /// Recorded legs compared: recorded arrival, flown in the twin (in the replications where it was).
    pub recorded_flights: u64,
    /// Recorded share less than 15 minutes late.
    pub recorded_on_time_rate: f64,
    /// Simulated share, mean over replications.
    pub simulated_on_time_rate: f64,
    /// Simulated minus recorded, percentage points.
    pub on_time_rate_difference_pp: f64,
    /// Recorded mean arrival delay, minutes.
    pub recorded_mean_arrival_delay_min: f64,
    /// Simulated mean arrival delay, mean over replications, minutes.
    pub simulated_mean_arrival_delay_min: f64,
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
    /// Whether the validated days overlap the fitted ones (then this is not a held-out test).
    pub overlaps_fitted_days: bool,
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
    /// Per operating day.
    pub days: Vec<DayComparison>,
}

/// One day of a validation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DayComparison {
    /// The operating day.
    pub date: String,
    /// The comparison on it.
    #[serde(flatten)]
    pub comparison: Comparison,
}

/// Simulates the window of `world` (built from a schedule with recorded legs) with `model` over `study`
/// and compares with the record. `progress` is called once per finished replication.
pub fn validate(
    world: &World,
    model: &DelayModel,
    study: &MonteCarlo,
    progress: &(dyn Fn() + Sync),
) -> Result<ValidationReport, ActorsError> {
    let window = world.window();
    let twin = Twin::new(world, model);
    let days = window.days() as usize;
    let day_of = |leg: &crate::world::WorldLeg| -> usize {
        let zone = world.airports()[leg.origin as usize].zone;
        let date = zone.to_local(leg.scheduled_out).date;
        (date.days_since_epoch() - window.from.days_since_epoch()) as usize
    };
    // The recorded side: (leg, day, recorded arrival delay in minutes).
    let compared: Vec<(usize, usize, i64)> = world
        .legs()
        .iter()
        .enumerate()
        .filter(|(_, l)| l.source == LegSource::Recorded && !l.planned_cancelled)
        .filter_map(|(i, l)| {
            l.recorded_in
                .map(|t| (i, day_of(l), (t - l.scheduled_in).0))
        })
        .collect();
    let bins = (HISTOGRAM_TO_MIN - HISTOGRAM_FROM_MIN + 1) as usize;
    let bin = |delay_min: i64| {
        (delay_min.clamp(HISTOGRAM_FROM_MIN, HISTOGRAM_TO_MIN) - HISTOGRAM_FROM_MIN) as usize
    };
    // Integer sums commute, so these do not depend on which thread ran which replication.
    let counters = |n: usize| -> Vec<AtomicU64> { (0..n).map(|_| AtomicU64::new(0)).collect() };
    let simulated_histogram = counters(bins);
    let (day_flown, day_on_time) = (counters(days), counters(days));
    let day_delay_s: Vec<AtomicI64> = (0..days).map(|_| AtomicI64::new(0)).collect();
    let on_time_s = ON_TIME_THRESHOLD.0 * 60;

    let report = study.try_run(["on_time_rate", "mean_arrival_delay_min"], |streams| {
        let outcome = twin.replicate(streams)?;
        let (mut flown, mut on_time, mut delay_s) = (0u64, 0u64, 0i64);
        for &(i, day, _) in &compared {
            let Some(arrived) = outcome.legs[i].arrived else {
                continue;
            };
            let d = (arrived - sim_time(world.legs()[i].scheduled_in)).seconds();
            simulated_histogram[bin(d.div_euclid(60))].fetch_add(1, Ordering::Relaxed);
            day_flown[day].fetch_add(1, Ordering::Relaxed);
            day_on_time[day].fetch_add(u64::from(d < on_time_s), Ordering::Relaxed);
            day_delay_s[day].fetch_add(d, Ordering::Relaxed);
            flown += 1;
            on_time += u64::from(d < on_time_s);
            delay_s += d;
        }
        progress();
        let per = |x: f64| if flown == 0 { 0.0 } else { x / flown as f64 };
        Ok::<_, ActorsError>([per(on_time as f64), per(delay_s as f64 / 60.0)])
    })?;
    let simulated_on_time = report
        .metric("on_time_rate")
        .expect("the study reports the metrics it was given");
    let simulated_delay = report
        .metric("mean_arrival_delay_min")
        .expect("the study reports the metrics it was given");

    // The recorded side, per day and over the window.
    let mut recorded_histogram = vec![0u64; bins];
    let mut day_recorded = vec![(0u64, 0u64, 0i64); days];
    for &(_, day, d) in &compared {
        recorded_histogram[bin(d)] += 1;
        let r = &mut day_recorded[day];
        r.0 += 1;
        r.1 += u64::from(d < ON_TIME_THRESHOLD.0);
        r.2 += d;
    }
    let ratio = |a: f64, b: u64| if b == 0 { 0.0 } else { a / b as f64 };
    let comparison = |recorded: (u64, u64, i64), simulated_on_time: f64, simulated_delay: f64| {
        let recorded_on_time = ratio(recorded.1 as f64, recorded.0);
        Comparison {
            recorded_flights: recorded.0,
            recorded_on_time_rate: recorded_on_time,
            simulated_on_time_rate: simulated_on_time,
            on_time_rate_difference_pp: (simulated_on_time - recorded_on_time) * 100.0,
            recorded_mean_arrival_delay_min: ratio(recorded.2 as f64, recorded.0),
            simulated_mean_arrival_delay_min: simulated_delay,
        }
    };
    let total = day_recorded
        .iter()
        .fold((0, 0, 0), |a, r| (a.0 + r.0, a.1 + r.1, a.2 + r.2));
    let overall = comparison(total, simulated_on_time.mean, simulated_delay.mean);
    let day_list = (0..days)
        .map(|d| {
            let flown = day_flown[d].load(Ordering::Relaxed);
            DayComparison {
                date: Date::from_days_since_epoch(window.from.days_since_epoch() + d as i64)
                    .to_string(),
                comparison: comparison(
                    day_recorded[d],
                    ratio(day_on_time[d].load(Ordering::Relaxed) as f64, flown),
                    ratio(day_delay_s[d].load(Ordering::Relaxed) as f64 / 60.0, flown),
                ),
            }
        })
        .collect();
    let simulated_histogram: Vec<u64> = simulated_histogram
        .iter()
        .map(|c| c.load(Ordering::Relaxed))
        .collect();

    let fitted = (
        Date::parse(&model.fitted_on.from),
        Date::parse(&model.fitted_on.to),
    );
    let overlaps = match fitted {
        (Some(from), Some(to)) => from <= window.to && window.from <= to,
        _ => false,
    };
    Ok(ValidationReport {
        from: window.from.to_string(),
        to: window.to.to_string(),
        fitted_from: model.fitted_on.from.clone(),
        fitted_to: model.fitted_on.to.clone(),
        overlaps_fitted_days: overlaps,
        replications: report.replications,
        seed: report.master_seed,
        overall,
        simulated_on_time_rate_ci95: simulated_on_time.ci95,
        ks_distance: ks_distance(&recorded_histogram, &simulated_histogram),
        days: day_list,
    })
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
}
