//! The ROADEF 2009 files: a damaged instance file gives an error naming the file, line, column and field
//! (never a panic, whatever the damage), and a plan written as solution files reads back as the same plan.

mod roadef_fixture;

use proptest::prelude::*;
use roadef_fixture::{write_instance, FILES};
use ucodts_datasets::roadef2009;
use ucodts_model::recovery::{
    AircraftIdx, AirportIdx, Cabin, FlightIdx, ItineraryIdx, NewFlight, NewFlightIdx, OperatedLeg,
    PassengerLeg, PassengerLine, PlanFlight, RecoveryPlan, RecoveryProblem,
};
use ucodts_model::{Date, Minutes, UtcMinute};

/// Writes the instance with `find` replaced by `replace` in `file`, and loads it.
fn load_damaged(
    file: &str,
    find: &str,
    replace: &str,
) -> Result<RecoveryProblem, ucodts_datasets::DatasetError> {
    let tmp = tempfile::tempdir().unwrap();
    write_instance(tmp.path());
    let path = tmp.path().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(find), "{file} has no {find:?}");
    std::fs::write(&path, text.replacen(find, replace, 1)).unwrap();
    roadef2009::load(tmp.path())
}

#[test]
fn the_intact_instance_loads() {
    let tmp = tempfile::tempdir().unwrap();
    write_instance(tmp.path());
    let p = roadef2009::load(tmp.path()).unwrap();
    assert_eq!(
        (
            p.airports.len(),
            p.aircraft.len(),
            p.flights.len(),
            p.itineraries.len()
        ),
        (3, 4, 9, 6)
    );
}

#[test]
fn every_damaged_file_names_file_line_column_and_field() {
    // (file, text, damaged text, expected start of the message after the folder)
    let cases = [
        (
            "config.csv",
            "F C 1.25",
            "F C x.25",
            "config.csv:2: column 6 (`delay cost per minute`) is \"x.25\"",
        ),
        (
            "config.csv",
            "1.0 1.0 1.0",
            "1.0 1.0",
            "config.csv:7: column 3 (`gamma`) is \"\"",
        ),
        (
            "airports.csv",
            "00:00 06:00 1 1",
            "00:00 06:30 1 1",
            "airports.csv:2: column 5 (`window end`) is \"06:30\"",
        ),
        (
            "dist.csv",
            "BBB CCC 90 I",
            "BBB CCC 90 Q",
            "dist.csv:5: column 4 (`class`) is \"Q\"",
        ),
        (
            "flights.csv",
            "12:30 14:00 5",
            "12:75 14:00 5",
            "flights.csv:6: column 4 (`departure time`) is \"12:75\"",
        ),
        (
            "aircraft.csv",
            "0/0/120",
            "0/0",
            "aircraft.csv:3: column 4 (`seats`) is \"0/0\"",
        ),
        (
            "aircraft.csv",
            "CCC-01/03/08-15:00",
            "CCC-01/03/08-25:00",
            "aircraft.csv:4: column 10 (`maintenance`)",
        ),
        (
            "rotations.csv",
            "7 01/03/08 A320#1",
            "7 01/03/08 A320#9",
            "rotations.csv:5: column 3 (`aircraft`) is \"A320#9\"",
        ),
        (
            "itineraries.csv",
            "6 7 01/03/08 E",
            "6 7 01/03/08 X",
            "itineraries.csv:5: column 7 (`cabin`) is \"X\"",
        ),
        (
            "itineraries.csv",
            "6 7 01/03/08 E",
            "6 8 01/03/08 E",
            "itineraries.csv:5: column 5 (`flight number`) is \"8\"",
        ),
        (
            "position.csv",
            "CCC B737",
            "CCC B747",
            "position.csv:3: column 2 (`model`) is \"B747\"",
        ),
        (
            "alt_flights.csv",
            "2 01/03/08 30",
            "2 31/02/08 30",
            "alt_flights.csv:1: column 2 (`date`) is \"31/02/08\"",
        ),
        (
            "alt_flights.csv",
            "2 01/03/08 30",
            "2 01/03/08 -5",
            "alt_flights.csv:1: column 3 (`delay`) is \"-5\"",
        ),
        (
            "alt_aircraft.csv",
            "01/03/08 08:00",
            "01/03/08 8h00",
            "alt_aircraft.csv:1: column 3 (`from time`) is \"8h00\"",
        ),
        (
            "alt_airports.csv",
            "CCC 01/03/08",
            "ZZZ 01/03/08",
            "alt_airports.csv:1: column 1 (`airport`) is \"ZZZ\"",
        ),
    ];
    for (file, find, replace, expected) in cases {
        let err = load_damaged(file, find, replace)
            .err()
            .unwrap_or_else(|| panic!("{file}: {replace:?} was accepted"))
            .to_string();
        assert!(
            err.contains(expected),
            "{file}: {replace:?}\n got: {err}\nwant: {expected}"
        );
    }
}

#[test]
fn a_missing_file_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    write_instance(tmp.path());
    std::fs::remove_file(tmp.path().join("dist.csv")).unwrap();
    let err = roadef2009::load(tmp.path()).unwrap_err().to_string();
    assert!(err.contains("dist.csv"), "{err}");
}

#[test]
fn every_prefix_of_every_file_loads_or_fails_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    let mut failures = 0;
    for (name, text) in FILES {
        for cut in 0..text.len() {
            write_instance(tmp.path());
            std::fs::write(tmp.path().join(name), &text[..cut]).unwrap();
            if roadef2009::load(tmp.path()).is_err() {
                failures += 1;
            }
        }
    }
    // Cutting inside a field is usually caught; the point is that nothing panicked.
    assert!(failures > 0);
}

