//! Writing a report's three files. Each is written to a temporary file beside its target and renamed
//! into place, so a reader never sees half a report and an interrupted run leaves the previous one.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::report::ScenarioReport;
use crate::{export, html, ReportError};

/// Where a report went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WrittenReport {
    /// The page.
    pub html: PathBuf,
    /// The numbers as long-form CSV.
    pub csv: PathBuf,
    /// The numbers as JSON.
    pub json: PathBuf,
}

/// The CSV and JSON paths beside `html_path` (`out.html` → `out.csv`, `out.json`).
pub fn paths(html_path: &Path) -> Result<WrittenReport, ReportError> {
    let csv = html_path.with_extension("csv");
    let json = html_path.with_extension("json");
    if html_path.file_name().is_none() || csv == html_path || json == html_path {
        return Err(ReportError::Path {
            path: html_path.to_path_buf(),
        });
    }
    Ok(WrittenReport {
        html: html_path.to_path_buf(),
        csv,
        json,
    })
}

/// Renders `report` and writes `html_path` with the CSV and JSON beside it.
pub fn write(report: &ScenarioReport, html_path: &Path) -> Result<WrittenReport, ReportError> {
    let out = paths(html_path)?;
    put_in_place(&[
        (out.html.as_path(), html::page(report)),
        (out.csv.as_path(), export::to_csv(report)?),
        (out.json.as_path(), export::to_json(report)?),
    ])?;
    Ok(out)
}

/// Writes every file through a temporary file beside it, then renames them all into place. A target
/// that is a folder is refused before anything is written; on any error every temporary file is
/// removed and the error names the target. Used for every output that must never be seen half-written
/// (reports, the schedule export, `recover --out`).
pub fn put_in_place(files: &[(&Path, String)]) -> Result<(), ReportError> {
    if let Some((path, _)) = files.iter().find(|(path, _)| path.is_dir()) {
        return Err(ReportError::Write {
            path: path.to_path_buf(),
            message: "it is a folder, not a file".into(),
        });
    }
    let mut staged: Vec<(PathBuf, &Path)> = Vec::with_capacity(files.len());
    let remove = |staged: &[(PathBuf, &Path)]| {
        for (tmp, _) in staged {
            let _ = std::fs::remove_file(tmp);
        }
    };
    for (path, text) in files {
        match stage(path, text) {
            Ok(tmp) => staged.push((tmp, *path)),
            Err(e) => {
                remove(&staged);
                return Err(e);
            }
        }
    }
    for (i, (tmp, path)) in staged.iter().enumerate() {
        if let Err(e) = std::fs::rename(tmp, path) {
            remove(&staged[i..]);
            return Err(ReportError::Write {
                path: path.to_path_buf(),
                message: e.to_string(),
            });
        }
    }
    Ok(())
}

/// Writes `text` to a temporary file in the folder of `path` and returns its path.
fn stage(path: &Path, text: &str) -> Result<PathBuf, ReportError> {
    let error = |e: std::io::Error| ReportError::Write {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let mut file = std::fs::File::create(&tmp).map_err(error)?;
    let written = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all());
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(error(e));
    }
    Ok(tmp)
}
