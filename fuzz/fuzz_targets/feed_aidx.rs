#![no_main]
//! Body: `ucodts_fuzz_harness::feed_aidx` (kept crash inputs: fuzz/regressions/feed_aidx/).

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = ucodts_fuzz_harness::feed_aidx(data);
});
