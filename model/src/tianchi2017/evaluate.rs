//! The checker and scorer as one evaluation: every hard rule of the card's §4 as a typed [`Violation`], every
//! cost term of §5 in a [`CostBreakdown`], and the score the contest ranks by (costs, plus 5·10⁷ once when
//! infeasible, plus 10 per violation).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::plan::{PlanLine, TyphoonPlan};
use super::problem::{instant, rules, BanKind, Flight, Season, TyphoonProblem};
use super::weights::{self, Weights};
use crate::UtcMinute;

/// The hard rules, numbered as in the card's §4.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// 1: duplicate ids, a missing flight or aircraft, an unknown flight or aircraft.
    Completeness,
    /// 2: an aircraft's first flight leaves from another airport than its original first departure.
    FirstAirport,
    /// 3: a normal flight with other airports or another block time.
    NormalFlightChanged,
    /// 4: a ferry off the domestic network, off the flight-time table, or with another block time.
    Ferry,
    /// 5: a straightening the rules do not allow.
    Straightening,
    /// 6: an aircraft on a route it is banned from.
    RouteBan,
    /// 7: a movement inside a recurring curfew.
    Curfew,
    /// 8: a take-off or landing inside a typhoon ban.
    TyphoonBan,
    /// 9: the legs of a through pair on two aircraft or not consecutive.
    ThroughPair,
    /// 10: a flight outside the adjustment window changed, or the partner of such a through flight cancelled.
    OutsideWindow,
    /// 11a: a departure from another airport than the aircraft's previous arrival.
    Continuity,
    /// 11b: a ground time under 50 minutes (or under the planned time between the same two flights).
    TurnTime,
    /// 12a: a delay over 24 h (domestic) or 36 h (international).
    DelayLimit,
    /// 12b: an advance over 6 h, of an international flight, or of one not departing into a take-off ban.
    Advance,
    /// 13: fewer aircraft of a type end the horizon at an airport than planned.
    EndBalance,
    /// 14: more than 2 movements in a 5-minute slice at a typhoon airport.
    SlotCapacity,
    /// 15: more aircraft parked through a typhoon window than the cap.
    ParkingCap,
    /// 16: a sign-change the passenger rules do not allow.
    Passengers,
}

impl Rule {
    pub fn name(self) -> &'static str {
        match self {
            Rule::Completeness => "completeness",
            Rule::FirstAirport => "first_airport",
            Rule::NormalFlightChanged => "normal_flight_changed",
            Rule::Ferry => "ferry",
            Rule::Straightening => "straightening",
            Rule::RouteBan => "route_ban",
            Rule::Curfew => "curfew",
            Rule::TyphoonBan => "typhoon_ban",
            Rule::ThroughPair => "through_pair",
            Rule::OutsideWindow => "outside_window",
            Rule::Continuity => "continuity",
            Rule::TurnTime => "turn_time",
            Rule::DelayLimit => "delay_limit",
            Rule::Advance => "advance",
            Rule::EndBalance => "end_balance",
            Rule::SlotCapacity => "slot_capacity",
            Rule::ParkingCap => "parking_cap",
            Rule::Passengers => "passengers",
        }
    }
}

/// One breach of a rule, with what it is about.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Violation {
    pub rule: Rule,
    pub flight: Option<u32>,
    pub aircraft: Option<u32>,
    pub detail: String,
}

/// Every cost term of the objective (card §5), already weighted.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CostBreakdown {
    pub ferry: f64,
    pub cancellation: f64,
    pub type_change: f64,
    pub swap: f64,
    pub straightening: f64,
    pub delay: f64,
    pub advance: f64,
    pub cancelled_passengers: f64,
    pub delayed_passengers: f64,
    pub rebooked_passengers: f64,
}

impl CostBreakdown {
    pub fn total(&self) -> f64 {
        self.ferry
            + self.cancellation
            + self.type_change
            + self.swap
            + self.straightening
            + self.delay
            + self.advance
            + self.cancelled_passengers
            + self.delayed_passengers
            + self.rebooked_passengers
    }
}

