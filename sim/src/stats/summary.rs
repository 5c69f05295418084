//! The summary of one metric over replications, and its confidence interval.

use super::{Moments, QuantileSketch};
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, StudentsT};

/// Moments plus quantiles of one metric: what the Monte Carlo runner keeps per metric, in memory that does
/// not grow with the number of replications. Serializable, so that shards can write theirs and a merge step
/// can combine them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    moments: Moments,
    quantiles: QuantileSketch,
}

/// A two-sided confidence interval for a mean.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConfidenceInterval {
    /// The confidence level, e.g. 0.95.
    pub level: f64,
    /// Lower bound.
    pub lower: f64,
    /// Upper bound.
    pub upper: f64,
    /// Half the width: the "±" of "mean ± half_width".
    pub half_width: f64,
}

impl Summary {
    /// No observations yet.
    pub fn new() -> Summary {
        Summary::default()
    }

    /// Adds one observation.
    ///
    /// # Panics
    /// If `x` is not finite.
    pub fn add(&mut self, x: f64) {
        self.moments.add(x);
        self.quantiles.add(x);
    }

    /// Adds everything `other` has seen.
    pub fn merge(&mut self, other: &Summary) {
        self.moments.merge(&other.moments);
        self.quantiles.merge(&other.quantiles);
    }

    /// Count, mean, variance, minimum and maximum.
    pub fn moments(&self) -> &Moments {
        &self.moments
    }

    /// The quantile sketch.
    pub fn quantiles(&self) -> &QuantileSketch {
        &self.quantiles
    }

    /// How many observations.
    pub fn count(&self) -> u64 {
        self.moments.count()
    }

    /// The mean, if anything was observed.
    pub fn mean(&self) -> Option<f64> {
        self.moments.mean()
    }

    /// The `q`-quantile (see [`QuantileSketch::quantile`]).
    pub fn quantile(&self, q: f64) -> Option<f64> {
        self.quantiles.quantile(q)
    }

    /// The Student-t confidence interval for the mean at `level` (e.g. 0.95): mean ± t(level, n−1)·s/√n.
    /// `None` with fewer than two observations, where no interval can be estimated.
    ///
    /// # Panics
    /// If `level` is not strictly between 0 and 1.
    pub fn confidence_interval(&self, level: f64) -> Option<ConfidenceInterval> {
        assert!(
            level > 0.0 && level < 1.0,
            "a confidence level is strictly between 0 and 1, got {level}"
        );
        let mean = self.moments.mean()?;
        let standard_error = self.moments.standard_error()?;
        let degrees_of_freedom = (self.moments.count() - 1) as f64;
        let t = StudentsT::new(0.0, 1.0, degrees_of_freedom)
            .expect("degrees of freedom are at least 1 here")
            .inverse_cdf(0.5 + level / 2.0);
        let half_width = t * standard_error;
        Some(ConfidenceInterval {
            level,
            lower: mean - half_width,
            upper: mean + half_width,
            half_width,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_95_percent_interval_uses_the_student_t_quantile() {
        let mut s = Summary::new();
        [1.0, 2.0, 3.0, 4.0, 5.0].iter().for_each(|&x| s.add(x));
        let ci = s.confidence_interval(0.95).unwrap();
        // t(0.975, 4) = 2.776445; s = sqrt(2.5); n = 5.
        let expected = 2.776_445 * (2.5f64).sqrt() / 5f64.sqrt();
        assert!((ci.half_width - expected).abs() < 1e-5, "{ci:?}");
        assert!((ci.lower + ci.upper) / 2.0 - 3.0 < 1e-12);
    }

    #[test]
    fn one_observation_has_no_interval() {
        let mut s = Summary::new();
        s.add(1.0);
        assert_eq!(s.confidence_interval(0.95), None);
    }
}
