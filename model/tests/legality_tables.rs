//! Every cell of Part 117 Tables A and B and of EASA Table 2, checked through the public legality checker:
//! a roster of one duty reported at the cell's local time with the cell's number of segments is legal when
//! its flight duty period (or flight time) is exactly the limit, and breaks the cell one minute over it.
//! The tables below are transcribed from the regulations independently of `model/rules/*.csv`.

mod common;

use common::*;
use ucodts_model::legality::{check_all, check_roster, ViolationKind};
use ucodts_model::rules::{self, RuleSet};
use ucodts_model::*;

/// 14 CFR Part 117, Table B: (start band, limits for 1, 2, 3, 4, 5, 6, 7+ segments) in minutes.
const PART117_TABLE_B: [((i64, i64), [i64; 7]); 10] = {
    const fn h(hours: i64, minutes: i64) -> i64 {
        hours * 60 + minutes
    }
    [
        ((h(0, 0), h(3, 59)), [540, 540, 540, 540, 540, 540, 540]),
        ((h(4, 0), h(4, 59)), [600, 600, 600, 600, 540, 540, 540]),
        ((h(5, 0), h(5, 59)), [720, 720, 720, 720, 690, 660, 630]),
        ((h(6, 0), h(6, 59)), [780, 780, 720, 720, 690, 660, 630]),
        ((h(7, 0), h(11, 59)), [840, 840, 780, 780, 750, 720, 690]),
        ((h(12, 0), h(12, 59)), [780, 780, 780, 780, 750, 720, 690]),
        ((h(13, 0), h(16, 59)), [720, 720, 720, 720, 690, 660, 630]),
        ((h(17, 0), h(21, 59)), [720, 720, 660, 660, 600, 540, 540]),
        ((h(22, 0), h(22, 59)), [660, 660, 600, 600, 540, 540, 540]),
        ((h(23, 0), h(23, 59)), [600, 600, 600, 540, 540, 540, 540]),
    ]
};

/// 14 CFR Part 117, Table A: (start band, maximum flight time) in minutes.
const PART117_TABLE_A: [((i64, i64), i64); 3] = [
    ((0, 4 * 60 + 59), 8 * 60),
    ((5 * 60, 19 * 60 + 59), 9 * 60),
    ((20 * 60, 23 * 60 + 59), 8 * 60),
];

/// EASA ORO.FTL.205(b)(1) Table 2: (start band, limits for 1-2, 3, 4, ..., 10 sectors), "H:MM".
#[rustfmt::skip]
const EASA_TABLE_2: [((&str, &str), [&str; 9]); 13] = [
    (("06:00", "13:29"), ["13:00", "12:30", "12:00", "11:30", "11:00", "10:30", "10:00", "9:30", "9:00"]),
    (("13:30", "13:59"), ["12:45", "12:15", "11:45", "11:15", "10:45", "10:15", "9:45", "9:15", "9:00"]),
    (("14:00", "14:29"), ["12:30", "12:00", "11:30", "11:00", "10:30", "10:00", "9:30", "9:00", "9:00"]),
    (("14:30", "14:59"), ["12:15", "11:45", "11:15", "10:45", "10:15", "9:45", "9:15", "9:00", "9:00"]),
    (("15:00", "15:29"), ["12:00", "11:30", "11:00", "10:30", "10:00", "9:30", "9:00", "9:00", "9:00"]),
    (("15:30", "15:59"), ["11:45", "11:15", "10:45", "10:15", "9:45", "9:15", "9:00", "9:00", "9:00"]),
    (("16:00", "16:29"), ["11:30", "11:00", "10:30", "10:00", "9:30", "9:00", "9:00", "9:00", "9:00"]),
    (("16:30", "16:59"), ["11:15", "10:45", "10:15", "9:45", "9:15", "9:00", "9:00", "9:00", "9:00"]),
    (("17:00", "04:59"), ["11:00", "10:30", "10:00", "9:30", "9:00", "9:00", "9:00", "9:00", "9:00"]),
    (("05:00", "05:14"), ["12:00", "11:30", "11:00", "10:30", "10:00", "9:30", "9:00", "9:00", "9:00"]),
    (("05:15", "05:29"), ["12:15", "11:45", "11:15", "10:45", "10:15", "9:45", "9:15", "9:00", "9:00"]),
    (("05:30", "05:44"), ["12:30", "12:00", "11:30", "11:00", "10:30", "10:00", "9:30", "9:00", "9:00"]),
    (("05:45", "05:59"), ["12:45", "12:15", "11:45", "11:15", "10:45", "10:15", "9:45", "9:15", "9:00"]),
];

