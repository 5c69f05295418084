//! A flight retimed before the day (a recovery plan's hold) leaves at its new time: its own small delay is
//! not charged on top of the hold, and a delay longer than the hold delays it no more than it would have
//! without one. Otherwise the twin would charge every retime twice and rank plans that hold flights below
//! doing nothing, whose flights wait for the same disruption at the airport.

mod common;

use common::*;
use ucodts_actors::{RecoveryAction, Twin, Window, World, WorldOptions};
use ucodts_model::*;
use ucodts_sim::RngStreams;

const HOLD: Minutes = Minutes(60);
const REPLICATIONS: u64 = 200;

/// N1 out of JFK at 08:00 to BOS and back at 11:00.
fn schedule() -> Schedule {
    Schedule::new(parts(
        vec![
            leg(1, "JFK", "BOS", at(8, 0), 75, "N1"),
            leg(2, "BOS", "JFK", at(11, 0), 75, "N1"),
        ],
        vec![aircraft("N1", "JFK")],
    ))
    .unwrap()
}

/// Departure of leg 1, minutes after its scheduled 08:00, per replication, with and without a hold.
fn departures(hold: Option<Minutes>) -> Vec<f64> {
    let schedule = schedule();
    let actions: Vec<RecoveryAction> = hold
        .map(|by| RecoveryAction::Retime {
            leg: LegId(1),
            earliest_out: at(8, 0) + by,
        })
        .into_iter()
        .collect();
    let world = World::new(
        &schedule,
        Window::day(day()),
        &actions,
        WorldOptions::default(),
    )
    .unwrap();
    let model = random_model();
    let twin = Twin::new(&world, &model);
    let first = world.leg_index(LegId(1)).unwrap() as usize;
    (0..REPLICATIONS)
        .map(|r| {
            let outcome = twin.replicate(RngStreams::new(7).replication(r)).unwrap();
            outcome.legs[first]
                .departure_delay_min(world.legs()[first].scheduled_out)
                .expect("leg 1 departs")
        })
        .collect()
}

#[test]
fn a_flight_retimed_later_than_its_usual_delay_departs_at_its_new_time_not_delayed_twice() {
    let (as_scheduled, held) = (departures(None), departures(Some(HOLD)));
    let hold = HOLD.0 as f64;
    let (mut within, mut beyond) = (0, 0);
    for (r, (&own, &out)) in as_scheduled.iter().zip(&held).enumerate() {
        // Same stream per leg (common random numbers): `own` is the delay this replication draws for leg 1.
        if own <= hold {
            within += 1;
            assert_eq!(
                out, hold,
                "replication {r}: an own delay of {own} min is absorbed by the {hold}-min hold"
            );
        } else {
            beyond += 1;
            assert_eq!(
                out, own,
                "replication {r}: an own delay of {own} min outlasts the hold and delays the flight by itself"
            );
        }
        assert!(
            out - hold <= own.max(0.0),
            "replication {r}: after its new time the flight waits at most its ordinary delay"
        );
    }
    // The draws reach both sides of the hold, so both statements were tested.
    assert!(
        within > 0 && beyond > 0,
        "{within} draws within the hold, {beyond} beyond"
    );
    assert!(
        as_scheduled.iter().any(|&d| d > 0.0 && d <= hold),
        "some draws are late but shorter than the hold"
    );
}

#[test]
fn a_flight_not_retimed_keeps_its_own_delay_early_departures_included() {
    // Without a hold nothing changes: the own delay is measured from the schedule, early departures too.
    let as_scheduled = departures(None);
    assert!(
        as_scheduled.iter().any(|&d| d < 0.0),
        "some flights leave early"
    );
    assert_eq!(departures(Some(Minutes(0))), as_scheduled);
}
