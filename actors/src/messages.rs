//! The messages the actors of a replication exchange ([`Message`]), and the conversation they make.
//!
//! The conversation for one leg:
//! 1. the **aircraft** makes the leg current when the previous one arrived (or was cancelled), draws the leg's
//!    own departure delay and waits until its turn is done and the scheduled time plus that delay has come;
//! 2. each **crew member** sends `CrewReady` once at the origin (after the connection) or `CrewUnavailable`
//!    if elsewhere or out of duty time; a missing member makes the aircraft ask **operations control**;
//! 3. when all are there the aircraft sends `Boarding`; each crew member checks its duty clock
//!    ([`crate::legality`]) and answers `OnBoard`, or raises a `DutyLimitAlert` to operations control,
//!    whose policy calls a reserve, holds the flight for one, or cancels;
//! 4. the aircraft asks the origin **airport** for a departure slot, flies the drawn block time, asks the
//!    destination for an arrival slot, arrives, and tells its crew, who move on to their next legs.

use crate::replication::CancelReason;

/// Messages between the actors. Indices are into the world's tables. Kept to 12 bytes: the event queue moves
/// them on every push and pop, and its entries stay at 32 bytes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Message {
    // To an aircraft.
    /// Look again whether the current leg can board (its turn or its not-before time has come).
    Wake,
    /// The member of this seat is at the origin and ready.
    CrewReady { seat: u32 },
    /// The member of this seat will not come (elsewhere, or out of duty time).
    CrewUnavailable { seat: u32 },
    /// The member of this seat is on board and within limits.
    OnBoard { seat: u32 },
    /// A reserve fills this seat of a member who will not come.
    SeatFilledByReserve { seat: u32 },
    /// Operations control cancels this leg.
    CancelLeg { leg: u32, reason: CancelReason },
    /// The origin grants the departure.
    DepartureCleared { leg: u32 },
    /// The destination grants the arrival.
    ArrivalCleared { leg: u32 },
    // To a crew member.
    /// The aircraft is about to leave: check the duty clock.
    Boarding { seat: u32 },
    /// The leg arrived after `block_s` seconds off the gate.
    Arrived { seat: u32, block_s: u32 },
    /// The leg will not be flown.
    LegCancelled { seat: u32 },
    /// A deadheading member came after the leg left.
    MissedDeadhead { seat: u32 },
    /// A reserve takes over this member's seat and the rest of the duty, ready at the aircraft `delay_s`
    /// seconds from now.
    ReserveTakesOver { seat: u32, delay_s: u32 },
    /// Operations control extends the member's duty: board.
    DutyExtended { seat: u32 },
    // To an airport.
    /// A departure slot for this leg, please.
    RequestDeparture { leg: u32 },
    /// An arrival slot for this leg, please.
    RequestArrival { leg: u32 },
    // To operations control.
    /// The member of this seat would exceed the duty limit on this leg.
    DutyLimitAlert {
        seat: u32,
        projected_min: u16,
        limit_min: u16,
    },
    /// The member of this seat will not come.
    CrewMissing { seat: u32 },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_stay_at_twelve_bytes() {
        assert!(
            std::mem::size_of::<Message>() <= 12,
            "{}",
            std::mem::size_of::<Message>()
        );
    }
}
