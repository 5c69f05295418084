use std::path::PathBuf;

/// What can go wrong writing a report.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A file of the report could not be written (or moved into place).
    #[error("cannot write {path}: {message}")]
    Write {
        /// The file that was being written.
        path: PathBuf,
        /// What the system said.
        message: String,
    },
    /// The HTML path leaves no room for the CSV and JSON beside it (it already ends in `.csv` or `.json`).
    #[error("report path {path}: give a name ending in .html, so that the .csv and .json can go beside it")]
    Path {
        /// The path given.
        path: PathBuf,
    },
    /// The JSON could not be produced (a bug).
    #[error("serialising the report as JSON: {0}")]
    Json(String),
    /// The CSV could not be produced (a bug).
    #[error("serialising the report as CSV: {0}")]
    Csv(String),
}
