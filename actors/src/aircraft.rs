//! The Aircraft actor: a tail working through its rotation, one leg at a time.
//!
//! It owns the state of its legs: which crew seats are ready, when its turn is done, when each leg left and
//! arrived. A leg departs only when (1) the tail is at the origin and its turn is done — minimum turn of its
//! type plus the drawn turn-time variation after the previous arrival; (2) the scheduled departure plus the
//! leg's own drawn delay has come, and so has the departure it was retimed to, if it was held before the
//! day (a hold absorbs the own delay it outlasts); (3) every operating crew seat is filled by a member who
//! is there and within duty limits, or by a reserve; (4) the origin granted a departure slot.
//! Deadheading crew ride along if they are there at departure, and miss the leg otherwise.
//!
//! A cancelled leg leaves the tail where it was; the tail then skips (cancels) legs until its rotation
//! departs from where it is again — for an out-and-back, the return leg goes too — except after a flight
//! cancelled *into* a storm (the arrival side of operations control's decision): the airline ferries that
//! tail to its destination once the storm there has cleared on the forecast, and the tail takes up its
//! rotation with the first leg from elsewhere that leaves after it could be back; the legs before are
//! cancelled (the next day's network effect of a storm). Nor is a stranded tail left out for good: operations
//! control repositions it (a ferry or a swap the record does not show) for the first leg of its rotation from
//! elsewhere that leaves [`REPOSITION_AFTER_HOURS`] after it was stranded and after any storm at that leg's
//! origin has cleared. A rotation that jumps
//! without a cancellation (recorded data has such gaps: swaps and ferries it does not show) is bridged: the
//! tail flies its next leg from where the record says, and the gap is counted.
//!
//! A leg the feed fixed as flown ([`crate::as_flown`]) is none of this: it leaves at its actual out whoever
//! is on board and whatever the turn, draws nothing, asks no slot, and is never cancelled; flown, it
//! arrives at its actual in; airborne, it lands around its estimate with the block's spread.

use rand::Rng;
use ucodts_model::{SegmentKind, UtcMinute};
use ucodts_sim::{Context, SimDuration, SimTime, StreamRng};

use crate::as_flown::FixedLeg;
use crate::disruption::AOG;
use crate::messages::Message;
use crate::replication::{
    duration, sim_time, CancelReason, LegResult, Run, BLOCK_TIME, CANCELLATION, DEPARTURE_DELAY,
    MIN_BLOCK_SHARE, TURN_TIME,
};
use crate::ActorsError;

/// Hours after a tail is stranded (and after a storm at the airport it is wanted at has cleared) from which
/// operations control has it back in its rotation. Without it a tail stranded away from the airports its
/// rotation departs from stayed out for the rest of the run: fitted without January, one day of
/// over-cancelling on 16 January 2013 left 8-14 % of the next two weeks' departures cancelled (record
/// 0.1-1.5 %), most of them "aircraft elsewhere"; the same days simulated from a fresh start cancelled
/// 1.3-3.0 %; with it they cancel 0.6-2.3 %. Six hours is a night's ferry or swap; 4, 6 and 8 hours gave
/// 48.5, 49.3 and 47.0 % cancelled on 9 February 2013 (fitted without February; record 57.5 %: a clear
/// day with the fleet out of position after the blizzard) and the same on 4-8 February; not waiting for
/// the storm to clear, 34.1 %. docs/benchmarks.md has the runs.
pub const REPOSITION_AFTER_HOURS: i64 = 6;

/// Where the tail is with its current leg.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Waiting for the turn, the not-before time or crew.
    Waiting,
    /// Crew are checking their duty clocks.
    Boarding,
    /// Waiting for the origin's departure slot.
    AwaitingSlot,
    /// Off the gate, until the arrival is cleared.
    Airborne,
    /// The rotation is over.
    Done,
}

