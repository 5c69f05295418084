//! Pairing construction: every leg, in order of departure, goes to the crew best placed to fly it legally,
//! and each crew away from its base always holds a way home.
//!
//! The builder keeps the open crews (pairings in progress) in pools by airline and airport. For a leg it
//! prefers, in this order: the crew on duty that brought the aircraft in (no aircraft change); another crew
//! on duty at the airport, those going home first; a crew rested after a layover there, those going home
//! first; a new pairing if the airport is a crew base; a new pairing that deadheads in from a base, in the
//! same duty or the evening before. Within a class the crew that has waited least on duty (or longest at a
//! layover) wins, then the older pairing.
//!
//! A crew takes a leg to an airport other than its base only if it can still get home from there: on a leg
//! of its airline within the same duty, or after a layover rest, within the pairing limits. That leg is
//! its *home leg*; if nothing better comes before it departs, the crew rides it home as a deadhead. A crew on
//! duty at its base flies out again only if it can fly back within the same duty: layover trips start fresh.
//! A crew at its base whose sit time runs out is released and its pairing ends.

use std::collections::HashMap;

use ucodts_model::practice::{
    MIN_CONNECTION_AIRCRAFT_CHANGE, RELEASE_AFTER_ARRIVAL, REPORT_BEFORE_DEPARTURE,
};
use ucodts_model::rules::easa::AcclimatisationState;
use ucodts_model::{Minutes, SegmentKind, UtcMinute};

use super::rule_sets::{DutyReading, PlanningRules};
use super::{CrewConfig, LegFacts, Network, UncoveredReason};

/// How many legs of a route the deadhead and way-home searches look at before giving up: bounds the work per
/// leg whatever the schedule's size.
const ROUTE_SEARCH_LIMIT: usize = 32;

/// One duty as built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct DutyDraft {
    pub report: UtcMinute,
    /// Leg indices into `Schedule::legs()`, in order.
    pub segments: Vec<(u32, SegmentKind)>,
    pub operating: usize,
    /// Scheduled block time of the operating legs.
    pub flight: Minutes,
    pub last_arrival: UtcMinute,
    /// Whether a leg of the duty departs outside the crew's theater (see
    /// `PlanningRules::outside_theater`).
    pub unacclimated: bool,
    /// The airport of the duty's first leg.
    pub departure: u16,
    /// The reference time its report is read in by rule sets that follow one (EASA).
    pub reference: Reference,
    /// The road transfer to the base after the last arrival, when the pairing ends at a co-terminal of it
    /// (`practice::CO_TERMINAL_TRANSFERS`): duty, not rest.
    pub transfer_home: Minutes,
}

/// The reference time of EASA ORO.FTL.105(1) as the checker follows it through a pairing: the zone of
/// `airport`, reported at since `since`; `known` is false in an unknown state of acclimatisation.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(super) struct Reference {
    pub airport: u16,
    pub since: UtcMinute,
    pub known: bool,
}

impl DutyDraft {
    fn new(report: UtcMinute, departure: u16, reference: Reference) -> DutyDraft {
        DutyDraft {
            report,
            segments: Vec::new(),
            operating: 0,
            flight: Minutes(0),
            last_arrival: report,
            unacclimated: false,
            departure,
            reference,
            transfer_home: Minutes(0),
        }
    }

    fn add(&mut self, leg: u32, facts: &LegFacts, kind: SegmentKind, outside_theater: bool) {
        self.unacclimated |= outside_theater;
        self.segments.push((leg, kind));
        if kind == SegmentKind::Operating {
            self.operating += 1;
            self.flight = self.flight + facts.block();
        }
        self.last_arrival = facts.arrival;
    }

    /// From report to the last arrival (see the module doc of `crewgen` for why deadheads count).
    pub fn flight_duty(&self) -> Minutes {
        self.last_arrival - self.report
    }

    pub fn release(&self) -> UtcMinute {
        self.last_arrival + RELEASE_AFTER_ARRIVAL + self.transfer_home
    }
}

/// One pairing as built, before it gets an id and crew.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct PairingDraft {
    pub airline: u16,
    pub base: u16,
    /// The type-rating family of every leg it operates.
    pub family: Option<u32>,
    /// Cabin crew its largest aircraft needs.
    pub cabin: u16,
    pub duties: Vec<DutyDraft>,
}

impl PairingDraft {
    pub fn report(&self) -> UtcMinute {
        self.duties[0].report
    }
}

/// The pairings, by report time, and the legs no crew could fly.
pub(super) struct Built {
    pub pairings: Vec<PairingDraft>,
    pub uncovered: Vec<(u32, UncoveredReason)>,
}

