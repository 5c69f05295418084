//! The challenge's solution files: `sol_rotations.csv` (one line per leg: flown with its aircraft, or
//! `cancelled`) and `sol_itineraries.csv` (one line per group of passengers), both ending with a `#` line.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use ucodts_model::recovery::{
    AircraftIdx, Cabin, NewFlight, NewFlightIdx, OperatedLeg, PassengerLeg, PassengerLine,
    PlanFlight, RecoveryPlan, RecoveryProblem,
};
use ucodts_model::{Date, UtcMinute};

use super::records::{format_clock, format_date, format_price, read_records, Fields};
use crate::DatasetError;

pub const ROTATIONS_FILE: &str = "sol_rotations.csv";
pub const ITINERARIES_FILE: &str = "sol_itineraries.csv";

/// Writes a plan as `sol_rotations.csv` and `sol_itineraries.csv` in `dir` (created if needed). Each file
/// is written to a temporary name and renamed, so a reader never sees half a solution.
///
/// Legs are written aircraft by aircraft in plan order, then the declared cancellations, then created
/// flights no aircraft flies (as `cancelled`, which the checker reports); passenger lines in plan order.
pub fn write_solution(
    problem: &RecoveryProblem,
    plan: &RecoveryPlan,
    dir: &Path,
) -> Result<(), DatasetError> {
    std::fs::create_dir_all(dir).map_err(|e| DatasetError::io(dir, e))?;
    let rotations = rotations_text(problem, plan, &dir.join(ROTATIONS_FILE))?;
    let itineraries = itineraries_text(problem, plan, &dir.join(ITINERARIES_FILE))?;
    write_atomically(&dir.join(ROTATIONS_FILE), &rotations)?;
    write_atomically(&dir.join(ITINERARIES_FILE), &itineraries)?;
    Ok(())
}

fn write_atomically(path: &Path, text: &str) -> Result<(), DatasetError> {
    let tmp = path.with_extension("csv.tmp");
    let mut file = std::fs::File::create(&tmp).map_err(|e| DatasetError::io(&tmp, e))?;
    file.write_all(text.as_bytes())
        .and_then(|_| file.sync_all())
        .map_err(|e| DatasetError::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| DatasetError::io(path, e))
}

fn unwritable(file: &Path, message: String) -> DatasetError {
    DatasetError::File {
        file: file.to_path_buf(),
        message,
    }
}

fn date_text(file: &Path, date: Date) -> Result<String, DatasetError> {
    format_date(date)
        .ok_or_else(|| unwritable(file, format!("date {date} cannot be written as DD/MM/YY")))
}

fn check_plan_fits(
    problem: &RecoveryProblem,
    plan: &RecoveryPlan,
    file: &Path,
) -> Result<(), DatasetError> {
    let bad =
        |what: String| unwritable(file, format!("the plan does not fit the instance: {what}"));
    if plan.rotations.len() != problem.aircraft.len() {
        return Err(bad(format!(
            "{} rotations for {} aircraft",
            plan.rotations.len(),
            problem.aircraft.len()
        )));
    }
    let flight_ok = |f: PlanFlight| match f {
        PlanFlight::Planned(i) => i.index() < problem.flights.len(),
        PlanFlight::New(i) => i.index() < plan.new_flights.len(),
    };
    let legs = plan.rotations.iter().flatten().map(|l| l.flight);
    let passenger_legs = plan
        .passengers
        .iter()
        .flat_map(|l| l.legs.iter().map(|x| x.flight));
    let cancelled = plan.cancelled.iter().map(|f| PlanFlight::Planned(*f));
    if let Some(f) = legs
        .chain(passenger_legs)
        .chain(cancelled)
        .find(|f| !flight_ok(*f))
    {
        return Err(bad(format!("flight {f} does not exist")));
    }
    if let Some(l) = plan
        .passengers
        .iter()
        .find(|l| l.itinerary.index() >= problem.itineraries.len())
    {
        return Err(bad(format!(
            "itinerary index {} does not exist",
            l.itinerary.0
        )));
    }
    Ok(())
}

