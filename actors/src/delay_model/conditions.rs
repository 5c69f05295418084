//! The day's conditions in the twin's own departure delays: where in its cell's distribution a departure's
//! own delay is drawn, moved by what the record shows the weather, the hour, the traffic and the season do.
//!
//! The departure-delay cells ([`super::DepartureCell`]) know the origin, a band of hours and three weather
//! categories; by themselves they give a snowstorm's departures the delays of a July shower, and every month
//! the same on-time rate. This model is fitted on the same recorded departures as the cells: for each, the
//! position of its recorded delay in its own cell (the mid-rank probability integral transform, `u`),
//! mapped to the normal scale (`z = Φ⁻¹(u)`), is regressed (ridge) on [`COLUMNS`] of the leg's
//! [`LegFeatures`]: the origin's weather in windows around the departure (the recorded weather used as a
//! perfect forecast), local hour and its interaction with rain, day of week, the scheduled traffic of the
//! hour and of the day, the season, airport and airline. In the twin a leg's uniform draw `u` becomes
//! `Φ(μ + σ Φ⁻¹(u))` before it is read off the cell: `μ` the regression's prediction for the leg, `σ` its
//! residual spread. Over the fitted departures `μ + σZ` is standard normal again, so the cells keep their
//! distributions on average; a day the record shows bad is drawn high in every cell, a quiet one low.
//! One uniform per draw, monotone in it: common random numbers still hold.
//!
//! The same regression, fitted on where each recorded block-time variation sits in its route's block cell,
//! moves the twin's block times (`block_conditions` in the parameter file): on the 2013 record the daily
//! mean of (arrival delay − departure delay) has a spread of 6.8 minutes and correlates −0.78 with the
//! day's on-time rate (September's flights took 10.7 minutes less than scheduled, December's 1.2).

use serde::{Deserialize, Serialize};

use super::design::{accumulate, hour_group, levels, penalise, CategoryColumns, HOUR_GROUPS};
use super::features::LegFeatures;
use super::QuantileFunction;

/// The L2 penalty of the regression (on every coefficient but the intercept).
pub const L2_PENALTY: f64 = 1.0;
/// Probability integral transforms are kept within this distance of 0 and 1 (the cells' extremes are the
/// sample's, and a normal score of ±3.1 is as far as a fitted day reaches).
pub const PIT_CLAMP: f64 = 0.001;

/// The numeric columns, in design order after the intercept.
pub const COLUMNS: [&str; 22] = [
    "precipitation_near_in_x4",
    "precipitation_wide_in_x4",
    "precipitation_day_in_x4",
    "warm_precipitation_near_in_x4",
    "warm_precipitation_day_in_x4",
    "frozen_near_in_x10",
    "frozen_wide_in_x10",
    "frozen_previous_day_in_x10",
    "poor_visibility_near_0_to_1",
    "poor_visibility_wide_0_to_1",
    "gust_over_20_mph_near_per_20",
    "gust_over_20_mph_wide_per_20",
    "wind_over_15_mph_near_per_15",
    "severe_weather_recency_0_to_1",
    "weather_unobserved",
    "heat_over_75_f_per_15",
    "dewpoint_over_55_f_per_15",
    "pressure_under_1015_mb_per_15",
    "scheduled_departures_in_hour_per_50",
    "scheduled_departures_in_day_per_500",
    "season_cos",
    "season_sin",
];

/// See the module documentation. Coefficients in design order: intercept, [`COLUMNS`], one per band of
/// three local hours, one per band times `precipitation_wide_in_x4` (rain in the evening delays more than in
/// the morning: the queues it builds last), one per day of the week (Monday first),
/// one per airport of `airports`, one per airline of `carriers`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DelayConditions {
    /// The origins with a column, sorted.
    pub airports: Vec<String>,
    /// The airlines with a column, sorted.
    pub carriers: Vec<String>,
    /// Departures fitted on.
    pub legs: u64,
    /// Ridge coefficients of the normal score of a departure's delay within its cell.
    pub coefficients: Vec<f64>,
    /// Standard deviation of the residuals (normal scale): the spread left for the draw.
    pub residual_sd: f64,
    /// Standard deviation of the part of the residuals a day's legs share (normal scale, at most
    /// `residual_sd`): what the day's columns do not explain, estimated as the spread of the daily mean
    /// residuals less what their sampling noise gives. The twin draws it once per replication and day
    /// (the `day_effect` stream of `actors::replication`). 0 (absent) in files written before it.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub day_sd: f64,
}

fn is_zero(v: &f64) -> bool {
    *v == 0.0
}

