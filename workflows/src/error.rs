//! The one error type of the workflows: what went wrong, with the chain of what was being done.
//!
//! A workflow joins several parts, each with its own error enum; the caller (the binary, the server) wants one
//! type it can print as "doing X: doing Y: the cause". [`Error::Context`] adds a step to that chain and keeps
//! the cause as its `source()`, so `anyhow`'s `{:#}` in the binary and a server's error body print the whole
//! chain. [`Error::Invalid`] is a request the workflow refuses (a bad option, an unknown scenario name): the
//! user's mistake, which a server answers with 400 rather than 500.

use std::fmt::Display;

/// What a workflow returns.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A failed workflow.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request is not one the workflow can run; the text says which option and why.
    #[error("{0}")]
    Invalid(String),
    /// While doing `context`, `source` went wrong.
    #[error("{context}")]
    Context {
        context: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },
    /// An error of a part below, passed up unchanged (its own message names file, line and field).
    #[error(transparent)]
    Part(Box<dyn std::error::Error + Send + Sync + 'static>),
}

impl Error {
    /// A refused request, in words.
    pub fn invalid(message: impl Into<String>) -> Error {
        Error::Invalid(message.into())
    }

    /// Whether the request itself was at fault (anywhere in the chain), not the data or the machine.
    pub fn is_invalid_request(&self) -> bool {
        match self {
            Error::Invalid(_) => true,
            Error::Context { source, .. } | Error::Part(source) => source
                .downcast_ref::<Error>()
                .is_some_and(Error::is_invalid_request),
        }
    }
}

/// Adds what was being done to an error, as `anyhow::Context` does, but into [`Error`].
pub trait Context<T> {
    fn context(self, context: impl Display) -> Result<T>;
    fn with_context<C: Display>(self, context: impl FnOnce() -> C) -> Result<T>;
}

impl<T, E: std::error::Error + Send + Sync + 'static> Context<T> for std::result::Result<T, E> {
    fn context(self, context: impl Display) -> Result<T> {
        self.map_err(|e| Error::Context {
            context: context.to_string(),
            source: Box::new(e),
        })
    }

    fn with_context<C: Display>(self, context: impl FnOnce() -> C) -> Result<T> {
        self.map_err(|e| Error::Context {
            context: context().to_string(),
            source: Box::new(e),
        })
    }
}

impl<T> Context<T> for Option<T> {
    fn context(self, context: impl Display) -> Result<T> {
        self.ok_or_else(|| Error::Invalid(context.to_string()))
    }

    fn with_context<C: Display>(self, context: impl FnOnce() -> C) -> Result<T> {
        self.ok_or_else(|| Error::Invalid(context().to_string()))
    }
}

/// Errors of the parts below, passed up unchanged (their own messages name file, line and field).
macro_rules! pass_up {
    ($($t:ty),* $(,)?) => {$(
        impl From<$t> for Error {
            fn from(e: $t) -> Error {
                Error::Part(Box::new(e))
            }
        }
    )*};
}
pass_up!(
    std::io::Error,
    serde_json::Error,
    ucodts_model::ModelError,
    ucodts_datasets::DatasetError,
    ucodts_actors::ActorsError,
    ucodts_scenarios::ScenarioError,
    ucodts_reports::ReportError,
    ucodts_optimizer::OptimizerError,
);

/// Refuses a request: `bail!("--reps must be at least 2, not {}", reps)`.
#[macro_export]
macro_rules! bail {
    ($($arg:tt)*) => {
        return Err($crate::Error::Invalid(format!($($arg)*)))
    };
}