/// A crew seat on one of the tail's legs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SeatState {
    /// Not heard from.
    Pending,
    /// At the origin.
    Ready,
    /// Will not come.
    Unavailable,
    /// Will not come; operations control was asked.
    AskedOps,
    /// Filled by a reserve.
    Reserve,
    /// Checking the duty clock.
    Boarding,
    /// On board (operating and legal, or deadheading).
    OnBoard,
}

pub(crate) struct AircraftActor<'r> {
    run: &'r Run<'r>,
    index: u32,
    /// Current leg's place in the rotation.
    position: u32,
    /// Where the tail is (an airport index).
    at: u32,
    /// When the turn after the last arrival is done.
    ready_at: SimTime,
    /// The current leg leaves no earlier than this.
    not_before: SimTime,
    phase: Phase,
    seats: Vec<SeatState>,
    results: Vec<LegResult>,
    board_time: SimTime,
    awaiting_onboard: u32,
    /// Boxed: a generator is larger than the rest of the actor, and every actor of a replication is as large
    /// as its largest kind.
    turn_rng: Box<StreamRng>,
    /// Whether the tail is where it is because a leg was cancelled (then legs from elsewhere are cancelled
    /// too, rather than read as a gap in the data).
    stranded: bool,
    /// When the tail became stranded: the scheduled departure of the leg whose cancellation left it out of
    /// its rotation.
    stranded_since: SimTime,
    rotation_gaps: u64,
    /// Injected groundings of this tail: out of service from the first time until the second (drawn).
    grounded: Vec<(SimTime, SimTime)>,
    /// A tail stranded by a flight cancelled into a storm is ferried back into its rotation for the first
    /// leg from elsewhere that leaves at or after this (the storm at the cancelled flight's destination has
    /// cleared on the forecast, the ferry flown and the tail turned).
    ferry_ready: Option<SimTime>,
    /// The delay operations control expected of the current leg when it became the tail's next, minutes.
    expected_delay_min: f64,
    /// The cancelled share of the current leg's origin's recent departures it saw then.
    decided_share: f64,
    /// The current leg's draw from its cancellation stream (1 when none was needed).
    cancellation_draw: f64,
    /// Whether operations control has looked at the current leg again at its departure time (with the
    /// origin's cancellations since).
    rechecked: bool,
}

/// Which side of a leg operations control cancels it for ahead of the day's events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ahead {
    /// Fly it.
    Fly,
    /// Its departure: the weather, a closure or a long delay at the origin.
    Departure,
    /// Its arrival: a storm at the destination.
    Arrival,
}

