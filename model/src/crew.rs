//! Crew members.

use std::fmt;
use std::str::FromStr;

use crate::ids::{AirportCode, CarrierCode, CrewId, TypeCode};
use crate::time::TimeZone;

/// The seat a crew member holds.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rank {
    Captain,
    FirstOfficer,
    Cabin,
}

impl Rank {
    pub const ALL: [Rank; 3] = [Rank::Captain, Rank::FirstOfficer, Rank::Cabin];

    pub fn as_str(self) -> &'static str {
        match self {
            Rank::Captain => "captain",
            Rank::FirstOfficer => "first_officer",
            Rank::Cabin => "cabin",
        }
    }

    pub fn is_pilot(self) -> bool {
        self != Rank::Cabin
    }
}

impl fmt::Display for Rank {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Rank {
    type Err = ();
    fn from_str(s: &str) -> Result<Rank, ()> {
        Rank::ALL.into_iter().find(|r| r.as_str() == s).ok_or(())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrewMember {
    pub id: CrewId,
    pub airline: CarrierCode,
    pub rank: Rank,
    pub base: AirportCode,
    /// Aircraft types this member may operate (pilots: their type ratings; cabin: their type trainings).
    pub qualifications: Vec<TypeCode>,
    /// The zone the member is acclimated to at home.
    pub home_zone: TimeZone,
}

impl CrewMember {
    pub fn is_qualified_on(&self, type_code: &TypeCode) -> bool {
        self.qualifications.iter().any(|q| q == type_code)
    }
}
