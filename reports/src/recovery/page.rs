//! The HTML page: the recommendation and why first, the comparison table, the charts, then a section per
//! plan (its actions in words, the legality and fatigue of every affected crew member, its cost
//! breakdown, its KPIs against doing nothing).

use super::charts::charts;
use super::numbers::{
    difference_interval, difference_text, grouped, is_fatigue_alert, kss_text, reading,
    value_interval, value_text, yes_no,
};
use super::{fatigue_alert_kss, Interval, PlanView, RecoveryReport, KPIS};
use crate::charts::w;
use crate::format::{self, esc};
use crate::report::Unit;

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
pub(super) fn plan_label(p: &PlanView) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recovery::sample;

    #[test]
    fn duties_at_the_alert_level_are_marked() {
        let page = page(&sample());
        assert!(page.contains("7.3 \u{25b2} fatigue alert"));
        assert!(!is_fatigue_alert(Some(6.9)));
        assert!(!is_fatigue_alert(None));
    }
}
