//! The OpsControl actor: where crew shortages go, and the policy that decides them.
//!
//! Two shortages reach it: a crew member who would exceed the duty limit on the next leg (a duty-limit
//! alert), and a seat whose member cannot get to the leg at all (stranded by a cancellation, or timed out
//! earlier in the duty). For each it asks its [`OpsPolicy`] — the plug-in point for the optimizer — with a
//! view of the reserves ([`ReserveDesk`]), and carries out the [`Decision`].
//!
//! [`DefaultPolicy`], in order:
//! 1. **call a reserve** of the airline and rank standing by at the station, if there is one;
//! 2. for a duty-limit alert of a pilot within the 14 CFR 117.19 extension: **extend** the duty;
//! 3. **delay**: hold the flight for a reserve positioning from the airline's nearest base with one left,
//!    if it can be there within [`WorldOptions::max_hold_for_crew`](crate::WorldOptions::max_hold_for_crew);
//! 4. **cancel** the leg.
//!
//! A reserve who replaces a timed-out member flies the rest of that duty on a fresh duty clock; one who
//! fills the seat of a member who cannot come flies that leg. Each reserve covers one call-out a day.

use std::collections::BTreeMap;

use ucodts_model::{AirportCode, LegId, Minutes, Rank, UtcMinute};
use ucodts_sim::{Context, SimDuration, SimTime};

use crate::legality::extension_allowed;
use crate::messages::Message;
use crate::replication::{duration, CancelReason, Run};
use crate::world::{rank_index, World};

/// What is short.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShortageKind {
    /// The member is there but would exceed the duty limit.
    DutyLimit {
        /// Report to block-in of the leg, minutes.
        projected_duty_min: i64,
        /// The limit, minutes.
        limit_min: i64,
    },
    /// The member cannot get to the leg.
    CrewMissing,
}

/// A crew shortage on a leg, as the policy sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CrewShortage {
    /// The leg.
    pub leg: LegId,
    /// Where it departs.
    pub station: AirportCode,
    /// The seat's rank.
    pub rank: Rank,
    /// The airline of the seat's member (an index into the schedule's airlines).
    pub airline: u32,
    /// Now.
    pub now: SimTime,
    /// What is short.
    pub kind: ShortageKind,
}

/// What operations control does about a shortage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Call a reserve standing by at the station.
    CallReserve,
    /// Let the member fly on under the duty extension (duty-limit alerts only).
    ExtendDuty,
    /// Hold the flight for a reserve positioning from the base `from`.
    PositionReserve {
        /// The base the reserve comes from.
        from: AirportCode,
    },
    /// Cancel the leg.
    Cancel,
}

/// A recovery policy for crew shortages. It must be deterministic: the same shortage and desk, the same
/// decision. A decision the desk cannot honour (no reserve where asked, an extension past what the rules
/// allow) is carried out as a cancellation.
pub trait OpsPolicy: Sync {
    /// Decides one shortage.
    fn decide(&self, shortage: &CrewShortage, reserves: &ReserveDesk<'_>) -> Decision;
}

/// See the module documentation.
#[derive(Clone, Copy, Debug, Default)]
pub struct DefaultPolicy;

impl OpsPolicy for DefaultPolicy {
    fn decide(&self, s: &CrewShortage, desk: &ReserveDesk<'_>) -> Decision {
        if desk.available(s.airline, s.station, s.rank, s.now) {
            return Decision::CallReserve;
        }
        if desk.may_extend(s) {
            return Decision::ExtendDuty;
        }
        match desk.nearest_positioning(s.airline, s.station, s.rank, s.now) {
            Some((from, ready)) if ready - s.now <= duration(desk.max_hold()) => {
                Decision::PositionReserve { from }
            }
            _ => Decision::Cancel,
        }
    }
}

/// What operations control did in one replication.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OpsStats {
    /// Duty-limit alerts raised by crew members.
    pub duty_limit_alerts: u64,
    /// Seats whose member could not get to the leg.
    pub crew_missing: u64,
    /// Reserves called out (at the station or positioned).
    pub reserve_callouts: u64,
    /// Flights held for a reserve positioning from another base.
    pub holds: u64,
    /// Duties extended under 117.19.
    pub extensions: u64,
    /// Legs cancelled by operations control.
    pub cancellations: u64,
}

