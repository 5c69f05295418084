//! The twin told what already happened ([`World::with_as_flown`]): a leg reported flown is flown at its
//! actual times in every replication, an airborne one lands around its estimate, and the crew and the tail
//! carry on from the actual times.

mod common;

use common::*;
use ucodts_actors::{
    AsFlown, DelayModel, FlownLeg, FlownTimes, LegResult, RecoveryAction, Twin, Window, World,
    WorldOptions,
};
use ucodts_model::*;
use ucodts_sim::{RngStreams, SimTime};

/// Captain C1 (based in BOS) flies L1 BOS-JFK on tail N1, changes to tail N2 for L3 JFK-ORD (a 30-minute
/// aircraft change) and comes home on L4 ORD-BOS; one duty reporting at 05:00 (a 12-hour Part 117 limit for
/// three segments). N1 turns at JFK (40-minute minimum) for L2 JFK-DCA, which has no crew in the roster.
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

fn flown(out: UtcMinute, gate_in: UtcMinute) -> FlownTimes {
    FlownTimes {
        out: Some(out),
        gate_in: Some(gate_in),
        ..FlownTimes::default()
    }
}

fn sim(t: UtcMinute) -> SimTime {
    SimTime(t.0 * 60)
}

/// Every replication's results, by leg id (1-based: index 0 is L1).
fn replications(world: &World, model: &DelayModel, n: u64) -> Vec<(Vec<LegResult>, f64, u64)> {
    let twin = Twin::new(world, model);
    (0..n)
        .map(|r| {
            let outcome = twin.replicate(RngStreams::new(7).replication(r)).unwrap();
            let mut by_id: Vec<(u32, LegResult)> = world
                .legs()
                .iter()
                .zip(&outcome.legs)
                .map(|(l, r)| (l.id.0, *r))
                .collect();
            by_id.sort_by_key(|(id, _)| *id);
            (
                by_id.into_iter().map(|(_, r)| r).collect(),
                outcome.crew.duty_min,
                outcome.crew.legal_extensions,
            )
        })
        .collect()
}

fn world(schedule: &Schedule, as_flown: &AsFlown) -> World {
    World::new(schedule, Window::day(day()), &[], WorldOptions::default())
        .unwrap()
        .with_as_flown(as_flown)
        .unwrap()
}

#[test]
fn a_leg_reported_flown_is_flown_at_its_actual_times_in_every_replication_and_its_tail_turns_from_them(
) {
    let schedule = schedule();
    let mut as_flown = AsFlown::new(at(8, 30));
    as_flown.insert(LegId(1), flown(at(6, 20), at(7, 35)));
    let world = world(&schedule, &as_flown);
    let runs = replications(&world, &random_model(), 40);
    for (legs, ..) in &runs {
        assert_eq!(legs[0].out, Some(sim(at(6, 20))));
        assert_eq!(legs[0].arrived, Some(sim(at(7, 35))));
        assert_eq!(legs[0].cancelled, None);
        // N1's next leg: no earlier than the actual arrival plus the 40-minute minimum turn.
        if let Some(out) = legs[1].out {
            assert!(out >= sim(at(8, 15)), "{:?}", legs[1]);
        }
    }
    // The rest of the day is still drawn: the open legs differ between replications.
    let l4: std::collections::BTreeSet<_> = runs.iter().map(|(l, ..)| l[3].arrived).collect();
    assert!(l4.len() > 5, "{l4:?}");
    assert_eq!(
        world.as_flown(world.leg_index(LegId(1)).unwrap()),
        Some(FlownLeg::Arrived {
            out: at(6, 20),
            arrived: at(7, 35)
        })
    );
}

#[test]
fn a_captain_off_a_leg_flown_late_takes_the_delay_into_the_next_leg_and_the_duty_clock() {
    let schedule = schedule();
    let on_time = world(&schedule, &AsFlown::new(at(12, 0)));
    let mut as_flown = AsFlown::new(at(12, 0));
    // L1 left 4 h 50 late and arrived at noon: the captain is at the N2 gate at 12:30.
    as_flown.insert(LegId(1), flown(at(10, 50), at(12, 0)));
    let late = world(&schedule, &as_flown);
    let none = DelayModel::none();
    let (base, base_duty, base_extensions) = replications(&on_time, &none, 1).remove(0);
    let (legs, duty, extensions) = replications(&late, &none, 1).remove(0);
    assert_eq!(base[2].out, Some(sim(at(8, 0))));
    assert_eq!(base_extensions, 0);
    // L3 waits for its captain: out at 12:30, in at 15:00; L4 after N2's 40-minute turn: out 15:40.
    assert_eq!(legs[2].out, Some(sim(at(12, 30))));
    assert_eq!(legs[3].out, Some(sim(at(15, 40))));
    // The duty ran from its 05:00 report to L4's arrival at 17:40 (plus the release), 250 minutes more
    // than planned (L4 was due in at 13:30)...
    assert_eq!(duty - base_duty, 250.0);
    // ...past the 12-hour limit at L4's boarding (17:40 projected): the unforeseen extension, counted.
    assert_eq!(extensions, 1);
}

