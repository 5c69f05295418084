//! The exact MILP and the large-neighbourhood search on a small instance built by hand, whose optimum is
//! worked out below; and on the challenge's A01 when `../shared` is present.

mod common;

use std::path::Path;
use std::time::Duration;

use ucodts_model::recovery::*;
use ucodts_model::time::{Date, Minutes, UtcMinute};
use ucodts_model::AirportCode;
use ucodts_optimizer::milp::{self, Neighbourhood, PassengerIndex, SolveOptions};
use ucodts_optimizer::{recover, Budget, ConstructivePolicy, LnsPolicy, MilpPolicy, SteppingClock};

const CDG: u16 = 0;
const NCE: u16 = 1;
const TLS: u16 = 2;
const A: u16 = 0;
const B: u16 = 1;
const C: u16 = 2;

fn day() -> Date {
    Date::new(2006, 1, 7).expect("a valid date")
}

fn at(hour: i64, minute: i64) -> UtcMinute {
    UtcMinute::from_date_minute(day(), hour * 60 + minute)
}

/// Three A320s at 2,000 EUR per block hour, 30 minutes turn-round, A and B with 150 economy seats, C with 160:
/// - A (starts at CDG) flies 1 CDG-NCE 08:00, 2 NCE-CDG 10:00, 3 CDG-NCE 12:00, 4 NCE-CDG 14:00;
/// - B (starts at CDG) flies 5 CDG-TLS 09:00, 6 TLS-CDG 11:00, 7 CDG-TLS 16:00, 8 TLS-CDG 18:00;
/// - C (starts at TLS) flies 9 TLS-CDG 07:40, 10 CDG-TLS 20:00.
///
/// Every leg takes 60 minutes and carries one booking of 100 economy passengers (outbound, domestic,
/// 100 EUR). The disruption: A breaks down for the whole window (06:00 to 04:00 the next day).
/// End-of-window positions ask for the planned ends: two 150-seat A320s at CDG and the 160-seat one at TLS
/// (1,000 EUR per aircraft of the wrong configuration).
fn three_tails() -> RecoveryProblem {
    let airport = |code: &str| RecoveryAirport {
        code: AirportCode::new(code).expect("a valid code"),
        daily_capacity: [HourlyCapacity {
            departures: 10,
            arrivals: 10,
        }; 24],
        cuts: Vec::new(),
    };
    let mut routes = RouteTable::new(3);
    for o in 0..3 {
        for d in 0..3 {
            if o != d {
                routes.set(
                    AirportIdx(o),
                    AirportIdx(d),
                    Route {
                        block_time: Minutes(60),
                        class: RouteClass::Domestic,
                    },
                );
            }
        }
    }
    let seats = |economy: u32| SeatConfiguration {
        first: Some(0),
        business: Some(0),
        economy: Some(economy),
    };
    let tail =
        |id: &str, origin: u16, economy: u32, unavailable: Vec<Unavailability>| RecoveryAircraft {
            id: id.into(),
            model: ModelIdx(0),
            family: FamilyIdx(0),
            seats: seats(economy),
            range: Minutes(600),
            cost_per_hour: Cents(200_000),
            turn_round: Minutes(30),
            transit: Minutes(30),
            origin: AirportIdx(origin),
            maintenance: None,
            unavailable,
            ground_transport: false,
        };
    let flight =
        |number: u32, origin: u16, destination: u16, hour: i64, minute: i64, aircraft: u16| {
            Flight {
                number,
                date: day(),
                origin: AirportIdx(origin),
                destination: AirportIdx(destination),
                scheduled_departure: at(hour, minute),
                scheduled_arrival: at(hour, minute) + Minutes(60),
                previous_number: None,
                planned_aircraft: AircraftIdx(aircraft),
                disruption: None,
                frozen: false,
            }
        };
    let flights = vec![
        flight(1, CDG, NCE, 8, 0, A),
        flight(2, NCE, CDG, 10, 0, A),
        flight(3, CDG, NCE, 12, 0, A),
        flight(4, NCE, CDG, 14, 0, A),
        flight(5, CDG, TLS, 9, 0, B),
        flight(6, TLS, CDG, 11, 0, B),
        flight(7, CDG, TLS, 16, 0, B),
        flight(8, TLS, CDG, 18, 0, B),
        flight(9, TLS, CDG, 7, 40, C),
        flight(10, CDG, TLS, 20, 0, C),
    ];
    let itineraries = (0..flights.len())
        .map(|i| Itinerary {
            id: i as u32 + 1,
            direction: TripDirection::Outbound,
            price: Cents(10_000),
            passengers: 100,
            legs: vec![BookedLeg {
                flight: FlightIdx(i as u32),
                cabin: Cabin::Economy,
            }],
            origin: AirportIdx(0),
            destination: AirportIdx(0),
            scheduled_departure: UtcMinute(0),
            scheduled_arrival: UtcMinute(0),
            class: RouteClass::Domestic,
            reference_cabin: Cabin::Economy,
            planned_duration: Minutes(0),
        })
        .collect();
    let position = |airport: u16, economy: u32, count: u32| PositionRequirement {
        airport: AirportIdx(airport),
        model: ModelIdx(0),
        family: FamilyIdx(0),
        seats: seats(economy),
        count,
    };
    let window_end = UtcMinute::from_date_minute(day().add_days(1), 4 * 60);
    RecoveryProblem::new(RecoveryProblemParts {
        window_start: Some(at(6, 0)),
        window_end: Some(window_end),
        airports: vec![airport("CDG"), airport("NCE"), airport("TLS")],
        routes,
        families: vec!["Airbus".into()],
        models: vec!["A320".into()],
        aircraft: vec![
            tail(
                "A320#1",
                CDG,
                150,
                vec![Unavailability {
                    from: at(6, 0),
                    to: window_end,
                }],
            ),
            tail("A320#2", CDG, 150, Vec::new()),
            tail("A320#3", TLS, 160, Vec::new()),
        ],
        flights,
        itineraries,
        positions: vec![position(CDG, 150, 2), position(TLS, 160, 1)],
        costs: Some(CostConfig {
            // the challenge's tables for economy, domestic (config.csv of every instance)
            delay_per_minute: [[Cents(5); 3]; 3],
            outbound_cancellation: [[Cents(25_000); 3]; 3],
            return_cancellation: [[Cents(75_000); 3]; 3],
            downgrade: [[[Cents(0); 3]; 3]; 3],
            position_penalty_family: Cents(2_000_000),
            position_penalty_model: Cents(500_000),
            position_penalty_configuration: Cents(100_000),
            alpha: 1.0,
            beta: 1.0,
            gamma: 1.0,
        }),
    })
    .expect("a consistent problem")
}

