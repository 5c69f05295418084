//! The constructive heuristic and the policy contract on small constructed instances (every rule the
//! heuristic must respect, one at a time) and on the ROADEF 2009 instance A01 when ../shared is present.

mod common;

use std::path::Path;
use std::time::Duration;

use ucodts_model::recovery::*;
use ucodts_model::time::{Date, Minutes, UtcMinute};
use ucodts_model::AirportCode;
use ucodts_optimizer::constructive::construct;
use ucodts_optimizer::{recover, Budget, ConstructivePolicy, Recovery, SteppingClock, WallClock};

fn day() -> Date {
    Date::new(2006, 1, 7).expect("a valid date")
}

fn at(hour: i64, minute: i64) -> UtcMinute {
    UtcMinute::from_date_minute(day(), hour * 60 + minute)
}

/// A small network: CDG (0), NCE (1), TLS (2); one-hour routes everywhere; airports open all day with
/// `capacity` movements per hour each way.
struct Builder {
    parts: RecoveryProblemParts,
}

impl Builder {
    fn new(capacity: u32) -> Builder {
        let airport = |code: &str| RecoveryAirport {
            code: AirportCode::new(code).expect("a valid code"),
            daily_capacity: [HourlyCapacity {
                departures: capacity,
                arrivals: capacity,
            }; 24],
            cuts: Vec::new(),
        };
        let mut routes = RouteTable::new(3);
        for o in 0..3 {
            for d in 0..3 {
                if o != d {
                    let route = Route {
                        block_time: Minutes(60),
                        class: RouteClass::Domestic,
                    };
                    routes.set(AirportIdx(o), AirportIdx(d), route);
                }
            }
        }
        Builder {
            parts: RecoveryProblemParts {
                window_start: Some(at(6, 0)),
                window_end: Some(at(23, 59)),
                airports: vec![airport("CDG"), airport("NCE"), airport("TLS")],
                routes,
                families: vec!["Airbus".into(), "Boeing".into()],
                models: vec!["A320".into(), "B737".into()],
                aircraft: Vec::new(),
                flights: Vec::new(),
                itineraries: Vec::new(),
                positions: Vec::new(),
                costs: Some(CostConfig {
                    delay_per_minute: [[Cents(5); 3]; 3],
                    outbound_cancellation: [[Cents(25_000); 3]; 3],
                    return_cancellation: [[Cents(75_000); 3]; 3],
                    downgrade: [[[Cents(15_000); 3]; 3]; 3],
                    position_penalty_family: Cents(2_000_000),
                    position_penalty_model: Cents(500_000),
                    position_penalty_configuration: Cents(100_000),
                    alpha: 1.0,
                    beta: 1.0,
                    gamma: 1.0,
                }),
            },
        }
    }

    /// An aircraft of family 0 (A320, 150 economy seats, 30-minute turns) starting at `origin`.
    fn aircraft(&mut self, id: &str, origin: u16, family: u16) -> AircraftIdx {
        self.parts.aircraft.push(RecoveryAircraft {
            id: id.into(),
            model: ModelIdx(family),
            family: FamilyIdx(family),
            seats: SeatConfiguration {
                first: Some(0),
                business: Some(0),
                economy: Some(150),
            },
            range: Minutes(300),
            cost_per_hour: Cents(200_000),
            turn_round: Minutes(30),
            transit: Minutes(30),
            origin: AirportIdx(origin),
            maintenance: None,
            unavailable: Vec::new(),
            ground_transport: false,
        });
        AircraftIdx((self.parts.aircraft.len() - 1) as u16)
    }

    /// A one-hour flight leaving at `hour:minute`.
    fn flight(
        &mut self,
        number: u32,
        o: u16,
        d: u16,
        hour: i64,
        minute: i64,
        tail: AircraftIdx,
    ) -> FlightIdx {
        self.parts.flights.push(Flight {
            number,
            date: day(),
            origin: AirportIdx(o),
            destination: AirportIdx(d),
            scheduled_departure: at(hour, minute),
            scheduled_arrival: at(hour, minute) + Minutes(60),
            previous_number: None,
            planned_aircraft: tail,
            disruption: None,
            frozen: false,
        });
        FlightIdx((self.parts.flights.len() - 1) as u32)
    }

