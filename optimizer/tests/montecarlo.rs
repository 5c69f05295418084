//! Ranking candidate plans by Monte Carlo replications, on a synthetic replay whose outcomes are a fixed
//! function of (plan, replication): every plan shares the replication's noise (common random numbers) and
//! adds a little of its own.

use std::sync::atomic::{AtomicU64, Ordering};

use ucodts_optimizer::montecarlo::{rank, MonteCarloError, Outcome, Ranking, Replay};
use ucodts_optimizer::OptimizerError;

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = x;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Uniform in 0..1 from a key.
fn unit(key: u64) -> f64 {
    (splitmix(key) >> 11) as f64 / (1u64 << 53) as f64
}

/// Roughly standard normal from a key (twelve uniforms).
fn normal(key: u64) -> f64 {
    (0..12u64)
        .map(|i| unit(splitmix(key) ^ splitmix(i + 1_000)))
        .sum::<f64>()
        - 6.0
}

/// Key of a stream: `purpose` for plan `plan` (0 = doing nothing, shared = u64::MAX) in `replication`.
fn key(purpose: u64, plan: u64, replication: u64) -> u64 {
    splitmix(splitmix(purpose) ^ splitmix(plan).rotate_left(17) ^ replication)
}

#[derive(Clone)]
struct Plan {
    label: &'static str,
    cost: f64,
    /// Standard deviation of the plan's own cost noise (the shared noise has 3,000).
    own_cost_sd: f64,
    p90_delay_min: f64,
    cancelled_legs: f64,
    /// Share of runs in which the crew ends illegal.
    illegal_share: f64,
}

fn plan(label: &'static str, cost: f64, own_cost_sd: f64, p90_delay_min: f64) -> Plan {
    Plan {
        label,
        cost,
        own_cost_sd,
        p90_delay_min,
        cancelled_legs: 2.0,
        illegal_share: 0.0,
    }
}

struct Synthetic {
    /// Doing nothing first, then the candidates.
    plans: Vec<Plan>,
    /// (candidate, replication) that fail.
    failures: Vec<(Option<usize>, u64)>,
    not_a_number_at: Option<(Option<usize>, u64)>,
}

impl Synthetic {
    fn new(candidates: Vec<Plan>) -> Synthetic {
        let mut plans = vec![Plan {
            cancelled_legs: 0.0,
            ..plan("doing nothing", 50_000.0, 500.0, 60.0)
        }];
        plans.extend(candidates);
        Synthetic {
            plans,
            failures: Vec::new(),
            not_a_number_at: None,
        }
    }
}

impl Replay for Synthetic {
    fn candidates(&self) -> usize {
        self.plans.len() - 1
    }

    fn replicate(&self, candidate: Option<usize>, replication: u64) -> Result<Outcome, String> {
        if self.failures.contains(&(candidate, replication)) {
            return Err(format!("the twin stopped in replication {replication}"));
        }
        let index = candidate.map_or(0, |c| c + 1);
        let plan = &self.plans[index];
        let index = index as u64;
        let shared_cost = normal(key(1, u64::MAX, replication));
        let shared_delay = normal(key(2, u64::MAX, replication));
        let p90 = plan.p90_delay_min + 8.0 * shared_delay + normal(key(3, index, replication));
        let mut outcome = Outcome {
            cost: plan.cost
                + 3_000.0 * shared_cost
                + plan.own_cost_sd * normal(key(4, index, replication)),
            mean_arrival_delay_min: p90 / 3.0,
            p90_arrival_delay_min: p90,
            on_time_rate: (0.9 - p90 / 600.0).clamp(0.0, 1.0),
            cancelled_legs: plan.cancelled_legs,
            crew_illegal: unit(key(5, index, replication)) < plan.illegal_share,
            misconnects: 10.0 + 3.0 * shared_delay,
        };
        if self.not_a_number_at == Some((candidate, replication)) {
            outcome.misconnects = f64::NAN;
        }
        Ok(outcome)
    }

    fn label(&self, candidate: usize) -> String {
        self.plans[candidate + 1].label.to_string()
    }
}

fn ranked(replay: &Synthetic, replications: u64, threads: usize) -> Ranking {
    rank(replay, replications, threads, &|| {}).expect("the synthetic replay never fails")
}

fn three_plans() -> Synthetic {
    Synthetic::new(vec![
        plan("constructive+greedy", 43_000.0, 300.0, 55.0),
        plan("lns+milp", 41_000.0, 300.0, 40.0),
        plan("milp+milp", 42_000.0, 300.0, 45.0),
    ])
}

/// The ranking is a function of the replay and the number of replications alone: the same again on any
/// number of threads, and other numbers when the replications change (so the comparison sees them).
#[test]
fn the_ranking_depends_on_the_replications_and_not_on_the_thread_count() {
    let replay = three_plans();
    let one = ranked(&replay, 37, 1);
    assert_eq!(one, ranked(&replay, 37, 2));
    assert_eq!(one, ranked(&replay, 37, 5));
    assert_ne!(one.baseline, ranked(&replay, 38, 1).baseline);
}

