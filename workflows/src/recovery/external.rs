//! External aircraft policies for `recover --policy-cmd`: any executable, in any language, given the
//! recovery problem as one versioned JSON document on standard input and answering with a plan as one
//! JSON document on standard output (the schema: `docs/guide/policy-protocol.md`).
//!
//! The answer is judged like a built-in policy's: the plan goes through the one checker
//! ([`ucodts_model::recovery::evaluate`]), passengers are rebooked on what it flies by the optimizer's own
//! rebooking, the crew side staffs it, and the twin replays it. A policy that cannot be started, exits
//! with an error, is killed after its time limit plus [`GRACE`], or prints something that is not a plan of
//! this problem offers nothing; why is kept ([`ExternalPolicy::calls`]) and printed with the result. The
//! loop goes on with the other candidates (doing nothing is always one).

use std::ffi::OsString;
use std::io::Read;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Serialize;
pub use ucodts_model::recovery::protocol::{
    problem_document, PlanDocument, ProblemDocument, PLAN_VERSION, PROBLEM_VERSION,
};
use ucodts_model::recovery::{RecoveryPlan, RecoveryProblem};
use ucodts_optimizer::{OptimizerError, RecoveryPolicy, Search};

use crate::policy_cmd::{self, PolicyCommand, GRACE};

/// The aircraft policy name an external policy takes in `recover`'s pairs and output (`external+milp`).
pub const EXTERNAL: &str = "external";
/// The largest plan document read from a policy's standard output.
const MAX_PLAN_BYTES: u64 = 64 << 20;
/// The least time a policy is given, however little the budget has left.
const MIN_POLICY_TIME: Duration = Duration::from_secs(1);

/// A policy's answer as a plan of `problem`, its passengers rebooked on what it flies by the optimizer's
/// own rebooking; or what is wrong with it ([`ucodts_model::recovery::protocol::read_plan`]).
pub fn read_plan(text: &str, problem: &RecoveryProblem) -> Result<RecoveryPlan, String> {
    let mut plan = ucodts_model::recovery::protocol::read_plan(text, problem)?;
    plan.passengers = ucodts_optimizer::rebook_passengers(problem, &plan);
    Ok(plan)
}

/// What one call of an external policy gave.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct ExternalCall {
    /// `plan` when it answered with a plan of the problem (judged by the checker like any other), else
    /// `failed`.
    pub outcome: &'static str,
    /// Why it failed, in words (empty for a plan).
    pub why: String,
    /// Its own time, from start to exit, in seconds.
    pub policy_seconds: f64,
    /// Everything else the call took (writing the problem, starting the process, reading and checking its
    /// plan), in milliseconds.
    pub overhead_ms: f64,
}

/// An external command as an aircraft policy (see the module documentation).
pub struct ExternalPolicy {
    command: PolicyCommand,
    calls: Mutex<Vec<ExternalCall>>,
}

impl ExternalPolicy {
    pub fn new(command: PolicyCommand) -> ExternalPolicy {
        ExternalPolicy {
            command,
            calls: Mutex::new(Vec::new()),
        }
    }

    pub fn command(&self) -> &PolicyCommand {
        &self.command
    }

    /// Every call so far, in order.
    pub fn calls(&self) -> Vec<ExternalCall> {
        self.calls.lock().map(|c| c.clone()).unwrap_or_default()
    }

    /// Runs the command on `problem` with `time_limit`: the plan, or why there is none; the policy's own
    /// time and the rest.
    fn call(
        &self,
        problem: &RecoveryProblem,
        time_limit: Duration,
    ) -> (Result<RecoveryPlan, String>, Duration, Duration) {
        let started = Instant::now();
        let dir = match tempfile::Builder::new().prefix("ucodts-policy-").tempdir() {
            Ok(dir) => dir,
            Err(e) => {
                return (
                    Err(format!("could not make a working folder: {e}")),
                    Duration::ZERO,
                    started.elapsed(),
                )
            }
        };
        let input = dir.path().join("problem.json");
        let written = serde_json::to_vec(&problem_document(problem, time_limit))
            .map_err(|e| e.to_string())
            .and_then(|bytes| std::fs::write(&input, bytes).map_err(|e| e.to_string()));
        if let Err(e) = written {
            return (
                Err(format!("could not write the problem document: {e}")),
                Duration::ZERO,
                started.elapsed(),
            );
        }
        let run = policy_cmd::run_with_input(
            &self.command,
            &[] as &[OsString],
            Some(&input),
            time_limit,
            GRACE,
            dir.path(),
        );
        let (plan, own) = match run {
            Ok(run) => (
                read_output(&dir.path().join("policy.stdout"))
                    .and_then(|text| read_plan(&text, problem)),
                run.policy_time,
            ),
            Err(failure) => (Err(failure.to_string()), Duration::ZERO),
        };
        let total = started.elapsed();
        (plan, own, total.saturating_sub(own))
    }
}

