//! A post office with two clerks: customers arrive at random, queue first come first served, are served for
//! a random time and leave. Shows the three steps of the crate: author an actor, assemble a simulation,
//! run it, then run it as a Monte Carlo study.
//!
//! cargo run -p ucodts-sim --example post_office

use rand::Rng;
use rand_distr::{Distribution, Exp};
use ucodts_sim::{
    Acquisition, Actor, Context, MonteCarlo, Purpose, ReplicationStreams, ResourceId, SimDuration,
    SimError, SimTime, Simulation,
};

const ARRIVALS: Purpose = Purpose::named("post_office/arrivals");
const SERVICE: Purpose = Purpose::named("post_office/service");

/// One customer: arrives, waits for a clerk, is served, leaves.
struct Customer {
    clerks: ResourceId,
    service: SimDuration,
    arrived: SimTime,
    waited: Option<SimDuration>,
}

enum Visit {
    Arrive,
    Called,
    Served,
}

impl Actor for Customer {
    type Message = Visit;

    fn handle(&mut self, visit: Visit, cx: &mut Context<'_, Visit>) {
        match visit {
            Visit::Arrive => {
                self.arrived = cx.now();
                if cx.acquire(self.clerks, Visit::Called) == Acquisition::Held {
                    self.handle(Visit::Called, cx);
                }
            }
            Visit::Called => {
                self.waited = Some(cx.now() - self.arrived);
                cx.set_timer(self.service, Visit::Served);
            }
            Visit::Served => cx.release(self.clerks),
        }
    }
}

/// One morning: 120 customers, one every 2 minutes on average, served in 3.5 minutes on average by two
/// clerks. Returns the mean and the longest wait in minutes.
fn morning(streams: ReplicationStreams) -> Result<[f64; 2], SimError> {
    let customers = 120;
    let mut sim = Simulation::with_capacity(customers, customers);
    let clerks = sim.add_resource(2);
    let mut arrivals = streams.stream(0, ARRIVALS);
    let gaps = Exp::new(1.0 / 2.0).expect("a positive rate");
    let mut at = SimTime::ZERO;
    for entity in 0..customers {
        at += SimDuration::from_minutes_f64(gaps.sample(&mut arrivals));
        // Each customer's service time comes from its own stream (common random numbers).
        let service = streams.stream(entity as u64, SERVICE).gen_range(2.0..5.0);
        let id = sim.add_actor(Customer {
            clerks,
            service: SimDuration::from_minutes_f64(service),
            arrived: at,
            waited: None,
        });
        sim.schedule(at, id, Visit::Arrive);
    }
    sim.run()?;
    let waits: Vec<f64> = sim
        .actors()
        .iter()
        .map(|c| c.waited.expect("everyone is served").minutes_f64())
        .collect();
    let mean = waits.iter().sum::<f64>() / waits.len() as f64;
    let longest = waits.iter().cloned().fold(0.0, f64::max);
    Ok([mean, longest])
}

fn main() -> Result<(), SimError> {
    let [mean, longest] = morning(ucodts_sim::RngStreams::new(1).replication(0))?;
    println!("one morning: mean wait {mean:.1} min, longest {longest:.1} min");

    let report = MonteCarlo::new(1, 1000)
        .threads(0)
        .try_run(["mean_wait_min", "longest_wait_min"], morning)?;
    for metric in &report.metrics {
        let ci = metric.ci95.expect("more than one replication");
        println!(
            "{:>17}: mean {:.2} (95% CI {:.2}..{:.2}), p05 {:.1}, p50 {:.1}, p95 {:.1}",
            metric.name, metric.mean, ci.lower, ci.upper, metric.p05, metric.p50, metric.p95
        );
    }
    Ok(())
}