#[test]
fn plans_are_ranked_by_expected_cost_with_the_recommended_first() {
    let ranking = ranked(&three_plans(), 50, 2);
    let order: Vec<usize> = ranking.ranked.iter().map(|r| r.candidate).collect();
    assert_eq!(order, vec![1, 2, 0]);
    assert_eq!(ranking.recommended, Some(1));
    assert_eq!(ranking.replications, 50);
    let best = &ranking.ranked[0];
    assert!(
        (best.kpis.cost.mean - 41_000.0).abs() < 1_500.0,
        "{:?}",
        best.kpis.cost
    );
    assert!(
        best.kpis.cost.lower < best.kpis.cost.mean && best.kpis.cost.mean < best.kpis.cost.upper
    );
    assert!(
        ranking.why.starts_with("lns+milp: expected cost "),
        "{}",
        ranking.why
    );
    assert!(
        ranking.why.contains("below doing nothing"),
        "{}",
        ranking.why
    );
    assert!(
        ranking.why.contains("crew illegal in 0 of 50 runs"),
        "{}",
        ranking.why
    );
    assert!(
        ranking.why.contains("Next: milp+milp costs "),
        "{}",
        ranking.why
    );
}

#[test]
fn comparisons_are_paired_differences_replication_by_replication() {
    let ranking = ranked(&three_plans(), 50, 2);
    let best = &ranking.ranked[0];
    // The recommended plan against itself: exactly nothing.
    let zero = best.vs_recommended.cost;
    assert_eq!((zero.mean, zero.lower, zero.upper), (0.0, 0.0, 0.0));
    assert_eq!(best.vs_recommended.crew_illegality_probability.mean, 0.0);
    for candidate in &ranking.ranked {
        let against_nothing = candidate.kpis.cost.mean - ranking.baseline.cost.mean;
        assert!((candidate.vs_baseline.cost.mean - against_nothing).abs() < 1e-6);
        let against_best = candidate.kpis.cost.mean - best.kpis.cost.mean;
        assert!((candidate.vs_recommended.cost.mean - against_best).abs() < 1e-6);
    }
}

#[test]
fn a_paired_difference_is_narrower_than_either_plans_own_interval() {
    let ranking = ranked(&three_plans(), 50, 2);
    let (best, next) = (&ranking.ranked[0], &ranking.ranked[1]);
    let paired = next.vs_recommended.cost;
    assert!(
        paired.lower > 0.0,
        "1,000 apart with shared noise is significant: {paired:?}"
    );
    assert!(
        paired.width() < best.kpis.cost.width() / 3.0,
        "{paired:?} vs {:?}",
        best.kpis.cost
    );
    assert!(
        paired.width() < next.kpis.cost.width() / 3.0,
        "{paired:?} vs {:?}",
        next.kpis.cost
    );
}

#[test]
fn a_cheaper_plan_that_leaves_the_crew_illegal_in_30_percent_of_runs_is_not_recommended() {
    let replay = Synthetic::new(vec![
        Plan {
            illegal_share: 0.3,
            ..plan("risky", 40_000.0, 300.0, 40.0)
        },
        plan("safe", 41_000.0, 300.0, 40.0),
    ]);
    let ranking = ranked(&replay, 60, 2);
    assert_eq!(ranking.recommended, Some(1));
    let order: Vec<usize> = ranking.ranked.iter().map(|r| r.candidate).collect();
    assert_eq!(order, vec![1, 0]);
    let risky = &ranking.ranked[1];
    assert!(risky.kpis.crew_illegality_probability.mean > 0.15);
    assert!(
        risky.vs_recommended.cost.upper < 0.0,
        "the risky plan is clearly cheaper"
    );
    assert!(risky.vs_recommended.crew_illegality_probability.lower > 0.0);
    assert_eq!(
        ranking.ranked[0].kpis.crew_illegality_probability.lower,
        0.0
    );
    assert!(
        ranking.why.contains("Not risky, which would cost "),
        "{}",
        ranking.why
    );
    assert!(
        ranking.why.contains("its crew is illegal in "),
        "{}",
        ranking.why
    );
}

#[test]
fn when_costs_do_not_differ_significantly_the_lower_p90_delay_wins() {
    let replay = Synthetic::new(vec![
        plan("cheap but late", 40_000.0, 2_000.0, 50.0),
        plan("on time", 40_100.0, 2_000.0, 35.0),
    ]);
    let ranking = ranked(&replay, 40, 2);
    let late = ranking.ranked.iter().find(|r| r.candidate == 0).unwrap();
    assert!(
        late.vs_recommended.cost.contains_zero(),
        "{:?}",
        late.vs_recommended.cost
    );
    assert_eq!(ranking.recommended, Some(1), "{}", ranking.why);
    assert!(
        ranking.why.contains("Chosen over cheap but late"),
        "{}",
        ranking.why
    );
    assert!(ranking.why.contains("p90 delay is"), "{}", ranking.why);
}

