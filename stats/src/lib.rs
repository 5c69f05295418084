//! The statistics every part of UCODTS shares, on the ground floor: the Monte Carlo runner of `sim`, the
//! plan ranking of `optimizer` and the pages of `reports` compute and print their numbers with these, so
//! a mean, a quantile or an interval means the same thing wherever it appears. It depends on no other
//! part of the project.
//!
//! * [`Moments`]: count, mean, variance, standard error, minimum and maximum in one pass, mergeable.
//! * [`quantiles`]: exact quantiles over every stored value, by Hyndman & Fan's type 7 (the default of
//!   R and numpy), so `min <= p05 <= p50 <= p95 <= max` always holds.
//! * [`Interval`]: an estimate with its confidence interval — [`student_t_interval`] for a mean,
//!   [`wilson_score_interval`] for a proportion, [`paired_difference`] for two plans replayed with the
//!   same random numbers.
//! * [`hash`]: the one stable hash (FNV-1a) and the seed mixer built on it.
//!
//! ```
//! use ucodts_stats::{paired_difference, student_t_interval, wilson_score_interval, Moments, SortedSample};
//!
//! let delays_min = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
//! let moments: Moments = delays_min.into_iter().collect();
//! assert_eq!(moments.mean(), Some(5.0));
//!
//! // Type 7 quantiles, as R's quantile() and numpy's percentile() give them.
//! let sorted = SortedSample::new(delays_min.to_vec());
//! assert_eq!(sorted.quantile(0.5), Some(4.5));
//! assert!((sorted.quantile(0.95).unwrap() - 8.3).abs() < 1e-12);
//!
//! // 95% Student-t interval of the mean: 5 ± 2.3646 · 2.138 / √8.
//! let ci = student_t_interval(&moments, 0.95).unwrap();
//! assert!((ci.lower - 3.2125).abs() < 1e-3 && (ci.upper - 6.7875).abs() < 1e-3);
//!
//! // 15 crew illegalities in 50 runs: Wilson 95% interval 19.1% to 43.8%.
//! let p = wilson_score_interval(15, 50, 0.95).unwrap();
//! assert!((p.lower - 0.191).abs() < 1e-3 && (p.upper - 0.438).abs() < 1e-3);
//!
//! // A plan 1 minute better in every replication is significantly better, whatever the shared noise.
//! let plan: Vec<f64> = delays_min.iter().map(|d| d - 1.0).collect();
//! let d = paired_difference(&plan, &delays_min, 0.95).unwrap();
//! assert_eq!((d.mean, d.lower, d.upper), (-1.0, -1.0, -1.0));
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod hash;
mod interval;
mod moments;
mod paired;
pub mod quantiles;

pub use interval::{
    normal_critical, student_t_critical, student_t_interval, wilson_score_interval, Interval,
};
pub use moments::Moments;
pub use paired::{paired_difference, paired_differences};
pub use quantiles::{percentile_of_sorted, quantile, quantile_of_sorted, SortedSample};
