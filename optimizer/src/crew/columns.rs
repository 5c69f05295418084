//! The pool of candidate rosters: per affected crew member and reserve, legal replacements for their
//! affected pairings, each with the open seats it flies and its cost.

use std::collections::{BTreeMap, BTreeSet};

use ucodts_model::legality::Violation;
use ucodts_model::practice::{
    CALL_TO_REPORT, MIN_CONNECTION_AIRCRAFT_CHANGE, RELEASE_AFTER_ARRIVAL, REPORT_BEFORE_DEPARTURE,
};
use ucodts_model::recovery::crew::{judge_roster, CrewRecoveryProblem, CrewVerdict};
use ucodts_model::{
    AirportCode, CrewId, CrewMember, Duty, Leg, LegId, Minutes, Pairing, PairingId, Segment,
    SegmentKind, TailId, UtcMinute,
};

use super::CrewRecoveryOptions;

/// What the search adds to the rule set's least rest away from base (10 h under Part 117 and EASA alike)
/// between two new duties, so that a duty a little longer than planned still leaves enough; the rule engine
/// has the last word.
const SEARCH_REST_MARGIN: Minutes = Minutes(60);
/// How far past a duty's release the search looks for the next duty's first leg.
const SEARCH_NEXT_DUTY_SPAN: Minutes = Minutes(14 * 60);
/// Longest duty the search builds (report to release); the rule engine has the last word.
const SEARCH_MAX_DUTY: Minutes = Minutes(14 * 60);

/// One candidate roster of one crew member (or reserve).
#[derive(Clone, Debug)]
pub struct Column {
    /// Index into [`ColumnPool::crew`].
    pub owner: usize,
    pub pairings: Vec<Pairing>,
    pub stranded: Option<String>,
    /// Indexes into the problem's open positions ([`CrewRecoveryProblem::demand`]) of the seats flown.
    pub covers: Vec<usize>,
    /// The member's share of the plan's cost (all but uncovered seats).
    pub cost: i64,
    /// Where the roster comes from.
    pub kind: ColumnKind,
}

/// Where a candidate roster comes from.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ColumnKind {
    /// What the disruption leaves of the member's roster, nobody acting.
    AsDisrupted,
    /// Found by the search over open seats.
    Search,
    /// Flies nothing more: home if the member is there, else declared stranded.
    Fallback,
    /// A reserve not called.
    NotCalled,
    /// The member's roster in a plan the MILP is warm-started from.
    WarmStart,
}

/// Per demand index, what the search learnt about a seat: how many candidate rosters flew it, how many of
/// them were legal, and the first rule one of them broke.
#[derive(Clone, Debug, Default)]
pub struct SeatCandidates {
    pub tried: usize,
    pub legal: usize,
    pub first_violation: Option<Violation>,
}

/// Every candidate roster of every crew member and reserve of a problem.
#[derive(Clone, Debug)]
pub struct ColumnPool {
    /// Affected crew (by id) then reserves (by id).
    pub crew: Vec<CrewId>,
    pub is_reserve: Vec<bool>,
    pub columns: Vec<Column>,
    /// Per crew member, their columns' indexes.
    pub by_crew: Vec<Vec<usize>>,
    pub seats: Vec<SeatCandidates>,
    /// Whether the deadline stopped the search before every crew member and reserve was searched.
    pub cut_at_deadline: bool,
}

/// Where a crew member stands at `t0`.
struct Start {
    /// The in-progress pairing (its id and its duties reported before `t0`, cut to the past legs; the
    /// last may be open and hold no leg yet), if any.
    in_progress: Option<(PairingId, Vec<Duty>)>,
    at: AirportCode,
    /// Time and aircraft of the last arrival, or when a new duty may report.
    ready: UtcMinute,
    tail: Option<TailId>,
    /// Whether the crew member is on duty at `t0` (the last duty of `in_progress` is open).
    on_duty: bool,
    /// Latest report of a new duty (a reserve's standby end).
    latest_report: UtcMinute,
    /// Latest release of anything new (before the member's next kept pairing, less rest).
    horizon: UtcMinute,
}

