//! Delay propagates along tail rotations and crew pairings, by what the buffers do not absorb.

mod common;

use common::*;
use ucodts_actors::{DelayModel, RecoveryAction, Twin, Window, World, WorldOptions};
use ucodts_model::*;
use ucodts_sim::RngStreams;

/// Captain C1 (based in BOS) flies L1 BOS-JFK on tail N1, changes to tail N2 for L3 JFK-ORD and comes home
/// on L4 ORD-BOS. N1 turns at JFK for L2 JFK-DCA, which has no crew in the roster.
///
/// Buffers: N1 is on the ground 50 minutes at JFK for a 40-minute minimum turn (10 spare); C1 has 60 minutes
/// between L1's arrival and L3 for a 30-minute aircraft change (30 spare).
fn schedule() -> Schedule {
    let legs = vec![
        leg(1, "BOS", "JFK", at(6, 0), 60, "N1"),
        leg(2, "JFK", "DCA", at(7, 50), 75, "N1"),
        leg(3, "JFK", "ORD", at(8, 0), 150, "N2"),
        leg(4, "ORD", "BOS", at(11, 30), 120, "N2"),
    ];
    let mut p = parts(legs, vec![aircraft("N1", "BOS"), aircraft("N2", "JFK")]);
    p.crew = vec![captain("C1", "BOS")];
    p.pairings = vec![Pairing {
        id: PairingId(1),
        airline: CarrierCode::new("B6"),
        base: code("BOS"),
        duties: vec![Duty {
            report: at(5, 0),
            release: at(14, 0),
            segments: operating(&[1, 3, 4]),
        }],
    }];
    p.rosters = vec![RosterAssignment {
        crew: CrewId::new("C1"),
        pairing: PairingId(1),
    }];
    Schedule::new(p).unwrap()
}

fn arrival_and_departure_delays(actions: &[RecoveryAction]) -> Vec<(f64, f64)> {
    let schedule = schedule();
    let world = World::new(
        &schedule,
        Window::day(day()),
        actions,
        WorldOptions::default(),
    )
    .unwrap();
    let outcome = Twin::new(&world, &DelayModel::none())
        .replicate(RngStreams::new(1).replication(0))
        .unwrap();
    let mut by_id: Vec<_> = world
        .legs()
        .iter()
        .zip(&outcome.legs)
        .map(|(l, r)| {
            (
                l.id.0,
                (
                    r.departure_delay_min(l.scheduled_out).unwrap(),
                    r.arrival_delay_min(l.scheduled_in).unwrap(),
                ),
            )
        })
        .collect();
    by_id.sort_by_key(|(id, _)| *id);
    by_id.into_iter().map(|(_, d)| d).collect()
}

#[test]
fn without_disruption_and_without_randomness_every_leg_is_on_time() {
    let delays = arrival_and_departure_delays(&[]);
    assert_eq!(delays, [(0.0, 0.0); 4]);
}

#[test]
fn delaying_an_inbound_leg_by_90_minutes_delays_the_tails_and_the_crews_next_legs_by_what_their_buffers_do_not_absorb(
) {
    let hold = RecoveryAction::Retime {
        leg: LegId(1),
        earliest_out: at(6, 0) + Minutes(90),
    };
    let delays = arrival_and_departure_delays(&[hold]);
    // L1 leaves and arrives 90 minutes late.
    assert_eq!(delays[0], (90.0, 90.0));
    // The tail's next leg: 90 minutes less the 10 spare in its turn.
    assert_eq!(delays[1], (80.0, 80.0));
    // The captain's next leg, on another tail: 90 minutes less the 30 spare in the connection.
    assert_eq!(delays[2], (60.0, 60.0));
    // And on along the pairing: L4's tail is N2, which has 60 minutes at ORD for a 40-minute turn.
    assert_eq!(delays[3], (40.0, 40.0));
}

#[test]
fn a_leg_without_rostered_crew_does_not_wait_for_crew() {
    // Hold the captain's L3 by 3 hours: L2 (no crew) is untouched, L4 follows L3's tail and captain.
    let hold = RecoveryAction::Retime {
        leg: LegId(3),
        earliest_out: at(8, 0) + Minutes(180),
    };
    let delays = arrival_and_departure_delays(&[hold]);
    assert_eq!(delays[1], (0.0, 0.0));
    assert_eq!(delays[2], (180.0, 180.0));
    assert_eq!(delays[3], (160.0, 160.0));
}
