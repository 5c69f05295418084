//! The recovery report: the plans the optimizer proposed after a disruption, each replayed in the twin
//! with common random numbers, compared with each other and with doing nothing — what a controller reads
//! before accepting one. One self-contained HTML page (the recommendation and why first, a comparison
//! table with 95% intervals, three charts, then a section per plan: its actions in words, legality and
//! fatigue of every affected crew member, its cost breakdown) and the same numbers as long-form CSV and
//! as JSON tagged [`JSON_FORMAT`].
//!
//! [`RecoveryReport`] is plain data the `ucodts` binary fills from `ucodts recover`; like the scenario
//! report, this module computes nothing about the airline, and its bytes are a function of its input.
//!
//! Its parts: `plans` and `kpis` hold the input (the report, its plans and their Monte Carlo KPIs),
//! `page` draws the HTML page with the charts of `charts`, `export` writes the CSV and JSON, `numbers`
//! says how a number and a difference read for a controller, and `sample` is a made-up report.
//!
//! ```
//! use ucodts_reports::recovery;
//! let report = recovery::sample(); // made-up numbers
//! let page = recovery::page(&report);
//! assert!(page.contains(r#"data-chart="expected-cost""#));
//! let dir = tempfile::tempdir()?;
//! let written = recovery::write_recovery_report(&report, &dir.path().join("plans.html"))?;
//! assert!(written.json.ends_with("plans.json") && written.csv.exists());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::path::Path;

use crate::files::{paths, publish, WrittenReport};
use crate::ReportError;

mod charts;
mod export;
mod kpis;
mod numbers;
mod page;
mod plans;
mod sample;

pub use charts::CHARTS;
pub use export::{from_json, to_csv, to_json, JSON_FORMAT};
pub use kpis::{Interval, KpiInfo, KpiSet, KpiUnit, KPIS};
pub use page::page;
pub use plans::{
    fatigue_alert_kss, ActionView, CostTerm, CrewView, DutyView, PlanView, RecoveryReport,
};
pub use sample::sample;

/// Renders `report` and writes `html_path` with the CSV and JSON beside it (`plans.html` →
/// `plans.csv`, `plans.json`), published as one unit (`files::publish`): on an error no file is half
/// written and the error names the path.
pub fn write_recovery_report(
    report: &RecoveryReport,
    html_path: &Path,
) -> Result<WrittenReport, ReportError> {
    let out = paths(html_path)?;
    publish(&out, page(report), to_csv(report)?, to_json(report)?)?;
    Ok(out)
}
