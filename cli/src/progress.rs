//! Progress display on stderr (indicatif), quiet when stderr is not a terminal.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A spinner with a message, ticking on its own, for work that takes more than a moment.
pub fn spinner(message: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{elapsed}]").expect("a valid template"),
    );
    bar.set_message(message.to_string());
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// Shows a stage and a count on a spinner.
pub fn report(bar: &ProgressBar, stage: &str, count: u64) {
    bar.set_message(format!("{stage}: {count} records"));
}

/// A bar counting `len` steps (replications) with a message, for runs long enough to watch.
pub fn bar(len: u64, message: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} [{elapsed}, {eta} left]")
            .expect("a valid template"),
    );
    bar.set_message(message.to_string());
    bar
}