pub(super) fn build(network: &Network<'_>, rules: &PlanningRules, config: &CrewConfig) -> Built {
    let mut builder = Builder {
        net: network,
        rules,
        max_sit: config.max_sit,
        max_span: config.pairing_span(),
        buffer: config.duty_buffer,
        other_airlines: config.deadhead_on_other_airlines,
        crews: Vec::new(),
        pools: vec![Vec::new(); network.airlines.len() * network.airport_codes.len()],
        riders: HashMap::new(),
        finished: Vec::new(),
        uncovered: Vec::new(),
    };
    for &l in &network.order {
        builder.cover(l);
        builder.take_home(l);
    }
    builder.close_all();
    let mut pairings = builder.finished;
    pairings.sort_by_key(|p| {
        (
            p.report(),
            p.airline,
            network.airport_codes[p.base as usize],
            network.schedule.legs()[p.duties[0].segments[0].0 as usize].id,
        )
    });
    Built {
        pairings,
        uncovered: builder.uncovered,
    }
}

/// The leg that takes a crew home if nothing better comes first.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
struct HomeLeg {
    leg: u32,
    /// Ridden after a rest (a new duty) rather than at the end of the current duty.
    after_rest: bool,
}

/// Where a crew stands after its last leg: what the legality checks of its next leg need.
#[derive(Copy, Clone, Debug)]
struct Position {
    airline: u16,
    base: u16,
    family: Option<u32>,
    at: u16,
    last_arrival: UtcMinute,
    last_tail: Option<u32>,
    duty_report: UtcMinute,
    operating: usize,
    flight: Minutes,
    unacclimated: bool,
    departure: u16,
    reference: Reference,
    /// Flight duty of the pairing's finished duties, and how many they are.
    duty_before: Minutes,
    duties_before: u32,
    pairing_report: UtcMinute,
}

/// A pairing in progress.
struct Crew {
    pairing: PairingDraft,
    at: u16,
    last_tail: Option<u32>,
    duty_before: Minutes,
    home: Option<HomeLeg>,
    open: bool,
}

impl Crew {
    fn duty(&self) -> &DutyDraft {
        self.pairing
            .duties
            .last()
            .expect("an open pairing holds at least its first duty")
    }

    fn position(&self) -> Position {
        let d = self.duty();
        Position {
            airline: self.pairing.airline,
            base: self.pairing.base,
            family: self.pairing.family,
            at: self.at,
            last_arrival: d.last_arrival,
            last_tail: self.last_tail,
            duty_report: d.report,
            operating: d.operating,
            flight: d.flight,
            unacclimated: d.unacclimated,
            departure: d.departure,
            reference: d.reference,
            duty_before: self.duty_before,
            duties_before: self.pairing.duties.len() as u32 - 1,
            pairing_report: self.pairing.report(),
        }
    }
}

/// Candidates for a leg, best first: the derived order compares `class`, then `wait`, then `tiebreak`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Preference {
    class: u8,
    wait: i64,
    tiebreak: u64,
}

enum Choice {
    /// An open crew flies the leg, in its current duty or after a rest.
    Crew {
        crew: u32,
        same_duty: bool,
        home: Option<HomeLeg>,
    },
    /// A new pairing from `base`, deadheading in on `deadhead` first where the origin is not the base.
    NewPairing {
        base: u16,
        deadhead: Option<(u32, bool)>,
        home: Option<HomeLeg>,
    },
}

struct Builder<'n, 's> {
    net: &'n Network<'s>,
    rules: &'n PlanningRules,
    max_sit: Minutes,
    max_span: Minutes,
    /// How far below the flight duty limit a duty of several legs is planned.
    buffer: Minutes,
    other_airlines: bool,
    crews: Vec<Crew>,
    /// Per (airline, airport): the open crews there.
    pools: Vec<Vec<u32>>,
    /// Per leg: the crews holding it as their home leg.
    riders: HashMap<u32, Vec<u32>>,
    finished: Vec<PairingDraft>,
    uncovered: Vec<(u32, UncoveredReason)>,
}

impl Builder<'_, '_> {
    fn facts(&self, leg: u32) -> &LegFacts {
        &self.net.legs[leg as usize]
    }

    fn pool(&self, airline: u16, airport: u16) -> usize {
        airline as usize * self.net.airport_codes.len() + airport as usize
    }

    fn deadhead_route(&self, airline: u16, origin: u16, destination: u16) -> &[u32] {
        if self.other_airlines {
            self.net.any_route(origin, destination)
        } else {
            self.net.route(airline, origin, destination)
        }
    }

