//! Each simulated disruption kind moves its KPI in the expected direction, and only where it can reach.
//!
//! The toy schedules here hold every flight of their airports, so airport rates apply to them as written
//! (`airport_rates_are_whole_airport: false`) except in the tests of that translation.

mod common;

use ucodts_actors::delay_model::{QuantileFunction, WeatherCategory};
use ucodts_actors::{CancelReason, DelayModel, Twin, Window, World, WorldOptions};
use ucodts_model::*;
use ucodts_sim::RngStreams;

fn code(c: &str) -> AirportCode {
    AirportCode::new(c).unwrap()
}

fn ny() -> TimeZone {
    TimeZone::from_iana("America/New_York").unwrap()
}

fn day() -> Date {
    Date::new(2013, 7, 2).unwrap()
}

/// Local time on the day, as UTC.
fn at(hour: i64, minute: i64) -> UtcMinute {
    ny().to_utc(day(), hour * 60 + minute).earliest()
}

/// N1: BOS-EWR 08:00, EWR-BOS 10:30. N2..N6: BOS-EWR at 09:00 (an arrival bank at EWR).
/// N9: JFK-BOS 08:00, BOS-JFK 11:00 (a JFK-only rotation). Every block is 75 minutes.
fn schedule() -> Schedule {
    let airport = |c: &str| Airport {
        code: code(c),
        icao: None,
        name: c.into(),
        latitude_deg: 40.7,
        longitude_deg: -74.0,
        time_zone: ny(),
    };
    let mut legs = Vec::new();
    let mut leg = |tail: &str, from: &str, to: &str, out: UtcMinute| {
        let id = legs.len() as u32 + 1;
        legs.push(Leg {
            id: LegId(id),
            carrier: CarrierCode::new("B6"),
            flight_number: Some(id),
            origin: code(from),
            destination: code(to),
            scheduled_out: out,
            scheduled_in: out + Minutes(75),
            estimated: OutOffOnIn::default(),
            actual: OutOffOnIn::default(),
            tail: Some(TailId::new(tail)),
            status: LegStatus::Scheduled,
            source: LegSource::Recorded,
        });
    };
    leg("N1", "BOS", "EWR", at(8, 0));
    leg("N1", "EWR", "BOS", at(10, 30));
    for t in ["N2", "N3", "N4", "N5", "N6"] {
        leg(t, "BOS", "EWR", at(9, 0));
    }
    leg("N9", "JFK", "BOS", at(8, 0));
    leg("N9", "BOS", "JFK", at(11, 0));
    let tails = ["N1", "N2", "N3", "N4", "N5", "N6", "N9"];
    Schedule::new(ScheduleParts {
        airlines: vec![Airline {
            code: CarrierCode::new("B6"),
            name: "JetBlue".into(),
        }],
        airports: vec![airport("JFK"), airport("BOS"), airport("EWR")],
        aircraft_types: vec![AircraftType {
            code: TypeCode::new("A320"),
            family: "A320".into(),
            seats: 150,
            min_turn: Minutes(40),
        }],
        aircraft: tails
            .iter()
            .map(|t| Aircraft {
                tail: TailId::new(*t),
                type_code: TypeCode::new("A320"),
                carrier: CarrierCode::new("B6"),
                base: code("BOS"),
                maintenance_due: None,
            })
            .collect(),
        legs,
        ..ScheduleParts::default()
    })
    .unwrap()
}

/// The toy's airports carry only its flights: airport rates apply to them as written.
fn toy_options() -> WorldOptions {
    WorldOptions {
        airport_rates_are_whole_airport: false,
        ..WorldOptions::default()
    }
}

/// Per leg (world order): (origin, destination, tail, arrival delay or None if cancelled).
fn run(
    disruptions: &[Disruption],
    model: &DelayModel,
) -> Vec<(String, String, String, Option<f64>)> {
    run_with(disruptions, model, toy_options())
}

