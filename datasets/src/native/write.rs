//! Writing a schedule's tables as CSV. Fields go straight from the model into a buffered file, with no
//! intermediate strings; a value the format cannot hold exactly (a NaN, a year past 9999, an empty optional
//! text) is refused rather than written changed.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use ucodts_model::{Schedule, Table, UtcMinute};

use super::schema::{self, QUALIFICATION_SEPARATOR};
use crate::DatasetError;

/// The earliest and latest instants with a four-digit year, the range `YYYY-MM-DDTHH:MMZ` can hold.
const FIRST_MINUTE: i64 = -62_167_219_200 / 60; // 0000-01-01T00:00Z
const LAST_MINUTE: i64 = 253_402_300_799 / 60; // 9999-12-31T23:59Z

/// Writes every table of `schedule` into `dir` (which exists and is empty); returns each table's row count
/// in `Table::ALL` order. Errors name `shown_dir`, where the files will end up.
pub(super) fn write_tables(
    schedule: &Schedule,
    dir: &Path,
    shown_dir: &Path,
) -> Result<Vec<u64>, DatasetError> {
    let mut rows = Vec::with_capacity(Table::ALL.len());
    for table in Table::ALL {
        let mut w = CsvWriter::create(dir, shown_dir, table)?;
        write_table(schedule, table, &mut w)?;
        rows.push(w.finish()?);
    }
    Ok(rows)
}

fn write_table(schedule: &Schedule, table: Table, w: &mut CsvWriter) -> Result<(), DatasetError> {
    match table {
        Table::Airlines => {
            for a in schedule.airlines() {
                w.text(a.code.as_str())?;
                w.text(&a.name)?;
                w.end_row()?;
            }
        }
        Table::Airports => {
            for a in schedule.airports() {
                w.text(a.code.as_str())?;
                w.opt_text(a.icao.as_deref())?;
                w.text(&a.name)?;
                w.float(a.latitude_deg)?;
                w.float(a.longitude_deg)?;
                w.text(a.time_zone.name())?;
                w.end_row()?;
            }
        }
        Table::AircraftTypes => {
            for t in schedule.aircraft_types() {
                w.text(t.code.as_str())?;
                w.text(&t.family)?;
                w.uint(u64::from(t.seats))?;
                w.int(t.min_turn.0)?;
                w.end_row()?;
            }
        }
        Table::Aircraft => {
            for a in schedule.aircraft() {
                w.text(a.tail.as_str())?;
                w.text(a.type_code.as_str())?;
                w.text(a.carrier.as_str())?;
                w.text(a.base.as_str())?;
                w.opt_time(a.maintenance_due)?;
                w.end_row()?;
            }
        }
        Table::Crew => {
            for c in schedule.crew() {
                w.text(c.id.as_str())?;
                w.text(c.airline.as_str())?;
                w.text(c.rank.as_str())?;
                w.text(c.base.as_str())?;
                w.qualifications(c.qualifications.iter().map(|q| q.as_str()))?;
                w.text(c.home_zone.name())?;
                w.end_row()?;
            }
        }
        Table::Legs => {
            for l in schedule.legs() {
                w.uint(u64::from(l.id.0))?;
                w.text(l.carrier.as_str())?;
                w.opt_uint(l.flight_number.map(u64::from))?;
                w.text(l.origin.as_str())?;
                w.text(l.destination.as_str())?;
                w.time(l.scheduled_out)?;
                w.time(l.scheduled_in)?;
                for times in [&l.estimated, &l.actual] {
                    w.opt_time(times.gate_out)?;
                    w.opt_time(times.takeoff)?;
                    w.opt_time(times.landing)?;
                    w.opt_time(times.gate_in)?;
                }
                w.opt_text(l.tail.as_ref().map(|t| t.as_str()))?;
                w.text(l.status.as_str())?;
                w.text(l.source.as_str())?;
                w.end_row()?;
            }
        }
        Table::Pairings => {
            for p in schedule.pairings() {
                w.uint(u64::from(p.id.0))?;
                w.text(p.airline.as_str())?;
                w.text(p.base.as_str())?;
                w.end_row()?;
            }
        }
        Table::Duties => {
            for p in schedule.pairings() {
                for (n, d) in (1u64..).zip(&p.duties) {
                    w.uint(u64::from(p.id.0))?;
                    w.uint(n)?;
                    w.time(d.report)?;
                    w.time(d.release)?;
                    w.end_row()?;
                }
            }
        }
        Table::DutyLegs => {
            for p in schedule.pairings() {
                for (n, d) in (1u64..).zip(&p.duties) {
                    for (seq, s) in (1u64..).zip(&d.segments) {
                        w.uint(u64::from(p.id.0))?;
                        w.uint(n)?;
                        w.uint(seq)?;
                        w.uint(u64::from(s.leg.0))?;
                        w.text(s.kind.as_str())?;
                        w.end_row()?;
                    }
                }
            }
        }
        Table::Rosters => {
            for r in schedule.rosters() {
                w.text(r.crew.as_str())?;
                w.uint(u64::from(r.pairing.0))?;
                w.end_row()?;
            }
        }
        Table::Weather => {
            for o in schedule.weather() {
                w.text(o.airport.as_str())?;
                w.time(o.time)?;
                w.opt_float(o.temperature_f)?;
                w.opt_float(o.dewpoint_f)?;
                w.opt_float(o.humidity_pct)?;
                w.opt_uint(o.wind_direction_deg.map(u64::from))?;
                w.opt_float(o.wind_speed_mph)?;
                w.opt_float(o.wind_gust_mph)?;
                w.opt_float(o.precipitation_in)?;
                w.opt_float(o.pressure_mb)?;
                w.opt_float(o.visibility_mi)?;
                w.end_row()?;
            }
        }
    }
    Ok(())
}

