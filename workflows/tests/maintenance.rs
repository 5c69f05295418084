//! `predict maintenance` through the workflow the binary calls: what its JSON holds, which dates it
//! refuses, and the twin drawing breakdowns from the fitted risk.

use ucodts_actors::breakdown::{BreakdownRisk, BREAKDOWN_OUT_OF_SERVICE};
use ucodts_actors::{DelayModel, Twin, Window, World, WorldOptions};
use ucodts_model::Date;
use ucodts_sim::RngStreams;
use ucodts_workflows::maintenance::{self, MaintenanceRequest};
use ucodts_workflows::Silent;

/// The last day of the embedded default, whose five days before are recorded (1-6 July 2013).
const DAY: &str = "2013-07-07";

#[test]
fn the_json_lists_every_tail_at_risk_riskiest_first_with_its_reason_and_next_check() {
    let out = maintenance::predict(&MaintenanceRequest::default(), DAY, &Silent).unwrap();
    let json = serde_json::to_value(&out).unwrap();
    for key in [
        "data_set",
        "date",
        "note",
        "ages_from",
        "hazard",
        "evaluation",
        "tails_at_risk",
        "expected_removals",
        "tails",
    ] {
        assert!(json.get(key).is_some(), "`{key}` missing");
    }
    assert!(json["note"].as_str().unwrap().contains("PROXY"));
    for key in [
        "base_rate",
        "weibull_shape",
        "coefficients",
        "tail_days",
        "events",
    ] {
        assert!(json["hazard"].get(key).is_some(), "hazard.`{key}` missing");
    }
    let tails = json["tails"].as_array().unwrap();
    assert!(!tails.is_empty(), "tails fly daily on the embedded days");
    assert_eq!(tails.len() as u64, json["tails_at_risk"].as_u64().unwrap());
    let first = &tails[0];
    for key in [
        "rank",
        "tail",
        "family",
        "probability",
        "relative_risk",
        "twin_breakdown_probability",
        "days_since_last_absence",
        "cycles_per_day",
        "block_hours_per_day",
        "flown_share_28d",
        "age_years",
        "reason",
        "next_a_check",
    ] {
        assert!(first.get(key).is_some(), "tails[0].`{key}` missing");
    }
    for key in ["due_in_days", "limiting", "since_last_cycles", "block_from"] {
        assert!(
            first["next_a_check"].get(key).is_some(),
            "next_a_check.`{key}` missing"
        );
    }
    // Riskiest first, ranked 1..n, probabilities in (0, 1), the sum the expected removals.
    let p: Vec<f64> = out.tails.iter().map(|t| t.probability).collect();
    assert!(p.windows(2).all(|w| w[0] >= w[1]), "{p:?}");
    assert!(p.iter().all(|&p| p > 0.0 && p < 1.0));
    assert!(out.tails.iter().enumerate().all(|(i, t)| t.rank == i + 1));
    assert!((p.iter().sum::<f64>() - out.expected_removals).abs() < 0.01);
    assert!(out.tails.iter().all(|t| t.reason.contains("cycles a day")));
}

#[test]
fn the_same_request_gives_the_same_bytes() {
    let run = || {
        let out = maintenance::predict(&MaintenanceRequest::default(), DAY, &Silent).unwrap();
        serde_json::to_string(&out).unwrap()
    };
    assert_eq!(run(), run());
}

#[test]
fn a_date_the_record_cannot_predict_is_refused_naming_the_field_and_the_range() {
    let err = |date: &str| {
        maintenance::predict(&MaintenanceRequest::default(), date, &Silent)
            .unwrap_err()
            .to_string()
    };
    let outside = err("2014-03-01");
    assert!(outside.contains("--date 2014-03-01"), "{outside}");
    assert!(outside.contains("2013-02-04 .. 2013-07-07"), "{outside}");
    // Too early: no five days of record before it.
    assert!(err("2013-02-05").contains("--date"));
    let malformed = err("2013-13-01");
    assert!(
        malformed.contains("--date") && malformed.contains("YYYY-MM-DD"),
        "{malformed}"
    );
}

#[test]
fn a_missing_planes_file_is_named() {
    let request = MaintenanceRequest {
        planes: Some("/nonexistent/planes.csv".into()),
        ..MaintenanceRequest::default()
    };
    let err = maintenance::predict(&request, DAY, &Silent)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("--planes") && err.contains("/nonexistent/planes.csv"),
        "{err}"
    );
}

#[test]
fn a_tail_drawn_broken_down_does_not_fly_until_it_is_back() {
    let schedule = ucodts_datasets::embedded::default_schedule_with_crew().unwrap();
    let day = Date::parse(DAY).unwrap();
    let risk = maintenance::breakdown_risk(&schedule, &None, day).unwrap();
    assert!(!risk.per_tail.is_empty());
    // The twin draws at the assumed removal rate, not at the proxy's (every disappearance, ~17 %).
    let level = ucodts_model::maintenance::UNSCHEDULED_REMOVAL_PER_TAIL_DAY;
    let mean = risk.per_tail.values().sum::<f64>() / risk.per_tail.len() as f64;
    assert!(mean > level / 3.0 && mean < 3.0 * level, "{mean}");
    let options = WorldOptions {
        blind: true,
        ..WorldOptions::default()
    };
    let world = World::new(&schedule, Window::day(day), &[], options).unwrap();
    let model = DelayModel::embedded_default();
    // The riskiest tail that flies on the day (some at risk do not: the proxy event), made certain to
    // break down.
    let flying = |tail: &ucodts_model::TailId| {
        world
            .aircraft()
            .iter()
            .position(|a| a.tail.as_ref() == Some(tail))
    };
    let (tail, _) = risk
        .per_tail
        .iter()
        .filter(|(t, _)| flying(t).is_some())
        .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0)))
        .expect("tails at risk fly on the day");
    let certain = BreakdownRisk {
        per_tail: [(tail.clone(), 1.0)].into(),
    };
    let index = flying(tail).expect("filtered above") as u32;
    let legs = world.rotation_of(index).to_vec();
    let first_out = world.legs()[legs[0] as usize].scheduled_out;
    let streams = RngStreams::new(3).replication(0);
    let broken = world.with_breakdowns_drawn(&certain, &streams);
    let outcome = Twin::new(&broken, &model).replicate(streams).unwrap();
    for &leg in &legs {
        let result = &outcome.legs[leg as usize];
        if result.cancelled.is_none() {
            let left = result
                .departure_delay_min(first_out)
                .expect("a leg not cancelled left");
            assert!(
                left >= BREAKDOWN_OUT_OF_SERVICE.0 as f64,
                "leg {leg} left {left} min after the breakdown"
            );
        }
    }
    // Without the breakdown, the same replication flies the tail's first leg the same day; with it, not.
    let plain = Twin::new(&world, &model).replicate(streams).unwrap();
    let first = &plain.legs[legs[0] as usize];
    assert!(
        first.cancelled.is_none() && first.departure_delay_min(first_out).unwrap() < 24.0 * 60.0
    );
    let broken_first = &outcome.legs[legs[0] as usize];
    assert!(
        broken_first.cancelled.is_some()
            || broken_first.departure_delay_min(first_out).unwrap() >= 24.0 * 60.0
    );
}
