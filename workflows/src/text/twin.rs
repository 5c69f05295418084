//! The twin's results: simulated days, scenario runs, fitting, validation, the scenario library.

use crate::scenario::{ListedScenario, ScenarioCheck};
use crate::twin::{FitOutput, ScenarioOutput, SimulateOutput};
use ucodts_actors::kpi::MISCONNECTS_NOTE;
use ucodts_actors::ValidationReport;

use super::{maybe, number, say, table, thousands};

pub fn simulate(out: &SimulateOutput) -> String {
    let mut o = String::new();
    say!(o,
        "Simulated {} .. {} (local operating days) of {}: {} legs ({} recorded), {} tails, {} crew members",
        out.from,
        out.to,
        out.data_set.name,
        thousands(out.legs as u64),
        thousands(out.recorded_legs as u64),
        thousands(out.aircraft as u64),
        thousands(out.crew as u64)
    );
    say!(
        o,
        "{} replications, seed {}, delay model: {}; quantiles exact over the replications",
        thousands(out.replications),
        out.seed,
        out.delay_model.source
    );
    let rows: Vec<Vec<String>> = out
        .kpis
        .iter()
        .map(|m| {
            let ci = m.ci95.map_or("-".to_string(), |c| {
                format!("{} .. {}", number(c.lower, 3), number(c.upper, 3))
            });
            let q = |x: f64| number(x, 3);
            vec![
                m.name.clone(),
                q(m.mean),
                ci,
                q(m.min),
                q(m.p05),
                q(m.p50),
                q(m.p95),
                q(m.max),
            ]
        })
        .collect();
    o.push_str(&table(
        &[
            "KPI",
            "mean",
            "95% CI of the mean",
            "min",
            "p05",
            "p50",
            "p95",
            "max",
        ],
        &rows,
    ));
    let f = &out.crew_fatigue;
    say!(
        o,
        "  crew fatigue (planned roster): {} duties, {} at KSS {} or more, peak KSS {}",
        thousands(f.duties as u64),
        thousands(f.alerts as u64),
        f.alert_kss,
        maybe(f.max_peak_kss, 2)
    );
    say!(o, "  ({MISCONNECTS_NOTE})");
    o
}

pub fn scenario(out: &ScenarioOutput) -> String {
    let mut o = String::new();
    say!(o,
        "Scenario `{}` ({}), {} .. {} (local operating days): {} replications, seed {}, common random numbers",
        out.scenario, out.file, out.from, out.to, thousands(out.replications), out.seed
    );
    let rows: Vec<Vec<String>> = out
        .kpis
        .iter()
        .map(|k| {
            let ci = k.difference.ci95.map_or("-".to_string(), |[l, u]| {
                format!("{} .. {}", number(l, 3), number(u, 3))
            });
            vec![
                k.name.to_string(),
                number(k.baseline, 3),
                number(k.scenario, 3),
                number(k.difference.mean, 3),
                ci,
            ]
        })
        .collect();
    o.push_str(&table(
        &[
            "KPI",
            "baseline",
            "scenario",
            "difference",
            "95% CI of difference",
        ],
        &rows,
    ));
    if let Some(f) = &out.report {
        say!(
            o,
            "Report: {} (open in a browser; the same numbers in {} and {})",
            f.html,
            f.csv,
            f.json
        );
    }
    o
}

pub fn fit(out: &FitOutput) -> String {
    let mut o = String::new();
    let f = &out.fitted_on;
    say!(o,
        "Fitted on {} .. {} of {}: {} departures, {} arrivals, {} turn chains; {} departure-delay and {} \
         block-time cells. Wrote {}.",
        f.from,
        f.to,
        out.data_set.name,
        thousands(f.departures),
        thousands(f.arrivals),
        thousands(f.turn_chains),
        thousands(out.departure_delay_cells as u64),
        thousands(out.block_time_cells as u64),
        out.out
    );
    if let Some([a, b]) = &f.excluded {
        say!(o, "Left out {a} .. {b}.");
    }
    say!(
        o,
        "Disruption model (cancellation and delay, weather as a perfect forecast) fitted on {} departures, \
         {} cancelled.",
        thousands(out.disruption_legs),
        thousands(out.disruption_cancelled)
    );
    o
}