/// What the plan does, counted.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ActionCounts {
    pub ferries: usize,
    pub cancelled: usize,
    pub straightened_pairs: usize,
    pub delayed: usize,
    pub advanced: usize,
    pub swapped: usize,
    pub type_changed: usize,
    pub displaced_passengers: u64,
    pub rebooked_passengers: u64,
}

/// The verdict on a plan.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TyphoonEvaluation {
    pub season: Season,
    pub feasible: bool,
    pub violations: Vec<Violation>,
    pub cost: CostBreakdown,
    pub actions: ActionCounts,
    /// Costs + the infeasible penalty once + 10 per violation: the number the contest ranks by.
    pub score: f64,
}

impl TyphoonEvaluation {
    /// Violations by rule, in rule order.
    pub fn counts(&self) -> BTreeMap<Rule, usize> {
        let mut out = BTreeMap::new();
        for v in &self.violations {
            *out.entry(v.rule).or_insert(0) += 1;
        }
        out
    }
}

fn hours(minutes: i64) -> f64 {
    minutes as f64 / 60.0
}

struct Checker<'a> {
    problem: &'a TyphoonProblem,
    violations: Vec<Violation>,
}

impl Checker<'_> {
    fn breach(&mut self, rule: Rule, flight: Option<u32>, aircraft: Option<u32>, detail: String) {
        self.violations.push(Violation {
            rule,
            flight,
            aircraft,
            detail,
        });
    }
}

