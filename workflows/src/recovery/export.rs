//! `recover --schedule-out F.csv`: the recommended plan as a change another system loads.
//!
//! - `F.csv`, the changed legs, one row each, in order of scheduled departure: `carrier`, `flight` (the
//!   timetable's number; empty for a leg the data set inferred, which has none), `date` (local departure
//!   date at the origin), `origin`, `destination`, `old_out_utc` and `new_out_utc` (ISO 8601, ending in Z;
//!   `new_out_utc` empty for a cancelled leg), `old_tail` and `new_tail` (registrations; `new_tail` empty for
//!   a cancelled leg), `status`: `cancelled`, else `retimed` (a retimed leg flown by another tail too says
//!   so in `new_tail`), else `swapped`. Imposed cancellations and delays are changes to the timetable too,
//!   so they are listed.
//! - `F.crew.csv` beside it, the crew changes per member, one row per new duty (one row with empty duty
//!   fields for a member left without one), by crew id: `crew_id`, `rank`, `base`, `action` (what happens to
//!   them, `;`-separated: `reserve_callout`, `swap`, `replaced`, `deadhead`, `stand_down`, `stranded`,
//!   `duty_changed`), `duty_report_local`, `duty_release_local`, `legs` (`;`-separated, each with its
//!   local and UTC departure and `deadhead` where ridden as a passenger).
//!
//! When doing nothing is recommended, both files hold their header only. Both are written to temporary files
//! in the target's folder and then renamed into place, so a reader never sees half of one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use ucodts_model::recovery::{FlightIdx, RecoveryAction, RecoveryProblem};
use ucodts_model::{LegId, Schedule};
use ucodts_optimizer::integrated::JointPlan;

use super::crew_words::CrewChange;
use super::registration;
use crate::error::{Context, Result};

/// The columns of the changed legs' file.
pub const LEGS_HEADER: [&str; 10] = [
    "carrier",
    "flight",
    "date",
    "origin",
    "destination",
    "old_out_utc",
    "new_out_utc",
    "old_tail",
    "new_tail",
    "status",
];

/// The columns of the crew changes' file.
pub const CREW_HEADER: [&str; 7] = [
    "crew_id",
    "rank",
    "base",
    "action",
    "duty_report_local",
    "duty_release_local",
    "legs",
];

/// Where the schedule export went, and what it holds.
#[derive(Debug, Clone, Serialize)]
pub struct ScheduleFiles {
    /// The changed legs (`F.csv`).
    pub legs: String,
    /// The crew changes per member (`F.crew.csv`).
    pub crew: String,
    pub changed_legs: usize,
    pub crew_members: usize,
}

/// The crew file beside `legs`: `plan.csv` -> `plan.crew.csv`.
pub fn crew_path(legs: &Path) -> PathBuf {
    legs.with_extension("crew.csv")
}

/// The recommended plan and what it is read against.
#[derive(Clone, Copy)]
pub struct Recommended<'a> {
    pub schedule: &'a Schedule,
    pub problem: &'a RecoveryProblem,
    pub plan: &'a JointPlan,
    /// The plan's crew changes by member ([`super::PlanJson::crew_changes`]).
    pub crew: &'a [CrewChange],
}

/// Writes the recommended plan's changes (`None`: doing nothing is recommended, headers only) to `path`
/// and the crew file beside it.
pub fn write(recommended: Option<Recommended<'_>>, path: &Path) -> Result<ScheduleFiles> {
    let legs = recommended.map_or_else(Vec::new, |r| leg_rows(r.schedule, r.problem, r.plan));
    let crew = recommended.map_or_else(Vec::new, |r| crew_rows(r.crew));
    let crew_file = crew_path(path);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating the folder {} for --schedule-out", dir.display()))?;
    }
    crate::write_files(&[
        (path, csv(&LEGS_HEADER, &legs)),
        (&crew_file, csv(&CREW_HEADER, &crew)),
    ])?;
    Ok(ScheduleFiles {
        legs: path.display().to_string(),
        crew: crew_file.display().to_string(),
        changed_legs: legs.len(),
        crew_members: recommended.map_or(0, |r| r.crew.len()),
    })
}

/// What the plan does to one flight.
#[derive(Default)]
struct LegChange {
    cancelled: bool,
    by: Option<ucodts_model::Minutes>,
    to: Option<ucodts_model::recovery::AircraftIdx>,
}

