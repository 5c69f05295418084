//! The deterministic discrete-event kernel of UCODTS: actors that exchange messages on an integer clock,
//! FIFO resources, named random streams, and a Monte Carlo runner that reports exact statistics over its
//! replications (computed by `ucodts-stats`, the only part of UCODTS below it). It knows nothing of
//! airlines; `ucodts-actors` builds the airline on it.
//!
//! A run is a pure function of its inputs and its seed: events are delivered one at a time, on one thread,
//! in (time, priority, insertion sequence) order, and every random number comes from a stream derived from
//! the master seed. Same seed, same bytes of output, on any machine and any number of threads.
//!
//! # A practical overview
//!
//! Simulating with this crate takes three steps:
//!
//! 1. **author** the models: actor types with private state and a message handler;
//! 2. **assemble** a [`Simulation`]: add resources and actors, which get addresses ([`ResourceId`],
//!    [`ActorId`]), and schedule the first events;
//! 3. **run** it: [`Simulation::run_until`] an instant, then read the actors' state; or run many seeded
//!    replications with [`MonteCarlo`] and read means, quantiles and confidence intervals.
//!
//! ## Authoring models
//!
//! An actor implements [`Actor`]: a message type and a handler. The handler gets a [`Context`] that tells
//! the time ([`Context::now`]) and schedules what happens next: [`Context::send`] and
//! [`Context::send_after`] to another actor's address, [`Context::set_timer`] to itself, and
//! [`Context::acquire`] / [`Context::release`] of a shared resource. Actors never hold references to each
//! other, only addresses.
//!
//! A post-office customer who queues for a clerk, is served for a fixed time, and leaves:
//!
//! ```
//! use ucodts_sim::{Acquisition, Actor, Context, ResourceId, SimDuration, SimTime};
//!
//! pub struct Customer {
//!     pub clerk: ResourceId,
//!     pub service: SimDuration,
//!     pub left_at: Option<SimTime>,
//! }
//!
//! pub enum Visit {
//!     Arrive,
//!     Called,
//!     Served,
//! }
//!
//! impl Actor for Customer {
//!     type Message = Visit;
//!
//!     fn handle(&mut self, visit: Visit, cx: &mut Context<'_, Visit>) {
//!         match visit {
//!             // A free clerk serves at once; otherwise `Visit::Called` comes when one is free.
//!             Visit::Arrive => match cx.acquire(self.clerk, Visit::Called) {
//!                 Acquisition::Held => self.handle(Visit::Called, cx),
//!                 Acquisition::Queued => {}
//!             },
//!             Visit::Called => cx.set_timer(self.service, Visit::Served),
//!             Visit::Served => {
//!                 cx.release(self.clerk);
//!                 self.left_at = Some(cx.now());
//!             }
//!         }
//!     }
//! }
//! ```
//!
//! A simulation holds actors of one type. A model with several kinds makes that type an enum of its kinds
//! (fastest) or uses `Box<dyn Actor<Message = M>>`. Time is [`SimTime`], whole **seconds**; random
//! durations are drawn as `f64` and rounded once with [`SimDuration::from_minutes_f64`].
//!
//! ## Assembling and running a simulation
//!
//! Add the resources and actors, schedule the first events, run, read the actors:
//!
//! ```
//! # use ucodts_sim::{Acquisition, Actor, Context, ResourceId, SimDuration, SimTime};
//! # pub struct Customer { pub clerk: ResourceId, pub service: SimDuration, pub left_at: Option<SimTime> }
//! # pub enum Visit { Arrive, Called, Served }
//! # impl Actor for Customer {
//! #     type Message = Visit;
//! #     fn handle(&mut self, visit: Visit, cx: &mut Context<'_, Visit>) {
//! #         match visit {
//! #             Visit::Arrive => match cx.acquire(self.clerk, Visit::Called) {
//! #                 Acquisition::Held => self.handle(Visit::Called, cx),
//! #                 Acquisition::Queued => {}
//! #             },
//! #             Visit::Called => cx.set_timer(self.service, Visit::Served),
//! #             Visit::Served => { cx.release(self.clerk); self.left_at = Some(cx.now()); }
//! #         }
//! #     }
//! # }
//! use ucodts_sim::Simulation;
//!
//! let mut sim = Simulation::new();
//! let clerk = sim.add_resource(1);
//! let customers = [0, 60, 90].map(|arrival_s| {
//!     let id = sim.add_actor(Customer {
//!         clerk,
//!         service: SimDuration::from_minutes(5),
//!         left_at: None,
//!     });
//!     sim.schedule(SimTime(arrival_s), id, Visit::Arrive);
//!     id
//! });
//!
//! sim.run_until(SimTime::from_minutes(60))?;
//!
//! // One clerk, five minutes each, first come first served.
//! let left: Vec<_> = customers.iter().map(|&c| sim.actor(c).left_at.unwrap().0).collect();
//! assert_eq!(left, [300, 600, 900]);
//! # Ok::<(), ucodts_sim::SimError>(())
//! ```
//!
//! ## Random numbers and Monte Carlo
//!
//! Every random number comes from a stream for (replication, entity, purpose) given by [`RngStreams`]:
//! a change to one entity never shifts the draws of another (common random numbers). [`MonteCarlo`] runs
//! replications in parallel and summarises each metric; the report does not depend on the thread count.
//!
//! ```
//! # use ucodts_sim::{Acquisition, Actor, Context, ResourceId, SimDuration, SimTime, Simulation};
//! # pub struct Customer { pub clerk: ResourceId, pub service: SimDuration, pub left_at: Option<SimTime> }
//! # pub enum Visit { Arrive, Called, Served }
//! # impl Actor for Customer {
//! #     type Message = Visit;
//! #     fn handle(&mut self, visit: Visit, cx: &mut Context<'_, Visit>) {
//! #         match visit {
//! #             Visit::Arrive => match cx.acquire(self.clerk, Visit::Called) {
//! #                 Acquisition::Held => self.handle(Visit::Called, cx),
//! #                 Acquisition::Queued => {}
//! #             },
//! #             Visit::Called => cx.set_timer(self.service, Visit::Served),
//! #             Visit::Served => { cx.release(self.clerk); self.left_at = Some(cx.now()); }
//! #         }
//! #     }
//! # }
//! use rand::Rng;
//! use ucodts_sim::{MonteCarlo, Purpose};
//!
//! const SERVICE_TIME: Purpose = Purpose::named("service_time");
//!
//! let study = MonteCarlo::new(2024, 200).threads(2);
//! let report = study.try_run(["last_departure_min"], |streams| {
//!     let mut sim = Simulation::new();
//!     let clerk = sim.add_resource(1);
//!     for (entity, arrival_s) in [0, 60, 90].into_iter().enumerate() {
//!         // Customer `entity` draws its service time from its own stream.
//!         let mut rng = streams.stream(entity as u64, SERVICE_TIME);
//!         let service = SimDuration::from_minutes_f64(rng.gen_range(3.0..7.0));
//!         let id = sim.add_actor(Customer { clerk, service, left_at: None });
//!         sim.schedule(SimTime(arrival_s), id, Visit::Arrive);
//!     }
//!     sim.run()?;
//!     Ok::<_, ucodts_sim::SimError>([sim.now().0 as f64 / 60.0])
//! })?;
//! let last = report.metric("last_departure_min").unwrap();
//! let ci = last.ci95.unwrap();
//! assert!(ci.lower < 15.0 && 15.0 < ci.upper); // three services of 5 minutes on average
//! # Ok::<(), ucodts_sim::SimError>(())
//! ```
//!
//! # Ordering guarantees
//!
//! * Events are delivered in increasing time; among events of one instant, by increasing [`Priority`];
//!   among those, in the order they were scheduled. Nothing else (thread, hash, address) decides.
//! * A resource is granted first come, first served, at the instant a unit is released.
//! * [`Actor::start`] runs for new actors, in id order, before the next run delivers any event.
//! * [`Simulation::run_until`]`(end)` delivers events strictly before `end`, so runs can be split anywhere.
//!
//! # Benchmark model
//!
//! [`bench_models::runway`] is the runway model of `../shared/baselines/simpy_runway.py` on this kernel,
//! on a bare binary-heap loop, and in SimPy, with one-call functions that measure legs per second.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod actor;
pub mod bench_models;
mod event_queue;
mod monte_carlo;
mod resource;
mod rng;
mod simulation;
pub mod stats;
mod time;

