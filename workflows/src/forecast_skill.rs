//! `ucodts forecast-skill`: the rolling twin's report card on a recorded day.
//!
//! The day is replayed as its feed ([`ucodts_live::replay`]); at each hour from 06:00 to 22:00 local (the
//! zone of the airport with the most departures that day) the events sent by then make the live state,
//! and the rolling twin ([`crate::forecast`]) forecasts the legs still to arrive: their on-time rate (at
//! the gate less than 15 minutes late), how many are cancelled, their mean arrival delay. Beside it:
//! persistence (the rest of the day like the day so far), the morning forecast (the day flown before any
//! event, read on the same legs) and what the record shows.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use ucodts_live::replay::{recorded_day, ReplayOptions};
use ucodts_live::LiveState;
use ucodts_model::{Date, LegSource, LegStatus, ON_TIME_THRESHOLD};

use crate::error::{Context, Result};
use ucodts_sim::{Shard, Summary};

use crate::forecast::{estimates, Fixed, ForecastOptions, RollingTwin};
use crate::progress::Progress;

/// First and last hour scored, local.
pub const HOURS: std::ops::RangeInclusive<i64> = 6..=22;

/// Which day and how hard to try.
#[derive(Debug, Clone, Default)]
pub struct SkillRequest {
    /// A native data set folder; `None`: the embedded default.
    pub data: Option<PathBuf>,
    /// A parameter file from `fit`; `None` as for `simulate`.
    pub params: Option<PathBuf>,
    /// The recorded day, YYYY-MM-DD.
    pub date: String,
    /// Replications per hour; `None`: 100.
    pub reps: Option<u64>,
    /// Master seed; `None`: 1.
    pub seed: Option<u64>,
    /// Threads (0: one per core).
    pub threads: usize,
}

/// The three numbers a forecast of the legs still to arrive gives (and the record shows).
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Measures {
    /// `None` when none of the legs is flown.
    pub on_time_rate: Option<f64>,
    pub cancelled: f64,
    pub mean_arrival_delay_min: Option<f64>,
}

/// Absolute errors against the record.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Errors {
    pub on_time_rate: Option<f64>,
    pub cancelled: f64,
    pub mean_arrival_delay_min: Option<f64>,
}

impl Measures {
    fn error(&self, recorded: &Measures) -> Errors {
        let diff = |a: Option<f64>, b: Option<f64>| Some(round((a? - b?).abs(), 1000.0));
        Errors {
            on_time_rate: diff(self.on_time_rate, recorded.on_time_rate),
            cancelled: round((self.cancelled - recorded.cancelled).abs(), 100.0),
            mean_arrival_delay_min: diff(
                self.mean_arrival_delay_min,
                recorded.mean_arrival_delay_min,
            ),
        }
    }
}

fn round(x: f64, by: f64) -> f64 {
    (x * by).round() / by
}

/// One hour of the day.
#[derive(Debug, Clone, Serialize)]
pub struct HourSkill {
    /// Local clock hour, `HH:00`.
    pub hour: String,
    pub at_utc: String,
    /// Legs still to arrive that the record can judge (recorded legs of the feed, not arrived nor cancelled by
    /// then, that the record shows arriving or cancelled).
    pub legs: usize,
    pub twin: Measures,
    pub persistence: Measures,
    pub morning: Measures,
    pub recorded: Measures,
    pub twin_error: Errors,
    pub persistence_error: Errors,
    pub morning_error: Errors,
}

/// What `forecast-skill` prints.
#[derive(Debug, Clone, Serialize)]
pub struct ForecastSkill {
    pub data_set: String,
    pub date: String,
    pub zone: String,
    pub replications: u64,
    pub seed: u64,
    pub hours: Vec<HourSkill>,
    /// Hours from 10:00 at which the twin's mean-arrival-delay error is below persistence's, of how many.
    pub twin_beats_persistence_from_10: [usize; 2],
    pub notes: Vec<String>,
}

/// The twin's measures from each replication's tallies of the legs still to arrive.
fn twin_measures(tallies: &[(u32, u32, f64, u32)]) -> Measures {
    let [on_time_rate, cancelled, mean_arrival_delay_min] = estimates(tallies);
    Measures {
        on_time_rate: on_time_rate.map(|e| round(e.interval.mean, 1000.0)),
        cancelled: cancelled.map_or(0.0, |e| round(e.interval.mean, 100.0)),
        mean_arrival_delay_min: mean_arrival_delay_min.map(|e| round(e.interval.mean, 10.0)),
    }
}

