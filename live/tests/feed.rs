//! The feed parsers and the live state on a recorded day of the embedded default.

use ucodts_live::replay::{recorded_day, ReplayOptions};
use ucodts_live::{aidx, jsonl, Applied, FeedError, LiveState};
use ucodts_model::{Date, LegStatus, Schedule};

fn schedule() -> Schedule {
    ucodts_datasets::embedded::default_schedule()
}

fn feb8() -> Date {
    Date::new(2013, 2, 8).unwrap()
}

const GOOD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<IATA_AIDX_FlightLegNotifRQ xmlns="http://www.iata.org/IATA/2007/00" Version="16.1" TimeStamp="2013-02-08T13:58:30Z" SequenceNmbr="7">
  <Originator CompanyShortName="UA"/>
  <FlightLeg>
    <LegIdentifier>
      <Airline CodeContext="IATA">UA</Airline>
      <FlightNumber>1545</FlightNumber>
      <DepartureAirport CodeContext="IATA">EWR</DepartureAirport>
      <ArrivalAirport CodeContext="IATA">IAH</ArrivalAirport>
      <OriginDate>2013-02-08</OriginDate>
    </LegIdentifier>
    <LegData>
      <OperationalStatus>DEP</OperationalStatus>
      <AircraftInfo><Registration>N14228</Registration></AircraftInfo>
      <OperationTime OperationQualifier="OFB" TimeType="ACT">2013-02-08T13:58:00Z</OperationTime>
      <OperationTime OperationQualifier="ONB" TimeType="EST">2013-02-08T17:20:00Z</OperationTime>
    </LegData>
  </FlightLeg>
</IATA_AIDX_FlightLegNotifRQ>"#;

#[test]
fn aidx_notification_is_read_with_its_identifier_status_registration_and_times() {
    let e = aidx::parse_message(GOOD.as_bytes()).unwrap();
    assert_eq!(e.sequence, 7);
    assert_eq!(e.sent.to_string(), "2013-02-08T13:58Z");
    assert_eq!(e.leg.to_string(), "UA1545 2013-02-08 EWR-IAH");
    assert_eq!(e.status, Some(LegStatus::Departed));
    assert_eq!(e.registration.as_ref().unwrap().as_str(), "N14228");
    assert_eq!(e.times.len(), 2);
    // Written and read back, in either form, it is the same event.
    assert_eq!(
        aidx::parse_message(aidx::write_message(&e).as_bytes()).unwrap(),
        e
    );
    assert_eq!(jsonl::parse_line(&jsonl::write_line(&e), 1).unwrap(), e);
    let ack = aidx::acknowledgement(Some(7), Ok(()));
    assert!(
        ack.contains("<IATA_AIDX_FlightLegRS")
            && ack.contains("<Success/>")
            && ack.contains("SequenceNmbr=\"7\"")
    );
}

#[test]
fn aidx_refuses_a_doctype_and_external_entities() {
    let xxe = GOOD.replacen(
        "<IATA_AIDX_FlightLegNotifRQ",
        "<!DOCTYPE r [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n<IATA_AIDX_FlightLegNotifRQ",
        1,
    )
    .replace("N14228", "&xxe;");
    let err = aidx::parse_message(xxe.as_bytes()).unwrap_err();
    assert_eq!(err.kind(), "forbidden", "{err}");
    assert!(err.to_string().contains("DOCTYPE"), "{err}");
    // An entity reference without a DOCTYPE is not expanded either.
    let bare = GOOD.replace("N14228", "&xxe;");
    let err = aidx::parse_message(bare.as_bytes()).unwrap_err();
    assert_eq!(err.kind(), "forbidden", "{err}");
    // XML's own five escapes are fine.
    let amp = GOOD.replace(
        "<Originator CompanyShortName=\"UA\"/>",
        "<Originator CompanyShortName=\"A&amp;B\"/>",
    );
    assert!(aidx::parse_message(amp.as_bytes()).is_ok());
}