/// Builds the pool. Past [`CrewRecoveryOptions::deadline`], crew members and reserves not reached yet get
/// only the rosters that need no search (as disrupted, the fallback; a reserve: not called), and no more
/// searched rosters are judged.
pub fn build_pool(problem: &CrewRecoveryProblem<'_>, options: &CrewRecoveryOptions) -> ColumnPool {
    let mut pool = ColumnPool {
        crew: Vec::new(),
        is_reserve: Vec::new(),
        columns: Vec::new(),
        by_crew: Vec::new(),
        seats: vec![SeatCandidates::default(); problem.demand().len()],
        cut_at_deadline: false,
    };
    let departures = Departures::new(problem);
    for a in problem.affected() {
        pool.crew.push(a.crew.clone());
        pool.is_reserve.push(false);
    }
    for r in problem.reserves() {
        pool.crew.push(r.member.id.clone());
        pool.is_reserve.push(true);
    }
    for owner in 0..pool.crew.len() {
        let crew = pool.crew[owner].clone();
        let new_id = PairingId(problem.next_pairing_id().0 + owner as u32);
        let searching = !options.past_deadline();
        pool.cut_at_deadline |= !searching;
        let mut candidates: Vec<(Vec<Pairing>, Option<String>, ColumnKind)> = Vec::new();
        if pool.is_reserve[owner] {
            candidates.push((Vec::new(), None, ColumnKind::NotCalled));
            let r = problem
                .reserve(&crew)
                .expect("the pool's reserves are the problem's");
            let start = Start {
                in_progress: None,
                at: r.member.base,
                ready: r.available_from,
                tail: None,
                on_duty: false,
                latest_report: r.available_until,
                horizon: r.available_until + Minutes(36 * 60),
            };
            if searching {
                for ps in search(problem, &departures, &r.member, &start, new_id, options) {
                    candidates.push((ps, None, ColumnKind::Search));
                }
            }
        } else {
            let member = problem
                .member(&crew)
                .expect("affected crew are in the schedule");
            let start = start_of(problem, member);
            candidates.push((
                problem.roster_as_disrupted(&crew),
                None,
                ColumnKind::AsDisrupted,
            ));
            let fallback = start.in_progress.as_ref().map(|(id, duties)| {
                let mut duties: Vec<Duty> = duties.clone();
                if start.on_duty {
                    // The open duty ends with its last leg flown.
                    if let Some(d) = duties.last_mut() {
                        let last = d.segments.last().and_then(|s| problem.leg(s.leg));
                        if let Some(l) = last {
                            d.release = l.scheduled_in + RELEASE_AFTER_ARRIVAL;
                        }
                    }
                }
                duties.retain(|d| !d.segments.is_empty());
                pairing(*id, member, duties)
            });
            let fallback: Vec<Pairing> = fallback
                .into_iter()
                .filter(|p| !p.duties.is_empty())
                .collect();
            let stranded =
                (start.at != member.base && problem.sick_from(&crew).is_none()).then(|| {
                    format!(
                        "left at {} after the disruption with no legal way home on {}'s legs found",
                        start.at, member.airline
                    )
                });
            candidates.push((fallback, stranded, ColumnKind::Fallback));
            if searching && problem.sick_from(&crew).is_none() {
                for ps in search(problem, &departures, member, &start, new_id, options) {
                    candidates.push((ps, None, ColumnKind::Search));
                }
            }
        }
        // Search candidates flying the most seats are judged first, until enough are legal.
        let (fixed, mut searched): (Vec<_>, Vec<_>) = candidates
            .into_iter()
            .partition(|c| c.2 != ColumnKind::Search);
        let flying = |ps: &[Pairing]| {
            let ops = ps
                .iter()
                .flat_map(|p| p.legs())
                .filter(|s| s.kind == SegmentKind::Operating && !problem.is_past(s.leg))
                .count();
            let deadheads = ps.iter().flat_map(|p| p.legs()).count() - ops;
            (std::cmp::Reverse(ops), deadheads)
        };
        searched.sort_by_key(|c| flying(&c.0));
        let mut seen: BTreeSet<(Vec<DutyKey>, bool)> = BTreeSet::new();
        let mut chosen: Vec<Column> = Vec::new();
        let mut fallback_column = None;
        let (mut legal_searched, mut judged_searched) = (0, 0);
        for (pairings, stranded, kind) in fixed.into_iter().chain(searched) {
            if kind == ColumnKind::Search {
                if legal_searched >= options.max_columns_per_crew
                    || judged_searched >= 4 * options.max_columns_per_crew
                {
                    break;
                }
                if options.past_deadline() {
                    pool.cut_at_deadline = true;
                    break;
                }
                judged_searched += 1;
            }
            if !seen.insert((duty_keys(&pairings), stranded.is_some())) {
                continue;
            }
            if kind == ColumnKind::NotCalled {
                // Nothing flown, nothing owed: legal and free, no need to ask the rule engine.
                chosen.push(Column {
                    owner,
                    pairings,
                    stranded,
                    covers: Vec::new(),
                    cost: 0,
                    kind,
                });
                continue;
            }
            let column = judge(
                problem,
                &mut pool.seats,
                owner,
                &crew,
                pairings,
                stranded,
                kind,
            );
            match column {
                Ok(c) => {
                    legal_searched += usize::from(kind == ColumnKind::Search);
                    chosen.push(c);
                }
                // The fallback, else the roster as disrupted (they may be the same roster).
                Err(c)
                    if kind == ColumnKind::Fallback
                        || (kind != ColumnKind::Search && fallback_column.is_none()) =>
                {
                    fallback_column = Some(c)
                }
                Err(_) => {}
            }
        }
        // Someone must hold the member's roster: the fallback, even if it is not legal.
        if chosen.is_empty() {
            chosen.extend(fallback_column);
        }
        let mut indexes = Vec::new();
        for c in chosen {
            indexes.push(pool.columns.len());
            pool.columns.push(c);
        }
        pool.by_crew.push(indexes);
    }
    pool
}

