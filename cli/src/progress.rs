//! Progress on stderr (indicatif) for the workflows' [`Progress`] callback; quiet when stderr is not a
//! terminal, and silent altogether for `--json`.

use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use ucodts_workflows::Progress;

/// A spinner for a stage of unknown length, a bar for a counted one.
pub struct Bars {
    current: Mutex<Option<ProgressBar>>,
    /// Notes are printed even when bars are not drawn (they go to stderr, never into `--json`).
    quiet: bool,
}

impl Bars {
    /// Bars on stderr; `quiet` draws none (for `--json`), but notes still reach stderr.
    pub fn new(quiet: bool) -> Bars {
        Bars {
            current: Mutex::new(None),
            quiet,
        }
    }

    fn with<T>(&self, f: impl FnOnce(&mut Option<ProgressBar>) -> T) -> T {
        // A poisoned lock only means another thread panicked while drawing: the bar is still usable.
        let mut guard = self.current.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut guard)
    }
}

impl Progress for Bars {
    fn stage(&self, name: &str, steps: Option<u64>) {
        if self.quiet {
            return;
        }
        let bar = ProgressBar::with_draw_target(steps, ProgressDrawTarget::stderr());
        let template = match steps {
            Some(_) => "{msg} [{bar:30}] {pos}/{len} [{elapsed}, {eta} left]",
            None => "{spinner} {msg} [{elapsed}]",
        };
        bar.set_style(ProgressStyle::with_template(template).expect("a valid template"));
        bar.set_message(name.to_string());
        if steps.is_none() {
            bar.enable_steady_tick(Duration::from_millis(120));
        }
        self.with(|current| {
            if let Some(old) = current.replace(bar) {
                old.finish_and_clear();
            }
        });
    }

    fn step(&self) {
        self.with(|current| {
            if let Some(bar) = current {
                bar.inc(1);
            }
        });
    }

    fn done(&self) {
        self.with(|current| {
            if let Some(bar) = current.take() {
                bar.finish_and_clear();
            }
        });
    }

    fn note(&self, text: &str) {
        self.with(|current| match current {
            Some(bar) => bar.suspend(|| eprintln!("note: {text}")),
            None => eprintln!("note: {text}"),
        });
    }
}

/// Runs `f` under a spinner named `what`.
pub fn spin<T>(bars: &Bars, what: &str, f: impl FnOnce() -> T) -> T {
    bars.stage(what, None);
    let out = f();
    bars.done();
    out
}
