//! A scenario file that is wrong fails with its file, line and field; one that is right passes. The
//! contradictions are the ones `docs/scenario-format.md` lists, and only those.

use ucodts_model::*;
use ucodts_scenarios::{Scenario, ScenarioError, ScenarioFile};

fn code(c: &str) -> AirportCode {
    AirportCode::new(c).unwrap()
}

/// EWR, JFK, LGA and BOS; tail N1 flying JFK-BOS on 2 July 2013; captain C1 based at JFK; weather at JFK on
/// 8 February and 2 July.
fn schedule() -> Schedule {
    let ny = TimeZone::from_iana("America/New_York").unwrap();
    let airport = |c: &str| Airport {
        code: code(c),
        icao: None,
        name: c.into(),
        latitude_deg: 40.7,
        longitude_deg: -73.8,
        time_zone: ny,
    };
    let t = |s: &str| UtcMinute::parse(s).unwrap();
    let observation = |time: &str| WeatherObservation {
        airport: code("JFK"),
        time: t(time),
        temperature_f: None,
        dewpoint_f: None,
        humidity_pct: None,
        wind_direction_deg: None,
        wind_speed_mph: None,
        wind_gust_mph: None,
        precipitation_in: Some(0.1),
        pressure_mb: None,
        visibility_mi: None,
    };
    Schedule::new(ScheduleParts {
        airlines: vec![Airline {
            code: CarrierCode::new("B6"),
            name: "JetBlue".into(),
        }],
        airports: ["EWR", "JFK", "LGA", "BOS"].map(airport).to_vec(),
        aircraft_types: vec![AircraftType {
            code: TypeCode::new("A320"),
            family: "A320".into(),
            seats: 150,
            min_turn: Minutes(40),
        }],
        aircraft: vec![Aircraft {
            tail: TailId::new("N1"),
            type_code: TypeCode::new("A320"),
            carrier: CarrierCode::new("B6"),
            base: code("JFK"),
            maintenance_due: None,
        }],
        legs: vec![Leg {
            id: LegId(1),
            carrier: CarrierCode::new("B6"),
            flight_number: Some(1),
            origin: code("JFK"),
            destination: code("BOS"),
            scheduled_out: t("2013-07-02T12:00Z"),
            scheduled_in: t("2013-07-02T13:15Z"),
            estimated: OutOffOnIn::default(),
            actual: OutOffOnIn::default(),
            tail: Some(TailId::new("N1")),
            status: LegStatus::Scheduled,
            source: LegSource::Recorded,
        }],
        crew: vec![CrewMember {
            id: CrewId::new("C1"),
            airline: CarrierCode::new("B6"),
            rank: Rank::Captain,
            base: code("JFK"),
            qualifications: vec![TypeCode::new("A320")],
            home_zone: ny,
        }],
        weather: vec![
            observation("2013-02-08T12:00Z"),
            observation("2013-02-09T12:00Z"),
            observation("2013-07-02T12:00Z"),
        ],
        ..ScheduleParts::default()
    })
    .unwrap()
}

const HEAD: &str = "name = \"t\"\nfrom = \"2013-07-02\"\nto = \"2013-07-02\"\n";

/// The header (lines 1-3) and then `body`, checked against the schedule.
fn check(body: &str) -> Result<Scenario, ScenarioError> {
    let text = format!("{HEAD}{body}");
    ScenarioFile::parse("t.toml", &text)?.validate(&schedule())
}

fn rejected(body: &str, line: usize, field: &str, says: &str) {
    let e = check(body).expect_err("the file is rejected");
    assert_eq!(
        (e.file.as_str(), e.line, e.field.as_str()),
        ("t.toml", line, field),
        "{e}"
    );
    assert!(e.to_string().contains(says), "{e}");
}

fn capacity(from: &str, to: &str, rate: u32) -> String {
    format!(
        "\n[[disruption]]\nkind = \"airport_capacity\"\nairport = \"EWR\"\nfrom = \"{from}\"\nto = \"{to}\"\narrivals_per_hour = {rate}\n"
    )
}

