//! Round-trip cancellation: a leg the aircraft cannot fly is cancelled together with the legs that bring
//! it back to where it stands, so it stays in position for the rest of its rotation.

use ucodts_model::recovery::{AirportIdx, FlightIdx, RecoveryProblem};

/// Where cancelling leg `k` with its round trip back to `home` would leave the rotation: the index of the
/// next leg leaving from `home` (the rotation's length if none), or `None` if a fixed leg comes first.
pub(super) fn round_trip_end(
    problem: &RecoveryProblem,
    rotation: &[FlightIdx],
    k: usize,
    home: AirportIdx,
    cancelled: &[bool],
) -> Option<usize> {
    for (j, &g) in rotation.iter().enumerate().skip(k + 1) {
        if cancelled[g.index()] {
            continue;
        }
        if problem.is_fixed(g) {
            return None;
        }
        if problem.flight(g).origin == home {
            return Some(j);
        }
    }
    Some(rotation.len())
}

/// Cancels leg `k` of a rotation with the legs up to the next one that leaves from `home` (where the
/// aircraft stands: normally leg `k`'s origin, so this is a round trip or a longer cycle), so the aircraft
/// stays in position for the rest of its rotation. If it never comes back there, the rest of the rotation is
/// cancelled; legs with imposed times are never cancelled here (the cycle stops short of them).
pub(super) fn cancel_round_trip(
    problem: &RecoveryProblem,
    rotation: &[FlightIdx],
    k: usize,
    home: AirportIdx,
    cancelled: &mut [bool],
) {
    let mut end = rotation.len();
    for (j, &g) in rotation.iter().enumerate().skip(k + 1) {
        if cancelled[g.index()] {
            continue;
        }
        if problem.flight(g).origin == home {
            end = j;
            break;
        }
    }
    for &g in rotation.iter().take(end).skip(k) {
        if problem.is_fixed(g) {
            break;
        }
        cancelled[g.index()] = true;
    }
}
