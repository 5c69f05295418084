//! The rule tables as data: a small CSV dialect for the regulation tables under `model/rules/`, its parser,
//! and the errors that name the file, line and field of whatever is wrong.
//!
//! The dialect: lines starting with `#` are comments (each file opens with what the table is and how its
//! cells were verified), blank lines are skipped, fields are separated by commas and never contain one.
//! Three kinds of file:
//! - a *time-band table* (`from,to,<columns...>,status,source`): rows are bands of the local clock
//!   (`05:00,05:59`; a band may wrap past midnight, `17:00,04:59`) that together cover every minute of the
//!   day exactly once; cells are limits in `H:MM`, or `n/a` where the regulation allows nothing;
//! - a *cumulative-limit list* (`name,measure,window,limit,source`);
//! - a *parameter list* (`name,value,source`).
//!
//! Every row carries a `status`: `verified` (checked against the regulation text or an authority's copy of
//! it) or `unverified`. An unverified row is parsed and kept, so that it can be checked and flipped later,
//! but a lookup that lands in it is refused with [`crate::rules::RuleError::UnverifiedCell`].

use std::fmt;
use std::sync::Arc;

use crate::time::Minutes;

/// What is wrong with a rule table, and where: `faa117_table_b.csv:14: field `5`: expected ...`.
/// `line` counts from 1; 0 means the file as a whole (e.g. a parameter that is missing).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct TableError {
    pub file: String,
    pub line: usize,
    pub field: String,
    pub problem: String,
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: field `{}`: {}", self.file, self.field, self.problem)
        } else {
            write!(
                f,
                "{}:{}: field `{}`: {}",
                self.file, self.line, self.field, self.problem
            )
        }
    }
}

fn error(file: &str, line: usize, field: &str, problem: impl Into<String>) -> TableError {
    TableError {
        file: file.to_string(),
        line,
        field: field.to_string(),
        problem: problem.into(),
    }
}

/// Whether a row has been checked against the regulation.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Verification {
    Verified,
    Unverified,
}

/// The data lines of a file: (line number from 1, fields), comments and blank lines skipped.
fn data_lines(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines().enumerate().filter_map(|(i, line)| {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            None
        } else {
            Some((i + 1, line.split(',').map(str::trim).collect()))
        }
    })
}

/// Reads the header and checks that it starts and ends with the expected names.
fn header<'a>(
    file: &str,
    lines: &mut impl Iterator<Item = (usize, Vec<&'a str>)>,
    first: &[&str],
    last: &[&str],
) -> Result<(usize, Vec<&'a str>), TableError> {
    let (line, names) = lines
        .next()
        .ok_or_else(|| error(file, 0, "header", "the file has no header line"))?;
    let expected = || {
        let mut all: Vec<&str> = first.to_vec();
        all.push("...");
        all.extend_from_slice(last);
        all.join(",")
    };
    if names.len() < first.len() + last.len()
        || names[..first.len()] != *first
        || names[names.len() - last.len()..] != *last
    {
        return Err(error(
            file,
            line,
            "header",
            format!("expected a header like `{}`", expected()),
        ));
    }
    Ok((line, names))
}

/// `HH:MM` on a 24-hour clock, as a minute of the day.
pub(crate) fn parse_clock(text: &str) -> Option<i64> {
    let (h, m) = text.split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    ((0..24).contains(&h) && (0..60).contains(&m)).then_some(h * 60 + m)
}

/// `H:MM` (any number of hours), as a span.
pub(crate) fn parse_duration(text: &str) -> Option<Minutes> {
    let (h, m) = text.split_once(':')?;
    if h.is_empty() || !h.bytes().all(|b| b.is_ascii_digit()) || m.len() != 2 {
        return None;
    }
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    (0..60).contains(&m).then_some(Minutes(h * 60 + m))
}

fn clock_text(minute_of_day: i64) -> String {
    format!("{:02}:{:02}", minute_of_day / 60, minute_of_day % 60)
}

