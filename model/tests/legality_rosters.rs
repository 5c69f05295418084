//! Rules over a whole roster: rest, recurring free time and cumulative limits on rolling and calendar
//! windows (that straddle midnight and month and year ends), proposed changes, and the report's order.

mod common;

use common::*;
use ucodts_model::legality::{
    check_all, check_proposed, check_roster, LegalityError, Violation, ViolationKind,
};
use ucodts_model::rules;
use ucodts_model::*;

fn with_rule<'a>(violations: &'a [Violation], rule: &str) -> Vec<&'a Violation> {
    violations.iter().filter(|v| v.rule == rule).collect()
}

fn h(hours: i64, minutes: i64) -> Minutes {
    Minutes::hours_minutes(hours, minutes)
}

/// Six duties reported 20:00 New York from 27 January to 1 February 2013, each a 10-hour FDP that runs
/// past midnight: 60 hours of FDP in 126 hours, across the January/February month end.
fn six_night_duties(last_fdp: Minutes) -> Schedule {
    let mut b = RosterBuilder::new(Rank::Captain);
    let days = [(1, 27), (1, 28), (1, 29), (1, 30), (1, 31), (2, 1)];
    for (i, (m, d)) in days.into_iter().enumerate() {
        let fdp = if i == 5 { last_fdp } else { h(10, 0) };
        let duty = b.round_trip_duty(ny_time(2013, m, d, 20, 0), 2, fdp, None);
        b.pairing(vec![duty]);
    }
    b.build()
}

#[test]
fn part117_fdp_60_hours_in_168_counts_a_window_across_midnights_and_a_month_end() {
    let part117 = rules::by_name("faa117").unwrap();
    let legal = check_roster(&six_night_duties(h(10, 0)), &c1(), part117);
    assert!(with_rule(&legal, "14 CFR 117.23(c)(1)").is_empty());

    let over = check_roster(&six_night_duties(h(10, 1)), &c1(), part117);
    let v = with_rule(&over, "14 CFR 117.23(c)(1)");
    assert_eq!(v.len(), 1, "{over:#?}");
    assert_eq!(
        (v[0].pairing, v[0].limit, v[0].actual),
        (PairingId(6), h(60, 0), h(60, 1))
    );
    // The window ends with the sixth duty: 2 February 06:01 New York = 11:01 UTC.
    assert_eq!(
        v[0].explain(),
        "With duty 1 of pairing 6 (report 20:00 New York, 2 segments), time on flight duty in the 168 h \
         ending 2013-02-02T11:01Z comes to 60:01; 14 CFR 117.23(c)(1) allows 60:00."
    );
}

/// A 10-hour FDP reported 20:00 on 27 January, then five FDPs of `fdp` reported 16:24 from 30 January to
/// 3 February. The 168 hours ending with the last one start 2 hours before the first one ends.
fn partial_window(fdps: [Minutes; 5]) -> Schedule {
    let mut b = RosterBuilder::new(Rank::Captain);
    let first = b.round_trip_duty(ny_time(2013, 1, 27, 20, 0), 2, h(10, 0), None);
    b.pairing(vec![first]);
    for (i, (m, d)) in [(1, 30), (1, 31), (2, 1), (2, 2), (2, 3)]
        .into_iter()
        .enumerate()
    {
        let duty = b.round_trip_duty(ny_time(2013, m, d, 16, 24), 2, fdps[i], None);
        b.pairing(vec![duty]);
    }
    b.build()
}

#[test]
fn a_rolling_window_counts_only_the_part_of_a_duty_inside_it() {
    let part117 = rules::by_name("faa117").unwrap();
    // 2:00 of the first FDP + 5 x 11:36 = 60:00 in the 168 h ending 4 February 04:00.
    let legal = check_roster(&partial_window([h(11, 36); 5]), &c1(), part117);
    assert!(
        with_rule(&legal, "14 CFR 117.23(c)(1)").is_empty(),
        "{legal:#?}"
    );
    let mut longer = [h(11, 36); 5];
    longer[0] = h(11, 37);
    let over = check_roster(&partial_window(longer), &c1(), part117);
    let v = with_rule(&over, "14 CFR 117.23(c)(1)");
    assert_eq!(v.len(), 1);
    assert_eq!((v[0].pairing, v[0].actual), (PairingId(6), h(60, 1)));
}