/// A policy's standard output, at most [`MAX_PLAN_BYTES`], as UTF-8.
fn read_output(path: &Path) -> Result<String, String> {
    let file =
        std::fs::File::open(path).map_err(|e| format!("its standard output is gone: {e}"))?;
    let mut bytes = Vec::new();
    file.take(MAX_PLAN_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("reading its standard output: {e}"))?;
    if bytes.len() as u64 > MAX_PLAN_BYTES {
        return Err(format!(
            "its standard output is over {} MiB, more than any plan",
            MAX_PLAN_BYTES >> 20
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "its standard output is not UTF-8 (byte {})",
            e.utf8_error().valid_up_to()
        )
    })
}

impl RecoveryPolicy for ExternalPolicy {
    fn name(&self) -> &'static str {
        EXTERNAL
    }

    fn search(
        &self,
        problem: &RecoveryProblem,
        search: &mut Search<'_>,
    ) -> Result<(), OptimizerError> {
        let time_limit = search.remaining().max(MIN_POLICY_TIME);
        let (plan, own, overhead) = self.call(problem, time_limit);
        let call = ExternalCall {
            outcome: if plan.is_ok() { "plan" } else { "failed" },
            why: plan.as_ref().err().cloned().unwrap_or_default(),
            policy_seconds: own.as_secs_f64(),
            overhead_ms: overhead.as_secs_f64() * 1000.0,
        };
        if let Ok(mut calls) = self.calls.lock() {
            calls.push(call);
        }
        if let Ok(plan) = plan {
            search.offer(plan);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem() -> RecoveryProblem {
        let loaded = crate::scenario::load("captain-no-show", None).expect("a library scenario");
        super::super::problem(&loaded.schedule, &loaded.scenario)
            .expect("its recovery problem")
            .problem
    }

    #[test]
    fn the_planned_rotations_read_back_as_the_plan_that_changes_nothing() {
        let problem = problem();
        let doc = problem_document(&problem, Duration::from_secs(3));
        assert_eq!(doc.version, PROBLEM_VERSION);
        assert_eq!(doc.flights.len(), problem.flights.len());
        assert_eq!(doc.aircraft.len(), problem.aircraft.len());
        assert!(doc.flights.iter().all(|f| f.operator.is_some()));
        // The document is what a policy gets: it reads back from its JSON text.
        let text = serde_json::to_string(&doc).unwrap();
        let again: ProblemDocument = serde_json::from_str(&text).unwrap();
        assert_eq!(again, doc);
        let plan_text = serde_json::to_string(&PlanDocument::as_planned(&doc)).unwrap();
        let plan = read_plan(&plan_text, &problem).expect("a plan of the problem");
        assert!(
            plan.actions(&problem).is_empty(),
            "{:?}",
            plan.actions(&problem)
        );
        let flown: usize = plan.rotations.iter().map(Vec::len).sum();
        assert_eq!(flown + plan.cancelled.len(), problem.flights.len());
    }

    #[test]
    fn a_plan_that_is_not_of_the_problem_is_refused_saying_where() {
        let problem = problem();
        let doc = problem_document(&problem, Duration::from_secs(3));
        let good = PlanDocument::as_planned(&doc);
        let refused = |plan: &PlanDocument| {
            read_plan(&serde_json::to_string(plan).unwrap(), &problem).expect_err("refused")
        };
        let mut bad = good.clone();
        bad.version = "ucodts.recovery-plan/9".into();
        assert!(refused(&bad).contains("field `version`"));
        let mut bad = good.clone();
        bad.rotations[0].aircraft = 1_000_000;
        assert!(refused(&bad).starts_with("rotations[0].aircraft: aircraft 1000000 does not exist"));
        let mut bad = good.clone();
        bad.rotations[1].aircraft = bad.rotations[0].aircraft;
        assert!(refused(&bad).contains("has two rotations"));
        let mut bad = good.clone();
        let first = bad
            .rotations
            .iter()
            .position(|r| !r.legs.is_empty())
            .unwrap();
        let leg = bad.rotations[first].legs[0].clone();
        let other = (first + 1) % bad.rotations.len();
        bad.rotations[other].legs.push(leg);
        assert!(refused(&bad).contains("is flown twice"));
        let mut bad = good.clone();
        bad.rotations[first].legs[0].departure = "tomorrow".into();
        let why = refused(&bad);
        assert!(
            why.starts_with(&format!("rotations[{first}].legs[0].departure")),
            "{why}"
        );
        let why = read_plan("{\"version\": 1,\n \"rotations\": []}", &problem).unwrap_err();
        assert!(why.contains("line 1, column"), "{why}");
        let why = read_plan(
            "{\"version\": \"x\", \"rotations\": [], \"extra\": 1}",
            &problem,
        )
        .unwrap_err();
        assert!(why.contains("unknown field `extra`"), "{why}");
    }
}
