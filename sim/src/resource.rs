//! FIFO resources of capacity k: runways, gates, repair bays, clerks.
//!
//! A resource lives in the kernel, not in an actor, so that taking a free unit costs no event: the
//! requesting actor learns at once that it holds the unit. Only a request that has to wait costs one event,
//! the grant message that the kernel delivers when a unit passes to it. Waiters are served strictly first
//! come, first served; the unit passes at the instant it is released.

use crate::actor::ActorId;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// The address of a resource in one [`Simulation`](crate::Simulation).
///
/// Ids are handed out in order 0, 1, 2, … by [`Simulation::add_resource`](crate::Simulation::add_resource),
/// so a model that adds one resource per station may compute a station's id with
/// [`ResourceId::from_index`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ResourceId(u32);

impl ResourceId {
    /// The id of the `index`-th resource added to a simulation.
    pub const fn from_index(index: u32) -> ResourceId {
        ResourceId(index)
    }

    /// The position of this resource in the order resources were added.
    pub const fn index(self) -> usize {
        self.0 as usize
    }
}

/// What [`Context::acquire`](crate::Context::acquire) did with a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "a request that was queued will be answered by the grant message; a held unit must be released"]
pub enum Acquisition {
    /// A unit was free: the requester holds it now and the grant message was dropped.
    Held,
    /// Every unit was taken: the requester waits in line and receives the grant message, at the instant a
    /// unit passes to it, holding that unit.
    Queued,
}

/// The state of a resource at the current instant, for observers and tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceState {
    /// Units that may be held at once.
    pub capacity: u32,
    /// Units held now (may exceed `capacity` just after the capacity was cut).
    pub in_use: u32,
    /// Requests waiting in line.
    pub waiting: usize,
}

pub(crate) struct FifoResource<M> {
    capacity: u32,
    in_use: u32,
    waiting: VecDeque<(ActorId, M)>,
}

impl<M> FifoResource<M> {
    pub(crate) fn new(capacity: u32) -> Self {
        FifoResource {
            capacity,
            in_use: 0,
            waiting: VecDeque::new(),
        }
    }

    /// Takes a unit if one is free, otherwise queues `(requester, grant)`.
    pub(crate) fn acquire(&mut self, requester: ActorId, grant: M) -> Acquisition {
        if self.in_use < self.capacity && self.waiting.is_empty() {
            self.in_use += 1;
            Acquisition::Held
        } else {
            self.waiting.push_back((requester, grant));
            Acquisition::Queued
        }
    }

    pub(crate) fn release(&mut self, id: ResourceId) {
        assert!(
            self.in_use > 0,
            "resource {} released more often than it was acquired",
            id.index()
        );
        self.in_use -= 1;
    }

    pub(crate) fn set_capacity(&mut self, capacity: u32) {
        self.capacity = capacity;
    }

    /// The next waiter that a free unit passes to, if any; the unit is counted as held by it.
    pub(crate) fn next_grant(&mut self) -> Option<(ActorId, M)> {
        if self.in_use < self.capacity {
            let next = self.waiting.pop_front()?;
            self.in_use += 1;
            Some(next)
        } else {
            None
        }
    }

    pub(crate) fn state(&self) -> ResourceState {
        ResourceState {
            capacity: self.capacity,
            in_use: self.in_use,
            waiting: self.waiting.len(),
        }
    }
}
