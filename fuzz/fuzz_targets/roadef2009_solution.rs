#![no_main]
//! Body: `ucodts_fuzz_harness::roadef2009_solution` (kept crash inputs: fuzz/regressions/roadef2009_solution/).

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = ucodts_fuzz_harness::roadef2009_solution(data);
});
