//! Every input a fuzz target once crashed on, kept under `fuzz/regressions/<target>/`, runs again through
//! the same body without a panic; and every target's seeds run clean.

use std::path::Path;

use ucodts_fuzz_harness::{seeds, target, Outcome, TARGETS};

#[test]
fn every_kept_crash_input_runs_without_a_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../regressions");
    let mut ran = 0;
    for entry in std::fs::read_dir(&root).expect("fuzz/regressions exists") {
        let folder = entry.expect("a readable entry").path();
        if !folder.is_dir() {
            continue;
        }
        let name = folder.file_name().unwrap().to_string_lossy().into_owned();
        let t = target(&name).unwrap_or_else(|| panic!("fuzz/regressions/{name} names no target"));
        let mut inputs: Vec<_> = std::fs::read_dir(&folder)
            .expect("a readable folder")
            .map(|e| e.expect("a readable entry").path())
            .filter(|p| p.is_file())
            .collect();
        inputs.sort();
        for input in inputs {
            let bytes = std::fs::read(&input).expect("a readable input");
            eprintln!("{}", input.display());
            (t.run)(&bytes);
            ran += 1;
        }
    }
    eprintln!("{ran} kept inputs ran");
}

#[test]
fn every_target_has_a_fuzz_target_file_and_its_seeds_run() {
    let targets = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz_targets");
    for t in TARGETS {
        assert!(
            targets.join(format!("{}.rs", t.name)).is_file(),
            "fuzz/fuzz_targets/{}.rs is missing",
            t.name
        );
    }
    let all = seeds::all();
    for t in TARGETS {
        assert!(
            all.iter().any(|(name, _, _)| *name == t.name),
            "{} has no seed",
            t.name
        );
    }
    for (name, seed, bytes) in all {
        let outcome = (target(name).unwrap().run)(&bytes);
        assert_eq!(
            outcome,
            Outcome::Ran,
            "the seed {name}/{seed} does not reach the engine"
        );
    }
}
