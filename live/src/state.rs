//! The live state: every leg's OOOI times and status, every tail's position and every crew member's
//! duty so far, applied from feed events.
//!
//! Each time slot (milestone by kind), the status and the registration of a leg keeps the value of the
//! event with the greatest (sent, sequence): applying is a join, so the state does not depend on the order
//! events arrive in, and an event applied twice changes nothing.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use ucodts_model::practice::RELEASE_AFTER_ARRIVAL;
use ucodts_model::{
    AirportCode, CarrierCode, CrewId, Date, LegId, LegStatus, Minutes, Schedule, SegmentKind,
    TailId, UtcMinute,
};

use crate::error::FeedError;
use crate::event::{FeedEvent, LegEvent, LegKey, Milestone, OutOfServiceEvent, TimeKind};

/// Which event a value came from: later-sent wins, the sequence number breaks ties.
type Stamp = (UtcMinute, u64);

#[derive(Clone, Debug, Default)]
struct LegLive {
    times: [[Option<(Stamp, UtcMinute)>; 3]; 4],
    status: Option<(Stamp, LegStatus)>,
    registration: Option<(Stamp, TailId)>,
}

/// Whether a value stamped `held` (or none) gives way to one stamped `incoming`.
fn older(held: Option<Stamp>, incoming: Stamp) -> bool {
    match held {
        None => true,
        Some(h) => h < incoming,
    }
}

/// What applying an event did.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Applied {
    /// New information (possibly older than what the state holds, in which case nothing changed).
    Applied { changed: bool },
    /// The same sequence number with the same content: nothing to do.
    Duplicate,
}

/// The live state of one schedule's operation.
pub struct LiveState<'s> {
    schedule: &'s Schedule,
    index: HashMap<(CarrierCode, u32, Date, AirportCode, AirportCode), usize>,
    legs: Vec<LegLive>,
    seen: HashMap<u64, FeedEvent>,
    /// Each tail's out-of-service windows by their start: the latest-sent event's end and reason.
    out_of_service: BTreeMap<(TailId, UtcMinute), (Stamp, UtcMinute, String)>,
    /// The crew members rostered on each leg (by leg index).
    crew_by_leg: Vec<Vec<u32>>,
    /// Each crew member's legs: (leg index, duty report, duty release, kind).
    legs_by_crew: Vec<Vec<(usize, UtcMinute, UtcMinute, SegmentKind)>>,
    crew_ids: Vec<CrewId>,
    latest_sent: Option<UtcMinute>,
    /// The operating day (origin date) of the latest-sent event, by (sent, sequence).
    latest_day: Option<(Stamp, Date)>,
    applied: u64,
    duplicates: u64,
}

impl<'s> LiveState<'s> {
    /// An empty live state over `schedule`: every leg as planned.
    pub fn new(schedule: &'s Schedule) -> LiveState<'s> {
        let mut index = HashMap::with_capacity(schedule.legs().len());
        let mut position = HashMap::with_capacity(schedule.legs().len());
        for (i, leg) in schedule.legs().iter().enumerate() {
            position.insert(leg.id, i);
            let (Some(number), Some(airport)) = (leg.flight_number, schedule.airport(leg.origin))
            else {
                continue;
            };
            let date = leg.service_date(&airport.time_zone);
            // Two legs with one key (rare in recorded data): the first scheduled keeps it.
            index
                .entry((
                    leg.carrier.clone(),
                    number,
                    date,
                    leg.origin,
                    leg.destination,
                ))
                .or_insert(i);
        }
        let mut crew_by_leg = vec![Vec::new(); schedule.legs().len()];
        let mut legs_by_crew = Vec::with_capacity(schedule.crew().len());
        let mut crew_ids = Vec::with_capacity(schedule.crew().len());
        for (c, member) in schedule.crew().iter().enumerate() {
            crew_ids.push(member.id.clone());
            let mut mine = Vec::new();
            for pairing in schedule.roster(&member.id) {
                for duty in &pairing.duties {
                    for s in &duty.segments {
                        if let Some(&i) = position.get(&s.leg) {
                            crew_by_leg[i].push(c as u32);
                            mine.push((i, duty.report, duty.release, s.kind));
                        }
                    }
                }
            }
            legs_by_crew.push(mine);
        }
        LiveState {
            schedule,
            index,
            legs: vec![LegLive::default(); schedule.legs().len()],
            seen: HashMap::new(),
            out_of_service: BTreeMap::new(),
            crew_by_leg,
            legs_by_crew,
            crew_ids,
            latest_sent: None,
            latest_day: None,
            applied: 0,
            duplicates: 0,
        }
    }

    pub fn schedule(&self) -> &'s Schedule {
        self.schedule
    }

