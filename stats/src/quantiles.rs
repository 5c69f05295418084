//! Exact quantiles of a stored sample, by one textbook definition.
//!
//! **The definition** is Hyndman & Fan's type 7 ("Sample quantiles in statistical packages", The American
//! Statistician 50(4), 1996), the default of R's `quantile` and of numpy's `percentile`: over the sample
//! sorted ascending, `x[0] <= … <= x[n−1]`, the `q`-quantile is
//!
//! ```text
//! h = (n − 1)·q,   j = ⌊h⌋,   Q(q) = x[j] + (h − j)·(x[j+1] − x[j])
//! ```
//!
//! the linear interpolation between the two order statistics around rank `h`. `Q(0)` is the minimum,
//! `Q(1)` the maximum, and `Q` never decreases in `q`. Over integer values, `Q(q)` is an integer plus
//! `h − j` times an integer: over 20 replications `h = 19·q`, so at `q = 0.05, 0.5, 0.95` the fraction
//! is 0.95, 0.5 and 0.05, and p05, p50 and p95 are multiples of `1/20`.
//!
//! **Percentiles** ([`SortedSample::percentile`]) take `q` as a whole percent and do the rank arithmetic
//! in integers: `0.95` has no exact `f64`, so `quantile(0.95)` can land a last bit off (43.050000000000004)
//! where `percentile(95)` gives the `f64` nearest the true value (43.05) for samples of whole numbers.
//! Both never decrease in `q` and stay between the two order statistics they interpolate.
//!
//! Why exact and not a sketch: a Monte Carlo study keeps at most some hundred thousand values per metric,
//! which is a few megabytes, and a sketch's bucket midpoints are not values any textbook would report
//! (1.00390625 legs where the replications say 1).

/// A sample sorted ascending: sort once, read any number of quantiles.
///
/// ```
/// use ucodts_stats::SortedSample;
/// let sample = SortedSample::new(vec![3.0, 1.0, 4.0, 1.0, 5.0]);
/// assert_eq!(sample.as_slice(), &[1.0, 1.0, 3.0, 4.0, 5.0]);
/// assert_eq!(sample.quantile(0.5), Some(3.0));
/// assert_eq!(sample.quantile(0.9), Some(4.6)); // h = 3.6: 4 + 0.6·(5 − 4)
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SortedSample {
    values: Vec<f64>,
}

impl SortedSample {
    /// Sorts `values`.
    ///
    /// # Panics
    /// If a value is not finite: a NaN has no place in an order.
    pub fn new(mut values: Vec<f64>) -> SortedSample {
        if let Some(bad) = values.iter().find(|x| !x.is_finite()) {
            panic!("a quantile is taken over finite values, got {bad}");
        }
        values.sort_by(f64::total_cmp);
        SortedSample { values }
    }

    /// The values, ascending.
    pub fn as_slice(&self) -> &[f64] {
        &self.values
    }

    /// How many values.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The smallest value.
    pub fn min(&self) -> Option<f64> {
        self.values.first().copied()
    }

    /// The largest value.
    pub fn max(&self) -> Option<f64> {
        self.values.last().copied()
    }

    /// The type 7 `q`-quantile (module doc), `None` if the sample is empty.
    ///
    /// # Panics
    /// If `q` is not in [0, 1].
    pub fn quantile(&self, q: f64) -> Option<f64> {
        quantile_of_sorted(&self.values, q)
    }

    /// The type 7 quantile at `percent`/100 with the rank in integer arithmetic (module doc), `None` if
    /// the sample is empty.
    ///
    /// ```
    /// use ucodts_stats::SortedSample;
    /// let mut cancelled = vec![39.0; 18];
    /// cancelled.extend([43.0, 44.0]);
    /// let sample = SortedSample::new(cancelled);
    /// assert_eq!(sample.percentile(95), Some(43.05)); // h = 18.05: 43 + 0.05·(44 − 43)
    /// ```
    ///
    /// # Panics
    /// If `percent` is above 100.
    pub fn percentile(&self, percent: u32) -> Option<f64> {
        percentile_of_sorted(&self.values, percent)
    }
}

/// The type 7 `q`-quantile (module doc) of `sorted`, which must be ascending; `None` if it is empty.
///
/// # Panics
/// If `q` is not in [0, 1].
pub fn quantile_of_sorted(sorted: &[f64], q: f64) -> Option<f64> {
    assert!((0.0..=1.0).contains(&q), "a quantile is in [0, 1], got {q}");
    debug_assert!(
        sorted.windows(2).all(|w| w[0] <= w[1]),
        "quantile_of_sorted needs ascending values"
    );
    let last = sorted.len().checked_sub(1)?;
    let h = q * last as f64;
    let j = (h.floor() as usize).min(last);
    let below = sorted[j];
    if j == last {
        return Some(below);
    }
    let above = sorted[j + 1];
    // Rounding could put the interpolation a last bit outside its two neighbours; clamping keeps every
    // quantile between them, so quantiles never decrease in `q` and stay within min..=max.
    Some((below + (h - j as f64) * (above - below)).clamp(below, above))
}

