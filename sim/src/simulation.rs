//! The simulation: the actor table, the resources, the clock and the loop that delivers events.

use crate::actor::{Actor, ActorId, Context};
use crate::event_queue::{EventQueue, Priority};
use crate::resource::{FifoResource, ResourceId, ResourceState};
use crate::time::SimTime;
use crate::SimError;

/// One replication of a model: actors of type `A`, resources, and the future-event list.
///
/// Events are delivered in (time, [`Priority`], insertion sequence) order, one at a time, on the calling
/// thread. Given the same actors, resources and scheduled events, a run delivers the same events in the
/// same order on every machine: nothing here reads a clock, a hash seed or another thread.
pub struct Simulation<A: Actor> {
    actors: Vec<A>,
    resources: Vec<FifoResource<A::Message>>,
    queue: EventQueue<A::Message>,
    now: SimTime,
    /// Actors `0..started` have had [`Actor::start`] called.
    started: usize,
    delivered: u64,
    event_limit: u64,
}

impl<A: Actor> Default for Simulation<A> {
    fn default() -> Self {
        Self::new()
    }
}

impl<A: Actor> Simulation<A> {
    /// An empty simulation at [`SimTime::ZERO`] with no event limit.
    pub fn new() -> Self {
        Simulation {
            actors: Vec::new(),
            resources: Vec::new(),
            queue: EventQueue::new(),
            now: SimTime::ZERO,
            started: 0,
            delivered: 0,
            event_limit: u64::MAX,
        }
    }

    /// An empty simulation with room for `actors` actors and `events` pending events, so that a run of known
    /// size allocates once.
    pub fn with_capacity(actors: usize, events: usize) -> Self {
        let mut simulation = Self::new();
        simulation.actors.reserve(actors);
        simulation.queue.reserve(events);
        simulation
    }

    /// Stops a run with [`SimError::EventLimit`] once `limit` events have been delivered in total: a guard
    /// against a model that keeps scheduling events at the same instant.
    pub fn set_event_limit(&mut self, limit: u64) {
        self.event_limit = limit;
    }

    /// Adds an actor and returns its address. Its [`Actor::start`] runs at the beginning of the next run.
    pub fn add_actor(&mut self, actor: A) -> ActorId {
        let index = u32::try_from(self.actors.len()).expect("more than u32::MAX actors");
        self.actors.push(actor);
        ActorId::from_index(index)
    }

    /// Adds a FIFO resource of `capacity` units and returns its address.
    pub fn add_resource(&mut self, capacity: u32) -> ResourceId {
        let index = u32::try_from(self.resources.len()).expect("more than u32::MAX resources");
        self.resources.push(FifoResource::new(capacity));
        ResourceId::from_index(index)
    }

    /// Schedules `message` for `to` at `at` from outside the model (an injected disruption, a feed event).
    ///
    /// # Panics
    /// If `at` is before now or `to` is not an actor of this simulation.
    pub fn schedule(&mut self, at: SimTime, to: ActorId, message: A::Message) {
        self.schedule_with_priority(at, Priority::NORMAL, to, message);
    }

    /// Like [`schedule`](Simulation::schedule), ordered among the events of instant `at` by `priority`.
    pub fn schedule_with_priority(
        &mut self,
        at: SimTime,
        priority: Priority,
        to: ActorId,
        message: A::Message,
    ) {
        assert!(
            at >= self.now,
            "an event was scheduled for {at}, before now ({})",
            self.now
        );
        assert!(
            to.index() < self.actors.len(),
            "an event was scheduled for actor {}, which this simulation does not have",
            to.index()
        );
        self.queue.push(at, priority, to, message);
    }

    /// The current instant: the time of the last delivered event, or the end of the last
    /// [`run_until`](Simulation::run_until).
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// The instant of the next pending event.
    pub fn next_event_time(&self) -> Option<SimTime> {
        self.queue.next_time()
    }

