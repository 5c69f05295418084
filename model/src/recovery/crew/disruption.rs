//! The disruption as the crew controller receives it ([`CrewDisruption`]): the recovery window, legs retimed
//! or cancelled, sick calls, the rule set, the reserves and the cost weights; and why one cannot be read
//! against a schedule ([`CrewRecoveryError`]).

use crate::ids::{CrewId, LegId};
use crate::practice::ReserveSupply;
use crate::time::UtcMinute;

use super::CrewCostWeights;

/// What happens to a leg.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum LegChange {
    /// The leg leaves and arrives at these times instead.
    Retimed { out: UtcMinute, arrival: UtcMinute },
    /// The leg is not flown.
    Cancelled,
}

/// A crew member who cannot work from a time on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SickCall {
    pub crew: CrewId,
    /// The member flies no leg departing at or after this.
    pub from: UtcMinute,
}

/// The disruption and what the controller may use.
#[derive(Clone, Debug, PartialEq)]
pub struct CrewDisruption {
    /// When the controller decides (the recovery window opens).
    pub t0: UtcMinute,
    /// Legs departing (as planned) from `t0` up to here are the controller's to repair.
    pub window_end: UtcMinute,
    /// The rule set every roster must keep ([`crate::rules::by_name`]: `faa117`, `easa`).
    pub rule_set: String,
    pub leg_changes: Vec<(LegId, LegChange)>,
    pub sick_calls: Vec<SickCall>,
    pub reserves: ReserveSupply,
    pub costs: CrewCostWeights,
}

impl CrewDisruption {
    /// A window `t0 .. window_end` under `rule_set` with nothing changed yet, the default reserves and costs:
    /// callers add leg changes and sick calls.
    pub fn new(t0: UtcMinute, window_end: UtcMinute, rule_set: &str) -> CrewDisruption {
        CrewDisruption {
            t0,
            window_end,
            rule_set: rule_set.to_string(),
            leg_changes: Vec::new(),
            sick_calls: Vec::new(),
            reserves: ReserveSupply::default(),
            costs: CrewCostWeights::default(),
        }
    }
}

/// A disruption that cannot be read against the schedule.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CrewRecoveryError {
    #[error("recovery window: window_end {end} is not after t0 {t0}")]
    Window { t0: UtcMinute, end: UtcMinute },
    #[error("rule_set = {name:?}: {problem}")]
    RuleSet { name: String, problem: String },
    #[error("leg_changes[{index}]: leg {leg}: {problem}")]
    LegChange {
        index: usize,
        leg: LegId,
        problem: String,
    },
    #[error("sick_calls[{index}]: crew member {crew}: {problem}")]
    SickCall {
        index: usize,
        crew: CrewId,
        problem: String,
    },
    #[error("reserves.share_of_based_crew = {0}: expected a share from 0 to 1")]
    ReserveShare(f64),
    #[error("the disrupted schedule is inconsistent: {0}")]
    Schedule(String),
}
