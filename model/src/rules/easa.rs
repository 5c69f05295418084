//! EASA ORO.FTL (Regulation (EU) No 965/2012, Annex III, Subpart FTL, with CS FTL.1).
//!
//! The tables are data: `model/rules/easa_table2.csv` (ORO.FTL.205(b)(1) Table 2, acclimatised crew),
//! `easa_table3.csv` (Table 3, unknown state of acclimatisation; not verified, so refused),
//! `easa_extension.csv` (CS FTL.1.205(b), planned extension without in-flight rest), `easa_cumulative.csv`
//! (ORO.FTL.210) and `easa_parameters.csv` (ORO.FTL.235 rest, local night, extension count).
//! ORO.FTL.105(1) Table 1 (acclimatisation) is the small const table in [`acclimatisation_state`].
//!
//! Not encoded: augmented crews (CS FTL.1.205(c)), split duty, reduced rest, the conditions around the
//! commander's discretion (ORO.FTL.205(f)(1)(ii)-(vi): landing past the limit, reporting), the extra rest around extended FDPs and after time-zone crossings; their figures were not
//! verified.

use std::sync::{Arc, OnceLock};

use super::faa117::{file, shared};
use super::table::{BandTable, CumulativeLimit, Parameters, SegmentColumns, TableError};
use super::{
    segment_cell, Acclimatisation, Allowance, FdpLimit, RecurringRest, RestLimit, RestReason,
    RuleError, RuleSet,
};
use crate::crew::Rank;
use crate::time::Minutes;

/// The data files of EASA ORO.FTL, by the names errors give, as compiled into the crate.
pub const FILES: [(&str, &str); 5] = [
    (
        "easa_table2.csv",
        include_str!("../../rules/easa_table2.csv"),
    ),
    (
        "easa_table3.csv",
        include_str!("../../rules/easa_table3.csv"),
    ),
    (
        "easa_extension.csv",
        include_str!("../../rules/easa_extension.csv"),
    ),
    (
        "easa_cumulative.csv",
        include_str!("../../rules/easa_cumulative.csv"),
    ),
    (
        "easa_parameters.csv",
        include_str!("../../rules/easa_parameters.csv"),
    ),
];

const TABLE_2: (&str, &str) = ("EASA ORO.FTL.205(b)(1) Table 2", "EASA Table 2");
const TABLE_3: (&str, &str) = ("EASA ORO.FTL.205(b)(2) Table 3", "EASA Table 3");
const EXTENSION: (&str, &str) = (
    "EASA CS FTL.1.205(b)",
    "the EASA planned-extension table (CS FTL.1.205(b))",
);

/// A crew member's state of acclimatisation under ORO.FTL.105(1) Table 1.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum AcclimatisationState {
    /// "B": acclimatised to the reference time (the local time where the crew member last reported
    /// acclimatised).
    ReferenceTime,
    /// "D": acclimatised to the local time where the next duty starts.
    Departure,
    /// "X": unknown state of acclimatisation (Table 3 applies).
    Unknown,
}

/// ORO.FTL.105(1) Table 1, from the UK CAA's reproduction of it (CAP 1266, January 2015). Rows: the time
/// difference between the reference time and the local time where the next duty starts, up to and including
/// the bound (the first row is strictly under 4 h); columns: time elapsed since reporting at reference time,
/// under 48 h, 48-71:59, 72-95:59, 96-119:59, 120 h or more.
const TABLE_1: [(i64, [AcclimatisationState; 5]); 4] = {
    use AcclimatisationState::{Departure as D, ReferenceTime as B, Unknown as X};
    [
        (4 * 60 - 1, [B, D, D, D, D]),
        (6 * 60, [B, X, D, D, D]),
        (9 * 60, [B, X, X, D, D]),
        (12 * 60, [B, X, X, X, D]),
    ]
};

/// The state of acclimatisation after `elapsed` since reporting at the reference time, when the next duty
/// starts `time_difference` away from it (either sign; read modulo a day, so at most 12 hours).
pub fn acclimatisation_state(time_difference: Minutes, elapsed: Minutes) -> AcclimatisationState {
    let d = time_difference.0.rem_euclid(24 * 60);
    let d = d.min(24 * 60 - d);
    let row = TABLE_1
        .iter()
        .find(|(bound, _)| d <= *bound)
        .map(|r| &r.1)
        .unwrap_or(&TABLE_1[3].1);
    let column = match elapsed.0 / 60 {
        h if h < 48 => 0,
        h if h < 72 => 1,
        h if h < 96 => 2,
        h if h < 120 => 3,
        _ => 4,
    };
    row[column]
}