/// [`SortedSample::percentile`] of `sorted`, which must be ascending; `None` if it is empty.
///
/// # Panics
/// If `percent` is above 100.
pub fn percentile_of_sorted(sorted: &[f64], percent: u32) -> Option<f64> {
    assert!(percent <= 100, "a percentile is in 0..=100, got {percent}");
    debug_assert!(
        sorted.windows(2).all(|w| w[0] <= w[1]),
        "percentile_of_sorted needs ascending values"
    );
    let last = sorted.len().checked_sub(1)? as u64;
    // h = last·percent/100 = j + remainder/100, exactly.
    let rank_times_100 = last * u64::from(percent);
    let j = (rank_times_100 / 100) as usize;
    let remainder = rank_times_100 % 100;
    let below = sorted[j];
    if remainder == 0 {
        return Some(below);
    }
    let above = sorted[j + 1];
    let r = remainder as f64;
    let value = if is_whole(below) && is_whole(above) {
        // (below·(100 − r) + above·r) is an exact integer here, so one rounding gives the f64 nearest the
        // true value; adding a rounded step to `below` would not (−1 + 0.95 is −0.050000000000000044).
        (below * (100.0 - r) + above * r) / 100.0
    } else {
        // Never decreases in `r`: every operation is monotone for a fixed pair of neighbours.
        below + r * (above - below) / 100.0
    };
    Some(value.clamp(below, above))
}

/// Whether `x` is a whole number small enough that 100·x is exact.
fn is_whole(x: f64) -> bool {
    /// 2^46: 100·2^46 < 2^53, below which every integer is an f64.
    const EXACT_TIMES_100: f64 = 70_368_744_177_664.0;
    x.fract() == 0.0 && x.abs() <= EXACT_TIMES_100
}

