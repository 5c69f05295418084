//! Our checker and cost evaluator against the reference checker of `../shared/benchmarks/roadef2009` (which
//! reproduces the official Amadeus reports to the cent), on all 20 instances of sets A and B and three plans
//! each: the original plan (`--empty`), the plan with only the imposed disruptions (`--apply-disruptions`)
//! and the reference's naive repair (`--trivial --write DIR`, read back with our solution reader).
//! Feasibility, every cost term to the cent, and the multiset of violation messages per report file must
//! agree. Skips with a message when the shared data or python3 is absent (fails under
//! `UCODTS_REQUIRE_EXTERNAL=1`).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use ucodts_datasets::roadef2009;
use ucodts_model::recovery::{evaluate, Evaluation, RecoveryPlan, RecoveryProblem};

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/benchmarks/roadef2009")
}

const REPORT_FILES: [&str; 11] = [
    "checkItinerary",
    "checkPassengerReac",
    "checkRotation",
    "checkFlight",
    "checkAircraftBreakdownPeriod",
    "checkAircraftCreation",
    "checkAircraftCapacity",
    "checkAircraftSwap",
    "checkCancellationofCreatedRotation",
    "checkAirportCapacity",
    "checkFixedFlights",
];

struct Reference {
    feasible: bool,
    terms: BTreeMap<String, String>,
    total: String,
    /// Report file -> sorted messages.
    messages: BTreeMap<String, Vec<String>>,
}

fn run_reference(instance: &Path, mode: &[&str], results: &Path) -> Reference {
    let script = shared().join("reference-checker/roadef_check.py");
    let out = Command::new("python3")
        .arg(&script)
        .arg(instance)
        .args(mode)
        .arg("--results")
        .arg(results)
        .output()
        .expect("python3 runs");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "reference checker failed on {}: {text}{}",
        instance.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let mut terms = BTreeMap::new();
    let mut total = String::new();
    for line in text.lines() {
        if let Some(t) = line.strip_prefix("Total Cost: ") {
            total = t.trim().to_string();
        } else if let Some((name, value)) = line.rsplit_once(": ") {
            if value.parse::<f64>().is_ok() && !line.starts_with(' ') {
                terms.insert(name.to_string(), value.trim().to_string());
            }
        }
    }
    let mut messages = BTreeMap::new();
    for file in REPORT_FILES {
        let body = std::fs::read_to_string(results.join(format!("{file}.txt"))).unwrap_or_default();
        let mut lines: Vec<String> = body.lines().map(str::to_string).collect();
        lines.sort();
        messages.insert(file.to_string(), lines);
    }
    Reference {
        feasible: text.contains("\nFEASIBLE"),
        terms,
        total,
        messages,
    }
}

fn compare(
    label: &str,
    problem: &RecoveryProblem,
    plan: &RecoveryPlan,
    ours: &Evaluation,
    reference: &Reference,
) -> Vec<String> {
    eprintln!(
        "{label}: feasible {}, {} violations, total {} (reference {})",
        ours.feasible,
        ours.violations.len(),
        ours.cost.total,
        reference.total
    );
    let mut problems = Vec::new();
    if ours.feasible != reference.feasible {
        problems.push(format!(
            "{label}: feasible ours {} reference {}",
            ours.feasible, reference.feasible
        ));
    }
    for (name, value) in ours.cost.terms() {
        let theirs = reference.terms.get(name).cloned().unwrap_or_default();
        if value.to_string() != theirs {
            problems.push(format!("{label}: {name} ours {value} reference {theirs}"));
        }
    }
    if ours.cost.total.to_string() != reference.total {
        problems.push(format!(
            "{label}: total ours {} reference {}",
            ours.cost.total, reference.total
        ));
    }
    let mut mine: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for v in &ours.violations {
        mine.entry(v.report_file().to_string())
            .or_default()
            .push(v.message(problem, plan));
    }
    for file in REPORT_FILES {
        let mut m = mine.remove(file).unwrap_or_default();
        m.sort();
        let theirs = &reference.messages[file];
        if &m != theirs {
            let only_ours: Vec<_> = m.iter().filter(|x| !theirs.contains(x)).take(3).collect();
            let only_theirs: Vec<_> = theirs.iter().filter(|x| !m.contains(x)).take(3).collect();
            problems.push(format!(
                "{label}: {file}: ours {} lines, reference {}; only ours e.g. {only_ours:?}; only reference e.g. {only_theirs:?}",
                m.len(),
                theirs.len()
            ));
        }
    }
    for (file, lines) in mine {
        problems.push(format!(
            "{label}: {file}: {} lines the reference does not have",
            lines.len()
        ));
    }
    problems
}

#[test]
fn checker_and_costs_agree_with_the_reference_on_every_instance() {
    let root = shared().join("instances");
    if !root.is_dir() {
        return common::skip(
            &format!("the ROADEF 2009 instances are not in {}", root.display()),
            "README.md says where the benchmark instances come from",
        );
    }
    if let Err(error) = Command::new("python3").arg("--version").output() {
        return common::skip(
            &format!("python3 cannot be run ({error})"),
            "the reference checker needs python3 on the PATH",
        );
    }
    let only = std::env::var("ROADEF_INSTANCES").ok();
    let tmp = tempfile::tempdir().unwrap();
    let mut problems = Vec::new();
    let mut checked = 0;
    for set in ["A", "B"] {
        for k in 1..=10 {
            let name = format!("{set}{k:02}");
            if only
                .as_deref()
                .is_some_and(|o| !o.split(',').any(|x| x == name))
            {
                continue;
            }
            let dir = root.join(&name);
            let problem = roadef2009::load(&dir).unwrap_or_else(|e| panic!("{name}: {e}"));
            let plans = [
                ("empty", RecoveryPlan::original(&problem), "--empty"),
                (
                    "apply-disruptions",
                    RecoveryPlan::with_disruptions_applied(&problem),
                    "--apply-disruptions",
                ),
            ];
            for (label, plan, flag) in plans {
                let results = tmp.path().join(format!("{name}-{label}"));
                let reference = run_reference(&dir, &[flag], &results);
                let ours = evaluate(&problem, &plan);
                problems.extend(compare(
                    &format!("{name} {label}"),
                    &problem,
                    &plan,
                    &ours,
                    &reference,
                ));
                checked += 1;
            }
            let solution = tmp.path().join(format!("{name}-trivial-solution"));
            let results = tmp.path().join(format!("{name}-trivial"));
            let reference = run_reference(
                &dir,
                &["--trivial", "--write", solution.to_str().unwrap()],
                &results,
            );
            let plan = roadef2009::read_solution(&problem, &solution)
                .unwrap_or_else(|e| panic!("{name}: reading the naive repair: {e}"));
            let started = std::time::Instant::now();
            let ours = evaluate(&problem, &plan);
            // Reported, never asserted: how long one full evaluation takes.
            eprintln!(
                "{name}: one evaluation of the naive repair took {:?}",
                started.elapsed()
            );
            problems.extend(compare(
                &format!("{name} trivial"),
                &problem,
                &plan,
                &ours,
                &reference,
            ));
            checked += 1;
        }
    }
    eprintln!("{checked} plans compared with the reference checker");
    assert!(
        problems.is_empty(),
        "{} disagreements:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
