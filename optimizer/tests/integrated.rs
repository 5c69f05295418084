//! Joint aircraft-then-crew recovery on a few tails of the embedded default: the aircraft plan's leg
//! changes reach the crew side, every crew plan returned is legal, the joint cost is the sum of the two,
//! the crew MILP never makes the joint plan dearer than the greedy repair, uncovered crew positions are fed
//! back to the aircraft side, and the whole loop replays exactly under a stepping clock.

use std::collections::BTreeMap;
use std::num::NonZeroUsize;
use std::sync::OnceLock;
use std::time::Duration;

use ucodts_model::recovery::crew::{
    CrewCostWeights, CrewDisruption, LegChange, ReserveSupply, SickCall,
};
use ucodts_model::recovery::*;
use ucodts_model::{
    CrewId, Date, Leg, LegId, LegStatus, Minutes, Schedule, SegmentKind, UtcMinute,
};
use ucodts_optimizer::crew::{CrewPolicy, GreedyCrewPolicy, MilpCrewPolicy};
use ucodts_optimizer::integrated::{
    crew_input_for, leg_changes, recover_joint, JointOptions, JointPlan,
};
use ucodts_optimizer::{Budget, ConstructivePolicy, SteppingClock};

fn schedule() -> &'static Schedule {
    static SCHEDULE: OnceLock<Schedule> = OnceLock::new();
    SCHEDULE.get_or_init(|| {
        ucodts_datasets::embedded::default_schedule_with_crew()
            .expect("the embedded default loads and gets crew")
    })
}

/// The second day of the default (the first may start mid-rotation).
fn day(s: &Schedule) -> Date {
    let first = s
        .legs()
        .iter()
        .map(|l| l.scheduled_out)
        .min()
        .expect("the default has legs");
    first.date_minute().0.add_days(1)
}

/// When the controllers decide: 14:00Z (10:00 in New York).
fn t0(s: &Schedule) -> UtcMinute {
    UtcMinute::from_date_minute(day(s), 14 * 60)
}

/// The legs of the New York operating day (10:00Z to 08:00Z next day) of the first `tails` tails (by
/// registration) whose legs that day chain up (each leaves from where the previous one landed), with at
/// least three legs, two of them after `t0`.
fn tail_legs(s: &Schedule, tails: usize) -> Vec<Vec<&Leg>> {
    let from = UtcMinute::from_date_minute(day(s), 10 * 60);
    let to = from + Minutes(22 * 60);
    let mut by_tail: BTreeMap<_, Vec<&Leg>> = BTreeMap::new();
    for leg in s.legs() {
        if leg.status == LegStatus::Cancelled || leg.scheduled_out < from || leg.scheduled_out >= to
        {
            continue;
        }
        if let Some(tail) = &leg.tail {
            by_tail.entry(tail.clone()).or_default().push(leg);
        }
    }
    let start = t0(s);
    by_tail
        .into_values()
        .map(|mut legs| {
            legs.sort_by_key(|l| (l.scheduled_out, l.id));
            legs
        })
        .filter(|legs| {
            legs.len() >= 3
                && legs.iter().filter(|l| l.scheduled_out >= start).count() >= 2
                && legs.windows(2).all(|w| {
                    w[0].destination == w[1].origin && w[0].scheduled_in <= w[1].scheduled_out
                })
        })
        .take(tails)
        .collect()
}

