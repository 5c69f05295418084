//! `ucodts forecast-skill`: the rolling twin's report card on a recorded day of the embedded default,
//! driven through the real binary with few replications.

mod common;

use common::{json, ok};

#[test]
fn forecast_skill_scores_every_hour_from_six_to_ten_in_the_evening_against_the_record() {
    let out = json(&[
        "forecast-skill",
        "--date",
        "2013-02-08",
        "--reps",
        "2",
        "--json",
    ]);
    let hours = out["hours"].as_array().unwrap();
    let names: Vec<&str> = hours.iter().map(|h| h["hour"].as_str().unwrap()).collect();
    assert_eq!(names.first(), Some(&"06:00"));
    assert_eq!(names.last(), Some(&"22:00"));
    assert_eq!(names.len(), 17);
    let mut previous_legs = u64::MAX;
    for h in hours {
        for forecast in ["twin", "persistence", "recorded"] {
            let m = &h[forecast];
            for field in ["on_time_rate", "cancelled", "mean_arrival_delay_min"] {
                assert!(m.get(field).is_some(), "{forecast}.{field} missing: {h}");
            }
            if let Some(rate) = m["on_time_rate"].as_f64() {
                assert!((0.0..=1.0).contains(&rate), "{h}");
            }
            assert!(m["cancelled"].as_f64().unwrap() >= 0.0, "{h}");
        }
        // The legs still to arrive only shrink as the day goes.
        let legs = h["legs"].as_u64().unwrap();
        assert!(legs <= previous_legs, "{h}");
        previous_legs = legs;
    }
    // 8 February 2013 is the day of the blizzard: the record shows cancellations still to come in the
    // morning, and the twin, fed the morning's cancellations, forecasts some too.
    assert!(hours[0]["recorded"]["cancelled"].as_f64().unwrap() > 50.0);
    assert!(hours[4]["twin"]["cancelled"].as_f64().unwrap() > 0.0);
}

#[test]
fn forecast_skill_prints_a_table_by_hour_and_the_same_numbers_for_the_same_seed() {
    let args = ["forecast-skill", "--date", "2013-07-02", "--reps", "2"];
    let text = ok(&args);
    assert!(text.contains("hour"), "{text}");
    assert!(text.lines().any(|l| l.starts_with("06:00")), "{text}");
    assert!(text.lines().any(|l| l.starts_with("22:00")), "{text}");
    assert_eq!(ok(&args), text);
    let bad = common::ucodts(&["forecast-skill", "--date", "2013-13-40", "--reps", "2"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--date"));
}
