//! The duties-only forecast used to price candidate rosters in crew recovery gives exactly the duties of
//! the full forecast, whatever was forecast before it on the same thread (it keeps a table of UTC offsets
//! from call to call).

mod common;

use common::*;
use ucodts_model::fatigue::{forecast_crew, forecast_crew_duties, FatigueSettings};
use ucodts_model::*;

/// Round-trip duties reporting at these New York times, one pairing each.
fn roster(reports: &[(i32, u8, u8, i64)]) -> Schedule {
    let mut b = RosterBuilder::new(Rank::Captain);
    for &(y, m, d, hh) in reports {
        let duty = b.round_trip_duty(ny_time(y, m, d, hh, 0), 2, Minutes(8 * 60), None);
        b.pairing(vec![duty]);
    }
    b.build()
}

#[test]
fn duties_only_forecast_equals_the_full_forecasts_duties_in_any_order() {
    let settings = FatigueSettings::default();
    let rosters = [
        // A day duty, then a night duty.
        roster(&[(2013, 2, 12, 7), (2013, 2, 12, 22)]),
        // Across the change to daylight saving time (New York, 10 March 2013 02:00).
        roster(&[(2013, 3, 9, 21), (2013, 3, 10, 22), (2013, 3, 12, 5)]),
        // Across the change back (3 November 2013 02:00), months later.
        roster(&[(2013, 11, 2, 20), (2013, 11, 4, 6)]),
        // Back to February: the offsets remembered from the others must not leak into it.
        roster(&[(2013, 2, 14, 16), (2013, 2, 16, 8)]),
    ];
    let full: Vec<_> = rosters
        .iter()
        .map(|s| forecast_crew(s, &c1(), &settings).unwrap().duties)
        .collect();
    for round in 0..2 {
        for (i, schedule) in rosters.iter().enumerate() {
            let duties = forecast_crew_duties(schedule, &c1(), &settings).unwrap();
            assert_eq!(duties, full[i], "roster {i}, round {round}");
        }
    }
    for (i, schedule) in rosters.iter().enumerate().rev() {
        assert_eq!(
            forecast_crew_duties(schedule, &c1(), &settings).unwrap(),
            full[i]
        );
    }
    assert!(forecast_crew_duties(&rosters[0], &CrewId::new("nobody"), &settings).is_none());
}