/// An aircraft-recovery problem over `rotations`, one aircraft each; flight numbers are the legs' ids.
/// Every leg carries 100 passengers on a booking of its own; nothing is required at the end of the window.
fn aircraft_problem(s: &Schedule, rotations: &[Vec<&Leg>]) -> RecoveryProblem {
    let mut codes: Vec<_> = rotations
        .iter()
        .flatten()
        .flat_map(|l| [l.origin, l.destination])
        .collect();
    codes.sort();
    codes.dedup();
    let at = |code| AirportIdx(codes.binary_search(&code).expect("listed above") as u16);
    let mut routes = RouteTable::new(codes.len());
    let mut flights = Vec::new();
    let mut itineraries = Vec::new();
    let mut aircraft = Vec::new();
    for (a, legs) in rotations.iter().enumerate() {
        aircraft.push(RecoveryAircraft {
            id: legs[0].tail.as_ref().expect("legs with a tail").to_string(),
            model: ModelIdx(0),
            family: FamilyIdx(0),
            seats: SeatConfiguration {
                first: Some(0),
                business: Some(0),
                economy: Some(150),
            },
            range: Minutes(12 * 60),
            cost_per_hour: Cents(190_000),
            turn_round: Minutes(0),
            transit: Minutes(0),
            origin: at(legs[0].origin),
            maintenance: None,
            unavailable: Vec::new(),
            ground_transport: false,
        });
        for leg in legs {
            routes.set(
                at(leg.origin),
                at(leg.destination),
                Route {
                    block_time: leg.scheduled_block(),
                    class: RouteClass::Domestic,
                },
            );
            itineraries.push(Itinerary {
                id: leg.id.0,
                direction: TripDirection::Outbound,
                price: Cents(20_000),
                passengers: 100,
                legs: vec![BookedLeg {
                    flight: FlightIdx(flights.len() as u32),
                    cabin: Cabin::Economy,
                }],
                origin: AirportIdx(0),
                destination: AirportIdx(0),
                scheduled_departure: leg.scheduled_out,
                scheduled_arrival: leg.scheduled_in,
                class: RouteClass::Domestic,
                reference_cabin: Cabin::Economy,
                planned_duration: Minutes(0),
            });
            flights.push(Flight {
                number: leg.id.0,
                date: leg.scheduled_out.date_minute().0,
                origin: at(leg.origin),
                destination: at(leg.destination),
                scheduled_departure: leg.scheduled_out,
                scheduled_arrival: leg.scheduled_in,
                previous_number: None,
                planned_aircraft: AircraftIdx(a as u16),
                disruption: None,
                frozen: false,
            });
        }
    }
    let last = flights
        .iter()
        .map(|f| f.scheduled_arrival)
        .max()
        .expect("rotations are not empty");
    let free = [HourlyCapacity {
        departures: 1_000,
        arrivals: 1_000,
    }; 24];
    let cents = |c: i64| [[Cents(c); 3]; 3];
    RecoveryProblem::new(RecoveryProblemParts {
        window_start: Some(t0(s)),
        window_end: Some(last + Minutes(6 * 60)),
        airports: codes
            .iter()
            .map(|&code| RecoveryAirport {
                code,
                daily_capacity: free,
                cuts: Vec::new(),
            })
            .collect(),
        routes,
        families: vec!["narrowbody".into()],
        models: vec!["narrowbody".into()],
        aircraft,
        flights,
        itineraries,
        positions: Vec::new(),
        costs: Some(CostConfig {
            delay_per_minute: cents(5),
            outbound_cancellation: cents(25_000),
            return_cancellation: cents(75_000),
            downgrade: [[[Cents(0); 3]; 3]; 3],
            position_penalty_family: Cents(2_000_000),
            position_penalty_model: Cents(500_000),
            position_penalty_configuration: Cents(100_000),
            alpha: 1.0,
            beta: 1.0,
            gamma: 1.0,
        }),
    })
    .expect("the small problem is consistent")
}

/// The first flight of aircraft `a` departing at or after `from`.
fn flight_after(problem: &RecoveryProblem, a: usize, from: UtcMinute) -> FlightIdx {
    *problem.planned_rotations[a]
        .iter()
        .find(|&&f| problem.flight(f).scheduled_departure >= from)
        .expect("every chosen tail has two legs after t0")
}

/// Who operates `leg` in the rosters, by crew id.
fn crew_on(s: &Schedule, leg: LegId) -> Vec<CrewId> {
    let pairings: BTreeMap<_, _> = s.pairings().iter().map(|p| (p.id, p)).collect();
    let mut crew: Vec<CrewId> = s
        .rosters()
        .iter()
        .filter(|r| {
            pairings.get(&r.pairing).is_some_and(|p| {
                p.duties
                    .iter()
                    .flat_map(|d| &d.segments)
                    .any(|seg| seg.leg == leg && seg.kind == SegmentKind::Operating)
            })
        })
        .map(|r| r.crew.clone())
        .collect();
    crew.sort();
    crew.dedup();
    crew
}

