//! External aircraft policies for `recover --policy-cmd`: any executable, in any language, given the
//! recovery problem as one versioned JSON document on standard input and answering with a plan as one
//! JSON document on standard output (the schema: `docs/guide/policy-protocol.md`).
//!
//! The answer is judged like a built-in policy's: the plan goes through the one checker
//! ([`ucodts_model::recovery::evaluate`]), passengers are rebooked on what it flies by the optimizer's own
//! rebooking, the crew side staffs it, and the twin replays it. A policy that cannot be started, exits
//! with an error, is killed after its time limit plus [`GRACE`], or prints something that is not a plan of
//! this problem offers nothing; why is kept ([`ExternalPolicy::calls`]) and printed with the result. The
//! loop goes on with the other candidates (doing nothing is always one).

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::Read;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use ucodts_model::recovery::{
    FlightDisruption, FlightIdx, OperatedLeg, PlanFlight, RecoveryPlan, RecoveryProblem,
};
use ucodts_model::UtcMinute;
use ucodts_optimizer::{OptimizerError, RecoveryPolicy, Search};

use crate::policy_cmd::{self, PolicyCommand, GRACE};

/// The `version` of the problem document this build writes.
pub const PROBLEM_VERSION: &str = "ucodts.recovery-problem/1";
/// The `version` a plan document must carry.
pub const PLAN_VERSION: &str = "ucodts.recovery-plan/1";
/// The aircraft policy name an external policy takes in `recover`'s pairs and output (`external+milp`).
pub const EXTERNAL: &str = "external";
/// The largest plan document read from a policy's standard output.
const MAX_PLAN_BYTES: u64 = 64 << 20;
/// The least time a policy is given, however little the budget has left.
const MIN_POLICY_TIME: Duration = Duration::from_secs(1);

/// The problem as the document on a policy's standard input. Times are UTC, `YYYY-MM-DDTHH:MMZ`;
/// durations are whole minutes; aircraft and flights are referred to by their index in these lists.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ProblemDocument {
    pub version: String,
    /// Seconds the policy has; it is killed [`GRACE`] after that.
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
    let airport = |a: ucodts_model::recovery::AirportIdx| problem.airport(a).code.to_string();
    let limited = |v: u32| (v != u32::MAX).then_some(v);
    let operator_code = |i: ucodts_model::recovery::problem::OperatorIdx| {
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

/// Reads a policy's answer into a plan of `problem` (passengers not yet rebooked), or says what is wrong
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
    let mut plan = RecoveryPlan {
        rotations,
        new_flights: Vec::new(),
        cancelled,
        passengers: Vec::new(),
    };
    plan.passengers = ucodts_optimizer::rebook_passengers(problem, &plan);
    Ok(plan)
}

/// At most 60 characters of a policy's text, for an error message.
fn short(text: &str) -> String {
    let mut out: String = text.chars().take(60).collect();
    if out.len() < text.len() {
        out.push_str("...");
    }
    out
}

/// What one call of an external policy gave.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct ExternalCall {
    /// `plan` when it answered with a plan of the problem (judged by the checker like any other), else
    /// `failed`.
    pub outcome: &'static str,
    /// Why it failed, in words (empty for a plan).
    pub why: String,
    /// Its own time, from start to exit, in seconds.
    pub policy_seconds: f64,
    /// Everything else the call took (writing the problem, starting the process, reading and checking its
    /// plan), in milliseconds.
    pub overhead_ms: f64,
}

/// An external command as an aircraft policy (see the module documentation).
pub struct ExternalPolicy {
    command: PolicyCommand,
    calls: Mutex<Vec<ExternalCall>>,
}

impl ExternalPolicy {
    pub fn new(command: PolicyCommand) -> ExternalPolicy {
        ExternalPolicy {
            command,
            calls: Mutex::new(Vec::new()),
        }
    }

    pub fn command(&self) -> &PolicyCommand {
        &self.command
    }

    /// Every call so far, in order.
    pub fn calls(&self) -> Vec<ExternalCall> {
        self.calls.lock().map(|c| c.clone()).unwrap_or_default()
    }

    /// Runs the command on `problem` with `time_limit`: the plan, or why there is none; the policy's own
    /// time and the rest.
    fn call(
        &self,
        problem: &RecoveryProblem,
        time_limit: Duration,
    ) -> (Result<RecoveryPlan, String>, Duration, Duration) {
        let started = Instant::now();
        let dir = match tempfile::Builder::new().prefix("ucodts-policy-").tempdir() {
            Ok(dir) => dir,
            Err(e) => {
                return (
                    Err(format!("could not make a working folder: {e}")),
                    Duration::ZERO,
                    started.elapsed(),
                )
            }
        };
        let input = dir.path().join("problem.json");
        let written = serde_json::to_vec(&problem_document(problem, time_limit))
            .map_err(|e| e.to_string())
            .and_then(|bytes| std::fs::write(&input, bytes).map_err(|e| e.to_string()));
        if let Err(e) = written {
            return (
                Err(format!("could not write the problem document: {e}")),
                Duration::ZERO,
                started.elapsed(),
            );
        }
        let run = policy_cmd::run_with_input(
            &self.command,
            &[] as &[OsString],
            Some(&input),
            time_limit,
            GRACE,
            dir.path(),
        );
        let (plan, own) = match run {
            Ok(run) => (
                read_output(&dir.path().join("policy.stdout"))
                    .and_then(|text| read_plan(&text, problem)),
                run.policy_time,
            ),
            Err(failure) => (Err(failure.to_string()), Duration::ZERO),
        };
        let total = started.elapsed();
        (plan, own, total.saturating_sub(own))
    }
}

