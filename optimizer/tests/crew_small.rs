//! Crew recovery on a hand-built airline: one captain, one round trip, checked by hand.

use ucodts_model::recovery::crew::{
    evaluate, CrewCostWeights, CrewDisruption, CrewProblem, CrewRecoveryProblem, DutyFault,
    LegChange, ReserveSupply, SickCall,
};
use ucodts_model::*;
use ucodts_optimizer::crew::{greedy_repair, solve_milp, CrewRecoveryOptions};

fn at(hour: i64, minute: i64) -> UtcMinute {
    UtcMinute::from_date_minute(Date::new(2013, 7, 2).unwrap(), hour * 60 + minute)
}

/// JFK-BOS 12:00-13:15Z and BOS-JFK 14:00-15:15Z on tail N1 (A320), flown by captain C1 (based at JFK) in
/// pairing 1: report 11:00Z, release 15:45Z.
fn airline() -> Schedule {
    let ny = TimeZone::from_iana("America/New_York").unwrap();
    let code = |c: &str| AirportCode::new(c).unwrap();
    let airport = |c: &str, lon: f64| Airport {
        code: code(c),
        icao: None,
        name: c.into(),
        latitude_deg: 41.0,
        longitude_deg: lon,
        time_zone: ny,
    };
    let leg = |id, from: &str, to: &str, out: UtcMinute, arrive: UtcMinute| Leg {
        id: LegId(id),
        carrier: CarrierCode::new("ZZ"),
        flight_number: Some(id),
        origin: code(from),
        destination: code(to),
        scheduled_out: out,
        scheduled_in: arrive,
        estimated: OutOffOnIn::default(),
        actual: OutOffOnIn::default(),
        tail: Some(TailId::new("N1")),
        status: LegStatus::Scheduled,
        source: LegSource::Recorded,
    };
    let operating = |id| Segment {
        leg: LegId(id),
        kind: SegmentKind::Operating,
    };
    Schedule::new(ScheduleParts {
        airlines: vec![Airline {
            code: CarrierCode::new("ZZ"),
            name: "Test Air".into(),
        }],
        airports: vec![airport("JFK", -73.8), airport("BOS", -71.0)],
        aircraft_types: vec![AircraftType {
            code: TypeCode::new("A320"),
            family: "A320".into(),
            seats: 150,
            min_turn: Minutes(30),
        }],
        aircraft: vec![Aircraft {
            tail: TailId::new("N1"),
            type_code: TypeCode::new("A320"),
            carrier: CarrierCode::new("ZZ"),
            base: code("JFK"),
            maintenance_due: None,
        }],
        crew: vec![CrewMember {
            id: CrewId::new("C1"),
            airline: CarrierCode::new("ZZ"),
            rank: Rank::Captain,
            base: code("JFK"),
            qualifications: vec![TypeCode::new("A320")],
            home_zone: ny,
        }],
        legs: vec![
            leg(1, "JFK", "BOS", at(12, 0), at(13, 15)),
            leg(2, "BOS", "JFK", at(14, 0), at(15, 15)),
        ],
        pairings: vec![Pairing {
            id: PairingId(1),
            airline: CarrierCode::new("ZZ"),
            base: code("JFK"),
            duties: vec![Duty {
                report: at(11, 0),
                release: at(15, 45),
                segments: vec![operating(1), operating(2)],
            }],
        }],
        rosters: vec![RosterAssignment {
            crew: CrewId::new("C1"),
            pairing: PairingId(1),
        }],
        ..ScheduleParts::default()
    })
    .unwrap()
}

fn disruption(share: f64) -> CrewDisruption {
    CrewDisruption {
        t0: at(10, 0),
        window_end: at(23, 0),
        rule_set: "faa117".into(),
        leg_changes: Vec::new(),
        sick_calls: vec![SickCall {
            crew: CrewId::new("C1"),
            from: at(10, 0),
        }],
        reserves: ReserveSupply {
            share_of_based_crew: share,
            ..ReserveSupply::default()
        },
        costs: CrewCostWeights::default(),
    }
}