pub fn validation(r: &ValidationReport) -> String {
    let mut o = String::new();
    say!(
        o,
        "Validation of {} .. {} (model fitted on {} .. {}{}{}), {} replications, seed {}",
        r.from,
        r.to,
        r.fitted_from,
        r.fitted_to,
        r.fitted_excluding
            .as_ref()
            .map_or(String::new(), |[a, b]| format!(" without {a} .. {b}")),
        match r.overlaps_fitted_days {
            true => "; OVERLAPS the validated days: not a held-out test",
            false => "; held out",
        },
        thousands(r.replications),
        r.seed
    );
    say!(o, "  {}", r.note);
    let pct = |x: f64| format!("{:.1} %", x * 100.0);
    let mut rows: Vec<Vec<String>> = r
        .days
        .iter()
        .map(|d| {
            vec![
                d.date.clone(),
                thousands(d.flights),
                pct(d.recorded.on_time_rate),
                pct(d.simulated.on_time_rate),
                format!("{:+.1}", d.on_time_rate_difference_pp),
                pct(d.recorded.cancelled_share),
                pct(d.simulated.cancelled_share),
                format!("{:.1} min", d.recorded.mean_arrival_delay_min),
                format!("{:.1} min", d.simulated.mean_arrival_delay_min),
            ]
        })
        .collect();
    let c = &r.overall;
    rows.push(vec![
        "all days".into(),
        thousands(c.recorded_flights),
        pct(c.recorded_on_time_rate),
        pct(c.simulated_on_time_rate),
        format!("{:+.1}", c.on_time_rate_difference_pp),
        pct(c.recorded_cancelled_share),
        pct(c.simulated_cancelled_share),
        format!("{:.1} min", c.recorded_mean_arrival_delay_min),
        format!("{:.1} min", c.simulated_mean_arrival_delay_min),
    ]);
    o.push_str(&table(
        &[
            "day",
            "flights",
            "OTP record",
            "OTP twin",
            "diff pp",
            "cancelled record",
            "cancelled twin",
            "delay record",
            "delay twin",
        ],
        &rows,
    ));
    if let Some(ci) = r.simulated_on_time_rate_ci95 {
        say!(
            o,
            "  simulated OTP 95% CI of the mean: {:.1} % .. {:.1} %",
            ci.lower * 100.0,
            ci.upper * 100.0
        );
    }
    if let Some(corr) = r.daily_on_time_correlation {
        say!(
            o,
            "  daily on-time rate: correlation with the record r = {:.3}, mean absolute error {:.1} pp",
            corr,
            r.daily_on_time_mean_absolute_error_pp
        );
    }
    say!(
        o,
        "  Kolmogorov-Smirnov distance of arrival delays (record vs twin): {:.3}",
        r.ks_distance
    );
    o
}

pub fn scenario_list(listed: &[ListedScenario]) -> String {
    let mut o = String::new();
    say!(o, "Scenario library ({} scenarios)", listed.len());
    let rows: Vec<Vec<String>> = listed
        .iter()
        .map(|l| vec![l.name.clone(), l.description.clone()])
        .collect();
    for row in rows {
        say!(o, "  {:<28}  {}", row[0], row[1]);
    }
    o
}

pub fn scenario_check(c: &ScenarioCheck) -> String {
    let mut o = String::new();
    say!(
        o,
        "{}: scenario `{}` is valid ({} to {}, {} replications, seed {})",
        c.file,
        c.name,
        c.from,
        c.to,
        c.replications,
        c.seed
    );
    for d in &c.disruptions {
        say!(o, "  {:24} {} .. {}", d.kind, d.from, d.to);
    }
    o
}