fn run_with(
    disruptions: &[Disruption],
    model: &DelayModel,
    options: WorldOptions,
) -> Vec<(String, String, String, Option<f64>)> {
    let schedule = schedule();
    let world = World::new(&schedule, Window::day(day()), &[], options)
        .unwrap()
        .with_disruptions(disruptions)
        .unwrap();
    let outcome = Twin::new(&world, model)
        .replicate(RngStreams::new(7).replication(3))
        .unwrap();
    world
        .legs()
        .iter()
        .zip(&outcome.legs)
        .map(|(l, r)| {
            let name = |i: u32| world.airports()[i as usize].code.to_string();
            let tail = world.aircraft()[l.aircraft as usize]
                .tail
                .as_ref()
                .unwrap()
                .to_string();
            (
                name(l.origin),
                name(l.destination),
                tail,
                r.arrival_delay_min(l.scheduled_in),
            )
        })
        .collect()
}

fn mean_delay(
    legs: &[(String, String, String, Option<f64>)],
    keep: impl Fn(&(String, String, String, Option<f64>)) -> bool,
) -> f64 {
    let d: Vec<f64> = legs
        .iter()
        .filter(|l| keep(l))
        .map(|l| l.3.unwrap())
        .collect();
    d.iter().sum::<f64>() / d.len() as f64
}

fn touches(l: &(String, String, String, Option<f64>), airport: &str) -> bool {
    l.0 == airport || l.1 == airport
}

#[test]
fn an_ewr_arrival_cut_delays_ewr_arrivals_and_not_a_jfk_rotation() {
    let cut = Disruption::AirportCapacity(disruption::AirportCapacity {
        airport: code("EWR"),
        from: at(9, 0),
        to: at(13, 0),
        arrivals_per_hour: Some(2),
        departures_per_hour: None,
    });
    for model in [DelayModel::none(), DelayModel::embedded_default()] {
        let base = run(&[], &model);
        let cut = run(std::slice::from_ref(&cut), &model);
        let ewr_in = |l: &(String, String, String, Option<f64>)| l.1 == "EWR";
        assert!(
            mean_delay(&cut, ewr_in) > mean_delay(&base, ewr_in) + 10.0,
            "{base:?} {cut:?}"
        );
        for (b, c) in base.iter().zip(&cut) {
            if touches(b, "JFK") {
                assert_eq!(b, c, "a JFK-only rotation is out of reach");
            }
        }
    }
}

#[test]
fn a_jfk_closure_holds_jfk_movements_until_it_lifts_and_nothing_else() {
    let closure = Disruption::AirportClosure(disruption::AirportClosure {
        airport: code("JFK"),
        from: at(7, 30),
        to: at(9, 0),
    });
    let model = DelayModel::none();
    let base = run(&[], &model);
    let closed = run(&[closure], &model);
    for (b, c) in base.iter().zip(&closed) {
        if b.0 == "JFK" {
            assert_eq!(c.3, Some(60.0), "the 08:00 departure leaves at 09:00");
        } else if !touches(b, "JFK") {
            assert_eq!(b, c);
        }
    }
}

#[test]
fn an_aog_delays_or_cancels_only_that_tails_legs() {
    let aog = Disruption::AircraftOnGround(disruption::AircraftOnGround {
        tail: TailId::new("N1"),
        from: at(7, 0),
        expected_return: at(12, 0),
        return_uncertainty: Minutes(30),
    });
    for (random, model) in [
        (false, DelayModel::none()),
        (true, DelayModel::embedded_default()),
    ] {
        let base = run(&[], &model);
        let grounded = run(std::slice::from_ref(&aog), &model);
        for (b, g) in base.iter().zip(&grounded) {
            if b.2 == "N1" {
                // Delayed by an hour at least, or cancelled.
                if let Some(d) = g.3 {
                    assert!(d >= b.3.unwrap() + 60.0, "{b:?} {g:?}");
                }
            } else if b.1 != "EWR" {
                assert_eq!(b, g, "another tail's leg away from N1's airports");
            }
        }
        // With no randomness, the first leg waits for the return (12:00 ± 30 min): 3.5 h late at least.
        if !random {
            assert!(grounded[0].3.unwrap() >= 210.0, "{grounded:?}");
        }
    }
}

