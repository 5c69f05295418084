//! Running the real `ucodts` binary from workflow tests.
#![allow(dead_code)] // each test file uses its own subset

use std::process::{Command, Output};

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