/// One training row: a departure's features and the normal score of its recorded delay in its cell.
pub struct ConditionsRow {
    /// Features.
    pub features: LegFeatures,
    /// Its operating day (days since 1970-01-01, local date at the origin): the rows of one day share a
    /// day effect.
    pub day: i64,
    /// `Φ⁻¹(u)`, `u` the mid-rank position of the recorded delay in its cell.
    pub score: f64,
}

impl DelayConditions {
    fn width(&self) -> usize {
        1 + COLUMNS.len() + 2 * HOUR_GROUPS + self.categories().width()
    }

    /// The design row of `f` into `x` (cleared first).
    fn design(&self, f: &LegFeatures, x: &mut Vec<f64>) {
        x.clear();
        x.resize(self.width(), 0.0);
        let w = &f.weather;
        let over = |v: Option<f32>, from: f64, per: f64| {
            v.map_or(0.0, |v| ((f64::from(v) - from) / per).max(0.0))
        };
        let angle = std::f64::consts::TAU * f64::from(f.day_of_year) / 365.25;
        let precipitation_wide = f64::from(w.precipitation_wide_in) * 4.0;
        let numeric: [f64; COLUMNS.len()] = [
            f64::from(w.precipitation_near_in) * 4.0,
            precipitation_wide,
            f64::from(w.precipitation_day_in) * 4.0,
            f64::from(w.warm_precipitation_near_in) * 4.0,
            f64::from(w.warm_precipitation_day_in) * 4.0,
            f64::from(w.frozen_near_in) * 10.0,
            f64::from(w.frozen_wide_in) * 10.0,
            f64::from(w.frozen_previous_day_in) * 10.0,
            ((3.0 - f64::from(w.min_visibility_mi)) / 3.0).clamp(0.0, 1.0),
            ((3.0 - f64::from(w.min_visibility_wide_mi)) / 3.0).clamp(0.0, 1.0),
            ((f64::from(w.max_gust_mph) - 20.0) / 20.0).max(0.0),
            ((f64::from(w.max_gust_wide_mph) - 20.0) / 20.0).max(0.0),
            ((f64::from(w.max_wind_near_mph) - 15.0) / 15.0).max(0.0),
            w.hours_since_severe
                .map_or(0.0, |h| (-f64::from(h) / 12.0).exp()),
            f64::from(u8::from(!w.observed)),
            over(w.max_temperature_wide_f, 75.0, 15.0),
            over(w.max_dewpoint_wide_f, 55.0, 15.0),
            w.min_pressure_day_mb
                .map_or(0.0, |p| ((1015.0 - f64::from(p)) / 15.0).max(0.0)),
            f64::from(f.scheduled_departures_in_hour) / 50.0,
            f64::from(f.scheduled_departures_in_day) / 500.0,
            angle.cos(),
            angle.sin(),
        ];
        x[0] = 1.0;
        x[1..1 + numeric.len()].copy_from_slice(&numeric);
        let mut at = 1 + numeric.len();
        let group = hour_group(f);
        x[at + group] = 1.0;
        at += HOUR_GROUPS;
        x[at + group] = precipitation_wide;
        at += HOUR_GROUPS;
        self.categories().encode(f, x, at);
    }

