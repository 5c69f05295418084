//! Count, mean, variance, minimum and maximum of a sample in one pass, mergeable.

use serde::{Deserialize, Serialize};

/// Running moments of a stream of observations: Welford's update for one value, Chan, Golub and
/// LeVeque's formula to merge two partial results, both numerically stable. The mean it reports is the
/// compensated (Neumaier) sum over the count: for whole numbers the sum is exact, so the mean of twenty
/// counts is the `f64` nearest the true mean (1693.8, not Welford's running 1693.8000000000002). Neither
/// update is bit-for-bit associative, so a caller that wants the same bytes on any thread count merges in
/// a fixed order.
///
/// ```
/// use ucodts_stats::Moments;
/// let m: Moments = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0].into_iter().collect();
/// assert_eq!((m.count(), m.mean(), m.min(), m.max()), (8, Some(5.0), Some(2.0), Some(9.0)));
/// assert!((m.variance().unwrap() - 32.0 / 7.0).abs() < 1e-12);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Moments {
    count: u64,
    /// The sum of the observations, and what rounding has left out of it (Neumaier 1974).
    sum: f64,
    sum_compensation: f64,
    /// Welford's running mean, which `m2` is updated with.
    running_mean: f64,
    /// Sum of squared deviations from the mean.
    m2: f64,
    min: f64,
    max: f64,
}

