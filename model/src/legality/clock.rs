//! Local clocks for the checker and the fatigue forecast: UTC offsets of a zone, remembered so that checking
//! a month of 20,000 rosters does not ask the tz database millions of times.
//!
//! Per zone, a dense table holds the offset of each 15-minute slot of UTC, filled on first use. A slot whose
//! first and last minutes have different offsets (a daylight-saving change inside it) is marked and always
//! asked afresh, so every answer is exact to the minute.

use crate::time::{Date, Minutes, TimeZone, UtcMinute, MINUTES_PER_DAY};

const SLOT_MINUTES: i64 = 15;
/// Not yet known.
const UNKNOWN: i16 = i16::MIN;
/// The offset changes within the slot.
const VARIES: i16 = i16::MAX;
/// A table spans at most this many slots (about two years); beyond, offsets are not remembered.
const MAX_SLOTS: i64 = 2 * 366 * 24 * 4;
/// Slots added on each side when a table grows.
const GROW_SLOTS: i64 = 30 * 24 * 4;

struct ZoneTable {
    zone: TimeZone,
    first_slot: i64,
    offsets: Vec<i16>,
}

pub(crate) struct ZoneClock {
    tables: Vec<ZoneTable>,
    /// The table used last (crew members of one base ask about one zone again and again).
    last: usize,
}

impl ZoneClock {
    pub(crate) fn new() -> ZoneClock {
        ZoneClock {
            tables: Vec::new(),
            last: 0,
        }
    }

    fn table(&mut self, zone: TimeZone) -> &mut ZoneTable {
        if !matches!(self.tables.get(self.last), Some(t) if t.zone == zone) {
            match self.tables.iter().position(|t| t.zone == zone) {
                Some(i) => self.last = i,
                None => {
                    self.tables.push(ZoneTable {
                        zone,
                        first_slot: 0,
                        offsets: Vec::new(),
                    });
                    self.last = self.tables.len() - 1;
                }
            }
        }
        &mut self.tables[self.last]
    }

    pub(crate) fn offset(&mut self, zone: TimeZone, t: UtcMinute) -> Minutes {
        let slot = t.0.div_euclid(SLOT_MINUTES);
        let table = self.table(zone);
        if table.offsets.is_empty() {
            table.first_slot = slot - GROW_SLOTS;
            table.offsets = vec![UNKNOWN; 2 * GROW_SLOTS as usize];
        }
        let end = table.first_slot + table.offsets.len() as i64;
        if slot < table.first_slot || slot >= end {
            let first = table.first_slot.min(slot - GROW_SLOTS);
            let last = end.max(slot + GROW_SLOTS);
            if last - first > MAX_SLOTS {
                return zone.offset_at(t);
            }
            let mut grown = vec![UNKNOWN; (last - first) as usize];
            let at = (table.first_slot - first) as usize;
            grown[at..at + table.offsets.len()].copy_from_slice(&table.offsets);
            table.first_slot = first;
            table.offsets = grown;
        }
        let i = (slot - table.first_slot) as usize;
        match table.offsets[i] {
            UNKNOWN => {
                let a = zone.offset_at(UtcMinute(slot * SLOT_MINUTES));
                let b = zone.offset_at(UtcMinute(slot * SLOT_MINUTES + SLOT_MINUTES - 1));
                let table = self.table(zone);
                if a == b && a.0.abs() < i64::from(VARIES) {
                    table.offsets[i] = a.0 as i16;
                    a
                } else {
                    table.offsets[i] = VARIES;
                    zone.offset_at(t)
                }
            }
            VARIES => zone.offset_at(t),
            known => Minutes(i64::from(known)),
        }
    }

    /// Minute of the local day of `t` in `zone`.
    pub(crate) fn minute_of_day(&mut self, zone: TimeZone, t: UtcMinute) -> i64 {
        (t + self.offset(zone, t)).0.rem_euclid(MINUTES_PER_DAY)
    }

    /// The local date of `t` in `zone`, as days since 1970-01-01.
    pub(crate) fn local_day(&mut self, zone: TimeZone, t: UtcMinute) -> i64 {
        (t + self.offset(zone, t)).0.div_euclid(MINUTES_PER_DAY)
    }

    /// The instant the clocks of `zone` show `minute_of_day` on the local day `day` (days since the epoch);
    /// the earlier reading where the wall time repeats, the pre-change offset where it is skipped.
    pub(crate) fn instant(&mut self, zone: TimeZone, day: i64, minute_of_day: i64) -> UtcMinute {
        let wall = day * MINUTES_PER_DAY + minute_of_day;
        // Read the wall time with the offset in force around it; where that offset changes within three
        // hours (a gap or a repeated hour nearby), ask the tz database.
        let guess = UtcMinute(wall) - self.offset(zone, UtcMinute(wall));
        let (before, after) = (
            self.offset(zone, guess - Minutes(180)),
            self.offset(zone, guess + Minutes(180)),
        );
        if before == after && guess + before == UtcMinute(wall) {
            guess
        } else {
            zone.to_utc(Date::from_days_since_epoch(day), minute_of_day)
                .earliest()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_offsets_and_instants_match_the_tz_database() {
        let ny = TimeZone::from_iana("America/New_York").unwrap();
        let lh = TimeZone::from_iana("Australia/Lord_Howe").unwrap();
        let mut clock = ZoneClock::new();
        let start = UtcMinute::parse("2013-03-09T00:00Z").unwrap().0;
        for t in (start..start + 3 * 24 * 60).step_by(7) {
            for zone in [ny, lh] {
                let t = UtcMinute(t);
                assert_eq!(clock.offset(zone, t), zone.offset_at(t), "{zone} {t}");
                let local = zone.to_local(t);
                assert_eq!(clock.minute_of_day(zone, t), local.minute_of_day);
                assert_eq!(clock.local_day(zone, t), local.date.days_since_epoch());
            }
        }
        // Far apart in time: the table grows, or stops remembering, and stays right.
        for t in [UtcMinute(0), UtcMinute(start + 5 * 366 * 24 * 60)] {
            assert_eq!(clock.offset(ny, t), ny.offset_at(t));
        }
        for (date, m) in [
            ((2013, 3, 10), 2 * 60 + 30),
            ((2013, 11, 3), 90),
            ((2013, 7, 1), 0),
        ] {
            let d = Date::new(date.0, date.1, date.2).unwrap();
            assert_eq!(
                clock.instant(ny, d.days_since_epoch(), m),
                ny.to_utc(d, m).earliest(),
                "{d} {m}"
            );
        }
    }
}
