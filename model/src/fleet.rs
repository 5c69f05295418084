//! Aircraft types and the aircraft (tails) of the fleet.

use crate::ids::{AirportCode, CarrierCode, TailId, TypeCode};
use crate::time::{Minutes, UtcMinute};

/// The longest minimum turn a type may have: a day. Real minimum turns are 20 minutes to a few hours; a
/// larger value is a broken record (and would push every rotation past the simulated days).
pub const MAX_MIN_TURN: Minutes = Minutes(24 * 60);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AircraftType {
    pub code: TypeCode,
    /// Types close enough that one type rating covers them all (`A320` for A319, A320 and A321 variants):
    /// pilots qualified on one member fly them all, and tails swap within a family.
    pub family: String,
    pub seats: u16,
    /// The shortest ground time between an arrival and the next departure of the same tail.
    pub min_turn: Minutes,
}

impl AircraftType {
    /// Cabin crew required by 14 CFR 121.391: one flight attendant for 20-50 passenger seats, two for
    /// 51-100, and one more for each further 50 seats or part of 50.
    pub fn cabin_crew_required(&self) -> u16 {
        match self.seats {
            0..=19 => 0,
            20..=50 => 1,
            51..=100 => 2,
            s => 2 + (s - 100).div_ceil(50),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Aircraft {
    pub tail: TailId,
    pub type_code: TypeCode,
    pub carrier: CarrierCode,
    /// Where the tail usually starts and ends its day.
    pub base: AirportCode,
    /// When the next scheduled maintenance check is due, if known.
    pub maintenance_due: Option<UtcMinute>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cabin_crew_follow_the_one_per_fifty_seats_rule() {
        let t = |seats| AircraftType {
            code: TypeCode::new("X"),
            family: "X".into(),
            seats,
            min_turn: Minutes(30),
        };
        assert_eq!(t(19).cabin_crew_required(), 0);
        assert_eq!(t(50).cabin_crew_required(), 1);
        assert_eq!(t(55).cabin_crew_required(), 2);
        assert_eq!(t(100).cabin_crew_required(), 2);
        assert_eq!(t(101).cabin_crew_required(), 3);
        assert_eq!(t(150).cabin_crew_required(), 3);
        assert_eq!(t(182).cabin_crew_required(), 4);
    }
}
