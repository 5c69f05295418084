//! Benchmark workloads of UCODTS and the baselines they are measured against, shared by the criterion
//! benches (`cargo bench -p ucodts-benches`) and by `ucodts bench`, which prints ratios measured in one run.
//!
//! A baseline is the simplest program that does the unavoidable part of the same work: for loading a data
//! set, pushing every byte of its CSV files through the CSV tokenizer without decoding a single field.
//! A ratio to it says how much our decoding, validation and indexing cost on top, independent of how fast
//! or loaded the machine is.

pub mod airline_day;
pub mod load;

use std::time::{Duration, Instant};

/// Runs `work` `repeats` times (at least once) and returns the median wall time.
pub fn median_time<T>(repeats: usize, mut work: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..repeats.max(1) {
        let start = Instant::now();
        let out = std::hint::black_box(work());
        times.push(start.elapsed());
        last = Some(out);
    }
    times.sort();
    (times[times.len() / 2], last.expect("ran at least once"))
}

/// The peak resident memory of this process so far, in MiB (Linux; `None` elsewhere).
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}
