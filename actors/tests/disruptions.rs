//! Each simulated disruption kind moves its KPI in the expected direction, and only where it can reach.

use ucodts_actors::{DelayModel, Twin, Window, World, WorldOptions};
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

/// Per leg (world order): (origin, destination, tail, arrival delay or None if cancelled).
fn run(
    disruptions: &[Disruption],
    model: &DelayModel,
) -> Vec<(String, String, String, Option<f64>)> {
    let schedule = schedule();
    let world = World::new(&schedule, Window::day(day()), &[], WorldOptions::default())
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
