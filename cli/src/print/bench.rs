//! The speed benchmarks' tables: the kernel against SimPy and the large airline day, loading a data set.

use std::path::Path;

use ucodts_benches::airline_day::AirlineDayMeasurement;
use ucodts_benches::load::LoadMeasurement;
use ucodts_sim::bench_models::runway::{self, RunwayComparison};

use super::{number, table, thousands};

pub fn load(dir: &Path, m: &LoadMeasurement) -> anyhow::Result<()> {
    outln!(
        "Loading {} ({} legs, {} CSV records), median of {} runs:",
        dir.display(),
        thousands(m.legs),
        thousands(m.csv_records),
        m.repeats
    )?;
    let mut rows = vec![
        vec![
            "native load (decode, validate, index)".into(),
            format!("{:.1} ms", m.load_ms),
        ],
        vec![
            "baseline: CSV scan of the same files".into(),
            format!("{:.1} ms", m.baseline_scan_ms),
        ],
        vec![
            "ratio load / baseline".into(),
            format!("{:.2} x", m.ratio_to_baseline),
        ],
        vec![
            "load time per 100,000 legs".into(),
            format!("{:.1} ms", m.load_ms_per_100k_legs),
        ],
    ];
    if let Some(mib) = m.peak_rss_mib {
        rows.push(vec!["peak resident memory".into(), format!("{mib:.0} MiB")]);
    }
    out!("{}", table(&["measure", "value"], &rows))?;
    Ok(())
}

pub fn sim(c: &RunwayComparison, d: &AirlineDayMeasurement) -> anyhow::Result<()> {
    let p = &c.params;
    outln!(
        "Runway model: {} aircraft, {} airports, {} min, seed {} (fastest of {} runs for ours)",
        thousands(u64::from(p.aircraft)),
        p.airports,
        thousands(u64::from(p.horizon_min)),
        p.seed,
        c.repeats
    )?;
    let row = |name: &str, t: &runway::Throughput| {
        vec![
            name.to_string(),
            thousands(t.legs),
            format!("{:.3} s", t.seconds),
            number(t.legs_per_s, 0),
        ]
    };
    let mut rows = vec![
        row("UCODTS kernel", &c.kernel),
        row("bare binary-heap loop", &c.bare_heap),
    ];
    if let Some(s) = &c.simpy {
        rows.push(row("SimPy", s));
    }
    out!("{}", table(&["engine", "legs", "time", "legs/s"], &rows))?;
    if let (None, Some(why)) = (&c.simpy, &c.simpy_skipped) {
        outln!("  SimPy not run: {why}")?;
    }
    if let Some(r) = c.kernel_over_simpy {
        outln!(
            "  kernel / SimPy {r:.1} x (target at least {:.0} x)",
            runway::TARGET_KERNEL_OVER_SIMPY
        )?;
    }
    outln!(
        "  bare loop / kernel {:.2} x (target at most {:.1} x)",
        c.bare_heap_over_kernel,
        runway::TARGET_BARE_HEAP_OVER_KERNEL
    )?;
    outln!(
        "Airline day: {} flights, {} aircraft, {} crew on the day (generated), seed-built in {:.2} s",
        thousands(d.flights as u64),
        thousands(d.aircraft as u64),
        thousands(d.crew as u64),
        d.build_seconds
    )?;
    outln!(
        "  one replication {:.1} ms vs {:.0} ms target = {:.2} (target below 1)",
        d.one_replication_ms,
        d.target_ms,
        d.one_replication_over_target
    )?;
    outln!(
        "  Monte Carlo {} reps: {:.2} s on 1 thread, {:.2} s on 2 = {:.2} x speedup{}",
        d.mc_reps,
        d.mc_seconds_1_thread,
        d.mc_seconds_2_threads,
        d.speedup,
        if d.same_report_1_and_2_threads {
            ""
        } else {
            " (REPORTS DIFFER)"
        }
    )?;
    match (d.rss_mib_after_10_reps, d.rss_mib_after_mc_reps) {
        (Some(a), Some(b)) => outln!(
            "  resident memory {a:.1} MiB after 10 reps, {b:.1} MiB after {} = {:.3} x",
            d.mc_reps,
            b / a
        )?,
        _ => outln!("  resident memory not measured (Linux only)")?,
    }
    Ok(())
}
