//! Recovery plans replayed in the twin (`ucodts recover`): doing nothing and each plan on the same random
//! numbers per replication, so the paired differences are the plans' own.

mod common;

use common::json;
use serde_json::Value;

fn recover(scenario: &str, seed: &str, threads: &str) -> Value {
    json(&[
        "recover",
        "--scenario",
        scenario,
        "--policy",
        "constructive",
        "--crew-policy",
        "greedy",
        "--time-limit",
        "5",
        "--reps",
        "6",
        "--seed",
        seed,
        "--threads",
        threads,
        "--json",
    ])
}

/// The twin's numbers of a run: doing nothing's KPIs and each plan's KPIs and paired differences.
fn monte_carlo_numbers(v: &Value) -> Vec<Value> {
    let mut numbers = vec![v["baseline_kpis"].clone()];
    for plan in v["plans"].as_array().expect("plans") {
        numbers.push(plan["policy"].clone());
        numbers.push(plan["kpis"].clone());
        numbers.push(plan["vs_baseline"].clone());
    }
    numbers
}

#[test]
fn a_reserve_called_for_a_sick_captain_costs_less_than_doing_nothing_by_a_paired_interval() {
    let out = recover("captain-no-show", "5", "2");
    let plans = out["plans"].as_array().expect("plans");
    assert!(!plans.is_empty(), "{out:#}");
    let best = &plans[0];
    assert!(
        best["actions"]
            .as_array()
            .expect("actions")
            .iter()
            .any(|a| a["kind"] == "reserve_callout"),
        "{best:#}"
    );
    // Without the plan the twin's own operations control calls reserves on the day and holds flights for
    // them; the planned call-out avoids that, and the paired interval says so despite the day's noise.
    let difference = &best["vs_baseline"]["cost"];
    assert!(
        difference["upper"].as_f64().expect("a number") < 0.0,
        "{difference:#}"
    );
    // The interval of either cost alone is far wider than the paired one: the common random numbers at work.
    let own = &best["kpis"]["cost"];
    let width = |i: &Value| i["upper"].as_f64().unwrap() - i["lower"].as_f64().unwrap();
    assert!(
        width(difference) < width(own) / 4.0,
        "{difference:#} vs {own:#}"
    );
}

#[test]
fn the_replayed_numbers_depend_on_the_seed_and_not_on_the_thread_count() {
    let one = recover("captain-no-show", "5", "1");
    let two = recover("captain-no-show", "5", "2");
    let other_seed = recover("captain-no-show", "6", "2");
    assert_eq!(monte_carlo_numbers(&one), monte_carlo_numbers(&two));
    assert_ne!(monte_carlo_numbers(&one), monte_carlo_numbers(&other_seed));
}
