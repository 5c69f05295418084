//! Gantt charts of tail rotations and crew duties in one replication: a row per tail or crew member, a bar
//! per leg from gate out to gate in, marked on time, delayed or cancelled, the scheduled times as a thin
//! line beneath, and the disruption windows shaded.

use ucodts_model::{TimeZone, UtcMinute};

use super::colour::*;
use super::{patterns, w};
use crate::format::{clock, day, day_clock, duration, esc, num};
use crate::report::{DisruptionWindow, Gantt, GanttLeg, LegOutcome};

const WIDTH: f64 = 1160.0;
const LEFT: f64 = 176.0;
const RIGHT: f64 = 16.0;
/// Legend, disruption labels and the time axis.
const TOP: f64 = 84.0;
const BOTTOM: f64 = 16.0;
const ROW: f64 = 26.0;
const BAR: f64 = 15.0;

/// The chart `name` (`tail-rotations`, `crew-duties`). Legs are
/// `<rect class="leg on-time|delayed|cancelled" data-flight data-row ...>`; with no rows, a message.
pub fn svg(
    name: &str,
    title: &str,
    g: &Gantt,
    zone: &TimeZone,
    disruptions: &[DisruptionWindow],
    empty_message: &str,
) -> String {
    let rows = g.rows.len().max(1);
    let height = TOP + ROW * rows as f64 + BOTTOM;
    let plot_w = WIDTH - LEFT - RIGHT;
    let span = (g.to.0 - g.from.0).max(1) as f64;
    let x = |t: UtcMinute| LEFT + plot_w * ((t.0 - g.from.0) as f64 / span);
    let bottom = TOP + ROW * rows as f64;

    let mut out = String::new();
    w!(
        out,
        "<svg class=\"chart gantt\" data-chart=\"{name}\" viewBox=\"0 0 {WIDTH} {}\" role=\"img\" \
         aria-labelledby=\"{name}-title\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{name}-title\">{}</title>",
        num(height),
        esc(title)
    );
    out.push_str(&patterns(name));
    w!(
        out,
        "<clipPath id=\"{name}-plot\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath>",
        num(LEFT),
        num(TOP - 30.0),
        num(plot_w),
        num(bottom - TOP + 30.0)
    );
    legend(&mut out, name);

    // Row stripes and labels.
    for (i, row) in g.rows.iter().enumerate() {
        let ry = TOP + ROW * i as f64;
        if i % 2 == 0 {
            w!(
                out,
                "<rect class=\"row-stripe\" x=\"0\" y=\"{}\" width=\"{WIDTH}\" height=\"{ROW}\" fill=\"#f3f5f7\"/>",
                num(ry)
            );
        }
        w!(
            out,
            "<text class=\"row-label\" x=\"8\" y=\"{}\">{}<tspan class=\"row-detail\" dx=\"6\">{}</tspan></text>",
            num(ry + ROW / 2.0 + 4.0),
            esc(&row.label),
            esc(&short(&row.detail, 16))
        );
    }

    // Disruption windows behind the legs.
    w!(out, "<g clip-path=\"url(#{name}-plot)\">");
    for (k, d) in disruptions.iter().enumerate() {
        if d.to <= g.from || d.from >= g.to {
            continue;
        }
        let (a, b) = (x(d.from.max(g.from)), x(d.to.min(g.to)));
        w!(
            out,
            "<rect class=\"disruption-window\" data-kind=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" \
             fill=\"url(#{name}-disruption)\" stroke=\"{SCENARIO}\" stroke-opacity=\"0.5\" stroke-dasharray=\"3 3\">\
             <title>{}: {} to {}</title></rect>\
             <text class=\"note disruption-label\" x=\"{}\" y=\"{}\">{}</text>",
            esc(&d.kind),
            num(a),
            num(TOP - 30.0 + 10.0 * (k % 2) as f64),
            num((b - a).max(1.0)),
            num(bottom - (TOP - 30.0 + 10.0 * (k % 2) as f64)),
            esc(&d.summary),
            day_clock(zone, d.from),
            day_clock(zone, d.to),
            num(a + 4.0),
            num(TOP - 20.0 + 10.0 * (k % 2) as f64),
            esc(&d.summary)
        );
    }
    w!(out, "</g>");

    time_axis(&mut out, g, zone, x, bottom);

    // Legs.
    w!(out, "<g clip-path=\"url(#{name}-plot)\">");
    for (i, row) in g.rows.iter().enumerate() {
        let ry = TOP + ROW * i as f64 + (ROW - BAR) / 2.0 - 2.0;
        for leg in &row.legs {
            draw_leg(&mut out, name, i, ry, leg, zone, &x);
        }
    }
    w!(out, "</g>");

    if g.rows.is_empty() {
        w!(
            out,
            "<text class=\"note empty\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            num(LEFT + plot_w / 2.0),
            num(TOP + ROW / 2.0 + 4.0),
            esc(empty_message)
        );
    }
    out.push_str("</svg>");
    out
}

