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

/// The curfew at `airport` that minute `t` (of the contest clock) falls in, as (close, reopen) minutes.
fn curfew(problem: &TyphoonProblem, airport: u32, t: i64) -> Option<(i64, i64)> {
    let c = problem.curfew_at(airport, UtcMinute(t))?;
    let day = t.div_euclid(1440) * 1440;
    Some((day + c.close, day + c.reopen))
}

/// The first thing that stops a flight `from -> to` of `block` minutes from leaving at `t` (a typhoon ban,
/// a curfew or a full slot slice at either end, in that order), as departure times: the last one before it
/// to try and the first one after it.
fn obstacle(
    problem: &TyphoonProblem,
    slots: &SlotBook,
    from: u32,
    to: u32,
    block: i64,
    t: i64,
) -> Option<(i64, i64)> {
    let a = t + block;
    if let Some(b) = problem.banned(from, BanKind::Takeoff, UtcMinute(t)) {
        Some((b.start.0, b.end.0))
    } else if let Some(b) = problem.banned(to, BanKind::Landing, UtcMinute(a)) {
        Some((b.start.0 - block, b.end.0 - block))
    } else if let Some(c) = curfew(problem, from, t) {
        Some(c)
    } else if let Some((close, reopen)) = curfew(problem, to, a) {
        Some((close - block, reopen - block))
    } else if let Some((s, e)) = slots.full(from, t) {
        Some((s - 1, e))
    } else {
        slots.full(to, a).map(|(s, e)| (s - 1 - block, e - block))
    }
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
        match obstacle(problem, slots, from, to, block, t) {
            Some((_, after)) => t = after,
            None => return Some(t),
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
        match obstacle(problem, slots, from, to, block, t) {
            Some((before, _)) => t = before,
            None => return Some(t),
        }
    }
    None
}

/// The departure times a search tries for flight `i` on an aircraft ready at `ready`: the earliest the
/// bans, curfews and slots allow up to `latest`, and for a domestic flight planned into a take-off ban also
/// the latest before the ban (an advance).
pub fn candidate_departures(
    ctx: &super::Context,
    slots: &SlotBook,
    i: usize,
    ready: i64,
    latest: i64,
) -> Vec<i64> {
    let p = ctx.problem;
    let f = &p.flights[i];
    let block = f.block().0;
    let mut times = Vec::new();
    if let Some(t) = earliest_departure(
        p,
        slots,
        f.from,
        f.to,
        block,
        ready.max(f.departure.0),
        latest,
    ) {
        times.push(t);
    }
    if let Some(ban_start) = ctx.advance_until[i] {
        let lo = ready.max(f.departure.0 - ucodts_model::tianchi2017::rules::MAX_ADVANCE_MINUTES);
        if let Some(t) = latest_departure(p, slots, f.from, f.to, block, lo, ban_start) {
            times.push(t);
        }
    }
    times
}
