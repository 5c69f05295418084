//! `ucodts scenario`: the disruption-scenario library and the validation of scenario files.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use serde::Serialize;
use ucodts_scenarios::{find, library, DataSet, ScenarioFile};

#[derive(Subcommand)]
pub enum ScenarioWhat {
    /// The named scenarios shipped with ucodts (all valid on the embedded default).
    List {
        /// Print a JSON list of objects with `name`, `description` and `disruptions` (their kinds).
        #[arg(long)]
        json: bool,
    },
    /// Validate a scenario file (or a library scenario by name) against its data set, without running it.
    Check {
        /// A scenario file, or the name of a library scenario.
        scenario: String,
        /// A native data set folder; overrides the file's `data`.
        #[arg(long)]
        data: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Serialize)]
struct Listed<'a> {
    name: &'a str,
    description: &'a str,
    disruptions: Vec<&'a str>,
}

pub fn run(what: ScenarioWhat) -> Result<()> {
    match what {
        ScenarioWhat::List { json } => list(json),
        ScenarioWhat::Check {
            scenario,
            data,
            json,
        } => check(&scenario, data.as_deref(), json),
    }
}

fn list(json: bool) -> Result<()> {
    let files = library()
        .iter()
        .map(|s| ScenarioFile::parse(s.file, s.text))
        .collect::<Result<Vec<_>, _>>()
        .context("a library scenario does not parse (a bug: the library is tested)")?;
    let listed: Vec<Listed> = files
        .iter()
        .map(|f| Listed {
            name: f.name(),
            description: f.description(),
            disruptions: f.kinds(),
        })
        .collect();
    if json {
        println!("{}", serde_json::to_string_pretty(&listed)?);
        return Ok(());
    }
    let width = listed.iter().map(|l| l.name.len()).max().unwrap_or(0);
    println!("Scenario library ({} scenarios)", listed.len());
    for l in &listed {
        println!("  {:width$}  {}", l.name, l.description);
    }
    Ok(())
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

/// The data set folder of a scenario: `--data`, else the file's `data` (beside the file), else `None` for the
/// embedded default.
pub fn data_dir(file: &ScenarioFile, base_dir: &Path, data: Option<&Path>) -> Option<PathBuf> {
    match (data, file.data()) {
        (Some(dir), _) => Some(dir.to_path_buf()),
        (None, DataSet::Embedded) => None,
        (None, DataSet::Path(p)) => Some(base_dir.join(p)),
    }
}

fn check(scenario: &str, data: Option<&Path>, json: bool) -> Result<()> {
    let (file_name, file, base_dir) = read(scenario)?;
    let schedule = match (data, file.data()) {
        (Some(dir), _) => super::load(dir)?,
        (None, DataSet::Embedded) => super::default_with_crew()?,
        (None, DataSet::Path(p)) => super::load(&base_dir.join(p))?,
    };
    let scenario = file.validate(&schedule)?;
    if json {
        let disruptions: Vec<_> = scenario
            .disruptions
            .iter()
            .map(|d| {
                let (from, to) = d.window();
                serde_json::json!({"kind": d.kind(), "from": from.to_string(), "to": to.to_string()})
            })
            .collect();
        let out = serde_json::json!({
            "file": file_name,
            "name": scenario.name,
            "valid": true,
            "from": scenario.from.to_string(),
            "to": scenario.to.to_string(),
            "replications": scenario.replications,
            "seed": scenario.seed,
            "disruptions": disruptions,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    println!(
        "{file_name}: scenario `{}` is valid ({} to {}, {} replications, seed {})",
        scenario.name, scenario.from, scenario.to, scenario.replications, scenario.seed
    );
    for d in &scenario.disruptions {
        let (from, to) = d.window();
        println!("  {:24} {from} .. {to}", d.kind());
    }
    Ok(())
}
