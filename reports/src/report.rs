//! What a scenario report shows: the plain input the caller fills (the `ucodts` binary from the twin's
//! runs). Every time is a UTC minute; the page shows them in [`ScenarioInfo::display_zone`].
//!
//! The report crate computes nothing about the airline: it draws and tabulates what it is given, so the
//! numbers of the HTML, the CSV and the JSON are the same numbers.

use serde::Serialize;
use ucodts_model::{Date, TimeZone, UtcMinute, ON_TIME_THRESHOLD};

/// One disruption scenario compared with its undisrupted baseline.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScenarioReport {
    /// What was run.
    pub scenario: ScenarioInfo,
    /// The disruptions, in the order of the scenario file.
    pub disruptions: Vec<DisruptionWindow>,
    /// Per KPI: the baseline and scenario means over replications and their paired difference.
    pub kpis: Vec<KpiComparison>,
    /// Arrival delay of flown legs, pooled over all replications.
    pub arrival_delay: ArrivalDelays,
    /// On-time performance per local hour of scheduled arrival, pooled over all replications (24 rows,
    /// hour 0 first).
    pub on_time_by_hour: Vec<HourlyOnTime>,
    /// Tail rotations around the disruption in the representative replication.
    pub tail_rotations: Gantt,
    /// Crew duties around the disruption in the representative replication.
    pub crew_duties: Gantt,
    /// What operations control did in the representative replication, baseline and scenario.
    pub operations_control: Vec<OperationsCount>,
    /// Alerts of the representative replication's disrupted run, by time.
    pub alerts: Vec<Alert>,
    /// Caveats the reader must know (what the twin does not model, what was left out).
    pub notes: Vec<String>,
}

/// What was run, on which data, with which settings.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScenarioInfo {
    /// The scenario's name (`jfk-two-hour-closure`).
    pub name: String,
    /// What it is, in the scenario file's words.
    pub description: String,
    /// The scenario file it came from (a library file name or a path).
    pub source: String,
    /// The data set's name.
    pub data_set: String,
    /// First operating day.
    #[serde(serialize_with = "as_text")]
    pub from: Date,
    /// Last operating day.
    #[serde(serialize_with = "as_text")]
    pub to: Date,
    /// Monte Carlo replications of each of baseline and scenario.
    pub replications: u64,
    /// The master seed.
    pub seed: u64,
    /// The replication (0-based) whose legs the Gantt charts and alerts show.
    pub representative_replication: u64,
    /// Why that replication was chosen, in a sentence.
    pub representative_reason: String,
    /// The zone the page shows clock times in.
    #[serde(serialize_with = "as_text")]
    pub display_zone: TimeZone,
}

/// One disruption and when it acts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DisruptionWindow {
    /// The kind as a scenario file spells it (`airport_closure`).
    pub kind: String,
    /// What it does, in a planner's words (`JFK closed to arrivals and departures`).
    pub summary: String,
    /// Start.
    #[serde(serialize_with = "as_text")]
    pub from: UtcMinute,
    /// End (exclusive).
    #[serde(serialize_with = "as_text")]
    pub to: UtcMinute,
}

/// How a KPI's values read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A fraction 0..=1, shown as a percentage; differences in percentage points.
    Share,
    /// Minutes.
    Minutes,
    /// A count per replication (legs, alerts).
    Count,
    /// Hours.
    Hours,
    /// A dimensionless ratio.
    Ratio,
}

/// Which direction of a KPI is good for the operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    /// More is better (on-time rate).
    Higher,
    /// Less is better (delay, cancellations).
    Lower,
    /// Neither (legs flown can go either way for good reasons).
    Neither,
}

/// A mean over replications with its 95% confidence interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Estimate {
    /// The mean.
    pub mean: f64,
    /// The 95% confidence interval of the mean, `[lower, upper]`; `None` with fewer than two replications.
    pub ci95: Option<[f64; 2]>,
}

impl Estimate {
    /// Whether the interval lies wholly above or below zero.
    pub fn excludes_zero(&self) -> bool {
        self.ci95.is_some_and(|[l, u]| l > 0.0 || u < 0.0)
    }
}

/// One KPI, baseline against scenario.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KpiComparison {
    /// The KPI's machine name (`on_time_rate`).
    pub name: String,
    /// Its name for people (`On-time rate`).
    pub label: String,
    /// Shown as a headline card at the top of the page.
    pub headline: bool,
    /// How its values read.
    pub unit: Unit,
    /// Which direction is good.
    pub better: Better,
    /// Undisrupted.
    pub baseline: Estimate,
    /// Disrupted.
    pub scenario: Estimate,
    /// Scenario minus baseline, paired per replication (common random numbers).
    pub difference: Estimate,
}

