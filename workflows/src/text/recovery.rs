//! The recovery loop's answer for people: the recommendation first in words (right under the line naming
//! the scenario), the operation, doing nothing beside each plan, why, then each plan's actions.

use crate::recovery::{Interval, RecoverReport, DO_NOTHING};

use super::{number, say, table, thousands};

/// Most actions a controller reads in the text summary per plan; the JSON has them all.
const ACTIONS_SHOWN: usize = 12;

pub fn report(r: &RecoverReport) -> String {
    let mut o = String::new();
    say!(o,
        "Recovery for scenario `{}`: {} flights, {} aircraft, {} passengers; decision at {}, window to {}",
        r.scenario,
        thousands(r.flights as u64),
        thousands(r.aircraft as u64),
        thousands(r.passengers),
        r.decision_time,
        r.window_end
    );
    say!(o, "{}", r.recommended.headline);
    for note in &r.not_modelled {
        say!(o, "  not in the aircraft plan: {note}");
    }
    if !r.sick_calls_resolved.is_empty() {
        say!(
            o,
            "  sick calls the plans cover: {}",
            r.sick_calls_resolved.join(", ")
        );
    }
    say!(
        o,
        "  optimising took {} s (time limit {} s; {} s of it refining the top plans in the twin), \
         replaying in the twin {} s",
        number(r.seconds_optimising, 1),
        number(r.time_limit_seconds, 1),
        number(r.seconds_refining, 1),
        number(r.seconds_replaying, 1)
    );
    if let Some(external) = &r.external_policy {
        for (i, call) in external.calls.iter().enumerate() {
            let gave = match call.outcome {
                "plan" => "a plan (judged below like any other)".to_string(),
                _ => format!("no plan: {}", call.why),
            };
            say!(
                o,
                "  external policy `{}`, call {}: {gave}; its own {} s, overhead {} ms",
                external.command,
                i + 1,
                number(call.policy_seconds, 2),
                number(call.overhead_ms, 1)
            );
        }
    }
    let agreement = &r.ranking_agreement;
    say!(
        o,
        "  action budget {} per plan; optimizer and twin rank the {} plan(s) alike: Kendall tau {}, same first plan: {}",
        thousands(r.max_actions as u64),
        agreement.candidates,
        agreement
            .kendall_tau
            .map_or_else(|| "n/a".to_string(), |t| number(t, 2)),
        if agreement.top1_agree { "yes" } else { "no" }
    );
    say!(o,
        "\nMonte Carlo in the twin: {} replications, seed {}, the same random numbers for every plan; 95 % intervals",
        thousands(r.replications),
        r.seed
    );
    let iv = |i: &Interval| {
        format!(
            "{} ({} .. {})",
            number(i.mean, 0),
            number(i.lower, 0),
            number(i.upper, 0)
        )
    };
    let k = &r.baseline_kpis;
    let nothing_recommended = r.recommended.policy == DO_NOTHING;
    let mut rows = vec![vec![
        if nothing_recommended { "*" } else { "-" }.into(),
        "doing nothing".into(),
        "-".into(),
        iv(&k.cost),
        format!("{:.1} min", k.p90_arrival_delay_min.mean),
        format!("{:.1}", k.cancelled_legs.mean),
        format!("{:.2}", k.crew_illegality_probability.mean),
        "-".into(),
    ]];
    rows.extend(r.plans.iter().map(|p| {
        let k = &p.kpis;
        vec![
            format!("{}{}", p.rank, if p.recommended { "*" } else { "" }),
            p.policy.clone(),
            if p.legal { "yes" } else { "NO" }.into(),
            iv(&k.cost),
            format!("{:.1} min", k.p90_arrival_delay_min.mean),
            format!("{:.1}", k.cancelled_legs.mean),
            format!("{:.2}", k.crew_illegality_probability.mean),
            thousands(p.crew_contacted as u64),
        ]
    }));
    o.push_str(&table(
        &[
            "rank",
            "plan",
            "legal",
            "expected cost",
            "p90 delay",
            "cancelled",
            "P(crew ill.)",
            "contacts",
        ],
        &rows,
    ));
    let why = r
        .recommended
        .why
        .strip_prefix(r.recommended.headline.as_str())
        .unwrap_or(&r.recommended.why)
        .trim_start();
    say!(o, "\nWhy: {why}");
    for p in &r.plans {
        let (a, c) = (&p.aircraft, &p.crew);
        say!(o,
            "\n#{} {}: own cost {} (aircraft {} EUR, crew {} units); {} cancelled, {} retimed, {} tail swaps; \
             {} reserves called, {} swaps, {} deadheads, {} seats uncovered",
            p.rank,
            p.policy,
            number(p.cost, 0),
            number(p.cost_breakdown.aircraft, 2),
            number(p.cost_breakdown.crew, 0),
            thousands(a.cancelled_flights as u64),
            thousands(a.retimed_flights as u64),
            thousands(a.tail_swaps as u64),
            thousands(c.reserves_called as u64),
            thousands(c.swaps as u64),
            thousands(c.deadheads as u64),
            thousands(u64::from(c.uncovered_positions))
        );
        let t = &p.touches;
        say!(
            o,
            "   touches {} aircraft, {} legs, {} crew members, {} passengers; {} actions for operations control{}",
            thousands(t.aircraft as u64),
            thousands(t.legs as u64),
            thousands(t.crew_members as u64),
            thousands(t.passengers),
            thousands(p.action_count as u64),
            if p.within_budget {
                ""
            } else {
                " (over the action budget: not recommended)"
            }
        );
        let shown: Vec<_> = p
            .actions
            .iter()
            .filter(|a| a.action.is_aircraft())
            .collect();
        for a in shown.iter().take(ACTIONS_SHOWN) {
            say!(o, "   - {}", a.action.text);
        }
        if shown.len() > ACTIONS_SHOWN {
            say!(
                o,
                "   ... {} more aircraft actions in the JSON (--json or --out)",
                thousands((shown.len() - ACTIONS_SHOWN) as u64)
            );
        }
        let knock_on = p
            .actions
            .iter()
            .filter(|a| a.action.kind == crate::recovery::KNOCK_ON_DELAY)
            .count();
        if knock_on > 0 {
            say!(
                o,
                "   and {} delays that are no decision (flights leaving when the disruption, their aircraft \
                 or their airports let them, as without a plan; listed in the JSON)",
                thousands(knock_on as u64)
            );
        }
        if !p.crew_changes.is_empty() {
            say!(o, "   crew, by member (local times):");
        }
        for m in p.crew_changes.iter().take(ACTIONS_SHOWN) {
            say!(o, "   - {}", m.text);
        }
        if p.crew_changes.len() > ACTIONS_SHOWN {
            say!(
                o,
                "   ... {} more crew members in the JSON (--json or --out)",
                thousands((p.crew_changes.len() - ACTIONS_SHOWN) as u64)
            );
        }
        if c.cut_at_deadline {
            say!(
                o,
                "   the time limit cut the crew search short: the crew plan is the best found by then"
            );
        }
        for f in &p.feedback {
            say!(o, "   feedback: {f}");
        }
    }
    if let Some(f) = &r.schedule_out {
        say!(
            o,
            "\nSchedule changes of the recommendation: {} ({} legs), crew changes {} ({} members)",
            f.legs,
            thousands(f.changed_legs as u64),
            f.crew,
            thousands(f.crew_members as u64)
        );
    }
    if let Some(f) = &r.report {
        say!(
            o,
            "\nReport: {} (the same numbers in {} and {})",
            f.html,
            f.csv,
            f.json
        );
    }
    o
}
