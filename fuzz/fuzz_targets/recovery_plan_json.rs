#![no_main]
//! Body: `ucodts_fuzz_harness::recovery_plan_json` (kept crash inputs: fuzz/regressions/recovery_plan_json/).

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = ucodts_fuzz_harness::recovery_plan_json(data);
});
