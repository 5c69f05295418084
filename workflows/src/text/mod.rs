//! The workflows' results as text a person reads: the same result types `--json` prints whole, rendered as
//! tables and sentences (what the binary prints, and what a server can send as text/plain). Numbers carry
//! thousands separators and units; clock times say their zone.

pub mod bench;
pub mod crew;
pub mod data;
pub mod maintenance;
pub mod predict;
pub mod recovery;
pub mod tianchi;
pub mod twin;

/// `writeln!` into a `String`, which cannot fail.
macro_rules! say {
    ($out:expr) => {
        $out.push('\n')
    };
    ($out:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        writeln!($out, $($arg)*).expect("writing to a String cannot fail");
    }};
}
pub(crate) use say;

/// `336776` -> `336,776`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `-1234567.891` with 0 decimals -> `-1,234,568`; with 2 -> `-1,234,567.89`.
pub fn number(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    let text = format!("{:.*}", decimals, x.abs());
    let (whole, frac) = text
        .split_once('.')
        .map_or((text.as_str(), ""), |(w, f)| (w, f));
    let whole = whole.parse::<u64>().map_or(whole.to_string(), thousands);
    let sign = if x < 0.0 && text.chars().any(|c| c != '0' && c != '.') {
        "-"
    } else {
        ""
    };
    match frac {
        "" => format!("{sign}{whole}"),
        f => format!("{sign}{whole}.{f}"),
    }
}

/// A UTC clock time as the model prints it (`2013-07-02T14:00Z`), labelled so nobody reads it as local.
pub fn utc(time: &str) -> String {
    if time.ends_with('Z') || time.ends_with("UTC") {
        time.to_string()
    } else {
        format!("{time} UTC")
    }
}

/// A table with a two-space indent: the first column left-aligned, the others right-aligned, each as
/// wide as its widest cell.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    let mut width: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in width.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut line = |cells: Vec<&str>| {
        let text: Vec<String> = cells
            .iter()
            .zip(&width)
            .enumerate()
            .map(|(i, (c, w))| match i {
                0 => format!("{c:<w$}"),
                _ => format!("{c:>w$}"),
            })
            .collect();
        say!(out, "  {}", text.join("  ").trim_end());
    };
    line(header.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
    out
}

/// An optional number with `decimals`, or `-`.
pub fn maybe(x: Option<f64>, decimals: usize) -> String {
    x.map_or("-".to_string(), |x| number(x, decimals))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_get_thousands_separators_and_keep_their_sign() {
        assert_eq!(thousands(336_776), "336,776");
        assert_eq!(thousands(999), "999");
        assert_eq!(number(-1_234_567.891, 0), "-1,234,568");
        assert_eq!(number(1_234_567.891, 2), "1,234,567.89");
        assert_eq!(number(-0.001, 1), "0.0");
        assert_eq!(number(480_018.0, 0), "480,018");
    }
}
