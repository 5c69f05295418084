//! The large-neighbourhood search: start from the constructive plan, then again and again free a part of
//! it — some tails of one family over the whole window, over a few hours, or those that pass through one
//! airport — re-optimise that part exactly with the MILP ([`crate::milp`]) while the rest stays fixed,
//! rebook the passengers, and keep the result if the checker's cost went down.
//!
//! The neighbourhoods are drawn from a seeded generator, so the sequence of sub-problems is the same on
//! every run; how many are tried is the time limit's, or with a work budget
//! ([`LnsPolicy::neighbourhoods_per_second`]) the same on every machine. Tails in trouble (a cancelled or
//! delayed leg in the incumbent) seed most neighbourhoods, with tails of the same family that meet them
//! at an airport: those are the tails a swap can help.

use std::collections::BTreeSet;
use std::time::Duration;

use ucodts_model::recovery::{AircraftIdx, FlightIdx, PlanFlight, RecoveryPlan, RecoveryProblem};
use ucodts_model::time::UtcMinute;

use crate::milp::{self, Neighbourhood, PassengerIndex};
use crate::{ConstructivePolicy, Offer, OptimizerError, RecoveryPolicy, Search};

/// The large-neighbourhood search policy.
#[derive(Clone, Debug, PartialEq)]
pub struct LnsPolicy {
    /// Seed of the neighbourhood draws (and HiGHS's random seed).
    pub seed: u64,
    /// Most tails in one neighbourhood.
    pub max_tails: usize,
    /// Longest a single sub-problem may run.
    pub max_solve: Duration,
    /// Stop after this many neighbourhoods (the budget usually stops it first).
    pub max_iterations: usize,
    /// A work budget: this many neighbourhoods solved per second of the search's time limit (a
    /// neighbourhood drawn again, or with no tail, costs nothing: it is skipped before the solver; the
    /// draws stop after [`DRAWS_PER_NEIGHBOURHOOD`] per neighbourhood of the budget). With it, a search
    /// draws and solves the same neighbourhoods on any machine, load and thread count, so the same seed
    /// gives the same plan; the time limit only stops a search that falls behind it (a machine slower
    /// than [`NEIGHBOURHOODS_PER_SECOND`] assumes). `None`: as many as the time limit lets in (the ROADEF
    /// 2009 bench, whose limit is the challenge's).
    pub neighbourhoods_per_second: Option<f64>,
}

/// The work budget the recovery loop gives the search ([`LnsPolicy::neighbourhoods_per_second`]): about
/// four fifths of the neighbourhoods a two-core machine shared by several builds (load about 4) solves on
/// the library scenarios' largest problems (3.0 to 3.3 a second on the JFK closure and the ground delay
/// programme, docs/benchmarks.md), so that the time limit rarely cuts a search short. Rounded down: a
/// feedback replan's fraction of a second gets one neighbourhood, not two it could not finish.
pub const NEIGHBOURHOODS_PER_SECOND: f64 = 2.5;

/// The most draws per neighbourhood of a work budget: a search whose draws keep repeating neighbourhoods it
/// has solved (nothing left to improve near its incumbent) stops after these.
pub const DRAWS_PER_NEIGHBOURHOOD: usize = 10;

impl Default for LnsPolicy {
    fn default() -> Self {
        LnsPolicy {
            seed: 2009,
            max_tails: 8,
            max_solve: Duration::from_secs(10),
            max_iterations: 100_000,
            neighbourhoods_per_second: None,
        }
    }
}

/// Shuttle plans ([`crate::constructive::add_shuttles`]) the search may try per neighbourhood solved: a
/// pass runs on each new incumbent while the passes so far stay within it (a plan tried is one rebooking
/// of the passengers, a small part of a neighbourhood's MILP), and once more on the last incumbent.
pub const SHUTTLE_PLANS_PER_SOLVE: usize = 4;

/// The shuttle passes of one search: plans tried, whether the incumbent has had its pass, and the time to
/// keep for the last one (twice what the latest took; kept only when the clock stops the search).
#[derive(Default)]
struct Shuttles {
    tried: usize,
    done: bool,
    reserve: Duration,
}

impl Shuttles {
    fn pass(
        &mut self,
        problem: &RecoveryProblem,
        incumbent: &RecoveryPlan,
        search: &mut Search<'_>,
        timed: bool,
    ) {
        let started = timed.then(|| search.elapsed());
        let (_, tried) = crate::constructive::add_shuttles(problem, incumbent, search);
        self.tried += tried;
        self.done = true;
        if let Some(started) = started {
            self.reserve = search.elapsed().saturating_sub(started) * 2;
        }
    }
}

