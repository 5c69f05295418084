//! Putting a written data set in place without ever leaving half of one: everything is written into a fresh
//! hidden sibling folder, and only a complete folder is renamed to the target name. A folder that is
//! neither empty nor a native data set is never replaced.

use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use super::manifest::MANIFEST_FILE;
use crate::DatasetError;

/// How many sibling names to try before giving up on finding a free one.
const NAME_ATTEMPTS: u32 = 1000;

/// Calls `write` with a new empty folder next to `dir`, then moves that folder to `dir`, replacing what was
/// there. If anything fails, `dir` keeps its previous contents and the new folder is removed.
pub(super) fn replace_dir(
    dir: &Path,
    write: impl FnOnce(&Path) -> Result<(), DatasetError>,
) -> Result<(), DatasetError> {
    let refuse = |message: String| DatasetError::File {
        file: dir.to_path_buf(),
        message,
    };
    if let Ok((parent, name)) = parent_and_name(dir, dir.exists()) {
        recover_stale(&parent, &name);
    }
    let exists = match fs::symlink_metadata(dir) {
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(refuse(
                "is a symbolic link: name the folder it points to instead".into(),
            ))
        }
        Ok(meta) if !meta.is_dir() => {
            return Err(refuse(
                "exists and is not a folder: refusing to replace it".into(),
            ))
        }
        Ok(_) => {
            let mut entries = fs::read_dir(dir).map_err(|e| DatasetError::io(dir, e))?;
            let empty = entries.next().is_none();
            if !empty && !dir.join(MANIFEST_FILE).is_file() {
                return Err(refuse(format!(
                    "is neither empty nor a UCODTS native data set (no {MANIFEST_FILE}): \
                     refusing to replace it"
                )));
            }
            true
        }
        Err(e) if e.kind() == ErrorKind::NotFound => false,
        Err(e) => return Err(DatasetError::io(dir, e)),
    };

    let (parent, name) = parent_and_name(dir, exists)?;
    fs::create_dir_all(&parent).map_err(|e| DatasetError::io(&parent, e))?;
    let staging = fresh_sibling(&parent, &name, "writing")?;
    let result = write(&staging).and_then(|()| {
        if exists {
            swap_in(&staging, dir, &parent, &name)
        } else {
            fs::rename(&staging, dir).map_err(|e| DatasetError::io(dir, e))
        }
    });
    if result.is_err() {
        // Best effort: the error that matters is the one being returned.
        let _ = fs::remove_dir_all(&staging);
    }
    result?;
    // Make the rename itself durable; not every platform can sync a folder, so this is best effort.
    if let Ok(folder) = fs::File::open(&parent) {
        let _ = folder.sync_all();
    }
    Ok(())
}

/// Puts the new folder in place of the old one. On Linux one `renameat2(RENAME_EXCHANGE)` swaps them
/// atomically: at every instant `dir` is a whole data set, old or new. Elsewhere (or on a file system
/// without it) the old folder is moved aside, the new one in, then the old one deleted; on failure the old
/// one is put back, and a run killed between the two renames is recovered by the next ([`recover_stale`]).
fn swap_in(staging: &Path, dir: &Path, parent: &Path, name: &str) -> Result<(), DatasetError> {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if exchange(staging, dir).is_ok() {
        // `staging` now holds the previous data set.
        let _ = fs::remove_dir_all(staging);
        return Ok(());
    }
    let old = fresh_sibling(parent, name, "old")?;
    // `fresh_sibling` created it to reserve the name; rename needs the name free (an empty folder on Unix
    // would do, but not on Windows).
    fs::remove_dir(&old).map_err(|e| DatasetError::io(&old, e))?;
    fs::rename(dir, &old).map_err(|e| DatasetError::io(dir, e))?;
    if let Err(e) = fs::rename(staging, dir) {
        let _ = fs::rename(&old, dir);
        return Err(DatasetError::io(dir, e));
    }
    // The new data set is in place; a leftover `.name.old-*` folder would only waste space.
    let _ = fs::remove_dir_all(&old);
    Ok(())
}

/// Swaps two paths atomically (Linux 3.15+, glibc 2.28+).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::raw::{c_char, c_int, c_uint};
    use std::os::unix::ffi::OsStrExt;
    extern "C" {
        fn renameat2(
            olddirfd: c_int,
            oldpath: *const c_char,
            newdirfd: c_int,
            newpath: *const c_char,
            flags: c_uint,
        ) -> c_int;
    }
    const AT_FDCWD: c_int = -100;
    const RENAME_EXCHANGE: c_uint = 1 << 1;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both pointers are NUL-terminated strings alive across the call, which only reads them.
    let r = unsafe { renameat2(AT_FDCWD, a.as_ptr(), AT_FDCWD, b.as_ptr(), RENAME_EXCHANGE) };
    if r == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// Cleans up after runs that were killed while writing `parent/name`: their `.name.writing-PID-N` folders
