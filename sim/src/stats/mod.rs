//! What the Monte Carlo runner reduces replications into: per metric every value in replication order,
//! its moments, exact quantiles and a confidence interval of its mean. The statistics themselves live in
//! `ucodts-stats`, the ground floor every crate shares; this module keeps what is the runner's own.

mod summary;

pub use summary::{ConfidenceInterval, Summary};
pub use ucodts_stats::{Interval, Moments, SortedSample};