    fn disrupt(&mut self, f: FlightIdx, disruption: FlightDisruption) {
        self.parts.flights[f.index()].disruption = Some(disruption);
    }

    fn booking(&mut self, id: u32, passengers: u32, legs: &[FlightIdx]) {
        self.parts.itineraries.push(Itinerary {
            id,
            direction: TripDirection::Outbound,
            price: Cents(20_000),
            passengers,
            legs: legs
                .iter()
                .map(|&flight| BookedLeg {
                    flight,
                    cabin: Cabin::Economy,
                })
                .collect(),
            origin: AirportIdx(0),
            destination: AirportIdx(0),
            scheduled_departure: UtcMinute(0),
            scheduled_arrival: UtcMinute(0),
            class: RouteClass::Domestic,
            reference_cabin: Cabin::Economy,
            planned_duration: Minutes(0),
        });
    }

    fn build(self) -> RecoveryProblem {
        RecoveryProblem::new(self.parts).expect("a consistent test problem")
    }
}

fn solve(problem: &RecoveryProblem) -> Recovery {
    recover(
        &ConstructivePolicy::default(),
        problem,
        &Budget::seconds(10),
        &WallClock::start(),
        &mut |_| {},
    )
    .expect("the constructive policy does not fail")
}

fn departure_of(plan: &RecoveryPlan, f: FlightIdx) -> Option<UtcMinute> {
    plan.rotations
        .iter()
        .flatten()
        .find(|l| l.flight == PlanFlight::Planned(f))
        .map(|l| l.departure)
}

#[test]
fn every_plan_that_leaves_the_optimizer_was_checked_and_is_feasible() {
    let mut b = Builder::new(5);
    let a = b.aircraft("A320#1", 0, 0);
    let out = b.flight(10, 0, 1, 8, 0, a);
    let back = b.flight(11, 1, 0, 10, 0, a);
    b.disrupt(out, FlightDisruption::Delayed(Minutes(45)));
    b.booking(1, 100, &[out]);
    b.booking(2, 80, &[back]);
    let problem = b.build();
    let mut incumbents = Vec::new();
    let recovery = recover(
        &ConstructivePolicy::default(),
        &problem,
        &Budget {
            plans: 3,
            ..Budget::seconds(10)
        },
        &WallClock::start(),
        &mut |i| incumbents.push(i.cost),
    )
    .expect("no solver error");
    assert!(!recovery.plans.is_empty());
    for checked in &recovery.plans {
        let again = evaluate(&problem, checked.plan());
        assert!(again.feasible, "{:?}", again.violations);
        assert!(checked.feasible());
        assert_eq!(again.cost.total, checked.cost());
    }
    // Ranked cheapest first; each reported incumbent improves on the one before.
    let costs: Vec<Cents> = recovery.plans.iter().map(|p| p.cost()).collect();
    assert!(costs.windows(2).all(|w| w[0] < w[1]), "{costs:?}");
    assert!(incumbents.windows(2).all(|w| w[1] < w[0]), "{incumbents:?}");
    assert_eq!(incumbents.last(), costs.first());
}

#[test]
fn an_imposed_delay_propagates_to_the_next_leg_of_the_same_aircraft() {
    let mut b = Builder::new(5);
    let a = b.aircraft("A320#1", 0, 0);
    let out = b.flight(10, 0, 1, 8, 0, a);
    let back = b.flight(11, 1, 0, 9, 30, a);
    b.disrupt(out, FlightDisruption::Delayed(Minutes(45)));
    b.booking(1, 100, &[back]);
    let problem = b.build();
    let recovery = solve(&problem);
    let best = recovery.best().expect("a plan");
    assert!(best.feasible(), "{:?}", best.evaluation().violations);
    let plan = best.plan();
    assert_eq!(departure_of(plan, out), Some(at(8, 45)));
    // Lands 09:45, turns in 30 minutes: the return leaves 10:15 instead of 09:30, with its passengers.
    assert_eq!(departure_of(plan, back), Some(at(10, 15)));
    assert_eq!(plan.passengers.len(), 1);
    assert!(!plan.passengers[0].cancelled);
}

