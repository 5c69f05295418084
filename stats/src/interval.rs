//! An estimate with a two-sided confidence interval, and the two ways this project computes one: the
//! Student-t interval of a mean and the Wilson score interval of a proportion.

use serde::{Deserialize, Deserializer, Serialize};
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

use crate::Moments;

/// An estimate (a mean, or an observed share) with the lower and upper ends of its confidence interval.
///
/// Serialized as `{"mean": …, "lower": …, "upper": …}`, the names the recovery JSON has always used. A
/// number that is not finite is written as `null` (as `serde_json` writes every non-finite `f64`) and
/// read back as NaN.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// The estimate: the sample mean, or the observed share for a proportion.
    #[serde(deserialize_with = "number_or_nan")]
    pub mean: f64,
    /// The lower end of the interval.
    #[serde(deserialize_with = "number_or_nan")]
    pub lower: f64,
    /// The upper end of the interval.
    #[serde(deserialize_with = "number_or_nan")]
    pub upper: f64,
}

fn number_or_nan<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
}

impl Interval {
    /// Whether `x` lies inside the interval, ends included.
    pub fn contains(&self, x: f64) -> bool {
        self.lower <= x && x <= self.upper
    }

    /// Whether zero lies inside the interval: a difference that is not significant.
    pub fn contains_zero(&self) -> bool {
        self.contains(0.0)
    }

    /// Whether the interval lies wholly above or below zero: a significant difference.
    pub fn excludes_zero(&self) -> bool {
        self.lower > 0.0 || self.upper < 0.0
    }

    /// `upper − lower`.
    pub fn width(&self) -> f64 {
        self.upper - self.lower
    }

    /// Half the width: the "±" of "mean ± half width" for a symmetric interval.
    pub fn half_width(&self) -> f64 {
        self.width() / 2.0
    }

    /// The interval of `−X`: mean negated, ends negated and swapped.
    pub fn negated(&self) -> Interval {
        Interval {
            mean: -self.mean,
            lower: -self.upper,
            upper: -self.lower,
        }
    }
}

fn check_level(level: f64) {
    assert!(
        level > 0.0 && level < 1.0,
        "a confidence level is strictly between 0 and 1, got {level}"
    );
}

/// The two-sided critical value of Student's t with `degrees_of_freedom` (at least 1) at `level`: the
/// `(1 + level)/2` quantile, e.g. t(0.975, 4) = 2.776 for `level` 0.95.
///
/// # Panics
/// If `level` is not strictly between 0 and 1, or `degrees_of_freedom` is 0.
pub fn student_t_critical(level: f64, degrees_of_freedom: u64) -> f64 {
    check_level(level);
    assert!(
        degrees_of_freedom >= 1,
        "Student's t needs at least one degree of freedom"
    );
    StudentsT::new(0.0, 1.0, degrees_of_freedom as f64)
        .expect("location 0, scale 1 and at least one degree of freedom are valid")
        .inverse_cdf(0.5 + level / 2.0)
}

/// The two-sided critical value of the standard normal at `level`, e.g. 1.96 for 0.95.
///
/// # Panics
/// If `level` is not strictly between 0 and 1.
pub fn normal_critical(level: f64) -> f64 {
    check_level(level);
    Normal::standard().inverse_cdf(0.5 + level / 2.0)
}

/// The Student-t interval of the mean of the sample summarised by `moments` at `level` (e.g. 0.95):
/// mean ± t((1 + level)/2, n − 1) · s/√n. `None` with fewer than two observations, where no spread can
/// be estimated. A sample without spread gets the degenerate interval `[mean, mean]`.
///
/// ```
/// use ucodts_stats::{student_t_interval, Moments};
/// let sample: Moments = [1.0, 2.0, 3.0, 4.0, 5.0].into_iter().collect();
/// let ci = student_t_interval(&sample, 0.95).unwrap();
/// // t(0.975, 4) = 2.776445, s = √2.5, n = 5: 3 ± 1.963.
/// assert!((ci.lower - 1.036757).abs() < 1e-5 && (ci.upper - 4.963243).abs() < 1e-5);
/// ```
///
/// # Panics
/// If `level` is not strictly between 0 and 1.
pub fn student_t_interval(moments: &Moments, level: f64) -> Option<Interval> {
    check_level(level);
    let mean = moments.mean()?;
    let standard_error = moments.standard_error()?;
    let half = student_t_critical(level, moments.count() - 1) * standard_error;
    Some(Interval {
        mean,
        lower: mean - half,
        upper: mean + half,
    })
}