/// One CSV file being written, field by field in schema order.
struct CsvWriter {
    out: BufWriter<File>,
    /// Where the file is written (inside the temporary folder).
    path: PathBuf,
    /// Where the file will end up: the path errors name.
    shown: PathBuf,
    columns: &'static [&'static str],
    /// The line being written, 1-based (the header is line 1).
    line: u64,
    /// Fields already written on this line.
    column: usize,
}

impl CsvWriter {
    fn create(dir: &Path, shown_dir: &Path, table: Table) -> Result<CsvWriter, DatasetError> {
        let name = schema::file_name(table);
        let path = dir.join(&name);
        let file = File::create(&path).map_err(|e| DatasetError::io(&path, e))?;
        let mut w = CsvWriter {
            out: BufWriter::with_capacity(1 << 16, file),
            path,
            shown: shown_dir.join(name),
            columns: schema::columns(table),
            line: 1,
            column: 0,
        };
        for c in w.columns {
            w.text(c)?;
        }
        w.end_row()?;
        Ok(w)
    }

    fn put(&mut self, bytes: &[u8]) -> Result<(), DatasetError> {
        self.out
            .write_all(bytes)
            .map_err(|e| DatasetError::io(&self.path, e))
    }

    /// Starts the next field: a comma before every field but the first.
    fn separate(&mut self) -> Result<(), DatasetError> {
        debug_assert!(
            self.column < self.columns.len(),
            "a row of {} has more fields than columns",
            self.shown.display()
        );
        self.column += 1;
        if self.column > 1 {
            self.put(b",")?;
        }
        Ok(())
    }

    fn refuse(&self, value: impl ToString, expected: &str) -> DatasetError {
        DatasetError::Field {
            file: self.shown.clone(),
            line: self.line,
            column: self.column,
            field: self.columns[self.column - 1].into(),
            value: value.to_string(),
            expected: format!("cannot be written: {expected}"),
        }
    }

    fn text(&mut self, s: &str) -> Result<(), DatasetError> {
        self.separate()?;
        self.raw_text(s)
    }