type DutyKey = (UtcMinute, UtcMinute, Vec<(LegId, SegmentKind)>);

fn duty_keys(pairings: &[Pairing]) -> Vec<DutyKey> {
    pairings
        .iter()
        .flat_map(|p| p.duties.iter())
        .map(|d| {
            (
                d.report,
                d.release,
                d.segments.iter().map(|s| (s.leg, s.kind)).collect(),
            )
        })
        .collect()
}

/// Judges one candidate: `Ok` if legal, `Err` otherwise, with what the seats learn from it.
fn judge(
    problem: &CrewRecoveryProblem<'_>,
    seats: &mut [SeatCandidates],
    owner: usize,
    crew: &CrewId,
    pairings: Vec<Pairing>,
    stranded: Option<String>,
    kind: ColumnKind,
) -> Result<Column, Column> {
    let verdict = judge_roster(problem, crew, &pairings, stranded.as_deref());
    let covers = covers_of(problem, &verdict);
    for &i in &covers {
        let s = &mut seats[i];
        s.tried += 1;
        if verdict.legal {
            s.legal += 1;
        } else if s.first_violation.is_none() {
            s.first_violation = verdict.violations.first().cloned();
        }
    }
    let column = Column {
        owner,
        pairings,
        stranded,
        covers,
        cost: verdict.cost.total(),
        kind,
    };
    if verdict.legal {
        Ok(column)
    } else {
        Err(column)
    }
}

/// Adds the plan's roster of every crew member of the pool as a column (judged, kept even if not legal)
/// and returns, per crew member, the column the plan takes: so a model over the pool can always
/// reproduce the plan.
pub fn add_plan_columns(
    problem: &CrewRecoveryProblem<'_>,
    pool: &mut ColumnPool,
    plan: &ucodts_model::recovery::crew::CrewRecoveryPlan,
) -> Vec<usize> {
    let mut taken = Vec::with_capacity(pool.crew.len());
    for owner in 0..pool.crew.len() {
        let crew = pool.crew[owner].clone();
        let pairings = plan.rosters.get(&crew).cloned().unwrap_or_default();
        let stranded = plan.stranded.get(&crew).cloned();
        let column = match judge(
            problem,
            &mut pool.seats,
            owner,
            &crew,
            pairings,
            stranded,
            ColumnKind::WarmStart,
        ) {
            Ok(c) | Err(c) => c,
        };
        taken.push(pool.columns.len());
        pool.by_crew[owner].push(pool.columns.len());
        pool.columns.push(column);
    }
    taken
}