#[test]
fn oversized_and_malformed_messages_are_refused_with_a_reason() {
    let big = format!("{GOOD}<!--{}-->", "x".repeat(aidx::MAX_MESSAGE_BYTES));
    assert!(matches!(
        aidx::parse_message(big.as_bytes()),
        Err(FeedError::TooLarge { .. })
    ));
    let long_line = format!(
        "{{\"seq\":1,\"sent\":\"{}\"}}",
        "x".repeat(jsonl::MAX_LINE_BYTES)
    );
    assert!(matches!(
        jsonl::parse_line(&long_line, 3),
        Err(FeedError::TooLarge { .. })
    ));
    let no_stamp = GOOD.replace(" TimeStamp=\"2013-02-08T13:58:30Z\"", "");
    let err = aidx::parse_message(no_stamp.as_bytes()).unwrap_err();
    assert!(err.to_string().contains("TimeStamp"), "{err}");
    let bad_time = r#"{"seq":1,"sent":"2013-02-08 13:58","carrier":"UA","flight":1545,"date":"2013-02-08","from":"EWR","to":"IAH"}"#;
    let err = jsonl::parse_line(bad_time, 4).unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 4: field 'sent': `2013-02-08 13:58` is not a UTC time YYYY-MM-DDTHH:MM[:SS]Z"
    );
    let missing = r#"{"seq":1,"sent":"2013-02-08T13:58Z","carrier":"UA","date":"2013-02-08","from":"EWR","to":"IAH"}"#;
    let err = jsonl::parse_line(missing, 2).unwrap_err();
    assert!(
        err.to_string().starts_with("line 2: field 'flight'"),
        "{err}"
    );
    let results = jsonl::parse_lines("not json\n\n{}\n");
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].0, 1);
    assert_eq!(results[1].0, 3);
}

#[test]
fn unknown_flights_are_refused_and_duplicates_change_nothing() {
    let schedule = schedule();
    let mut state = LiveState::new(&schedule);
    let mut e = aidx::parse_message(GOOD.as_bytes()).unwrap();
    e.leg.flight_number = 9999;
    assert!(matches!(state.apply(&e), Err(FeedError::UnknownFlight(_))));
    let day = recorded_day(&schedule, feb8(), ReplayOptions::default());
    let first = &day.events[0];
    assert_eq!(
        state.apply(first).unwrap(),
        Applied::Applied { changed: true }
    );
    let before = state.snapshot();
    assert_eq!(state.apply(first).unwrap(), Applied::Duplicate);
    assert_eq!(state.snapshot().legs, before.legs);
    assert_eq!(state.duplicates(), 1);
    // The same sequence number with other content is a conflict, not a silent overwrite.
    let mut other = first.clone();
    other.sent = other.sent + ucodts_model::Minutes(1);
    assert!(matches!(
        state.apply(&other),
        Err(FeedError::SequenceConflict(1))
    ));
}

#[test]
fn out_of_order_events_give_the_state_in_order_events_give() {
    let schedule = schedule();
    let day = recorded_day(&schedule, feb8(), ReplayOptions::default());
    assert!(day.events.len() > 1000, "{} events", day.events.len());
    assert!(
        day.cancelled > 400,
        "8 February 2013 was the blizzard: {} cancelled",
        day.cancelled
    );
    let mut in_order = LiveState::new(&schedule);
    for e in &day.events {
        in_order.apply(e).unwrap();
    }
    let mut reversed = LiveState::new(&schedule);
    for e in day.events.iter().rev() {
        reversed.apply(e).unwrap();
    }
    // A stale estimate arriving after the actual arrival must not undo it.
    let (a, b) = (in_order.snapshot(), reversed.snapshot());
    for (x, y) in a.legs.iter().zip(&b.legs) {
        assert_eq!(x, y);
    }
    assert_eq!(a.tails, b.tails);
    assert_eq!(a.crew, b.crew);
    assert_eq!(a, b);
    let arrived = a.legs.iter().filter(|l| l.status == "arrived").count();
    assert_eq!(arrived, day.arrived);
    assert!(!a.tails.is_empty());
}

#[test]
fn a_replayed_day_is_the_same_feed_every_time() {
    let schedule = schedule();
    let a = recorded_day(&schedule, feb8(), ReplayOptions::default());
    let b = recorded_day(&schedule, feb8(), ReplayOptions::default());
    assert_eq!(a.events, b.events);
    assert!(a
        .events
        .windows(2)
        .all(|w| w[0].sent <= w[1].sent && w[0].sequence + 1 == w[1].sequence));
    let state = LiveState::new(&schedule);
    for e in &a.events {
        state.check(e).unwrap();
    }
}
