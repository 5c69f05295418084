//! `recover --report FILE.html`: the loop's outcome as `ucodts_reports::recovery`'s page, CSV and JSON.

use std::path::Path;

use crate::error::{Context, Result};
use ucodts_model::Schedule;
use ucodts_reports::recovery::{
    write_recovery_report, ActionView, CostTerm, CrewView, DutyView, KpiSet, PlanView,
    RecoveryReport,
};
use ucodts_reports::WrittenReport;
use ucodts_scenarios::Scenario;

use super::whole_loop::PlanJson;
use super::Kpis;
use super::RecoverReport;

/// The loop's KPIs as the report's (the same intervals, named for the page).
fn kpis(k: &Kpis) -> KpiSet {
    KpiSet {
        cost: k.cost,
        mean_arrival_delay_min: k.mean_arrival_delay_min,
        p90_arrival_delay_min: k.p90_arrival_delay_min,
        on_time_rate: k.on_time_rate,
        cancelled_legs: k.cancelled_legs,
        crew_illegality_probability: k.crew_illegality_probability,
        misconnects: k.misconnects,
    }
}

fn plan_view(p: &PlanJson) -> PlanView {
    let c = &p.cost_breakdown;
    let t = &c.crew_terms.terms;
    let mut cost_breakdown = vec![CostTerm {
        term: "aircraft and passengers (ROADEF 2009 rules, EUR)".into(),
        amount: c.aircraft,
    }];
    for (term, amount) in [
        ("crew: uncovered seats", t.uncovered),
        ("crew: reserve call-outs", t.reserve_callouts),
        ("crew: deadheads", t.deadheads),
        ("crew: swaps", t.swaps),
        ("crew: crew contacted", t.crew_contacted),
        ("crew: stranded away from base", t.stranded),
        ("crew: fatigue (KSS above 6)", t.fatigue),
    ] {
        cost_breakdown.push(CostTerm {
            term: term.into(),
            amount: amount as f64,
        });
    }
    PlanView {
        rank: p.rank,
        policy: p.policy.clone(),
        legal: p.legal,
        cost: p.cost,
        cost_breakdown,
        kpis: kpis(&p.kpis),
        vs_baseline: kpis(&p.vs_baseline),
        crew_contacted: p.crew_contacted,
        // The aircraft actions, then the crew's grouped by member with their new duties.
        actions: p
            .actions
            .iter()
            .map(|a| &a.action)
            .filter(|a| a.is_aircraft())
            .map(|a| ActionView {
                kind: a.kind.to_string(),
                who: a.tails.clone(),
                text: a.text.clone(),
            })
            .chain(p.crew_changes.iter().map(|c| ActionView {
                kind: "crew".into(),
                who: vec![c.crew.clone()],
                text: c.text.clone(),
            }))
            .collect(),
        crew: p
            .crew
            .members
            .iter()
            .map(|m| CrewView {
                crew: m.crew.clone(),
                role: m.role.to_string(),
                legal: m.legal,
                violations: m.violations.iter().chain(&m.problems).cloned().collect(),
                kss_peak: m.kss_peak,
                duties: m
                    .duties
                    .iter()
                    .map(|d| DutyView {
                        report: d.report.clone(),
                        release: d.release.clone(),
                        kss_peak: Some(d.kss_peak),
                    })
                    .collect(),
            })
            .collect(),
        uncovered: p
            .actions
            .iter()
            .filter(|a| a.action.kind == "uncovered")
            .map(|a| a.action.text.clone())
            .collect(),
        feedback: p.feedback.clone(),
    }
}

/// Writes the page for `report` at `path` (with `.csv` and `.json` beside it).
pub fn write(
    schedule: &Schedule,
    scenario: &Scenario,
    report: &RecoverReport,
    path: &Path,
) -> Result<WrittenReport> {
    let data_set = schedule
        .airlines()
        .iter()
        .map(|a| a.code.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let page = RecoveryReport {
        scenario: report.scenario.clone(),
        description: scenario.description.clone(),
        data_set: format!("{} legs of airlines {data_set}", schedule.legs().len()),
        decision_time: format!("{} (UTC)", report.decision_time),
        window: format!("{} .. {} (UTC)", report.window_start, report.window_end),
        replications: report.replications,
        seed: report.seed,
        baseline: kpis(&report.baseline_kpis),
        plans: report.plans.iter().map(plan_view).collect(),
        recommended: report.plans.iter().position(|p| p.recommended).unwrap_or(usize::MAX),
        why: report.recommended.why.clone(),
        notes: [
            "Costs add the aircraft side's euros (ROADEF 2009 cost rules) and the crew side's cost units (about US dollars); \
             a run's cost adds what the twin sees: EUR 100 per minute of late arrival, the passengers' cancellation cost per cancelled leg, \
             20,000 for a run with crew past a limit, 1,000 per reserve called on the day."
                .to_string(),
            "Passenger misconnections are not modelled (the data holds no itineraries); `misconnects` counts crew who missed \
             their planned connection and were repositioned."
                .to_string(),
        ]
        .into_iter()
        .chain(report.not_modelled.iter().map(|n| format!("Not in the aircraft plan: {n}")))
        .collect(),
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating the report folder {}", dir.display()))?;
    }
    write_recovery_report(&page, path)
        .with_context(|| format!("writing the recovery report {}", path.display()))
}
