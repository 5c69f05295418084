//! Bad inputs give errors that say what is wrong, never a panic.

mod common;

use std::path::Path;

use common::*;
use ucodts_actors::{
    ActorsError, DataSetIdentity, DelayModel, RecoveryAction, Window, World, WorldOptions,
};
use ucodts_model::*;

fn shuttle() -> Schedule {
    Schedule::new(parts(
        vec![
            leg(1, "JFK", "BOS", at(8, 0), 75, "N1"),
            leg(2, "BOS", "JFK", at(10, 0), 75, "N1"),
        ],
        vec![aircraft("N1", "JFK")],
    ))
    .unwrap()
}

#[test]
fn a_recovery_action_on_an_unknown_leg_is_an_error_naming_the_leg() {
    let cancel = RecoveryAction::Cancel { leg: LegId(77) };
    let err = World::new(
        &shuttle(),
        Window::day(day()),
        &[cancel],
        WorldOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(
        err,
        ActorsError::UnknownLeg { leg: LegId(77), .. }
    ));
    assert!(err.to_string().contains("leg 77"), "{err}");
}

#[test]
fn a_negative_connection_or_turn_setting_is_refused() {
    let options = WorldOptions {
        crew_connection_aircraft_change: Minutes(-5),
        ..WorldOptions::default()
    };
    let err = World::new(&shuttle(), Window::day(day()), &[], options).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("crew_connection_aircraft_change") && text.contains("-5"),
        "{text}"
    );
}

#[test]
fn a_negative_minimum_turn_never_reaches_the_twin() {
    let mut p = shuttle().into_parts();
    p.aircraft_types[0].min_turn = Minutes(-10);
    let err = Schedule::new(p).unwrap_err().to_string();
    assert!(err.contains("min_turn") && err.contains("-10"), "{err}");
}

#[test]
fn an_unknown_tail_never_reaches_the_twin() {
    let mut p = shuttle().into_parts();
    p.legs[1].tail = Some(TailId::new("N999"));
    let err = Schedule::new(p).unwrap_err().to_string();
    assert!(
        err.contains("N999") && err.contains("unknown tail"),
        "{err}"
    );
}

#[test]
fn a_roster_naming_an_unknown_crew_member_never_reaches_the_twin() {
    let mut p = shuttle().into_parts();
    p.rosters.push(RosterAssignment {
        crew: CrewId::new("NOBODY"),
        pairing: PairingId(1),
    });
    let err = Schedule::new(p).unwrap_err().to_string();
    assert!(err.contains("NOBODY"), "{err}");
}

#[test]
fn a_window_with_no_legs_or_backwards_is_an_error() {
    let later = Date::new(2014, 1, 1).unwrap();
    let err = World::new(&shuttle(), Window::day(later), &[], WorldOptions::default()).unwrap_err();
    assert!(matches!(err, ActorsError::EmptyWindow { .. }), "{err}");
    assert!(matches!(
        Window::new(later, day()),
        Err(ActorsError::BadWindow { .. })
    ));
}

#[test]
fn a_parameter_file_for_another_data_set_is_refused_with_both_names() {
    let dir = tempfile_dir();
    let path = dir.join("other.json");
    let fitted_elsewhere = DelayModel::none(); // fitted on the data set "none"
    fitted_elsewhere.write(&path).unwrap();
    let here = DataSetIdentity::of(&shuttle(), "shuttle");
    let err = DelayModel::read(&path, &here).unwrap_err();
    assert!(matches!(err, ActorsError::OtherDataSet { .. }));
    let text = err.to_string();
    assert!(
        text.contains("\"none\"") && text.contains("\"shuttle\"") && text.contains("other.json"),
        "{text}"
    );
}

#[test]
fn a_damaged_parameter_file_is_an_error_naming_the_file() {
    let dir = tempfile_dir();
    for (name, text) in [
        ("empty.json", ""),
        ("array.json", "[1, 2]"),
        ("cut.json", &DelayModel::none().to_json()[..200]),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let err = DelayModel::from_json(text, &path).unwrap_err().to_string();
        assert!(err.contains(name), "{err}");
    }
    let err = DelayModel::read(
        Path::new("/nonexistent/params.json"),
        &DataSetIdentity::of(&shuttle(), "x"),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("/nonexistent/params.json"), "{err}");
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "ucodts-actors-test-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