fn covers_of(problem: &CrewRecoveryProblem<'_>, verdict: &CrewVerdict) -> Vec<usize> {
    let Some(rank) = problem.member(&verdict.crew).map(|m| m.rank) else {
        return Vec::new();
    };
    verdict
        .operating
        .iter()
        .filter_map(|leg| problem.open_position_index(*leg, rank))
        .collect()
}

fn pairing(id: PairingId, member: &CrewMember, duties: Vec<Duty>) -> Pairing {
    Pairing {
        id,
        airline: member.airline.clone(),
        base: member.base,
        duties,
    }
}

/// Least rest the search leaves between two new duties: the rule set's minimum away from base after a short
/// duty, plus [`SEARCH_REST_MARGIN`].
fn search_rest(problem: &CrewRecoveryProblem<'_>) -> Minutes {
    problem.rules().min_rest_before_fdp(Minutes(0), false).min + SEARCH_REST_MARGIN
}

fn start_of(problem: &CrewRecoveryProblem<'_>, member: &CrewMember) -> Start {
    let t0 = problem.t0();
    let mut start = Start {
        in_progress: None,
        at: member.base,
        ready: t0 + CALL_TO_REPORT,
        tail: None,
        on_duty: false,
        latest_report: problem.window_end(),
        horizon: problem.window_end() + Minutes(36 * 60),
    };
    if let Some(next) = problem
        .kept_pairings(&member.id)
        .iter()
        .filter_map(|p| p.report())
        .find(|&r| r > t0)
    {
        start.horizon = start.horizon.min(next - search_rest(problem));
    }
    for p in problem.replaced_pairings(&member.id) {
        let before: Vec<&Duty> = p.duties.iter().filter(|d| d.report < t0).collect();
        if before.is_empty() {
            continue;
        }
        let mut duties = Vec::new();
        for d in &before {
            duties.push(Duty {
                report: d.report,
                release: d.release,
                segments: d
                    .segments
                    .iter()
                    .filter(|s| problem.is_past(s.leg))
                    .copied()
                    .collect(),
            });
        }
        let last = before.last().expect("checked not empty");
        start.on_duty = last.release > t0;
        if let Some(leg) = duties
            .iter()
            .flat_map(|d| d.segments.iter())
            .last()
            .and_then(|s| problem.leg(s.leg))
        {
            start.at = leg.destination;
            start.ready = leg.scheduled_in;
            start.tail = leg.tail.clone();
        }
        if !start.on_duty {
            start.ready = start
                .ready
                .max(last.release + search_rest(problem))
                .max(t0 + CALL_TO_REPORT);
        } else {
            start.ready = start.ready.max(t0);
        }
        start.in_progress = Some((p.id, duties));
    }
    start
}

/// Per airport, the airline's legs that fly, by disrupted departure.
struct Departures<'p> {
    by_airport: BTreeMap<AirportCode, Vec<&'p Leg>>,
}

impl<'p> Departures<'p> {
    fn new(problem: &'p CrewRecoveryProblem<'_>) -> Departures<'p> {
        let from = problem.t0();
        let to = problem.window_end() + Minutes(48 * 60);
        let mut by_airport: BTreeMap<AirportCode, Vec<&Leg>> = BTreeMap::new();
        for leg in problem.disrupted().legs() {
            if leg.scheduled_out >= from && leg.scheduled_out < to && !problem.is_cancelled(leg.id)
            {
                by_airport.entry(leg.origin).or_default().push(leg);
            }
        }
        for list in by_airport.values_mut() {
            list.sort_by_key(|l| (l.scheduled_out, l.id));
        }
        Departures { by_airport }
    }

    fn from(&self, airport: AirportCode, earliest: UtcMinute, latest: UtcMinute) -> &[&'p Leg] {
        let Some(list) = self.by_airport.get(&airport) else {
            return &[];
        };
        let a = list.partition_point(|l| l.scheduled_out < earliest);
        let b = list.partition_point(|l| l.scheduled_out <= latest);
        &list[a..b.max(a)]
    }
}

