//! The crew-recovery benchmark (`ucodts bench crew-recovery`): the crew recovery policies on a fixed set of disruptions of the embedded
//! default and of the GMCM 2021 F contest data (Data A whole, three days of Data B), with the crew plan's
//! own measures: positions and legs left uncovered, crew contacted, reserves called, deadheads, cost,
//! legality under the rule set, and solve time.
//!
//! The contest gives no planned roster, so the GMCM cases run on the crew generator's
//! (`ucodts_datasets::gmcm2021f::rostered`); its pilot counts are printed beside the contest's.

use std::path::PathBuf;
use std::time::Duration;

use crate::error::{Context, Result};
use serde::Serialize;
use ucodts_datasets::gmcm2021f::{self, DataSet, DaySlice};
use ucodts_model::recovery::crew::{CrewDisruption, CrewRecoveryProblem, LegChange, SickCall};
use ucodts_model::{AirportCode, Date, Leg, LegId, Minutes, Rank, Schedule, UtcMinute};
use ucodts_optimizer::crew::{
    crew_policy_by_name, CrewRecoveryOptions, CrewSolution, CREW_POLICY_NAMES,
};

use crate::progress::Progress;

/// What `bench crew-recovery` is asked for.
#[derive(Debug, Clone)]
pub struct CrewBenchRequest {
    /// The folder of the GMCM 2021 F files (DataA_Flight.csv, ...); without them the GMCM cases are skipped
    /// and the embedded default's still run.
    pub instances_dir: PathBuf,
    /// Seconds the MILP may take per case.
    pub time_limit_seconds: f64,
    /// Candidate rosters kept per crew member and reserve, for every policy.
    pub columns_per_crew: usize,
    /// Only the first N cases of each data set (for quick runs and tests).
    pub cases: Option<usize>,
}

/// One case solved by one policy, as printed with `--json`.
#[derive(Clone, Debug, Serialize)]
pub struct CaseResult {
    pub data_set: String,
    pub case: String,
    pub policy: &'static str,
    /// Crew members whose rosters the disruption breaks (sick, or a leg changed under them).
    pub affected_crew: usize,
    /// Crew positions on legs in the window left without their rostered crew.
    pub open_positions: u32,
    pub uncovered_positions: u32,
    pub uncovered_legs: usize,
    /// Departure delay the case imposes (sum over retimed legs), the same for every policy.
    pub delay_minutes: i64,
    pub crew_contacted: usize,
    pub reserves_called: usize,
    pub deadheads: usize,
    /// The plan's cost in cost units (`CrewCostWeights::default`).
    pub cost: i64,
    /// Every roster legal under the rule set and the plan well formed.
    pub legal: bool,
    pub seconds: f64,
}

/// A disruption to solve, with its name.
struct Case {
    name: String,
    disruption: CrewDisruption,
}

/// A data set with its cases.
struct Bench {
    name: String,
    schedule: Schedule,
    cases: Vec<Case>,
}

/// Runs every crew policy on every case; `progress.note` says which data sets were read or skipped.
pub fn run(args: &CrewBenchRequest, progress: &dyn Progress) -> Result<Vec<CaseResult>> {
    let time_limit = Duration::try_from_secs_f64(args.time_limit_seconds).with_context(|| {
        format!(
            "--time-limit {} is not a number of seconds",
            args.time_limit_seconds
        )
    })?;
    // One set of options for every policy: the MILP starts from the greedy repair's plan under the same
    // options, so it can only cost less.
    let options = CrewRecoveryOptions {
        milp_time_limit: time_limit,
        max_columns_per_crew: args.columns_per_crew.max(1),
        ..CrewRecoveryOptions::default()
    };
    let mut benches = Vec::new();
    progress.stage("building the embedded default's crew", None);
    benches.push(embedded_bench()?);
    progress.done();
    let dir = &args.instances_dir;
    if dir.join(DataSet::A.flight_file()).is_file() {
        for (data_set, slice, day) in gmcm_sets()? {
            progress.stage(&format!("rostering GMCM data {}", data_set.name()), None);
            let (bench, line) = gmcm_bench(dir, data_set, slice, day)?;
            progress.done();
            progress.note(&line);
            benches.push(bench);
        }
    } else {
        progress.note(&format!(
            "GMCM 2021 F cases skipped: {} holds no {} (pass --instances-dir)",
            dir.display(),
            DataSet::A.flight_file()
        ));
    }
    for b in &mut benches {
        if let Some(n) = args.cases {
            b.cases.truncate(n);
        }
    }
    let runs: usize = benches
        .iter()
        .map(|b| b.cases.len() * CREW_POLICY_NAMES.len())
        .sum();
    progress.stage("crew recovery", Some(runs as u64));
    let mut results = Vec::new();
    for b in &benches {
        for case in &b.cases {
            results.extend(solve_case(b, case, &options, &|| progress.step())?);
        }
    }
    progress.done();
    Ok(results)
}

