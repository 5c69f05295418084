//! Live operations: the movement feed in, the live state it builds, and a recorded day played back as a feed.
//!
//! A feed speaks IATA AIDX flight-leg notifications ([`aidx`]) or the canonical JSON-lines form ([`jsonl`]);
//! both parse into [`LegEvent`]s, which a [`LiveState`] over a `Schedule` applies: each leg's OOOI times
//! (scheduled, estimated, actual) and status, each tail's position, each crew member's duty so far. JSON
//! lines also carry a tail out of service ([`OutOfServiceEvent`]; both kinds are a [`FeedEvent`]).
//! Applying is order-free (later-sent information wins) and idempotent (a duplicate changes nothing); an
//! unknown flight is refused with why. [`replay`] turns a recorded day into the feed it would have been.
//!
//! ```
//! use ucodts_live::{jsonl, LiveState};
//! use ucodts_model::{LegStatus, Schedule, ScheduleParts};
//!
//! let schedule = Schedule::new(ScheduleParts::default()).unwrap();
//! let state = LiveState::new(&schedule);
//! let line = r#"{"seq":1,"sent":"2013-02-08T13:58Z","carrier":"UA","flight":1545,"date":"2013-02-08","from":"EWR","to":"IAH","status":"departed"}"#;
//! let event = jsonl::parse_line(line, 1).unwrap();
//! assert_eq!(event.status, Some(LegStatus::Departed));
//! assert_eq!(jsonl::write_line(&event), line);
//! // An empty schedule has no such flight: refused, with the reason.
//! assert_eq!(state.check(&event).unwrap_err().kind(), "unknown_flight");
//! ```

pub mod aidx;
mod error;
pub mod event;
pub mod jsonl;
#[cfg(feature = "nats")]
pub mod nats;
pub mod replay;
pub mod send;
pub mod state;

pub use error::FeedError;
pub use event::{FeedEvent, LegEvent, LegKey, LegTime, Milestone, OutOfServiceEvent, TimeKind};
pub use state::{Applied, LiveState, Snapshot};
