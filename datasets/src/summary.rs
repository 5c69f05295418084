//! A summary of a data set: what `ucodts inspect` prints.

use std::collections::BTreeMap;

use serde::Serialize;
use ucodts_model::{LegSource, LegStatus, Rank, Schedule, ON_TIME_THRESHOLD};

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Summary {
    /// Recorded flights (legs the source recorded; inferred legs are counted apart).
    pub flights: u64,
    pub inferred_legs: u64,
    /// Recorded flights that were cancelled.
    pub cancelled: u64,
    /// Recorded flights that departed and have a recorded arrival.
    pub arrivals_recorded: u64,
    /// Of those, the share that arrived less than 15 minutes late (the US DOT on-time definition).
    pub on_time_rate: Option<f64>,
    pub mean_arrival_delay_min: Option<f64>,
    /// First and last scheduled departure (UTC).
    pub first_departure: Option<String>,
    pub last_departure: Option<String>,
    pub airlines: u64,
    pub airports: u64,
    pub aircraft_types: u64,
    pub aircraft: u64,
    pub crew: u64,
    pub crew_by_rank: BTreeMap<String, u64>,
    pub pairings: u64,
    pub duties: u64,
    pub roster_assignments: u64,
    pub weather_observations: u64,
    pub legs_by_status: BTreeMap<String, u64>,
    pub flights_by_airline: BTreeMap<String, u64>,
    /// Recorded flights per operating day (local date at the origin).
    pub by_day: Vec<DaySummary>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct DaySummary {
    pub date: String,
    pub flights: u64,
    pub cancelled: u64,
    pub on_time_rate: Option<f64>,
}

pub fn summarize(schedule: &Schedule) -> Summary {
    let legs = schedule.legs();
    let recorded = || legs.iter().filter(|l| l.source == LegSource::Recorded);
    let delays: Vec<i64> = recorded()
        .filter_map(|l| l.arrival_delay())
        .map(|d| d.0)
        .collect();
    let on_time = delays.iter().filter(|&&d| d < ON_TIME_THRESHOLD.0).count();
    let mut legs_by_status = BTreeMap::new();
    for l in legs {
        *legs_by_status
            .entry(l.status.as_str().to_string())
            .or_insert(0) += 1;
    }
    let mut flights_by_airline = BTreeMap::new();
    for l in recorded() {
        *flights_by_airline.entry(l.carrier.to_string()).or_insert(0) += 1;
    }
    let mut crew_by_rank: BTreeMap<String, u64> = Rank::ALL
        .iter()
        .map(|r| (r.as_str().to_string(), 0))
        .collect();
    for c in schedule.crew() {
        *crew_by_rank.entry(c.rank.as_str().to_string()).or_default() += 1;
    }
    let mut days: BTreeMap<ucodts_model::Date, (u64, u64, u64, u64)> = BTreeMap::new();
    for l in recorded() {
        let Some(origin) = schedule.airport(l.origin) else {
            continue;
        };
        let day = days.entry(l.service_date(&origin.time_zone)).or_default();
        day.0 += 1;
        day.1 += u64::from(l.status == LegStatus::Cancelled);
        if let Some(d) = l.arrival_delay() {
            day.2 += 1;
            day.3 += u64::from(d < ON_TIME_THRESHOLD);
        }
    }
    let by_day = days
        .into_iter()
        .map(
            |(date, (flights, cancelled, arrived, on_time))| DaySummary {
                date: date.to_string(),
                flights,
                cancelled,
                on_time_rate: (arrived > 0).then(|| on_time as f64 / arrived as f64),
            },
        )
        .collect();
    let n = delays.len();
    Summary {
        by_day,
        flights: recorded().count() as u64,
        inferred_legs: legs
            .iter()
            .filter(|l| l.source == LegSource::Inferred)
            .count() as u64,
        cancelled: recorded()
            .filter(|l| l.status == LegStatus::Cancelled)
            .count() as u64,
        arrivals_recorded: n as u64,
        on_time_rate: (n > 0).then(|| on_time as f64 / n as f64),
        mean_arrival_delay_min: (n > 0).then(|| delays.iter().sum::<i64>() as f64 / n as f64),
        first_departure: legs
            .iter()
            .map(|l| l.scheduled_out)
            .min()
            .map(|t| t.to_string()),
        last_departure: legs
            .iter()
            .map(|l| l.scheduled_out)
            .max()
            .map(|t| t.to_string()),
        airlines: schedule.airlines().len() as u64,
        airports: schedule.airports().len() as u64,
        aircraft_types: schedule.aircraft_types().len() as u64,
        aircraft: schedule.aircraft().len() as u64,
        crew: schedule.crew().len() as u64,
        crew_by_rank,
        pairings: schedule.pairings().len() as u64,
        duties: schedule
            .pairings()
            .iter()
            .map(|p| p.duties.len() as u64)
            .sum(),
        roster_assignments: schedule.rosters().len() as u64,
        weather_observations: schedule.weather().len() as u64,
        legs_by_status,
        flights_by_airline,
    }
}