/// Checks and prices `plan` against `problem`.
pub fn evaluate(problem: &TyphoonProblem, plan: &TyphoonPlan) -> TyphoonEvaluation {
    let w = Weights::of(problem.season);
    let mut c = Checker {
        problem,
        violations: Vec::new(),
    };
    let mut cost = CostBreakdown::default();
    let mut actions = ActionCounts::default();

    // Rule 1: every id once, every original flight and aircraft present.
    let mut by_flight: BTreeMap<u32, usize> = BTreeMap::new();
    for (i, line) in plan.lines.iter().enumerate() {
        if by_flight.insert(line.flight, i).is_some() {
            c.breach(
                Rule::Completeness,
                Some(line.flight),
                None,
                "the flight id appears twice".into(),
            );
        }
        if problem.aircraft_by_id(line.aircraft).is_none() {
            c.breach(
                Rule::Completeness,
                Some(line.flight),
                Some(line.aircraft),
                "no such aircraft".into(),
            );
        }
        let original = problem.flight(line.flight).is_some();
        if original == line.ferry {
            c.breach(
                Rule::Completeness,
                Some(line.flight),
                None,
                if line.ferry {
                    "a ferry must have a new flight id".into()
                } else {
                    "no original flight has this id (a new flight must be a ferry)".into()
                },
            );
        }
    }
    for f in &problem.flights {
        if !by_flight.contains_key(&f.id) {
            c.breach(
                Rule::Completeness,
                Some(f.id),
                None,
                "original flight missing".into(),
            );
        }
    }
    let used: BTreeSet<u32> = plan.lines.iter().map(|l| l.aircraft).collect();
    for a in &problem.aircraft {
        if !used.contains(&a.id) {
            c.breach(
                Rule::Completeness,
                None,
                Some(a.id),
                "aircraft missing from the plan".into(),
            );
        }
    }
    let line_of = |id: u32| by_flight.get(&id).map(|&i| &plan.lines[i]);
    let type_of = |aircraft: u32| problem.aircraft_by_id(aircraft).map(|a| a.aircraft_type);

    // Line by line: rules 3-8, 10, 12 and the flight cost terms.
    let swap_cutoff = instant((2017, 5, 6, 16 * 60));
    for line in &plan.lines {
        let Some(new_type) = type_of(line.aircraft) else {
            continue;
        };
        if line.ferry {
            actions.ferries += 1;
            cost.ferry += w.ferry;
            check_ferry(&mut c, line, new_type);
        } else if let Some(f) = problem.flight(line.flight) {
            check_original(&mut c, f, line, &line_of);
            if line.flown() {
                let imp = f.importance;
                let factor = w.type_factor(f.aircraft_type, new_type);
                if factor > 0.0 {
                    actions.type_changed += 1;
                    cost.type_change += w.type_change * factor * imp;
                }
                if line.aircraft != f.aircraft {
                    actions.swapped += 1;
                    cost.swap += imp
                        * if f.departure <= swap_cutoff {
                            w.swap_early
                        } else {
                            w.swap_late
                        };
                }
                let shift = line.departure.0 - f.departure.0;
                if shift > 0 {
                    actions.delayed += 1;
                    cost.delay += w.delay_per_hour * imp * hours(shift);
                } else if shift < 0 {
                    actions.advanced += 1;
                    cost.advance += w.advance_per_hour * imp * hours(-shift);
                }
                if line.straightened {
                    if let Some(second) = problem
                        .through_pair_of(f.id)
                        .filter(|p| p.first == f.id)
                        .and_then(|p| problem.flight(p.second))
                    {
                        actions.straightened_pairs += 1;
                        cost.straightening += w.straightening * (imp + second.importance);
                    }
                }
            } else if !line.straightened {
                actions.cancelled += 1;
                cost.cancellation += w.cancellation * f.importance;
            }
        }
        if line.flown() {
            check_movement(&mut c, line);
        }
    }

    // Rule 9: through pairs flown together stay together.
    let sequences = sequences(problem, plan);
    let mut position: BTreeMap<u32, (u32, usize)> = BTreeMap::new();
    for (&aircraft, seq) in &sequences {
        for (k, &i) in seq.iter().enumerate() {
            position.insert(plan.lines[i].flight, (aircraft, k));
        }
    }
    for pair in &problem.through_pairs {
        if let (Some(a), Some(b)) = (position.get(&pair.first), position.get(&pair.second)) {
            if a.0 != b.0 || a.1 + 1 != b.1 {
                c.breach(
                    Rule::ThroughPair,
                    Some(pair.first),
                    Some(a.0),
                    format!(
                        "through pair {}-{} flown on aircraft {} and {} or not consecutively",
                        pair.first, pair.second, a.0, b.0
                    ),
                );
            }
        }
    }

    // Rules 2, 11, 13, 15: each aircraft's sequence.
    let original_turn = original_turns(problem);
    let rotations = problem.rotations();
    let mut end_planned: BTreeMap<(u32, u8), i64> = BTreeMap::new();
    for (aircraft, legs) in &rotations {
        if let (Some(&last), Some(t)) = (legs.last(), type_of(*aircraft)) {
            *end_planned
                .entry((problem.flights[last].to, t))
                .or_insert(0) += 1;
        }
    }
    let mut parked: Vec<u32> = vec![0; problem.parking.len()];
    for (aircraft, legs) in &rotations {
        let Some(t) = type_of(*aircraft) else {
            continue;
        };
        let seq = sequences.get(aircraft).map(Vec::as_slice).unwrap_or(&[]);
        let start = legs.first().map(|&i| problem.flights[i].from);
        let end = match seq.last() {
            Some(&i) => plan.lines[i].to,
            None => start.unwrap_or(0),
        };
        *end_planned.entry((end, t)).or_insert(0) -= 1;
        if let (Some(&first), Some(start)) = (seq.first(), start) {
            if plan.lines[first].from != start {
                c.breach(
                    Rule::FirstAirport,
                    Some(plan.lines[first].flight),
                    Some(*aircraft),
                    format!(
                        "first departure from {} where the aircraft starts at {start}",
                        plan.lines[first].from
                    ),
                );
            }
        }
        for pair in seq.windows(2) {
            let (prev, next) = (&plan.lines[pair[0]], &plan.lines[pair[1]]);
            if next.from != prev.to {
                c.breach(
                    Rule::Continuity,
                    Some(next.flight),
                    Some(*aircraft),
                    format!(
                        "departs {} after arriving at {} on flight {}",
                        next.from, prev.to, prev.flight
                    ),
                );
            }
            let ground = next.departure.0 - prev.arrival.0;
            let planned = original_turn
                .get(&(prev.flight, next.flight))
                .copied()
                .unwrap_or(i64::MAX);
            let least = rules::MIN_TURN_MINUTES.min(planned);
            if ground < least {
                c.breach(
                    Rule::TurnTime,
                    Some(next.flight),
                    Some(*aircraft),
                    format!(
                        "{ground} min on the ground after flight {}, at least {least}",
                        prev.flight
                    ),
                );
            }
            for (k, cap) in problem.parking.iter().enumerate() {
                if cap.airport == prev.to && prev.arrival <= cap.start && next.departure >= cap.end
                {
                    parked[k] += 1;
                }
            }
        }
    }
    for ((airport, t), short) in &end_planned {
        if *short > 0 {
            c.breach(
                Rule::EndBalance,
                None,
                None,
                format!("{short} aircraft of type {t} short at airport {airport} at the end"),
            );
        }
    }
    for (k, cap) in problem.parking.iter().enumerate() {
        if let Some(limit) = cap.cap {
            if parked[k] > limit {
                c.breach(
                    Rule::ParkingCap,
                    None,
                    None,
                    format!(
                        "{} aircraft parked at airport {} from {} to {}, at most {limit}",
                        parked[k], cap.airport, cap.start, cap.end
                    ),
                );
            }
        }
    }

    // Rule 14: slots at the typhoon airports.
    for window in problem.slot_windows() {
        let mut used = vec![0u32; window.slices()];
        for line in plan.lines.iter().filter(|l| l.flown()) {
            if line.from == window.airport {
                if let Some(s) = window.slice(line.departure) {
                    used[s] += 1;
                }
            }
            if line.to == window.airport {
                if let Some(s) = window.slice(line.arrival) {
                    used[s] += 1;
                }
            }
        }
        for (s, &n) in used.iter().enumerate() {
            if n > rules::SLOT_MOVEMENTS {
                c.breach(
                    Rule::SlotCapacity,
                    None,
                    None,
                    format!(
                        "{n} movements at airport {} in the 5-minute slice from {}",
                        window.airport,
                        UtcMinute(window.start.0 + s as i64 * rules::SLOT_SLICE_MINUTES)
                    ),
                );
            }
        }
    }

    if w.passengers {
        passengers(&mut c, plan, &by_flight, &w, &mut cost, &mut actions);
    } else {
        for line in plan.lines.iter().filter(|l| !l.sign_changes.is_empty()) {
            c.breach(
                Rule::Passengers,
                Some(line.flight),
                None,
                "season 1 has no sign-change".into(),
            );
        }
    }

    let violations = c.violations;
    let feasible = violations.is_empty();
    let score = cost.total()
        + if feasible {
            0.0
        } else {
            weights::INFEASIBLE_PENALTY
        }
        + weights::PER_VIOLATION * violations.len() as f64;
    TyphoonEvaluation {
        season: problem.season,
        feasible,
        violations,
        cost,
        actions,
        score,
    }
}

