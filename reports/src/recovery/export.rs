//! The report's numbers as long-form CSV and as JSON tagged [`JSON_FORMAT`] that reads back.

use serde::{Deserialize, Serialize};

use super::{fatigue_alert_kss, KpiSet, RecoveryReport, KPIS};
use crate::ReportError;

/// The format tag of the JSON file; changes when a field changes meaning.
pub const JSON_FORMAT: &str = "ucodts-recovery-report/1";

#[derive(Serialize)]
struct Document<'a> {
    format: &'static str,
    #[serde(flatten)]
    report: &'a RecoveryReport,
}

#[derive(Deserialize)]
struct OwnedDocument {
    format: String,
    #[serde(flatten)]
    report: RecoveryReport,
}

/// The report as pretty-printed JSON with its format tag, ending in a newline.
pub fn to_json(report: &RecoveryReport) -> Result<String, ReportError> {
    let mut text = serde_json::to_string_pretty(&Document {
        format: JSON_FORMAT,
        report,
    })
    .map_err(|e| ReportError::Json(e.to_string()))?;
    text.push('\n');
    Ok(text)
}

/// Reads a report written by [`to_json`]; an error when the format tag is not [`JSON_FORMAT`].
pub fn from_json(text: &str) -> Result<RecoveryReport, ReportError> {
    let doc: OwnedDocument =
        serde_json::from_str(text).map_err(|e| ReportError::Json(e.to_string()))?;
    if doc.format != JSON_FORMAT {
        return Err(ReportError::Json(format!(
            "format is {:?}, expected {JSON_FORMAT:?}",
            doc.format
        )));
    }
    Ok(doc.report)
}

fn number(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.6}")
    } else {
        String::new()
    }
}

/// The report's numbers as long-form CSV, `table,row,series,measure,value`; `row` is a plan's position
/// from 1 (`doing_nothing` for doing nothing). Tables:
///
/// ```text
/// recovery,,,scenario,jfk-two-hour-closure          (what was run)
/// plan,1,lns+milp,legal,true                        (rank, policy, legal, cost, crew_contacted, recommended)
/// kpi,doing_nothing,cost,mean,123456.000000         (every plan and doing nothing x every KPI: mean, ci95_lower, ci95_upper)
/// kpi_vs_doing_nothing,1,cost,ci95_upper,-1200.0    (the paired differences)
/// cost_breakdown,1,delay,amount,5400.000000
/// action,1,2,kind,call_out                          (also who, text; series = action number)
/// crew,1,C042,legal,true                            (also role, violation, kss_peak, fatigue_alert)
/// duty,1,C042 1,kss_peak,7.200000                   (also report, release, fatigue_alert; series = crew and duty number)
/// uncovered,1,1,what,...   feedback,1,1,what,...   note,1,,text,...
/// ```
pub fn to_csv(report: &RecoveryReport) -> Result<String, ReportError> {
    let mut rows: Vec<[String; 5]> = Vec::new();
    let mut row = |table: &str, item: &str, series: &str, measure: &str, value: String| {
        rows.push(crate::export::long_row(table, item, series, measure, value));
    };
    for (measure, value) in [
        ("scenario", report.scenario.clone()),
        ("description", report.description.clone()),
        ("data_set", report.data_set.clone()),
        ("decision_time", report.decision_time.clone()),
        ("window", report.window.clone()),
        ("replications", report.replications.to_string()),
        ("seed", report.seed.to_string()),
        ("why", report.why.clone()),
    ] {
        row("recovery", "", "", measure, value);
    }
    fn kpis(
        row: &mut dyn FnMut(&str, &str, &str, &str, String),
        table: &str,
        item: &str,
        set: &KpiSet,
    ) {
        for (info, v) in KPIS.iter().zip(set.values()) {
            row(table, item, info.name, "mean", number(v.mean));
            row(table, item, info.name, "ci95_lower", number(v.lower));
            row(table, item, info.name, "ci95_upper", number(v.upper));
        }
    }
    kpis(&mut row, "kpi", "doing_nothing", &report.baseline);
    let fatigue = fatigue_alert_kss();
    for (i, p) in report.plans.iter().enumerate() {
        let item = (i + 1).to_string();
        for (measure, value) in [
            ("rank", p.rank.to_string()),
            ("legal", p.legal.to_string()),
            ("cost", number(p.cost)),
            ("crew_contacted", p.crew_contacted.to_string()),
            ("recommended", (i == report.recommended).to_string()),
        ] {
            row("plan", &item, &p.policy, measure, value);
        }
        kpis(&mut row, "kpi", &item, &p.kpis);
        kpis(&mut row, "kpi_vs_doing_nothing", &item, &p.vs_baseline);
        for t in &p.cost_breakdown {
            row("cost_breakdown", &item, &t.term, "amount", number(t.amount));
        }
        for (n, a) in p.actions.iter().enumerate() {
            let series = (n + 1).to_string();
            row("action", &item, &series, "kind", a.kind.clone());
            row("action", &item, &series, "who", a.who.join(" "));
            row("action", &item, &series, "text", a.text.clone());
        }
        for c in &p.crew {
            row("crew", &item, &c.crew, "role", c.role.clone());
            row("crew", &item, &c.crew, "legal", c.legal.to_string());
            for v in &c.violations {
                row("crew", &item, &c.crew, "violation", v.clone());
            }
            let peak = c.kss_peak.map_or(String::new(), number);
            row("crew", &item, &c.crew, "kss_peak", peak);
            row(
                "crew",
                &item,
                &c.crew,
                "fatigue_alert",
                c.kss_peak.is_some_and(|k| k >= fatigue).to_string(),
            );
            for (n, d) in c.duties.iter().enumerate() {
                let series = format!("{} {}", c.crew, n + 1);
                row("duty", &item, &series, "report", d.report.clone());
                row("duty", &item, &series, "release", d.release.clone());
                let peak = d.kss_peak.map_or(String::new(), number);
                row("duty", &item, &series, "kss_peak", peak);
                row(
                    "duty",
                    &item,
                    &series,
                    "fatigue_alert",
                    d.kss_peak.is_some_and(|k| k >= fatigue).to_string(),
                );
            }
        }
        for (n, u) in p.uncovered.iter().enumerate() {
            row("uncovered", &item, &(n + 1).to_string(), "what", u.clone());
        }
        for (n, f) in p.feedback.iter().enumerate() {
            row("feedback", &item, &(n + 1).to_string(), "what", f.clone());
        }
    }
    for (n, text) in report.notes.iter().enumerate() {
        row("note", &(n + 1).to_string(), "", "text", text.clone());
    }
    crate::export::long_form_csv(&rows)
}