    /// The index in the schedule's legs of the leg a key names.
    pub fn resolve(&self, key: &LegKey) -> Result<usize, FeedError> {
        self.index
            .get(&(
                key.carrier.clone(),
                key.flight_number,
                key.origin_date,
                key.origin,
                key.destination,
            ))
            .copied()
            .ok_or_else(|| FeedError::UnknownFlight(key.to_string()))
    }

    /// Checks an event against the schedule and what was seen, without applying it.
    pub fn check(&self, event: &LegEvent) -> Result<usize, FeedError> {
        let i = self.resolve(&event.leg)?;
        match self.seen.get(&event.sequence) {
            Some(FeedEvent::Leg(seen)) if seen == event => Ok(i),
            Some(_) => Err(FeedError::SequenceConflict(event.sequence)),
            None => Ok(i),
        }
    }

    /// Whether this very event (sequence number and content) was applied before.
    pub fn is_duplicate(&self, event: &LegEvent) -> bool {
        matches!(self.seen.get(&event.sequence), Some(FeedEvent::Leg(seen)) if seen == event)
    }

    /// Checks an event of either kind (see [`LiveState::check`]): a leg must be in the schedule, an
    /// out-of-service tail among its aircraft.
    pub fn check_feed(&self, event: &FeedEvent) -> Result<(), FeedError> {
        match event {
            FeedEvent::Leg(e) => self.check(e).map(|_| ()),
            FeedEvent::OutOfService(e) => {
                if self.schedule.tail(&e.registration).is_none() {
                    return Err(FeedError::UnknownTail(e.registration.to_string()));
                }
                match self.seen.get(&e.sequence) {
                    Some(seen) if seen != event => Err(FeedError::SequenceConflict(e.sequence)),
                    _ => Ok(()),
                }
            }
        }
    }

    /// Whether this very event of either kind was applied before.
    pub fn is_duplicate_feed(&self, event: &FeedEvent) -> bool {
        self.seen.get(&event.sequence()) == Some(event)
    }

    /// Applies an event of either kind (see [`LiveState::apply`]).
    pub fn apply_feed(&mut self, event: &FeedEvent) -> Result<Applied, FeedError> {
        let e = match event {
            FeedEvent::Leg(e) => return self.apply(e),
            FeedEvent::OutOfService(e) => e,
        };
        self.check_feed(event)?;
        if self.seen.contains_key(&e.sequence) {
            self.duplicates += 1;
            return Ok(Applied::Duplicate);
        }
        self.seen.insert(e.sequence, event.clone());
        self.applied += 1;
        self.latest_sent = self.latest_sent.max(Some(e.sent));
        Ok(Applied::Applied {
            changed: self.apply_out_of_service(e),
        })
    }

    fn apply_out_of_service(&mut self, e: &OutOfServiceEvent) -> bool {
        let stamp = (e.sent, e.sequence);
        let held = self
            .out_of_service
            .get(&(e.registration.clone(), e.from))
            .map(|(s, ..)| *s);
        if !older(held, stamp) {
            return false;
        }
        let value = (stamp, e.until, e.reason.clone());
        let before = self
            .out_of_service
            .insert((e.registration.clone(), e.from), value);
        before.map(|(_, u, r)| (u, r)) != Some((e.until, e.reason.clone()))
    }

