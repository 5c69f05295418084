//! The Tianchi 2017 Xiamen Airlines typhoon challenge (`../shared/benchmarks/tianchi2017`, described in its
//! `README-card.md`): the contest sheets of either season as clean CSV files (`s1_*.csv`, `s2_*.csv`) read
//! into a [`TyphoonProblem`], and the contest's solution file read and written ([`read_solution`],
//! [`write_solution`]). Only the contest's own sheets are read; aircraft and through pairs are derived from
//! the flights exactly as the scorer derives them (the folder's derived `*_aircraft.csv` and
//! `*_connecting_pairs.csv` hold the same). The rules and scores live in `ucodts_model::tianchi2017`.
//!
//! ```no_run
//! use std::path::Path;
//! use ucodts_datasets::tianchi2017;
//! use ucodts_model::tianchi2017::{evaluate, Season, TyphoonPlan};
//!
//! let dir = Path::new("../shared/benchmarks/tianchi2017");
//! let problem = tianchi2017::load(dir, Season::Two).unwrap();
//! let verdict = evaluate(&problem, &TyphoonPlan::original(&problem));
//! assert!(!verdict.feasible); // the original plan flies into the typhoon
//! ```

mod instance;
mod solution;

pub use instance::{file_names, load};
pub use solution::{format_solution, parse_solution, read_solution, write_solution};

/// The file a solution is written to under the output folder, by season.
pub fn solution_file_name(season: ucodts_model::tianchi2017::Season) -> String {
    format!("s{}_solution.csv", season.number())
}