fn numbers(problem: &RecoveryProblem, rotation: &[OperatedLeg]) -> Vec<(u32, UtcMinute)> {
    rotation
        .iter()
        .map(|leg| match leg.flight {
            PlanFlight::Planned(f) => (problem.flight(f).number, leg.departure),
            PlanFlight::New(_) => (0, leg.departure),
        })
        .collect()
}

/// The optimum, by hand. A flies nothing. Flight 1 (CDG 08:00) needs a tail at CDG by 08:00: only B is
/// there (C lands from TLS at 08:40 and is ready at 09:10). Flight 5 (CDG 09:00) then needs B too, or C
/// from 09:10. So one of them departs late:
/// - B flies 1, 2, 3, 4 on time (NCE 09:00, ready 09:30 for 2 at 10:00, and so on); C flies 9, then 5 at
///   09:10 (10 minutes late), 6 at 11:00 (at TLS 10:10, ready 10:40), 7, 8 and 10 on time. Cost: 100
///   passengers x 0.05 EUR x 10 minutes = 50.00 EUR (no compensation under 120 minutes).
/// - B flies 5 on time and C flies 1 at 09:10: 70 minutes late, 350.00 EUR.
/// - Cancelling any leg costs 100 x (100 ticket + 250 compensation + 250 trip) - 2,000 operating = 58,000.
///
/// Tail swaps within the family cost nothing (same hourly cost). In the first plan B, back at CDG at
/// 15:00, could also fly 10 (CDG 20:00) instead of C; but then B (150 seats) ends at TLS and C (160)
/// at CDG: two aircraft of the wrong configuration, 2,000.00 EUR. With C flying 10 the ends are A and B
/// at CDG and C at TLS, as required. So the optimum is 50.00 EUR, and only one plan reaches it.
#[test]
fn milp_proves_the_hand_computed_optimum_of_a_breakdown() {
    let problem = three_tails();
    let passengers = PassengerIndex::new(&problem);
    let start = RecoveryPlan::with_disruptions_applied(&problem);
    let neighbourhood = Neighbourhood {
        aircraft: vec![AircraftIdx(A), AircraftIdx(B), AircraftIdx(C)],
        from: problem.window_start,
        to: problem.window_end,
    };
    let repair = milp::repair(
        &problem,
        &passengers,
        &start,
        &neighbourhood,
        SolveOptions::default(),
    )
    .expect("HiGHS runs")
    .expect("a plan exists");
    assert!(repair.proven_optimal, "HiGHS proves optimality on ten legs");
    let plan = repair.plan;
    assert!(
        plan.rotations[A as usize].is_empty(),
        "the broken tail flies nothing"
    );
    assert_eq!(
        numbers(&problem, &plan.rotations[B as usize]),
        vec![
            (1, at(8, 0)),
            (2, at(10, 0)),
            (3, at(12, 0)),
            (4, at(14, 0))
        ]
    );
    assert_eq!(
        numbers(&problem, &plan.rotations[C as usize]),
        vec![
            (9, at(7, 40)),
            (5, at(9, 10)),
            (6, at(11, 0)),
            (7, at(16, 0)),
            (8, at(18, 0)),
            (10, at(20, 0))
        ]
    );
    assert!(plan.cancelled.is_empty());
    let evaluation = evaluate(&problem, &plan);
    assert!(evaluation.feasible, "{:?}", evaluation.violations);
    assert_eq!(evaluation.cost.total, Cents(5_000));
}