fn rotations_text(
    problem: &RecoveryProblem,
    plan: &RecoveryPlan,
    file: &Path,
) -> Result<String, DatasetError> {
    check_plan_fits(problem, plan, file)?;
    let mut out = String::new();
    let mut flown_new = vec![false; plan.new_flights.len()];
    let airport = |a: ucodts_model::recovery::AirportIdx| problem.airport(a).code;
    let clock = |t: UtcMinute, date: Date, number: u32| {
        format_clock(t, date).ok_or_else(|| {
            unwritable(
                file,
                format!(
                    "flight {number} of {date}: time {t} is before its date and cannot be written"
                ),
            )
        })
    };
    for (a, rotation) in plan.rotations.iter().enumerate() {
        let tail = &problem.aircraft[a].id;
        for leg in rotation {
            let (number, date, origin, destination, previous) = match leg.flight {
                PlanFlight::Planned(f) => {
                    let fl = problem.flight(f);
                    (
                        fl.number,
                        fl.date,
                        fl.origin,
                        fl.destination,
                        fl.previous_number.unwrap_or(0),
                    )
                }
                PlanFlight::New(n) => {
                    flown_new[n.index()] = true;
                    let nf = &plan.new_flights[n.index()];
                    (nf.number, nf.date, nf.origin, nf.destination, 0)
                }
            };
            out.push_str(&format!(
                "{number} {} {} {} {} {previous} {} {tail}\n",
                airport(origin),
                airport(destination),
                clock(leg.departure, date, number)?,
                clock(leg.arrival, date, number)?,
                date_text(file, date)?
            ));
        }
    }
    for &f in &plan.cancelled {
        let fl = problem.flight(f);
        out.push_str(&format!(
            "{} {} {} {} {} {} {} cancelled\n",
            fl.number,
            airport(fl.origin),
            airport(fl.destination),
            clock(fl.scheduled_departure, fl.date, fl.number)?,
            clock(fl.scheduled_arrival, fl.date, fl.number)?,
            fl.previous_number.unwrap_or(0),
            date_text(file, fl.date)?
        ));
    }
    for (n, nf) in plan.new_flights.iter().enumerate() {
        if !flown_new[n] {
            out.push_str(&format!(
                "{} {} {} 00:00 00:00 0 {} cancelled\n",
                nf.number,
                airport(nf.origin),
                airport(nf.destination),
                date_text(file, nf.date)?
            ));
        }
    }
    out.push_str("#\n");
    Ok(out)
}

fn itineraries_text(
    problem: &RecoveryProblem,
    plan: &RecoveryPlan,
    file: &Path,
) -> Result<String, DatasetError> {
    let mut out = String::new();
    for line in &plan.passengers {
        let it = problem.itinerary(line.itinerary);
        out.push_str(&format!(
            "{} {} {} {}",
            it.id,
            it.direction.letter(),
            format_price(it.price),
            line.passengers
        ));
        for leg in &line.legs {
            let (number, date) = plan.flight_key(problem, leg.flight);
            out.push_str(&format!(
                " {number} {} {}",
                date_text(file, date)?,
                leg.cabin.letter()
            ));
        }
        if line.cancelled {
            out.push_str(" cancelled");
        }
        out.push('\n');
    }
    out.push_str("#\n");
    Ok(out)
}

