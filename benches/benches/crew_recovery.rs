//! Crew recovery on the embedded default: the greedy repair after 5 % of the JFK-based crew with a pairing
//! on 2 July 2013 call in sick at 05:00 New York time (96 affected crew, 148 open seats, 2,445 reserves on
//! standby; the first case of `cargo run --release -p ucodts-optimizer --example crew_recovery`). Beside
//! it, building the recovery problem itself, measured in the same run as the reference.
//!
//! Baseline (the example, 2 cores, release): 1.02 s per greedy repair before fatigue pricing used the
//! duties-only forecast on a per-thread offset table (commit adcff2d), 0.12 s after; the bank delay case
//! went from 12.6 s to 0.39 s. Same columns and costs before and after. This bench after it
//! (`cargo bench -p ucodts-benches --bench crew_recovery`): greedy repair 133 ms, problem setup 54 ms.

use criterion::{criterion_group, criterion_main, Criterion};
use ucodts_model::recovery::crew::{
    CrewCostWeights, CrewDisruption, CrewRecoveryProblem, ReserveSupply, SickCall,
};
use ucodts_model::{AirportCode, Date, Schedule, UtcMinute};
use ucodts_optimizer::crew::{greedy_repair, CrewRecoveryOptions};

/// 05:00 to midnight New York time on 2 July 2013, and every 20th JFK-based crew member (by id) with a
/// pairing reporting in that window off sick from 05:00.
fn jfk_sick_calls(schedule: &Schedule) -> CrewDisruption {
    let jfk = AirportCode::new("JFK").expect("JFK is a valid code");
    let zone = schedule
        .airport(jfk)
        .expect("JFK is in the embedded default")
        .time_zone;
    let day = Date::new(2013, 7, 2).expect("a valid date");
    let at = |minute: i64| -> UtcMinute { zone.to_utc(day, minute).earliest() };
    let (t0, end) = (at(5 * 60), at(24 * 60));
    let mut on_duty: Vec<_> = schedule
        .crew()
        .iter()
        .filter(|m| m.base == jfk)
        .filter(|m| {
            schedule
                .roster(&m.id)
                .any(|p| p.report().is_some_and(|r| r >= t0 && r < end))
        })
        .map(|m| m.id.clone())
        .collect();
    on_duty.sort();
    CrewDisruption {
        t0,
        window_end: end,
        rule_set: "faa117".into(),
        leg_changes: Vec::new(),
        sick_calls: on_duty
            .iter()
            .step_by(20)
            .map(|crew| SickCall {
                crew: crew.clone(),
                from: t0,
            })
            .collect(),
        reserves: ReserveSupply::default(),
        costs: CrewCostWeights::default(),
    }
}

fn greedy_on_jfk_sick_calls(c: &mut Criterion) {
    let schedule = ucodts_datasets::embedded::default_schedule_with_crew()
        .expect("the embedded default loads");
    let disruption = jfk_sick_calls(&schedule);
    let problem =
        CrewRecoveryProblem::new(&schedule, disruption.clone()).expect("the disruption is valid");
    let options = CrewRecoveryOptions::default();
    let mut group = c.benchmark_group("crew_recovery_jfk_5pct_sick");
    group.sample_size(10);
    group.bench_function("problem_setup_reference", |b| {
        b.iter(|| CrewRecoveryProblem::new(&schedule, disruption.clone()))
    });
    group.bench_function("greedy_repair", |b| {
        b.iter(|| greedy_repair(&problem, &options))
    });
    group.finish();
}

criterion_group!(benches, greedy_on_jfk_sick_calls);
criterion_main!(benches);
