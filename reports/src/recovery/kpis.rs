//! The Monte Carlo KPIs of a plan, of doing nothing or of a paired difference, and how each reads.

use serde::{Deserialize, Serialize};

use crate::report::Unit;

/// A mean over replications with its 95% confidence interval: the project's one interval type, from
/// `ucodts-stats`. Serialized as `mean`, `lower`, `upper`; a number that is not finite is written to
/// JSON as `null` and read back as NaN.
pub use ucodts_stats::Interval;

/// The Monte Carlo KPIs of one plan (or of doing nothing, or of a paired difference).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct KpiSet {
    /// Cost of a replication: the disruption's cost as the twin sees it plus the plan's actions.
    pub cost: Interval,
    /// Mean arrival delay of flown legs, minutes.
    pub mean_arrival_delay_min: Interval,
    /// 90th percentile of arrival delay, minutes.
    pub p90_arrival_delay_min: Interval,
    /// Share of flown legs on time (0..=1).
    pub on_time_rate: Interval,
    /// Legs cancelled per replication.
    pub cancelled_legs: Interval,
    /// Share of replications with a crew member past a limit (0..=1).
    pub crew_illegality_probability: Interval,
    /// Passengers (or connections) missed per replication.
    pub misconnects: Interval,
}

/// How a KPI reads: its machine name, its name for people, its unit and which way is good.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KpiInfo {
    /// The machine name, as in the CSV and JSON (`p90_arrival_delay_min`).
    pub name: &'static str,
    /// The name for people (`90th percentile arrival delay`).
    pub label: &'static str,
    /// Its unit.
    pub unit: KpiUnit,
    /// Whether more is better (on-time rate) rather than less.
    pub higher_is_better: bool,
}

/// The unit of a KPI.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KpiUnit {
    /// Cost units (aircraft euros plus crew cost units), shown whole with thousands separators.
    Cost,
    /// A unit of the scenario report.
    Other(Unit),
}

/// The KPIs in the order of the tables, with how they read.
pub const KPIS: [KpiInfo; 7] = [
    KpiInfo {
        name: "cost",
        label: "Expected cost",
        unit: KpiUnit::Cost,
        higher_is_better: false,
    },
    KpiInfo {
        name: "mean_arrival_delay_min",
        label: "Mean arrival delay",
        unit: KpiUnit::Other(Unit::Minutes),
        higher_is_better: false,
    },
    KpiInfo {
        name: "p90_arrival_delay_min",
        label: "90th percentile arrival delay",
        unit: KpiUnit::Other(Unit::Minutes),
        higher_is_better: false,
    },
    KpiInfo {
        name: "on_time_rate",
        label: "On-time rate",
        unit: KpiUnit::Other(Unit::Share),
        higher_is_better: true,
    },
    KpiInfo {
        name: "cancelled_legs",
        label: "Cancelled legs",
        unit: KpiUnit::Other(Unit::Count),
        higher_is_better: false,
    },
    KpiInfo {
        name: "crew_illegality_probability",
        label: "Probability of a crew illegality",
        unit: KpiUnit::Other(Unit::Share),
        higher_is_better: false,
    },
    KpiInfo {
        name: "misconnects",
        label: "Misconnects",
        unit: KpiUnit::Other(Unit::Count),
        higher_is_better: false,
    },
];

impl KpiSet {
    /// The seven KPIs in the order of [`KPIS`].
    pub fn values(&self) -> [Interval; 7] {
        [
            self.cost,
            self.mean_arrival_delay_min,
            self.p90_arrival_delay_min,
            self.on_time_rate,
            self.cancelled_legs,
            self.crew_illegality_probability,
            self.misconnects,
        ]
    }
}
