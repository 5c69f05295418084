//! `ucodts predict maintenance` as text.

use super::{say, table, thousands};
use crate::maintenance::MaintenancePrediction;

pub fn prediction(p: &MaintenancePrediction, top: usize) -> String {
    let mut o = String::new();
    say!(
        o,
        "Unscheduled-removal risk (PROXY) on {} ({}): {} tails at risk, {:.1} expected out from the day on",
        p.date,
        p.data_set,
        thousands(p.tails_at_risk as u64),
        p.expected_removals
    );
    say!(o, "  {}", p.note);
    say!(o, "  Ages: {}", p.ages_from);
    let h = &p.hazard;
    say!(
        o,
        "  Hazard (discrete-time Weibull, cloglog): fitted on {} .. {}, {} tail-days, {} proxy events (base rate {:.2} %), Weibull shape {:.2}",
        h.fitted_from,
        h.fitted_to,
        thousands(h.tail_days),
        thousands(h.events),
        100.0 * h.base_rate,
        h.weibull_shape
    );
    match &p.evaluation {
        Some(e) => say!(
            o,
            "  Out of sample (fitted {} .. {}, scored {} .. {}, {} tail-days, {} events): Brier {:.4} vs {:.4} for the base rate (skill {:+.3}), AUC {}",
            e.trained_from,
            e.trained_to,
            e.tested_from,
            e.tested_to,
            thousands(e.test_tail_days),
            thousands(e.test_events),
            e.brier,
            e.brier_base_rate,
            e.brier_skill,
            e.auc.map_or("-".to_string(), |a| format!("{a:.3}"))
        ),
        None => say!(o, "  Out of sample: too few labelled days before the date to hold half out"),
    }
    if p.tails.is_empty() {
        say!(o, "\nNo tail flew on each of the 5 days before {}.", p.date);
        return o;
    }
    say!(o);
    let rows: Vec<Vec<String>> = p
        .tails
        .iter()
        .take(top)
        .map(|t| {
            let a = &t.next_a_check;
            vec![
                t.rank.to_string(),
                t.tail.clone(),
                t.family.clone(),
                format!("{:.2} %", 100.0 * t.probability),
                format!("{:.2}", t.relative_risk),
                format!("{:.0}", t.days_since_last_absence),
                format!("{:.1}", t.cycles_per_day),
                format!("{:.1}", t.block_hours_per_day),
                t.age_years.map_or("-".to_string(), |a| format!("{a:.1}")),
                format!("{:.0} d ({})", a.due_in_days, a.limiting),
            ]
        })
        .collect();
    o.push_str(&table(
        &[
            "rank",
            "tail",
            "family",
            "risk",
            "x base",
            "days in service",
            "cycles/day",
            "block h/day",
            "age",
            "A check due in",
        ],
        &rows,
    ));
    say!(o, "\nWhy (the largest terms first):");
    for t in p.tails.iter().take(top.min(10)) {
        say!(o, "  {} {}: {}", t.rank, t.tail, t.reason);
    }
    o
}