fn hm(text: &str) -> i64 {
    let (h, m) = text.split_once(':').unwrap();
    h.parse::<i64>().unwrap() * 60 + m.parse::<i64>().unwrap()
}

/// Violations of the flight-duty-period tables in a one-duty roster reported at this New York minute.
fn fdp_violations(
    rules: &dyn RuleSet,
    report_minute: i64,
    segments: usize,
    fdp: i64,
) -> Vec<ucodts_model::legality::Violation> {
    let mut b = RosterBuilder::new(Rank::Captain);
    // A winter Tuesday: no daylight-saving change nearby.
    let report = ny_time(2013, 2, 12, 0, 0) + Minutes(report_minute);
    let duty = b.round_trip_duty(report, segments, Minutes(fdp), None);
    b.pairing(vec![duty]);
    let schedule = b.build();
    check_roster(&schedule, &c1(), rules)
        .into_iter()
        .filter(|v| matches!(v.kind, ViolationKind::FlightDutyPeriod { .. }))
        .collect()
}

/// Checks one cell at one report minute: legal at the limit, illegal a minute over, and the violation
/// names the cell, the limit and the actual value.
fn assert_cell(rules: &dyn RuleSet, minute: i64, segments: usize, limit: i64, what: &str) {
    let at_limit = fdp_violations(rules, minute, segments, limit);
    assert!(
        at_limit.is_empty(),
        "{what}: exactly at the limit must be legal, got {:?}",
        at_limit.iter().map(|v| v.explain()).collect::<Vec<_>>()
    );
    let over = fdp_violations(rules, minute, segments, limit + 1);
    assert_eq!(over.len(), 1, "{what}: one minute over must break the cell");
    let v = &over[0];
    assert_eq!((v.limit.0, v.actual.0), (limit, limit + 1), "{what}");
    assert_eq!(v.report_minute_of_day, minute, "{what}");
    assert_eq!(v.segments, segments, "{what}");
}

#[test]
fn part117_table_b_every_cell_allows_exactly_its_limit_at_both_ends_of_its_band() {
    let rules = rules::by_name("faa117").unwrap();
    for ((from, to), limits) in PART117_TABLE_B {
        for (column, &limit) in limits.iter().enumerate() {
            let segments_tried: &[usize] = if column == 6 { &[7, 9] } else { &[column + 1] };
            for &segments in segments_tried {
                for minute in [from, to] {
                    let what =
                        format!("Table B {from}-{to}, {segments} segments, report minute {minute}");
                    assert_cell(rules, minute, segments, limit, &what);
                }
            }
        }
    }
}

#[test]
fn part117_table_b_violation_names_the_rule_and_cell() {
    let rules = rules::by_name("faa117").unwrap();
    let v = &fdp_violations(rules, 5 * 60 + 10, 5, 11 * 60 + 45)[0];
    assert_eq!(v.rule, "14 CFR 117.13 Table B");
    assert_eq!(v.cell, "05:00-05:59 report, 5 segments");
    assert_eq!(
        v.explain(),
        "Duty 1 of pairing 1 (report 05:10 New York, 5 segments) has a flight duty period of 11:45; \
         Part 117 Table B allows 11:30 for a 05:00-05:59 report with 5 segments."
    );
}