/// EASA ORO.FTL as a [`RuleSet`].
#[derive(Clone, Debug)]
pub struct OroFtl {
    table2: BandTable,
    table2_columns: SegmentColumns,
    table3: BandTable,
    table3_columns: SegmentColumns,
    extension: BandTable,
    extension_columns: SegmentColumns,
    cumulative: Vec<CumulativeLimit>,
    rest_home: (Minutes, Arc<str>),
    rest_away: (Minutes, Arc<str>),
    recovery: (Minutes, String),
    recovery_nights: u32,
    max_between: Minutes,
    night_from: i64,
    night_to: i64,
    night_length: Minutes,
    extensions: (u32, String),
    discretion: (Minutes, String),
}

impl OroFtl {
    /// Builds the rule set from its data files, given as (file name, text); see [`FILES`] for the names.
    pub fn from_files(files: &[(&str, &str)]) -> Result<OroFtl, TableError> {
        let band = |name: &str| BandTable::parse(name, file(files, name)?);
        let table2 = band("easa_table2.csv")?;
        let table3 = band("easa_table3.csv")?;
        let extension = band("easa_extension.csv")?;
        let cumulative = super::table::parse_cumulative(
            "easa_cumulative.csv",
            file(files, "easa_cumulative.csv")?,
        )?;
        let p = Parameters::parse("easa_parameters.csv", file(files, "easa_parameters.csv")?)?;
        let count = |name: &str| -> Result<(u32, String), TableError> {
            let (v, source) = p.number(name)?;
            if v < 0.0 || v.fract() != 0.0 || v > 100.0 {
                return Err(TableError {
                    file: "easa_parameters.csv".into(),
                    line: 0,
                    field: name.into(),
                    problem: format!("expected a whole count, found {v}"),
                });
            }
            Ok((v as u32, source))
        };
        Ok(OroFtl {
            table2_columns: table2.segment_columns("sector")?,
            table3_columns: table3.segment_columns("sector")?,
            extension_columns: extension.segment_columns("sector")?,
            table2,
            table3,
            extension,
            cumulative,
            rest_home: shared(p.minutes("min rest at home base")?),
            rest_away: shared(p.minutes("min rest away from home base")?),
            recovery: p.minutes("recovery rest")?,
            recovery_nights: count("recovery rest local nights (count)")?.0,
            max_between: p.minutes("max between recovery rests")?.0,
            night_from: p.clock("local night from")?.0,
            night_to: p.clock("local night to")?.0,
            night_length: p.minutes("local night length")?.0,
            extensions: count("planned extensions in 7 days (count)")?,
            discretion: p.minutes("commander's discretion")?,
        })
    }

    /// The rule set from the tables compiled into the crate, parsed once.
    pub fn embedded() -> Result<&'static OroFtl, TableError> {
        static EASA: OnceLock<Result<OroFtl, TableError>> = OnceLock::new();
        EASA.get_or_init(|| OroFtl::from_files(&FILES))
            .as_ref()
            .map_err(Clone::clone)
    }
}

