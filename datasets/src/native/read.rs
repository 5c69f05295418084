//! Reading a native data set back: every file is parsed whole, field by field from byte records, then the
//! tables go to `Schedule::new`. A field that does not parse stops the load with its file, line and column; a
//! model inconsistency is traced back to the line and column it came from.

use std::collections::BTreeMap;
use std::fmt::Display;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use csv::ByteRecord;
use ucodts_model::{
    Aircraft, AircraftType, Airline, Airport, AirportCode, CarrierCode, CrewId, CrewMember, Duty,
    Leg, LegId, LegSource, LegStatus, Minutes, ModelError, OutOffOnIn, Pairing, PairingId, Rank,
    RosterAssignment, Schedule, ScheduleParts, Segment, SegmentKind, Table, TailId, TimeZone,
    TypeCode, UtcMinute, WeatherObservation,
};

use super::manifest::{read_manifest_in, Manifest, MANIFEST_FILE};
use super::schema::{self, QUALIFICATION_SEPARATOR};
use crate::DatasetError;

/// Reads the whole data set in `dir` and checks it as one `Schedule`.
pub(super) fn load(dir: &Path) -> Result<Schedule, DatasetError> {
    let Snapshot { manifest, files } = Snapshot::take(dir)?;
    let mut loader = Loader {
        dir,
        manifest: &manifest,
        files,
        tables: BTreeMap::new(),
    };
    let airlines = loader.read(Table::Airlines, |f| {
        Ok(Airline {
            code: CarrierCode(f.string()?),
            name: f.string()?,
        })
    })?;
    let airports = loader.read(Table::Airports, |f| {
        Ok(Airport {
            code: f.airport()?,
            icao: f.opt_string()?,
            name: f.string()?,
            latitude_deg: f.float()?,
            longitude_deg: f.float()?,
            time_zone: f.zone()?,
        })
    })?;
    let aircraft_types = loader.read(Table::AircraftTypes, |f| {
        Ok(AircraftType {
            code: TypeCode(f.string()?),
            family: f.string()?,
            seats: f.u16()?,
            min_turn: Minutes(f.int()?),
        })
    })?;
    let aircraft = loader.read(Table::Aircraft, |f| {
        Ok(Aircraft {
            tail: TailId(f.string()?),
            type_code: TypeCode(f.string()?),
            carrier: CarrierCode(f.string()?),
            base: f.airport()?,
            maintenance_due: f.opt_time()?,
        })
    })?;
    let crew = loader.read(Table::Crew, |f| {
        Ok(CrewMember {
            id: CrewId(f.string()?),
            airline: CarrierCode(f.string()?),
            rank: f.choice(|| Rank::ALL.map(Rank::as_str).to_vec())?,
            base: f.airport()?,
            qualifications: f.qualifications()?,
            home_zone: f.zone()?,
        })
    })?;
    let legs = loader.read(Table::Legs, |f| {
        Ok(Leg {
            id: LegId(f.u32()?),
            carrier: CarrierCode(f.string()?),
            flight_number: f.opt_u32()?,
            origin: f.airport()?,
            destination: f.airport()?,
            scheduled_out: f.time()?,
            scheduled_in: f.time()?,
            estimated: f.out_off_on_in()?,
            actual: f.out_off_on_in()?,
            tail: f.opt_string()?.map(TailId),
            status: f.choice(|| LegStatus::ALL.iter().map(|s| s.as_str()).collect())?,
            source: f.choice(|| LegSource::ALL.iter().map(|s| s.as_str()).collect())?,
        })
    })?;
    let mut pairings = loader.read(Table::Pairings, |f| {
        Ok(Pairing {
            id: PairingId(f.u32()?),
            airline: CarrierCode(f.string()?),
            base: f.airport()?,
            duties: Vec::new(),
        })
    })?;
    let duties = read_duties(&mut loader, &mut pairings)?;
    read_duty_legs(&mut loader, &mut pairings, &duties)?;
    let rosters = loader.read(Table::Rosters, |f| {
        Ok(RosterAssignment {
            crew: CrewId(f.string()?),
            pairing: PairingId(f.u32()?),
        })
    })?;
    let weather = loader.read(Table::Weather, |f| {
        Ok(WeatherObservation {
            airport: f.airport()?,
            time: f.time()?,
            temperature_f: f.opt_float()?,
            dewpoint_f: f.opt_float()?,
            humidity_pct: f.opt_float()?,
            wind_direction_deg: f.opt_u16()?,
            wind_speed_mph: f.opt_float()?,
            wind_gust_mph: f.opt_float()?,
            precipitation_in: f.opt_float()?,
            pressure_mb: f.opt_float()?,
            visibility_mi: f.opt_float()?,
        })
    })?;
    let parts = ScheduleParts {
        airlines,
        airports,
        aircraft_types,
        aircraft,
        crew,
        legs,
        pairings,
        rosters,
        weather,
    };
    Schedule::new(parts).map_err(|e| loader.locate(e))
}

