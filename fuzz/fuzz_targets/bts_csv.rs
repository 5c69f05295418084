#![no_main]
//! Body: `ucodts_fuzz_harness::bts_csv` (kept crash inputs: fuzz/regressions/bts_csv/).

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = ucodts_fuzz_harness::bts_csv(data);
});