fn day() -> Date {
    Date::new(2008, 3, 1).unwrap()
}

/// A recipe for a passenger line: (itinerary, passengers, legs (flight choice, cabin), cancelled).
type LineRecipe = (u32, u32, Vec<(u32, u8)>, bool);

/// A random plan over the small instance, in the canonical form the reader returns: created flights
/// numbered upwards from 100 on 01/03/08, declared cancellations sorted and unique.
#[derive(Debug, Clone)]
struct PlanRecipe {
    /// Per aircraft: (planned flight 0..9, departure offset in minutes from 01/03/08 00:00).
    legs: Vec<Vec<(u32, i64)>>,
    /// Created flights: (origin, destination, flown by aircraft (None: not flown), departure offset).
    new: Vec<(u16, u16, Option<u16>, i64)>,
    cancelled: Vec<bool>,
    /// (itinerary, passengers, legs (flight choice, cabin), cancelled); a flight choice below 9 is a
    /// planned flight, above a created one.
    lines: Vec<LineRecipe>,
}

fn recipe() -> impl Strategy<Value = PlanRecipe> {
    (
        prop::collection::vec(prop::collection::vec((0u32..9, 0i64..3000), 0..4), 4),
        prop::collection::vec(
            (0u16..3, 0u16..3, prop::option::of(0u16..4), 0i64..3000),
            0..3,
        ),
        prop::collection::vec(any::<bool>(), 9),
        prop::collection::vec(
            (
                0u32..6,
                0u32..20,
                prop::collection::vec((0u32..12, 0u8..3), 0..4),
                any::<bool>(),
            ),
            0..8,
        ),
    )
        .prop_map(|(legs, new, cancelled, lines)| PlanRecipe {
            legs,
            new,
            cancelled,
            lines,
        })
}

fn build(p: &RecoveryProblem, r: &PlanRecipe) -> RecoveryPlan {
    let t0 = UtcMinute::from_date_minute(day(), 0);
    let mut plan = RecoveryPlan {
        rotations: vec![Vec::new(); p.aircraft.len()],
        ..RecoveryPlan::default()
    };
    for (a, legs) in r.legs.iter().enumerate() {
        for &(f, offset) in legs {
            plan.rotations[a].push(OperatedLeg {
                flight: PlanFlight::Planned(FlightIdx(f)),
                departure: t0 + Minutes(offset),
                arrival: t0 + Minutes(offset + 45),
            });
        }
    }
    for (k, &(o, d, by, offset)) in r.new.iter().enumerate() {
        plan.new_flights.push(NewFlight {
            number: 100 + k as u32,
            date: day(),
            origin: AirportIdx(o),
            destination: AirportIdx(d),
        });
        if let Some(a) = by {
            plan.rotations[AircraftIdx(a).index()].push(OperatedLeg {
                flight: PlanFlight::New(NewFlightIdx(k as u32)),
                departure: t0 + Minutes(offset),
                arrival: t0 + Minutes(offset + 60),
            });
        }
    }
    plan.cancelled = (0..9)
        .filter(|&i| r.cancelled[i as usize])
        .map(FlightIdx)
        .collect();
    for (it, pax, legs, cancelled) in &r.lines {
        let legs = legs
            .iter()
            .filter_map(|&(choice, cabin)| {
                let flight = if choice < 9 {
                    PlanFlight::Planned(FlightIdx(choice))
                } else if ((choice - 9) as usize) < plan.new_flights.len() {
                    PlanFlight::New(NewFlightIdx(choice - 9))
                } else {
                    return None;
                };
                let cabin = [Cabin::First, Cabin::Business, Cabin::Economy][cabin as usize];
                Some(PassengerLeg { flight, cabin })
            })
            .collect();
        plan.passengers.push(PassengerLine {
            itinerary: ItineraryIdx(*it),
            passengers: *pax,
            legs,
            cancelled: *cancelled,
        });
    }
    plan
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_written_solution_reads_back_as_the_same_plan(r in recipe()) {
        let tmp = tempfile::tempdir().unwrap();
        let instance = tmp.path().join("instance");
        write_instance(&instance);
        let p = roadef2009::load(&instance).unwrap();
        let plan = build(&p, &r);
        let out = tmp.path().join("solution");
        roadef2009::write_solution(&p, &plan, &out).unwrap();
        let back = roadef2009::read_solution(&p, &out).unwrap();
        prop_assert_eq!(&back, &plan);
        // No temporary file is left behind.
        let mut names: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        names.sort();
        prop_assert_eq!(names, vec!["sol_itineraries.csv".to_string(), "sol_rotations.csv".to_string()]);
    }
}

#[test]
fn check_solution_dir_reads_and_judges_a_written_plan() {
    let tmp = tempfile::tempdir().unwrap();
    let instance = tmp.path().join("instance");
    write_instance(&instance);
    let p = roadef2009::load(&instance).unwrap();
    let plan = RecoveryPlan::with_disruptions_applied(&p);
    let out = tmp.path().join("solution");
    roadef2009::write_solution(&p, &plan, &out).unwrap();
    let checked = roadef2009::check_solution_dir(&instance, &out).unwrap();
    assert_eq!(checked.plan, plan);
    assert!(!checked.evaluation.feasible);
    assert_eq!(checked.evaluation.cost.total.to_string(), "26019.50");
}