fn legend(out: &mut String, name: &str) {
    let items: [(&str, String, &str); 3] = [
        (
            "on-time",
            ON_TIME.to_string(),
            "On time (under 15 min late)",
        ),
        (
            "delayed",
            format!("url(#{name}-delayed)"),
            "Delayed 15 min or more (striped)",
        ),
        (
            "cancelled",
            format!("url(#{name}-cancelled)"),
            "Cancelled (crossed)",
        ),
    ];
    w!(out, "<g class=\"legend\">");
    let mut lx = LEFT;
    for (class, fill, text) in items {
        let stroke = match class {
            "cancelled" => CANCELLED,
            "delayed" => "#a06c00",
            _ => ON_TIME,
        };
        w!(
            out,
            "<rect x=\"{}\" y=\"8\" width=\"22\" height=\"12\" rx=\"2\" fill=\"{fill}\" stroke=\"{stroke}\"/>\
             <text x=\"{}\" y=\"18\">{text}</text>",
            num(lx),
            num(lx + 28.0)
        );
        lx += 28.0 + 7.0 * text.len() as f64 + 18.0;
    }
    w!(
        out,
        "<line x1=\"{}\" y1=\"14\" x2=\"{}\" y2=\"14\" stroke=\"{INK}\" stroke-width=\"3\"/>\
         <text x=\"{}\" y=\"18\">Scheduled</text>",
        num(lx),
        num(lx + 22.0),
        num(lx + 28.0)
    );
    lx += 28.0 + 7.0 * 9.0 + 18.0;
    w!(
        out,
        "<rect x=\"{}\" y=\"8\" width=\"22\" height=\"12\" fill=\"url(#{name}-disruption)\" stroke=\"{SCENARIO}\" stroke-opacity=\"0.5\"/>\
         <text x=\"{}\" y=\"18\">Disruption window</text></g>",
        num(lx),
        num(lx + 28.0)
    );
}

/// Hour ticks in the display zone: every hour on a short range, every 2, 3 or 6 hours on longer ones;
/// midnight ticks carry the date.
fn time_axis(
    out: &mut String,
    g: &Gantt,
    zone: &TimeZone,
    x: impl Fn(UtcMinute) -> f64,
    bottom: f64,
) {
    let hours = (g.to.0 - g.from.0) as f64 / 60.0;
    let step_min: i64 = match hours {
        h if h <= 14.0 => 60,
        h if h <= 28.0 => 120,
        h if h <= 48.0 => 180,
        _ => 360,
    };
    let offset = zone.offset_at(g.from).0;
    let first_local = (g.from.0 + offset + step_min - 1).div_euclid(step_min) * step_min;
    let mut t = UtcMinute(first_local - offset);
    // A bound on the ticks keeps a mistaken range from writing a huge file.
    let mut ticks = 0;
    while t < g.to && ticks < 200 {
        let tx = num(x(t));
        let midnight = zone.to_local(t).minute_of_day == 0;
        w!(
            out,
            "<line class=\"grid{}\" x1=\"{tx}\" y1=\"{}\" x2=\"{tx}\" y2=\"{}\" stroke=\"{}\"/>\
             <text class=\"tick\" x=\"{tx}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            if midnight { " midnight" } else { "" },
            num(TOP - 4.0),
            num(bottom),
            if midnight { MUTED } else { GRID },
            num(TOP - 36.0),
            if midnight {
                day(zone, t)
            } else {
                clock(zone, t)
            }
        );
        t = UtcMinute(t.0 + step_min);
        ticks += 1;
    }
}