#[test]
fn an_aircraft_plan_tells_the_crew_side_its_retimed_and_cancelled_legs_but_not_its_tail_swaps() {
    let s = schedule();
    let rotations = tail_legs(s, 3);
    assert_eq!(
        rotations.len(),
        3,
        "the default has three chained tails that day"
    );
    let mut problem = aircraft_problem(s, &rotations);
    let start = t0(s);
    let delayed = flight_after(&problem, 0, start);
    let cancelled = flight_after(&problem, 1, start);
    problem.flights[delayed.index()].disruption = Some(FlightDisruption::Delayed(Minutes(90)));
    problem.flights[cancelled.index()].disruption = Some(FlightDisruption::Cancelled);
    // A flight whose number is a leg of the schedule between other airports is not that leg.
    let stranger = flight_after(&problem, 2, start);
    let mut plan = RecoveryPlan::with_disruptions_applied(&problem);
    let leg_of = |f: FlightIdx| LegId(problem.flight(f).number);
    let (delayed, cancelled) = (leg_of(delayed), leg_of(cancelled));
    let stranger_airports = {
        let f = problem.flight(stranger);
        (
            problem.airport(f.origin).code,
            problem.airport(f.destination).code,
        )
    };
    let other = s
        .legs()
        .iter()
        .find(|l| {
            (l.origin, l.destination) != stranger_airports
                && problem.flights.iter().all(|g| g.number != l.id.0)
        })
        .expect("the default has legs elsewhere");
    problem.flights[stranger.index()].number = other.id.0;
    plan.rotations[2].retain(|l| l.flight != PlanFlight::Planned(stranger));

    let scheduled = s.leg(delayed).expect("a leg of the schedule");
    let mut expected = vec![
        (
            delayed,
            LegChange::Retimed {
                out: scheduled.scheduled_out + Minutes(90),
                arrival: scheduled.scheduled_in + Minutes(90),
            },
        ),
        (cancelled, LegChange::Cancelled),
    ];
    expected.sort_by_key(|(id, _)| *id);
    assert_eq!(leg_changes(&problem, &plan, s), expected);

    // Aircraft 0 and 1 swap their whole rotations: the same legs fly at the same times.
    plan.rotations.swap(0, 1);
    assert_eq!(leg_changes(&problem, &plan, s), expected);
}

#[test]
fn an_imposed_leg_change_wins_over_the_aircraft_plan_and_changes_outside_the_crew_window_are_left_out(
) {
    let s = schedule();
    let case = case();
    let start = case.crew.t0;
    let mut in_window: Vec<&Leg> = s
        .legs()
        .iter()
        .filter(|l| l.scheduled_out >= start && l.scheduled_out < case.crew.window_end)
        .collect();
    in_window.sort_by_key(|l| l.id);
    let before = s
        .legs()
        .iter()
        .find(|l| l.scheduled_out < start)
        .expect("the default has legs before t0");
    let (imposed, retimed, too_early) = (in_window[0], in_window[1], in_window[2]);
    let late = |l: &Leg| LegChange::Retimed {
        out: l.scheduled_out + Minutes(45),
        arrival: l.scheduled_in + Minutes(45),
    };
    let base = CrewDisruption {
        leg_changes: vec![(imposed.id, late(imposed))],
        ..case.crew.clone()
    };
    let from_aircraft = vec![
        (imposed.id, LegChange::Cancelled),
        (retimed.id, late(retimed)),
        (
            too_early.id,
            LegChange::Retimed {
                out: start - Minutes(10),
                arrival: start + Minutes(50),
            },
        ),
        (before.id, LegChange::Cancelled),
    ];
    let merged = crew_input_for(&base, &from_aircraft, s);
    let mut expected = vec![(imposed.id, late(imposed)), (retimed.id, late(retimed))];
    expected.sort_by_key(|(id, _)| *id);
    assert_eq!(merged.leg_changes, expected);
    assert_eq!(merged.sick_calls, base.sick_calls);
}

