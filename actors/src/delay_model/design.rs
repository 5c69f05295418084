//! The parts of a design row the regressions of the delay model share: the categories a leg falls in (band
//! of local hours, day of the week, airport, airline) as one-hot columns, the categories' levels read off
//! the training rows, and the ridge regression's normal equations.

use super::features::LegFeatures;

/// One hour-of-day column per band of three local hours.
pub const HOUR_GROUPS: usize = 8;
/// Days of the week, Monday first.
pub const DAYS_OF_WEEK: usize = 7;

/// The band of three local hours of `f`'s departure, `0..HOUR_GROUPS`.
pub fn hour_group(f: &LegFeatures) -> usize {
    usize::from(f.local_hour / 3).min(HOUR_GROUPS - 1)
}

/// The levels of the airport and airline columns: every origin and airline of `rows`, each sorted.
pub fn levels<'a>(rows: impl Iterator<Item = &'a LegFeatures>) -> (Vec<String>, Vec<String>) {
    let (mut airports, mut carriers): (Vec<String>, Vec<String>) = rows
        .map(|f| {
            (
                f.airport.as_str().to_string(),
                f.carrier.as_str().to_string(),
            )
        })
        .unzip();
    airports.sort();
    airports.dedup();
    carriers.sort();
    carriers.dedup();
    (airports, carriers)
}

/// The one-hot columns of day of week, airport and airline: [`DAYS_OF_WEEK`] + `airports.len()` +
/// `carriers.len()` columns.
pub struct CategoryColumns<'m> {
    /// Airports with a column, sorted; others have none.
    pub airports: &'m [String],
    /// Airlines with a column, sorted; others have none.
    pub carriers: &'m [String],
}

impl CategoryColumns<'_> {
    /// How many columns they take.
    pub fn width(&self) -> usize {
        DAYS_OF_WEEK + self.airports.len() + self.carriers.len()
    }

    /// Sets `f`'s columns to 1 in `x`, whose columns from `at` on are these (and are 0).
    pub fn encode(&self, f: &LegFeatures, x: &mut [f64], at: usize) {
        x[at + usize::from(f.day_of_week % 7)] = 1.0;
        let at = at + DAYS_OF_WEEK;
        if let Ok(i) = self
            .airports
            .binary_search_by(|a| a.as_str().cmp(f.airport.as_str()))
        {
            x[at + i] = 1.0;
        }
        let at = at + self.airports.len();
        if let Ok(i) = self
            .carriers
            .binary_search_by(|c| c.as_str().cmp(f.carrier.as_str()))
        {
            x[at + i] = 1.0;
        }
    }
}

/// Adds `weight * row rowᵀ` to `xtx` and `weight * target * row` to `xtz` (upper triangle only).
pub fn accumulate(xtx: &mut [f64], xtz: &mut [f64], row: &[f64], weight: f64, target: f64) {
    let w = row.len();
    for (a, &xa) in row.iter().enumerate() {
        if xa == 0.0 {
            continue;
        }
        let wa = weight * xa;
        xtz[a] += wa * target;
        for b in a..w {
            xtx[a * w + b] += wa * row[b];
        }
    }
}

/// Adds `penalty` to the diagonal (not the intercept's) and mirrors the upper triangle.
pub fn penalise(xtx: &mut [f64], w: usize, penalty: f64) {
    for a in 0..w {
        if a > 0 {
            xtx[a * w + a] += penalty;
        }
        for b in 0..a {
            xtx[a * w + b] = xtx[b * w + a];
        }
    }
}
