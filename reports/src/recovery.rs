//! The recovery report: the plans the optimizer proposed after a disruption, each replayed in the twin
//! with common random numbers, compared with each other and with doing nothing — what a controller reads
//! before accepting one. One self-contained HTML page (the recommendation and why first, a comparison
//! table with 95% intervals, three charts, then a section per plan: its actions in words, legality and
//! fatigue of every affected crew member, its cost breakdown) and the same numbers as long-form CSV and
//! as JSON tagged [`JSON_FORMAT`].
//!
//! [`RecoveryReport`] is plain data the `ucodts` binary fills from `ucodts recover`; like the scenario
//! report, this module computes nothing about the airline, and its bytes are a function of its input.
//!
//! ```
//! use ucodts_reports::recovery;
//! let report = recovery::sample(); // made-up numbers
//! let page = recovery::page(&report);
//! assert!(page.contains(r#"data-chart="expected-cost""#));
//! let dir = tempfile::tempdir()?;
//! let written = recovery::write_recovery_report(&report, &dir.path().join("plans.html"))?;
//! assert!(written.json.ends_with("plans.json") && written.csv.exists());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::path::Path;

use serde::{Deserialize, Deserializer, Serialize};
use ucodts_model::fatigue::FatigueSettings;

use crate::charts::intervals::{self, Bar, BarKind, Labels};
use crate::charts::w;
use crate::files::{paths, put_in_place, WrittenReport};
use crate::format::{self, esc};
use crate::report::Unit;
use crate::ReportError;

/// The format tag of the JSON file; changes when a field changes meaning.
pub const JSON_FORMAT: &str = "ucodts-recovery-report/1";

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

/// A mean over replications with its 95% confidence interval. A number that is not finite is written
/// to JSON as `null` and read back as NaN.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// The mean.
    #[serde(deserialize_with = "number_or_nan")]
    pub mean: f64,
    /// The lower end of the 95% interval.
    #[serde(deserialize_with = "number_or_nan")]
    pub lower: f64,
    /// The upper end of the 95% interval.
    #[serde(deserialize_with = "number_or_nan")]
    pub upper: f64,
}

impl Interval {
    /// Whether the interval lies wholly above or below zero.
    pub fn excludes_zero(&self) -> bool {
        self.lower > 0.0 || self.upper < 0.0
    }
}

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

// ---------------------------------------------------------------------------------------------------
// Numbers for people.

/// `1,234,567` (whole, thousands separated, real minus sign).
fn grouped(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    let whole = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if x < 0.0 && whole != "0" {
        format!("\u{2212}{out}")
    } else {
        out
    }
}

fn signed_grouped(x: f64) -> String {
    let g = grouped(x);
    if x > 0.0 && g != "0" {
        format!("+{g}")
    } else {
        g
    }
}

fn value_text(x: f64, unit: KpiUnit) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    match unit {
        KpiUnit::Cost => grouped(x),
        KpiUnit::Other(u) => format::value(x, u),
    }
}

fn difference_text(x: f64, unit: KpiUnit) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    match unit {
        KpiUnit::Cost => signed_grouped(x),
        KpiUnit::Other(u) => format::difference(x, u),
    }
}

fn value_interval(i: &Interval, unit: KpiUnit) -> String {
    format!(
        "{} to {}",
        value_text(i.lower, unit),
        value_text(i.upper, unit)
    )
}

fn difference_interval(i: &Interval, unit: KpiUnit) -> String {
    if !(i.lower.is_finite() && i.upper.is_finite()) {
        return "n/a".into();
    }
    match unit {
        KpiUnit::Cost => format!("{} to {}", signed_grouped(i.lower), signed_grouped(i.upper)),
        KpiUnit::Other(u) => format::interval(Some([i.lower, i.upper]), u),
    }
}

/// How a paired difference reads for the operation: (CSS class, word).
fn reading(d: &Interval, info: &KpiInfo) -> (&'static str, &'static str) {
    if !d.excludes_zero() {
        return ("neutral", "not significant");
    }
    if (d.mean > 0.0) == info.higher_is_better {
        ("better", "better")
    } else {
        ("worse", "worse")
    }
}

