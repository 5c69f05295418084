//! A run of the search on the challenge's data under a budget of steps rather than seconds, for comparing
//! two builds at equal work on a loaded machine (ignored; needs `../shared/benchmarks/tianchi2017`):
//!
//! ```sh
//! UCODTS_TIANCHI_STEPS=40000 UCODTS_TIANCHI_SEED=1 cargo test --release -p ucodts-optimizer \
//!     tianchi::steps_run -- --ignored --nocapture
//! ```

use std::path::PathBuf;
use std::time::{Duration, Instant};

use ucodts_model::tianchi2017::Season;

use super::{recover, TyphoonOptions};
use crate::SteppingClock;

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
#[ignore = "a measurement on the challenge's data, run by hand"]
fn season_two_under_a_step_budget() {
    let dir = std::env::var("UCODTS_TIANCHI_DIR").map_or_else(
        |_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/benchmarks/tianchi2017"),
        PathBuf::from,
    );
    let problem = ucodts_datasets::tianchi2017::load(&dir, Season::Two).expect("the data");
    let steps = env("UCODTS_TIANCHI_STEPS", 20_000);
    let options = TyphoonOptions {
        // One reading of the stepping clock per step (and a few more per check): about `steps` steps.
        time_limit: Duration::from_millis(steps),
        seed: env("UCODTS_TIANCHI_SEED", 1),
    };
    let started = Instant::now();
    let r = recover(
        &problem,
        &options,
        &SteppingClock::new(Duration::from_millis(1)),
    );
    let e = &r.evaluation;
    println!(
        "seed {} steps {} kept {} feasible {} score {:.1} wall {:.1} s",
        options.seed,
        r.steps,
        r.steps_kept,
        e.feasible,
        e.score,
        started.elapsed().as_secs_f64()
    );
    println!("{:?}", e.cost);
    println!("{:?}", e.actions);
    assert!(e.feasible, "{:?}", e.violations);
}
