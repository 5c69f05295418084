//! `simulate --scenario ... --report FILE.html`: fills a `ucodts_reports::ScenarioReport` from the twin's
//! runs and writes the page with its CSV and JSON.
//!
//! Pooled over every replication (collected while the Monte Carlo study runs): the arrival-delay
//! histograms and on-time counts per hour. From one representative replication, run again on its own
//! streams (common random numbers, so it is the same run): the Gantt charts and the alerts.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

use crate::bail;
use crate::error::{Context, Result};
use ucodts_actors::{CancelReason, Kpis, LegResult, ReplicationOutcome, Twin, World, KPI_NAMES};
use ucodts_model::{Disruption, Routes, Schedule, TimeZone, UtcMinute};
use ucodts_reports::{
    Alert, AlertKind, ArrivalDelays, Better, DelayHistogram, DisruptionWindow, Estimate, Gantt,
    GanttLeg, GanttRow, HourlyOnTime, KpiComparison, LegOutcome, OnTimeCount, OperationsCount,
    ScenarioInfo, ScenarioReport, Unit, WrittenReport, LONG_DELAY_MIN,
};
use ucodts_sim::{MetricReport, RngStreams};

/// Rows of each Gantt chart: enough to see a disruption spread, few enough to read.
const MAX_GANTT_ROWS: usize = 20;
/// A leg is hit by the disruption when it is cancelled, or at least this much later than in the baseline
/// run of the same replication, minutes.
const HIT_MIN: i64 = 15;
/// How much of the day before and after the disruption windows the Gantt charts show, minutes.
const AROUND_BEFORE_MIN: i64 = 3 * 60;
const AROUND_AFTER_MIN: i64 = 9 * 60;

/// How each KPI of the twin reads on the page: (name, label, unit, which way is good, headline card).
const KPI_LABELS: [(&str, &str, Unit, Better, bool); 13] = [
    (
        "on_time_rate",
        "On-time rate (under 15 min late)",
        Unit::Share,
        Better::Higher,
        true,
    ),
    (
        "mean_arrival_delay_min",
        "Mean arrival delay",
        Unit::Minutes,
        Better::Lower,
        true,
    ),
    (
        "p90_arrival_delay_min",
        "Arrival delay, 90th percentile",
        Unit::Minutes,
        Better::Lower,
        false,
    ),
    (
        "mean_departure_delay_min",
        "Mean departure delay",
        Unit::Minutes,
        Better::Lower,
        false,
    ),
    (
        "flown_legs",
        "Legs flown",
        Unit::Count,
        Better::Higher,
        false,
    ),
    (
        "cancelled_legs",
        "Legs cancelled (all reasons)",
        Unit::Count,
        Better::Lower,
        true,
    ),
    (
        "cancelled_by_operations",
        "Legs cancelled on the day",
        Unit::Count,
        Better::Lower,
        false,
    ),
    (
        "duty_limit_alerts",
        "Crew duty-limit alerts",
        Unit::Count,
        Better::Lower,
        true,
    ),
    (
        "reserve_callouts",
        "Reserve call-outs",
        Unit::Count,
        Better::Lower,
        false,
    ),
    (
        "crew_rest_shortfalls",
        "Duties waiting for crew rest",
        Unit::Count,
        Better::Lower,
        false,
    ),
    (
        "holds_for_reserve",
        "Flights held for a reserve",
        Unit::Count,
        Better::Lower,
        false,
    ),
    (
        "aircraft_block_hours_per_day",
        "Block hours per tail and day",
        Unit::Hours,
        Better::Neither,
        false,
    ),
    (
        "crew_block_to_duty_ratio",
        "Crew block time over duty time",
        Unit::Ratio,
        Better::Neither,
        false,
    ),
];

/// What one replication adds to the pooled charts.
#[derive(Clone)]
struct Pooled {
    baseline: DelayHistogram,
    scenario: DelayHistogram,
    /// Per local hour of scheduled arrival: [baseline, scenario].
    hours: [[OnTimeCount; 2]; 24],
    /// Per replication: the change in mean arrival delay (to pick the representative one).
    delay_change: BTreeMap<u64, f64>,
}

/// Gathers the pooled charts while the Monte Carlo study runs, on any number of threads: counts are
/// integers added under a lock, so the totals do not depend on the order replications finish in.
pub struct Collector {
    arrival_hour: Vec<u8>,
    pooled: Mutex<Pooled>,
}

