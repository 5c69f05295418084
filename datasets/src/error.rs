//! The one error type of this crate. Every variant says where: the file, and where it applies the line
//! (1-based, the header is line 1), the column (1-based) and the field, the value found and what was expected.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
    /// One field of one record is wrong.
    #[error("{}:{line}: column {column} (`{field}`) is {}: {expected}", file.display(), crate::limits::quote(value))]
    Field {
        file: PathBuf,
        line: u64,
        column: usize,
        field: String,
        value: String,
        expected: String,
    },
    /// A whole record is wrong (wrong number of fields, a broken quote).
    #[error("{}:{line}: {message}", file.display())]
    Record {
        file: PathBuf,
        line: u64,
        message: String,
    },
    /// The file as a whole is wrong (missing header, fewer records than the manifest promises).
    #[error("{}: {message}", file.display())]
    File { file: PathBuf, message: String },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl DatasetError {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> DatasetError {
        DatasetError::Io {
            path: path.into(),
            source,
        }
    }
}
