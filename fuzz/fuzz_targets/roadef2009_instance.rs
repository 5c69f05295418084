#![no_main]
//! Body: `ucodts_fuzz_harness::roadef2009_instance` (kept crash inputs: fuzz/regressions/roadef2009_instance/).

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = ucodts_fuzz_harness::roadef2009_instance(data);
});