    fn categories(&self) -> CategoryColumns<'_> {
        CategoryColumns {
            airports: &self.airports,
            carriers: &self.carriers,
        }
    }

    /// Whether the model was fitted on departures from `airport` (it has a column).
    pub fn fitted_at(&self, airport: ucodts_model::AirportCode) -> bool {
        self.airports
            .binary_search_by(|a| a.as_str().cmp(airport.as_str()))
            .is_ok()
    }

    /// The leg's shift `μ` on the normal scale: how far up its cell the day's conditions put its own delay.
    pub fn shift(&self, f: &LegFeatures) -> f64 {
        let mut x = Vec::new();
        self.design(f, &mut x);
        x.iter().zip(&self.coefficients).map(|(a, b)| a * b).sum()
    }

    /// The probability at which a leg with shift `shift` reads its cell for the uniform draw `u`.
    pub fn conditioned_uniform(&self, shift: f64, u: f64) -> f64 {
        conditioned_uniform(shift, self.residual_sd, u)
    }

    /// Whether the coefficients fit the columns; for reading a file.
    pub fn check(&self) -> Result<(), String> {
        let w = self.width();
        if self.coefficients.len() != w {
            return Err(format!(
                "delay_conditions: {} airports and {} carriers make {w} columns, found {} coefficients",
                self.airports.len(),
                self.carriers.len(),
                self.coefficients.len()
            ));
        }
        if let Some(bad) = self.coefficients.iter().find(|c| !c.is_finite()) {
            return Err(format!(
                "delay_conditions: coefficient {bad} is not a finite number"
            ));
        }
        if !(self.residual_sd.is_finite() && self.residual_sd > 0.0 && self.residual_sd <= 2.0) {
            return Err(format!(
                "delay_conditions: residual_sd {} must be above 0 and at most 2",
                self.residual_sd
            ));
        }
        if !(self.day_sd.is_finite() && self.day_sd >= 0.0 && self.day_sd < self.residual_sd) {
            return Err(format!(
                "delay_conditions: day_sd {} must be at least 0 and below residual_sd {}",
                self.day_sd, self.residual_sd
            ));
        }
        Ok(())
    }

    /// Fits the regression on `rows`; `None` when there are too few to fit or the system is singular.
    pub fn fit(rows: &[ConditionsRow]) -> Option<DelayConditions> {
        if rows.len() < 2 {
            return None;
        }
        let (airports, carriers) = levels(rows.iter().map(|r| &r.features));
        let mut model = DelayConditions {
            airports,
            carriers,
            legs: rows.len() as u64,
            coefficients: Vec::new(),
            residual_sd: 1.0,
            day_sd: 0.0,
        };
        let w = model.width();
        let (mut xtx, mut xtz) = (vec![0.0; w * w], vec![0.0; w]);
        let mut x = Vec::with_capacity(w);
        for r in rows {
            model.design(&r.features, &mut x);
            accumulate(&mut xtx, &mut xtz, &x, 1.0, r.score);
        }
        penalise(&mut xtx, w, L2_PENALTY);
        let coefficients: Vec<f64> = super::disruption_model::solve(xtx, xtz, w)?
            .into_iter()
            .map(|c| (c * 1e6).round() / 1e6)
            .collect();
        model.coefficients = coefficients;
        let residuals: Vec<(i64, f64)> = rows
            .iter()
            .map(|r| (r.day, r.score - model.shift(&r.features)))
            .collect();
        let squares: f64 = residuals.iter().map(|(_, e)| e * e).sum();
        let sd = (squares / rows.len() as f64).sqrt();
        model.residual_sd = (sd.clamp(0.05, 2.0) * 1e6).round() / 1e6;
        let day_sd = shared_day_sd(&residuals).min(0.9 * model.residual_sd);
        model.day_sd = (day_sd * 1e6).round() / 1e6;
        debug_assert_eq!(model.check(), Ok(()));
        Some(model)
    }
}

/// The standard deviation of the day effect in `residuals` (day, residual): the variance of the days' mean
/// residuals (weighted by their legs) less the mean sampling variance of such a mean (the within-day
/// variance over the day's legs), at least 0; 0 with fewer than two days.
pub fn shared_day_sd(residuals: &[(i64, f64)]) -> f64 {
    let mut days: std::collections::BTreeMap<i64, (f64, f64, f64)> = Default::default();
    for &(day, e) in residuals {
        let d = days.entry(day).or_default();
        d.0 += 1.0;
        d.1 += e;
        d.2 += e * e;
    }
    if days.len() < 2 {
        return 0.0;
    }
    let n: f64 = days.values().map(|d| d.0).sum();
    let mean = days.values().map(|d| d.1).sum::<f64>() / n;
    // Within-day variance, pooled over the days.
    let within_squares: f64 = days.values().map(|d| d.2 - d.1 * d.1 / d.0).sum();
    let within = within_squares / (n - days.len() as f64).max(1.0);
    // The days' mean residuals around the overall mean, weighted by their legs (an unbiased estimate of
    // n_d τ² + within per day, summed: a one-way random-effects ANOVA).
    let between: f64 = days
        .values()
        .map(|d| d.0 * (d.1 / d.0 - mean).powi(2))
        .sum();
    let n0 = (n - days.values().map(|d| d.0 * d.0).sum::<f64>() / n) / (days.len() as f64 - 1.0);
    let tau2 = (between / (days.len() as f64 - 1.0) - within) / n0;
    tau2.max(0.0).sqrt()
}

/// The draw of a leg with `shift` for its uniform `u`, on a day whose shared effect is `day_z` (a standard
/// normal drawn once per replication and day): `Φ(shift + day_sd day_z + √(sd² − day_sd²) Φ⁻¹(u))`. Over
/// the days, `day_sd day_z + √(sd² − day_sd²) Z` has the spread `sd`, so the cells keep their distributions.
pub fn day_conditioned_uniform(shift: f64, sd: f64, day_sd: f64, day_z: f64, u: f64) -> f64 {
    let within = (sd * sd - day_sd * day_sd).max(0.0).sqrt();
    conditioned_uniform(shift + day_sd * day_z, within, u)
}

