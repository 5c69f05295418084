//! IATA AIDX flight-leg notifications: the `IATA_AIDX_FlightLegNotifRQ` message in, the
//! `IATA_AIDX_FlightLegRS` acknowledgement out.
//!
//! The profile read here (elements by local name, any namespace prefix):
//!
//! ```text
//! <IATA_AIDX_FlightLegNotifRQ xmlns="http://www.iata.org/IATA/2007/00" Version="16.1"
//!     TimeStamp="2013-02-08T13:58:00Z" SequenceNmbr="7">
//!   <FlightLeg>
//!     <LegIdentifier>
//!       <Airline CodeContext="IATA">UA</Airline> <FlightNumber>1545</FlightNumber>
//!       <DepartureAirport CodeContext="IATA">EWR</DepartureAirport>
//!       <ArrivalAirport CodeContext="IATA">IAH</ArrivalAirport>
//!       <OriginDate>2013-02-08</OriginDate>
//!     </LegIdentifier>
//!     <LegData>
//!       <OperationalStatus>DEP</OperationalStatus>
//!       <AircraftInfo><Registration>N14228</Registration></AircraftInfo>
//!       <OperationTime OperationQualifier="OFB" TimeType="ACT">2013-02-08T13:58:00Z</OperationTime>
//!     </LegData>
//!   </FlightLeg>
//! </IATA_AIDX_FlightLegNotifRQ>
//! ```
//! One FlightLeg per message; `TimeStamp` is when it was sent and `SequenceNmbr` the sender's sequence
//! number (both required). OperationalStatus codes: SCH, DEP, ARR, CNX, DIV ([`crate::event::STATUS_CODES`]).
//! Other AIDX elements are read past. A DOCTYPE, an entity other than XML's five, a processing
//! instruction other than the declaration, nesting deeper than 16 or a message over
//! [`MAX_MESSAGE_BYTES`] is refused before anything is applied.

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::error::FeedError;
use crate::event::{
    check_carrier, check_code, check_date, check_flight_number, check_instant, check_registration,
    instant_with_seconds, status_code, status_from_code, LegEvent, LegKey, LegTime, Milestone,
    TimeKind, MAX_TIMES_PER_EVENT,
};

/// Largest AIDX message accepted.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;
const MAX_DEPTH: usize = 16;
const ROOT: &str = "IATA_AIDX_FlightLegNotifRQ";
const NAMESPACE: &str = "http://www.iata.org/IATA/2007/00";

#[derive(Default)]
struct Partial {
    carrier: Option<String>,
    flight: Option<String>,
    origin: Option<String>,
    destination: Option<String>,
    origin_date: Option<String>,
    status: Option<String>,
    registration: Option<String>,
    /// (qualifier, type, text, line)
    times: Vec<(String, String, String, usize)>,
}

