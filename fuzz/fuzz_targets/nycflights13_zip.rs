#![no_main]
//! Body: `ucodts_fuzz_harness::nycflights13_zip` (kept crash inputs: fuzz/regressions/nycflights13_zip/).

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = ucodts_fuzz_harness::nycflights13_zip(data);
});