/// The mid-rank position of `delay_min` in `cell` (the share below it plus half the share at it, read off the
/// knots a minute either side), within [`PIT_CLAMP`] of 0 and 1.
pub fn position_in_cell(cell: &QuantileFunction, delay_min: f64) -> f64 {
    let below = 1.0 - cell.share_above(delay_min - 0.5);
    let at_or_below = 1.0 - cell.share_above(delay_min + 0.5);
    (0.5 * (below + at_or_below)).clamp(PIT_CLAMP, 1.0 - PIT_CLAMP)
}

/// `Φ(shift + sd Φ⁻¹(u))`: the probability a draw `u` reads its cell at, for a leg with `shift`.
pub fn conditioned_uniform(shift: f64, sd: f64, u: f64) -> f64 {
    normal_cdf(shift + sd * normal_quantile(u.clamp(1e-9, 1.0 - 1e-9)))
}

/// The standard normal distribution function (from the complementary error function, Numerical Recipes'
/// Chebyshev fit `erfcc`, relative error under 1.2e-7).
pub fn normal_cdf(x: f64) -> f64 {
    let z = x.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let erfc = t * poly.exp();
    if x >= 0.0 {
        1.0 - 0.5 * erfc
    } else {
        0.5 * erfc
    }
}

/// The standard normal quantile function for `p` in (0, 1) (Acklam's rational approximation, relative
/// error under 1.2e-9).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const LOW: f64 = 0.024_25;
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < LOW {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - LOW {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_normal_functions_invert_each_other() {
        for p in [0.001, 0.02, 0.1, 0.3, 0.5, 0.8, 0.97, 0.999] {
            let x = normal_quantile(p);
            assert!((normal_cdf(x) - p).abs() < 1e-6, "{p}: {x}");
        }
        assert!((normal_quantile(0.975) - 1.959_964).abs() < 1e-5);
    }

    #[test]
    fn no_shift_and_unit_spread_leave_the_draw_where_it_was() {
        for u in [0.01, 0.25, 0.5, 0.9, 0.995] {
            assert!((conditioned_uniform(0.0, 1.0, u) - u).abs() < 1e-6);
        }
        assert!(conditioned_uniform(0.5, 1.0, 0.5) > 0.69);
        assert!(conditioned_uniform(-0.5, 1.0, 0.5) < 0.31);
    }

    #[test]
    fn a_delay_in_the_middle_of_its_cell_sits_near_one_half() {
        let cell = QuantileFunction::from_sample(&mut (0..=100).map(f64::from).collect::<Vec<_>>())
            .unwrap();
        assert!((position_in_cell(&cell, 50.0) - 0.5).abs() < 0.02);
        assert!(position_in_cell(&cell, -20.0) <= PIT_CLAMP + 1e-12);
    }

    #[test]
    fn the_day_effect_is_what_the_days_share_beyond_their_sampling_noise() {
        // 200 days of 300 legs: a day effect of spread 0.3 (a fixed pattern of ±0.3 over the days) plus a
        // within-day spread of 0.9 (a deterministic zig-zag with that standard deviation).
        let mut residuals = Vec::new();
        for day in 0..200i64 {
            let effect = if day % 2 == 0 { 0.3 } else { -0.3 };
            for leg in 0..300 {
                let within = if leg % 2 == 0 { 0.9 } else { -0.9 };
                residuals.push((day, effect + within));
            }
        }
        let tau = shared_day_sd(&residuals);
        assert!((tau - 0.3).abs() < 0.01, "{tau}");
        // No day effect: nothing shared.
        let flat: Vec<(i64, f64)> = (0..6000)
            .map(|i| (i / 300, if i % 2 == 0 { 0.9 } else { -0.9 }))
            .collect();
        assert!(shared_day_sd(&flat) < 1e-9);
        assert_eq!(shared_day_sd(&[(1, 0.5), (1, -0.5)]), 0.0);
    }

    #[test]
    fn a_day_effect_moves_every_leg_of_the_day_the_same_way_and_keeps_the_spread() {
        // Without a day draw the reading is the plain conditioned one.
        let plain = conditioned_uniform(0.2, 0.9, 0.4);
        let day = day_conditioned_uniform(0.2, 0.9, 0.3, 0.0, 0.4);
        assert!((day - conditioned_uniform(0.2, (0.81f64 - 0.09).sqrt(), 0.4)).abs() < 1e-12);
        assert!(plain > 0.0 && day > 0.0);
        // A bad day (z = 2) puts every leg higher in its cell, a good one lower.
        for u in [0.1, 0.5, 0.9] {
            assert!(
                day_conditioned_uniform(0.0, 0.9, 0.3, 2.0, u)
                    > day_conditioned_uniform(0.0, 0.9, 0.3, 0.0, u)
            );
            assert!(
                day_conditioned_uniform(0.0, 0.9, 0.3, -2.0, u)
                    < day_conditioned_uniform(0.0, 0.9, 0.3, 0.0, u)
            );
        }
    }
}
