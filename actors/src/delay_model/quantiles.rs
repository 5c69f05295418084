//! Empirical quantile functions: how a fitted distribution is stored and sampled.
//!
//! A distribution is its quantiles at the fixed probabilities [`QUANTILE_PROBABILITIES`], denser in the upper
//! tail where delays live; sampling draws `u` uniform in [0, 1) and interpolates linearly between the two
//! knots around it (inverse-transform sampling). One uniform per draw, monotone in `u`: the same stream
//! gives comparable draws in two runs (common random numbers).

use serde::{Deserialize, Serialize};

/// The probabilities at which every fitted distribution is stored (0 and 1 are the sample's extremes).
pub const QUANTILE_PROBABILITIES: [f64; 29] = [
    0.0, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75,
    0.8, 0.85, 0.9, 0.925, 0.95, 0.96, 0.97, 0.98, 0.99, 0.995, 0.999, 1.0,
];

/// A distribution in minutes, as quantiles at [`QUANTILE_PROBABILITIES`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct QuantileFunction(Vec<f64>);

impl QuantileFunction {
    /// The distribution that is always `value`.
    pub fn constant(value: f64) -> QuantileFunction {
        QuantileFunction(vec![value; QUANTILE_PROBABILITIES.len()])
    }

    /// The empirical quantiles of `sample` (linear interpolation between order statistics, Hyndman and Fan
    /// type 7), rounded to a tenth of a minute so that parameter files stay readable. `None` if empty.
    pub fn from_sample(sample: &mut [f64]) -> Option<QuantileFunction> {
        if sample.is_empty() {
            return None;
        }
        sample.sort_by(f64::total_cmp);
        let last = (sample.len() - 1) as f64;
        let knots = QUANTILE_PROBABILITIES
            .iter()
            .map(|&p| {
                let h = p * last;
                let (lo, frac) = (h.floor() as usize, h - h.floor());
                let hi = (lo + 1).min(sample.len() - 1);
                let q = sample[lo] + frac * (sample[hi] - sample[lo]);
                (q * 10.0).round() / 10.0
            })
            .collect();
        Some(QuantileFunction(knots))
    }

    /// Quantiles given knot by knot; the caller keeps them non-decreasing and one per probability.
    pub(crate) fn from_knots(knots: Vec<f64>) -> QuantileFunction {
        debug_assert_eq!(knots.len(), QUANTILE_PROBABILITIES.len());
        QuantileFunction(knots)
    }

    /// The stored quantiles, one per entry of [`QUANTILE_PROBABILITIES`].
    pub fn knots(&self) -> &[f64] {
        &self.0
    }

    /// Checks what a file could break: one finite knot per probability, in non-decreasing order.
    pub fn check(&self) -> Result<(), String> {
        if self.0.len() != QUANTILE_PROBABILITIES.len() {
            return Err(format!(
                "expected {} quantiles, found {}",
                QUANTILE_PROBABILITIES.len(),
                self.0.len()
            ));
        }
        if let Some(bad) = self.0.iter().find(|q| !q.is_finite()) {
            return Err(format!("quantile {bad} is not a finite number"));
        }
        if let Some(w) = self.0.windows(2).find(|w| w[1] < w[0]) {
            return Err(format!(
                "quantiles must not decrease, found {} then {}",
                w[0], w[1]
            ));
        }
        Ok(())
    }

    /// The value at probability `u` (0 <= u <= 1), interpolated between knots.
    pub fn at(&self, u: f64) -> f64 {
        let p = &QUANTILE_PROBABILITIES;
        let i = p.partition_point(|&x| x <= u).clamp(1, p.len() - 1);
        let (p0, p1) = (p[i - 1], p[i]);
        let (q0, q1) = (self.0[i - 1], self.0[i]);
        q0 + (u - p0) / (p1 - p0) * (q1 - q0)
    }

    /// The share of the distribution above `x` minutes (read off the knots).
    pub fn share_above(&self, x: f64) -> f64 {
        let p = &QUANTILE_PROBABILITIES;
        let q = &self.0;
        if x < q[0] {
            return 1.0;
        }
        if x >= q[q.len() - 1] {
            return 0.0;
        }
        let i = q.partition_point(|&v| v <= x).clamp(1, q.len() - 1);
        let (q0, q1) = (q[i - 1], q[i]);
        let frac = if q1 > q0 { (x - q0) / (q1 - q0) } else { 1.0 };
        1.0 - (p[i - 1] + frac * (p[i] - p[i - 1]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sampling_inverts_the_fitted_quantiles() {
        let mut sample: Vec<f64> = (0..=1000).map(f64::from).collect();
        let q = QuantileFunction::from_sample(&mut sample).unwrap();
        assert_eq!(q.at(0.0), 0.0);
        assert_eq!(q.at(1.0), 1000.0);
        assert!((q.at(0.5) - 500.0).abs() < 1e-9);
        assert!((q.at(0.93) - 930.0).abs() < 1e-9);
        assert!((q.share_above(900.0) - 0.1).abs() < 1e-9);
        q.check().unwrap();
    }

    #[test]
    fn a_decreasing_file_is_refused() {
        let mut knots = QuantileFunction::constant(1.0).0;
        knots[3] = 0.0;
        assert!(QuantileFunction(knots).check().is_err());
    }
}
