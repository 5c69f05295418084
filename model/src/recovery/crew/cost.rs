//! What a crew plan costs: the price of each thing a plan does ([`CrewCostWeights`], assumptions named
//! where they are set) and a plan's cost term by term ([`CrewCostBreakdown`]), in integer cost units of
//! about a US dollar.

use std::fmt;

/// The price of each thing a plan does, in cost units (assumptions; see [`CrewCostWeights::default`]).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct CrewCostWeights {
    /// Per crew position left uncovered on a leg: the leg waits or is cancelled.
    pub uncovered_position: i64,
    /// Per reserve called out.
    pub reserve_callout: i64,
    /// Per deadhead segment.
    pub deadhead: i64,
    /// Per leg a crew member flies in another crew member's place.
    pub swap: i64,
    /// Per crew member whose legs change (reserves called included).
    pub crew_contacted: i64,
    /// Per crew member left away from base at the end of their roster.
    pub stranded: i64,
    /// Per KSS point above `fatigue_threshold_kss` of a new duty's peak.
    pub fatigue_per_kss_point: i64,
    pub fatigue_threshold_kss: f64,
}

impl Default for CrewCostWeights {
    /// Assumptions, ordered the way controllers rank their options: an uncovered position (a delayed or
    /// cancelled leg) costs far more than anything else; a stranded crew member (hotel, positioning later)
    /// next; then a reserve call-out, a deadhead seat, a swap, and a phone call (the controller's actions,
    /// priced once in [`crate::practice::ACTION_PRICES`]). Fatigue counts from KSS 6
    /// ("some signs of sleepiness"), 500 per point of a duty's peak above it.
    fn default() -> CrewCostWeights {
        CrewCostWeights {
            uncovered_position: 20_000,
            reserve_callout: crate::practice::ACTION_PRICES.reserve_callout,
            deadhead: crate::practice::ACTION_PRICES.deadhead,
            swap: crate::practice::ACTION_PRICES.crew_swap,
            crew_contacted: crate::practice::ACTION_PRICES.crew_contact,
            stranded: 5_000,
            fatigue_per_kss_point: 500,
            fatigue_threshold_kss: 6.0,
        }
    }
}

/// What a plan costs, term by term (cost units).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct CrewCostBreakdown {
    /// Open positions nobody flies, and seats beyond the window whose rostered member the plan takes off.
    pub uncovered: i64,
    pub reserve_callouts: i64,
    pub deadheads: i64,
    pub swaps: i64,
    pub crew_contacted: i64,
    pub stranded: i64,
    pub fatigue: i64,
}

impl CrewCostBreakdown {
    pub fn total(&self) -> i64 {
        self.uncovered
            + self.reserve_callouts
            + self.deadheads
            + self.swaps
            + self.crew_contacted
            + self.stranded
            + self.fatigue
    }

    pub(super) fn add(&mut self, other: &CrewCostBreakdown) {
        self.uncovered += other.uncovered;
        self.reserve_callouts += other.reserve_callouts;
        self.deadheads += other.deadheads;
        self.swaps += other.swaps;
        self.crew_contacted += other.crew_contacted;
        self.stranded += other.stranded;
        self.fatigue += other.fatigue;
    }
}

impl fmt::Display for CrewCostBreakdown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (uncovered {}, reserves {}, deadheads {}, swaps {}, contacted {}, stranded {}, fatigue {})",
            self.total(),
            self.uncovered,
            self.reserve_callouts,
            self.deadheads,
            self.swaps,
            self.crew_contacted,
            self.stranded,
            self.fatigue
        )
    }
}
