//! The heaviest window of a cumulative limit, found in one pass.
//!
//! What a crew member accumulates (flight time, flight duty, duty) is a set of disjoint intervals sorted by
//! start. For a rolling window of length W, the load of the window ending at t, L(t) = time of the intervals
//! inside (t - W, t], changes at rate (1 if t is inside an interval) - (1 if t - W is). So L never falls
//! while t is inside an interval and never rises while t is between intervals: the heaviest window that ends
//! anywhere in an interval is the one ending at the interval's end. One pass with a pointer to the first
//! interval still inside the window and prefix sums gives that load for every interval in O(n): the load
//! the duty owning the interval brings the crew member to.
//!
//! Calendar windows (any N calendar days or months, a calendar year) add up local-day pieces instead: each
//! interval is cut at local midnights, and the window ending with the bucket of a piece (its day, month or
//! year) is summed with two pointers over the pieces.

/// A span of time owned by one duty of the roster (its index).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct Interval {
    pub start: i64,
    pub end: i64,
    pub owner: usize,
}

/// For each interval in order: the load of the window of length `window` that ends with it, which is the
/// heaviest window ending inside it. `intervals` must be sorted by start and must not overlap.
pub(crate) fn rolling_peaks(intervals: &[Interval], window: i64, out: &mut Vec<i64>) {
    out.clear();
    // `first`: the first interval that ends after the window's start (moves forward only).
    let mut first = 0usize;
    // Total length of intervals[first..j].
    let mut between = 0i64;
    for (j, iv) in intervals.iter().enumerate() {
        debug_assert!(iv.end >= iv.start, "an interval ends after it starts");
        debug_assert!(
            j == 0 || intervals[j - 1].end <= iv.start,
            "intervals are sorted and disjoint"
        );
        let lo = iv.end - window;
        while first < j && intervals[first].end <= lo {
            between -= intervals[first].end - intervals[first].start;
            first += 1;
        }
        let load = if first < j {
            let k = &intervals[first];
            // Interval `first` may start before the window: count only its part inside.
            between - (lo - k.start).max(0) + (iv.end - iv.start)
        } else {
            iv.end - iv.start.max(lo)
        };
        out.push(load);
        between += iv.end - iv.start;
    }
}

/// The part of an interval that falls on one local day (days since the epoch).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct DayPiece {
    pub day: i64,
    pub minutes: i64,
    pub owner: usize,
}

/// For each piece in order: the total of the pieces up to and including it whose bucket lies in the
/// `width` buckets ending with the piece's own bucket, i.e. what the calendar window holds by the end of the
/// piece. `pieces` must be in time order, so that `bucket` does not decrease along them (days, months and
/// years all do this).
pub(crate) fn calendar_loads(
    pieces: &[DayPiece],
    bucket: impl Fn(i64) -> i64,
    width: i64,
    out: &mut Vec<(i64, i64)>,
) {
    out.clear();
    let mut lo = 0usize;
    let mut inside = 0i64;
    for p in pieces {
        let b = bucket(p.day);
        debug_assert!(
            out.last().map_or(true, |&(_, last)| last <= b),
            "pieces are in time order"
        );
        inside += p.minutes;
        // `out` holds the buckets of the pieces before this one.
        while lo < out.len() && out[lo].1 <= b - width {
            inside -= pieces[lo].minutes;
            lo += 1;
        }
        out.push((inside, b));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(start: i64, end: i64, owner: usize) -> Interval {
        Interval { start, end, owner }
    }

    /// The load of the window (t - w, t], by brute force.
    fn load(intervals: &[Interval], w: i64, t: i64) -> i64 {
        intervals
            .iter()
            .map(|i| (i.end.min(t) - i.start.max(t - w)).max(0))
            .sum()
    }

    #[test]
    fn rolling_peaks_match_brute_force_on_every_window_end() {
        // A deterministic pseudo-random roster of intervals.
        let mut x: u64 = 12345;
        let mut next = |m: u64| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((x >> 33) % m) as i64
        };
        for case in 0..200 {
            let mut t = 0;
            let mut ivs = Vec::new();
            for k in 0..(1 + next(12)) {
                let start = t + next(50);
                let end = start + 1 + next(40);
                ivs.push(iv(start, end, k as usize));
                t = end;
            }
            let w = 1 + next(120);
            let mut out = Vec::new();
            rolling_peaks(&ivs, w, &mut out);
            for (j, i) in ivs.iter().enumerate() {
                let brute = (i.start..=i.end).map(|t| load(&ivs, w, t)).max().unwrap();
                assert_eq!(
                    out[j], brute,
                    "case {case} interval {j} window {w}: {ivs:?}"
                );
                assert_eq!(load(&ivs, w, i.end), brute, "case {case}");
            }
            // And no window ending between intervals is heavier than the one ending with the interval
            // before it.
            for t in 0..=ivs.last().unwrap().end + w {
                let before = ivs.iter().rposition(|i| i.end <= t);
                if ivs.iter().all(|i| !(i.start < t && t < i.end)) {
                    let best = before.map_or(0, |j| out[j]);
                    assert!(load(&ivs, w, t) <= best, "case {case} t {t}");
                }
            }
        }
    }

    #[test]
    fn calendar_loads_sum_the_window_up_to_each_piece() {
        let p = |day, minutes| DayPiece {
            day,
            minutes,
            owner: 0,
        };
        let pieces = [p(0, 10), p(0, 5), p(2, 7), p(3, 1), p(9, 4)];
        let mut out = Vec::new();
        calendar_loads(&pieces, |d| d, 3, &mut out);
        let loads: Vec<i64> = out.iter().map(|o| o.0).collect();
        assert_eq!(loads, vec![10, 15, 22, 8, 4]);
        calendar_loads(&pieces, |d| d / 7, 1, &mut out);
        assert_eq!(
            out.iter().map(|o| o.0).collect::<Vec<_>>(),
            vec![10, 15, 22, 23, 4]
        );
    }
}
