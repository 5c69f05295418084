//! How numbers and clock times read on the page: one place, so every chart and table agrees, and no
//! formatting depends on the machine (no locale, no clock).

use ucodts_model::{TimeZone, UtcMinute};

use crate::report::Unit;

/// Escapes text for HTML and SVG content and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A coordinate or attribute number with one decimal (`12.5`, never `-0.0`).
pub fn num(x: f64) -> String {
    let x = if x.is_finite() { x } else { 0.0 };
    let s = format!("{x:.1}");
    if s == "-0.0" {
        "0.0".into()
    } else {
        s
    }
}

/// A signed number for people, with a real minus sign (`+3.1`, `−0.4`).
fn signed(x: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, x.abs());
    let zero = s.chars().all(|c| c == '0' || c == '.');
    if zero {
        s
    } else if x < 0.0 {
        format!("\u{2212}{s}")
    } else {
        format!("+{s}")
    }
}

/// A number for people (`72.4`, `−3.0`).
fn plain(x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    match s.strip_prefix('-') {
        Some(rest) if rest.chars().any(|c| c != '0' && c != '.') => format!("\u{2212}{rest}"),
        Some(rest) => rest.to_string(),
        None => s,
    }
}

fn decimals(unit: Unit) -> usize {
    match unit {
        Unit::Share | Unit::Minutes | Unit::Count | Unit::Hours => 1,
        Unit::Ratio => 3,
    }
}

/// A KPI value in its unit (`72.4%`, `12.3 min`).
pub fn value(x: f64, unit: Unit) -> String {
    match unit {
        Unit::Share => format!("{}%", plain(x * 100.0, 1)),
        Unit::Minutes => format!("{} min", plain(x, 1)),
        Unit::Hours => format!("{} h", plain(x, 2)),
        Unit::Count | Unit::Ratio => plain(x, decimals(unit)),
    }
}

/// A KPI difference in its unit (`−3.1 pp`, `+12.0 min`).
pub fn difference(x: f64, unit: Unit) -> String {
    match unit {
        Unit::Share => format!("{} pp", signed(x * 100.0, 1)),
        Unit::Minutes => format!("{} min", signed(x, 1)),
        Unit::Hours => format!("{} h", signed(x, 2)),
        Unit::Count | Unit::Ratio => signed(x, decimals(unit)),
    }
}

/// A confidence interval of a difference (`−4.0 to −2.2`).
pub fn interval(ci: Option<[f64; 2]>, unit: Unit) -> String {
    let scale = if unit == Unit::Share { 100.0 } else { 1.0 };
    let d = if unit == Unit::Hours {
        2
    } else {
        decimals(unit)
    };
    match ci {
        Some([l, u]) => format!("{} to {}", signed(l * scale, d), signed(u * scale, d)),
        None => "n/a".into(),
    }
}

/// Minutes as `1:05` (hours and minutes), with a sign for negative values.
pub fn duration(minutes: i64) -> String {
    let sign = if minutes < 0 { "\u{2212}" } else { "" };
    let m = minutes.abs();
    format!("{sign}{}:{:02}", m / 60, m % 60)
}

const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `14:05` in `zone`.
pub fn clock(zone: &TimeZone, t: UtcMinute) -> String {
    let m = zone.to_local(t).minute_of_day;
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// `Tue 2 Jul` of the local date of `t` in `zone`.
pub fn day(zone: &TimeZone, t: UtcMinute) -> String {
    let d = zone.to_local(t).date;
    let weekday = WEEKDAYS[d.days_since_epoch().rem_euclid(7) as usize];
    let month = MONTHS[usize::from(d.month.clamp(1, 12)) - 1];
    format!("{weekday} {} {month}", d.day)
}

/// `Tue 2 Jul 14:05` in `zone`.
pub fn day_clock(zone: &TimeZone, t: UtcMinute) -> String {
    format!("{} {}", day(zone, t), clock(zone, t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_carry_a_sign_and_shares_read_in_points() {
        assert_eq!(difference(-0.031, Unit::Share), "\u{2212}3.1 pp");
        assert_eq!(difference(12.0, Unit::Minutes), "+12.0 min");
        assert_eq!(difference(0.0, Unit::Count), "0.0");
        assert_eq!(value(0.7243, Unit::Share), "72.4%");
        assert_eq!(value(-0.01, Unit::Minutes), "0.0 min");
        assert_eq!(
            interval(Some([-0.04, -0.022]), Unit::Share),
            "\u{2212}4.0 to \u{2212}2.2"
        );
    }

    #[test]
    fn clock_times_read_in_the_display_zone() {
        let ny = TimeZone::from_iana("America/New_York").unwrap();
        // 2013-07-02T18:30Z is 14:30 in New York (EDT), a Tuesday.
        let t = UtcMinute::parse("2013-07-02T18:30Z").unwrap();
        assert_eq!(day_clock(&ny, t), "Tue 2 Jul 14:30");
        assert_eq!(duration(-75), "\u{2212}1:15");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(esc("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
        assert_eq!(num(-0.04), "0.0");
    }
}