#[test]
fn a_well_formed_file_with_every_kind_passes() {
    let body = r#"
[[disruption]]
kind = "airport_capacity"
airport = "EWR"
from = "2013-07-02T14:00"
to = "2013-07-02T18:00"
arrivals_per_hour = 20

[[disruption]]
kind = "ground_delay_programme"
airport = "LGA"
from = "2013-07-02T12:00"
to = "2013-07-02T20:00"
arrivals_per_hour = 24
max_delay_min = 180

[[disruption]]
kind = "airport_closure"
airport = "JFK"
from = "2013-07-02T08:00"
to = "2013-07-02T10:00"

[[disruption]]
kind = "curfew"
airport = "BOS"
from = "2013-07-02T23:00"
to = "2013-07-03T06:00"

[[disruption]]
kind = "aircraft_on_ground"
tail = "N1"
from = "2013-07-02T09:00Z"
expected_return = "2013-07-02T13:00Z"
return_uncertainty_min = 60

[[disruption]]
kind = "crew_sick_call"
crew = "C1"
at = "2013-07-02T05:00"

[[disruption]]
kind = "crew_sick_call"
base = "JFK"
share = 0.05
at = "2013-07-02T04:00"

[[disruption]]
kind = "route_delay"
routes = ["JFK-BOS"]
from = "2013-07-02T15:00Z"
to = "2013-07-02T21:00Z"
extra_min = 30

[[disruption]]
kind = "block_time_inflation"
routes = ["all"]
from = "2013-07-02T04:00Z"
to = "2013-07-03T04:00Z"
percent = 8.0

[[disruption]]
kind = "weather_replay"
source_date = "2013-02-08"
target_date = "2013-07-02"
"#;
    let scenario = check(body).unwrap();
    assert_eq!(scenario.disruptions.len(), 10);
    // Local times resolved through the airport's zone: 14:00 EDT is 18:00 UTC.
    assert_eq!(
        scenario.disruptions[0].window().0,
        UtcMinute::parse("2013-07-02T18:00Z").unwrap()
    );
}

#[test]
fn an_unknown_field_in_a_disruption_is_named_with_its_line() {
    let body = capacity("2013-07-02T14:00", "2013-07-02T18:00", 20) + "gusts_mph = 40\n";
    rejected(&body, 11, "gusts_mph", "unknown field");
}

#[test]
fn a_field_of_another_kind_is_named_with_its_line() {
    let body = capacity("2013-07-02T14:00", "2013-07-02T18:00", 20) + "tail = \"N1\"\n";
    rejected(&body, 11, "tail", "does not apply to `airport_capacity`");
}

#[test]
fn unknown_airports_tails_crew_and_routes_are_named_with_their_lines() {
    let body = capacity("2013-07-02T14:00", "2013-07-02T18:00", 20).replace("EWR", "XYZ");
    rejected(&body, 7, "airport", "no airport `XYZ`");
    let aog = "\n[[disruption]]\nkind = \"aircraft_on_ground\"\ntail = \"N999\"\nfrom = \"2013-07-02T09:00Z\"\nexpected_return = \"2013-07-02T13:00Z\"\n";
    rejected(aog, 7, "tail", "N999");
    let sick =
        "\n[[disruption]]\nkind = \"crew_sick_call\"\ncrew = \"C9\"\nat = \"2013-07-02T05:00Z\"\n";
    rejected(sick, 7, "crew", "C9");
    let base = "\n[[disruption]]\nkind = \"crew_sick_call\"\nbase = \"EWR\"\nshare = 0.1\nat = \"2013-07-02T05:00\"\n";
    rejected(base, 7, "base", "no crew are based at EWR");
    let route = "\n[[disruption]]\nkind = \"route_delay\"\nroutes = [\"JFK-XYZ\"]\nfrom = \"2013-07-02T15:00Z\"\nto = \"2013-07-02T16:00Z\"\nextra_min = 5\n";
    rejected(route, 7, "routes", "JFK-XYZ");
}

#[test]
fn an_inverted_or_empty_window_is_named_with_its_line() {
    let inverted = capacity("2013-07-02T18:00", "2013-07-02T14:00", 20);
    rejected(&inverted, 9, "to", "ends");
    let empty = capacity("2013-07-02T14:00", "2013-07-02T14:00", 20);
    rejected(&empty, 9, "to", "at or before it starts");
    let aog = "\n[[disruption]]\nkind = \"aircraft_on_ground\"\ntail = \"N1\"\nfrom = \"2013-07-02T13:00Z\"\nexpected_return = \"2013-07-02T09:00Z\"\n";
    assert!(check(aog).is_err(), "an AOG that returns before it breaks");
}

