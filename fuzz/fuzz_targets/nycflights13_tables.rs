#![no_main]
//! Body: `ucodts_fuzz_harness::nycflights13_tables` (kept crash inputs: fuzz/regressions/nycflights13_tables/).

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = ucodts_fuzz_harness::nycflights13_tables(data);
});
