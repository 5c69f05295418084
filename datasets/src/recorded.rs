//! What importers of recorded flight data share: reading local clock times (`HHMM`) at an airport into UTC,
//! the log of anomalies found in a source (each with a count, examples and what the importer did), a tail's
//! carrier and base, and the import report.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;
use ucodts_model::{
    AirportCode, CarrierCode, Date, LegSource, LegStatus, LocalToUtc, Minutes, Schedule,
    ScheduleParts, TailId, TimeZone, UtcMinute,
};

use crate::DatasetError;

/// `517` -> 5:17, `2400` -> 24:00 (the end of the day, as US DOT data writes midnight). Minutes of the day.
pub(crate) fn hhmm(text: &str) -> Option<i64> {
    // Some sources write times as `517.0` or with leading zeros.
    let text = text.strip_suffix(".0").unwrap_or(text);
    if text.is_empty() || text.len() > 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let v: i64 = text.parse().ok()?;
    let (h, m) = (v / 100, v % 100);
    (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 60 + m)
}

/// The instant at which the clocks of `zone` show `minute_of_day` on `date`, with a note when daylight saving
/// makes that reading ambiguous or impossible.
pub(crate) fn local_instant(
    zone: &TimeZone,
    date: Date,
    minute_of_day: i64,
    log: &mut AnomalyLog,
    what: &str,
) -> UtcMinute {
    let result = zone.to_utc(date, minute_of_day);
    match result {
        LocalToUtc::Exact(_) => {}
        LocalToUtc::Ambiguous { .. } => log.note(
            "local time repeated by a daylight-saving change",
            "read as the earlier of the two instants",
            format!(
                "{what}: {date} {:02}:{:02} {zone}",
                minute_of_day / 60,
                minute_of_day % 60
            ),
        ),
        LocalToUtc::Skipped { .. } => log.note(
            "local time skipped by a daylight-saving change",
            "read with the offset in force before the change",
            format!(
                "{what}: {date} {:02}:{:02} {zone}",
                minute_of_day / 60,
                minute_of_day % 60
            ),
        ),
    }
    result.earliest()
}

/// The first instant after `after` (and no more than `max_span` after it) at which the clocks of `zone`
/// show `minute_of_day`, looking at the days around `date_hint`. Arrival dates are not in the data: a
/// scheduled arrival at `0130` belongs to the day after a `2200` departure.
pub(crate) fn next_local_after(
    zone: &TimeZone,
    date_hint: Date,
    minute_of_day: i64,
    after: UtcMinute,
    max_span: Minutes,
) -> Option<UtcMinute> {
    (-1..=2)
        .map(|k| zone.to_utc(date_hint.add_days(k), minute_of_day).earliest())
        .filter(|&t| t > after && t - after <= max_span)
        .min()
}

/// A schedule imported from recorded data, and what the import found.
#[derive(Debug)]
pub struct Imported {
    pub schedule: Schedule,
    pub report: ImportReport,
}

#[derive(Clone, Debug, Serialize)]
pub struct ImportReport {
    pub source: String,
    /// Flights in the source, one leg each.
    pub recorded_legs: u64,
    /// Return legs inferred to close tail rotations.
    pub inferred_legs: u64,
    pub cancelled: u64,
    /// Flights that left the gate but have no recorded arrival (diversions, most likely).
    pub departed_without_arrival: u64,
    pub tails: u64,
    pub rotations: RotationReport,
    pub anomalies: Vec<Anomaly>,
}

/// How tail rotations were closed.
#[derive(Clone, Debug, Default, Serialize)]
pub struct RotationReport {
    /// Consecutive departures of a tail where the aircraft had to come back to New York.
    pub gaps: u64,
    /// Gaps closed by an inferred return leg.
    pub closed: u64,
    /// Inferred legs whose block time came from the opposite direction of the same carrier.
    pub block_from_opposite_direction_same_carrier: u64,
    /// ... from the opposite direction flown by any carrier.
    pub block_from_opposite_direction_any_carrier: u64,
    /// ... from the outbound leg itself (the opposite direction was never flown from that New York airport).
    pub block_from_outbound_leg: u64,
    /// Gaps too short for a return flight plus two minimum turns: left open, and counted.
    pub too_short_to_close: u64,
    /// Gaps closed only with the quick turn at both ends.
    pub closed_with_quick_turn: u64,
    /// Gaps closed only on the actual arrival and departure times of the two recorded flights.
    pub closed_on_actual_times: u64,
    /// Gaps of more than a day between arrival and the next New York departure: the tail most likely flew
    /// elsewhere in between, which the source cannot show; the single inferred return is a simplification.
    pub gaps_longer_than_a_day: u64,
}