impl<'r> AircraftActor<'r> {
    pub fn new(run: &'r Run<'r>, index: u32) -> AircraftActor<'r> {
        let a = &run.world.aircraft()[index as usize];
        let first_leg = run.world.rotation_of(index)[0];
        AircraftActor {
            run,
            index,
            position: 0,
            at: run.world.legs()[first_leg as usize].origin,
            ready_at: SimTime::ZERO,
            not_before: SimTime::ZERO,
            phase: Phase::Waiting,
            seats: vec![SeatState::Pending; a.seats as usize],
            results: vec![LegResult::default(); a.legs as usize],
            board_time: SimTime::ZERO,
            awaiting_onboard: 0,
            turn_rng: Box::new(run.streams.stream(a.stream_entity, TURN_TIME)),
            stranded: false,
            stranded_since: SimTime::ZERO,
            rotation_gaps: 0,
            grounded: run
                .world
                .injected
                .groundings
                .iter()
                .filter(|g| g.aircraft == index)
                .map(|g| {
                    let u = run.uniform(a.stream_entity, AOG);
                    let spread = ((2.0 * u - 1.0) * g.uncertainty_s as f64).round() as i64;
                    (
                        g.from,
                        (g.expected_return + SimDuration(spread)).max(g.from),
                    )
                })
                .collect(),
            ferry_ready: None,
            expected_delay_min: 0.0,
            decided_share: 0.0,
            cancellation_draw: 1.0,
            rechecked: false,
        }
    }

    pub fn start(&mut self, cx: &mut Context<'_, Message>) {
        self.begin_leg(cx);
    }

    pub fn handle(&mut self, message: Message, cx: &mut Context<'_, Message>) {
        match message {
            Message::Wake => self.try_board(cx),
            Message::CrewReady { seat } => self.crew_ready(seat, cx),
            Message::CrewUnavailable { seat } => {
                if self.rotation_position_of_seat(seat) >= self.position {
                    *self.seat_mut(seat) = SeatState::Unavailable;
                    self.try_board(cx);
                }
            }
            Message::SeatFilledByReserve { seat } => {
                if self.rotation_position_of_seat(seat) >= self.position {
                    *self.seat_mut(seat) = SeatState::Reserve;
                    self.try_board(cx);
                }
            }
            Message::OnBoard { seat } => self.on_board(seat, cx),
            Message::CancelLeg { leg, reason } => {
                if self.is_current(leg)
                    && matches!(self.phase, Phase::Waiting | Phase::Boarding)
                    && self.run.world.flown.get(leg).is_none()
                {
                    self.cancel_current(reason, cx);
                    self.begin_leg(cx);
                }
            }
            Message::DepartureCleared { leg } => self.depart(leg, cx),
            Message::ArrivalCleared { leg } => self.arrive(leg, cx),
            other => unreachable!("an aircraft was sent {other:?}, which only crew, airports or operations control handle"),
        }
    }

    /// Writes this tail's leg results into `legs` (world order) and returns the rotation gaps it bridged; a
    /// leg neither flown nor cancelled is a bug.
    pub fn collect(self, legs: &mut [LegResult]) -> Result<u64, ActorsError> {
        for (&leg, result) in self
            .run
            .world
            .rotation_of(self.index)
            .iter()
            .zip(&self.results)
        {
            if result.arrived.is_none() && result.cancelled.is_none() {
                return Err(ActorsError::Stalled {
                    leg: self.run.world.legs()[leg as usize].id,
                    waiting_for: match self.phase {
                        Phase::Waiting => "its aircraft or crew",
                        Phase::Boarding => "crew duty checks",
                        Phase::AwaitingSlot => "a departure slot",
                        Phase::Airborne => "an arrival slot",
                        Phase::Done => "nothing (the rotation ended)",
                    },
                });
            }
            legs[leg as usize] = *result;
        }
        Ok(self.rotation_gaps)
    }

    fn rotation(&self) -> &'r [u32] {
        self.run.world.rotation_of(self.index)
    }

    fn current_leg(&self) -> u32 {
        self.rotation()[self.position as usize]
    }

    fn is_current(&self, leg: u32) -> bool {
        self.phase != Phase::Done && self.current_leg() == leg
    }

    fn rotation_position_of_seat(&self, seat: u32) -> u32 {
        let leg = self.run.world.seats()[seat as usize].leg;
        self.run.world.legs()[leg as usize].rotation_position
    }

    fn seat_mut(&mut self, seat: u32) -> &mut SeatState {
        let first = self.run.world.aircraft()[self.index as usize].first_seat;
        &mut self.seats[(seat - first) as usize]
    }

    /// The global seat indices of the current leg.
    fn current_seats(&self) -> std::ops::Range<u32> {
        let l = &self.run.world.legs()[self.current_leg() as usize];
        l.first_seat..l.first_seat + l.seat_count
    }

    /// Makes the next leg current: skips what cannot be flown, draws its own delay, waits.
    fn begin_leg(&mut self, cx: &mut Context<'_, Message>) {
        loop {
            if self.position as usize == self.results.len() {
                self.phase = Phase::Done;
                return;
            }
            let leg_index = self.current_leg();
            let leg = &self.run.world.legs()[leg_index as usize];
            if let Some(fixed) = self.run.world.flown.get(leg_index) {
                // Flown as the feed says: from where it left, at its actual out (or now, if this
                // replication brought the tail there later; the leg's record keeps the actual times).
                if leg.origin != self.at {
                    self.at = leg.origin;
                    self.rotation_gaps += 1;
                }
                self.stranded = false;
                self.ferry_ready = None;
                self.run.decide_flies(leg_index);
                self.not_before = fixed.out().max(cx.now());
                self.phase = Phase::Waiting;
                if self.not_before > cx.now() {
                    cx.set_timer_at(self.not_before, Message::Wake);
                } else {
                    self.depart_as_flown(fixed, cx);
                }
                return;
            }
            if leg.planned_cancelled {
                self.cancel_current(CancelReason::Plan, cx);
                continue;
            }
            if leg.origin != self.at {
                // A tail kept out by a storm at its destination is ferried to the first leg from elsewhere
                // that leaves once it can be back (not to a leg that would bring it where it already is).
                let ferried = self.ferry_ready.is_some_and(|ready| {
                    leg.destination != self.at && sim_time(leg.scheduled_out) >= ready
                });
                if self.stranded && !ferried && !self.repositioned_for(leg_index) {
                    self.cancel_current(CancelReason::AircraftElsewhere, cx);
                    continue;
                }
                if let Some(ready) = self.ferry_ready.take() {
                    self.ready_at = self.ready_at.max(ready);
                }
                // A gap in the recorded rotation (a swap or ferry the data does not show), or the ferry
                // back: the tail is where the record says it next flew from.
                self.at = leg.origin;
                self.rotation_gaps += 1;
            }
            self.stranded = false;
            self.ferry_ready = None;
            // The leg's own delay: late for its own reasons (boarding, catering, a late crew member, ATC on
            // the day), drawn from its stream whatever the plan (common random numbers) and measured, as
            // the record it was fitted on measures it, from the scheduled departure.
            let u = self.run.uniform(u64::from(leg.id.0), DEPARTURE_DELAY);
            let u = match self.run.world.flown.still_at_gate(leg_index) {
                // The feed had it still at the gate at its now with the aircraft there and turned: its own
                // delay has lasted past now, so it is drawn from that part of its distribution (a flight
                // an hour late at the gate is, in the record, more often two hours late than just over one).
                Some(now) if self.ready_at <= now => {
                    let late = (now - sim_time(leg.scheduled_out)).minutes_f64();
                    self.run.model.departure_uniform_beyond(leg_index, late, u)
                }
                _ => u,
            };
            let own_delay =
                SimDuration::from_minutes_f64(self.run.model.departure_delay_min(leg_index, u));
            let own = if leg.earliest_out > leg.scheduled_out {
                // Held before the day (a recovery plan's retime, a ground delay programme's slot): the
                // flight is announced for its new time and waits for the disruption, and its own small
                // problems are dealt with while it waits; they delay it only where they outlast the hold.
                // So it leaves at the later of the hold and its own delay from the schedule, not at the
                // hold plus its own delay, which would charge a held flight a delay twice and bias the twin
                // against retimes. A delay longer than the hold still delays it, by no more than it would
                // have without the hold.
                (sim_time(leg.scheduled_out) + own_delay).max(sim_time(leg.earliest_out))
            } else {
                sim_time(leg.earliest_out) + own_delay
            };
            self.not_before = own.max(self.ready_at);
            // Out of service (AOG): the leg waits for the tail to come back.
            for &(from, back) in &self.grounded {
                if from <= self.not_before && self.not_before < back {
                    self.not_before = back;
                }
            }
            match self.cancelled_ahead(leg_index, cx.now()) {
                Ahead::Fly => {
                    self.run.decide_flies(leg_index);
                    self.rechecked = !self.run.model.reads_recent_cancellations();
                }
                Ahead::Departure => {
                    self.cancel_current(CancelReason::Disruption, cx);
                    continue;
                }
                Ahead::Arrival => {
                    self.cancel_current(CancelReason::Disruption, cx);
                    self.ferry_ready = Some(self.ferry_back(leg_index, cx.now()));
                    continue;
                }
            }
            self.phase = Phase::Waiting;
            if self.not_before > cx.now() {
                cx.set_timer_at(self.not_before, Message::Wake);
            }
            self.try_board(cx);
            return;
        }
    }

    /// Whether a stranded tail has been brought to the origin of `leg_index` in time for it: the leg leaves
    /// at least [`REPOSITION_AFTER_HOURS`] after the tail was stranded and after any storm at that origin
    /// has cleared on the forecast (operations control ferries it there or swaps it into the rotation the
    /// record shows next; nobody flies an aircraft into a snowstorm to do so).
    fn repositioned_for(&self, leg_index: u32) -> bool {
        let world = self.run.world;
        let leg = &world.legs()[leg_index as usize];
        let origin = world.airports()[leg.origin as usize].code;
        let since = self.stranded_since;
        let clear = sim_time(
            world
                .weather_windows
                .clear_from(origin, UtcMinute(since.seconds().div_euclid(60))),
        );
        sim_time(leg.scheduled_out)
            >= since.max(clear) + SimDuration::from_minutes(REPOSITION_AFTER_HOURS * 60)
    }

    /// When a tail kept at the origin of `leg_index` (cancelled into a storm) can leave for its rotation
    /// again: the ferry lands at the leg's destination once the storm there has cleared on the forecast,
    /// and no earlier than the leg's block from now; then the minimum turn.
    fn ferry_back(&self, leg_index: u32, now: SimTime) -> SimTime {
        let world = self.run.world;
        let leg = &world.legs()[leg_index as usize];
        let destination = world.airports()[leg.destination as usize].code;
        let clear = sim_time(
            world
                .weather_windows
                .clear_from(destination, leg.scheduled_in),
        );
        let min_turn = world.aircraft()[self.index as usize].min_turn;
        clear.max(now + duration(leg.scheduled_block())) + duration(min_turn)
    }

    /// Operations control's decision, as the leg becomes the tail's next: cancel it ahead of the weather, a
    /// closure or a long delay, with the fitted policy's probability for the delay it expects — the later of
    /// the leg's held or inbound delay and its cell's mean own delay, plus any closure of its origin then in
    /// force — and the cancelled share of its origin's recent departures so far, or, failing that, ahead of
    /// a storm forecast at its destination around its arrival (the weather's share of the policy there).
    /// One draw per leg from its own stream.
    fn cancelled_ahead(&mut self, leg_index: u32, now: SimTime) -> Ahead {
        let model = self.run.model;
        let leg = &self.run.world.legs()[leg_index as usize];
        let scheduled = sim_time(leg.scheduled_out);
        let known = self
            .ready_at
            .max(sim_time(leg.earliest_out))
            .max(now)
            .max(scheduled);
        let mut expected = (known - scheduled)
            .minutes_f64()
            .max(model.expected_own_delay_min(leg_index));
        let injected = &self.run.world.injected;
        if !injected.capacity.is_empty() {
            let at = scheduled + SimDuration::from_minutes_f64(expected);
            let base = self.run.world.airports()[leg.origin as usize]
                .capacity
                .departures_per_hour;
            let (per_hour, until) = injected.capacity_at(leg.origin, false, base, at);
            if per_hour == 0 {
                expected += (until - at).minutes_f64();
            }
        }
        self.expected_delay_min = expected;
        let recent = self.run.recent_cancelled_share(leg_index);
        self.decided_share = recent;
        self.cancellation_draw = 1.0;
        let departure = model
            .cancellation_probability(leg_index, expected, recent)
            .unwrap_or(0.0);
        let arrival = model.arrival_cancellation_probability(leg_index);
        if departure <= 0.0 && arrival <= 0.0 {
            return Ahead::Fly;
        }
        let u = self.run.uniform(u64::from(leg.id.0), CANCELLATION);
        self.cancellation_draw = u;
        if u < departure {
            Ahead::Departure
        } else if u < departure + (1.0 - departure) * arrival {
            Ahead::Arrival
        } else {
            Ahead::Fly
        }
    }

    /// Operations control's second look, at the departure time of a leg it decided to fly hours before
    /// (when the tail arrived for it, often the evening before): the same policy at the same expected
    /// delay and the same draw, with the cancellations at the origin since. It cancels the leg if the
    /// policy's probability has risen past the draw: the evening bank after the morning melted down, and
    /// a morning's first wave after a night of cancellations. Only with the model's recent-cancellations
    /// column; the probability rises with the share only, so a share no higher than then changes nothing.
    fn cancelled_at_departure(&self, leg_index: u32) -> bool {
        let recent = self.run.recent_cancelled_share(leg_index);
        if recent <= self.decided_share {
            return false;
        }
        self.run
            .model
            .cancellation_probability(leg_index, self.expected_delay_min, recent)
            .is_some_and(|departure| self.cancellation_draw < departure)
    }

    fn crew_ready(&mut self, seat: u32, cx: &mut Context<'_, Message>) {
        let position = self.rotation_position_of_seat(seat);
        let crew = self.run.world.seats()[seat as usize].crew;
        if position < self.position {
            // The leg is over: it was cancelled, or it left without this (deadheading) member.
            let reply = if self.results[position as usize].cancelled.is_some() {
                Message::LegCancelled { seat }
            } else {
                Message::MissedDeadhead { seat }
            };
            cx.send(self.run.crew_id(crew), reply);
            return;
        }
        if position == self.position && self.phase == Phase::Airborne {
            let leg = self.current_leg();
            if self.run.world.flown.get(leg).is_some() && cx.now() == self.board_time {
                // At the gate at the very instant a leg flown as reported left: on board.
                *self.seat_mut(seat) = SeatState::OnBoard;
                return;
            }
            cx.send(self.run.crew_id(crew), Message::MissedDeadhead { seat });
            return;
        }
        *self.seat_mut(seat) = SeatState::Ready;
        if position == self.position {
            self.try_board(cx);
        }
    }

    /// Boards the current leg if the turn, the not-before time and every operating seat allow.
    fn try_board(&mut self, cx: &mut Context<'_, Message>) {
        if self.phase != Phase::Waiting || cx.now() < self.not_before {
            return;
        }
        if let Some(fixed) = self.run.world.flown.get(self.current_leg()) {
            self.depart_as_flown(fixed, cx);
            return;
        }
        if !self.rechecked {
            self.rechecked = true;
            if self.cancelled_at_departure(self.current_leg()) {
                self.cancel_current(CancelReason::Disruption, cx);
                self.begin_leg(cx);
                return;
            }
        }
        let mut waiting = false;
        for seat in self.current_seats() {
            if self.run.world.seats()[seat as usize].kind != SegmentKind::Operating {
                continue;
            }
            match *self.seat_mut(seat) {
                SeatState::Pending | SeatState::AskedOps => waiting = true,
                SeatState::Unavailable => {
                    *self.seat_mut(seat) = SeatState::AskedOps;
                    cx.send(self.run.ops_id(), Message::CrewMissing { seat });
                    waiting = true;
                }
                SeatState::Ready | SeatState::Reserve => {}
                SeatState::Boarding | SeatState::OnBoard => {
                    unreachable!("a seat is boarding only while the aircraft is")
                }
            }
        }
        if !waiting {
            self.board(cx);
        }
    }

    /// Asks every operating member to check the duty clock for a departure now.
    fn board(&mut self, cx: &mut Context<'_, Message>) {
        self.phase = Phase::Boarding;
        self.board_time = cx.now();
        self.awaiting_onboard = 0;
        for seat in self.current_seats() {
            let s = self.run.world.seats()[seat as usize];
            if s.kind == SegmentKind::Operating && *self.seat_mut(seat) == SeatState::Ready {
                *self.seat_mut(seat) = SeatState::Boarding;
                self.awaiting_onboard += 1;
                cx.send(self.run.crew_id(s.crew), Message::Boarding { seat });
            }
        }
        if self.awaiting_onboard == 0 {
            self.request_departure(cx);
        }
    }

    fn on_board(&mut self, seat: u32, cx: &mut Context<'_, Message>) {
        let leg = self.run.world.seats()[seat as usize].leg;
        if self.phase != Phase::Boarding || !self.is_current(leg) {
            return;
        }
        *self.seat_mut(seat) = SeatState::OnBoard;
        self.awaiting_onboard -= 1;
        if self.awaiting_onboard > 0 {
            return;
        }
        if cx.now() > self.board_time {
            // Someone came late (a reserve): the others' clocks ran on, so they check again.
            for seat in self.current_seats() {
                let operating =
                    self.run.world.seats()[seat as usize].kind == SegmentKind::Operating;
                if operating && *self.seat_mut(seat) == SeatState::OnBoard {
                    *self.seat_mut(seat) = SeatState::Ready;
                }
            }
            self.board(cx);
        } else {
            self.request_departure(cx);
        }
    }

    fn request_departure(&mut self, cx: &mut Context<'_, Message>) {
        self.phase = Phase::AwaitingSlot;
        let leg = self.current_leg();
        let origin = self.run.world.legs()[leg as usize].origin;
        cx.send(
            self.run.airport_id(origin),
            Message::RequestDeparture { leg },
        );
    }

    fn depart(&mut self, leg_index: u32, cx: &mut Context<'_, Message>) {
        assert!(
            self.phase == Phase::AwaitingSlot && self.is_current(leg_index),
            "a departure slot comes only for the leg that asked for it"
        );
        self.results[self.position as usize].out = Some(cx.now());
        for seat in self.current_seats() {
            if *self.seat_mut(seat) == SeatState::Ready {
                // A deadheading member who is there rides along.
                *self.seat_mut(seat) = SeatState::OnBoard;
            }
        }
        let block = self.drawn_block(leg_index, cx.now());
        self.phase = Phase::Airborne;
        let destination = self.run.world.legs()[leg_index as usize].destination;
        cx.send_after(
            SimDuration::from_minutes_f64(block),
            self.run.airport_id(destination),
            Message::RequestArrival { leg: leg_index },
        );
    }

    /// The block in minutes this replication draws for a leg leaving at `out`: the scheduled block plus
    /// the route's variation (never under `MIN_BLOCK_SHARE` of it), then any block effect a scenario
    /// injects at that time.
    fn drawn_block(&self, leg_index: u32, out: SimTime) -> f64 {
        let leg = &self.run.world.legs()[leg_index as usize];
        let scheduled = leg.scheduled_block().0 as f64;
        let u = self.run.uniform(u64::from(leg.id.0), BLOCK_TIME);
        let block = (scheduled + self.run.model.block_variation_min(leg_index, u))
            .max(scheduled * MIN_BLOCK_SHARE);
        self.run
            .world
            .injected
            .block_min(self.run.world, leg.origin, leg.destination, out, block)
    }

    /// Leaves on a leg the feed fixed: everyone at the gate rides, nothing is drawn but an airborne leg's
    /// landing around its estimate.
    fn depart_as_flown(&mut self, fixed: FixedLeg, cx: &mut Context<'_, Message>) {
        let leg_index = self.current_leg();
        self.results[self.position as usize].out = Some(fixed.out());
        // Crew who come at this very instant still ride (see `crew_ready`).
        self.board_time = cx.now();
        for seat in self.current_seats() {
            if *self.seat_mut(seat) == SeatState::Ready {
                *self.seat_mut(seat) = SeatState::OnBoard;
            }
        }
        self.phase = Phase::Airborne;
        let leg = &self.run.world.legs()[leg_index as usize];
        match fixed {
            FixedLeg::Flown { arrived, .. } => {
                cx.set_timer_at(
                    arrived.max(cx.now()),
                    Message::ArrivalCleared { leg: leg_index },
                );
            }
            FixedLeg::Airborne {
                estimate,
                spread_share,
                not_before,
                out,
            } => {
                let landing = match estimate {
                    // The spread of the block around its median, for the share of it still to fly.
                    Some(estimate) => {
                        let u = self.run.uniform(u64::from(leg.id.0), BLOCK_TIME);
                        let model = self.run.model;
                        let spread = model.block_variation_min(leg_index, u)
                            - model.block_variation_min(leg_index, 0.5);
                        estimate + SimDuration::from_minutes_f64(spread * spread_share)
                    }
                    // No estimate: the block drawn as at any departure from its origin at `out`.
                    None => out + SimDuration::from_minutes_f64(self.drawn_block(leg_index, out)),
                }
                .max(not_before)
                .max(cx.now());
                cx.send_at(
                    landing,
                    self.run.airport_id(leg.destination),
                    Message::RequestArrival { leg: leg_index },
                );
            }
        }
    }

    fn arrive(&mut self, leg_index: u32, cx: &mut Context<'_, Message>) {
        assert!(
            self.phase == Phase::Airborne && self.is_current(leg_index),
            "an arrival slot comes only for the leg in the air"
        );
        let now = cx.now();
        let result = &mut self.results[self.position as usize];
        result.arrived = Some(match self.run.world.flown.get(leg_index) {
            // Exactly as reported, even where this replication brought the tail there later.
            Some(FixedLeg::Flown { arrived, .. }) => arrived,
            _ => now,
        });
        let arrived = result.arrived.expect("set above");
        let block_s = u32::try_from(
            (arrived - result.out.expect("an airborne leg has left"))
                .seconds()
                .max(0),
        )
        .expect("a block lasts less than 136 years");
        let leg = &self.run.world.legs()[leg_index as usize];
        self.at = leg.destination;
        let min_turn = self.run.world.aircraft()[self.index as usize].min_turn;
        let extra = self.run.model.turn_extra_min(self.turn_rng.gen::<f64>());
        self.ready_at = now + duration(min_turn) + SimDuration::from_minutes_f64(extra);
        for seat in self.current_seats() {
            if *self.seat_mut(seat) == SeatState::OnBoard {
                let crew = self.run.world.seats()[seat as usize].crew;
                cx.send(self.run.crew_id(crew), Message::Arrived { seat, block_s });
            }
        }
        self.position += 1;
        self.begin_leg(cx);
    }

    /// Cancels the current leg, tells its crew, and moves on.
    fn cancel_current(&mut self, reason: CancelReason, cx: &mut Context<'_, Message>) {
        self.results[self.position as usize].cancelled = Some(reason);
        self.run.decide_cancelled(self.current_leg());
        if reason == CancelReason::Plan {
            // The crew know the plan: they were repositioned before the day. A plan that cancels a leg and
            // not the way back is read like a gap in the record: the tail flies on from where the plan next
            // has it (a recovery plan that means otherwise cancels both).
            self.position += 1;
            return;
        }
        if !self.stranded {
            let leg = &self.run.world.legs()[self.current_leg() as usize];
            self.stranded_since = sim_time(leg.scheduled_out).max(cx.now());
        }
        self.stranded = true;
        for seat in self.current_seats() {
            match *self.seat_mut(seat) {
                // They have gone elsewhere, or never were ours to tell.
                SeatState::Unavailable | SeatState::AskedOps | SeatState::Reserve => {}
                _ => {
                    let crew = self.run.world.seats()[seat as usize].crew;
                    cx.send(self.run.crew_id(crew), Message::LegCancelled { seat });
                }
            }
        }
        self.position += 1;
    }
}
