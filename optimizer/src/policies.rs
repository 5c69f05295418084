//! The policies by name, for the command line: `constructive`, the MILP and LNS policies as they are added,
//! and `best`, the strongest available.

use crate::{ConstructivePolicy, LnsPolicy, MilpPolicy, OptimizerError, RecoveryPolicy};

/// The names [`by_name`] knows, strongest last (`best` picks the last).
pub const NAMES: &[&str] = &["constructive", "milp", "lns"];

/// The policy called `name` with its fixed default seeds; `best` is the strongest available.
pub fn by_name(name: &str) -> Result<Box<dyn RecoveryPolicy>, OptimizerError> {
    policy(name, None)
}

/// The policy called `name` with its random choices (neighbourhood draws, the solver's random seed) derived
/// from `seed`, so that a run's master seed drives the optimizer too, and the large-neighbourhood search
/// on a work budget ([`crate::lns::NEIGHBOURHOODS_PER_SECOND`] of its time limit), so that the same seed
/// gives the same plan on any machine and load.
pub fn by_name_seeded(name: &str, seed: u64) -> Result<Box<dyn RecoveryPolicy>, OptimizerError> {
    policy(name, Some(seed))
}

/// Whether the policy called `name`, built by [`by_name_seeded`], searches on a work budget proportional to
/// its time limit (the large-neighbourhood search): the policy that keeps improving with more time.
pub fn on_work_budget(name: &str) -> bool {
    resolve(name) == "lns"
}

/// The policy a name means: `best` is the strongest available (the last of [`NAMES`]).
fn resolve(name: &str) -> &str {
    if name == "best" {
        NAMES[NAMES.len() - 1]
    } else {
        name
    }
}

fn policy(name: &str, seed: Option<u64>) -> Result<Box<dyn RecoveryPolicy>, OptimizerError> {
    let name = resolve(name);
    match name {
        "constructive" => Ok(Box::new(ConstructivePolicy::default())),
        "milp" => {
            let default = MilpPolicy::default();
            Ok(Box::new(MilpPolicy {
                random_seed: seed.map_or(default.random_seed, solver_seed),
                ..default
            }))
        }
        "lns" => {
            let default = LnsPolicy::default();
            Ok(Box::new(LnsPolicy {
                seed: seed.unwrap_or(default.seed),
                neighbourhoods_per_second: seed.map(|_| crate::lns::NEIGHBOURHOODS_PER_SECOND),
                ..default
            }))
        }
        _ => Err(OptimizerError::UnknownPolicy {
            name: name.to_string(),
            known: format!("{}, best", NAMES.join(", ")),
        }),
    }
}

/// HiGHS takes a non-negative `i32` random seed.
pub fn solver_seed(seed: u64) -> i32 {
    (seed % (i32::MAX as u64)) as i32
}
