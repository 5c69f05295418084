//! Key performance indicators of a replication, and their Monte Carlo summary.
//!
//! Per replication, over the legs of the window:
//! - `on_time_rate`: share of flown legs that reached the gate less than 15 minutes late (US DOT);
//! - `mean_arrival_delay_min`, `p90_arrival_delay_min`: arrival delay of flown legs (negative when early);
//! - `mean_departure_delay_min`;
//! - `flown_legs`, `cancelled_legs` (all reasons, the plan's included), `cancelled_by_operations`;
//! - `duty_limit_alerts`, `reserve_callouts`, `crew_rest_shortfalls` (duties whose report waited for rest);
//! - `crew_duties` (duties started), `crew_legal_extensions` (pilot duties past their flight duty limit
//!   within the unforeseen extension of 14 CFR 117.19 / ORO.FTL.205(f): legal), `crew_exceedances` (past
//!   the limit and the extension: the member may not fly on; the only crew illegality), each counted once per
//!   duty, and both per 1,000 duties (`crew_extensions_per_1000_duties`, `crew_exceedances_per_1000_duties`);
//! - `aircraft_block_hours_per_day`: block hours flown per tail and operating day (tails with legs in the
//!   window);
//! - `crew_block_to_duty_ratio`: block time flown by operating crew over their duty time.
//!
//! Passenger misconnects are not reported: the data sets hold no passenger itineraries, so there is
//! nothing to count ([`MISCONNECTS_NOTE`]).

use serde::Serialize;
use ucodts_sim::{MetricReport, MonteCarlo, MonteCarloReport};

use crate::replication::{CancelReason, ReplicationOutcome};
use crate::twin::Twin;
use crate::world::World;
use crate::ActorsError;

/// The names of the KPIs, in the order of [`Kpis::values`].
pub const KPI_NAMES: [&str; 18] = [
    "on_time_rate",
    "mean_arrival_delay_min",
    "p90_arrival_delay_min",
    "mean_departure_delay_min",
    "flown_legs",
    "cancelled_legs",
    "cancelled_by_operations",
    "duty_limit_alerts",
    "reserve_callouts",
    "crew_rest_shortfalls",
    "holds_for_reserve",
    "aircraft_block_hours_per_day",
    "crew_block_to_duty_ratio",
    "crew_duties",
    "crew_legal_extensions",
    "crew_exceedances",
    "crew_extensions_per_1000_duties",
    "crew_exceedances_per_1000_duties",
];

/// Why passenger misconnects are missing from the KPIs.
pub const MISCONNECTS_NOTE: &str =
    "passenger misconnects are not modelled: the data holds no passenger itineraries";

/// The KPIs of one replication (see the module documentation).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Kpis {
    /// Share of flown legs less than 15 minutes late at the gate.
    pub on_time_rate: f64,
    /// Mean arrival delay of flown legs, minutes.
    pub mean_arrival_delay_min: f64,
    /// 90th percentile of arrival delay of flown legs, minutes.
    pub p90_arrival_delay_min: f64,
    /// Mean departure delay of flown legs, minutes.
    pub mean_departure_delay_min: f64,
    /// Legs flown.
    pub flown_legs: u64,
    /// Legs not flown, for any reason.
    pub cancelled_legs: u64,
    /// Legs not flown for a reason that arose on the day (not in the plan).
    pub cancelled_by_operations: u64,
    /// Duty-limit alerts.
    pub duty_limit_alerts: u64,
    /// Reserves called.
    pub reserve_callouts: u64,
    /// Duties whose report waited for the minimum rest.
    pub crew_rest_shortfalls: u64,
    /// Flights held for a reserve.
    pub holds_for_reserve: u64,
    /// Block hours per tail and day.
    pub aircraft_block_hours_per_day: f64,
    /// Crew block time over duty time.
    pub crew_block_to_duty_ratio: f64,
    /// Duties started.
    pub crew_duties: u64,
    /// Pilot duties past their limit within the unforeseen extension (legal).
    pub crew_legal_extensions: u64,
    /// Pilot duties past their limit and the extension (the crew illegalities).
    pub crew_exceedances: u64,
}