/// Every crew policy on one case.
fn solve_case(
    bench: &Bench,
    case: &Case,
    options: &CrewRecoveryOptions,
    tick: &dyn Fn(),
) -> Result<Vec<CaseResult>> {
    let problem = CrewRecoveryProblem::new(&bench.schedule, case.disruption.clone())
        .with_context(|| format!("{}: case {}", bench.name, case.name))?;
    let delay_minutes: i64 = case
        .disruption
        .leg_changes
        .iter()
        .filter_map(|(id, change)| match change {
            LegChange::Retimed { out, .. } => {
                bench.schedule.leg(*id).map(|l| (*out - l.scheduled_out).0)
            }
            LegChange::Cancelled => None,
        })
        .sum();
    let mut solutions = Vec::new();
    for name in CREW_POLICY_NAMES {
        let policy = crew_policy_by_name(name)?;
        let solution = policy
            .solve(&problem, options)
            .with_context(|| format!("{}: case {}: the {name} policy", bench.name, case.name))?;
        tick();
        solutions.push((policy.name(), solution));
    }
    let open_positions = problem.demand().iter().map(|p| p.count).sum();
    let row = |policy: &'static str, s: &CrewSolution| {
        let e = &s.evaluation;
        let mut legs: Vec<LegId> = e.uncovered.iter().map(|u| u.leg).collect();
        legs.sort();
        legs.dedup();
        CaseResult {
            data_set: bench.name.clone(),
            case: case.name.clone(),
            policy,
            affected_crew: problem.affected().len(),
            open_positions,
            uncovered_positions: e.seats_uncovered,
            uncovered_legs: legs.len(),
            delay_minutes,
            crew_contacted: e.crew_contacted,
            reserves_called: e.reserve_callouts.len(),
            deadheads: e.deadheads.len(),
            cost: e.cost.total(),
            legal: e.is_legal(),
            seconds: s.seconds,
        }
    };
    Ok(solutions.iter().map(|(name, s)| row(name, s)).collect())
}

/// The three GMCM data sets: A whole (cases on 15 August 2021), B for 1-3 August 2019 (cases on the 2nd).
fn gmcm_sets() -> Result<Vec<(DataSet, Option<DaySlice>, Date)>> {
    let date = |y, m, d| Date::new(y, m, d).context("a valid calendar date");
    Ok(vec![
        (DataSet::A, None, date(2021, 8, 15)?),
        (
            DataSet::B,
            Some(DaySlice {
                first: date(2019, 8, 1)?,
                days: 3,
            }),
            date(2019, 8, 2)?,
        ),
    ])
}

/// The seed of the generated GMCM rosters.
const GMCM_CREW_SEED: u64 = 2021;

fn gmcm_bench(
    dir: &std::path::Path,
    data_set: DataSet,
    slice: Option<DaySlice>,
    day: Date,
) -> Result<(Bench, String)> {
    let data = gmcm2021f::load(dir, data_set, slice).with_context(|| {
        format!(
            "importing GMCM data {} from {}",
            data_set.name(),
            dir.display()
        )
    })?;
    let (schedule, report) = gmcm2021f::rostered(&data, GMCM_CREW_SEED)
        .with_context(|| format!("rostering GMCM data {}", data_set.name()))?;
    let contest = data.crew_counts();
    let generated = gmcm2021f::generated_counts(&schedule);
    // The contest's main base: where most of its crew live.
    let mut bases: Vec<AirportCode> = data.crew.iter().map(|c| c.base).collect();
    bases.sort();
    let base = bases
        .chunk_by(|a, b| a == b)
        .max_by(|a, b| a.len().cmp(&b.len()).then(b[0].cmp(&a[0])))
        .map(|run| run[0])
        .context("the crew file lists nobody")?;
    let name = match slice {
        None => format!("gmcm-{}", data_set.name()),
        Some(s) => format!("gmcm-{}-{}+{}d", data_set.name(), s.first, s.days),
    };
    let line = format!(
        "{name}: {} legs ({} in the file), roster by the crew generator (seed {GMCM_CREW_SEED}): {} of {} legs crewed, \
         {} captains and {} first officers hired at {}; the contest has {} captains ({} also first-officer qualified) \
         and {} first officers; cases on {day} at base {base}, clock UTC",
        schedule.legs().len(),
        data.flights_in_file,
        report.legs_covered,
        report.legs,
        generated.captains(),
        generated.first_officers_only,
        report.bases.values().flatten().cloned().collect::<Vec<_>>().join("/"),
        contest.captains(),
        contest.captains_also_first_officer,
        contest.first_officers_only,
    );
    let clock = |minute: i64| UtcMinute::from_date_minute(day, minute);
    let cases = base_cases(&schedule, base, &clock, None);
    Ok((
        Bench {
            name,
            schedule,
            cases,
        },
        line,
    ))
}