struct Search<'a, 'p, 's> {
    problem: &'a CrewRecoveryProblem<'s>,
    departures: &'a Departures<'p>,
    member: &'a CrewMember,
    options: &'a CrewRecoveryOptions,
    /// Airports with an open seat of the member's rank, and the latest departure of one.
    open_at: BTreeMap<AirportCode, UtcMinute>,
    in_progress: Option<(PairingId, Vec<Duty>)>,
    new_id: PairingId,
    latest_report: UtcMinute,
    horizon: UtcMinute,
    nodes: usize,
    found: Vec<Vec<Pairing>>,
    /// Duties closed so far, and the one being built (report, segments).
    duties: Vec<Duty>,
    current: Option<(UtcMinute, Vec<Segment>)>,
    opens: usize,
    /// New duties closed so far.
    built: usize,
}

fn search(
    problem: &CrewRecoveryProblem<'_>,
    departures: &Departures<'_>,
    member: &CrewMember,
    start: &Start,
    new_id: PairingId,
    options: &CrewRecoveryOptions,
) -> Vec<Vec<Pairing>> {
    let mut open_at: BTreeMap<AirportCode, UtcMinute> = BTreeMap::new();
    for d in problem.demand().iter().filter(|d| d.rank == member.rank) {
        if let Some(leg) = problem.leg(d.leg).filter(|l| l.carrier == member.airline) {
            let e = open_at.entry(leg.origin).or_insert(leg.scheduled_out);
            *e = (*e).max(leg.scheduled_out);
        }
    }
    if open_at.is_empty() {
        return Vec::new();
    }
    let mut s = Search {
        problem,
        departures,
        member,
        options,
        open_at,
        in_progress: start.in_progress.clone(),
        new_id,
        latest_report: start.latest_report,
        horizon: start.horizon,
        nodes: 0,
        found: Vec::new(),
        duties: Vec::new(),
        current: None,
        opens: 0,
        built: 0,
    };
    let mut prefix = start
        .in_progress
        .as_ref()
        .map(|(_, d)| d.clone())
        .unwrap_or_default();
    if start.on_duty {
        let open = prefix.pop().expect("on duty means an open duty");
        s.duties = prefix;
        s.current = Some((open.report, open.segments));
        s.extend(start.at, start.ready, start.tail.as_ref());
    } else {
        s.duties = prefix
            .into_iter()
            .filter(|d| !d.segments.is_empty())
            .collect();
        s.new_duty(start.at, start.ready);
    }
    s.found
}

