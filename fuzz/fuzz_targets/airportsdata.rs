#![no_main]
//! Body: `ucodts_fuzz_harness::airportsdata` (kept crash inputs: fuzz/regressions/airportsdata/).

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = ucodts_fuzz_harness::airportsdata(data);
});