    fn outside_theater(&self, base: u16, airport: u16) -> bool {
        let longitude = &self.net.longitudes;
        self.rules
            .outside_theater(longitude[base as usize], longitude[airport as usize])
    }

    /// The reference time of a duty departing `departure` at `report`, after the duty whose reference was
    /// `previous` (none: the first duty of a pairing, whose reference is the base's time).
    fn reference(
        &self,
        base: u16,
        previous: Option<Reference>,
        departure: u16,
        report: UtcMinute,
    ) -> Reference {
        reference(self.net, self.rules, base, previous, departure, report)
    }

    /// Whether a duty read as `reading` stays within every rule set's limits on its own and keeps the
    /// pairing within the cumulative limits.
    #[allow(clippy::too_many_arguments)]
    fn legal(
        &self,
        reading: &DutyReading,
        segments: usize,
        flight: Minutes,
        flight_duty: Minutes,
        duty_before: Minutes,
        duties_before: u32,
    ) -> bool {
        let duties = i64::from(duties_before) + 1;
        let limit = self.rules.max_fdp(reading, segments);
        // A duty of several legs keeps the planning buffer below the limit against their accumulated
        // delays; a single leg may use the whole limit (its own delay is what 117.19 is for).
        flight_duty <= limit
            && (segments <= 1 || flight_duty + self.buffer <= limit)
            && flight <= self.rules.max_flight_time(reading)
            && duty_before + flight_duty <= self.rules.pairing_flight_duty_cap
            && duty_before + flight_duty + Minutes(RELEASE_AFTER_ARRIVAL.0 * duties)
                <= self.rules.pairing_duty_cap
    }

    /// The least rest before a duty departing `departure`, after the crew at `p` is released.
    fn rest_after(&self, p: &Position, departure: u16) -> Minutes {
        let preceding = p.last_arrival + RELEASE_AFTER_ARRIVAL - p.duty_report;
        self.rules.min_rest(preceding, departure == p.base)
    }

    /// The crew at `p` flies (or rides, if `kind` is a deadhead) `leg` in the same duty, if that is legal.
    fn same_duty(&self, p: &Position, leg: u32, kind: SegmentKind) -> Option<Position> {
        let f = self.facts(leg);
        let operating = kind == SegmentKind::Operating;
        if f.origin != p.at || (operating && f.family != p.family) {
            return None;
        }
        let same_tail = f.tail.is_some() && f.tail == p.last_tail;
        let connection = if same_tail {
            Minutes(0)
        } else {
            MIN_CONNECTION_AIRCRAFT_CHANGE
        };
        let wait = f.out - p.last_arrival;
        if wait < connection || wait > self.max_sit {
            return None;
        }
        let (segments, flight) = if operating {
            (p.operating + 1, p.flight + f.block())
        } else {
            (p.operating, p.flight)
        };
        let flight_duty = f.arrival - p.duty_report;
        let unacclimated = p.unacclimated || self.outside_theater(p.base, f.origin);
        let reading = reading(
            self.net,
            p.base,
            p.duty_report,
            p.departure,
            p.reference,
            unacclimated,
        );
        let legal = self.legal(
            &reading,
            segments,
            flight,
            flight_duty,
            p.duty_before,
            p.duties_before,
        ) && f.arrival + RELEASE_AFTER_ARRIVAL - p.pairing_report <= self.max_span;
        legal.then_some(Position {
            at: f.destination,
            last_arrival: f.arrival,
            last_tail: f.tail,
            operating: segments,
            flight,
            unacclimated,
            ..*p
        })
    }

    /// The crew at `p` rests, then flies (or rides) `leg` as the first leg of a new duty, if that is legal.
    fn after_rest(&self, p: &Position, leg: u32, kind: SegmentKind) -> Option<Position> {
        let f = self.facts(leg);
        let operating = kind == SegmentKind::Operating;
        if f.origin != p.at || (operating && f.family != p.family) {
            return None;
        }
        let report = f.out - REPORT_BEFORE_DEPARTURE;
        if report - (p.last_arrival + RELEASE_AFTER_ARRIVAL) < self.rest_after(p, f.origin) {
            return None;
        }
        let duty_before = p.duty_before + (p.last_arrival - p.duty_report);
        let duties_before = p.duties_before + 1;
        let (segments, flight) = if operating {
            (1, f.block())
        } else {
            (0, Minutes(0))
        };
        let flight_duty = f.arrival - report;
        let unacclimated = self.outside_theater(p.base, f.origin);
        let reference = self.reference(p.base, Some(p.reference), f.origin, report);
        let reading = reading(self.net, p.base, report, f.origin, reference, unacclimated);
        let legal = self.legal(
            &reading,
            segments,
            flight,
            flight_duty,
            duty_before,
            duties_before,
        ) && f.arrival + RELEASE_AFTER_ARRIVAL - p.pairing_report <= self.max_span;
        legal.then_some(Position {
            at: f.destination,
            last_arrival: f.arrival,
            last_tail: f.tail,
            duty_report: report,
            operating: segments,
            flight,
            unacclimated,
            departure: f.origin,
            reference,
            duty_before,
            duties_before,
            ..*p
        })
    }

