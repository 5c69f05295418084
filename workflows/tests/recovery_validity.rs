//! Plans an airline can sign, over random disruptions of the embedded default (aircraft on ground, airport
//! rate cuts, closures, route delays, sick calls, on random days and hours, one or two operating days): the
//! recovery loop's policies (the constructive heuristic and the LNS for aircraft, the greedy repair for crew,
//! with the crew's feedback round) never put one airline's flight on another airline's aircraft, act only on
//! flights and crew positions that depart inside the recovery window, and every plan they offer passes the
//! one checker.

use std::num::NonZeroUsize;
use std::sync::OnceLock;
use std::time::Duration;

use proptest::prelude::*;
use ucodts_model::disruption::{
    AircraftOnGround, AirportCapacity, AirportClosure, CrewSickCall, Disruption, Route, RouteDelay,
    Routes,
};
use ucodts_model::recovery::crew::{CrewDisruption, CrewProblem, DutyFault, SickCall};
use ucodts_model::recovery::{evaluate, PlanFlight, RecoveryAction, RecoveryProblem};
use ucodts_model::{
    AirportCode, CarrierCode, CrewId, Date, LegId, Minutes, Schedule, TailId, UtcMinute,
};
use ucodts_optimizer::crew::crew_policy_by_name;
use ucodts_optimizer::integrated::{recover_joint, JointOptions, JointPlan};
use ucodts_optimizer::{policies, Budget, WallClock};
use ucodts_scenarios::{DataSet, Scenario};
use ucodts_workflows::recovery::{problem, DEFAULT_RULE_SET};

fn schedule() -> &'static Schedule {
    static SCHEDULE: OnceLock<Schedule> = OnceLock::new();
    SCHEDULE.get_or_init(|| {
        ucodts_workflows::data::default_with_crew().expect("the embedded default builds")
    })
}

/// One disruption, with indexes into the day's tails, airports, routes and crew (taken modulo their count).
#[derive(Debug, Clone)]
enum Kind {
    AircraftOnGround {
        tail: usize,
        hours: i64,
    },
    Capacity {
        airport: usize,
        hours: i64,
        per_hour: u32,
    },
    Closure {
        airport: usize,
        hours: i64,
    },
    RouteDelay {
        route: usize,
        extra_min: i64,
        hours: i64,
    },
    SickCall {
        crew: usize,
    },
}

#[derive(Debug, Clone)]
struct Case {
    day: usize,
    two_days: bool,
    /// Minutes after 10:00Z (06:00 in New York) of the day that the disruptions start.
    starts: Vec<(i64, Kind)>,
    /// Whether the aircraft side also runs the LNS (MILP repairs), which swaps tails far more than the
    /// constructive heuristic.
    lns: bool,
}

fn kinds() -> impl Strategy<Value = Kind> {
    prop_oneof![
        // Groundings are what tail swaps answer, so they come most often.
        3 => (0usize..10_000, 2i64..9)
            .prop_map(|(tail, hours)| Kind::AircraftOnGround { tail, hours }),
        1 => (0usize..10_000, 1i64..6, 0u32..30).prop_map(|(airport, hours, per_hour)| {
            Kind::Capacity {
                airport,
                hours,
                per_hour,
            }
        }),
        1 => (0usize..10_000, 1i64..4).prop_map(|(airport, hours)| Kind::Closure { airport, hours }),
        1 => (0usize..10_000, 15i64..150, 1i64..5).prop_map(|(route, extra_min, hours)| {
            Kind::RouteDelay {
                route,
                extra_min,
                hours,
            }
        }),
        1 => (0usize..10_000).prop_map(|crew| Kind::SickCall { crew }),
    ]
}

fn cases() -> impl Strategy<Value = Case> {
    (
        0usize..14,
        prop::bool::weighted(0.25),
        prop::collection::vec((0i64..10 * 60, kinds()), 1..4),
        prop::bool::weighted(0.6),
    )
        .prop_map(|(day, two_days, starts, lns)| Case {
            day,
            two_days,
            starts,
            lns,
        })
}

