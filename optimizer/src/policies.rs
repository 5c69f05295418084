//! The policies by name, for the command line: `constructive`, the MILP and LNS policies as they are added,
//! and `best`, the strongest available.

use crate::{ConstructivePolicy, LnsPolicy, MilpPolicy, OptimizerError, RecoveryPolicy};

/// The names [`by_name`] knows, strongest last (`best` picks the last).
pub const NAMES: &[&str] = &["constructive", "milp", "lns"];

/// The policy called `name`; `best` is the strongest available.
pub fn by_name(name: &str) -> Result<Box<dyn RecoveryPolicy>, OptimizerError> {
    let name = if name == "best" {
        NAMES[NAMES.len() - 1]
    } else {
        name
    };
    match name {
        "constructive" => Ok(Box::new(ConstructivePolicy::default())),
        "milp" => Ok(Box::new(MilpPolicy::default())),
        "lns" => Ok(Box::new(LnsPolicy::default())),
        _ => Err(OptimizerError::UnknownPolicy {
            name: name.to_string(),
            known: format!("{}, best", NAMES.join(", ")),
        }),
    }
}

/// The policy called `name` with its random choices (neighbourhood draws, the solver's random seed) derived
/// from `seed`, so that a run's master seed drives the optimizer too. [`by_name`] uses the fixed defaults.
pub fn by_name_seeded(name: &str, seed: u64) -> Result<Box<dyn RecoveryPolicy>, OptimizerError> {
    let name = if name == "best" {
        NAMES[NAMES.len() - 1]
    } else {
        name
    };
    match name {
        "milp" => Ok(Box::new(MilpPolicy {
            random_seed: solver_seed(seed),
            ..MilpPolicy::default()
        })),
        "lns" => Ok(Box::new(LnsPolicy {
            seed,
            ..LnsPolicy::default()
        })),
        _ => by_name(name),
    }
}

/// HiGHS takes a non-negative `i32` random seed.
pub fn solver_seed(seed: u64) -> i32 {
    (seed % (i32::MAX as u64)) as i32
}
