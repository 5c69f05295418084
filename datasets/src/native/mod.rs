//! The native on-disk format: one folder holding `manifest.json` and one CSV file per [`Table`], the form in
//! which UCODTS keeps a [`Schedule`] between runs. `docs/native-format.md` describes it for users.
//!
//! What holds:
//! - **Exact round trip.** [`load_dir`] gives back the schedule [`write_dir`] was given, and writing it again
//!   gives the same bytes. A value the format cannot hold exactly is refused when writing.
//! - **Deterministic output.** The bytes depend only on the schedule: tables in their stored order, no
//!   timestamps, no hash order.
//! - **Whole or nothing.** Loading parses every file before checking the schedule; any error stops it with
//!   the file, line and column. Writing goes to a temporary folder renamed into place at the end.
//!
//! ```
//! use ucodts_datasets::native;
//! use ucodts_model::{Schedule, ScheduleParts};
//!
//! let folder = tempfile::tempdir().unwrap();
//! let dir = folder.path().join("empty-set");
//! let schedule = Schedule::new(ScheduleParts::default()).unwrap();
//! native::write_dir(&schedule, &dir, "empty", "made in a doctest").unwrap();
//! assert_eq!(native::read_manifest(&dir).unwrap().source, "made in a doctest");
//! assert_eq!(native::load_dir(&dir).unwrap().parts(), schedule.parts());
//! ```

mod manifest;
mod publish;
mod read;
mod schema;
mod write;

use std::path::Path;

use ucodts_model::{Schedule, Table};

use crate::DatasetError;

pub use manifest::{read_manifest, Manifest, ManifestFile, FORMAT, MANIFEST_FILE, VERSION};

/// Writes `schedule` as a native data set in the folder `dir`, with `manifest_name` and `source` (free text:
/// where the data came from) in its manifest.
///
/// `dir` must not exist, be empty, or hold a native data set (a `manifest.json`), which is then replaced
/// whole; any other folder is refused. Nothing is changed in `dir` unless the whole data set was written.
pub fn write_dir(
    schedule: &Schedule,
    dir: &Path,
    manifest_name: &str,
    source: &str,
) -> Result<(), DatasetError> {
    publish::replace_dir(dir, |staging| {
        let rows = write::write_tables(schedule, staging, dir)?;
        let manifest = manifest::build(manifest_name, source, |t: Table| {
            rows[Table::ALL
                .iter()
                .position(|&u| u == t)
                .expect("Table::ALL holds every table")]
        });
        let path = staging.join(MANIFEST_FILE);
        std::fs::write(&path, manifest::to_json(&manifest))
            .and_then(|()| std::fs::File::open(&path)?.sync_all())
            .map_err(|e| DatasetError::io(dir.join(MANIFEST_FILE), e))
    })
}

/// Reads the native data set in `dir` and checks it as a whole: either a consistent `Schedule` or the first
/// error, with the file, line and column it was found at.
pub fn load_dir(dir: &Path) -> Result<Schedule, DatasetError> {
    read::load(dir)
}
