//! The Tianchi 2017 search on the challenge's data under a budget of steps rather than seconds, for
//! comparing two builds at equal work on a loaded machine (the wall-clock `ucodts bench tianchi2017`
//! gives a loaded machine fewer steps):
//!
//! ```sh
//! cargo run --release -p ucodts-optimizer --example tianchi_steps -- [STEPS] [SEED] [DATA_DIR]
//! ```
//!
//! STEPS defaults to 20,000, SEED to 1, DATA_DIR to `../shared/benchmarks/tianchi2017` beside the
//! repository. Season 2. Prints the steps taken, the score, its terms and the actions; exits non-zero
//! when the plan is infeasible.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use ucodts_model::tianchi2017::Season;
use ucodts_optimizer::tianchi::{recover, TyphoonOptions};
use ucodts_optimizer::SteppingClock;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |i: usize, default: u64| -> Result<u64, String> {
        args.get(i).map_or(Ok(default), |a| {
            a.parse()
                .map_err(|_| format!("argument {}: {a:?} is not a whole number", i + 1))
        })
    };
    let steps = number(0, 20_000)?;
    let seed = number(1, 1)?;
    let dir = args.get(2).map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/benchmarks/tianchi2017"),
        PathBuf::from,
    );
    let problem = ucodts_datasets::tianchi2017::load(&dir, Season::Two)
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    let options = TyphoonOptions {
        // One reading of the stepping clock per step (and a few more per check): about `steps` steps.
        time_limit: Duration::from_millis(steps),
        seed,
    };
    let started = Instant::now();
    let r = recover(
        &problem,
        &options,
        &SteppingClock::new(Duration::from_millis(1)),
    );
    let e = &r.evaluation;
    println!(
        "seed {seed} steps {} kept {} feasible {} score {:.1} wall {:.1} s",
        r.steps,
        r.steps_kept,
        e.feasible,
        e.score,
        started.elapsed().as_secs_f64()
    );
    println!("{:?}", e.cost);
    println!("{:?}", e.actions);
    if !e.feasible {
        return Err(format!("infeasible: {:?}", e.violations).into());
    }
    Ok(())
}
