//! Real data through the native format: import -> write -> load -> write gives identical bytes, and the
//! loaded schedule equals the imported one.

use std::collections::BTreeMap;
use std::path::Path;

use ucodts_datasets::{embedded, native};

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

#[test]
fn imported_default_with_crew_round_trips_byte_for_byte() {
    let imported = embedded::default_schedule_with_crew().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let (first, second) = (tmp.path().join("first"), tmp.path().join("second"));
    native::write_dir(&imported, &first, embedded::NAME, "round-trip test").unwrap();
    let loaded = native::load_dir(&first).unwrap();
    assert_eq!(
        loaded.parts(),
        imported.parts(),
        "the loaded schedule differs from the one written"
    );
    native::write_dir(&loaded, &second, embedded::NAME, "round-trip test").unwrap();
    let (a, b) = (files(&first), files(&second));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        assert!(bytes == &b[name], "{name} differs after load and rewrite");
    }
    assert!(
        a["legs.csv"].len() > 1_000_000,
        "the default's legs file is its bulk"
    );
}