/// One band of the local clock and its cells.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BandRow {
    /// Line of the file the row was read from.
    pub line: usize,
    /// First and last minute of the day of the band; `from > to` wraps past midnight.
    pub from: i64,
    pub to: i64,
    /// One per column; `None` where the regulation allows nothing ("n/a").
    pub cells: Vec<Option<Minutes>>,
    pub verification: Verification,
    /// Where the row comes from, as the file says.
    pub source: Arc<str>,
    /// The band in words, `05:00-05:59` (shared, so that limits read from the row do not copy it).
    pub label: Arc<str>,
}

impl BandRow {
    /// `05:00-05:59`.
    pub fn label(&self) -> Arc<str> {
        self.label.clone()
    }
}

/// A regulation table whose rows are bands of the local clock (Part 117 Tables A, B, C; EASA Tables 2, 3
/// and the CS FTL.1.205(b) extension table).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BandTable {
    pub file: String,
    pub columns: Vec<String>,
    pub rows: Vec<BandRow>,
    /// For each minute of the day, the index of the row that covers it.
    row_of_minute: Vec<u8>,
}

impl BandTable {
    /// Parses a time-band table. `file` is the name errors give.
    pub fn parse(file: &str, text: &str) -> Result<BandTable, TableError> {
        let mut lines = data_lines(text);
        let (_, names) = header(file, &mut lines, &["from", "to"], &["status", "source"])?;
        let columns: Vec<String> = names[2..names.len() - 2]
            .iter()
            .map(|c| c.to_string())
            .collect();
        if columns.is_empty() {
            return Err(error(
                file,
                0,
                "header",
                "expected at least one column of limits between `to` and `status`",
            ));
        }
        let mut rows = Vec::new();
        const UNCOVERED: u8 = u8::MAX;
        let mut row_of_minute = vec![UNCOVERED; 24 * 60];
        for (line, fields) in lines {
            if fields.len() != names.len() {
                return Err(error(
                    file,
                    line,
                    "row",
                    format!(
                        "expected {} fields as in the header, found {}",
                        names.len(),
                        fields.len()
                    ),
                ));
            }
            let clock = |i: usize| {
                parse_clock(fields[i]).ok_or_else(|| {
                    error(
                        file,
                        line,
                        names[i],
                        format!("expected a clock time HH:MM, found {:?}", fields[i]),
                    )
                })
            };
            let (from, to) = (clock(0)?, clock(1)?);
            let mut cells = Vec::with_capacity(columns.len());
            for (i, text) in fields.iter().enumerate().take(names.len() - 2).skip(2) {
                let cell = if *text == "n/a" {
                    None
                } else {
                    Some(parse_duration(text).ok_or_else(|| {
                        error(
                            file,
                            line,
                            names[i],
                            format!("expected a limit H:MM or `n/a`, found {text:?}"),
                        )
                    })?)
                };
                cells.push(cell);
            }
            let status = fields[names.len() - 2];
            let verification = match status {
                "verified" => Verification::Verified,
                "unverified" => Verification::Unverified,
                other => {
                    return Err(error(
                        file,
                        line,
                        "status",
                        format!("expected `verified` or `unverified`, found {other:?}"),
                    ))
                }
            };
            let source = fields[names.len() - 1];
            if source.is_empty() {
                return Err(error(
                    file,
                    line,
                    "source",
                    "every row must cite where it comes from",
                ));
            }
            if rows.len() >= usize::from(UNCOVERED) {
                return Err(error(file, line, "row", "too many rows"));
            }
            let index = rows.len() as u8;
            let length = (to - from).rem_euclid(24 * 60) + 1;
            for k in 0..length {
                let m = ((from + k) % (24 * 60)) as usize;
                if row_of_minute[m] != UNCOVERED {
                    let other: &BandRow = &rows[usize::from(row_of_minute[m])];
                    return Err(error(
                        file,
                        line,
                        "from",
                        format!(
                            "the band {}-{} overlaps the band {} on line {} at {}",
                            clock_text(from),
                            clock_text(to),
                            other.label(),
                            other.line,
                            clock_text(m as i64)
                        ),
                    ));
                }
                row_of_minute[m] = index;
            }
            rows.push(BandRow {
                line,
                from,
                to,
                cells,
                verification,
                source: source.into(),
                label: format!("{}-{}", clock_text(from), clock_text(to)).into(),
            });
        }
        if let Some(gap) = row_of_minute.iter().position(|&r| r == UNCOVERED) {
            let end = (gap..24 * 60)
                .take_while(|&m| row_of_minute[m] == UNCOVERED)
                .last()
                .unwrap_or(gap);
            return Err(error(
                file,
                0,
                "from",
                format!(
                    "no row covers {}-{}: the bands must cover every minute of the day",
                    clock_text(gap as i64),
                    clock_text(end as i64)
                ),
            ));
        }
        Ok(BandTable {
            file: file.to_string(),
            columns,
            rows,
            row_of_minute,
        })
    }

