//! The product's workflows as a library: what `ucodts` runs from the command line and what a server runs for
//! its users, written once.
//!
//! Each workflow takes a plain request, reports progress through a [`Progress`] callback, and returns a result
//! type that serializes once: the binary prints it as a table or as `--json`, a server sends the same JSON.
//!
//! - [`data`]: data sets in and out (the embedded default, native folders, imports, crew generation);
//! - [`twin`]: Monte Carlo runs of operating days (`simulate`), fitting the delay model, validation against
//!   the record, and a scenario run that fills an HTML report ([`scenario_report`]);
//! - [`scenario`]: the scenario library and the check of scenario files;
//! - [`recovery`]: the recovery loop, from a scenario to ranked plans replayed in the twin;
//! - [`crew_rules`]: flight-time-limitation tables, roster legality and fatigue for crew schedulers;
//! - [`forecast`]: the rolling twin from a live state, and [`forecast_skill`], its report card;
//! - [`crew_bench`] and [`roadef_bench`]: the researchers' benchmarks.
//!
//! ```
//! use ucodts_workflows::{progress::Silent, scenario};
//!
//! let check = scenario::check("captain-no-show", None).unwrap();
//! assert!(check.valid);
//! assert_eq!(check.name, "captain-no-show");
//! assert!(!check.disruptions.is_empty());
//! # let _ = Silent;
//! ```

pub mod crew_bench;
pub mod crew_rules;
pub mod data;
mod error;
pub mod forecast;
pub mod forecast_skill;
pub mod maintenance;
pub mod policy_cmd;
pub mod predict;
pub mod progress;
pub mod recovery;
pub mod roadef_bench;
pub mod scale_bench;
pub mod scenario;
pub mod scenario_report;
pub mod shard;
pub mod text;
pub mod tianchi_bench;
pub mod twin;

pub use error::{Context, Error, Result};
pub use progress::{Progress, Silent};

use serde::Serialize;

/// Writes each `(path, text)` through a temporary file beside it and renames them all into place, so a
/// reader never sees half a file (nor a new file beside an old one of the same set).
pub fn write_files(files: &[(&std::path::Path, String)]) -> Result<()> {
    Ok(ucodts_reports::put_in_place(files)?)
}

/// Where a report was written: the page and the same numbers as CSV and JSON.
#[derive(Debug, Clone, Serialize)]
pub struct ReportFiles {
    pub html: String,
    pub csv: String,
    pub json: String,
}

impl From<&ucodts_reports::WrittenReport> for ReportFiles {
    fn from(w: &ucodts_reports::WrittenReport) -> ReportFiles {
        ReportFiles {
            html: w.html.display().to_string(),
            csv: w.csv.display().to_string(),
            json: w.json.display().to_string(),
        }
    }
}