fn draw_leg(
    out: &mut String,
    name: &str,
    row: usize,
    ry: f64,
    leg: &GanttLeg,
    zone: &TimeZone,
    x: &impl Fn(UtcMinute) -> f64,
) {
    let (sx0, sx1) = (x(leg.scheduled_out), x(leg.scheduled_in));
    // The scheduled block, a thin line beneath the bar.
    w!(
        out,
        "<rect class=\"scheduled\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"3\" fill=\"{INK}\"/>",
        num(sx0),
        num(ry + BAR + 2.0),
        num((sx1 - sx0).max(1.0))
    );
    let (x0, x1) = match (leg.out, leg.arrived) {
        (Some(o), Some(a)) => (x(o), x(a)),
        _ => (sx0, sx1),
    };
    let (fill, stroke) = match leg.outcome {
        LegOutcome::OnTime => (ON_TIME.to_string(), ON_TIME),
        LegOutcome::Delayed => (format!("url(#{name}-delayed)"), "#a06c00"),
        LegOutcome::Cancelled => (format!("url(#{name}-cancelled)"), CANCELLED),
    };
    let mut tip = format!(
        "{} {}\u{2192}{}{}: scheduled {}\u{2013}{}",
        leg.flight,
        leg.origin,
        leg.destination,
        if leg.deadhead { " (deadhead)" } else { "" },
        day_clock(zone, leg.scheduled_out),
        clock(zone, leg.scheduled_in)
    );
    match (leg.out, leg.arrived, leg.arrival_delay_min()) {
        (Some(o), Some(a), Some(d)) => {
            tip.push_str(&format!(
                "; flown {}\u{2013}{}, {} at the gate",
                clock(zone, o),
                clock(zone, a),
                late(d)
            ));
        }
        _ => tip.push_str(&format!(
            "; cancelled{}",
            leg.cancel_reason
                .as_deref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default()
        )),
    }
    match leg.baseline_arrival_delay_min {
        Some(d) => tip.push_str(&format!(" (baseline: {})", late(d))),
        None => tip.push_str(" (baseline: cancelled)"),
    }
    let width = (x1 - x0).max(2.0);
    w!(
        out,
        "<rect class=\"leg {}\" data-row=\"{row}\" data-flight=\"{}\" data-delay=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" \
         height=\"{BAR}\" rx=\"2\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1\"{}><title>{}</title></rect>",
        leg.outcome.class(),
        esc(&leg.flight),
        leg.arrival_delay_min()
            .map_or("cancelled".to_string(), |d| d.to_string()),
        num(x0),
        num(ry),
        num(width),
        if leg.deadhead {
            " stroke-dasharray=\"3 2\" fill-opacity=\"0.45\""
        } else {
            ""
        },
        esc(&tip)
    );
    // The destination inside the bar when it fits: read without hovering, and on paper.
    if width >= 30.0 {
        let colour = if leg.outcome == LegOutcome::OnTime && !leg.deadhead {
            "#fff"
        } else {
            INK
        };
        w!(
            out,
            "<text class=\"leg-label\" x=\"{}\" y=\"{}\" fill=\"{colour}\">{}</text>",
            num(x0 + 3.0),
            num(ry + BAR - 4.0),
            esc(&leg.destination)
        );
    }
}

/// `text` cut to `max` characters with an ellipsis, so a long aircraft type stays in the label column.
fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{}\u{2026}", cut.trim_end())
    }
}

fn late(delay_min: i64) -> String {
    if delay_min >= 0 {
        format!("{} late", duration(delay_min))
    } else {
        format!("{} early", duration(-delay_min))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::GanttRow;

    fn leg(out: i64, delay: Option<i64>) -> GanttLeg {
        let scheduled_out = UtcMinute(out);
        let scheduled_in = UtcMinute(out + 60);
        GanttLeg {
            flight: "B6 1".into(),
            origin: "JFK".into(),
            destination: "BOS".into(),
            scheduled_out,
            scheduled_in,
            out: delay.map(|d| UtcMinute(out + d)),
            arrived: delay.map(|d| UtcMinute(out + 60 + d)),
            outcome: LegOutcome::of(delay),
            cancel_reason: delay.is_none().then(|| "crew duty limit".into()),
            baseline_arrival_delay_min: Some(0),
            deadhead: false,
        }
    }

    #[test]
    fn each_leg_is_one_bar_marked_with_its_outcome_and_windows_are_shaded() {
        let t0 = UtcMinute::parse("2013-07-02T12:00Z").unwrap().0;
        let g = Gantt {
            from: UtcMinute(t0),
            to: UtcMinute(t0 + 600),
            rows: vec![
                GanttRow {
                    label: "N1".into(),
                    detail: "A320".into(),
                    legs: vec![leg(t0 + 30, Some(5)), leg(t0 + 120, Some(50))],
                },
                GanttRow {
                    label: "N2".into(),
                    detail: "A320".into(),
                    legs: vec![leg(t0 + 60, None)],
                },
            ],
            selection: String::new(),
        };
        let zone = TimeZone::from_iana("America/New_York").unwrap();
        let window = DisruptionWindow {
            kind: "airport_closure".into(),
            summary: "JFK closed".into(),
            from: UtcMinute(t0 + 100),
            to: UtcMinute(t0 + 220),
        };
        let svg = svg("tail-rotations", "Tails", &g, &zone, &[window], "none");
        assert_eq!(svg.matches("<rect class=\"leg on-time\"").count(), 1);
        assert_eq!(svg.matches("<rect class=\"leg delayed\"").count(), 1);
        assert_eq!(svg.matches("<rect class=\"leg cancelled\"").count(), 1);
        assert_eq!(svg.matches("<rect class=\"disruption-window\"").count(), 1);
        assert!(svg.contains(">08:00<"), "hour ticks in New York time");
        assert!(!svg.contains("class=\"note empty\""));
    }

    #[test]
    fn a_chart_without_rows_says_why() {
        let g = Gantt {
            from: UtcMinute(0),
            to: UtcMinute(600),
            rows: vec![],
            selection: String::new(),
        };
        let zone = TimeZone::from_iana("UTC").unwrap();
        let svg = svg("crew-duties", "Crew", &g, &zone, &[], "No duty changed");
        assert!(svg.contains("No duty changed"));
        assert_eq!(svg.matches("class=\"leg ").count(), 0);
    }
}