#[test]
fn a_full_hour_pushes_the_later_ready_flight_into_the_next_hour() {
    let mut b = Builder::new(1);
    let a = b.aircraft("A320#1", 0, 0);
    let c = b.aircraft("A320#2", 0, 0);
    let first = b.flight(10, 0, 1, 8, 0, a);
    let second = b.flight(20, 0, 2, 8, 10, c);
    b.flight(11, 1, 0, 12, 0, a);
    let second_back = b.flight(21, 2, 0, 14, 0, c);
    // Passengers on board, so cancelling costs more than a 50-minute delay.
    b.booking(1, 100, &[first]);
    b.booking(2, 100, &[second]);
    b.booking(3, 100, &[second_back]);
    // The plan had two departures from CDG between 08:00 and 09:00; capacity is one.
    let problem = b.build();
    let best = solve(&problem);
    let best = best.best().expect("a plan");
    assert!(best.feasible(), "{:?}", best.evaluation().violations);
    assert_eq!(departure_of(best.plan(), first), Some(at(8, 0)));
    assert_eq!(departure_of(best.plan(), second), Some(at(9, 0)));
}

#[test]
fn an_imposed_cancellation_ferries_the_aircraft_to_its_next_leg_and_rebooks_passengers() {
    let mut b = Builder::new(5);
    let a = b.aircraft("A320#1", 0, 0);
    let c = b.aircraft("A320#2", 0, 0);
    let out = b.flight(10, 0, 1, 8, 0, a);
    let back = b.flight(11, 1, 0, 10, 0, a);
    let later = b.flight(20, 0, 1, 11, 0, c);
    b.flight(21, 1, 0, 13, 0, c);
    b.disrupt(out, FlightDisruption::Cancelled);
    b.booking(1, 100, &[out]);
    b.booking(2, 90, &[back]);
    let problem = b.build();
    let recovery = solve(&problem);
    let best = recovery.best().expect("a plan");
    assert!(best.feasible(), "{:?}", best.evaluation().violations);
    let plan = best.plan();
    assert_eq!(departure_of(plan, out), None);
    assert!(plan.cancelled.contains(&out));
    // An empty positioning flight CDG-NCE brings the aircraft to its return leg, which flies on time.
    assert_eq!(plan.new_flights.len(), 1);
    assert_eq!(
        (plan.new_flights[0].origin, plan.new_flights[0].destination),
        (AirportIdx(0), AirportIdx(1))
    );
    assert!(plan.new_flights[0].number > problem.max_flight_number);
    assert_eq!(departure_of(plan, back), Some(at(10, 0)));
    // The 100 passengers of the cancelled leg take the 11:00 flight of the other aircraft.
    let line = plan
        .passengers
        .iter()
        .find(|l| problem.itinerary(l.itinerary).id == 1)
        .expect("a line for booking 1");
    assert_eq!(line.passengers, 100);
    assert!(!line.cancelled);
    assert_eq!(
        line.legs,
        vec![PassengerLeg {
            flight: PlanFlight::Planned(later),
            cabin: Cabin::Economy
        }]
    );
}

