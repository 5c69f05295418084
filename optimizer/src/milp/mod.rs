//! The exact aircraft-recovery MILP (HiGHS through good_lp) and [`MilpPolicy`], which solves it family by
//! family over the whole recovery window when the model is small enough.
//!
//! - [`network`]: the model itself — a time-space network per tail with discrete departure options per
//!   leg, cancellations, turn-round, maintenance, unavailability, airport capacity per clock hour,
//!   end-of-window positions and linearised passenger costs — on plain minutes and euros.
//! - [`subproblem`]: cutting a [`Neighbourhood`] (tails of one family, a time window) out of a
//!   [`RecoveryProblem`] and an incumbent plan, and writing the answer back.
//!
//! After the MILP, passengers are rebooked on the new plan by the constructive policy's rebooking, and the
//! plan goes to the checker through [`Search::offer`]: the MILP's objective steers, the checker's cost
//! decides.

pub mod network;
pub mod subproblem;

use std::time::Duration;

use ucodts_model::recovery::{AircraftIdx, FamilyIdx, RecoveryPlan, RecoveryProblem};

use crate::{ConstructivePolicy, OptimizerError, RecoveryPolicy, Search};
pub use network::{NetworkError, SolveOptions, SubAssignment, SubProblem, SubSolution};
pub use subproblem::{cut, CutSubProblem, Neighbourhood, PassengerIndex};

/// What one re-optimisation of a neighbourhood gave.
#[derive(Clone, Debug)]
pub struct Repair {
    /// The incumbent with the neighbourhood re-optimised and every passenger rebooked.
    pub plan: RecoveryPlan,
    /// HiGHS proved the sub-problem's assignment optimal.
    pub proven_optimal: bool,
    /// The MILP changed something (if not, `plan` is the incumbent with passengers rebooked).
    pub changed: bool,
    /// Size of the model.
    pub flight_arcs: usize,
}

/// Re-optimises `neighbourhood` of `incumbent` with the MILP and rebooks the passengers. `None` when the
/// neighbourhood has no free leg or HiGHS finds no solution in time.
pub fn repair(
    problem: &RecoveryProblem,
    passengers: &PassengerIndex,
    incumbent: &RecoveryPlan,
    neighbourhood: &Neighbourhood,
    options: SolveOptions,
) -> Result<Option<Repair>, NetworkError> {
    let cut = subproblem::cut(problem, passengers, incumbent, neighbourhood);
    if cut.free_legs() == 0 {
        return Ok(None);
    }
    let model = network::build(&cut.sub, Some(&cut.start))?;
    let flight_arcs = model.size().flight_arcs;
    let solution = match network::solve(model, &cut.sub, options) {
        Ok(solution) => solution,
        Err(NetworkError::Infeasible(_)) => return Ok(None),
        Err(NetworkError::Solver(message)) if message.contains("NoSolutionFound") => {
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    let changed = solution.assignment != cut.start;
    let mut plan = cut.apply(problem, incumbent, &solution.assignment);
    plan.passengers = crate::constructive::rebook_passengers(problem, &plan);
    plan.order_passenger_lines();
    Ok(Some(Repair {
        plan,
        proven_optimal: solution.proven_optimal,
        changed,
        flight_arcs,
    }))
}

/// Tails of each family that fly (ground transport left out), by family.
pub fn tails_by_family(problem: &RecoveryProblem) -> Vec<(FamilyIdx, Vec<AircraftIdx>)> {
    let mut families: Vec<(FamilyIdx, Vec<AircraftIdx>)> = Vec::new();
    for (a, tail) in problem.aircraft.iter().enumerate() {
        if tail.ground_transport {
            continue;
        }
        match families.iter_mut().find(|(f, _)| *f == tail.family) {
            Some((_, tails)) => tails.push(AircraftIdx(a as u16)),
            None => families.push((tail.family, vec![AircraftIdx(a as u16)])),
        }
    }
    families.sort_by_key(|(f, _)| *f);
    families
}

/// Solves the MILP for each family over the whole recovery window, starting from the constructive plan,
/// one family after the other (tails swap only within a family). A family whose model would exceed
/// `max_flight_arcs` is left as the constructive plan has it: the large-neighbourhood search is for those.
#[derive(Clone, Debug, PartialEq)]
pub struct MilpPolicy {
    pub max_flight_arcs: usize,
    pub random_seed: i32,
}

impl Default for MilpPolicy {
    fn default() -> Self {
        MilpPolicy {
            max_flight_arcs: 20_000,
            random_seed: 2009,
        }
    }
}

impl RecoveryPolicy for MilpPolicy {
    fn name(&self) -> &'static str {
        "milp"
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
        let mut incumbent = best.plan().clone();
        let passengers = PassengerIndex::new(problem);
        let families = tails_by_family(problem);
        for (i, (_, tails)) in families.iter().enumerate() {
            if search.out_of_time() {
                break;
            }
            let neighbourhood = Neighbourhood {
                aircraft: tails.clone(),
                from: problem.window_start,
                to: problem.window_end,
            };
            let cut = subproblem::cut(problem, &passengers, &incumbent, &neighbourhood);
            if cut.free_legs() == 0 {
                continue;
            }
            let model = network::build(&cut.sub, Some(&cut.start))
                .map_err(|e| solver_error(self.name(), e))?;
            if model.size().flight_arcs > self.max_flight_arcs {
                continue;
            }
            // share what is left among the families still to solve
            let share = search.remaining() / (families.len() - i).max(1) as u32;
            let options = solve_options(search, share, self.random_seed);
            let solution = match network::solve(model, &cut.sub, options) {
                Ok(solution) => solution,
                Err(NetworkError::Infeasible(_)) => continue,
                Err(NetworkError::Solver(m)) if m.contains("NoSolutionFound") => continue,
                Err(e) => return Err(solver_error(self.name(), e)),
            };
            if solution.assignment == cut.start {
                continue;
            }
            let mut plan = cut.apply(problem, &incumbent, &solution.assignment);
            plan.passengers = crate::constructive::rebook_passengers(problem, &plan);
            plan.order_passenger_lines();
            if search.offer(plan.clone()) == crate::Offer::Improved {
                incumbent = plan;
            }
        }
        if !search.out_of_time() {
            crate::constructive::add_shuttles(problem, &incumbent, search);
        }
        Ok(())
    }
}

pub(crate) fn solve_options(search: &Search<'_>, time: Duration, random_seed: i32) -> SolveOptions {
    SolveOptions {
        time_limit_s: time.as_secs_f64().max(0.05),
        threads: u32::try_from(search.budget().threads.get()).unwrap_or(1),
        random_seed,
    }
}

pub(crate) fn solver_error(policy: &'static str, e: NetworkError) -> OptimizerError {
    OptimizerError::Solver {
        policy,
        message: e.to_string(),
    }
}