    /// A new pairing from `base` whose duty departing `departure` reports at `report` and ends with `leg`
    /// operated. `before` is the duty before it, if any: a deadhead from the base reported at
    /// `pairing_report`, lasting that much flight duty.
    fn start(
        &self,
        base: u16,
        report: UtcMinute,
        departure: u16,
        before: Option<Minutes>,
        pairing_report: UtcMinute,
        leg: u32,
    ) -> Option<Position> {
        let f = self.facts(leg);
        let flight_duty = f.arrival - report;
        let unacclimated = self.outside_theater(base, f.origin);
        let previous = before.map(|_| self.reference(base, None, base, pairing_report));
        let reference = self.reference(base, previous, departure, report);
        let reading = reading(self.net, base, report, departure, reference, unacclimated);
        let (duty_before, duties_before) = before.map_or((Minutes(0), 0), |d| (d, 1));
        let legal = self.legal(
            &reading,
            1,
            f.block(),
            flight_duty,
            duty_before,
            duties_before,
        ) && f.arrival + RELEASE_AFTER_ARRIVAL - pairing_report <= self.max_span;
        legal.then_some(Position {
            airline: f.airline,
            base,
            family: f.family,
            at: f.destination,
            last_arrival: f.arrival,
            last_tail: f.tail,
            duty_report: report,
            operating: 1,
            flight: f.block(),
            unacclimated,
            departure,
            reference,
            duty_before,
            duties_before,
            pairing_report,
        })
    }

    /// The first leg of the airline that takes the crew at `p` home: riding it in the same duty if one
    /// departs within the sit time, else after a rest (if `layover` allows one).
    fn way_home(&self, p: &Position, layover: bool) -> Option<HomeLeg> {
        // The base or a co-terminal of it, whichever gets the crew home first (its road transfer included).
        self.net
            .homes(p.base)
            .filter_map(|home| {
                let leg = self.way_to(p, layover, home)?;
                let f = self.facts(leg.leg);
                Some((f.arrival + self.net.home_transfer(p.base, home)?, home, leg))
            })
            .min_by_key(|&(arrival, home, _)| (arrival, home != p.base))
            .map(|(_, _, leg)| leg)
    }

    /// [`Self::way_home`] to one airport `home`.
    fn way_to(&self, p: &Position, layover: bool, home: u16) -> Option<HomeLeg> {
        let route = self.deadhead_route(p.airline, p.at, home);
        let first = route.partition_point(|&g| self.facts(g).out < p.last_arrival);
        for &g in route[first..].iter().take(ROUTE_SEARCH_LIMIT) {
            if self.facts(g).out - p.last_arrival > self.max_sit {
                break;
            }
            if self.same_duty(p, g, SegmentKind::Deadhead).is_some() {
                return Some(HomeLeg {
                    leg: g,
                    after_rest: false,
                });
            }
        }
        if !layover {
            return None;
        }
        let rested = p.last_arrival
            + RELEASE_AFTER_ARRIVAL
            + self.rest_after(p, p.at)
            + REPORT_BEFORE_DEPARTURE;
        let first = route.partition_point(|&g| self.facts(g).out < rested);
        for &g in route[first..].iter().take(ROUTE_SEARCH_LIMIT) {
            if self.facts(g).arrival + RELEASE_AFTER_ARRIVAL - p.pairing_report > self.max_span {
                break;
            }
            if self.after_rest(p, g, SegmentKind::Deadhead).is_some() {
                return Some(HomeLeg {
                    leg: g,
                    after_rest: true,
                });
            }
        }
        None
    }

    /// At its base, a crew on duty flies out only if it can fly back (operate, not ride) within the duty.
    fn way_back_operating(&self, p: &Position) -> Option<HomeLeg> {
        self.net
            .homes(p.base)
            .filter_map(|home| {
                let route = self.net.route(p.airline, p.at, home);
                let first = route.partition_point(|&g| self.facts(g).out < p.last_arrival);
                route[first..]
                    .iter()
                    .take(ROUTE_SEARCH_LIMIT)
                    .take_while(|&&g| self.facts(g).out - p.last_arrival <= self.max_sit)
                    .find(|&&g| self.same_duty(p, g, SegmentKind::Operating).is_some())
                    .map(|&g| (self.facts(g).arrival, home != p.base, g))
            })
            .min()
            .map(|(_, _, g)| HomeLeg {
                leg: g,
                after_rest: false,
            })
    }