impl Search<'_, '_, '_> {
    fn budget_left(&mut self) -> bool {
        self.nodes += 1;
        self.nodes <= self.options.max_nodes_per_crew
    }

    /// Starts a new duty at `at`: its first leg leaves at or after `earliest_out`.
    fn new_duty(&mut self, at: AirportCode, ready: UtcMinute) {
        if self.duties.len() > self.options.max_new_duties || !self.budget_left() {
            return;
        }
        let earliest_out = ready + REPORT_BEFORE_DEPARTURE;
        let mut latest_out = (ready + SEARCH_NEXT_DUTY_SPAN).min(self.horizon);
        if self.built == 0 {
            latest_out = latest_out.min(self.latest_report + REPORT_BEFORE_DEPARTURE);
        }
        let legs: Vec<&Leg> = self.departures.from(at, earliest_out, latest_out).to_vec();
        for leg in legs {
            let Some(kind) = self.may_take(leg, true) else {
                continue;
            };
            let report = leg.scheduled_out - REPORT_BEFORE_DEPARTURE;
            self.current = Some((report, vec![Segment { leg: leg.id, kind }]));
            let opened = kind == SegmentKind::Operating;
            self.opens += usize::from(opened);
            self.after_leg(leg);
            self.opens -= usize::from(opened);
            self.current = None;
        }
    }

    /// Which way the member may ride `leg`, if at all.
    fn may_take(&self, leg: &Leg, first_of_duty: bool) -> Option<SegmentKind> {
        if leg.carrier != self.member.airline || leg.scheduled_in > self.horizon {
            return None;
        }
        if self
            .problem
            .open_position(leg.id, self.member.rank)
            .is_some()
            && self.qualified(leg)
            && !self.flies(leg.id)
            && self
                .problem
                .sick_from(&self.member.id)
                .map_or(true, |f| leg.scheduled_out < f)
        {
            return Some(SegmentKind::Operating);
        }
        let home = leg.destination == self.member.base;
        let to_open = first_of_duty
            && self
                .open_at
                .get(&leg.destination)
                .is_some_and(|&last| last > leg.scheduled_in);
        (home || to_open).then_some(SegmentKind::Deadhead)
    }

    fn qualified(&self, leg: &Leg) -> bool {
        match leg
            .tail
            .as_ref()
            .and_then(|t| self.problem.disrupted().tail(t))
        {
            Some(a) => self.member.is_qualified_on(&a.type_code),
            None => true,
        }
    }

    fn flies(&self, leg: LegId) -> bool {
        self.duties
            .iter()
            .flat_map(|d| d.segments.iter())
            .chain(self.current.iter().flat_map(|c| c.1.iter()))
            .any(|s| s.leg == leg)
    }

    /// After taking `leg` into the current duty: emit if home, else go on.
    fn after_leg(&mut self, leg: &Leg) {
        let (report, _) = self.current.as_ref().expect("after_leg inside a duty");
        if leg.scheduled_in + RELEASE_AFTER_ARRIVAL - *report > SEARCH_MAX_DUTY {
            return;
        }
        if leg.destination == self.member.base {
            if self.opens > 0 || self.in_progress.is_some() {
                self.emit(leg);
            }
            return;
        }
        self.extend(leg.destination, leg.scheduled_in, leg.tail.as_ref());
        // Close the duty here and rest before the next.
        let (report, segments) = self.current.take().expect("inside a duty");
        let release = leg.scheduled_in + RELEASE_AFTER_ARRIVAL;
        self.duties.push(Duty {
            report,
            release,
            segments: segments.clone(),
        });
        self.built += 1;
        self.new_duty(leg.destination, release + search_rest(self.problem));
        self.built -= 1;
        self.duties.pop();
        self.current = Some((report, segments));
    }

    /// Adds one more leg to the current duty from `at`.
    fn extend(&mut self, at: AirportCode, arrival: UtcMinute, tail: Option<&TailId>) {
        if !self.budget_left() {
            return;
        }
        let count = self.current.as_ref().map_or(0, |c| c.1.len());
        if count >= self.options.max_segments_per_duty {
            return;
        }
        let latest = arrival + self.options.max_sit_in_duty;
        let legs: Vec<&Leg> = self.departures.from(at, arrival, latest).to_vec();
        for leg in legs {
            let same = tail.is_some() && tail == leg.tail.as_ref();
            let need = if same {
                Minutes(0)
            } else {
                MIN_CONNECTION_AIRCRAFT_CHANGE
            };
            if leg.scheduled_out < arrival + need {
                continue;
            }
            let first = count == 0;
            let Some(kind) = self.may_take(leg, first) else {
                continue;
            };
            let opened = kind == SegmentKind::Operating;
            self.current
                .as_mut()
                .expect("extend inside a duty")
                .1
                .push(Segment { leg: leg.id, kind });
            self.opens += usize::from(opened);
            self.after_leg(leg);
            self.opens -= usize::from(opened);
            self.current.as_mut().expect("extend inside a duty").1.pop();
        }
    }

    fn emit(&mut self, last: &Leg) {
        let (report, segments) = self.current.clone().expect("emit inside a duty");
        let mut duties = self.duties.clone();
        duties.push(Duty {
            report,
            release: last.scheduled_in + RELEASE_AFTER_ARRIVAL,
            segments,
        });
        let id = self.in_progress.as_ref().map_or(self.new_id, |(id, _)| *id);
        self.found.push(vec![pairing(id, self.member, duties)]);
    }
}