/// The reserves: who stands by where and when, and who was used.
pub struct ReserveDesk<'a> {
    world: &'a World,
    used: &'a BTreeMap<(u32, u32, usize, i64), u32>,
}

impl ReserveDesk<'_> {
    fn station(&self, code: AirportCode) -> Option<u32> {
        self.world
            .airports()
            .iter()
            .position(|a| a.code == code)
            .map(|i| i as u32)
    }

    /// The local day (days since 1970) and minute of the day at `station` at `t`.
    fn local(&self, station: u32, t: SimTime) -> (i64, i64) {
        let zone = self.world.airports()[station as usize].zone;
        let local = zone.to_local(UtcMinute(t.seconds().div_euclid(60)));
        (local.date.days_since_epoch(), local.minute_of_day)
    }

    fn on_standby(&self, airline: u32, base: u32, rank: Rank, t: SimTime) -> bool {
        let r = &self.world.options().reserves;
        let (day, minute) = self.local(base, t);
        let used = self
            .used
            .get(&(airline, base, rank_index(rank), day))
            .copied()
            .unwrap_or(0);
        (r.standby_from_minute..=r.standby_until_minute).contains(&minute)
            && self.world.reserve_pool(airline, base, rank) > used
    }

    /// Whether a reserve of `airline` and `rank` stands by at `station` at `t` and has not been called today.
    pub fn available(&self, airline: u32, station: AirportCode, rank: Rank, t: SimTime) -> bool {
        self.station(station)
            .is_some_and(|s| self.on_standby(airline, s, rank, t))
    }

    /// The base of `airline` with a reserve of `rank` on standby at `t` that could be at `station` first,
    /// and when it would be ready there.
    pub fn nearest_positioning(
        &self,
        airline: u32,
        station: AirportCode,
        rank: Rank,
        t: SimTime,
    ) -> Option<(AirportCode, SimTime)> {
        let s = self.station(station)?;
        self.world
            .reserve_bases(airline, rank)
            .filter(|&b| b != s && self.on_standby(airline, b, rank, t))
            .map(|b| (b, t + self.positioning_time(b, s)))
            .min_by_key(|&(b, ready)| (ready, b))
            .map(|(b, ready)| (self.world.airports()[b as usize].code, ready))
    }

    fn positioning_time(&self, from: u32, to: u32) -> SimDuration {
        let report = self.world.options().reserves.report_delay;
        duration(report + self.world.positioning_time(from, to))
    }

    /// Whether the shortage is a duty-limit alert within the extension the rules allow for its rank.
    pub fn may_extend(&self, s: &CrewShortage) -> bool {
        match s.kind {
            ShortageKind::DutyLimit {
                projected_duty_min,
                limit_min,
            } => projected_duty_min <= limit_min + extension_allowed(s.rank).0,
            ShortageKind::CrewMissing => false,
        }
    }

    /// The longest the default policy holds a flight.
    pub fn max_hold(&self) -> Minutes {
        self.world.options().max_hold_for_crew
    }
}

pub(crate) struct OpsControl<'r> {
    run: &'r Run<'r>,
    used: BTreeMap<(u32, u32, usize, i64), u32>,
    stats: OpsStats,
}

