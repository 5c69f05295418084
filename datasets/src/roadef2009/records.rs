//! The challenge's plain-text records: space-separated tokens, blank lines skipped, the first line starting
//! with `#` ends the file. Field parsers that fail with the file, line, column (1-based token position),
//! field name, value and what was expected.

use std::path::{Path, PathBuf};

use ucodts_model::recovery::Cents;
use ucodts_model::{Date, UtcMinute};

use crate::DatasetError;

/// One non-blank line before the end marker.
pub(crate) struct Record {
    /// 1-based line number in the file.
    pub line: u64,
    pub tokens: Vec<String>,
}

/// Reads the records of `dir/name`.
pub(crate) fn read_records(dir: &Path, name: &str) -> Result<(PathBuf, Vec<Record>), DatasetError> {
    let file = dir.join(name);
    let bytes = crate::limits::read(&file).map_err(|e| DatasetError::io(&file, e))?;
    let text = String::from_utf8(bytes).map_err(|e| DatasetError::File {
        file: file.clone(),
        message: format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()),
    })?;
    let mut records = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if line.starts_with('#') {
            break;
        }
        records.push(Record {
            line: i as u64 + 1,
            tokens: line.split_whitespace().map(str::to_string).collect(),
        });
    }
    Ok((file, records))
}

/// A record of a file, for field-by-field parsing with located errors.
pub(crate) struct Fields<'a> {
    pub file: &'a Path,
    pub record: &'a Record,
}

impl<'a> Fields<'a> {
    pub fn new(file: &'a Path, record: &'a Record) -> Fields<'a> {
        Fields { file, record }
    }

    pub fn len(&self) -> usize {
        self.record.tokens.len()
    }

    /// An error about the value in column `i` (0-based here, 1-based in the message).
    pub fn error(&self, i: usize, field: &str, expected: &str) -> DatasetError {
        DatasetError::Field {
            file: self.file.to_path_buf(),
            line: self.record.line,
            column: i + 1,
            field: field.to_string(),
            value: self.record.tokens.get(i).cloned().unwrap_or_default(),
            expected: expected.to_string(),
        }
    }

    /// An error about the record as a whole.
    pub fn record_error(&self, message: String) -> DatasetError {
        DatasetError::Record {
            file: self.file.to_path_buf(),
            line: self.record.line,
            message,
        }
    }

    pub fn text(&self, i: usize, field: &str) -> Result<&'a str, DatasetError> {
        self.record
            .tokens
            .get(i)
            .map(String::as_str)
            .ok_or_else(|| self.error(i, field, "a value (the line is too short)"))
    }

    pub fn u32(&self, i: usize, field: &str) -> Result<u32, DatasetError> {
        self.text(i, field)?
            .parse()
            .map_err(|_| self.error(i, field, "a whole number, 0 or more"))
    }

    pub fn i64(&self, i: usize, field: &str) -> Result<i64, DatasetError> {
        self.text(i, field)?
            .parse()
            .map_err(|_| self.error(i, field, "a whole number"))
    }

    pub fn f64(&self, i: usize, field: &str) -> Result<f64, DatasetError> {
        self.text(i, field)?
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| self.error(i, field, "a number"))
    }

    pub fn cents(&self, i: usize, field: &str) -> Result<Cents, DatasetError> {
        parse_cents(self.text(i, field)?)
            .ok_or_else(|| self.error(i, field, "an amount of euros with at most two decimals"))
    }

    pub fn date(&self, i: usize, field: &str) -> Result<Date, DatasetError> {
        parse_date(self.text(i, field)?).ok_or_else(|| self.error(i, field, "a date DD/MM/YY"))
    }

    /// `HH:MM` or `HH:MM+N`, as minutes after midnight of the reference day.
    pub fn clock(&self, i: usize, field: &str) -> Result<i64, DatasetError> {
        parse_clock(self.text(i, field)?)
            .ok_or_else(|| self.error(i, field, "a time HH:MM, optionally followed by +N days"))
    }

    /// A date in column `i` and a time in column `i + 1`.
    pub fn instant(&self, i: usize, field: &str) -> Result<UtcMinute, DatasetError> {
        let date = self.date(i, &format!("{field} date"))?;
        let minute = self.clock(i + 1, &format!("{field} time"))?;
        Ok(UtcMinute::from_date_minute(date, minute))
    }
}