/// Duty rows come pairing by pairing in the order of the pairings file, numbered 1, 2, ... within each
/// pairing, so that the n-th row is the n-th duty `Schedule::new` counts. Returns, per duty row, the index of
/// its pairing and its index within that pairing.
fn read_duties(
    loader: &mut Loader,
    pairings: &mut [Pairing],
) -> Result<Vec<(usize, usize)>, DatasetError> {
    let pairings_file = loader.manifest.file(Table::Pairings).file.clone();
    let mut current: Option<usize> = None;
    let mut duties = Vec::new();
    loader.read(Table::Duties, |f| {
        let id = PairingId(f.u32()?);
        let number = f.u32()?;
        let report = f.time()?;
        let release = f.time()?;
        let p = match current {
            Some(p) if pairings[p].id == id => p,
            _ => {
                let from = current.map_or(0, |p| p + 1);
                match pairings[from..].iter().position(|p| p.id == id) {
                    Some(k) => from + k,
                    None if pairings.iter().any(|p| p.id == id) => {
                        return Err(f.fail(
                            0,
                            id,
                            format!(
                                "expected duties grouped pairing by pairing, in the order of \
                                 {pairings_file}: this pairing's duties came earlier"
                            ),
                        ))
                    }
                    None => {
                        return Err(f.fail(
                            0,
                            id,
                            format!("expected a pairing id listed in {pairings_file}"),
                        ))
                    }
                }
            }
        };
        current = Some(p);
        let next = pairings[p].duties.len() as u64 + 1;
        if u64::from(number) != next {
            return Err(f.fail(
                1,
                number,
                format!(
                    "expected {next}: the duties of pairing {id} are numbered 1, 2, ... in order"
                ),
            ));
        }
        duties.push((p, pairings[p].duties.len()));
        pairings[p].duties.push(Duty {
            report,
            release,
            segments: Vec::new(),
        });
        Ok(())
    })?;
    Ok(duties)
}

/// Duty-leg rows come duty by duty in the order of the duties file, numbered 1, 2, ... within each duty, so
/// that the n-th row is the n-th segment `Schedule::new` counts.
fn read_duty_legs(
    loader: &mut Loader,
    pairings: &mut [Pairing],
    duties: &[(usize, usize)],
) -> Result<(), DatasetError> {
    let pairings_file = loader.manifest.file(Table::Pairings).file.clone();
    let duties_file = loader.manifest.file(Table::Duties).file.clone();
    let mut current: Option<usize> = None;
    loader.read(Table::DutyLegs, |f| {
        let id = PairingId(f.u32()?);
        let number = f.u32()?;
        let seq = f.u32()?;
        let leg = LegId(f.u32()?);
        let kind = f.choice(|| SegmentKind::ALL.iter().map(|k| k.as_str()).collect())?;
        let is_this = |k: usize| {
            let (p, d) = duties[k];
            pairings[p].id == id && d as u64 + 1 == u64::from(number)
        };
        let k = match current {
            Some(k) if is_this(k) => k,
            _ => {
                let from = current.map_or(0, |k| k + 1);
                match (from..duties.len()).find(|&k| is_this(k)) {
                    Some(k) => k,
                    None if !pairings.iter().any(|p| p.id == id) => {
                        return Err(f.fail(
                            0,
                            id,
                            format!("expected a pairing id listed in {pairings_file}"),
                        ))
                    }
                    None if (0..duties.len()).any(is_this) => {
                        return Err(f.fail(
                            1,
                            number,
                            format!(
                            "expected legs grouped duty by duty, in the order of {duties_file}: \
                                 the legs of duty {number} of pairing {id} came earlier"
                        ),
                        ))
                    }
                    None => {
                        return Err(f.fail(
                            1,
                            number,
                            format!("expected a duty of pairing {id} listed in {duties_file}"),
                        ))
                    }
                }
            }
        };
        current = Some(k);
        let (p, d) = duties[k];
        let segments = &mut pairings[p].duties[d].segments;
        let next = segments.len() as u64 + 1;
        if u64::from(seq) != next {
            return Err(f.fail(
                2,
                seq,
                format!("expected {next}: the legs of a duty are numbered 1, 2, ... in order"),
            ));
        }
        segments.push(Segment { leg, kind });
        Ok(())
    })?;
    Ok(())
}

