//! The page: one self-contained HTML file — inline CSS, inline SVG, no script, no web font, no link to
//! anything outside it — that reads on screen and on paper (a print stylesheet, charts that tell series
//! apart by pattern and label as well as by colour).

use ucodts_model::TimeZone;

use crate::charts::on_time_by_hour::Shade;
use crate::charts::{delay_distribution, gantt, on_time_by_hour, w};
use crate::format::{self, clock, day, day_clock, esc};
use crate::report::{Better, DisruptionWindow, KpiComparison, ScenarioReport};

/// Alerts shown on the page; the CSV and JSON hold them all.
pub const MAX_ALERTS_SHOWN: usize = 200;

/// The page's stylesheet (screen and print), shared with the recovery report.
pub(crate) const CSS: &str = r#"
:root { --ink:#1d2733; --muted:#5b6670; --line:#d9dee4; --panel:#f6f8fa; --accent:#0b5394;
  --worse:#b3261e; --better:#1e7b34; --neutral:#5b6670; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; }
main { max-width: 1200px; margin: 0 auto; padding: 0 28px 40px; }
header.report { background: #12263f; color: #fff; padding: 26px 28px 22px; }
header.report .inner { max-width: 1200px; margin: 0 auto; padding: 0 0; }
.eyebrow { text-transform: uppercase; letter-spacing: .08em; font-size: 12px; opacity: .8; margin: 0 0 4px; }
h1 { font-size: 30px; margin: 0 0 6px; font-weight: 650; }
.lead { margin: 0 0 14px; font-size: 16px; max-width: 900px; opacity: .95; }
dl.meta { display: flex; flex-wrap: wrap; gap: 6px 28px; margin: 0; font-size: 13.5px; }
dl.meta div { display: flex; gap: 6px; }
dl.meta dt { opacity: .75; }
dl.meta dd { margin: 0; font-weight: 600; }
h2 { font-size: 20px; margin: 34px 0 6px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
p.explain { margin: 4px 0 12px; color: var(--muted); max-width: 980px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(230px, 1fr)); gap: 14px; margin-top: 22px; }
.card { border: 1px solid var(--line); border-left: 6px solid var(--neutral); border-radius: 6px; padding: 12px 14px; background: #fff; }
.card.worse { border-left-color: var(--worse); }
.card.better { border-left-color: var(--better); }
.card .label { font-size: 13px; color: var(--muted); }
.card .values { font-size: 15px; margin: 2px 0; }
.card .diff { font-size: 26px; font-weight: 700; line-height: 1.2; }
.card .reading { font-size: 12.5px; font-weight: 600; text-transform: uppercase; letter-spacing: .04em; }
.worse .reading, td.worse { color: var(--worse); }
.better .reading, td.better { color: var(--better); }
.neutral .reading, td.neutral { color: var(--neutral); }
table { border-collapse: collapse; width: 100%; font-size: 14px; margin: 6px 0 4px; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--panel); font-weight: 600; font-size: 13px; color: var(--muted); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.significant td:first-child { font-weight: 600; }
figure { margin: 8px 0 0; padding: 10px 10px 6px; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
figcaption { font-size: 13px; color: var(--muted); margin: 6px 4px 2px; }
svg.chart { display: block; width: 100%; height: auto; }
svg.chart text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, "DejaVu Sans", sans-serif; font-size: 12px; fill: var(--ink); }
svg.chart .tick { fill: var(--muted); font-size: 11.5px; }
svg.chart .axis-title { font-weight: 600; font-size: 12.5px; }
svg.chart .note { font-size: 11.5px; fill: #8a3b00; font-weight: 600; }
svg.chart .row-label { font-weight: 600; font-size: 12px; }
svg.chart .row-detail { font-weight: 400; fill: var(--muted); font-size: 11px; }
svg.chart .leg-label { font-size: 10px; font-weight: 600; }
svg.chart .legend text { font-size: 12px; }
.kind { display: inline-block; font-size: 12px; padding: 1px 7px; border-radius: 10px; background: var(--panel); border: 1px solid var(--line); white-space: nowrap; }
.kind.cancellation { background: #fbe9e7; border-color: #e6b0aa; }
.kind.long_delay { background: #fff4e0; border-color: #f0c987; }
.small { font-size: 13px; color: var(--muted); }
footer { margin-top: 36px; padding-top: 10px; border-top: 2px solid var(--line); font-size: 13px; color: var(--muted); }
footer li { margin: 3px 0; }
@page { size: A4; margin: 12mm 10mm; }
@media print {
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { font-size: 10pt; }
  header.report { background: #fff; color: #000; border-bottom: 2pt solid #000; padding: 0 0 8pt; }
  main { padding: 0; max-width: none; }
  h2 { break-after: avoid-page; margin-top: 16pt; }
  figure, .cards, table.kpis, section.keep { break-inside: avoid-page; }
  tr { break-inside: avoid; }
  .card { border-left-width: 4pt; }
  figure { border: none; padding: 0; }
}
"#;

/// The whole page.
pub fn page(r: &ScenarioReport) -> String {
    let zone = &r.scenario.display_zone;
    let s = &r.scenario;
    let mut out = String::with_capacity(256 * 1024);
    w!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"ucodts\">\n<title>Scenario report: {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        esc(&s.name)
    );

    // Header.
    let days = if s.from == s.to {
        s.from.to_string()
    } else {
        format!("{} to {}", s.from, s.to)
    };
    w!(
        out,
        "<header class=\"report\"><div class=\"inner\">\
         <p class=\"eyebrow\">UCODTS \u{b7} disruption scenario report</p>\
         <h1>{}</h1><p class=\"lead\">{}</p><dl class=\"meta\">\
         <div><dt>Operating days</dt><dd>{}</dd></div>\
         <div><dt>Data set</dt><dd>{}</dd></div>\
         <div><dt>Replications</dt><dd>{} (seed {}), common random numbers</dd></div>\
         <div><dt>Clock times</dt><dd>{}</dd></div>\
         <div><dt>Scenario file</dt><dd>{}</dd></div>\
         </dl></div></header>\n<main>\n",
        esc(&s.name),
        esc(&s.description),
        esc(&days),
        esc(&s.data_set),
        s.replications,
        s.seed,
        esc(&zone_text(zone)),
        esc(&s.source)
    );

    headline_cards(&mut out, &r.kpis);
    disruptions(&mut out, r, zone);
    kpi_table(&mut out, &r.kpis, s.replications);

    // Charts.
    let base_n = r.arrival_delay.baseline.total();
    let scen_n = r.arrival_delay.scenario.total();
    w!(
        out,
        "<section id=\"delay-distribution\"><h2>Arrival delay distribution</h2>\
         <p class=\"explain\">How late flown legs reached the gate, pooled over all {} replications: each pair of \
         bars is the share of flown legs in a 15-minute band, baseline (solid) beside scenario (hatched). Mass \
         moving right of the dashed on-time limit is the disruption's cost in late arrivals.</p>\
         <figure>{}<figcaption>Flown legs counted: baseline {}, scenario {} (over all replications). Cancelled legs \
         have no arrival and are not in this chart.</figcaption></figure></section>\n",
        s.replications,
        delay_distribution::svg(&r.arrival_delay),
        base_n,
        scen_n
    );
    let shades = hour_shades(r, zone);
    w!(
        out,
        "<section id=\"on-time-by-hour\"><h2>On-time performance by hour</h2>\
         <p class=\"explain\">The share of flown legs arriving less than 15 minutes late, by hour of scheduled \
         arrival, pooled over all replications. Where the dashed line drops below the solid one the \
         disruption is costing on-time arrivals; how long it stays below shows the recovery.</p>\
         <figure>{}<figcaption>Hours without a flown leg have no point.{}</figcaption></figure></section>\n",
        on_time_by_hour::svg(&r.on_time_by_hour, &shades),
        if shades.is_empty() {
            ""
        } else {
            " Shaded: the hours a disruption is in force (clock of the page)."
        }
    );
    let rep = format!(
        "Replication {} of {} ({})",
        s.representative_replication + 1,
        s.replications,
        s.representative_reason
    );
    w!(
        out,
        "<section id=\"tail-rotations\"><h2>Tail rotations around the disruption</h2>\
         <p class=\"explain\">{}. Each row is one aircraft; each bar a leg from gate out to gate in as flown \
         in the disrupted run, with the scheduled times as the thin line beneath. {}</p>\
         <figure>{}<figcaption>Times: {}. Hover a leg for its flight, times and the same leg in the \
         baseline run.</figcaption></figure></section>\n",
        esc(&rep),
        esc(&r.tail_rotations.selection),
        gantt::svg(
            "tail-rotations",
            "Tail rotations in the disrupted run",
            &r.tail_rotations,
            zone,
            &r.disruptions,
            "No rotation changed in this replication."
        ),
        esc(&zone_text(zone))
    );
    w!(
        out,
        "<section id=\"crew-duties\"><h2>Crew duties around the disruption</h2>\
         <p class=\"explain\">The same replication, by crew member: the legs each flew (faded with a dashed \
         outline when deadheading). A delayed bar late in a duty is where duty-limit alerts, reserve \
         call-outs and crew cancellations come from. {}</p>\
         <figure>{}<figcaption>Times: {}.</figcaption></figure></section>\n",
        esc(&r.crew_duties.selection),
        gantt::svg(
            "crew-duties",
            "Crew duties in the disrupted run",
            &r.crew_duties,
            zone,
            &r.disruptions,
            "No crew member's duty changed in this replication."
        ),
        esc(&zone_text(zone))
    );

    operations(&mut out, r, zone);

    // Notes.
    out.push_str("<footer><strong>How to read this report</strong><ul>");
    w!(
        out,
        "<li>Baseline and scenario fly the same operating days with the same random draws in each \
         replication (common random numbers), so their difference is the disruption's effect, not chance. \
         Differences are paired per replication; intervals are 95% Student-t confidence intervals of the mean \
         over {} replications.</li>",
        s.replications
    );
    for n in &r.notes {
        w!(out, "<li>{}</li>", esc(n));
    }
    w!(
        out,
        "<li>The same numbers are in the CSV and JSON files written beside this page.</li></ul></footer>\n</main>\n</body>\n</html>\n"
    );
    out
}

fn zone_text(zone: &TimeZone) -> String {
    format!("local time, {}", zone.name())
}

/// How a difference reads for the operation.
fn reading(k: &KpiComparison) -> (&'static str, &'static str) {
    if !k.difference.excludes_zero() {
        return ("neutral", "no clear change");
    }
    let up = k.difference.mean > 0.0;
    match (k.better, up) {
        (Better::Higher, true) | (Better::Lower, false) => ("better", "better"),
        (Better::Higher, false) | (Better::Lower, true) => ("worse", "worse"),
        (Better::Neither, true) => ("neutral", "higher"),
        (Better::Neither, false) => ("neutral", "lower"),
    }
}

fn headline_cards(out: &mut String, kpis: &[KpiComparison]) {
    let cards: Vec<&KpiComparison> = kpis.iter().filter(|k| k.headline).collect();
    if cards.is_empty() {
        return;
    }
    out.push_str("<section class=\"cards\" aria-label=\"Headline KPIs\">");
    for k in cards {
        let (class, word) = reading(k);
        w!(
            out,
            "<div class=\"card {class}\" data-kpi=\"{}\"><div class=\"label\">{}</div>\
             <div class=\"diff\">{}</div>\
             <div class=\"values\">{} \u{2192} {}</div>\
             <div class=\"small\">95% CI {}</div><div class=\"reading\">{word}</div></div>",
            esc(&k.name),
            esc(&k.label),
            format::difference(k.difference.mean, k.unit),
            format::value(k.baseline.mean, k.unit),
            format::value(k.scenario.mean, k.unit),
            format::interval(k.difference.ci95, k.unit)
        );
    }
    out.push_str("</section>\n");
}

fn disruptions(out: &mut String, r: &ScenarioReport, zone: &TimeZone) {
    out.push_str(
        "<section id=\"disruptions\" class=\"keep\"><h2>Disruptions</h2>\
         <table class=\"disruptions\"><thead><tr><th>Kind</th><th>What</th><th>From</th><th>Until</th></tr></thead><tbody>",
    );
    for d in &r.disruptions {
        w!(
            out,
            "<tr><td><span class=\"kind\">{}</span></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&d.kind.replace('_', " ")),
            esc(&d.summary),
            day_clock(zone, d.from),
            day_clock(zone, d.to)
        );
    }
    if r.disruptions.is_empty() {
        out.push_str("<tr><td colspan=\"4\">None.</td></tr>");
    }
    out.push_str("</tbody></table></section>\n");
}

fn kpi_table(out: &mut String, kpis: &[KpiComparison], replications: u64) {
    w!(
        out,
        "<section id=\"kpis\"><h2>Key performance indicators</h2>\
         <p class=\"explain\">Means over {replications} replications. The difference is scenario minus baseline, \
         paired per replication; a change counts as clear when its 95% interval excludes zero.</p>\
         <table class=\"kpis\"><thead><tr><th>KPI</th><th class=\"num\">Baseline</th><th class=\"num\">Scenario</th>\
         <th class=\"num\">Difference</th><th class=\"num\">95% CI of difference</th><th>Reading</th></tr></thead><tbody>"
    );
    for k in kpis {
        let (class, word) = reading(k);
        w!(
            out,
            "<tr class=\"kpi{}\" data-kpi=\"{}\"><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"{class}\">{word}</td></tr>",
            if k.difference.excludes_zero() {
                " significant"
            } else {
                ""
            },
            esc(&k.name),
            esc(&k.label),
            format::value(k.baseline.mean, k.unit),
            format::value(k.scenario.mean, k.unit),
            format::difference(k.difference.mean, k.unit),
            format::interval(k.difference.ci95, k.unit)
        );
    }
    out.push_str("</tbody></table></section>\n");
}

/// The disruption windows as bands of local hours, when the report covers one operating day (on more
/// days an hour of the day is not one time). Windows of most of a day are left out: shading everything
/// says nothing.
fn hour_shades(r: &ScenarioReport, zone: &TimeZone) -> Vec<Shade> {
    if r.scenario.from != r.scenario.to {
        return Vec::new();
    }
    r.disruptions
        .iter()
        .filter(|d: &&DisruptionWindow| d.to.0 - d.from.0 < 20 * 60)
        .map(|d| {
            let a = zone.to_local(d.from);
            let b = zone.to_local(d.to);
            let to_minute = if b.date > a.date {
                24 * 60
            } else {
                b.minute_of_day
            };
            Shade {
                from_hour: a.minute_of_day as f64 / 60.0,
                to_hour: to_minute as f64 / 60.0,
                label: d.summary.clone(),
            }
        })
        .collect()
}

fn operations(out: &mut String, r: &ScenarioReport, zone: &TimeZone) {
    w!(
        out,
        "<section id=\"alerts\"><h2>Operations control and alerts</h2>\
         <p class=\"explain\">What operations control did in replication {} of the baseline and the disrupted \
         run, and the alerts of the disrupted run by time: legs cancelled on the day and legs arriving two \
         hours late or more.</p>",
        r.scenario.representative_replication + 1
    );
    out.push_str(
        "<table class=\"operations\"><thead><tr><th>Operations control</th><th class=\"num\">Baseline</th>\
         <th class=\"num\">Scenario</th><th class=\"num\">Difference</th></tr></thead><tbody>",
    );
    for c in &r.operations_control {
        let d = c.scenario as i64 - c.baseline as i64;
        w!(
            out,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&c.name),
            c.baseline,
            c.scenario,
            match d {
                0 => "0".to_string(),
                d if d > 0 => format!("+{d}"),
                d => format!("\u{2212}{}", -d),
            }
        );
    }
    out.push_str("</tbody></table>");

    let new_alerts = r.alerts.iter().filter(|a| !a.in_baseline).count();
    w!(
        out,
        "<p class=\"small\">{} alerts in the disrupted run, {} of them not raised in the baseline run.</p>",
        r.alerts.len(),
        new_alerts
    );
    out.push_str(
        "<table class=\"alerts\"><thead><tr><th>Time</th><th>Alert</th><th>Flight</th><th>What happened</th>\
         <th>In baseline</th></tr></thead><tbody>",
    );
    for a in r.alerts.iter().take(MAX_ALERTS_SHOWN) {
        w!(
            out,
            "<tr class=\"alert\" data-kind=\"{kind}\"><td class=\"num\">{}</td><td><span class=\"kind {kind}\">{}</span></td>\
             <td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&format!("{} {}", day(zone, a.at), clock(zone, a.at))),
            a.kind.label(),
            esc(&a.subject),
            esc(&a.detail),
            if a.in_baseline { "yes" } else { "no: new" },
            kind = serde_kind(a.kind)
        );
    }
    if r.alerts.is_empty() {
        out.push_str("<tr><td colspan=\"5\">No alerts.</td></tr>");
    }
    out.push_str("</tbody></table>");
    if r.alerts.len() > MAX_ALERTS_SHOWN {
        w!(
            out,
            "<p class=\"small\">The first {MAX_ALERTS_SHOWN} of {} alerts; the CSV and JSON hold them all.</p>",
            r.alerts.len()
        );
    }
    out.push_str("</section>\n");
}

fn serde_kind(kind: crate::report::AlertKind) -> &'static str {
    match kind {
        crate::report::AlertKind::Cancellation => "cancellation",
        crate::report::AlertKind::LongDelay => "long_delay",
    }
}
