//! `ucodts replay`: a recorded day played as a movement feed, the same bytes every time, in either form.

mod common;

use common::ucodts;

fn replay(format: &str) -> (String, String) {
    let out = ucodts(&[
        "replay",
        "--date",
        "2013-02-08",
        "--speed",
        "max",
        "--format",
        format,
        "--to",
        "stdout",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn replay_to_stdout_is_the_same_feed_every_time_and_says_what_it_assumed() {
    let (first, notes) = replay("jsonl");
    let (second, _) = replay("jsonl");
    assert_eq!(first, second);
    let lines: Vec<&str> = first.lines().collect();
    assert!(lines.len() > 1000, "{} events", lines.len());
    for (i, line) in lines.iter().enumerate() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["seq"], i as u64 + 1, "numbered in order");
    }
    assert!(
        first.contains("\"status\":\"cancelled\""),
        "the blizzard's cancellations are in the feed"
    );
    assert!(
        notes.contains("cancellation is announced 120 min"),
        "{notes}"
    );
    assert!(notes.contains("no take-off or landing times"), "{notes}");
    // The AIDX form carries the same events, one FlightLegNotifRQ per line.
    let (xml, _) = replay("aidx");
    assert_eq!(xml.lines().count(), lines.len());
    assert!(xml
        .lines()
        .all(|l| l.contains("<IATA_AIDX_FlightLegNotifRQ")));
}

#[test]
fn replay_refuses_a_bad_date_or_destination_with_the_option_named() {
    let out = ucodts(&["replay", "--date", "2013-13-01"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--date"));
    let out = ucodts(&["replay", "--date", "2013-02-08", "--to", "ftp://x"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--to"));
    let out = ucodts(&[
        "replay",
        "--date",
        "2013-02-08",
        "--to",
        "http://127.0.0.1:9",
    ]);
    assert!(!out.status.success());
}