#[test]
fn the_aog_return_is_drawn_from_its_own_stream() {
    let aog = |u: i64| {
        Disruption::AircraftOnGround(disruption::AircraftOnGround {
            tail: TailId::new("N1"),
            from: at(7, 0),
            expected_return: at(12, 0),
            return_uncertainty: Minutes(u),
        })
    };
    let model = DelayModel::none();
    let exact = run(&[aog(0)], &model);
    assert_eq!(exact[0].3, Some(240.0));
    let spread = run(&[aog(60)], &model)[0].3.unwrap();
    assert!((180.0..=300.0).contains(&spread), "{spread}");
    assert_eq!(
        run(&[aog(60)], &model)[0].3.unwrap(),
        spread,
        "same streams, same draw"
    );
}

#[test]
fn block_time_inflation_and_route_delay_reach_only_their_routes_and_window() {
    let bos_ewr = Routes::Only(vec![Route {
        origin: code("BOS"),
        destination: code("EWR"),
    }]);
    let inflation = Disruption::BlockTimeInflation(disruption::BlockTimeInflation {
        routes: bos_ewr.clone(),
        from: at(6, 0),
        to: at(12, 0),
        percent: 20.0,
    });
    let route_delay = Disruption::RouteDelay(disruption::RouteDelay {
        routes: Routes::Only(vec![Route {
            origin: code("JFK"),
            destination: code("BOS"),
        }]),
        from: at(7, 0),
        to: at(9, 0),
        extra: Minutes(25),
    });
    let model = DelayModel::none();
    let base = run(&[], &model);
    assert!(base.iter().all(|l| l.3 == Some(0.0)));
    let inflated = run(&[inflation], &model);
    for l in &inflated {
        let expected = if l.0 == "BOS" && l.1 == "EWR" {
            15.0
        } else {
            0.0
        };
        assert_eq!(l.3, Some(expected), "{l:?}");
    }
    let delayed = run(&[route_delay], &model);
    for l in &delayed {
        let expected = if l.0 == "JFK" { 25.0 } else { 0.0 };
        assert_eq!(l.3, Some(expected), "{l:?}");
    }
}

#[test]
fn a_bos_curfew_holds_bos_movements_until_it_ends_and_nothing_else() {
    let curfew = Disruption::Curfew(disruption::Curfew {
        airport: code("BOS"),
        from: at(6, 0),
        to: at(8, 30),
    });
    let model = DelayModel::none();
    let base = run(&[], &model);
    let held = run(&[curfew], &model);
    // N1 leaves BOS at 08:00: held to 08:30. N9 reaches BOS at 09:15, after the curfew.
    assert_eq!(held[0].2, "N1");
    assert_eq!(held[0].3, Some(30.0), "{held:?}");
    for (b, h) in base.iter().zip(&held) {
        if b.2 == "N9" {
            assert_eq!(b, h);
        }
        assert!(h.3 >= b.3);
    }
}

#[test]
fn a_ground_delay_programme_holds_ewr_bound_flights_at_their_origin_only() {
    let gdp = |max: Option<i64>| {
        Disruption::GroundDelayProgramme(disruption::GroundDelayProgramme {
            airport: code("EWR"),
            from: at(10, 0),
            to: at(12, 0),
            arrivals_per_hour: 2,
            max_delay: max.map(Minutes),
        })
    };
    let model = DelayModel::none();
    let base = run(&[], &model);
    let held = run(&[gdp(None)], &model);
    // Five flights scheduled into EWR at 10:15, one slot every 30 minutes: 0, 30, 60, 90, 120 late.
    let mut bank: Vec<f64> = held
        .iter()
        .filter(|l| l.1 == "EWR" && l.2 != "N1")
        .map(|l| l.3.unwrap())
        .collect();
    bank.sort_by(f64::total_cmp);
    assert_eq!(bank, [0.0, 30.0, 60.0, 90.0, 120.0]);
    for (b, h) in base.iter().zip(&held) {
        if b.2 == "N1" || b.2 == "N9" {
            assert_eq!(
                b, h,
                "N1 lands at EWR before the programme; N9 never goes there"
            );
        }
    }
    let capped = run(&[gdp(Some(45))], &model);
    assert!(capped.iter().all(|l| l.3.unwrap() <= 45.0), "{capped:?}");
}

