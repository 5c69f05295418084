//! Flight-time-limitation rule sets: FAA 14 CFR Part 117 ([`faa117`]) and EASA ORO.FTL ([`easa`]) behind one
//! [`RuleSet`] interface, selected by name with [`by_name`].
//!
//! The numbers live in data files under `model/rules/` (one CSV per regulation table, each row citing its
//! source and saying whether it has been verified), compiled into the crate with `include_str!` and parsed
//! on first use ([`table`] is the parser). The code here only says how to read them: which table applies,
//! which row and column a duty falls in, and what is added or taken away (the 30 minutes of a pilot who is
//! not acclimated, a planned extension). The legality checker ([`crate::legality`]) applies a rule set to
//! rosters.
//!
//! ```
//! use ucodts_model::rules;
//!
//! let part117 = rules::by_name("faa117").unwrap();
//! // A 07:30 report with 4 segments may last 13 hours under Part 117 Table B.
//! let limit = part117.max_fdp(7 * 60 + 30, 4, true).unwrap();
//! assert_eq!(limit.limit.0, 13 * 60);
//! assert_eq!(limit.cell(), "07:00-11:59 report, 4 segments");
//! assert!(rules::by_name("icao").unwrap_err().to_string().contains("faa117, easa"));
//! ```

pub mod easa;
pub mod faa117;
pub mod table;

use std::fmt;
use std::sync::Arc;

use crate::crew::Rank;
use crate::time::Minutes;

pub use table::{CumulativeLimit, Measure, TableError, Verification, Window};

/// The rule sets [`by_name`] knows, in the order it lists them.
pub const KNOWN_RULE_SETS: [&str; 2] = ["faa117", "easa"];

/// Errors of the rule sets.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("unknown rule set {name:?}: known rule sets are {}", KNOWN_RULE_SETS.join(", "))]
    UnknownRuleSet { name: String },
    /// An embedded or supplied rule table does not parse.
    #[error("rule table: {0}")]
    Table(#[from] TableError),
    /// The lookup lands in a row that has not been checked against the regulation text.
    #[error("{table} ({file} line {line}), row {row}: not yet verified against the regulation text, so no limit is given from it")]
    UnverifiedCell {
        table: &'static str,
        file: String,
        line: usize,
        row: String,
    },
    /// The rule set has no such table (e.g. EASA augmented-crew limits are not encoded).
    #[error("{rule_set} does not encode {what}")]
    NotEncoded {
        rule_set: &'static str,
        what: &'static str,
    },
    /// Arguments outside what the table covers (e.g. 5 pilots for Table C).
    #[error("{0}")]
    OutOfTable(String),
}

/// A limit read from one cell of a regulation table, with everything needed to say where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableLimit {
    /// The limit after any reduction.
    pub limit: Minutes,
    /// The citation: "14 CFR 117.13 Table B".
    pub rule: &'static str,
    /// How a scheduler names the table: "Part 117 Table B".
    pub table: &'static str,
    /// The row's band of report times: "05:00-05:59".
    pub row: Arc<str>,
    /// The column: "5 segments".
    pub column: Arc<str>,
    /// What was taken off the cell, and why (a pilot who is not acclimated).
    pub reduction: Option<Reduction>,
    /// The row's source as the data file gives it.
    pub source: Arc<str>,
}

impl serde::Serialize for TableLimit {
    /// For machines: `limit_min` (after any reduction), the rule, the table, the cell and its parts.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut v = s.serialize_struct("TableLimit", 9)?;
        v.serialize_field("limit_min", &self.limit.0)?;
        v.serialize_field("rule", self.rule)?;
        v.serialize_field("table", self.table)?;
        v.serialize_field("cell", &self.cell())?;
        v.serialize_field("row", &*self.row)?;
        v.serialize_field("column", &*self.column)?;
        v.serialize_field(
            "reduction_min",
            &self.reduction.as_ref().map_or(0, |r| r.by.0),
        )?;
        v.serialize_field(
            "reduction_rule",
            &self.reduction.as_ref().map(|r| r.rule.as_str()),
        )?;
        v.serialize_field("source", &*self.source)?;
        v.end()
    }
}

/// The limit of a flight duty period (Part 117 Tables B and C, EASA Tables 2 and 3, CS FTL.1.205(b)).
pub type FdpLimit = TableLimit;

/// A fixed amount taken off a table cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reduction {
    pub by: Minutes,
    /// "14 CFR 117.13(b)(1)".
    pub rule: String,
    /// "not acclimated".
    pub because: &'static str,
}