    /// The row whose band holds this local minute of the day (any integer; read modulo a day).
    pub fn row_at(&self, minute_of_day: i64) -> &BandRow {
        let m = minute_of_day.rem_euclid(24 * 60) as usize;
        &self.rows[usize::from(self.row_of_minute[m])]
    }

    /// Reads the column labels as numbers of segments (`1`, `1-2`, `7+`), described in words of `unit`
    /// ("segment", "sector"); the error names the header field.
    pub fn segment_columns(&self, unit: &str) -> Result<SegmentColumns, TableError> {
        let mut ranges = Vec::with_capacity(self.columns.len());
        let mut next = 1;
        for label in &self.columns {
            let bad = || {
                error(
                    &self.file,
                    0,
                    label,
                    format!(
                        "expected a segment count column (`{next}`, `{next}-N` or `{next}+`) in the header"
                    ),
                )
            };
            let (lo, hi) = if let Some(lo) = label.strip_suffix('+') {
                (lo.parse::<usize>().map_err(|_| bad())?, usize::MAX)
            } else if let Some((lo, hi)) = label.split_once('-') {
                (
                    lo.parse::<usize>().map_err(|_| bad())?,
                    hi.parse::<usize>().map_err(|_| bad())?,
                )
            } else {
                let n = label.parse::<usize>().map_err(|_| bad())?;
                (n, n)
            };
            if lo != next || hi < lo || (hi == usize::MAX && ranges.len() + 1 != self.columns.len())
            {
                return Err(bad());
            }
            ranges.push((lo, hi));
            next = hi.saturating_add(1);
        }
        let descriptions = ranges
            .iter()
            .map(|&range| describe(range, unit).into())
            .collect();
        Ok(SegmentColumns {
            ranges,
            descriptions,
        })
    }
}

fn describe(range: (usize, usize), unit: &str) -> String {
    match range {
        (1, 1) => format!("1 {unit}"),
        (lo, hi) if lo == hi => format!("{lo} {unit}s"),
        (lo, usize::MAX) => format!("{lo} or more {unit}s"),
        (lo, hi) => format!("{lo}-{hi} {unit}s"),
    }
}

/// Columns of a table read as numbers of segments (sectors).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SegmentColumns {
    ranges: Vec<(usize, usize)>,
    descriptions: Vec<Arc<str>>,
}

impl SegmentColumns {
    /// The column for this many segments: 0 is read as 1, counts beyond the last column as the last column.
    pub fn column(&self, segments: usize) -> usize {
        let n = segments.max(1);
        self.ranges
            .iter()
            .position(|&(lo, hi)| (lo..=hi).contains(&n))
            .unwrap_or(self.ranges.len() - 1)
    }

    /// Whether some column holds this many segments (a table without an open last column stops somewhere).
    pub fn covers(&self, segments: usize) -> bool {
        let n = segments.max(1);
        self.ranges.iter().any(|&(lo, hi)| (lo..=hi).contains(&n))
    }