#[test]
fn a_significantly_cheaper_plan_wins_despite_a_higher_p90_delay() {
    let replay = Synthetic::new(vec![
        plan("cheap but late", 40_000.0, 200.0, 50.0),
        plan("on time", 41_000.0, 200.0, 35.0),
    ]);
    assert_eq!(ranked(&replay, 40, 1).recommended, Some(0));
}

#[test]
fn doing_nothing_is_recommended_when_no_plan_costs_significantly_less() {
    // Doing nothing costs 50,000: one plan far above it, one within the noise of it.
    let replay = Synthetic::new(vec![
        plan("closure plan", 530_000.0, 300.0, 30.0),
        plan("small change", 50_050.0, 2_000.0, 40.0),
    ]);
    let ranking = ranked(&replay, 30, 2);
    assert_eq!(ranking.recommended, None, "{}", ranking.why);
    assert!(
        ranking.why.starts_with("Doing nothing: expected cost "),
        "{}",
        ranking.why
    );
    assert!(
        ranking
            .why
            .contains("no plan costs significantly less. The cheapest, small change, costs "),
        "{}",
        ranking.why
    );
    assert!(
        ranking
            .why
            .contains("1 of 2 plans cost significantly more than doing nothing"),
        "{}",
        ranking.why
    );
    // Every plan is still ranked, and compared with doing nothing where a plan would be compared with the
    // recommended one.
    assert_eq!(ranking.ranked.len(), 2);
    for r in &ranking.ranked {
        assert_eq!(r.vs_recommended, r.vs_baseline);
    }
}

#[test]
fn a_plan_significantly_worse_than_doing_nothing_is_never_recommended_even_when_it_is_the_safest() {
    // The cheap plan leaves the crew illegal in a third of the runs, which would discard it against a safe
    // plan; but the safe plan costs far more than doing nothing, so it may not be recommended.
    let replay = Synthetic::new(vec![
        plan("safe but dear", 90_000.0, 300.0, 30.0),
        Plan {
            illegal_share: 0.3,
            ..plan("cheap", 40_000.0, 300.0, 40.0)
        },
    ]);
    let ranking = ranked(&replay, 40, 2);
    assert_eq!(ranking.recommended, Some(1), "{}", ranking.why);
    let order: Vec<usize> = ranking.ranked.iter().map(|r| r.candidate).collect();
    assert_eq!(order, vec![1, 0], "the plans that pay come first");
    assert!(ranking.ranked[1].vs_baseline.cost.lower > 0.0);
}

#[test]
fn progress_is_reported_once_per_replication() {
    let calls = AtomicU64::new(0);
    rank(&three_plans(), 23, 2, &|| {
        calls.fetch_add(1, Ordering::Relaxed);
    })
    .unwrap();
    assert_eq!(calls.load(Ordering::Relaxed), 23);
}

#[test]
fn an_error_from_a_replication_surfaces_the_same_on_any_thread_count() {
    let mut replay = three_plans();
    replay.failures = vec![(None, 12), (Some(1), 7), (Some(2), 7)];
    for threads in [1, 2, 3] {
        let error = rank(&replay, 30, threads, &|| {}).unwrap_err();
        match &error {
            OptimizerError::MonteCarlo(MonteCarloError::Replication {
                candidate,
                plan,
                replication,
                message,
            }) => {
                assert_eq!(
                    (*candidate, *replication),
                    (Some(1), 7),
                    "{threads} threads"
                );
                assert_eq!(plan, "lns+milp");
                assert!(message.contains("the twin stopped"));
            }
            other => panic!("expected a replication error, got {other:?}"),
        }
        assert_eq!(
            error.to_string(),
            "replication 7 of lns+milp failed: the twin stopped in replication 7"
        );
    }
}

#[test]
fn a_number_that_cannot_be_averaged_is_an_error() {
    let mut replay = three_plans();
    replay.not_a_number_at = Some((None, 3));
    let error = rank(&replay, 10, 2, &|| {}).unwrap_err();
    assert!(
        matches!(
            error,
            OptimizerError::MonteCarlo(MonteCarloError::NotFinite {
                candidate: None,
                replication: 3,
                field: "misconnects",
                ..
            })
        ),
        "{error:?}"
    );
}

#[test]
fn too_few_replications_or_no_candidates_are_refused() {
    for replications in [0, 1] {
        let error = rank(&three_plans(), replications, 1, &|| {}).unwrap_err();
        assert!(
            matches!(
                error,
                OptimizerError::MonteCarlo(MonteCarloError::Replications { .. })
            ),
            "{error:?}"
        );
    }
    let error = rank(&Synthetic::new(Vec::new()), 10, 1, &|| {}).unwrap_err();
    assert!(
        matches!(
            error,
            OptimizerError::MonteCarlo(MonteCarloError::NoCandidates)
        ),
        "{error:?}"
    );
}
