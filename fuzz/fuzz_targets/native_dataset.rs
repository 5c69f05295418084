#![no_main]
//! Body: `ucodts_fuzz_harness::native_dataset` (kept crash inputs: fuzz/regressions/native_dataset/).

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = ucodts_fuzz_harness::native_dataset(data);
});
