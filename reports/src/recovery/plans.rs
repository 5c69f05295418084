//! The input of the recovery report: what was run and the plans, as the binary fills them.

use serde::{Deserialize, Deserializer, Serialize};
use ucodts_model::fatigue::FatigueSettings;

use super::KpiSet;

/// Recovery plans compared by Monte Carlo replay in the twin.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RecoveryReport {
    /// The disruption scenario's name (`jfk-two-hour-closure`).
    pub scenario: String,
    /// What happened, in the scenario's words.
    pub description: String,
    /// The data set's name.
    pub data_set: String,
    /// When the controller decides (t0), as the controller reads it (`Tue 2 Jul 14:00 New York`).
    pub decision_time: String,
    /// The recovery window the plans cover, as text.
    pub window: String,
    /// Monte Carlo replications of every plan and of doing nothing.
    pub replications: u64,
    /// The master seed (the same random numbers for every plan in a replication).
    pub seed: u64,
    /// Doing nothing: the disrupted day flown without a recovery plan (`baseline_kpis` in the JSON, as
    /// in `ucodts recover --json`).
    #[serde(rename = "baseline_kpis", alias = "baseline")]
    pub baseline: KpiSet,
    /// The plans, best first.
    pub plans: Vec<PlanView>,
    /// The index into `plans` of the recommended plan (an index out of range: none is recommended).
    pub recommended: usize,
    /// Why that plan, in words a controller reads.
    pub why: String,
    /// Caveats the reader must know.
    pub notes: Vec<String>,
}

/// One recovery plan as a controller reads it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PlanView {
    /// Its rank by the Monte Carlo comparison, from 1.
    pub rank: usize,
    /// The policies that made it (`lns+milp`).
    pub policy: String,
    /// Whether every rule holds (the aircraft and crew judges found no violation).
    pub legal: bool,
    /// The plan's own cost as the optimizer judged it (aircraft euros plus crew cost units).
    #[serde(deserialize_with = "number_or_nan")]
    pub cost: f64,
    /// The terms of that cost.
    pub cost_breakdown: Vec<CostTerm>,
    /// Its Monte Carlo KPIs.
    pub kpis: KpiSet,
    /// Its KPIs minus doing nothing's, paired per replication.
    pub vs_baseline: KpiSet,
    /// How many crew members operations control must contact.
    pub crew_contacted: usize,
    /// What the plan does, in the order a controller would act.
    pub actions: Vec<ActionView>,
    /// Every crew member the plan touches.
    pub crew: Vec<CrewView>,
    /// Legs no crew covers, with why.
    pub uncovered: Vec<String>,
    /// The aircraft/crew feedback steps that led to the plan, in words.
    pub feedback: Vec<String>,
}

/// One term of a plan's cost.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CostTerm {
    /// What it pays for (`reserve call-outs`, `delay`).
    pub term: String,
    /// How much.
    #[serde(deserialize_with = "number_or_nan")]
    pub amount: f64,
}

/// One action of a plan.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ActionView {
    /// Its kind, one word (`call_out`, `swap`, `deadhead`, `retime`, `cancel`).
    pub kind: String,
    /// The crew members, tails or legs it concerns.
    pub who: Vec<String>,
    /// The action in a sentence.
    pub text: String,
}

/// One crew member the plan touches.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CrewView {
    /// The crew member's id.
    pub crew: String,
    /// Rank and base, or the part played (`FO JFK, reserve called out`).
    pub role: String,
    /// Whether the new roster breaks no rule.
    pub legal: bool,
    /// The broken rules, in words.
    pub violations: Vec<String>,
    /// The highest KSS of the new roster's duties, if forecast.
    pub kss_peak: Option<f64>,
    /// The roster's duties in the recovery window.
    pub duties: Vec<DutyView>,
}

/// One duty of an affected crew member.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DutyView {
    /// Report time, as text.
    pub report: String,
    /// Release time, as text.
    pub release: String,
    /// The highest KSS forecast within the duty, if forecast.
    pub kss_peak: Option<f64>,
}

fn number_or_nan<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
}

/// The KSS from which a duty is a fatigue alert: the fatigue model's own alert level.
pub fn fatigue_alert_kss() -> f64 {
    FatigueSettings::default().alert_kss
}

impl RecoveryReport {
    /// The recommended plan, if `recommended` points at one.
    pub fn recommended_plan(&self) -> Option<&PlanView> {
        self.plans.get(self.recommended)
    }
}
