//! The contract every recovery policy keeps: the [`RecoveryPolicy`] trait, the [`Budget`] it runs under,
//! the [`Clock`] it reads, and [`recover`], the one door plans leave the optimizer through.
//!
//! A policy never hands plans back directly. It offers each candidate to a [`Search`], which checks it with
//! [`ucodts_model::recovery::evaluate`] (the same checker and cost evaluator used everywhere else), keeps
//! the best few, and reports every improving feasible plan through a callback with the time it was found.
//! So a plan that leaves the optimizer has always been checked, and the ranking is by the checker's cost.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use ucodts_model::recovery::{Cents, Evaluation, RecoveryPlan, RecoveryProblem};

use crate::OptimizerError;

/// What a policy may spend: wall-clock time, threads, and how many ranked plans to return.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Budget {
    /// The search stops offering new work once this much time has passed since [`recover`] started.
    /// Policies check it between steps, so a run may overrun by one step (one repair, one MILP solve).
    pub time_limit: Duration,
    /// Threads a policy may use (HiGHS threads for the MILP). Results do not depend on it except through
    /// how much work fits in the time limit.
    pub threads: NonZeroUsize,
    /// How many plans to return, best first.
    pub plans: usize,
}

impl Budget {
    /// A budget of `seconds` on one thread returning the single best plan.
    pub fn seconds(seconds: u64) -> Budget {
        Budget {
            time_limit: Duration::from_secs(seconds),
            threads: NonZeroUsize::MIN,
            plans: 1,
        }
    }
}

/// Where a policy reads the time since the search started. [`WallClock`] in the product; tests use
/// [`SteppingClock`] so that where a budget cuts a search off is the same on every machine.
pub trait Clock: Sync {
    fn elapsed(&self) -> Duration;
}

/// Real time since [`WallClock::start`].
#[derive(Debug)]
pub struct WallClock {
    start: Instant,
}

impl WallClock {
    pub fn start() -> WallClock {
        WallClock {
            start: Instant::now(),
        }
    }
}

impl Clock for WallClock {
    fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }
}

/// A deterministic clock for tests: every reading advances it by a fixed step, so a search under a budget
/// of `n` steps stops after the same amount of work whatever the machine's speed.
#[derive(Debug)]
pub struct SteppingClock {
    step: Duration,
    readings: AtomicU64,
}

impl SteppingClock {
    pub fn new(step: Duration) -> SteppingClock {
        SteppingClock {
            step,
            readings: AtomicU64::new(0),
        }
    }
}

impl Clock for SteppingClock {
    fn elapsed(&self) -> Duration {
        let n = self.readings.fetch_add(1, Ordering::Relaxed);
        self.step
            .saturating_mul(u32::try_from(n).unwrap_or(u32::MAX))
    }
}

/// An improving feasible plan, as reported to the callback of [`recover`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Incumbent {
    /// The policy that found it.
    pub policy: &'static str,
    /// Its cost by the checker.
    pub cost: Cents,
    /// Time since the search started.
    pub found_after: Duration,
}

/// A plan that went through the checker, with the checker's verdict and cost. Only [`Search`] makes them.
#[derive(Clone, Debug)]
pub struct CheckedPlan {
    plan: RecoveryPlan,
    evaluation: Evaluation,
    found_after: Duration,
    policy: &'static str,
}

impl CheckedPlan {
    pub fn plan(&self) -> &RecoveryPlan {
        &self.plan
    }

    pub fn evaluation(&self) -> &Evaluation {
        &self.evaluation
    }

    pub fn feasible(&self) -> bool {
        self.evaluation.feasible
    }

    pub fn cost(&self) -> Cents {
        self.evaluation.cost.total
    }

    pub fn found_after(&self) -> Duration {
        self.found_after
    }

    pub fn policy(&self) -> &'static str {
        self.policy
    }

    /// Ranking key: feasible before infeasible; then fewer violations, then lower cost, then earlier.
    fn rank(&self) -> (bool, usize, Cents, Duration) {
        (
            !self.feasible(),
            self.evaluation.violations.len(),
            self.cost(),
            self.found_after,
        )
    }
}

/// What [`Search::offer`] did with a plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Offer {
    /// Feasible and cheaper than every plan offered before.
    Improved,
    /// Feasible, not an improvement.
    Feasible,
    /// The checker found violations.
    Infeasible,
}

/// The state of one search: the budget, the clock, the ranked plans so far. Policies read the time and
/// offer plans through it.
pub struct Search<'a> {
    problem: &'a RecoveryProblem,
    budget: &'a Budget,
    clock: &'a dyn Clock,
    on_incumbent: &'a mut dyn FnMut(&Incumbent),
    policy: &'static str,
    ranked: Vec<CheckedPlan>,
    least_infeasible: Option<CheckedPlan>,
    first_feasible_after: Option<Duration>,
    best_after: Option<Duration>,
    offers: usize,
    /// The checker's cost of the plan offered last, when it was feasible.
    last_cost: Option<Cents>,
}

