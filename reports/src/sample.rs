//! A small made-up report — a two-hour JFK closure on a July afternoon — to try the renderer on and to
//! test it with. Its numbers are invented; they are not the twin's.

use ucodts_model::{Date, TimeZone, UtcMinute};

use crate::report::*;

/// See the module documentation.
pub fn sample() -> ScenarioReport {
    let ny = TimeZone::from_iana("America/New_York").expect("the tz database knows New York");
    let day = Date::new(2013, 7, 2).expect("a calendar date");
    let at = |hour: i64, minute: i64| ny.to_utc(day, hour * 60 + minute).earliest();
    let estimate = |mean: f64, half: f64| Estimate {
        mean,
        ci95: Some([mean - half, mean + half]),
    };
    let kpi = |name: &str, label: &str, unit, better, b: f64, s: f64, half: f64, headline| {
        KpiComparison {
            name: name.into(),
            label: label.into(),
            headline,
            unit,
            better,
            baseline: estimate(b, half),
            scenario: estimate(s, half),
            difference: estimate(s - b, half / 2.0),
        }
    };
    let mut baseline = DelayHistogram::arrival_delays();
    let mut scenario = DelayHistogram::arrival_delays();
    for i in 0..400 {
        let d = f64::from(i % 80) - 25.0;
        baseline.add(d);
        scenario.add(if i % 5 == 0 { d + 90.0 } else { d });
    }
    let on_time_by_hour = (0..24u8)
        .map(|hour| {
            let scheduled = if (6..23).contains(&hour) { 40 } else { 0 };
            let hit = (14..18).contains(&hour);
            HourlyOnTime {
                hour,
                baseline: OnTimeCount {
                    scheduled,
                    flown: scheduled,
                    on_time: scheduled * 3 / 4,
                },
                scenario: OnTimeCount {
                    scheduled,
                    flown: if hit { scheduled - 4 } else { scheduled },
                    on_time: if hit {
                        scheduled / 4
                    } else {
                        scheduled * 3 / 4
                    },
                },
            }
        })
        .collect();
    let leg =
        |flight: &str, from: &str, to: &str, out: UtcMinute, block: i64, delay: Option<i64>| {
            let scheduled_in = UtcMinute(out.0 + block);
            GanttLeg {
                flight: flight.into(),
                origin: from.into(),
                destination: to.into(),
                scheduled_out: out,
                scheduled_in,
                out: delay.map(|d| UtcMinute(out.0 + d)),
                arrived: delay.map(|d| UtcMinute(scheduled_in.0 + d)),
                outcome: LegOutcome::of(delay),
                cancel_reason: delay.is_none().then(|| {
                    "operations control: crew would exceed the duty limit, no reserve".into()
                }),
                baseline_arrival_delay_min: Some(4),
                deadhead: false,
            }
        };
    let closure = DisruptionWindow {
        kind: "airport_closure".into(),
        summary: "JFK closed to arrivals and departures".into(),
        from: at(14, 0),
        to: at(16, 0),
    };
    let tail_rotations = Gantt {
        from: at(11, 0),
        to: at(21, 0),
        rows: vec![
            GanttRow {
                label: "N318JB".into(),
                detail: "A320".into(),
                legs: vec![
                    leg("B6 1", "JFK", "BOS", at(12, 0), 75, Some(3)),
                    leg("B6 2", "BOS", "JFK", at(14, 0), 80, Some(125)),
                    leg("B6 3", "JFK", "MCO", at(17, 0), 160, Some(70)),
                ],
            },
            GanttRow {
                label: "N529JB".into(),
                detail: "A320".into(),
                legs: vec![
                    leg("B6 11", "JFK", "DCA", at(13, 30), 80, None),
                    leg("B6 12", "DCA", "JFK", at(15, 30), 80, None),
                ],
            },
        ],
        selection: "Tails with a leg cancelled or 15 minutes later than in the baseline.".into(),
    };
    let crew_duties = Gantt {
        from: tail_rotations.from,
        to: tail_rotations.to,
        rows: vec![GanttRow {
            label: "B6-JFK-CA-0001".into(),
            detail: "captain".into(),
            legs: tail_rotations.rows[0].legs.clone(),
        }],
        selection: "Crew members on those legs.".into(),
    };
    ScenarioReport {
        scenario: ScenarioInfo {
            name: "jfk-two-hour-closure".into(),
            description: "JFK closed for two hours on a July afternoon".into(),
            source: "jfk-two-hour-closure.toml".into(),
            data_set: "sample".into(),
            from: day,
            to: day,
            replications: 20,
            seed: 1,
            representative_replication: 7,
            representative_reason: "its change in mean arrival delay is the median".into(),
            display_zone: ny,
        },
        disruptions: vec![closure],
        kpis: vec![
            kpi(
                "on_time_rate",
                "On-time rate",
                Unit::Share,
                Better::Higher,
                0.75,
                0.68,
                0.01,
                true,
            ),
            kpi(
                "mean_arrival_delay_min",
                "Mean arrival delay",
                Unit::Minutes,
                Better::Lower,
                9.0,
                17.5,
                0.8,
                true,
            ),
            kpi(
                "cancelled_legs",
                "Cancelled legs",
                Unit::Count,
                Better::Lower,
                3.0,
                11.0,
                1.0,
                true,
            ),
            kpi(
                "flown_legs",
                "Legs flown",
                Unit::Count,
                Better::Neither,
                1700.0,
                1699.8,
                0.5,
                false,
            ),
        ],
        arrival_delay: ArrivalDelays { baseline, scenario },
        on_time_by_hour,
        tail_rotations,
        crew_duties,
        operations_control: vec![OperationsCount {
            name: "Reserve call-outs".into(),
            baseline: 2,
            scenario: 6,
        }],
        alerts: vec![Alert {
            at: at(13, 30),
            kind: AlertKind::Cancellation,
            subject: "B6 11 JFK-DCA, N529JB".into(),
            detail: "cancelled: crew would exceed the duty limit, no reserve".into(),
            in_baseline: false,
        }],
        notes: vec!["Made-up numbers.".into()],
    }
}
