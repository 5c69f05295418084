//! The CrewMember actor: one roster line working through its legs, with its duty and rest clocks.
//!
//! A member goes to the origin of the next leg of the sequence and reports `CrewReady` to that leg's
//! aircraft once there and connected (no extra time when staying on the tail, a connection when changing
//! aircraft). The rest of a duty the member timed out of is reported `CrewUnavailable` and skipped.
//!
//! A member left somewhere else than the next leg's origin — by a cancellation, or by missing a deadhead —
//! travels there on another flight ([`World::positioning_time`](crate::World::positioning_time)) if that gets
//! them there no later than the leg's scheduled departure plus the hold limit of
//! [`WorldOptions::max_hold_for_crew`](crate::WorldOptions::max_hold_for_crew); the leg waits for them. Otherwise they report
//! themselves unavailable and operations control finds a reserve or cancels.
//!
//! A leg cancelled in the plan (before the day) moves the member to its destination at its scheduled
//! arrival, as crew scheduling would reposition them; only cancellations on the day strand crews.
//!
//! Clocks: a duty starts at its planned report, or later if the previous release plus the minimum rest
//! says so (counted as a rest shortfall). At boarding, the flight duty period to the block-in of the leg at
//! its scheduled block is checked against the limit ([`crate::legality`]); over it, the member raises a
//! duty-limit alert to operations control instead of boarding. A reserve who takes over starts a fresh
//! duty clock on the line.
//!
//! A leg the feed fixed as flown ([`crate::as_flown`]) has flown with its crew: a member at its origin by
//! its actual out is on board without a duty check (the connection and a rest shortfall do not keep them
//! off it: they made it), a duty it opens starts at its planned report, and the member carries on from its
//! actual arrival.

use ucodts_model::{Minutes, SegmentKind};
use ucodts_sim::{Context, SimDuration, SimTime};

use crate::disruption::SICK;
use crate::legality::{flight_duty_limit, DutyCheck, Verdict};
use crate::messages::Message;
use crate::replication::{duration, sim_time, CrewTotals, Run};

const NO_DUTY: u32 = u32::MAX;

pub(crate) struct CrewActor<'r> {
    run: &'r Run<'r>,
    index: u32,
    /// The position worked on now (local: 0 is the member's first position).
    next: u32,
    /// Where the member is (an airport index).
    at: u32,
    /// When the member can be at the next departure.
    available_at: SimTime,
    /// Positions known to be cancelled or missed.
    cancelled: Vec<bool>,
    /// The duty under way, or `NO_DUTY`.
    duty: u32,
    duty_report: SimTime,
    /// A duty the member timed out of: its remaining legs are skipped.
    exhausted_duty: u32,
    /// When the original member went home, if a reserve took over the duty under way.
    replaced_at: Option<SimTime>,
    last_release: Option<SimTime>,
    totals: CrewTotals,
    /// Called in sick (an injected disruption): works no leg scheduled to leave from then on.
    sick_from: Option<SimTime>,
    /// The worst the duty under way has come to: counted once per duty as a legal extension or an
    /// exceedance.
    duty_verdict: Verdict,
}

