//! Pairings (crew trips from a base back to it), their duties, and the rosters that give them to crew members.

use crate::ids::{AirportCode, CarrierCode, CrewId, LegId, PairingId};
use crate::leg::text_enum;
use crate::time::{Minutes, UtcMinute};
use std::fmt;
use std::str::FromStr;

/// Whether a crew member works a leg or rides it as a passenger to get into position.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SegmentKind {
    Operating,
    Deadhead,
}

text_enum!(SegmentKind { Operating => "operating", Deadhead => "deadhead" });

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub leg: LegId,
    pub kind: SegmentKind,
}

/// One duty period: from report to release, the legs worked or ridden in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duty {
    pub report: UtcMinute,
    pub release: UtcMinute,
    pub segments: Vec<Segment>,
}

impl Duty {
    pub fn length(&self) -> Minutes {
        self.release - self.report
    }
}

/// A trip for one crew position: duties separated by rest, starting and ending at `base`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pairing {
    pub id: PairingId,
    pub airline: CarrierCode,
    pub base: AirportCode,
    pub duties: Vec<Duty>,
}

impl Pairing {
    pub fn report(&self) -> Option<UtcMinute> {
        self.duties.first().map(|d| d.report)
    }
    pub fn release(&self) -> Option<UtcMinute> {
        self.duties.last().map(|d| d.release)
    }
    pub fn legs(&self) -> impl Iterator<Item = &Segment> {
        self.duties.iter().flat_map(|d| d.segments.iter())
    }
}

/// One line of a roster: this crew member flies this pairing in the seat of their rank.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterAssignment {
    pub crew: CrewId,
    pub pairing: PairingId,
}