#[test]
fn a_ground_delay_programme_rate_is_the_whole_airports() {
    // 24 an hour at EWR (about 40 arrivals) as written spaces the toy's five 10:15 arrivals 2.5 minutes
    // apart; as the airport's rate they get 24 × 5 / (40.5 × 2) ≈ 1.5 slots an hour, 40.5 minutes apart.
    let gdp = Disruption::GroundDelayProgramme(disruption::GroundDelayProgramme {
        airport: code("EWR"),
        from: at(10, 0),
        to: at(12, 0),
        arrivals_per_hour: 24,
        max_delay: None,
    });
    let model = DelayModel::none();
    let bank = |legs: &[(String, String, String, Option<f64>)]| {
        let mut delays: Vec<f64> = legs
            .iter()
            .filter(|l| l.1 == "EWR" && l.2 != "N1")
            .map(|l| l.3.unwrap())
            .collect();
        delays.sort_by(f64::total_cmp);
        delays
    };
    let as_written = run(std::slice::from_ref(&gdp), &model);
    assert_eq!(bank(&as_written), [0.0, 3.0, 5.0, 8.0, 10.0]);
    let held = run_with(&[gdp], &model, WorldOptions::default());
    assert_eq!(bank(&held), [0.0, 41.0, 81.0, 122.0, 162.0], "{held:?}");
    for l in held.iter().filter(|l| l.2 == "N9") {
        assert_eq!(l.3, Some(0.0), "N9 never goes to EWR");
    }
}

fn ewr_arrival_cut(from: UtcMinute, to: UtcMinute, per_hour: u32) -> Disruption {
    Disruption::AirportCapacity(disruption::AirportCapacity {
        airport: code("EWR"),
        from,
        to,
        arrivals_per_hour: Some(per_hour),
        departures_per_hour: None,
    })
}

#[test]
fn a_capacity_cut_reaches_only_movements_in_its_window_and_direction() {
    let model = DelayModel::none();
    let base = run(&[], &model);
    // Ends before the 10:15 arrival bank: nothing moves.
    assert_eq!(run(&[ewr_arrival_cut(at(6, 0), at(9, 0), 1)], &model), base);
    // A departures-only cut during the bank leaves the arrivals alone; N1's 10:30 departure leaves on time.
    let departures = Disruption::AirportCapacity(disruption::AirportCapacity {
        airport: code("EWR"),
        from: at(9, 0),
        to: at(13, 0),
        arrivals_per_hour: None,
        departures_per_hour: Some(1),
    });
    assert_eq!(run(&[departures], &model), base);
    // Arrivals cut to 2 an hour in the bank's hour: five arrivals at 10:15 spread over three hours.
    let cut = run(&[ewr_arrival_cut(at(10, 0), at(14, 0), 2)], &model);
    let mut bank: Vec<f64> = cut
        .iter()
        .filter(|l| l.1 == "EWR" && l.2 != "N1")
        .map(|l| l.3.unwrap())
        .collect();
    bank.sort_by(f64::total_cmp);
    assert_eq!(bank, [0.0, 0.0, 45.0, 45.0, 105.0], "{cut:?}");
}

#[test]
fn an_airport_rate_is_the_whole_airports_and_the_data_sets_flights_get_their_share() {
    // EWR is scheduled to 81 operations an hour (about 40 arrivals). The toy's six arrivals in 09:00-13:00
    // are 6 / (40.5 × 4) ≈ 4 % of them: a cut to 20 (half the airport) leaves them one an hour.
    let model = DelayModel::none();
    let whole = WorldOptions::default();
    let base = run_with(&[], &model, whole.clone());
    let halved = run_with(
        &[ewr_arrival_cut(at(9, 0), at(13, 0), 20)],
        &model,
        whole.clone(),
    );
    let ewr_in = |l: &(String, String, String, Option<f64>)| l.1 == "EWR";
    assert!(
        mean_delay(&halved, ewr_in) > mean_delay(&base, ewr_in) + 60.0,
        "{halved:?}"
    );
    for (b, h) in base.iter().zip(&halved) {
        if touches(b, "JFK") {
            assert_eq!(b, h, "a JFK-only rotation is out of reach");
        }
    }
    // As written, 20 an hour never binds on six flights.
    assert_eq!(
        run(&[ewr_arrival_cut(at(9, 0), at(13, 0), 20)], &model),
        run(&[], &model)
    );
    // A rate at or above the airport's own is no cut.
    assert_eq!(
        run_with(&[ewr_arrival_cut(at(9, 0), at(13, 0), 41)], &model, whole),
        base
    );
    // The share the twin uses, for a planner to read.
    let schedule = schedule();
    let world = World::new(&schedule, Window::day(day()), &[], WorldOptions::default()).unwrap();
    let share = world
        .traffic_share(code("EWR"), at(9, 0), at(13, 0))
        .unwrap();
    assert!((share.arrivals - 6.0 / 162.0).abs() < 1e-9, "{share:?}");
    assert_eq!(share.limit.operations_per_hour, 81);
    assert!(world
        .traffic_share(code("BOS"), at(9, 0), at(13, 0))
        .is_none());
}