impl TableLimit {
    /// The table cell in words: "05:00-05:59 report, 5 segments".
    pub fn cell(&self) -> String {
        format!("{} report, {}", self.row, self.column)
    }
}

/// An allowance beyond the planning limit that only unforeseen operational circumstances may use (it is
/// never part of a planned roster).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Allowance {
    pub max: Minutes,
    pub rule: String,
}

/// The least rest before a flight duty period, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestLimit {
    pub min: Minutes,
    /// The citation: "14 CFR 117.25(e)".
    pub rule: Arc<str>,
    pub reason: RestReason,
}

/// How a rest minimum comes about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RestReason {
    /// A fixed minimum before any flight duty period, holding this much uninterrupted sleep opportunity
    /// (Part 117 §117.25(e)).
    Fixed { sleep_opportunity: Minutes },
    /// At least as long as the preceding duty, and never under `floor` (EASA ORO.FTL.235(a), (b)).
    PrecedingDutyOrFloor {
        preceding_duty: Minutes,
        floor: Minutes,
        at_home_base: bool,
    },
}

impl RestLimit {
    /// The reason in words: "at home base: at least as long as the preceding duty (13:00) and never under
    /// 12:00". Built only when asked, as the checker asks for it only when the rest falls short.
    pub fn because(&self) -> String {
        match &self.reason {
            RestReason::Fixed { sleep_opportunity } => format!(
                "{} of rest, with {sleep_opportunity} of uninterrupted sleep opportunity, before any flight duty period",
                self.min
            ),
            RestReason::PrecedingDutyOrFloor {
                preceding_duty,
                floor,
                at_home_base,
            } => format!(
                "{}: at least as long as the preceding duty ({preceding_duty}) and never under {floor}",
                if *at_home_base {
                    "at home base"
                } else {
                    "away from home base"
                }
            ),
        }
    }
}

/// The recurring free time a roster must hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecurringRest {
    /// 14 CFR 117.25(b): before any flight duty period, at least `free` consecutive hours free from all duty
    /// within the past `lookback`.
    FreeBeforeEveryFdp {
        free: Minutes,
        lookback: Minutes,
        rule: String,
    },
    /// EASA ORO.FTL.235(d): a recovery rest of at least `min` including `local_nights` local nights, with at
    /// most `max_between` from the end of one to the start of the next.
    RecoveryRest {
        min: Minutes,
        local_nights: u32,
        max_between: Minutes,
        /// A local night: `night_length` within `night_from`..`night_to` local time (minutes of the day).
        night_from: i64,
        night_to: i64,
        night_length: Minutes,
        rule: String,
    },
}

/// How a rule set decides whether a crew member is acclimated, and to which local time.
#[derive(Clone, Debug, PartialEq)]
pub enum Acclimatisation {
    /// 14 CFR 117.3: a *theater* spans at most `max_longitude_deg` of longitude; a pilot is acclimated to the
    /// home theater, and to a new theater after `in_theater` there or after `free` consecutive hours free
    /// from duty there. Until then, limits are read at the local time of the theater last acclimated to.
    Theater {
        max_longitude_deg: f64,
        in_theater: Minutes,
        free: Minutes,
        rule: String,
    },
    /// EASA ORO.FTL.105(1) Table 1: by the time difference to the reference time and the time elapsed since
    /// reporting at it, a crew member is acclimatised to the reference time (B), to the local time of
    /// departure (D), or in an unknown state (X). See [`easa::acclimatisation_state`].
    TimeZoneTable { rule: String },
}

/// Onboard rest facility classes of 14 CFR 117.3, used by Table C.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RestFacility {
    Class1,
    Class2,
    Class3,
}

impl RestFacility {
    pub fn number(self) -> u8 {
        match self {
            RestFacility::Class1 => 1,
            RestFacility::Class2 => 2,
            RestFacility::Class3 => 3,
        }
    }
}