pub use actor::{Actor, ActorId, Context};
pub use event_queue::Priority;
pub use monte_carlo::{MetricReport, MonteCarlo, MonteCarloReport, Shard, CHUNK_REPLICATIONS};
pub use resource::{Acquisition, ResourceId, ResourceState};
pub use rng::{Purpose, ReplicationStreams, RngStreams, StreamRng};
pub use simulation::Simulation;
pub use stats::{ConfidenceInterval, Moments, Summary};
pub use time::{SimDuration, SimTime};

/// Everything that can go wrong in this crate.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// A run delivered as many events as its limit allows.
    #[error(
        "the event limit of {limit} events was reached at {at}; the model may schedule events without \
         advancing time"
    )]
    EventLimit {
        /// The limit set with [`Simulation::set_event_limit`].
        limit: u64,
        /// The instant the run stopped at.
        at: SimTime,
    },
    /// A replication of a Monte Carlo study failed.
    #[error("replication {index} failed: {source}")]
    Replication {
        /// Which replication (0-based); the first failing one in order.
        index: u64,
        /// The model's error.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A replication returned NaN or an infinity for a metric.
    #[error(
        "replication {replication} gave {value} for metric `{metric}`; metrics must be finite"
    )]
    NonFiniteMetric {
        /// Which replication (0-based).
        replication: u64,
        /// The metric's name.
        metric: String,
        /// What it returned.
        value: f64,
    },
    /// The thread pool for a Monte Carlo study could not be started.
    #[error("could not start a pool of {threads} threads: {message}")]
    ThreadPool {
        /// Threads asked for.
        threads: usize,
        /// rayon's reason.
        message: String,
    },
    /// A parameter is out of its domain.
    #[error("{name} = {value} is invalid: expected {expected}")]
    InvalidParameter {
        /// The parameter's name.
        name: &'static str,
        /// The value given.
        value: String,
        /// What is accepted.
        expected: &'static str,
    },
    /// The SimPy baseline cannot be run here (no Python, no script, SimPy not installable).
    #[error("the SimPy baseline is unavailable: {reason}")]
    BaselineUnavailable {
        /// What is missing.
        reason: String,
    },
    /// The SimPy baseline ran but failed or printed something unreadable.
    #[error("the SimPy baseline `{command}` failed: {detail}")]
    BaselineFailed {
        /// The command line that was run.
        command: String,
        /// Exit status and standard error, or the parse error and the output.
        detail: String,
    },
}
