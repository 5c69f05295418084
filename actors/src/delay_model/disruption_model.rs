//! The weather-conditioned disruption model: the probability that operations control cancels a departure,
//! and the median departure delay, from what is known before the day ([`LegFeatures`]).
//!
//! - **Cancellation**: logistic regression (L2-penalised, fitted by Newton's method) of "the record shows
//!   the departure cancelled" on the weather windows, airport, airline, local hour, day of week, scheduled
//!   traffic of the hour, and the *congestion* at the origin: the mean departure delay, in hours (capped at
//!   [`CONGESTION_CAP_HOURS`]), of the other departures from the origin scheduled within an hour of it. In
//!   the twin the congestion is what operations control knows when it decides: how late the flight will leave
//!   (its inbound aircraft's and its hold's delay, a closure of its origin, and the mean own delay of its
//!   cell), so that closures and delays, not only storms, make it cancel. It also forecasts that congestion
//!   from the features ([`CongestionForecast`], fitted on the same rows): in a storm, what the weather adds
//!   to the policy's probability averaged over that forecast is added to the probability at the delay it
//!   knows, since in a storm the record's congestion runs to hours, which the twin's own delay draws do not
//!   reach.
//! - **Recent cancellations** ([`RecentCancellations`]): a second stage on top of the policy, fitted on
//!   the same rows: the log-odds of "cancelled" with the policy's own probability as an offset (read at
//!   the congestion the features forecast, as the twin reads it in a storm, not at the record's), plus a
//!   term in the cancelled share of the origin's [`RECENT_DEPARTURES`] departures scheduled before the
//!   leg (within [`RECENT_LOOKBACK_MIN`]). In the record cancellations come in runs: the next departure
//!   after a stretch with a tenth of them cancelled was cancelled 10 % of the time, after half of them
//!   44 %, against 1.2 % after none (2013 without February). That is how an airline gives up its evening
//!   bank when the morning melted down, and its next morning's first wave when aircraft and crew are out
//!   of position after a night of cancellations. Fitted beside the record's congestion, the share would
//!   only count what the queues do not already say; the twin does not know the record's queues, so the
//!   stage is fitted on what it does know. The twin reads the share from what its operations control has
//!   decided so far, so a storm's cancellations carry into the following hours and the next morning.
//! - **Delay**: ridge regression of `asinh(delay / 10 min)` on the same features without congestion; its
//!   back-transformed prediction estimates the median departure delay. It is evaluated against climatology
//!   (the fitted days' median) and used by `ucodts predict`; the twin draws its delays from the cells of the
//!   delay model, moved within them by the day's conditions ([`super::conditions`]).

use super::design::{accumulate, hour_group, levels, penalise, CategoryColumns, HOUR_GROUPS};
use super::features::LegFeatures;
use serde::{Deserialize, Serialize};

/// Congestion (mean departure delay at the origin) counts up to this many hours.
pub const CONGESTION_CAP_HOURS: f64 = 5.0;
/// The recent-cancellations column counts this many departures from the origin scheduled before the leg.
pub const RECENT_DEPARTURES: u32 = 30;
/// ... scheduled no earlier than this before it, minutes. Six hours: on 2013 without February a model of
/// cancellation on the share alone fits best with 4 or 6 hours (log-likelihood -28,059.2 and -28,059.4),
/// worse with 8 or 12 (-28,230.6, -28,208.1); of the two, 6 hours still reaches from a morning's first wave
/// (05:00-06:00) back to the evening before, which is the carry wanted.
pub const RECENT_LOOKBACK_MIN: i64 = 6 * 60;

/// The L2 penalty of both regressions (on every coefficient but the intercept): small against thousands of
/// legs, there so that a category with no cancellation keeps a finite coefficient.
pub const L2_PENALTY: f64 = 1.0;
/// Newton iterations of the logistic regression at most.
pub const MAX_NEWTON_STEPS: usize = 25;
/// Delays are regressed as `asinh(delay / DELAY_SCALE_MIN)`.
pub const DELAY_SCALE_MIN: f64 = 10.0;

