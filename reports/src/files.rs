//! Writing a report's three files. Each is written to a temporary file beside its target and renamed
//! into place, so a reader never sees half a file. The three are one publication: every file carries the
//! same generation (a hash of the run's three texts: a `<meta name="ucodts-generation">` in the page, a
//! `generation` field in the JSON, a `report,,,generation,G` row in the CSV) so that a reader can tell they
//! belong together, and the renames are journalled: once all three are staged, a journal naming them is
//! put in place before the first rename, so a run killed between two renames leaves a journal that the
//! next write to the same report (or [`finish_publication`]) completes. Either the previous report or the
//! new one, whole, never a mix that stays.

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
    publish(
        &out,
        html::page(report),
        export::to_csv(report)?,
        export::to_json(report)?,
    )?;
    Ok(out)
}

/// Publishes a report's page, CSV and JSON at `out` as one unit, each stamped with their generation
/// (see the module documentation).
pub fn publish(
    out: &WrittenReport,
    html: String,
    csv: String,
    json: String,
) -> Result<(), ReportError> {
    let generation = generation_of(&[&html, &csv, &json]);
    let html = html.replacen(
        CHARSET_META,
        &format!("{CHARSET_META}<meta name=\"{GENERATION_META}\" content=\"{generation}\">\n"),
        1,
    );
    let json = match json.strip_prefix("{\n") {
        Some(rest) => format!("{{\n  \"generation\": \"{generation}\",\n{rest}"),
        None => json,
    };
    let csv = format!("{csv}report,,,generation,{generation}\n");
    put_in_place(&[
        (out.html.as_path(), html),
        (out.csv.as_path(), csv),
        (out.json.as_path(), json),
    ])
}

const CHARSET_META: &str = "<meta charset=\"utf-8\">\n";
/// The name of the page's meta element that carries the generation.
pub const GENERATION_META: &str = "ucodts-generation";

/// The generation of a run's texts: 16 hex digits of a 64-bit FNV-1a hash over them, so the same run
/// gives the same generation (outputs stay byte-identical) and two different runs almost never share one.
fn generation_of(texts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for text in texts {
        for &b in text.as_bytes().iter().chain(&[0xff]) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// The generation each of a report's three files carries (`None` for a file that is missing or carries
/// none): equal for the files of one publication.
pub fn generations(out: &WrittenReport) -> [Option<String>; 3] {
    let read = |p: &Path| std::fs::read_to_string(p).ok();
    let html = read(&out.html).and_then(|t| {
        let start = format!("<meta name=\"{GENERATION_META}\" content=\"");
        let at = t.find(&start)? + start.len();
        Some(t[at..].split('"').next()?.to_string())
    });
    let csv = read(&out.csv).and_then(|t| {
        t.lines()
            .rev()
            .find_map(|l| l.strip_prefix("report,,,generation,").map(str::to_string))
    });
    let json = read(&out.json).and_then(|t| {
        let v: serde_json::Value = serde_json::from_str(&t).ok()?;
        Some(v.get("generation")?.as_str()?.to_string())
    });
    [html, csv, json]
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
    if let Some((first, _)) = targets.first() {
        // A publication a killed run left half done is completed before anything else is touched.
        finish_publication(&first.real).map_err(|e| first.error(e))?;
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
    let journal = match staged.as_slice() {
        [_, _, ..] => match write_journal(&staged) {
            Ok(journal) => journal,
            Err(e) => {
                remove(&staged);
                return Err(staged[0].1.error(e));
            }
        },
        _ => None,
    };
    for (i, (tmp, target)) in staged.iter().enumerate() {
        if let Err(e) = std::fs::rename(tmp, &target.real) {
            if i == 0 {
                // Nothing is in place yet: the publication is withdrawn whole.
                remove(&staged);
                if let Some(journal) = &journal {
                    let _ = std::fs::remove_file(journal);
                }
            }
            // Later, the journal stays and the next write completes what it names.
            return Err(target.error(e.to_string()));
        }
    }
    if let Some(journal) = journal {
        let _ = std::fs::remove_file(journal);
    }
    if let Some(folder) = staged.first().and_then(|(_, t)| t.real.parent()) {
        if let Ok(folder) = std::fs::File::open(folder_or_here(folder)) {
            let _ = folder.sync_all(); // best effort: make the renames durable
        }
    }
    Ok(())
}

/// The journal of a publication whose first file is `first`: `.NAME.publish` beside it.
fn journal_path(first: &Path) -> PathBuf {
    hidden_beside(first, "publish")
}

/// `.NAME.SUFFIX` beside `path` (NAME its file name).
fn hidden_beside(path: &Path, suffix: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{suffix}"))
}

/// A file's folder, `.` for a bare file name (whose parent is the empty path).
fn folder_or_here(folder: &Path) -> &Path {
    if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    }
}

/// Puts the journal of `staged` (each staged file and its target, one pair a line, tab-separated) in
/// place, durably, before any rename. `None` when a path cannot be journalled (not UTF-8, or holding a
/// tab or a newline): the files are then renamed without one.
fn write_journal(staged: &[(PathBuf, &Target)]) -> Result<Option<PathBuf>, String> {
    let mut text = String::new();
    for (tmp, target) in staged {
        let (Some(a), Some(b)) = (tmp.to_str(), target.real.to_str()) else {
            return Ok(None);
        };
        if [a, b].iter().any(|p| p.contains(['\t', '\n'])) {
            return Ok(None);
        }
        text.push_str(&format!("{a}\t{b}\n"));
    }
    let journal = journal_path(&staged[0].1.real);
    let tmp = journal.with_extension(format!("publish.{}.tmp", std::process::id()));
    let written = std::fs::File::create(&tmp).and_then(|mut f| {
        f.write_all(text.as_bytes())?;
        f.sync_all()
    });
    let put = written.and_then(|()| std::fs::rename(&tmp, &journal));
    if let Err(e) = put {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!("writing the publication journal: {e}"));
    }
    Ok(Some(journal))
}

/// Completes a publication that a run killed between its renames left half done: every staged file the
/// journal beside `first` names and that is still there is renamed to its target, then the journal is
/// removed. Nothing to do when there is no journal. Called by every write of a report before it starts.
pub fn finish_publication(first: &Path) -> Result<(), String> {
    let journal = journal_path(first);
    let text = match std::fs::read_to_string(&journal) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(format!("reading {}: {e}", journal.display())),
    };
    for line in text.lines() {
        let Some((tmp, target)) = line.split_once('\t') else {
            continue;
        };
        match std::fs::rename(tmp, target) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {} // renamed before the kill
            Err(e) => return Err(format!("completing the publication of {target}: {e}")),
        }
    }
    std::fs::remove_file(&journal).map_err(|e| format!("removing {}: {e}", journal.display()))
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
    hidden_beside(path, &format!("{pid}.tmp"))
}

