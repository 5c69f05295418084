//! Reading a foreign CSV file by column name, with errors that say file, line, column, field, value and what
//! was expected. The importers use it; the native format has its own faster reader.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::DatasetError;

pub(crate) struct CsvTable<R: Read> {
    reader: csv::Reader<CrLfAsLf<R>>,
    file: PathBuf,
    columns: HashMap<String, usize>,
    record: csv::StringRecord,
    /// Records read so far, bounded by `limits::MAX_RECORDS`.
    records: u64,
}

/// Reads `R` with every CR that ends a line (CR LF) dropped. The csv reader counts the lines of a CRLF file
/// one short (its records report line 1 for the first record after the header), so every error of a file
/// saved on Windows would name the wrong line; reading it as LF fixes the count and changes no field (a CR
/// LF inside a quoted field becomes LF).
pub(crate) struct CrLfAsLf<R> {
    inner: R,
    /// A CR read at the end of the last chunk, not yet known to end a line.
    pending_cr: bool,
    out: std::collections::VecDeque<u8>,
    eof: bool,
}

impl<R: Read> CrLfAsLf<R> {
    fn new(inner: R) -> CrLfAsLf<R> {
        CrLfAsLf {
            inner,
            pending_cr: false,
            out: std::collections::VecDeque::new(),
            eof: false,
        }
    }
}

impl<R: Read> Read for CrLfAsLf<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.out.is_empty() && !self.eof {
            let mut chunk = [0u8; 8192];
            let n = self.inner.read(&mut chunk)?;
            if n == 0 {
                self.eof = true;
                if self.pending_cr {
                    self.out.push_back(b'\r');
                    self.pending_cr = false;
                }
                break;
            }
            for &b in &chunk[..n] {
                if self.pending_cr && b != b'\n' {
                    self.out.push_back(b'\r');
                }
                self.pending_cr = b == b'\r';
                if !self.pending_cr {
                    self.out.push_back(b);
                }
            }
        }
        let n = buf.len().min(self.out.len());
        for (slot, b) in buf.iter_mut().zip(self.out.drain(..n)) {
            *slot = b;
        }
        Ok(n)
    }
}

/// One record of a `CsvTable`, borrowed until the next is read.
pub(crate) struct Row<'a> {
    record: &'a csv::StringRecord,
    columns: &'a HashMap<String, usize>,
    file: &'a Path,
    pub line: u64,
}

impl<R: Read> CsvTable<R> {
    /// Opens a table and checks that every `required` column is in its header.
    pub fn open(reader: R, file: &Path, required: &[&str]) -> Result<CsvTable<R>, DatasetError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(CrLfAsLf::new(reader));
        let header = reader.headers().map_err(|e| csv_error(file, e))?.clone();
        let columns: HashMap<String, usize> = header
            .iter()
            .enumerate()
            .map(|(i, name)| (name.trim().to_string(), i))
            .collect();
        let table = CsvTable {
            reader,
            file: file.to_path_buf(),
            columns,
            record: csv::StringRecord::new(),
            records: 0,
        };
        for name in required {
            table.column(name)?;
        }
        Ok(table)
    }

    fn column(&self, name: &str) -> Result<usize, DatasetError> {
        self.columns
            .get(name)
            .copied()
            .ok_or_else(|| DatasetError::File {
                file: self.file.clone(),
                message: format!("the header has no column `{name}`"),
            })
    }

    /// Makes `name` refer to the first of `alternatives` the header has (data sources rename columns
    /// between releases).
    pub fn alias(&mut self, name: &str, alternatives: &[&str]) -> Result<(), DatasetError> {
        let found = alternatives
            .iter()
            .find_map(|a| self.columns.get(*a).copied());
        match found {
            Some(i) => {
                self.columns.insert(name.to_string(), i);
                Ok(())
            }
            None => Err(DatasetError::File {
                file: self.file.clone(),
                message: format!(
                    "the header has none of the columns {}",
                    alternatives.join(", ")
                ),
            }),
        }
    }

    pub fn next_row(&mut self) -> Result<Option<Row<'_>>, DatasetError> {
        match self.reader.read_record(&mut self.record) {
            Ok(false) => Ok(None),
            Ok(true) => {
                let line = self.record.position().map_or(0, |p| p.line());
                self.records += 1;
                if self.records > crate::limits::MAX_RECORDS {
                    return Err(DatasetError::Record {
                        file: self.file.clone(),
                        line,
                        message: format!(
                            "more than {} records, the most a table may hold",
                            crate::limits::MAX_RECORDS
                        ),
                    });
                }
                Ok(Some(Row {
                    record: &self.record,
                    columns: &self.columns,
                    file: &self.file,
                    line,
                }))
            }
            Err(e) => Err(csv_error(&self.file, e)),
        }
    }
}