    /// Gives `leg` to the best crew, or records why none can fly it.
    fn cover(&mut self, leg: u32) {
        let f = *self.facts(leg);
        let mut best: Option<(Preference, Choice)> = None;
        let mut saw_no_way_home = false;
        let offer = |best: &mut Option<(Preference, Choice)>, rank: Preference, choice: Choice| {
            if best.as_ref().map_or(true, |(r, _)| rank < *r) {
                *best = Some((rank, choice));
            }
        };

        let pool_index = self.pool(f.airline, f.origin);
        let pool = std::mem::take(&mut self.pools[pool_index]);
        let mut kept = Vec::with_capacity(pool.len());
        for c in pool {
            let crew = &self.crews[c as usize];
            if !crew.open {
                continue;
            }
            let p = crew.position();
            if self.net.is_home(p.base, p.at) && f.out - p.last_arrival > self.max_sit {
                // Home, and nothing to fly within the sit time: released.
                self.finish(c);
                continue;
            }
            kept.push(c);
            let going_home = self.net.is_home(p.base, f.destination);
            if let Some(next) = self.same_duty(&p, leg, SegmentKind::Operating) {
                let home = if going_home {
                    Ok(None)
                } else if self.net.is_home(p.base, p.at) {
                    self.way_back_operating(&next).map(Some).ok_or(())
                } else {
                    self.way_home(&next, true).map(Some).ok_or(())
                };
                match home {
                    Ok(home) => {
                        let class = if f.tail.is_some() && f.tail == p.last_tail {
                            0
                        } else if going_home {
                            1
                        } else {
                            2
                        };
                        let rank = Preference {
                            class,
                            wait: (f.out - p.last_arrival).0,
                            tiebreak: u64::from(c),
                        };
                        offer(
                            &mut best,
                            rank,
                            Choice::Crew {
                                crew: c,
                                same_duty: true,
                                home,
                            },
                        );
                    }
                    Err(()) => saw_no_way_home = true,
                }
            } else if !self.net.is_home(p.base, p.at) {
                if let Some(next) = self.after_rest(&p, leg, SegmentKind::Operating) {
                    let home = if going_home {
                        Some(None)
                    } else {
                        self.way_home(&next, true).map(Some)
                    };
                    match home {
                        Some(home) => {
                            let rank = Preference {
                                class: if going_home { 3 } else { 4 },
                                wait: -(f.out - p.last_arrival).0,
                                tiebreak: u64::from(c),
                            };
                            offer(
                                &mut best,
                                rank,
                                Choice::Crew {
                                    crew: c,
                                    same_duty: false,
                                    home,
                                },
                            );
                        }
                        None => saw_no_way_home = true,
                    }
                }
            }
        }
        self.pools[pool_index] = kept;

        if best.is_none() && self.net.is_base(f.airline, f.origin) {
            let report = f.out - REPORT_BEFORE_DEPARTURE;
            if let Some(next) = self.start(f.origin, report, f.origin, None, report, leg) {
                match self.way_home(&next, true) {
                    Some(home) => {
                        let rank = Preference {
                            class: 5,
                            wait: 0,
                            tiebreak: 0,
                        };
                        let choice = Choice::NewPairing {
                            base: f.origin,
                            deadhead: None,
                            home: Some(home),
                        };
                        offer(&mut best, rank, choice);
                    }
                    None => saw_no_way_home = true,
                }
            }
        }
        if best.is_none() {
            let (choice, no_way_home) = self.deadhead_in(leg);
            saw_no_way_home |= no_way_home;
            if let Some((rank, choice)) = choice {
                offer(&mut best, rank, choice);
            }
        }

        match best {
            Some((_, choice)) => self.apply(leg, choice),
            None => {
                let reason = if !self.legal_alone(leg) {
                    UncoveredReason::ExceedsUnaugmentedLimits
                } else if saw_no_way_home {
                    UncoveredReason::NoLegalWayHome
                } else {
                    UncoveredReason::NoCrewAtOrigin
                };
                self.uncovered.push((leg, reason));
            }
        }
    }