/// Removes `.NAME.PID.tmp` files beside `path` whose process is gone (a run killed while writing).
fn remove_stale_temporaries(path: &Path) {
    let (Some(folder), Some(name)) = (path.parent(), path.file_name()) else {
        return;
    };
    let prefix = format!(".{}.", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(folder_or_here(folder)) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = file
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix(".tmp"))
            .map(|pid| pid.strip_prefix("publish.").unwrap_or(pid)) // a journal being written
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

    fn texts(tag: &str) -> (String, String, String) {
        (
            format!(
                "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>{tag}</title>"
            ),
            format!("table,row,series,measure,value\nscenario,,,name,{tag}\n"),
            format!("{{\n  \"format\": \"x\",\n  \"name\": \"{tag}\"\n}}\n"),
        )
    }

    #[test]
    fn the_three_files_of_a_report_carry_one_generation_and_runs_differ() {
        let dir = tempfile::tempdir().unwrap();
        let out = paths(&dir.path().join("r.html")).unwrap();
        let (h, c, j) = texts("first");
        publish(&out, h.clone(), c.clone(), j.clone()).unwrap();
        let [a, b, d] = generations(&out);
        assert!(a.is_some() && a == b && b == d, "{a:?} {b:?} {d:?}");
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&out.json).unwrap()).unwrap();
        assert_eq!(json["name"], "first", "the JSON stays whole: {json}");
        // The same run gives the same bytes; another run another generation.
        let bytes = std::fs::read(&out.html).unwrap();
        publish(&out, h, c, j).unwrap();
        assert_eq!(std::fs::read(&out.html).unwrap(), bytes);
        let (h, c, j) = texts("second");
        publish(&out, h, c, j).unwrap();
        let [e, _, _] = generations(&out);
        assert_ne!(e, a);
        assert_eq!(generations(&out), [e.clone(), e.clone(), e]);
    }

    #[test]
    fn a_publication_killed_between_its_renames_is_completed_by_the_next_write() {
        let dir = tempfile::tempdir().unwrap();
        let out = paths(&dir.path().join("r.html")).unwrap();
        let (h, c, j) = texts("old");
        publish(&out, h, c, j).unwrap();
        let old = generations(&out);
        // What a run killed after its first rename leaves: the journal, the new page in place, the new
        // CSV and JSON still staged under a process id that is gone.
        let dead = u32::MAX - 7;
        let (h, c, j) = texts("new");
        let staging = dir.path().join("staging");
        std::fs::create_dir(&staging).unwrap();
        let new_out = paths(&staging.join("r.html")).unwrap();
        publish(&new_out, h, c, j).unwrap();
        let new = generations(&new_out);
        std::fs::rename(&new_out.html, &out.html).unwrap();
        let mut journal = format!(
            "{}\t{}\n",
            temporary(&out.html, dead).display(),
            out.html.display()
        );
        for (from, to) in [(&new_out.csv, &out.csv), (&new_out.json, &out.json)] {
            let tmp = temporary(to, dead);
            std::fs::rename(from, &tmp).unwrap();
            journal.push_str(&format!("{}\t{}\n", tmp.display(), to.display()));
        }
        std::fs::write(journal_path(&out.html), journal).unwrap();
        let mixed = generations(&out);
        assert!(mixed[0] != mixed[1] && mixed[1] == old[1], "{mixed:?}");
        finish_publication(&out.html).unwrap();
        assert_eq!(generations(&out), new);
        assert!(!journal_path(&out.html).exists());
        // And through the next write, which also leaves no temporary behind.
        let (h, c, j) = texts("old");
        publish(&out, h, c, j).unwrap();
        assert_eq!(generations(&out), old);
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }
}
