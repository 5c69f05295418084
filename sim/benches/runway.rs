//! Kernel throughput on the runway model against the bare binary-heap loop of the same model, plus the raw
//! cost of an event. `ucodts bench sim` prints the same comparison with SimPy as a ratio.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use ucodts_sim::bench_models::runway::{run_bare_heap, run_kernel, RunwayParams};
use ucodts_sim::{Actor, Context, SimDuration, SimTime, Simulation};

fn runway(c: &mut Criterion) {
    // One day of the SimPy script's default fleet: about 9,000 legs per run.
    let params = RunwayParams {
        horizon_min: 1440,
        ..RunwayParams::default()
    };
    let legs = run_kernel(&params).expect("the model runs").legs;
    let mut group = c.benchmark_group("runway_1000_aircraft_100_airports_1_day");
    group.throughput(Throughput::Elements(legs));
    group.sample_size(20);
    group.bench_function("kernel", |b| {
        b.iter(|| run_kernel(black_box(&params)).unwrap().legs)
    });
    group.bench_function("bare_heap", |b| {
        b.iter(|| run_bare_heap(black_box(&params)).unwrap().legs)
    });
    group.finish();
}

/// Re-arms a timer forever: the cost of one scheduled and delivered event, nothing else.
struct Ticker;

impl Actor for Ticker {
    type Message = ();
    fn start(&mut self, cx: &mut Context<'_, ()>) {
        cx.set_timer(SimDuration(1), ());
    }
    fn handle(&mut self, (): (), cx: &mut Context<'_, ()>) {
        cx.set_timer(SimDuration(1 + (cx.now().0 & 7)), ());
    }
}

fn events(c: &mut Criterion) {
    let actors = 1000;
    let mut group = c.benchmark_group("kernel_events");
    group.throughput(Throughput::Elements(1_000_000));
    group.sample_size(20);
    group.bench_function("timer_1000_actors", |b| {
        b.iter(|| {
            let mut sim = Simulation::with_capacity(actors, actors);
            for _ in 0..actors {
                sim.add_actor(Ticker);
            }
            sim.set_event_limit(1_000_000);
            // Stops at the limit: exactly one million events delivered.
            let _ = sim.run_until(SimTime::MAX);
            sim.events_delivered()
        })
    });
    group.finish();
}

criterion_group!(benches, runway, events);
criterion_main!(benches);