/// Each aircraft's flown lines in departure order (indices into `plan.lines`).
pub fn sequences(problem: &TyphoonProblem, plan: &TyphoonPlan) -> BTreeMap<u32, Vec<usize>> {
    let mut out: BTreeMap<u32, Vec<usize>> = problem
        .aircraft
        .iter()
        .map(|a| (a.id, Vec::new()))
        .collect();
    for (i, line) in plan.lines.iter().enumerate() {
        if line.flown() {
            out.entry(line.aircraft).or_default().push(i);
        }
    }
    for seq in out.values_mut() {
        seq.sort_by_key(|&i| {
            (
                plan.lines[i].departure,
                plan.lines[i].arrival,
                plan.lines[i].flight,
            )
        });
    }
    out
}

/// Planned ground minutes between consecutive flights of one aircraft, by (previous, next) flight id.
pub fn original_turns(problem: &TyphoonProblem) -> BTreeMap<(u32, u32), i64> {
    let mut out = BTreeMap::new();
    for legs in problem.rotations().values() {
        for pair in legs.windows(2) {
            let (a, b) = (&problem.flights[pair[0]], &problem.flights[pair[1]]);
            out.insert((a.id, b.id), b.departure.0 - a.arrival.0);
        }
    }
    out
}

fn check_ferry(c: &mut Checker, line: &PlanLine, aircraft_type: u8) {
    let p = c.problem;
    let (flight, aircraft) = (Some(line.flight), Some(line.aircraft));
    if line.cancelled || line.straightened || !line.sign_changes.is_empty() {
        c.breach(
            Rule::Ferry,
            flight,
            aircraft,
            "a ferry is flown, never cancelled, straightened or sign-changed".into(),
        );
    }
    if !p.domestic_airports.contains(&line.from) || !p.domestic_airports.contains(&line.to) {
        c.breach(
            Rule::Ferry,
            flight,
            aircraft,
            format!(
                "{} -> {} is not between domestic airports",
                line.from, line.to
            ),
        );
    }
    match p.table_block(aircraft_type, line.from, line.to) {
        None => c.breach(
            Rule::Ferry,
            flight,
            aircraft,
            format!(
                "no flight time for type {aircraft_type} from {} to {}",
                line.from, line.to
            ),
        ),
        Some(block) if block.0 != line.arrival.0 - line.departure.0 => c.breach(
            Rule::Ferry,
            flight,
            aircraft,
            format!(
                "block {} min where the table says {}",
                line.arrival.0 - line.departure.0,
                block.0
            ),
        ),
        Some(_) => {}
    }
}