/// Names of the numeric columns, in design order after the intercept.
pub const NUMERIC_FEATURES: [&str; 10] = [
    "precipitation_near_in_x4",
    "precipitation_wide_in_x4",
    "frozen_near_in_x10",
    "frozen_wide_in_x10",
    "frozen_previous_day_in_x10",
    "poor_visibility_0_to_1",
    "gust_over_20_mph_per_20",
    "severe_weather_recency_0_to_1",
    "weather_unobserved",
    "scheduled_departures_in_hour_per_50",
];

/// See the module documentation. Coefficients are in design order: intercept, [`NUMERIC_FEATURES`], one per
/// band of three local hours, one per day of the week (Monday first), one per airport of `airports`, one per
/// airline of `carriers`; the cancellation model has the congestion coefficient last.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisruptionModel {
    /// The origins with a column, sorted; others have none.
    pub airports: Vec<String>,
    /// The airlines with a column, sorted.
    pub carriers: Vec<String>,
    /// Departures fitted on.
    pub legs: u64,
    /// Of them, cancelled.
    pub cancelled: u64,
    /// Climatology: the fitted days' cancelled share.
    pub climatology_cancelled_share: f64,
    /// Climatology: the fitted days' median departure delay, minutes.
    pub climatology_median_delay_min: f64,
    /// Logistic coefficients of cancellation (congestion last).
    pub cancellation: Vec<f64>,
    /// Ridge coefficients of `asinh(delay / 10)`.
    pub delay: Vec<f64>,
    /// The congestion the weather and the hour forecast at the origin ([`CongestionForecast`]); absent in
    /// files written before it (then the twin reads congestion from its own delays only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub congestion_forecast: Option<CongestionForecast>,
    /// The recent-cancellations column of the cancellation model; absent in files written before it (then
    /// the twin's cancellations do not depend on each other).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recent_cancellations: Option<RecentCancellations>,
}

/// The second stage of the cancellation policy: `logit p = logit p_policy + intercept + coefficient ×
/// share`, the share that of the cancelled among the [`RECENT_DEPARTURES`] departures scheduled before a
/// leg at its origin within [`RECENT_LOOKBACK_MIN`] (fewer where fewer are scheduled; 0 when none). See
/// the module documentation for why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecentCancellations {
    /// How many departures before the leg count, at most.
    pub departures: u32,
    /// How long before the leg they may be scheduled, minutes.
    pub lookback_min: i64,
    /// Log-odds added to every leg's policy probability (what the offset's own calibration asks).
    pub intercept: f64,
    /// Log-odds per unit of cancelled share (0 to 1).
    pub coefficient: f64,
}

/// The congestion at a departure's origin (the mean delay of the other departures within the hour, hours)
/// as the features forecast it: a ridge regression of `asinh(congestion / scale)` on the cancellation
/// model's columns without congestion, with its residual spread, read as normal.
///
/// Why: the cancellation policy was fitted on the record's congestion, which in a storm runs to hours
/// (departures queue for de-icing and a thinned runway), while the twin knows only the delays it draws
/// itself; reading the policy at the twin's own delays made a storm's cancellations a fraction of what the
/// same policy gives in the record. Operations control forecasts the congestion from the weather as the
/// record shows it; in storm weather the twin adds the weather's share of the policy's probability averaged
/// over that forecast ([`DisruptionModel::weather_excess_probability`]) to the probability at its own known
/// delay.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CongestionForecast {
    /// Hours: the regression is of `asinh(congestion / scale_hours)`.
    pub scale_hours: f64,
    /// Ridge coefficients, in the cancellation model's column order (without congestion).
    pub coefficients: Vec<f64>,
    /// Standard deviation of the residuals, on the asinh scale.
    pub residual_sd: f64,
}

/// The congestion forecast's regression scale, hours (a quarter of an hour: congestion of an hour or more
/// is on the log scale).
pub const CONGESTION_SCALE_HOURS: f64 = 0.25;

