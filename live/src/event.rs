//! One movement event: what a flight-leg notification says about one leg, in either wire form.

use std::fmt;

use ucodts_model::{AirportCode, CarrierCode, Date, LegStatus, TailId, UtcMinute};

use crate::error::FeedError;

/// Names a leg as AIDX's LegIdentifier does: carrier, flight number, origin date (local date of the
/// scheduled departure at the origin) and the two airports.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LegKey {
    pub carrier: CarrierCode,
    pub flight_number: u32,
    pub origin_date: Date,
    pub origin: AirportCode,
    pub destination: AirportCode,
}

impl fmt::Display for LegKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{} {} {}-{}",
            self.carrier, self.flight_number, self.origin_date, self.origin, self.destination
        )
    }
}

/// The four times of a leg, by their AIDX operation qualifiers.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Milestone {
    /// OFB: off blocks (gate out).
    OffBlock,
    /// TKO: take-off (wheels off).
    TakeOff,
    /// TDN: touchdown (wheels on).
    TouchDown,
    /// ONB: on blocks (gate in).
    OnBlock,
}

impl Milestone {
    pub const ALL: [Milestone; 4] = [
        Milestone::OffBlock,
        Milestone::TakeOff,
        Milestone::TouchDown,
        Milestone::OnBlock,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Milestone::OffBlock => "OFB",
            Milestone::TakeOff => "TKO",
            Milestone::TouchDown => "TDN",
            Milestone::OnBlock => "ONB",
        }
    }
    pub fn from_code(code: &str) -> Option<Milestone> {
        Milestone::ALL.into_iter().find(|m| m.code() == code)
    }
    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

/// Whether a time is the plan, a forecast or what happened (AIDX TimeType SCH, EST, ACT).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TimeKind {
    Scheduled,
    Estimated,
    Actual,
}

impl TimeKind {
    pub const ALL: [TimeKind; 3] = [TimeKind::Scheduled, TimeKind::Estimated, TimeKind::Actual];
    pub fn code(self) -> &'static str {
        match self {
            TimeKind::Scheduled => "SCH",
            TimeKind::Estimated => "EST",
            TimeKind::Actual => "ACT",
        }
    }
    pub fn from_code(code: &str) -> Option<TimeKind> {
        TimeKind::ALL.into_iter().find(|k| k.code() == code)
    }
    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

/// One time of an event: which milestone, of what kind, when.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LegTime {
    pub milestone: Milestone,
    pub kind: TimeKind,
    pub at: UtcMinute,
}

/// The operational status codes this profile of AIDX uses (OperationalStatus), and their leg states.
pub const STATUS_CODES: [(&str, LegStatus); 5] = [
    ("SCH", LegStatus::Scheduled),
    ("DEP", LegStatus::Departed),
    ("ARR", LegStatus::Arrived),
    ("CNX", LegStatus::Cancelled),
    ("DIV", LegStatus::Diverted),
];

pub fn status_code(status: LegStatus) -> &'static str {
    STATUS_CODES
        .iter()
        .find(|(_, s)| *s == status)
        .map(|(c, _)| *c)
        .expect("every LegStatus has a code in STATUS_CODES")
}

pub fn status_from_code(code: &str) -> Option<LegStatus> {
    STATUS_CODES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, s)| *s)
}

/// At most this many times in one event (four milestones by three kinds).
pub const MAX_TIMES_PER_EVENT: usize = 12;

/// One flight-leg notification about one leg.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LegEvent {
    /// The sender's sequence number: a number seen twice with the same content is a duplicate.
    pub sequence: u64,
    /// When the sender issued it: later-sent information wins, whatever order events arrive in.
    pub sent: UtcMinute,
    pub leg: LegKey,
    pub status: Option<LegStatus>,
    pub registration: Option<TailId>,
    pub times: Vec<LegTime>,
}

/// The longest out-of-service reason accepted, in bytes.
pub const MAX_REASON_BYTES: usize = 200;
/// The longest out-of-service window accepted: two weeks (a longer check is planned, not fed).
pub const MAX_OUT_OF_SERVICE_MIN: i64 = 14 * 24 * 60;

