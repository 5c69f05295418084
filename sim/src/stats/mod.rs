//! Streaming, mergeable statistics: what the Monte Carlo runner reduces replications into.

mod moments;
mod quantile_sketch;
mod summary;

pub use moments::Moments;
pub use quantile_sketch::QuantileSketch;
pub use summary::{ConfidenceInterval, Summary};