/// Standard normal quantiles at (k + 0.5) / 9, k = 0..9: the points the forecast probability averages over.
const NORMAL_NINTHS: [f64; 9] = [
    -1.5932, -0.9674, -0.5895, -0.2822, 0.0, 0.2822, 0.5895, 0.9674, 1.5932,
];

/// One training row: a recorded departure's features, whether it was cancelled, its delay if it left, and
/// the congestion at its origin.
pub struct TrainingRow {
    /// Features.
    pub features: LegFeatures,
    /// Cancelled in the record.
    pub cancelled: bool,
    /// Departure delay, minutes, if it left.
    pub delay_min: Option<f64>,
    /// Mean departure delay of the other departures within the hour, hours.
    pub congestion_hours: f64,
    /// The cancelled share of the origin's recent departures before it ([`RecentCancellations`]).
    pub recent_cancelled_share: f64,
}

impl DisruptionModel {
    fn width(&self) -> usize {
        1 + NUMERIC_FEATURES.len() + HOUR_GROUPS + self.categories().width()
    }

    /// The design row of `f` (without congestion) into `x` (cleared first).
    fn design(&self, f: &LegFeatures, x: &mut Vec<f64>) {
        x.clear();
        x.resize(self.width(), 0.0);
        let w = &f.weather;
        x[0] = 1.0;
        let numeric = [
            f64::from(w.precipitation_near_in) * 4.0,
            f64::from(w.precipitation_wide_in) * 4.0,
            f64::from(w.frozen_near_in) * 10.0,
            f64::from(w.frozen_wide_in) * 10.0,
            f64::from(w.frozen_previous_day_in) * 10.0,
            ((3.0 - f64::from(w.min_visibility_mi)) / 3.0).clamp(0.0, 1.0),
            ((f64::from(w.max_gust_mph) - 20.0) / 20.0).max(0.0),
            w.hours_since_severe
                .map_or(0.0, |h| (-f64::from(h) / 12.0).exp()),
            f64::from(u8::from(!w.observed)),
            f64::from(f.scheduled_departures_in_hour) / 50.0,
        ];
        x[1..1 + numeric.len()].copy_from_slice(&numeric);
        let at = 1 + numeric.len();
        x[at + hour_group(f)] = 1.0;
        self.categories().encode(f, x, at + HOUR_GROUPS);
    }