/// The scenario of a case on the default's days, or `None` where the day has nothing to disrupt.
fn scenario(s: &Schedule, case: &Case) -> Option<Scenario> {
    let mut days: Vec<Date> = s
        .legs()
        .iter()
        .map(|l| l.scheduled_out.date_minute().0)
        .collect();
    days.sort();
    days.dedup();
    // Not the last day: a scenario of two days needs the next one.
    let from = days[case.day % (days.len() - 1)];
    let to = if case.two_days {
        from.add_days(1)
    } else {
        from
    };
    let day_start = UtcMinute::from_date_minute(from, 0);
    let on_the_day: Vec<_> = s
        .legs()
        .iter()
        .filter(|l| l.scheduled_out >= day_start && l.scheduled_out < day_start + Minutes(24 * 60))
        .collect();
    let mut tails: Vec<TailId> = on_the_day.iter().filter_map(|l| l.tail.clone()).collect();
    tails.sort();
    tails.dedup();
    let mut airports: Vec<AirportCode> = on_the_day.iter().map(|l| l.origin).collect();
    airports.sort();
    airports.dedup();
    let mut routes: Vec<(AirportCode, AirportCode)> = on_the_day
        .iter()
        .map(|l| (l.origin, l.destination))
        .collect();
    routes.sort();
    routes.dedup();
    let mut crew: Vec<CrewId> = s
        .crew()
        .iter()
        .filter(|m| {
            s.roster(&m.id).any(|p| {
                p.report()
                    .is_some_and(|r| r >= day_start && r < day_start + Minutes(24 * 60))
            })
        })
        .map(|m| m.id.clone())
        .collect();
    crew.sort();
    if tails.is_empty() || airports.is_empty() || crew.is_empty() {
        return None;
    }
    let pick = |n: usize, i: usize| i % n;
    let disruptions = case
        .starts
        .iter()
        .map(|(after, kind)| {
            let start = day_start + Minutes(10 * 60 + after);
            let until = |hours: i64| start + Minutes(hours * 60);
            match kind {
                Kind::AircraftOnGround { tail, hours } => {
                    // A tail with a flight in the grounding, so that it bites.
                    let mut grounded: Vec<&TailId> = on_the_day
                        .iter()
                        .filter(|l| l.scheduled_out >= start && l.scheduled_out < until(*hours))
                        .filter_map(|l| l.tail.as_ref())
                        .collect();
                    grounded.sort();
                    grounded.dedup();
                    let tail = match grounded.len() {
                        0 => tails[pick(tails.len(), *tail)].clone(),
                        n => grounded[pick(n, *tail)].clone(),
                    };
                    Disruption::AircraftOnGround(AircraftOnGround {
                        tail,
                        from: start,
                        expected_return: until(*hours),
                        return_uncertainty: Minutes(30),
                    })
                }
                Kind::Capacity {
                    airport,
                    hours,
                    per_hour,
                } => Disruption::AirportCapacity(AirportCapacity {
                    airport: airports[pick(airports.len(), *airport)],
                    from: start,
                    to: until(*hours),
                    arrivals_per_hour: Some(*per_hour),
                    departures_per_hour: Some(*per_hour),
                }),
                Kind::Closure { airport, hours } => Disruption::AirportClosure(AirportClosure {
                    airport: airports[pick(airports.len(), *airport)],
                    from: start,
                    to: until(*hours),
                }),
                Kind::RouteDelay {
                    route,
                    extra_min,
                    hours,
                } => {
                    let (origin, destination) = routes[pick(routes.len(), *route)];
                    Disruption::RouteDelay(RouteDelay {
                        routes: Routes::Only(vec![Route {
                            origin,
                            destination,
                        }]),
                        from: start,
                        to: until(*hours),
                        extra: Minutes(*extra_min),
                    })
                }
                Kind::SickCall { crew: member } => Disruption::CrewSickCall(CrewSickCall {
                    crew: Some(crew[pick(crew.len(), *member)].clone()),
                    base_share: None,
                    at: start,
                }),
            }
        })
        .collect();
    Some(Scenario {
        name: "random".into(),
        description: String::new(),
        data: DataSet::Embedded,
        from,
        to,
        replications: 2,
        seed: 1,
        disruptions,
    })
}

/// The crew input as the loop builds it: the aircraft problem's window, the named sick calls.
fn crew_input(problem: &RecoveryProblem, scenario: &Scenario) -> CrewDisruption {
    let mut input = CrewDisruption::new(problem.window_start, problem.window_end, DEFAULT_RULE_SET);
    for d in &scenario.disruptions {
        if let Disruption::CrewSickCall(call) = d {
            let crew = call.crew.clone().expect("the cases name the sick crew");
            if !input.sick_calls.iter().any(|c| c.crew == crew) {
                input.sick_calls.push(SickCall {
                    crew,
                    from: call.at.max(problem.window_start),
                });
            }
        }
    }
    input.sick_calls.sort_by(|a, b| a.crew.cmp(&b.crew));
    input
}