impl Default for Moments {
    fn default() -> Self {
        Moments {
            count: 0,
            sum: 0.0,
            sum_compensation: 0.0,
            running_mean: 0.0,
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
    /// If `x` is not finite: a NaN statistic is a bug in the model that computed it.
    pub fn add(&mut self, x: f64) {
        assert!(x.is_finite(), "an observation must be finite, got {x}");
        self.count += 1;
        self.add_to_sum(x);
        let delta = x - self.running_mean;
        self.running_mean += delta / self.count as f64;
        self.m2 += delta * (x - self.running_mean);
        self.min = self.min.min(x);
        self.max = self.max.max(x);
    }

    /// Neumaier's step: `sum + sum_compensation` is the sum of everything added, to within one rounding
    /// of the result rather than one per addition.
    fn add_to_sum(&mut self, x: f64) {
        let total = self.sum + x;
        self.sum_compensation += if self.sum.abs() >= x.abs() {
            (self.sum - total) + x
        } else {
            (x - total) + self.sum
        };
        self.sum = total;
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
        let delta = other.running_mean - self.running_mean;
        let weight = other.count as f64 / count as f64;
        self.running_mean += delta * weight;
        self.m2 += other.m2 + delta * delta * self.count as f64 * weight;
        self.count = count;
        self.add_to_sum(other.sum);
        self.sum_compensation += other.sum_compensation;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }

    /// How many observations.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The mean, if anything was observed. Always within [`min`](Moments::min)..=[`max`](Moments::max):
    /// the running update can round a last bit past them (twenty equal values are not always averaged
    /// back to that value exactly), and a mean outside the sample's range is never right.
    pub fn mean(&self) -> Option<f64> {
        (self.count > 0).then(|| {
            ((self.sum + self.sum_compensation) / self.count as f64).clamp(self.min, self.max)
        })
    }

    /// The sample variance (divisor n − 1), if at least two observations.
    pub fn variance(&self) -> Option<f64> {
        (self.count > 1).then(|| self.m2.max(0.0) / (self.count - 1) as f64)
    }

    /// The sample standard deviation, if at least two observations.
    pub fn std_dev(&self) -> Option<f64> {
        self.variance().map(f64::sqrt)
    }

    /// The standard error of the mean, s/√n, if at least two observations.
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

impl Extend<f64> for Moments {
    fn extend<I: IntoIterator<Item = f64>>(&mut self, values: I) {
        values.into_iter().for_each(|x| self.add(x));
    }
}

impl FromIterator<f64> for Moments {
    fn from_iter<I: IntoIterator<Item = f64>>(values: I) -> Moments {
        let mut moments = Moments::new();
        moments.extend(values);
        moments
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
    }

    #[test]
    fn moments_match_the_textbook_formulas() {
        let m: Moments = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]
            .into_iter()
            .collect();
        assert_eq!(m.count(), 8);
        assert!(close(m.mean().unwrap(), 5.0));
        assert!(close(m.variance().unwrap(), 32.0 / 7.0));
        assert!(close(
            m.standard_error().unwrap(),
            (32.0f64 / 7.0 / 8.0).sqrt()
        ));
        assert_eq!((m.min(), m.max()), (Some(2.0), Some(9.0)));
    }

    #[test]
    fn merging_partial_moments_equals_adding_everything() {
        let xs: Vec<f64> = (0..1000)
            .map(|i| ((i * 37) % 101) as f64 * 0.5 + 1e6)
            .collect();
        let whole: Moments = xs.iter().copied().collect();
        let mut left: Moments = xs[..313].iter().copied().collect();
        let right: Moments = xs[313..].iter().copied().collect();
        left.merge(&right);
        assert_eq!(left.count(), whole.count());
        assert!(close(left.mean().unwrap(), whole.mean().unwrap()));
        assert!(close(left.variance().unwrap(), whole.variance().unwrap()));
        assert_eq!(left.min(), whole.min());
        assert_eq!(left.max(), whole.max());
    }

    #[test]
    fn empty_moments_report_nothing_and_one_observation_no_spread() {
        let mut m = Moments::new();
        assert_eq!((m.mean(), m.variance(), m.min()), (None, None, None));
        m.merge(&Moments::new());
        m.add(3.0);
        assert_eq!(
            (m.mean(), m.variance(), m.std_dev()),
            (Some(3.0), None, None)
        );
    }

    #[test]
    fn the_mean_of_whole_numbers_is_the_nearest_f64() {
        // Twenty replications of flown legs summing to 33,876: 1693.8, to the last bit.
        let mut legs = vec![1694.0; 16];
        legs.extend([1691.0, 1692.0, 1694.0, 1695.0]);
        let m: Moments = legs.iter().copied().collect();
        assert_eq!(m.mean(), Some(33_876.0 / 20.0));
        // A sum that plain addition gets wrong: 1e16 + 1 + 1 - 1e16 is 2, not 0 or 4.
        let m: Moments = [1e16, 1.0, 1.0, -1e16].into_iter().collect();
        assert_eq!(m.mean(), Some(0.5));
    }

    #[test]
    #[should_panic(expected = "an observation must be finite")]
    fn a_nan_observation_is_refused() {
        Moments::new().add(f64::NAN);
    }

    proptest! {
        /// The mean of any sample, merged from any split, stays within its range; all-equal samples have
        /// that value as mean and no spread.
        #[test]
        fn the_mean_is_never_outside_the_sample(
            xs in prop::collection::vec(-1e12f64..1e12, 1..200),
            split in 0usize..200,
        ) {
            let split = split.min(xs.len());
            let mut m: Moments = xs[..split].iter().copied().collect();
            m.merge(&xs[split..].iter().copied().collect());
            let (min, max) = (m.min().unwrap(), m.max().unwrap());
            let mean = m.mean().unwrap();
            prop_assert!(min <= mean && mean <= max, "{min} <= {mean} <= {max}");
            prop_assert!(m.variance().map_or(true, |v| v >= 0.0));
        }

        #[test]
        fn an_all_equal_sample_has_its_value_as_mean(x in -1e9f64..1e9, n in 1usize..100) {
            let m: Moments = std::iter::repeat(x).take(n).collect();
            prop_assert_eq!(m.mean(), Some(x));
            prop_assert!(m.std_dev().map_or(true, |s| s <= 1e-6 * x.abs().max(1.0)));
        }
    }
}
