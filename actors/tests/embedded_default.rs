//! The embedded default data set through the twin: its shipped parameter file, determinism, and sanity of
//! a simulated day.

use ucodts_actors::delay_model::EMBEDDED_DEFAULT;
use ucodts_actors::{fit, DataSetIdentity, DelayModel, Twin, Window, World, WorldOptions};
use ucodts_datasets::embedded;
use ucodts_model::Date;
use ucodts_sim::{MonteCarlo, RngStreams};

fn date(text: &str) -> Date {
    Date::parse(text).unwrap()
}

#[test]
fn the_shipped_parameter_file_is_what_fitting_the_embedded_default_gives_byte_for_byte() {
    let schedule = embedded::default_schedule_with_crew().unwrap();
    let all_days = Window::new(date("2013-02-04"), date("2013-07-07")).unwrap();
    let fitted = fit(&schedule, embedded::NAME, all_days).unwrap();
    let text = fitted.to_json();
    if text != EMBEDDED_DEFAULT {
        let fresh = std::env::temp_dir().join("embedded-default.fresh.json");
        std::fs::write(&fresh, &text).unwrap();
        panic!(
            "actors/params/embedded-default.json is stale; the fit gives {} (regenerate with \
             `ucodts fit --out actors/params/embedded-default.json`)",
            fresh.display()
        );
    }
    let shipped = DelayModel::embedded_default();
    shipped
        .expect_data_set(
            &DataSetIdentity::of(&schedule, embedded::NAME),
            std::path::Path::new("<embedded>"),
        )
        .unwrap();
}

#[test]
fn a_replication_of_a_real_day_is_deterministic_and_flies_almost_everything() {
    let schedule = embedded::default_schedule_with_crew().unwrap();
    let world = World::new(
        &schedule,
        Window::day(date("2013-07-02")),
        &[],
        WorldOptions::default(),
    )
    .unwrap();
    let model = DelayModel::embedded_default();
    let twin = Twin::new(&world, &model);
    let a = twin.replicate(RngStreams::new(5).replication(3)).unwrap();
    let b = twin.replicate(RngStreams::new(5).replication(3)).unwrap();
    assert_eq!(a, b);
    let flown = a.legs.iter().filter(|l| l.arrived.is_some()).count();
    let planned_cancelled = world.legs().iter().filter(|l| l.planned_cancelled).count();
    assert!(
        flown + planned_cancelled + 60 >= world.legs().len(),
        "{flown} flown, {planned_cancelled} cancelled in the plan, of {} legs: {:?}",
        world.legs().len(),
        a.ops
    );
    let report = twin
        .monte_carlo(&MonteCarlo::new(5, 8).threads(2), &|| {})
        .unwrap();
    let otp = report.kpi("on_time_rate").unwrap().mean;
    assert!((0.4..0.95).contains(&otp), "on-time rate {otp}");
}