#[test]
fn block_time_inflation_reaches_only_legs_leaving_in_its_window() {
    let inflation = Disruption::BlockTimeInflation(disruption::BlockTimeInflation {
        routes: Routes::All,
        from: at(7, 30),
        to: at(8, 30),
        percent: 40.0,
    });
    let inflated = run(&[inflation], &DelayModel::none());
    for l in &inflated {
        // The two 08:00 departures (75-minute blocks) are 30 minutes longer; the rest leave outside.
        let leaves_at_eight = (l.0 == "BOS" && l.2 == "N1") || (l.0 == "JFK" && l.2 == "N9");
        let expected = if leaves_at_eight { 30.0 } else { 0.0 };
        assert_eq!(l.3, Some(expected), "{l:?}");
    }
}

// ---- Crew sick calls: a toy with crew ------------------------------------------------------------------

/// N1 (BOS): L1 BOS-JFK 06:00, L2 JFK-BOS 08:00, L3 BOS-JFK 10:00, L4 JFK-BOS 12:00.
/// N2 (JFK): L5 JFK-BOS 07:00, L6 BOS-JFK 09:00, L7 JFK-BOS 11:00, L8 BOS-JFK 13:00. One-hour blocks.
/// Captains: C1 (BOS) L1+L2, C2 (BOS) L3+L4, C3 (JFK) L5+L6, C4 (JFK) L7+L8; one duty each.
fn crewed_schedule() -> Schedule {
    use common::{captain, leg, operating, parts};
    let legs = vec![
        leg(1, "BOS", "JFK", at(6, 0), 60, "N1"),
        leg(2, "JFK", "BOS", at(8, 0), 60, "N1"),
        leg(3, "BOS", "JFK", at(10, 0), 60, "N1"),
        leg(4, "JFK", "BOS", at(12, 0), 60, "N1"),
        leg(5, "JFK", "BOS", at(7, 0), 60, "N2"),
        leg(6, "BOS", "JFK", at(9, 0), 60, "N2"),
        leg(7, "JFK", "BOS", at(11, 0), 60, "N2"),
        leg(8, "BOS", "JFK", at(13, 0), 60, "N2"),
    ];
    let mut p = parts(
        legs,
        vec![common::aircraft("N1", "BOS"), common::aircraft("N2", "JFK")],
    );
    let duties = [
        ("C1", "BOS", [1, 2]),
        ("C2", "BOS", [3, 4]),
        ("C3", "JFK", [5, 6]),
        ("C4", "JFK", [7, 8]),
    ];
    for (i, (crew, base, legs)) in duties.iter().enumerate() {
        let first_out = p.legs[legs[0] as usize - 1].scheduled_out;
        let last_in = p.legs[legs[1] as usize - 1].scheduled_in;
        p.crew.push(captain(crew, base));
        p.pairings.push(Pairing {
            id: PairingId(i as u32 + 1),
            airline: CarrierCode::new("B6"),
            base: code(base),
            duties: vec![Duty {
                report: first_out - Minutes(60),
                release: last_in + Minutes(30),
                segments: operating(legs),
            }],
        });
        p.rosters.push(RosterAssignment {
            crew: CrewId::new(*crew),
            pairing: PairingId(i as u32 + 1),
        });
    }
    Schedule::new(p).unwrap()
}

fn no_reserves() -> WorldOptions {
    WorldOptions {
        reserves: ReserveSupply {
            share_of_based_crew: 0.0,
            ..ReserveSupply::default()
        },
        ..toy_options()
    }
}