fn check_original<'p>(
    c: &mut Checker,
    f: &Flight,
    line: &PlanLine,
    line_of: &dyn Fn(u32) -> Option<&'p PlanLine>,
) {
    let p = c.problem;
    let (flight, aircraft) = (Some(f.id), Some(line.aircraft));
    let adjustable = p.adjustable(f);
    if !adjustable
        && (line.departure != f.departure
            || line.arrival != f.arrival
            || line.aircraft != f.aircraft
            || line.cancelled
            || line.straightened
            || !line.sign_changes.is_empty())
    {
        c.breach(
            Rule::OutsideWindow,
            flight,
            aircraft,
            "departs before the adjustment window and must fly as planned".into(),
        );
    }
    let pair = p.through_pair_of(f.id);
    if line.cancelled {
        if let Some(pair) = pair {
            let partner = if pair.first == f.id {
                pair.second
            } else {
                pair.first
            };
            if p.flight(partner).is_some_and(|g| !p.adjustable(g)) {
                c.breach(
                    Rule::OutsideWindow,
                    flight,
                    aircraft,
                    format!("its through partner {partner} is outside the adjustment window"),
                );
            }
        }
        if line.straightened {
            let ok = pair.is_some_and(|pair| {
                pair.second == f.id
                    && line_of(pair.first).is_some_and(|l| l.straightened && l.flown())
            });
            if !ok {
                c.breach(
                    Rule::Straightening,
                    flight,
                    aircraft,
                    "marked as the second leg of a straightening without a straightened first leg"
                        .into(),
                );
            }
        }
        return;
    }
    if line.straightened {
        check_straightened(c, f, line, line_of);
    } else if line.from != f.from
        || line.to != f.to
        || line.arrival.0 - line.departure.0 != f.block().0
    {
        c.breach(
            Rule::NormalFlightChanged,
            flight,
            aircraft,
            format!(
                "flies {} -> {} in {} min where planned {} -> {} in {} min",
                line.from,
                line.to,
                line.arrival.0 - line.departure.0,
                f.from,
                f.to,
                f.block().0
            ),
        );
    }
    let shift = line.departure.0 - f.departure.0;
    let max_delay = if f.international {
        rules::MAX_DELAY_INTERNATIONAL_MINUTES
    } else {
        rules::MAX_DELAY_DOMESTIC_MINUTES
    };
    if shift > max_delay {
        c.breach(
            Rule::DelayLimit,
            flight,
            aircraft,
            format!("delayed {shift} min, at most {max_delay}"),
        );
    }
    if shift < 0 {
        let into_ban = p.banned(f.from, BanKind::Takeoff, f.departure).is_some();
        if f.international || !into_ban || -shift > rules::MAX_ADVANCE_MINUTES {
            c.breach(
                Rule::Advance,
                flight,
                aircraft,
                format!(
                    "advanced {} min; only a domestic flight planned into a take-off ban, by at most {}",
                    -shift,
                    rules::MAX_ADVANCE_MINUTES
                ),
            );
        }
    }
}