#[test]
fn without_a_ferry_route_the_round_trip_is_cancelled_and_the_aircraft_stays_put() {
    let mut b = Builder::new(5);
    // No route CDG-NCE for a ferry.
    let mut routes = RouteTable::new(3);
    for (o, d) in [(1, 0), (0, 2), (2, 0), (1, 2), (2, 1)] {
        let route = Route {
            block_time: Minutes(60),
            class: RouteClass::Domestic,
        };
        routes.set(AirportIdx(o), AirportIdx(d), route);
    }
    b.parts.routes = routes;
    let a = b.aircraft("A320#1", 0, 0);
    let out = b.flight(10, 0, 1, 8, 0, a);
    let back = b.flight(11, 1, 0, 10, 0, a);
    let next = b.flight(12, 0, 2, 12, 0, a);
    b.flight(13, 2, 0, 14, 0, a);
    b.disrupt(out, FlightDisruption::Cancelled);
    let problem = b.build();
    let recovery = solve(&problem);
    let best = recovery.best().expect("a plan");
    assert!(best.feasible(), "{:?}", best.evaluation().violations);
    let plan = best.plan();
    assert!(plan.new_flights.is_empty());
    assert!(plan.cancelled.contains(&out) && plan.cancelled.contains(&back));
    assert_eq!(departure_of(plan, next), Some(at(12, 0)));
}

#[test]
fn a_broken_connection_is_rebooked_and_a_full_flight_splits_the_group() {
    let mut b = Builder::new(5);
    let a = b.aircraft("A320#1", 0, 0);
    let c = b.aircraft("A320#2", 1, 0);
    let d = b.aircraft("A320#3", 1, 0);
    let feeder = b.flight(10, 0, 1, 8, 0, a);
    b.flight(11, 1, 0, 10, 0, a);
    let connection = b.flight(20, 1, 2, 9, 30, c);
    b.flight(21, 2, 1, 12, 0, c);
    let later = b.flight(30, 1, 2, 14, 0, d);
    b.flight(31, 2, 1, 16, 0, d);
    b.disrupt(feeder, FlightDisruption::Delayed(Minutes(30)));
    // 10 passengers CDG-NCE-TLS; the later NCE-TLS flight has room for 6 of them only.
    b.booking(1, 10, &[feeder, connection]);
    b.booking(2, 144, &[later]);
    let problem = b.build();
    let recovery = solve(&problem);
    let best = recovery.best().expect("a plan");
    assert!(best.feasible(), "{:?}", best.evaluation().violations);
    let lines: Vec<&PassengerLine> = best
        .plan()
        .passengers
        .iter()
        .filter(|l| problem.itinerary(l.itinerary).id == 1)
        .collect();
    let rebooked: u32 = lines
        .iter()
        .filter(|l| !l.cancelled)
        .map(|l| l.passengers)
        .sum();
    let cancelled: u32 = lines
        .iter()
        .filter(|l| l.cancelled)
        .map(|l| l.passengers)
        .sum();
    assert_eq!((rebooked, cancelled), (6, 4));
    let via_later = lines
        .iter()
        .find(|l| !l.cancelled)
        .expect("a rebooked line");
    assert_eq!(via_later.legs[1].flight, PlanFlight::Planned(later));
}

#[test]
fn no_aircraft_of_a_family_left_gives_cancellations_not_a_panic() {
    let mut b = Builder::new(5);
    let airbus = b.aircraft("A320#1", 0, 0);
    let boeing = b.aircraft("B737#1", 0, 1);
    let out = b.flight(10, 0, 1, 8, 0, boeing);
    let back = b.flight(11, 1, 0, 10, 0, boeing);
    let other = b.flight(20, 0, 2, 9, 0, airbus);
    b.flight(21, 2, 0, 11, 0, airbus);
    b.booking(1, 100, &[out]);
    b.booking(2, 100, &[back]);
    // The only Boeing is broken down for the whole window.
    b.parts.aircraft[boeing.index()]
        .unavailable
        .push(Unavailability {
            from: at(6, 0),
            to: at(23, 59),
        });
    let problem = b.build();
    let recovery = solve(&problem);
    let best = recovery.best().expect("a plan");
    assert!(best.feasible(), "{:?}", best.evaluation().violations);
    let plan = best.plan();
    assert!(plan.rotations[boeing.index()].is_empty());
    assert!(plan.cancelled.contains(&out) && plan.cancelled.contains(&back));
    assert_eq!(departure_of(plan, other), Some(at(9, 0)));
    // Nothing else goes to NCE: the two passes cancel both trips, and the policy carries a passenger only
    // on flights it creates (an out-and-back of the Airbus).
    let passes = construct(&problem, None);
    assert!(passes.passengers.iter().all(|l| l.cancelled));
    assert!(plan.passengers.iter().all(|l| {
        l.cancelled
            || l.legs
                .iter()
                .all(|leg| matches!(leg.flight, PlanFlight::New(_)))
    }));
}