/// An hour of the day without the twin's replications: what a shard of `forecast-skill --shard I/N`
/// carries beside its replications' tallies.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HourBasis {
    pub hour: String,
    pub at_utc: String,
    pub legs: usize,
    pub persistence: Measures,
    pub recorded: Measures,
}

/// `forecast-skill`'s output without the twin's and the morning's measures (see [`forecast_skill_output`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SkillHead {
    pub data_set: String,
    pub date: String,
    pub zone: String,
    pub replications: u64,
    pub seed: u64,
    pub hours: Vec<HourBasis>,
    pub notes: Vec<String>,
}

/// Per replication, per hour, the tallies of the legs still to arrive as the hour's forecast and the
/// morning forecast flew them: the metric names, in order.
pub fn skill_metric_names() -> Vec<String> {
    HOURS
        .flat_map(|hour| {
            ["twin", "morning"].into_iter().flat_map(move |side| {
                ["flown", "on_time", "delay_sum_min", "cancelled"]
                    .into_iter()
                    .map(move |what| format!("{hour:02}:00 {side} {what}"))
            })
        })
        .collect()
}

/// `ucodts forecast-skill --date D`.
pub fn forecast_skill(request: &SkillRequest, progress: &dyn Progress) -> Result<ForecastSkill> {
    let whole = forecast_skill_shard(request, Shard::WHOLE, progress)?;
    forecast_skill_output(whole.head, whole.summaries)
}

/// `forecast-skill`'s output from its head and the tallies of every replication in replication order
/// (one shard's, or several merged in shard order): the same value, to the last bit, as the run in one
/// piece.
pub fn forecast_skill_output(head: SkillHead, summaries: Vec<Summary>) -> Result<ForecastSkill> {
    let per_hour = 8;
    if summaries.len() != head.hours.len() * per_hour {
        return Err(crate::Error::invalid(format!(
            "forecast-skill: {} metrics for {} hours, expected {per_hour} an hour",
            summaries.len(),
            head.hours.len()
        )));
    }
    let tallies = |metrics: &[Summary]| -> Vec<(u32, u32, f64, u32)> {
        let column = |m: usize| metrics[m].values();
        (0..column(0).len())
            .map(|r| {
                (
                    column(0)[r] as u32,
                    column(1)[r] as u32,
                    column(2)[r],
                    column(3)[r] as u32,
                )
            })
            .collect()
    };
    let hours: Vec<HourSkill> = head
        .hours
        .into_iter()
        .zip(summaries.chunks(per_hour))
        .map(|(basis, metrics)| {
            let twin = twin_measures(&tallies(&metrics[..4]));
            let morning = twin_measures(&tallies(&metrics[4..]));
            HourSkill {
                hour: basis.hour,
                at_utc: basis.at_utc,
                legs: basis.legs,
                twin_error: twin.error(&basis.recorded),
                persistence_error: basis.persistence.error(&basis.recorded),
                morning_error: morning.error(&basis.recorded),
                twin,
                persistence: basis.persistence,
                morning,
                recorded: basis.recorded,
            }
        })
        .collect();
    let from_10: Vec<&HourSkill> = hours
        .iter()
        .filter(|h| h.hour.as_str() >= "10:00")
        .collect();
    let scored_hours = from_10.len();
    let beats = from_10
        .iter()
        .filter(|h| {
            match (
                h.twin_error.mean_arrival_delay_min,
                h.persistence_error.mean_arrival_delay_min,
            ) {
                (Some(t), Some(p)) => t < p,
                _ => false,
            }
        })
        .count();
    Ok(ForecastSkill {
        data_set: head.data_set,
        date: head.date,
        zone: head.zone,
        replications: head.replications,
        seed: head.seed,
        hours,
        twin_beats_persistence_from_10: [beats, scored_hours],
        notes: head.notes,
    })
}

