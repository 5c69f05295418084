#![no_main]
//! Body: `ucodts_fuzz_harness::gmcm2021f` (kept crash inputs: fuzz/regressions/gmcm2021f/).

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = ucodts_fuzz_harness::gmcm2021f(data);
});
