#![no_main]
//! Body: `ucodts_fuzz_harness::tianchi2017_instance` (kept crash inputs: fuzz/regressions/tianchi2017_instance/).

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = ucodts_fuzz_harness::tianchi2017_instance(data);
});