    /// `5 segments`, `1-2 sectors`, `7 or more segments`.
    pub fn describe(&self, column: usize) -> Arc<str> {
        self.descriptions[column].clone()
    }
}

/// What a cumulative limit adds up.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Measure {
    /// Scheduled block time of the legs operated (deadheads are not flight time).
    FlightTime,
    /// Report to the block-in of the last leg operated, for duties that operate a leg.
    FlightDutyPeriod,
    /// Report to release, for every duty, deadheads included.
    Duty,
}

impl Measure {
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::FlightTime => "flight_time",
            Measure::FlightDutyPeriod => "flight_duty_period",
            Measure::Duty => "duty",
        }
    }

    /// How a scheduler says it: "flight time", "time on flight duty", "time on duty".
    pub fn in_words(self) -> &'static str {
        match self {
            Measure::FlightTime => "flight time",
            Measure::FlightDutyPeriod => "time on flight duty",
            Measure::Duty => "time on duty",
        }
    }
}

/// The span a cumulative limit adds up over.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Window {
    /// Any this-many consecutive hours (as minutes), wherever the window falls.
    Rolling(Minutes),
    /// Any this-many consecutive calendar days, dates read in the crew member's home zone.
    CalendarDays(u32),
    /// Any this-many consecutive calendar months, in the home zone.
    CalendarMonths(u32),
    /// One calendar year (1 January to 31 December), in the home zone.
    CalendarYear,
}

impl Window {
    fn parse(text: &str) -> Option<Window> {
        if text == "calendar-year" {
            return Some(Window::CalendarYear);
        }
        let (kind, n) = text.split_once(':')?;
        let n: u32 = n.parse().ok().filter(|&n| n > 0)?;
        match kind {
            "rolling-hours" => Some(Window::Rolling(Minutes::hours(i64::from(n)))),
            "calendar-days" => Some(Window::CalendarDays(n)),
            "calendar-months" => Some(Window::CalendarMonths(n)),
            _ => None,
        }
    }
}

/// A cap on what a crew member accumulates over a window, with the rule it comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CumulativeLimit {
    /// The file's name for it: "FDP 60 h in 168 h".
    pub name: String,
    pub measure: Measure,
    pub window: Window,
    pub limit: Minutes,
    /// "14 CFR 117.23(c)(1)".
    pub rule: String,
}

/// Parses a cumulative-limit list.
pub fn parse_cumulative(file: &str, text: &str) -> Result<Vec<CumulativeLimit>, TableError> {
    let mut lines = data_lines(text);
    let (_, names) = header(
        file,
        &mut lines,
        &["name", "measure", "window", "limit", "source"],
        &[],
    )?;
    let mut limits = Vec::new();
    for (line, fields) in lines {
        if fields.len() != names.len() {
            return Err(error(
                file,
                line,
                "row",
                format!("expected {} fields, found {}", names.len(), fields.len()),
            ));
        }
        let measure = match fields[1] {
            "flight_time" => Measure::FlightTime,
            "flight_duty_period" => Measure::FlightDutyPeriod,
            "duty" => Measure::Duty,
            other => {
                return Err(error(
                    file,
                    line,
                    "measure",
                    format!("expected flight_time, flight_duty_period or duty, found {other:?}"),
                ))
            }
        };
        let window = Window::parse(fields[2]).ok_or_else(|| {
            error(
                file,
                line,
                "window",
                format!(
                    "expected rolling-hours:N, calendar-days:N, calendar-months:N or calendar-year, found {:?}",
                    fields[2]
                ),
            )
        })?;
        let limit = parse_duration(fields[3]).ok_or_else(|| {
            error(
                file,
                line,
                "limit",
                format!("expected a limit H:MM, found {:?}", fields[3]),
            )
        })?;
        if fields[0].is_empty() || fields[4].is_empty() {
            let field = if fields[0].is_empty() {
                "name"
            } else {
                "source"
            };
            return Err(error(file, line, field, "must not be empty"));
        }
        limits.push(CumulativeLimit {
            name: fields[0].to_string(),
            measure,
            window,
            limit,
            rule: fields[4].to_string(),
        });
    }
    Ok(limits)
}