/// What is kept of each file read, to trace a model error back to it.
struct TableFile {
    path: PathBuf,
    /// The header as found, to give a field its column.
    header: Vec<String>,
    lines: LineMap,
}

/// One generation of a data set: its manifest and every table file it lists, opened together, so that a
/// writer replacing the data set while it is read (`export-default`, `import`: a folder swap) can never give
/// a reader the legs of one generation and the weather of the next. The files are opened through a handle
/// on the folder (on Linux, `/proc/self/fd/N`), which keeps naming the folder that was opened even when the
/// path is swapped to a new one; once open, a file stays readable after the old folder is deleted. If the
/// old folder's files vanish between opening the folder and opening them (the writer deleting the
/// generation just swapped out), the newer generation is taken instead.
struct Snapshot {
    manifest: Manifest,
    files: BTreeMap<Table, std::io::Result<std::fs::File>>,
}

impl Snapshot {
    /// How many generations a reader tries before reporting what it found.
    const ATTEMPTS: usize = 5;

    fn take(dir: &Path) -> Result<Snapshot, DatasetError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let folder = std::fs::File::open(dir).ok();
            let root = folder.as_ref().and_then(handle_path);
            let root = root.as_deref().unwrap_or(dir);
            let manifest = read_manifest_in(root, dir);
            let swapped = || folder.as_ref().is_some_and(|f| !same_folder(f, dir));
            let manifest = match manifest {
                Ok(m) => m,
                Err(_) if attempt < Self::ATTEMPTS && swapped() => continue,
                Err(e) => return Err(e),
            };
            let files: BTreeMap<_, _> = manifest
                .files
                .iter()
                .map(|f| (f.table, crate::limits::open(&root.join(&f.file))))
                .collect();
            let vanished = files.values().any(|f| {
                f.as_ref()
                    .is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
            });
            if vanished && attempt < Self::ATTEMPTS && swapped() {
                continue;
            }
            return Ok(Snapshot { manifest, files });
        }
    }
}

/// A path that names the opened folder `f` itself rather than whatever its path names now.
fn handle_path(f: &std::fs::File) -> Option<PathBuf> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let path = PathBuf::from(format!("/proc/self/fd/{}", f.as_raw_fd()));
        if path.is_dir() {
            return Some(path);
        }
    }
    let _ = f;
    None
}

/// Whether `dir` still names the folder opened as `f` (false once a writer has swapped in another).
fn same_folder(f: &std::fs::File, dir: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (f.metadata(), std::fs::metadata(dir)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (f, dir);
        true
    }
}

struct Loader<'a> {
    dir: &'a Path,
    manifest: &'a Manifest,
    /// The snapshot's opened files, taken as each table is read.
    files: BTreeMap<Table, std::io::Result<std::fs::File>>,
    tables: BTreeMap<Table, TableFile>,
}