#[test]
fn two_capacity_cuts_at_one_airport_with_different_rates_in_overlapping_windows_contradict() {
    let body = capacity("2013-07-02T14:00", "2013-07-02T18:00", 20)
        + &capacity("2013-07-02T17:00", "2013-07-02T19:00", 30);
    rejected(&body, 17, "arrivals_per_hour", "contradicts the");
    assert!(check(&body)
        .unwrap_err()
        .problem
        .contains("disruption at line 5"));
    // Back to back, or at the same rate, they do not.
    check(
        &(capacity("2013-07-02T14:00", "2013-07-02T18:00", 20)
            + &capacity("2013-07-02T18:00", "2013-07-02T19:00", 30)),
    )
    .unwrap();
    check(
        &(capacity("2013-07-02T14:00", "2013-07-02T18:00", 20)
            + &capacity("2013-07-02T17:00", "2013-07-02T19:00", 20)),
    )
    .unwrap();
}

#[test]
fn two_programmes_two_aogs_two_replays_two_inflations_two_base_shares_contradict() {
    let gdp = |rate: u32| {
        format!("\n[[disruption]]\nkind = \"ground_delay_programme\"\nairport = \"LGA\"\nfrom = \"2013-07-02T12:00\"\nto = \"2013-07-02T20:00\"\narrivals_per_hour = {rate}\n")
    };
    rejected(
        &(gdp(24) + &gdp(30)),
        17,
        "arrivals_per_hour",
        "contradicts",
    );
    let aog = "\n[[disruption]]\nkind = \"aircraft_on_ground\"\ntail = \"N1\"\nfrom = \"2013-07-02T09:00Z\"\nexpected_return = \"2013-07-02T13:00Z\"\n";
    rejected(&format!("{aog}{aog}"), 13, "tail", "contradicts");
    let replay = |source: &str| {
        format!("\n[[disruption]]\nkind = \"weather_replay\"\nsource_date = \"{source}\"\ntarget_date = \"2013-07-02\"\n")
    };
    rejected(
        &(replay("2013-02-08") + &replay("2013-02-09")),
        12,
        "source_date",
        "the weather of 2013-07-02",
    );
    let inflation = |routes: &str, percent: f64| {
        format!("\n[[disruption]]\nkind = \"block_time_inflation\"\nroutes = {routes}\nfrom = \"2013-07-02T04:00Z\"\nto = \"2013-07-03T04:00Z\"\npercent = {percent:.1}\n")
    };
    rejected(
        &(inflation(r#"["JFK-BOS", "JFK-LGA"]"#, 8.0) + &inflation(r#"["JFK-BOS"]"#, 12.0)),
        17,
        "percent",
        "the block time of JFK-BOS",
    );
    // On routes that do not meet, two inflations do not contradict.
    check(&(inflation(r#"["JFK-BOS"]"#, 8.0) + &inflation(r#"["BOS-JFK"]"#, 12.0))).unwrap();
    let share = |s: f64| {
        format!("\n[[disruption]]\nkind = \"crew_sick_call\"\nbase = \"JFK\"\nshare = {s}\nat = \"2013-07-02T04:00\"\n")
    };
    rejected(
        &(share(0.05) + &share(0.1)),
        14,
        "share",
        "the sick share of the crew based at JFK",
    );
}

#[test]
fn what_is_not_a_contradiction_passes() {
    let closure = "\n[[disruption]]\nkind = \"airport_closure\"\nairport = \"EWR\"\nfrom = \"2013-07-02T23:30\"\nto = \"2013-07-03T01:00\"\n";
    let curfew = "\n[[disruption]]\nkind = \"curfew\"\nairport = \"EWR\"\nfrom = \"2013-07-02T23:00\"\nto = \"2013-07-03T06:00\"\n";
    // A closure inside a curfew: both stop every movement, so they agree.
    check(&format!("{closure}{curfew}")).unwrap();
    // A capacity cut around a closure: the closure holds everything while it lasts, the cut the rest.
    check(&(capacity("2013-07-02T22:00", "2013-07-03T02:00", 20) + closure)).unwrap();
    // A ground delay programme meters flights at their origins while a cut meters the runway.
    let gdp = "\n[[disruption]]\nkind = \"ground_delay_programme\"\nairport = \"EWR\"\nfrom = \"2013-07-02T14:00\"\nto = \"2013-07-02T18:00\"\narrivals_per_hour = 24\n";
    check(&(capacity("2013-07-02T14:00", "2013-07-02T18:00", 20) + gdp)).unwrap();
    // Two route delays add up (two restrictions on one route).
    let delay = "\n[[disruption]]\nkind = \"route_delay\"\nroutes = [\"JFK-BOS\"]\nfrom = \"2013-07-02T15:00Z\"\nto = \"2013-07-02T21:00Z\"\nextra_min = 10\n";
    check(&format!("{delay}{delay}")).unwrap();
}