/// SplitMix64: a small, fixed generator so the draws never depend on a library's version.
#[derive(Clone, Debug)]
pub struct Draws(u64);

impl Draws {
    pub fn new(seed: u64) -> Draws {
        Draws(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

/// The kinds of neighbourhood the search draws from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NeighbourhoodKind {
    /// A tail in trouble and tails of its family that share an airport with it, over the whole window.
    TroubledTails,
    /// Tails of one family flying in a window of a few hours.
    TimeWindow,
    /// Tails of one family passing through one airport, over the whole window.
    Airport,
}

/// Draws the next neighbourhood of `incumbent`.
pub fn draw_neighbourhood(
    problem: &RecoveryProblem,
    incumbent: &RecoveryPlan,
    draws: &mut Draws,
    max_tails: usize,
) -> Option<(NeighbourhoodKind, Neighbourhood)> {
    let families = milp::tails_by_family(problem);
    if families.is_empty() {
        return None;
    }
    let whole = (problem.window_start, problem.window_end);
    let cancelled: BTreeSet<FlightIdx> = incumbent.cancelled.iter().copied().collect();
    // airports each tail touches in the window, flying or through its planned legs the incumbent cancels
    let touches = |a: AircraftIdx| -> BTreeSet<u16> {
        let mut airports = BTreeSet::new();
        for leg in incumbent.rotations.get(a.index()).into_iter().flatten() {
            if leg.arrival >= problem.window_start {
                let (o, d) = incumbent.flight_airports(problem, leg.flight);
                airports.insert(o.0);
                airports.insert(d.0);
            }
        }
        for &f in &problem.planned_rotations[a.index()] {
            if cancelled.contains(&f) {
                airports.insert(problem.flight(f).origin.0);
                airports.insert(problem.flight(f).destination.0);
            }
        }
        airports
    };
    let busy_in = |a: AircraftIdx, from: UtcMinute, to: UtcMinute| {
        incumbent
            .rotations
            .get(a.index())
            .into_iter()
            .flatten()
            .any(|l| l.departure >= from && l.departure < to)
            || problem.planned_rotations[a.index()].iter().any(|&f| {
                let departure = problem.flight(f).scheduled_departure;
                cancelled.contains(&f) && departure >= from && departure < to
            })
    };
    let roll = draws.below(10);
    if roll < 6 {
        let troubled = troubled_tails(problem, incumbent);
        if !troubled.is_empty() {
            let seed_tail = troubled[draws.below(troubled.len())];
            let family = problem.tail(seed_tail).family;
            let seen = touches(seed_tail);
            let mut mates: Vec<AircraftIdx> = families
                .iter()
                .find(|(f, _)| *f == family)
                .map(|(_, tails)| tails.clone())
                .unwrap_or_default()
                .into_iter()
                .filter(|&a| a != seed_tail && !touches(a).is_disjoint(&seen))
                .collect();
            shuffle(&mut mates, draws);
            let mut aircraft = vec![seed_tail];
            aircraft.extend(mates.into_iter().take(max_tails.saturating_sub(1)));
            aircraft.sort();
            return Some((
                NeighbourhoodKind::TroubledTails,
                Neighbourhood {
                    aircraft,
                    from: whole.0,
                    to: whole.1,
                },
            ));
        }
    }
    let (_, tails) = &families[draws.below(families.len())];
    if roll < 8 {
        let hours = ((problem.window_end - problem.window_start).0 / 60).max(1);
        let start = problem.window_start.0 + 60 * draws.below(hours as usize) as i64;
        let length = 60 * (4 + draws.below(5) as i64);
        let from = UtcMinute(start);
        let to = UtcMinute((start + length).min(problem.window_end.0));
        let mut aircraft: Vec<AircraftIdx> = tails
            .iter()
            .copied()
            .filter(|&a| busy_in(a, from, to))
            .collect();
        shuffle(&mut aircraft, draws);
        aircraft.truncate(max_tails + 4);
        aircraft.sort();
        return Some((
            NeighbourhoodKind::TimeWindow,
            Neighbourhood { aircraft, from, to },
        ));
    }
    let airport = draws.below(problem.airports.len()) as u16;
    let mut aircraft: Vec<AircraftIdx> = tails
        .iter()
        .copied()
        .filter(|&a| touches(a).contains(&airport))
        .collect();
    shuffle(&mut aircraft, draws);
    aircraft.truncate(max_tails);
    aircraft.sort();
    Some((
        NeighbourhoodKind::Airport,
        Neighbourhood {
            aircraft,
            from: whole.0,
            to: whole.1,
        },
    ))
}

/// Tails whose planned legs the incumbent cancels or flies late, in index order.
pub fn troubled_tails(problem: &RecoveryProblem, incumbent: &RecoveryPlan) -> Vec<AircraftIdx> {
    let mut troubled = BTreeSet::new();
    for &f in &incumbent.cancelled {
        let planned = problem.flight(f).planned_aircraft;
        if !problem.tail(planned).ground_transport {
            troubled.insert(planned);
        }
    }
    for (a, rotation) in incumbent.rotations.iter().enumerate() {
        for leg in rotation {
            if let PlanFlight::Planned(f) = leg.flight {
                if leg.departure > problem.flight(f).scheduled_departure && !problem.is_fixed(f) {
                    troubled.insert(AircraftIdx(a as u16));
                }
            }
        }
    }
    troubled.into_iter().collect()
}

fn shuffle<T>(items: &mut [T], draws: &mut Draws) {
    for i in (1..items.len()).rev() {
        let j = draws.below(i + 1);
        items.swap(i, j);
    }
}

impl RecoveryPolicy for LnsPolicy {
    fn name(&self) -> &'static str {
        "lns"
    }

    fn search(
        &self,
        problem: &RecoveryProblem,
        search: &mut Search<'_>,
    ) -> Result<(), OptimizerError> {
        search.run(&ConstructivePolicy::without_shuttles(), problem)?;
        let Some(best) = search.best() else {
            return Ok(());
        };
        // The incumbent has no shuttles (their created flights would be fixed in every sub-problem); each
        // pass of them goes to the search beside it.
        let mut incumbent = best.plan().clone();
        let mut incumbent_cost = best.cost();
        // Only a search the clock stops keeps time for its last shuttle pass (a look at the clock would
        // make a search on a work budget depend on the machine).
        let timed = self.neighbourhoods_per_second.is_none();
        let mut shuttles = Shuttles::default();
        shuttles.pass(problem, &incumbent, search, timed);
        let passengers = PassengerIndex::new(problem);
        let mut draws = Draws::new(self.seed);
        let mut tried: BTreeSet<(Vec<AircraftIdx>, i64, i64)> = BTreeSet::new();
        // With a work budget, `solves` neighbourhoods reach the solver; without, the clock stops the search.
        let (solves, max_draws) = self.neighbourhoods_per_second.map_or(
            (self.max_iterations, self.max_iterations),
            |rate| {
                let work = (rate * search.budget().time_limit.as_secs_f64()).floor() as usize;
                let solves = self.max_iterations.min(work);
                (solves, solves.saturating_mul(DRAWS_PER_NEIGHBOURHOOD))
            },
        );
        let mut solved = 0;
        for _ in 0..max_draws {
            if solved >= solves || search.out_of_time() {
                break;
            }
            // Time left for a last shuttle pass on an incumbent that has not had one.
            if timed && !shuttles.done && search.remaining() <= shuttles.reserve {
                break;
            }
            let Some((_, neighbourhood)) =
                draw_neighbourhood(problem, &incumbent, &mut draws, self.max_tails)
            else {
                break;
            };
            // the same neighbourhood of the same incumbent gives the same answer
            let key = (
                neighbourhood.aircraft.clone(),
                neighbourhood.from.0,
                neighbourhood.to.0,
            );
            if neighbourhood.aircraft.is_empty() || !tried.insert(key) {
                continue;
            }
            solved += 1;
            let time = search.remaining().min(self.max_solve);
            let options = milp::solve_options(search, time, (self.seed % 1_000_000) as i32);
            let repaired = milp::repair(problem, &passengers, &incumbent, &neighbourhood, options)
                .map_err(|e| milp::solver_error(self.name(), e))?;
            let Some(repair) = repaired else { continue };
            if !repair.changed {
                continue;
            }
            // Better than the incumbent: the search's best, or (when a shuttle pass made the best) cheaper
            // by the checker than the incumbent.
            let cost = match search.offer(repair.plan.clone()) {
                Offer::Infeasible => None,
                Offer::Improved | Offer::Feasible => search.last_offer_cost(),
            };
            if let Some(cost) = cost.filter(|&c| c < incumbent_cost) {
                incumbent_cost = cost;
                incumbent = repair.plan;
                tried.clear();
                shuttles.done = false;
                if shuttles.tried <= SHUTTLE_PLANS_PER_SOLVE * solved {
                    shuttles.pass(problem, &incumbent, search, timed);
                }
            }
        }
        if !shuttles.done {
            shuttles.pass(problem, &incumbent, search, false);
        }
        Ok(())
    }
}
