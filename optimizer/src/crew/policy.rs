//! The crew policies behind one trait, so that the joint aircraft-then-crew recovery
//! ([`crate::integrated`]) and the command line pick a crew policy by name the way they pick an aircraft
//! policy ([`crate::policies`]), without knowing which one runs.
//!
//! - `greedy` ([`GreedyCrewPolicy`]): [`greedy_repair`], a first plan in well under a second.
//! - `milp` ([`MilpCrewPolicy`]): [`solve_milp`] started from the greedy plan, so it never costs more than
//!   the greedy repair on the same problem.

use ucodts_model::recovery::crew::CrewRecoveryProblem;

use super::{greedy_repair, solve_milp, CrewRecoveryOptions, CrewSolution};
use crate::OptimizerError;

/// A way to repair the crew rosters a disruption breaks. Every plan a policy returns has been judged by
/// [`ucodts_model::recovery::crew::evaluate`] (the judgement is in [`CrewSolution::evaluation`]).
///
/// **Determinism:** the same problem and options give the same plan; only where a solver's time limit cuts
/// it off depends on the machine.
pub trait CrewPolicy {
    /// The name used on the command line and in reports (`greedy`, `milp`).
    fn name(&self) -> &'static str;

    /// A judged plan for `problem`.
    fn solve(
        &self,
        problem: &CrewRecoveryProblem<'_>,
        options: &CrewRecoveryOptions,
    ) -> Result<CrewSolution, OptimizerError>;
}

/// The greedy repair ([`greedy_repair`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct GreedyCrewPolicy;

impl CrewPolicy for GreedyCrewPolicy {
    fn name(&self) -> &'static str {
        "greedy"
    }

    fn solve(
        &self,
        problem: &CrewRecoveryProblem<'_>,
        options: &CrewRecoveryOptions,
    ) -> Result<CrewSolution, OptimizerError> {
        Ok(greedy_repair(problem, options))
    }
}

/// The set-partitioning MILP ([`solve_milp`]), warm-started from the greedy repair's plan: the greedy plan
/// is a solution of the model and the better of the two is returned, so this policy never costs more than
/// [`GreedyCrewPolicy`].
///
/// The warm start is the greedy choice over the MILP's own pool of candidate rosters, which is the plan
/// [`greedy_repair`] returns (the pool is built the same way), without building the pool twice.
#[derive(Clone, Copy, Debug, Default)]
pub struct MilpCrewPolicy;

impl CrewPolicy for MilpCrewPolicy {
    fn name(&self) -> &'static str {
        "milp"
    }

    fn solve(
        &self,
        problem: &CrewRecoveryProblem<'_>,
        options: &CrewRecoveryOptions,
    ) -> Result<CrewSolution, OptimizerError> {
        solve_milp(problem, options, None)
    }
}

/// The names [`crew_policy_by_name`] knows.
pub const CREW_POLICY_NAMES: &[&str] = &["greedy", "milp"];

/// The crew policy called `name`.
pub fn crew_policy_by_name(name: &str) -> Result<Box<dyn CrewPolicy>, OptimizerError> {
    match name {
        "greedy" => Ok(Box::new(GreedyCrewPolicy)),
        "milp" => Ok(Box::new(MilpCrewPolicy)),
        _ => Err(OptimizerError::UnknownCrewPolicy {
            name: name.to_string(),
            known: CREW_POLICY_NAMES.join(", "),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_crew_policy_is_found_by_its_name() {
        for name in CREW_POLICY_NAMES {
            assert_eq!(crew_policy_by_name(name).unwrap().name(), *name);
        }
    }

    #[test]
    fn an_unknown_crew_policy_is_an_error_listing_the_known_ones() {
        let err = crew_policy_by_name("tabu").err().unwrap();
        let text = err.to_string();
        assert!(
            text.contains("\"tabu\"") && text.contains("greedy, milp"),
            "{text}"
        );
    }
}