/// A parameter list: named single values with their sources.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parameters {
    file: String,
    /// (line, name, value, source) in file order.
    entries: Vec<(usize, String, String, String)>,
}

impl Parameters {
    pub fn parse(file: &str, text: &str) -> Result<Parameters, TableError> {
        let mut lines = data_lines(text);
        let (_, names) = header(file, &mut lines, &["name", "value", "source"], &[])?;
        let mut entries: Vec<(usize, String, String, String)> = Vec::new();
        for (line, fields) in lines {
            if fields.len() != names.len() {
                return Err(error(
                    file,
                    line,
                    "row",
                    format!("expected {} fields, found {}", names.len(), fields.len()),
                ));
            }
            if let Some(first) = entries.iter().find(|e| e.1 == fields[0]) {
                return Err(error(
                    file,
                    line,
                    "name",
                    format!("{:?} is already set on line {}", fields[0], first.0),
                ));
            }
            if fields[2].is_empty() {
                return Err(error(
                    file,
                    line,
                    "source",
                    "every value must cite where it comes from",
                ));
            }
            entries.push((
                line,
                fields[0].to_string(),
                fields[1].to_string(),
                fields[2].to_string(),
            ));
        }
        Ok(Parameters {
            file: file.to_string(),
            entries,
        })
    }

    fn entry(&self, name: &str) -> Result<&(usize, String, String, String), TableError> {
        self.entries.iter().find(|e| e.1 == name).ok_or_else(|| {
            error(
                &self.file,
                0,
                name,
                "missing: the rule set needs this value",
            )
        })
    }

    /// A span `H:MM` and its source.
    pub fn minutes(&self, name: &str) -> Result<(Minutes, String), TableError> {
        let (line, _, value, source) = self.entry(name)?;
        parse_duration(value)
            .map(|m| (m, source.clone()))
            .ok_or_else(|| {
                error(
                    &self.file,
                    *line,
                    "value",
                    format!("{name}: expected H:MM, found {value:?}"),
                )
            })
    }

    /// A clock time `HH:MM` as a minute of the day, and its source.
    pub fn clock(&self, name: &str) -> Result<(i64, String), TableError> {
        let (line, _, value, source) = self.entry(name)?;
        parse_clock(value)
            .map(|m| (m, source.clone()))
            .ok_or_else(|| {
                error(
                    &self.file,
                    *line,
                    "value",
                    format!("{name}: expected a clock time HH:MM, found {value:?}"),
                )
            })
    }

