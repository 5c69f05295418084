//! Tiny schedules for the legality and fatigue tests: one airline, a few airports, one crew member based at
//! JFK (home zone New York), and builders for duties and pairings.
#![allow(dead_code)]

use ucodts_model::*;

pub fn zone(name: &str) -> TimeZone {
    TimeZone::from_iana(name).unwrap()
}

pub fn ny() -> TimeZone {
    zone("America/New_York")
}

/// The instant of a New York wall-clock time.
pub fn ny_time(y: i32, m: u8, d: u8, hh: i64, mm: i64) -> UtcMinute {
    ny().to_utc(Date::new(y, m, d).unwrap(), hh * 60 + mm)
        .earliest()
}

pub fn code(c: &str) -> AirportCode {
    AirportCode::new(c).unwrap()
}

/// One leg of a duty being built.
pub struct LegSpec<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub kind: SegmentKind,
    pub out: UtcMinute,
    pub block: Minutes,
}

pub struct RosterBuilder {
    pub parts: ScheduleParts,
    next_leg: u32,
    next_pairing: u32,
}

impl RosterBuilder {
    /// Crew member `C1` of this rank, based at JFK, home zone New York.
    pub fn new(rank: Rank) -> RosterBuilder {
        let airport = |c: &str, lon: f64, z: &str| Airport {
            code: code(c),
            icao: None,
            name: c.into(),
            latitude_deg: 40.0,
            longitude_deg: lon,
            time_zone: zone(z),
        };
        let parts = ScheduleParts {
            airlines: vec![Airline {
                code: CarrierCode::new("B6"),
                name: "JetBlue".into(),
            }],
            airports: vec![
                airport("JFK", -73.78, "America/New_York"),
                airport("BOS", -71.01, "America/New_York"),
                airport("ORD", -87.90, "America/Chicago"),
                airport("LAX", -118.41, "America/Los_Angeles"),
                airport("LHR", -0.46, "Europe/London"),
            ],
            aircraft_types: vec![AircraftType {
                code: TypeCode::new("A320"),
                family: "A320".into(),
                seats: 150,
                min_turn: Minutes(0),
            }],
            crew: vec![CrewMember {
                id: CrewId::new("C1"),
                airline: CarrierCode::new("B6"),
                rank,
                base: code("JFK"),
                qualifications: vec![TypeCode::new("A320")],
                home_zone: ny(),
            }],
            ..ScheduleParts::default()
        };
        RosterBuilder {
            parts,
            next_leg: 1,
            next_pairing: 1,
        }
    }

    /// A duty flying these legs, released at `release`.
    pub fn duty(&mut self, report: UtcMinute, release: UtcMinute, legs: &[LegSpec]) -> Duty {
        let mut segments = Vec::new();
        for l in legs {
            let id = LegId(self.next_leg);
            self.next_leg += 1;
            self.parts.legs.push(Leg {
                id,
                carrier: CarrierCode::new("B6"),
                flight_number: Some(id.0),
                origin: code(l.from),
                destination: code(l.to),
                scheduled_out: l.out,
                scheduled_in: l.out + l.block,
                estimated: OutOffOnIn::default(),
                actual: OutOffOnIn::default(),
                tail: None,
                status: LegStatus::Scheduled,
                source: LegSource::Recorded,
            });
            segments.push(Segment {
                leg: id,
                kind: l.kind,
            });
        }
        Duty {
            report,
            release,
            segments,
        }
    }

    /// A JFK-BOS-JFK... duty reporting at `report`, operating `segments` legs of `flight_time` in all
    /// (45 minutes a leg if `None`), whose flight duty period (report to the last block-in) lasts exactly
    /// `fdp`; released 30 minutes after it. An odd number of operated legs starts with a 30-minute deadhead
    /// to BOS so that the duty ends at JFK.
    pub fn round_trip_duty(
        &mut self,
        report: UtcMinute,
        segments: usize,
        fdp: Minutes,
        flight_time: Option<Minutes>,
    ) -> Duty {
        assert!(segments >= 1);
        let flight = flight_time.unwrap_or(Minutes(45 * segments as i64)).0;
        let deadhead = segments % 2 == 1;
        let legs = segments + usize::from(deadhead);
        let mut blocks: Vec<(i64, SegmentKind)> = Vec::new();
        if deadhead {
            blocks.push((30, SegmentKind::Deadhead));
        }
        for i in 0..segments {
            let b = flight / segments as i64 + if i == 0 { flight % segments as i64 } else { 0 };
            blocks.push((b, SegmentKind::Operating));
        }
        let slack = fdp.0 - 30 - blocks.iter().map(|b| b.0).sum::<i64>();
        assert!(slack >= 0, "fdp {fdp} too short for the legs");
        let turns = legs as i64 - 1;
        let mut out = report + Minutes(30);
        let mut at = "JFK";
        let mut specs = Vec::new();
        for (i, (block, kind)) in blocks.into_iter().enumerate() {
            let to = if at == "JFK" { "BOS" } else { "JFK" };
            specs.push(LegSpec {
                from: at,
                to,
                kind,
                out,
                block: Minutes(block),
            });
            let turn = if (i as i64) < turns {
                slack / turns
                    + if i as i64 == turns - 1 {
                        slack % turns
                    } else {
                        0
                    }
            } else {
                0
            };
            out = out + Minutes(block + turn);
            at = to;
        }
        let last_in = specs.last().map(|l| l.out + l.block).unwrap();
        assert_eq!(last_in - report, fdp);
        self.duty(report, last_in + Minutes(30), &specs)
    }

    /// A pairing of these duties from JFK, rostered to C1.
    pub fn pairing(&mut self, duties: Vec<Duty>) -> PairingId {
        let id = PairingId(self.next_pairing);
        self.next_pairing += 1;
        self.parts.pairings.push(Pairing {
            id,
            airline: CarrierCode::new("B6"),
            base: code("JFK"),
            duties,
        });
        self.parts.rosters.push(RosterAssignment {
            crew: CrewId::new("C1"),
            pairing: id,
        });
        id
    }

    pub fn build(self) -> Schedule {
        Schedule::new(self.parts).unwrap()
    }
}

pub fn c1() -> CrewId {
    CrewId::new("C1")
}