impl Loader<'_> {
    /// Reads every record of `table`'s file through `parse`, which takes the fields in schema order.
    fn read<T>(
        &mut self,
        table: Table,
        mut parse: impl FnMut(&mut Fields<'_>) -> Result<T, DatasetError>,
    ) -> Result<Vec<T>, DatasetError> {
        let entry = self.manifest.file(table);
        let path = self.dir.join(&entry.file);
        let opened = self
            .files
            .remove(&table)
            .expect("the snapshot opened every table the manifest lists");
        let file = match opened {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(DatasetError::File {
                    file: path,
                    message: format!("missing: {MANIFEST_FILE} lists it for the {table} table"),
                })
            }
            Err(e) => return Err(DatasetError::io(path, e)),
        };
        let file_len = file
            .metadata()
            .map_err(|e| DatasetError::io(&path, e))?
            .len();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(1 << 16)
            .from_reader(file);
        let columns = schema::columns(table);
        let mut record = ByteRecord::new();
        if !reader
            .read_byte_record(&mut record)
            .map_err(|e| csv_error(&path, e))?
        {
            return Err(DatasetError::File {
                file: path,
                message: format!("empty: expected a header row ({})", columns.join(",")),
            });
        }
        let (header, positions) = read_header(&path, &record, columns)?;
        let width = header.len();

        let promised = entry.rows;
        // Each record takes at least `width` bytes (commas and a newline), which bounds what a manifest
        // that lies about its row count can make us allocate.
        let capacity = promised.min(file_len / width as u64);
        let mut rows = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
        let mut lines = LineMap::default();
        while reader
            .read_byte_record(&mut record)
            .map_err(|e| csv_error(&path, e))?
        {
            let index = rows.len();
            let line = record.position().map_or(index as u64 + 2, |p| p.line());
            if index as u64 >= promised {
                return Err(DatasetError::Record {
                    file: path,
                    line,
                    message: format!(
                        "one record more than the {promised} that {MANIFEST_FILE} promises"
                    ),
                });
            }
            if record.len() != width {
                return Err(wrong_width(&path, line, &record, &header));
            }
            lines.push(index, line);
            let mut fields = Fields {
                record: &record,
                positions: &positions,
                columns,
                path: &path,
                line,
                next: 0,
            };
            rows.push(parse(&mut fields)?);
        }
        if (rows.len() as u64) < promised {
            return Err(DatasetError::Record {
                file: path,
                line: reader.position().line(),
                message: format!(
                    "the file ends after {} records, but {MANIFEST_FILE} promises {promised}: \
                     is it cut short?",
                    rows.len()
                ),
            });
        }
        self.tables.insert(
            table,
            TableFile {
                path,
                header,
                lines,
            },
        );
        Ok(rows)
    }

    /// The file, line and column a model error came from.
    fn locate(&self, e: ModelError) -> DatasetError {
        let table = self
            .tables
            .get(&e.table)
            .expect("every table is read before Schedule::new");
        let line = table.lines.line(e.record);
        // The model counts records from 0; a reader of the file counts lines.
        let problem = e
            .problem
            .strip_prefix("duplicate id: record ")
            .and_then(|rest| rest.strip_suffix(" has it already"))
            .and_then(|first| first.parse::<usize>().ok())
            .map(|first| {
                format!(
                    "duplicate id: line {} has it already",
                    table.lines.line(first)
                )
            })
            .unwrap_or(e.problem);
        match table.header.iter().position(|h| h == e.field) {
            Some(c) => DatasetError::Field {
                file: table.path.clone(),
                line,
                column: c + 1,
                field: e.field.into(),
                value: e.value,
                expected: problem,
            },
            None => DatasetError::Record {
                file: table.path.clone(),
                line,
                message: format!("`{}` = {:?}: {problem}", e.field, e.value),
            },
        }
    }
}

