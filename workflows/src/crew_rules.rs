//! The crew scheduler's questions: flight-time-limitation tables (`rules fdp-limit`), roster legality
//! (`legality`) and the fatigue forecast (`fatigue`), over `ucodts_model::{rules, legality, fatigue}`.

use serde::Serialize;
use ucodts_model::{fatigue, legality, rules, CrewId, Schedule};

use crate::bail;
use crate::error::{Context, Result};

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

/// A limit looked up in a rule set's FDP table, with the rule set's title for people.
pub struct FdpAnswer {
    pub rule_set_title: String,
    pub limit: rules::FdpLimit,
}

/// The maximum flight duty period of an unaugmented crew for a local report time `HH:MM` and segment count.
pub fn fdp_limit(
    rule_set: &str,
    report: &str,
    segments: usize,
    acclimated: bool,
) -> Result<FdpAnswer> {
    if segments == 0 {
        bail!("--segments 0: a flight duty period has at least one segment");
    }
    let rules = rules::by_name(rule_set).context("--rules")?;
    let minute = report_minute(report)?;
    let limit = rules
        .max_fdp(minute, segments, acclimated)
        .with_context(|| {
            format!(
                "reading the {} FDP table for a {report} report with {segments} segments",
                rules.name()
            )
        })?;
    Ok(FdpAnswer {
        rule_set_title: rules.title().to_string(),
        limit,
    })
}

/// Every roster (or one crew member's) against a rule set, with the rule set's title.
pub fn legality(
    schedule: &Schedule,
    rule_set: &str,
    crew: Option<&str>,
) -> Result<(String, legality::LegalityReport)> {
    let rules = rules::by_name(rule_set).context("--rules")?;
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
    Ok((rules.title().to_string(), report))
}

/// The fatigue forecast across the rosters: the `top` most fatigued duties.
#[derive(Debug, Serialize)]
pub struct FatigueSummary {
    pub duties_forecast: usize,
    pub alert_kss: f64,
    pub alerts: usize,
    pub most_fatigued: Vec<fatigue::DutyFatigue>,
}

/// Forecasts crew fatigue (Three-Process Model, KSS) and lists the `top` most fatigued duties.
pub fn fatigue(schedule: &Schedule, top: usize) -> FatigueSummary {
    let forecast = fatigue::forecast_schedule(schedule);
    FatigueSummary {
        duties_forecast: forecast.duties.len(),
        alert_kss: forecast.alert_kss,
        alerts: forecast.alerts().count(),
        most_fatigued: forecast.most_fatigued(top).into_iter().cloned().collect(),
    }
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
