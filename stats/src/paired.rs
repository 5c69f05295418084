//! Paired differences: two samples observed under the same conditions, compared observation by
//! observation.
//!
//! When replication `r` of plan A and of plan B see the same random numbers (common random numbers),
//! the noise they share cancels in `a[r] − b[r]`, and the Student-t interval of the mean difference is
//! much narrower than either plan's own interval: the comparison a controller needs.

use crate::{student_t_interval, Interval, Moments};

/// The moments of `a[i] − b[i]`, added in index order.
///
/// # Panics
/// If the samples differ in length: pairs need partners.
pub fn paired_differences(a: &[f64], b: &[f64]) -> Moments {
    assert_eq!(
        a.len(),
        b.len(),
        "paired samples are equally long: {} against {}",
        a.len(),
        b.len()
    );
    a.iter().zip(b).map(|(x, y)| x - y).collect()
}

/// The mean of `a[i] − b[i]` with its Student-t interval at `level` (e.g. 0.95); `None` with fewer than
/// two pairs. A difference whose interval excludes zero is significant at that level.
///
/// ```
/// use ucodts_stats::paired_difference;
/// // Plan A costs 10 more than plan B in every replication, whatever the shared noise.
/// let b = [100.0, 250.0, 80.0, 300.0];
/// let a = [110.0, 260.0, 90.0, 310.0];
/// let d = paired_difference(&a, &b, 0.95).unwrap();
/// assert_eq!((d.mean, d.lower, d.upper), (10.0, 10.0, 10.0));
/// ```
///
/// # Panics
/// If the samples differ in length, or `level` is not strictly between 0 and 1.
pub fn paired_difference(a: &[f64], b: &[f64], level: f64) -> Option<Interval> {
    student_t_interval(&paired_differences(a, b), level)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn shared_noise_cancels() {
        let noise = [5.0, -40.0, 22.0, 13.0, -7.0, 31.0, -19.0, 2.0];
        let b: Vec<f64> = noise.iter().map(|n| 1000.0 + n).collect();
        let a: Vec<f64> = noise
            .iter()
            .enumerate()
            .map(|(i, n)| 990.0 + n + if i % 2 == 0 { 1.0 } else { -1.0 })
            .collect();
        let paired = paired_difference(&a, &b, 0.95).unwrap();
        let unpaired_a = student_t_interval(&a.iter().copied().collect(), 0.95).unwrap();
        assert!((paired.mean + 10.0).abs() < 1e-9);
        assert!(paired.excludes_zero(), "{paired:?}");
        assert!(paired.width() < unpaired_a.width() / 10.0);
    }

    #[test]
    #[should_panic(expected = "paired samples are equally long: 2 against 3")]
    fn unequal_samples_are_refused() {
        paired_difference(&[1.0, 2.0], &[1.0, 2.0, 3.0], 0.95);
    }

    #[test]
    fn a_single_pair_has_no_interval() {
        assert_eq!(paired_difference(&[1.0], &[0.0], 0.95), None);
    }

    proptest! {
        #[test]
        fn the_mean_difference_is_the_difference_of_means(
            pairs in prop::collection::vec((-1e6f64..1e6, -1e6f64..1e6), 2..100),
        ) {
            let (a, b): (Vec<f64>, Vec<f64>) = pairs.into_iter().unzip();
            let d = paired_difference(&a, &b, 0.95).unwrap();
            let mean = |xs: &[f64]| xs.iter().sum::<f64>() / xs.len() as f64;
            prop_assert!((d.mean - (mean(&a) - mean(&b))).abs() < 1e-6);
            prop_assert!(d.contains(d.mean));
        }
    }
}