/// A histogram of arrival delays in minutes: an underflow bin, `bins` bins of `bin_width_min` from
/// `lower_min`, and an overflow bin.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DelayHistogram {
    /// The lower edge of the first regular bin, minutes.
    pub lower_min: i64,
    /// The width of each regular bin, minutes.
    pub bin_width_min: i64,
    /// `counts[0]`: below `lower_min`; `counts[1..=bins]`: the regular bins; `counts[bins + 1]`: at or
    /// above the upper edge.
    pub counts: Vec<u64>,
}

impl DelayHistogram {
    /// An empty histogram of `bins` regular bins of `bin_width_min` minutes from `lower_min`.
    /// A width below one minute is taken as one minute.
    pub fn new(lower_min: i64, bin_width_min: i64, bins: usize) -> DelayHistogram {
        DelayHistogram {
            lower_min,
            bin_width_min: bin_width_min.max(1),
            counts: vec![0; bins + 2],
        }
    }

    /// The histogram the `ucodts` reports use: 15-minute bins (the on-time limit is a bin edge) from
    /// 30 minutes early to 4 hours late.
    pub fn arrival_delays() -> DelayHistogram {
        DelayHistogram::new(-30, ON_TIME_THRESHOLD.0, 18)
    }

    /// The number of regular bins.
    pub fn bins(&self) -> usize {
        self.counts.len().saturating_sub(2)
    }

    /// The upper edge of the last regular bin, minutes.
    pub fn upper_min(&self) -> i64 {
        self.lower_min + self.bin_width_min * self.bins() as i64
    }

    /// Counts one delay. A NaN is not counted.
    pub fn add(&mut self, delay_min: f64) {
        if delay_min.is_nan() || self.counts.len() < 2 {
            return;
        }
        let last = self.counts.len() - 1;
        let i = if delay_min < self.lower_min as f64 {
            0
        } else if delay_min >= self.upper_min() as f64 {
            last
        } else {
            1 + ((delay_min - self.lower_min as f64) / self.bin_width_min as f64) as usize
        };
        self.counts[i.min(last)] += 1;
    }

    /// Adds the counts of `other`, which must have the same bins (else it is not added and `false` is
    /// returned).
    pub fn merge(&mut self, other: &DelayHistogram) -> bool {
        if (self.lower_min, self.bin_width_min, self.counts.len())
            != (other.lower_min, other.bin_width_min, other.counts.len())
        {
            return false;
        }
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        true
    }

    /// All counted delays.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// The label of bin `i` of `counts` (`< -30`, `15..30`, `>= 240`).
    pub fn bin_label(&self, i: usize) -> String {
        let last = self.counts.len().saturating_sub(1);
        if i == 0 {
            format!("< {}", self.lower_min)
        } else if i >= last {
            format!(">= {}", self.upper_min())
        } else {
            let lo = self.lower_min + self.bin_width_min * (i as i64 - 1);
            format!("{}..{}", lo, lo + self.bin_width_min)
        }
    }
}

/// Arrival delays of flown legs, baseline and scenario, over the same bins.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ArrivalDelays {
    /// Undisrupted.
    pub baseline: DelayHistogram,
    /// Disrupted.
    pub scenario: DelayHistogram,
}

/// Legs due to arrive in one hour, pooled over replications.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct OnTimeCount {
    /// Legs scheduled to arrive in the hour (flown or not).
    pub scheduled: u64,
    /// Of those, flown.
    pub flown: u64,
    /// Of those flown, less than 15 minutes late at the gate.
    pub on_time: u64,
}

impl OnTimeCount {
    /// The on-time rate of flown legs, if any was flown.
    pub fn rate(&self) -> Option<f64> {
        (self.flown > 0).then(|| self.on_time as f64 / self.flown as f64)
    }
}

/// On-time performance of one local hour of scheduled arrival.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct HourlyOnTime {
    /// The hour, 0..=23, local time at the arrival airport.
    pub hour: u8,
    /// Undisrupted.
    pub baseline: OnTimeCount,
    /// Disrupted.
    pub scenario: OnTimeCount,
}

/// How a leg ended in the representative replication.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LegOutcome {
    /// Arrived less than 15 minutes late.
    OnTime,
    /// Arrived 15 minutes late or more.
    Delayed,
    /// Not flown.
    Cancelled,
}

impl LegOutcome {
    /// The outcome of a leg that arrived `arrival_delay_min` late, or was cancelled (`None`).
    pub fn of(arrival_delay_min: Option<i64>) -> LegOutcome {
        match arrival_delay_min {
            None => LegOutcome::Cancelled,
            Some(d) if d < ON_TIME_THRESHOLD.0 => LegOutcome::OnTime,
            Some(_) => LegOutcome::Delayed,
        }
    }

    /// The CSS class and the word a planner reads.
    pub fn class(self) -> &'static str {
        match self {
            LegOutcome::OnTime => "on-time",
            LegOutcome::Delayed => "delayed",
            LegOutcome::Cancelled => "cancelled",
        }
    }
}

