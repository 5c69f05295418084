//! Data sets for people: the summary, days, import and crew reports.

use ucodts_datasets::crewgen::CrewReport;
use ucodts_datasets::nycflights13::ImportReport;
use ucodts_datasets::summary::Summary;

use super::{say, thousands};

pub fn summary(s: &Summary) -> String {
    let mut o = String::new();
    say!(o, "Data set summary");
    row(&mut o, "flights (recorded legs)", thousands(s.flights));
    row(&mut o, "inferred legs", thousands(s.inferred_legs));
    row(&mut o, "cancelled (recorded)", thousands(s.cancelled));
    row(&mut o, "arrivals recorded", thousands(s.arrivals_recorded));
    row(
        &mut o,
        "on-time rate (arrival delay < 15 min)",
        s.on_time_rate
            .map_or("n/a".into(), |r| format!("{:.2} %", r * 100.0)),
    );
    row(
        &mut o,
        "mean arrival delay",
        s.mean_arrival_delay_min
            .map_or("n/a".into(), |m| format!("{m:.1} min")),
    );
    row(
        &mut o,
        "scheduled departures (UTC)",
        format!(
            "{} .. {}",
            s.first_departure.as_deref().unwrap_or("-"),
            s.last_departure.as_deref().unwrap_or("-")
        ),
    );
    row(&mut o, "airlines", thousands(s.airlines));
    row(&mut o, "airports", thousands(s.airports));
    row(&mut o, "aircraft types", thousands(s.aircraft_types));
    row(&mut o, "aircraft (tails)", thousands(s.aircraft));
    let ranks: Vec<String> = s
        .crew_by_rank
        .iter()
        .map(|(r, n)| format!("{r} {}", thousands(*n)))
        .collect();
    row(
        &mut o,
        "crew",
        format!("{} ({})", thousands(s.crew), ranks.join(", ")),
    );
    row(
        &mut o,
        "pairings / duties",
        format!("{} / {}", thousands(s.pairings), thousands(s.duties)),
    );
    row(
        &mut o,
        "roster assignments",
        thousands(s.roster_assignments),
    );
    row(
        &mut o,
        "weather observations",
        thousands(s.weather_observations),
    );
    let status: Vec<String> = s
        .legs_by_status
        .iter()
        .map(|(k, n)| format!("{k} {}", thousands(*n)))
        .collect();
    row(&mut o, "legs by status", status.join(", "));
    o
}

/// Recorded flights per day; long data sets print only their first and last weeks.
pub fn days(s: &Summary) -> String {
    let mut o = String::new();
    say!(
        o,
        "  {:<12} {:>8} {:>10} {:>9}",
        "date",
        "flights",
        "cancelled",
        "on time"
    );
    let n = s.by_day.len();
    for (i, d) in s.by_day.iter().enumerate() {
        if n > 21 && i == 7 {
            say!(o, "  ... {} more days ...", n - 14);
        }
        if n > 21 && (7..n - 7).contains(&i) {
            continue;
        }
        let rate = d
            .on_time_rate
            .map_or("n/a".to_string(), |r| format!("{:.1} %", r * 100.0));
        say!(
            o,
            "  {:<12} {:>8} {:>10} {:>9}",
            d.date,
            thousands(d.flights),
            thousands(d.cancelled),
            rate
        );
    }
    o
}

pub fn import_report(r: &ImportReport) -> String {
    let mut o = String::new();
    row(&mut o, "recorded legs", thousands(r.recorded_legs));
    row(&mut o, "inferred legs", thousands(r.inferred_legs));
    row(&mut o, "cancelled", thousands(r.cancelled));
    row(
        &mut o,
        "departed without recorded arrival",
        thousands(r.departed_without_arrival),
    );
    row(&mut o, "tails", thousands(r.tails));
    let rot = &r.rotations;
    row(
        &mut o,
        "rotation gaps closed / left open",
        format!(
            "{} / {}",
            thousands(rot.closed),
            thousands(rot.too_short_to_close)
        ),
    );
    if r.anomalies.is_empty() {
        say!(o, "No anomalies found in the source.");
        return o;
    }
    say!(
        o,
        "Anomalies in the source (count, what, what the importer did, first cases):"
    );
    for a in &r.anomalies {
        say!(o, "  {:>8}  {} -> {}", thousands(a.count), a.kind, a.action);
        say!(o, "            e.g. {}", a.examples.join("; "));
    }
    o
}

pub fn crew_report(r: &CrewReport) -> String {
    let mut o = String::new();
    say!(o, "Crew generated:");
    match serde_json::to_value(r) {
        Ok(serde_json::Value::Object(map)) => {
            for (k, v) in map {
                match v {
                    serde_json::Value::Array(list) if list.len() > 5 => {
                        say!(
                            o,
                            "  {k:<38} {} entries (all of them with --json)",
                            thousands(list.len() as u64)
                        )
                    }
                    v => say!(o, "  {k:<38} {v}"),
                }
            }
        }
        _ => say!(o, "  {r:?}"),
    }
    o
}

/// One `name  value` line of a two-column listing.
fn row(o: &mut String, name: &str, value: String) {
    say!(o, "  {name:<38} {value}");
}
