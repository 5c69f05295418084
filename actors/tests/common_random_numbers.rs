//! Common random numbers: two worlds that differ in one flight see the same random draws everywhere that
//! flight's consequences cannot reach, replication by replication.

mod common;

use common::*;
use ucodts_actors::{Kpis, ReplicationOutcome, Twin, Window, World, WorldOptions};
use ucodts_model::*;
use ucodts_sim::RngStreams;

/// Two separate operations: N1 shuttles JFK-BOS, N2 shuttles ATL-MIA; nothing connects them (no shared
/// airport, tail or crew). `with_last_n1_leg` says whether N1 flies its last leg of the day.
fn schedule(with_last_n1_leg: bool) -> Schedule {
    let mut legs = Vec::new();
    for k in 0..6 {
        let (from, to) = if k % 2 == 0 {
            ("JFK", "BOS")
        } else {
            ("BOS", "JFK")
        };
        if k < 5 || with_last_n1_leg {
            legs.push(leg(k as u32 + 1, from, to, at(6 + 2 * k, 0), 75, "N1"));
        }
    }
    for k in 0..6 {
        let (from, to) = if k % 2 == 0 {
            ("ATL", "MIA")
        } else {
            ("MIA", "ATL")
        };
        legs.push(leg(100 + k as u32, from, to, at(6 + 3 * k, 0), 110, "N2"));
    }
    Schedule::new(parts(
        legs,
        vec![aircraft("N1", "JFK"), aircraft("N2", "ATL")],
    ))
    .unwrap()
}

/// A leg's id, departure and arrival (kernel seconds).
type LegTimes = (u32, Option<i64>, Option<i64>);

/// Per replication: the outcome of every leg by id, and the KPIs of the N2 operation alone.
fn runs(with_last_n1_leg: bool) -> Vec<(Vec<LegTimes>, Kpis)> {
    let schedule = schedule(with_last_n1_leg);
    let world = World::new(&schedule, Window::day(day()), &[], WorldOptions::default()).unwrap();
    let model = random_model();
    let twin = Twin::new(&world, &model);
    let n2_only = {
        let only = Schedule::new(parts(
            schedule
                .legs()
                .iter()
                .filter(|l| l.id.0 >= 100)
                .cloned()
                .collect(),
            vec![aircraft("N2", "ATL")],
        ))
        .unwrap();
        World::new(&only, Window::day(day()), &[], WorldOptions::default()).unwrap()
    };
    (0..40)
        .map(|r| {
            let outcome = twin.replicate(RngStreams::new(99).replication(r)).unwrap();
            let legs = world
                .legs()
                .iter()
                .zip(&outcome.legs)
                .map(|(l, o)| (l.id.0, o.out.map(|t| t.0), o.arrived.map(|t| t.0)))
                .collect::<Vec<_>>();
            let n2 = ReplicationOutcome {
                legs: world
                    .legs()
                    .iter()
                    .zip(&outcome.legs)
                    .filter(|(l, _)| l.id.0 >= 100)
                    .map(|(_, o)| *o)
                    .collect(),
                ..outcome.clone()
            };
            (legs, Kpis::of(&n2_only, &n2))
        })
        .collect()
}

#[test]
fn two_worlds_that_differ_in_one_flight_draw_the_same_numbers_where_it_cannot_reach() {
    let (with, without) = (runs(true), runs(false));
    let mut n1_differs = false;
    for (replication, ((legs_a, kpis_a), (legs_b, kpis_b))) in with.iter().zip(&without).enumerate()
    {
        let n2 = |legs: &[LegTimes]| {
            legs.iter()
                .filter(|l| l.0 >= 100)
                .copied()
                .collect::<Vec<_>>()
        };
        assert_eq!(
            n2(legs_a),
            n2(legs_b),
            "replication {replication}: the N2 operation saw different draws"
        );
        assert_eq!(
            kpis_a.on_time_rate, kpis_b.on_time_rate,
            "replication {replication}"
        );
        assert_eq!(
            kpis_a.mean_arrival_delay_min, kpis_b.mean_arrival_delay_min,
            "replication {replication}"
        );
        // N1's legs before the removed one are untouched too.
        let early_n1 =
            |legs: &[LegTimes]| legs.iter().filter(|l| l.0 < 6).copied().collect::<Vec<_>>();
        assert_eq!(
            early_n1(legs_a),
            early_n1(legs_b),
            "replication {replication}"
        );
        n1_differs |= legs_a.len() != legs_b.len();
    }
    assert!(n1_differs, "the two worlds must differ in one flight");
    // And the draws are random: replications differ from each other.
    assert_ne!(with[0].0, with[1].0);
}
