//! `ucodts predict disruptions` and `ucodts predict skill`: what the twin predicts for a day it flies
//! blind, leg by leg, and how well such predictions match the record on days the model was not fitted on.
//!
//! A prediction is the twin's own Monte Carlo: the day flown blind ([`WorldOptions::blind`]) with the
//! fitted delay and disruption models; per leg, the share of replications in which operations control
//! cancelled it (for any reason: weather, a closure, a long delay, crew or aircraft out of position) and
//! the quantiles of its departure and arrival delay over the replications that flew it. The recorded
//! weather is used as a perfect forecast. Unscheduled breakdowns are drawn by default from the maintenance
//! model's removal risk on the first day ([`crate::maintenance::breakdown_risk`]); `breakdowns: Some(false)`
//! (`--no-breakdowns`) flies without them.

use std::path::PathBuf;

use serde::Serialize;
use ucodts_actors::breakdown::BreakdownRisk;
use ucodts_actors::delay_model::disruption_model::sigmoid;
use ucodts_actors::{Twin, Window, WorldOptions};
use ucodts_model::{Date, LegSource, LegStatus};
use ucodts_sim::RngStreams;

use crate::error::{Context, Result};
use crate::progress::Progress;
use crate::twin::{build_world_with, delay_model, load, parse_date, DataSet};

/// Which data, model and days, and how many replications.
#[derive(Debug, Clone, Default)]
pub struct PredictRequest {
    /// A native data set folder; `None`: the embedded default.
    pub data: Option<PathBuf>,
    /// A parameter file from `fit`; `None` as for `simulate`.
    pub params: Option<PathBuf>,
    /// Replications; `None`: 100.
    pub reps: Option<u64>,
    /// Master seed; `None`: 1.
    pub seed: Option<u64>,
    /// Whether the twin draws unscheduled breakdowns from the maintenance model
    /// ([`crate::maintenance::breakdown_risk`]); `None`: yes (forecasts draw them by default).
    pub breakdowns: Option<bool>,
    /// A `planes` table with years of manufacture for the breakdown risk; `None`: the embedded default's.
    pub planes: Option<PathBuf>,
}

/// What every prediction says about what it knew.
pub const PREDICTION_NOTE: &str = "the twin flew the planned day blind (no recorded outcome visible) with the recorded weather used as a perfect forecast; probabilities are shares of replications";

/// A quantile summary of delays, minutes.
#[derive(Debug, Clone, Serialize)]
pub struct DelayQuantiles {
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
}

/// One leg's prediction.
#[derive(Debug, Clone, Serialize)]
pub struct LegPrediction {
    pub leg: u32,
    pub carrier: String,
    pub flight: Option<u32>,
    pub origin: String,
    pub destination: String,
    /// Scheduled departure, UTC.
    pub scheduled_out: String,
    /// Share of replications in which the leg was cancelled.
    pub cancellation_probability: f64,
    /// Over the replications that flew it; `None` if none did.
    pub departure_delay_min: Option<DelayQuantiles>,
    /// See `departure_delay_min`.
    pub arrival_delay_min: Option<DelayQuantiles>,
}

/// What `predict disruptions` prints.
#[derive(Debug, Clone, Serialize)]
pub struct DisruptionPrediction {
    pub data_set: String,
    pub date: String,
    pub replications: u64,
    pub seed: u64,
    pub note: &'static str,
    /// Expected cancelled legs of the day (sum of the probabilities).
    pub expected_cancellations: f64,
    /// Whether the replications drew unscheduled breakdowns, and from what (or why not).
    pub breakdowns: BreakdownsDrawn,
    pub legs: Vec<LegPrediction>,
}

/// Whether a forecast drew unscheduled breakdowns.
#[derive(Debug, Clone, Serialize)]
pub struct BreakdownsDrawn {
    /// Drawn in every replication.
    pub drawn: bool,
    /// Tails with a breakdown probability on the first day of the window.
    pub tails_at_risk: usize,
    /// Expected breakdowns a day (sum of the tails' probabilities).
    pub expected_per_day: f64,
    /// What they were drawn from, or why not.
    pub note: String,
}

