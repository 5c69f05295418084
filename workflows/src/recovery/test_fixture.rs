//! A library scenario on the embedded default with its recovery problem: what the recovery modules' unit
//! tests start from.

use ucodts_model::recovery::RecoveryProblem;
use ucodts_model::Schedule;
use ucodts_scenarios::Scenario;

pub(crate) struct Fixture {
    pub schedule: Schedule,
    pub scenario: Scenario,
    pub problem: RecoveryProblem,
}

/// The library scenario `name` on the embedded default (with its generated crew).
pub(crate) fn fixture(name: &str) -> Fixture {
    let schedule = crate::data::default_with_crew().expect("the embedded default builds");
    let (_, file, _) = crate::scenario::read(name).expect("a library scenario");
    let scenario = file
        .validate(&schedule)
        .expect("the library scenario is valid");
    let problem = super::problem(&schedule, &scenario)
        .expect("the scenario's recovery problem")
        .problem;
    Fixture {
        schedule,
        scenario,
        problem,
    }
}