#[test]
fn milp_and_lns_policies_reach_the_optimum_through_the_trait() {
    let problem = three_tails();
    for policy in [
        Box::new(MilpPolicy::default()) as Box<dyn ucodts_optimizer::RecoveryPolicy>,
        Box::new(LnsPolicy {
            max_iterations: 20,
            ..LnsPolicy::default()
        }),
    ] {
        let mut incumbents = Vec::new();
        let clock = SteppingClock::new(Duration::from_millis(1));
        let budget = Budget::seconds(30);
        let recovery = recover(policy.as_ref(), &problem, &budget, &clock, &mut |i| {
            incumbents.push(i.cost)
        })
        .expect("the policy runs");
        let best = recovery.best().expect("a plan");
        assert!(best.feasible(), "{}", policy.name());
        assert_eq!(best.cost(), Cents(5_000), "{}", policy.name());
        // anytime: every reported incumbent improves on the one before
        assert!(incumbents.windows(2).all(|w| w[1] < w[0]), "{incumbents:?}");
        assert_eq!(incumbents.last(), Some(&Cents(5_000)));
    }
}

fn a01() -> Option<RecoveryProblem> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/benchmarks/roadef2009/instances/A01");
    if !dir.join("flights.csv").is_file() {
        common::skip(
            &format!("ROADEF 2009 instance A01 is not at {}", dir.display()),
            "README.md says where the benchmark instances come from",
        );
        return None;
    }
    Some(ucodts_datasets::roadef2009::load(&dir).expect("A01 loads"))
}

#[test]
fn lns_on_a01_is_feasible_and_no_worse_than_the_constructive_plan() {
    let Some(problem) = a01() else { return };
    let budget = Budget::seconds(20);
    let constructive = recover(
        &ConstructivePolicy::default(),
        &problem,
        &budget,
        &SteppingClock::new(Duration::from_millis(1)),
        &mut |_| {},
    )
    .expect("constructive runs");
    let constructive_cost = constructive.best().expect("a plan").cost();
    // a stepping clock makes the number of neighbourhoods the same on every machine
    let lns = LnsPolicy {
        max_iterations: 6,
        max_solve: Duration::from_secs(5),
        ..LnsPolicy::default()
    };
    let recovery = recover(
        &lns,
        &problem,
        &budget,
        &SteppingClock::new(Duration::from_millis(1)),
        &mut |_| {},
    )
    .expect("lns runs");
    let best = recovery.best().expect("a plan");
    assert!(
        best.feasible(),
        "{:?}",
        best.evaluation().violations.first()
    );
    assert!(
        best.cost() <= constructive_cost,
        "{} > {}",
        best.cost(),
        constructive_cost
    );
    let check = evaluate(&problem, best.plan());
    assert!(check.feasible);
    assert_eq!(check.cost.total, best.cost());
}

#[test]
fn lns_on_a_work_budget_gives_the_same_plan_on_a_fast_and_on_a_loaded_machine() {
    let Some(problem) = a01() else { return };
    // A work budget of 6 neighbourhoods solved in 20 s; at most 40 drawn without it.
    let lns = LnsPolicy {
        max_iterations: 40,
        max_solve: Duration::from_secs(5),
        neighbourhoods_per_second: Some(0.3),
        ..LnsPolicy::default()
    };
    let budget = Budget::seconds(20);
    // A fast machine reads 1 ms per look at the clock; a loaded one 500 ms, so a search bounded by the
    // clock alone gets through far fewer neighbourhoods there.
    let run = |step_ms: u64| {
        recover(
            &lns,
            &problem,
            &budget,
            &SteppingClock::new(Duration::from_millis(step_ms)),
            &mut |_| {},
        )
        .expect("lns runs")
        .best()
        .expect("a plan")
        .clone()
    };
    let (fast, loaded) = (run(1), run(500));
    assert!(fast.feasible());
    assert_eq!(fast.cost(), loaded.cost());
    assert!(
        fast.plan() == loaded.plan(),
        "the same cost, not the same plan"
    );
}
