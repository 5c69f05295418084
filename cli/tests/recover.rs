//! `ucodts recover`: library scenarios on the embedded default become checked, ranked aircraft-recovery plans.

mod common;

use common::json;
use serde_json::Value;

fn recover(scenario: &str) -> Value {
    json(&[
        "recover",
        "--scenario",
        scenario,
        "--policy",
        "constructive",
        "--time-limit",
        "5",
        "--json",
    ])
}

/// The JSON without the wall-clock fields, for comparing runs.
fn without_timings(mut v: Value) -> Value {
    for plan in v["plans"].as_array_mut().unwrap() {
        plan.as_object_mut().unwrap().remove("seconds_to_find");
    }
    v
}

#[test]
fn a_jfk_closure_gets_a_feasible_plan_where_doing_nothing_breaks_capacity() {
    let out = recover("jfk-two-hour-closure");
    assert!(!out["baseline"]["feasible"].as_bool().unwrap(), "{out:#}");
    assert!(out["baseline"]["violations"].as_u64().unwrap() > 0);
    let plans = out["plans"].as_array().unwrap();
    assert!(!plans.is_empty());
    let best = &plans[0];
    assert!(best["feasible"].as_bool().unwrap(), "{best:#}");
    assert_eq!(best["policy"], "constructive");
    // The closure forces retimes or cancellations, and every action is written out.
    let moved =
        best["retimed_flights"].as_u64().unwrap() + best["cancelled_flights"].as_u64().unwrap();
    assert!(moved > 0, "{best:#}");
    let actions = best["actions"].as_array().unwrap();
    assert!(actions
        .iter()
        .all(|a| !a["text"].as_str().unwrap().is_empty()));
    assert!(best["cost"].as_f64().unwrap() > 0.0);
}

#[test]
fn an_aog_moves_only_what_the_grounded_tail_and_its_knock_ons_touch() {
    let out = recover("aog-first-wave");
    let best = &out["plans"][0];
    assert!(best["feasible"].as_bool().unwrap(), "{best:#}");
    let texts: Vec<&str> = best["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["text"].as_str().unwrap())
        .collect();
    assert!(
        !texts.is_empty(),
        "an AOG at the first wave must change the plan"
    );
    // Uncertainty of the return is the twin's business and is said so.
    let notes = out["not_modelled"].as_array().unwrap();
    assert!(
        notes.iter().any(|n| n.as_str().unwrap().contains("N554JB")),
        "{notes:?}"
    );
}

#[test]
fn crew_sick_calls_are_named_as_outside_aircraft_recovery() {
    let out = recover("jfk-crew-sickness-5pct");
    let notes = out["not_modelled"].as_array().unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n.as_str().unwrap().contains("crew sick call")),
        "{notes:?}"
    );
    // Nothing to repair on the aircraft side: the best plan is the original one, at no cost.
    let best = &out["plans"][0];
    assert!(best["feasible"].as_bool().unwrap());
    assert_eq!(best["cost"].as_f64().unwrap(), 0.0, "{best:#}");
}

#[test]
fn the_same_scenario_gives_the_same_plans() {
    let a = without_timings(recover("jfk-two-hour-closure"));
    let b = without_timings(recover("jfk-two-hour-closure"));
    assert_eq!(a, b);
}

#[test]
fn an_unknown_scenario_is_a_clear_error() {
    let out = common::ucodts(&["recover", "--scenario", "no-such-scenario", "--json"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no-such-scenario"), "{err}");
}
