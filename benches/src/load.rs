//! Loading a native data set, against a CSV scan of the same files.

use std::path::Path;

use serde::Serialize;
use ucodts_datasets::{native, DatasetError};

use crate::{median_time, peak_rss_mib};

/// The baseline: every record of every CSV file in `dir` through the csv tokenizer, nothing decoded.
/// Returns the number of records read.
pub fn scan_csv_dir(dir: &Path) -> Result<u64, DatasetError> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| DatasetError::io(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .collect();
    entries.sort();
    let mut records = 0;
    for path in entries {
        let mut reader = csv::Reader::from_path(&path).map_err(|e| DatasetError::File {
            file: path.clone(),
            message: e.to_string(),
        })?;
        let mut record = csv::ByteRecord::new();
        while reader
            .read_byte_record(&mut record)
            .map_err(|e| DatasetError::File {
                file: path.clone(),
                message: e.to_string(),
            })?
        {
            records += 1;
        }
    }
    Ok(records)
}

#[derive(Clone, Debug, Serialize)]
pub struct LoadMeasurement {
    pub legs: u64,
    pub csv_records: u64,
    pub repeats: usize,
    /// Median time of `native::load_dir` (decode, validate, index).
    pub load_ms: f64,
    /// Median time of the baseline CSV scan of the same files.
    pub baseline_scan_ms: f64,
    /// `load_ms / baseline_scan_ms`.
    pub ratio_to_baseline: f64,
    pub load_ms_per_100k_legs: f64,
    /// Peak resident memory of the process after loading, MiB.
    pub peak_rss_mib: Option<f64>,
}

/// Loads the data set in `dir` `repeats` times and scans it as many times; medians of both.
pub fn measure(dir: &Path, repeats: usize) -> Result<LoadMeasurement, DatasetError> {
    let (scan, records) = median_time(repeats, || scan_csv_dir(dir));
    let records = records?;
    let (load, schedule) = median_time(repeats, || native::load_dir(dir));
    let legs = schedule?.legs().len() as u64;
    let (load_ms, baseline_scan_ms) = (load.as_secs_f64() * 1e3, scan.as_secs_f64() * 1e3);
    Ok(LoadMeasurement {
        legs,
        csv_records: records,
        repeats,
        load_ms,
        baseline_scan_ms,
        ratio_to_baseline: load_ms / baseline_scan_ms.max(1e-9),
        load_ms_per_100k_legs: load_ms * 100_000.0 / (legs.max(1) as f64),
        peak_rss_mib: peak_rss_mib(),
    })
}
