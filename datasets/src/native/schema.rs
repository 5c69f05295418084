//! The columns of each file, in the order the writer puts them. A column name is the `field` that
//! `Schedule::new` names in a `ModelError`, so a model error finds its column by name.

use ucodts_model::Table;

/// The columns of `table`'s file, in written order.
pub(super) fn columns(table: Table) -> &'static [&'static str] {
    match table {
        Table::Airlines => &["code", "name"],
        Table::Airports => &[
            "code",
            "icao",
            "name",
            "latitude_deg",
            "longitude_deg",
            "time_zone",
        ],
        Table::AircraftTypes => &["code", "family", "seats", "min_turn_min"],
        Table::Aircraft => &["tail", "type", "carrier", "base", "maintenance_due"],
        Table::Crew => &[
            "id",
            "airline",
            "rank",
            "base",
            "qualifications",
            "home_zone",
        ],
        Table::Legs => &[
            "id",
            "carrier",
            "flight_number",
            "origin",
            "destination",
            "scheduled_out",
            "scheduled_in",
            "estimated_out",
            "estimated_takeoff",
            "estimated_landing",
            "estimated_in",
            "actual_out",
            "actual_takeoff",
            "actual_landing",
            "actual_in",
            "tail",
            "status",
            "source",
        ],
        Table::Pairings => &["id", "airline", "base"],
        Table::Duties => &["pairing", "duty", "report", "release"],
        Table::DutyLegs => &["pairing", "duty", "seq", "leg", "kind"],
        Table::Rosters => &["crew", "pairing"],
        Table::Weather => &[
            "airport",
            "time",
            "temperature_f",
            "dewpoint_f",
            "humidity_pct",
            "wind_direction_deg",
            "wind_speed_mph",
            "wind_gust_mph",
            "precipitation_in",
            "pressure_mb",
            "visibility_mi",
        ],
    }
}

/// The file a table is written to: its name plus `.csv`.
pub(super) fn file_name(table: Table) -> String {
    format!("{}.csv", table.name())
}

/// Separates the aircraft types in the crew file's `qualifications` column.
pub(super) const QUALIFICATION_SEPARATOR: char = ';';

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_has_distinct_column_names() {
        for table in Table::ALL {
            let cols = columns(table);
            for (i, c) in cols.iter().enumerate() {
                assert!(!cols[..i].contains(c), "{table}: `{c}` twice");
            }
        }
    }
}