    /// Events scheduled and not yet delivered.
    pub fn pending_events(&self) -> usize {
        self.queue.len()
    }

    /// Events delivered since the simulation was created.
    pub fn events_delivered(&self) -> u64 {
        self.delivered
    }

    /// The actor at `id`.
    pub fn actor(&self, id: ActorId) -> &A {
        &self.actors[id.index()]
    }

    /// The actor at `id`, to change it between runs (e.g. apply a recovery plan).
    pub fn actor_mut(&mut self, id: ActorId) -> &mut A {
        &mut self.actors[id.index()]
    }

    /// All actors, in id order.
    pub fn actors(&self) -> &[A] {
        &self.actors
    }

    /// Ends the simulation and hands back its actors, in id order.
    pub fn into_actors(self) -> Vec<A> {
        self.actors
    }

    /// The state of a resource now.
    pub fn resource(&self, id: ResourceId) -> ResourceState {
        self.resources[id.index()].state()
    }

    /// Changes a resource's capacity from outside the model, at the current instant; see
    /// [`Context::set_capacity`].
    pub fn set_capacity(&mut self, id: ResourceId, capacity: u32) {
        let mut context = Context {
            now: self.now,
            me: ActorId::from_index(0),
            queue: &mut self.queue,
            resources: &mut self.resources,
        };
        context.set_capacity(id, capacity);
    }

    /// Delivers every event scheduled strictly before `end`, then sets the clock to `end`. Events at `end`
    /// stay pending, so `run_until(a)` followed by `run_until(b)` delivers exactly what `run_until(b)` does.
    pub fn run_until(&mut self, end: SimTime) -> Result<(), SimError> {
        assert!(
            end >= self.now,
            "run_until({end}) would move the clock back from {}",
            self.now
        );
        self.start_new_actors();
        while let Some(at) = self.queue.next_time() {
            if at >= end {
                break;
            }
            self.deliver_next()?;
        }
        self.now = end;
        Ok(())
    }

    /// Delivers events until none is pending. Bound it with [`set_event_limit`](Simulation::set_event_limit)
    /// when a model might never fall silent.
    pub fn run(&mut self) -> Result<(), SimError> {
        self.start_new_actors();
        while self.queue.next_time().is_some() {
            self.deliver_next()?;
        }
        Ok(())
    }

    /// Delivers the next event (after starting new actors) and returns its time, or `None` if none is
    /// pending.
    pub fn step(&mut self) -> Result<Option<SimTime>, SimError> {
        self.start_new_actors();
        if self.queue.next_time().is_none() {
            return Ok(None);
        }
        self.deliver_next()?;
        Ok(Some(self.now))
    }

    fn start_new_actors(&mut self) {
        while self.started < self.actors.len() {
            let me = ActorId::from_index(self.started as u32);
            let mut context = Context {
                now: self.now,
                me,
                queue: &mut self.queue,
                resources: &mut self.resources,
            };
            self.actors[self.started].start(&mut context);
            self.started += 1;
        }
    }

