//! Operations control cancels the way the record shows airlines do after a meltdown: a run of cancellations
//! at an airport carries into its next departures (the evening bank after a closed afternoon, the next
//! morning's first wave after a cancelled evening), through the disruption model's recent-cancellations
//! column, and the twin stays a function of its seed.

mod common;

use common::{at, code, day, jfk_b6_policy, JFK_B6_COLUMNS};
use ucodts_actors::delay_model::disruption_model::RecentCancellations;
use ucodts_actors::{CancelReason, DelayModel, Twin, Window, World, WorldOptions};
use ucodts_model::{disruption, Aircraft, Disruption, Leg, Minutes, Schedule, UtcMinute};
use ucodts_sim::RngStreams;

const TAILS: u32 = 24;
const REPLICATIONS: u64 = 8;

/// A policy that cancels 1.8 % of departures on an ordinary day (log-odds -4), more the later operations
/// control expects a flight to leave (1.5 log-odds an hour) and, where `recent` is given, the more of the
/// origin's recent departures were cancelled (its second stage: log-odds per unit of the share).
fn policy(recent: Option<f64>) -> DelayModel {
    let mut cancellation = vec![0.0; JFK_B6_COLUMNS + 1];
    cancellation[0] = -4.0;
    cancellation[JFK_B6_COLUMNS] = 1.5;
    jfk_b6_policy(
        cancellation,
        recent.map(|coefficient| RecentCancellations {
            departures: 30,
            lookback_min: 6 * 60,
            intercept: 0.0,
            coefficient,
        }),
    )
}

/// A bank of `TAILS` tails of their own (`prefix` and a number, based at JFK), each flying JFK-BOS-JFK at
/// `first_out`, spread 5 minutes apart; the legs' ids count from `first_id`.
fn bank(prefix: &str, first_out: UtcMinute, first_id: u32) -> (Vec<Leg>, Vec<Aircraft>) {
    let mut legs = Vec::new();
    let mut tails = Vec::new();
    for t in 0..TAILS {
        let tail = format!("{prefix}{t}");
        let out = first_out + Minutes(i64::from(t) * 5);
        let id = first_id + 2 * t;
        legs.push(common::leg(id, "JFK", "BOS", out, 60, &tail));
        legs.push(common::leg(
            id + 1,
            "BOS",
            "JFK",
            out + Minutes(100),
            60,
            &tail,
        ));
        tails.push(common::aircraft(&tail, "JFK"));
    }
    (legs, tails)
}

/// A world of the banks, with JFK closed from `closed.0` to `closed.1` if given.
fn world(
    banks: &[(Vec<Leg>, Vec<Aircraft>)],
    window: Window,
    closed: Option<(UtcMinute, UtcMinute)>,
) -> World {
    let legs = banks.iter().flat_map(|b| b.0.clone()).collect();
    let tails = banks.iter().flat_map(|b| b.1.clone()).collect();
    let schedule = Schedule::new(common::parts(legs, tails)).unwrap();
    let closures: Vec<Disruption> = closed
        .into_iter()
        .map(|(from, to)| {
            Disruption::AirportClosure(disruption::AirportClosure {
                airport: code("JFK"),
                from,
                to,
            })
        })
        .collect();
    World::new(&schedule, window, &[], WorldOptions::default())
        .unwrap()
        .with_disruptions(&closures)
        .unwrap()
}

/// Of the departures from JFK of the bank whose ids count from `first_id`, how many operations control
/// cancelled over `REPLICATIONS` replications.
fn cancelled_by_ops(world: &World, model: &DelayModel, first_id: u32) -> u32 {
    let twin = Twin::new(world, model);
    let mut cancelled = 0;
    for r in 0..REPLICATIONS {
        let outcome = twin.replicate(RngStreams::new(11).replication(r)).unwrap();
        for (leg, result) in world.legs().iter().zip(&outcome.legs) {
            let in_bank = (first_id..first_id + 2 * TAILS).contains(&leg.id.0);
            if in_bank
                && leg.id.0 % 2 == first_id % 2
                && result.cancelled == Some(CancelReason::Disruption)
            {
                cancelled += 1;
            }
        }
    }
    cancelled
}

