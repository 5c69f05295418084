//! A revised plan in the contest's terms: one line per flight of the solution file (§3 of the card).

use crate::UtcMinute;

use super::problem::TyphoonProblem;

/// One line of a solution: an original flight (flown, moved, cancelled or straightened) or a ferry.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanLine {
    pub flight: u32,
    pub from: u32,
    pub to: u32,
    pub departure: UtcMinute,
    pub arrival: UtcMinute,
    pub aircraft: u32,
    pub cancelled: bool,
    /// Set on both legs of a straightened pair: the first flies from its origin to the second's
    /// destination, the second is also cancelled.
    pub straightened: bool,
    pub ferry: bool,
    /// Season 2: passengers of this flight rebooked (签转) onto later flights, as (target flight, count).
    pub sign_changes: Vec<(u32, u32)>,
}

impl PlanLine {
    /// Whether an aircraft flies this line.
    pub fn flown(&self) -> bool {
        !self.cancelled
    }
}

/// A whole revised plan: every original flight once, plus ferries.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TyphoonPlan {
    pub lines: Vec<PlanLine>,
}

impl TyphoonPlan {
    /// The original schedule flown as planned, typhoon or not.
    pub fn original(problem: &TyphoonProblem) -> TyphoonPlan {
        TyphoonPlan {
            lines: problem
                .flights
                .iter()
                .map(|f| PlanLine {
                    flight: f.id,
                    from: f.from,
                    to: f.to,
                    departure: f.departure,
                    arrival: f.arrival,
                    aircraft: f.aircraft,
                    cancelled: false,
                    straightened: false,
                    ferry: false,
                    sign_changes: Vec::new(),
                })
                .collect(),
        }
    }
}