fn check_straightened<'p>(
    c: &mut Checker,
    f: &Flight,
    line: &PlanLine,
    line_of: &dyn Fn(u32) -> Option<&'p PlanLine>,
) {
    let p = c.problem;
    let (flight, aircraft) = (Some(f.id), Some(line.aircraft));
    let Some(second) = p
        .through_pair_of(f.id)
        .filter(|pair| pair.first == f.id)
        .and_then(|pair| p.flight(pair.second))
    else {
        c.breach(
            Rule::Straightening,
            flight,
            aircraft,
            "straightened but not the first leg of a through pair".into(),
        );
        return;
    };
    let mut wrong = Vec::new();
    if f.international || second.international {
        wrong.push("both legs must be domestic".to_string());
    }
    if !p.adjustable(second) {
        wrong.push("the second leg is outside the adjustment window".into());
    }
    if !line_of(second.id).is_some_and(|l| l.cancelled && l.straightened) {
        wrong.push("the second leg must be written cancelled and straightened".into());
    }
    if line.from != f.from || line.to != second.to {
        wrong.push(format!(
            "must fly {} -> {}, flies {} -> {}",
            f.from, second.to, line.from, line.to
        ));
    }
    let middle = f.to;
    let hit = p.banned(middle, BanKind::Landing, f.arrival).is_some()
        || p.banned(middle, BanKind::Takeoff, second.departure)
            .is_some();
    if !hit {
        wrong.push(format!(
            "the middle airport {middle} is not hit by the typhoon"
        ));
    }
    if let Some(t) = p.aircraft_by_id(line.aircraft).map(|a| a.aircraft_type) {
        let block = p
            .table_block(t, f.from, second.to)
            .map_or(f.block().0 + second.block().0, |m| m.0);
        if line.arrival.0 - line.departure.0 != block {
            wrong.push(format!(
                "block {} min, should be {block}",
                line.arrival.0 - line.departure.0
            ));
        }
    }
    for w in wrong {
        c.breach(Rule::Straightening, flight, aircraft, w);
    }
}

fn check_movement(c: &mut Checker, line: &PlanLine) {
    let p = c.problem;
    let (flight, aircraft) = (Some(line.flight), Some(line.aircraft));
    if p.route_bans.contains(&(line.aircraft, line.from, line.to)) {
        c.breach(
            Rule::RouteBan,
            flight,
            aircraft,
            format!(
                "aircraft {} may not fly {} -> {}",
                line.aircraft, line.from, line.to
            ),
        );
    }
    for (airport, t, what) in [
        (line.from, line.departure, "departs"),
        (line.to, line.arrival, "arrives"),
    ] {
        if p.curfew_at(airport, t).is_some() {
            c.breach(
                Rule::Curfew,
                flight,
                aircraft,
                format!("{what} at {t} inside the curfew of airport {airport}"),
            );
        }
    }
    if let Some(b) = p.banned(line.from, BanKind::Takeoff, line.departure) {
        let d = format!(
            "takes off at {} from {} inside the typhoon's take-off ban",
            line.departure, b.airport
        );
        c.breach(Rule::TyphoonBan, flight, aircraft, d);
    }
    if let Some(b) = p.banned(line.to, BanKind::Landing, line.arrival) {
        let d = format!(
            "lands at {} at {} inside the typhoon's landing ban",
            line.arrival, b.airport
        );
        c.breach(Rule::TyphoonBan, flight, aircraft, d);
    }
}

