//! The problem as the contest states it: the original rotation of every aircraft, the typhoon's bans, the
//! recurring curfews, the route bans, the block-time table for ferry and straightened flights, and (season
//! 2) passengers, seats and transfers.
//!
//! Times are whole minutes on the contest's one local clock, carried in [`UtcMinute`] (the card: the files
//! name no zone and every rule compares times on that clock, so reading it as UTC changes nothing).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::{Minutes, UtcMinute};

/// Which season's rules and weights apply.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Season {
    /// Season 1 (data of 2017-07-05): no passengers, no swap term, continuous importance.
    One,
    /// Season 2 (data of 2017-08-14): passengers, transfers, sign-change, the type-change matrix.
    Two,
}

impl Season {
    pub fn number(self) -> u8 {
        match self {
            Season::One => 1,
            Season::Two => 2,
        }
    }
}

/// An original flight (a leg of the schedule).
#[derive(Clone, Debug, PartialEq)]
pub struct Flight {
    pub id: u32,
    /// The flight date (`日期`), which groups through pairs.
    pub date: crate::Date,
    pub international: bool,
    pub flight_no: u32,
    pub from: u32,
    pub to: u32,
    pub departure: UtcMinute,
    pub arrival: UtcMinute,
    pub aircraft: u32,
    pub aircraft_type: u8,
    /// Passengers booked on this leg, through passengers included (season 2; 0 in season 1).
    pub passengers: u32,
    /// Of them, through passengers continuing on the other leg of a through pair.
    pub through_passengers: u32,
    /// The importance coefficient every flight cost term is multiplied by.
    pub importance: f64,
}

impl Flight {
    pub fn block(&self) -> Minutes {
        Minutes(self.arrival.0 - self.departure.0)
    }
}

/// An aircraft of the fleet.
#[derive(Clone, Debug, PartialEq)]
pub struct Aircraft {
    pub id: u32,
    pub aircraft_type: u8,
    /// Seats (season 2; `u32::MAX` in season 1, which has no passengers).
    pub seats: u32,
}

/// What a typhoon row bans at an airport.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
pub enum BanKind {
    Landing,
    Takeoff,
}

/// A typhoon ban: no movement of its kind strictly inside (start, end) at the airport.
#[derive(Clone, Debug, PartialEq)]
pub struct TyphoonBan {
    pub airport: u32,
    pub kind: BanKind,
    pub start: UtcMinute,
    pub end: UtcMinute,
}

/// A typhoon parking row: at most `cap` aircraft may sit between two of their flights for the whole window.
#[derive(Clone, Debug, PartialEq)]
pub struct ParkingCap {
    pub airport: u32,
    pub start: UtcMinute,
    pub end: UtcMinute,
    /// `None` where the sheet leaves the cap blank (season 1): not scored.
    pub cap: Option<u32>,
}

/// A recurring curfew: no departure or arrival strictly inside (close, reopen) on each day from
/// `effective` (inclusive) to `expiry` (exclusive).
#[derive(Clone, Debug, PartialEq)]
pub struct Curfew {
    pub airport: u32,
    /// Minutes after midnight.
    pub close: i64,
    pub reopen: i64,
    pub effective: crate::Date,
    pub expiry: crate::Date,
}

/// A passenger transfer between two flights with its minimum connection.
#[derive(Clone, Debug, PartialEq)]
pub struct Transfer {
    pub inbound: u32,
    pub outbound: u32,
    pub min_connect: Minutes,
    pub passengers: u32,
}

/// A through pair (联程): consecutive legs of one aircraft with the same date and flight number.
#[derive(Clone, Debug, PartialEq)]
pub struct ThroughPair {
    pub first: u32,
    pub second: u32,
}

/// The whole problem of one season.
#[derive(Clone, Debug)]
pub struct TyphoonProblem {
    pub season: Season,
    /// Sorted by id.
    pub flights: Vec<Flight>,
    /// Sorted by id.
    pub aircraft: Vec<Aircraft>,
    pub bans: Vec<TyphoonBan>,
    pub parking: Vec<ParkingCap>,
    pub curfews: Vec<Curfew>,
    /// (aircraft, from, to) that may not be flown.
    pub route_bans: BTreeSet<(u32, u32, u32)>,
    /// Block minutes of a ferry or straightened flight by (aircraft type, from, to).
    pub flight_times: BTreeMap<(u8, u32, u32), Minutes>,
    /// Domestic airports (ferries must join two of them).
    pub domestic_airports: BTreeSet<u32>,
    pub transfers: Vec<Transfer>,
    pub through_pairs: Vec<ThroughPair>,
    /// Flights whose original departure lies in [start, end] may be changed.
    pub window_start: UtcMinute,
    pub window_end: UtcMinute,
}