    #[inline]
    fn deliver_next(&mut self) -> Result<(), SimError> {
        if self.delivered >= self.event_limit {
            return Err(SimError::EventLimit {
                limit: self.event_limit,
                at: self.now,
            });
        }
        let event = self
            .queue
            .pop()
            .expect("deliver_next is called only with an event pending");
        let at = event.time();
        debug_assert!(at >= self.now, "the event queue went back in time");
        self.now = at;
        self.delivered += 1;
        let mut context = Context {
            now: at,
            me: event.to,
            queue: &mut self.queue,
            resources: &mut self.resources,
        };
        self.actors[event.to.index()].handle(event.message, &mut context);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::Acquisition;
    use crate::time::SimDuration;

    /// Records every message it receives with the time it arrived.
    #[derive(Default)]
    struct Recorder {
        seen: Vec<(SimTime, &'static str)>,
    }

    impl Actor for Recorder {
        type Message = &'static str;
        fn handle(&mut self, message: &'static str, context: &mut Context<'_, &'static str>) {
            self.seen.push((context.now(), message));
        }
    }

    #[test]
    fn events_at_the_same_time_are_delivered_by_priority_then_insertion_order() {
        let mut sim = Simulation::new();
        let r = sim.add_actor(Recorder::default());
        let t = SimTime(10);
        sim.schedule(t, r, "normal-1");
        sim.schedule_with_priority(t, Priority::LAST, r, "last");
        sim.schedule(t, r, "normal-2");
        sim.schedule_with_priority(t, Priority::FIRST, r, "first");
        sim.schedule(SimTime(5), r, "earlier");
        sim.schedule(t, r, "normal-3");
        sim.run().unwrap();
        let order: Vec<_> = sim.actor(r).seen.iter().map(|(_, m)| *m).collect();
        assert_eq!(
            order,
            ["earlier", "first", "normal-1", "normal-2", "normal-3", "last"]
        );
    }

    /// Arms timers at start and re-arms one when it fires.
    struct Alarm {
        fired: Vec<(SimTime, u32)>,
    }

    impl Actor for Alarm {
        type Message = u32;
        fn start(&mut self, context: &mut Context<'_, u32>) {
            context.set_timer(SimDuration::from_minutes(3), 3);
            context.set_timer(SimDuration::from_seconds(30), 1);
            context.set_timer_at(SimTime(120), 2);
        }
        fn handle(&mut self, message: u32, context: &mut Context<'_, u32>) {
            self.fired.push((context.now(), message));
            if message == 1 {
                context.set_timer(SimDuration::from_seconds(45), 10);
            }
        }
    }

    #[test]
    fn timers_fire_at_their_time() {
        let mut sim = Simulation::new();
        let a = sim.add_actor(Alarm { fired: Vec::new() });
        sim.run().unwrap();
        assert_eq!(
            sim.actor(a).fired,
            [
                (SimTime(30), 1),
                (SimTime(75), 10),
                (SimTime(120), 2),
                (SimTime(180), 3)
            ]
        );
        assert_eq!(sim.now(), SimTime(180));
    }

    #[test]
    fn run_until_stops_before_its_end_and_can_be_resumed() {
        let mut split = Simulation::new();
        let a = split.add_actor(Alarm { fired: Vec::new() });
        split.run_until(SimTime(120)).unwrap();
        assert_eq!(
            split.actor(a).fired.len(),
            2,
            "the timer at 120 s is not yet due"
        );
        assert_eq!(split.now(), SimTime(120));
        split.run_until(SimTime(1000)).unwrap();

        let mut whole = Simulation::new();
        let b = whole.add_actor(Alarm { fired: Vec::new() });
        whole.run_until(SimTime(1000)).unwrap();
        assert_eq!(split.actor(a).fired, whole.actor(b).fired);
        assert_eq!(whole.now(), SimTime(1000));
    }

    /// Pings its partner forever at the same instant.
    struct Echo {
        partner: ActorId,
    }

    impl Actor for Echo {
        type Message = ();
        fn handle(&mut self, (): (), context: &mut Context<'_, ()>) {
            context.send(self.partner, ());
        }
    }

    #[test]
    fn a_model_that_never_advances_time_is_stopped_by_the_event_limit() {
        let mut sim = Simulation::new();
        let a = sim.add_actor(Echo {
            partner: ActorId::from_index(1),
        });
        sim.add_actor(Echo { partner: a });
        sim.schedule(SimTime(7), a, ());
        sim.set_event_limit(1000);
        let error = sim.run().unwrap_err();
        assert!(matches!(
            error,
            SimError::EventLimit {
                limit: 1000,
                at: SimTime(7)
            }
        ));
    }

    /// Asks for the shared resource when told, holds it for `hold`, records when it got and left it.
    struct Customer {
        desk: ResourceId,
        hold: SimDuration,
        served: Option<(SimTime, SimTime)>,
    }

    #[derive(Clone, Copy)]
    enum Visit {
        Arrive,
        Granted,
        Done,
    }

    impl Actor for Customer {
        type Message = Visit;
        fn handle(&mut self, message: Visit, context: &mut Context<'_, Visit>) {
            match message {
                Visit::Arrive => {
                    if context.acquire(self.desk, Visit::Granted) == Acquisition::Held {
                        self.handle(Visit::Granted, context);
                    }
                }
                Visit::Granted => {
                    self.served = Some((context.now(), context.now() + self.hold));
                    context.set_timer(self.hold, Visit::Done);
                }
                Visit::Done => context.release(self.desk),
            }
        }
    }

    #[test]
    fn a_resource_serves_waiters_first_come_first_served_up_to_its_capacity() {
        let mut sim = Simulation::new();
        let desk = sim.add_resource(2);
        let arrivals = [0, 0, 0, 10, 10, 11];
        let ids: Vec<_> = arrivals
            .iter()
            .map(|&at| {
                let id = sim.add_actor(Customer {
                    desk,
                    hold: SimDuration(100),
                    served: None,
                });
                sim.schedule(SimTime(at), id, Visit::Arrive);
                id
            })
            .collect();
        sim.run_until(SimTime(50)).unwrap();
        assert_eq!(
            sim.resource(desk),
            ResourceState {
                capacity: 2,
                in_use: 2,
                waiting: 4
            }
        );
        sim.run().unwrap();
        let starts: Vec<_> = ids
            .iter()
            .map(|&id| sim.actor(id).served.unwrap().0 .0)
            .collect();
        assert_eq!(starts, [0, 0, 100, 100, 200, 200]);
        assert_eq!(sim.resource(desk).in_use, 0);
    }

    #[test]
    fn raising_a_capacity_grants_waiters_at_once() {
        let mut sim = Simulation::new();
        let desk = sim.add_resource(0);
        let ids: Vec<_> = (0..3)
            .map(|_| {
                let id = sim.add_actor(Customer {
                    desk,
                    hold: SimDuration(100),
                    served: None,
                });
                sim.schedule(SimTime(0), id, Visit::Arrive);
                id
            })
            .collect();
        sim.run_until(SimTime(30)).unwrap();
        assert!(ids.iter().all(|&id| sim.actor(id).served.is_none()));
        sim.set_capacity(desk, 2);
        sim.run().unwrap();
        let starts: Vec<_> = ids
            .iter()
            .map(|&id| sim.actor(id).served.unwrap().0 .0)
            .collect();
        assert_eq!(starts, [30, 30, 130]);
    }

    #[test]
    fn boxed_actors_of_different_kinds_share_one_simulation() {
        struct Counter(u32);
        impl Actor for Counter {
            type Message = u32;
            fn handle(&mut self, n: u32, _: &mut Context<'_, u32>) {
                self.0 += n;
            }
        }
        struct Doubler(ActorId);
        impl Actor for Doubler {
            type Message = u32;
            fn handle(&mut self, n: u32, context: &mut Context<'_, u32>) {
                context.send_after(SimDuration(1), self.0, 2 * n);
            }
        }
        let mut sim: Simulation<Box<dyn Actor<Message = u32>>> = Simulation::new();
        let counter = sim.add_actor(Box::new(Counter(0)));
        let doubler = sim.add_actor(Box::new(Doubler(counter)));
        sim.schedule(SimTime(0), doubler, 21);
        sim.run().unwrap();
        assert_eq!(sim.now(), SimTime(1));
        assert_eq!(sim.events_delivered(), 2);
    }

    #[test]
    #[should_panic(expected = "before now")]
    fn scheduling_into_the_past_is_refused() {
        let mut sim = Simulation::new();
        let r = sim.add_actor(Recorder::default());
        sim.run_until(SimTime(100)).unwrap();
        sim.schedule(SimTime(99), r, "too late");
    }
}
