//! The runway benchmark model: our kernel, the bare heap loop and (if `../shared` and Python are there)
//! SimPy, on the same parameters. Run it in release mode for meaningful numbers:
//!
//! cargo run --release -p ucodts-sim --example runway -- [AIRCRAFT AIRPORTS HORIZON_MIN SEED]

use ucodts_sim::bench_models::runway::{compare_engines, RunwayParams, SimpyBaseline};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .map(|a| a.parse())
        .collect::<Result<_, _>>()?;
    let default = RunwayParams::default();
    let params = RunwayParams {
        aircraft: args
            .first()
            .map_or(Ok(default.aircraft), |&n| u32::try_from(n))?,
        airports: args
            .get(1)
            .map_or(Ok(default.airports), |&n| u32::try_from(n))?,
        horizon_min: args
            .get(2)
            .map_or(Ok(default.horizon_min), |&n| u32::try_from(n))?,
        seed: args.get(3).copied().unwrap_or(default.seed),
    };
    let comparison = compare_engines(&params, SimpyBaseline::locate().as_ref(), 5)?;
    println!("{}", serde_json::to_string_pretty(&comparison)?);
    Ok(())
}
