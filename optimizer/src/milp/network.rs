//! The aircraft-recovery MILP on one sub-problem: a time-space network per tail, with discrete
//! departure options per leg, solved by HiGHS through good_lp.
//!
//! A sub-problem is a set of tails of one family, the legs they may fly inside a time window, and
//! everything the rest of the plan fixes around them: where and when each tail becomes free, where it
//! must be at the end (the next fixed leg, or the end of the recovery window with the position
//! penalties), the airport capacity left per clock hour, and passenger connections. The caller builds it
//! (`super::subproblem`) from a `RecoveryProblem` and an incumbent plan; this module knows only minutes,
//! airport indices and euros.
//!
//! The network of tail `k` has a node per (airport, minute) event: its start (where it is free), the
//! departure of every leg option it may fly, the arrival of every such option plus the tail's ground
//! time, and its end (one node at the required airport and minute, or one node per airport at the end
//! of the window). A binary arc per (tail, leg, option) flies the leg; continuous ground arcs join the
//! events of one airport in time order. Flow conservation makes each tail one connected rotation that
//! respects its turn-round, and a leg is flown by at most one (tail, option) or cancelled.

use std::collections::{BTreeMap, BTreeSet};

use good_lp::{
    highs, variable, Constraint, Expression, ProblemVariables, Solution, SolutionStatus,
    SolverModel, Variable,
};

/// Minutes since the instance's day zero (the caller's origin); never a wall clock.
pub type Minute = i64;

/// A sub-problem for the MILP. Airports are dense indices chosen by the caller.
#[derive(Debug, Clone, Default)]
pub struct SubProblem {
    pub tails: Vec<SubTail>,
    pub legs: Vec<SubLeg>,
    /// Capacity left per airport and clock hour once every leg outside the sub-problem is counted.
    /// An (airport, hour) pair not listed is not limited.
    pub slots: Vec<SlotLimit>,
    pub connections: Vec<PassengerConnection>,
    /// Aircraft wanted at the end of the recovery window, after the tails outside the sub-problem
    /// have been matched; only tails with [`TailEnd::Free`] can meet them.
    pub end_requirements: Vec<EndRequirement>,
    /// Minimum passenger connection (the challenge's 30 minutes).
    pub min_connection_min: Minute,
}

/// One tail of the sub-problem.
#[derive(Debug, Clone)]
pub struct SubTail {
    /// Where the tail is when it becomes free.
    pub start_airport: u32,
    /// The earliest minute it may depart from `start_airport` (its last fixed arrival plus ground time).
    pub ready_min: Minute,
    pub end: TailEnd,
    /// Ground time after every arrival: the larger of turn-round and transit, so both rules hold.
    pub ground_min: Minute,
    /// Periods the tail cannot fly: no leg with departure before `to` and arrival after `from`.
    pub blocked: Vec<(Minute, Minute)>,
    /// Flying-time budget before a maintenance slot starts.
    pub flying_limit: Option<FlyingLimit>,
}

/// Where a tail must be when the sub-problem ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TailEnd {
    /// On the ground at `airport`, ready by `by_min` (its next fixed leg or maintenance slot).
    At { airport: u32, by_min: Minute },
    /// Anywhere at the end of the recovery window; [`SubProblem::end_requirements`] price the choice.
    Free,
}

/// Legs departing before `before_min` may add at most `minutes_left` of block time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlyingLimit {
    pub before_min: Minute,
    pub minutes_left: Minute,
}

