//! When a movement may happen: the earliest (or, for an advance, the latest) departure that keeps both
//! ends out of typhoon bans and curfews and finds room in the slot slices, given the slots other aircraft
//! already hold.

use ucodts_model::tianchi2017::{rules, BanKind, SlotWindow, TyphoonProblem};
use ucodts_model::UtcMinute;

/// Movements held in each slot slice, by slot window.
#[derive(Clone, Debug)]
pub struct SlotBook {
    pub windows: Vec<SlotWindow>,
    pub used: Vec<Vec<u32>>,
}

impl SlotBook {
    pub fn new(problem: &TyphoonProblem) -> SlotBook {
        let windows = problem.slot_windows();
        let used = windows.iter().map(|w| vec![0; w.slices()]).collect();
        SlotBook { windows, used }
    }

    /// The slice start of a full slice `t` at `airport` falls in, if any.
    fn full(&self, airport: u32, t: i64) -> Option<(i64, i64)> {
        for (k, w) in self.windows.iter().enumerate() {
            if w.airport != airport {
                continue;
            }
            if let Some(s) = w.slice(UtcMinute(t)) {
                if self.used[k][s] >= rules::SLOT_MOVEMENTS {
                    let start = w.start.0 + s as i64 * rules::SLOT_SLICE_MINUTES;
                    let end = if s + 1 == w.slices() {
                        w.end.0 + 1
                    } else {
                        start + rules::SLOT_SLICE_MINUTES
                    };
                    return Some((start, end));
                }
            }
        }
        None
    }

    /// Adds (`delta` = 1) or removes (-1) a movement at `airport` at `t`.
    pub fn book(&mut self, airport: u32, t: i64, delta: i32) {
        for (k, w) in self.windows.iter().enumerate() {
            if w.airport == airport {
                if let Some(s) = w.slice(UtcMinute(t)) {
                    let v = &mut self.used[k][s];
                    *v = v
                        .checked_add_signed(delta)
                        .expect("slot bookings stay balanced");
                }
            }
        }
    }
}

/// The next time after `t` (minute of the contest clock) that leaves a curfew at `airport`, if `t` is in one.
fn curfew_end(problem: &TyphoonProblem, airport: u32, t: i64) -> Option<i64> {
    let c = problem.curfew_at(airport, UtcMinute(t))?;
    let day = t.div_euclid(1440) * 1440;
    Some(day + c.reopen)
}

fn curfew_start(problem: &TyphoonProblem, airport: u32, t: i64) -> Option<i64> {
    let c = problem.curfew_at(airport, UtcMinute(t))?;
    let day = t.div_euclid(1440) * 1440;
    Some(day + c.close)
}

/// The earliest departure in `[earliest, latest]` for a flight `from -> to` of `block` minutes.
pub fn earliest_departure(
    problem: &TyphoonProblem,
    slots: &SlotBook,
    from: u32,
    to: u32,
    block: i64,
    earliest: i64,
    latest: i64,
) -> Option<i64> {
    let mut t = earliest;
    for _ in 0..200 {
        if t > latest {
            return None;
        }
        let a = t + block;
        if let Some(b) = problem.banned(from, BanKind::Takeoff, UtcMinute(t)) {
            t = b.end.0;
        } else if let Some(b) = problem.banned(to, BanKind::Landing, UtcMinute(a)) {
            t = b.end.0 - block;
        } else if let Some(e) = curfew_end(problem, from, t) {
            t = e;
        } else if let Some(e) = curfew_end(problem, to, a) {
            t = e - block;
        } else if let Some((_, e)) = slots.full(from, t) {
            t = e;
        } else if let Some((_, e)) = slots.full(to, a) {
            t = e - block;
        } else {
            return Some(t);
        }
    }
    None
}

/// The latest departure in `[earliest, latest]` for a flight `from -> to` of `block` minutes.
pub fn latest_departure(
    problem: &TyphoonProblem,
    slots: &SlotBook,
    from: u32,
    to: u32,
    block: i64,
    earliest: i64,
    latest: i64,
) -> Option<i64> {
    let mut t = latest;
    for _ in 0..200 {
        if t < earliest {
            return None;
        }
        let a = t + block;
        if let Some(b) = problem.banned(from, BanKind::Takeoff, UtcMinute(t)) {
            t = b.start.0;
        } else if let Some(b) = problem.banned(to, BanKind::Landing, UtcMinute(a)) {
            t = b.start.0 - block;
        } else if let Some(s) = curfew_start(problem, from, t) {
            t = s;
        } else if let Some(s) = curfew_start(problem, to, a) {
            t = s - block;
        } else if let Some((s, _)) = slots.full(from, t) {
            t = s - 1;
        } else if let Some((s, _)) = slots.full(to, a) {
            t = s - 1 - block;
        } else {
            return Some(t);
        }
    }
    None
}
