//! The runway model with no kernel: one binary heap of (time, sequence, aircraft, step), runways as busy
//! flags with FIFO queues, everything inlined. The physical limit the kernel is measured against.
//!
//! It draws the same numbers as the kernel version and assigns sequence numbers in the same order, so the
//! two count exactly the same legs.

use super::{AircraftDraws, Engine, RunwayParams, Throughput};
use crate::rng::RngStreams;
use crate::SimError;
use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};
use std::time::Instant;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    Ready,
    TakeoffCleared,
    Airborne,
    OnApproach,
    LandingCleared,
    Landed,
}

struct Event {
    /// Time in seconds in the high 64 bits, sequence number in the low 64.
    key: u128,
    aircraft: u32,
    step: Step,
}

impl Ord for Event {
    fn cmp(&self, other: &Self) -> Ordering {
        other.key.cmp(&self.key)
    }
}
impl PartialOrd for Event {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl PartialEq for Event {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl Eq for Event {}

struct Runway {
    busy: bool,
    waiting: VecDeque<(u32, Step)>,
}

struct Plane {
    draws: AircraftDraws,
    at: u32,
    destination: u32,
}

struct Loop {
    heap: BinaryHeap<Event>,
    sequence: u64,
}

impl Loop {
    #[inline]
    fn push(&mut self, at: i64, aircraft: u32, step: Step) {
        debug_assert!(at >= 0);
        let key = ((at as u128) << 64) | self.sequence as u128;
        self.sequence += 1;
        self.heap.push(Event {
            key,
            aircraft,
            step,
        });
    }
}

/// Runs the model as a bare binary-heap loop (replication 0 of `params.seed`) and times the simulation.
pub fn run_bare_heap(params: &RunwayParams) -> Result<Throughput, SimError> {
    params.validate()?;
    let streams = RngStreams::new(params.seed).replication(0);
    let airports = params.airports;
    let mut planes: Vec<Plane> = (0..params.aircraft)
        .map(|a| Plane {
            draws: AircraftDraws::new(&streams, a),
            at: 0,
            destination: 0,
        })
        .collect();
    let mut runways: Vec<Runway> = (0..airports)
        .map(|_| Runway {
            busy: false,
            waiting: VecDeque::new(),
        })
        .collect();
    let mut events = Loop {
        heap: BinaryHeap::with_capacity(2 * params.aircraft as usize),
        sequence: 0,
    };
    let end = i64::from(params.horizon_min) * 60;
    let mut legs = 0u64;

    let started = Instant::now();
    for (a, plane) in planes.iter_mut().enumerate() {
        plane.at = plane.draws.start_airport(airports);
        events.push(plane.draws.start_delay().seconds(), a as u32, Step::Ready);
    }
    while let Some(event) = events.heap.pop() {
        let now = (event.key >> 64) as i64;
        if now >= end {
            break;
        }
        let a = event.aircraft;
        let plane = &mut planes[a as usize];
        let mut step = event.step;
        // A free runway is taken at once and the cleared step runs in the same delivery.
        if step == Step::Ready || step == Step::OnApproach {
            let (airport, cleared) = if step == Step::Ready {
                (plane.at, Step::TakeoffCleared)
            } else {
                (plane.destination, Step::LandingCleared)
            };
            let runway = &mut runways[airport as usize];
            if runway.busy || !runway.waiting.is_empty() {
                runway.waiting.push_back((a, cleared));
                continue;
            }
            runway.busy = true;
            step = cleared;
        }
        match step {
            Step::TakeoffCleared => events.push(
                now + plane.draws.takeoff_hold().seconds(),
                a,
                Step::Airborne,
            ),
            Step::LandingCleared => {
                events.push(now + plane.draws.landing_hold().seconds(), a, Step::Landed)
            }
            Step::Airborne | Step::Landed => {
                let airport = if step == Step::Airborne {
                    plane.at
                } else {
                    plane.destination
                };
                let runway = &mut runways[airport as usize];
                match runway.waiting.pop_front() {
                    Some((next, cleared)) => events.push(now, next, cleared),
                    None => runway.busy = false,
                }
                if step == Step::Airborne {
                    plane.destination = plane.draws.destination(plane.at, airports);
                    events.push(
                        now + plane.draws.flight_time().seconds(),
                        a,
                        Step::OnApproach,
                    );
                } else {
                    legs += 1;
                    plane.at = plane.destination;
                    events.push(now + plane.draws.turnaround().seconds(), a, Step::Ready);
                }
            }
            Step::Ready | Step::OnApproach => {
                unreachable!("requests were turned into clearances above")
            }
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    Ok(Throughput::new(Engine::BareHeap, *params, legs, seconds))
}
