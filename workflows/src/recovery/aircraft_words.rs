//! An aircraft plan in an operations controller's words: each flight by carrier and flight number on its local
//! date, its times local (with the UTC offset) and in UTC, the tails by registration. The optimizer numbers
//! the problem's flights by schedule leg id (`from_schedule`), which no controller knows; this maps them back.

use ucodts_model::recovery::{FlightIdx, RecoveryAction, RecoveryPlan, RecoveryProblem};
use ucodts_model::{Leg, LegId, Schedule, UtcMinute};

use super::ActionJson;

/// `2013-07-02 14:05 local (UTC-04:00)` at the leg's departure airport; `None` for an unknown airport.
pub fn local_label(schedule: &Schedule, leg: &Leg, t: UtcMinute) -> Option<String> {
    let zone = schedule.airport(leg.origin)?.time_zone;
    let local = zone.to_local(t);
    let offset = zone.offset_at(t).0;
    Some(format!(
        "{} {:02}:{:02} local (UTC{}{:02}:{:02})",
        local.date,
        local.minute_of_day / 60,
        local.minute_of_day % 60,
        if offset < 0 { '-' } else { '+' },
        offset.abs() / 60,
        offset.abs() % 60
    ))
}

/// `B6 1234` (or `B6 leg 77` for an inferred leg, whose number the source does not give).
fn flight_name(leg: &Leg) -> String {
    match leg.flight_number {
        Some(n) => format!("{} {n}", leg.carrier),
        None => format!("{} leg {}", leg.carrier, leg.id.0),
    }
}

/// One aircraft action as a controller reads it, with the fields a tool loads.
pub fn aircraft_action(
    schedule: &Schedule,
    problem: &RecoveryProblem,
    plan: &RecoveryPlan,
    action: &RecoveryAction,
) -> ActionJson {
    let mut json = ActionJson {
        kind: super::action_kind(action),
        tails: super::action_tails(problem, action),
        crew: Vec::new(),
        text: plan.describe(problem, action),
        carrier: None,
        flight: None,
        date: None,
        old_time: None,
        new_time: None,
    };
    let flight = match action {
        RecoveryAction::Retime { flight, .. }
        | RecoveryAction::Cancel { flight }
        | RecoveryAction::TailSwap { flight, .. } => *flight,
        _ => return json,
    };
    let Some(leg) = leg_of(schedule, problem, flight) else {
        return json;
    };
    let out = leg.scheduled_out;
    let name = format!("{} {}-{}", flight_name(leg), leg.origin, leg.destination);
    let when = |t| local_label(schedule, leg, t).unwrap_or_default();
    json.carrier = Some(leg.carrier.to_string());
    json.flight = leg.flight_number.map(|n| n.to_string());
    json.date = schedule
        .airport(leg.origin)
        .map(|a| a.time_zone.to_local(out).date.to_string());
    json.old_time = Some(out.to_string());
    json.text = match action {
        RecoveryAction::Retime { by, .. } => {
            let new = out + *by;
            json.new_time = Some(new.to_string());
            format!(
                "retime {name}: depart {} = {new} instead of {} = {out} ({} min {})",
                when(new),
                when(out),
                by.0.abs(),
                if by.0 >= 0 { "later" } else { "earlier" }
            )
        }
        RecoveryAction::Cancel { .. } => {
            let imposed = match problem.flight(flight).disruption {
                Some(ucodts_model::recovery::FlightDisruption::Cancelled) => " (imposed)",
                _ => "",
            };
            format!("cancel {name} departing {} = {out}{imposed}", when(out))
        }
        RecoveryAction::TailSwap { from, to, .. } => format!(
            "fly {name} departing {} = {out} with {} instead of {}",
            when(out),
            problem.tail(*to).id,
            problem.tail(*from).id
        ),
        _ => json.text.clone(),
    };
    json
}

/// The schedule leg behind a problem flight (`from_schedule` numbers each flight with its leg id).
fn leg_of<'s>(
    schedule: &'s Schedule,
    problem: &RecoveryProblem,
    flight: FlightIdx,
) -> Option<&'s Leg> {
    schedule.leg(LegId(problem.flight(flight).number))
}