impl<'a> Search<'a> {
    pub fn problem(&self) -> &'a RecoveryProblem {
        self.problem
    }

    pub fn budget(&self) -> &'a Budget {
        self.budget
    }

    /// Time since the search started.
    pub fn elapsed(&self) -> Duration {
        self.clock.elapsed()
    }

    /// Time left in the budget (zero once it is spent).
    pub fn remaining(&self) -> Duration {
        self.budget.time_limit.saturating_sub(self.elapsed())
    }

    /// Whether the budget is spent: a policy stops at its next chance.
    pub fn out_of_time(&self) -> bool {
        self.elapsed() >= self.budget.time_limit
    }

    /// The cheapest feasible plan so far.
    pub fn best(&self) -> Option<&CheckedPlan> {
        self.ranked.first()
    }

    /// The checker's cost of the plan offered last, when it was feasible: what [`Search::offer`] found,
    /// without checking the plan again.
    pub fn last_offer_cost(&self) -> Option<Cents> {
        self.last_cost
    }

    /// Checks a candidate plan and keeps it if it ranks among the best.
    pub fn offer(&mut self, plan: RecoveryPlan) -> Offer {
        self.offers += 1;
        let evaluation = ucodts_model::recovery::evaluate(self.problem, &plan);
        let found_after = self.elapsed();
        self.last_cost = evaluation.feasible.then_some(evaluation.cost.total);
        let checked = CheckedPlan {
            plan,
            evaluation,
            found_after,
            policy: self.policy,
        };
        if !checked.feasible() {
            let better = self
                .least_infeasible
                .as_ref()
                .map_or(true, |old| checked.rank() < old.rank());
            if better {
                self.least_infeasible = Some(checked);
            }
            return Offer::Infeasible;
        }
        self.first_feasible_after.get_or_insert(found_after);
        let improved = self
            .ranked
            .first()
            .map_or(true, |b| checked.cost() < b.cost());
        if improved {
            self.best_after = Some(found_after);
            (self.on_incumbent)(&Incumbent {
                policy: self.policy,
                cost: checked.cost(),
                found_after,
            });
        }
        // Plans of equal cost are taken as the same outcome: keep the first.
        if self.ranked.iter().any(|p| p.cost() == checked.cost()) {
            return if improved {
                Offer::Improved
            } else {
                Offer::Feasible
            };
        }
        let at = self.ranked.partition_point(|p| p.rank() <= checked.rank());
        if at < self.budget.plans.max(1) {
            self.ranked.insert(at, checked);
            self.ranked.truncate(self.budget.plans.max(1));
        }
        if improved {
            Offer::Improved
        } else {
            Offer::Feasible
        }
    }

    /// Runs another policy inside this search (a composite policy's stages), its plans reported under its
    /// own name.
    pub fn run(
        &mut self,
        policy: &dyn RecoveryPolicy,
        problem: &RecoveryProblem,
    ) -> Result<(), OptimizerError> {
        let outer = self.policy;
        self.policy = policy.name();
        let result = policy.search(problem, self);
        self.policy = outer;
        result
    }
}

/// A way to recover from a disruption. Implementations offer candidate plans to the [`Search`] as they find
/// them (anytime) and return when done or when [`Search::out_of_time`] says so.
///
/// **Determinism:** given the same problem, a policy offers the same plans in the same order; the thread
/// count and the speed of the machine change only how far it gets before the budget cuts it off.
pub trait RecoveryPolicy {
    /// The name used on the command line and in reports (`constructive`, `milp`, `lns`, ...).
    fn name(&self) -> &'static str;

    /// Searches for plans, offering each to `search`.
    fn search(
        &self,
        problem: &RecoveryProblem,
        search: &mut Search<'_>,
    ) -> Result<(), OptimizerError>;
}

/// The outcome of [`recover`]: checked plans, best first, and when the search found them.
#[derive(Clone, Debug)]
pub struct Recovery {
    /// Feasible plans, cheapest first (at most [`Budget::plans`]).
    pub plans: Vec<CheckedPlan>,
    /// When no feasible plan was found: the offered plan with the fewest violations, for diagnosis.
    pub least_infeasible: Option<CheckedPlan>,
    pub first_feasible_after: Option<Duration>,
    pub best_after: Option<Duration>,
    /// How many plans the policy offered.
    pub offers: usize,
}

impl Recovery {
    /// The best plan: the cheapest feasible one, else the least infeasible one.
    pub fn best(&self) -> Option<&CheckedPlan> {
        self.plans.first().or(self.least_infeasible.as_ref())
    }
}

/// Runs `policy` on `problem` under `budget`, reading time from `clock`, calling `on_incumbent` for every
/// improving feasible plan. Every plan in the result has been checked by
/// [`ucodts_model::recovery::evaluate`].
pub fn recover(
    policy: &dyn RecoveryPolicy,
    problem: &RecoveryProblem,
    budget: &Budget,
    clock: &dyn Clock,
    on_incumbent: &mut dyn FnMut(&Incumbent),
) -> Result<Recovery, OptimizerError> {
    let mut search = Search {
        problem,
        budget,
        clock,
        on_incumbent,
        policy: policy.name(),
        ranked: Vec::new(),
        least_infeasible: None,
        first_feasible_after: None,
        best_after: None,
        offers: 0,
        last_cost: None,
    };
    policy.search(problem, &mut search)?;
    let least_infeasible = if search.ranked.is_empty() {
        search.least_infeasible
    } else {
        None
    };
    Ok(Recovery {
        plans: search.ranked,
        least_infeasible,
        first_feasible_after: search.first_feasible_after,
        best_after: search.best_after,
        offers: search.offers,
    })
}