/// A flight-time-limitation rule set. Report times are minutes of the local day (0..1440) in the time the
/// rule set reads them: the local time of the place the crew member is acclimated to (see
/// [`RuleSet::acclimatisation`] and the acclimatisation rule in [`crate::legality`]).
pub trait RuleSet: Send + Sync {
    /// The name that selects it: `faa117`, `easa`.
    fn name(&self) -> &'static str;
    /// How a scheduler names it: "FAA 14 CFR Part 117".
    fn title(&self) -> &'static str;
    /// Whether it limits crew members of this rank (Part 117 covers flightcrew members, i.e. pilots).
    fn covers(&self, rank: Rank) -> bool;
    /// The planning limit of an unaugmented flight duty period reported at this local minute with this many
    /// flight segments (sectors). `acclimated = false` gives the limit for a crew member who is not
    /// acclimated (Part 117: 30 minutes less; EASA: Table 3, unknown state of acclimatisation).
    fn max_fdp(
        &self,
        report_minute_of_day: i64,
        segments: usize,
        acclimated: bool,
    ) -> Result<FdpLimit, RuleError>;
    /// The longest flight duty period a *planned* extension allows (EASA CS FTL.1.205(b)); `None` where the
    /// rule set has no planned extension or the cell says it is not allowed.
    fn max_fdp_with_planned_extension(
        &self,
        _report_minute_of_day: i64,
        _segments: usize,
    ) -> Result<Option<FdpLimit>, RuleError> {
        Ok(None)
    }
    /// How many planned extensions fit in any window of this length: (count, window, rule).
    fn planned_extensions_allowed(&self) -> Option<(u32, Minutes, String)> {
        None
    }
    /// The limit of a flight duty period with an augmented flightcrew (Part 117 Table C).
    fn max_fdp_augmented(
        &self,
        _report_minute_of_day: i64,
        _facility: RestFacility,
        _pilots: u8,
        _acclimated: bool,
    ) -> Result<FdpLimit, RuleError> {
        Err(RuleError::NotEncoded {
            rule_set: self.title(),
            what: "augmented-crew flight duty limits",
        })
    }
    /// The most flight time in one flight duty period reported at this local minute (Part 117 Table A).
    fn max_flight_time(&self, _report_minute_of_day: i64) -> Option<TableLimit> {
        None
    }
    /// What unforeseen circumstances may add beyond the planning limit (Part 117 §117.19: 2 hours).
    fn unforeseen_extension(&self) -> Option<Allowance> {
        None
    }
    /// Limits on what accumulates over rolling or calendar windows.
    fn cumulative_limits(&self) -> &[CumulativeLimit];
    /// The least rest before a flight duty period, after a duty of `preceding_duty`, taken at the home base
    /// or away from it.
    fn min_rest_before_fdp(&self, preceding_duty: Minutes, at_home_base: bool) -> RestLimit;
    /// The recurring free time.
    fn recurring_rest(&self) -> RecurringRest;
    /// How acclimatisation is decided.
    fn acclimatisation(&self) -> Acclimatisation;
}

impl fmt::Debug for dyn RuleSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RuleSet({})", self.name())
    }
}

/// The rule set with this name (`faa117`, `easa`); an unknown name is an error that lists the known ones.
/// The embedded tables are parsed on first use; a table that does not parse is an error too.
pub fn by_name(name: &str) -> Result<&'static dyn RuleSet, RuleError> {
    match name {
        "faa117" => Ok(faa117::Part117::embedded()?),
        "easa" => Ok(easa::OroFtl::embedded()?),
        _ => Err(RuleError::UnknownRuleSet {
            name: name.to_string(),
        }),
    }
}

/// Reads a segment-count table cell: the row at `minute`, the column for `segments`, refusing unverified
/// rows. `None` where the cell says "n/a".
pub(crate) fn segment_cell(
    table: &table::BandTable,
    columns: &table::SegmentColumns,
    minute_of_day: i64,
    segments: usize,
    names: (&'static str, &'static str),
) -> Result<Option<TableLimit>, RuleError> {
    let row = table.row_at(minute_of_day);
    if row.verification == Verification::Unverified {
        return Err(RuleError::UnverifiedCell {
            table: names.1,
            file: table.file.clone(),
            line: row.line,
            row: row.label.to_string(),
        });
    }
    let column = columns.column(segments);
    Ok(row.cells[column].map(|limit| TableLimit {
        limit,
        rule: names.0,
        table: names.1,
        row: row.label(),
        column: columns.describe(column),
        reduction: None,
        source: row.source.clone(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_rule_set_name_lists_the_known_ones() {
        let e = by_name("faa121").unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown rule set \"faa121\": known rule sets are faa117, easa"
        );
    }

    #[test]
    fn both_rule_sets_load_from_their_embedded_tables() {
        for name in KNOWN_RULE_SETS {
            let rules = by_name(name).unwrap();
            assert_eq!(rules.name(), name);
            assert!(!rules.cumulative_limits().is_empty());
        }
    }
}