/// The breakdown risk a forecast of `window` draws from: the maintenance model's on the window's first
/// day, or none (with the reason) when asked so or when the record cannot fit it for that day.
fn breakdown_risk(
    data: &DataSet,
    request: &PredictRequest,
    window: Window,
) -> (BreakdownRisk, BreakdownsDrawn) {
    let none = |note: String| {
        (
            BreakdownRisk::default(),
            BreakdownsDrawn {
                drawn: false,
                tails_at_risk: 0,
                expected_per_day: 0.0,
                note,
            },
        )
    };
    if request.breakdowns == Some(false) {
        return none("not drawn (asked so)".into());
    }
    match crate::maintenance::breakdown_risk(&data.schedule, &request.planes, window.from) {
        Ok(risk) => {
            let expected = risk.per_tail.values().sum::<f64>();
            let drawn = BreakdownsDrawn {
                drawn: !risk.per_tail.is_empty(),
                tails_at_risk: risk.per_tail.len(),
                expected_per_day: (expected * 1000.0).round() / 1000.0,
                note: format!(
                    "unscheduled breakdowns drawn per replication from the removal risk of `predict maintenance` on {} (a proxy fitted on the record before it) at an assumed {} % a tail-day; a tail that breaks down is grounded from its first departure of the day for two days",
                    window.from,
                    ucodts_model::maintenance::UNSCHEDULED_REMOVAL_PER_TAIL_DAY * 100.0
                ),
            };
            (risk, drawn)
        }
        Err(e) => none(format!("not drawn: {e:#}")),
    }
}

/// Per leg of a blind world: cancellations counted and the delays of the replications that flew it.
struct Collected {
    cancelled: Vec<u64>,
    departure: Vec<Vec<f64>>,
    arrival: Vec<Vec<f64>>,
}

/// Flies `window` blind `replications` times: with the unscheduled breakdowns of `risk` drawn per
/// replication ([`ucodts_actors::World::with_breakdowns_drawn`]) where it has any.
fn collect(
    data: &DataSet,
    params: &Option<PathBuf>,
    window: Window,
    replications: u64,
    seed: u64,
    risk: &BreakdownRisk,
    progress: &dyn Progress,
) -> Result<(ucodts_actors::World, ucodts_actors::DelayModel, Collected)> {
    let options = WorldOptions {
        blind: true,
        ..WorldOptions::default()
    };
    let world = build_world_with(data, window, options)?;
    let (model, _) = delay_model(data, params, progress)?;
    let twin = Twin::new(&world, &model);
    let n = world.legs().len();
    let mut c = Collected {
        cancelled: vec![0; n],
        departure: vec![Vec::new(); n],
        arrival: vec![Vec::new(); n],
    };
    let streams = RngStreams::new(seed);
    progress.stage("flying the days blind", Some(replications));
    for r in 0..replications {
        let replication = streams.replication(r);
        let outcome = if risk.per_tail.is_empty() {
            twin.replicate(replication)
        } else {
            let broken = world.with_breakdowns_drawn(risk, &replication);
            let outcome = Twin::new(&broken, &model).replicate(replication);
            outcome
        }
        .context("running a replication")?;
        for (i, (result, leg)) in outcome.legs.iter().zip(world.legs()).enumerate() {
            if result.cancelled.is_some() {
                c.cancelled[i] += 1;
            }
            if let Some(d) = result.departure_delay_min(leg.scheduled_out) {
                c.departure[i].push(d);
            }
            if let Some(d) = result.arrival_delay_min(leg.scheduled_in) {
                c.arrival[i].push(d);
            }
        }
        progress.step();
    }
    progress.done();
    drop(twin);
    Ok((world, model, c))
}

fn quantile(sorted: &[f64], p: f64) -> f64 {
    let at = ((sorted.len() - 1) as f64 * p).round() as usize;
    (sorted[at] * 10.0).round() / 10.0
}

fn quantiles(values: &mut [f64]) -> Option<DelayQuantiles> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    Some(DelayQuantiles {
        p10: quantile(values, 0.1),
        p50: quantile(values, 0.5),
        p90: quantile(values, 0.9),
    })
}