/// One row per changed leg, by scheduled departure.
fn leg_rows(schedule: &Schedule, problem: &RecoveryProblem, joint: &JointPlan) -> Vec<Vec<String>> {
    let mut changes: BTreeMap<FlightIdx, LegChange> = BTreeMap::new();
    for action in joint.aircraft.plan().actions(problem) {
        match action {
            RecoveryAction::Retime { flight, by } => {
                changes.entry(flight).or_default().by = Some(by)
            }
            RecoveryAction::Cancel { flight } => {
                changes.entry(flight).or_default().cancelled = true
            }
            RecoveryAction::TailSwap { flight, to, .. } => {
                changes.entry(flight).or_default().to = Some(to)
            }
            _ => {}
        }
    }
    let mut rows: Vec<(ucodts_model::UtcMinute, Vec<String>)> = changes
        .into_iter()
        .filter_map(|(f, change)| {
            let flight = problem.flight(f);
            let leg = schedule.leg(LegId(flight.number))?;
            let out = leg.scheduled_out;
            let old_tail = registration(problem, flight.planned_aircraft);
            let (new_out, new_tail, status) = if change.cancelled {
                (String::new(), String::new(), "cancelled")
            } else {
                let new_tail = change
                    .to
                    .map_or_else(|| old_tail.clone(), |to| registration(problem, to));
                match change.by {
                    Some(by) => ((out + by).to_string(), new_tail, "retimed"),
                    None => (out.to_string(), new_tail, "swapped"),
                }
            };
            let date = schedule
                .airport(leg.origin)
                .map_or_else(String::new, |a| a.time_zone.to_local(out).date.to_string());
            Some((
                out,
                vec![
                    leg.carrier.to_string(),
                    leg.flight_number
                        .map_or_else(String::new, |n| n.to_string()),
                    date,
                    leg.origin.to_string(),
                    leg.destination.to_string(),
                    out.to_string(),
                    new_out,
                    old_tail,
                    new_tail,
                    status.to_string(),
                ],
            ))
        })
        .collect();
    rows.sort();
    rows.into_iter().map(|(_, row)| row).collect()
}

/// One row per member and new duty (one with empty duty fields for a member without one).
fn crew_rows(changes: &[CrewChange]) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for c in changes {
        let head = [
            c.crew.clone(),
            c.rank.to_string(),
            c.base.clone(),
            c.actions.join(";"),
        ];
        if c.duties.is_empty() {
            rows.push(head.iter().cloned().chain(vec![String::new(); 3]).collect());
        }
        for d in &c.duties {
            let legs: Vec<String> = d
                .legs
                .iter()
                .map(|l| {
                    let number = l.flight.clone().unwrap_or_else(|| format!("leg {}", l.leg));
                    format!(
                        "{} {number} {}-{} out {} = {}{}",
                        l.carrier,
                        l.origin,
                        l.destination,
                        l.out_local,
                        l.out,
                        if l.seat == "deadhead" {
                            " deadhead"
                        } else {
                            ""
                        }
                    )
                })
                .collect();
            rows.push(
                head.iter()
                    .cloned()
                    .chain([
                        d.report_local.clone(),
                        d.release_local.clone(),
                        legs.join("; "),
                    ])
                    .collect(),
            );
        }
    }
    rows
}

/// A CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180).
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn csv(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = header.join(",");
    out.push('\n');
    for row in rows {
        let fields: Vec<String> = row.iter().map(|f| field(f)).collect();
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_with_commas_or_quotes_are_quoted() {
        assert_eq!(field("B6"), "B6");
        assert_eq!(field("a, b"), "\"a, b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(
            csv(&["a", "b"], &[vec!["1".into(), "x,y".into()]]),
            "a,b\n1,\"x,y\"\n"
        );
    }

    #[test]
    fn the_crew_file_sits_beside_the_legs_file() {
        assert_eq!(
            crew_path(Path::new("out/plan.csv")),
            Path::new("out/plan.crew.csv")
        );
        assert_eq!(crew_path(Path::new("plan")), Path::new("plan.crew.csv"));
    }

    #[test]
    fn with_doing_nothing_recommended_both_files_hold_their_header_only_and_no_temporary_file_is_left(
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.csv");
        let files = write(None, &path).unwrap();
        assert_eq!((files.changed_legs, files.crew_members), (0, 0));
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            format!("{}\n", LEGS_HEADER.join(","))
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("plan.crew.csv")).unwrap(),
            format!("{}\n", CREW_HEADER.join(","))
        );
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["plan.crew.csv", "plan.csv"]);
    }

    #[test]
    fn a_folder_is_refused_as_the_target() {
        let dir = tempfile::tempdir().unwrap();
        let error = write(None, dir.path()).unwrap_err();
        assert!(error.to_string().contains("it is a folder"), "{error}");
    }
}
