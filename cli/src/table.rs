//! Plain-text tables for people.

use ucodts_datasets::crewgen::CrewReport;
use ucodts_datasets::nycflights13::ImportReport;
use ucodts_datasets::summary::Summary;

/// `336776` -> `336,776`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn summary(s: &Summary) {
    let row = |k: &str, v: String| println!("  {k:<38} {v}");
    println!("Data set summary");
    row("flights (recorded legs)", thousands(s.flights));
    row("inferred legs", thousands(s.inferred_legs));
    row("cancelled (recorded)", thousands(s.cancelled));
    row("arrivals recorded", thousands(s.arrivals_recorded));
    row(
        "on-time rate (arrival delay < 15 min)",
        s.on_time_rate
            .map_or("n/a".into(), |r| format!("{:.2} %", r * 100.0)),
    );
    row(
        "mean arrival delay",
        s.mean_arrival_delay_min
            .map_or("n/a".into(), |m| format!("{m:.1} min")),
    );
    row(
        "scheduled departures (UTC)",
        format!(
            "{} .. {}",
            s.first_departure.as_deref().unwrap_or("-"),
            s.last_departure.as_deref().unwrap_or("-")
        ),
    );
    row("airlines", thousands(s.airlines));
    row("airports", thousands(s.airports));
    row("aircraft types", thousands(s.aircraft_types));
    row("aircraft (tails)", thousands(s.aircraft));
    let ranks: Vec<String> = s
        .crew_by_rank
        .iter()
        .map(|(r, n)| format!("{r} {}", thousands(*n)))
        .collect();
    row(
        "crew",
        format!("{} ({})", thousands(s.crew), ranks.join(", ")),
    );
    row(
        "pairings / duties",
        format!("{} / {}", thousands(s.pairings), thousands(s.duties)),
    );
    row("roster assignments", thousands(s.roster_assignments));
    row("weather observations", thousands(s.weather_observations));
    let status: Vec<String> = s
        .legs_by_status
        .iter()
        .map(|(k, n)| format!("{k} {}", thousands(*n)))
        .collect();
    row("legs by status", status.join(", "));
}

/// Recorded flights per day; long data sets print only their first and last weeks.
pub fn days(s: &Summary) {
    println!(
        "  {:<12} {:>8} {:>10} {:>9}",
        "date", "flights", "cancelled", "on time"
    );
    let n = s.by_day.len();
    for (i, d) in s.by_day.iter().enumerate() {
        if n > 21 && i == 7 {
            println!("  ... {} more days ...", n - 14);
        }
        if n > 21 && (7..n - 7).contains(&i) {
            continue;
        }
        let rate = d
            .on_time_rate
            .map_or("n/a".to_string(), |r| format!("{:.1} %", r * 100.0));
        println!(
            "  {:<12} {:>8} {:>10} {:>9}",
            d.date,
            thousands(d.flights),
            thousands(d.cancelled),
            rate
        );
    }
}

pub fn import_report(r: &ImportReport) {
    let row = |k: &str, v: String| println!("  {k:<38} {v}");
    row("recorded legs", thousands(r.recorded_legs));
    row("inferred legs", thousands(r.inferred_legs));
    row("cancelled", thousands(r.cancelled));
    row(
        "departed without recorded arrival",
        thousands(r.departed_without_arrival),
    );
    row("tails", thousands(r.tails));
    let rot = &r.rotations;
    row(
        "rotation gaps closed / left open",
        format!(
            "{} / {}",
            thousands(rot.closed),
            thousands(rot.too_short_to_close)
        ),
    );
    if r.anomalies.is_empty() {
        println!("No anomalies found in the source.");
        return;
    }
    println!("Anomalies in the source (count, what, what the importer did, first cases):");
    for a in &r.anomalies {
        println!("  {:>8}  {} -> {}", thousands(a.count), a.kind, a.action);
        println!("            e.g. {}", a.examples.join("; "));
    }
}

pub fn crew_report(r: &CrewReport) {
    println!("Crew generated:");
    match serde_json::to_value(r) {
        Ok(serde_json::Value::Object(map)) => {
            for (k, v) in map {
                match v {
                    serde_json::Value::Array(list) if list.len() > 5 => {
                        println!(
                            "  {k:<38} {} entries (all of them with --json)",
                            thousands(list.len() as u64)
                        )
                    }
                    v => println!("  {k:<38} {v}"),
                }
            }
        }
        _ => println!("  {r:?}"),
    }
}