#[test]
fn part117_table_a_every_row_limits_flight_time_in_the_duty() {
    let rules = rules::by_name("faa117").unwrap();
    for ((from, to), limit) in PART117_TABLE_A {
        for minute in [from, to] {
            for (flight, breaks) in [(limit, false), (limit + 1, true)] {
                let mut b = RosterBuilder::new(Rank::FirstOfficer);
                let report = ny_time(2013, 2, 12, 0, 0) + Minutes(minute);
                // Two legs and short turns: the FDP stays within Table B.
                let duty =
                    b.round_trip_duty(report, 2, Minutes(flight + 60), Some(Minutes(flight)));
                b.pairing(vec![duty]);
                let violations: Vec<_> = check_roster(&b.build(), &c1(), rules)
                    .into_iter()
                    .filter(|v| matches!(v.kind, ViolationKind::FlightTime { .. }))
                    .collect();
                assert_eq!(
                    violations.len(),
                    usize::from(breaks),
                    "Table A {from}-{to} at minute {minute}, flight time {flight}"
                );
                if let Some(v) = violations.first() {
                    assert_eq!((v.limit.0, v.actual.0), (limit, limit + 1));
                    assert_eq!(v.rule, "14 CFR 117.11 Table A");
                }
            }
        }
    }
}

#[test]
fn easa_table_2_every_cell_allows_exactly_its_limit_at_both_ends_of_its_band() {
    let rules = rules::by_name("easa").unwrap();
    for ((from, to), limits) in EASA_TABLE_2 {
        for (column, limit) in limits.iter().enumerate() {
            let segments_tried: Vec<usize> = if column == 0 {
                vec![1, 2]
            } else {
                vec![column + 2]
            };
            for segments in segments_tried {
                for minute in [hm(from), hm(to)] {
                    let what =
                        format!("EASA Table 2 {from}-{to}, {segments} sectors, minute {minute}");
                    let limit = hm(limit);
                    // Over Table 2 but within CS FTL.1.205(b) a planned extension makes the duty legal:
                    // only cells where no extension is possible can be broken by one minute.
                    let extended = rules
                        .max_fdp_with_planned_extension(minute, segments)
                        .unwrap()
                        .map(|e| e.limit.0);
                    if extended.is_some_and(|e| e > limit) {
                        assert!(
                            fdp_violations(rules, minute, segments, limit).is_empty(),
                            "{what}"
                        );
                        assert!(
                            fdp_violations(rules, minute, segments, limit + 1).is_empty(),
                            "{what}"
                        );
                        let e = extended.unwrap();
                        assert_cell_extended(rules, minute, segments, limit, e, &what);
                    } else {
                        assert_cell(rules, minute, segments, limit, &what);
                    }
                }
            }
        }
    }
}

/// A cell with a planned extension: legal up to the extension, and the violation a minute over it is
/// measured against the Table 2 cell and says why the extension does not cover it.
fn assert_cell_extended(
    rules: &dyn RuleSet,
    minute: i64,
    segments: usize,
    basic: i64,
    extended: i64,
    what: &str,
) {
    assert!(
        fdp_violations(rules, minute, segments, extended).is_empty(),
        "{what}"
    );
    let over = fdp_violations(rules, minute, segments, extended + 1);
    assert_eq!(over.len(), 1, "{what}");
    assert_eq!(
        (over[0].limit.0, over[0].actual.0),
        (basic, extended + 1),
        "{what}"
    );
    assert!(
        over[0].explain().contains("even a planned extension"),
        "{what}"
    );
}

#[test]
fn a_0730_report_with_4_segments_may_last_13_hours_under_part117_and_12_under_easa() {
    // Part 117 Table B: 13:00. EASA Table 2: 13:00 less 30 minutes for each sector from the third: 12:00
    // (and 13:00 with a planned extension, CS FTL.1.205(b)).
    let part117 = rules::by_name("faa117").unwrap();
    let easa = rules::by_name("easa").unwrap();
    assert_eq!(
        part117.max_fdp(7 * 60 + 30, 4, true).unwrap().limit,
        Minutes::hours(13)
    );
    assert_eq!(
        easa.max_fdp(7 * 60 + 30, 4, true).unwrap().limit,
        Minutes::hours(12)
    );
    assert!(fdp_violations(part117, 7 * 60 + 30, 4, 13 * 60).is_empty());
    assert_eq!(
        fdp_violations(part117, 7 * 60 + 30, 4, 13 * 60 + 1).len(),
        1
    );
    assert!(fdp_violations(easa, 7 * 60 + 30, 4, 13 * 60).is_empty());
    assert_eq!(fdp_violations(easa, 7 * 60 + 30, 4, 13 * 60 + 1).len(), 1);
}