/// The Wilson score interval of a proportion, `successes` of `trials`, at `level` (Wilson 1927; the
/// interval Agresti & Coull 1998 recommend over the Wald one). Its `mean` is the observed share; unlike
/// mean ± z·√(p(1 − p)/n) it stays inside 0..=1 and is not degenerate when no or every trial succeeded.
/// `None` with no trials.
///
/// ```
/// use ucodts_stats::wilson_score_interval;
/// let none = wilson_score_interval(0, 50, 0.95).unwrap();
/// assert_eq!((none.mean, none.lower), (0.0, 0.0));
/// assert!((none.upper - 0.0714).abs() < 1e-4); // z²/(n + z²)
/// ```
///
/// # Panics
/// If `successes > trials` or `level` is not strictly between 0 and 1.
pub fn wilson_score_interval(successes: u64, trials: u64, level: f64) -> Option<Interval> {
    assert!(
        successes <= trials,
        "{successes} successes cannot come from {trials} trials"
    );
    let z = normal_critical(level);
    if trials == 0 {
        return None;
    }
    let n = trials as f64;
    let p = successes as f64 / n;
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = z / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some(Interval {
        mean: p,
        // The interval always contains p; clamping guards the last bit at p = 0 and p = 1.
        lower: (centre - half).max(0.0).min(p),
        upper: (centre + half).min(1.0).max(p),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn critical_values_match_the_tables() {
        // NIST/SEMATECH e-Handbook 1.3.6.7.2.
        for (df, table) in [(1, 12.7062), (4, 2.7764), (30, 2.0423), (100, 1.9840)] {
            let t = student_t_critical(0.95, df);
            assert!((t - table).abs() < 1e-4, "df {df}: {t}");
        }
        assert!((student_t_critical(0.99, 10) - 3.1693).abs() < 1e-4);
        assert!((normal_critical(0.95) - 1.959_964).abs() < 1e-6);
    }

    #[test]
    fn t_interval_of_a_known_sample() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sample sd 2.138, t(0.975, 7) = 2.3646 -> half width 1.7875.
        let m: Moments = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]
            .into_iter()
            .collect();
        let i = student_t_interval(&m, 0.95).unwrap();
        assert_eq!(i.mean, 5.0);
        assert!((i.half_width() - 1.7875).abs() < 1e-3, "{i:?}");
        assert!((i.upper + i.lower) / 2.0 - 5.0 < 1e-12);
    }

    #[test]
    fn one_observation_has_no_interval_and_no_spread_a_point() {
        let one: Moments = [3.0].into_iter().collect();
        assert_eq!(student_t_interval(&one, 0.95), None);
        let flat: Moments = [3.0; 10].into_iter().collect();
        let point = Interval {
            mean: 3.0,
            lower: 3.0,
            upper: 3.0,
        };
        assert_eq!(student_t_interval(&flat, 0.95), Some(point));
    }

    #[test]
    fn wilson_interval_is_not_degenerate_at_the_ends_and_stays_in_bounds() {
        let all = wilson_score_interval(50, 50, 0.95).unwrap();
        assert_eq!((all.mean, all.upper), (1.0, 1.0));
        assert!((all.lower - (1.0 - 0.0714)).abs() < 1e-4, "{all:?}");
        // 15 of 50: 0.191..0.438.
        let some = wilson_score_interval(15, 50, 0.95).unwrap();
        assert!(
            (some.lower - 0.191).abs() < 1e-3 && (some.upper - 0.438).abs() < 1e-3,
            "{some:?}"
        );
        assert_eq!(wilson_score_interval(0, 0, 0.95), None);
    }

    #[test]
    fn helpers_read_an_interval() {
        let d = Interval {
            mean: -5.0,
            lower: -8.0,
            upper: -2.0,
        };
        assert!(d.excludes_zero() && !d.contains_zero());
        assert_eq!((d.width(), d.half_width()), (6.0, 3.0));
        assert_eq!(
            d.negated(),
            Interval {
                mean: 5.0,
                lower: 2.0,
                upper: 8.0
            }
        );
    }

    proptest! {
        #[test]
        fn a_t_interval_contains_its_mean_and_widens_with_the_level(
            xs in prop::collection::vec(-1e6f64..1e6, 2..100),
        ) {
            let m: Moments = xs.into_iter().collect();
            let narrow = student_t_interval(&m, 0.80).unwrap();
            let wide = student_t_interval(&m, 0.99).unwrap();
            prop_assert!(narrow.contains(narrow.mean));
            prop_assert!(wide.lower <= narrow.lower && narrow.upper <= wide.upper);
        }

        #[test]
        fn a_wilson_interval_contains_the_share_within_zero_to_one(
            trials in 1u64..10_000, share in 0.0f64..=1.0,
        ) {
            let successes = (share * trials as f64).round() as u64;
            let i = wilson_score_interval(successes, trials, 0.95).unwrap();
            prop_assert!(0.0 <= i.lower && i.lower <= i.mean && i.mean <= i.upper && i.upper <= 1.0,
                "{i:?}");
        }
    }
}