    /// Whether some base of the airline could fly `leg` as a duty of its own.
    fn legal_alone(&self, leg: u32) -> bool {
        let f = self.facts(leg);
        let report = f.out - REPORT_BEFORE_DEPARTURE;
        self.net.bases[f.airline as usize].iter().any(|&b| {
            let unacclimated = self.outside_theater(b, f.origin);
            let reference = self.reference(b, None, f.origin, report);
            let reading = reading(self.net, b, report, f.origin, reference, unacclimated);
            f.arrival - report <= self.rules.max_fdp(&reading, 1)
                && f.block() <= self.rules.max_flight_time(&reading)
        })
    }

    /// A new pairing that deadheads from one of the airline's bases to the origin of `leg`, then flies it:
    /// in the same duty if a deadhead arrives within the sit time before, else after a rest. The latest
    /// such deadhead of the base that gives the shortest pairing wins. Also says whether a candidate failed
    /// only for want of a way home.
    fn deadhead_in(&self, leg: u32) -> (Option<(Preference, Choice)>, bool) {
        let f = *self.facts(leg);
        let mut best: Option<(Preference, Choice)> = None;
        let mut saw_no_way_home = false;
        let consider =
            |best: &mut Option<(Preference, Choice)>, rank: Preference, choice: Choice| {
                if best.as_ref().map_or(true, |(r, _)| rank < *r) {
                    *best = Some((rank, choice));
                }
            };
        for (bi, &base) in self.net.bases[f.airline as usize].iter().enumerate() {
            if base == f.origin {
                continue;
            }
            let route = self.deadhead_route(f.airline, base, f.origin);
            let before = route.partition_point(|&g| self.facts(g).out < f.out);
            let mut found_same_duty = false;
            for &g in route[..before].iter().rev().take(ROUTE_SEARCH_LIMIT) {
                let d = self.facts(g);
                if f.out - d.out > self.max_sit + Minutes::hours(24) {
                    break;
                }
                let connection = if d.tail.is_some() && d.tail == f.tail {
                    Minutes(0)
                } else {
                    MIN_CONNECTION_AIRCRAFT_CHANGE
                };
                let wait = f.out - d.arrival;
                if wait < connection || wait > self.max_sit {
                    continue;
                }
                let report = d.out - REPORT_BEFORE_DEPARTURE;
                let Some(next) = self.start(base, report, base, None, report, leg) else {
                    continue;
                };
                let home = if self.net.is_home(base, f.destination) {
                    Some(None)
                } else {
                    self.way_home(&next, true).map(Some)
                };
                let Some(home) = home else {
                    saw_no_way_home = true;
                    continue;
                };
                let rank = Preference {
                    class: 6,
                    wait: (f.arrival - report).0,
                    tiebreak: bi as u64,
                };
                let choice = Choice::NewPairing {
                    base,
                    deadhead: Some((g, true)),
                    home,
                };
                consider(&mut best, rank, choice);
                found_same_duty = true;
                break;
            }
            if found_same_duty {
                continue;
            }
            let latest_out =
                f.out - REPORT_BEFORE_DEPARTURE - self.rules.least_rest() - RELEASE_AFTER_ARRIVAL;
            let before = route.partition_point(|&g| self.facts(g).out < latest_out);
            for &g in route[..before].iter().rev().take(ROUTE_SEARCH_LIMIT) {
                let d = self.facts(g);
                let deadhead_report = d.out - REPORT_BEFORE_DEPARTURE;
                if f.arrival + RELEASE_AFTER_ARRIVAL - deadhead_report > self.max_span {
                    break;
                }
                let report = f.out - REPORT_BEFORE_DEPARTURE;
                let deadhead_duty = d.arrival - deadhead_report;
                let rest = self
                    .rules
                    .min_rest(deadhead_duty + RELEASE_AFTER_ARRIVAL, f.origin == base);
                if report - (d.arrival + RELEASE_AFTER_ARRIVAL) < rest {
                    continue;
                }
                let reference = self.reference(base, None, base, deadhead_report);
                let unacclimated = self.outside_theater(base, d.origin);
                let deadhead_reading = reading(
                    self.net,
                    base,
                    deadhead_report,
                    base,
                    reference,
                    unacclimated,
                );
                if !self.legal(
                    &deadhead_reading,
                    0,
                    Minutes(0),
                    deadhead_duty,
                    Minutes(0),
                    0,
                ) {
                    continue;
                }
                let Some(next) = self.start(
                    base,
                    report,
                    f.origin,
                    Some(deadhead_duty),
                    deadhead_report,
                    leg,
                ) else {
                    continue;
                };
                let home = if self.net.is_home(base, f.destination) {
                    Some(None)
                } else {
                    self.way_home(&next, true).map(Some)
                };
                let Some(home) = home else {
                    saw_no_way_home = true;
                    continue;
                };
                let rank = Preference {
                    class: 7,
                    wait: (f.arrival - deadhead_report).0,
                    tiebreak: bi as u64,
                };
                let choice = Choice::NewPairing {
                    base,
                    deadhead: Some((g, false)),
                    home,
                };
                consider(&mut best, rank, choice);
                break;
            }
        }
        (best, saw_no_way_home)
    }