impl Imported {
    /// Checks the imported tables as one schedule and counts what the report states from the schedule itself.
    pub(crate) fn build(
        parts: ScheduleParts,
        source: &str,
        rotations: RotationReport,
        log: AnomalyLog,
    ) -> Result<Imported, DatasetError> {
        let schedule = Schedule::new(parts).map_err(|e| DatasetError::File {
            file: PathBuf::from(source),
            message: format!("the imported data does not make a valid schedule: {e}"),
        })?;
        let recorded = || {
            schedule
                .legs()
                .iter()
                .filter(|l| l.source == LegSource::Recorded)
        };
        let report = ImportReport {
            source: source.to_string(),
            recorded_legs: recorded().count() as u64,
            inferred_legs: schedule
                .legs()
                .iter()
                .filter(|l| l.source == LegSource::Inferred)
                .count() as u64,
            cancelled: recorded()
                .filter(|l| l.status == LegStatus::Cancelled)
                .count() as u64,
            departed_without_arrival: recorded()
                .filter(|l| l.actual.gate_out.is_some() && l.actual.gate_in.is_none())
                .count() as u64,
            tails: schedule.aircraft().len() as u64,
            rotations,
            anomalies: log.into_vec(),
        };
        Ok(Imported { schedule, report })
    }
}

/// How often a tail flew for each carrier and from each airport: what an importer needs to give the tail an
/// airline and a base.
#[derive(Debug, Default)]
pub(crate) struct TailUsage<'a> {
    pub carriers: BTreeMap<&'a CarrierCode, u64>,
    origins: BTreeMap<AirportCode, u64>,
}

impl<'a> TailUsage<'a> {
    /// Counts, per tail, the (tail, carrier, origin) of every leg that has a tail.
    pub fn count(
        legs: impl Iterator<Item = (Option<&'a TailId>, &'a CarrierCode, AirportCode)>,
    ) -> BTreeMap<&'a TailId, TailUsage<'a>> {
        let mut per_tail: BTreeMap<&TailId, TailUsage> = BTreeMap::new();
        for (tail, carrier, origin) in legs {
            if let Some(tail) = tail {
                let usage = per_tail.entry(tail).or_default();
                *usage.carriers.entry(carrier).or_default() += 1;
                *usage.origins.entry(origin).or_default() += 1;
            }
        }
        per_tail
    }

    /// The carrier that flew the tail most (ties: the first code), to which the tail is assigned.
    pub fn carrier(&self) -> &'a CarrierCode {
        most(&self.carriers).expect("a counted tail has flown")
    }

    /// The airport the tail left most often (ties: the first code): its base.
    pub fn base(&self) -> AirportCode {
        most(&self.origins).expect("a counted tail has flown")
    }
}

/// The most frequent key; ties go to the smallest key, so the choice is stable.
fn most<K: Ord + Copy>(m: &BTreeMap<K, u64>) -> Option<K> {
    m.iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(k, _)| *k)
}

/// Something in a source that is wrong or surprising, and what the importer did about it.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Anomaly {
    pub kind: String,
    pub count: u64,
    pub action: String,
    /// The first few cases, for a person to look up.
    pub examples: Vec<String>,
}

/// Anomalies by kind, in a stable order.
#[derive(Clone, Debug, Default)]
pub struct AnomalyLog {
    entries: BTreeMap<String, Anomaly>,
}

const EXAMPLES_KEPT: usize = 5;

impl AnomalyLog {
    pub fn note(&mut self, kind: &str, action: &str, example: impl Into<String>) {
        self.note_many(kind, action, 1, example);
    }

    pub fn note_many(&mut self, kind: &str, action: &str, count: u64, example: impl Into<String>) {
        let entry = self
            .entries
            .entry(kind.to_string())
            .or_insert_with(|| Anomaly {
                kind: kind.to_string(),
                count: 0,
                action: action.to_string(),
                examples: Vec::new(),
            });
        entry.count += count;
        if entry.examples.len() < EXAMPLES_KEPT {
            entry.examples.push(example.into());
        }
    }

    pub fn count(&self, kind: &str) -> u64 {
        self.entries.get(kind).map_or(0, |a| a.count)
    }

    pub fn into_vec(self) -> Vec<Anomaly> {
        self.entries.into_values().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_times_read_as_dot_data_writes_them() {
        assert_eq!(hhmm("517"), Some(5 * 60 + 17));
        assert_eq!(hhmm("0005"), Some(5));
        assert_eq!(hhmm("2400"), Some(24 * 60));
        for bad in ["2401", "2460", "12345", "", "NA", "-5"] {
            assert_eq!(hhmm(bad), None, "{bad}");
        }
    }

    #[test]
    fn an_early_morning_arrival_belongs_to_the_next_day() {
        let ny = TimeZone::from_iana("America/New_York").unwrap();
        let la = TimeZone::from_iana("America/Los_Angeles").unwrap();
        let date = Date::new(2013, 2, 8).unwrap();
        let out = ny.to_utc(date, 22 * 60).earliest();
        let arrival = next_local_after(&la, date, 60 + 30, out, Minutes::hours(20)).unwrap();
        assert_eq!(la.to_local(arrival).to_string(), "2013-02-09 01:30");
    }
}