/// Checks the header names every column exactly once (in any order); returns the names found and, per
/// schema column, its position in the file.
fn read_header(
    path: &Path,
    record: &ByteRecord,
    columns: &[&str],
) -> Result<(Vec<String>, Vec<usize>), DatasetError> {
    let mut header = Vec::with_capacity(record.len());
    let mut positions = vec![usize::MAX; columns.len()];
    for (i, raw) in record.iter().enumerate() {
        // A byte-order mark, as some spreadsheets write, is not part of the first name.
        let raw = if i == 0 {
            raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw)
        } else {
            raw
        };
        let name = String::from_utf8_lossy(raw).into_owned();
        let header_error = |expected: String| DatasetError::Field {
            file: path.to_path_buf(),
            line: 1,
            column: i + 1,
            field: name.clone(),
            value: name.clone(),
            expected,
        };
        let Some(c) = columns.iter().position(|c| *c == name) else {
            return Err(header_error(format!(
                "expected a column name, one of {}",
                columns.join(",")
            )));
        };
        if positions[c] != usize::MAX {
            return Err(header_error(format!(
                "expected each column once, but column {} has this name already",
                positions[c] + 1
            )));
        }
        positions[c] = i;
        header.push(name);
    }
    if let Some(c) = positions.iter().position(|&p| p == usize::MAX) {
        return Err(DatasetError::Record {
            file: path.to_path_buf(),
            line: 1,
            message: format!(
                "missing column `{}`: expected the header {}",
                columns[c],
                columns.join(",")
            ),
        });
    }
    Ok((header, positions))
}

fn wrong_width(path: &Path, line: u64, record: &ByteRecord, header: &[String]) -> DatasetError {
    let found = record.len();
    if found > header.len() {
        return DatasetError::Record {
            file: path.to_path_buf(),
            line,
            message: format!(
                "{found} fields, but the header has {} columns",
                header.len()
            ),
        };
    }
    let last = match found.checked_sub(1) {
        Some(i) => format!(" ({:?})", String::from_utf8_lossy(&record[i])),
        None => String::new(),
    };
    DatasetError::Field {
        file: path.to_path_buf(),
        line,
        column: found + 1,
        field: header[found].clone(),
        value: String::new(),
        expected: format!(
            "expected a value, but the record stops after field {found}{last} of {}: is the line cut short?",
            header.len()
        ),
    }
}

fn csv_error(path: &Path, e: csv::Error) -> DatasetError {
    let line = e.position().map(|p| p.line());
    match (e.into_kind(), line) {
        (csv::ErrorKind::Io(e), _) => DatasetError::io(path, e),
        (kind, Some(line)) => DatasetError::Record {
            file: path.to_path_buf(),
            line,
            message: format!("not readable as CSV: {kind:?}"),
        },
        (kind, None) => DatasetError::File {
            file: path.to_path_buf(),
            message: format!("not readable as CSV: {kind:?}"),
        },
    }
}

/// The line each record starts on. Records are one line each unless a quoted text holds a line break, so
/// the list is only built once a record is found elsewhere than at `index + 2`.
#[derive(Default)]
struct LineMap {
    lines: Option<Vec<u64>>,
}

impl LineMap {
    fn push(&mut self, index: usize, line: u64) {
        match &mut self.lines {
            Some(lines) => lines.push(line),
            None if line != index as u64 + 2 => {
                let mut lines: Vec<u64> = (2..index as u64 + 2).collect();
                lines.push(line);
                self.lines = Some(lines);
            }
            None => {}
        }
    }

    fn line(&self, record: usize) -> u64 {
        self.lines
            .as_ref()
            .and_then(|lines| lines.get(record).copied())
            .unwrap_or(record as u64 + 2)
    }
}

/// The fields of one record, taken one after another in schema order.
pub(super) struct Fields<'r> {
    record: &'r ByteRecord,
    /// Per schema column, its position in the file.
    positions: &'r [usize],
    columns: &'static [&'static str],
    path: &'r Path,
    line: u64,
    next: usize,
}

impl<'r> Fields<'r> {
    /// The next field: its schema column and its bytes.
    fn take(&mut self) -> (usize, &'r [u8]) {
        let column = self.next;
        self.next += 1;
        let record: &'r ByteRecord = self.record;
        (column, &record[self.positions[column]])
    }