#[test]
fn easa_allows_at_most_two_planned_extensions_in_seven_days() {
    let easa = rules::by_name("easa").unwrap();
    let mut b = RosterBuilder::new(Rank::Cabin);
    // Three duties of 13:30 with 2 sectors reported at 08:00 on Monday, Wednesday and Friday: each needs an
    // extension (Table 2: 13:00; CS FTL.1.205(b): 14:00).
    for day in [11, 13, 15] {
        let d = b.round_trip_duty(ny_time(2013, 2, day, 8, 0), 2, Minutes(13 * 60 + 30), None);
        b.pairing(vec![d]);
    }
    let v: Vec<_> = check_roster(&b.build(), &c1(), easa)
        .into_iter()
        .filter(|v| matches!(v.kind, ViolationKind::FlightDutyPeriod { .. }))
        .collect();
    assert_eq!(v.len(), 1);
    assert_eq!(
        (v[0].pairing, v[0].limit),
        (PairingId(3), Minutes::hours(13))
    );
    assert!(
        v[0].explain()
            .contains("2 already used in the 168 h before"),
        "{}",
        v[0].explain()
    );
}

#[test]
fn a_pilot_far_from_home_theater_is_not_acclimated_and_gets_thirty_minutes_less() {
    let part117 = rules::by_name("faa117").unwrap();
    let mut b = RosterBuilder::new(Rank::Captain);
    // Day 1: JFK-LHR, released in London. Day 2, 11:30 after that release (so neither 72 h in the theater
    // nor 36 h free): LHR-JFK reported 18:00 London = 13:00 New York, 1 segment: Table B 12:00 less 30
    // minutes, read at New York time.
    let out = ny_time(2013, 2, 12, 18, 0);
    let d1 = b.duty(
        out - Minutes(60),
        out + Minutes(7 * 60 + 30),
        &[LegSpec {
            from: "JFK",
            to: "LHR",
            kind: SegmentKind::Operating,
            out,
            block: Minutes(7 * 60),
        }],
    );
    let report = ny_time(2013, 2, 13, 13, 0);
    let fdp = 11 * 60 + 31;
    let d2 = b.duty(
        report,
        report + Minutes(fdp + 30),
        &[LegSpec {
            from: "LHR",
            to: "JFK",
            kind: SegmentKind::Operating,
            out: report + Minutes(60),
            block: Minutes(fdp - 60),
        }],
    );
    b.pairing(vec![d1, d2]);
    let schedule = b.build();
    let v: Vec<_> = check_roster(&schedule, &c1(), part117)
        .into_iter()
        .filter(|v| matches!(v.kind, ViolationKind::FlightDutyPeriod { .. }))
        .collect();
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(
        (v[0].limit, v[0].actual),
        (Minutes(11 * 60 + 30), Minutes(fdp))
    );
    assert_eq!(v[0].report_zone, ny());
    assert_eq!(v[0].report_minute_of_day, 13 * 60);
    assert!(
        v[0].explain()
            .contains("not acclimated (14 CFR 117.13(b)(1)"),
        "{}",
        v[0].explain()
    );
}

#[test]
fn part117_does_not_cover_cabin_crew_but_easa_does() {
    let mut b = RosterBuilder::new(Rank::Cabin);
    let d = b.round_trip_duty(ny_time(2013, 2, 12, 8, 0), 2, Minutes(16 * 60), None);
    b.pairing(vec![d]);
    let s = b.build();
    let faa = check_all(&s, rules::by_name("faa117").unwrap());
    assert_eq!(
        (faa.crew_checked, faa.crew_not_covered, faa.violations.len()),
        (0, 1, 0)
    );
    let easa = check_all(&s, rules::by_name("easa").unwrap());
    assert_eq!((easa.crew_checked, easa.crew_not_covered), (1, 0));
    assert_eq!(easa.violations.len(), 1);
}