/// The joint problem: four tails, one leg delayed two hours, and a crew member of a later leg calling sick
/// at `t0` with no reserve anywhere.
struct Case {
    aircraft: RecoveryProblem,
    crew: CrewDisruption,
    sick: CrewId,
}

fn case() -> Case {
    let s = schedule();
    let rotations = tail_legs(s, 4);
    assert_eq!(
        rotations.len(),
        4,
        "the default has four chained tails that day"
    );
    let mut aircraft = aircraft_problem(s, &rotations);
    let start = t0(s);
    let delayed = flight_after(&aircraft, 0, start);
    aircraft.flights[delayed.index()].disruption = Some(FlightDisruption::Delayed(Minutes(120)));
    let later = flight_after(&aircraft, 3, start + Minutes(60));
    let sick = crew_on(s, LegId(aircraft.flight(later).number))
        .into_iter()
        .next()
        .expect("every leg of the default has crew");
    let crew = CrewDisruption {
        t0: start,
        window_end: start + Minutes(18 * 60),
        rule_set: "faa117".into(),
        leg_changes: Vec::new(),
        sick_calls: vec![SickCall {
            crew: sick.clone(),
            from: start,
        }],
        reserves: ReserveSupply {
            share_of_based_crew: 0.0,
            ..ReserveSupply::default()
        },
        costs: CrewCostWeights::default(),
    };
    Case {
        aircraft,
        crew,
        sick,
    }
}

fn run(case: &Case, crew_policy: &dyn CrewPolicy, feedback_rounds: usize) -> Vec<JointPlan> {
    let budget = Budget {
        time_limit: Duration::from_secs(30),
        threads: NonZeroUsize::MIN,
        plans: 2,
    };
    let options = JointOptions {
        feedback_rounds,
        ..JointOptions::default()
    };
    recover_joint(
        &ConstructivePolicy::default(),
        crew_policy,
        &case.aircraft,
        schedule(),
        &case.crew,
        &budget,
        &SteppingClock::new(Duration::from_millis(10)),
        &options,
    )
    .expect("the joint recovery runs")
}

#[test]
fn every_joint_plan_is_legal_costs_the_sum_of_its_parts_and_the_milp_never_costs_more() {
    let case = case();
    let greedy = run(&case, &GreedyCrewPolicy, 0);
    let milp = run(&case, &MilpCrewPolicy, 0);
    assert!(!greedy.is_empty() && greedy.len() == milp.len());
    for plan in greedy.iter().chain(&milp) {
        assert!(
            plan.aircraft.feasible(),
            "{:?}",
            plan.aircraft.evaluation().violations
        );
        assert!(
            plan.crew.evaluation.is_legal(),
            "{:?}",
            plan.crew.evaluation.problems
        );
        let sum = plan.aircraft.cost().euros() + plan.crew.evaluation.cost.total() as f64;
        assert!((plan.cost - sum).abs() < 1e-6, "{} != {sum}", plan.cost);
        // The crew side solved the aircraft plan's changes: the imposed delay reaches it.
        assert!(plan
            .crew_disruption
            .leg_changes
            .iter()
            .any(|(_, c)| matches!(c, LegChange::Retimed { .. })));
        assert!(
            plan.feedback.is_empty(),
            "no feedback rounds were asked for"
        );
    }
    assert_eq!(greedy[0].policy, "constructive+greedy");
    assert_eq!(milp[0].policy, "constructive+milp");
    // The same aircraft plans, in the same order (constructive is deterministic): pair them.
    for (g, m) in greedy.iter().zip(&milp) {
        assert_eq!(g.aircraft.plan(), m.aircraft.plan());
        assert!(
            m.cost <= g.cost + 1e-6,
            "milp {} > greedy {}",
            m.cost,
            g.cost
        );
    }
    for w in milp.windows(2) {
        assert!(w[0].cost <= w[1].cost, "best first");
    }
}

