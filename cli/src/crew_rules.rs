//! The crew scheduler's commands: flight-time-limitation tables (`rules fdp-limit`), roster legality
//! (`legality`) and the fatigue forecast (`fatigue`). Each is a thin layer over `ucodts_model::{rules,
//! legality, fatigue}`.

use anyhow::{bail, Context, Result};
use ucodts_model::{fatigue, legality, rules, CrewId, Schedule};

use crate::table::thousands;

/// `07:30` -> 450.
fn report_minute(text: &str) -> Result<i64> {
    let (h, m) = text
        .split_once(':')
        .with_context(|| format!("--report {text:?}: expected a local time HH:MM"))?;
    match (h.parse::<i64>(), m.parse::<i64>()) {
        (Ok(h), Ok(m))
            if (0..24).contains(&h)
                && (0..60).contains(&m)
                && m.to_string().len() <= 2
                && h.to_string().len() <= 2 =>
        {
            Ok(h * 60 + m)
        }
        _ => bail!("--report {text:?}: expected a local time HH:MM between 00:00 and 23:59"),
    }
}

pub fn fdp_limit(
    rule_set: &str,
    report: &str,
    segments: usize,
    acclimated: bool,
    json: bool,
) -> Result<()> {
    if segments == 0 {
        bail!("--segments 0: a flight duty period has at least one segment");
    }
    let rules = rules::by_name(rule_set)?;
    let minute = report_minute(report)?;
    let limit = rules
        .max_fdp(minute, segments, acclimated)
        .with_context(|| {
            format!(
                "reading the {} FDP table for a {report} report with {segments} segments",
                rules.name()
            )
        })?;
    if json {
        println!("{}", serde_json::to_string_pretty(&limit)?);
    } else {
        println!(
            "{}: {} (cell {}): a {report} report with {segments} segments may last {}.",
            rules.title(),
            limit.rule,
            limit.cell(),
            limit.limit
        );
        if let Some(r) = &limit.reduction {
            println!(
                "  includes {} less because {} ({})",
                r.by, r.because, r.rule
            );
        }
    }
    Ok(())
}

pub fn legality(schedule: &Schedule, rule_set: &str, crew: Option<&str>, json: bool) -> Result<()> {
    let rules = rules::by_name(rule_set)?;
    let report = match crew {
        Some(id) => {
            let id = CrewId::new(id);
            let member = schedule
                .crew_member(&id)
                .with_context(|| format!("--crew {id}: no such crew member"))?;
            if !rules.covers(member.rank) {
                bail!(
                    "--crew {id}: {} does not cover the rank {}",
                    rules.title(),
                    member.rank
                );
            }
            legality::LegalityReport {
                crew_checked: 1,
                violations: legality::check_roster(schedule, &id, rules),
                ..legality::LegalityReport::default()
            }
        }
        None => legality::check_all(schedule, rules),
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    println!(
        "{}: {} crew members checked ({} not covered), {} violations, {} duties that could not be checked.",
        rules.title(),
        thousands(report.crew_checked as u64),
        thousands(report.crew_not_covered as u64),
        thousands(report.violations.len() as u64),
        thousands(report.unchecked.len() as u64)
    );
    const SHOWN: usize = 25;
    for v in report.violations.iter().take(SHOWN) {
        println!(
            "  {} {}: {} [{}]",
            v.crew,
            v.kind.tag(),
            v.explain(),
            v.rule
        );
    }
    if report.violations.len() > SHOWN {
        println!(
            "  ... {} more (all of them with --json)",
            report.violations.len() - SHOWN
        );
    }
    Ok(())
}

pub fn fatigue(schedule: &Schedule, top: usize, json: bool) -> Result<()> {
    let forecast = fatigue::forecast_schedule(schedule);
    let worst = forecast.most_fatigued(top);
    let alerts = forecast.alerts().count();
    if json {
        #[derive(serde::Serialize)]
        struct Out<'a> {
            duties_forecast: usize,
            alert_kss: f64,
            alerts: usize,
            most_fatigued: Vec<&'a fatigue::DutyFatigue>,
        }
        let out = Out {
            duties_forecast: forecast.duties.len(),
            alert_kss: forecast.alert_kss,
            alerts,
            most_fatigued: worst,
        };
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    println!(
        "Three-Process Model forecast of {} duties: {} reach KSS {} or more. The {} most fatigued:",
        thousands(forecast.duties.len() as u64),
        thousands(alerts as u64),
        forecast.alert_kss,
        worst.len()
    );
    println!(
        "  {:<18} {:>8} {:>5} {:<18} {:<18} {:>5}",
        "crew", "pairing", "duty", "report (UTC)", "peak at (UTC)", "KSS"
    );
    for d in worst {
        println!(
            "  {:<18} {:>8} {:>5} {:<18} {:<18} {:>5.2}",
            d.crew.to_string(),
            d.pairing.to_string(),
            d.duty,
            d.report.to_string(),
            d.peak_at.to_string(),
            d.peak_kss
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_times_are_read_as_local_hh_mm() {
        assert_eq!(report_minute("07:30").unwrap(), 450);
        assert_eq!(report_minute("00:00").unwrap(), 0);
        for bad in ["7.30", "24:00", "07:60", "ab:cd", "07:300"] {
            assert!(report_minute(bad).is_err(), "{bad}");
        }
    }
}
