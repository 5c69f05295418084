//! The same numbers as the page, for machines: JSON (the whole [`ScenarioReport`] with a format tag) and
//! CSV in long form — one number or word per line, so one file holds every table:
//!
//! ```text
//! table,row,series,measure,value
//! kpi,on_time_rate,baseline,mean,0.7241
//! kpi,on_time_rate,difference,ci95_lower,-0.0402
//! arrival_delay,15..30,scenario,count,1234
//! on_time_by_hour,14,scenario,rate,0.5521
//! tail_rotations,N318JB,B6 1234 JFK-BOS,arrival_delay_min,95
//! ```
//!
//! Tables: `scenario` (what was run), `disruption`, `kpi`, `arrival_delay`, `on_time_by_hour`,
//! `tail_rotations`, `crew_duties`, `operations_control`, `alert`. Times are UTC (`2013-07-02T18:00Z`).

use serde::Serialize;

use crate::report::{Estimate, Gantt, ScenarioReport};
use crate::ReportError;

/// The format tag of the JSON file; changes when a field changes meaning.
pub const JSON_FORMAT: &str = "ucodts-scenario-report/1";

#[derive(Serialize)]
struct Document<'a> {
    format: &'static str,
    #[serde(flatten)]
    report: &'a ScenarioReport,
}

/// The report as pretty-printed JSON, ending in a newline.
pub fn to_json(report: &ScenarioReport) -> Result<String, ReportError> {
    let mut text = serde_json::to_string_pretty(&Document {
        format: JSON_FORMAT,
        report,
    })
    .map_err(|e| ReportError::Json(e.to_string()))?;
    text.push('\n');
    Ok(text)
}

/// The report's numbers as long-form CSV (see the module documentation).
pub fn to_csv(report: &ScenarioReport) -> Result<String, ReportError> {
    let mut rows: Vec<[String; 5]> = Vec::new();
    let mut row = |table: &str, item: &str, series: &str, measure: &str, value: String| {
        rows.push(crate::export::long_row(table, item, series, measure, value));
    };

    let s = &report.scenario;
    for (measure, value) in [
        ("name", s.name.clone()),
        ("description", s.description.clone()),
        ("source", s.source.clone()),
        ("data_set", s.data_set.clone()),
        ("from", s.from.to_string()),
        ("to", s.to.to_string()),
        ("replications", s.replications.to_string()),
        ("seed", s.seed.to_string()),
        (
            "representative_replication",
            s.representative_replication.to_string(),
        ),
        ("display_zone", s.display_zone.to_string()),
    ] {
        row("scenario", "", "", measure, value);
    }
    for (i, d) in report.disruptions.iter().enumerate() {
        let item = (i + 1).to_string();
        row("disruption", &item, "", "kind", d.kind.clone());
        row("disruption", &item, "", "summary", d.summary.clone());
        row("disruption", &item, "", "from", d.from.to_string());
        row("disruption", &item, "", "to", d.to.to_string());
    }
    for k in &report.kpis {
        for (series, e) in [
            ("baseline", &k.baseline),
            ("scenario", &k.scenario),
            ("difference", &k.difference),
        ] {
            estimate(&mut row, &k.name, series, e);
        }
    }
    for (series, h) in [
        ("baseline", &report.arrival_delay.baseline),
        ("scenario", &report.arrival_delay.scenario),
    ] {
        let total = h.total();
        for (i, &count) in h.counts.iter().enumerate() {
            let label = h.bin_label(i);
            row("arrival_delay", &label, series, "count", count.to_string());
            let share = if total == 0 {
                0.0
            } else {
                count as f64 / total as f64
            };
            row(
                "arrival_delay",
                &label,
                series,
                "share",
                format!("{share:.6}"),
            );
        }
    }
    for h in &report.on_time_by_hour {
        let hour = h.hour.to_string();
        for (series, c) in [("baseline", &h.baseline), ("scenario", &h.scenario)] {
            row(
                "on_time_by_hour",
                &hour,
                series,
                "scheduled",
                c.scheduled.to_string(),
            );
            row(
                "on_time_by_hour",
                &hour,
                series,
                "flown",
                c.flown.to_string(),
            );
            row(
                "on_time_by_hour",
                &hour,
                series,
                "on_time",
                c.on_time.to_string(),
            );
            let rate = c.rate().map_or(String::new(), |r| format!("{r:.6}"));
            row("on_time_by_hour", &hour, series, "rate", rate);
        }
    }
    gantt(&mut row, "tail_rotations", &report.tail_rotations);
    gantt(&mut row, "crew_duties", &report.crew_duties);
    for c in &report.operations_control {
        row(
            "operations_control",
            &c.name,
            "baseline",
            "count",
            c.baseline.to_string(),
        );
        row(
            "operations_control",
            &c.name,
            "scenario",
            "count",
            c.scenario.to_string(),
        );
    }
    for (i, a) in report.alerts.iter().enumerate() {
        let item = (i + 1).to_string();
        row("alert", &item, "scenario", "at", a.at.to_string());
        row(
            "alert",
            &item,
            "scenario",
            "kind",
            a.kind.label().to_string(),
        );
        row("alert", &item, "scenario", "subject", a.subject.clone());
        row("alert", &item, "scenario", "detail", a.detail.clone());
        row(
            "alert",
            &item,
            "scenario",
            "in_baseline",
            a.in_baseline.to_string(),
        );
    }

    long_form_csv(&rows)
}

