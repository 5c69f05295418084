//! Disruption scenarios by name or file: the library's list, reading a scenario and its data set, and the
//! check of a scenario file against its data set without running it.

use std::path::{Path, PathBuf};

use serde::Serialize;
use ucodts_model::Schedule;
use ucodts_scenarios::{find, library, DataSet, Scenario, ScenarioFile};

use crate::error::{Context, Result};
use crate::{bail, data};

/// A library scenario as `scenario list` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ListedScenario {
    pub name: String,
    pub description: String,
    /// The kinds of its disruptions (`airport_capacity`, `aircraft_unavailable`, ...).
    pub disruptions: Vec<String>,
}

/// The named scenarios shipped with UCODTS, in the library's order.
pub fn list() -> Result<Vec<ListedScenario>> {
    let files = library()
        .iter()
        .map(|s| ScenarioFile::parse(s.file, s.text))
        .collect::<Result<Vec<_>, _>>()
        .context("a library scenario does not parse (a bug: the library is tested)")?;
    Ok(files
        .iter()
        .map(|f| ListedScenario {
            name: f.name().to_string(),
            description: f.description().to_string(),
            disruptions: f.kinds().iter().map(|k| k.to_string()).collect(),
        })
        .collect())
}

/// A scenario file or library scenario by name: (file name, parsed file, the folder its `data` is relative to).
pub fn read(scenario: &str) -> Result<(String, ScenarioFile, PathBuf)> {
    let path = Path::new(scenario);
    let (file_name, text, base_dir) = if path.is_file() {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading the scenario file {}", path.display()))?;
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        (path.display().to_string(), text, dir)
    } else if let Some(s) = find(scenario) {
        (s.file.to_string(), s.text.to_string(), PathBuf::new())
    } else {
        bail!("`{scenario}` is neither a scenario file nor a library scenario (see `ucodts scenario list`)");
    };
    let file = ScenarioFile::parse(&file_name, &text)?;
    Ok((file_name, file, base_dir))
}

/// The data set folder of a scenario: `data` when given, else the file's `data` (beside the file), else `None`
/// for the embedded default.
pub fn data_dir(file: &ScenarioFile, base_dir: &Path, data: Option<&Path>) -> Option<PathBuf> {
    match (data, file.data()) {
        (Some(dir), _) => Some(dir.to_path_buf()),
        (None, DataSet::Embedded) => None,
        (None, DataSet::Path(p)) => Some(base_dir.join(p)),
    }
}

/// A scenario read, its data set loaded and the scenario validated against it.
pub struct LoadedScenario {
    /// The file's name (a library scenario's `library/NAME.toml`).
    pub file_name: String,
    pub schedule: Schedule,
    pub scenario: Scenario,
    /// The data set folder, `None` for the embedded default.
    pub data_dir: Option<PathBuf>,
}

/// Reads a scenario by name or file, loads its data set (`data` overrides the file's) and validates it.
pub fn load(scenario: &str, data: Option<&Path>) -> Result<LoadedScenario> {
    let (file_name, file, base_dir) = read(scenario)?;
    let data_dir = data_dir(&file, &base_dir, data);
    let schedule = data::data_or_default(data_dir.as_deref())?;
    let scenario = file.validate(&schedule)?;
    Ok(LoadedScenario {
        file_name,
        schedule,
        scenario,
        data_dir,
    })
}

/// One disruption of a checked scenario, with its window in UTC.
#[derive(Debug, Clone, Serialize)]
pub struct CheckedDisruption {
    pub kind: String,
    pub from: String,
    pub to: String,
}

/// What `scenario check` reports of a valid scenario.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioCheck {
    pub file: String,
    pub name: String,
    pub valid: bool,
    pub from: String,
    pub to: String,
    pub replications: u32,
    pub seed: u64,
    pub disruptions: Vec<CheckedDisruption>,
}

/// Validates a scenario against its data set without running it; an invalid one is an error naming the
/// file, the line and the field.
pub fn check(scenario: &str, data: Option<&Path>) -> Result<ScenarioCheck> {
    let loaded = load(scenario, data)?;
    let s = &loaded.scenario;
    Ok(ScenarioCheck {
        file: loaded.file_name.clone(),
        name: s.name.clone(),
        valid: true,
        from: s.from.to_string(),
        to: s.to.to_string(),
        replications: s.replications,
        seed: s.seed,
        disruptions: s
            .disruptions
            .iter()
            .map(|d| {
                let (from, to) = d.window();
                CheckedDisruption {
                    kind: d.kind().to_string(),
                    from: from.to_string(),
                    to: to.to_string(),
                }
            })
            .collect(),
    })
}