    fn categories(&self) -> CategoryColumns<'_> {
        CategoryColumns {
            airports: &self.airports,
            carriers: &self.carriers,
        }
    }

    /// The cancellation log-odds of a departure without its congestion term.
    pub fn cancellation_logit_base(&self, f: &LegFeatures) -> f64 {
        let mut x = Vec::new();
        self.design(f, &mut x);
        dot(&x, &self.cancellation[..x.len()])
    }

    /// The congestion coefficient: log-odds per hour of expected departure delay.
    pub fn congestion_coefficient(&self) -> f64 {
        *self
            .cancellation
            .last()
            .expect("a cancellation model has a congestion coefficient (checked when read)")
    }

    /// The cancellation probability `p` of the policy after its second stage, with a cancelled share of
    /// `share` (0 to 1) of the origin's recent departures ([`RecentCancellations`]); `p` itself without one.
    pub fn with_recent_cancellations(&self, p: f64, share: f64) -> f64 {
        match &self.recent_cancellations {
            None => p,
            Some(r) => {
                let p = p.clamp(1e-9, 1.0 - 1e-9);
                sigmoid((p / (1.0 - p)).ln() + r.intercept + r.coefficient * share.clamp(0.0, 1.0))
            }
        }
    }

    /// The cancellation probability of a departure with `congestion_hours` of expected delay, none of the
    /// origin's recent departures cancelled.
    pub fn cancellation_probability(&self, f: &LegFeatures, congestion_hours: f64) -> f64 {
        sigmoid(
            self.cancellation_logit_base(f)
                + self.congestion_coefficient() * congestion_hours.clamp(0.0, CONGESTION_CAP_HOURS),
        )
    }

    /// The part of `f`'s cancellation probability (at its forecast congestion where the model has a
    /// forecast, else without congestion) that its weather adds to the same departure in fair weather ([`super::WeatherFeatures::fair`]); 0 when the weather lowers it.
    ///
    /// The twin reads it at a leg's **destination** around its scheduled arrival: an airline cancels a
    /// flight into an airport whose forecast makes it cancel the departures from there, and only for the
    /// weather (the other causes of a departure's cancellation are counted once, on the departure side).
    pub fn weather_excess_probability(&self, f: &LegFeatures) -> f64 {
        let fair = LegFeatures {
            weather: super::WeatherFeatures::fair(),
            ..f.clone()
        };
        let p = |f: &LegFeatures| {
            self.forecast_cancellation_probability(f)
                .unwrap_or_else(|| sigmoid(self.cancellation_logit_base(f)))
        };
        (p(f) - p(&fair)).max(0.0)
    }

    /// The cancellation probability of a departure whose congestion is not known but forecast from its
    /// features ([`CongestionForecast`]): the policy's probability averaged over the forecast's spread;
    /// `None` without a forecast.
    pub fn forecast_cancellation_probability(&self, f: &LegFeatures) -> Option<f64> {
        let forecast = self.congestion_forecast.as_ref()?;
        let mut x = Vec::new();
        self.design(f, &mut x);
        let base = dot(&x, &self.cancellation[..x.len()]);
        let z = dot(&x, &forecast.coefficients);
        let b = self.congestion_coefficient();
        let sum: f64 = NORMAL_NINTHS
            .iter()
            .map(|q| {
                let hours = (forecast.scale_hours * (z + forecast.residual_sd * q).sinh())
                    .clamp(0.0, CONGESTION_CAP_HOURS);
                sigmoid(base + b * hours)
            })
            .sum();
        Some(sum / NORMAL_NINTHS.len() as f64)
    }

    /// The predicted median departure delay, minutes.
    pub fn median_delay_min(&self, f: &LegFeatures) -> f64 {
        let mut x = Vec::new();
        self.design(f, &mut x);
        DELAY_SCALE_MIN * dot(&x, &self.delay).sinh()
    }

    /// Whether the coefficient vectors fit the columns; for reading a file.
    pub fn check(&self) -> Result<(), String> {
        let w = self.width();
        if self.cancellation.len() != w + 1 || self.delay.len() != w {
            return Err(format!(
                "disruption: {} airports and {} carriers make {w} columns; expected {} cancellation and {w} \
                 delay coefficients, found {} and {}",
                self.airports.len(),
                self.carriers.len(),
                w + 1,
                self.cancellation.len(),
                self.delay.len()
            ));
        }
        if let Some(c) = &self.congestion_forecast {
            if c.coefficients.len() != w {
                return Err(format!(
                    "disruption: the congestion forecast has {} coefficients for {w} columns",
                    c.coefficients.len()
                ));
            }
            let valid = c.scale_hours.is_finite()
                && c.scale_hours > 0.0
                && c.residual_sd.is_finite()
                && c.residual_sd >= 0.0;
            if !valid {
                return Err(format!(
                    "disruption: the congestion forecast's scale {} and residual spread {} must be positive",
                    c.scale_hours, c.residual_sd
                ));
            }
        }
        let forecast = self
            .congestion_forecast
            .iter()
            .flat_map(|c| c.coefficients.iter());
        if let Some(r) = &self.recent_cancellations {
            if r.departures == 0 || r.lookback_min <= 0 {
                return Err(format!(
                    "disruption: recent_cancellations counts {} departures over {} minutes; both must be positive",
                    r.departures, r.lookback_min
                ));
            }
        }
        let recent = self
            .recent_cancellations
            .iter()
            .flat_map(|r| [&r.intercept, &r.coefficient]);
        if let Some(bad) = self
            .cancellation
            .iter()
            .chain(&self.delay)
            .chain(forecast)
            .chain(recent)
            .find(|c| !c.is_finite())
        {
            return Err(format!(
                "disruption: coefficient {bad} is not a finite number"
            ));
        }
        Ok(())
    }

    /// Fits both regressions on `rows`; `None` when there are none.
    pub fn fit(rows: &[TrainingRow]) -> Option<DisruptionModel> {
        if rows.is_empty() {
            return None;
        }
        let (airports, carriers) = levels(rows.iter().map(|r| &r.features));
        let cancelled = rows.iter().filter(|r| r.cancelled).count() as u64;
        let mut delays: Vec<f64> = rows.iter().filter_map(|r| r.delay_min).collect();
        delays.sort_by(f64::total_cmp);
        let median = delays.get(delays.len() / 2).copied().unwrap_or(0.0);
        let mut model = DisruptionModel {
            airports,
            carriers,
            legs: rows.len() as u64,
            cancelled,
            climatology_cancelled_share: round4(cancelled as f64 / rows.len() as f64),
            climatology_median_delay_min: median,
            cancellation: Vec::new(),
            delay: Vec::new(),
            congestion_forecast: None,
            recent_cancellations: None,
        };
        let w = model.width();
        // Design matrix, row-major; congestion in the last column of the cancellation design.
        let stride = w + 1;
        let mut xs = Vec::with_capacity(rows.len() * stride);
        let mut x = Vec::with_capacity(w);
        for r in rows {
            model.design(&r.features, &mut x);
            xs.extend_from_slice(&x);
            xs.push(r.congestion_hours.clamp(0.0, CONGESTION_CAP_HOURS));
        }
        let y: Vec<f64> = rows
            .iter()
            .map(|r| f64::from(u8::from(r.cancelled)))
            .collect();
        model.cancellation = logistic(&xs, stride, &y, None)
            .into_iter()
            .map(round6)
            .collect();
        // Delay: rows that left, without the congestion column.
        let (mut xtx, mut xtz) = (vec![0.0; w * w], vec![0.0; w]);
        for (i, r) in rows.iter().enumerate() {
            let Some(d) = r.delay_min else { continue };
            let row = &xs[i * stride..i * stride + w];
            let z = (d / DELAY_SCALE_MIN).asinh();
            accumulate(&mut xtx, &mut xtz, row, 1.0, z);
        }
        penalise(&mut xtx, w, L2_PENALTY);
        model.delay = solve(xtx, xtz, w)
            .unwrap_or_else(|| vec![0.0; w])
            .into_iter()
            .map(round6)
            .collect();
        // Congestion forecast: every row, on the columns alone.
        let target = |i: usize| (xs[i * stride + w] / CONGESTION_SCALE_HOURS).asinh();
        let (mut xtx, mut xtz) = (vec![0.0; w * w], vec![0.0; w]);
        for i in 0..rows.len() {
            accumulate(
                &mut xtx,
                &mut xtz,
                &xs[i * stride..i * stride + w],
                1.0,
                target(i),
            );
        }
        penalise(&mut xtx, w, L2_PENALTY);
        if let Some(coefficients) = solve(xtx, xtz, w) {
            let coefficients: Vec<f64> = coefficients.into_iter().map(round6).collect();
            let squares: f64 = (0..rows.len())
                .map(|i| (target(i) - dot(&xs[i * stride..i * stride + w], &coefficients)).powi(2))
                .sum();
            model.congestion_forecast = Some(CongestionForecast {
                scale_hours: CONGESTION_SCALE_HOURS,
                coefficients,
                residual_sd: round6((squares / rows.len() as f64).sqrt()),
            });
        }
        // The second stage: the policy at the forecast congestion as an offset, and the recent share.
        let offset: Vec<f64> = rows
            .iter()
            .map(|r| {
                let p = model
                    .forecast_cancellation_probability(&r.features)
                    .unwrap_or_else(|| sigmoid(model.cancellation_logit_base(&r.features)))
                    .clamp(1e-9, 1.0 - 1e-9);
                (p / (1.0 - p)).ln()
            })
            .collect();
        let shares: Vec<f64> = rows
            .iter()
            .flat_map(|r| [1.0, r.recent_cancelled_share.clamp(0.0, 1.0)])
            .collect();
        let stage = logistic(&shares, 2, &y, Some(&offset));
        model.recent_cancellations = Some(RecentCancellations {
            departures: RECENT_DEPARTURES,
            lookback_min: RECENT_LOOKBACK_MIN,
            intercept: round6(stage[0]),
            coefficient: round6(stage[1]),
        });
        debug_assert_eq!(model.check(), Ok(()));
        Some(model)
    }
}