/// Passengers of one original flight in a plan (season 2).
#[derive(Clone, Debug, Default)]
pub struct PassengerFlow {
    /// Passengers who still want this flight after through and transfer passengers who cannot reach it.
    pub demand: u32,
    /// Of them, those who fly it (seats permitting), 0 when cancelled.
    pub flown: u32,
    /// Displaced: by cancellation, straightening, a missed transfer or lost seats.
    pub displaced: u32,
}

/// Each original flight's passenger flow under a plan, by flight id (season 2's passenger model).
pub fn passenger_flows(
    problem: &TyphoonProblem,
    plan: &TyphoonPlan,
) -> BTreeMap<u32, PassengerFlow> {
    let by_flight: BTreeMap<u32, usize> = plan
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| (l.flight, i))
        .collect();
    flows(problem, plan, &by_flight)
}

fn flows(
    problem: &TyphoonProblem,
    plan: &TyphoonPlan,
    by_flight: &BTreeMap<u32, usize>,
) -> BTreeMap<u32, PassengerFlow> {
    let line = |id: u32| by_flight.get(&id).map(|&i| &plan.lines[i]);
    let cancelled = |id: u32| line(id).is_none_or_cancelled();
    let mut demand: BTreeMap<u32, i64> = problem
        .flights
        .iter()
        .map(|f| (f.id, i64::from(f.passengers)))
        .collect();
    let mut displaced_extra: BTreeMap<u32, i64> = BTreeMap::new();
    for pair in &problem.through_pairs {
        let (Some(a), Some(b)) = (problem.flight(pair.first), problem.flight(pair.second)) else {
            continue;
        };
        let through = i64::from(a.through_passengers.min(b.through_passengers));
        let straightened = line(a.id).is_some_and(|l| l.straightened && l.flown());
        if straightened {
            // The first line carries the through passengers; both legs' local passengers are displaced.
            *demand.get_mut(&a.id).expect("every flight has a demand") = through;
            let local_first = i64::from(a.passengers) - through;
            let local_second = i64::from(b.passengers) - through;
            *displaced_extra.entry(a.id).or_insert(0) += local_first.max(0);
            *demand.get_mut(&b.id).expect("every flight has a demand") = local_second.max(0);
        } else if cancelled(a.id) {
            *demand.get_mut(&b.id).expect("every flight has a demand") -= through;
        } else if cancelled(b.id) {
            *demand.get_mut(&a.id).expect("every flight has a demand") -= through;
        }
    }
    for t in &problem.transfers {
        let n = i64::from(t.passengers);
        let (Some(i), Some(o)) = (line(t.inbound), line(t.outbound)) else {
            continue;
        };
        if i.cancelled {
            *demand.entry(t.outbound).or_insert(0) -= n;
        } else if !o.cancelled && o.departure.0 - i.arrival.0 < t.min_connect.0 {
            *demand.entry(t.outbound).or_insert(0) -= n;
            *displaced_extra.entry(t.outbound).or_insert(0) += n;
        }
    }
    let mut out = BTreeMap::new();
    for f in &problem.flights {
        let want = demand[&f.id].max(0);
        let extra = displaced_extra.get(&f.id).copied().unwrap_or(0);
        let flow = match line(f.id) {
            Some(l) if l.flown() => {
                let seats = problem
                    .aircraft_by_id(l.aircraft)
                    .map_or(0, |a| i64::from(a.seats));
                let flown = want.min(seats);
                PassengerFlow {
                    demand: want as u32,
                    flown: flown as u32,
                    displaced: (want - flown + extra) as u32,
                }
            }
            _ => PassengerFlow {
                demand: want as u32,
                flown: 0,
                displaced: (want + extra) as u32,
            },
        };
        out.insert(f.id, flow);
    }
    out
}