/// The type 7 `q`-quantile (module doc) of `values` in any order; `None` if there are none.
///
/// # Panics
/// If `q` is not in [0, 1] or a value is not finite.
pub fn quantile(values: &[f64], q: f64) -> Option<f64> {
    SortedSample::new(values.to_vec()).quantile(q)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn quantiles_match_r_and_numpy() {
        // R: quantile(c(2, 4, 4, 4, 5, 5, 7, 9), c(.05, .25, .5, .75, .95)) = 2.70 4.00 4.50 5.50 8.30
        let sample = SortedSample::new(vec![9.0, 2.0, 4.0, 5.0, 4.0, 7.0, 4.0, 5.0]);
        let got: Vec<f64> = [0.05, 0.25, 0.5, 0.75, 0.95]
            .iter()
            .map(|&q| sample.quantile(q).unwrap())
            .collect();
        for (g, want) in got.iter().zip([2.7, 4.0, 4.5, 5.5, 8.3]) {
            assert!((g - want).abs() < 1e-12, "{got:?}");
        }
        assert_eq!(
            (sample.quantile(0.0), sample.quantile(1.0)),
            (Some(2.0), Some(9.0))
        );
    }

    #[test]
    fn over_twenty_counts_quantiles_are_multiples_of_a_twentieth() {
        // What `simulate --reps 20` reports for a count KPI: 1,692 legs flown in most replications.
        let mut legs = vec![1692.0; 14];
        legs.extend([1690.0, 1691.0, 1693.0, 1695.0, 1699.0, 1702.0]);
        let sample = SortedSample::new(legs);
        for q in [0.05, 0.5, 0.95] {
            let x = sample.quantile(q).unwrap();
            assert!((x * 20.0 - (x * 20.0).round()).abs() < 1e-6, "q {q}: {x}");
        }
        assert_eq!(sample.percentile(5), Some(1690.95));
        assert_eq!(sample.percentile(50), Some(1692.0));
        assert_eq!(sample.percentile(95), Some(1699.15));
    }

    #[test]
    fn percentiles_of_counts_are_the_nearest_f64_to_the_true_value() {
        // 0 + 0.05·(41 − 0) = 2.05 and 6 + 0.05·(7 − 6) = 6.05, where the f64 q = 0.95 and the f64
        // rank 19·0.95 would each leave a last bit.
        let mut counts = vec![0.0; 19];
        counts.push(41.0);
        assert_eq!(SortedSample::new(counts).percentile(95), Some(2.05));
        let mut counts = vec![6.0; 19];
        counts.push(7.0);
        assert_eq!(SortedSample::new(counts).percentile(95), Some(6.05));
        assert_eq!(percentile_of_sorted(&[], 50), None);
        assert_eq!(percentile_of_sorted(&[2.0, 4.0], 100), Some(4.0));
    }

    #[test]
    fn an_empty_sample_has_no_quantile_and_a_single_value_is_every_quantile() {
        assert_eq!(quantile(&[], 0.5), None);
        for q in [0.0, 0.05, 0.5, 0.95, 1.0] {
            assert_eq!(quantile(&[42.5], q), Some(42.5));
        }
    }

    #[test]
    #[should_panic(expected = "a quantile is in [0, 1]")]
    fn a_quantile_outside_zero_to_one_is_refused() {
        quantile(&[1.0], 1.5);
    }

    /// The definition written out a second way: the weighted average of the two neighbouring order
    /// statistics, on an independently sorted copy.
    fn textbook(values: &[f64], q: f64) -> f64 {
        let mut sorted = values.to_vec();
        sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let h = q * (sorted.len() - 1) as f64;
        let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
        let g = h - lo as f64;
        (1.0 - g) * sorted[lo] + g * sorted[hi]
    }

    fn samples() -> impl Strategy<Value = Vec<f64>> {
        prop_oneof![
            prop::collection::vec(-1e6f64..1e6, 1..300),
            // Integer-valued, like counts of legs.
            prop::collection::vec((0i64..40).prop_map(|x| x as f64 + 1600.0), 1..60),
            // All equal.
            ((-1e6f64..1e6), 1usize..50).prop_map(|(x, n)| vec![x; n]),
            // A single value.
            (-1e9f64..1e9).prop_map(|x| vec![x]),
        ]
    }

    proptest! {
        #[test]
        fn quantiles_are_ordered_and_within_the_sample(xs in samples()) {
            let sample = SortedSample::new(xs.clone());
            let (min, max) = (sample.min().unwrap(), sample.max().unwrap());
            let [p05, p50, p95] = [0.05, 0.5, 0.95].map(|q| sample.quantile(q).unwrap());
            prop_assert!(min <= p05 && p05 <= p50 && p50 <= p95 && p95 <= max,
                "{min} {p05} {p50} {p95} {max}");
            prop_assert_eq!(min, xs.iter().copied().fold(f64::INFINITY, f64::min));
            prop_assert_eq!(max, xs.iter().copied().fold(f64::NEG_INFINITY, f64::max));
        }

        #[test]
        fn quantiles_agree_with_the_sorted_sample_definition(xs in samples(), q in 0.0f64..=1.0) {
            let got = quantile(&xs, q).unwrap();
            let want = textbook(&xs, q);
            let scale = xs.iter().fold(1.0f64, |m, x| m.max(x.abs()));
            prop_assert!((got - want).abs() <= 1e-12 * scale, "q {q}: {got} vs {want}");
        }

        #[test]
        fn quantiles_never_decrease_in_q(xs in samples(), a in 0.0f64..=1.0, b in 0.0f64..=1.0) {
            let sample = SortedSample::new(xs);
            let (lo, hi) = (a.min(b), a.max(b));
            prop_assert!(sample.quantile(lo).unwrap() <= sample.quantile(hi).unwrap());
        }

        #[test]
        fn percentiles_are_ordered_and_agree_with_the_sorted_sample_definition(
            xs in samples(), a in 0u32..=100, b in 0u32..=100,
        ) {
            let sample = SortedSample::new(xs.clone());
            let (lo, hi) = (a.min(b), a.max(b));
            let (p_lo, p_hi) = (sample.percentile(lo).unwrap(), sample.percentile(hi).unwrap());
            prop_assert!(sample.min().unwrap() <= p_lo && p_lo <= p_hi && p_hi <= sample.max().unwrap());
            let want = textbook(&xs, f64::from(a) / 100.0);
            let scale = xs.iter().fold(1.0f64, |m, x| m.max(x.abs()));
            prop_assert!((sample.percentile(a).unwrap() - want).abs() <= 1e-12 * scale);
        }

        #[test]
        fn over_twenty_integers_p05_p50_p95_are_multiples_of_a_twentieth(
            xs in prop::collection::vec((-50i64..2000).prop_map(|x| x as f64), 20..=20),
        ) {
            let sample = SortedSample::new(xs);
            for q in [0.05, 0.5, 0.95] {
                let x = sample.quantile(q).unwrap();
                prop_assert!((x * 20.0 - (x * 20.0).round()).abs() < 1e-9, "q {q}: {x}");
            }
            for percent in [5, 50, 95] {
                // To the last bit: the f64 nearest a multiple of 1/20.
                let x = sample.percentile(percent).unwrap();
                prop_assert_eq!(x, (x * 20.0).round() / 20.0, "p{}", percent);
            }
        }
    }
}
