//! The interchange documents of an external recovery policy: the problem a policy is given
//! (`ucodts.recovery-problem/1`) and the plan it answers with (`ucodts.recovery-plan/1`), as JSON. The
//! schema, in words, is `docs/guide/policy-protocol.md`; `recover --policy-cmd` (the workflows crate) runs
//! the policy and rebooks the passengers on what the plan flies.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::plan::{OperatedLeg, PlanFlight, RecoveryPlan};
use super::problem::{FlightDisruption, FlightIdx, RecoveryProblem};
use crate::time::UtcMinute;

/// The `version` of the problem document this build writes.
pub const PROBLEM_VERSION: &str = "ucodts.recovery-problem/1";
/// The `version` a plan document must carry.
pub const PLAN_VERSION: &str = "ucodts.recovery-plan/1";

/// The problem as the document on a policy's standard input. Times are UTC, `YYYY-MM-DDTHH:MMZ`;
/// durations are whole minutes; aircraft and flights are referred to by their index in these lists.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ProblemDocument {
    pub version: String,
    /// Seconds the policy has (the caller kills it a grace after that).
    pub time_limit_seconds: f64,
    pub window_start: String,
    pub window_end: String,
    pub airports: Vec<AirportDoc>,
    pub aircraft: Vec<AircraftDoc>,
    pub flights: Vec<FlightDoc>,
    /// Crew who change aircraft: flight `to` may not leave before flight `from` has landed plus
    /// `need_minutes` (or the crew side must find other crew).
    pub crew_connections: Vec<CrewConnectionDoc>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AirportDoc {
    pub code: String,
    /// Departures and arrivals allowed per clock hour, hour 00 (UTC) first; `null` where unlimited.
    pub hourly_departures: Vec<Option<u32>>,
    pub hourly_arrivals: Vec<Option<u32>>,
    /// Capacity cuts: from `from` to `to` (whole hours), at most these movements per hour (0: closed).
    pub cuts: Vec<CutDoc>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CutDoc {
    pub from: String,
    pub to: String,
    pub departures: u32,
    pub arrivals: u32,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AircraftDoc {
    pub index: usize,
    /// The registration, e.g. `N601JB`.
    pub tail: String,
    /// Its operator's code, `null` for a one-airline problem. A tail flies only its operator's flights.
    pub operator: Option<String>,
    pub model: String,
    /// Swaps stay within a family.
    pub family: String,
    /// Where it is before its first leg.
    pub origin: String,
    pub turn_round_minutes: i64,
    /// Ground time between the two legs of a through flight.
    pub transit_minutes: i64,
    /// The longest block time it may fly.
    pub range_minutes: i64,
    /// Periods it cannot fly (no leg may overlap one).
    pub unavailable: Vec<PeriodDoc>,
    /// Its planned legs in order (flight indices).
    pub planned_rotation: Vec<usize>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PeriodDoc {
    pub from: String,
    pub to: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FlightDoc {
    pub index: usize,
    pub number: u32,
    pub date: String,
    /// Operating carrier, `null` for a one-airline problem.
    pub operator: Option<String>,
    pub origin: String,
    pub destination: String,
    pub scheduled_departure: String,
    pub scheduled_arrival: String,
    /// The flight number this leg continues on the same aircraft (a through flight).
    pub previous_number: Option<u32>,
    /// Index of the aircraft the schedule flies it with.
    pub planned_aircraft: usize,
    /// `none`, `delayed` (by `delay_minutes`, flown by its planned aircraft exactly that much later) or
    /// `cancelled` (must not fly).
    pub disruption: String,
    pub delay_minutes: i64,
    /// Frozen legs (departing outside the window) keep their aircraft and times.
    pub frozen: bool,
    /// Passengers booked on it.
    pub passengers: u32,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CrewConnectionDoc {
    pub from: usize,
    pub to: usize,
    pub need_minutes: i64,
}

/// The plan document a policy prints.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PlanDocument {
    pub version: String,
    /// One entry per aircraft that flies anything other than nothing; an aircraft not listed flies no leg.
    pub rotations: Vec<RotationDoc>,
}

impl PlanDocument {
    /// Every aircraft on its planned legs at their scheduled times, the legs the disruption cancels left
    /// out: what a policy that changes nothing answers (a delayed leg at its schedule breaks a rule).
    pub fn as_planned(problem: &ProblemDocument) -> PlanDocument {
        PlanDocument {
            version: PLAN_VERSION.into(),
            rotations: problem
                .aircraft
                .iter()
                .map(|a| RotationDoc {
                    aircraft: a.index,
                    legs: a
                        .planned_rotation
                        .iter()
                        .filter(|&&f| problem.flights[f].disruption != "cancelled")
                        .map(|&f| LegDoc {
                            flight: f,
                            departure: problem.flights[f].scheduled_departure.clone(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RotationDoc {
    pub aircraft: usize,
    pub legs: Vec<LegDoc>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LegDoc {
    pub flight: usize,
    /// The new departure (UTC); the arrival keeps the scheduled block time.
    pub departure: String,
}

/// The problem document for `problem`, telling the policy it has `time_limit`.
pub fn problem_document(problem: &RecoveryProblem, time_limit: Duration) -> ProblemDocument {
    let airport = |a: super::problem::AirportIdx| problem.airport(a).code.to_string();
    let limited = |v: u32| (v != u32::MAX).then_some(v);
    let operator_code = |i: super::problem::OperatorIdx| {
        problem
            .operators
            .as_ref()
            .map(|o| o.codes[i.index()].clone())
    };
    let mut passengers = vec![0u32; problem.flights.len()];
    for it in &problem.itineraries {
        for leg in &it.legs {
            passengers[leg.flight.index()] =
                passengers[leg.flight.index()].saturating_add(it.passengers);
        }
    }
    ProblemDocument {
        version: PROBLEM_VERSION.to_string(),
        time_limit_seconds: time_limit.as_secs_f64(),
        window_start: problem.window_start.to_string(),
        window_end: problem.window_end.to_string(),
        airports: problem
            .airports
            .iter()
            .map(|a| AirportDoc {
                code: a.code.to_string(),
                hourly_departures: a
                    .daily_capacity
                    .iter()
                    .map(|c| limited(c.departures))
                    .collect(),
                hourly_arrivals: a
                    .daily_capacity
                    .iter()
                    .map(|c| limited(c.arrivals))
                    .collect(),
                cuts: a
                    .cuts
                    .iter()
                    .map(|c| CutDoc {
                        from: c.from.to_string(),
                        to: c.to.to_string(),
                        departures: c.capacity.departures,
                        arrivals: c.capacity.arrivals,
                    })
                    .collect(),
            })
            .collect(),
        aircraft: problem
            .aircraft
            .iter()
            .enumerate()
            .map(|(i, t)| AircraftDoc {
                index: i,
                tail: t.id.clone(),
                operator: problem
                    .operators
                    .as_ref()
                    .and_then(|o| o.of_aircraft.get(i).copied())
                    .and_then(operator_code),
                model: problem.models[t.model.index()].clone(),
                family: problem.families[t.family.index()].clone(),
                origin: airport(t.origin),
                turn_round_minutes: t.turn_round.0,
                transit_minutes: t.transit.0,
                range_minutes: t.range.0,
                unavailable: t
                    .unavailable
                    .iter()
                    .map(|u| PeriodDoc {
                        from: u.from.to_string(),
                        to: u.to.to_string(),
                    })
                    .collect(),
                planned_rotation: problem.planned_rotations[i]
                    .iter()
                    .map(|f| f.index())
                    .collect(),
            })
            .collect(),
        flights: problem
            .flights
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let (disruption, delay) = match f.disruption {
                    None => ("none", 0),
                    Some(FlightDisruption::Delayed(by)) => ("delayed", by.0),
                    Some(FlightDisruption::Cancelled) => ("cancelled", 0),
                };
                FlightDoc {
                    index: i,
                    number: f.number,
                    date: f.date.to_string(),
                    operator: problem
                        .operators
                        .as_ref()
                        .and_then(|o| o.of_flight.get(i).copied())
                        .and_then(operator_code),
                    origin: airport(f.origin),
                    destination: airport(f.destination),
                    scheduled_departure: f.scheduled_departure.to_string(),
                    scheduled_arrival: f.scheduled_arrival.to_string(),
                    previous_number: f.previous_number,
                    planned_aircraft: f.planned_aircraft.index(),
                    disruption: disruption.to_string(),
                    delay_minutes: delay,
                    frozen: f.frozen,
                    passengers: passengers[i],
                }
            })
            .collect(),
        crew_connections: problem
            .crew_connections
            .iter()
            .map(|c| CrewConnectionDoc {
                from: c.from.index(),
                to: c.to.index(),
                need_minutes: c.need.0,
            })
            .collect(),
    }
}

/// Reads a policy's answer into a plan of `problem` (with no passenger lines), or says what is wrong
/// with it: where the JSON breaks (line and column), or which rotation, leg and field is not of this problem.
pub fn read_plan(text: &str, problem: &RecoveryProblem) -> Result<RecoveryPlan, String> {
    let doc: PlanDocument = serde_json::from_str(text).map_err(|e| {
        format!(
            "its standard output is not a plan document (line {}, column {}): {e}",
            e.line(),
            e.column()
        )
    })?;
    if doc.version != PLAN_VERSION {
        return Err(format!(
            "field `version`: {:?}, this build reads {PLAN_VERSION:?}",
            short(&doc.version)
        ));
    }
    let mut rotations: Vec<Option<Vec<OperatedLeg>>> = vec![None; problem.aircraft.len()];
    let mut flown_by: BTreeMap<usize, usize> = BTreeMap::new();
    for (r, rotation) in doc.rotations.iter().enumerate() {
        let at = |field: &str| format!("rotations[{r}].{field}");
        let a = rotation.aircraft;
        let slot = rotations.get_mut(a).ok_or_else(|| {
            format!(
                "{}: aircraft {a} does not exist (the problem has {})",
                at("aircraft"),
                problem.aircraft.len()
            )
        })?;
        if slot.is_some() {
            return Err(format!(
                "{}: aircraft {a} has two rotations",
                at("aircraft")
            ));
        }
        let mut legs = Vec::with_capacity(rotation.legs.len());
        for (k, leg) in rotation.legs.iter().enumerate() {
            let at = |field: &str| format!("rotations[{r}].legs[{k}].{field}");
            let flight = problem.flights.get(leg.flight).ok_or_else(|| {
                format!(
                    "{}: flight {} does not exist (the problem has {})",
                    at("flight"),
                    leg.flight,
                    problem.flights.len()
                )
            })?;
            if let Some(other) = flown_by.insert(leg.flight, a) {
                return Err(format!(
                    "{}: flight {} is flown twice (also by aircraft {other})",
                    at("flight"),
                    leg.flight
                ));
            }
            let departure = UtcMinute::parse(&leg.departure).ok_or_else(|| {
                format!(
                    "{}: {:?} is not a UTC time YYYY-MM-DDTHH:MMZ",
                    at("departure"),
                    short(&leg.departure)
                )
            })?;
            legs.push(OperatedLeg {
                flight: PlanFlight::Planned(FlightIdx(leg.flight as u32)),
                departure,
                arrival: departure + flight.block_time(),
            });
        }
        legs.sort_by_key(|l| l.departure);
        *slot = Some(legs);
    }
    let rotations: Vec<Vec<OperatedLeg>> = rotations
        .into_iter()
        .map(Option::unwrap_or_default)
        .collect();
    let cancelled = (0..problem.flights.len())
        .filter(|f| !flown_by.contains_key(f))
        .map(|f| FlightIdx(f as u32))
        .collect();
    Ok(RecoveryPlan {
        rotations,
        new_flights: Vec::new(),
        cancelled,
        passengers: Vec::new(),
    })
}

/// At most 60 characters of a policy's text, for an error message.
fn short(text: &str) -> String {
    let mut out: String = text.chars().take(60).collect();
    if out.len() < text.len() {
        out.push_str("...");
    }
    out
}
