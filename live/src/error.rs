//! Why a feed message was refused. Every refusal names the line (for JSON lines), the field and the
//! value, so that the dead-letter table says what a sender must fix.

use thiserror::Error;

/// A refused message or event.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FeedError {
    /// Larger than the limit for one message; nothing of it was read.
    #[error("the message is {bytes} bytes, over the limit of {limit} bytes")]
    TooLarge { bytes: usize, limit: usize },
    /// A DOCTYPE or an entity other than XML's five: refused, never expanded (no XXE).
    #[error("{0}: refused (no DTD, no entities other than XML's five, no external entities)")]
    Forbidden(String),
    /// Not well-formed, or not the message kind expected.
    #[error("line {line}: {message}")]
    Malformed { line: usize, message: String },
    /// A field missing or with a value out of its domain.
    #[error("line {line}: field '{field}': {message}")]
    Field {
        line: usize,
        field: String,
        message: String,
    },
    /// The leg identifier names no leg of the schedule the state was built on.
    #[error("unknown flight {0}: no leg of the schedule has this carrier, flight number, origin date and airports")]
    UnknownFlight(String),
    /// An out-of-service event names a registration that is no tail of the schedule.
    #[error("unknown tail {0}: no aircraft of the schedule has this registration")]
    UnknownTail(String),
    /// A sequence number seen before with different content.
    #[error("sequence number {0} was already used by a different event")]
    SequenceConflict(u64),
}

impl FeedError {
    /// A short machine-readable kind, for the dead-letter table and the acknowledgement.
    pub fn kind(&self) -> &'static str {
        match self {
            FeedError::TooLarge { .. } => "too_large",
            FeedError::Forbidden(_) => "forbidden",
            FeedError::Malformed { .. } => "malformed",
            FeedError::Field { .. } => "field",
            FeedError::UnknownFlight(_) => "unknown_flight",
            FeedError::UnknownTail(_) => "unknown_tail",
            FeedError::SequenceConflict(_) => "sequence_conflict",
        }
    }

    pub(crate) fn field(line: usize, field: &str, message: impl Into<String>) -> FeedError {
        FeedError::Field {
            line,
            field: field.to_string(),
            message: message.into(),
        }
    }
}