/// The airline of an aircraft of the problem (`N123JB` or `N123JB/2`).
fn airline_of(s: &Schedule, problem: &RecoveryProblem, aircraft: usize) -> CarrierCode {
    let id = &problem.aircraft[aircraft].id;
    let tail = TailId::new(id.split('/').next().expect("split yields one piece"));
    s.tail(&tail)
        .expect("the problem's aircraft are the schedule's tails")
        .carrier
        .clone()
}

/// An aircraft's type family and cabin crew complement (`A320 family, 3 flight attendants`).
fn cabin_crew(s: &Schedule, problem: &RecoveryProblem, aircraft: usize) -> String {
    let id = &problem.aircraft[aircraft].id;
    let tail = TailId::new(id.split('/').next().expect("split yields one piece"));
    let plane = s
        .tail(&tail)
        .expect("the problem's aircraft are the schedule's tails");
    let kind = s
        .aircraft_type(&plane.type_code)
        .expect("the fleet's types are the schedule's");
    format!(
        "{} family, {} flight attendants",
        kind.family,
        kind.cabin_crew_required()
    )
}

/// Why a joint plan is not one an airline can sign, if it is not.
fn faults(s: &Schedule, problem: &RecoveryProblem, j: &JointPlan) -> Vec<String> {
    let mut out = Vec::new();
    let plan = j.aircraft.plan();
    let verdict = evaluate(problem, plan);
    if !j.aircraft.feasible() || !verdict.feasible {
        out.push(format!(
            "{}: the checker refuses the plan: {:?}",
            j.policy,
            verdict
                .violations
                .iter()
                .take(5)
                .map(|v| v.message(problem, plan))
                .collect::<Vec<_>>()
        ));
    }
    // No flight on another airline's aircraft, whatever the actions say.
    for (a, rotation) in plan.rotations.iter().enumerate() {
        for leg in rotation {
            let PlanFlight::Planned(f) = leg.flight else {
                continue;
            };
            let planned = problem.flight(f).planned_aircraft.index();
            let (flown_by, owner) = (airline_of(s, problem, a), airline_of(s, problem, planned));
            // The rostered crew stay on a swapped leg: the tail must need no more cabin crew and no
            // other type rating than the planned one.
            let (needs, rostered) = (cabin_crew(s, problem, a), cabin_crew(s, problem, planned));
            if needs != rostered {
                out.push(format!(
                    "{}: flight {} planned on {} ({rostered}) flown by {} ({needs})",
                    j.policy,
                    problem.flight(f).number,
                    problem.aircraft[planned].id,
                    problem.aircraft[a].id
                ));
            }
            if flown_by != owner {
                out.push(format!(
                    "{}: flight {} of {owner} flown by {} of {flown_by}",
                    j.policy,
                    problem.flight(f).number,
                    problem.aircraft[a].id
                ));
            }
        }
    }
    // Aircraft actions only on flights departing inside the window.
    let inside = |t: UtcMinute| problem.window_start <= t && t < problem.window_end;
    for action in plan.actions(problem) {
        let departs = match &action {
            RecoveryAction::Retime { flight, .. }
            | RecoveryAction::Cancel { flight }
            | RecoveryAction::TailSwap { flight, .. } => {
                Some(problem.flight(*flight).scheduled_departure)
            }
            RecoveryAction::Ferry { departure, .. } => Some(*departure),
            _ => None,
        };
        if let Some(t) = departs.filter(|&t| !inside(t)) {
            out.push(format!(
                "{}: {action:?} on a flight departing {t}, outside the window {} to {}",
                j.policy, problem.window_start, problem.window_end
            ));
        }
    }
    // Crew actions only on legs departing (as planned) inside the window.
    let e = &j.crew.evaluation;
    let leg_inside = |leg: LegId| s.leg(leg).is_some_and(|l| inside(l.scheduled_out));
    let crew_legs = e
        .reserve_callouts
        .iter()
        .flat_map(|c| c.legs.iter().map(move |&l| ("reserve called", l)))
        .chain(e.swaps.iter().map(|(_, l, _)| ("swap", *l)))
        .chain(j.crew.plan.uncovered.iter().map(|u| ("uncovered", u.leg)));
    for (what, leg) in crew_legs {
        if !leg_inside(leg) {
            out.push(format!(
                "{}: {what} on leg {leg}, outside the window",
                j.policy
            ));
        }
    }
    let beyond = e
        .crew
        .iter()
        .flat_map(|c| c.problems.iter())
        .chain(&e.problems)
        .filter(|p| {
            matches!(
                p,
                CrewProblem::InDuty {
                    fault: DutyFault::BeyondWindow { .. },
                    ..
                }
            )
        })
        .count();
    if beyond > 0 {
        out.push(format!(
            "{}: {beyond} crew put on legs beyond the window",
            j.policy
        ));
    }
    out
}