/// One long-form row: `table,row,series,measure,value`.
pub(crate) fn long_row(
    table: &str,
    item: &str,
    series: &str,
    measure: &str,
    value: String,
) -> [String; 5] {
    [
        table.into(),
        item.into(),
        series.into(),
        measure.into(),
        value,
    ]
}

/// Writes long-form rows (`table,row,series,measure,value`) under their header: the CSV of every report.
pub(crate) fn long_form_csv(rows: &[[String; 5]]) -> Result<String, ReportError> {
    let csv_error = |e: csv::Error| ReportError::Csv(e.to_string());
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["table", "row", "series", "measure", "value"])
        .map_err(csv_error)?;
    for r in rows {
        w.write_record(r).map_err(csv_error)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| ReportError::Csv(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| ReportError::Csv(e.to_string()))
}

fn estimate(
    row: &mut impl FnMut(&str, &str, &str, &str, String),
    name: &str,
    series: &str,
    e: &Estimate,
) {
    row("kpi", name, series, "mean", format!("{:.6}", e.mean));
    let (lower, upper) = match e.ci95 {
        Some([l, u]) => (format!("{l:.6}"), format!("{u:.6}")),
        None => (String::new(), String::new()),
    };
    row("kpi", name, series, "ci95_lower", lower);
    row("kpi", name, series, "ci95_upper", upper);
}

fn gantt(row: &mut impl FnMut(&str, &str, &str, &str, String), table: &str, g: &Gantt) {
    let opt = |v: Option<i64>| v.map_or(String::new(), |v| v.to_string());
    for r in &g.rows {
        for leg in &r.legs {
            let series = format!("{} {}-{}", leg.flight, leg.origin, leg.destination);
            let mut m =
                |measure: &str, value: String| row(table, &r.label, &series, measure, value);
            m("scheduled_out", leg.scheduled_out.to_string());
            m("scheduled_in", leg.scheduled_in.to_string());
            m("out", leg.out.map_or(String::new(), |t| t.to_string()));
            m(
                "arrived",
                leg.arrived.map_or(String::new(), |t| t.to_string()),
            );
            m("outcome", leg.outcome.class().to_string());
            m("arrival_delay_min", opt(leg.arrival_delay_min()));
            m(
                "baseline_arrival_delay_min",
                opt(leg.baseline_arrival_delay_min),
            );
            if let Some(reason) = &leg.cancel_reason {
                m("cancel_reason", reason.clone());
            }
            if leg.deadhead {
                m("deadhead", "true".into());
            }
        }
    }
}
