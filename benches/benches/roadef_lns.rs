//! The MILP and the large-neighbourhood search on the ROADEF/EURO 2009 instance A01: building the MILP of
//! one neighbourhood (the first the search draws: a tail in trouble and up to seven tails of its family),
//! and one whole LNS iteration on it (cut, HiGHS on one thread, passenger rebooking, the checker). The
//! instance is read from ../shared/benchmarks/roadef2009; without it the bench says so and measures nothing.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use ucodts_model::recovery::evaluate;
use ucodts_optimizer::constructive::construct;
use ucodts_optimizer::lns::{draw_neighbourhood, Draws};
use ucodts_optimizer::milp::{self, network, PassengerIndex, SolveOptions};

fn lns_a01(c: &mut Criterion) {
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
    let incumbent = construct(&problem, None);
    let passengers = PassengerIndex::new(&problem);
    let (_, neighbourhood) =
        draw_neighbourhood(&problem, &incumbent, &mut Draws::new(2009), 8).expect("A01 has tails");
    let cut = milp::cut(&problem, &passengers, &incumbent, &neighbourhood);
    let size = network::build(&cut.sub, Some(&cut.start))
        .expect("the model builds")
        .size();
    eprintln!(
        "neighbourhood: {} tails, {} free legs, {} flight arcs, {} ground arcs, {} rows",
        neighbourhood.aircraft.len(),
        cut.free_legs(),
        size.flight_arcs,
        size.ground_arcs,
        size.constraints
    );
    let mut group = c.benchmark_group("roadef2009_a01_lns");
    group.sample_size(10);
    group.bench_function("cut_and_build_milp", |b| {
        b.iter(|| {
            let cut = milp::cut(&problem, &passengers, &incumbent, &neighbourhood);
            network::build(&cut.sub, Some(&cut.start))
                .expect("the model builds")
                .size()
        })
    });
    let options = SolveOptions {
        time_limit_s: 30.0,
        threads: 1,
        random_seed: 2009,
    };
    group.bench_function("one_lns_iteration", |b| {
        b.iter(|| {
            let repair = milp::repair(&problem, &passengers, &incumbent, &neighbourhood, options)
                .expect("HiGHS runs");
            repair.map(|r| evaluate(&problem, &r.plan).cost.total)
        })
    });
    group.finish();
}

criterion_group!(benches, lns_a01);
criterion_main!(benches);