/// `DD/MM/YY`, year 20YY.
pub(crate) fn parse_date(text: &str) -> Option<Date> {
    let mut parts = text.split('/');
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 2 || d.is_empty() || m.is_empty() {
        return None;
    }
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !(all_digits(d) && all_digits(m) && all_digits(y)) {
        return None;
    }
    Date::new(
        2000 + y.parse::<i32>().ok()?,
        m.parse().ok()?,
        d.parse().ok()?,
    )
}

/// `DD/MM/YY` of a date (years 2000-2099).
pub(crate) fn format_date(date: Date) -> Option<String> {
    if !(2000..=2099).contains(&date.year) {
        return None;
    }
    Some(format!(
        "{:02}/{:02}/{:02}",
        date.day,
        date.month,
        date.year - 2000
    ))
}

/// `HH:MM` (hours 0-24) with an optional `+N` days.
pub(crate) fn parse_clock(text: &str) -> Option<i64> {
    let (clock, days) = match text.split_once('+') {
        Some((c, n)) => {
            if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) || n.len() > 3 {
                return None;
            }
            (c, n.parse::<i64>().ok()?)
        }
        None => (text, 0),
    };
    let (h, m) = clock.split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    if !(h.bytes().all(|b| b.is_ascii_digit()) && m.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    if h > 24 || m > 59 {
        return None;
    }
    Some(days * 1440 + h * 60 + m)
}

/// `HH:MM[+N]` of an instant, relative to 00:00 of `date`; `None` before that day.
pub(crate) fn format_clock(t: UtcMinute, date: Date) -> Option<String> {
    let offset = t.0 - UtcMinute::from_date_minute(date, 0).0;
    if offset < 0 {
        return None;
    }
    let (days, minute) = (offset / 1440, offset % 1440);
    let mut s = format!("{:02}:{:02}", minute / 60, minute % 60);
    if days > 0 {
        s.push_str(&format!("+{days}"));
    }
    Some(s)
}

/// `1800.0`, `287.5`, `0.05`, `12` as cents; more than two decimals only if they are zeros.
pub(crate) fn parse_cents(text: &str) -> Option<Cents> {
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = body.split_once('.').unwrap_or((body, ""));
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !digits(fraction) || whole.len() > 12 {
        return None;
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let (kept, rest) = fraction.split_at(fraction.len().min(2));
    if rest.bytes().any(|b| b != b'0') {
        return None;
    }
    let mut cents: i64 = if kept.is_empty() {
        0
    } else {
        kept.parse().ok()?
    };
    if kept.len() == 1 {
        cents *= 10;
    }
    let value = whole * 100 + cents;
    Some(Cents(if negative { -value } else { value }))
}

/// Euros as the challenge writes prices: `200.0`, `287.5`, `12.25`.
pub(crate) fn format_price(c: Cents) -> String {
    let sign = if c.0 < 0 { "-" } else { "" };
    let a = c.0.unsigned_abs();
    let (whole, cents) = (a / 100, a % 100);
    if cents == 0 {
        format!("{sign}{whole}.0")
    } else if cents % 10 == 0 {
        format!("{sign}{whole}.{}", cents / 10)
    } else {
        format!("{sign}{whole}.{cents:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_and_times_parse_exactly() {
        assert_eq!(parse_cents("1800.0"), Some(Cents(180_000)));
        assert_eq!(parse_cents("287.5"), Some(Cents(28_750)));
        assert_eq!(parse_cents("0.05"), Some(Cents(5)));
        assert_eq!(parse_cents("0.050"), Some(Cents(5)));
        assert_eq!(parse_cents("0.055"), None);
        assert_eq!(parse_cents("abc"), None);
        assert_eq!(parse_clock("00:10+1"), Some(1450));
        assert_eq!(parse_clock("24:00"), Some(1440));
        assert_eq!(parse_clock("25:00"), None);
        assert_eq!(parse_clock("7:5"), None);
        assert_eq!(format_price(Cents(28_750)), "287.5");
        assert_eq!(format_price(Cents(20_000)), "200.0");
        assert_eq!(format_price(Cents(1_225)), "12.25");
        let d = parse_date("07/01/06").unwrap();
        assert_eq!(format_date(d).unwrap(), "07/01/06");
        assert_eq!(parse_date("32/01/06"), None);
        let t = UtcMinute::from_date_minute(d, 1440 + 70);
        assert_eq!(format_clock(t, d).unwrap(), "01:10+1");
    }
}