#[test]
fn a_sick_crew_member_without_reserve_is_fed_back_to_the_aircraft_side_and_the_loop_replays() {
    let case = case();
    let first = run(&case, &MilpCrewPolicy, 1);
    let again = run(&case, &MilpCrewPolicy, 1);
    assert!(!first.is_empty());
    for plan in &first {
        assert!(
            plan.crew.evaluation.is_legal(),
            "{:?}",
            plan.crew.evaluation.problems
        );
        assert!(plan
            .crew_disruption
            .sick_calls
            .iter()
            .any(|c| c.crew == case.sick));
    }
    let step = first
        .iter()
        .flat_map(|p| &p.feedback)
        .next()
        .expect("the sick crew member's legs are left uncovered and fed back");
    assert_eq!(step.round, 1);
    assert!(!step.legs.is_empty());
    assert!(
        step.what.starts_with("crew could not cover"),
        "{}",
        step.what
    );
    // Both answers are tried and the round says which one, if either, is kept.
    assert!(
        step.what.contains("nothing changed")
            || (step.what.contains("retimed") && step.what.contains("cancelled")),
        "{}",
        step.what
    );
    assert!(
        step.what.ends_with("kept the retime")
            || step.what.ends_with("kept the cancellation")
            || step.what.ends_with("neither kept")
            || step.what.contains("nothing changed"),
        "{}",
        step.what
    );
    // A kept round leaves a plan that retimes or cancels the fed-back legs, as it says.
    for plan in &first {
        let Some(round) = plan.feedback.first() else {
            continue;
        };
        let changed = |retimed: bool| -> Vec<LegId> {
            plan.crew_disruption
                .leg_changes
                .iter()
                .filter(|(_, c)| matches!(c, LegChange::Retimed { .. }) == retimed)
                .map(|(id, _)| *id)
                .collect()
        };
        if round.what.ends_with("kept the cancellation") {
            assert!(round.legs.iter().any(|l| changed(false).contains(l)));
        }
        if round.what.ends_with("kept the retime") {
            assert!(round.legs.iter().any(|l| changed(true).contains(l)));
        }
    }
    // Replays exactly.
    assert_eq!(first.len(), again.len());
    for (a, b) in first.iter().zip(&again) {
        assert_eq!(a.policy, b.policy);
        assert_eq!(a.aircraft.plan(), b.aircraft.plan());
        assert_eq!(a.crew_disruption, b.crew_disruption);
        assert_eq!(a.crew.plan, b.crew.plan);
        assert_eq!(a.feedback, b.feedback);
        assert_eq!(a.cost, b.cost);
    }
    for plan in &first {
        println!(
            "{}: aircraft {} EUR + crew {} = {:.0}, {} seat(s) uncovered, crew solve {:.2} s",
            plan.policy,
            plan.aircraft.cost(),
            plan.crew.evaluation.cost.total(),
            plan.cost,
            plan.crew.evaluation.seats_uncovered,
            plan.crew.seconds
        );
        for step in &plan.feedback {
            println!("  round {}: {}", step.round, step.what);
        }
    }
}

/// The budget is the budget: a call whose time is spent before the crew side starts still returns whole,
/// judged plans, staffed with the rosters that need no search, and says that the feedback round was not
/// tried. The stepping clock moves a minute per reading against a one-second budget, so the aircraft
/// search has spent it all by the time it returns.
#[test]
fn a_spent_budget_stops_the_crew_search_and_the_feedback_round_and_still_returns_judged_plans() {
    let case = case();
    let budget = Budget {
        time_limit: Duration::from_secs(1),
        threads: NonZeroUsize::MIN,
        plans: 1,
    };
    for policy in [&GreedyCrewPolicy as &dyn CrewPolicy, &MilpCrewPolicy] {
        let plans = recover_joint(
            &ConstructivePolicy::default(),
            policy,
            &case.aircraft,
            schedule(),
            &case.crew,
            &budget,
            &SteppingClock::new(Duration::from_secs(60)),
            &JointOptions::default(),
        )
        .expect("the joint recovery runs");
        assert!(!plans.is_empty(), "{}", policy.name());
        for plan in &plans {
            assert!(plan.crew.cut_at_deadline, "{}", plan.policy);
            assert!(!plan.crew.optimal, "{}", plan.policy);
            // Every affected crew member still has a roster, and the plan is judged as a whole.
            assert!(plan.crew.plan.rosters.contains_key(&case.sick));
            let sum = plan.aircraft.cost().euros() + plan.crew.evaluation.cost.total() as f64;
            assert!((plan.cost - sum).abs() < 1e-6);
            // The sick member's legs stay uncovered and are not sent back: no time is left.
            let step = plan
                .feedback
                .first()
                .unwrap_or_else(|| panic!("{}: {:?}", plan.policy, plan.feedback));
            assert!(
                step.what
                    .ends_with("not sent back to the aircraft side, the time limit was reached"),
                "{}",
                step.what
            );
        }
    }
}