    fn apply(&mut self, leg: u32, choice: Choice) {
        let f = *self.facts(leg);
        match choice {
            Choice::Crew {
                crew,
                same_duty,
                home,
            } => {
                let from = self.pool(f.airline, f.origin);
                self.pools[from].retain(|&c| c != crew);
                let outside =
                    self.outside_theater(self.crews[crew as usize].pairing.base, f.origin);
                let next = (!same_duty).then(|| self.next_duty(crew, &f));
                let c = &mut self.crews[crew as usize];
                if let Some(next) = next {
                    let finished = c.duty().flight_duty();
                    c.duty_before = c.duty_before + finished;
                    c.pairing.duties.push(next);
                }
                let duty = c
                    .pairing
                    .duties
                    .last_mut()
                    .expect("an open pairing holds a duty");
                duty.add(leg, &f, SegmentKind::Operating, outside);
                c.pairing.cabin = c.pairing.cabin.max(f.cabin);
                c.at = f.destination;
                c.last_tail = f.tail;
                c.home = home;
                self.arrive(crew);
            }
            Choice::NewPairing {
                base,
                deadhead,
                home,
            } => {
                let mut duties = Vec::new();
                let mut duty_before = Minutes(0);
                let mut duty = match deadhead {
                    Some((g, same_duty)) => {
                        let d = *self.facts(g);
                        let report = d.out - REPORT_BEFORE_DEPARTURE;
                        let reference = self.reference(base, None, base, report);
                        let mut first = DutyDraft::new(report, base, reference);
                        first.add(
                            g,
                            &d,
                            SegmentKind::Deadhead,
                            self.outside_theater(base, d.origin),
                        );
                        if same_duty {
                            first
                        } else {
                            duty_before = first.flight_duty();
                            let report = f.out - REPORT_BEFORE_DEPARTURE;
                            let reference =
                                self.reference(base, Some(first.reference), f.origin, report);
                            duties.push(first);
                            DutyDraft::new(report, f.origin, reference)
                        }
                    }
                    None => {
                        let report = f.out - REPORT_BEFORE_DEPARTURE;
                        let reference = self.reference(base, None, f.origin, report);
                        DutyDraft::new(report, f.origin, reference)
                    }
                };
                duty.add(
                    leg,
                    &f,
                    SegmentKind::Operating,
                    self.outside_theater(base, f.origin),
                );
                duties.push(duty);
                let crew = self.crews.len() as u32;
                self.crews.push(Crew {
                    pairing: PairingDraft {
                        airline: f.airline,
                        base,
                        family: f.family,
                        cabin: f.cabin,
                        duties,
                    },
                    at: f.destination,
                    last_tail: f.tail,
                    duty_before,
                    home,
                    open: true,
                });
                self.arrive(crew);
            }
        }
    }

    /// The next duty of an open crew, starting with leg `f` after a rest.
    fn next_duty(&self, crew: u32, f: &LegFacts) -> DutyDraft {
        let c = &self.crews[crew as usize];
        let report = f.out - REPORT_BEFORE_DEPARTURE;
        let reference = self.reference(c.pairing.base, Some(c.duty().reference), f.origin, report);
        DutyDraft::new(report, f.origin, reference)
    }

    /// Puts a crew that has just flown a leg into the pool where it landed, and lists it on its home leg.
    fn arrive(&mut self, crew: u32) {
        let c = &self.crews[crew as usize];
        let (to, home) = (self.pool(c.pairing.airline, c.at), c.home);
        self.pools[to].push(crew);
        if let Some(h) = home {
            self.riders.entry(h.leg).or_default().push(crew);
        }
    }

