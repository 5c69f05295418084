//! The movement feed's two parsers (`ucodts_live::{aidx, jsonl}`): what parses is written back in both
//! wire forms and read again to the same event, so the parsers and the writers that `ucodts replay` and
//! the server's event store use agree on every event a sender can make.

use ucodts_live::{aidx, jsonl, FeedEvent, LegEvent};

use crate::Outcome;

/// An accepted event survives both writers: JSON lines and AIDX give it back unchanged.
fn round_trips(event: &LegEvent) {
    let line = jsonl::write_line(event);
    let again = jsonl::parse_line(&line, 1)
        .unwrap_or_else(|e| panic!("the written line {line} does not parse: {e}"));
    assert_eq!(&again, event, "JSON lines round trip of {line}");
    let xml = aidx::write_message(event);
    let again = aidx::parse_message(xml.as_bytes())
        .unwrap_or_else(|e| panic!("the written message {xml} does not parse: {e}"));
    assert_eq!(&again, event, "AIDX round trip of {xml}");
}

/// An accepted event of either kind survives the JSON-lines writer; a leg event both writers.
fn feed_round_trips(event: &FeedEvent) {
    match event {
        FeedEvent::Leg(leg) => round_trips(leg),
        FeedEvent::OutOfService(_) => {
            let line = jsonl::write_feed_line(event);
            let again = jsonl::parse_feed_line(&line, 1)
                .unwrap_or_else(|e| panic!("the written line {line} does not parse: {e}"));
            assert_eq!(&again, event, "JSON lines round trip of {line}");
        }
    }
}

/// A body of JSON lines, as POST /api/feed takes it: every line parsed or refused with its line number.
pub fn feed_jsonl(data: &[u8]) -> Outcome {
    let Ok(text) = std::str::from_utf8(data) else {
        return Outcome::Refused("not UTF-8".into());
    };
    let mut refused = None;
    for (line, parsed) in jsonl::parse_feed_lines(text) {
        match parsed {
            Ok(event) => feed_round_trips(&event),
            Err(e) => {
                let message = e.to_string();
                assert!(!message.is_empty(), "line {line}: a refusal says why");
                refused.get_or_insert(message);
            }
        }
    }
    refused.map_or(Outcome::Ran, Outcome::Refused)
}

/// One AIDX FlightLegNotifRQ: parsed or refused, and answered with a FlightLegRS either way.
pub fn feed_aidx(data: &[u8]) -> Outcome {
    let parsed = aidx::parse_message(data);
    let ack = aidx::acknowledgement(
        parsed.as_ref().ok().map(|e| e.sequence),
        parsed.as_ref().map(|_| ()),
    );
    assert!(
        ack.contains("FlightLegRS"),
        "an answer is a FlightLegRS: {ack}"
    );
    Outcome::of(parsed, |event| round_trips(&event))
}