fn round4(v: f64) -> f64 {
    (v * 1e4).round() / 1e4
}

fn round6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The logistic function.
pub fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// Solves `a x = b` for a symmetric positive definite `a` (n × n, row-major) by Cholesky; `None` if it is
/// not positive definite.
pub(crate) fn solve(mut a: Vec<f64>, mut b: Vec<f64>, n: usize) -> Option<Vec<f64>> {
    for j in 0..n {
        let mut d = a[j * n + j];
        for k in 0..j {
            d -= a[j * n + k] * a[j * n + k];
        }
        if d <= 1e-12 {
            return None;
        }
        let d = d.sqrt();
        a[j * n + j] = d;
        for i in j + 1..n {
            let mut s = a[i * n + j];
            for k in 0..j {
                s -= a[i * n + k] * a[j * n + k];
            }
            a[i * n + j] = s / d;
        }
    }
    for i in 0..n {
        let mut s = b[i];
        for k in 0..i {
            s -= a[i * n + k] * b[k];
        }
        b[i] = s / a[i * n + i];
    }
    for i in (0..n).rev() {
        let mut s = b[i];
        for k in i + 1..n {
            s -= a[k * n + i] * b[k];
        }
        b[i] = s / a[i * n + i];
    }
    Some(b)
}

/// The largest change of one coefficient in one Newton step.
const MAX_STEP: f64 = 2.0;

