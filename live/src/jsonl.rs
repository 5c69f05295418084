//! The canonical JSON-lines form of the feed: one event per line, each an object with a sequence number.
//!
//! ```text
//! {"seq":7,"sent":"2013-02-08T13:58Z","carrier":"UA","flight":1545,"date":"2013-02-08","from":"EWR","to":"IAH","status":"departed","registration":"N14228","times":[{"milestone":"OFB","kind":"ACT","at":"2013-02-08T13:58Z"}]}
//! ```
//! `status` is one of scheduled, departed, arrived, cancelled, diverted; `milestone` one of OFB, TKO, TDN,
//! ONB; `kind` one of SCH, EST, ACT. `status`, `registration` and `times` may be left out.

use std::borrow::Cow;

use serde::Deserialize;
use ucodts_model::LegStatus;

use crate::error::FeedError;
use crate::event::{
    check_carrier, check_code, check_date, check_flight_number, check_instant, check_registration,
    FeedEvent, LegEvent, LegKey, LegTime, Milestone, OutOfServiceEvent, TimeKind,
    MAX_OUT_OF_SERVICE_MIN, MAX_REASON_BYTES, MAX_TIMES_PER_EVENT,
};

/// Longest line accepted: an event with every time fits in under 1 KiB.
pub const MAX_LINE_BYTES: usize = 4096;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire<'a> {
    seq: u64,
    #[serde(borrow)]
    sent: Cow<'a, str>,
    #[serde(borrow)]
    carrier: Cow<'a, str>,
    flight: u32,
    #[serde(borrow)]
    date: Cow<'a, str>,
    #[serde(borrow)]
    from: Cow<'a, str>,
    #[serde(borrow)]
    to: Cow<'a, str>,
    #[serde(borrow, default)]
    status: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    registration: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    times: Vec<WireTime<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WireTime<'a> {
    #[serde(borrow)]
    milestone: Cow<'a, str>,
    #[serde(borrow)]
    kind: Cow<'a, str>,
    #[serde(borrow)]
    at: Cow<'a, str>,
}