/// The replications of one shard of `forecast-skill` (`--shard I/N`): its head and, per replication of
/// the shard, the tallies of [`skill_metric_names`].
pub fn forecast_skill_shard(
    request: &SkillRequest,
    shard: Shard,
    progress: &dyn Progress,
) -> Result<crate::twin::ShardRun<SkillHead>> {
    let date = Date::parse(&request.date)
        .with_context(|| format!("--date {:?}: expected YYYY-MM-DD", request.date))?;
    let (schedule, twin) = RollingTwin::for_data(&request.data, &request.params, progress)?;
    let identity = crate::twin::load(&request.data)?.identity;
    let data_set = identity.name.clone();
    let feed = recorded_day(&schedule, date, ReplayOptions::default());
    if feed.events.is_empty() {
        return Err(crate::Error::invalid(format!(
            "--date {date}: the data set has no recorded legs that day"
        )));
    }
    // The local clock: the zone of the airport most legs of the day leave from.
    let mut origins = std::collections::BTreeMap::new();
    for e in &feed.events {
        *origins.entry(e.leg.origin).or_insert(0usize) += 1;
    }
    let busiest = origins
        .iter()
        .max_by_key(|(code, n)| (**n, std::cmp::Reverse(**code)))
        .map(|(c, _)| *c)
        .expect("a feed with events has origins");
    let zone = schedule
        .airport(busiest)
        .expect("the feed's airports are the schedule's")
        .time_zone;
    let options = ForecastOptions {
        replications: request.reps.unwrap_or(100).max(1),
        seed: request.seed.unwrap_or(1),
        threads: request.threads,
        ..ForecastOptions::default()
    };
    progress.stage(
        "forecasting the day hour by hour",
        Some(HOURS.count() as u64 + 1),
    );
    let empty = LiveState::new(&schedule);
    let day_start = zone.to_utc(date, 0).earliest();
    let morning = twin.fly(&empty, date, day_start, &options, shard)?;
    progress.step();
    let fed: Vec<bool> = {
        let mut fed = vec![false; schedule.legs().len()];
        let state = &empty;
        for e in &feed.events {
            if let Ok(i) = state.resolve(&e.leg) {
                fed[i] = true;
            }
        }
        fed
    };
    let mut state = LiveState::new(&schedule);
    let mut next = 0;
    let mut hours = Vec::new();
    let mut columns: Vec<Vec<f64>> = Vec::new();
    for hour in HOURS {
        let at = zone.to_utc(date, hour * 60).earliest();
        while next < feed.events.len() && feed.events[next].sent <= at {
            state
                .apply(&feed.events[next])
                .context("applying the recorded day's feed")?;
            next += 1;
        }
        let flights = twin.fly(&state, date, at, &options, shard)?;
        // Scored: the legs the record can judge (arrived or cancelled). A leg that left and has no
        // recorded arrival (diverted, or lost by the record) has no number to compare with; the twin,
        // told it left and never that it landed, would bring it in hours late and be scored on it.
        let scored: Vec<usize> = (0..flights.world.legs().len())
            .filter(|&l| {
                let i = flights.schedule_index[l];
                let leg = &schedule.legs()[i];
                fed[i]
                    && leg.source == LegSource::Recorded
                    && judged_by_record(leg)
                    && flights.is_remaining(l)
            })
            .collect();
        // The same legs, as the morning forecast flew them (the world of the same day, same order).
        debug_assert_eq!(morning.world.legs().len(), flights.world.legs().len());
        for side in [&flights, &morning] {
            let tallies = side.tallies(&scored);
            columns.push(tallies.iter().map(|t| f64::from(t.0)).collect());
            columns.push(tallies.iter().map(|t| f64::from(t.1)).collect());
            columns.push(tallies.iter().map(|t| t.2).collect());
            columns.push(tallies.iter().map(|t| f64::from(t.3)).collect());
        }
        hours.push(HourBasis {
            hour: format!("{hour:02}:00"),
            at_utc: at.to_string(),
            legs: scored.len(),
            persistence: persistence(&schedule, &flights, &fed, scored.len()),
            recorded: recorded(&schedule, &flights, &scored),
        });
        progress.step();
    }
    progress.done();
    let mut notes: Vec<String> = crate::forecast::ASSUMPTIONS
        .iter()
        .map(|s| s.to_string())
        .collect();
    notes.extend(feed.assumptions.iter().cloned());
    notes.push("persistence: the legs still to arrive do as the legs decided so far did (on-time rate and mean delay of those arrived, the cancelled share of those due out by then); before any arrival, the schedule".into());
    notes
        .push("morning: the day flown before any event, read on the same legs as each hour".into());
    let summaries = columns
        .into_iter()
        .map(|values| Summary::try_from(values).map_err(crate::Error::invalid))
        .collect::<Result<Vec<_>>>()?;
    Ok(crate::twin::ShardRun {
        head: SkillHead {
            data_set,
            date: date.to_string(),
            zone: zone.name().to_string(),
            replications: options.replications,
            seed: options.seed,
            hours,
            notes,
        },
        data_set: identity,
        metrics: skill_metric_names(),
        summaries,
    })
}

