//! The researchers' benchmarks as tables: ROADEF 2009 and crew recovery.

use crate::crew_bench::CaseResult;
use crate::roadef_bench::BenchReport;

use super::{maybe, number, say, table, thousands};

pub fn roadef(report: &BenchReport) -> String {
    let mut o = String::new();
    say!(o,
        "ROADEF 2009, policy {}, {} s and {} thread(s) per instance; costs in EUR; published best = best of \
         the top four qualified teams on set A",
        report.policy, report.time_limit_s, report.threads
    );
    let secs = |s: Option<f64>| s.map_or("-".to_string(), |s| format!("{s:.2} s"));
    let rows: Vec<Vec<String>> = report
        .instances
        .iter()
        .map(|r| {
            vec![
                r.instance.clone(),
                thousands(r.flights as u64),
                match r.feasible {
                    true => "yes".into(),
                    false => format!("no ({})", r.violations),
                },
                number(r.cost, 2),
                maybe(r.published_best, 2),
                r.gap_percent.map_or("-".into(), |g| format!("{g:+.1} %")),
                number(r.cost_2008_rules, 2),
                r.gap_percent_2008_rules
                    .map_or("-".into(), |g| format!("{g:+.1} %")),
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
            "1st feasible",
            "best",
        ],
        &rows,
    ));
    let feasible = report.instances.iter().filter(|r| r.feasible);
    let gaps: Vec<f64> = feasible.clone().filter_map(|r| r.gap_percent).collect();
    let gaps_2008: Vec<f64> = feasible.filter_map(|r| r.gap_percent_2008_rules).collect();
    if !gaps.is_empty() {
        let mean = |g: &[f64]| g.iter().sum::<f64>() / g.len() as f64;
        say!(o,
            "  mean gap to the published best over {} set-A instance(s): {:+.1} % ({:+.1} % by the 2008 rules, \
             without the swapped-aircraft term the published costs did not have)",
            gaps.len(),
            mean(&gaps),
            mean(&gaps_2008)
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
