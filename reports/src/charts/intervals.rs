//! Estimates with their 95% confidence intervals as horizontal bars with whiskers: one row per item (a
//! recovery plan, or doing nothing), the bar from zero to the mean, the whisker from the lower to the
//! upper end of the interval. Differences may be negative: the axis then spans both sides of a zero line,
//! and a bar whose interval contains zero can be drawn as "not significant" (faded hatch and the words).

use super::colour::*;
use super::{nice_axis, w};
use crate::format::{esc, num};

const WIDTH: f64 = 960.0;
const LEFT: f64 = 230.0;
const RIGHT: f64 = 150.0;
const TOP: f64 = 38.0;
const BOTTOM: f64 = 52.0;
const ROW: f64 = 36.0;
const BAR: f64 = 18.0;

/// What a row stands for; it decides the bar's fill and its label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BarKind {
    /// Doing nothing: the reference every plan is compared with (grey-blue, solid).
    DoingNothing,
    /// A plan (blue, solid).
    Plan,
    /// The recommended plan (blue, solid, a heavy outline and the word "recommended").
    Recommended,
}

impl BarKind {
    fn class(self) -> &'static str {
        match self {
            BarKind::DoingNothing => "doing-nothing",
            BarKind::Plan => "plan",
            BarKind::Recommended => "plan recommended",
        }
    }
}

/// One row of the chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// The row's label (`1. lns+milp`, `Doing nothing`).
    pub label: String,
    /// What the row stands for.
    pub kind: BarKind,
    /// The mean.
    pub mean: f64,
    /// The lower end of the 95% interval.
    pub lower: f64,
    /// The upper end of the 95% interval.
    pub upper: f64,
}

impl Bar {
    /// Whether the interval contains zero (a difference that may be chance).
    pub fn crosses_zero(&self) -> bool {
        !(self.lower > 0.0 || self.upper < 0.0)
    }
}

/// The chart's words.
#[derive(Clone, Copy, Debug)]
pub struct Labels<'a> {
    /// `data-chart` and the prefix of its pattern ids.
    pub name: &'a str,
    /// The accessible title.
    pub title: &'a str,
    /// The value axis' title.
    pub axis_title: &'a str,
    /// Draw bars whose interval contains zero as "not significant".
    pub mark_not_significant: bool,
}

/// A round axis from below `lo` to above `hi` that includes zero: (start, end, step).
fn axis(lo: f64, hi: f64) -> (f64, f64, f64) {
    let lo = if lo.is_finite() { lo.min(0.0) } else { 0.0 };
    let hi = if hi.is_finite() { hi.max(0.0) } else { 0.0 };
    let (_, step) = nice_axis(hi - lo);
    let start = (lo / step).floor() * step;
    let mut end = (hi / step).ceil() * step;
    if end <= start {
        end = start + step;
    }
    (start, end, step)
}

fn finite(x: f64) -> f64 {
    if x.is_finite() {
        x
    } else {
        0.0
    }
}

