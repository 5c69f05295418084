//! The researchers' benchmarks as tables: ROADEF 2009 and crew recovery.

use crate::crew_bench::CaseResult;
use crate::roadef_bench::BenchReport;

use super::{maybe, number, say, table, thousands};

pub fn roadef(report: &BenchReport) -> String {
    let mut o = String::new();
    say!(o,
        "ROADEF 2009, policy {}, {} s and {} thread(s) per instance, minimising the {} cost; costs in EUR; \
         published best = the 2008 qualification round's best of four (not the best known)",
        report.policy_cmd.as_deref().unwrap_or(&report.policy), report.time_limit_s, report.threads,
        match report.objective {
            crate::roadef_bench::Objective::Official => "official",
            crate::roadef_bench::Objective::Honest => "honest (no round-trip shortcut, no swapped-aircraft term)",
        }
    );
    let secs = |s: Option<f64>| s.map_or("-".to_string(), |s| format!("{s:.2} s"));
    let gap = |g: Option<f64>| g.map_or("-".to_string(), |g| format!("{g:+.1} %"));
    let rows: Vec<Vec<String>> = report
        .instances
        .iter()
        .map(|r| {
            vec![
                r.instance.clone(),
                thousands(r.flights as u64),
                match (r.feasible, &r.policy_error) {
                    (true, _) => "yes".into(),
                    (false, Some(_)) => "no (policy failed)".into(),
                    (false, None) => format!("no ({})", r.violations),
                },
                maybe(r.cost, 2),
                maybe(r.published_best, 2),
                gap(r.gap_percent),
                maybe(r.cost_2008_rules, 2),
                gap(r.gap_percent_2008_rules),
                maybe(r.cost_without_round_trip_shortcut, 2),
                gap(r.gap_percent_without_round_trip_shortcut),
                maybe(r.cost_without_quirks, 2),
                gap(r.gap_percent_without_quirks),
                secs(r.seconds_to_first_feasible),
                secs(r.seconds_to_best),
            ]
        })
        .collect();
    o.push_str(&table(
        &[
            "instance",
            "flights",
            "feasible",
            "cost",
            "published best",
            "gap",
            "2008-rules cost",
            "gap",
            "no round-trip shortcut",
            "gap",
            "no quirks",
            "gap",
            "1st feasible",
            "best",
        ],
        &rows,
    ));
    let feasible = report.instances.iter().filter(|r| r.feasible);
    let gaps: Vec<f64> = feasible.clone().filter_map(|r| r.gap_percent).collect();
    let gaps_2008: Vec<f64> = feasible
        .clone()
        .filter_map(|r| r.gap_percent_2008_rules)
        .collect();
    let gaps_strict: Vec<f64> = feasible
        .filter_map(|r| r.gap_percent_without_quirks)
        .collect();
    if !gaps.is_empty() {
        let mean = |g: &[f64]| g.iter().sum::<f64>() / g.len() as f64;
        say!(o,
            "  mean gap to the 2008 best over {} set-A instance(s): {:+.1} % ({:+.1} % by the 2008 rules, \
             without the swapped-aircraft term the published costs did not have; {:+.1} % without either quirk)",
            gaps.len(),
            mean(&gaps),
            mean(&gaps_2008),
            mean(&gaps_strict)
        );
    }
    for r in &report.instances {
        if let Some(why) = &r.policy_error {
            say!(o, "  {}: the policy failed: {why}", r.instance);
        }
    }
    let overheads: Vec<f64> = report
        .instances
        .iter()
        .filter_map(|r| r.overhead_ms)
        .collect();
    if let Some(max) = overheads.iter().copied().reduce(f64::max) {
        say!(o,
            "  overhead per external call (start, exit, read, check): mean {:.1} ms, max {:.1} ms over {} call(s)",
            overheads.iter().sum::<f64>() / overheads.len() as f64,
            max,
            overheads.len()
        );
    }
    o
}

pub fn crew(results: &[CaseResult]) -> String {
    let mut o = String::new();
    let rows: Vec<Vec<String>> = results
        .iter()
        .map(|r| {
            vec![
                format!("{}: {}", r.data_set, r.case),
                r.policy.to_string(),
                thousands(r.affected_crew as u64),
                thousands(u64::from(r.open_positions)),
                thousands(u64::from(r.uncovered_positions)),
                thousands(r.uncovered_legs as u64),
                format!("{} min", thousands(r.delay_minutes.max(0) as u64)),
                thousands(r.crew_contacted as u64),
                thousands(r.reserves_called as u64),
                thousands(r.deadheads as u64),
                number(r.cost as f64, 0),
                if r.legal { "yes" } else { "NO" }.into(),
                format!("{:.2} s", r.seconds),
            ]
        })
        .collect();
    o.push_str(&table(
        &[
            "data set: case",
            "policy",
            "affected",
            "open",
            "uncov pos",
            "uncov legs",
            "delay",
            "contacted",
            "reserves",
            "deadheads",
            "cost units",
            "legal",
            "time",
        ],
        &rows,
    ));
    o
}