/// Parses one line (numbered `line` in messages). The fuzz target of the JSON-lines form.
pub fn parse_line(text: &str, line: usize) -> Result<LegEvent, FeedError> {
    if text.len() > MAX_LINE_BYTES {
        return Err(FeedError::TooLarge {
            bytes: text.len(),
            limit: MAX_LINE_BYTES,
        });
    }
    let wire: Wire = serde_json::from_str(text).map_err(|e| {
        let message = e.to_string();
        match message
            .split_once("field `")
            .and_then(|(_, r)| r.split_once('`'))
        {
            Some((field, _)) => FeedError::field(line, field, message.clone()),
            None => FeedError::Malformed { line, message },
        }
    })?;
    if wire.flight == 0 || wire.flight > 9999 {
        return Err(FeedError::field(
            line,
            "flight",
            format!("{} is not a flight number 1-9999", wire.flight),
        ));
    }
    let status = match wire.status.as_deref() {
        None => None,
        Some(s) => Some(s.parse::<LegStatus>().map_err(|()| {
            FeedError::field(
                line,
                "status",
                format!("`{s}` is not one of scheduled, departed, arrived, cancelled, diverted"),
            )
        })?),
    };
    if wire.times.len() > MAX_TIMES_PER_EVENT {
        return Err(FeedError::field(
            line,
            "times",
            format!("{} times, at most {MAX_TIMES_PER_EVENT}", wire.times.len()),
        ));
    }
    let mut times = Vec::with_capacity(wire.times.len());
    for t in &wire.times {
        let milestone = Milestone::from_code(&t.milestone).ok_or_else(|| {
            FeedError::field(
                line,
                "milestone",
                format!("`{}` is not one of OFB, TKO, TDN, ONB", t.milestone),
            )
        })?;
        let kind = TimeKind::from_code(&t.kind).ok_or_else(|| {
            FeedError::field(
                line,
                "kind",
                format!("`{}` is not one of SCH, EST, ACT", t.kind),
            )
        })?;
        times.push(LegTime {
            milestone,
            kind,
            at: check_instant(line, "at", &t.at)?,
        });
    }
    Ok(LegEvent {
        sequence: wire.seq,
        sent: check_instant(line, "sent", &wire.sent)?,
        leg: LegKey {
            carrier: check_carrier(line, &wire.carrier)?,
            flight_number: check_flight_number(line, &wire.flight.to_string())?,
            origin_date: check_date(line, &wire.date)?,
            origin: check_code(line, "from", &wire.from)?,
            destination: check_code(line, "to", &wire.to)?,
        },
        status,
        registration: match wire.registration.as_deref() {
            None => None,
            Some(r) => Some(check_registration(line, r)?),
        },
        times,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WireOutOfService<'a> {
    seq: u64,
    #[serde(borrow)]
    sent: Cow<'a, str>,
    #[serde(borrow)]
    kind: Cow<'a, str>,
    #[serde(borrow)]
    registration: Cow<'a, str>,
    #[serde(borrow)]
    from: Cow<'a, str>,
    #[serde(borrow)]
    until: Cow<'a, str>,
    #[serde(borrow, default)]
    reason: Cow<'a, str>,
}

/// The `kind` of an out-of-service line.
pub const OUT_OF_SERVICE: &str = "out_of_service";

/// Parses one line of either kind: a leg event, or (with `"kind":"out_of_service"`) a tail out of service.
/// The fuzz target of the JSON-lines form.
pub fn parse_feed_line(text: &str, line: usize) -> Result<FeedEvent, FeedError> {
    match parse_line(text, line) {
        Ok(e) => Ok(FeedEvent::Leg(e)),
        Err(_) if text.contains(OUT_OF_SERVICE) && text.len() <= MAX_LINE_BYTES => {
            parse_out_of_service(text, line).map(FeedEvent::OutOfService)
        }
        Err(e) => Err(e),
    }
}

fn parse_out_of_service(text: &str, line: usize) -> Result<OutOfServiceEvent, FeedError> {
    let wire: WireOutOfService = serde_json::from_str(text).map_err(|e| FeedError::Malformed {
        line,
        message: e.to_string(),
    })?;
    if wire.kind != OUT_OF_SERVICE {
        return Err(FeedError::field(
            line,
            "kind",
            format!("`{}`: the only kind is {OUT_OF_SERVICE}", wire.kind),
        ));
    }
    let from = check_instant(line, "from", &wire.from)?;
    let until = check_instant(line, "until", &wire.until)?;
    let length = (until - from).0;
    if !(0..=MAX_OUT_OF_SERVICE_MIN).contains(&length) {
        return Err(FeedError::field(
            line,
            "until",
            format!("{length} min after from: 0 to {MAX_OUT_OF_SERVICE_MIN}"),
        ));
    }
    let reason = wire.reason.trim();
    if reason.len() > MAX_REASON_BYTES || reason.chars().any(char::is_control) {
        return Err(FeedError::field(
            line,
            "reason",
            format!("at most {MAX_REASON_BYTES} bytes, no control characters"),
        ));
    }
    Ok(OutOfServiceEvent {
        sequence: wire.seq,
        sent: check_instant(line, "sent", &wire.sent)?,
        registration: check_registration(line, &wire.registration)?,
        from,
        until,
        reason: reason.to_string(),
    })
}

/// Parses a body of JSON lines of either kind (blank lines skipped), as [`parse_lines`] does.
pub fn parse_feed_lines(body: &str) -> Vec<(usize, Result<FeedEvent, FeedError>)> {
    body.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| (i + 1, parse_feed_line(l, i + 1)))
        .collect()
}

/// One event of either kind as its line (see [`write_line`]).
pub fn write_feed_line(event: &FeedEvent) -> String {
    match event {
        FeedEvent::Leg(e) => write_line(e),
        FeedEvent::OutOfService(e) => format!(
            "{{\"seq\":{},\"sent\":\"{}\",\"kind\":\"{OUT_OF_SERVICE}\",\"registration\":\"{}\",\"from\":\"{}\",\"until\":\"{}\",\"reason\":{}}}",
            e.sequence,
            e.sent,
            e.registration,
            e.from,
            e.until,
            serde_json::to_string(&e.reason).expect("a string serializes"),
        ),
    }
}

/// Parses a body of JSON lines (blank lines skipped): each line's event or why it was refused, with its
/// 1-based line number, in order.
pub fn parse_lines(body: &str) -> Vec<(usize, Result<LegEvent, FeedError>)> {
    body.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| (i + 1, parse_line(l, i + 1)))
        .collect()
}

/// One event as its line (no newline), keys in a fixed order: the same event gives the same bytes.
pub fn write_line(event: &LegEvent) -> String {
    let mut out = String::with_capacity(256);
    let k = &event.leg;
    out.push_str(&format!(
        "{{\"seq\":{},\"sent\":\"{}\",\"carrier\":\"{}\",\"flight\":{},\"date\":\"{}\",\"from\":\"{}\",\"to\":\"{}\"",
        event.sequence, event.sent, k.carrier, k.flight_number, k.origin_date, k.origin, k.destination
    ));
    if let Some(s) = event.status {
        out.push_str(&format!(",\"status\":\"{s}\""));
    }
    if let Some(r) = &event.registration {
        // Registrations are checked to letters, digits and '-': nothing to escape.
        out.push_str(&format!(",\"registration\":\"{r}\""));
    }
    if !event.times.is_empty() {
        out.push_str(",\"times\":[");
        for (i, t) in event.times.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&format!(
                "{{\"milestone\":\"{}\",\"kind\":\"{}\",\"at\":\"{}\"}}",
                t.milestone.code(),
                t.kind.code(),
                t.at
            ));
        }
        out.push(']');
    }
    out.push('}');
    out
}
