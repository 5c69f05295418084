//! FAA 14 CFR Part 117 (flight and duty limitations and rest requirements: flightcrew members).
//!
//! The tables are data: `model/rules/faa117_table_a.csv` (Table A, flight time), `faa117_table_b.csv`
//! (Table B, unaugmented FDP), `faa117_table_c.csv` (Table C, augmented FDP; only the verified row is used),
//! `faa117_cumulative.csv` (§117.23) and `faa117_parameters.csv` (§117.3, §117.13(b), §117.19, §117.25).
//! Report times are read at the local time of the theater the pilot is acclimated to.
//!
//! [`max_flight_duty_period`], [`max_flight_time`] and [`min_rest_before_fdp`] are the plain lookups the crew
//! generator and the twin use; [`Part117`] is the full rule set.

use std::sync::{Arc, OnceLock};

use super::table::{
    BandTable, CumulativeLimit, Parameters, SegmentColumns, TableError, Verification,
};
use super::{
    segment_cell, Acclimatisation, Allowance, FdpLimit, RecurringRest, Reduction, RestFacility,
    RestLimit, RestReason, RuleError, RuleSet, TableLimit,
};
use crate::crew::Rank;
use crate::time::Minutes;

/// The data files of Part 117, by the names errors give, as compiled into the crate.
pub const FILES: [(&str, &str); 5] = [
    (
        "faa117_table_a.csv",
        include_str!("../../rules/faa117_table_a.csv"),
    ),
    (
        "faa117_table_b.csv",
        include_str!("../../rules/faa117_table_b.csv"),
    ),
    (
        "faa117_table_c.csv",
        include_str!("../../rules/faa117_table_c.csv"),
    ),
    (
        "faa117_cumulative.csv",
        include_str!("../../rules/faa117_cumulative.csv"),
    ),
    (
        "faa117_parameters.csv",
        include_str!("../../rules/faa117_parameters.csv"),
    ),
];

const TABLE_A: (&str, &str) = ("14 CFR 117.11 Table A", "Part 117 Table A");
const TABLE_B: (&str, &str) = ("14 CFR 117.13 Table B", "Part 117 Table B");
const TABLE_C: (&str, &str) = ("14 CFR 117.17 Table C", "Part 117 Table C");

/// FAA Part 117 as a [`RuleSet`].
#[derive(Clone, Debug)]
pub struct Part117 {
    table_a: BandTable,
    table_b: BandTable,
    table_b_columns: SegmentColumns,
    table_c: BandTable,
    cumulative: Vec<CumulativeLimit>,
    not_acclimated: (Minutes, String),
    min_rest: (Minutes, Arc<str>),
    sleep_opportunity: Minutes,
    free: (Minutes, String),
    free_lookback: Minutes,
    unforeseen: (Minutes, String),
    theater_longitude_deg: f64,
    in_theater: Minutes,
    acclimating_free: (Minutes, String),
    /// Table A's one column, named once.
    unaugmented: Arc<str>,
}

pub(crate) fn file<'a>(files: &[(&'a str, &'a str)], name: &str) -> Result<&'a str, TableError> {
    files
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
        .ok_or_else(|| TableError {
            file: name.to_string(),
            line: 0,
            field: "file".into(),
            problem: "the rule set needs this file".into(),
        })
}

