//! Operations control ahead of a storm: a flight into a snowstorm is cancelled, its tail is kept out, misses
//! the next morning's departure and is ferried back for the first leg after the storm has cleared.

mod common;

use common::{at, code, day, jfk_b6_policy, JFK_B6_COLUMNS};
use ucodts_actors::delay_model::disruption_model::NUMERIC_FEATURES;
use ucodts_actors::delay_model::WeatherWindows;
use ucodts_actors::{
    CancelReason, DelayModel, ReplicationOutcome, Twin, Window, World, WorldOptions,
};
use ucodts_model::{Leg, Minutes, Schedule, UtcMinute, WeatherObservation};
use ucodts_sim::RngStreams;

/// JFK observed hourly from noon on the test day to noon the next: snow (0.1 in an hour at 28 °F, half a
/// mile's visibility) from 18:00 to 03:59 local, fair otherwise.
fn snow_at_jfk() -> Vec<WeatherObservation> {
    let noon = at(12, 0);
    (0..24)
        .map(|h| {
            let time = noon + Minutes(h * 60);
            let snowing = (6..16).contains(&h);
            WeatherObservation {
                airport: code("JFK"),
                time,
                temperature_f: Some(if snowing { 28.0 } else { 40.0 }),
                dewpoint_f: None,
                humidity_pct: None,
                wind_direction_deg: None,
                wind_speed_mph: Some(10.0),
                wind_gust_mph: None,
                precipitation_in: Some(if snowing { 0.1 } else { 0.0 }),
                pressure_mb: None,
                visibility_mi: Some(if snowing { 0.5 } else { 10.0 }),
            }
        })
        .collect()
}

/// A policy that cancels whatever leaves or arrives in frozen precipitation and nothing else.
fn snow_policy() -> DelayModel {
    let mut cancellation = vec![0.0; JFK_B6_COLUMNS + 1];
    cancellation[0] = -12.0;
    let frozen_near = 1 + NUMERIC_FEATURES
        .iter()
        .position(|&n| n == "frozen_near_in_x10")
        .unwrap();
    cancellation[frozen_near] = 4.0;
    jfk_b6_policy(cancellation, None)
}

/// N1, parked at `base`, flies `legs` with the snow at JFK under [`snow_policy`]: the world and five
/// replications of it.
fn five_in_the_snow(legs: Vec<Leg>, base: &str) -> (World, Vec<ReplicationOutcome>) {
    let mut parts = common::parts(legs, vec![common::aircraft("N1", base)]);
    parts.weather = snow_at_jfk();
    let schedule = Schedule::new(parts).unwrap();
    let window = Window::new(day(), day().add_days(1)).unwrap();
    let world = World::new(&schedule, window, &[], WorldOptions::default()).unwrap();
    let model = snow_policy();
    let outcomes = {
        let twin = Twin::new(&world, &model);
        (0..5)
            .map(|replication| {
                twin.replicate(RngStreams::new(7).replication(replication))
                    .unwrap()
            })
            .collect()
    };
    (world, outcomes)
}

fn next_day(t: UtcMinute) -> UtcMinute {
    t + Minutes(24 * 60)
}

#[test]
fn a_tail_kept_out_by_a_storm_misses_the_next_morning_and_is_ferried_back_after_it() {
    // N1: BOS-JFK at 20:00 into the snow; JFK-ATL at 06:30 the next morning, before the storm has cleared
    // (no severe hour within 2 hours either side from 06:00) and the tail could be back; JFK-ORD at 09:00.
    let legs = vec![
        common::leg(1, "BOS", "JFK", at(20, 0), 60, "N1"),
        common::leg(2, "JFK", "ATL", next_day(at(6, 30)), 150, "N1"),
        common::leg(3, "JFK", "ORD", next_day(at(9, 0)), 150, "N1"),
    ];
    let (world, outcomes) = five_in_the_snow(legs.clone(), "BOS");
    let index = |id: u32| world.leg_index(ucodts_model::LegId(id)).unwrap() as usize;
    for outcome in &outcomes {
        assert_eq!(
            outcome.legs[index(1)].cancelled,
            Some(CancelReason::Disruption),
            "the flight into the snow is cancelled"
        );
        assert_eq!(
            outcome.legs[index(2)].cancelled,
            Some(CancelReason::AircraftElsewhere),
            "the tail is still in Boston at 06:30"
        );
        let flown = outcome.legs[index(3)];
        assert_eq!(flown.cancelled, None, "the tail is ferried back for 09:00");
        assert!(flown.out.is_some());
    }
    // Without the storm the same rotation is flown whole.
    let mut parts = common::parts(legs, vec![common::aircraft("N1", "BOS")]);
    parts.weather = snow_at_jfk()
        .into_iter()
        .map(|mut o| {
            o.precipitation_in = Some(0.0);
            o.visibility_mi = Some(10.0);
            o
        })
        .collect();
    let fair = Schedule::new(parts).unwrap();
    let window = Window::new(day(), day().add_days(1)).unwrap();
    let world = World::new(&fair, window, &[], WorldOptions::default()).unwrap();
    let outcome = Twin::new(&world, &snow_policy())
        .replicate(RngStreams::new(7).replication(0))
        .unwrap();
    assert!(outcome.legs.iter().all(|l| l.cancelled.is_none()));
}

