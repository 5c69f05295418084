//! The arrival-delay distribution, baseline against scenario: for each delay bin, two bars side by side
//! with the share of flown legs that arrived that late.

use super::colour::*;
use super::{nice_axis, patterns, w};
use crate::format::{esc, num};
use crate::report::ArrivalDelays;
use ucodts_model::ON_TIME_THRESHOLD;

const WIDTH: f64 = 960.0;
const HEIGHT: f64 = 380.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 44.0;
const BOTTOM: f64 = 72.0;
/// The chart's name in `data-chart` and in its pattern ids.
pub const NAME: &str = "delay-distribution";

fn shares(counts: &[u64]) -> Vec<f64> {
    let total: u64 = counts.iter().sum();
    counts
        .iter()
        .map(|&c| {
            if total == 0 {
                0.0
            } else {
                100.0 * c as f64 / total as f64
            }
        })
        .collect()
}

/// The chart. Bars are `<rect class="bar baseline|scenario" data-bin data-count data-share>`, one per bin
/// and series, also for empty bins (height 0).
pub fn svg(d: &ArrivalDelays) -> String {
    let base = shares(&d.baseline.counts);
    let scen = shares(&d.scenario.counts);
    let n = base.len().max(scen.len()).max(1);
    let (top, step) = nice_axis(base.iter().chain(&scen).copied().fold(0.0, f64::max));
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let y = |share: f64| TOP + plot_h * (1.0 - share / top);
    let group = plot_w / n as f64;
    let bar = group * 0.38;

    let mut out = String::new();
    w!(
        out,
        "<svg class=\"chart\" data-chart=\"{NAME}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" \
         aria-labelledby=\"{NAME}-title\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"{NAME}-title\">Arrival delay of flown legs, baseline against scenario</title>"
    );
    out.push_str(&patterns(NAME));

    // Grid and the share axis.
    let mut tick = 0.0;
    while tick <= top + 1e-9 {
        let ty = y(tick);
        w!(
            out,
            "<line class=\"grid\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{GRID}\"/>\
             <text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}%</text>",
            num(LEFT),
            num(ty),
            num(WIDTH - RIGHT),
            num(ty),
            num(LEFT - 6.0),
            num(ty + 4.0),
            tick_label(tick, step)
        );
        tick += step;
    }
    w!(
        out,
        "<text class=\"axis-title\" transform=\"translate(16 {}) rotate(-90)\" text-anchor=\"middle\">Share of flown legs (%)</text>",
        num(TOP + plot_h / 2.0)
    );

    // The on-time limit, at the edge where the 15-minute bin starts.
    let h = &d.baseline;
    let limit_bin = (ON_TIME_THRESHOLD.0 - h.lower_min).checked_div(h.bin_width_min);
    if let Some(k) = limit_bin.filter(|k| *k >= 0 && (*k as usize) < h.bins()) {
        let lx = LEFT + group * (k as f64 + 1.0);
        w!(
            out,
            "<line class=\"threshold\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"{INK}\" stroke-dasharray=\"5 4\"/>\
             <text class=\"note\" x=\"{}\" y=\"{}\">on-time limit: {} min late</text>",
            num(TOP - 6.0),
            num(TOP + plot_h),
            num(lx + 5.0),
            num(TOP + 8.0),
            ON_TIME_THRESHOLD.0,
            x = num(lx)
        );
    }

    // Bars.
    for i in 0..n {
        let gx = LEFT + group * i as f64;
        let label = h.bin_label(i);
        for (series, shares, counts, dx, fill) in [
            (
                "baseline",
                &base,
                &d.baseline.counts,
                group * 0.1,
                BASELINE.to_string(),
            ),
            (
                "scenario",
                &scen,
                &d.scenario.counts,
                group * 0.52,
                format!("url(#{NAME}-scenario)"),
            ),
        ] {
            let share = shares.get(i).copied().unwrap_or(0.0);
            let count = counts.get(i).copied().unwrap_or(0);
            let top_y = y(share);
            w!(
                out,
                "<rect class=\"bar {series}\" data-bin=\"{}\" data-count=\"{count}\" data-share=\"{:.2}\" \
                 x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\" stroke=\"{}\" stroke-width=\"0.8\">\
                 <title>{series}, {} min: {:.1}% of flown legs ({count})</title></rect>",
                esc(&label),
                share,
                num(gx + dx),
                num(top_y),
                num(bar),
                num(TOP + plot_h - top_y),
                if series == "baseline" { BASELINE } else { SCENARIO },
                esc(&label),
                share
            );
        }
    }

    // The delay axis: a tick at each bin edge, labelled with the edge in minutes.
    w!(
        out,
        "<line class=\"axis\" x1=\"{}\" y1=\"{y0}\" x2=\"{}\" y2=\"{y0}\" stroke=\"{INK}\"/>",
        num(LEFT),
        num(WIDTH - RIGHT),
        y0 = num(TOP + plot_h)
    );
    for edge in 1..n {
        let ex = LEFT + group * edge as f64;
        let minutes = h.lower_min + h.bin_width_min * (edge as i64 - 1);
        w!(
            out,
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"{INK}\"/>\
             <text class=\"tick\" x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            num(TOP + plot_h),
            num(TOP + plot_h + 5.0),
            num(TOP + plot_h + 18.0),
            minus(minutes),
            x = num(ex)
        );
    }
    w!(
        out,
        "<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">earlier</text>\
         <text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">later</text>",
        num(LEFT + group / 2.0),
        num(TOP + plot_h + 32.0),
        num(WIDTH - RIGHT - group / 2.0),
        num(TOP + plot_h + 32.0)
    );
    w!(
        out,
        "<text class=\"axis-title\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">Arrival delay at the gate (minutes late; negative: early; bins of {} min)</text>",
        num(LEFT + plot_w / 2.0),
        num(HEIGHT - 10.0),
        h.bin_width_min
    );

    // Legend.
    w!(
        out,
        "<g class=\"legend\"><rect x=\"{}\" y=\"10\" width=\"14\" height=\"14\" fill=\"{BASELINE}\"/>\
         <text x=\"{}\" y=\"22\">Baseline (no disruption)</text>\
         <rect x=\"{}\" y=\"10\" width=\"14\" height=\"14\" fill=\"url(#{NAME}-scenario)\" stroke=\"{SCENARIO}\"/>\
         <text x=\"{}\" y=\"22\">Scenario (hatched)</text></g>",
        num(LEFT),
        num(LEFT + 20.0),
        num(LEFT + 210.0),
        num(LEFT + 230.0)
    );
    out.push_str("</svg>");
    out
}