    /// After `leg` has its crew: the crews still holding it as their home leg ride it home.
    fn take_home(&mut self, leg: u32) {
        let Some(riders) = self.riders.remove(&leg) else {
            return;
        };
        let f = *self.facts(leg);
        for crew in riders {
            let c = &self.crews[crew as usize];
            let Some(home) = c
                .home
                .filter(|h| h.leg == leg && c.open && c.at == f.origin)
            else {
                continue;
            };
            let (airline, base) = (c.pairing.airline, c.pairing.base);
            let from = self.pool(airline, f.origin);
            self.pools[from].retain(|&x| x != crew);
            let outside = self.outside_theater(base, f.origin);
            let next = home.after_rest.then(|| self.next_duty(crew, &f));
            let c = &mut self.crews[crew as usize];
            if let Some(next) = next {
                let finished = c.duty().flight_duty();
                c.duty_before = c.duty_before + finished;
                c.pairing.duties.push(next);
            }
            c.pairing
                .duties
                .last_mut()
                .expect("an open pairing holds a duty")
                .add(leg, &f, SegmentKind::Deadhead, outside);
            c.at = f.destination;
            c.last_tail = f.tail;
            c.home = None;
            debug_assert!(
                self.net.is_home(c.pairing.base, c.at),
                "a home leg ends at the base or a co-terminal of it"
            );
            self.finish(crew);
        }
    }

    /// Ends a pairing. The caller takes the crew out of its pool.
    fn finish(&mut self, crew: u32) {
        let transfer = self
            .net
            .home_transfer(
                self.crews[crew as usize].pairing.base,
                self.crews[crew as usize].at,
            )
            .expect("a pairing finishes only at its base or a co-terminal of it");
        let c = &mut self.crews[crew as usize];
        c.open = false;
        if let Some(last) = c.pairing.duties.last_mut() {
            last.transfer_home = transfer;
        }
        let pairing = std::mem::replace(
            &mut c.pairing,
            PairingDraft {
                airline: 0,
                base: 0,
                family: None,
                cabin: 0,
                duties: Vec::new(),
            },
        );
        self.finished.push(pairing);
    }

    /// Ends every pairing still open once all legs are given out. Every open crew is at its base: any other
    /// crew would still have a home leg to ride.
    fn close_all(&mut self) {
        for crew in 0..self.crews.len() as u32 {
            let c = &self.crews[crew as usize];
            if !c.open {
                continue;
            }
            if self.net.is_home(c.pairing.base, c.at) {
                self.finish(crew);
            } else {
                if cfg!(debug_assertions) {
                    panic!("an open crew away from base has no home leg left");
                }
                let legs: Vec<u32> = c
                    .pairing
                    .duties
                    .iter()
                    .flat_map(|d| d.segments.iter())
                    .filter(|(_, k)| *k == SegmentKind::Operating)
                    .map(|(l, _)| *l)
                    .collect();
                self.crews[crew as usize].open = false;
                self.uncovered.extend(
                    legs.into_iter()
                        .map(|l| (l, UncoveredReason::NoLegalWayHome)),
                );
            }
        }
        self.pools.iter_mut().for_each(Vec::clear);
    }
}

/// The reference time of a duty departing `departure` at `report`, after the duty whose reference was
/// `previous` (none: the first duty of a pairing, whose reference is the base's time from its report), as
/// `ucodts_model::legality` follows it: EASA ORO.FTL.105(1) Table 1 through the rule engine.
pub(super) fn reference(
    net: &Network<'_>,
    rules: &PlanningRules,
    base: u16,
    previous: Option<Reference>,
    departure: u16,
    report: UtcMinute,
) -> Reference {
    let previous = previous.unwrap_or(Reference {
        airport: base,
        since: report,
        known: true,
    });
    if !rules.follows_reference_time() {
        return previous;
    }
    let difference =
        net.clock.offset(departure, report) - net.clock.offset(previous.airport, report);
    match rules.reference_state(difference, report - previous.since) {
        AcclimatisationState::ReferenceTime => Reference {
            known: true,
            ..previous
        },
        AcclimatisationState::Departure => Reference {
            airport: departure,
            since: report,
            known: true,
        },
        AcclimatisationState::Unknown => Reference {
            known: false,
            ..previous
        },
    }
}

/// How the rule sets read a duty of a crew based at `base`, reported at `report` at `departure`.
pub(super) fn reading(
    net: &Network<'_>,
    base: u16,
    report: UtcMinute,
    departure: u16,
    reference: Reference,
    unacclimated: bool,
) -> DutyReading {
    DutyReading {
        base_minute: net.clock.minute_of_day(base, report),
        reference_minute: net.clock.minute_of_day(reference.airport, report),
        departure_minute: net.clock.minute_of_day(departure, report),
        in_theater: !unacclimated,
        reference_known: reference.known,
    }
}

/// The strictest FDP limit of the rule sets for a duty of a pairing based at `base`.
pub(super) fn duty_limit(
    net: &Network<'_>,
    rules: &PlanningRules,
    base: u16,
    d: &DutyDraft,
) -> Minutes {
    let r = reading(
        net,
        base,
        d.report,
        d.departure,
        d.reference,
        d.unacclimated,
    );
    rules.max_fdp(&r, d.operating)
}
