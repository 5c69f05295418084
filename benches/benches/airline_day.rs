//! One replication of the large synthetic airline day (`ucodts_benches::airline_day`): about 5,000 legs,
//! 1,000 aircraft and the generated crew, against the 50 ms target on one core.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ucodts_actors::{Twin, Window, World, WorldOptions};
use ucodts_benches::airline_day;
use ucodts_model::Date;
use ucodts_sim::RngStreams;

fn one_replication(c: &mut Criterion) {
    let schedule = airline_day::build(1).unwrap();
    let (y, m, d) = airline_day::DAY;
    let day = Date::new(y, m, d).unwrap();
    let world = World::new(&schedule, Window::day(day), &[], WorldOptions::default()).unwrap();
    let twin = Twin::new(&world, &airline_day::delay_model());
    let streams = RngStreams::new(1);
    let mut group = c.benchmark_group("airline_day");
    group.throughput(Throughput::Elements(world.legs().len() as u64));
    group.sample_size(20);
    let mut index = 0;
    group.bench_function("one_replication", |b| {
        b.iter(|| {
            index += 1;
            twin.replicate(streams.replication(index)).unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, one_replication);
criterion_main!(benches);
