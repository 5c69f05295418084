//! Running the SimPy reference script in the same invocation, so that ratios compare like with like on the
//! same machine and load.

use super::{Engine, RunwayParams, Throughput};
use crate::SimError;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where the SimPy script is and how to run it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimpyBaseline {
    /// The Python interpreter (`python3` on the `PATH` by default).
    pub python: PathBuf,
    /// `simpy_runway.py`.
    pub script: PathBuf,
    /// Run `python -m pip install --quiet simpy` first if `import simpy` fails.
    pub install_if_missing: bool,
}

/// The script's path relative to the workspace root's parent, as laid out beside the project.
const SCRIPT_IN_SHARED: &str = "shared/baselines/simpy_runway.py";

impl SimpyBaseline {
    /// The script at `script`, run by `python3`, installing SimPy if it is missing.
    pub fn new(script: impl Into<PathBuf>) -> SimpyBaseline {
        SimpyBaseline {
            python: PathBuf::from("python3"),
            script: script.into(),
            install_if_missing: true,
        }
    }

    /// Finds `simpy_runway.py` in `../shared/baselines/` from the current directory, from its parent, or
    /// beside the workspace this crate was built in; `None` if `shared/` is absent.
    pub fn locate() -> Option<SimpyBaseline> {
        let built_in = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        [Path::new(".."), Path::new("../.."), built_in.as_path()]
            .iter()
            .map(|root| root.join(SCRIPT_IN_SHARED))
            .find(|candidate| candidate.is_file())
            .map(SimpyBaseline::new)
    }

    fn python_can_import_simpy(&self) -> Result<bool, SimError> {
        let status = Command::new(&self.python)
            .args(["-c", "import simpy"])
            .output()
            .map_err(|error| SimError::BaselineUnavailable {
                reason: format!("cannot run {}: {error}", self.python.display()),
            })?
            .status;
        Ok(status.success())
    }

    /// Makes sure `import simpy` works, installing it with pip if allowed.
    pub fn ensure_simpy(&self) -> Result<(), SimError> {
        if self.python_can_import_simpy()? {
            return Ok(());
        }
        if !self.install_if_missing {
            return Err(SimError::BaselineUnavailable {
                reason: format!("{} cannot import simpy", self.python.display()),
            });
        }
        let install = Command::new(&self.python)
            .args(["-m", "pip", "install", "--quiet", "simpy"])
            .output()
            .map_err(|error| SimError::BaselineUnavailable {
                reason: format!("cannot run pip: {error}"),
            })?;
        if !install.status.success() || !self.python_can_import_simpy()? {
            return Err(SimError::BaselineUnavailable {
                reason: format!(
                    "simpy is not installed and `pip install simpy` failed: {}",
                    String::from_utf8_lossy(&install.stderr).trim()
                ),
            });
        }
        Ok(())
    }
}

/// The fields of the script's `--json` line that we read.
#[derive(Deserialize)]
struct SimpyOutput {
    engine: String,
    legs: u64,
    seconds: f64,
}

/// Runs `simpy_runway.py --json` with `params` and reads its legs and seconds.
pub fn run_simpy(params: &RunwayParams, baseline: &SimpyBaseline) -> Result<Throughput, SimError> {
    params.validate()?;
    if !baseline.script.is_file() {
        return Err(SimError::BaselineUnavailable {
            reason: format!("{} does not exist", baseline.script.display()),
        });
    }
    baseline.ensure_simpy()?;
    let args = [
        "--aircraft".to_owned(),
        params.aircraft.to_string(),
        "--airports".to_owned(),
        params.airports.to_string(),
        "--horizon-min".to_owned(),
        params.horizon_min.to_string(),
        "--seed".to_owned(),
        params.seed.to_string(),
        "--json".to_owned(),
    ];
    let command = format!(
        "{} {} {}",
        baseline.python.display(),
        baseline.script.display(),
        args.join(" ")
    );
    let output = Command::new(&baseline.python)
        .arg(&baseline.script)
        .args(&args)
        .output()
        .map_err(|error| SimError::BaselineUnavailable {
            reason: format!("cannot run {command}: {error}"),
        })?;
    if !output.status.success() {
        return Err(SimError::BaselineFailed {
            command,
            detail: format!(
                "{}: {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            ),
        });
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let parsed: SimpyOutput =
        serde_json::from_str(stdout.trim()).map_err(|error| SimError::BaselineFailed {
            command: command.clone(),
            detail: format!("unreadable output ({error}): {}", stdout.trim()),
        })?;
    if parsed.engine != "simpy" {
        return Err(SimError::BaselineFailed {
            command,
            detail: format!("expected engine \"simpy\", got {:?}", parsed.engine),
        });
    }
    Ok(Throughput::new(
        Engine::Simpy,
        *params,
        parsed.legs,
        parsed.seconds,
    ))
}