/// One leg's fate: arrival delay (None if not flown) and why it was cancelled.
type Fate = (Option<f64>, Option<CancelReason>);

/// Per leg id 1..=8 its fate, and the reserve call-outs, of replication `r`.
fn run_crewed(disruptions: &[Disruption], options: WorldOptions, r: u64) -> (Vec<Fate>, u64) {
    let schedule = crewed_schedule();
    let world = World::new(&schedule, Window::day(day()), &[], options)
        .unwrap()
        .with_disruptions(disruptions)
        .unwrap();
    let outcome = Twin::new(&world, &DelayModel::none())
        .replicate(RngStreams::new(5).replication(r))
        .unwrap();
    let mut by_id: Vec<(u32, Fate)> = world
        .legs()
        .iter()
        .zip(&outcome.legs)
        .map(|(l, o)| (l.id.0, (o.arrival_delay_min(l.scheduled_in), o.cancelled)))
        .collect();
    by_id.sort_by_key(|(id, _)| *id);
    (
        by_id.into_iter().map(|(_, r)| r).collect(),
        outcome.ops.reserve_callouts,
    )
}

fn sick(crew: &str, when: UtcMinute) -> Disruption {
    Disruption::CrewSickCall(disruption::CrewSickCall {
        crew: Some(CrewId::new(crew)),
        base_share: None,
        at: when,
    })
}

#[test]
fn a_named_sick_captain_works_nothing_after_the_call_and_only_their_legs_are_touched() {
    let (base, _) = run_crewed(&[], no_reserves(), 0);
    assert!(base.iter().all(|l| *l == (Some(0.0), None)), "{base:?}");
    // C2 calls in at 09:00, before L3: with no reserve, L3 and L4 are not flown; all else as planned.
    let (called, _) = run_crewed(&[sick("C2", at(9, 0))], no_reserves(), 0);
    for (i, (b, c)) in base.iter().zip(&called).enumerate() {
        if i == 2 || i == 3 {
            assert_eq!(
                c.0,
                None,
                "leg {} of the sick captain is flown: {called:?}",
                i + 1
            );
            assert!(c.1.is_some());
        } else {
            assert_eq!(b, c, "leg {} is not C2's", i + 1);
        }
    }
    assert_eq!(called[2].1, Some(CancelReason::CrewMissing));
    // Called in at 11:00, after L3 left: L3 is flown, L4 is not.
    let (late, _) = run_crewed(&[sick("C2", at(11, 0))], no_reserves(), 0);
    assert_eq!(late[2], (Some(0.0), None));
    assert_eq!(late[3].0, None);
    // With reserves standing by at BOS, one covers C2's legs; nobody else's legs change.
    let (covered, callouts) = run_crewed(&[sick("C2", at(9, 0))], toy_options(), 0);
    let (with_reserves_base, base_callouts) = run_crewed(&[], toy_options(), 0);
    assert!(callouts > base_callouts, "no reserve was called out");
    for (i, (b, c)) in with_reserves_base.iter().zip(&covered).enumerate() {
        if i == 2 || i == 3 {
            assert!(
                c.0.is_some(),
                "the reserve flies leg {}: {covered:?}",
                i + 1
            );
        } else {
            assert_eq!(b, c, "leg {} is not C2's", i + 1);
        }
    }
}

#[test]
fn a_sick_share_of_a_base_reaches_only_that_bases_crew() {
    let share = |s: f64| {
        Disruption::CrewSickCall(disruption::CrewSickCall {
            crew: None,
            base_share: Some((code("BOS"), s)),
            at: at(5, 0),
        })
    };
    let (base, _) = run_crewed(&[], no_reserves(), 0);
    // Everyone based at BOS: C1's and C2's legs (1-4) are not flown; JFK crew's (5-8) are as planned.
    let (all, _) = run_crewed(&[share(1.0)], no_reserves(), 0);
    for (i, (b, a)) in base.iter().zip(&all).enumerate() {
        if i < 4 {
            assert_eq!(a.0, None, "leg {} of BOS crew is flown", i + 1);
        } else {
            assert_eq!(b, a, "leg {} is flown by JFK crew", i + 1);
        }
    }
    // Half of them, drawn per replication: some replications lose BOS legs, none ever a JFK leg.
    let mut lost = 0;
    for r in 0..40 {
        let (half, _) = run_crewed(&[share(0.5)], no_reserves(), r);
        lost += half[..4].iter().filter(|l| l.0.is_none()).count();
        assert_eq!(&half[4..], &base[4..], "replication {r}");
    }
    assert!(
        (20..=140).contains(&lost),
        "{lost} BOS legs lost in 40 replications"
    );
}

