//! The ROADEF/EURO Challenge 2009 (Amadeus) instance and solution formats, read into and written from
//! `ucodts_model::recovery` types. The files and their rules are specified in
//! `../shared/benchmarks/roadef2009/SPEC.md`; this module only moves data, the checker and the cost
//! evaluator live in the model (`ucodts_model::recovery::evaluate`).
//!
//! How the formats map onto the model:
//!
//! | file | becomes |
//! |---|---|
//! | `config.csv` line 1 | `RecoveryProblem::window_start` / `window_end` (minutes since 1970; dates `DD/MM/YY` are 20YY) |
//! | `config.csv` lines 2-7 | `CostConfig`, every amount in cents |
//! | `airports.csv` | `RecoveryAirport::daily_capacity`, one entry per clock hour (`00:00` as an end is 24:00) |
//! | `alt_airports.csv` | `RecoveryAirport::cuts`, sorted, overlaps rejected |
//! | `dist.csv` | `RouteTable` (block time of a created flight, route class D/C/I) |
//! | `flights.csv` + `rotations.csv` | `Flight`s (one per number and date of `rotations.csv`), its aircraft the planned one |
//! | `alt_flights.csv` | `Flight::disruption`: a delay in minutes, or `-1` = cancelled |
//! | `aircraft.csv` | `RecoveryAircraft` (seats `-1` = unlimited; family `TranspCom` = ground transport), maintenance slot |
//! | `alt_aircraft.csv` | `RecoveryAircraft::unavailable` |
//! | `itineraries.csv` | `Itinerary` (`A` outbound, `R` return), price in cents |
//! | `position.csv` | `PositionRequirement`s, the model's family taken from `aircraft.csv` |
//! | `sol_rotations.csv` | `RecoveryPlan::rotations` (lines with an aircraft), `cancelled` (planned flights written `cancelled`), `new_flights` (numbers and dates not in `rotations.csv`) |
//! | `sol_itineraries.csv` | `RecoveryPlan::passengers`, one `PassengerLine` per line, in file order |
//!
//! ```no_run
//! use std::path::Path;
//! use ucodts_datasets::roadef2009;
//! use ucodts_model::recovery::{evaluate, RecoveryPlan};
//!
//! let problem = roadef2009::load(Path::new("../shared/benchmarks/roadef2009/instances/A01")).unwrap();
//! let plan = RecoveryPlan::with_disruptions_applied(&problem);
//! let verdict = evaluate(&problem, &plan);
//! println!("feasible {}, cost {}", verdict.feasible, verdict.cost.total);
//! roadef2009::write_solution(&problem, &plan, Path::new("/tmp/A01-solution")).unwrap();
//! ```

mod instance;
mod records;
mod solution;

use std::path::Path;

pub use instance::{load, INSTANCE_FILES};
pub use solution::{read_solution, write_solution, ITINERARIES_FILE, ROTATIONS_FILE};

use ucodts_model::recovery::{evaluate, Evaluation, RecoveryPlan, RecoveryProblem};

use crate::DatasetError;

/// An instance, a solution of it read from files, and the verdict of the checker and cost evaluator.
#[derive(Debug)]
pub struct SolutionCheck {
    pub problem: RecoveryProblem,
    pub plan: RecoveryPlan,
    pub evaluation: Evaluation,
}

/// Loads an instance and a solution folder and checks and prices the solution (official cost behaviours).
pub fn check_solution_dir(
    instance_dir: &Path,
    solution_dir: &Path,
) -> Result<SolutionCheck, DatasetError> {
    let problem = load(instance_dir)?;
    let plan = read_solution(&problem, solution_dir)?;
    let evaluation = evaluate(&problem, &plan);
    Ok(SolutionCheck {
        problem,
        plan,
        evaluation,
    })
}
