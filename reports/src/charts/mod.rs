//! The charts, as SVG written by hand: no plotting dependency, no script, no font download. Each chart is
//! one `<svg class="chart" data-chart="NAME">` whose data points carry stable classes (`bar`, `point`,
//! `leg`) and `data-*` attributes, so a test or a reader's tool can find them.
//!
//! Every series is told apart by more than colour — a hatch pattern, a dashed line, a hollow marker or a
//! written label — so the charts read on a black-and-white printout.

pub mod delay_distribution;
pub mod gantt;
pub mod intervals;
pub mod on_time_by_hour;

/// Appends formatted text to a `String` (writing to a `String` cannot fail).
macro_rules! w {
    ($out:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = write!($out, $($arg)*);
    }};
}
pub(crate) use w;

/// The colours of the page, chosen from the Okabe–Ito palette (distinguishable with colour-vision
/// deficiencies) and always paired with a pattern or a label.
pub mod colour {
    /// The undisrupted run.
    pub const BASELINE: &str = "#5f7a94";
    /// The disrupted run.
    pub const SCENARIO: &str = "#d55e00";
    /// A leg on time.
    pub const ON_TIME: &str = "#0072b2";
    /// A delayed leg.
    pub const DELAYED: &str = "#e69f00";
    /// A cancelled leg.
    pub const CANCELLED: &str = "#b3261e";
    /// Axis lines and text.
    pub const INK: &str = "#1d2733";
    /// Grid lines.
    pub const GRID: &str = "#d9dee4";
    /// Secondary text.
    pub const MUTED: &str = "#5b6670";
}

/// A round upper bound for an axis from 0 that holds `max`, and its tick step: (top, step).
pub fn nice_axis(max: f64) -> (f64, f64) {
    if !max.is_finite() || max <= 0.0 {
        return (1.0, 0.25);
    }
    let raw_step = max / 5.0;
    let magnitude = 10f64.powf(raw_step.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw_step)
        .unwrap_or(10.0 * magnitude);
    ((max / step).ceil() * step, step)
}

/// The `<defs>` of a chart: its hatch patterns, with ids prefixed by the chart's name so that several
/// charts can share one page.
pub fn patterns(chart: &str) -> String {
    use colour::*;
    let mut out = String::from("<defs>");
    // Diagonal stripes: the scenario's bars, delayed legs.
    for (name, colour) in [("scenario", SCENARIO), ("delayed", DELAYED)] {
        w!(
            out,
            "<pattern id=\"{chart}-{name}\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">\
             <rect width=\"6\" height=\"6\" fill=\"{colour}\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#fff\" stroke-width=\"2\" stroke-opacity=\"0.55\"/></pattern>"
        );
    }
    // Cross-hatch on white: cancelled legs read as struck out, in colour and in grey.
    w!(
        out,
        "<pattern id=\"{chart}-cancelled\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">\
         <rect width=\"6\" height=\"6\" fill=\"#fff\"/><path d=\"M0,0 L6,6 M6,0 L0,6\" stroke=\"{CANCELLED}\" stroke-width=\"1.2\"/></pattern>"
    );
    // Sparse stripes: a disruption window in force.
    w!(
        out,
        "<pattern id=\"{chart}-disruption\" width=\"10\" height=\"10\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(-45)\">\
         <rect width=\"10\" height=\"10\" fill=\"{SCENARIO}\" fill-opacity=\"0.08\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"10\" stroke=\"{SCENARIO}\" stroke-opacity=\"0.35\" stroke-width=\"1\"/></pattern>"
    );
    out.push_str("</defs>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_end_on_a_round_number_above_the_data() {
        assert_eq!(nice_axis(23.0), (25.0, 5.0));
        assert_eq!(nice_axis(100.0), (100.0, 20.0));
        assert_eq!(nice_axis(0.0), (1.0, 0.25));
        assert_eq!(nice_axis(7.3), (8.0, 2.0));
    }
}