/// A policy's standard output, at most [`MAX_PLAN_BYTES`], as UTF-8.
fn read_output(path: &Path) -> Result<String, String> {
    let file =
        std::fs::File::open(path).map_err(|e| format!("its standard output is gone: {e}"))?;
    let mut bytes = Vec::new();
    file.take(MAX_PLAN_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("reading its standard output: {e}"))?;
    if bytes.len() as u64 > MAX_PLAN_BYTES {
        return Err(format!(
            "its standard output is over {} MiB, more than any plan",
            MAX_PLAN_BYTES >> 20
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "its standard output is not UTF-8 (byte {})",
            e.utf8_error().valid_up_to()
        )
    })
}

impl RecoveryPolicy for ExternalPolicy {
    fn name(&self) -> &'static str {
        EXTERNAL
    }

    fn search(
        &self,
        problem: &RecoveryProblem,
        search: &mut Search<'_>,
    ) -> Result<(), OptimizerError> {
        let time_limit = search.remaining().max(MIN_POLICY_TIME);
        let (plan, own, overhead) = self.call(problem, time_limit);
        let call = ExternalCall {
            outcome: if plan.is_ok() { "plan" } else { "failed" },
            why: plan.as_ref().err().cloned().unwrap_or_default(),
            policy_seconds: own.as_secs_f64(),
            overhead_ms: overhead.as_secs_f64() * 1000.0,
        };
        if let Ok(mut calls) = self.calls.lock() {
            calls.push(call);
        }
        if let Ok(plan) = plan {
            search.offer(plan);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem() -> RecoveryProblem {
        let loaded = crate::scenario::load("captain-no-show", None).expect("a library scenario");
        super::super::problem(&loaded.schedule, &loaded.scenario)
            .expect("its recovery problem")
            .problem
    }

    /// The planned rotations, with the legs the disruption cancels left out, as a plan document.
    fn as_planned(doc: &ProblemDocument) -> PlanDocument {
        PlanDocument {
            version: PLAN_VERSION.into(),
            rotations: doc
                .aircraft
                .iter()
                .map(|a| RotationDoc {
                    aircraft: a.index,
                    legs: a
                        .planned_rotation
                        .iter()
                        .filter(|&&f| doc.flights[f].disruption != "cancelled")
                        .map(|&f| LegDoc {
                            flight: f,
                            departure: doc.flights[f].scheduled_departure.clone(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    #[test]
    fn the_planned_rotations_read_back_as_the_plan_that_changes_nothing() {
        let problem = problem();
        let doc = problem_document(&problem, Duration::from_secs(3));
        assert_eq!(doc.version, PROBLEM_VERSION);
        assert_eq!(doc.flights.len(), problem.flights.len());
        assert_eq!(doc.aircraft.len(), problem.aircraft.len());
        assert!(doc.flights.iter().all(|f| f.operator.is_some()));
        // The document is what a policy gets: it reads back from its JSON text.
        let text = serde_json::to_string(&doc).unwrap();
        let again: ProblemDocument = serde_json::from_str(&text).unwrap();
        assert_eq!(again, doc);
        let plan_text = serde_json::to_string(&as_planned(&doc)).unwrap();
        let plan = read_plan(&plan_text, &problem).expect("a plan of the problem");
        assert!(
            plan.actions(&problem).is_empty(),
            "{:?}",
            plan.actions(&problem)
        );
        let flown: usize = plan.rotations.iter().map(Vec::len).sum();
        assert_eq!(flown + plan.cancelled.len(), problem.flights.len());
    }

    #[test]
    fn a_plan_that_is_not_of_the_problem_is_refused_saying_where() {
        let problem = problem();
        let doc = problem_document(&problem, Duration::from_secs(3));
        let good = as_planned(&doc);
        let refused = |plan: &PlanDocument| {
            read_plan(&serde_json::to_string(plan).unwrap(), &problem).expect_err("refused")
        };
        let mut bad = good.clone();
        bad.version = "ucodts.recovery-plan/9".into();
        assert!(refused(&bad).contains("field `version`"));
        let mut bad = good.clone();
        bad.rotations[0].aircraft = 1_000_000;
        assert!(refused(&bad).starts_with("rotations[0].aircraft: aircraft 1000000 does not exist"));
        let mut bad = good.clone();
        bad.rotations[1].aircraft = bad.rotations[0].aircraft;
        assert!(refused(&bad).contains("has two rotations"));
        let mut bad = good.clone();
        let first = bad
            .rotations
            .iter()
            .position(|r| !r.legs.is_empty())
            .unwrap();
        let leg = bad.rotations[first].legs[0].clone();
        let other = (first + 1) % bad.rotations.len();
        bad.rotations[other].legs.push(leg);
        assert!(refused(&bad).contains("is flown twice"));
        let mut bad = good.clone();
        bad.rotations[first].legs[0].departure = "tomorrow".into();
        let why = refused(&bad);
        assert!(
            why.starts_with(&format!("rotations[{first}].legs[0].departure")),
            "{why}"
        );
        let why = read_plan("{\"version\": 1,\n \"rotations\": []}", &problem).unwrap_err();
        assert!(why.contains("line 1, column"), "{why}");
        let why = read_plan(
            "{\"version\": \"x\", \"rotations\": [], \"extra\": 1}",
            &problem,
        )
        .unwrap_err();
        assert!(why.contains("unknown field `extra`"), "{why}");
    }
}
