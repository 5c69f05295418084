//! The one error type of this crate: every way a world, a delay model or a run can be refused, with the
//! context a user needs to fix the input.

use std::path::PathBuf;

use ucodts_model::{Date, LegId};

/// Everything that can go wrong in `ucodts-actors`.
#[derive(Debug, thiserror::Error)]
pub enum ActorsError {
    /// The window ends before it starts.
    #[error("the window {from} .. {to} ends before it starts")]
    BadWindow {
        /// First operating day asked for.
        from: Date,
        /// Last operating day asked for.
        to: Date,
    },
    /// No leg of the schedule operates on the days of the window.
    #[error(
        "no leg of the schedule operates from {from} to {to} (local date of departure at the origin)"
    )]
    EmptyWindow {
        /// First operating day.
        from: Date,
        /// Last operating day.
        to: Date,
    },
    /// A recovery action names a leg the world does not hold.
    #[error("recovery action {action} names leg {leg}, which is not in the window of the world")]
    UnknownLeg {
        /// The leg named.
        leg: LegId,
        /// What the action was (`retime`, `cancel`).
        action: &'static str,
    },
    /// A duration that cannot be negative is.
    #[error("{name} = {value_min} min is invalid: expected 0 minutes or more")]
    NegativeDuration {
        /// Which setting.
        name: &'static str,
        /// The value given, in minutes.
        value_min: i64,
    },
    /// A setting is outside its domain.
    #[error("{name} = {value} is invalid: expected {expected}")]
    InvalidSetting {
        /// Which setting.
        name: &'static str,
        /// The value given.
        value: String,
        /// What is accepted.
        expected: &'static str,
    },
    /// Fitting found no recorded leg with actual times in its window.
    #[error(
        "no recorded leg with actual departure and arrival times operates from {from} to {to}: \
         nothing to fit a delay model on"
    )]
    NothingToFit {
        /// First day of the fitting window.
        from: Date,
        /// Last day of the fitting window.
        to: Date,
    },
    /// A parameter file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A parameter file is not a delay model this version can read.
    #[error("{path}: not a delay-model parameter file: {problem}")]
    BadParameterFile {
        /// The file (or `<embedded>`).
        path: PathBuf,
        /// What is wrong, with the field and value where known.
        problem: String,
    },
    /// A parameter file was fitted on another data set than the one it is used with.
    #[error(
        "{path} was fitted on data set \"{fitted_name}\" (fingerprint {fitted_fingerprint}), not on \
         \"{this_name}\" (fingerprint {this_fingerprint}); fit one for this data set with `ucodts fit`"
    )]
    OtherDataSet {
        /// The parameter file.
        path: PathBuf,
        /// The data set it names.
        fitted_name: String,
        /// Its fingerprint.
        fitted_fingerprint: String,
        /// The data set it is used with.
        this_name: String,
        /// That data set's fingerprint.
        this_fingerprint: String,
    },
    /// The simulation kernel refused a run.
    #[error(transparent)]
    Simulation(#[from] ucodts_sim::SimError),
    /// A run ended with a leg neither flown nor cancelled: a bug in the actors, reported rather than hidden.
    #[error(
        "the run ended with leg {leg} neither flown nor cancelled (it waited for {waiting_for}); this is \
         a bug in ucodts-actors"
    )]
    Stalled {
        /// The leg left hanging.
        leg: LegId,
        /// What it was still waiting for.
        waiting_for: &'static str,
    },
}
