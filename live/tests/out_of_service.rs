//! A tail out of service (the JSON-lines kind `out_of_service`): read, written back, checked against the
//! schedule's aircraft, joined by send time like every other value, and shown on the tail in the state.

use ucodts_live::replay::{recorded_day, ReplayOptions};
use ucodts_live::{jsonl, Applied, FeedError, FeedEvent, LiveState};
use ucodts_model::Schedule;

fn schedule() -> Schedule {
    ucodts_datasets::embedded::default_schedule()
}

const AOG: &str = r#"{"seq":9,"sent":"2013-02-08T12:00Z","kind":"out_of_service","registration":"N14228","from":"2013-02-08T12:00Z","until":"2013-02-08T20:00Z","reason":"AOG: hydraulic leak"}"#;

#[test]
fn an_out_of_service_line_is_read_written_back_and_shown_on_its_tail() {
    let e = jsonl::parse_feed_line(AOG, 1).unwrap();
    let FeedEvent::OutOfService(aog) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(aog.registration.as_str(), "N14228");
    assert_eq!(aog.reason, "AOG: hydraulic leak");
    assert_eq!(jsonl::write_feed_line(&e), AOG);
    // The leg parser alone does not take it; leg lines go through the feed parser unchanged.
    assert!(jsonl::parse_line(AOG, 1).is_err());

    let schedule = schedule();
    let mut state = LiveState::new(&schedule);
    assert_eq!(
        state.apply_feed(&e).unwrap(),
        Applied::Applied { changed: true }
    );
    assert_eq!(state.apply_feed(&e).unwrap(), Applied::Duplicate);
    let snapshot = state.snapshot();
    let tail = snapshot.tails.iter().find(|t| t.tail == "N14228").unwrap();
    assert_eq!(tail.out_of_service.len(), 1);
    let json = serde_json::to_value(&tail.out_of_service[0]).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"from": "2013-02-08T12:00Z", "until": "2013-02-08T20:00Z", "reason": "AOG: hydraulic leak"})
    );

    // Back early: a later-sent event for the same start replaces the window, whatever the order.
    let back = AOG
        .replace("\"seq\":9", "\"seq\":10")
        .replace(
            "\"sent\":\"2013-02-08T12:00Z\"",
            "\"sent\":\"2013-02-08T15:00Z\"",
        )
        .replace("T20:00Z", "T15:00Z");
    let back = jsonl::parse_feed_line(&back, 1).unwrap();
    let mut reversed = LiveState::new(&schedule);
    reversed.apply_feed(&back).unwrap();
    reversed.apply_feed(&e).unwrap();
    state.apply_feed(&back).unwrap();
    for s in [&state, &reversed] {
        let windows: Vec<_> = s.out_of_service().map(|(_, _, until, _)| until).collect();
        assert_eq!(windows.len(), 1);
        assert_eq!(windows[0].to_string(), "2013-02-08T15:00Z");
    }
}

#[test]
fn an_out_of_service_line_is_refused_with_why() {
    let schedule = schedule();
    let state = LiveState::new(&schedule);
    let unknown = jsonl::parse_feed_line(&AOG.replace("N14228", "N0NE"), 1).unwrap();
    assert!(matches!(
        state.check_feed(&unknown),
        Err(FeedError::UnknownTail(_))
    ));
    let backwards = AOG.replace("T20:00Z", "T11:00Z");
    let err = jsonl::parse_feed_line(&backwards, 3).unwrap_err();
    assert_eq!(err.kind(), "field");
    assert!(err.to_string().contains("until"), "{err}");
    let extra = AOG.replace("\"reason\"", "\"colour\":\"red\",\"reason\"");
    assert_eq!(
        jsonl::parse_feed_line(&extra, 1).unwrap_err().kind(),
        "malformed"
    );
    // A sequence number of a leg event reused for a tail is a conflict.
    let mut state = LiveState::new(&schedule);
    let day = ucodts_model::Date::new(2013, 2, 8).unwrap();
    let mut first = recorded_day(&schedule, day, ReplayOptions::default()).events[0].clone();
    first.sequence = 9;
    let leg = FeedEvent::Leg(first);
    state.apply_feed(&leg).unwrap();
    let aog = jsonl::parse_feed_line(AOG, 1).unwrap();
    assert!(matches!(
        state.check_feed(&aog),
        Err(FeedError::SequenceConflict(9))
    ));
}