impl Collector {
    /// A collector for `baseline` and `scenario`, which must hold the same legs in the same order, whose
    /// report goes to `path`: a path that cannot take it fails here, before the study runs.
    pub fn new(baseline: &World, scenario: &World, path: &Path) -> Result<Collector> {
        let files = ucodts_reports::paths(path)?;
        for file in [&files.html, &files.csv, &files.json] {
            let folder = match file.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            if !folder.is_dir() {
                bail!(
                    "cannot write the report file {}: the folder {} does not exist",
                    file.display(),
                    folder.display()
                );
            }
        }
        let same_legs = baseline.legs().len() == scenario.legs().len()
            && baseline
                .legs()
                .iter()
                .zip(scenario.legs())
                .all(|(a, b)| a.id == b.id);
        if !same_legs {
            bail!(
                "the disrupted world does not hold the baseline's legs in the same order (a bug)"
            );
        }
        let airports = baseline.airports();
        let arrival_hour = baseline
            .legs()
            .iter()
            .map(|l| {
                let local = airports[l.destination as usize]
                    .zone
                    .to_local(l.scheduled_in);
                (local.minute_of_day / 60).clamp(0, 23) as u8
            })
            .collect();
        Ok(Collector {
            arrival_hour,
            pooled: Mutex::new(Pooled {
                baseline: DelayHistogram::arrival_delays(),
                scenario: DelayHistogram::arrival_delays(),
                hours: [[OnTimeCount::default(); 2]; 24],
                delay_change: BTreeMap::new(),
            }),
        })
    }

    /// Adds replication `index`: its baseline and disrupted outcomes on `world` (the baseline's legs).
    pub fn add(
        &self,
        index: u64,
        world: &World,
        baseline: &ReplicationOutcome,
        scenario: &ReplicationOutcome,
    ) {
        let mut local = Pooled {
            baseline: DelayHistogram::arrival_delays(),
            scenario: DelayHistogram::arrival_delays(),
            hours: [[OnTimeCount::default(); 2]; 24],
            delay_change: BTreeMap::new(),
        };
        for (side, outcome) in [baseline, scenario].into_iter().enumerate() {
            for ((leg, result), &hour) in world
                .legs()
                .iter()
                .zip(&outcome.legs)
                .zip(&self.arrival_hour)
            {
                let count = &mut local.hours[usize::from(hour)][side];
                count.scheduled += 1;
                if let Some(d) = result.arrival_delay_min(leg.scheduled_in) {
                    count.flown += 1;
                    count.on_time += u64::from(d < ucodts_model::ON_TIME_THRESHOLD.0 as f64);
                    if side == 0 {
                        local.baseline.add(d);
                    } else {
                        local.scenario.add(d);
                    }
                }
            }
        }
        let change = Kpis::of(world, scenario).mean_arrival_delay_min
            - Kpis::of(world, baseline).mean_arrival_delay_min;
        // A poisoned lock means another replication panicked; the study reports that itself.
        if let Ok(mut pooled) = self.pooled.lock() {
            pooled.baseline.merge(&local.baseline);
            pooled.scenario.merge(&local.scenario);
            for (p, l) in pooled.hours.iter_mut().zip(&local.hours) {
                for (p, l) in p.iter_mut().zip(l) {
                    p.scheduled += l.scheduled;
                    p.flown += l.flown;
                    p.on_time += l.on_time;
                }
            }
            pooled.delay_change.insert(index, change);
        }
    }

    fn into_pooled(self) -> Result<Pooled> {
        self.pooled.into_inner().map_err(|_| {
            crate::Error::invalid("a replication panicked while collecting the report")
        })
    }
}

/// Everything the report needs besides what the collector gathered.
pub struct Inputs<'a> {
    /// The scenario file (library file name or path).
    pub file_name: &'a str,
    /// The scenario's name and description.
    pub name: &'a str,
    pub description: &'a str,
    pub data_set: &'a str,
    pub schedule: &'a Schedule,
    pub disruptions: &'a [Disruption],
    pub baseline: &'a Twin<'a>,
    pub scenario: &'a Twin<'a>,
    pub replications: u64,
    pub seed: u64,
    /// The study's metrics: baseline, scenario and difference per KPI, in `KPI_NAMES` order.
    pub metrics: &'a [MetricReport],
    pub notes: Vec<String>,
}