/// The contest's fixed rules and windows (card §2 and §4, from the season-2 scorer).
pub mod rules {
    /// A contest clock reading: (year, month, day, minute of the day).
    pub type Reading = (i32, u8, u8, i64);
    /// The adjustment window: 2017-05-06 06:00 to 2017-05-09 00:00.
    pub const WINDOW: (Reading, Reading) = ((2017, 5, 6, 6 * 60), (2017, 5, 9, 0));
    /// The least ground time between two flights of an aircraft, unless planned shorter.
    pub const MIN_TURN_MINUTES: i64 = 50;
    pub const MAX_DELAY_DOMESTIC_MINUTES: i64 = 24 * 60;
    pub const MAX_DELAY_INTERNATIONAL_MINUTES: i64 = 36 * 60;
    pub const MAX_ADVANCE_MINUTES: i64 = 6 * 60;
    /// Slot windows at the airports with typhoon bans (start, end) as (y, m, d, minute of day), each cut
    /// into slices of `SLOT_SLICE_MINUTES` holding at most `SLOT_MOVEMENTS` take-offs and landings.
    pub const SLOT_WINDOWS: [(Reading, Reading); 2] = [
        ((2017, 5, 6, 15 * 60), (2017, 5, 6, 16 * 60)),
        ((2017, 5, 7, 17 * 60), (2017, 5, 7, 19 * 60)),
    ];
    pub const SLOT_SLICE_MINUTES: i64 = 5;
    pub const SLOT_MOVEMENTS: u32 = 2;
    /// New flight ids for ferries start here (the HKU team's convention).
    pub const FIRST_FERRY_ID: u32 = 9001;
}

pub(crate) fn instant((y, m, d, minute): (i32, u8, u8, i64)) -> UtcMinute {
    UtcMinute::from_date_minute(
        crate::Date::new(y, m, d).expect("the contest's dates are valid"),
        minute,
    )
}

/// A slot window at one airport, as instants.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct SlotWindow {
    pub airport: u32,
    pub start: UtcMinute,
    pub end: UtcMinute,
}

impl SlotWindow {
    /// The slice a movement at `t` uses, if `t` lies in [start, end] (the end belongs to the last slice).
    pub fn slice(&self, t: UtcMinute) -> Option<usize> {
        if t < self.start || t > self.end {
            return None;
        }
        let last = ((self.end.0 - self.start.0) / rules::SLOT_SLICE_MINUTES - 1).max(0);
        Some(((t.0 - self.start.0) / rules::SLOT_SLICE_MINUTES).min(last) as usize)
    }
    pub fn slices(&self) -> usize {
        ((self.end.0 - self.start.0) / rules::SLOT_SLICE_MINUTES).max(1) as usize
    }
}

impl TyphoonProblem {
    /// The index of a flight by id.
    pub fn flight_index(&self, id: u32) -> Option<usize> {
        self.flights.binary_search_by_key(&id, |f| f.id).ok()
    }
    pub fn flight(&self, id: u32) -> Option<&Flight> {
        self.flight_index(id).map(|i| &self.flights[i])
    }
    pub fn aircraft_by_id(&self, id: u32) -> Option<&Aircraft> {
        self.aircraft
            .binary_search_by_key(&id, |a| a.id)
            .ok()
            .map(|i| &self.aircraft[i])
    }

    /// Whether a flight may be changed at all (its original departure in the adjustment window).
    pub fn adjustable(&self, f: &Flight) -> bool {
        f.departure >= self.window_start && f.departure <= self.window_end
    }

    /// Airports with typhoon bans, sorted.
    pub fn ban_airports(&self) -> Vec<u32> {
        let set: BTreeSet<u32> = self.bans.iter().map(|b| b.airport).collect();
        set.into_iter().collect()
    }

    /// The slot windows (rule 14): each contest window at each airport with a ban.
    pub fn slot_windows(&self) -> Vec<SlotWindow> {
        let mut out = Vec::new();
        for airport in self.ban_airports() {
            for (s, e) in rules::SLOT_WINDOWS {
                out.push(SlotWindow {
                    airport,
                    start: instant(s),
                    end: instant(e),
                });
            }
        }
        out
    }

    /// Whether a `kind` movement at `airport` at `t` falls strictly inside a typhoon ban.
    pub fn banned(&self, airport: u32, kind: BanKind, t: UtcMinute) -> Option<&TyphoonBan> {
        self.bans
            .iter()
            .find(|b| b.airport == airport && b.kind == kind && t > b.start && t < b.end)
    }

    /// The curfew a movement at `airport` at `t` breaks, if any.
    pub fn curfew_at(&self, airport: u32, t: UtcMinute) -> Option<&Curfew> {
        // Most airports have none: the calendar arithmetic only where one has.
        let mut here = self
            .curfews
            .iter()
            .filter(|c| c.airport == airport)
            .peekable();
        here.peek()?;
        let (date, minute) = t.date_minute();
        here.find(|c| {
            date >= c.effective && date < c.expiry && minute > c.close && minute < c.reopen
        })
    }

    /// Block minutes for a ferry or straightened flight of `aircraft_type` from `from` to `to`.
    pub fn table_block(&self, aircraft_type: u8, from: u32, to: u32) -> Option<Minutes> {
        self.flight_times.get(&(aircraft_type, from, to)).copied()
    }

    /// The through pair a flight belongs to, as (first, second) flight ids.
    pub fn through_pair_of(&self, id: u32) -> Option<&ThroughPair> {
        self.through_pairs
            .iter()
            .find(|p| p.first == id || p.second == id)
    }

    /// Each aircraft's original flights in departure order, by aircraft id.
    pub fn rotations(&self) -> BTreeMap<u32, Vec<usize>> {
        let mut out: BTreeMap<u32, Vec<usize>> =
            self.aircraft.iter().map(|a| (a.id, Vec::new())).collect();
        for (i, f) in self.flights.iter().enumerate() {
            out.entry(f.aircraft).or_default().push(i);
        }
        for legs in out.values_mut() {
            legs.sort_by_key(|&i| (self.flights[i].departure, self.flights[i].id));
        }
        out
    }
}