#[test]
fn part117_needs_30_consecutive_free_hours_in_the_168_before_each_fdp() {
    let part117 = rules::by_name("faa117").unwrap();
    // Seven night duties 20:00-06:30, a day apart: 13:30 breaks. Before the roster counts as free, so the
    // 168 h before duty k (from 0) hold 168 - 24 k hours of it: 24:00 for the seventh duty.
    let mut b = RosterBuilder::new(Rank::Captain);
    for d in 1..=7 {
        let duty = b.round_trip_duty(ny_time(2013, 2, d, 20, 0), 2, h(10, 0), None);
        b.pairing(vec![duty]);
    }
    let violations = check_roster(&b.build(), &c1(), part117);
    let v = with_rule(&violations, "14 CFR 117.25(b)");
    assert_eq!(v.len(), 1, "{violations:#?}");
    assert_eq!(
        (v[0].pairing, v[0].limit, v[0].actual),
        (PairingId(7), h(30, 0), h(24, 0))
    );
    assert!(
        v[0].explain().starts_with("Before duty 1 of pairing 7"),
        "{}",
        v[0].explain()
    );

    // The same week with a 30-hour break before the fifth duty is legal.
    let mut b = RosterBuilder::new(Rank::Captain);
    for d in 1..=7 {
        let late = if d >= 5 {
            Minutes(16 * 60 + 30)
        } else {
            Minutes(0)
        };
        let duty = b.round_trip_duty(ny_time(2013, 2, d, 20, 0) + late, 2, h(10, 0), None);
        b.pairing(vec![duty]);
    }
    assert!(with_rule(
        &check_roster(&b.build(), &c1(), part117),
        "14 CFR 117.25(b)"
    )
    .is_empty());
}

#[test]
fn part117_needs_10_hours_rest_before_an_fdp() {
    let part117 = rules::by_name("faa117").unwrap();
    let rest_of = |rest: Minutes| {
        let mut b = RosterBuilder::new(Rank::FirstOfficer);
        let d1 = b.round_trip_duty(ny_time(2013, 2, 12, 6, 0), 2, h(8, 0), None);
        let release = d1.release;
        b.pairing(vec![d1]);
        let d2 = b.round_trip_duty(release + rest, 2, h(8, 0), None);
        b.pairing(vec![d2]);
        check_roster(&b.build(), &c1(), part117)
    };
    assert!(with_rule(&rest_of(h(10, 0)), "14 CFR 117.25(e)").is_empty());
    let short = rest_of(h(9, 59));
    let v = with_rule(&short, "14 CFR 117.25(e)");
    assert_eq!((v.len(), v[0].limit, v[0].actual), (1, h(10, 0), h(9, 59)));
    assert!(matches!(v[0].kind, ViolationKind::RestBeforeDuty { .. }));
}

