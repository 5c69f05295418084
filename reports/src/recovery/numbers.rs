//! Numbers for people: costs whole with thousands separators and a real minus sign, differences with
//! their sign, and whether a paired difference reads better, worse or not significant.

use super::{fatigue_alert_kss, Interval, KpiInfo, KpiUnit};
use crate::format;

/// `1,234,567` (whole, thousands separated, real minus sign).
pub(super) fn grouped(x: f64) -> String {
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

pub(super) fn signed_grouped(x: f64) -> String {
    let g = grouped(x);
    if x > 0.0 && g != "0" {
        format!("+{g}")
    } else {
        g
    }
}

pub(super) fn value_text(x: f64, unit: KpiUnit) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    match unit {
        KpiUnit::Cost => grouped(x),
        KpiUnit::Other(u) => format::value(x, u),
    }
}

pub(super) fn difference_text(x: f64, unit: KpiUnit) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    match unit {
        KpiUnit::Cost => signed_grouped(x),
        KpiUnit::Other(u) => format::difference(x, u),
    }
}

pub(super) fn value_interval(i: &Interval, unit: KpiUnit) -> String {
    format!(
        "{} to {}",
        value_text(i.lower, unit),
        value_text(i.upper, unit)
    )
}

pub(super) fn difference_interval(i: &Interval, unit: KpiUnit) -> String {
    if !(i.lower.is_finite() && i.upper.is_finite()) {
        return "n/a".into();
    }
    match unit {
        KpiUnit::Cost => format!("{} to {}", signed_grouped(i.lower), signed_grouped(i.upper)),
        KpiUnit::Other(u) => format::interval(Some([i.lower, i.upper]), u),
    }
}

/// How a paired difference reads for the operation: (CSS class, word).
pub(super) fn reading(d: &Interval, info: &KpiInfo) -> (&'static str, &'static str) {
    if !d.excludes_zero() {
        return ("neutral", "not significant");
    }
    if (d.mean > 0.0) == info.higher_is_better {
        ("better", "better")
    } else {
        ("worse", "worse")
    }
}

pub(super) fn kss_text(k: Option<f64>) -> String {
    match k {
        Some(k) if k.is_finite() => format!("{k:.1}"),
        _ => "n/a".into(),
    }
}

pub(super) fn is_fatigue_alert(k: Option<f64>) -> bool {
    k.is_some_and(|k| k >= fatigue_alert_kss())
}

pub(super) fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recovery::KPIS;

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
}