/// Builds the report and writes `path` with the CSV and JSON beside it.
pub fn write(inputs: &Inputs<'_>, collector: Collector, path: &Path) -> Result<WrittenReport> {
    let report = build(inputs, collector)?;
    // The error names the file that could not be written.
    ucodts_reports::write(&report, path).context("writing the report")
}

fn build(inputs: &Inputs<'_>, collector: Collector) -> Result<ScenarioReport> {
    let pooled = collector.into_pooled()?;
    let world = inputs.baseline.world();
    let window = world.window();

    // The representative replication: the (lower) median change in mean arrival delay.
    let mut changes: Vec<(u64, f64)> = pooled.delay_change.iter().map(|(&i, &c)| (i, c)).collect();
    changes.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    let (rep, rep_change) = changes
        .get(changes.len().saturating_sub(1) / 2)
        .copied()
        .context("the study ran no replication")?;
    let streams = RngStreams::new(inputs.seed).replication(rep);
    let base_run = inputs
        .baseline
        .replicate(streams)
        .context("running the representative replication of the baseline")?;
    let scen_run = inputs
        .scenario
        .replicate(streams)
        .context("running the representative replication of the scenario")?;

    let zone = display_zone(inputs.schedule, world, inputs.disruptions);
    let disruptions: Vec<DisruptionWindow> = inputs
        .disruptions
        .iter()
        .map(|d| {
            let (from, to) = d.window();
            DisruptionWindow {
                kind: d.kind().to_string(),
                summary: describe(d),
                from,
                to,
            }
        })
        .collect();

    let k = KPI_NAMES.len();
    if inputs.metrics.len() != 3 * k {
        bail!(
            "the study has {} metrics, expected {} (a bug)",
            inputs.metrics.len(),
            3 * k
        );
    }
    let estimate = |m: &MetricReport| Estimate {
        mean: m.mean,
        ci95: m.ci95.map(|c| [c.lower, c.upper]),
    };
    let kpis = KPI_NAMES
        .iter()
        .enumerate()
        .map(|(i, &name)| {
            let (label, unit, better, headline) = KPI_LABELS
                .iter()
                .find(|l| l.0 == name)
                .map_or((name, Unit::Count, Better::Neither, false), |l| {
                    (l.1, l.2, l.3, l.4)
                });
            KpiComparison {
                name: name.to_string(),
                label: label.to_string(),
                headline,
                unit,
                better,
                baseline: estimate(&inputs.metrics[i]),
                scenario: estimate(&inputs.metrics[k + i]),
                difference: estimate(&inputs.metrics[2 * k + i]),
            }
        })
        .collect();

    let on_time_by_hour = pooled
        .hours
        .iter()
        .enumerate()
        .map(|(hour, [b, s])| HourlyOnTime {
            hour: hour as u8,
            baseline: *b,
            scenario: *s,
        })
        .collect();

    let legs = Legs::new(inputs.schedule, world, &base_run, &scen_run);
    let (tail_rotations, crew_duties) = legs.gantts(inputs.disruptions);
    let alerts = legs.alerts();

    let ops = |o: &ReplicationOutcome| {
        [
            ("Crew duty-limit alerts", o.ops.duty_limit_alerts),
            ("Crew unable to reach their flight", o.ops.crew_missing),
            ("Reserve call-outs", o.ops.reserve_callouts),
            ("Flights held for a positioning reserve", o.ops.holds),
            ("Duties extended (14 CFR 117.19)", o.ops.extensions),
            ("Legs cancelled by operations control", o.ops.cancellations),
            ("Duties waiting for crew rest", o.crew.rest_shortfalls),
            ("Crew repositioned", o.crew.repositionings),
        ]
    };
    let operations_control = ops(&base_run)
        .into_iter()
        .zip(ops(&scen_run))
        .map(|((name, baseline), (_, scenario))| OperationsCount {
            name: name.to_string(),
            baseline,
            scenario,
        })
        .collect();

    let mut notes = inputs.notes.clone();
    notes.push(format!(
        "The Gantt charts, the operations-control counts and the alerts come from one replication ({} of {}), \
         the one whose change in mean arrival delay ({:+.1} min) is the median; the other charts pool all \
         replications.",
        rep + 1,
        inputs.replications,
        rep_change
    ));
    notes.push(
        "The twin counts duty-limit alerts, reserve call-outs and extensions without recording their times; \
         the alert list shows their consequences by time (cancellations on the day, arrivals two hours late \
         or more)."
            .to_string(),
    );

    Ok(ScenarioReport {
        scenario: ScenarioInfo {
            name: inputs.name.to_string(),
            description: inputs.description.to_string(),
            source: inputs.file_name.to_string(),
            data_set: inputs.data_set.to_string(),
            from: window.from,
            to: window.to,
            replications: inputs.replications,
            seed: inputs.seed,
            representative_replication: rep,
            representative_reason:
                "its change in mean arrival delay is the median of all replications".to_string(),
            display_zone: zone,
        },
        disruptions,
        kpis,
        arrival_delay: ArrivalDelays {
            baseline: pooled.baseline,
            scenario: pooled.scenario,
        },
        on_time_by_hour,
        tail_rotations,
        crew_duties,
        operations_control,
        alerts,
        notes,
    })
}