#[test]
fn easa_rest_is_the_preceding_duty_or_12_hours_at_home_and_10_away() {
    let easa = rules::by_name("easa").unwrap();
    // At home base: a 13:00 duty must be followed by 13:00 of rest.
    let home = |rest: Minutes| {
        let mut b = RosterBuilder::new(Rank::Cabin);
        let d1 = b.round_trip_duty(ny_time(2013, 2, 12, 6, 0), 2, h(12, 30), None);
        let release = d1.release;
        b.pairing(vec![d1]);
        let d2 = b.round_trip_duty(release + rest, 2, h(8, 0), None);
        b.pairing(vec![d2]);
        check_roster(&b.build(), &c1(), easa)
    };
    assert!(with_rule(&home(h(13, 0)), "ORO.FTL.235(a)(1)").is_empty());
    let short = home(h(12, 59));
    let v = with_rule(&short, "ORO.FTL.235(a)(1)");
    assert_eq!((v.len(), v[0].limit, v[0].actual), (1, h(13, 0), h(12, 59)));
    assert!(
        v[0].explain().contains("at home base"),
        "{}",
        v[0].explain()
    );

    // Away (a night in Boston after a 6-hour duty): 10 hours.
    let away = |rest: Minutes| {
        let mut b = RosterBuilder::new(Rank::Cabin);
        let out = ny_time(2013, 2, 12, 8, 0);
        let leg = |from, to, out| LegSpec {
            from,
            to,
            kind: SegmentKind::Operating,
            out,
            block: h(1, 0),
        };
        let d1 = b.duty(out - h(1, 0), out + h(5, 0), &[leg("JFK", "BOS", out)]);
        let report = out + h(5, 0) + rest;
        let d2 = b.duty(
            report,
            report + h(3, 0),
            &[leg("BOS", "JFK", report + h(1, 0))],
        );
        b.pairing(vec![d1, d2]);
        check_roster(&b.build(), &c1(), easa)
    };
    assert!(with_rule(&away(h(10, 0)), "ORO.FTL.235(b)(1)").is_empty());
    assert_eq!(with_rule(&away(h(9, 59)), "ORO.FTL.235(b)(1)").len(), 1);
}

#[test]
fn easa_needs_a_recovery_rest_with_two_local_nights_every_168_hours() {
    let easa = rules::by_name("easa").unwrap();
    // Day duties 08:00-16:00 every day from Monday 4 February: after 168 h from the first report, the
    // eighth duty ends 176 h after it, with no 36-hour break between.
    let mut b = RosterBuilder::new(Rank::Cabin);
    for d in 4..=11 {
        let duty = b.round_trip_duty(ny_time(2013, 2, d, 8, 0), 2, h(7, 30), None);
        b.pairing(vec![duty]);
    }
    let violations = check_roster(&b.build(), &c1(), easa);
    let v = with_rule(&violations, "ORO.FTL.235(d)(1)");
    assert_eq!(v.len(), 1, "{violations:#?}");
    assert_eq!(
        (v[0].pairing, v[0].limit, v[0].actual),
        (PairingId(8), h(168, 0), h(176, 0))
    );

    // A break from Friday 18:00 to Sunday 06:00 is 36 hours holding two local nights (Fri 22:00-Sat 08:00,
    // Sat 22:00-Sun 06:00): a recovery rest, and the two weeks are legal. From Friday 10:00 to Saturday
    // 22:00 it is 36 hours with only one local night: not a recovery rest, and the ten days of duty that
    // follow break the 168 hours.
    for (release_hour, is_recovery) in [(18, true), (10, false)] {
        let mut b = RosterBuilder::new(Rank::Cabin);
        for d in 4..=8 {
            let report = ny_time(2013, 2, d, release_hour - 8, 0);
            let duty = b.round_trip_duty(report, 2, h(7, 30), None);
            b.pairing(vec![duty]);
        }
        let sunday = ny_time(2013, 2, 8, release_hour, 0) + h(36, 0);
        for d in 0..5 {
            let duty = b.round_trip_duty(sunday + Minutes::hours(24 * d), 2, h(7, 30), None);
            b.pairing(vec![duty]);
        }
        let violations = check_roster(&b.build(), &c1(), easa);
        assert_eq!(
            with_rule(&violations, "ORO.FTL.235(d)(1)").is_empty(),
            is_recovery,
            "release {release_hour}:00: {violations:#?}"
        );
    }
}