/// are removed, and a `.name.old-PID-N` folder is moved back to `name` when `name` is missing (the run
/// died between moving the old data set aside and the new one in), else removed. Folders of processes
/// still running are left alone.
pub(super) fn recover_stale(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let dir = parent.join(name);
    let mut stale: Vec<(PathBuf, bool)> = Vec::new();
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file.strip_prefix(&format!(".{name}.")) else {
            continue;
        };
        let (old, rest) = if let Some(r) = rest.strip_prefix("old-") {
            (true, r)
        } else if let Some(r) = rest.strip_prefix("writing-") {
            (false, r)
        } else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid == std::process::id() || process_alive(pid) {
            continue;
        }
        stale.push((entry.path(), old));
    }
    stale.sort();
    for (path, old) in stale {
        let missing =
            matches!(fs::symlink_metadata(&dir), Err(e) if e.kind() == ErrorKind::NotFound);
        if old && missing && path.join(MANIFEST_FILE).is_file() {
            let _ = fs::rename(&path, &dir);
        } else {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

fn process_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true // cannot tell: leave it
    }
}

/// The folder `dir` lives in and its own name. `data/` has parent `.`; `.` or `..` are resolved first.
fn parent_and_name(dir: &Path, exists: bool) -> Result<(PathBuf, String), DatasetError> {
    let resolved;
    let dir = match dir.file_name() {
        Some(_) => dir,
        None if exists => {
            resolved = fs::canonicalize(dir).map_err(|e| DatasetError::io(dir, e))?;
            &resolved
        }
        None => {
            return Err(DatasetError::File {
                file: dir.to_path_buf(),
                message: "expected a folder name".into(),
            })
        }
    };
    let name = dir
        .file_name()
        .ok_or_else(|| DatasetError::File {
            file: dir.to_path_buf(),
            message: "cannot replace the root folder".into(),
        })?
        .to_string_lossy()
        .into_owned();
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((parent, name))
}

/// Creates and returns a new empty folder `parent/.name.purpose-PID-N` with a name nobody uses.
fn fresh_sibling(parent: &Path, name: &str, purpose: &str) -> Result<PathBuf, DatasetError> {
    let pid = std::process::id();
    for n in 0..NAME_ATTEMPTS {
        let path = parent.join(format!(".{name}.{purpose}-{pid}-{n}"));
        match fs::create_dir(&path) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(DatasetError::io(&path, e)),
        }
    }
    Err(DatasetError::File {
        file: parent.to_path_buf(),
        message: format!("no free name for a temporary folder after {NAME_ATTEMPTS} tries"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    fn write_files(
        files: &'static [&'static str],
    ) -> impl FnOnce(&Path) -> Result<(), DatasetError> {
        move |dir| {
            for f in files {
                fs::write(dir.join(f), f).unwrap();
            }
            Ok(())
        }
    }

    #[test]
    fn a_new_folder_appears_complete_and_leaves_no_temporary_folder() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("set");
        replace_dir(&dir, write_files(&["manifest.json", "a.csv"])).unwrap();
        assert_eq!(names(&dir), ["a.csv", "manifest.json"]);
        assert_eq!(names(root.path()), ["set"]);
    }

    #[test]
    fn an_existing_data_set_is_replaced_whole() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("set");
        replace_dir(&dir, write_files(&["manifest.json", "old.csv"])).unwrap();
        replace_dir(&dir, write_files(&["manifest.json", "new.csv"])).unwrap();
        assert_eq!(names(&dir), ["manifest.json", "new.csv"]);
        assert_eq!(names(root.path()), ["set"]);
    }

    #[test]
    fn a_user_folder_without_manifest_is_never_replaced() {
        let root = tempfile::tempdir().unwrap();
        fs::write(root.path().join("thesis.tex"), "precious").unwrap();
        let e = replace_dir(root.path(), write_files(&["manifest.json"])).unwrap_err();
        assert!(e.to_string().contains("refusing to replace it"), "{e}");
        assert_eq!(names(root.path()), ["thesis.tex"]);
    }

    #[test]
    fn a_failed_write_leaves_the_previous_data_set_and_no_debris() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("set");
        replace_dir(&dir, write_files(&["manifest.json", "old.csv"])).unwrap();
        let e = replace_dir(&dir, |staging| {
            fs::write(staging.join("half.csv"), "1,2").unwrap();
            Err(DatasetError::File {
                file: staging.join("half.csv"),
                message: "disk full".into(),
            })
        });
        assert!(e.is_err());
        assert_eq!(names(&dir), ["manifest.json", "old.csv"]);
        assert_eq!(names(root.path()), ["set"]);
    }

    #[test]
    fn a_run_killed_between_its_renames_is_recovered_by_the_next() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("set");
        replace_dir(&dir, write_files(&["manifest.json", "old.csv"])).unwrap();
        // What the fallback leaves when killed after moving the old set aside (pid above Linux's pid_max),
        // and a half-written folder of another dead run.
        fs::rename(&dir, root.path().join(".set.old-4194305-0")).unwrap();
        fs::create_dir(root.path().join(".set.writing-4194305-0")).unwrap();
        if cfg!(target_os = "linux") {
            recover_stale(root.path(), "set");
            assert_eq!(names(&dir), ["manifest.json", "old.csv"]);
            assert_eq!(names(root.path()), ["set"]);
            replace_dir(&dir, write_files(&["manifest.json", "new.csv"])).unwrap();
            assert_eq!(names(&dir), ["manifest.json", "new.csv"]);
            assert_eq!(names(root.path()), ["set"]);
        }
    }

    #[test]
    fn an_empty_existing_folder_is_filled() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("empty");
        fs::create_dir(&dir).unwrap();
        replace_dir(&dir, write_files(&["manifest.json"])).unwrap();
        assert_eq!(names(&dir), ["manifest.json"]);
    }
}