    /// An error for schema column `column` of this record.
    fn fail(
        &self,
        column: usize,
        value: impl Display,
        expected: impl Into<String>,
    ) -> DatasetError {
        DatasetError::Field {
            file: self.path.to_path_buf(),
            line: self.line,
            column: self.positions[column] + 1,
            field: self.columns[column].into(),
            value: value.to_string(),
            expected: expected.into(),
        }
    }

    fn fail_raw(&self, column: usize, raw: &[u8], expected: impl Into<String>) -> DatasetError {
        self.fail(column, String::from_utf8_lossy(raw), expected)
    }

    fn text(&mut self) -> Result<(usize, &'r str), DatasetError> {
        let (column, raw) = self.take();
        match std::str::from_utf8(raw) {
            Ok(text) => Ok((column, text)),
            Err(_) => Err(self.fail_raw(column, raw, "expected UTF-8 text")),
        }
    }

    fn string(&mut self) -> Result<String, DatasetError> {
        Ok(self.text()?.1.to_owned())
    }

    /// An empty field is `None`.
    fn opt_string(&mut self) -> Result<Option<String>, DatasetError> {
        let (_, text) = self.text()?;
        Ok((!text.is_empty()).then(|| text.to_owned()))
    }

    fn airport(&mut self) -> Result<AirportCode, DatasetError> {
        let (column, raw) = self.take();
        std::str::from_utf8(raw)
            .ok()
            .and_then(AirportCode::new)
            .ok_or_else(|| {
                self.fail_raw(
                    column,
                    raw,
                    "expected an IATA airport code: three capital letters or digits",
                )
            })
    }

    fn unsigned(&mut self, max: u64, optional: bool) -> Result<Option<u64>, DatasetError> {
        let (column, raw) = self.take();
        if optional && raw.is_empty() {
            return Ok(None);
        }
        match parse_digits(raw) {
            Some(v) if v <= max => Ok(Some(v)),
            _ => Err(self.fail_raw(
                column,
                raw,
                format!(
                    "expected a whole number from 0 to {max}{}",
                    if optional { ", or an empty field" } else { "" }
                ),
            )),
        }
    }

    fn u32(&mut self) -> Result<u32, DatasetError> {
        let v = self.unsigned(u64::from(u32::MAX), false)?;
        Ok(v.expect("a required field is never None") as u32)
    }

    fn opt_u32(&mut self) -> Result<Option<u32>, DatasetError> {
        Ok(self.unsigned(u64::from(u32::MAX), true)?.map(|v| v as u32))
    }

    fn u16(&mut self) -> Result<u16, DatasetError> {
        let v = self.unsigned(u64::from(u16::MAX), false)?;
        Ok(v.expect("a required field is never None") as u16)
    }

    fn opt_u16(&mut self) -> Result<Option<u16>, DatasetError> {
        Ok(self.unsigned(u64::from(u16::MAX), true)?.map(|v| v as u16))
    }

    fn int(&mut self) -> Result<i64, DatasetError> {
        let (column, raw) = self.take();
        let (negative, digits) = match raw.strip_prefix(b"-") {
            Some(digits) => (true, digits),
            None => (false, raw),
        };
        parse_digits(digits)
            .and_then(|v| {
                if negative {
                    0i64.checked_sub_unsigned(v)
                } else {
                    i64::try_from(v).ok()
                }
            })
            .ok_or_else(|| self.fail_raw(column, raw, "expected a whole number (like 45 or -5)"))
    }

    fn parse_float(&self, column: usize, raw: &[u8]) -> Result<f64, DatasetError> {
        std::str::from_utf8(raw)
            .ok()
            .and_then(|text| text.parse::<f64>().ok())
            .filter(|v| v.is_finite())
            .ok_or_else(|| {
                self.fail_raw(
                    column,
                    raw,
                    "expected a finite decimal number (like -73.78)",
                )
            })
    }

    fn float(&mut self) -> Result<f64, DatasetError> {
        let (column, raw) = self.take();
        self.parse_float(column, raw)
    }

    fn opt_float(&mut self) -> Result<Option<f64>, DatasetError> {
        let (column, raw) = self.take();
        if raw.is_empty() {
            return Ok(None);
        }
        self.parse_float(column, raw).map(Some)
    }

