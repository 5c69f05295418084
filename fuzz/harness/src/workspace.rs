//! A scratch folder per thread for the targets whose loaders read files: emptied before each input, so that
//! one input never sees another's files, and kept between inputs so that a fuzzer spends its time in the
//! loaders rather than in creating folders.

use std::cell::RefCell;
use std::path::Path;

/// The scratch folder of the current thread.
pub struct Workspace {
    dir: tempfile::TempDir,
}

thread_local! {
    static WORKSPACE: RefCell<Option<Workspace>> = const { RefCell::new(None) };
}

impl Workspace {
    /// Runs `f` with this thread's scratch folder, emptied first.
    pub fn with<T>(f: impl FnOnce(&Workspace) -> T) -> T {
        WORKSPACE.with(|cell| {
            let mut slot = cell.borrow_mut();
            let ws = slot.get_or_insert_with(|| Workspace {
                dir: tempfile::Builder::new()
                    .prefix("ucodts-fuzz-")
                    .tempdir()
                    .expect("a scratch folder for the fuzz targets (is TMPDIR writable?)"),
            });
            ws.clear();
            f(ws)
        })
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `name` in the folder.
    pub fn write(&self, name: &str, bytes: &[u8]) {
        std::fs::write(self.dir().join(name), bytes).unwrap_or_else(|e| {
            panic!("writing the scratch file {name}: {e} (the harness's own I/O)")
        });
    }

    fn clear(&self) {
        let entries = std::fs::read_dir(self.dir()).expect("the scratch folder is readable");
        for entry in entries.flatten() {
            let path = entry.path();
            let _ = if path.is_dir() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
        }
    }
}