/// One leg of the sub-problem (an original leg, or a fixed event such as a maintenance slot).
#[derive(Debug, Clone)]
pub struct SubLeg {
    pub origin: u32,
    pub destination: u32,
    /// Minutes from departure to arrival (for a maintenance slot: its length).
    pub block_min: Minute,
    /// Block minutes counted against a [`FlyingLimit`] (0 for a maintenance slot).
    pub flying_min: Minute,
    pub options: Vec<LegOption>,
    /// Per tail of the sub-problem: `None` if that tail may not fly the leg, else the cost of flying
    /// it with that tail (operating-cost difference of a swap, passengers left behind by smaller cabins).
    pub tail_cost: Vec<Option<f64>>,
    /// Cost of cancelling the leg; `None` when it must be flown.
    pub cancel_cost: Option<f64>,
    /// Whether the leg uses airport departure and arrival capacity.
    pub uses_capacity: bool,
    /// Ground time after this leg instead of the tail's (0 after a maintenance slot, whose end is the
    /// earliest next departure).
    pub ground_override_min: Option<Minute>,
}

/// A departure time a leg may take, with the passenger cost of arriving then.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LegOption {
    pub departure_min: Minute,
    pub cost: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotLimit {
    pub airport: u32,
    /// Absolute clock hour: minute `hour * 60` starts it.
    pub hour: i64,
    pub departures_left: i64,
    pub arrivals_left: i64,
}

/// Passengers connecting from one leg of the sub-problem to another; `broken_cost` is paid when the
/// chosen options leave less than the minimum connection (cancellations are priced on the legs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PassengerConnection {
    pub from_leg: usize,
    pub to_leg: usize,
    pub broken_cost: f64,
}

/// `count` aircraft wanted at `airport` at the end of the window. `penalty_by_tail[k]` is the penalty
/// when tail `k` meets one of them (0 for the right model and configuration); `unmet_penalty` is paid
/// for each one left unmet.
#[derive(Debug, Clone, PartialEq)]
pub struct EndRequirement {
    pub airport: u32,
    pub count: u32,
    pub penalty_by_tail: Vec<f64>,
    pub unmet_penalty: f64,
}

/// A plan for the sub-problem: per leg, the (tail, option) flying it or `None` when cancelled.
#[derive(Debug, Clone, PartialEq)]
pub struct SubAssignment {
    pub legs: Vec<Option<(usize, usize)>>,
}

/// How the solve ended.
#[derive(Debug, Clone, PartialEq)]
pub struct SubSolution {
    pub assignment: SubAssignment,
    /// HiGHS proved the assignment optimal (within `mip_rel_gap` 1e-6).
    pub proven_optimal: bool,
    /// The model's objective (euros, without the constant of unmet end requirements).
    pub objective: f64,
}

/// Options of one solve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SolveOptions {
    pub time_limit_s: f64,
    pub threads: u32,
    pub random_seed: i32,
}

