//! Using what loaded the way a user does: a day of the schedule flown in the twin with a delay model fitted
//! on it, and a scenario's disrupted day. Errors are answers; only a panic is a finding.

use ucodts_actors::world::service_date;
use ucodts_actors::{fit, DelayModel, Kpis, Twin, Window, World, WorldOptions};
use ucodts_model::Schedule;
use ucodts_scenarios::Scenario;
use ucodts_sim::RngStreams;

/// Flies the operating day of the schedule's first leg: the delay model fitted on that day (no randomness
/// when nothing was recorded), one replication, its KPIs.
pub fn one_day(schedule: &Schedule) {
    let Some(first) = schedule
        .legs()
        .iter()
        .min_by_key(|l| (l.scheduled_out, l.id))
    else {
        return;
    };
    let window = Window::day(service_date(schedule, first));
    let Ok(world) = World::new(schedule, window, &[], WorldOptions::default()) else {
        return;
    };
    let model = fit(schedule, "fuzz", window).unwrap_or_else(|_| DelayModel::none());
    replicate(&world, &model);
}

/// Flies the first day of `scenario` on `schedule` with its disruptions injected, under the embedded
/// default delay model.
pub fn scenario_day(schedule: &Schedule, scenario: &Scenario) {
    let window = Window::day(scenario.from);
    let Ok(world) = World::new(schedule, window, &[], WorldOptions::default()) else {
        return;
    };
    let Ok(world) = world.with_disruptions(&scenario.disruptions) else {
        return;
    };
    replicate(&world, &DelayModel::embedded_default());
}

fn replicate(world: &World, model: &DelayModel) {
    let twin = Twin::new(world, model);
    if let Ok(outcome) = twin.replicate(RngStreams::new(1).replication(0)) {
        let _ = Kpis::of(world, &outcome).values();
    }
}
