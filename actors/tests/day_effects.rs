//! The shared day effect of the conditions models: drawn once per replication and operating day, it moves
//! all of a day's legs together, so replications' days differ as the record's do; off unless asked for,
//! deterministic per seed, and without it a fitted `day_sd` changes nothing.

use ucodts_actors::{DelayModel, ReplicationOutcome, Twin, Window, World, WorldOptions};
use ucodts_datasets::embedded;
use ucodts_model::Date;
use ucodts_sim::RngStreams;

/// The embedded default with day effects of `day_sd` (normal scale) in both conditions models.
fn model(day_sd: f64) -> DelayModel {
    let mut m = DelayModel::embedded_default();
    m.conditions.as_mut().unwrap().day_sd = day_sd;
    m.block_conditions.as_mut().unwrap().day_sd = day_sd;
    m
}

/// Mean arrival delay of the flown legs of a replication, minutes.
fn mean_arrival_delay(world: &World, outcome: &ReplicationOutcome) -> f64 {
    let delays: Vec<f64> = outcome
        .legs
        .iter()
        .zip(world.legs())
        .filter_map(|(r, l)| r.arrival_delay_min(l.scheduled_in))
        .collect();
    delays.iter().sum::<f64>() / delays.len() as f64
}

fn spread(values: &[f64]) -> f64 {
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / values.len() as f64).sqrt()
}

#[test]
fn a_day_effect_makes_replications_of_one_day_differ_as_whole_days_and_stays_deterministic() {
    let schedule = embedded::default_schedule_with_crew().unwrap();
    let day = Date::parse("2013-07-02").unwrap();
    let world = World::new(&schedule, Window::day(day), &[], WorldOptions::default()).unwrap();
    let streams = RngStreams::new(11);
    let reps = 16;

    let fitted = model(0.5);
    let without = Twin::new(&world, &fitted);
    let with = Twin::new(&world, &fitted).with_day_effects(true);
    let plain = model(0.0);
    let no_day_sd = Twin::new(&world, &plain);

    let (mut off, mut on) = (Vec::new(), Vec::new());
    for r in 0..reps {
        let a = without.replicate(streams.replication(r)).unwrap();
        // Off, a fitted day_sd changes nothing.
        assert_eq!(a, no_day_sd.replicate(streams.replication(r)).unwrap());
        off.push(mean_arrival_delay(&world, &a));
        let b = with.replicate(streams.replication(r)).unwrap();
        assert_eq!(
            b,
            with.replicate(streams.replication(r)).unwrap(),
            "same streams, same replication"
        );
        on.push(mean_arrival_delay(&world, &b));
    }
    // One day, thousands of legs: without a shared effect the replications' mean delays hardly differ;
    // with one, each replication's day is better or worse as a whole.
    assert!(
        spread(&on) > 2.0 * spread(&off),
        "day mean delay spread with day effects {:.2} min, without {:.2} min",
        spread(&on),
        spread(&off)
    );
}