fn tick_label(tick: f64, step: f64) -> String {
    if step.fract().abs() < 1e-9 {
        format!("{tick:.0}")
    } else {
        format!("{tick:.1}")
    }
}

fn minus(x: i64) -> String {
    if x < 0 {
        format!("\u{2212}{}", -x)
    } else {
        x.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::DelayHistogram;

    fn attr(element: &str, name: &str) -> f64 {
        let key = format!(" {name}=\"");
        let start = element.find(&key).expect("attribute present") + key.len();
        let end = start + element[start..].find('"').expect("closed");
        element[start..end].parse().expect("a number")
    }

    fn bars<'a>(svg: &'a str, series: &str) -> Vec<&'a str> {
        let tag = format!("<rect class=\"bar {series}\"");
        svg.match_indices(&tag)
            .map(|(i, _)| &svg[i..i + svg[i..].find('>').expect("tag closes")])
            .collect()
    }

    #[test]
    fn every_bin_has_a_bar_per_series_with_a_height_proportional_to_its_share() {
        let mut baseline = DelayHistogram::new(0, 15, 4);
        for d in [1.0, 20.0, 20.0, 40.0] {
            baseline.add(d);
        }
        let mut scenario = DelayHistogram::new(0, 15, 4);
        for d in [70.0, 70.0, 70.0, 70.0] {
            scenario.add(d); // all in the overflow bin: 100%
        }
        let svg = svg(&ArrivalDelays { baseline, scenario });
        let base = bars(&svg, "baseline");
        let scen = bars(&svg, "scenario");
        assert_eq!(base.len(), 6, "4 bins plus under- and overflow");
        assert_eq!(scen.len(), 6);
        let heights: Vec<f64> = base.iter().map(|b| attr(b, "height")).collect();
        let plot_h = HEIGHT - TOP - BOTTOM;
        // Shares 0, 25, 50, 25, 0, 0 on an axis to 100%.
        let expected = [0.0, 0.25, 0.5, 0.25, 0.0, 0.0].map(|s| s * plot_h);
        for (h, e) in heights.iter().zip(expected) {
            assert!((h - e).abs() < 0.11, "{heights:?} vs {expected:?}");
        }
        assert!((attr(scen[5], "height") - plot_h).abs() < 0.11);
        assert_eq!(attr(scen[5], "data-count"), 4.0);
        assert!(svg.contains("data-chart=\"delay-distribution\""));
    }

    #[test]
    fn empty_histograms_draw_an_axis_and_zero_height_bars() {
        let h = DelayHistogram::new(0, 15, 2);
        let svg = svg(&ArrivalDelays {
            baseline: h.clone(),
            scenario: h,
        });
        assert_eq!(bars(&svg, "baseline").len(), 4);
        assert!(!svg.contains("NaN"));
    }
}
