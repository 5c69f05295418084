//! The set-partitioning model over the pool of legal candidate rosters, solved by HiGHS.
//!
//! Variables: `x[c]` (binary) takes column `c`; `u[i]` (integer, 0 to the seat count) leaves seats of open
//! position `i` uncovered. Each crew member and reserve takes exactly one column (a reserve's may be "not
//! called"); each open position's seats are flown by the columns taken or left uncovered:
//! `sum(x[c] for c flying i) + u[i] = count[i]`. The objective is the columns' costs plus the uncovered
//! penalty — the evaluator's cost of the plan, term for term. HiGHS is warm-started from the greedy plan (a
//! solution of the model), runs on one thread with a fixed random seed, and the better of its plan and the
//! warm start (by the evaluator) is returned, so the MILP never costs more than the greedy repair.

use std::time::{Duration, Instant};

use good_lp::{
    highs, variable, Expression, ProblemVariables, Solution, SolverModel, Variable,
    WithInitialSolution,
};
use ucodts_model::recovery::crew::{evaluate, CrewRecoveryPlan, CrewRecoveryProblem};

use super::columns::{add_plan_columns, build_pool};
use super::greedy::{greedy_choice, plan_from};
use super::{CrewRecoveryOptions, CrewSolution};
use crate::OptimizerError;

/// The least time HiGHS is started with: below it, the warm start is returned as it is.
const MIN_SOLVE: Duration = Duration::from_millis(50);