impl Part117 {
    /// Builds the rule set from its data files, given as (file name, text); see [`FILES`] for the names.
    pub fn from_files(files: &[(&str, &str)]) -> Result<Part117, TableError> {
        let band = |name: &str| BandTable::parse(name, file(files, name)?);
        let table_a = band("faa117_table_a.csv")?;
        let table_b = band("faa117_table_b.csv")?;
        let table_c = band("faa117_table_c.csv")?;
        let table_b_columns = table_b.segment_columns("segment")?;
        for label in table_c_columns() {
            if !table_c.columns.contains(&label) {
                return Err(TableError {
                    file: table_c.file.clone(),
                    line: 0,
                    field: label,
                    problem: "Table C needs this column (class 1-3 rest facility, 3 or 4 pilots)"
                        .into(),
                });
            }
        }
        let cumulative = super::table::parse_cumulative(
            "faa117_cumulative.csv",
            file(files, "faa117_cumulative.csv")?,
        )?;
        let p = Parameters::parse(
            "faa117_parameters.csv",
            file(files, "faa117_parameters.csv")?,
        )?;
        let lookback = p.minutes("free period lookback")?;
        Ok(Part117 {
            table_a,
            table_b,
            table_b_columns,
            table_c,
            cumulative,
            not_acclimated: p.minutes("not acclimated reduction")?,
            min_rest: shared(p.minutes("min rest before FDP")?),
            sleep_opportunity: p.minutes("sleep opportunity in min rest")?.0,
            free: p.minutes("free period")?,
            free_lookback: lookback.0,
            unforeseen: p.minutes("unforeseen extension")?,
            theater_longitude_deg: p.number("theater longitude degrees")?.0,
            in_theater: p.minutes("acclimated after hours in theater")?.0,
            acclimating_free: p.minutes("acclimated after free hours")?,
            unaugmented: "unaugmented".into(),
        })
    }

    /// The rule set from the tables compiled into the crate, parsed once.
    pub fn embedded() -> Result<&'static Part117, TableError> {
        static PART117: OnceLock<Result<Part117, TableError>> = OnceLock::new();
        PART117
            .get_or_init(|| Part117::from_files(&FILES))
            .as_ref()
            .map_err(Clone::clone)
    }

    fn reduce(&self, mut limit: TableLimit, acclimated: bool) -> TableLimit {
        if !acclimated {
            let (by, rule) = &self.not_acclimated;
            limit.limit = limit.limit - *by;
            limit.reduction = Some(Reduction {
                by: *by,
                rule: rule.clone(),
                because: "not acclimated",
            });
        }
        limit
    }
}

/// A value and its source, the source shared by every limit that cites it.
pub(crate) fn shared((value, source): (Minutes, String)) -> (Minutes, Arc<str>) {
    (value, source.into())
}

fn table_c_columns() -> impl Iterator<Item = String> {
    (1..=3).flat_map(|class| (3..=4).map(move |pilots| format!("class {class} {pilots} pilots")))
}

fn embedded() -> &'static Part117 {
    Part117::embedded()
        .expect("the embedded Part 117 tables parse (tested in rules::faa117::tests)")
}

/// Table B: the longest unaugmented FDP for an acclimated pilot reporting at this local minute with
/// `segments` flight segments (0 is read as 1, 7 or more as 7+).
pub fn max_flight_duty_period(report_minute_of_day: i64, segments: usize) -> Minutes {
    embedded()
        .max_fdp(report_minute_of_day, segments, true)
        .expect("every Table B row is verified and has a limit in every column")
        .limit
}

/// Table A: the most flight time an unaugmented crew may log in an FDP that starts at this local minute.
pub fn max_flight_time(report_minute_of_day: i64) -> Minutes {
    embedded()
        .max_flight_time(report_minute_of_day)
        .expect("every Table A row is verified")
        .limit
}

/// §117.25(e): the least rest immediately before a flight duty period (10 consecutive hours, the row
/// `min rest before FDP` of `faa117_parameters.csv`).
pub fn min_rest_before_fdp() -> Minutes {
    embedded().min_rest.0
}