/// `ucodts predict disruptions --date D`: per leg of the day, the cancellation probability and delay
/// quantiles the twin predicts flying it blind.
pub fn disruptions(
    request: &PredictRequest,
    date: &str,
    progress: &dyn Progress,
) -> Result<DisruptionPrediction> {
    let data = load(&request.data)?;
    let day = parse_date(date, "--date")?;
    let replications = request.reps.unwrap_or(100).max(1);
    let seed = request.seed.unwrap_or(1);
    let (risk, breakdowns) = breakdown_risk(&data, request, Window::day(day));
    let (world, _, mut c) = collect(
        &data,
        &request.params,
        Window::day(day),
        replications,
        seed,
        &risk,
        progress,
    )?;
    let airports = world.airports();
    let mut legs = Vec::with_capacity(world.legs().len());
    for (i, l) in world.legs().iter().enumerate() {
        let leg = data
            .schedule
            .leg(l.id)
            .expect("the world's legs are the schedule's");
        legs.push(LegPrediction {
            leg: l.id.0,
            carrier: leg.carrier.as_str().to_string(),
            flight: leg.flight_number,
            origin: airports[l.origin as usize].code.to_string(),
            destination: airports[l.destination as usize].code.to_string(),
            scheduled_out: l.scheduled_out.to_string(),
            cancellation_probability: c.cancelled[i] as f64 / replications as f64,
            departure_delay_min: quantiles(&mut c.departure[i]),
            arrival_delay_min: quantiles(&mut c.arrival[i]),
        });
    }
    Ok(DisruptionPrediction {
        data_set: data.identity.name.clone(),
        date: day.to_string(),
        replications,
        seed,
        note: PREDICTION_NOTE,
        expected_cancellations: legs.iter().map(|l| l.cancellation_probability).sum(),
        breakdowns,
        legs,
    })
}

/// Scores of one predictor against the record.
#[derive(Debug, Clone, Serialize)]
pub struct Scores {
    /// Brier score of the cancellation probabilities (lower is better).
    pub cancellation_brier: f64,
    /// Area under the ROC curve of the cancellation probabilities (0.5: no skill; `None` without both
    /// outcomes).
    pub cancellation_auc: Option<f64>,
    /// Mean absolute error of the predicted median departure delay against the recorded one, minutes.
    pub departure_delay_mae_min: f64,
}

/// What `predict skill` prints.
#[derive(Debug, Clone, Serialize)]
pub struct Skill {
    pub data_set: String,
    pub from: String,
    pub to: String,
    pub fitted_from: String,
    pub fitted_to: String,
    pub fitted_excluding: Option<[String; 2]>,
    pub replications: u64,
    pub note: &'static str,
    /// Recorded departures scored.
    pub legs: u64,
    pub recorded_cancelled_share: f64,
    /// The twin flying the days blind: per leg the share of replications cancelled and the median
    /// departure delay of those that flew.
    pub twin: Scores,
    /// The disruption model's regressions on their own, the congestion of the cancellation model set to
    /// none (what is known the day before without a twin).
    pub regression: Option<Scores>,
    /// The fitted days' cancelled share for every leg and their median delay.
    pub climatology: Scores,
    /// Whether the twin drew unscheduled breakdowns (from the risk on the first day).
    pub breakdowns: BreakdownsDrawn,
}