impl<'r> OpsControl<'r> {
    pub fn new(run: &'r Run<'r>) -> OpsControl<'r> {
        OpsControl {
            run,
            used: BTreeMap::new(),
            stats: OpsStats::default(),
        }
    }

    pub fn stats(&self) -> OpsStats {
        self.stats
    }

    pub fn handle(&mut self, message: Message, cx: &mut Context<'_, Message>) {
        match message {
            Message::DutyLimitAlert {
                seat,
                projected_min,
                limit_min,
            } => {
                self.stats.duty_limit_alerts += 1;
                let kind = ShortageKind::DutyLimit {
                    projected_duty_min: i64::from(projected_min),
                    limit_min: i64::from(limit_min),
                };
                self.decide(seat, kind, cx);
            }
            Message::CrewMissing { seat } => {
                self.stats.crew_missing += 1;
                self.decide(seat, ShortageKind::CrewMissing, cx);
            }
            other => unreachable!("operations control was sent {other:?}, which only aircraft, crew or airports handle"),
        }
    }

    fn decide(&mut self, seat: u32, kind: ShortageKind, cx: &mut Context<'_, Message>) {
        let world = self.run.world;
        let s = world.seats()[seat as usize];
        let leg = &world.legs()[s.leg as usize];
        let station = world.airports()[leg.origin as usize].code;
        let airline = world.crew()[s.crew as usize].airline;
        let now = cx.now();
        let shortage = CrewShortage {
            leg: leg.id,
            station,
            rank: s.rank,
            airline,
            now,
            kind,
        };
        let desk = ReserveDesk {
            world,
            used: &self.used,
        };
        let missing = kind == ShortageKind::CrewMissing;
        let report = duration(world.options().reserves.report_delay);
        match self.run.policy.decide(&shortage, &desk) {
            Decision::CallReserve if desk.available(airline, station, s.rank, now) => {
                self.take_reserve(airline, leg.origin, s.rank, now);
                self.send_reserve(seat, missing, now + report, cx);
            }
            Decision::ExtendDuty if desk.may_extend(&shortage) => {
                self.stats.extensions += 1;
                cx.send(self.run.crew_id(s.crew), Message::DutyExtended { seat });
            }
            Decision::PositionReserve { from } => {
                let base = desk.station(from);
                match base {
                    Some(b) if desk.on_standby(airline, b, s.rank, now) => {
                        let ready = now + desk.positioning_time(b, leg.origin);
                        self.take_reserve(airline, b, s.rank, now);
                        self.stats.holds += 1;
                        self.send_reserve(seat, missing, ready, cx);
                    }
                    _ => self.cancel(seat, missing, cx),
                }
            }
            _ => self.cancel(seat, missing, cx),
        }
    }

    fn cancel(&mut self, seat: u32, missing: bool, cx: &mut Context<'_, Message>) {
        self.stats.cancellations += 1;
        let s = self.run.world.seats()[seat as usize];
        let reason = if missing {
            CancelReason::CrewMissing
        } else {
            CancelReason::CrewDutyLimit
        };
        cx.send(
            self.run.aircraft_of_leg(s.leg),
            Message::CancelLeg { leg: s.leg, reason },
        );
    }

    fn take_reserve(&mut self, airline: u32, base: u32, rank: Rank, t: SimTime) {
        let zone = self.run.world.airports()[base as usize].zone;
        let day = zone
            .to_local(UtcMinute(t.seconds().div_euclid(60)))
            .date
            .days_since_epoch();
        *self
            .used
            .entry((airline, base, rank_index(rank), day))
            .or_default() += 1;
    }

    fn send_reserve(
        &mut self,
        seat: u32,
        missing: bool,
        ready: SimTime,
        cx: &mut Context<'_, Message>,
    ) {
        self.stats.reserve_callouts += 1;
        let s = self.run.world.seats()[seat as usize];
        if missing {
            cx.send_at(
                ready,
                self.run.aircraft_of_leg(s.leg),
                Message::SeatFilledByReserve { seat },
            );
        } else {
            let delay_s = u32::try_from((ready - cx.now()).seconds())
                .expect("a reserve is ready after the call and within 136 years");
            cx.send(
                self.run.crew_id(s.crew),
                Message::ReserveTakesOver { seat, delay_s },
            );
        }
    }
}
