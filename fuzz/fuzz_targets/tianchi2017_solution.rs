#![no_main]
//! Body: `ucodts_fuzz_harness::tianchi2017_solution` (kept crash inputs: fuzz/regressions/tianchi2017_solution/).

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = ucodts_fuzz_harness::tianchi2017_solution(data);
});