#[test]
fn easa_duty_60_hours_in_7_days_counts_report_to_release() {
    let easa = rules::by_name("easa").unwrap();
    // Five duties of 12:00 (an 11:30 FDP and 30 minutes after it), a day apart: 60:00 of duty.
    let roster = |last_fdp: Minutes| {
        let mut b = RosterBuilder::new(Rank::Cabin);
        for d in 11..=15 {
            let fdp = if d == 15 { last_fdp } else { h(11, 30) };
            let duty = b.round_trip_duty(ny_time(2013, 2, d, 8, 0), 2, fdp, None);
            b.pairing(vec![duty]);
        }
        check_roster(&b.build(), &c1(), easa)
    };
    assert!(with_rule(&roster(h(11, 30)), "ORO.FTL.210(a)(1)").is_empty());
    let over = roster(h(11, 31));
    let v = with_rule(&over, "ORO.FTL.210(a)(1)");
    assert_eq!((v.len(), v[0].actual), (1, h(60, 1)));
}

/// 89 daily duties from 3 October to 30 December 2013 with 10:00 of flight time each, then a duty on
/// 31 December whose second leg lands after midnight: `minutes_before_midnight` of it is in 2013.
fn year_end(second_leg_out: UtcMinute) -> Schedule {
    let mut b = RosterBuilder::new(Rank::Captain);
    let first = Date::new(2013, 10, 3).unwrap().days_since_epoch();
    for k in 0..89 {
        let date = Date::from_days_since_epoch(first + k);
        let report = ny_time(date.year, date.month, date.day, 7, 0);
        let duty = b.round_trip_duty(report, 2, h(11, 0), Some(h(10, 0)));
        b.pairing(vec![duty]);
    }
    let report = ny_time(2013, 12, 31, 13, 0);
    let leg = |from, to, out| LegSpec {
        from,
        to,
        kind: SegmentKind::Operating,
        out,
        block: h(5, 30),
    };
    let legs = [
        leg("JFK", "BOS", report + h(0, 30)),
        leg("BOS", "JFK", second_leg_out),
    ];
    let duty = b.duty(report, second_leg_out + h(6, 0), &legs);
    b.pairing(vec![duty]);
    b.build()
}

#[test]
fn easa_900_hours_in_a_calendar_year_counts_only_the_part_flown_before_new_year() {
    let easa = rules::by_name("easa").unwrap();
    // 890:00 + 5:30 + 4:30 (19:30 to midnight New York) = 900:00 in 2013.
    let legal = check_roster(&year_end(ny_time(2013, 12, 31, 19, 30)), &c1(), easa);
    assert!(with_rule(&legal, "ORO.FTL.210(b)(2)").is_empty());
    let over = check_roster(&year_end(ny_time(2013, 12, 31, 19, 29)), &c1(), easa);
    let v = with_rule(&over, "ORO.FTL.210(b)(2)");
    assert_eq!(v.len(), 1);
    assert_eq!((v[0].pairing, v[0].actual), (PairingId(90), h(900, 1)));
    assert!(
        v[0].cell.ends_with("calendar year 2013 up to this duty"),
        "{}",
        v[0].cell
    );
}

#[test]
fn a_proposed_pairing_is_checked_with_the_roster_it_joins() {
    let part117 = rules::by_name("faa117").unwrap();
    let mut b = RosterBuilder::new(Rank::Captain);
    let d1 = b.round_trip_duty(ny_time(2013, 2, 12, 6, 0), 2, h(8, 0), None);
    let release = d1.release;
    b.pairing(vec![d1]);
    // A second pairing in the schedule that nobody flies yet, reporting 9 hours after C1's release.
    let d2 = b.round_trip_duty(release + h(9, 0), 2, h(8, 0), None);
    b.parts.pairings.push(Pairing {
        id: PairingId(50),
        airline: CarrierCode::new("B6"),
        base: code("JFK"),
        duties: vec![d2],
    });
    let schedule = b.build();
    assert!(check_roster(&schedule, &c1(), part117).is_empty());
    let current: Vec<&Pairing> = schedule.roster(&c1()).collect();
    let proposed = [current[0], schedule.pairing(PairingId(50)).unwrap()];
    let report = check_proposed(&schedule, &c1(), &proposed, part117).unwrap();
    assert_eq!(report.crew_checked, 1);
    assert_eq!(report.violations.len(), 1);
    assert_eq!(report.violations[0].pairing, PairingId(50));

    // A proposal must make sense on its own.
    let mut bad = schedule.pairing(PairingId(50)).unwrap().clone();
    bad.duties[0].segments[0].leg = LegId(999);
    assert_eq!(
        check_proposed(&schedule, &c1(), &[&bad], part117).unwrap_err(),
        LegalityError::UnknownLeg {
            pairing: PairingId(50),
            leg: LegId(999)
        }
    );
    let twice = [current[0], current[0]];
    assert!(matches!(
        check_proposed(&schedule, &c1(), &twice, part117),
        Err(LegalityError::Overlap { .. })
    ));
    assert!(matches!(
        check_proposed(&schedule, &CrewId::new("nobody"), &proposed, part117),
        Err(LegalityError::UnknownCrew(_))
    ));
}

