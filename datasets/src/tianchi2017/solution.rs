//! The contest's solution file (card §3): header-less CSV, one line per flight of the revised plan; 9
//! columns in season 1, 11 in season 2 (sign-change flag and `target:count&target:count`). Times are
//! `yyyy/MM/dd HH:mm` (read also without zero padding, as some contestants wrote them).

use std::path::Path;

use ucodts_model::tianchi2017::{PlanLine, Season, TyphoonPlan};
use ucodts_model::{Date, UtcMinute};

use crate::DatasetError;

/// The most lines a solution may hold (a plan has one per flight and ferry).
const MAX_LINES: usize = 1_000_000;

fn columns(season: Season) -> usize {
    match season {
        Season::One => 9,
        Season::Two => 11,
    }
}

fn format_time(t: UtcMinute) -> String {
    let (date, m) = t.date_minute();
    let iso = date.to_string();
    format!(
        "{}/{}/{} {:02}:{:02}",
        &iso[0..4],
        &iso[5..7],
        &iso[8..10],
        m / 60,
        m % 60
    )
}

fn parse_time(text: &str) -> Option<UtcMinute> {
    let (date, clock) = text.trim().split_once(' ')?;
    let mut d = date.split('/');
    let y: i32 = d.next()?.parse().ok()?;
    let mo: u8 = d.next()?.parse().ok()?;
    let day: u8 = d.next()?.parse().ok()?;
    if d.next().is_some() {
        return None;
    }
    let (h, m) = clock.trim().split_once(':')?;
    let h: i64 = h.parse().ok()?;
    let m: i64 = m.parse().ok()?;
    if !(0..24).contains(&h) || !(0..60).contains(&m) {
        return None;
    }
    let t = UtcMinute::from_date_minute(Date::new(y, mo, day)?, h * 60 + m);
    t.is_in_range().then_some(t)
}

/// The plan as the contest's solution file for `season`.
pub fn format_solution(plan: &TyphoonPlan, season: Season) -> String {
    let mut out = String::new();
    let flag = |b: bool| if b { '1' } else { '0' };
    for l in &plan.lines {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{}",
            l.flight,
            l.from,
            l.to,
            format_time(l.departure),
            format_time(l.arrival),
            l.aircraft,
            flag(l.cancelled),
            flag(l.straightened),
            flag(l.ferry)
        ));
        if season == Season::Two {
            let detail: Vec<String> = l
                .sign_changes
                .iter()
                .map(|(t, n)| format!("{t}:{n}"))
                .collect();
            out.push_str(&format!(
                ",{},{}",
                flag(!l.sign_changes.is_empty()),
                detail.join("&")
            ));
        }
        out.push('\n');
    }
    out
}

/// Writes the solution file through a temporary file beside it, so a reader never sees half of it.
pub fn write_solution(plan: &TyphoonPlan, season: Season, file: &Path) -> Result<(), DatasetError> {
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| DatasetError::io(dir, e))?;
    }
    let tmp = file.with_extension("csv.tmp");
    std::fs::write(&tmp, format_solution(plan, season)).map_err(|e| DatasetError::io(&tmp, e))?;
    std::fs::rename(&tmp, file).map_err(|e| DatasetError::io(file, e))
}

/// Reads a solution file of `season`.
pub fn read_solution(file: &Path, season: Season) -> Result<TyphoonPlan, DatasetError> {
    let bytes = crate::limits::read(file).map_err(|e| DatasetError::io(file, e))?;
    parse_solution(&bytes, file, season)
}

/// Parses the bytes of a solution file (`file` names it in errors).
pub fn parse_solution(
    bytes: &[u8],
    file: &Path,
    season: Season,
) -> Result<TyphoonPlan, DatasetError> {
    let text = std::str::from_utf8(bytes).map_err(|e| DatasetError::File {
        file: file.to_path_buf(),
        message: format!("not UTF-8 text (byte {})", e.valid_up_to()),
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let want = columns(season);
    const NAMES: [&str; 11] = [
        "flight id",
        "departure airport",
        "arrival airport",
        "departure time",
        "arrival time",
        "aircraft id",
        "cancelled",
        "straightened",
        "ferry",
        "sign-change",
        "sign-change detail",
    ];
    let mut lines = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i as u64 + 1;
        let raw = raw.trim_end_matches('\r');
        if raw.trim().is_empty() {
            continue;
        }
        if lines.len() >= MAX_LINES {
            return Err(DatasetError::Record {
                file: file.to_path_buf(),
                line,
                message: format!("more than {MAX_LINES} lines, the most a solution may hold"),
            });
        }
        let fields: Vec<&str> = raw.split(',').map(str::trim).collect();
        if fields.len() != want {
            return Err(DatasetError::Record {
                file: file.to_path_buf(),
                line,
                message: format!(
                    "expected {want} comma-separated fields (season {}), found {}",
                    season.number(),
                    fields.len()
                ),
            });
        }
        let err = |k: usize, expected: &str| DatasetError::Field {
            file: file.to_path_buf(),
            line,
            column: k + 1,
            field: NAMES[k].to_string(),
            value: fields[k].to_string(),
            expected: expected.to_string(),
        };
        let id = |k: usize| {
            fields[k]
                .parse::<u32>()
                .ok()
                .filter(|v| *v >= 1)
                .ok_or_else(|| err(k, "a whole number from 1"))
        };
        let time =
            |k: usize| parse_time(fields[k]).ok_or_else(|| err(k, "a time yyyy/MM/dd HH:mm"));
        let flag = |k: usize| match fields[k] {
            "0" => Ok(false),
            "1" => Ok(true),
            _ => Err(err(k, "0 or 1")),
        };
        let mut l = PlanLine {
            flight: id(0)?,
            from: id(1)?,
            to: id(2)?,
            departure: time(3)?,
            arrival: time(4)?,
            aircraft: id(5)?,
            cancelled: flag(6)?,
            straightened: flag(7)?,
            ferry: flag(8)?,
            sign_changes: Vec::new(),
        };
        if l.arrival < l.departure {
            return Err(err(4, "a time not before the departure time"));
        }
        if season == Season::Two {
            let flagged = flag(9)?;
            if !fields[10].is_empty() {
                for part in fields[10].split('&') {
                    let parsed = part.split_once(':').and_then(|(t, n)| {
                        Some((t.trim().parse::<u32>().ok()?, n.trim().parse::<u32>().ok()?))
                    });
                    match parsed {
                        Some((t, n)) if t >= 1 && n <= 100_000 => l.sign_changes.push((t, n)),
                        _ => {
                            return Err(err(
                                10,
                                "targetFlightId:passengers joined by &, e.g. 2:53&84:44",
                            ))
                        }
                    }
                }
            }
            if flagged == l.sign_changes.is_empty() {
                return Err(err(9, "1 exactly when the sign-change detail is not empty"));
            }
        }
        lines.push(l);
    }
    Ok(TyphoonPlan { lines })
}