/// A Gantt chart: rows of legs over a time range.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Gantt {
    /// Start of the time axis.
    #[serde(serialize_with = "as_text")]
    pub from: UtcMinute,
    /// End of the time axis.
    #[serde(serialize_with = "as_text")]
    pub to: UtcMinute,
    /// The rows, top to bottom.
    pub rows: Vec<GanttRow>,
    /// How the rows were chosen, in a sentence.
    pub selection: String,
}

/// One tail's rotation or one crew member's duties.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GanttRow {
    /// The tail or crew member (`N318JB`, `B6-JFK-CA-0012`).
    pub label: String,
    /// A short qualifier (`A320`, `captain`).
    pub detail: String,
    /// Its legs in the time range, in time order.
    pub legs: Vec<GanttLeg>,
}

/// One leg on a Gantt row.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GanttLeg {
    /// The flight (`B6 1234`, or the leg id for a leg without a number).
    pub flight: String,
    /// Origin airport code.
    pub origin: String,
    /// Destination airport code.
    pub destination: String,
    /// Scheduled gate departure.
    #[serde(serialize_with = "as_text")]
    pub scheduled_out: UtcMinute,
    /// Scheduled gate arrival.
    #[serde(serialize_with = "as_text")]
    pub scheduled_in: UtcMinute,
    /// Gate departure in the replication, if flown.
    #[serde(serialize_with = "opt_as_text")]
    pub out: Option<UtcMinute>,
    /// Gate arrival in the replication, if flown.
    #[serde(serialize_with = "opt_as_text")]
    pub arrived: Option<UtcMinute>,
    /// How it ended.
    pub outcome: LegOutcome,
    /// Why it was not flown, in words.
    pub cancel_reason: Option<String>,
    /// Its arrival delay in the baseline run of the same replication (`None`: cancelled there).
    pub baseline_arrival_delay_min: Option<i64>,
    /// Carried as a deadheading crew member (crew rows only).
    pub deadhead: bool,
}

impl GanttLeg {
    /// Minutes late at the gate, if flown.
    pub fn arrival_delay_min(&self) -> Option<i64> {
        self.arrived.map(|t| t.0 - self.scheduled_in.0)
    }
}

/// One count of what operations control did, baseline against scenario.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OperationsCount {
    /// What is counted (`Reserve call-outs`).
    pub name: String,
    /// Undisrupted.
    pub baseline: u64,
    /// Disrupted.
    pub scenario: u64,
}

/// What an alert is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// A leg cancelled on the day by operations control or because its aircraft was elsewhere.
    Cancellation,
    /// A leg arriving at least [`LONG_DELAY_MIN`] minutes late.
    LongDelay,
}

/// Arrival delay from which a leg is an alert, minutes.
pub const LONG_DELAY_MIN: i64 = 120;

impl AlertKind {
    /// The word a planner reads.
    pub fn label(self) -> &'static str {
        match self {
            AlertKind::Cancellation => "cancellation",
            AlertKind::LongDelay => "long delay",
        }
    }
}

/// Something the twin raised in the disrupted run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Alert {
    /// When: the scheduled departure of a cancelled leg, the gate arrival of a late one.
    #[serde(serialize_with = "as_text")]
    pub at: UtcMinute,
    /// What kind.
    pub kind: AlertKind,
    /// The flight and tail (`B6 1234 JFK-BOS, N318JB`).
    pub subject: String,
    /// What happened, in words.
    pub detail: String,
    /// Whether the baseline run of the same replication raised it too.
    pub in_baseline: bool,
}

fn as_text<T: std::fmt::Display, S: serde::Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

fn opt_as_text<T: std::fmt::Display, S: serde::Serializer>(
    v: &Option<T>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => s.collect_str(v),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_fall_in_the_bin_of_their_lower_edge_with_under_and_overflow() {
        let mut h = DelayHistogram::new(-30, 15, 4); // -30..-15..0..15..30
        for d in [
            -45.0,
            -30.0,
            -0.5,
            0.0,
            14.9,
            15.0,
            29.0,
            30.0,
            500.0,
            f64::NAN,
        ] {
            h.add(d);
        }
        assert_eq!(h.counts, vec![1, 1, 1, 2, 2, 2]);
        assert_eq!(h.bin_label(0), "< -30");
        assert_eq!(h.bin_label(3), "0..15");
        assert_eq!(h.bin_label(5), ">= 30");
        assert_eq!(h.total(), 9);
    }

    #[test]
    fn histograms_of_other_bins_do_not_merge() {
        let mut a = DelayHistogram::new(0, 15, 4);
        a.add(1.0);
        let mut b = a.clone();
        assert!(b.merge(&a));
        assert_eq!(b.counts[1], 2);
        assert!(!b.merge(&DelayHistogram::new(0, 10, 4)));
    }

    #[test]
    fn a_leg_fifteen_minutes_late_is_delayed() {
        assert_eq!(LegOutcome::of(Some(14)), LegOutcome::OnTime);
        assert_eq!(LegOutcome::of(Some(15)), LegOutcome::Delayed);
        assert_eq!(LegOutcome::of(None), LegOutcome::Cancelled);
    }
}
