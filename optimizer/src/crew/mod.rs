//! Crew recovery: after a disruption, new rosters for the affected crew from `t0`, using reserves at their
//! bases, swaps between affected crews, deadheads on the airline's own legs and, last, uncovered seats.
//!
//! Both policies work over one pool of candidate rosters (*columns*, [`columns`]): per affected crew member
//! the roster the disruption leaves (if still legal), rosters found by a bounded depth-first search from
//! where they stand at `t0` over the open seats of their rank (deadheading home or to an open seat), and a
//! fallback that flies nothing more (home, or declared stranded); per reserve, the same search from their
//! base within their standby, plus not calling them. Every column is judged by
//! [`ucodts_model::recovery::crew::judge_roster`] — the rule engine on disrupted times — and only legal ones
//! are kept, priced exactly as the plan will be.
//!
//! - [`greedy_repair`]: keeps every roster the disruption leaves legal, gives each broken crew member the
//!   candidate that covers the most open seats still free, then calls reserves for the seats left, in order
//!   of departure; what is left is uncovered, with why.
//! - [`solve_milp`]: the set-partitioning model over the same pool — one column per crew member and
//!   reserve, each open seat flown once or paid as uncovered — solved by HiGHS (one thread, fixed random
//!   seed) warm-started from the greedy plan, which is always a solution of it, so the MILP plan never costs
//!   more.
//!
//! Every plan leaves through [`ucodts_model::recovery::crew::evaluate`]. Deterministic: crew, reserves, legs
//! and columns are visited in sorted order; only where a time limit or the deadline
//! ([`CrewRecoveryOptions::deadline`]) cuts the work off depends on the machine. With
//! [`CrewRecoveryOptions::milp_work`] the MILP stops on work, and the clock only as a safety stop that the
//! solution reports (`cut_at_deadline`).

pub mod columns;
pub mod greedy;
pub mod milp;
pub mod policy;

use std::time::{Duration, Instant};

use ucodts_model::recovery::crew::{CrewEvaluation, CrewRecoveryPlan};
use ucodts_model::Minutes;

pub use columns::{Column, ColumnKind, ColumnPool};
pub use greedy::greedy_repair;
pub use milp::solve_milp;
pub use policy::{
    crew_policy_by_name, CrewPolicy, GreedyCrewPolicy, MilpCrewPolicy, CREW_POLICY_NAMES,
};

/// Limits on the search for candidate rosters and on the solver.
#[derive(Clone, Debug, PartialEq)]
pub struct CrewRecoveryOptions {
    /// Legs in one duty, deadheads included.
    pub max_segments_per_duty: usize,
    /// New duties in one candidate roster.
    pub max_new_duties: usize,
    /// Longest wait between two legs of a duty (default: the practice the crew generator plans with).
    pub max_sit_in_duty: Minutes,
    /// Search nodes per crew member or reserve.
    pub max_nodes_per_crew: usize,
    /// Candidate rosters kept per crew member or reserve (those covering the most open seats).
    pub max_columns_per_crew: usize,
    /// HiGHS time limit (without [`CrewRecoveryOptions::milp_work`]).
    pub milp_time_limit: Duration,
    /// A limit on HiGHS's work that does not read the clock, in column-nodes: branch-and-bound nodes times
    /// the columns of the model (a node's LP grows with them), so one budget stops a large model after fewer
    /// nodes. With it the solve stops on work, the same plan on any machine and load, and the time limits
    /// are safety stops only: HiGHS runs until [`CrewRecoveryOptions::deadline`] (without one, for
    /// `milp_time_limit`), and the solution says `cut_at_deadline` when that stop fired. `None`: HiGHS stops
    /// at `milp_time_limit` or the deadline, whichever is first.
    pub milp_work: Option<u64>,
    /// HiGHS's random seed.
    pub random_seed: i32,
    /// When the crew side must hand back its best plan so far: the end of the whole optimisation's budget
    /// ([`crate::integrated::recover_joint`] sets it). Past it, no more candidate rosters are searched or
    /// judged (each crew member and reserve keeps the rosters already found, at least the roster the
    /// disruption leaves and the fallback, so every plan stays whole) and HiGHS is not started, or stops at
    /// it. `None`: only the limits above.
    pub deadline: Option<Instant>,
}

/// Column-nodes (see [`CrewRecoveryOptions::milp_work`]) HiGHS is given per second of a crew solve's
/// budget: below what it does on a loaded two-core machine, so the work limit, not the clock, stops it.
/// Measured in docs/benchmarks.md ("The refinement and the crew solves on a work budget").
pub const MILP_COLUMN_NODES_PER_SECOND: f64 = 1_000_000.0;

impl CrewRecoveryOptions {
    /// The MILP work ([`CrewRecoveryOptions::milp_work`]) for a solve budgeted `seconds`, at
    /// [`MILP_COLUMN_NODES_PER_SECOND`].
    pub fn milp_work_for(seconds: f64) -> u64 {
        (seconds.max(0.0) * MILP_COLUMN_NODES_PER_SECOND) as u64
    }

    /// Whether the deadline has passed.
    pub fn past_deadline(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// The time left before the deadline (`None`: no deadline).
    pub fn time_left(&self) -> Option<Duration> {
        self.deadline
            .map(|d| d.saturating_duration_since(Instant::now()))
    }
}

impl Default for CrewRecoveryOptions {
    fn default() -> CrewRecoveryOptions {
        CrewRecoveryOptions {
            max_segments_per_duty: 5,
            max_new_duties: 2,
            max_sit_in_duty: ucodts_model::practice::MAX_SIT_IN_DUTY,
            max_nodes_per_crew: 4_000,
            max_columns_per_crew: 10,
            milp_time_limit: Duration::from_secs(30),
            milp_work: None,
            random_seed: 2013,
            deadline: None,
        }
    }
}

/// A plan, its judgement and what it took.
#[derive(Clone, Debug)]
pub struct CrewSolution {
    pub plan: CrewRecoveryPlan,
    pub evaluation: CrewEvaluation,
    /// Wall-clock seconds from the call to the plan (columns included), for reports; never for tests.
    pub seconds: f64,
    /// Candidate rosters in the pool.
    pub columns: usize,
    /// Whether the solver proved the plan optimal over the pool (the greedy repair never claims it).
    pub optimal: bool,
    /// Whether [`CrewRecoveryOptions::deadline`] cut the search for candidate rosters or the solver short:
    /// the plan is the best found by then.
    pub cut_at_deadline: bool,
}