#[test]
fn a_sick_captain_is_replaced_by_the_reserve_at_the_base_at_the_cost_of_one_call_out() {
    let schedule = airline();
    let problem = CrewRecoveryProblem::new(&schedule, disruption(0.05)).unwrap();
    // One reserve: 5 % of one based captain, rounded up; standby from 05:00 EDT (09:00Z), ready at t0 + 30.
    assert_eq!(problem.reserves().len(), 1);
    let reserve = problem.reserves()[0].member.id.clone();
    assert_eq!(reserve.as_str(), "R-JFK-ZZ-captain-20130702-1");
    assert_eq!(problem.reserves()[0].available_from, at(10, 30));
    assert_eq!(problem.demand().len(), 2, "both legs lose their captain");

    let options = CrewRecoveryOptions::default();
    let greedy = greedy_repair(&problem, &options);
    let milp = solve_milp(&problem, &options, Some(&greedy.plan)).unwrap();
    assert!(milp.optimal);
    for s in [&greedy, &milp] {
        let e = &s.evaluation;
        assert!(e.is_legal(), "{:?} {:?}", e.problems, e.crew);
        assert_eq!(e.seats_uncovered, 0);
        // By hand: the reserve flies both legs in one duty, reporting 11:00Z, released 15:45Z.
        let roster = &s.plan.rosters[&reserve];
        assert_eq!(roster.len(), 1);
        let duty = &roster[0].duties[0];
        assert_eq!((duty.report, duty.release), (at(11, 0), at(15, 45)));
        let legs: Vec<LegId> = duty.segments.iter().map(|s| s.leg).collect();
        assert_eq!(legs, vec![LegId(1), LegId(2)]);
        assert_eq!(e.reserve_callouts.len(), 1);
        assert_eq!(e.reserve_callouts[0].legs, vec![LegId(1), LegId(2)]);
        // The sick captain flies nothing; nobody else is asked.
        assert!(s.plan.rosters[&CrewId::new("C1")].is_empty());
        assert_eq!(e.crew_contacted, 1);
        // 07:00-11:45 local after a night's sleep is far from sleepy: no fatigue cost.
        assert_eq!(e.cost.fatigue, 0);
        assert_eq!(e.cost.total(), 1_000 + 150);
    }
}

#[test]
fn with_no_reserve_anywhere_both_legs_are_uncovered_and_the_plan_says_why() {
    let schedule = airline();
    let problem = CrewRecoveryProblem::new(&schedule, disruption(0.0)).unwrap();
    assert!(problem.reserves().is_empty());
    let options = CrewRecoveryOptions::default();
    let greedy = greedy_repair(&problem, &options);
    let milp = solve_milp(&problem, &options, Some(&greedy.plan)).unwrap();
    for s in [&greedy, &milp] {
        assert!(s.evaluation.is_legal(), "{:?}", s.evaluation.problems);
        assert_eq!(s.plan.uncovered.len(), 2);
        for u in &s.plan.uncovered {
            assert_eq!((u.rank, u.count), (Rank::Captain, 1));
            assert!(
                u.why.contains("no captain reserve stands by anywhere"),
                "{}",
                u.why
            );
        }
        assert_eq!(s.evaluation.cost.total(), 2 * 20_000);
    }
}

fn delayed_return(out: UtcMinute) -> CrewDisruption {
    let mut d = disruption(0.0);
    d.sick_calls.clear();
    d.leg_changes = vec![(
        LegId(2),
        LegChange::Retimed {
            out,
            arrival: out + Minutes(75),
        },
    )];
    d
}

