//! Greedy repair and MILP on a few disruptions of the embedded default: solve time, cost, uncovered seats.
//!
//! `cargo run --release -p ucodts-optimizer --example crew_recovery`

use std::time::Duration;

use ucodts_model::recovery::crew::{CrewDisruption, CrewRecoveryProblem, LegChange, SickCall};
use ucodts_model::{AirportCode, Date, Minutes, Schedule, UtcMinute};
use ucodts_optimizer::crew::{greedy_repair, solve_milp, CrewRecoveryOptions, CrewSolution};

fn new_york(schedule: &Schedule, date: Date, minute: i64) -> UtcMinute {
    let zone = schedule
        .airport(AirportCode::new("JFK").expect("a valid code"))
        .expect("JFK is in the embedded default")
        .time_zone;
    zone.to_utc(date, minute).earliest()
}

fn disruption(t0: UtcMinute, end: UtcMinute) -> CrewDisruption {
    CrewDisruption::new(t0, end, "faa117")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let schedule = ucodts_datasets::embedded::default_schedule_with_crew()?;
    let day = Date::new(2013, 7, 2).ok_or("bad date")?;
    let t0 = new_york(&schedule, day, 5 * 60);
    let end = new_york(&schedule, day, 24 * 60);
    let jfk = AirportCode::new("JFK").ok_or("bad code")?;

    // 1. 5 % of the JFK-based crew with a pairing that day call in sick at 05:00.
    let mut sick = disruption(t0, end);
    let mut on_duty: Vec<_> = schedule
        .crew()
        .iter()
        .filter(|m| m.base == jfk)
        .filter(|m| {
            schedule
                .roster(&m.id)
                .any(|p| p.report().is_some_and(|r| r >= t0 && r < end))
        })
        .map(|m| m.id.clone())
        .collect();
    on_duty.sort();
    let n = on_duty.len().div_ceil(20);
    sick.sick_calls = on_duty
        .iter()
        .step_by(20)
        .take(n)
        .map(|c| SickCall {
            crew: c.clone(),
            from: t0,
        })
        .collect();

    // 2. The 07:00-09:00 JFK departure bank 3 hours late.
    let mut bank = disruption(t0, end);
    let bank_from = new_york(&schedule, day, 7 * 60);
    let bank_to = new_york(&schedule, day, 9 * 60);
    bank.leg_changes = schedule
        .departures(jfk)
        .filter(|l| l.scheduled_out >= bank_from && l.scheduled_out < bank_to)
        .map(|l| {
            (
                l.id,
                LegChange::Retimed {
                    out: l.scheduled_out + Minutes(180),
                    arrival: l.scheduled_in + Minutes(180),
                },
            )
        })
        .collect();

    // 3. Every tenth JFK departure of the afternoon cancelled.
    let mut cancel = disruption(t0, end);
    cancel.leg_changes = schedule
        .departures(jfk)
        .filter(|l| {
            l.scheduled_out >= new_york(&schedule, day, 12 * 60)
                && l.scheduled_out < new_york(&schedule, day, 18 * 60)
        })
        .step_by(10)
        .map(|l| (l.id, LegChange::Cancelled))
        .collect();

    let options = CrewRecoveryOptions::default();
    // The MILP gets a larger pool; it starts from the greedy plan, so it never costs more.
    let milp_options = CrewRecoveryOptions {
        max_columns_per_crew: 40,
        milp_time_limit: Duration::from_secs(60),
        ..CrewRecoveryOptions::default()
    };
    println!("scenario | affected crew | open seats | reserves | policy | columns | seconds | cost | uncovered seats | contacted | legal");
    for (name, d) in [
        ("5% sick at JFK 2013-07-02", sick),
        ("JFK 07-09 bank +3 h", bank),
        ("1 in 10 JFK afternoon cancelled", cancel),
    ] {
        let problem = CrewRecoveryProblem::new(&schedule, d)?;
        let seats: u32 = problem.demand().iter().map(|p| p.count).sum();
        let row = |policy: &str, s: &CrewSolution| {
            println!(
                "{name} | {} | {seats} | {} | {policy} | {} | {:.2} | {} | {} | {} | {}",
                problem.affected().len(),
                problem.reserves().len(),
                s.columns,
                s.seconds,
                s.evaluation.cost,
                s.evaluation.seats_uncovered,
                s.evaluation.crew_contacted,
                s.evaluation.is_legal()
            );
            for v in s.evaluation.crew.iter().filter(|v| !v.legal).take(3) {
                println!(
                    "  not legal: {} {:?} {:?}",
                    v.crew,
                    v.problems,
                    v.violations.first().map(|x| x.explain())
                );
            }
            for p in s.evaluation.problems.iter().take(3) {
                println!("  plan problem: {p}");
            }
        };
        let greedy = greedy_repair(&problem, &options);
        row("greedy", &greedy);
        let milp = solve_milp(&problem, &milp_options, Some(&greedy.plan))?;
        row(
            if milp.optimal {
                "milp (optimal)"
            } else {
                "milp"
            },
            &milp,
        );
        if let Some(u) = milp.plan.uncovered.first() {
            println!("  e.g. leg {} {} uncovered: {}", u.leg, u.rank, u.why);
        }
    }
    Ok(())
}
