//! A solver's answer ([`CrewRecoveryPlan`]): per crew member the pairings that replace their affected ones
//! (for a reserve, the pairing they are called out for), the crew left away from base, and the positions
//! left uncovered with why.

use std::collections::BTreeMap;

use crate::crew::Rank;
use crate::ids::{CrewId, LegId};
use crate::pairing::Pairing;

/// A plan: what a solver proposes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CrewRecoveryPlan {
    /// Who proposed it: `greedy`, `milp`.
    pub policy: String,
    /// Per affected crew member, the pairings that replace their affected ones (empty: they fly nothing
    /// more in them); per reserve called, the pairing they are called out for. Every affected crew member has
    /// an entry.
    pub rosters: BTreeMap<CrewId, Vec<Pairing>>,
    /// Crew members the plan leaves away from base, and why.
    pub stranded: BTreeMap<CrewId, String>,
    /// Positions nobody flies, and why.
    pub uncovered: Vec<UncoveredPosition>,
}

/// Seats left empty on a leg.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UncoveredPosition {
    pub leg: LegId,
    pub rank: Rank,
    pub count: u32,
    pub why: String,
}
