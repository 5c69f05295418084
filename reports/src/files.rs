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
/// that is not a regular file (a folder, a device such as `/dev/full`, a FIFO, a socket) is refused before
/// anything is written; a symbolic link is followed, so the file it points to is replaced and the link
/// stays (errors name both). On any error every temporary file is removed and the error names the target.
/// Temporary files that a killed run left beside a target are removed first. Used for every output that
/// must never be seen half-written (reports, the schedule export, `recover --out`).
pub fn put_in_place(files: &[(&Path, String)]) -> Result<(), ReportError> {
    let mut targets = Vec::with_capacity(files.len());
    for (path, text) in files {
        targets.push((target_of(path)?, text));
    }
    for (target, _) in &targets {
        remove_stale_temporaries(&target.real);
    }
    let mut staged: Vec<(PathBuf, &Target)> = Vec::with_capacity(files.len());
    let remove = |staged: &[(PathBuf, &Target)]| {
        for (tmp, _) in staged {
            let _ = std::fs::remove_file(tmp);
        }
    };
    for (target, text) in &targets {
        match stage(target, text) {
            Ok(tmp) => staged.push((tmp, target)),
            Err(e) => {
                remove(&staged);
                return Err(e);
            }
        }
    }
    for (i, (tmp, target)) in staged.iter().enumerate() {
        if let Err(e) = std::fs::rename(tmp, &target.real) {
            remove(&staged[i..]);
            return Err(target.error(e.to_string()));
        }
    }
    Ok(())
}

/// Where a write really goes: the path given, or the file a symbolic link there points to.
struct Target {
    given: PathBuf,
    real: PathBuf,
}

impl Target {
    fn error(&self, message: String) -> ReportError {
        let message = if self.real == self.given {
            message
        } else {
            format!("{message} (it is a link to {})", self.real.display())
        };
        ReportError::Write {
            path: self.given.clone(),
            message,
        }
    }
}

/// The most links followed from one target (as the kernel's own limit, 40, bounds a loop).
const MAX_LINKS: usize = 40;

fn target_of(path: &Path) -> Result<Target, ReportError> {
    let mut real = path.to_path_buf();
    for _ in 0..=MAX_LINKS {
        let meta = match std::fs::symlink_metadata(&real) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Target {
                    given: path.to_path_buf(),
                    real,
                })
            }
            Err(e) => {
                return Err(ReportError::Write {
                    path: path.to_path_buf(),
                    message: e.to_string(),
                })
            }
        };
        let kind = meta.file_type();
        if kind.is_symlink() {
            let link = std::fs::read_link(&real).map_err(|e| ReportError::Write {
                path: path.to_path_buf(),
                message: e.to_string(),
            })?;
            real = match real.parent() {
                Some(folder) => folder.join(link),
                None => link,
            };
            continue;
        }
        let target = Target {
            given: path.to_path_buf(),
            real,
        };
        if kind.is_file() {
            return Ok(target);
        }
        return Err(target.error(format!(
            "it is {}, not a regular file: only regular files are replaced",
            kind_of(&kind)
        )));
    }
    Err(ReportError::Write {
        path: path.to_path_buf(),
        message: format!("more than {MAX_LINKS} symbolic links (a loop?)"),
    })
}

fn kind_of(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

/// The temporary file of `path` for this process: `.NAME.PID.tmp` beside it.
fn temporary(path: &Path, pid: u32) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{pid}.tmp"))
}

/// Removes `.NAME.PID.tmp` files beside `path` whose process is gone (a run killed while writing).
fn remove_stale_temporaries(path: &Path) {
    let (Some(folder), Some(name)) = (path.parent(), path.file_name()) else {
        return;
    };
    let folder = if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    };
    let prefix = format!(".{}.", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = file
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix(".tmp"))
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !process_alive(pid) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn process_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true // cannot tell: keep it
    }
}

/// Writes `text` to a temporary file in the folder of `target` and returns its path.
fn stage(target: &Target, text: &str) -> Result<PathBuf, ReportError> {
    let tmp = temporary(&target.real, std::process::id());
    let mut file = std::fs::File::create(&tmp).map_err(|e| target.error(e.to_string()))?;
    let written = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all());
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(target.error(e.to_string()));
    }
    Ok(tmp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_device_is_refused_and_left_alone() {
        let e = put_in_place(&[(Path::new("/dev/null"), "x".into())]).unwrap_err();
        assert!(e.to_string().contains("a character device"), "{e}");
        use std::os::unix::fs::FileTypeExt;
        let meta = std::fs::symlink_metadata("/dev/null").unwrap();
        assert!(meta.file_type().is_char_device());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_followed_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        std::fs::write(&real, "old").unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink("real.json", &link).unwrap();
        put_in_place(&[(link.as_path(), "new".into())]).unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_a_device_is_refused_naming_both() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("out.json");
        std::os::unix::fs::symlink("/dev/null", &link).unwrap();
        let e = put_in_place(&[(link.as_path(), "x".into())])
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("a character device") && e.contains("a link to /dev/null"),
            "{e}"
        );
    }

    #[test]
    fn temporaries_of_killed_runs_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.csv");
        // No process has pid 4194305 (above Linux's pid_max).
        let stale = temporary(&out, 4_194_305);
        std::fs::write(&stale, "half").unwrap();
        put_in_place(&[(out.as_path(), "whole".into())]).unwrap();
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "whole");
        if cfg!(target_os = "linux") {
            assert!(!stale.exists());
        }
    }
}