/// The zone the page shows times in: the first disrupted airport's (or the AOG tail's base, or the sick
/// crew's base), else the zone most legs of the world leave from.
fn display_zone(schedule: &Schedule, world: &World, disruptions: &[Disruption]) -> TimeZone {
    let airport_zone = |code| schedule.airport(code).map(|a| a.time_zone);
    for d in disruptions {
        let zone = match d {
            Disruption::AirportCapacity(d) => airport_zone(d.airport),
            Disruption::GroundDelayProgramme(d) => airport_zone(d.airport),
            Disruption::AirportClosure(d) => airport_zone(d.airport),
            Disruption::Curfew(d) => airport_zone(d.airport),
            Disruption::AircraftOnGround(d) => {
                schedule.tail(&d.tail).and_then(|a| airport_zone(a.base))
            }
            Disruption::CrewSickCall(d) => match (&d.crew, &d.base_share) {
                (Some(id), _) => schedule.crew_member(id).map(|c| c.home_zone),
                (None, Some((base, _))) => airport_zone(*base),
                (None, None) => None,
            },
            _ => None,
        };
        if let Some(zone) = zone {
            return zone;
        }
    }
    let mut counts: BTreeMap<&'static str, (usize, TimeZone)> = BTreeMap::new();
    for l in world.legs() {
        let zone = world.airports()[l.origin as usize].zone;
        counts.entry(zone.name()).or_insert((0, zone)).0 += 1;
    }
    counts
        .into_values()
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.name().cmp(a.1.name())))
        .map(|(_, z)| z)
        .or_else(|| TimeZone::from_iana("UTC"))
        .expect("the tz database knows UTC")
}

fn routes(r: &Routes) -> String {
    match r {
        Routes::All => "all routes".to_string(),
        Routes::Only(list) => {
            let shown: Vec<String> = list
                .iter()
                .take(4)
                .map(|r| format!("{}\u{2013}{}", r.origin, r.destination))
                .collect();
            let more = list.len().saturating_sub(4);
            if more > 0 {
                format!("{} and {more} more routes", shown.join(", "))
            } else {
                shown.join(", ")
            }
        }
    }
}

/// A disruption in a planner's words (its times are in their own columns).
fn describe(d: &Disruption) -> String {
    match d {
        Disruption::AirportCapacity(c) => {
            let rate = |r: Option<u32>, what: &str| r.map(|r| format!("{what} cut to {r}/h"));
            let parts: Vec<String> = [
                rate(c.arrivals_per_hour, "arrivals"),
                rate(c.departures_per_hour, "departures"),
            ]
            .into_iter()
            .flatten()
            .collect();
            format!("{} {}", c.airport, parts.join(", "))
        }
        Disruption::GroundDelayProgramme(g) => format!(
            "Ground delay programme for {}: {} arrivals/h{}",
            g.airport,
            g.arrivals_per_hour,
            g.max_delay
                .map_or(String::new(), |m| format!(", holds up to {} min", m.0))
        ),
        Disruption::AirportClosure(c) => format!("{} closed to arrivals and departures", c.airport),
        Disruption::Curfew(c) => format!("{} curfew: no movements", c.airport),
        Disruption::AircraftOnGround(a) => format!(
            "{} on ground (AOG), expected back {} \u{b1} {} min",
            a.tail, a.expected_return, a.return_uncertainty.0
        ),
        Disruption::CrewSickCall(s) => match (&s.crew, &s.base_share) {
            (Some(id), _) => format!("Crew member {id} calls in sick"),
            (None, Some((base, share))) => {
                format!("{:.0}% of {base} crew call in sick", share * 100.0)
            }
            (None, None) => "Crew sick call".to_string(),
        },
        Disruption::RouteDelay(r) => format!(
            "En-route delay of {} min on {}",
            r.extra.0,
            routes(&r.routes)
        ),
        Disruption::BlockTimeInflation(b) => {
            format!("Block times {:+.0}% on {}", b.percent, routes(&b.routes))
        }
        Disruption::WeatherReplay(w) => {
            format!(
                "Recorded weather of {} replayed on {}",
                w.source_date, w.target_date
            )
        }
    }
}