    /// Every tail's out-of-service windows in force (not withdrawn): (tail, from, until, reason), by tail
    /// and start.
    pub fn out_of_service(
        &self,
    ) -> impl Iterator<Item = (&TailId, UtcMinute, UtcMinute, &str)> + '_ {
        self.out_of_service
            .iter()
            .filter(|((_, from), (_, until, _))| until > from)
            .map(|((tail, from), (_, until, reason))| (tail, *from, *until, reason.as_str()))
    }

    /// Applies one event: an unknown flight or a reused sequence number is refused with why.
    pub fn apply(&mut self, event: &LegEvent) -> Result<Applied, FeedError> {
        let i = self.check(event)?;
        if self.seen.contains_key(&event.sequence) {
            self.duplicates += 1;
            return Ok(Applied::Duplicate);
        }
        self.seen
            .insert(event.sequence, FeedEvent::Leg(event.clone()));
        self.applied += 1;
        self.latest_sent = self.latest_sent.max(Some(event.sent));
        let stamp = (event.sent, event.sequence);
        if older(self.latest_day.map(|(s, _)| s), stamp) {
            self.latest_day = Some((stamp, event.leg.origin_date));
        }
        let leg = &mut self.legs[i];
        let mut changed = false;
        for t in &event.times {
            let slot = &mut leg.times[t.milestone.index()][t.kind.index()];
            if older(slot.as_ref().map(|(s, _)| *s), stamp) {
                changed |= slot.map(|(_, at)| at) != Some(t.at);
                *slot = Some((stamp, t.at));
            }
        }
        if let Some(status) = event.status {
            if older(leg.status.as_ref().map(|(s, _)| *s), stamp) {
                changed |= leg.status.map(|(_, v)| v) != Some(status);
                leg.status = Some((stamp, status));
            }
        }
        if let Some(r) = &event.registration {
            if older(leg.registration.as_ref().map(|(s, _)| *s), stamp) {
                changed |= leg.registration.as_ref().map(|(_, v)| v) != Some(r);
                leg.registration = Some((stamp, r.clone()));
            }
        }
        Ok(Applied::Applied { changed })
    }

    /// The latest `sent` time of any applied event: the state's "now".
    pub fn now(&self) -> Option<UtcMinute> {
        self.latest_sent
    }

    /// When the leg's current status was sent, if the feed reported one.
    pub fn status_reported_at(&self, leg: usize) -> Option<UtcMinute> {
        self.legs[leg].status.map(|((sent, _), _)| sent)
    }

    /// The operating day the feed is on: the origin date of the latest-sent event's leg.
    pub fn operating_day(&self) -> Option<Date> {
        self.latest_day.map(|(_, d)| d)
    }

    pub fn events_applied(&self) -> u64 {
        self.applied
    }

    pub fn duplicates(&self) -> u64 {
        self.duplicates
    }

    /// A time of a leg as last reported, by schedule index.
    pub fn time(&self, leg: usize, milestone: Milestone, kind: TimeKind) -> Option<UtcMinute> {
        self.legs[leg].times[milestone.index()][kind.index()].map(|(_, at)| at)
    }

    /// What is known of a leg: reported actuals first, then estimates.
    pub fn leg_view(&self, i: usize) -> LegView {
        let leg = &self.schedule.legs()[i];
        let live = &self.legs[i];
        let best = |m: Milestone| {
            [TimeKind::Actual, TimeKind::Estimated, TimeKind::Scheduled]
                .into_iter()
                .find_map(|k| live.times[m.index()][k.index()].map(|(_, at)| (k, at)))
        };
        let actual =
            |m: Milestone| live.times[m.index()][TimeKind::Actual.index()].map(|(_, at)| at);
        let reported = live.status.map(|(_, s)| s);
        let status = match reported {
            Some(LegStatus::Cancelled) | Some(LegStatus::Diverted) => {
                reported.unwrap_or(LegStatus::Scheduled)
            }
            _ if actual(Milestone::OnBlock).is_some() || actual(Milestone::TouchDown).is_some() => {
                LegStatus::Arrived
            }
            _ if actual(Milestone::OffBlock).is_some() || actual(Milestone::TakeOff).is_some() => {
                reported
                    .filter(|s| *s == LegStatus::Arrived)
                    .unwrap_or(LegStatus::Departed)
            }
            other => other.unwrap_or(LegStatus::Scheduled),
        };
        let time = |m: Milestone| {
            best(m).map(|(kind, at)| TimeView {
                kind: kind.code(),
                at: at.to_string(),
            })
        };
        LegView {
            leg: leg.id.0,
            flight: leg.designator(),
            from: leg.origin.to_string(),
            to: leg.destination.to_string(),
            scheduled_out: leg.scheduled_out.to_string(),
            scheduled_in: leg.scheduled_in.to_string(),
            status: status.as_str(),
            registration: live
                .registration
                .as_ref()
                .map(|(_, r)| r.to_string())
                .or_else(|| leg.tail.as_ref().map(|t| t.to_string())),
            off_block: time(Milestone::OffBlock),
            take_off: time(Milestone::TakeOff),
            touch_down: time(Milestone::TouchDown),
            on_block: time(Milestone::OnBlock),
        }
    }

    /// Whether the feed has said anything of a leg (a status, a registration or a time), by schedule index.
    pub fn reported(&self, i: usize) -> bool {
        let l = &self.legs[i];
        l.status.is_some()
            || l.registration.is_some()
            || l.times.iter().flatten().any(Option::is_some)
    }

    /// The effective status of a leg (see [`LiveState::leg_view`]).
    pub fn status(&self, i: usize) -> LegStatus {
        self.leg_view(i)
            .status
            .parse()
            .expect("leg_view writes a LegStatus")
    }

    /// The whole picture at the state's "now": touched legs, tails that moved, crew on duty.
    pub fn snapshot(&self) -> Snapshot {
        let touched: Vec<usize> = (0..self.legs.len()).filter(|&i| self.reported(i)).collect();
        let legs: Vec<LegView> = touched.iter().map(|&i| self.leg_view(i)).collect();
        // Tails: the last leg each moved on (by off-block, then schedule), and where that leaves it.
        let mut tails: BTreeMap<String, (UtcMinute, usize)> = BTreeMap::new();
        for (&i, view) in touched.iter().zip(&legs) {
            let Some(tail) = view.registration.clone() else {
                continue;
            };
            let Some(out) = self.time(i, Milestone::OffBlock, TimeKind::Actual) else {
                continue;
            };
            let e = tails.entry(tail).or_insert((out, i));
            if (out, i) > *e {
                *e = (out, i);
            }
        }
        let tails = tails
            .into_iter()
            .map(|(tail, (out, i))| {
                let leg = &self.schedule.legs()[i];
                let arrived = self
                    .time(i, Milestone::OnBlock, TimeKind::Actual)
                    .or_else(|| self.time(i, Milestone::TouchDown, TimeKind::Actual));
                TailView {
                    tail,
                    position: match arrived {
                        Some(_) => "on ground".into(),
                        None => "airborne".into(),
                    },
                    airport: arrived.map(|_| leg.destination.to_string()),
                    leg: leg.id.0,
                    since: arrived.unwrap_or(out).to_string(),
                    out_of_service: Vec::new(),
                }
            })
            .collect::<Vec<_>>();
        let tails = self.with_out_of_service(tails);
        Snapshot {
            now: self.latest_sent.map(|t| t.to_string()),
            events_applied: self.applied,
            duplicates: self.duplicates,
            legs,
            tails,
            crew: self.crew_on_duty(),
        }
    }

    /// The tails' views with their out-of-service windows; a tail out of service that has not moved yet
    /// gets a view of its own (`position` "not moved", on its first leg of the schedule).
    fn with_out_of_service(&self, mut tails: Vec<TailView>) -> Vec<TailView> {
        for (tail, from, until, reason) in self.out_of_service() {
            let window = OutOfServiceView {
                from: from.to_string(),
                until: until.to_string(),
                reason: reason.to_string(),
            };
            let name = tail.to_string();
            match tails.binary_search_by(|t| t.tail.cmp(&name)) {
                Ok(at) => tails[at].out_of_service.push(window),
                Err(at) => {
                    let first = self
                        .schedule
                        .legs()
                        .iter()
                        .filter(|l| l.tail.as_ref() == Some(tail))
                        .min_by_key(|l| l.scheduled_out);
                    tails.insert(
                        at,
                        TailView {
                            tail: name,
                            position: "not moved".into(),
                            airport: first.map(|l| l.origin.to_string()),
                            leg: first.map_or(0, |l| l.id.0),
                            since: from.to_string(),
                            out_of_service: vec![window],
                        },
                    );
                }
            }
        }
        tails
    }

    /// Each crew member with a reported departure: their current duty so far at the state's "now".
    pub fn crew_on_duty(&self) -> Vec<CrewDuty> {
        let Some(now) = self.latest_sent else {
            return Vec::new();
        };
        // The crew members of every departed leg, then each one's latest duty with a departed leg.
        let mut on_duty: Vec<u32> = Vec::new();
        for (i, crew) in self.crew_by_leg.iter().enumerate() {
            if !crew.is_empty()
                && self
                    .time(i, Milestone::OffBlock, TimeKind::Actual)
                    .is_some()
            {
                on_duty.extend_from_slice(crew);
            }
        }
        on_duty.sort_unstable();
        on_duty.dedup();
        let mut out = Vec::with_capacity(on_duty.len());
        for c in on_duty {
            let mine = &self.legs_by_crew[c as usize];
            let Some((report, release)) = mine
                .iter()
                .filter(|(i, ..)| {
                    self.time(*i, Milestone::OffBlock, TimeKind::Actual)
                        .is_some()
                })
                .map(|&(_, report, release, _)| (report, release))
                .max()
            else {
                continue;
            };
            let mut block = Minutes::ZERO;
            let mut legs = 0u32;
            let mut expected_release = release;
            for &(i, r, _, kind) in mine.iter().filter(|(_, r, ..)| *r == report) {
                debug_assert_eq!(r, report);
                let leg = &self.schedule.legs()[i];
                let out_at = self.time(i, Milestone::OffBlock, TimeKind::Actual);
                let in_at = self.time(i, Milestone::OnBlock, TimeKind::Actual);
                if let (Some(o), SegmentKind::Operating) = (out_at, kind) {
                    legs += 1;
                    block = block + (in_at.unwrap_or(now).max(o) - o);
                }
                let delay = out_at
                    .map(|o| o - leg.scheduled_out)
                    .unwrap_or(Minutes::ZERO)
                    .max(Minutes::ZERO);
                let in_expected = in_at
                    .or_else(|| self.time(i, Milestone::OnBlock, TimeKind::Estimated))
                    .unwrap_or(leg.scheduled_in + delay);
                expected_release = expected_release.max(in_expected + RELEASE_AFTER_ARRIVAL);
            }
            out.push(CrewDuty {
                crew: self.crew_ids[c as usize].to_string(),
                duty_report: report.to_string(),
                duty_so_far_min: (now - report).0.max(0),
                block_so_far_min: block.0,
                legs_flown: legs,
                rostered_release: release.to_string(),
                expected_release: expected_release.to_string(),
                expected_duty_min: (expected_release - report).0,
            });
        }
        out
    }

    /// The schedule index of every leg, for callers that walk the state.
    pub fn leg_count(&self) -> usize {
        self.legs.len()
    }

    /// The id of the leg at a schedule index.
    pub fn leg_id(&self, i: usize) -> LegId {
        self.schedule.legs()[i].id
    }
}

