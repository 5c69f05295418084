//! The one door to the checker: every plan the optimizer keeps is evaluated here.
//!
//! Placeholder until `ucodts_model::recovery::evaluate` lands: it rejects every plan, so nothing leaves the
//! optimizer unchecked in the meantime.

use ucodts_model::recovery::{Cents, RecoveryPlan, RecoveryProblem};

#[derive(Clone, Debug)]
pub struct CostTotal {
    pub total: Cents,
}

#[derive(Clone, Debug)]
pub struct Evaluation {
    pub feasible: bool,
    pub violations: Vec<String>,
    pub cost: CostTotal,
}

pub fn evaluate(_problem: &RecoveryProblem, _plan: &RecoveryPlan) -> Evaluation {
    Evaluation {
        feasible: false,
        violations: vec!["the recovery checker is not available yet".into()],
        cost: CostTotal { total: Cents::ZERO },
    }
}