fn cancel_reason(reason: CancelReason) -> &'static str {
    match reason {
        CancelReason::Plan => "cancelled in the plan",
        CancelReason::AircraftElsewhere => {
            "aircraft elsewhere: an earlier leg of the tail was cancelled"
        }
        CancelReason::CrewDutyLimit => {
            "operations control: crew would exceed the duty limit and no reserve came"
        }
        CancelReason::CrewMissing => {
            "operations control: crew could not get there and no reserve came"
        }
        CancelReason::Disruption => {
            "operations control: cancelled ahead of weather, a closure or a long delay"
        }
    }
}

fn delay_min(leg_in: UtcMinute, r: &LegResult) -> Option<i64> {
    r.cancelled
        .is_none()
        .then(|| r.arrival_delay_min(leg_in).map(|d| d.round() as i64))
        .flatten()
}

/// The legs of the representative replication, baseline and disrupted.
struct Legs<'a> {
    schedule: &'a Schedule,
    world: &'a World,
    baseline: &'a ReplicationOutcome,
    scenario: &'a ReplicationOutcome,
}

impl<'a> Legs<'a> {
    fn new(
        schedule: &'a Schedule,
        world: &'a World,
        baseline: &'a ReplicationOutcome,
        scenario: &'a ReplicationOutcome,
    ) -> Legs<'a> {
        Legs {
            schedule,
            world,
            baseline,
            scenario,
        }
    }

    fn flight(&self, i: usize) -> String {
        let id = self.world.legs()[i].id;
        match self.schedule.leg(id) {
            Some(l) => match l.flight_number {
                Some(n) => format!("{} {n}", l.carrier),
                None => format!("{} leg {}", l.carrier, id.0),
            },
            None => format!("leg {}", id.0),
        }
    }

    fn code(&self, airport: u32) -> String {
        self.world.airports()[airport as usize].code.to_string()
    }

    fn tail(&self, i: usize) -> String {
        let a = &self.world.aircraft()[self.world.legs()[i].aircraft as usize];
        a.tail
            .as_ref()
            .map_or("no tail".to_string(), |t| t.to_string())
    }

    /// Whether the disruption hit leg `i`: cancelled where the baseline flew it, or `HIT_MIN` later.
    fn hit(&self, i: usize) -> bool {
        let leg = &self.world.legs()[i];
        let b = delay_min(leg.scheduled_in, &self.baseline.legs[i]);
        let s = delay_min(leg.scheduled_in, &self.scenario.legs[i]);
        match (b, s) {
            (Some(_), None) => true,
            (Some(b), Some(s)) => s - b >= HIT_MIN,
            _ => false,
        }
    }

    fn gantt_leg(&self, i: usize, deadhead: bool) -> GanttLeg {
        let leg = &self.world.legs()[i];
        let s = &self.scenario.legs[i];
        let delay = delay_min(leg.scheduled_in, s);
        let minute =
            |t: Option<ucodts_sim::SimTime>| t.map(|t| UtcMinute(t.seconds().div_euclid(60)));
        GanttLeg {
            flight: self.flight(i),
            origin: self.code(leg.origin),
            destination: self.code(leg.destination),
            scheduled_out: leg.scheduled_out,
            scheduled_in: leg.scheduled_in,
            out: minute(s.out).filter(|_| delay.is_some()),
            arrived: minute(s.arrived).filter(|_| delay.is_some()),
            outcome: LegOutcome::of(delay),
            cancel_reason: s.cancelled.map(|r| cancel_reason(r).to_string()),
            baseline_arrival_delay_min: delay_min(leg.scheduled_in, &self.baseline.legs[i]),
            deadhead,
        }
    }

    /// The time range around the disruption: the hit legs and the disruption windows, an hour either
    /// side, whole hours, at most two days.
    fn range(&self, hits: &[usize], disruptions: &[Disruption]) -> (UtcMinute, UtcMinute) {
        let legs = self.world.legs();
        let window_start = legs.iter().map(|l| l.scheduled_out.0).min().unwrap_or(0);
        let window_end = legs
            .iter()
            .map(|l| l.scheduled_in.0)
            .max()
            .unwrap_or(window_start + 1440);
        let mut from = i64::MAX;
        let mut to = i64::MIN;
        for &i in hits {
            let l = &legs[i];
            let s = &self.scenario.legs[i];
            from = from.min(l.scheduled_out.0);
            let end = s
                .arrived
                .map_or(l.scheduled_in.0, |t| t.seconds().div_euclid(60));
            to = to.max(end.max(l.scheduled_in.0));
        }
        // A disruption of most of a day (a replayed weather day) would stretch the view over the whole
        // day; the legs it hit say where to look.
        for (a, b) in disruptions.iter().map(|d| d.window()) {
            if b.0 - a.0 < 20 * 60 || hits.is_empty() {
                from = from.min(a.0.max(window_start));
                to = to.max(b.0.min(window_end));
            }
        }
        if from >= to {
            (from, to) = (window_start, window_end);
        }
        // Around the disruption: knock-on delays late into the night would squeeze the window itself
        // into a sliver. Bounded windows (not a replayed weather day) keep the view near them.
        let bounded: Vec<(i64, i64)> = disruptions
            .iter()
            .map(|d| d.window())
            .map(|(a, b)| (a.0, b.0))
            .filter(|(a, b)| b - a < 20 * 60)
            .collect();
        if let (Some(start), Some(end)) = (
            bounded.iter().map(|w| w.0).min(),
            bounded.iter().map(|w| w.1).max(),
        ) {
            from = from.max(start - AROUND_BEFORE_MIN);
            to = to.min(end + AROUND_AFTER_MIN).max(from + 60);
        }
        let from = (from - 60).div_euclid(60) * 60;
        let to = ((to + 60 + 59).div_euclid(60) * 60)
            .min(from + 48 * 60)
            .max(from + 60);
        (UtcMinute(from), UtcMinute(to))
    }

    fn overlaps(&self, i: usize, from: UtcMinute, to: UtcMinute) -> bool {
        let l = &self.world.legs()[i];
        let s = &self.scenario.legs[i];
        let end = s
            .arrived
            .map_or(l.scheduled_in.0, |t| t.seconds().div_euclid(60))
            .max(l.scheduled_in.0);
        end > from.0 && l.scheduled_out.0 < to.0
    }

    /// Rows for the entities with the most hit legs (ties: the earliest hit, then the label), shown in
    /// order of their first hit so the spread of the disruption reads top to bottom.
    fn pick(counts: BTreeMap<u32, (usize, i64)>, label: impl Fn(u32) -> String) -> Vec<u32> {
        let mut ranked: Vec<(u32, usize, i64, String)> = counts
            .into_iter()
            .map(|(e, (n, first))| (e, n, first, label(e)))
            .collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)).then(a.3.cmp(&b.3)));
        ranked.truncate(MAX_GANTT_ROWS);
        ranked.sort_by(|a, b| a.2.cmp(&b.2).then(a.3.cmp(&b.3)));
        ranked.into_iter().map(|r| r.0).collect()
    }

    fn gantts(&self, disruptions: &[Disruption]) -> (Gantt, Gantt) {
        let world = self.world;
        let hits: Vec<usize> = (0..world.legs().len()).filter(|&i| self.hit(i)).collect();
        let (from, to) = self.range(&hits, disruptions);

        // Tails.
        let mut per_tail: BTreeMap<u32, (usize, i64)> = BTreeMap::new();
        for &i in &hits {
            let l = &world.legs()[i];
            if world.aircraft()[l.aircraft as usize].tail.is_some() {
                let e = per_tail.entry(l.aircraft).or_insert((0, l.scheduled_out.0));
                e.0 += 1;
                e.1 = e.1.min(l.scheduled_out.0);
            }
        }
        let total_tails = per_tail.len();
        let tails = Self::pick(per_tail, |a| {
            world.aircraft()[a as usize]
                .tail
                .as_ref()
                .map_or(String::new(), |t| t.to_string())
        });
        let tail_rows = tails
            .iter()
            .map(|&a| {
                let aircraft = &world.aircraft()[a as usize];
                let tail = aircraft.tail.as_ref();
                let detail = tail
                    .and_then(|t| self.schedule.tail(t))
                    .map_or(String::new(), |t| t.type_code.to_string());
                let legs = world
                    .rotation_of(a)
                    .iter()
                    .map(|&i| i as usize)
                    .filter(|&i| self.overlaps(i, from, to))
                    .map(|i| self.gantt_leg(i, false))
                    .collect();
                GanttRow {
                    label: tail.map_or(String::new(), |t| t.to_string()),
                    detail,
                    legs,
                }
            })
            .collect();

        // Crew.
        let mut per_crew: BTreeMap<u32, (usize, i64)> = BTreeMap::new();
        for &i in &hits {
            let l = &world.legs()[i];
            for seat in world.seats_of(i as u32) {
                let e = per_crew.entry(seat.crew).or_insert((0, l.scheduled_out.0));
                e.0 += 1;
                e.1 = e.1.min(l.scheduled_out.0);
            }
        }
        let total_crew = per_crew.len();
        let crew = Self::pick(per_crew, |c| world.crew()[c as usize].id.to_string());
        let crew_rows = crew
            .iter()
            .map(|&c| {
                let member = &world.crew()[c as usize];
                let first = member.first_position as usize;
                let legs = world.positions()[first..first + member.positions as usize]
                    .iter()
                    .filter(|p| self.overlaps(p.leg as usize, from, to))
                    .map(|p| {
                        let deadhead = world.seats()[p.seat as usize].kind
                            == ucodts_model::SegmentKind::Deadhead;
                        self.gantt_leg(p.leg as usize, deadhead)
                    })
                    .collect();
                GanttRow {
                    label: member.id.to_string(),
                    detail: member.rank.as_str().replace('_', " "),
                    legs,
                }
            })
            .collect();

        let shown = |shown: usize, total: usize, what: &str| {
            if total > shown {
                format!("The {shown} of {total} {what} with the most such legs are shown, in order of their first one.")
            } else {
                format!("All {total} {what} are shown, in order of their first such leg.")
            }
        };
        let tails_text = format!(
            "Tails with a leg cancelled, or at least {HIT_MIN} minutes later than in the baseline run of the same \
             replication. {}",
            shown(tails.len(), total_tails, "tails")
        );
        let crew_text = format!(
            "Crew members rostered on such legs. {}",
            shown(crew.len(), total_crew, "crew members")
        );
        (
            Gantt {
                from,
                to,
                rows: tail_rows,
                selection: tails_text,
            },
            Gantt {
                from,
                to,
                rows: crew_rows,
                selection: crew_text,
            },
        )
    }

    fn alerts(&self) -> Vec<Alert> {
        let mut alerts = Vec::new();
        for (i, leg) in self.world.legs().iter().enumerate() {
            let b = &self.baseline.legs[i];
            let s = &self.scenario.legs[i];
            let subject = || {
                format!(
                    "{} {}\u{2013}{}, {}",
                    self.flight(i),
                    self.code(leg.origin),
                    self.code(leg.destination),
                    self.tail(i)
                )
            };
            let b_delay = delay_min(leg.scheduled_in, b);
            match (s.cancelled, delay_min(leg.scheduled_in, s)) {
                (Some(CancelReason::Plan), _) => {}
                (Some(reason), _) => alerts.push(Alert {
                    at: leg.scheduled_out,
                    kind: AlertKind::Cancellation,
                    subject: subject(),
                    detail: format!("cancelled: {}", cancel_reason(reason)),
                    in_baseline: b.cancelled.is_some(),
                }),
                (None, Some(d)) if d >= LONG_DELAY_MIN => alerts.push(Alert {
                    at: s
                        .arrived
                        .map_or(leg.scheduled_in, |t| UtcMinute(t.seconds().div_euclid(60))),
                    kind: AlertKind::LongDelay,
                    subject: subject(),
                    detail: format!(
                        "arrived {} late (baseline: {})",
                        ucodts_reports::format::duration(d),
                        b_delay.map_or("cancelled".to_string(), |b| format!(
                            "{} late",
                            ucodts_reports::format::duration(b)
                        ))
                    ),
                    in_baseline: b_delay.is_some_and(|b| b >= LONG_DELAY_MIN),
                }),
                _ => {}
            }
        }
        alerts.sort_by(|a, b| {
            a.at.cmp(&b.at)
                .then(a.kind.cmp(&b.kind))
                .then(a.subject.cmp(&b.subject))
        });
        alerts
    }
}
