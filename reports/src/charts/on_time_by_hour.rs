//! On-time performance by local hour of scheduled arrival: the share of flown legs less than 15 minutes
//! late, baseline (solid line, filled points) against scenario (dashed line, hollow points).

use super::colour::*;
use super::{patterns, w};
use crate::format::{esc, num};
use crate::report::HourlyOnTime;

const WIDTH: f64 = 960.0;
const HEIGHT: f64 = 340.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 44.0;
const BOTTOM: f64 = 56.0;
/// The chart's name in `data-chart` and in its pattern ids.
pub const NAME: &str = "on-time-by-hour";

/// A band of hours to shade (a disruption in force), hours from local midnight, with its label.
#[derive(Clone, Debug, PartialEq)]
pub struct Shade {
    /// Start, hours (may be fractional).
    pub from_hour: f64,
    /// End, hours.
    pub to_hour: f64,
    /// What is in force.
    pub label: String,
}

/// The chart. Points are `<circle class="point baseline|scenario" data-hour data-rate data-flown>`, one
/// per hour with flown legs.
pub fn svg(hours: &[HourlyOnTime], shades: &[Shade]) -> String {
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let slot = plot_w / 24.0;
    let x_hour = |h: f64| LEFT + slot * h;
    let y = |rate: f64| TOP + plot_h * (1.0 - rate);

    let mut out = String::new();
    w!(
        out,
        "<svg class=\"chart\" data-chart=\"{NAME}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" \
         aria-labelledby=\"{NAME}-title\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"{NAME}-title\">On-time rate by hour of scheduled arrival, baseline against scenario</title>"
    );
    out.push_str(&patterns(NAME));

    for s in shades {
        let (a, b) = (s.from_hour.clamp(0.0, 24.0), s.to_hour.clamp(0.0, 24.0));
        if b <= a {
            continue;
        }
        w!(
            out,
            "<rect class=\"disruption-window\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"url(#{NAME}-disruption)\"/>\
             <text class=\"note\" x=\"{}\" y=\"{}\">{}</text>",
            num(x_hour(a)),
            num(TOP),
            num(x_hour(b) - x_hour(a)),
            num(plot_h),
            num(x_hour(a) + 4.0),
            num(TOP + plot_h - 8.0),
            esc(&s.label)
        );
    }

    for pct in (0..=100).step_by(20) {
        let ty = y(f64::from(pct) / 100.0);
        w!(
            out,
            "<line class=\"grid\" x1=\"{}\" y1=\"{ty}\" x2=\"{}\" y2=\"{ty}\" stroke=\"{GRID}\"/>\
             <text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{pct}%</text>",
            num(LEFT),
            num(WIDTH - RIGHT),
            num(LEFT - 6.0),
            num(ty + 4.0),
            ty = num(ty)
        );
    }
    w!(
        out,
        "<text class=\"axis-title\" transform=\"translate(16 {}) rotate(-90)\" text-anchor=\"middle\">On time: under 15 min late (%)</text>",
        num(TOP + plot_h / 2.0)
    );
    w!(
        out,
        "<line class=\"axis\" x1=\"{}\" y1=\"{y0}\" x2=\"{}\" y2=\"{y0}\" stroke=\"{INK}\"/>",
        num(LEFT),
        num(WIDTH - RIGHT),
        y0 = num(TOP + plot_h)
    );
    for h in (0..24).step_by(2) {
        w!(
            out,
            "<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{h:02}:00</text>",
            num(x_hour(f64::from(h) + 0.5)),
            num(TOP + plot_h + 18.0)
        );
    }
    w!(
        out,
        "<text class=\"axis-title\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">Hour of scheduled arrival (local time at the arrival airport)</text>",
        num(LEFT + plot_w / 2.0),
        num(HEIGHT - 12.0)
    );

    for (series, colour, dash, fill) in [
        ("baseline", BASELINE, "", BASELINE),
        ("scenario", SCENARIO, " stroke-dasharray=\"7 4\"", "#fff"),
    ] {
        let pick = |h: &HourlyOnTime| {
            if series == "baseline" {
                h.baseline
            } else {
                h.scenario
            }
        };
        // The line, broken at hours without a flown leg.
        let mut path = String::new();
        let mut pen_down = false;
        for h in hours {
            match pick(h).rate() {
                Some(r) => {
                    let cmd = if pen_down { 'L' } else { 'M' };
                    w!(
                        path,
                        "{cmd}{},{} ",
                        num(x_hour(f64::from(h.hour) + 0.5)),
                        num(y(r))
                    );
                    pen_down = true;
                }
                None => pen_down = false,
            }
        }
        w!(
            out,
            "<path class=\"line {series}\" d=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2.2\"{dash}/>",
            path.trim_end()
        );
        for h in hours {
            let c = pick(h);
            if let Some(r) = c.rate() {
                w!(
                    out,
                    "<circle class=\"point {series}\" data-hour=\"{}\" data-rate=\"{r:.4}\" data-flown=\"{}\" \
                     cx=\"{}\" cy=\"{}\" r=\"4.5\" fill=\"{fill}\" stroke=\"{colour}\" stroke-width=\"2\">\
                     <title>{series}, arrivals {:02}:00-{:02}:59: {:.1}% on time of {} flown</title></circle>",
                    h.hour,
                    c.flown,
                    num(x_hour(f64::from(h.hour) + 0.5)),
                    num(y(r)),
                    h.hour,
                    h.hour,
                    r * 100.0,
                    c.flown
                );
            }
        }
    }

    w!(
        out,
        "<g class=\"legend\"><line x1=\"{}\" y1=\"17\" x2=\"{}\" y2=\"17\" stroke=\"{BASELINE}\" stroke-width=\"2.2\"/>\
         <circle cx=\"{}\" cy=\"17\" r=\"4.5\" fill=\"{BASELINE}\"/><text x=\"{}\" y=\"22\">Baseline (solid)</text>\
         <line x1=\"{}\" y1=\"17\" x2=\"{}\" y2=\"17\" stroke=\"{SCENARIO}\" stroke-width=\"2.2\" stroke-dasharray=\"7 4\"/>\
         <circle cx=\"{}\" cy=\"17\" r=\"4.5\" fill=\"#fff\" stroke=\"{SCENARIO}\" stroke-width=\"2\"/><text x=\"{}\" y=\"22\">Scenario (dashed, hollow)</text>",
        num(LEFT),
        num(LEFT + 28.0),
        num(LEFT + 14.0),
        num(LEFT + 36.0),
        num(LEFT + 190.0),
        num(LEFT + 218.0),
        num(LEFT + 204.0),
        num(LEFT + 226.0)
    );
    if !shades.is_empty() {
        w!(
            out,
            "<rect x=\"{}\" y=\"10\" width=\"14\" height=\"14\" fill=\"url(#{NAME}-disruption)\" stroke=\"{SCENARIO}\" stroke-opacity=\"0.5\"/>\
             <text x=\"{}\" y=\"22\">Disruption in force</text>",
            num(LEFT + 430.0),
            num(LEFT + 450.0)
        );
    }
    out.push_str("</g></svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::OnTimeCount;

    #[test]
    fn hours_without_flown_legs_have_no_point_and_break_the_line() {
        let hours: Vec<HourlyOnTime> = (0..24u8)
            .map(|hour| {
                let flown = if (6..9).contains(&hour) || hour == 12 {
                    10
                } else {
                    0
                };
                HourlyOnTime {
                    hour,
                    baseline: OnTimeCount {
                        scheduled: flown,
                        flown,
                        on_time: flown / 2,
                    },
                    scenario: OnTimeCount {
                        scheduled: flown,
                        flown,
                        on_time: 0,
                    },
                }
            })
            .collect();
        let svg = svg(&hours, &[]);
        assert_eq!(svg.matches("<circle class=\"point baseline\"").count(), 4);
        assert_eq!(svg.matches("<circle class=\"point scenario\"").count(), 4);
        // Two runs (06-08, 12): two pen-downs in each series' path.
        let path = svg.split("class=\"line baseline\" d=\"").nth(1).unwrap();
        let d = &path[..path.find('"').unwrap()];
        assert_eq!(d.matches('M').count(), 2, "{d}");
        assert!(svg.contains("data-rate=\"0.5000\""));
    }
}
