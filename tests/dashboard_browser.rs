//! The dashboard in a real browser against a real `ucodts serve`: `dashboard/tests/run.mjs` drives Debian's
//! chromium through playwright-core (never a downloaded browser) as a viewer, planner, scheduler,
//! researcher and admin: log in, the operations screen (fatigue of the crew on duty, maintenance slack,
//! crew alerts from the rule engine), a scenario written (its mistake shown at its line) and run, a
//! recovery run and what its plan changes (before/after Gantts, crew changes per member), a planner refused
//! the accept, a scheduler's accept in the audit log and the schedule export, an incident reported beside
//! the twin's safety alerts, a benchmark run and its table, a feed event pushed to an open screen, the
//! users; no console error and no serious axe-core violation on any screen; screenshots in
//! target/dashboard-screens/.
//!
//! It needs node, the built export (`dashboard/out`, which `bash scripts/setup.sh` builds with
//! `npm ci && npm run build`), the dashboard's npm packages (playwright-core, axe-core) and
//! /usr/bin/chromium. Without one of them it says which and skips, unless `UCODTS_REQUIRE_EXTERNAL=1`
//! (CI), where that is a failure.

mod common;

use std::path::Path;
use std::process::Command;

#[test]
fn the_dashboard_works_for_every_role_in_headless_chromium() {
    let dashboard = Path::new(env!("CARGO_MANIFEST_DIR")).join("../dashboard");
    let node_ok = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let chromium = std::env::var("UCODTS_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let missing = if !node_ok {
        Some("no node on the PATH")
    } else if !dashboard.join("out/index.html").is_file() {
        Some("no built dashboard (dashboard/out/index.html)")
    } else if !dashboard.join("node_modules/playwright-core").is_dir() {
        Some("the dashboard's npm packages are not installed (dashboard/node_modules)")
    } else if !Path::new(&chromium).is_file() {
        Some("no chromium at /usr/bin/chromium (or UCODTS_CHROMIUM)")
    } else {
        None
    };
    if let Some(missing) = missing {
        common::skip(
            missing,
            "bash scripts/setup.sh builds the dashboard when node and npm are there; scripts/test.sh installs chromium",
        );
        return;
    }
    let out = Command::new("node")
        .arg(dashboard.join("tests/run.mjs"))
        .arg(env!("CARGO_BIN_EXE_ucodts"))
        .env("UCODTS_CHROMIUM", &chromium)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the browser tests failed:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains(" passed, 0 failed"),
        "the browser tests gave no count:\n{stdout}"
    );
}