/// Brier score and ROC AUC of probabilities `p` for outcomes `y`.
pub fn brier_and_auc(p: &[f64], y: &[bool]) -> (f64, Option<f64>) {
    let n = p.len().max(1) as f64;
    let brier = p
        .iter()
        .zip(y)
        .map(|(p, &y)| (p - f64::from(u8::from(y))).powi(2))
        .sum::<f64>()
        / n;
    // AUC by ranks (Mann-Whitney), ties shared.
    let mut order: Vec<usize> = (0..p.len()).collect();
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    let mut ranks = vec![0.0; p.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && p[order[j + 1]] == p[order[i]] {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for k in i..=j {
            ranks[order[k]] = rank;
        }
        i = j + 1;
    }
    let positives = y.iter().filter(|&&y| y).count() as f64;
    let negatives = y.len() as f64 - positives;
    let auc = (positives > 0.0 && negatives > 0.0).then(|| {
        let sum: f64 = ranks
            .iter()
            .zip(y)
            .filter(|(_, &y)| y)
            .map(|(r, _)| r)
            .sum();
        (sum - positives * (positives + 1.0) / 2.0) / (positives * negatives)
    });
    (brier, auc)
}

fn scores(
    p: &[f64],
    y: &[bool],
    predicted_delay: &[f64],
    recorded_delay: &[Option<f64>],
) -> Scores {
    let (brier, auc) = brier_and_auc(p, y);
    let errors: Vec<f64> = predicted_delay
        .iter()
        .zip(recorded_delay)
        .filter_map(|(p, r)| r.map(|r| (p - r).abs()))
        .collect();
    Scores {
        cancellation_brier: brier,
        cancellation_auc: auc,
        departure_delay_mae_min: errors.iter().sum::<f64>() / errors.len().max(1) as f64,
    }
}

/// `ucodts predict skill --from A --to B`: the twin's and the regressions' predictions of the recorded
/// departures of the days against the record and against climatology.
pub fn skill(
    request: &PredictRequest,
    from: &str,
    to: &str,
    progress: &dyn Progress,
) -> Result<Skill> {
    let data = load(&request.data)?;
    let window = Window::new(parse_date(from, "--from")?, parse_date(to, "--to")?)
        .context("--from .. --to")?;
    let replications = request.reps.unwrap_or(20).max(1);
    let (risk, breakdowns) = breakdown_risk(&data, request, window);
    let (world, model, mut c) = collect(
        &data,
        &request.params,
        window,
        replications,
        request.seed.unwrap_or(1),
        &risk,
        progress,
    )?;
    let disruption = model.disruption.as_ref();
    let (mut y, mut recorded_delay) = (Vec::new(), Vec::new());
    let (mut p_twin, mut d_twin, mut p_reg, mut d_reg) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (i, l) in world.legs().iter().enumerate() {
        if l.source != LegSource::Recorded {
            continue;
        }
        let leg = data
            .schedule
            .leg(l.id)
            .expect("the world's legs are the schedule's");
        y.push(leg.status == LegStatus::Cancelled);
        recorded_delay.push(l.recorded_out.map(|t| (t - l.scheduled_out).0 as f64));
        p_twin.push(c.cancelled[i] as f64 / replications as f64);
        d_twin.push(quantiles(&mut c.departure[i]).map_or(0.0, |q| q.p50));
        if let Some(d) = disruption {
            let f = &world.leg_features()[i];
            p_reg.push(sigmoid(d.cancellation_logit_base(f)));
            d_reg.push(d.median_delay_min(f));
        }
    }
    let n = y.len();
    let (share, median) = disruption.map_or((0.0, 0.0), |d| {
        (
            d.climatology_cancelled_share,
            d.climatology_median_delay_min,
        )
    });
    Ok(Skill {
        data_set: data.identity.name.clone(),
        from: window.from.to_string(),
        to: window.to.to_string(),
        fitted_from: model.fitted_on.from.clone(),
        fitted_to: model.fitted_on.to.clone(),
        fitted_excluding: model.fitted_on.excluded.clone(),
        replications,
        note: PREDICTION_NOTE,
        legs: n as u64,
        recorded_cancelled_share: y.iter().filter(|&&c| c).count() as f64 / n.max(1) as f64,
        twin: scores(&p_twin, &y, &d_twin, &recorded_delay),
        regression: disruption.map(|_| scores(&p_reg, &y, &d_reg, &recorded_delay)),
        climatology: scores(&vec![share; n], &y, &vec![median; n], &recorded_delay),
        breakdowns,
    })
}

/// The date `YYYY-MM-DD` as a [`Date`], for callers that check it early.
pub fn date(text: &str) -> Result<Date> {
    parse_date(text, "--date")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_is_one_when_probabilities_rank_every_cancellation_first() {
        let (brier, auc) = brier_and_auc(&[0.9, 0.1, 0.8, 0.2], &[true, false, true, false]);
        assert_eq!(auc, Some(1.0));
        assert!((brier - 0.025).abs() < 1e-12);
        let (_, tied) = brier_and_auc(&[0.5, 0.5], &[true, false]);
        assert_eq!(tied, Some(0.5));
        assert_eq!(brier_and_auc(&[0.3], &[false]).1, None);
    }
}