/// The penalised log-likelihood of `beta`.
fn objective(xs: &[f64], w: usize, y: &[f64], offset: Option<&[f64]>, beta: &[f64]) -> f64 {
    let mut sum = 0.0;
    for (i, &yi) in y.iter().enumerate() {
        let z = dot(&xs[i * w..(i + 1) * w], beta) + offset.map_or(0.0, |o| o[i]);
        // log p = -log(1 + e^-z), log(1 - p) = -log(1 + e^z), computed without overflow.
        let softplus = |t: f64| if t > 30.0 { t } else { t.exp().ln_1p() };
        sum -= if yi > 0.5 { softplus(-z) } else { softplus(z) };
    }
    sum - 0.5 * L2_PENALTY * beta[1..].iter().map(|b| b * b).sum::<f64>()
}

/// L2-penalised logistic regression by damped Newton steps; `xs` row-major with `w` columns, the first the
/// intercept; `offset`, if given, is added to each row's log-odds with a coefficient of 1.
fn logistic(xs: &[f64], w: usize, y: &[f64], offset: Option<&[f64]>) -> Vec<f64> {
    let n = y.len();
    let mean = y.iter().sum::<f64>() / n as f64;
    let mut beta = vec![0.0; w];
    if offset.is_none() {
        beta[0] = (mean.clamp(1e-4, 1.0 - 1e-4) / (1.0 - mean.clamp(1e-4, 1.0 - 1e-4))).ln();
    }
    for _ in 0..MAX_NEWTON_STEPS {
        let (mut h, mut g) = (vec![0.0; w * w], vec![0.0; w]);
        for i in 0..n {
            let row = &xs[i * w..(i + 1) * w];
            let p = sigmoid(dot(row, &beta) + offset.map_or(0.0, |o| o[i]));
            let weight = (p * (1.0 - p)).max(1e-9);
            // Newton step: (Xᵀ W X + λI) δ = Xᵀ (y − p) − λβ, W the Bernoulli variances.
            accumulate(&mut h, &mut g, row, weight, 0.0);
            for (a, &xa) in row.iter().enumerate() {
                g[a] += xa * (y[i] - p);
            }
        }
        for a in 1..w {
            g[a] -= L2_PENALTY * beta[a];
        }
        penalise(&mut h, w, L2_PENALTY);
        let Some(mut step) = solve(h, g, w) else {
            break;
        };
        // Damped: no coordinate moves more than MAX_STEP at once, and the step is halved until the
        // penalised log-likelihood improves (Newton alone overshoots on nearly flat, rare categories).
        let largest = step.iter().fold(0.0f64, |m, s| m.max(s.abs()));
        if largest > MAX_STEP {
            step.iter_mut().for_each(|s| *s *= MAX_STEP / largest);
        }
        let before = objective(xs, w, y, offset, &beta);
        let mut scale = 1.0;
        let mut moved = false;
        for _ in 0..20 {
            let trial: Vec<f64> = beta.iter().zip(&step).map(|(b, s)| b + scale * s).collect();
            if objective(xs, w, y, offset, &trial) >= before - 1e-12 {
                beta = trial;
                moved = true;
                break;
            }
            scale /= 2.0;
        }
        if !moved || largest * scale < 1e-7 {
            break;
        }
    }
    beta
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cholesky_solves_a_small_system() {
        let x = solve(vec![4.0, 2.0, 2.0, 3.0], vec![2.0, 1.0], 2).unwrap();
        assert!((x[0] - 0.5).abs() < 1e-12 && x[1].abs() < 1e-12);
    }

    #[test]
    fn the_fit_finds_that_cancellations_come_in_runs() {
        use super::super::WeatherFeatures;
        use ucodts_model::{AirportCode, CarrierCode};
        let features = LegFeatures {
            weather: WeatherFeatures::fair(),
            airport: AirportCode::new("JFK").unwrap(),
            carrier: CarrierCode::new("B6"),
            local_hour: 9,
            day_of_week: 2,
            scheduled_departures_in_hour: 20,
            scheduled_departures_in_day: 300,
            day_of_year: 180,
        };
        // 2 % cancelled after no recent cancellation, 30 % after half of them, 80 % after all.
        let mut rows = Vec::new();
        for (share, cancelled_per_1000) in [(0.0, 20), (0.5, 300), (1.0, 800)] {
            for k in 0..1000 {
                let cancelled = k < cancelled_per_1000;
                rows.push(TrainingRow {
                    features: features.clone(),
                    cancelled,
                    delay_min: (!cancelled).then_some(5.0),
                    congestion_hours: 0.0,
                    recent_cancelled_share: share,
                });
            }
        }
        let model = DisruptionModel::fit(&rows).unwrap();
        let recent = model.recent_cancellations.as_ref().unwrap();
        assert_eq!(recent.departures, RECENT_DEPARTURES);
        let policy = model.forecast_cancellation_probability(&features).unwrap();
        let p = |share: f64| model.with_recent_cancellations(policy, share);
        assert!((p(0.0) - 0.02).abs() < 0.02, "{}", p(0.0));
        assert!((p(1.0) - 0.8).abs() < 0.05, "{}", p(1.0));
        assert!(p(0.5) > 0.15 && p(0.5) < 0.4, "{}", p(0.5));
        assert_eq!(model.check(), Ok(()));
        // A model without the stage leaves the policy as it is.
        let without = DisruptionModel {
            recent_cancellations: None,
            ..model.clone()
        };
        assert_eq!(without.with_recent_cancellations(0.3, 1.0), 0.3);
    }

    #[test]
    fn logistic_regression_recovers_a_known_slope() {
        // p = sigmoid(-2 + 1.5 x) at x = 0, 1, 2, 3 with exact frequencies over 1,000 rows each.
        let (mut xs, mut y) = (Vec::new(), Vec::new());
        for x in 0..4 {
            let p = sigmoid(-2.0 + 1.5 * f64::from(x));
            let positives = (p * 1000.0).round() as usize;
            for k in 0..1000 {
                xs.extend_from_slice(&[1.0, f64::from(x)]);
                y.push(f64::from(u8::from(k < positives)));
            }
        }
        let beta = logistic(&xs, 2, &y, None);
        assert!((beta[0] + 2.0).abs() < 0.05, "{beta:?}");
        assert!((beta[1] - 1.5).abs() < 0.05, "{beta:?}");
    }
}