impl<'r> CrewActor<'r> {
    pub fn new(run: &'r Run<'r>, index: u32) -> CrewActor<'r> {
        let member = &run.world.crew()[index as usize];
        let first = run.world.positions()[member.first_position as usize];
        CrewActor {
            run,
            index,
            next: 0,
            at: run.world.legs()[first.leg as usize].origin,
            available_at: SimTime::ZERO,
            cancelled: vec![false; member.positions as usize],
            duty: NO_DUTY,
            duty_report: SimTime::ZERO,
            exhausted_duty: NO_DUTY,
            replaced_at: None,
            last_release: None,
            totals: CrewTotals::default(),
            sick_from: sick_from(run, index),
            duty_verdict: Verdict::Within,
        }
    }

    pub fn start(&mut self, cx: &mut Context<'_, Message>) {
        self.advance(cx);
    }

    pub fn collect(self, totals: &mut CrewTotals) {
        totals.block_min += self.totals.block_min;
        totals.duty_min += self.totals.duty_min;
        totals.rest_shortfalls += self.totals.rest_shortfalls;
        totals.repositionings += self.totals.repositionings;
        totals.duties += self.totals.duties;
        totals.legal_extensions += self.totals.legal_extensions;
        totals.exceedances += self.totals.exceedances;
    }

    pub fn handle(&mut self, message: Message, cx: &mut Context<'_, Message>) {
        match message {
            Message::Boarding { seat } => self.boarding(seat, cx),
            Message::Arrived { seat, block_s } => self.arrived(seat, block_s, cx),
            Message::LegCancelled { seat } | Message::MissedDeadhead { seat } => {
                let local = self.local(seat);
                if local < self.next {
                    return;
                }
                self.cancelled[local as usize] = true;
                if local == self.next {
                    // Still at the origin of that leg: on to the next one from here.
                    self.next += 1;
                    self.available_at = self.available_at.max(cx.now());
                    self.advance(cx);
                }
            }
            Message::ReserveTakesOver { seat, delay_s } => {
                let now = cx.now();
                self.replaced_at.get_or_insert(now);
                // The reserve's duty starts at the call.
                self.duty_report = now;
                self.exhausted_duty = NO_DUTY;
                cx.send_after(
                    SimDuration::from_seconds(i64::from(delay_s)),
                    self.run.aircraft_of_leg(self.seat_leg(seat)),
                    Message::OnBoard { seat },
                );
            }
            Message::DutyExtended { seat } => {
                self.exhausted_duty = NO_DUTY;
                cx.send(
                    self.run.aircraft_of_leg(self.seat_leg(seat)),
                    Message::OnBoard { seat },
                );
            }
            other => unreachable!(
                "a crew member was sent {other:?}, which only aircraft, airports or operations control handle"
            ),
        }
    }

    fn first_position(&self) -> u32 {
        self.run.world.crew()[self.index as usize].first_position
    }

    fn local(&self, seat: u32) -> u32 {
        self.run.world.seats()[seat as usize].position - self.first_position()
    }

    fn seat_leg(&self, seat: u32) -> u32 {
        self.run.world.seats()[seat as usize].leg
    }

    /// Goes for the next leg that departs from here.
    fn advance(&mut self, cx: &mut Context<'_, Message>) {
        let world = self.run.world;
        let n = self.cancelled.len() as u32;
        loop {
            if self.next == n {
                if self.duty != NO_DUTY {
                    self.close_duty(cx.now().max(self.available_at));
                }
                return;
            }
            let position = world.positions()[(self.first_position() + self.next) as usize];
            let leg = &world.legs()[position.leg as usize];
            if leg.planned_cancelled {
                // Cancelled before the day: crew scheduling repositions the member along it on paper.
                if position.duty != self.duty {
                    self.start_duty(position.duty, cx.now());
                }
                self.at = leg.destination;
                self.available_at = self.available_at.max(sim_time(leg.scheduled_in));
                self.next += 1;
                if position.last_in_duty {
                    let release =
                        self.available_at + duration(world.options().crew_release_after_arrival);
                    self.close_duty(release);
                }
                continue;
            }
            if self.cancelled[self.next as usize] {
                self.next += 1;
                continue;
            }
            let fixed_out = world.flown.get(position.leg).map(|f| f.out());
            if leg.origin != self.at && position.duty != self.exhausted_duty {
                // Left elsewhere by a cancellation or a missed deadhead: travel there on another flight if
                // that makes the leg within the hold limit (a leg flown as reported waits for no one).
                let setting_off = self.available_at.max(cx.now());
                let there = setting_off + duration(world.positioning_time(self.at, leg.origin));
                let latest = fixed_out.unwrap_or(
                    sim_time(leg.scheduled_out) + duration(world.options().max_hold_for_crew),
                );
                if there <= latest {
                    self.at = leg.origin;
                    self.available_at = there;
                    self.totals.repositionings += 1;
                }
            }
            if position.duty == self.exhausted_duty || leg.origin != self.at {
                cx.send(
                    self.run.aircraft_id(leg.aircraft),
                    Message::CrewUnavailable {
                        seat: position.seat,
                    },
                );
                self.next += 1;
                continue;
            }
            if self
                .sick_from
                .is_some_and(|from| sim_time(leg.scheduled_out) >= from)
            {
                cx.send(
                    self.run.aircraft_id(leg.aircraft),
                    Message::CrewUnavailable {
                        seat: position.seat,
                    },
                );
                self.next += 1;
                continue;
            }
            if position.duty != self.duty {
                self.start_duty(position.duty, cx.now());
                if fixed_out.is_some() {
                    // They reported for it: the planned report, whatever the rest clock says.
                    let planned = sim_time(world.duties()[position.duty as usize].report);
                    if self.duty_report > planned {
                        self.duty_report = planned;
                        self.totals.rest_shortfalls -= 1;
                    }
                }
            }
            let at = match fixed_out {
                // At the gate by the actual out (connection time or not): they were there.
                Some(out) => self.available_at.min(out).max(cx.now()),
                None => self.available_at.max(cx.now()),
            };
            cx.send_at(
                at,
                self.run.aircraft_id(leg.aircraft),
                Message::CrewReady {
                    seat: position.seat,
                },
            );
            return;
        }
    }

    fn start_duty(&mut self, duty: u32, now: SimTime) {
        if self.duty != NO_DUTY {
            // The previous duty ended early (its last leg was cancelled): released now.
            self.close_duty(now.max(self.available_at));
        }
        let plan = self.run.world.duties()[duty as usize];
        let mut report = sim_time(plan.report);
        if let Some(release) = self.last_release {
            let rested = release + duration(self.run.world.options().min_rest_before_duty);
            if rested > report {
                report = rested;
                self.totals.rest_shortfalls += 1;
            }
        }
        self.duty = duty;
        self.duty_report = report;
        self.duty_verdict = Verdict::Within;
        self.totals.duties += 1;
        self.available_at = self.available_at.max(report);
    }

    fn close_duty(&mut self, release: SimTime) {
        self.totals.duty_min += (release - self.duty_report).minutes_f64();
        self.last_release = Some(self.replaced_at.take().unwrap_or(release));
        self.duty = NO_DUTY;
        self.available_at = self.available_at.max(release);
    }

    fn boarding(&mut self, seat: u32, cx: &mut Context<'_, Message>) {
        let local = self.local(seat);
        debug_assert_eq!(
            local, self.next,
            "boarding is asked only for the leg the member is at"
        );
        let world = self.run.world;
        let position = world.positions()[(self.first_position() + local) as usize];
        let leg = &world.legs()[position.leg as usize];
        let check = self.duty_check(position.duty, cx.now(), leg.scheduled_block());
        if let Some(check) = check {
            let rank = world.crew()[self.index as usize].rank;
            self.note_verdict(check.verdict(rank));
        }
        match check {
            Some(check) if !check.is_legal() => {
                self.exhausted_duty = position.duty;
                cx.send(
                    self.run.ops_id(),
                    Message::DutyLimitAlert {
                        seat,
                        projected_min: saturating_u16(check.projected_duty.0),
                        limit_min: saturating_u16(check.limit.0),
                    },
                );
            }
            _ => cx.send(
                self.run.aircraft_id(leg.aircraft),
                Message::OnBoard { seat },
            ),
        }
    }

    /// Counts the duty under way once, at the worst it has come to.
    fn note_verdict(&mut self, verdict: Verdict) {
        match (self.duty_verdict, verdict) {
            (Verdict::Within, Verdict::LegalExtension) => self.totals.legal_extensions += 1,
            (Verdict::Within, Verdict::Exceedance) => self.totals.exceedances += 1,
            (Verdict::LegalExtension, Verdict::Exceedance) => {
                self.totals.legal_extensions -= 1;
                self.totals.exceedances += 1;
            }
            _ => return,
        }
        self.duty_verdict = verdict;
    }

    /// The duty clock for a departure at `now` of a leg of `block`; `None` where no limit applies.
    fn duty_check(&self, duty: u32, now: SimTime, block: Minutes) -> Option<DutyCheck> {
        let plan = self.run.world.duties()[duty as usize];
        let rank = self.run.world.crew()[self.index as usize].rank;
        let report_minute = self.duty_report.seconds().div_euclid(60) + plan.home_offset.0;
        let limit = flight_duty_limit(
            rank,
            report_minute.rem_euclid(1440),
            usize::from(plan.operating_segments),
        )?;
        let block_in = now + duration(block);
        // A started minute of duty counts.
        let projected = Minutes(-(-(block_in - self.duty_report).seconds()).div_euclid(60));
        Some(DutyCheck {
            projected_duty: projected,
            limit,
        })
    }

    fn arrived(&mut self, seat: u32, block_s: u32, cx: &mut Context<'_, Message>) {
        let local = self.local(seat);
        debug_assert_eq!(local, self.next, "a member arrives only on the leg it rode");
        let world = self.run.world;
        let position = world.positions()[(self.first_position() + local) as usize];
        let leg = &world.legs()[position.leg as usize];
        if world.seats()[seat as usize].kind == SegmentKind::Operating {
            self.totals.block_min += block_s as f64 / 60.0;
        }
        let now = cx.now();
        self.at = leg.destination;
        self.next += 1;
        if position.last_in_duty {
            let release = now + duration(world.options().crew_release_after_arrival);
            self.close_duty(release);
        } else {
            let n = self.cancelled.len() as u32;
            let same_tail = self.next < n && {
                let p = world.positions()[(self.first_position() + self.next) as usize];
                world.legs()[p.leg as usize].aircraft == leg.aircraft
            };
            let connection = if same_tail {
                SimDuration::ZERO
            } else {
                duration(world.options().crew_connection_aircraft_change)
            };
            self.available_at = now + connection;
        }
        self.advance(cx);
    }
}

/// Minutes as a `u16`, held at 0 and 65,535 (45 days: no duty comes near).
/// When member `index` calls in sick, if a scenario says so.
fn sick_from(run: &Run<'_>, index: u32) -> Option<SimTime> {
    let injected = &run.world.injected;
    let member = &run.world.crew()[index as usize];
    let named = injected
        .sick_crew
        .iter()
        .filter(|&&(c, _)| c == index)
        .map(|&(_, at)| at);
    let drawn = injected
        .sick_share
        .iter()
        .filter(|&&(base, share, _)| {
            base == member.base
                && run.uniform(crate::disruption::crew_entity(member.id.as_str()), SICK) < share
        })
        .map(|&(_, _, at)| at);
    named.chain(drawn).min()
}

fn saturating_u16(minutes: i64) -> u16 {
    minutes.clamp(0, i64::from(u16::MAX)) as u16
}