/// Parses one FlightLegNotifRQ message. The fuzz target of the AIDX form.
pub fn parse_message(xml: &[u8]) -> Result<LegEvent, FeedError> {
    if xml.len() > MAX_MESSAGE_BYTES {
        return Err(FeedError::TooLarge {
            bytes: xml.len(),
            limit: MAX_MESSAGE_BYTES,
        });
    }
    let text = std::str::from_utf8(xml).map_err(|e| FeedError::Malformed {
        line: 1,
        message: format!("not UTF-8: {e}"),
    })?;
    let line_at = |pos: u64| {
        1 + text.as_bytes()[..(pos as usize).min(text.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
    };
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(true);
    let mut path: Vec<String> = Vec::new();
    let mut legs = 0usize;
    let mut root_seen = false;
    let mut sent = None;
    let mut sequence = None;
    let mut leg = Partial::default();
    // The OperationTime element being read: (qualifier, type, line).
    let mut pending_time: Option<(String, String, usize)> = None;
    loop {
        let pos = reader.buffer_position();
        let event = reader.read_event().map_err(|e| FeedError::Malformed {
            line: line_at(pos),
            message: format!("not well-formed XML: {e}"),
        })?;
        let line = line_at(pos);
        match event {
            Event::DocType(_) => {
                return Err(FeedError::Forbidden(format!("line {line}: a DOCTYPE")))
            }
            Event::PI(_) => {
                return Err(FeedError::Forbidden(format!(
                    "line {line}: a processing instruction"
                )))
            }
            Event::Decl(_) | Event::Comment(_) => {}
            Event::Start(ref e) | Event::Empty(ref e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                let empty = matches!(event, Event::Empty(_));
                let mut attributes = Vec::new();
                for a in e.attributes() {
                    let a = a.map_err(|err| FeedError::Malformed {
                        line,
                        message: format!("element <{name}>: {err}"),
                    })?;
                    let key = String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned();
                    let value = a
                        .unescape_value()
                        .map_err(|err| entity_error(line, &err.to_string()))?;
                    attributes.push((key, value.into_owned()));
                }
                let attr = |k: &str| {
                    attributes
                        .iter()
                        .find(|(key, _)| key == k)
                        .map(|(_, v)| v.clone())
                };
                if path.is_empty() {
                    if root_seen {
                        return Err(FeedError::Malformed {
                            line,
                            message: "a second root element".into(),
                        });
                    }
                    root_seen = true;
                    if name != ROOT {
                        return Err(FeedError::Malformed {
                            line,
                            message: format!("the root element is <{name}>, not <{ROOT}>"),
                        });
                    }
                    if let Some(ns) = attr("xmlns") {
                        if ns != NAMESPACE {
                            return Err(FeedError::field(
                                line,
                                "xmlns",
                                format!("`{ns}` is not the AIDX namespace {NAMESPACE}"),
                            ));
                        }
                    }
                    let stamp = attr("TimeStamp").ok_or_else(|| {
                        FeedError::field(line, "TimeStamp", "missing on the root element")
                    })?;
                    sent = Some(check_instant(line, "TimeStamp", &stamp)?);
                    let seq = attr("SequenceNmbr").ok_or_else(|| {
                        FeedError::field(line, "SequenceNmbr", "missing on the root element")
                    })?;
                    sequence = Some(seq.parse::<u64>().map_err(|_| {
                        FeedError::field(
                            line,
                            "SequenceNmbr",
                            format!("`{seq}` is not a whole number"),
                        )
                    })?);
                }
                if path.len() == 1 && name == "FlightLeg" {
                    legs += 1;
                    if legs > 1 {
                        return Err(FeedError::Malformed {
                            line,
                            message:
                                "more than one FlightLeg: this profile takes one leg per message"
                                    .into(),
                        });
                    }
                }
                if name == "OperationTime" {
                    let q = attr("OperationQualifier").ok_or_else(|| {
                        FeedError::field(line, "OperationQualifier", "missing on OperationTime")
                    })?;
                    let t = attr("TimeType").ok_or_else(|| {
                        FeedError::field(line, "TimeType", "missing on OperationTime")
                    })?;
                    pending_time = Some((q, t, line));
                }
                if !empty {
                    path.push(name);
                    if path.len() > MAX_DEPTH {
                        return Err(FeedError::Malformed {
                            line,
                            message: format!("nested deeper than {MAX_DEPTH}"),
                        });
                    }
                }
            }
            Event::End(_) => {
                if path.pop().as_deref() == Some("OperationTime") {
                    pending_time = None;
                }
            }
            Event::Text(t) => {
                let value = t
                    .unescape()
                    .map_err(|err| entity_error(line, &err.to_string()))?;
                let value = value.trim().to_string();
                store_text(&path, value, &mut leg, &mut pending_time)?;
            }
            Event::CData(c) => {
                let value = String::from_utf8_lossy(&c).trim().to_string();
                store_text(&path, value, &mut leg, &mut pending_time)?;
            }
            Event::Eof => break,
        }
    }
    if !root_seen {
        return Err(FeedError::Malformed {
            line: 1,
            message: format!("no <{ROOT}> element"),
        });
    }
    if legs == 0 {
        return Err(FeedError::Malformed {
            line: 1,
            message: "no FlightLeg".into(),
        });
    }
    finish(
        leg,
        sent.expect("the root carries TimeStamp (checked)"),
        sequence.expect("the root carries SequenceNmbr (checked)"),
    )
}

fn entity_error(line: usize, message: &str) -> FeedError {
    FeedError::Forbidden(format!("line {line}: an entity reference ({message})"))
}

fn store_text(
    path: &[String],
    value: String,
    leg: &mut Partial,
    pending_time: &mut Option<(String, String, usize)>,
) -> Result<(), FeedError> {
    let names: Vec<&str> = path.iter().map(String::as_str).collect();
    let slot = match names.as_slice() {
        [_, "FlightLeg", "LegIdentifier", "Airline"] => &mut leg.carrier,
        [_, "FlightLeg", "LegIdentifier", "FlightNumber"] => &mut leg.flight,
        [_, "FlightLeg", "LegIdentifier", "DepartureAirport"] => &mut leg.origin,
        [_, "FlightLeg", "LegIdentifier", "ArrivalAirport"] => &mut leg.destination,
        [_, "FlightLeg", "LegIdentifier", "OriginDate"] => &mut leg.origin_date,
        [_, "FlightLeg", "LegData", "OperationalStatus"] => &mut leg.status,
        [_, "FlightLeg", "LegData", "AircraftInfo", "Registration"] => &mut leg.registration,
        [_, "FlightLeg", "LegData", "OperationTime"] => {
            if let Some((q, t, line)) = pending_time.take() {
                if leg.times.len() >= MAX_TIMES_PER_EVENT {
                    return Err(FeedError::field(
                        line,
                        "OperationTime",
                        format!("more than {MAX_TIMES_PER_EVENT}"),
                    ));
                }
                leg.times.push((q, t, value, line));
            }
            return Ok(());
        }
        _ => return Ok(()),
    };
    *slot = Some(value);
    Ok(())
}

fn finish(p: Partial, sent: ucodts_model::UtcMinute, sequence: u64) -> Result<LegEvent, FeedError> {
    let need = |v: Option<String>, field: &str| {
        v.ok_or_else(|| FeedError::field(1, field, "missing from LegIdentifier"))
    };
    let key = LegKey {
        carrier: check_carrier(1, &need(p.carrier, "Airline")?)?,
        flight_number: check_flight_number(1, &need(p.flight, "FlightNumber")?)?,
        origin_date: check_date(1, &need(p.origin_date, "OriginDate")?)?,
        origin: check_code(1, "DepartureAirport", &need(p.origin, "DepartureAirport")?)?,
        destination: check_code(1, "ArrivalAirport", &need(p.destination, "ArrivalAirport")?)?,
    };
    let status = match p.status {
        None => None,
        Some(code) => Some(status_from_code(&code).ok_or_else(|| {
            FeedError::field(
                1,
                "OperationalStatus",
                format!("`{code}` is not one of SCH, DEP, ARR, CNX, DIV"),
            )
        })?),
    };
    let mut times = Vec::with_capacity(p.times.len());
    for (q, t, value, line) in p.times {
        times.push(LegTime {
            milestone: Milestone::from_code(&q).ok_or_else(|| {
                FeedError::field(
                    line,
                    "OperationQualifier",
                    format!("`{q}` is not one of OFB, TKO, TDN, ONB"),
                )
            })?,
            kind: TimeKind::from_code(&t).ok_or_else(|| {
                FeedError::field(
                    line,
                    "TimeType",
                    format!("`{t}` is not one of SCH, EST, ACT"),
                )
            })?,
            at: check_instant(line, "OperationTime", &value)?,
        });
    }
    Ok(LegEvent {
        sequence,
        sent,
        leg: key,
        status,
        registration: match p.registration {
            None => None,
            Some(r) => Some(check_registration(1, &r)?),
        },
        times,
    })
}

/// One event as a FlightLegNotifRQ on one line (no newline inside): the same event gives the same bytes.
pub fn write_message(event: &LegEvent) -> String {
    let k = &event.leg;
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><{ROOT} xmlns=\"{NAMESPACE}\" Version=\"16.1\" TimeStamp=\"{}\" SequenceNmbr=\"{}\"><FlightLeg><LegIdentifier><Airline CodeContext=\"IATA\">{}</Airline><FlightNumber>{}</FlightNumber><DepartureAirport CodeContext=\"IATA\">{}</DepartureAirport><ArrivalAirport CodeContext=\"IATA\">{}</ArrivalAirport><OriginDate>{}</OriginDate></LegIdentifier><LegData>",
        instant_with_seconds(event.sent),
        event.sequence,
        escape(k.carrier.as_str()),
        k.flight_number,
        k.origin,
        k.destination,
        k.origin_date
    );
    if let Some(s) = event.status {
        out.push_str(&format!(
            "<OperationalStatus>{}</OperationalStatus>",
            status_code(s)
        ));
    }
    if let Some(r) = &event.registration {
        out.push_str(&format!(
            "<AircraftInfo><Registration>{}</Registration></AircraftInfo>",
            escape(r.as_str())
        ));
    }
    for t in &event.times {
        out.push_str(&format!(
            "<OperationTime OperationQualifier=\"{}\" TimeType=\"{}\">{}</OperationTime>",
            t.milestone.code(),
            t.kind.code(),
            instant_with_seconds(t.at)
        ));
    }
    out.push_str(&format!("</LegData></FlightLeg></{ROOT}>"));
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The FlightLegRS acknowledgement of one message: `Success`, or `Errors` with the refusal's kind and reason.
/// `sequence` echoes the request's SequenceNmbr when it was read.
pub fn acknowledgement(sequence: Option<u64>, result: Result<(), &FeedError>) -> String {
    let seq = sequence
        .map(|s| format!(" SequenceNmbr=\"{s}\""))
        .unwrap_or_default();
    let body = match result {
        Ok(()) => "<Success/>".to_string(),
        Err(e) => format!(
            "<Errors><Error Type=\"{}\" ShortText=\"{}\">{}</Error></Errors>",
            e.kind(),
            e.kind(),
            escape(&e.to_string())
        ),
    };
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><IATA_AIDX_FlightLegRS xmlns=\"{NAMESPACE}\" Version=\"16.1\"{seq}>{body}</IATA_AIDX_FlightLegRS>")
}