const POSSIBLE: u32 = TAILS * REPLICATIONS as u32;

#[test]
fn a_closed_airports_evening_bank_is_cancelled_after_its_afternoon_was() {
    // JFK closed 13:00-19:00: the 14:00 bank expects hours of delay and is mostly cancelled; the 19:00
    // bank (other tails) leaves after the closure has lifted, expecting no delay.
    let banks = [bank("A", at(14, 0), 100), bank("E", at(19, 0), 200)];
    let window = Window::new(day(), day()).unwrap();
    let closed = world(&banks, window, Some((at(13, 0), at(19, 0))));
    let (without, with) = (policy(None), policy(Some(6.0)));
    let afternoon = cancelled_by_ops(&closed, &with, 100);
    assert!(afternoon > POSSIBLE / 2, "{afternoon} of {POSSIBLE}");
    let evening_without = cancelled_by_ops(&closed, &without, 200);
    let evening_with = cancelled_by_ops(&closed, &with, 200);
    assert!(
        evening_without < POSSIBLE / 10,
        "without the column the evening flies: {evening_without} of {POSSIBLE} cancelled"
    );
    assert!(
        evening_with > 3 * evening_without.max(1) && evening_with > POSSIBLE / 5,
        "the evening bank after a closed afternoon: {evening_with} of {POSSIBLE} cancelled, \
         {evening_without} without the column"
    );
    // With JFK open, a quiet day's few cancellations do not cascade.
    let open = world(&banks, window, None);
    let quiet = cancelled_by_ops(&open, &with, 200);
    assert!(quiet < POSSIBLE / 10, "{quiet} of {POSSIBLE}");
}

#[test]
fn a_cancelled_evening_carries_into_the_next_mornings_first_wave() {
    // JFK closed from 21:00 to 03:00: the 21:30 bank is cancelled; the next morning's 05:00 bank (other
    // tails), under no closure, is cancelled more with the column (the evening's run of cancellations within
    // its lookback) than without.
    let next_day = |t: UtcMinute| t + Minutes(24 * 60);
    let banks = [
        bank("E", at(21, 30), 100),
        bank("M", next_day(at(5, 0)), 200),
    ];
    let window = Window::new(day(), day().add_days(1)).unwrap();
    let closed = world(&banks, window, Some((at(21, 0), next_day(at(3, 0)))));
    let evening = cancelled_by_ops(&closed, &policy(Some(6.0)), 100);
    assert!(evening > POSSIBLE / 2, "{evening} of {POSSIBLE}");
    let first_wave_without = cancelled_by_ops(&closed, &policy(None), 200);
    let first_wave_with = cancelled_by_ops(&closed, &policy(Some(6.0)), 200);
    assert!(
        first_wave_with > 3 * first_wave_without.max(1),
        "next morning: {first_wave_with} of {POSSIBLE} cancelled with the column, {first_wave_without} without"
    );
}

#[test]
fn the_same_seed_gives_the_same_cancellations() {
    let banks = [bank("A", at(14, 0), 100), bank("E", at(19, 0), 200)];
    let window = Window::new(day(), day()).unwrap();
    let world = world(&banks, window, Some((at(13, 0), at(19, 0))));
    let model = policy(Some(6.0));
    let twin = Twin::new(&world, &model);
    let streams = RngStreams::new(5);
    for r in 0..4 {
        let a = twin.replicate(streams.replication(r)).unwrap();
        let b = Twin::new(&world, &model)
            .replicate(streams.replication(r))
            .unwrap();
        assert_eq!(a, b, "replication {r}");
    }
}