#[test]
fn a_tail_stranded_away_from_its_rotation_is_back_in_it_by_the_next_morning() {
    // N1: JFK-ATL at 19:00 into the snow at JFK (cancelled at the departure: the tail stays at JFK); ATL-JFK
    // at 22:00 then needs a tail in Atlanta, three hours later; DCA-ORD at 07:00 the next morning leaves
    // twelve hours after the stranding from an airport with no storm. Before repositioning the tail waited
    // at JFK for a leg from JFK that never came, and the morning leg went too.
    let legs = vec![
        common::leg(1, "JFK", "ATL", at(19, 0), 150, "N1"),
        common::leg(2, "ATL", "JFK", at(22, 0), 150, "N1"),
        common::leg(3, "DCA", "ORD", next_day(at(7, 0)), 150, "N1"),
    ];
    let (world, outcomes) = five_in_the_snow(legs, "JFK");
    let index = |id: u32| world.leg_index(ucodts_model::LegId(id)).unwrap() as usize;
    for outcome in &outcomes {
        assert_eq!(
            outcome.legs[index(1)].cancelled,
            Some(CancelReason::Disruption),
            "the departure into the snow is cancelled"
        );
        assert_eq!(
            outcome.legs[index(2)].cancelled,
            Some(CancelReason::AircraftElsewhere),
            "three hours are not enough to bring the tail to Atlanta"
        );
        let morning = outcome.legs[index(3)];
        assert_eq!(
            morning.cancelled, None,
            "the tail is repositioned overnight for the morning leg"
        );
        assert!(morning.out.is_some());
    }
}

#[test]
fn near_freezing_precipitation_under_a_clear_horizon_is_rain_not_snow() {
    // The same 0.3 in an hour at 33 °F from 18:00 to 03:59 local at JFK, under half a mile, 3 miles and 10
    // miles of visibility: snow cuts visibility, so only the first two are frozen precipitation (what the
    // disruption model and the storm policy read); the third is rain, or a gauge that is wrong.
    let frozen_near = |visibility_mi: f64| {
        let weather = snow_at_jfk()
            .into_iter()
            .map(|mut o| {
                if o.precipitation_in == Some(0.1) {
                    o.precipitation_in = Some(0.3);
                    o.temperature_f = Some(33.0);
                    o.visibility_mi = Some(visibility_mi);
                }
                o
            })
            .collect();
        let mut parts = common::parts(Vec::new(), Vec::new());
        parts.weather = weather;
        let schedule = Schedule::new(parts).unwrap();
        let features = WeatherWindows::new(&schedule).around(code("JFK"), at(22, 0));
        (features.precipitation_near_in, features.frozen_near_in)
    };
    let (precipitation, frozen) = frozen_near(0.5);
    assert!(precipitation > 1.0, "five hours of 0.3 in: {precipitation}");
    assert_eq!(frozen, precipitation, "snow at half a mile");
    assert_eq!(frozen_near(3.0).1, precipitation, "snow at 3 miles");
    let (rain, frozen) = frozen_near(10.0);
    assert_eq!(rain, precipitation, "the precipitation is all still there");
    assert_eq!(frozen, 0.0, "under 10 miles of visibility it is not snow");
}
