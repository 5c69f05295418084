//! A made-up report to try the renderer on.

use super::{ActionView, CostTerm, CrewView, DutyView, Interval, KpiSet, PlanView, RecoveryReport};

/// A small made-up report (a JFK ground stop, two plans); its numbers are invented, not the twin's.
pub fn sample() -> RecoveryReport {
    let iv = |mean: f64, half: f64| Interval {
        mean,
        lower: mean - half,
        upper: mean + half,
    };
    let kpis = |cost: f64, p90: f64, cancelled: f64, illegal: f64| KpiSet {
        cost: iv(cost, cost * 0.05),
        mean_arrival_delay_min: iv(p90 / 3.0, 2.0),
        p90_arrival_delay_min: iv(p90, 6.0),
        on_time_rate: iv(0.8 - p90 / 1000.0, 0.02),
        cancelled_legs: iv(cancelled, 0.4),
        crew_illegality_probability: iv(illegal, 0.03),
        misconnects: iv(cancelled * 20.0, 5.0),
    };
    let baseline = kpis(120_000.0, 140.0, 6.0, 0.35);
    let plan = |rank: usize, policy: &str, cost: f64, p90: f64, saving: f64, half: f64| PlanView {
        rank,
        policy: policy.into(),
        legal: true,
        cost: cost * 0.2,
        cost_breakdown: vec![
            CostTerm {
                term: "delay".into(),
                amount: cost * 0.15,
            },
            CostTerm {
                term: "reserve call-outs".into(),
                amount: cost * 0.05,
            },
        ],
        kpis: kpis(cost, p90, 3.0, 0.05),
        vs_baseline: KpiSet {
            cost: iv(-saving, half),
            mean_arrival_delay_min: iv(p90 / 3.0 - 140.0 / 3.0, 1.5),
            p90_arrival_delay_min: iv(p90 - 140.0, 5.0),
            on_time_rate: iv((140.0 - p90) / 1000.0, 0.01),
            cancelled_legs: iv(-3.0, 0.3),
            crew_illegality_probability: iv(-0.30, 0.04),
            misconnects: iv(-60.0, 4.0),
        },
        crew_contacted: 2,
        actions: vec![
            ActionView {
                kind: "call_out".into(),
                who: vec!["C042".into()],
                text: "Call reserve first officer C042 at JFK for B6 1234 JFK-BOS at 15:40".into(),
            },
            ActionView {
                kind: "retime".into(),
                who: vec!["B6 1234".into()],
                text: "Move B6 1234 JFK-BOS from 15:10 to 15:40".into(),
            },
        ],
        crew: vec![CrewView {
            crew: "C042".into(),
            role: "FO JFK, reserve called out".into(),
            legal: true,
            violations: Vec::new(),
            kss_peak: Some(7.3),
            duties: vec![DutyView {
                report: "Tue 2 Jul 14:40".into(),
                release: "Tue 2 Jul 23:10".into(),
                kss_peak: Some(7.3),
            }],
        }],
        uncovered: Vec::new(),
        feedback: Vec::new(),
    };
    RecoveryReport {
        scenario: "jfk-ground-stop".into(),
        description: "A two-hour ground stop at JFK on a July afternoon.".into(),
        data_set: "embedded default".into(),
        decision_time: "Tue 2 Jul 13:00 (America/New_York)".into(),
        window: "Tue 2 Jul 13:00 to Wed 3 Jul 04:00".into(),
        replications: 200,
        seed: 7,
        baseline,
        plans: vec![
            plan(1, "lns+milp", 95_000.0, 110.0, 25_000.0, 4_000.0),
            plan(2, "constructive+greedy", 118_000.0, 128.0, 2_000.0, 3_000.0),
        ],
        recommended: 0,
        why: "lns+milp saves 25,000 against doing nothing (95% CI 21,000 to 29,000) and cuts the 90th \
              percentile delay by 30 minutes, with no crew illegality in 95% of replications."
            .into(),
        notes: vec!["Numbers invented for the example.".into()],
    }
}