#[test]
fn a_search_cut_off_by_the_clock_still_returns_its_first_plan_and_repeats_exactly() {
    let mut b = Builder::new(1);
    let a = b.aircraft("A320#1", 0, 0);
    let c = b.aircraft("A320#2", 0, 0);
    let out = b.flight(10, 0, 1, 8, 0, a);
    b.flight(11, 1, 0, 10, 0, a);
    b.flight(20, 0, 1, 8, 0, c);
    b.flight(21, 1, 0, 10, 0, c);
    b.disrupt(out, FlightDisruption::Delayed(Minutes(200)));
    b.booking(1, 100, &[out]);
    let problem = b.build();
    let run = || {
        // Each clock reading is one "second"; the budget is two of them.
        let clock = SteppingClock::new(Duration::from_secs(1));
        let budget = Budget::seconds(2);
        let r = recover(
            &ConstructivePolicy::default(),
            &problem,
            &budget,
            &clock,
            &mut |_| {},
        )
        .expect("no solver error");
        let best = r.best().expect("the first plan is always built");
        (r.offers, best.cost(), best.plan().clone())
    };
    let first = run();
    assert!(first.0 >= 1 && first.0 < ConstructivePolicy::default().tolerances.len());
    assert_eq!(first, run());
    assert_eq!(construct(&problem, None), construct(&problem, None));
}

/// The instance folder of ../shared, or `None` (after [`common::skip`]) where the data is absent.
fn shared_instance(name: &str) -> Option<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/benchmarks/roadef2009/instances")
        .join(name);
    if dir.join("flights.csv").is_file() {
        Some(dir)
    } else {
        common::skip(
            &format!("ROADEF 2009 instance {name} is not at {}", dir.display()),
            "README.md says where the benchmark instances come from",
        );
        None
    }
}

#[test]
fn a01_gets_a_feasible_plan_cheaper_than_the_naive_repair() {
    let Some(dir) = shared_instance("A01") else {
        return;
    };
    let problem = ucodts_datasets::roadef2009::load(&dir).expect("A01 loads");
    let recovery = solve(&problem);
    let best = recovery.best().expect("a plan");
    assert!(best.feasible(), "{:?}", best.evaluation().violations);
    // The reference checker's --trivial repair costs 515,253.70 on A01 (SPEC.md §5.4).
    assert!(best.cost() < Cents(51_525_370), "cost {}", best.cost());
}

/// A round trip CDG-NCE-TLS-NCE-CDG whose first leg has flown when the plan is made and whose NCE-TLS
/// leg is cancelled; another aircraft flies NCE-TLS an hour later, then TLS-NCE and NCE-CDG. With
/// `later_ride` false there is no NCE-TLS flight left to take.
fn round_trip_with_its_stop_cancelled(later_ride: bool) -> (RecoveryProblem, [FlightIdx; 5]) {
    let mut b = Builder::new(5);
    let a = b.aircraft("A320#1", 0, 0);
    let c = b.aircraft("A320#2", 1, 0);
    let d = b.aircraft("A320#3", 1, 0);
    let out = b.flight(10, 0, 1, 5, 0, a);
    let to_stop = b.flight(20, 1, 2, 10, 0, c);
    let ride = b.flight(30, if later_ride { 1 } else { 0 }, 2, 11, 0, d);
    let back = b.flight(31, 2, 1, 14, 0, d);
    let home = b.flight(32, 1, 0, 18, 0, d);
    b.disrupt(to_stop, FlightDisruption::Cancelled);
    b.booking(1, 10, &[out, to_stop, back, home]);
    (b.build(), [out, to_stop, ride, back, home])
}