pub(crate) fn csv_error(file: &Path, e: csv::Error) -> DatasetError {
    let line = e.position().map_or(0, |p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("expected {expected_len} fields, found {len} (a truncated or broken line?)")
        }
        csv::ErrorKind::Io(io) => {
            return DatasetError::io(file, std::io::Error::new(io.kind(), io.to_string()))
        }
        csv::ErrorKind::Utf8 { .. } => "the line is not valid UTF-8".to_string(),
        other => format!("{other:?}"),
    };
    DatasetError::Record {
        file: file.to_path_buf(),
        line,
        message,
    }
}

impl Row<'_> {
    fn index(&self, field: &str) -> usize {
        *self
            .columns
            .get(field)
            .unwrap_or_else(|| panic!("column `{field}` is checked when the table is opened"))
    }

    pub fn text(&self, field: &str) -> Result<&str, DatasetError> {
        Ok(self.record.get(self.index(field)).unwrap_or("").trim())
    }

    /// The field's text, which must not be empty.
    pub fn required_text(&self, field: &str, expected: &str) -> Result<String, DatasetError> {
        self.parse_with(field, expected, |s| (!s.is_empty()).then(|| s.to_string()))
    }

    /// The error for `field` of this row: its value was not what `expected` says.
    pub fn error(&self, field: &str, expected: impl Into<String>) -> DatasetError {
        let column = self.index(field);
        DatasetError::Field {
            file: self.file.to_path_buf(),
            line: self.line,
            column: column + 1,
            field: field.to_string(),
            value: self.record.get(column).unwrap_or("").to_string(),
            expected: expected.into(),
        }
    }

    pub fn parse_with<T>(
        &self,
        field: &str,
        expected: &str,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Result<T, DatasetError> {
        let text = self.text(field)?;
        parse(text).ok_or_else(|| self.error(field, format!("expected {expected}")))
    }

    /// Like `parse_with`, but an empty value or one of `missing` (such as `NA`) is `None`.
    pub fn optional_with<T>(
        &self,
        field: &str,
        expected: &str,
        missing: &[&str],
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Result<Option<T>, DatasetError> {
        let text = self.text(field)?;
        if text.is_empty() || missing.contains(&text) {
            return Ok(None);
        }
        parse(text).map(Some).ok_or_else(|| {
            self.error(
                field,
                format!(
                    "expected {expected} or {}",
                    if missing.is_empty() {
                        "an empty field".to_string()
                    } else {
                        missing.join("/")
                    }
                ),
            )
        })
    }
}

#[cfg(test)]
mod line_tests {
    use super::*;

    fn lines_of(text: &str) -> Vec<u64> {
        let mut t = CsvTable::open(text.as_bytes(), Path::new("t.csv"), &["a"]).unwrap();
        let mut out = Vec::new();
        while let Some(row) = t.next_row().unwrap() {
            out.push(row.line);
        }
        out
    }

    #[test]
    fn record_lines_are_the_same_with_crlf_and_lf() {
        assert_eq!(lines_of("a,b\n1,2\n3,4\n"), vec![2, 3]);
        assert_eq!(lines_of("a,b\r\n1,2\r\n3,4\r\n"), vec![2, 3]);
        // A lone CR stays, a CR LF split across chunks still reads as LF, and a last line without an end reads.
        assert_eq!(lines_of("a,b\r\n1,2\r\n3,4"), vec![2, 3]);
    }

    #[test]
    fn only_line_ending_carriage_returns_are_dropped() {
        let read = |text: &[u8]| {
            let mut out = Vec::new();
            CrLfAsLf::new(text).read_to_end(&mut out).unwrap();
            out
        };
        assert_eq!(read(b"a\r\nb\rc\r"), b"a\nb\rc\r".to_vec());
        let mut long = vec![b'x'; 8191];
        long.extend_from_slice(b"\r\ny");
        let mut expected = vec![b'x'; 8191];
        expected.extend_from_slice(b"\ny");
        assert_eq!(read(&long), expected);
    }
}
