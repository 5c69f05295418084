//! The runway model on the kernel: aircraft are actors, runways are FIFO resources of capacity 1.

use super::{AircraftDraws, Engine, RunwayParams, Throughput};
use crate::resource::{Acquisition, ResourceId};
use crate::rng::{ReplicationStreams, RngStreams};
use crate::time::SimTime;
use crate::{Actor, Context, SimError, Simulation};
use std::time::Instant;

/// What an aircraft is told: the steps of a leg.
#[derive(Clone, Copy, Debug)]
enum LegStep {
    /// Turned around (or placed at the start): ask for the origin runway.
    Ready,
    /// The origin runway is ours.
    TakeoffCleared,
    /// Off the runway: release it and fly.
    Airborne,
    /// Over the destination: ask for its runway.
    OnApproach,
    /// The destination runway is ours.
    LandingCleared,
    /// Landed and off the runway: release it, count the leg, turn around.
    Landed,
}

struct Aircraft {
    draws: AircraftDraws,
    airports: u32,
    at: u32,
    destination: u32,
    legs: u64,
}

fn runway(airport: u32) -> ResourceId {
    // Runways are the first resources added, one per airport in airport order.
    ResourceId::from_index(airport)
}

impl Actor for Aircraft {
    type Message = LegStep;

    fn start(&mut self, cx: &mut Context<'_, LegStep>) {
        self.at = self.draws.start_airport(self.airports);
        cx.set_timer(self.draws.start_delay(), LegStep::Ready);
    }

    fn handle(&mut self, step: LegStep, cx: &mut Context<'_, LegStep>) {
        match step {
            LegStep::Ready => {
                if cx.acquire(runway(self.at), LegStep::TakeoffCleared) == Acquisition::Held {
                    self.handle(LegStep::TakeoffCleared, cx);
                }
            }
            LegStep::TakeoffCleared => cx.set_timer(self.draws.takeoff_hold(), LegStep::Airborne),
            LegStep::Airborne => {
                cx.release(runway(self.at));
                self.destination = self.draws.destination(self.at, self.airports);
                cx.set_timer(self.draws.flight_time(), LegStep::OnApproach);
            }
            LegStep::OnApproach => {
                if cx.acquire(runway(self.destination), LegStep::LandingCleared)
                    == Acquisition::Held
                {
                    self.handle(LegStep::LandingCleared, cx);
                }
            }
            LegStep::LandingCleared => cx.set_timer(self.draws.landing_hold(), LegStep::Landed),
            LegStep::Landed => {
                cx.release(runway(self.destination));
                self.legs += 1;
                self.at = self.destination;
                cx.set_timer(self.draws.turnaround(), LegStep::Ready);
            }
        }
    }
}

fn build(params: &RunwayParams, streams: &ReplicationStreams) -> Simulation<Aircraft> {
    // At most two events per aircraft are pending at once (its own timer and a grant).
    let mut sim = Simulation::with_capacity(params.aircraft as usize, 2 * params.aircraft as usize);
    for airport in 0..params.airports {
        let id = sim.add_resource(1);
        debug_assert_eq!(id, runway(airport));
    }
    for aircraft in 0..params.aircraft {
        sim.add_actor(Aircraft {
            draws: AircraftDraws::new(streams, aircraft),
            airports: params.airports,
            at: 0,
            destination: 0,
            legs: 0,
        });
    }
    sim
}

/// Runs one replication of the model on the kernel and returns the legs flown; for Monte Carlo studies of
/// the benchmark model.
pub fn simulate_on_kernel(
    params: &RunwayParams,
    streams: ReplicationStreams,
) -> Result<u64, SimError> {
    params.validate()?;
    let mut sim = build(params, &streams);
    sim.run_until(SimTime::from_minutes(i64::from(params.horizon_min)))?;
    Ok(sim.actors().iter().map(|a| a.legs).sum())
}

/// Runs the model on the kernel (replication 0 of `params.seed`) and times the simulation.
pub fn run_kernel(params: &RunwayParams) -> Result<Throughput, SimError> {
    params.validate()?;
    let streams = RngStreams::new(params.seed).replication(0);
    let mut sim = build(params, &streams);
    let started = Instant::now();
    sim.run_until(SimTime::from_minutes(i64::from(params.horizon_min)))?;
    let seconds = started.elapsed().as_secs_f64();
    let legs = sim.actors().iter().map(|a| a.legs).sum();
    Ok(Throughput::new(Engine::Kernel, *params, legs, seconds))
}