    /// A plain number and its source.
    pub fn number(&self, name: &str) -> Result<(f64, String), TableError> {
        let (line, _, value, source) = self.entry(name)?;
        value
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .map(|v| (v, source.clone()))
            .ok_or_else(|| {
                error(
                    &self.file,
                    *line,
                    "value",
                    format!("{name}: expected a number, found {value:?}"),
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "# a comment\nfrom,to,1,2+,status,source\n00:00,11:59,9:00,8:30,verified,here\n\n12:00,23:59,10:00,n/a,unverified,there\n";

    #[test]
    fn a_band_table_reads_bands_cells_and_status() {
        let t = BandTable::parse("t.csv", GOOD).unwrap();
        assert_eq!(t.columns, vec!["1", "2+"]);
        assert_eq!(t.row_at(11 * 60 + 59).cells[1], Some(Minutes(510)));
        assert_eq!(t.row_at(12 * 60).cells[1], None);
        assert_eq!(t.row_at(12 * 60).verification, Verification::Unverified);
        assert_eq!(t.row_at(12 * 60).line, 5);
        assert_eq!(&*t.row_at(-1).label, "12:00-23:59");
        let cols = t.segment_columns("segment").unwrap();
        assert_eq!((cols.column(0), cols.column(1), cols.column(9)), (0, 0, 1));
        assert_eq!(&*cols.describe(1), "2 or more segments");
    }

    #[test]
    fn a_band_may_wrap_past_midnight() {
        let text =
            "from,to,1,status,source\n17:00,04:59,11:00,verified,x\n05:00,16:59,13:00,verified,y\n";
        let t = BandTable::parse("w.csv", text).unwrap();
        assert_eq!(t.row_at(2 * 60).cells[0], Some(Minutes(660)));
        assert_eq!(&*t.row_at(23 * 60).label, "17:00-04:59");
    }

    fn band_error(text: &str) -> TableError {
        BandTable::parse("bad.csv", text).expect_err("the table must be refused")
    }

    #[test]
    fn a_malformed_cell_names_file_line_and_column() {
        let e = band_error(&GOOD.replace("8:30", "8h30"));
        assert_eq!(
            (e.file.as_str(), e.line, e.field.as_str()),
            ("bad.csv", 3, "2+")
        );
        assert!(e.to_string().starts_with("bad.csv:3: field `2+`:"), "{e}");
    }

    #[test]
    fn bands_that_overlap_or_leave_a_gap_are_refused() {
        let e = band_error(&GOOD.replace("12:00,23:59", "11:00,23:59"));
        assert_eq!((e.line, e.field.as_str()), (5, "from"));
        assert!(e.problem.contains("overlaps"), "{e}");
        let e = band_error(&GOOD.replace("12:00,23:59", "13:00,23:59"));
        assert!(e.problem.contains("12:00-12:59"), "{e}");
    }

    #[test]
    fn bad_status_bad_clock_and_short_rows_are_refused() {
        assert_eq!(
            band_error(&GOOD.replace(",verified,", ",checked,")).field,
            "status"
        );
        assert_eq!(band_error(&GOOD.replace("11:59", "11:60")).field, "to");
        assert_eq!(band_error(&GOOD.replace(",here", "")).field, "row");
        assert_eq!(band_error("from,to,status,source\n").field, "header");
        assert_eq!(band_error("").field, "header");
    }

    #[test]
    fn cumulative_limits_and_parameters_name_the_bad_field() {
        let ok = "name,measure,window,limit,source\nx,duty,rolling-hours:168,60:00,r\ny,flight_time,calendar-year,900:00,s\n";
        let limits = parse_cumulative("c.csv", ok).unwrap();
        assert_eq!(limits[0].window, Window::Rolling(Minutes::hours(168)));
        assert_eq!(limits[1].window, Window::CalendarYear);
        let e = parse_cumulative("c.csv", &ok.replace("rolling-hours", "rolling")).unwrap_err();
        assert_eq!((e.line, e.field.as_str()), (2, "window"));
        let e = parse_cumulative("c.csv", &ok.replace(",duty,", ",duties,")).unwrap_err();
        assert_eq!(e.field, "measure");

        let p = Parameters::parse("p.csv", "name,value,source\na,10:00,r\nb,60,s\nc,22:00,t\n")
            .unwrap();
        assert_eq!(p.minutes("a").unwrap().0, Minutes::hours(10));
        assert_eq!(p.number("b").unwrap().0, 60.0);
        assert_eq!(p.clock("c").unwrap().0, 22 * 60);
        assert_eq!(p.minutes("b").unwrap_err().line, 3);
        let missing = p.minutes("z").unwrap_err();
        assert_eq!((missing.line, missing.field.as_str()), (0, "z"));
        assert!(missing.to_string().contains("missing"), "{missing}");
        let e = Parameters::parse("p.csv", "name,value,source\na,1:00,r\na,2:00,r\n").unwrap_err();
        assert!(e.problem.contains("line 2"), "{e}");
    }
}