/// The embedded default on 2 July 2013 at JFK, New York clock: the four cases of the crew recovery example.
fn embedded_bench() -> Result<Bench> {
    let schedule = ucodts_datasets::embedded::default_schedule_with_crew()
        .context("building the embedded default's crew")?;
    let jfk = AirportCode::new("JFK").context("a valid code")?;
    let zone = schedule
        .airport(jfk)
        .context("JFK is in the embedded default")?
        .time_zone;
    let day = Date::new(2013, 7, 2).context("a valid date")?;
    let clock = |minute: i64| zone.to_utc(day, minute).earliest();
    let cases = base_cases(&schedule, jfk, &clock, Some(Rank::Captain));
    Ok(Bench {
        name: "default-2013-07-02".into(),
        schedule,
        cases,
    })
}

fn disruption(t0: UtcMinute, end: UtcMinute) -> CrewDisruption {
    CrewDisruption::new(t0, end, "faa117")
}

/// A departure delayed past the reopening by more than this is cancelled when the base closes.
const CLOSURE_CANCEL_AFTER: Minutes = Minutes(90);

/// The cases at one base on one day (`clock` gives the instant of a minute of that day): decisions at 05:00,
/// window to midnight. With `named_sick`, also one crew member of that rank sick: the based member of that
/// rank whose first pairing of the day reports first.
fn base_cases(
    schedule: &Schedule,
    base: AirportCode,
    clock: &dyn Fn(i64) -> UtcMinute,
    named_sick: Option<Rank>,
) -> Vec<Case> {
    let (t0, end) = (clock(5 * 60), clock(24 * 60));
    let mut cases = Vec::new();

    // 5 % of the base's crew with a pairing reporting in the window call in sick at 05:00 (at least one).
    let mut on_duty: Vec<_> = schedule
        .crew()
        .iter()
        .filter(|m| m.base == base)
        .filter_map(|m| {
            schedule
                .roster(&m.id)
                .filter_map(|p| p.report())
                .filter(|r| *r >= t0 && *r < end)
                .min()
                .map(|r| (m, r))
        })
        .collect();
    on_duty.sort_by(|a, b| a.0.id.cmp(&b.0.id));
    let mut sick = disruption(t0, end);
    sick.sick_calls = on_duty
        .iter()
        .step_by(20)
        .map(|(m, _)| SickCall {
            crew: m.id.clone(),
            from: t0,
        })
        .collect();
    cases.push(Case {
        name: format!("5% of {base} crew sick at 05:00"),
        disruption: sick,
    });

    // The 07:00-09:00 departure bank 3 hours late.
    let mut bank = disruption(t0, end);
    let (bank_from, bank_to) = (clock(7 * 60), clock(9 * 60));
    bank.leg_changes = schedule
        .departures(base)
        .filter(|l| l.scheduled_out >= bank_from && l.scheduled_out < bank_to)
        .map(|l| (l.id, shifted(l, Minutes(180))))
        .collect();
    cases.push(Case {
        name: format!("{base} 07-09 departures +3 h"),
        disruption: bank,
    });

    // The base closed 08:00-10:00: departures wait for the reopening and arrivals are held at their origin
    // to land at it; a leg that would wait more than CLOSURE_CANCEL_AFTER is cancelled instead.
    let mut closure = disruption(t0, end);
    let (shut, open) = (clock(8 * 60), clock(10 * 60));
    let mut changes: Vec<(LegId, LegChange)> = schedule
        .legs()
        .iter()
        .filter(|l| l.scheduled_out >= t0 && l.scheduled_out < end)
        .filter_map(|l| {
            let wait = if l.origin == base && l.scheduled_out >= shut && l.scheduled_out < open {
                open - l.scheduled_out
            } else if l.destination == base && l.scheduled_in >= shut && l.scheduled_in < open {
                open - l.scheduled_in
            } else {
                return None;
            };
            Some((
                l.id,
                if wait > CLOSURE_CANCEL_AFTER {
                    LegChange::Cancelled
                } else {
                    shifted(l, wait)
                },
            ))
        })
        .collect();
    changes.sort_by_key(|(id, _)| *id);
    closure.leg_changes = changes;
    cases.push(Case {
        name: format!("{base} closed 08-10"),
        disruption: closure,
    });

    if let Some(rank) = named_sick {
        let first = on_duty
            .iter()
            .filter(|(m, _)| m.rank == rank)
            .min_by(|a, b| a.1.cmp(&b.1).then(a.0.id.cmp(&b.0.id)));
        if let Some((member, _)) = first {
            let mut one = disruption(t0, end);
            one.sick_calls = vec![SickCall {
                crew: member.id.clone(),
                from: t0,
            }];
            cases.push(Case {
                name: format!("{rank} {} sick", member.id),
                disruption: one,
            });
        }
    }
    cases
}

fn shifted(leg: &Leg, by: Minutes) -> LegChange {
    LegChange::Retimed {
        out: leg.scheduled_out + by,
        arrival: leg.scheduled_in + by,
    }
}
