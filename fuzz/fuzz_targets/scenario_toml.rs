#![no_main]
//! Body: `ucodts_fuzz_harness::scenario_toml` (kept crash inputs: fuzz/regressions/scenario_toml/).

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = ucodts_fuzz_harness::scenario_toml(data);
});