/// The rest of the day like the day so far: the on-time rate and mean delay of the legs arrived, and the
/// cancelled share of the legs due out by now.
fn persistence(
    schedule: &ucodts_model::Schedule,
    flights: &crate::forecast::Flights,
    fed: &[bool],
    remaining: usize,
) -> Measures {
    let (mut arrived, mut on_time, mut delay) = (0u32, 0u32, 0.0);
    let (mut due, mut cancelled) = (0u32, 0u32);
    for l in 0..flights.world.legs().len() {
        if !fed[flights.schedule_index[l]] {
            continue;
        }
        if let Fixed::Arrived { .. } = flights.fixed[l] {
            let d = flights
                .arrival_delay_min(0, l)
                .expect("an arrived leg has a delay");
            arrived += 1;
            on_time += u32::from(d < ON_TIME_THRESHOLD.0 as f64);
            delay += d;
        }
        if flights.world.legs()[l].scheduled_out <= flights.now {
            due += 1;
            cancelled += u32::from(flights.fixed[l] == Fixed::Cancelled);
        }
    }
    let _ = schedule;
    Measures {
        on_time_rate: Some(if arrived > 0 {
            round(f64::from(on_time) / f64::from(arrived), 1000.0)
        } else {
            1.0
        }),
        cancelled: if due > 0 {
            round(
                f64::from(cancelled) / f64::from(due) * remaining as f64,
                100.0,
            )
        } else {
            0.0
        },
        mean_arrival_delay_min: Some(if arrived > 0 {
            round(delay / f64::from(arrived), 10.0)
        } else {
            0.0
        }),
    }
}

/// Whether the record says how `leg` ended: it arrived at the gate, or it was cancelled (or never left).
fn judged_by_record(leg: &ucodts_model::Leg) -> bool {
    match (leg.status, leg.actual.gate_out, leg.actual.gate_in) {
        (LegStatus::Cancelled, ..) | (_, None, _) => true,
        (LegStatus::Diverted, ..) => false,
        (_, Some(_), gate_in) => gate_in.is_some(),
    }
}

/// What the record shows for the legs still to arrive.
fn recorded(
    schedule: &ucodts_model::Schedule,
    flights: &crate::forecast::Flights,
    legs: &[usize],
) -> Measures {
    let (mut arrived, mut on_time, mut delay, mut cancelled) = (0u32, 0u32, 0.0, 0u32);
    for &l in legs {
        let leg = &schedule.legs()[flights.schedule_index[l]];
        match (leg.status, leg.actual.gate_out, leg.actual.gate_in) {
            (LegStatus::Cancelled, ..) | (_, None, _) => cancelled += 1,
            (LegStatus::Diverted, ..) => {}
            (_, Some(_), Some(gate_in)) => {
                let d = (gate_in - leg.scheduled_in).0 as f64;
                arrived += 1;
                on_time += u32::from(d < ON_TIME_THRESHOLD.0 as f64);
                delay += d;
            }
            (_, Some(_), None) => {}
        }
    }
    Measures {
        on_time_rate: (arrived > 0).then(|| round(f64::from(on_time) / f64::from(arrived), 1000.0)),
        cancelled: f64::from(cancelled),
        mean_arrival_delay_min: (arrived > 0).then(|| round(delay / f64::from(arrived), 10.0)),
    }
}

/// The report card as text: one row per hour, the mean arrival delay and on-time rate of each forecast
/// beside the record, then the errors.
pub fn table(skill: &ForecastSkill) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "forecast skill on {} ({}, hours in {}), {} replications, seed {}",
        skill.date, skill.data_set, skill.zone, skill.replications, skill.seed
    );
    let _ = writeln!(
        out,
        "legs still to arrive at each hour: mean arrival delay (min) / on-time rate / cancelled"
    );
    let _ = writeln!(
        out,
        "{:<6} {:>5}  {:>20}  {:>20}  {:>20}  {:>20}  {:>17}",
        "hour", "legs", "twin", "persistence", "morning", "recorded", "|err| twin/pers"
    );
    let number =
        |x: Option<f64>, places: usize| x.map_or("-".to_string(), |v| format!("{v:.places$}"));
    let cell = |m: &Measures| {
        format!(
            "{} / {} / {}",
            number(m.mean_arrival_delay_min, 1),
            number(m.on_time_rate, 2),
            number(Some(m.cancelled), 1)
        )
    };
    for h in &skill.hours {
        let _ = writeln!(
            out,
            "{:<6} {:>5}  {:>20}  {:>20}  {:>20}  {:>20}  {:>8} / {:<6}",
            h.hour,
            h.legs,
            cell(&h.twin),
            cell(&h.persistence),
            cell(&h.morning),
            cell(&h.recorded),
            number(h.twin_error.mean_arrival_delay_min, 1),
            number(h.persistence_error.mean_arrival_delay_min, 1),
        );
    }
    let [beats, of] = skill.twin_beats_persistence_from_10;
    let _ = writeln!(
        out,
        "from 10:00 the twin's mean-delay error is below persistence's at {beats} of {of} hours"
    );
    out
}
