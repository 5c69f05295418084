#![no_main]
//! Body: `ucodts_fuzz_harness::native_manifest` (kept crash inputs: fuzz/regressions/native_manifest/).

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = ucodts_fuzz_harness::native_manifest(data);
});
