//! The Airport actor: grants departure and arrival slots within its hourly capacities.
//!
//! Slots are counted per clock hour (UTC), separately for departures and arrivals: a request is granted at
//! once if its hour has room, otherwise at the start of the first later hour that has. With the default
//! capacities (the busiest hour on record) this binds only when delays bunch flights up or a scenario cuts
//! capacity; runway queues of ordinary days are already in the fitted taxi and block times.

use std::collections::BTreeMap;

use ucodts_sim::{Context, SimTime};

use crate::messages::Message;
use crate::replication::Run;

const HOUR_S: i64 = 3600;

pub(crate) struct AirportActor<'r> {
    run: &'r Run<'r>,
    index: u32,
    departures: BTreeMap<i64, u32>,
    arrivals: BTreeMap<i64, u32>,
}

impl<'r> AirportActor<'r> {
    pub fn new(run: &'r Run<'r>, index: u32) -> AirportActor<'r> {
        AirportActor {
            run,
            index,
            departures: BTreeMap::new(),
            arrivals: BTreeMap::new(),
        }
    }

    pub fn handle(&mut self, message: Message, cx: &mut Context<'_, Message>) {
        let capacity = self.run.world.airports()[self.index as usize].capacity;
        let now = cx.now();
        match message {
            Message::RequestDeparture { leg } => {
                let at = self.slot(false, capacity.departures_per_hour, now);
                cx.send_at(at, self.run.aircraft_of_leg(leg), Message::DepartureCleared { leg });
            }
            Message::RequestArrival { leg } => {
                let at = self.slot(true, capacity.arrivals_per_hour, now);
                cx.send_at(at, self.run.aircraft_of_leg(leg), Message::ArrivalCleared { leg });
            }
            other => unreachable!("an airport was sent {other:?}, which only aircraft, crew or operations control handle"),
        }
    }

    /// The first instant from `now` with room under the capacity in force then (a scenario's changes
    /// included; while the airport is closed, movements wait for it to open); counts it.
    fn slot(&mut self, arrivals: bool, base: u32, now: SimTime) -> SimTime {
        let injected = &self.run.world.injected;
        let counts = if arrivals {
            &mut self.arrivals
        } else {
            &mut self.departures
        };
        if injected.capacity.is_empty() {
            return slot(counts, base, now);
        }
        let mut t = now;
        loop {
            let (per_hour, until) = injected.capacity_at(self.index, arrivals, base, t);
            if per_hour == 0 {
                t = until;
                continue;
            }
            let hour = t.seconds().div_euclid(HOUR_S);
            let used = counts.entry(hour).or_default();
            if *used < per_hour {
                *used += 1;
                return t;
            }
            t = SimTime((hour + 1) * HOUR_S);
        }
    }
}

/// The first instant from `now` in an hour with fewer than `per_hour` movements counted; counts it.
fn slot(counts: &mut BTreeMap<i64, u32>, per_hour: u32, now: SimTime) -> SimTime {
    debug_assert!(
        per_hour > 0,
        "capacities are at least 1 (checked by WorldOptions)"
    );
    let mut hour = now.seconds().div_euclid(HOUR_S);
    loop {
        let used = counts.entry(hour).or_default();
        if *used < per_hour {
            *used += 1;
            return now.max(SimTime(hour * HOUR_S));
        }
        hour += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_hour_pushes_the_movement_to_the_next_hour_with_room() {
        let mut counts = BTreeMap::new();
        let t = SimTime(10 * HOUR_S + 600);
        assert_eq!(slot(&mut counts, 2, t), t);
        assert_eq!(slot(&mut counts, 2, t), t);
        assert_eq!(slot(&mut counts, 2, t), SimTime(11 * HOUR_S));
        assert_eq!(
            slot(&mut counts, 2, SimTime(11 * HOUR_S + 5)),
            SimTime(11 * HOUR_S + 5)
        );
        assert_eq!(slot(&mut counts, 2, t), SimTime(12 * HOUR_S));
    }
}
