//! `manifest.json`: what a native data set is called, where it came from, which format version wrote it, and
//! which file holds each table with how many records, so that a file cut short is noticed.

use std::path::Path;

use serde::{Deserialize, Serialize};
use ucodts_model::Table;

use super::schema;
use crate::DatasetError;

/// The manifest's file name inside a data set folder.
pub const MANIFEST_FILE: &str = "manifest.json";
/// The `format` value every manifest carries.
pub const FORMAT: &str = "ucodts-native";
/// The format version this crate writes and reads.
pub const VERSION: u32 = 1;

/// The contents of `manifest.json`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
    /// A short name for the data set (`nycflights13 2013`).
    pub name: String,
    /// Free text: where the data came from, how it was made.
    pub source: String,
    /// The format version the data set was written in.
    pub version: u32,
    /// One entry per table, in `Table::ALL` order.
    pub files: Vec<ManifestFile>,
}

/// Which file holds a table and how many records (data rows, not counting the header) it has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestFile {
    pub table: Table,
    pub file: String,
    pub rows: u64,
}

impl Manifest {
    /// The entry of `table`. Every manifest this crate builds or reads has one for each table.
    pub fn file(&self, table: Table) -> &ManifestFile {
        self.files
            .iter()
            .find(|f| f.table == table)
            .expect("a manifest lists every table (checked when read or built)")
    }