#[test]
fn easa_duty_in_unknown_acclimatisation_is_listed_unchecked_not_guessed() {
    let easa = rules::by_name("easa").unwrap();
    let mut b = RosterBuilder::new(Rank::Cabin);
    // JFK-LHR, then LHR-JFK reported 50 hours after the first report: 5 hours from the reference time
    // and 48-72 h elapsed: unknown state (Table 3, not verified).
    let out = ny_time(2013, 2, 12, 18, 0);
    let leg = |from, to, out| LegSpec {
        from,
        to,
        kind: SegmentKind::Operating,
        out,
        block: h(7, 0),
    };
    let d1 = b.duty(out - h(1, 0), out + h(7, 30), &[leg("JFK", "LHR", out)]);
    let report = out + h(49, 0);
    let d2 = b.duty(
        report,
        report + h(8, 30),
        &[leg("LHR", "JFK", report + h(1, 0))],
    );
    b.pairing(vec![d1, d2]);
    let report = check_all(&b.build(), easa);
    assert_eq!(report.unchecked.len(), 1, "{report:#?}");
    assert_eq!(
        (report.unchecked[0].pairing, report.unchecked[0].duty),
        (PairingId(1), 2)
    );
    assert!(
        report.unchecked[0].reason.contains("easa_table3.csv"),
        "{}",
        report.unchecked[0].reason
    );
}

#[test]
fn the_report_is_sorted_and_the_same_every_time() {
    let part117 = rules::by_name("faa117").unwrap();
    let mut b = RosterBuilder::new(Rank::Captain);
    // A second pilot with the same illegal week, added before C1 in the crew table.
    let mut c0 = b.parts.crew[0].clone();
    c0.id = CrewId::new("C0");
    b.parts.crew.insert(0, c0);
    for d in 1..=7 {
        let duty = b.round_trip_duty(ny_time(2013, 2, d, 20, 0), 2, h(10, 30), None);
        let id = b.pairing(vec![duty.clone()]);
        let mut copy = b.parts.pairings.last().unwrap().clone();
        copy.id = PairingId(100 + id.0);
        copy.duties[0] = b.round_trip_duty(duty.report, 2, h(10, 30), None);
        b.parts.pairings.push(copy);
        b.parts.rosters.push(RosterAssignment {
            crew: CrewId::new("C0"),
            pairing: PairingId(100 + id.0),
        });
    }
    let schedule = b.build();
    let first = check_all(&schedule, part117);
    assert_eq!(first, check_all(&schedule, part117));
    assert_eq!(first.crew_checked, 2);
    let keys: Vec<_> = first
        .violations
        .iter()
        .map(|v| (v.crew.clone(), v.report))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert!(first.violations.iter().any(|v| v.crew.as_str() == "C0"));
    let c1_only: Vec<_> = first
        .violations
        .iter()
        .filter(|v| v.crew == c1())
        .cloned()
        .collect();
    assert_eq!(c1_only, check_roster(&schedule, &c1(), part117));
}