/// Reads a solution folder against its instance. The plan's created flights are sorted by (number, date);
/// declared cancellations are sorted and listed once; legs and passenger lines keep file order.
///
/// What the plan type cannot hold is an error naming the file, line, field and value: a planned flight
/// written with other airports or another linked flight, a created flight with a linked flight, an aircraft
/// not in the fleet, an itinerary not in the instance or of another type, a leg after `cancelled`, or a
/// passenger leg on a flight that neither the instance nor `sol_rotations.csv` has.
pub fn read_solution(problem: &RecoveryProblem, dir: &Path) -> Result<RecoveryPlan, DatasetError> {
    let (file, records) = read_records(dir, ROTATIONS_FILE)?;
    let mut plan = RecoveryPlan {
        rotations: vec![Vec::new(); problem.aircraft.len()],
        ..RecoveryPlan::default()
    };
    // Created flights by key, with the line that introduced them, in first-seen order.
    let mut new_by_key: HashMap<(u32, Date), usize> = HashMap::new();
    let mut new_list: Vec<NewFlight> = Vec::new();
    // Legs of created flights are stored with their first-seen index and remapped after sorting.
    let mut new_legs: Vec<(AircraftIdx, usize, usize)> = Vec::new();
    for r in &records {
        let f = Fields::new(&file, r);
        if f.len() != 8 {
            return Err(f.record_error(format!(
                "expected 8 fields (number origin destination departure arrival previous date aircraft|cancelled), found {}",
                f.len()
            )));
        }
        let number = f.u32(0, "flight number")?;
        let origin = airport(problem, &f, 1, "origin")?;
        let destination = airport(problem, &f, 2, "destination")?;
        let date = f.date(6, "date")?;
        let departure = UtcMinute::from_date_minute(date, f.clock(3, "departure time")?);
        let arrival = UtcMinute::from_date_minute(date, f.clock(4, "arrival time")?);
        let previous = f.u32(5, "previous flight")?;
        let who = f.text(7, "aircraft")?;
        let cancelled = who.eq_ignore_ascii_case("cancelled");
        let aircraft = if cancelled {
            None
        } else {
            Some(problem.aircraft_by_id(who).ok_or_else(|| {
                f.error(
                    7,
                    "aircraft",
                    "an aircraft of the fleet or `cancelled` (rule C1)",
                )
            })?)
        };
        match problem.flight_by_key(number, date) {
            Some(fi) => {
                let fl = problem.flight(fi);
                if origin != fl.origin {
                    return Err(f.error(1, "origin", "the planned flight's origin (rule F2)"));
                }
                if destination != fl.destination {
                    return Err(f.error(
                        2,
                        "destination",
                        "the planned flight's destination (rule F2)",
                    ));
                }
                if previous != fl.previous_number.unwrap_or(0) {
                    return Err(f.error(
                        5,
                        "previous flight",
                        "the planned flight's linked flight (rule F5)",
                    ));
                }
                match aircraft {
                    None => plan.cancelled.push(fi),
                    Some(a) => plan.rotations[a.index()].push(OperatedLeg {
                        flight: PlanFlight::Planned(fi),
                        departure,
                        arrival,
                    }),
                }
            }
            None => {
                if previous != 0 {
                    return Err(f.error(5, "previous flight", "0 for a created flight (rule F6)"));
                }
                let k = *new_by_key.entry((number, date)).or_insert_with(|| {
                    new_list.push(NewFlight {
                        number,
                        date,
                        origin,
                        destination,
                    });
                    new_list.len() - 1
                });
                if new_list[k].origin != origin || new_list[k].destination != destination {
                    return Err(f.record_error(format!(
                        "created flight {number} of {date} is written with two different routes"
                    )));
                }
                if let Some(a) = aircraft {
                    new_legs.push((a, plan.rotations[a.index()].len(), k));
                    plan.rotations[a.index()].push(OperatedLeg {
                        flight: PlanFlight::New(NewFlightIdx(k as u32)),
                        departure,
                        arrival,
                    });
                }
            }
        }
    }
    // Created flights sorted by key.
    let mut order: Vec<usize> = (0..new_list.len()).collect();
    order.sort_by_key(|&k| (new_list[k].number, new_list[k].date));
    let mut rank = vec![0u32; new_list.len()];
    for (r, &k) in order.iter().enumerate() {
        rank[k] = r as u32;
    }
    for &(a, p, k) in &new_legs {
        plan.rotations[a.index()][p].flight = PlanFlight::New(NewFlightIdx(rank[k]));
    }
    plan.new_flights = order.iter().map(|&k| new_list[k].clone()).collect();
    for v in new_by_key.values_mut() {
        *v = rank[*v] as usize;
    }
    plan.cancelled.sort_unstable();
    plan.cancelled.dedup();

    let (file, records) = read_records(dir, ITINERARIES_FILE)?;
    for r in &records {
        let f = Fields::new(&file, r);
        let id = f.u32(0, "itinerary")?;
        let itinerary = problem
            .itinerary_by_id(id)
            .ok_or_else(|| f.error(0, "itinerary", "an itinerary of the instance"))?;
        let it = problem.itinerary(itinerary);
        let kind = f.text(1, "type")?;
        if kind.len() != 1 || !kind.starts_with(it.direction.letter()) {
            return Err(f.error(1, "type", "the itinerary's type in the instance (rule P1)"));
        }
        f.text(2, "price")?;
        let passengers = f.u32(3, "passengers")?;
        let mut legs = Vec::new();
        let mut cancelled = false;
        let mut i = 4;
        while i < f.len() {
            if f.text(i, "flight number")?
                .eq_ignore_ascii_case("cancelled")
            {
                cancelled = true;
                if i + 1 < f.len() {
                    return Err(f.error(
                        i + 1,
                        "flight number",
                        "nothing after `cancelled` (rule I1)",
                    ));
                }
                break;
            }
            let number = f.u32(i, "flight number")?;
            let date = f.date(i + 1, "flight date")?;
            let cabin = Cabin::from_letter(f.text(i + 2, "cabin")?)
                .ok_or_else(|| f.error(i + 2, "cabin", "F, B or E"))?;
            let flight = match problem.flight_by_key(number, date) {
                Some(fi) => PlanFlight::Planned(fi),
                None => match new_by_key.get(&(number, date)) {
                    Some(&k) => PlanFlight::New(NewFlightIdx(k as u32)),
                    None => {
                        return Err(f.error(
                            i,
                            "flight number",
                            "a flight of the instance or of sol_rotations.csv on that date",
                        ))
                    }
                },
            };
            legs.push(PassengerLeg { flight, cabin });
            i += 3;
        }
        plan.passengers.push(PassengerLine {
            itinerary,
            passengers,
            legs,
            cancelled,
        });
    }
    Ok(plan)
}

fn airport(
    problem: &RecoveryProblem,
    f: &Fields<'_>,
    i: usize,
    field: &str,
) -> Result<ucodts_model::recovery::AirportIdx, DatasetError> {
    ucodts_model::AirportCode::new(f.text(i, field)?)
        .and_then(|c| problem.airport_by_code(c))
        .ok_or_else(|| f.error(i, field, "an airport of the instance"))
}
