//! `bench tianchi2017` as a controller reads it: verdict, score against the public best, the cost terms,
//! what the plan does, and the original plan's violations for contrast.

use crate::tianchi_bench::TianchiBenchReport;

use super::{number, say, table, thousands};

pub fn report(r: &TianchiBenchReport) -> String {
    let mut o = String::new();
    say!(
        o,
        "Tianchi 2017 typhoon recovery, season {}: {} flights, {} aircraft; {} s limit, seed {}",
        r.season,
        thousands(r.flights as u64),
        r.aircraft,
        r.time_limit_s,
        r.seed
    );
    say!(
        o,
        "  plan: {}; score {} (public best {}, gap {:+.1} %)",
        if r.feasible {
            "FEASIBLE".to_string()
        } else {
            format!("INFEASIBLE, {} violation(s)", r.violation_count)
        },
        number(r.score, 1),
        number(r.public_best, 1),
        r.gap_percent
    );
    say!(
        o,
        "  first feasible after {}, best after {:.1} s, {} search steps ({} kept)",
        r.seconds_to_first_feasible
            .map_or("never".into(), |s| format!("{s:.2} s")),
        r.seconds_to_best,
        thousands(r.search_steps),
        thousands(r.search_steps_kept)
    );
    let c = &r.cost;
    let terms = [
        ("ferry flights", c.ferry),
        ("cancellations", c.cancellation),
        ("type changes", c.type_change),
        ("swaps", c.swap),
        ("straightening", c.straightening),
        ("delay", c.delay),
        ("advance", c.advance),
        ("cancelled passengers", c.cancelled_passengers),
        ("delayed passengers", c.delayed_passengers),
        ("rebooked passengers", c.rebooked_passengers),
    ];
    let rows: Vec<Vec<String>> = terms
        .iter()
        .map(|(name, v)| vec![name.to_string(), number(*v, 1)])
        .chain(std::iter::once(vec!["total".into(), number(c.total(), 1)]))
        .collect();
    o.push_str(&table(&["cost term", "cost"], &rows));
    let a = &r.actions;
    say!(o,
        "  actions: {} delayed, {} advanced, {} cancelled, {} straightened pairs, {} ferries, {} swapped ({} type changes); passengers {} displaced, {} rebooked",
        a.delayed, a.advanced, a.cancelled, a.straightened_pairs, a.ferries, a.swapped, a.type_changed,
        thousands(a.displaced_passengers), thousands(a.rebooked_passengers)
    );
    for v in &r.violations {
        say!(o, "  violation {}: {}", v.rule, v.count);
    }
    let orig = &r.original_plan;
    let list: Vec<String> = orig
        .violations
        .iter()
        .map(|v| format!("{} {}", v.rule, v.count))
        .collect();
    say!(
        o,
        "  the original plan flown through the typhoon: score {}, {} violations ({})",
        number(orig.score, 1),
        orig.violation_count,
        list.join(", ")
    );
    if let Some(file) = &r.solution_file {
        say!(o, "  solution written to {}", file.display());
    }
    o
}
