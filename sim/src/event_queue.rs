//! The future-event list: a binary heap ordered by (time, priority, insertion sequence).
//!
//! The three parts are packed into one `u128` key so that the heap compares a single integer. The sequence
//! number makes the order total: two events never compare equal, so the delivery order is fixed by the
//! order in which they were scheduled and never by the heap's internals.

use crate::actor::ActorId;
use crate::time::SimTime;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Breaks ties between events scheduled for the same instant: the smaller value is delivered first; events
/// of equal time and priority are delivered in the order they were scheduled.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Priority(pub i16);

impl Priority {
    /// Delivered before every other event of the same instant (e.g. a capacity change that must apply
    /// before the requests of that minute).
    pub const FIRST: Priority = Priority(i16::MIN);
    /// The priority of [`Context::send`](crate::Context::send), timers and resource grants.
    pub const NORMAL: Priority = Priority(0);
    /// Delivered after every other event of the same instant (e.g. taking a measurement once the instant
    /// has settled).
    pub const LAST: Priority = Priority(i16::MAX);
}

/// Sequence numbers occupy the low 48 bits of the key; 2^48 events is about three days of delivery at a
/// billion events per second, far beyond any one replication.
const SEQUENCE_BITS: u32 = 48;
const SEQUENCE_LIMIT: u64 = 1 << SEQUENCE_BITS;

/// An event waiting in the queue.
pub(crate) struct Scheduled<M> {
    key: u128,
    pub(crate) to: ActorId,
    pub(crate) message: M,
}

impl<M> Scheduled<M> {
    pub(crate) fn time(&self) -> SimTime {
        time_of_key(self.key)
    }
}

// `BinaryHeap` is a max-heap: reverse the key so that the earliest event is on top.
impl<M> Ord for Scheduled<M> {
    fn cmp(&self, other: &Self) -> Ordering {
        other.key.cmp(&self.key)
    }
}
impl<M> PartialOrd for Scheduled<M> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<M> PartialEq for Scheduled<M> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl<M> Eq for Scheduled<M> {}

fn key_of(at: SimTime, priority: Priority, sequence: u64) -> u128 {
    // Flipping the sign bit maps i64 and i16 order onto unsigned order.
    let time = (at.0 as u64) ^ (1 << 63);
    let priority = (priority.0 as u16) ^ (1 << 15);
    ((time as u128) << 64) | ((priority as u128) << SEQUENCE_BITS) | sequence as u128
}

fn time_of_key(key: u128) -> SimTime {
    SimTime((((key >> 64) as u64) ^ (1 << 63)) as i64)
}

pub(crate) struct EventQueue<M> {
    heap: BinaryHeap<Scheduled<M>>,
    next_sequence: u64,
}

impl<M> EventQueue<M> {
    pub(crate) fn new() -> Self {
        EventQueue {
            heap: BinaryHeap::new(),
            next_sequence: 0,
        }
    }

    pub(crate) fn push(&mut self, at: SimTime, priority: Priority, to: ActorId, message: M) {
        assert!(
            self.next_sequence < SEQUENCE_LIMIT,
            "more than 2^48 events scheduled in one simulation"
        );
        let key = key_of(at, priority, self.next_sequence);
        self.next_sequence += 1;
        self.heap.push(Scheduled { key, to, message });
    }

    pub(crate) fn pop(&mut self) -> Option<Scheduled<M>> {
        self.heap.pop()
    }

    pub(crate) fn next_time(&self) -> Option<SimTime> {
        self.heap.peek().map(Scheduled::time)
    }

    pub(crate) fn len(&self) -> usize {
        self.heap.len()
    }

    pub(crate) fn reserve(&mut self, additional: usize) {
        self.heap.reserve(additional);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_order_by_time_then_priority_then_sequence() {
        let k = |t, p, s| key_of(SimTime(t), Priority(p), s);
        assert!(k(-5, 0, 9) < k(0, i16::MIN, 0));
        assert!(k(0, i16::MAX, 0) < k(1, i16::MIN, 0));
        assert!(k(3, -1, 7) < k(3, 0, 0));
        assert!(k(3, 0, 6) < k(3, 0, 7));
        assert_eq!(time_of_key(k(-42, 3, 5)), SimTime(-42));
        assert_eq!(time_of_key(k(i64::MAX, 3, 5)), SimTime(i64::MAX));
    }
}
