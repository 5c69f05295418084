//! Legality checking and fatigue forecasting at airline scale: every roster of a synthetic month with
//! 20,000 crew members (pilots and cabin crew at four US bases, pairings of 2-4 duties of 2-4 legs, ~17 duty
//! days each), under Part 117 and EASA ORO.FTL. The target: checking all of them in well under a second.
//!
//! The month is generated here, from a fixed seed, so the bench needs no data set.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ucodts_model::fatigue::forecast_schedule;
use ucodts_model::legality::check_all;
use ucodts_model::rules;
use ucodts_model::*;

/// xorshift64*: a tiny deterministic stream, one per crew member.
struct Stream(u64);

impl Stream {
    fn new(seed: u64) -> Stream {
        Stream(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) % n
    }
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }
}

const BASES: [(&str, f64, &str); 4] = [
    ("JFK", -73.8, "America/New_York"),
    ("ORD", -87.9, "America/Chicago"),
    ("DEN", -104.7, "America/Denver"),
    ("LAX", -118.4, "America/Los_Angeles"),
];

/// A February 2013 of `crew` crew members, each with their own pairings and legs.
fn synthetic_month(crew: usize) -> Schedule {
    let zone = |name: &str| TimeZone::from_iana(name).unwrap();
    let carrier = CarrierCode::new("UA");
    let mut airports = Vec::new();
    for (code, lon, z) in BASES {
        airports.push(Airport {
            code: AirportCode::new(code).unwrap(),
            icao: None,
            name: code.into(),
            latitude_deg: 40.0,
            longitude_deg: lon,
            time_zone: zone(z),
        });
    }
    // Sixteen outstations, four in each base's zone.
    let mut outstations = Vec::new();
    for i in 0..16 {
        let (_, lon, z) = BASES[i % 4];
        let code = AirportCode::new(&format!("X{i:02}")).unwrap();
        outstations.push(code);
        airports.push(Airport {
            code,
            icao: None,
            name: code.to_string(),
            latitude_deg: 35.0,
            longitude_deg: lon + (i / 4) as f64,
            time_zone: zone(z),
        });
    }
    let (mut legs, mut pairings, mut rosters, mut members) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let month_start = Date::new(2013, 2, 1).unwrap();
    for c in 0..crew {
        let mut rng = Stream::new(c as u64 + 1);
        let (base_code, _, base_zone) = BASES[c % 4];
        let base = AirportCode::new(base_code).unwrap();
        let home = zone(base_zone);
        let id = CrewId::new(format!("C{c:05}"));
        members.push(CrewMember {
            id: id.clone(),
            airline: carrier.clone(),
            rank: Rank::ALL[c % 3],
            base,
            qualifications: vec![TypeCode::new("A320")],
            home_zone: home,
        });
        let mut day = rng.between(0, 2);
        let mut not_before = UtcMinute(i64::MIN);
        while day < 27 {
            let length = rng.between(2, 4).min(28 - day);
            let mut duties = Vec::new();
            let mut at = base;
            for k in 0..length {
                let last_duty = k == length - 1;
                let date = month_start.add_days(day + k);
                let local_report = rng.between(5 * 60, 14 * 60);
                let report = home.to_utc(date, local_report).earliest().max(not_before);
                let mut out = report + Minutes(60);
                let mut segments = Vec::new();
                let n = rng.between(2, 4);
                for i in 0..n {
                    let to = if last_duty && i == n - 1 {
                        base
                    } else {
                        loop {
                            let o = outstations[rng.below(16) as usize];
                            if o != at {
                                break o;
                            }
                        }
                    };
                    let block = Minutes(rng.between(60, 150));
                    let leg_id = LegId(legs.len() as u32 + 1);
                    legs.push(Leg {
                        id: leg_id,
                        carrier: carrier.clone(),
                        flight_number: Some(leg_id.0),
                        origin: at,
                        destination: to,
                        scheduled_out: out,
                        scheduled_in: out + block,
                        estimated: OutOffOnIn::default(),
                        actual: OutOffOnIn::default(),
                        tail: None,
                        status: LegStatus::Scheduled,
                        source: LegSource::Inferred,
                    });
                    segments.push(Segment {
                        leg: leg_id,
                        kind: SegmentKind::Operating,
                    });
                    at = to;
                    out = out + block + Minutes(45);
                }
                let release = out - Minutes(45) + Minutes(30);
                not_before = release + Minutes::hours(12);
                duties.push(Duty {
                    report,
                    release,
                    segments,
                });
            }
            let pairing = PairingId(pairings.len() as u32 + 1);
            pairings.push(Pairing {
                id: pairing,
                airline: carrier.clone(),
                base,
                duties,
            });
            rosters.push(RosterAssignment {
                crew: id.clone(),
                pairing,
            });
            day += length + rng.between(1, 3);
        }
    }
    Schedule::new(ScheduleParts {
        airlines: vec![Airline {
            code: carrier,
            name: "Synthetic".into(),
        }],
        airports,
        aircraft_types: vec![AircraftType {
            code: TypeCode::new("A320"),
            family: "A320".into(),
            seats: 150,
            min_turn: Minutes(30),
        }],
        crew: members,
        legs,
        pairings,
        rosters,
        ..ScheduleParts::default()
    })
    .expect("the synthetic month is a consistent schedule")
}

fn legality(c: &mut Criterion) {
    let schedule = synthetic_month(20_000);
    let duties: usize = schedule.pairings().iter().map(|p| p.duties.len()).sum();
    eprintln!(
        "synthetic month: {} crew members, {} pairings, {} duties, {} legs",
        schedule.crew().len(),
        schedule.pairings().len(),
        duties,
        schedule.legs().len()
    );
    let mut group = c.benchmark_group("legality/20000_crew_month");
    group.sample_size(10);
    group.throughput(Throughput::Elements(schedule.crew().len() as u64));
    for name in rules::KNOWN_RULE_SETS {
        let rule_set = rules::by_name(name).unwrap();
        let report = check_all(&schedule, rule_set);
        eprintln!(
            "{name}: {} crew checked, {} not covered, {} violations, {} duties unchecked",
            report.crew_checked,
            report.crew_not_covered,
            report.violations.len(),
            report.unchecked.len()
        );
        group.bench_function(format!("check_all/{name}"), |b| {
            b.iter(|| check_all(&schedule, rule_set))
        });
    }
    group.bench_function("fatigue_forecast_schedule", |b| {
        b.iter(|| forecast_schedule(&schedule))
    });
    group.finish();
}

criterion_group!(benches, legality);
criterion_main!(benches);
