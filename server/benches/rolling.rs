//! How long a rolling re-forecast takes (issue 17's goal: a 1,700-leg day with 100 replications in under
//! 2 s on the 2-core machine), against a baseline in the same run: `ucodts simulate` of the same day at
//! the same replications and seed (the whole day flown from its start, no live state).
//!
//! The re-forecast is what the server's rolling task does when the feed has changed the picture
//! (`api::live`): read the live state (`forecast::prepare`), fly the rest of the day
//! (`RollingTwin::forecast_prepared`: the world from the state, the replications, the summary with the
//! predicted alerts) and the feed's own alerts (`forecast::actual_alerts`). The live state is the
//! embedded default's recorded day as its feed up to each `now`, so the flown part grows through the day.
//! Each is timed after one untimed run (the delay model and the schedule are built once, as on a
//! running server), on every core (threads 0), best of three.
//!
//! Run: `cargo bench -p ucodts-server --bench rolling`. Prints a table; numbers in docs/benchmarks.md.

use std::time::{Duration, Instant};

use ucodts_live::replay::{recorded_day, ReplayOptions};
use ucodts_live::LiveState;
use ucodts_model::{Date, UtcMinute};
use ucodts_workflows::forecast::{self, ForecastOptions, RollingTwin};
use ucodts_workflows::progress::Silent;
use ucodts_workflows::twin::{simulate, DataRequest, RunRequest};

const REPLICATIONS: u64 = 100;
const RUNS: usize = 3;

fn best_of<T>(mut run: impl FnMut() -> T) -> (Duration, T) {
    let mut out = run();
    let mut best = Duration::MAX;
    for _ in 0..RUNS {
        let start = Instant::now();
        out = run();
        best = best.min(start.elapsed());
    }
    (best, out)
}

fn main() {
    let day = Date::new(2013, 7, 2).unwrap();
    let schedule = ucodts_workflows::data::default_with_crew().unwrap();
    let twin = RollingTwin::embedded();
    let options = ForecastOptions {
        replications: REPLICATIONS,
        ..ForecastOptions::default()
    };
    let data = DataRequest {
        data: None,
        from: Some(day.to_string()),
        to: None,
    };
    let run = RunRequest {
        reps: Some(REPLICATIONS),
        ..RunRequest::default()
    };
    let (base, simulated) = best_of(|| simulate(&data, &run, &Silent).unwrap());
    println!(
        "{day}: {} legs, {REPLICATIONS} replications, {} threads",
        simulated.legs,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!("{:<68} {:>9} {:>11}", "run", "seconds", "x baseline");
    let row = |what: &str, took: Duration| {
        println!(
            "{what:<68} {:>9.3} {:>11.2}",
            took.as_secs_f64(),
            took.as_secs_f64() / base.as_secs_f64()
        );
    };
    row("baseline: simulate the whole day", base);
    let feed = recorded_day(&schedule, day, ReplayOptions::default());
    for now in [
        "2013-07-02T12:00Z",
        "2013-07-02T16:00Z",
        "2013-07-02T22:00Z",
    ] {
        let now = UtcMinute::parse(now).unwrap();
        let mut state = LiveState::new(&schedule);
        for e in feed.events.iter().filter(|e| e.sent <= now) {
            state.apply(e).unwrap();
        }
        let (took, f) = best_of(|| {
            let prepared = forecast::prepare(&state, &options).unwrap();
            let actual = forecast::actual_alerts(&state, options.long_delay_min);
            let f = twin.forecast_prepared(&prepared, &options).unwrap();
            (f, actual)
        });
        row(
            &format!(
                "re-forecast at {now} ({} legs to arrive, {} alerts)",
                f.0.remaining.legs,
                f.0.alerts.len() + f.1.len()
            ),
            took,
        );
    }
}