fn lines_of(plan: &RecoveryPlan, problem: &RecoveryProblem, id: u32) -> Vec<PassengerLine> {
    plan.passengers
        .iter()
        .filter(|l| problem.itinerary(l.itinerary).id == id)
        .cloned()
        .collect()
}

#[test]
fn under_honest_rules_a_round_trip_passenger_is_taken_to_the_booked_stop_not_straight_home() {
    let (official, [out, _, ride, back, home]) = round_trip_with_its_stop_cancelled(true);
    // The challenge's rules: flown home from NCE, TLS skipped, and counted as arrived.
    let recovery = solve(&official);
    let best = recovery.best().expect("a plan");
    let lines = lines_of(best.plan(), &official, 1);
    assert_eq!(lines.len(), 1);
    let flown: Vec<PlanFlight> = lines[0].legs.iter().map(|l| l.flight).collect();
    assert_eq!(flown, [out, home].map(PlanFlight::Planned));
    assert!(skips_a_booked_stop(&official, best.plan(), &lines[0]));

    // Honest rules: the rebooking goes through TLS on the later flight, and the problem prices by them.
    let honest = official.clone().with_cost_rules(CostRules::HONEST);
    let recovery = solve(&honest);
    let best = recovery.best().expect("a plan");
    assert!(best.feasible(), "{:?}", best.evaluation().violations);
    let lines = lines_of(best.plan(), &honest, 1);
    assert_eq!(lines.len(), 1);
    let flown: Vec<PlanFlight> = lines[0].legs.iter().map(|l| l.flight).collect();
    assert_eq!(flown, [out, ride, back, home].map(PlanFlight::Planned));
    assert!(!lines[0].cancelled && !skips_a_booked_stop(&honest, best.plan(), &lines[0]));
    assert_eq!(
        evaluate(&honest, best.plan()).cost,
        evaluate_with(&honest, best.plan(), CostRules::HONEST).cost
    );
}

#[test]
fn under_honest_rules_a_round_trip_that_cannot_reach_its_stop_is_cancelled_and_takes_no_seat() {
    let (official, [out, _, _, _, home]) = round_trip_with_its_stop_cancelled(false);
    // The challenge's rules fly them home from NCE.
    let best = solve(&official).best().expect("a plan").plan().clone();
    let lines = lines_of(&best, &official, 1);
    assert_eq!(lines.len(), 1);
    assert!(!lines[0].cancelled);
    let flown: Vec<PlanFlight> = lines[0].legs.iter().map(|l| l.flight).collect();
    assert_eq!(flown, [out, home].map(PlanFlight::Planned));
    // Honest rules: no way to TLS on the flights the two passes fly, so the trip is cancelled, with only
    // the leg already flown.
    let honest = official.with_cost_rules(CostRules::HONEST);
    let best = construct(&honest, None);
    let lines = lines_of(&best, &honest, 1);
    assert_eq!(lines.len(), 1);
    assert!(lines[0].cancelled, "{lines:?}");
    let flown: Vec<PlanFlight> = lines[0].legs.iter().map(|l| l.flight).collect();
    assert_eq!(flown, [PlanFlight::Planned(out)]);
}