trait CancelledOrMissing {
    fn is_none_or_cancelled(&self) -> bool;
}

impl CancelledOrMissing for Option<&PlanLine> {
    fn is_none_or_cancelled(&self) -> bool {
        self.map_or(true, |l| l.cancelled)
    }
}

fn passengers(
    c: &mut Checker,
    plan: &TyphoonPlan,
    by_flight: &BTreeMap<u32, usize>,
    w: &Weights,
    cost: &mut CostBreakdown,
    actions: &mut ActionCounts,
) {
    let p = c.problem;
    let flows = flows(p, plan, by_flight);
    let line = |id: u32| by_flight.get(&id).map(|&i| &plan.lines[i]);
    let mut received: BTreeMap<u32, u32> = BTreeMap::new();
    for l in &plan.lines {
        for &(target, n) in &l.sign_changes {
            *received.entry(target).or_insert(0) += n;
        }
    }
    for f in &p.flights {
        let flow = &flows[&f.id];
        let Some(l) = line(f.id) else {
            continue;
        };
        actions.displaced_passengers += u64::from(flow.displaced);
        if l.flown() {
            let delay = l.departure.0 - f.departure.0;
            if delay > 0 {
                cost.delayed_passengers +=
                    f64::from(flow.flown) * weights::delayed_passenger(hours(delay));
            }
        }
        let out: u32 = l.sign_changes.iter().map(|&(_, n)| n).sum();
        if out > flow.displaced {
            c.breach(
                Rule::Passengers,
                Some(f.id),
                None,
                format!(
                    "{out} passengers rebooked out of {} displaced",
                    flow.displaced
                ),
            );
        }
        if out > 0 && received.get(&f.id).copied().unwrap_or(0) > 0 {
            c.breach(
                Rule::Passengers,
                Some(f.id),
                None,
                "a flight that receives rebooked passengers cannot rebook its own out".into(),
            );
        }
        actions.rebooked_passengers += u64::from(out.min(flow.displaced));
        cost.cancelled_passengers +=
            w.cancelled_passenger * f64::from(flow.displaced.saturating_sub(out));
        for &(target, n) in &l.sign_changes {
            let ok = line(target).filter(|t| {
                !t.ferry && t.flown() && t.from == f.from && t.to == f.to && t.flight != f.id
            });
            match ok {
                None => c.breach(
                    Rule::Passengers,
                    Some(f.id),
                    None,
                    format!("flight {target} is no flown flight {} -> {}", f.from, f.to),
                ),
                Some(t) => {
                    let late = t.departure.0 - f.departure.0;
                    if late < 0 {
                        c.breach(
                            Rule::Passengers,
                            Some(f.id),
                            None,
                            format!(
                                "rebooked onto flight {target}, which leaves before the original"
                            ),
                        );
                    }
                    cost.rebooked_passengers +=
                        f64::from(n) * weights::rebooked_passenger(hours(late));
                }
            }
        }
    }
    for (&target, &n) in &received {
        let Some(t) = line(target) else { continue };
        let Some(flow) = flows.get(&target) else {
            continue;
        };
        let seats = p.aircraft_by_id(t.aircraft).map_or(0, |a| a.seats);
        if u64::from(flow.flown) + u64::from(n) > u64::from(seats) {
            c.breach(
                Rule::Passengers,
                Some(target),
                Some(t.aircraft),
                format!(
                    "{} own and {n} rebooked passengers on {seats} seats",
                    flow.flown
                ),
            );
        }
    }
}
