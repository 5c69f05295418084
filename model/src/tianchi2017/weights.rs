//! The scorer's weights by season (card §5). Season 2 from the contest's evaluator as re-implemented in
//! `sjy234sjy234/OriginAviation` and cross-checked against the HKU team's `Parameter.java` and
//! `leleleoo123/xma-solver`'s `ConfigParams.h`; season 1 from xma-solver's first `ConfigParams.h` and the
//! `xyskywalker/DQN` loss table.

use super::problem::Season;

/// The weights of one season's objective.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Weights {
    pub ferry: f64,
    /// Per cancelled flight (not the second leg of a straightened pair), times importance.
    pub cancellation: f64,
    /// Per flight flown by another type, times importance (season 2: times the matrix below).
    pub type_change: f64,
    /// Season 2: per flight flown by another tail, times importance, before / after `swap_cutoff`.
    pub swap_early: f64,
    pub swap_late: f64,
    /// Per straightened pair, times the sum of the two legs' importance.
    pub straightening: f64,
    pub delay_per_hour: f64,
    pub advance_per_hour: f64,
    /// Season 2: per passenger displaced and not rebooked.
    pub cancelled_passenger: f64,
    pub passengers: bool,
    pub type_matrix: bool,
}

/// Added once to an infeasible plan (coded `5 * 10e6` in the evaluator).
pub const INFEASIBLE_PENALTY: f64 = 5.0e7;
/// Added per violation.
pub const PER_VIOLATION: f64 = 10.0;
/// Cost per passenger of a delay or rebooking the scorer refuses (over 36 h, over 48 h).
pub const REFUSED_PASSENGER: f64 = 1.0e9;

pub const SEASON_2: Weights = Weights {
    ferry: 5_000.0,
    cancellation: 1_200.0,
    type_change: 500.0,
    swap_early: 15.0,
    swap_late: 5.0,
    straightening: 750.0,
    delay_per_hour: 100.0,
    advance_per_hour: 150.0,
    cancelled_passenger: 4.0,
    passengers: true,
    type_matrix: true,
};

pub const SEASON_1: Weights = Weights {
    ferry: 5_000.0,
    cancellation: 1_000.0,
    type_change: 1_000.0,
    swap_early: 0.0,
    swap_late: 0.0,
    straightening: 750.0,
    delay_per_hour: 100.0,
    advance_per_hour: 150.0,
    cancelled_passenger: 0.0,
    passengers: false,
    type_matrix: false,
};

impl Weights {
    pub fn of(season: Season) -> Weights {
        match season {
            Season::One => SEASON_1,
            Season::Two => SEASON_2,
        }
    }

    /// The type-change factor from the original type to the new one (season 2's matrix; season 1: 1 for
    /// any change).
    pub fn type_factor(&self, original: u8, new: u8) -> f64 {
        if original == new {
            return 0.0;
        }
        if !self.type_matrix {
            return 1.0;
        }
        match (original, new) {
            (1, 2) => 0.5,
            (1, 3) | (1, 4) | (2, 3) | (2, 4) => 1.5,
            (3, 1) | (3, 2) | (3, 4) | (4, 3) => 2.0,
            (4, 1) | (4, 2) => 4.0,
            _ => 0.0,
        }
    }
}

/// Cost per passenger who stays on a flight delayed by `hours` (season 2).
pub fn delayed_passenger(hours: f64) -> f64 {
    if hours <= 0.0 {
        0.0
    } else if hours <= 2.0 {
        1.0
    } else if hours <= 4.0 {
        1.5
    } else if hours <= 8.0 {
        2.0
    } else if hours <= 36.0 {
        3.0
    } else {
        REFUSED_PASSENGER
    }
}

/// Cost per passenger rebooked onto a flight leaving `hours` after their own flight's original departure.
pub fn rebooked_passenger(hours: f64) -> f64 {
    if hours < 0.0 {
        REFUSED_PASSENGER
    } else if hours < 6.0 {
        hours / 30.0
    } else if hours < 24.0 {
        hours / 24.0
    } else if hours < 36.0 {
        hours / 18.0
    } else if hours <= 48.0 {
        hours / 16.0
    } else {
        REFUSED_PASSENGER
    }
}