#[test]
fn the_passengers_of_a_cancelled_leg_ride_the_ferry_that_takes_its_aircraft_there() {
    // The CDG-NCE leg of 08:00 is cancelled before the window opens at 08:30; its aircraft is ferried to
    // NCE for its 12:00 return, and no other flight goes to NCE.
    let mut b = Builder::new(5);
    b.parts.window_start = Some(at(8, 30));
    let a = b.aircraft("A320#1", 0, 0);
    let out = b.flight(10, 0, 1, 8, 0, a);
    let back = b.flight(11, 1, 0, 12, 0, a);
    b.disrupt(out, FlightDisruption::Cancelled);
    b.booking(1, 100, &[out]);
    b.booking(2, 90, &[back]);
    let problem = b.build();
    let best = solve(&problem).best().expect("a plan").plan().clone();
    assert!(evaluate(&problem, &best).feasible);
    assert_eq!(departure_of(&best, back), Some(at(12, 0)));
    assert_eq!(best.new_flights.len(), 1);
    let ferry = PlanFlight::New(NewFlightIdx(0));
    let lines = lines_of(&best, &problem, 1);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(!lines[0].cancelled, "{lines:?}");
    let flown: Vec<PlanFlight> = lines[0].legs.iter().map(|l| l.flight).collect();
    assert_eq!(flown, [ferry]);
    assert_eq!(lines[0].passengers, 100);
}

#[test]
fn a_group_stranded_at_a_hub_takes_the_seats_of_passengers_who_have_not_left_home() {
    // 10 passengers CDG-NCE-TLS flew CDG-NCE before the window opened at 09:00 and miss NCE-TLS (the
    // feeder lands at 09:50, the connection leaves at 10:10); the only later NCE-TLS flight is full with
    // 150 passengers who start their trip there.
    let mut b = Builder::new(5);
    b.parts.window_start = Some(at(9, 0));
    let a = b.aircraft("A320#1", 0, 0);
    let c = b.aircraft("A320#2", 1, 0);
    let d = b.aircraft("A320#3", 1, 0);
    let feeder = b.flight(10, 0, 1, 8, 0, a);
    let connection = b.flight(20, 1, 2, 10, 10, c);
    let later = b.flight(30, 1, 2, 14, 0, d);
    b.disrupt(feeder, FlightDisruption::Delayed(Minutes(50)));
    b.booking(1, 10, &[feeder, connection]);
    b.booking(2, 150, &[later]);
    let problem = b.build();
    let plan = construct(&problem, None);
    assert!(evaluate(&problem, &plan).feasible);
    assert_eq!(departure_of(&plan, connection), Some(at(10, 10)));
    // The stranded ten fly on; ten of the full flight's passengers give up their seats.
    let stranded = lines_of(&plan, &problem, 1);
    assert_eq!(stranded.len(), 1, "{stranded:?}");
    assert!(!stranded[0].cancelled);
    let flown: Vec<PlanFlight> = stranded[0].legs.iter().map(|l| l.flight).collect();
    assert_eq!(flown, [feeder, later].map(PlanFlight::Planned));
    let holders = lines_of(&plan, &problem, 2);
    let cancelled: u32 = holders
        .iter()
        .filter(|l| l.cancelled)
        .map(|l| l.passengers)
        .sum();
    assert_eq!(cancelled, 10, "{holders:?}");
}