#[test]
fn an_airborne_leg_lands_around_its_estimate_with_the_spread_of_what_is_left_to_fly() {
    let schedule = schedule();
    let mut as_flown = AsFlown::new(at(6, 30));
    as_flown.insert(
        LegId(1),
        FlownTimes {
            out: Some(at(6, 0)),
            estimated_in: Some(at(7, 0)),
            ..FlownTimes::default()
        },
    );
    let world = world(&schedule, &as_flown);
    let runs = replications(&world, &random_model(), 40);
    let arrivals: std::collections::BTreeSet<SimTime> =
        runs.iter().map(|(l, ..)| l[0].arrived.unwrap()).collect();
    for (legs, ..) in &runs {
        assert_eq!(legs[0].out, Some(sim(at(6, 0))));
    }
    // The block varies by 20 minutes either side of its median; half the block is left to fly at 06:30.
    assert!(arrivals.len() > 5, "{arrivals:?}");
    let first = *arrivals.first().unwrap();
    let last = *arrivals.last().unwrap();
    assert!(
        first >= sim(at(6, 50)) && last <= sim(at(7, 10)),
        "{first} .. {last}"
    );
}

#[test]
fn an_airborne_leg_without_an_estimate_lands_where_the_twins_block_model_puts_it_not_at_the_schedule(
) {
    let schedule = schedule();
    // Blocks on this day run 10-20 minutes over the schedule (median 15), as on a snow day's taxi-out.
    let mut model = random_model();
    model.block_time[0].variation_min =
        ucodts_actors::delay_model::QuantileFunction::from_sample(&mut [
            10.0, 13.0, 15.0, 17.0, 20.0,
        ])
        .unwrap();
    let airborne = |estimated_in: Option<UtcMinute>| {
        let mut as_flown = AsFlown::new(at(6, 10));
        as_flown.insert(
            LegId(1),
            FlownTimes {
                out: Some(at(6, 0)),
                estimated_in,
                ..FlownTimes::default()
            },
        );
        let world = world(&schedule, &as_flown);
        replications(&world, &model, 30)
            .iter()
            .map(|(l, ..)| l[0].arrived.unwrap())
            .collect::<std::collections::BTreeSet<SimTime>>()
    };
    // No estimate: out 06:00 plus the 60-minute block plus the drawn 10-20 minutes, never the schedule's 07:00.
    let own = airborne(None);
    assert!(own.len() > 5, "{own:?}");
    assert!(
        *own.first().unwrap() >= sim(at(7, 10)) && *own.last().unwrap() <= sim(at(7, 20)),
        "{own:?}"
    );
    // The feed's estimate is the airline's knowledge of the flight: the arrival stays around it.
    let told = airborne(Some(at(7, 2)));
    assert!(
        *told.first().unwrap() >= sim(at(6, 55)) && *told.last().unwrap() <= sim(at(7, 9)),
        "{told:?}"
    );
}