    fn parse_time(&self, column: usize, raw: &[u8]) -> Result<UtcMinute, DatasetError> {
        std::str::from_utf8(raw)
            .ok()
            .and_then(UtcMinute::parse)
            .ok_or_else(|| {
                self.fail_raw(
                    column,
                    raw,
                    "expected a UTC time YYYY-MM-DDTHH:MMZ on a real date (like 2013-02-08T10:15Z)",
                )
            })
    }

    fn time(&mut self) -> Result<UtcMinute, DatasetError> {
        let (column, raw) = self.take();
        self.parse_time(column, raw)
    }

    fn opt_time(&mut self) -> Result<Option<UtcMinute>, DatasetError> {
        let (column, raw) = self.take();
        if raw.is_empty() {
            return Ok(None);
        }
        self.parse_time(column, raw).map(Some)
    }

    /// Gate out, take-off, landing, gate in: four optional times.
    fn out_off_on_in(&mut self) -> Result<OutOffOnIn, DatasetError> {
        Ok(OutOffOnIn {
            gate_out: self.opt_time()?,
            takeoff: self.opt_time()?,
            landing: self.opt_time()?,
            gate_in: self.opt_time()?,
        })
    }

    fn zone(&mut self) -> Result<TimeZone, DatasetError> {
        let (column, raw) = self.take();
        std::str::from_utf8(raw)
            .ok()
            .and_then(TimeZone::from_iana)
            .ok_or_else(|| {
                self.fail_raw(
                    column,
                    raw,
                    "expected an IANA time zone name (like America/New_York)",
                )
            })
    }

    /// One of the names an enum is written as; `names` lists them for the error.
    fn choice<T: FromStr>(
        &mut self,
        names: impl FnOnce() -> Vec<&'static str>,
    ) -> Result<T, DatasetError> {
        let (column, raw) = self.take();
        std::str::from_utf8(raw)
            .ok()
            .and_then(|text| text.parse().ok())
            .ok_or_else(|| {
                self.fail_raw(
                    column,
                    raw,
                    format!("expected one of {}", names().join(", ")),
                )
            })
    }

    /// Aircraft type codes separated by `;`; an empty field is no qualification.
    fn qualifications(&mut self) -> Result<Vec<TypeCode>, DatasetError> {
        let (column, text) = self.text()?;
        if text.is_empty() {
            return Ok(Vec::new());
        }
        let codes: Vec<TypeCode> = text
            .split(QUALIFICATION_SEPARATOR)
            .map(|code| TypeCode(code.to_owned()))
            .collect();
        if codes.iter().any(|c| c.0.is_empty()) {
            return Err(self.fail(
                column,
                text,
                format!("expected aircraft type codes separated by `{QUALIFICATION_SEPARATOR}`, none of them empty"),
            ));
        }
        Ok(codes)
    }
}

/// ASCII digits only (no sign, no spaces), at most what fits a `u64`.
fn parse_digits(raw: &[u8]) -> Option<u64> {
    if raw.is_empty() {
        return None;
    }
    raw.iter().try_fold(0u64, |v, &b| {
        if b.is_ascii_digit() {
            v.checked_mul(10)?.checked_add(u64::from(b - b'0'))
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_are_digits_only() {
        assert_eq!(parse_digits(b"0"), Some(0));
        assert_eq!(parse_digits(b"18446744073709551615"), Some(u64::MAX));
        for bad in [
            &b""[..],
            b"+5",
            b"-5",
            b" 5",
            b"5 ",
            b"1e3",
            b"18446744073709551616",
        ] {
            assert_eq!(
                parse_digits(bad),
                None,
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn line_map_follows_records_that_span_lines() {
        let mut lines = LineMap::default();
        lines.push(0, 2);
        lines.push(1, 3);
        assert!(lines.lines.is_none(), "one line per record needs no list");
        lines.push(2, 6);
        lines.push(3, 7);
        assert_eq!([0, 1, 2, 3].map(|r| lines.line(r)), [2, 3, 6, 7]);
    }
}
