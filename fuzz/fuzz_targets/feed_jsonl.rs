#![no_main]
//! Body: `ucodts_fuzz_harness::feed_jsonl` (kept crash inputs: fuzz/regressions/feed_jsonl/).

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = ucodts_fuzz_harness::feed_jsonl(data);
});