    /// The number of records the manifest promises for `table`.
    pub fn rows(&self, table: Table) -> u64 {
        self.file(table).rows
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestJson {
    format: String,
    version: u32,
    name: String,
    source: String,
    files: Vec<FileJson>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileJson {
    table: String,
    file: String,
    rows: u64,
}

/// Read first, with every other field ignored, so that a manifest from a newer version is reported as such
/// rather than as a field this version does not know.
#[derive(Deserialize)]
struct Probe {
    format: Option<serde_json::Value>,
    version: Option<serde_json::Value>,
}

/// The manifest text, byte for byte what `write_dir` puts in `manifest.json`.
pub(super) fn to_json(manifest: &Manifest) -> String {
    let json = ManifestJson {
        format: FORMAT.into(),
        version: manifest.version,
        name: manifest.name.clone(),
        source: manifest.source.clone(),
        files: manifest
            .files
            .iter()
            .map(|f| FileJson {
                table: f.table.name().into(),
                file: f.file.clone(),
                rows: f.rows,
            })
            .collect(),
    };
    let mut text =
        serde_json::to_string_pretty(&json).expect("a manifest of strings and numbers serializes");
    text.push('\n');
    text
}

/// Reads and checks `dir/manifest.json`.
pub fn read_manifest(dir: &Path) -> Result<Manifest, DatasetError> {
    read_manifest_in(dir, dir)
}

/// Reads and checks the manifest found in the folder `root` (an opened folder's handle path, see
/// `read::Snapshot`), naming `dir` in errors.
pub(super) fn read_manifest_in(root: &Path, dir: &Path) -> Result<Manifest, DatasetError> {
    let path = dir.join(MANIFEST_FILE);
    let text = match crate::limits::read(&root.join(MANIFEST_FILE)) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(DatasetError::File {
                file: path,
                message: format!(
                    "not found: {} is not a UCODTS native data set (it has no {MANIFEST_FILE})",
                    dir.display()
                ),
            })
        }
        Err(e) => return Err(DatasetError::io(path, e)),
    };
    let file_error = |message: String| DatasetError::File {
        file: path.clone(),
        message,
    };
    let json_error = |e: serde_json::Error| {
        // serde_json ends its message with " at line L column C"; the error carries those apart.
        let message = e.to_string();
        let message = match message.rfind(" at line ") {
            Some(at) => message[..at].to_string(),
            None => message,
        };
        DatasetError::Record {
            file: path.clone(),
            line: e.line() as u64,
            message: format!("column {}: {message}", e.column()),
        }
    };

    let probe: Probe = serde_json::from_slice(&text).map_err(json_error)?;
    if probe.format != Some(FORMAT.into()) {
        return Err(file_error(format!(
            "`format` is {}: expected \"{FORMAT}\"",
            probe.format.map_or("missing".into(), |f| f.to_string())
        )));
    }
    match probe.version.as_ref().and_then(|v| v.as_u64()) {
        Some(v) if v == u64::from(VERSION) => {}
        Some(v) if v > u64::from(VERSION) => {
            return Err(file_error(format!(
                "format version {v} is newer than this program, which reads version {VERSION}"
            )))
        }
        _ => {
            return Err(file_error(format!(
                "`version` is {}: expected {VERSION}",
                probe.version.map_or("missing".into(), |v| v.to_string())
            )))
        }
    }

    let json: ManifestJson = serde_json::from_slice(&text).map_err(json_error)?;
    let mut files: Vec<ManifestFile> = Vec::with_capacity(Table::ALL.len());
    for entry in json.files {
        let Some(table) = Table::ALL.into_iter().find(|t| t.name() == entry.table) else {
            return Err(file_error(format!(
                "unknown table {:?}: expected one of {}",
                entry.table,
                table_names()
            )));
        };
        if files.iter().any(|f| f.table == table) {
            return Err(file_error(format!("table {table} is listed twice")));
        }
        if !is_plain_file_name(&entry.file) {
            return Err(file_error(format!(
                "table {table}: file {:?} is not a plain file name inside the data set folder",
                entry.file
            )));
        }
        if entry.rows > crate::limits::MAX_RECORDS {
            return Err(file_error(format!(
                "table {table}: {} rows, more than the {} a table may hold",
                entry.rows,
                crate::limits::MAX_RECORDS
            )));
        }
        if let Some(other) = files.iter().find(|f| f.file == entry.file) {
            return Err(file_error(format!(
                "tables {} and {table} both name the file {:?}",
                other.table, entry.file
            )));
        }
        files.push(ManifestFile {
            table,
            file: entry.file,
            rows: entry.rows,
        });
    }
    if let Some(missing) = Table::ALL
        .into_iter()
        .find(|t| !files.iter().any(|f| f.table == *t))
    {
        return Err(file_error(format!(
            "table {missing} is not listed: expected an entry for each of {}",
            table_names()
        )));
    }
    files.sort_by_key(|f| f.table);
    Ok(Manifest {
        name: json.name,
        source: json.source,
        version: json.version,
        files,
    })
}

/// The manifest `write_dir` writes for these row counts.
pub(super) fn build(name: &str, source: &str, rows: impl Fn(Table) -> u64) -> Manifest {
    Manifest {
        name: name.into(),
        source: source.into(),
        version: VERSION,
        files: Table::ALL
            .into_iter()
            .map(|table| ManifestFile {
                table,
                file: schema::file_name(table),
                rows: rows(table),
            })
            .collect(),
    }
}

fn table_names() -> String {
    Table::ALL.map(|t| t.name()).join(", ")
}

/// A name that stays inside the folder: no separators, not `.` or `..`.
fn is_plain_file_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', '\0'])
        && Path::new(name).components().count() == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_manifest(text: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(MANIFEST_FILE), text).unwrap();
        dir
    }

    #[test]
    fn manifest_json_round_trips() {
        let manifest = build("test", "made by hand", |t| t as u64 * 3);
        let dir = write_manifest(&to_json(&manifest));
        assert_eq!(read_manifest(dir.path()).unwrap(), manifest);
    }

    #[test]
    fn a_newer_format_version_is_named_as_such() {
        let text = to_json(&build("x", "y", |_| 0)).replace("\"version\": 1", "\"version\": 2");
        let dir = write_manifest(&text);
        let e = read_manifest(dir.path()).unwrap_err().to_string();
        assert!(
            e.contains("manifest.json") && e.contains("version 2 is newer"),
            "{e}"
        );
    }

    #[test]
    fn broken_json_names_line_and_column() {
        let dir =
            write_manifest("{\n  \"format\": \"ucodts-native\",\n  \"version\": 1,\n  oops\n}");
        let e = read_manifest(dir.path()).unwrap_err().to_string();
        assert!(e.contains("manifest.json:4: column 3"), "{e}");
    }

    #[test]
    fn a_manifest_missing_a_table_is_refused() {
        let mut manifest = build("x", "y", |_| 0);
        manifest.files.retain(|f| f.table != Table::Weather);
        let dir = write_manifest(&to_json(&manifest));
        let e = read_manifest(dir.path()).unwrap_err().to_string();
        assert!(e.contains("table weather is not listed"), "{e}");
    }

    #[test]
    fn file_names_that_leave_the_folder_are_refused() {
        let text = to_json(&build("x", "y", |_| 0)).replace("\"legs.csv\"", "\"../legs.csv\"");
        let dir = write_manifest(&text);
        let e = read_manifest(dir.path()).unwrap_err().to_string();
        assert!(e.contains("not a plain file name"), "{e}");
    }
}