impl RuleSet for OroFtl {
    fn name(&self) -> &'static str {
        "easa"
    }

    fn title(&self) -> &'static str {
        "EASA ORO.FTL"
    }

    fn covers(&self, _rank: Rank) -> bool {
        // Subpart FTL limits flight and cabin crew alike.
        true
    }

    fn max_fdp(
        &self,
        report_minute_of_day: i64,
        segments: usize,
        acclimated: bool,
    ) -> Result<FdpLimit, RuleError> {
        let (table, columns, names) = if acclimated {
            (&self.table2, &self.table2_columns, TABLE_2)
        } else {
            (&self.table3, &self.table3_columns, TABLE_3)
        };
        let cell = segment_cell(table, columns, report_minute_of_day, segments, names)?;
        cell.ok_or_else(|| {
            RuleError::OutOfTable(format!(
                "{} has no limit at {} for {segments} sectors",
                names.1,
                table.row_at(report_minute_of_day).label()
            ))
        })
    }

    fn max_fdp_with_planned_extension(
        &self,
        report_minute_of_day: i64,
        segments: usize,
    ) -> Result<Option<FdpLimit>, RuleError> {
        if !self.extension_columns.covers(segments) {
            return Ok(None);
        }
        segment_cell(
            &self.extension,
            &self.extension_columns,
            report_minute_of_day,
            segments,
            EXTENSION,
        )
    }

    fn planned_extensions_allowed(&self) -> Option<(u32, Minutes, String)> {
        Some((
            self.extensions.0,
            Minutes::hours(7 * 24),
            self.extensions.1.clone(),
        ))
    }

    fn unforeseen_extension(&self) -> Option<Allowance> {
        Some(Allowance {
            max: self.discretion.0,
            rule: self.discretion.1.clone(),
        })
    }

    fn cumulative_limits(&self) -> &[CumulativeLimit] {
        &self.cumulative
    }

    fn min_rest_before_fdp(&self, preceding_duty: Minutes, at_home_base: bool) -> RestLimit {
        let (floor, rule) = if at_home_base {
            &self.rest_home
        } else {
            &self.rest_away
        };
        RestLimit {
            min: preceding_duty.max(*floor),
            rule: rule.clone(),
            reason: RestReason::PrecedingDutyOrFloor {
                preceding_duty,
                floor: *floor,
                at_home_base,
            },
        }
    }

    fn recurring_rest(&self) -> RecurringRest {
        RecurringRest::RecoveryRest {
            min: self.recovery.0,
            local_nights: self.recovery_nights,
            max_between: self.max_between,
            night_from: self.night_from,
            night_to: self.night_to,
            night_length: self.night_length,
            rule: self.recovery.1.clone(),
        }
    }

    fn acclimatisation(&self) -> Acclimatisation {
        Acclimatisation::TimeZoneTable {
            rule: "EASA ORO.FTL.105(1) Table 1".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AcclimatisationState::*;

    fn easa() -> &'static OroFtl {
        OroFtl::embedded().unwrap()
    }

    #[test]
    fn table_2_cells_quoted_from_the_regulation() {
        // 07:30 report, 4 sectors: 13:00 minus 30 minutes for each sector from the third: 12:00.
        assert_eq!(
            easa().max_fdp(7 * 60 + 30, 4, true).unwrap().limit,
            Minutes::hours(12)
        );
        // 17:00-04:59 wraps past midnight: 02:00 with 1 sector is 11:00.
        let l = easa().max_fdp(2 * 60, 1, true).unwrap();
        assert_eq!((l.limit, &*l.row), (Minutes::hours(11), "17:00-04:59"));
        // More than 10 sectors stay at the 10-sector floor of 9:00.
        assert_eq!(
            easa().max_fdp(8 * 60, 12, true).unwrap().limit,
            Minutes::hours(9)
        );
    }

    #[test]
    fn unknown_acclimatisation_is_refused_until_table_3_is_verified() {
        let e = easa().max_fdp(8 * 60, 2, false).unwrap_err();
        assert!(matches!(e, RuleError::UnverifiedCell { .. }), "{e}");
        assert!(e.to_string().contains("easa_table3.csv"), "{e}");
    }

    #[test]
    fn planned_extension_follows_cs_ftl_1_205_b() {
        let ext = |m, s| {
            easa()
                .max_fdp_with_planned_extension(m, s)
                .unwrap()
                .map(|l| l.limit)
        };
        assert_eq!(ext(7 * 60, 2), Some(Minutes::hours(14)));
        assert_eq!(ext(6 * 60 + 20, 5), Some(Minutes::hours_minutes(11, 45)));
        assert_eq!(ext(6 * 60 + 10, 1), None);
        assert_eq!(ext(13 * 60 + 45, 5), None);
        assert_eq!(ext(20 * 60, 1), None);
        assert_eq!(ext(8 * 60, 6), None);
    }

    #[test]
    fn rest_is_the_longer_of_the_preceding_duty_and_the_floor() {
        let r = easa().min_rest_before_fdp(Minutes::hours(13), true);
        assert_eq!(r.min, Minutes::hours(13));
        let r = easa().min_rest_before_fdp(Minutes::hours(8), true);
        assert_eq!(r.min, Minutes::hours(12));
        let r = easa().min_rest_before_fdp(Minutes::hours(8), false);
        assert_eq!(r.min, Minutes::hours(10));
    }

    #[test]
    fn acclimatisation_follows_table_1() {
        let h = Minutes::hours;
        assert_eq!(acclimatisation_state(h(3), h(10)), ReferenceTime);
        assert_eq!(acclimatisation_state(h(3), h(50)), Departure);
        assert_eq!(acclimatisation_state(Minutes(-4 * 60), h(50)), Unknown);
        assert_eq!(acclimatisation_state(h(6), h(72)), Departure);
        assert_eq!(acclimatisation_state(h(7), h(95)), Unknown);
        assert_eq!(acclimatisation_state(h(7), h(96)), Departure);
        assert_eq!(acclimatisation_state(h(11), h(119)), Unknown);
        assert_eq!(acclimatisation_state(h(11), h(120)), Departure);
        // 20 hours ahead is 4 hours behind.
        assert_eq!(acclimatisation_state(h(20), h(60)), Unknown);
    }

    #[test]
    fn the_commanders_discretion_is_two_hours_on_top_of_table_2() {
        let x = easa().unforeseen_extension().unwrap();
        assert_eq!(
            (x.max, x.rule.as_str()),
            (Minutes::hours(2), "ORO.FTL.205(f)(1)(i)")
        );
    }
}
