//! The summary of one metric over replications, and its confidence interval.

use serde::{Deserialize, Serialize};
use ucodts_stats::{student_t_interval, Moments, SortedSample};

/// One metric over replications: every value, in the order the replications were added, and their
/// moments. Quantiles are exact (Hyndman & Fan type 7, see [`ucodts_stats::quantiles`]), read off the
/// stored values: a study of 100,000 replications keeps 800 kB per metric.
///
/// The moments are always those of adding the values one by one in order, merges included, so a
/// summary is a function of its sequence of values alone: merging shards in replication order gives the
/// same bytes whatever way the replications were split. Serialized as that sequence of values.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "Vec<f64>", into = "Vec<f64>")]
pub struct Summary {
    values: Vec<f64>,
    moments: Moments,
}

/// A two-sided confidence interval for a mean, as a Monte Carlo report prints it (`ci95` of
/// `ucodts simulate --json`): computed by [`ucodts_stats::student_t_interval`], with the level it was
/// computed at and its half width.
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

    /// Adds one observation, after those already added.
    ///
    /// # Panics
    /// If `x` is not finite.
    pub fn add(&mut self, x: f64) {
        self.moments.add(x);
        self.values.push(x);
    }

    /// Adds everything `other` has seen, after what this one has: the same as adding `other`'s values
    /// here one by one, to the last bit.
    pub fn merge(&mut self, other: &Summary) {
        self.values.reserve(other.values.len());
        other.values.iter().for_each(|&x| self.add(x));
    }

    /// Count, mean, variance, minimum and maximum.
    pub fn moments(&self) -> &Moments {
        &self.moments
    }

    /// Every observation, in the order it was added.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// The observations sorted, to read several quantiles with one sort.
    pub fn sorted(&self) -> SortedSample {
        SortedSample::new(self.values.clone())
    }

    /// How many observations.
    pub fn count(&self) -> u64 {
        self.moments.count()
    }

    /// The mean, if anything was observed; always within the minimum and maximum.
    pub fn mean(&self) -> Option<f64> {
        self.moments.mean()
    }

    /// The exact type 7 `q`-quantile (see [`ucodts_stats::quantiles`]), `None` if nothing was observed.
    ///
    /// # Panics
    /// If `q` is not in [0, 1].
    pub fn quantile(&self, q: f64) -> Option<f64> {
        self.sorted().quantile(q)
    }

    /// The Student-t confidence interval for the mean at `level` (e.g. 0.95): mean ± t(level, n−1)·s/√n.
    /// `None` with fewer than two observations, where no interval can be estimated.
    ///
    /// # Panics
    /// If `level` is not strictly between 0 and 1.
    pub fn confidence_interval(&self, level: f64) -> Option<ConfidenceInterval> {
        let interval = student_t_interval(&self.moments, level)?;
        Some(ConfidenceInterval {
            level,
            lower: interval.lower,
            upper: interval.upper,
            half_width: interval.half_width(),
        })
    }
}

impl TryFrom<Vec<f64>> for Summary {
    type Error = String;

    /// The summary of `values` added in order; an error naming the first value that is not finite.
    fn try_from(values: Vec<f64>) -> Result<Summary, String> {
        if let Some((index, bad)) = values.iter().enumerate().find(|(_, x)| !x.is_finite()) {
            return Err(format!(
                "value {index} of a summary is {bad}; observations must be finite"
            ));
        }
        let mut summary = Summary::new();
        summary.values.reserve(values.len());
        values.into_iter().for_each(|x| summary.add(x));
        Ok(summary)
    }
}

impl From<Summary> for Vec<f64> {
    fn from(summary: Summary) -> Vec<f64> {
        summary.values
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(values: &[f64]) -> Summary {
        Summary::try_from(values.to_vec()).expect("finite values")
    }

    #[test]
    fn the_95_percent_interval_uses_the_student_t_quantile() {
        let ci = summary(&[1.0, 2.0, 3.0, 4.0, 5.0])
            .confidence_interval(0.95)
            .unwrap();
        // t(0.975, 4) = 2.776445; s = sqrt(2.5); n = 5.
        let expected = 2.776_445 * (2.5f64).sqrt() / 5f64.sqrt();
        assert!((ci.half_width - expected).abs() < 1e-5, "{ci:?}");
        assert!(((ci.lower + ci.upper) / 2.0 - 3.0).abs() < 1e-12);
        assert_eq!(ci.level, 0.95);
    }

    #[test]
    fn one_observation_has_no_interval() {
        assert_eq!(summary(&[1.0]).confidence_interval(0.95), None);
    }

    #[test]
    fn quantiles_are_exact_order_statistics_not_bucket_midpoints() {
        // Twenty replications of a count KPI; the sketch this replaced printed p50 = 1.00390625.
        let mut counts = vec![1.0; 12];
        counts.extend([0.0, 0.0, 2.0, 2.0, 2.0, 3.0, 3.0, 5.0]);
        let s = summary(&counts);
        assert_eq!(s.quantile(0.5), Some(1.0));
        assert_eq!(s.quantile(0.0), Some(0.0));
        assert_eq!(s.quantile(1.0), Some(5.0));
        assert!((s.quantile(0.95).unwrap() - 3.1).abs() < 1e-12); // 3 + 0.05·(5 − 3)
    }

    #[test]
    fn merging_in_order_is_adding_one_by_one_to_the_last_bit() {
        let xs: Vec<f64> = (0..1000)
            .map(|i| ((i * 37) % 101) as f64 * 0.1 + 1e6)
            .collect();
        let whole = summary(&xs);
        let mut merged = summary(&xs[..313]);
        merged.merge(&summary(&xs[313..700]));
        merged.merge(&summary(&xs[700..]));
        assert_eq!(merged, whole);
        assert_eq!(merged.values(), &xs[..]);
    }

    #[test]
    fn a_summary_serializes_as_its_values_and_reads_back_the_same() {
        let s = summary(&[3.0, 1.5, 2.0]);
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, "[3.0,1.5,2.0]");
        assert_eq!(serde_json::from_str::<Summary>(&json).unwrap(), s);
        assert!(Summary::try_from(vec![1.0, f64::NAN])
            .unwrap_err()
            .contains("value 1"));
    }
}