/// Solves the set-partitioning model (see the module documentation). Past
/// [`CrewRecoveryOptions::deadline`] the pool stops growing; HiGHS runs until the deadline at most, and is
/// not started when less than [`MIN_SOLVE`] is left (the warm start is then the plan). With
/// [`CrewRecoveryOptions::milp_work`], HiGHS stops after that many column-nodes (its `mip_max_nodes`, a
/// count that reads no clock), so the plan is the same on any machine unless the deadline fires first.
///
/// `warm_start` is a plan HiGHS starts from and the answer never does worse than (the greedy repair's);
/// without one, the greedy choice over this model's own pool is the warm start.
pub fn solve_milp(
    problem: &CrewRecoveryProblem<'_>,
    options: &CrewRecoveryOptions,
    warm_start: Option<&CrewRecoveryPlan>,
) -> Result<CrewSolution, OptimizerError> {
    let started = Instant::now();
    let mut pool = build_pool(problem, options);
    // Per crew member of the pool, the column the warm start takes.
    let start_columns = match warm_start {
        Some(plan) => add_plan_columns(problem, &mut pool, plan),
        None => greedy_choice(problem, &pool),
    };
    let start_plan = match warm_start {
        Some(plan) => CrewRecoveryPlan {
            policy: "milp".into(),
            ..plan.clone()
        },
        None => plan_from(problem, &pool, &start_columns, "milp"),
    };
    let start_evaluation = evaluate(problem, &start_plan);
    // The deadline bounds the solver too; with too little left, the warm start is the answer.
    let time_left = options.time_left();
    if time_left.is_some_and(|left| left < MIN_SOLVE) {
        return Ok(CrewSolution {
            plan: start_plan,
            evaluation: start_evaluation,
            seconds: started.elapsed().as_secs_f64(),
            columns: pool.columns.len(),
            optimal: false,
            cut_at_deadline: true,
        });
    }
    // Nothing to choose (no crew member affected, no open seat): the model has no variable, and HiGHS refuses
    // a warm start for a model without columns. The warm start is the plan, and it is optimal.
    if pool.columns.is_empty() && problem.demand().is_empty() {
        return Ok(CrewSolution {
            plan: start_plan,
            evaluation: start_evaluation,
            seconds: started.elapsed().as_secs_f64(),
            columns: 0,
            optimal: true,
            cut_at_deadline: false,
        });
    }
    // On a work budget the clock is a safety stop: HiGHS may run to the deadline, and stops on its nodes.
    let solver_limit = match (options.milp_work, time_left) {
        (Some(_), Some(left)) => left,
        (Some(_), None) => options.milp_time_limit,
        (None, _) => time_left.map_or(options.milp_time_limit, |left| {
            left.min(options.milp_time_limit)
        }),
    };
    let deadline_binds = options.milp_work.is_none() && solver_limit < options.milp_time_limit;

    let mut vars = ProblemVariables::new();
    let x: Vec<Variable> = pool
        .columns
        .iter()
        .map(|_| vars.add(variable().binary()))
        .collect();
    let penalty = problem.costs().uncovered_position as f64;
    let u: Vec<Variable> = problem
        .demand()
        .iter()
        .map(|d| vars.add(variable().integer().min(0).max(d.count as f64)))
        .collect();
    let mut objective = Expression::from(0.0);
    for (c, column) in pool.columns.iter().enumerate() {
        objective += column.cost as f64 * x[c];
    }
    for &ui in &u {
        objective += penalty * ui;
    }
    let mut model = vars
        .minimise(objective)
        .using(highs)
        .set_threads(1)
        .set_time_limit(solver_limit.max(MIN_SOLVE).as_secs_f64())
        .set_option("random_seed", options.random_seed)
        .set_option("mip_rel_gap", 0.0)
        .set_option("output_flag", false);
    if let Some(work) = options.milp_work {
        model = model.set_option("mip_max_nodes", max_nodes(work, pool.columns.len()));
    }
    // Start from the warm start.
    let mut covered = vec![0u32; problem.demand().len()];
    let mut start: Vec<(Variable, f64)> = Vec::with_capacity(x.len() + u.len());
    for (c, &xc) in x.iter().enumerate() {
        let taken = start_columns.contains(&c);
        if taken {
            for &i in &pool.columns[c].covers {
                covered[i] += 1;
            }
        }
        start.push((xc, if taken { 1.0 } else { 0.0 }));
    }
    for (i, d) in problem.demand().iter().enumerate() {
        start.push((u[i], d.count.saturating_sub(covered[i]) as f64));
    }
    model = model.with_initial_solution(start);
    for columns in &pool.by_crew {
        let mut one = Expression::from(0.0);
        for &c in columns {
            one += x[c];
        }
        model.add_constraint(one.eq(1.0));
    }
    let mut flying: Vec<Expression> = u.iter().map(|&ui| Expression::from(ui)).collect();
    for (c, column) in pool.columns.iter().enumerate() {
        for &i in &column.covers {
            flying[i] += x[c];
        }
    }
    for (i, e) in flying.into_iter().enumerate() {
        model.add_constraint(e.eq(problem.demand()[i].count as f64));
    }
    let solving = Instant::now();
    let solved = model.solve();
    // A solve on a work budget that ran for its whole time limit was stopped by the clock, not its nodes.
    let clock_stopped = options.milp_work.is_some() && solving.elapsed() >= solver_limit;
    let (chosen, optimal) = match solved {
        Ok(solution) => {
            let optimal = matches!(solution.status(), good_lp::SolutionStatus::Optimal);
            let chosen: Vec<usize> = pool
                .by_crew
                .iter()
                .enumerate()
                .map(|(owner, columns)| {
                    columns
                        .iter()
                        .copied()
                        .find(|&c| solution.value(x[c]) > 0.5)
                        .unwrap_or(start_columns[owner])
                })
                .collect();
            (chosen, optimal)
        }
        Err(good_lp::ResolutionError::Infeasible) | Err(good_lp::ResolutionError::Unbounded) => {
            return Err(OptimizerError::Solver {
                policy: "crew-milp",
                message: "HiGHS calls the crew model infeasible or unbounded, though the warm start solves it"
                    .into(),
            })
        }
        Err(e) => {
            return Err(OptimizerError::Solver {
                policy: "crew-milp",
                message: e.to_string(),
            })
        }
    };
    let plan = plan_from(problem, &pool, &chosen, "milp");
    let evaluation = evaluate(problem, &plan);
    let better = evaluation.is_legal() && evaluation.cost.total() <= start_evaluation.cost.total();
    let (plan, evaluation, optimal) = if better || !start_evaluation.is_legal() {
        (plan, evaluation, optimal)
    } else {
        (start_plan, start_evaluation, false)
    };
    Ok(CrewSolution {
        plan,
        evaluation,
        seconds: started.elapsed().as_secs_f64(),
        columns: pool.columns.len(),
        optimal,
        cut_at_deadline: pool.cut_at_deadline || (!optimal && (deadline_binds || clock_stopped)),
    })
}

/// HiGHS's node limit for `work` column-nodes on a model of `columns` columns: at least one node past the
/// root.
fn max_nodes(work: u64, columns: usize) -> i32 {
    i32::try_from(work / columns.max(1) as u64)
        .unwrap_or(i32::MAX)
        .max(1)
}