#[test]
fn a_crew_solve_with_time_to_spare_is_not_cut() {
    let case = case();
    for plan in run(&case, &MilpCrewPolicy, 1) {
        assert!(!plan.crew.cut_at_deadline, "{}", plan.policy);
    }
}

/// Crew who change aircraft: when the flight they come off lands late, the flight they operate next waits
/// for them, and its aircraft's later legs follow, as doing nothing would. The wait is a knock-on delay: no
/// decision, no controller action, and the held plan keeps the rules the plan kept.
#[test]
fn a_flight_waits_for_its_crew_and_the_wait_is_no_decision() {
    let s = schedule();
    let rotations = tail_legs(s, 2);
    let problem =
        aircraft_problem(s, &rotations).with_action_prices(ucodts_model::practice::ACTION_PRICES);
    let start = t0(s);
    let dep = |f: FlightIdx| problem.flight(f).scheduled_departure;
    let arr = |f: FlightIdx| problem.flight(f).scheduled_arrival;
    // The last flight of the first tail after t0 whose arrival some flight of the second tail follows.
    let (x, y) = problem.planned_rotations[0]
        .iter()
        .rev()
        .filter(|&&f| dep(f) >= start)
        .find_map(|&x| {
            problem.planned_rotations[1]
                .iter()
                .find(|&&y| dep(y) >= arr(x))
                .map(|&y| (x, y))
        })
        .expect("the second tail flies after one of the first tail's flights lands");
    let need = Minutes(30).min(dep(y) - arr(x));
    let problem = problem
        .clone()
        .with_crew_connections(vec![CrewConnection {
            from: x,
            to: y,
            need,
        }])
        .expect("the connection joins two flights of the problem");
    assert_eq!(problem.crew_feeds(y).len(), 1);
    assert!(problem.crew_feeds(x).is_empty());

    // Nothing late: nothing to hold.
    let on_time = RecoveryPlan::with_disruptions_applied(&problem);
    assert!(ucodts_optimizer::holds::hold_for_crew(&problem, &on_time).is_none());

    // The crew's first flight lands 45 minutes too late for their connection.
    let late = (dep(y) - arr(x)) - need + Minutes(45);
    let mut disrupted = problem.clone();
    disrupted.flights[x.index()].disruption = Some(FlightDisruption::Delayed(late));
    let plan = RecoveryPlan::with_disruptions_applied(&disrupted);
    let held = ucodts_optimizer::holds::hold_for_crew(&disrupted, &plan)
        .expect("the crew's next flight must wait for them");
    let times = |p: &RecoveryPlan, f: FlightIdx| {
        p.rotations
            .iter()
            .flatten()
            .find(|l| l.flight == PlanFlight::Planned(f))
            .map(|l| (l.departure, l.arrival))
            .expect("flown")
    };
    assert_eq!(times(&held, y).0, times(&held, x).1 + need);
    assert_eq!(times(&held, y).0, dep(y) + Minutes(45));
    // The second tail's later legs leave no sooner than the held leg lands.
    let after: Vec<_> = disrupted.planned_rotations[1]
        .iter()
        .skip_while(|&&f| f != y)
        .collect();
    for w in after.windows(2) {
        assert!(times(&held, *w[1]).0 >= times(&held, *w[0]).1);
    }
    let knock_on = knock_on_delays(&disrupted, &held);
    assert!(knock_on[y.index()], "waiting for the crew is no decision");
    let actions = |p: &RecoveryPlan| evaluate(&disrupted, p).cost.controller_actions;
    assert_eq!(
        actions(&held),
        actions(&plan),
        "a hold costs no controller action"
    );
}
