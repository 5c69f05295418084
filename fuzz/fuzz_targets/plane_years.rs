#![no_main]
//! Body: `ucodts_fuzz_harness::plane_years` (kept crash inputs: fuzz/regressions/plane_years/).

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = ucodts_fuzz_harness::plane_years(data);
});