impl RuleSet for Part117 {
    fn name(&self) -> &'static str {
        "faa117"
    }

    fn title(&self) -> &'static str {
        "FAA 14 CFR Part 117"
    }

    fn covers(&self, rank: Rank) -> bool {
        rank.is_pilot()
    }

    fn max_fdp(
        &self,
        report_minute_of_day: i64,
        segments: usize,
        acclimated: bool,
    ) -> Result<FdpLimit, RuleError> {
        let cell = segment_cell(
            &self.table_b,
            &self.table_b_columns,
            report_minute_of_day,
            segments,
            TABLE_B,
        )?;
        let cell = cell.ok_or_else(|| {
            RuleError::OutOfTable(format!(
                "{} has no limit at {} for {segments} segments",
                TABLE_B.1,
                self.table_b.row_at(report_minute_of_day).label()
            ))
        })?;
        Ok(self.reduce(cell, acclimated))
    }

    fn max_fdp_augmented(
        &self,
        report_minute_of_day: i64,
        facility: RestFacility,
        pilots: u8,
        acclimated: bool,
    ) -> Result<FdpLimit, RuleError> {
        if !(3..=4).contains(&pilots) {
            return Err(RuleError::OutOfTable(format!(
                "{} covers augmented crews of 3 or 4 pilots, not {pilots}",
                TABLE_C.1
            )));
        }
        let label = format!("class {} {pilots} pilots", facility.number());
        let column = self
            .table_c
            .columns
            .iter()
            .position(|c| *c == label)
            .expect("from_files checked that Table C has every class/pilots column");
        let row = self.table_c.row_at(report_minute_of_day);
        if row.verification == Verification::Unverified {
            return Err(RuleError::UnverifiedCell {
                table: TABLE_C.1,
                file: self.table_c.file.clone(),
                line: row.line,
                row: row.label.to_string(),
            });
        }
        let limit = row.cells[column].ok_or_else(|| {
            RuleError::OutOfTable(format!("{} has no limit in {label}", TABLE_C.1))
        })?;
        let cell = TableLimit {
            limit,
            rule: TABLE_C.0,
            table: TABLE_C.1,
            row: row.label(),
            column: format!("class {} rest facility, {pilots} pilots", facility.number()).into(),
            reduction: None,
            source: row.source.clone(),
        };
        Ok(self.reduce(cell, acclimated))
    }

    fn max_flight_time(&self, report_minute_of_day: i64) -> Option<TableLimit> {
        let row = self.table_a.row_at(report_minute_of_day);
        if row.verification == Verification::Unverified {
            return None;
        }
        row.cells[0].map(|limit| TableLimit {
            limit,
            rule: TABLE_A.0,
            table: TABLE_A.1,
            row: row.label(),
            column: self.unaugmented.clone(),
            reduction: None,
            source: row.source.clone(),
        })
    }

    fn unforeseen_extension(&self) -> Option<Allowance> {
        Some(Allowance {
            max: self.unforeseen.0,
            rule: self.unforeseen.1.clone(),
        })
    }

    fn cumulative_limits(&self) -> &[CumulativeLimit] {
        &self.cumulative
    }

    fn min_rest_before_fdp(&self, _preceding_duty: Minutes, _at_home_base: bool) -> RestLimit {
        RestLimit {
            min: self.min_rest.0,
            rule: self.min_rest.1.clone(),
            reason: RestReason::Fixed {
                sleep_opportunity: self.sleep_opportunity,
            },
        }
    }

    fn recurring_rest(&self) -> RecurringRest {
        RecurringRest::FreeBeforeEveryFdp {
            free: self.free.0,
            lookback: self.free_lookback,
            rule: self.free.1.clone(),
        }
    }

    fn acclimatisation(&self) -> Acclimatisation {
        Acclimatisation::Theater {
            max_longitude_deg: self.theater_longitude_deg,
            in_theater: self.in_theater,
            free: self.acclimating_free.0,
            rule: "14 CFR 117.3 (acclimated, theater)".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_b_rows_quoted_from_the_regulation() {
        // 07:30 report, 4 segments: 13 hours.
        assert_eq!(max_flight_duty_period(7 * 60 + 30, 4), Minutes::hours(13));
        // 05:00-05:59, 7 or more segments: 10:30.
        assert_eq!(
            max_flight_duty_period(5 * 60 + 59, 9),
            Minutes::hours_minutes(10, 30)
        );
        // 23:00-23:59, 4 segments: 9 hours; 3 segments: 10.
        assert_eq!(max_flight_duty_period(23 * 60, 4), Minutes::hours(9));
        assert_eq!(max_flight_duty_period(23 * 60, 3), Minutes::hours(10));
        // Row edges: 11:59 is still the 14-hour row, 12:00 is not.
        assert_eq!(max_flight_duty_period(11 * 60 + 59, 1), Minutes::hours(14));
        assert_eq!(max_flight_duty_period(12 * 60, 1), Minutes::hours(13));
        // A duty that only deadheads is held to the one-segment column.
        assert_eq!(max_flight_duty_period(12 * 60, 0), Minutes::hours(13));
    }

    #[test]
    fn table_a_limits_flight_time_by_report_hour() {
        assert_eq!(max_flight_time(4 * 60 + 59), Minutes::hours(8));
        assert_eq!(max_flight_time(5 * 60), Minutes::hours(9));
        assert_eq!(max_flight_time(19 * 60 + 59), Minutes::hours(9));
        assert_eq!(max_flight_time(20 * 60), Minutes::hours(8));
    }

    #[test]
    fn min_rest_before_any_fdp_is_ten_hours_of_117_25_e() {
        let rest = embedded().min_rest_before_fdp(Minutes::hours(14), false);
        assert_eq!(rest.min, Minutes::hours(10));
        assert_eq!(min_rest_before_fdp(), rest.min);
        assert_eq!(&*rest.rule, "14 CFR 117.25(e)");
    }

    #[test]
    fn a_pilot_who_is_not_acclimated_gets_thirty_minutes_less() {
        let limit = embedded().max_fdp(5 * 60 + 10, 5, false).unwrap();
        assert_eq!(limit.limit, Minutes::hours(11));
        let reduction = limit.reduction.unwrap();
        assert_eq!(reduction.by, Minutes(30));
        assert!(reduction.rule.contains("117.13(b)"));
    }

    #[test]
    fn table_c_gives_only_its_verified_row() {
        let c = embedded()
            .max_fdp_augmented(8 * 60, RestFacility::Class1, 4, true)
            .unwrap();
        assert_eq!(c.limit, Minutes::hours(19));
        let c = embedded()
            .max_fdp_augmented(12 * 60 + 59, RestFacility::Class2, 3, false)
            .unwrap();
        assert_eq!(c.limit, Minutes::hours_minutes(16, 0));
        let e = embedded()
            .max_fdp_augmented(2 * 60, RestFacility::Class1, 3, true)
            .unwrap_err();
        assert!(
            matches!(&e, RuleError::UnverifiedCell { row, .. } if row == "00:00-05:59"),
            "{e}"
        );
        assert!(e.to_string().contains("faa117_table_c.csv line"), "{e}");
        assert!(matches!(
            embedded().max_fdp_augmented(8 * 60, RestFacility::Class1, 5, true),
            Err(RuleError::OutOfTable(_))
        ));
    }

    #[test]
    fn unforeseen_extension_is_a_separate_two_hour_allowance() {
        let x = embedded().unforeseen_extension().unwrap();
        assert_eq!(
            (x.max, x.rule.as_str()),
            (Minutes::hours(2), "14 CFR 117.19(a)(1)")
        );
        // The planning limit itself does not include it.
        assert_eq!(max_flight_duty_period(8 * 60, 1), Minutes::hours(14));
    }

    #[test]
    fn a_malformed_part117_file_is_an_error_naming_file_line_and_field() {
        let mut files = FILES;
        files[1].1 = "from,to,1,status,source\n00:00,23:59,9h,verified,x\n";
        let e = Part117::from_files(&files).unwrap_err();
        assert_eq!(
            e.to_string(),
            "faa117_table_b.csv:2: field `1`: expected a limit H:MM or `n/a`, found \"9h\""
        );
        let e = Part117::from_files(&FILES[..4]).unwrap_err();
        assert_eq!(e.file, "faa117_parameters.csv");
    }
}