impl Default for SolveOptions {
    fn default() -> Self {
        SolveOptions {
            time_limit_s: 60.0,
            threads: 1,
            random_seed: 2009,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum NetworkError {
    #[error("sub-problem leg {leg}: {field} has {found} entries, expected {expected}")]
    Shape {
        leg: usize,
        field: &'static str,
        found: usize,
        expected: usize,
    },
    #[error("the sub-problem has no feasible plan (HiGHS: {0})")]
    Infeasible(String),
    #[error("HiGHS failed on the sub-problem: {0}")]
    Solver(String),
}

/// Size of a built model, for benches and logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ModelSize {
    pub flight_arcs: usize,
    pub ground_arcs: usize,
    pub constraints: usize,
}

/// The built model, ready to solve.
pub struct NetworkModel {
    vars: ProblemVariables,
    objective: Expression,
    constraints: Vec<Constraint>,
    /// (leg, tail, option, variable) per flight arc, in build order.
    flight_arcs: Vec<(usize, usize, usize, Variable)>,
    size: ModelSize,
    start: Option<Vec<(Variable, f64)>>,
}

impl NetworkModel {
    pub fn size(&self) -> ModelSize {
        self.size
    }
}

const END_OF_TIME: Minute = Minute::MAX;

/// One node of a tail's network: conservation gathers its arcs.
#[derive(Default)]
struct Node {
    inflow: Vec<Variable>,
    outflow: Vec<Variable>,
    /// +1 at the source, -1 at a fixed end.
    supply: i64,
}

/// Build the MILP. `start`, when given, is a plan the model can represent (the incumbent); it is
/// handed to HiGHS as a first solution.
pub fn build(
    problem: &SubProblem,
    start: Option<&SubAssignment>,
) -> Result<NetworkModel, NetworkError> {
    let tails = problem.tails.len();
    for (l, leg) in problem.legs.iter().enumerate() {
        if leg.tail_cost.len() != tails {
            return Err(NetworkError::Shape {
                leg: l,
                field: "tail_cost",
                found: leg.tail_cost.len(),
                expected: tails,
            });
        }
    }
    let mut vars = ProblemVariables::new();
    let mut objective = Expression::with_capacity(problem.legs.len() * 8);
    let mut constraints = Vec::new();
    let mut flight_arcs: Vec<(usize, usize, usize, Variable)> = Vec::new();
    let mut ground_arcs = 0usize;
    // flow through each leg option, over tails
    let mut option_flow: Vec<Vec<Vec<Variable>>> = problem
        .legs
        .iter()
        .map(|leg| vec![Vec::new(); leg.options.len()])
        .collect();
    // end arcs of free tails per (tail, airport)
    let mut end_arcs: BTreeMap<(usize, u32), Variable> = BTreeMap::new();
    // ground arcs of each tail with (airport, from time) for the MIP start
    let mut tail_ground: Vec<Vec<(u32, Minute, Variable)>> = vec![Vec::new(); tails];

    for (k, tail) in problem.tails.iter().enumerate() {
        let horizon = match tail.end {
            TailEnd::At { by_min, .. } => by_min,
            TailEnd::Free => END_OF_TIME,
        };
        let mut nodes: BTreeMap<(u32, Minute), Node> = BTreeMap::new();
        nodes
            .entry((tail.start_airport, tail.ready_min))
            .or_default()
            .supply += 1;
        match tail.end {
            TailEnd::At { airport, by_min } => {
                nodes.entry((airport, by_min)).or_default().supply -= 1
            }
            TailEnd::Free => {}
        }
        let mut flying_before: Vec<(Variable, Minute)> = Vec::new();
        for (l, leg) in problem.legs.iter().enumerate() {
            let Some(cost) = leg.tail_cost[k] else {
                continue;
            };
            for (o, option) in leg.options.iter().enumerate() {
                let departure = option.departure_min;
                let arrival = departure + leg.block_min;
                let ready_again = arrival + leg.ground_override_min.unwrap_or(tail.ground_min);
                if departure < tail.ready_min || ready_again > horizon {
                    continue;
                }
                if tail
                    .blocked
                    .iter()
                    .any(|&(from, to)| departure < to && arrival > from)
                {
                    continue;
                }
                let x = vars.add(variable().binary());
                objective.add_mul(cost + option.cost, x);
                nodes
                    .entry((leg.origin, departure))
                    .or_default()
                    .outflow
                    .push(x);
                nodes
                    .entry((leg.destination, ready_again))
                    .or_default()
                    .inflow
                    .push(x);
                option_flow[l][o].push(x);
                flight_arcs.push((l, k, o, x));
                if let Some(limit) = tail.flying_limit {
                    if departure < limit.before_min && leg.flying_min > 0 {
                        flying_before.push((x, leg.flying_min));
                    }
                }
            }
        }
        if let Some(limit) = tail.flying_limit {
            if !flying_before.is_empty() {
                let mut used = Expression::with_capacity(flying_before.len());
                for &(x, minutes) in &flying_before {
                    used.add_mul(minutes as f64, x);
                }
                constraints.push(used.leq(limit.minutes_left as f64));
            }
        }
        if tail.end == TailEnd::Free {
            let airports: Vec<u32> = nodes.keys().map(|&(a, _)| a).collect();
            for airport in airports {
                nodes.entry((airport, END_OF_TIME)).or_default();
            }
        }
        // ground arcs: consecutive events of one airport (the map is sorted by airport, then time)
        let keys: Vec<(u32, Minute)> = nodes.keys().copied().collect();
        for pair in keys.windows(2) {
            let (a, t) = pair[0];
            let (b, u) = pair[1];
            if a != b {
                continue;
            }
            let g = vars.add(variable().min(0.0).max(1.0));
            ground_arcs += 1;
            tail_ground[k].push((a, t, g));
            if let Some(node) = nodes.get_mut(&(a, t)) {
                node.outflow.push(g);
            }
            if let Some(node) = nodes.get_mut(&(b, u)) {
                node.inflow.push(g);
            }
            if u == END_OF_TIME {
                end_arcs.insert((k, a), g);
            }
        }
        for ((_, time), node) in nodes {
            if time == END_OF_TIME {
                continue; // a free end: whatever arrives stays
            }
            let mut balance = Expression::with_capacity(node.inflow.len() + node.outflow.len());
            for &v in &node.outflow {
                balance.add_mul(1.0, v);
            }
            for &v in &node.inflow {
                balance.add_mul(-1.0, v);
            }
            constraints.push(balance.eq(node.supply as f64));
        }
    }

    // every leg flown once or cancelled
    let mut cancel_vars: Vec<Option<Variable>> = Vec::with_capacity(problem.legs.len());
    for (l, leg) in problem.legs.iter().enumerate() {
        let mut cover = Expression::with_capacity(leg.options.len());
        for flows in &option_flow[l] {
            for &x in flows {
                cover.add_mul(1.0, x);
            }
        }
        match leg.cancel_cost {
            Some(cost) => {
                let c = vars.add(variable().min(0.0).max(1.0));
                objective.add_mul(cost, c);
                cover.add_mul(1.0, c);
                cancel_vars.push(Some(c));
            }
            None => cancel_vars.push(None),
        }
        constraints.push(cover.eq(1.0));
    }

    // airport capacity per clock hour
    let limits: BTreeMap<(u32, i64), (i64, i64)> = problem
        .slots
        .iter()
        .map(|s| ((s.airport, s.hour), (s.departures_left, s.arrivals_left)))
        .collect();
    let mut departures: BTreeMap<(u32, i64), Vec<Variable>> = BTreeMap::new();
    let mut arrivals: BTreeMap<(u32, i64), Vec<Variable>> = BTreeMap::new();
    for &(l, _, o, x) in &flight_arcs {
        let leg = &problem.legs[l];
        if !leg.uses_capacity {
            continue;
        }
        let departure = leg.options[o].departure_min;
        let arrival = departure + leg.block_min;
        departures
            .entry((leg.origin, departure.div_euclid(60)))
            .or_default()
            .push(x);
        arrivals
            .entry((leg.destination, arrival.div_euclid(60)))
            .or_default()
            .push(x);
    }
    for (slot, (departures_left, arrivals_left)) in &limits {
        for (arcs, left) in [
            (departures.get(slot), departures_left),
            (arrivals.get(slot), arrivals_left),
        ] {
            let Some(arcs) = arcs else { continue };
            // a slot no combination of legs could fill needs no row
            let most = arcs.len() as i64;
            if most <= *left {
                continue;
            }
            let mut used = Expression::with_capacity(arcs.len());
            for &x in arcs {
                used.add_mul(1.0, x);
            }
            constraints.push(used.leq((*left).max(0) as f64));
        }
    }

    // broken passenger connections
    let mut broken_vars: Vec<(usize, Variable)> = Vec::new();
    for (c, connection) in problem.connections.iter().enumerate() {
        let from = &problem.legs[connection.from_leg];
        let to = &problem.legs[connection.to_leg];
        let z = vars.add(variable().min(0.0).max(1.0));
        objective.add_mul(connection.broken_cost, z);
        broken_vars.push((c, z));
        for (o, option) in from.options.iter().enumerate() {
            if option_flow[connection.from_leg][o].is_empty() {
                continue;
            }
            let arrival = option.departure_min + from.block_min;
            // z >= flow(from, o) - flow(to, compatible) - cancelled(to)
            let mut row = Expression::with_capacity(8);
            row.add_mul(1.0, z);
            for &x in &option_flow[connection.from_leg][o] {
                row.add_mul(-1.0, x);
            }
            for (p, next) in to.options.iter().enumerate() {
                if next.departure_min - arrival >= problem.min_connection_min {
                    for &x in &option_flow[connection.to_leg][p] {
                        row.add_mul(1.0, x);
                    }
                }
            }
            if let Some(cancel) = cancel_vars[connection.to_leg] {
                row.add_mul(1.0, cancel);
            }
            constraints.push(row.geq(0.0));
        }
    }

    // end-of-window positions: tails ending at an airport meet its requirements
    let mut meets: BTreeMap<(usize, usize), Variable> = BTreeMap::new();
    for (r, requirement) in problem.end_requirements.iter().enumerate() {
        let mut met = Expression::with_capacity(tails);
        let mut candidates = 0usize;
        for k in 0..tails {
            if !end_arcs.contains_key(&(k, requirement.airport)) {
                continue;
            }
            let penalty = requirement
                .penalty_by_tail
                .get(k)
                .copied()
                .unwrap_or(requirement.unmet_penalty);
            if penalty >= requirement.unmet_penalty {
                continue;
            }
            let m = vars.add(variable().min(0.0).max(1.0));
            objective.add_mul(penalty - requirement.unmet_penalty, m);
            met.add_mul(1.0, m);
            meets.insert((k, r), m);
            candidates += 1;
        }
        if candidates == 0 {
            continue;
        }
        constraints.push(met.leq(requirement.count as f64));
    }
    let mut per_end: BTreeMap<(usize, u32), Expression> = BTreeMap::new();
    for (&(k, r), &m) in &meets {
        per_end
            .entry((k, problem.end_requirements[r].airport))
            .or_default()
            .add_mul(1.0, m);
    }
    for ((k, airport), sum) in per_end {
        if let Some(&end) = end_arcs.get(&(k, airport)) {
            let mut row = sum;
            row.add_mul(-1.0, end);
            constraints.push(row.leq(0.0));
        }
    }

    let size = ModelSize {
        flight_arcs: flight_arcs.len(),
        ground_arcs,
        constraints: constraints.len(),
    };
    let start = start.map(|assignment| {
        start_values(
            problem,
            assignment,
            &flight_arcs,
            &tail_ground,
            &cancel_vars,
            &broken_vars,
            &option_flow_values_index(&flight_arcs),
        )
    });
    Ok(NetworkModel {
        vars,
        objective,
        constraints,
        flight_arcs,
        size,
        start,
    })
}

fn option_flow_values_index(
    flight_arcs: &[(usize, usize, usize, Variable)],
) -> BTreeMap<(usize, usize, usize), Variable> {
    flight_arcs
        .iter()
        .map(|&(l, k, o, x)| ((l, k, o), x))
        .collect()
}

/// Values of every variable for a known plan, so HiGHS starts from it.
fn start_values(
    problem: &SubProblem,
    assignment: &SubAssignment,
    flight_arcs: &[(usize, usize, usize, Variable)],
    tail_ground: &[Vec<(u32, Minute, Variable)>],
    cancel_vars: &[Option<Variable>],
    broken_vars: &[(usize, Variable)],
    arc_of: &BTreeMap<(usize, usize, usize), Variable>,
) -> Vec<(Variable, f64)> {
    let mut values = Vec::with_capacity(flight_arcs.len() + tail_ground.len() * 8);
    let chosen: BTreeSet<(usize, usize, usize)> = assignment
        .legs
        .iter()
        .enumerate()
        .filter_map(|(l, a)| a.map(|(k, o)| (l, k, o)))
        .collect();
    for &(l, k, o, x) in flight_arcs {
        values.push((
            x,
            if chosen.contains(&(l, k, o)) {
                1.0
            } else {
                0.0
            },
        ));
    }
    // ground flows: walk each airport's events in time order, carrying the tail's presence
    for (k, tail) in problem.tails.iter().enumerate() {
        let mut balance: BTreeMap<(u32, Minute), i64> = BTreeMap::new();
        *balance
            .entry((tail.start_airport, tail.ready_min))
            .or_default() += 1;
        if let TailEnd::At { airport, by_min } = tail.end {
            *balance.entry((airport, by_min)).or_default() -= 1;
        }
        for &(l, kk, o) in &chosen {
            if kk != k || !arc_of.contains_key(&(l, k, o)) {
                continue;
            }
            let leg = &problem.legs[l];
            let departure = leg.options[o].departure_min;
            *balance.entry((leg.origin, departure)).or_default() -= 1;
            let ground = leg.ground_override_min.unwrap_or(tail.ground_min);
            *balance
                .entry((leg.destination, departure + leg.block_min + ground))
                .or_default() += 1;
        }
        let mut carried: BTreeMap<u32, i64> = BTreeMap::new();
        let mut last_time: BTreeMap<u32, Minute> = BTreeMap::new();
        // ground arcs are listed in (airport, time) order
        for &(airport, from_time, g) in &tail_ground[k] {
            let flow = carried.entry(airport).or_default();
            let previous = last_time.entry(airport).or_insert(Minute::MIN);
            for (_, &b) in balance.range((airport, *previous + 1)..=(airport, from_time)) {
                *flow += b;
            }
            *previous = from_time;
            values.push((g, (*flow).clamp(0, 1) as f64));
        }
    }
    let flown: Vec<bool> = assignment.legs.iter().map(Option::is_some).collect();
    for (l, cancel) in cancel_vars.iter().enumerate() {
        if let Some(c) = cancel {
            values.push((
                *c,
                if flown.get(l).copied().unwrap_or(false) {
                    0.0
                } else {
                    1.0
                },
            ));
        }
    }
    for &(c, z) in broken_vars {
        let connection = &problem.connections[c];
        let broken = match (
            assignment.legs.get(connection.from_leg),
            assignment.legs.get(connection.to_leg),
        ) {
            (Some(Some((_, o))), Some(Some((_, p)))) => {
                let from = &problem.legs[connection.from_leg];
                let arrival = from.options[*o].departure_min + from.block_min;
                problem.legs[connection.to_leg].options[*p].departure_min - arrival
                    < problem.min_connection_min
            }
            _ => false,
        };
        values.push((z, if broken { 1.0 } else { 0.0 }));
    }
    values
}

/// Solve a built model with HiGHS: one thread, a fixed seed, the time limit given.
pub fn solve(
    model: NetworkModel,
    problem: &SubProblem,
    options: SolveOptions,
) -> Result<SubSolution, NetworkError> {
    let NetworkModel {
        vars,
        objective,
        constraints,
        flight_arcs,
        start,
        ..
    } = model;
    let objective_copy = objective.clone();
    let mut highs_problem = vars
        .minimise(objective)
        .using(highs)
        .set_threads(options.threads.max(1))
        .set_time_limit(options.time_limit_s.max(0.01))
        .set_option("random_seed", options.random_seed)
        .set_option("mip_rel_gap", 1e-6)
        .set_option("output_flag", false);
    if let Some(start) = start {
        highs_problem =
            good_lp::solvers::WithInitialSolution::with_initial_solution(highs_problem, start);
    }
    for constraint in constraints {
        highs_problem.add_constraint(constraint);
    }
    let solution = highs_problem.solve().map_err(|e| match e {
        good_lp::ResolutionError::Infeasible => NetworkError::Infeasible("infeasible".into()),
        other => NetworkError::Solver(other.to_string()),
    })?;
    let proven_optimal = matches!(solution.status(), SolutionStatus::Optimal);
    let mut legs = vec![None; problem.legs.len()];
    for &(l, k, o, x) in &flight_arcs {
        if solution.value(x) > 0.5 {
            legs[l] = Some((k, o));
        }
    }
    let objective = objective_copy.eval_with(&solution);
    Ok(SubSolution {
        assignment: SubAssignment { legs },
        proven_optimal,
        objective,
    })
}

/// Build and solve in one step.
pub fn optimise(
    problem: &SubProblem,
    start: Option<&SubAssignment>,
    options: SolveOptions,
) -> Result<SubSolution, NetworkError> {
    let model = build(problem, start)?;
    solve(model, problem, options)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tail_at(airport: u32) -> SubTail {
        SubTail {
            start_airport: airport,
            ready_min: 0,
            end: TailEnd::Free,
            ground_min: 30,
            blocked: Vec::new(),
            flying_limit: None,
        }
    }

    fn leg(origin: u32, destination: u32, departures: &[(Minute, f64)], tails: usize) -> SubLeg {
        SubLeg {
            origin,
            destination,
            block_min: 30,
            flying_min: 30,
            options: departures
                .iter()
                .map(|&(departure_min, cost)| LegOption {
                    departure_min,
                    cost,
                })
                .collect(),
            tail_cost: vec![Some(0.0); tails],
            cancel_cost: Some(1_000.0),
            uses_capacity: true,
            ground_override_min: None,
        }
    }

    /// Two tails at airport 0 both want to leave in hour 0, which has one departure left: one of the
    /// legs moves to its 60-minute option (cost 10) rather than being cancelled (cost 1,000).
    #[test]
    fn one_departure_left_in_an_hour_pushes_the_second_leg_to_the_next_hour() {
        let problem = SubProblem {
            tails: vec![tail_at(0), tail_at(0)],
            legs: vec![
                leg(0, 1, &[(0, 0.0), (60, 10.0)], 2),
                leg(0, 1, &[(0, 0.0), (60, 10.0)], 2),
            ],
            slots: vec![SlotLimit {
                airport: 0,
                hour: 0,
                departures_left: 1,
                arrivals_left: 5,
            }],
            min_connection_min: 30,
            ..SubProblem::default()
        };
        let solution = optimise(&problem, None, SolveOptions::default()).expect("HiGHS solves it");
        assert!(solution.proven_optimal);
        let mut options: Vec<usize> = solution
            .assignment
            .legs
            .iter()
            .map(|a| a.expect("flown").1)
            .collect();
        options.sort_unstable();
        assert_eq!(options, vec![0, 1]);
        assert!((solution.objective - 10.0).abs() < 1e-6);
    }

    /// A tail that must be back at airport 0 by minute 100 cannot fly a round trip that lands at 120:
    /// the leg out is cancelled with the leg back rather than leaving the tail away.
    #[test]
    fn a_fixed_end_cancels_a_round_trip_that_would_come_back_late() {
        let mut home = tail_at(0);
        home.end = TailEnd::At {
            airport: 0,
            by_min: 100,
        };
        let problem = SubProblem {
            tails: vec![home],
            legs: vec![leg(0, 1, &[(30, 0.0)], 1), leg(1, 0, &[(90, 0.0)], 1)],
            min_connection_min: 30,
            ..SubProblem::default()
        };
        let solution = optimise(&problem, None, SolveOptions::default()).expect("HiGHS solves it");
        assert!(solution.proven_optimal);
        assert_eq!(solution.assignment.legs, vec![None, None]);
        assert!((solution.objective - 2_000.0).abs() < 1e-6);
    }
}