/// A time as shown: its kind (SCH, EST, ACT) and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TimeView {
    pub kind: &'static str,
    pub at: String,
}

/// One leg as the state knows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LegView {
    pub leg: u32,
    pub flight: String,
    pub from: String,
    pub to: String,
    pub scheduled_out: String,
    pub scheduled_in: String,
    pub status: &'static str,
    pub registration: Option<String>,
    pub off_block: Option<TimeView>,
    pub take_off: Option<TimeView>,
    pub touch_down: Option<TimeView>,
    pub on_block: Option<TimeView>,
}

/// Where a tail is: airborne on a leg, or on the ground at an airport since its last arrival.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TailView {
    pub tail: String,
    pub position: String,
    pub airport: Option<String>,
    pub leg: u32,
    pub since: String,
    /// When the tail is out of service (AOG, maintenance), from the feed's `out_of_service` events.
    pub out_of_service: Vec<OutOfServiceView>,
}

/// A window a tail is out of service, with why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OutOfServiceView {
    pub from: String,
    pub until: String,
    pub reason: String,
}

/// A crew member's current duty: when it began, how long so far, the block flown, when it should end.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CrewDuty {
    pub crew: String,
    pub duty_report: String,
    pub duty_so_far_min: i64,
    pub block_so_far_min: i64,
    pub legs_flown: u32,
    pub rostered_release: String,
    pub expected_release: String,
    pub expected_duty_min: i64,
}

/// The live state as served by GET /api/live/state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Snapshot {
    pub now: Option<String>,
    pub events_applied: u64,
    pub duplicates: u64,
    pub legs: Vec<LegView>,
    pub tails: Vec<TailView>,
    pub crew: Vec<CrewDuty>,
}