/// The chart. Bars are `<rect class="bar KIND" data-label data-mean data-lower data-upper>` (KIND:
/// `doing-nothing`, `plan`, `plan recommended`; plus ` not-significant` when asked for and the interval
/// contains zero), one per row in the given order; whiskers are `<path class="whisker">`.
pub fn svg(labels: Labels<'_>, bars: &[Bar], value_text: &dyn Fn(f64) -> String) -> String {
    let name = labels.name;
    let height = TOP + BOTTOM + ROW * bars.len().max(1) as f64;
    let lo = bars
        .iter()
        .flat_map(|b| [b.mean, b.lower, b.upper])
        .filter(|x| x.is_finite())
        .fold(0.0, f64::min);
    let hi = bars
        .iter()
        .flat_map(|b| [b.mean, b.lower, b.upper])
        .filter(|x| x.is_finite())
        .fold(0.0, f64::max);
    let (start, end, step) = axis(lo, hi);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_bottom = height - BOTTOM;
    let x = |v: f64| LEFT + plot_w * (finite(v).clamp(start, end) - start) / (end - start);

    let mut out = String::new();
    w!(
        out,
        "<svg class=\"chart\" data-chart=\"{name}\" viewBox=\"0 0 {WIDTH} {}\" role=\"img\" \
         aria-labelledby=\"{name}-title\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"{name}-title\">{}</title>\
         <defs><pattern id=\"{name}-unclear\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">\
         <rect width=\"6\" height=\"6\" fill=\"#fff\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"{ON_TIME}\" stroke-width=\"2\"/></pattern></defs>",
        num(height),
        esc(labels.title)
    );

    // Grid and value axis.
    let mut tick = start;
    let mut guard = 0;
    while tick <= end + step * 1e-9 && guard < 100 {
        let tx = x(tick);
        w!(
            out,
            "<line class=\"grid\" x1=\"{tx}\" y1=\"{}\" x2=\"{tx}\" y2=\"{}\" stroke=\"{GRID}\"/>\
             <text class=\"tick\" x=\"{tx}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            num(TOP - 6.0),
            num(plot_bottom),
            num(plot_bottom + 16.0),
            esc(&value_text(tick)),
            tx = num(tx)
        );
        tick += step;
        guard += 1;
    }
    w!(
        out,
        "<line class=\"zero\" x1=\"{zx}\" y1=\"{}\" x2=\"{zx}\" y2=\"{}\" stroke=\"{INK}\" stroke-width=\"1.2\"/>\
         <text class=\"axis-title\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
        num(TOP - 6.0),
        num(plot_bottom),
        num(LEFT + plot_w / 2.0),
        num(height - 12.0),
        esc(labels.axis_title),
        zx = num(x(0.0))
    );

    for (i, b) in bars.iter().enumerate() {
        let cy = TOP + ROW * i as f64 + ROW / 2.0;
        let unclear = labels.mark_not_significant && b.crosses_zero();
        let (fill, stroke, stroke_width) = match (b.kind, unclear) {
            (_, true) => (format!("url(#{name}-unclear)"), ON_TIME, "1"),
            (BarKind::DoingNothing, false) => (BASELINE.to_string(), BASELINE, "1"),
            (BarKind::Plan, false) => (ON_TIME.to_string(), ON_TIME, "1"),
            (BarKind::Recommended, false) => (ON_TIME.to_string(), INK, "2.5"),
        };
        let (x0, x1) = (x(0.0), x(b.mean));
        w!(
            out,
            "<text class=\"row-label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            num(LEFT - 10.0),
            num(cy + 4.0),
            esc(&b.label)
        );
        w!(
            out,
            "<rect class=\"bar {}{}\" data-label=\"{}\" data-mean=\"{}\" data-lower=\"{}\" data-upper=\"{}\" \
             x=\"{}\" y=\"{}\" width=\"{}\" height=\"{BAR}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{stroke_width}\">\
             <title>{}: {} (95% CI {} to {})</title></rect>",
            b.kind.class(),
            if unclear { " not-significant" } else { "" },
            esc(&b.label),
            finite(b.mean),
            finite(b.lower),
            finite(b.upper),
            num(x0.min(x1)),
            num(cy - BAR / 2.0),
            num((x1 - x0).abs()),
            esc(&b.label),
            esc(&value_text(b.mean)),
            esc(&value_text(b.lower)),
            esc(&value_text(b.upper))
        );
        if b.lower.is_finite() && b.upper.is_finite() {
            let (wl, wu) = (x(b.lower), x(b.upper));
            w!(
                out,
                "<path class=\"whisker\" d=\"M{a},{t} V{d} M{a},{m} H{b} M{b},{t} V{d}\" stroke=\"{INK}\" stroke-width=\"1.5\" fill=\"none\"/>",
                a = num(wl),
                b = num(wu),
                t = num(cy - 7.0),
                d = num(cy + 7.0),
                m = num(cy)
            );
        }
        let text_x = x(b.mean).max(x(b.upper)).max(x0) + 8.0;
        let mut note = value_text(b.mean);
        if unclear {
            note.push_str(", not significant");
        } else if b.kind == BarKind::Recommended {
            note.push_str(", recommended");
        }
        w!(
            out,
            "<text class=\"value\" x=\"{}\" y=\"{}\">{}</text>",
            num(text_x),
            num(cy + 4.0),
            esc(&note)
        );
    }
    if bars.is_empty() {
        w!(
            out,
            "<text class=\"note\" x=\"{}\" y=\"{}\">No plans to compare.</text>",
            num(LEFT),
            num(TOP + ROW / 2.0)
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(kind: BarKind, mean: f64, lower: f64, upper: f64) -> Bar {
        Bar {
            label: format!("{mean}"),
            kind,
            mean,
            lower,
            upper,
        }
    }

    #[test]
    fn the_axis_is_round_and_holds_zero_and_every_whisker() {
        assert_eq!(axis(0.0, 23.0), (0.0, 25.0, 5.0));
        let (start, end, step) = axis(-12.0, 3.0);
        assert!(start <= -12.0 && end >= 3.0 && step > 0.0);
        assert_eq!(axis(f64::NAN, f64::INFINITY), (0.0, 0.25, 0.25));
    }

    #[test]
    fn a_bar_runs_from_zero_to_its_mean_and_unclear_differences_say_so() {
        let bars = [
            bar(BarKind::Plan, -10.0, -14.0, -6.0),
            bar(BarKind::Recommended, 5.0, -1.0, 11.0),
        ];
        let svg = svg(
            Labels {
                name: "d",
                title: "t",
                axis_title: "a",
                mark_not_significant: true,
            },
            &bars,
            &|v| format!("{v:.0}"),
        );
        assert_eq!(svg.matches("<rect class=\"bar ").count(), 2);
        assert_eq!(svg.matches("not-significant").count(), 1);
        assert!(svg.contains("5, not significant"));
        assert_eq!(svg.matches("class=\"whisker\"").count(), 2);
        assert!(!svg.contains("NaN"));
    }
}
