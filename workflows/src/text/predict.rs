//! `ucodts predict disruptions` and `ucodts predict skill` as text.

use super::{say, table, thousands};
use crate::predict::{DisruptionPrediction, Scores, Skill};

/// Legs listed in the text (the most likely to be cancelled first); `--json` has them all.
const LISTED_LEGS: usize = 40;

pub fn disruptions(p: &DisruptionPrediction) -> String {
    let mut o = String::new();
    say!(
        o,
        "Predicted disruptions of {} ({}), {} replications, seed {}: {:.1} of {} legs expected cancelled",
        p.date,
        p.data_set,
        thousands(p.replications),
        p.seed,
        p.expected_cancellations,
        thousands(p.legs.len() as u64)
    );
    say!(o, "  {}", p.note);
    let mut order: Vec<&crate::predict::LegPrediction> = p.legs.iter().collect();
    order.sort_by(|a, b| {
        b.cancellation_probability
            .total_cmp(&a.cancellation_probability)
            .then(a.leg.cmp(&b.leg))
    });
    let q = |d: &Option<crate::predict::DelayQuantiles>| {
        d.as_ref().map_or("-".to_string(), |d| {
            format!("{:.0} / {:.0} / {:.0}", d.p10, d.p50, d.p90)
        })
    };
    let rows: Vec<Vec<String>> = order
        .iter()
        .take(LISTED_LEGS)
        .map(|l| {
            vec![
                format!(
                    "{} {}",
                    l.carrier,
                    l.flight.map_or("-".into(), |f| f.to_string())
                ),
                format!("{}-{}", l.origin, l.destination),
                l.scheduled_out.clone(),
                format!("{:.0} %", l.cancellation_probability * 100.0),
                q(&l.departure_delay_min),
                q(&l.arrival_delay_min),
            ]
        })
        .collect();
    o.push_str(&table(
        &[
            "flight",
            "route",
            "scheduled out (UTC)",
            "P(cancel)",
            "dep. delay p10/p50/p90 min",
            "arr. delay p10/p50/p90 min",
        ],
        &rows,
    ));
    if p.legs.len() > LISTED_LEGS {
        say!(
            o,
            "  ({} more legs in --json)",
            thousands((p.legs.len() - LISTED_LEGS) as u64)
        );
    }
    o
}

pub fn skill(s: &Skill) -> String {
    let mut o = String::new();
    say!(
        o,
        "Skill on {} .. {} ({} recorded departures, {:.1} % cancelled), model fitted on {} .. {}{}, {} replications",
        s.from,
        s.to,
        thousands(s.legs),
        s.recorded_cancelled_share * 100.0,
        s.fitted_from,
        s.fitted_to,
        s.fitted_excluding
            .as_ref()
            .map_or(String::new(), |[a, b]| format!(" without {a} .. {b}")),
        thousands(s.replications)
    );
    say!(o, "  {}", s.note);
    let row = |name: &str, c: &Scores| {
        vec![
            name.to_string(),
            format!("{:.4}", c.cancellation_brier),
            c.cancellation_auc.map_or("-".into(), |a| format!("{a:.3}")),
            format!("{:.1} min", c.departure_delay_mae_min),
        ]
    };
    let mut rows = vec![row("twin, blind", &s.twin)];
    if let Some(r) = &s.regression {
        rows.push(row("regressions alone", r));
    }
    rows.push(row("climatology", &s.climatology));
    o.push_str(&table(
        &[
            "predictor",
            "cancellation Brier",
            "cancellation AUC",
            "departure delay MAE",
        ],
        &rows,
    ));
    o
}