fn kss_text(k: Option<f64>) -> String {
    match k {
        Some(k) if k.is_finite() => format!("{k:.1}"),
        _ => "n/a".into(),
    }
}

fn is_fatigue_alert(k: Option<f64>) -> bool {
    k.is_some_and(|k| k >= fatigue_alert_kss())
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

// ---------------------------------------------------------------------------------------------------
// The page.

const CSS: &str = r#"
.why { font-size: 21px; line-height: 1.4; font-weight: 600; margin: 22px 0 10px; padding: 14px 18px;
  border-left: 8px solid var(--better); background: var(--panel); }
.verdict { display: flex; flex-wrap: wrap; gap: 6px 28px; margin: 6px 0 0; font-size: 14px; }
.badge { display: inline-block; font-size: 12px; font-weight: 700; padding: 1px 8px; border-radius: 10px;
  border: 1.5px solid var(--ink); text-transform: uppercase; letter-spacing: .04em; margin-left: 8px; }
table.comparison th.num { white-space: normal; }
table.cost-breakdown { width: auto; min-width: 60%; }
table.comparison td:first-child { white-space: nowrap; }
tr.recommended td { font-weight: 600; background: #eef5ec; }
tr.doing-nothing td { font-style: italic; }
td.illegal, .illegal { color: var(--worse); font-weight: 600; }
td.fatigue-alert { color: var(--worse); font-weight: 700; }
section.plan { border-top: 3px solid var(--line); margin-top: 30px; }
section.plan.recommended { border-top-color: var(--better); }
section.plan h3 { font-size: 16px; margin: 16px 0 4px; }
ul.actions li { margin: 3px 0; }
svg.chart .value { font-size: 12px; }
@media print { .why { border-left-width: 5pt; background: #fff; } section.plan { break-before: page; } tr.recommended td { background: #fff; } }
"#;

/// The label of plan `i` in tables and charts (`1. lns+milp`).
fn plan_label(p: &PlanView) -> String {
    format!("{}. {}", p.rank, p.policy)
}

/// The whole page.
pub fn page(r: &RecoveryReport) -> String {
    let mut out = String::with_capacity(128 * 1024);
    w!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"ucodts\">\n<title>Recovery plans: {}</title>\n<style>{}{CSS}</style>\n</head>\n<body>\n",
        esc(&r.scenario),
        crate::html::CSS
    );
    w!(
        out,
        "<header class=\"report\"><div class=\"inner\">\
         <p class=\"eyebrow\">UCODTS \u{b7} recovery plans compared</p>\
         <h1>{}</h1><p class=\"lead\">{}</p><dl class=\"meta\">\
         <div><dt>Decision at</dt><dd>{}</dd></div>\
         <div><dt>Recovery window</dt><dd>{}</dd></div>\
         <div><dt>Data set</dt><dd>{}</dd></div>\
         <div><dt>Plans compared</dt><dd>{}</dd></div>\
         <div><dt>Replications</dt><dd>{} per plan (seed {}), common random numbers</dd></div>\
         </dl></div></header>\n<main>\n",
        esc(&r.scenario),
        esc(&r.description),
        esc(&r.decision_time),
        esc(&r.window),
        esc(&r.data_set),
        r.plans.len(),
        r.replications,
        r.seed
    );

    recommendation(&mut out, r);
    comparison(&mut out, r);
    charts(&mut out, r);
    for (i, p) in r.plans.iter().enumerate() {
        plan_section(&mut out, r, i, p);
    }

    out.push_str("<footer><strong>How to read this report</strong><ul>");
    w!(
        out,
        "<li>Every plan and doing nothing were flown in the twin {} times with the same random numbers in each \
         replication (common random numbers), so a difference between them is the plan's effect, not chance. \
         Differences are paired per replication; intervals are 95% confidence intervals of the mean. A \
         difference whose interval contains zero is marked not significant.</li>\
         <li>Expected cost is the disruption's cost as the twin sees it plus the cost of the plan's own actions; \
         a plan's own cost (in its section) is what the optimizer minimised.</li>\
         <li>A duty is a fatigue alert when its forecast KSS reaches {:.0} (Karolinska Sleepiness Scale, 9 = \
         extremely sleepy).</li>",
        r.replications,
        fatigue_alert_kss()
    );
    for n in &r.notes {
        w!(out, "<li>{}</li>", esc(n));
    }
    out.push_str(
        "<li>The same numbers are in the CSV and JSON files written beside this page.</li></ul></footer>\n</main>\n</body>\n</html>\n",
    );
    out
}

fn recommendation(out: &mut String, r: &RecoveryReport) {
    out.push_str("<section id=\"recommendation\" class=\"keep\"><h2>Recommendation</h2>");
    w!(out, "<p class=\"why\">{}</p>", esc(&r.why));
    match r.recommended_plan() {
        Some(p) => {
            let cost = &KPIS[0];
            w!(
                out,
                "<div class=\"verdict\" data-recommended=\"{}\"><div>Plan <strong>{}</strong> \
                 <span class=\"badge\">recommended</span></div>\
                 <div>Expected cost <strong>{}</strong> ({} vs doing nothing, 95% CI {})</div>\
                 <div>90th percentile delay <strong>{}</strong></div>\
                 <div>Crew to contact <strong>{}</strong></div><div>Legal <strong class=\"{}\">{}</strong></div></div>",
                esc(&p.policy),
                esc(&plan_label(p)),
                value_text(p.kpis.cost.mean, cost.unit),
                difference_text(p.vs_baseline.cost.mean, cost.unit),
                difference_interval(&p.vs_baseline.cost, cost.unit),
                value_text(p.kpis.p90_arrival_delay_min.mean, KPIS[2].unit),
                p.crew_contacted,
                if p.legal { "" } else { "illegal" },
                yes_no(p.legal)
            );
        }
        None => out.push_str("<p class=\"small\">No plan is recommended.</p>"),
    }
    out.push_str("</section>\n");
}

fn comparison(out: &mut String, r: &RecoveryReport) {
    // The columns a controller compares; all of them in the CSV and in each plan's section.
    const SHOWN: [usize; 4] = [0, 2, 4, 5];
    out.push_str(
        "<section id=\"comparison\"><h2>Plans compared with doing nothing</h2>\
         <p class=\"explain\">Means over the replications with their 95% intervals beneath; the change in \
         expected cost is the plan minus doing nothing, paired per replication.</p>\
         <table class=\"comparison\"><thead><tr><th>Plan</th>",
    );
    for k in SHOWN {
        w!(out, "<th class=\"num\">{}</th>", KPIS[k].label);
        if k == 0 {
            out.push_str("<th class=\"num\">Cost vs doing nothing</th>");
        }
    }
    out.push_str("<th class=\"num\">Crew contacted</th><th>Legal</th></tr></thead><tbody>");
    let cell = |k: usize, i: &Interval| {
        format!(
            "<td class=\"num\">{}<br><span class=\"small\">{}</span></td>",
            value_text(i.mean, KPIS[k].unit),
            value_interval(i, KPIS[k].unit)
        )
    };
    out.push_str("<tr class=\"doing-nothing\" data-plan=\"doing-nothing\"><td>Doing nothing</td>");
    let base = r.baseline.values();
    for k in SHOWN {
        out.push_str(&cell(k, &base[k]));
        if k == 0 {
            out.push_str("<td class=\"num\">\u{2014}</td>");
        }
    }
    out.push_str("<td class=\"num\">0</td><td>\u{2014}</td></tr>");
    for (i, p) in r.plans.iter().enumerate() {
        let recommended = i == r.recommended;
        w!(
            out,
            "<tr class=\"plan{}\" data-plan=\"{}\" data-policy=\"{}\"><td>{}{}</td>",
            if recommended { " recommended" } else { "" },
            i + 1,
            esc(&p.policy),
            esc(&plan_label(p)),
            if recommended {
                "<span class=\"badge\">recommended</span>"
            } else {
                ""
            }
        );
        let values = p.kpis.values();
        for k in SHOWN {
            out.push_str(&cell(k, &values[k]));
            if k == 0 {
                let d = &p.vs_baseline.cost;
                let (class, word) = reading(d, &KPIS[0]);
                w!(
                    out,
                    "<td class=\"num {class}\">{}<br><span class=\"small\">{} ({word})</span></td>",
                    difference_text(d.mean, KPIS[0].unit),
                    difference_interval(d, KPIS[0].unit)
                );
            }
        }
        w!(
            out,
            "<td class=\"num\">{}</td><td class=\"{}\">{}</td></tr>",
            p.crew_contacted,
            if p.legal { "" } else { "illegal" },
            yes_no(p.legal)
        );
    }
    out.push_str("</tbody></table></section>\n");
}

fn plan_bar(i: usize, r: &RecoveryReport, p: &PlanView, value: &Interval) -> Bar {
    Bar {
        label: plan_label(p),
        kind: if i == r.recommended {
            BarKind::Recommended
        } else {
            BarKind::Plan
        },
        mean: value.mean,
        lower: value.lower,
        upper: value.upper,
    }
}

fn with_doing_nothing(r: &RecoveryReport, pick: fn(&KpiSet) -> Interval) -> Vec<Bar> {
    let b = pick(&r.baseline);
    let mut bars = vec![Bar {
        label: "Doing nothing".into(),
        kind: BarKind::DoingNothing,
        mean: b.mean,
        lower: b.lower,
        upper: b.upper,
    }];
    bars.extend(
        r.plans
            .iter()
            .enumerate()
            .map(|(i, p)| plan_bar(i, r, p, &pick(&p.kpis))),
    );
    bars
}

/// The names of the page's charts, in page order.
pub const CHARTS: [&str; 3] = [
    "expected-cost",
    "cost-vs-doing-nothing",
    "p90-arrival-delay",
];

fn charts(out: &mut String, r: &RecoveryReport) {
    let cost = |x: f64| grouped(x);
    let minutes = |x: f64| format::value(x, Unit::Minutes);
    w!(
        out,
        "<section id=\"expected-cost\"><h2>Expected cost</h2>\
         <p class=\"explain\">Each bar is a plan's expected cost over the replications, the whisker its 95% \
         interval; doing nothing is the first bar.</p><figure>{}</figure></section>\n",
        intervals::svg(
            Labels {
                name: CHARTS[0],
                title: "Expected cost per plan, with 95% intervals",
                axis_title: "Expected cost (aircraft euros plus crew cost units)",
                mark_not_significant: false,
            },
            &with_doing_nothing(r, |k| k.cost),
            &cost
        )
    );
    let differences: Vec<Bar> = r
        .plans
        .iter()
        .enumerate()
        .map(|(i, p)| plan_bar(i, r, p, &p.vs_baseline.cost))
        .collect();
    w!(
        out,
        "<section id=\"cost-vs-doing-nothing\"><h2>Change in cost against doing nothing</h2>\
         <p class=\"explain\">Each plan's cost minus doing nothing's in the same replication, averaged, with \
         its 95% interval. Left of zero the plan saves money; a hatched bar whose whisker crosses zero is not \
         significant: the replications cannot tell the plan from doing nothing.</p><figure>{}</figure></section>\n",
        intervals::svg(
            Labels {
                name: CHARTS[1],
                title: "Paired difference in cost, plan minus doing nothing, with 95% intervals",
                axis_title: "Plan minus doing nothing (cost units; negative: the plan saves)",
                mark_not_significant: true,
            },
            &differences,
            &|x| signed_grouped(x)
        )
    );
    w!(
        out,
        "<section id=\"p90-arrival-delay\"><h2>90th percentile arrival delay</h2>\
         <p class=\"explain\">How late the worst tenth of flown legs arrive under each plan: the risk a \
         cautious controller watches besides the mean.</p><figure>{}</figure></section>\n",
        intervals::svg(
            Labels {
                name: CHARTS[2],
                title: "90th percentile arrival delay per plan, with 95% intervals",
                axis_title: "90th percentile arrival delay (minutes)",
                mark_not_significant: false,
            },
            &with_doing_nothing(r, |k| k.p90_arrival_delay_min),
            &minutes
        )
    );
}

fn plan_section(out: &mut String, r: &RecoveryReport, i: usize, p: &PlanView) {
    let recommended = i == r.recommended;
    w!(
        out,
        "<section class=\"plan{}\" id=\"plan-{}\" data-plan=\"{}\" data-policy=\"{}\"><h2>Plan {}{}</h2>\
         <p class=\"explain\">{} \u{b7} plan cost {} \u{b7} {} crew member{} to contact.</p>",
        if recommended { " recommended" } else { "" },
        i + 1,
        i + 1,
        esc(&p.policy),
        esc(&plan_label(p)),
        if recommended {
            "<span class=\"badge\">recommended</span>"
        } else {
            ""
        },
        if p.legal {
            "Legal: every rule holds"
        } else {
            "<span class=\"illegal\">Not legal: a rule is broken</span>"
        },
        grouped(p.cost),
        p.crew_contacted,
        if p.crew_contacted == 1 { "" } else { "s" }
    );

    out.push_str("<h3>What the plan does</h3>");
    if p.actions.is_empty() {
        out.push_str("<p class=\"small\">No action: the plan leaves the operation as it is.</p>");
    } else {
        out.push_str("<ul class=\"actions\">");
        for a in &p.actions {
            w!(
                out,
                "<li class=\"action\" data-kind=\"{}\"><span class=\"kind\">{}</span> {}",
                esc(&a.kind),
                esc(&a.kind.replace('_', " ")),
                esc(&a.text)
            );
            if !a.who.is_empty() {
                w!(
                    out,
                    " <span class=\"small\">({})</span>",
                    esc(&a.who.join(", "))
                );
            }
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    if !p.uncovered.is_empty() {
        out.push_str("<h3>Left uncovered</h3><ul class=\"uncovered\">");
        for u in &p.uncovered {
            w!(out, "<li class=\"illegal\">{}</li>", esc(u));
        }
        out.push_str("</ul>");
    }
    if !p.feedback.is_empty() {
        out.push_str("<h3>How aircraft and crew were reconciled</h3><ol class=\"feedback\">");
        for f in &p.feedback {
            w!(out, "<li>{}</li>", esc(f));
        }
        out.push_str("</ol>");
    }

    out.push_str(
        "<h3>Affected crew</h3><table class=\"crew\"><thead><tr><th>Crew member</th><th>Role</th>\
         <th>Legal</th><th class=\"num\">KSS peak</th><th>Duties (report \u{2013} release, KSS peak)</th></tr></thead><tbody>",
    );
    for c in &p.crew {
        let violations = if c.violations.is_empty() {
            String::new()
        } else {
            format!(": {}", c.violations.join("; "))
        };
        w!(
            out,
            "<tr data-crew=\"{}\"><td>{}</td><td>{}</td><td class=\"{}\">{}{}</td>{}<td>",
            esc(&c.crew),
            esc(&c.crew),
            esc(&c.role),
            if c.legal { "" } else { "illegal" },
            yes_no(c.legal),
            esc(&violations),
            kss_cell(c.kss_peak)
        );
        if c.duties.is_empty() {
            out.push_str("<span class=\"small\">none in the window</span>");
        }
        for (n, d) in c.duties.iter().enumerate() {
            let alert = is_fatigue_alert(d.kss_peak);
            w!(
                out,
                "{}<span class=\"duty{}\">{} \u{2013} {}, KSS {}{}</span>",
                if n > 0 { "<br>" } else { "" },
                if alert { " fatigue-alert illegal" } else { "" },
                esc(&d.report),
                esc(&d.release),
                kss_text(d.kss_peak),
                if alert { " \u{25b2} fatigue alert" } else { "" }
            );
        }
        out.push_str("</td></tr>");
    }
    if p.crew.is_empty() {
        out.push_str("<tr><td colspan=\"5\">No crew member is affected.</td></tr>");
    }
    out.push_str("</tbody></table>");

    out.push_str(
        "<h3>Cost breakdown</h3><table class=\"cost-breakdown\"><thead><tr><th>Term</th>\
         <th class=\"num\">Amount</th><th class=\"num\">Share of the plan's cost</th></tr></thead><tbody>",
    );
    for t in &p.cost_breakdown {
        let share = if p.cost.abs() > 0.0 && p.cost.is_finite() {
            format::value(t.amount / p.cost, Unit::Share)
        } else {
            "n/a".into()
        };
        w!(
            out,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{share}</td></tr>",
            esc(&t.term),
            grouped(t.amount)
        );
    }
    w!(
        out,
        "<tr><td><strong>Total</strong></td><td class=\"num\"><strong>{}</strong></td><td></td></tr></tbody></table>",
        grouped(p.cost)
    );

    out.push_str(
        "<h3>Monte Carlo KPIs against doing nothing</h3><table class=\"kpis\"><thead><tr><th>KPI</th>\
         <th class=\"num\">This plan</th><th class=\"num\">Doing nothing</th><th class=\"num\">Difference</th>\
         <th class=\"num\">95% CI of difference</th><th>Reading</th></tr></thead><tbody>",
    );
    let (mine, base, diff) = (p.kpis.values(), r.baseline.values(), p.vs_baseline.values());
    for (k, info) in KPIS.iter().enumerate() {
        let (class, word) = reading(&diff[k], info);
        w!(
            out,
            "<tr data-kpi=\"{}\"><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"{class}\">{word}</td></tr>",
            info.name,
            info.label,
            value_text(mine[k].mean, info.unit),
            value_text(base[k].mean, info.unit),
            difference_text(diff[k].mean, info.unit),
            difference_interval(&diff[k], info.unit)
        );
    }
    out.push_str("</tbody></table></section>\n");
}

fn kss_cell(k: Option<f64>) -> String {
    if is_fatigue_alert(k) {
        format!(
            "<td class=\"num fatigue-alert\">{} \u{25b2} fatigue alert</td>",
            kss_text(k)
        )
    } else {
        format!("<td class=\"num\">{}</td>", kss_text(k))
    }
}

// ---------------------------------------------------------------------------------------------------
// CSV and JSON.

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

/// Renders `report` and writes `html_path` with the CSV and JSON beside it (`plans.html` →
/// `plans.csv`, `plans.json`), each through a temporary file renamed into place: on an error no file
/// is half written and the error names the path.
pub fn write_recovery_report(
    report: &RecoveryReport,
    html_path: &Path,
) -> Result<WrittenReport, ReportError> {
    let out = paths(html_path)?;
    put_in_place(&[
        (out.html.as_path(), page(report)),
        (out.csv.as_path(), to_csv(report)?),
        (out.json.as_path(), to_json(report)?),
    ])?;
    Ok(out)
}

// ---------------------------------------------------------------------------------------------------
// A made-up report to try the renderer on.

/// A small made-up report (a JFK ground stop, two plans); its numbers are invented, not the twin's.
pub fn sample() -> RecoveryReport {
    let iv = |mean: f64, half: f64| Interval {
        mean,
        lower: mean - half,
        upper: mean + half,
    };
    let kpis = |cost: f64, p90: f64, cancelled: f64, illegal: f64| KpiSet {
        cost: iv(cost, cost * 0.05),
        mean_arrival_delay_min: iv(p90 / 3.0, 2.0),
        p90_arrival_delay_min: iv(p90, 6.0),
        on_time_rate: iv(0.8 - p90 / 1000.0, 0.02),
        cancelled_legs: iv(cancelled, 0.4),
        crew_illegality_probability: iv(illegal, 0.03),
        misconnects: iv(cancelled * 20.0, 5.0),
    };
    let baseline = kpis(120_000.0, 140.0, 6.0, 0.35);
    let plan = |rank: usize, policy: &str, cost: f64, p90: f64, saving: f64, half: f64| PlanView {
        rank,
        policy: policy.into(),
        legal: true,
        cost: cost * 0.2,
        cost_breakdown: vec![
            CostTerm {
                term: "delay".into(),
                amount: cost * 0.15,
            },
            CostTerm {
                term: "reserve call-outs".into(),
                amount: cost * 0.05,
            },
        ],
        kpis: kpis(cost, p90, 3.0, 0.05),
        vs_baseline: KpiSet {
            cost: iv(-saving, half),
            mean_arrival_delay_min: iv(p90 / 3.0 - 140.0 / 3.0, 1.5),
            p90_arrival_delay_min: iv(p90 - 140.0, 5.0),
            on_time_rate: iv((140.0 - p90) / 1000.0, 0.01),
            cancelled_legs: iv(-3.0, 0.3),
            crew_illegality_probability: iv(-0.30, 0.04),
            misconnects: iv(-60.0, 4.0),
        },
        crew_contacted: 2,
        actions: vec![
            ActionView {
                kind: "call_out".into(),
                who: vec!["C042".into()],
                text: "Call reserve first officer C042 at JFK for B6 1234 JFK-BOS at 15:40".into(),
            },
            ActionView {
                kind: "retime".into(),
                who: vec!["B6 1234".into()],
                text: "Move B6 1234 JFK-BOS from 15:10 to 15:40".into(),
            },
        ],
        crew: vec![CrewView {
            crew: "C042".into(),
            role: "FO JFK, reserve called out".into(),
            legal: true,
            violations: Vec::new(),
            kss_peak: Some(7.3),
            duties: vec![DutyView {
                report: "Tue 2 Jul 14:40".into(),
                release: "Tue 2 Jul 23:10".into(),
                kss_peak: Some(7.3),
            }],
        }],
        uncovered: Vec::new(),
        feedback: Vec::new(),
    };
    RecoveryReport {
        scenario: "jfk-ground-stop".into(),
        description: "A two-hour ground stop at JFK on a July afternoon.".into(),
        data_set: "embedded default".into(),
        decision_time: "Tue 2 Jul 13:00 (America/New_York)".into(),
        window: "Tue 2 Jul 13:00 to Wed 3 Jul 04:00".into(),
        replications: 200,
        seed: 7,
        baseline,
        plans: vec![
            plan(1, "lns+milp", 95_000.0, 110.0, 25_000.0, 4_000.0),
            plan(2, "constructive+greedy", 118_000.0, 128.0, 2_000.0, 3_000.0),
        ],
        recommended: 0,
        why: "lns+milp saves 25,000 against doing nothing (95% CI 21,000 to 29,000) and cuts the 90th \
              percentile delay by 30 minutes, with no crew illegality in 95% of replications."
            .into(),
        notes: vec!["Numbers invented for the example.".into()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn costs_are_whole_and_grouped_with_a_real_minus() {
        assert_eq!(grouped(1_234_567.4), "1,234,567");
        assert_eq!(grouped(999.0), "999");
        assert_eq!(signed_grouped(-1_200.0), "\u{2212}1,200");
        assert_eq!(signed_grouped(25_000.0), "+25,000");
        assert_eq!(grouped(-0.2), "0");
        assert_eq!(grouped(f64::NAN), "n/a");
    }

    #[test]
    fn a_difference_that_may_be_chance_reads_not_significant() {
        let cost = &KPIS[0];
        let unclear = Interval {
            mean: -5.0,
            lower: -12.0,
            upper: 2.0,
        };
        assert_eq!(reading(&unclear, cost).1, "not significant");
        let saving = Interval {
            mean: -5.0,
            lower: -8.0,
            upper: -2.0,
        };
        assert_eq!(reading(&saving, cost).1, "better");
        assert_eq!(reading(&saving, &KPIS[3]).1, "worse"); // a lower on-time rate
    }

    #[test]
    fn duties_at_the_alert_level_are_marked() {
        let page = page(&sample());
        assert!(page.contains("7.3 \u{25b2} fatigue alert"));
        assert!(!is_fatigue_alert(Some(6.9)));
        assert!(!is_fatigue_alert(None));
    }
}