#[test]
fn a_return_delayed_overnight_is_flown_by_the_same_captain_after_a_layover() {
    let schedule = airline();
    // The return leaves at 03:00Z next day: one duty to 04:15Z would be 17:15 of FDP, so the captain is
    // released in Boston at 13:45Z, rests, and reports at 02:00Z for the return.
    let problem = CrewRecoveryProblem::new(&schedule, delayed_return(at(27, 0))).unwrap();
    let greedy = greedy_repair(&problem, &CrewRecoveryOptions::default());
    let e = &greedy.evaluation;
    assert!(e.is_legal(), "{:?}", e.problems);
    assert_eq!(e.seats_uncovered, 0);
    let roster = &greedy.plan.rosters[&CrewId::new("C1")];
    let duties: Vec<(UtcMinute, UtcMinute)> = roster[0]
        .duties
        .iter()
        .map(|d| (d.report, d.release))
        .collect();
    assert_eq!(
        duties,
        vec![(at(11, 0), at(13, 45)), (at(26, 0), at(28, 45))]
    );
    assert_eq!(e.crew_contacted, 1);
}

#[test]
fn a_delay_just_past_the_duty_limit_is_flown_by_the_same_captain_as_an_unforeseen_extension() {
    let schedule = airline();
    // The return leaves at 00:00Z: 14:15 of FDP from the 11:00Z (07:00 local) report, 15 minutes over
    // Part 117 Table B's 14:00, and a layover in Boston from 13:45Z would give only 9:15 of rest before a
    // 23:00Z report. On the day the captain flies it under 117.19(a): legal, and listed as an extension.
    let problem = CrewRecoveryProblem::new(&schedule, delayed_return(at(24, 0))).unwrap();
    let options = CrewRecoveryOptions::default();
    let greedy = greedy_repair(&problem, &options);
    let milp = solve_milp(&problem, &options, Some(&greedy.plan)).unwrap();
    for s in [&greedy, &milp] {
        let e = &s.evaluation;
        assert!(e.is_legal(), "{:?}", e.problems);
        assert_eq!(e.seats_uncovered, 0);
        let c1 = CrewId::new("C1");
        assert!(!s.plan.rosters[&c1].is_empty());
        let verdict = e.crew.iter().find(|v| v.crew == c1).expect("C1 is judged");
        assert!(verdict.violations.is_empty(), "{:?}", verdict.violations);
        assert_eq!(verdict.extensions.len(), 1, "{:?}", verdict.extensions);
        let x = &verdict.extensions[0];
        assert_eq!(
            (x.limit, x.actual),
            (Minutes(14 * 60), Minutes(14 * 60 + 15))
        );
        assert!(x.rule.contains("Table B"), "{}", x.rule);
    }
}

#[test]
fn the_judge_refuses_a_plan_that_flies_a_sick_captain_or_leaves_a_seat_undeclared() {
    let schedule = airline();
    let problem = CrewRecoveryProblem::new(&schedule, disruption(0.05)).unwrap();
    // The plan as if nothing happened: C1 still flies.
    let mut plan = ucodts_model::recovery::crew::CrewRecoveryPlan::default();
    plan.rosters.insert(
        CrewId::new("C1"),
        schedule.roster(&CrewId::new("C1")).cloned().collect(),
    );
    let e = evaluate(&problem, &plan);
    assert!(!e.is_legal());
    assert!(
        e.crew[0].problems.iter().any(|p| matches!(
            p,
            CrewProblem::InDuty {
                fault: DutyFault::OperatesWhileSick { .. },
                ..
            }
        )),
        "{:?}",
        e.crew[0].problems
    );
    assert!(e.crew[0]
        .problems
        .iter()
        .any(|p| p.to_string().contains("is out sick from")));
    // Nobody flies, nothing declared: the gaps are the plan's fault.
    plan.rosters.insert(CrewId::new("C1"), Vec::new());
    let e = evaluate(&problem, &plan);
    assert!(!e.is_legal());
    assert_eq!(e.seats_uncovered, 2);
    assert!(
        e.problems
            .iter()
            .any(|p| matches!(p, CrewProblem::UndeclaredEmptySeats { declared: 0, .. })),
        "{:?}",
        e.problems
    );
    assert!(e
        .problems
        .iter()
        .any(|p| p.to_string().contains("the plan declares 0")));
}
