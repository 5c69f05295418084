//! Actors, their addresses, and the context a handler acts through.
//!
//! An actor is a value with private state and one handler. It never holds a reference to another actor: it
//! knows others by [`ActorId`] and affects them only by sending messages, which the kernel delivers as
//! events. That is what lets one replication run on one thread with no locks and replay exactly.

use crate::event_queue::{EventQueue, Priority};
use crate::resource::{Acquisition, FifoResource, ResourceId};
use crate::time::{SimDuration, SimTime};
use serde::{Deserialize, Serialize};

/// The address of an actor in one [`Simulation`](crate::Simulation): an index into its actor table.
///
/// Ids are handed out in order 0, 1, 2, … by [`Simulation::add_actor`](crate::Simulation::add_actor).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ActorId(u32);

impl ActorId {
    /// The id of the `index`-th actor added to a simulation.
    pub const fn from_index(index: u32) -> ActorId {
        ActorId(index)
    }

    /// The position of this actor in the order actors were added.
    pub const fn index(self) -> usize {
        self.0 as usize
    }
}

/// A simulated entity: private state plus a handler for the messages sent to it.
///
/// One simulation holds actors of one type `A`. Models with several kinds of actor either make `A` an enum
/// of their kinds (static dispatch, fastest) or use `Box<dyn Actor<Message = M>>`, which implements `Actor`
/// too. All actors of a simulation share the message type [`Actor::Message`], usually an enum.
pub trait Actor {
    /// What this actor's handler receives.
    type Message;

    /// Called once, at the current instant and before any event of that instant is delivered, for each
    /// actor added since the last run, in [`ActorId`] order. The place to arm the first timers.
    fn start(&mut self, context: &mut Context<'_, Self::Message>) {
        let _ = context;
    }

    /// Handles one message; `context` tells the time and schedules what follows.
    fn handle(&mut self, message: Self::Message, context: &mut Context<'_, Self::Message>);
}

impl<M> Actor for Box<dyn Actor<Message = M>> {
    type Message = M;

    fn start(&mut self, context: &mut Context<'_, M>) {
        (**self).start(context)
    }

    fn handle(&mut self, message: M, context: &mut Context<'_, M>) {
        (**self).handle(message, context)
    }
}

impl<M> Actor for Box<dyn Actor<Message = M> + Send> {
    type Message = M;

    fn start(&mut self, context: &mut Context<'_, M>) {
        (**self).start(context)
    }

    fn handle(&mut self, message: M, context: &mut Context<'_, M>) {
        (**self).handle(message, context)
    }
}

/// What a handler acts through: the clock, its own address, the event queue and the resources.
///
/// Every `send*` schedules an event; nothing is delivered while the handler runs, so a handler always sees
/// a consistent instant.
pub struct Context<'a, M> {
    pub(crate) now: SimTime,
    pub(crate) me: ActorId,
    pub(crate) queue: &'a mut EventQueue<M>,
    pub(crate) resources: &'a mut [FifoResource<M>],
}

impl<M> Context<'_, M> {
    /// The current instant.
    #[inline]
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// The address of the actor being run.
    #[inline]
    pub fn me(&self) -> ActorId {
        self.me
    }

    /// Sends `message` to `to`, delivered at this instant after the events already scheduled for it.
    #[inline]
    pub fn send(&mut self, to: ActorId, message: M) {
        self.queue.push(self.now, Priority::NORMAL, to, message);
    }

    /// Sends `message` to `to`, delivered `delay` from now.
    ///
    /// # Panics
    /// If `delay` is negative: the past cannot be changed.
    #[inline]
    pub fn send_after(&mut self, delay: SimDuration, to: ActorId, message: M) {
        self.send_at(self.now + delay, to, message);
    }

    /// Sends `message` to `to`, delivered at instant `at`.
    ///
    /// # Panics
    /// If `at` is before now.
    #[inline]
    pub fn send_at(&mut self, at: SimTime, to: ActorId, message: M) {
        self.send_at_with_priority(at, Priority::NORMAL, to, message);
    }

    /// Sends `message` to `to` at instant `at`, ordered among that instant's events by `priority`.
    ///
    /// # Panics
    /// If `at` is before now.
    #[inline]
    pub fn send_at_with_priority(
        &mut self,
        at: SimTime,
        priority: Priority,
        to: ActorId,
        message: M,
    ) {
        assert!(
            at >= self.now,
            "actor {} scheduled a message for {at}, before now ({})",
            self.me.index(),
            self.now
        );
        self.queue.push(at, priority, to, message);
    }

    /// Arms a timer: `message` comes back to this actor `delay` from now.
    ///
    /// Timers cannot be cancelled; an actor that may change its mind puts a generation number in the
    /// message and ignores timers of an older generation.
    #[inline]
    pub fn set_timer(&mut self, delay: SimDuration, message: M) {
        let me = self.me;
        self.send_after(delay, me, message);
    }

    /// Arms a timer that fires at instant `at`.
    #[inline]
    pub fn set_timer_at(&mut self, at: SimTime, message: M) {
        let me = self.me;
        self.send_at(at, me, message);
    }

    /// Requests one unit of `resource` for this actor.
    ///
    /// [`Acquisition::Held`]: a unit was free and is held from now; `grant` is dropped.
    /// [`Acquisition::Queued`]: this actor waits in line, first come first served; when a unit passes to it
    /// the kernel delivers `grant` to it, and it holds the unit from that instant.
    /// Either way the holder must [`release`](Context::release) the unit when done.
    #[inline]
    pub fn acquire(&mut self, resource: ResourceId, grant: M) -> Acquisition {
        self.resources[resource.index()].acquire(self.me, grant)
    }

    /// Gives back one unit of `resource`. If someone waits, the unit passes to the first in line at this
    /// instant and its grant message is scheduled.
    ///
    /// # Panics
    /// If no unit of `resource` is held.
    #[inline]
    pub fn release(&mut self, resource: ResourceId) {
        let pool = &mut self.resources[resource.index()];
        pool.release(resource);
        if let Some((to, grant)) = pool.next_grant() {
            self.queue.push(self.now, Priority::NORMAL, to, grant);
        }
    }

    /// Changes how many units of `resource` may be held at once (e.g. an airport losing a runway). Raising
    /// it grants waiters at this instant; lowering it takes nothing away from holders, but no new unit is
    /// granted until fewer than `capacity` are held.
    pub fn set_capacity(&mut self, resource: ResourceId, capacity: u32) {
        let pool = &mut self.resources[resource.index()];
        pool.set_capacity(capacity);
        while let Some((to, grant)) = pool.next_grant() {
            self.queue.push(self.now, Priority::NORMAL, to, grant);
        }
    }
}