/// The joint plans of `pairs` (aircraft policy, crew policy) for `scenario`, as the loop makes them.
fn joint_plans(
    s: &Schedule,
    scenario: &Scenario,
    pairs: &[(&str, &str)],
    time_limit: Duration,
) -> (RecoveryProblem, Vec<JointPlan>) {
    let built = problem(s, scenario).expect("a scenario of the default becomes a recovery problem");
    let input = crew_input(&built.problem, scenario);
    let mut plans = Vec::new();
    for (aircraft, crew) in pairs {
        let plan = recover_joint(
            policies::by_name_seeded(aircraft, 1)
                .expect("a policy of the registry")
                .as_ref(),
            crew_policy_by_name(crew)
                .expect("a crew policy of the registry")
                .as_ref(),
            &built.problem,
            s,
            &input,
            &Budget {
                time_limit,
                threads: NonZeroUsize::MIN,
                plans: 1,
            },
            &WallClock::start(),
            &JointOptions::default(),
        )
        .expect("the joint recovery runs");
        plans.extend(plan);
    }
    (built.problem, plans)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn every_plan_is_one_airlines_acts_inside_the_window_and_passes_the_checker(case in cases()) {
        let s = schedule();
        let Some(scenario) = scenario(s, &case) else { return Ok(()); };
        let mut pairs = vec![("constructive", "greedy")];
        if case.lns {
            pairs.push(("lns", "greedy"));
        }
        let (problem, plans) = joint_plans(s, &scenario, &pairs, Duration::from_secs(2));
        prop_assert!(!plans.is_empty(), "the policies offer at least one plan");
        for j in &plans {
            let faults = faults(s, &problem, j);
            prop_assert!(faults.is_empty(), "{}", faults.join("\n"));
        }
    }
}

/// The issue's own example, `aog-first-wave`: JetBlue's N554JB grounded for the morning. The LNS used to
/// put United and Delta flights on JetBlue A320s; now each airline's flights stay on its own tails, and the
/// checker says why when a plan tries otherwise.
#[test]
fn an_aog_jetblue_a320_is_covered_by_jetblue_tails_only() {
    let loaded = ucodts_workflows::scenario::load("aog-first-wave", None)
        .expect("the library scenario loads");
    let (s, scenario) = (&loaded.schedule, &loaded.scenario);
    let (problem, plans) = joint_plans(
        s,
        scenario,
        &[("constructive", "greedy"), ("lns", "greedy")],
        Duration::from_secs(3),
    );
    for j in &plans {
        let faults = faults(s, &problem, j);
        assert!(faults.is_empty(), "{}", faults.join("\n"));
    }

    // Giving N554JB's flights to another airline's tail is refused, in words that name the rule.
    let n554 = problem
        .aircraft_by_id("N554JB")
        .expect("N554JB flies that day");
    let other = (0..problem.aircraft.len())
        .find(|&a| airline_of(s, &problem, a).as_str() != "B6")
        .expect("other airlines fly that day");
    let mut plan = ucodts_model::recovery::RecoveryPlan::with_disruptions_applied(&problem);
    let moved: Vec<_> = plan.rotations[n554.index()].drain(..).collect();
    plan.rotations[other].extend(moved);
    let words: Vec<String> = evaluate(&problem, &plan)
        .violations
        .iter()
        .map(|v| v.message(&problem, &plan))
        .collect();
    let expected = format!(
        "tail {} ({}) may not fly B6",
        problem.aircraft[other].id,
        airline_of(s, &problem, other)
    );
    assert!(
        words
            .iter()
            .any(|w| w.contains(&expected) && w.contains("another operator")),
        "{words:?}"
    );
}