    /// Quotes a field only if it must be quoted, doubling the quotes inside, the way RFC 4180 readers expect.
    fn raw_text(&mut self, s: &str) -> Result<(), DatasetError> {
        if !s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
            return self.put(s.as_bytes());
        }
        self.put(b"\"")?;
        for (i, part) in s.split('"').enumerate() {
            if i > 0 {
                self.put(b"\"\"")?;
            }
            self.put(part.as_bytes())?;
        }
        self.put(b"\"")
    }

    fn opt_text(&mut self, s: Option<&str>) -> Result<(), DatasetError> {
        self.separate()?;
        match s {
            None => Ok(()),
            Some("") => Err(self.refuse(
                "",
                "an empty text reads back as no value; store None instead",
            )),
            Some(s) => self.raw_text(s),
        }
    }

    fn qualifications<'a>(
        &mut self,
        codes: impl Iterator<Item = &'a str>,
    ) -> Result<(), DatasetError> {
        self.separate()?;
        let mut list = String::new();
        for code in codes {
            if code.is_empty() || code.contains(QUALIFICATION_SEPARATOR) {
                return Err(self.refuse(
                    code,
                    "a type code in a crew member's qualifications must be non-empty and free of `;`",
                ));
            }
            if !list.is_empty() {
                list.push(QUALIFICATION_SEPARATOR);
            }
            list.push_str(code);
        }
        self.raw_text(&list)
    }

    fn uint(&mut self, v: u64) -> Result<(), DatasetError> {
        self.separate()?;
        self.raw_uint(v)
    }

    fn raw_uint(&mut self, mut v: u64) -> Result<(), DatasetError> {
        let mut buf = [0u8; 20];
        let mut at = buf.len();
        loop {
            at -= 1;
            buf[at] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        self.put(&buf[at..])
    }

    fn opt_uint(&mut self, v: Option<u64>) -> Result<(), DatasetError> {
        self.separate()?;
        match v {
            None => Ok(()),
            Some(v) => self.raw_uint(v),
        }
    }

    fn int(&mut self, v: i64) -> Result<(), DatasetError> {
        self.separate()?;
        if v < 0 {
            self.put(b"-")?;
        }
        self.raw_uint(v.unsigned_abs())
    }

    fn float(&mut self, v: f64) -> Result<(), DatasetError> {
        self.separate()?;
        self.raw_float(v)
    }

    fn raw_float(&mut self, v: f64) -> Result<(), DatasetError> {
        if !v.is_finite() {
            return Err(self.refuse(v, "expected a finite number"));
        }
        // `{}` prints the shortest decimal that parses back to the same f64.
        write!(self.out, "{v}").map_err(|e| DatasetError::io(&self.path, e))
    }

    fn opt_float(&mut self, v: Option<f64>) -> Result<(), DatasetError> {
        self.separate()?;
        match v {
            None => Ok(()),
            Some(v) => self.raw_float(v),
        }
    }

    fn time(&mut self, t: UtcMinute) -> Result<(), DatasetError> {
        self.separate()?;
        self.raw_time(t)
    }

    /// `YYYY-MM-DDTHH:MMZ`, the form `UtcMinute::parse` reads.
    fn raw_time(&mut self, t: UtcMinute) -> Result<(), DatasetError> {
        if !(FIRST_MINUTE..=LAST_MINUTE).contains(&t.0) {
            return Err(self.refuse(
                t.0,
                "expected a time in the years 0000 to 9999 (minutes since 1970)",
            ));
        }
        let (date, minute) = t.date_minute();
        let two = |v: u32| [b'0' + (v / 10) as u8, b'0' + (v % 10) as u8];
        let year = date.year as u32;
        let mut buf = [0u8; 17];
        buf[0..2].copy_from_slice(&two(year / 100));
        buf[2..4].copy_from_slice(&two(year % 100));
        buf[4] = b'-';
        buf[5..7].copy_from_slice(&two(u32::from(date.month)));
        buf[7] = b'-';
        buf[8..10].copy_from_slice(&two(u32::from(date.day)));
        buf[10] = b'T';
        buf[11..13].copy_from_slice(&two((minute / 60) as u32));
        buf[13] = b':';
        buf[14..16].copy_from_slice(&two((minute % 60) as u32));
        buf[16] = b'Z';
        self.put(&buf)
    }

    fn opt_time(&mut self, t: Option<UtcMinute>) -> Result<(), DatasetError> {
        self.separate()?;
        match t {
            None => Ok(()),
            Some(t) => self.raw_time(t),
        }
    }

    fn end_row(&mut self) -> Result<(), DatasetError> {
        debug_assert_eq!(
            self.column,
            self.columns.len(),
            "a row of {} must have one field per column",
            self.shown.display()
        );
        self.put(b"\n")?;
        self.line += 1;
        self.column = 0;
        Ok(())
    }

    /// Flushes the file to disk; returns the number of data rows written.
    fn finish(self) -> Result<u64, DatasetError> {
        let rows = self.line - 2;
        let file = self
            .out
            .into_inner()
            .map_err(|e| DatasetError::io(&self.path, e.into_error()))?;
        file.sync_all()
            .map_err(|e| DatasetError::io(&self.path, e))?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_limits_are_the_four_digit_years() {
        assert_eq!(UtcMinute(FIRST_MINUTE).to_string(), "0000-01-01T00:00Z");
        assert_eq!(UtcMinute(LAST_MINUTE).to_string(), "9999-12-31T23:59Z");
    }

    #[test]
    fn times_are_written_as_utc_minute_displays_them() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = CsvWriter::create(dir.path(), dir.path(), Table::Rosters).unwrap();
        for t in [FIRST_MINUTE, -1, 0, 22_814_535, LAST_MINUTE] {
            let start = w.out.buffer().len();
            w.time(UtcMinute(t)).unwrap();
            w.uint(0).unwrap();
            let written = w.out.buffer()[start..start + 17].to_vec();
            assert_eq!(
                String::from_utf8(written).unwrap(),
                UtcMinute(t).to_string()
            );
            w.end_row().unwrap();
        }
    }
}
