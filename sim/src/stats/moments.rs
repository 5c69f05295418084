//! Count, mean, variance, minimum and maximum in one pass, mergeable.

use serde::{Deserialize, Serialize};

/// Running moments of a stream of observations: Welford's update for one value, Chan et al.'s formula to
/// merge two partial results. Both are numerically stable; neither is bit-for-bit associative, which is why
/// the Monte Carlo runner always merges in replication order.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Moments {
    count: u64,
    mean: f64,
    /// Sum of squared deviations from the mean.
    m2: f64,
    min: f64,
    max: f64,
}

impl Default for Moments {
    fn default() -> Self {
        Moments {
            count: 0,
            mean: 0.0,
            m2: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }
}

impl Moments {
    /// No observations yet.
    pub fn new() -> Moments {
        Moments::default()
    }

    /// Adds one observation.
    ///
    /// # Panics
    /// If `x` is not finite: a NaN KPI is a bug in the model that computed it.
    pub fn add(&mut self, x: f64) {
        assert!(x.is_finite(), "an observation must be finite, got {x}");
        self.count += 1;
        let delta = x - self.mean;
        self.mean += delta / self.count as f64;
        self.m2 += delta * (x - self.mean);
        self.min = self.min.min(x);
        self.max = self.max.max(x);
    }

    /// Adds everything `other` has seen, as if its observations had been added here one by one.
    pub fn merge(&mut self, other: &Moments) {
        if other.count == 0 {
            return;
        }
        if self.count == 0 {
            *self = *other;
            return;
        }
        let count = self.count + other.count;
        let delta = other.mean - self.mean;
        let weight = other.count as f64 / count as f64;
        self.mean += delta * weight;
        self.m2 += other.m2 + delta * delta * self.count as f64 * weight;
        self.count = count;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }

    /// How many observations.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The mean, if anything was observed.
    pub fn mean(&self) -> Option<f64> {
        (self.count > 0).then_some(self.mean)
    }

    /// The sample variance (divisor n − 1), if at least two observations.
    pub fn variance(&self) -> Option<f64> {
        (self.count > 1).then(|| self.m2 / (self.count - 1) as f64)
    }

    /// The sample standard deviation, if at least two observations.
    pub fn std_dev(&self) -> Option<f64> {
        self.variance().map(f64::sqrt)
    }

    /// The standard error of the mean, if at least two observations.
    pub fn standard_error(&self) -> Option<f64> {
        self.std_dev().map(|s| s / (self.count as f64).sqrt())
    }

    /// The smallest observation.
    pub fn min(&self) -> Option<f64> {
        (self.count > 0).then_some(self.min)
    }

    /// The largest observation.
    pub fn max(&self) -> Option<f64> {
        (self.count > 0).then_some(self.max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
    }

    #[test]
    fn moments_match_the_textbook_formulas() {
        let xs = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        let mut m = Moments::new();
        xs.iter().for_each(|&x| m.add(x));
        assert_eq!(m.count(), 8);
        assert!(close(m.mean().unwrap(), 5.0));
        assert!(close(m.variance().unwrap(), 32.0 / 7.0));
        assert_eq!((m.min(), m.max()), (Some(2.0), Some(9.0)));
    }

    #[test]
    fn merging_partial_moments_equals_adding_everything() {
        let xs: Vec<f64> = (0..1000)
            .map(|i| ((i * 37) % 101) as f64 * 0.5 + 1e6)
            .collect();
        let mut whole = Moments::new();
        xs.iter().for_each(|&x| whole.add(x));
        let mut left = Moments::new();
        let mut right = Moments::new();
        xs[..313].iter().for_each(|&x| left.add(x));
        xs[313..].iter().for_each(|&x| right.add(x));
        left.merge(&right);
        assert_eq!(left.count(), whole.count());
        assert!(close(left.mean().unwrap(), whole.mean().unwrap()));
        assert!(close(left.variance().unwrap(), whole.variance().unwrap()));
        assert_eq!(left.min(), whole.min());
        assert_eq!(left.max(), whole.max());
    }

    #[test]
    fn empty_moments_report_nothing() {
        let mut m = Moments::new();
        assert_eq!((m.mean(), m.variance(), m.min()), (None, None, None));
        m.merge(&Moments::new());
        m.add(3.0);
        assert_eq!((m.mean(), m.variance()), (Some(3.0), None));
    }
}
