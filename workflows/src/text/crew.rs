//! The crew scheduler's answers: FDP limits, roster legality, the fatigue forecast.

use crate::crew_rules::{FatigueSummary, FdpAnswer};
use ucodts_model::legality::LegalityReport;

use super::{say, table, thousands};

pub fn fdp_limit(answer: &FdpAnswer, report: &str, segments: usize) -> String {
    let mut o = String::new();
    let limit = &answer.limit;
    say!(
        o,
        "{}: {} (cell {}): a {report} local report with {segments} segments may last {}.",
        answer.rule_set_title,
        limit.rule,
        limit.cell(),
        limit.limit
    );
    if let Some(r) = &limit.reduction {
        say!(
            o,
            "  includes {} less because {} ({})",
            r.by,
            r.because,
            r.rule
        );
    }
    o
}

/// Violations shown in the text; `--json` has them all.
const VIOLATIONS_SHOWN: usize = 25;

pub fn legality(title: &str, report: &LegalityReport) -> String {
    let mut o = String::new();
    say!(o,
        "{title}: {} crew members checked ({} not covered), {} violations, {} duties that could not be checked.",
        thousands(report.crew_checked as u64),
        thousands(report.crew_not_covered as u64),
        thousands(report.violations.len() as u64),
        thousands(report.unchecked.len() as u64)
    );
    for v in report.violations.iter().take(VIOLATIONS_SHOWN) {
        say!(
            o,
            "  {} {}: {} [{}]",
            v.crew,
            v.kind.tag(),
            v.explain(),
            v.rule
        );
    }
    if report.violations.len() > VIOLATIONS_SHOWN {
        say!(
            o,
            "  ... {} more (all of them with --json)",
            thousands((report.violations.len() - VIOLATIONS_SHOWN) as u64)
        );
    }
    o
}

pub fn fatigue(f: &FatigueSummary) -> String {
    let mut o = String::new();
    say!(
        o,
        "Three-Process Model forecast of {} duties: {} reach KSS {} or more. The {} most fatigued:",
        thousands(f.duties_forecast as u64),
        thousands(f.alerts as u64),
        f.alert_kss,
        f.most_fatigued.len()
    );
    let rows: Vec<Vec<String>> = f
        .most_fatigued
        .iter()
        .map(|d| {
            vec![
                d.crew.to_string(),
                d.pairing.to_string(),
                d.duty.to_string(),
                d.report.to_string(),
                d.peak_at.to_string(),
                format!("{:.2}", d.peak_kss),
            ]
        })
        .collect();
    o.push_str(&table(
        &[
            "crew",
            "pairing",
            "duty",
            "report (UTC)",
            "peak at (UTC)",
            "KSS",
        ],
        &rows,
    ));
    o
}