#[test]
fn a_leg_still_at_the_gate_an_hour_late_with_its_aircraft_ready_is_drawn_from_its_long_delays() {
    let schedule = schedule();
    // At 09:00 L2 (07:50 on N1) and L3 (08:00 on N2, at JFK since the morning) are held to now; the feed
    // says both are still at the gate, or says nothing of them.
    let outs = |l1_out: UtcMinute, at_gate: bool| {
        let mut as_flown = AsFlown::new(at(9, 0));
        as_flown.insert(LegId(1), flown(l1_out, l1_out + Minutes(60)));
        if at_gate {
            as_flown.insert_still_at_gate(LegId(2));
            as_flown.insert_still_at_gate(LegId(3));
        }
        let holds = [LegId(2), LegId(3)].map(|leg| RecoveryAction::Retime {
            leg,
            earliest_out: at(9, 0),
        });
        let world = World::new(
            &schedule,
            Window::day(day()),
            &holds,
            WorldOptions::default(),
        )
        .unwrap()
        .with_as_flown(&as_flown)
        .unwrap();
        let reps = replications(&world, &random_model(), 40);
        let of =
            |i: usize| -> Vec<SimTime> { reps.iter().map(|(l, ..)| l[i].out.unwrap()).collect() };
        (of(1), of(2))
    };
    let median = |v: &[SimTime]| {
        let mut v = v.to_vec();
        v.sort();
        v[v.len() / 2]
    };
    // L1 on time (in 07:00): captain C1 is at JFK for L3 by 07:30 and N2 has been there all along.
    let (_, l3_held) = outs(at(6, 0), false);
    let (_, l3_known) = outs(at(6, 0), true);
    // Held to now only: L3's own delay (under an hour in seven draws of eight) mostly ends before 09:00, so
    // it leaves at 09:00 as if the hour it has already waited said nothing.
    assert_eq!(median(&l3_held), sim(at(9, 0)));
    // Known to be still at the gate with its aircraft there: its own delay is one of the cell's over an hour
    // (60-180 min), so it leaves between 09:00 and 11:00, half of the time after 09:30.
    assert!(
        l3_known
            .iter()
            .all(|&t| t >= sim(at(9, 0)) && t <= sim(at(11, 0))),
        "{l3_known:?}"
    );
    assert!(median(&l3_known) > sim(at(9, 30)), "{l3_known:?}");
    // L1 late (in 08:50): N1 is not turned for L2 before about 09:30, so L2's wait says nothing of its own
    // delay, which is drawn as ever.
    let (l2_held, _) = outs(at(7, 50), false);
    let (l2_known, _) = outs(at(7, 50), true);
    assert_eq!(l2_known, l2_held);
    assert!(
        l2_known.iter().all(|&t| t >= sim(at(9, 30))),
        "{l2_known:?}"
    );
    // A leg cannot be both off the gate and still at it.
    let mut both = AsFlown::new(at(9, 0));
    both.insert(LegId(1), flown(at(7, 50), at(8, 50)));
    both.insert_still_at_gate(LegId(1));
    let base = World::new(&schedule, Window::day(day()), &[], WorldOptions::default()).unwrap();
    let e = base.with_as_flown(&both).unwrap_err().to_string();
    assert!(
        e.contains("leg 1") && e.contains("still at the gate"),
        "{e}"
    );
}

#[test]
fn a_leg_the_feed_did_not_report_between_two_reported_legs_of_its_tail_was_flown_in_the_gap() {
    let schedule = schedule();
    // N2 reported off the gate on L4 at 11:40; the feed never said a word of its L3 before it.
    let mut as_flown = AsFlown::new(at(12, 0));
    as_flown.insert(
        LegId(4),
        FlownTimes {
            out: Some(at(11, 40)),
            ..FlownTimes::default()
        },
    );
    let world = world(&schedule, &as_flown);
    let l3 = world.leg_index(LegId(3)).unwrap();
    let Some(FlownLeg::InGap { out, arrived }) = world.as_flown(l3) else {
        panic!("{:?}", world.as_flown(l3));
    };
    // At its scheduled times: they leave room for N2's turn before L4's actual out.
    assert_eq!((out, arrived), (at(8, 0), at(10, 30)));
    for (legs, ..) in replications(&world, &random_model(), 10) {
        assert_eq!(legs[2].out, Some(sim(at(8, 0))));
        assert_eq!(legs[2].arrived, Some(sim(at(10, 30))));
        assert_eq!(legs[3].out, Some(sim(at(11, 40))));
    }
}

#[test]
fn times_out_of_order_or_after_now_or_an_unknown_leg_are_refused_naming_the_leg() {
    let schedule = schedule();
    let base = || World::new(&schedule, Window::day(day()), &[], WorldOptions::default()).unwrap();
    let mut backwards = AsFlown::new(at(12, 0));
    backwards.insert(LegId(1), flown(at(7, 0), at(6, 30)));
    let e = base().with_as_flown(&backwards).unwrap_err().to_string();
    assert!(e.contains("leg 1") && e.contains("before out"), "{e}");
    let mut future = AsFlown::new(at(6, 30));
    future.insert(LegId(1), flown(at(6, 0), at(7, 0)));
    let e = base().with_as_flown(&future).unwrap_err().to_string();
    assert!(e.contains("after now"), "{e}");
    let mut unknown = AsFlown::new(at(12, 0));
    unknown.insert(LegId(99), flown(at(6, 0), at(7, 0)));
    let e = base().with_as_flown(&unknown).unwrap_err().to_string();
    assert!(e.contains("99"), "{e}");
}
