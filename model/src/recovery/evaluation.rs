//! One call that says everything about a plan: whether it may be flown, which rules it breaks, and what it
//! costs. The optimizer, the benchmark and the solution-file checker all use it, so a plan is always judged
//! by the same code.

use super::check::{check_indexed, PlanIndex, Violation};
use super::cost::{cost_indexed, CostBreakdown, CostRules};
use super::plan::RecoveryPlan;
use super::problem::RecoveryProblem;

/// The verdict on a plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evaluation {
    /// No rule is broken.
    pub feasible: bool,
    /// Every broken rule (empty when feasible).
    pub violations: Vec<Violation>,
    /// The cost, also for an infeasible plan (zero if the plan does not fit the problem at all).
    pub cost: CostBreakdown,
}

/// Checks and prices a plan under the problem's cost rules (the official checker's unless the problem
/// says otherwise: [`RecoveryProblem::with_cost_rules`]).
pub fn evaluate(problem: &RecoveryProblem, plan: &RecoveryPlan) -> Evaluation {
    evaluate_with(problem, plan, problem.cost_rules)
}

/// Checks and prices a plan under the given cost rules.
pub fn evaluate_with(
    problem: &RecoveryProblem,
    plan: &RecoveryPlan,
    rules: CostRules,
) -> Evaluation {
    match PlanIndex::new(problem, plan) {
        Ok(index) => {
            let violations = check_indexed(problem, &index);
            let cost = cost_indexed(problem, &index, rules);
            Evaluation {
                feasible: violations.is_empty(),
                violations,
                cost,
            }
        }
        Err(what) => Evaluation {
            feasible: false,
            violations: vec![Violation::MalformedPlan { what }],
            cost: CostBreakdown::default(),
        },
    }
}
