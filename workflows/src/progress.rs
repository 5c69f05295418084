//! Progress of a long workflow, reported through a callback the caller chooses: the binary draws bars on
//! stderr, a server streams events to its clients, a test stays silent.

/// Receives a workflow's progress. Called from worker threads too (Monte Carlo replications), so `Sync`.
pub trait Progress: Sync {
    /// A stage begins: its name in words, and how many steps it has when that is known.
    fn stage(&self, name: &str, steps: Option<u64>);
    /// One more step of the current stage is done.
    fn step(&self);
    /// The current stage is over.
    fn done(&self);
    /// Something the user should know that is not an error (a default chosen for them, a fallback).
    fn note(&self, text: &str);
}

/// No progress shown: for tests, JSON output and callers that only want the result.
pub struct Silent;

impl Progress for Silent {
    fn stage(&self, _name: &str, _steps: Option<u64>) {}
    fn step(&self) {}
    fn done(&self) {}
    fn note(&self, _text: &str) {}
}