// ---- Weather replay -------------------------------------------------------------------------------------

/// N1 BOS-JFK at 10:00 on 2 July, N2 BOS-JFK at 10:00 on 3 July; BOS fair every hour of both days, and
/// raining every hour of 8 February.
fn weather_schedule() -> Schedule {
    let next_day = |t: UtcMinute| t + Minutes(24 * 60);
    let legs = vec![
        common::leg(1, "BOS", "JFK", at(10, 0), 60, "N1"),
        common::leg(2, "BOS", "JFK", next_day(at(10, 0)), 60, "N2"),
    ];
    let mut p = common::parts(
        legs,
        vec![common::aircraft("N1", "BOS"), common::aircraft("N2", "BOS")],
    );
    let observation = |time: UtcMinute, rain: f64| WeatherObservation {
        airport: code("BOS"),
        time,
        temperature_f: Some(60.0),
        dewpoint_f: None,
        humidity_pct: None,
        wind_direction_deg: None,
        wind_speed_mph: Some(5.0),
        wind_gust_mph: None,
        precipitation_in: Some(rain),
        pressure_mb: None,
        visibility_mi: Some(10.0),
    };
    let february = UtcMinute::from_date_minute(Date::new(2013, 2, 8).unwrap(), 0);
    let july = UtcMinute::from_date_minute(day(), 0);
    for h in 0..48 {
        p.weather.push(observation(july + Minutes(h * 60), 0.0));
    }
    for h in 0..24 {
        p.weather.push(observation(february + Minutes(h * 60), 0.3));
    }
    Schedule::new(p).unwrap()
}

#[test]
fn a_weather_replay_reaches_only_legs_leaving_on_its_target_date() {
    // Adverse weather costs every departure an hour; fair weather nothing.
    let mut model = DelayModel::none();
    for cell in &mut model.departure_delay {
        if cell.weather == WeatherCategory::Adverse {
            cell.delay_min = QuantileFunction::from_sample(&mut [60.0, 60.0]).unwrap();
            cell.late_share = 1.0;
        }
    }
    let replay = |target: Date| {
        Disruption::WeatherReplay(disruption::WeatherReplay {
            source_date: Date::new(2013, 2, 8).unwrap(),
            target_date: target,
        })
    };
    let schedule = weather_schedule();
    let days = Window::new(day(), day().add_days(1)).unwrap();
    let delays = |disruptions: &[Disruption]| {
        let world = World::new(&schedule, days, &[], toy_options())
            .unwrap()
            .with_disruptions(disruptions)
            .unwrap();
        let outcome = Twin::new(&world, &model)
            .replicate(RngStreams::new(2).replication(0))
            .unwrap();
        let weather: Vec<WeatherCategory> = world.legs().iter().map(|l| l.weather).collect();
        let arrival: Vec<Option<f64>> = world
            .legs()
            .iter()
            .zip(&outcome.legs)
            .map(|(l, o)| o.arrival_delay_min(l.scheduled_in))
            .collect();
        (weather, arrival)
    };
    let fair = WeatherCategory::Fair;
    assert_eq!(delays(&[]), (vec![fair, fair], vec![Some(0.0), Some(0.0)]));
    // Onto 2 July: the 2 July leg leaves in February's rain and an hour late; 3 July is untouched.
    assert_eq!(
        delays(&[replay(day())]),
        (
            vec![WeatherCategory::Adverse, fair],
            vec![Some(60.0), Some(0.0)]
        )
    );
    // Onto a date outside the simulated days: nothing changes.
    assert_eq!(
        delays(&[replay(Date::new(2013, 7, 5).unwrap())]),
        (vec![fair, fair], vec![Some(0.0), Some(0.0)])
    );
}