impl Kpis {
    /// The KPIs of `outcome`, a replication of `world`. With no leg flown, rates and delays are 0.
    pub fn of(world: &World, outcome: &ReplicationOutcome) -> Kpis {
        let mut arrival = Vec::with_capacity(outcome.legs.len());
        let (mut departure_sum, mut cancelled, mut by_operations) = (0.0, 0u64, 0u64);
        let mut tail_block_min = 0.0;
        for (leg, result) in world.legs().iter().zip(&outcome.legs) {
            match result.cancelled {
                Some(reason) => {
                    cancelled += 1;
                    by_operations += u64::from(reason != CancelReason::Plan);
                }
                None => {
                    if let Some(d) = result.arrival_delay_min(leg.scheduled_in) {
                        arrival.push(d);
                    }
                    departure_sum += result.departure_delay_min(leg.scheduled_out).unwrap_or(0.0);
                    let tail = world.aircraft()[leg.aircraft as usize].tail.is_some();
                    if let (true, Some(out), Some(arrived)) = (tail, result.out, result.arrived) {
                        tail_block_min += (arrived - out).minutes_f64();
                    }
                }
            }
        }
        let flown = arrival.len();
        let on_time = arrival
            .iter()
            .filter(|&&d| d < ucodts_model::ON_TIME_THRESHOLD.0 as f64)
            .count();
        arrival.sort_by(f64::total_cmp);
        let per_flown = |x: f64| if flown == 0 { 0.0 } else { x / flown as f64 };
        let tails = world.aircraft().iter().filter(|a| a.tail.is_some()).count();
        let tail_days = (tails as f64 * world.window().days() as f64).max(1.0);
        let crew = outcome.crew;
        Kpis {
            on_time_rate: per_flown(on_time as f64),
            mean_arrival_delay_min: per_flown(arrival.iter().sum()),
            p90_arrival_delay_min: percentile(&arrival, 0.9),
            mean_departure_delay_min: per_flown(departure_sum),
            flown_legs: flown as u64,
            cancelled_legs: cancelled,
            cancelled_by_operations: by_operations,
            duty_limit_alerts: outcome.ops.duty_limit_alerts,
            reserve_callouts: outcome.ops.reserve_callouts,
            crew_rest_shortfalls: crew.rest_shortfalls,
            holds_for_reserve: outcome.ops.holds,
            aircraft_block_hours_per_day: tail_block_min / 60.0 / tail_days,
            crew_block_to_duty_ratio: if crew.duty_min > 0.0 {
                crew.block_min / crew.duty_min
            } else {
                0.0
            },
            crew_duties: crew.duties,
            crew_legal_extensions: crew.legal_extensions,
            crew_exceedances: crew.exceedances,
        }
    }

    /// The values in [`KPI_NAMES`] order.
    pub fn values(&self) -> [f64; 18] {
        let per_1000_duties = |n: u64| {
            if self.crew_duties == 0 {
                0.0
            } else {
                n as f64 * 1000.0 / self.crew_duties as f64
            }
        };
        [
            self.on_time_rate,
            self.mean_arrival_delay_min,
            self.p90_arrival_delay_min,
            self.mean_departure_delay_min,
            self.flown_legs as f64,
            self.cancelled_legs as f64,
            self.cancelled_by_operations as f64,
            self.duty_limit_alerts as f64,
            self.reserve_callouts as f64,
            self.crew_rest_shortfalls as f64,
            self.holds_for_reserve as f64,
            self.aircraft_block_hours_per_day,
            self.crew_block_to_duty_ratio,
            self.crew_duties as f64,
            self.crew_legal_extensions as f64,
            self.crew_exceedances as f64,
            per_1000_duties(self.crew_legal_extensions),
            per_1000_duties(self.crew_exceedances),
        ]
    }
}

/// The `q`-quantile of sorted values (linear interpolation); 0 when empty.
pub(crate) fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let h = q * (sorted.len() - 1) as f64;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - h.floor()) * (sorted[hi] - sorted[lo])
}

/// KPIs over a Monte Carlo study: per KPI, mean, spread and 95% confidence interval of the mean.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KpiReport {
    /// The master seed.
    pub seed: u64,
    /// Replications run.
    pub replications: u64,
    /// One entry per KPI, in [`KPI_NAMES`] order.
    pub kpis: Vec<MetricReport>,
}

impl KpiReport {
    /// The summary of KPI `name`.
    pub fn kpi(&self, name: &str) -> Option<&MetricReport> {
        self.kpis.iter().find(|m| m.name == name)
    }
}

impl From<MonteCarloReport> for KpiReport {
    fn from(r: MonteCarloReport) -> KpiReport {
        KpiReport {
            seed: r.master_seed,
            replications: r.replications,
            kpis: r.metrics,
        }
    }
}

/// Runs `study` over `twin`: one replication per seed stream, KPIs summarised in replication order (the
/// report does not depend on the thread count). `progress` is called once per finished replication.
pub fn monte_carlo(
    twin: &Twin<'_>,
    study: &MonteCarlo,
    progress: &(dyn Fn() + Sync),
) -> Result<KpiReport, ActorsError> {
    let report = study.try_run(KPI_NAMES, |streams| {
        let outcome = twin.replicate(streams)?;
        progress();
        Ok::<_, ActorsError>(Kpis::of(twin.world(), &outcome).values())
    })?;
    Ok(report.into())
}