#[test]
fn a_rebooked_group_goes_back_onto_its_own_booked_leg_rather_than_a_new_one_that_downgrades_it() {
    // 10 passengers CDG-NCE-TLS, the second leg in business. Their CDG-NCE leg is cancelled; CDG-NCE at
    // 08:30 (economy only) takes them to NCE. From there NCE-TLS at 10:00 (economy only) lands earlier than
    // their own NCE-TLS at 11:00, but as a new leg it downgrades them, while the booked leg keeps their
    // business seats and lands on time.
    let mut b = Builder::new(5);
    let a1 = b.aircraft("A320#1", 0, 0);
    let a2 = b.aircraft("A320#2", 0, 0);
    let a3 = b.aircraft("A320#3", 1, 0);
    let a4 = b.aircraft("A320#4", 1, 0);
    b.parts.aircraft[a4.index()].seats.business = Some(20);
    let cancelled = b.flight(10, 0, 1, 8, 0, a1);
    let other_out = b.flight(20, 0, 1, 8, 30, a2);
    let earlier_on = b.flight(30, 1, 2, 10, 0, a3);
    let booked_on = b.flight(40, 1, 2, 11, 0, a4);
    b.disrupt(cancelled, FlightDisruption::Cancelled);
    b.booking(1, 10, &[cancelled, booked_on]);
    b.parts.itineraries[0].legs[1].cabin = Cabin::Business;
    let problem = b.build();
    let plan = construct(&problem, None);
    assert!(evaluate(&problem, &plan).feasible);
    assert_eq!(departure_of(&plan, earlier_on), Some(at(10, 0)));
    let lines = lines_of(&plan, &problem, 1);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(!lines[0].cancelled);
    let flown: Vec<(PlanFlight, Cabin)> =
        lines[0].legs.iter().map(|l| (l.flight, l.cabin)).collect();
    assert_eq!(
        flown,
        [
            (PlanFlight::Planned(other_out), Cabin::Economy),
            (PlanFlight::Planned(booked_on), Cabin::Business),
        ]
    );
    // One downgrade (the new CDG-NCE leg against the booking's business cabin), not two, and on time.
    let cost = evaluate(&problem, &plan).cost;
    assert_eq!(cost.downgrading, Cents(15_000) * 10);
    assert_eq!(cost.passenger_delay, Cents::ZERO);
}

#[test]
fn a_stranded_group_with_no_seat_left_is_flown_on_by_an_out_and_back_of_an_idle_aircraft() {
    // 10 passengers CDG-NCE-TLS flew CDG-NCE before the window opened at 09:00 and miss NCE-TLS (the
    // feeder lands at 09:50, the connection leaves at 10:10). No other flight goes to TLS, and an aircraft
    // stands idle at NCE all day: cancelling the trip costs 1,200 a passenger (return rate, ticket and
    // compensation), an NCE-TLS-NCE pair 4,000 to fly.
    let mut b = Builder::new(5);
    b.parts.window_start = Some(at(9, 0));
    let a = b.aircraft("A320#1", 0, 0);
    let c = b.aircraft("A320#2", 1, 0);
    let idle = b.aircraft("A320#3", 1, 0);
    let feeder = b.flight(10, 0, 1, 8, 0, a);
    let connection = b.flight(20, 1, 2, 10, 10, c);
    b.disrupt(feeder, FlightDisruption::Delayed(Minutes(50)));
    b.booking(1, 10, &[feeder, connection]);
    let problem = b.build();
    let without = construct(&problem, None);
    assert!(lines_of(&without, &problem, 1).iter().all(|l| l.cancelled));

    let best = solve(&problem).best().expect("a plan").plan().clone();
    assert!(evaluate(&problem, &best).feasible);
    assert!(evaluate(&problem, &best).cost.total < evaluate(&problem, &without).cost.total);
    assert_eq!(best.new_flights.len(), 2, "{:?}", best.new_flights);
    // an aircraft at NCE when the group can leave: the feeder's or the idle one
    let flies = best
        .rotations
        .iter()
        .position(|r| r.iter().any(|l| matches!(l.flight, PlanFlight::New(_))))
        .expect("an aircraft flies the new flights");
    assert!(flies == a.index() || flies == idle.index(), "{flies}");
    let shuttle: Vec<OperatedLeg> = best.rotations[flies]
        .iter()
        .filter(|l| matches!(l.flight, PlanFlight::New(_)))
        .copied()
        .collect();
    let airports: Vec<(AirportIdx, AirportIdx)> = shuttle
        .iter()
        .map(|l| best.flight_airports(&problem, l.flight))
        .collect();
    // Out and back: it ends the day where it stood.
    assert_eq!(
        airports,
        [
            (AirportIdx(1), AirportIdx(2)),
            (AirportIdx(2), AirportIdx(1))
        ]
    );
    let lines = lines_of(&best, &problem, 1);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(!lines[0].cancelled);
    let flown: Vec<PlanFlight> = lines[0].legs.iter().map(|l| l.flight).collect();
    assert_eq!(flown, [PlanFlight::Planned(feeder), shuttle[0].flight]);
}