/// A tail out of service (aircraft on ground, maintenance) from `from` until `until`, with why: the
/// JSON-lines kind `out_of_service` (AIDX's flight-leg notification has no element for it). A later-sent
/// event for the same tail and `from` replaces the window (a return to service earlier or later than
/// announced); `until` equal to `from` withdraws it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutOfServiceEvent {
    pub sequence: u64,
    pub sent: UtcMinute,
    pub registration: TailId,
    pub from: UtcMinute,
    pub until: UtcMinute,
    pub reason: String,
}

/// One event of the feed: about a leg, or about a tail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FeedEvent {
    Leg(LegEvent),
    OutOfService(OutOfServiceEvent),
}

impl FeedEvent {
    pub fn sequence(&self) -> u64 {
        match self {
            FeedEvent::Leg(e) => e.sequence,
            FeedEvent::OutOfService(e) => e.sequence,
        }
    }

    pub fn sent(&self) -> UtcMinute {
        match self {
            FeedEvent::Leg(e) => e.sent,
            FeedEvent::OutOfService(e) => e.sent,
        }
    }
}

/// Parses `YYYY-MM-DDTHH:MMZ` or `YYYY-MM-DDTHH:MM:SSZ` (seconds dropped: the twin counts whole minutes).
pub fn parse_instant(text: &str) -> Option<UtcMinute> {
    match text.len() {
        17 => UtcMinute::parse(text),
        20 if text.as_bytes()[16] == b':'
            && text.as_bytes()[17..19].iter().all(u8::is_ascii_digit)
            && text.as_bytes()[17] < b'6' =>
        {
            UtcMinute::parse(&format!("{}Z", &text[..16]))
        }
        _ => None,
    }
}

/// An instant as AIDX writes it, `YYYY-MM-DDTHH:MM:00Z`.
pub fn instant_with_seconds(t: UtcMinute) -> String {
    let text = t.to_string();
    format!("{}:00Z", &text[..16])
}

pub(crate) fn check_code(line: usize, field: &str, text: &str) -> Result<AirportCode, FeedError> {
    AirportCode::new(text).ok_or_else(|| {
        FeedError::field(
            line,
            field,
            format!("`{text}` is not a 3-letter airport code"),
        )
    })
}

pub(crate) fn check_carrier(line: usize, text: &str) -> Result<CarrierCode, FeedError> {
    let ok = (2..=3).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_alphanumeric());
    if ok {
        Ok(CarrierCode::new(text))
    } else {
        Err(FeedError::field(
            line,
            "carrier",
            format!("`{text}` is not a 2- or 3-character airline code"),
        ))
    }
}

pub(crate) fn check_registration(line: usize, text: &str) -> Result<TailId, FeedError> {
    let ok = (1..=10).contains(&text.len())
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if ok {
        Ok(TailId::new(text))
    } else {
        Err(FeedError::field(
            line,
            "registration",
            format!("`{text}` is not a registration (1-10 letters, digits or '-')"),
        ))
    }
}

pub(crate) fn check_flight_number(line: usize, text: &str) -> Result<u32, FeedError> {
    text.parse::<u32>()
        .ok()
        .filter(|n| (1..=9999).contains(n))
        .ok_or_else(|| {
            FeedError::field(
                line,
                "flight",
                format!("`{text}` is not a flight number 1-9999"),
            )
        })
}

pub(crate) fn check_date(line: usize, text: &str) -> Result<Date, FeedError> {
    Date::parse(text)
        .ok_or_else(|| FeedError::field(line, "date", format!("`{text}` is not a date YYYY-MM-DD")))
}

pub(crate) fn check_instant(line: usize, field: &str, text: &str) -> Result<UtcMinute, FeedError> {
    parse_instant(text).ok_or_else(|| {
        FeedError::field(
            line,
            field,
            format!("`{text}` is not a UTC time YYYY-MM-DDTHH:MM[:SS]Z"),
        )
    })
}
