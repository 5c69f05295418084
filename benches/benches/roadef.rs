//! The recovery optimizer on the ROADEF/EURO 2009 instance A01 (608 legs, 85 aircraft, 1,943 bookings):
//! one constructive plan (aircraft pass and passenger rebooking) and the checker's verdict on it. The
//! instance is read from ../shared/benchmarks/roadef2009; without it the bench says so and measures nothing.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use ucodts_model::recovery::evaluate;
use ucodts_optimizer::constructive::construct;

fn constructive_a01(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/benchmarks/roadef2009/instances/A01");
    if !dir.join("flights.csv").is_file() {
        eprintln!(
            "skipping: ROADEF 2009 instance A01 not found at {}",
            dir.display()
        );
        return;
    }
    let problem = ucodts_datasets::roadef2009::load(&dir).expect("A01 loads");
    let mut group = c.benchmark_group("roadef2009_a01");
    group.sample_size(20);
    group.bench_function("constructive_plan", |b| {
        b.iter(|| construct(&problem, None))
    });
    let plan = construct(&problem, None);
    group.bench_function("check_and_cost", |b| b.iter(|| evaluate(&problem, &plan)));
    group.finish();
}

criterion_group!(benches, constructive_a01);
criterion_main!(benches);
