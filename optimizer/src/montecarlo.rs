//! Monte Carlo ranking of candidate recovery plans: each plan (and doing nothing) is replayed many times
//! through a [`Replay`] — in the product, the twin with common random numbers — and [`rank`] turns the
//! outcomes into a [`Ranking`] a controller can act on: per plan the expected cost, delays, cancellations,
//! crew illegality and misconnections with 95 % intervals, paired comparisons against doing nothing and
//! against the recommended plan, and a `why` in words.
//!
//! # Statistics
//! All of them come from `ucodts-stats`, so an interval here means what it means in the twin's reports.
//! - A measure's interval is the Student t interval on the per-replication values: mean ± t(0.975, n−1) ·
//!   s / √n, with the sample standard deviation s ([`ucodts_stats::student_t_interval`]).
//! - The probability that the crew plan is illegal is a proportion; its interval is the Wilson score
//!   interval (z = 1.96, [`ucodts_stats::wilson_score_interval`]), which stays inside 0..1 and is not
//!   degenerate when no run was illegal.
//! - A comparison between two plans (`vs_baseline`, `vs_recommended`) is the t interval of the *paired*
//!   differences, replication by replication (candidate − other; for the illegality, the difference of the
//!   0/1 indicators; [`ucodts_stats::paired_difference`]). Replication `r` of every plan sees the same
//!   random numbers, so the noise they share cancels and the paired interval is much narrower than either
//!   plan's own.
//!
//! # The cautious choice
//! Doing nothing — the twin's own reactive control on the day, holding flights for slots and crew and
//! calling reserves as seats fall empty — is always a candidate, and the default one: a plan is recommended
//! only when it pays, that is when the upper end of the paired 95 % interval of its cost difference from
//! doing nothing lies below zero. When no plan pays, doing nothing is recommended
//! ([`Ranking::recommended`] is `None`); so a plan significantly worse than doing nothing is never
//! recommended. A controller ranks the plans that pay by expected cost but avoids risk. Among the plans
//! still to place:
//! 1. discard those whose crew-illegality probability is clearly above the lowest: more than
//!    [`ILLEGALITY_TOLERANCE`] above it, or with a paired 95 % interval of the difference wholly above zero;
//! 2. of the rest, take the cheapest by expected cost;
//! 3. every remaining plan whose paired cost difference to that one is not significant (its 95 % interval
//!    reaches zero) is as good on cost: among those, prefer the lower p90 arrival delay, then fewer
//!    cancelled legs, then the lower expected cost, then the lower index.
//!
//! The plan chosen so from the plans that pay is the recommended one; repeating the rule on the plans left
//! orders the rest (the plans that pay first, then the others), so the discarded plans come last in their
//! group. [`Ranking::why`] says which rule decided, with the numbers.
//!
//! # Determinism
//! Replications run in parallel on `threads` scoped threads, but every outcome is stored at its (plan,
//! replication) index and all sums run in index order, so a ranking is bit-identical on any number of
//! threads. If replications fail, the error of the lowest replication (and, in it, of doing nothing, then
//! the lowest candidate) is returned, whatever the thread count.

use std::fmt::Write as _;
use std::sync::atomic::{self, AtomicU64};

use ucodts_stats::{paired_difference, student_t_interval, wilson_score_interval, Moments};

use crate::OptimizerError;

/// A mean (or an observed share) with its 95 % interval: the shared type of `ucodts-stats`, here under
/// the name this module has always given it.
pub use ucodts_stats::Interval;

/// The confidence level of every interval of a ranking.
pub const LEVEL: f64 = 0.95;

/// At most this many replications per ranking: every outcome is kept until the end.
pub const MAX_REPLICATIONS: u64 = 100_000;

/// How far a plan's crew-illegality probability may exceed the lowest before it counts as clearly riskier.
pub const ILLEGALITY_TOLERANCE: f64 = 0.05;

/// What one replication of one plan produced.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Outcome {
    /// Cost of the run: disruption and plan actions, in the replay's cost units.
    pub cost: f64,
    pub mean_arrival_delay_min: f64,
    pub p90_arrival_delay_min: f64,
    /// Share of arrivals on time, 0..1.
    pub on_time_rate: f64,
    pub cancelled_legs: f64,
    /// Whether some crew member ended the run outside the duty limits.
    pub crew_illegal: bool,
    pub misconnects: f64,
}

/// Runs a plan once. Implemented by the twin in the binary; the optimizer does not know how.
pub trait Replay: Sync {
    /// How many candidate plans there are (indices `0..candidates()`).
    fn candidates(&self) -> usize;
    /// One replication; `None` is doing nothing. Same `replication` = same random numbers for every candidate.
    fn replicate(&self, candidate: Option<usize>, replication: u64) -> Result<Outcome, String>;
    /// The plan's name in [`Ranking::why`] and in errors, e.g. `"lns+milp"`.
    fn label(&self, candidate: usize) -> String {
        format!("candidate {candidate}")
    }
}

/// Every measure of a plan over the replications (or of a paired difference between two plans), each a 95 %
/// interval; serialized as the recovery JSON's KPI objects.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Kpis {
    pub cost: Interval,
    pub mean_arrival_delay_min: Interval,
    pub p90_arrival_delay_min: Interval,
    pub on_time_rate: Interval,
    pub cancelled_legs: Interval,
    /// Wilson interval for a plan; t interval of the paired 0/1 differences for a comparison.
    pub crew_illegality_probability: Interval,
    pub misconnects: Interval,
}

/// One plan in the ranking.
#[derive(Clone, Debug, PartialEq)]
pub struct RankedCandidate {
    /// Index into the [`Replay`]'s candidates.
    pub candidate: usize,
    pub kpis: Kpis,
    /// Paired differences, this plan − doing nothing.
    pub vs_baseline: Kpis,
    /// Paired differences, this plan − the recommended one (all zero for the recommended itself; the same
    /// as `vs_baseline` when doing nothing is recommended).
    pub vs_recommended: Kpis,
}

/// The plans in the order a controller should consider them.
#[derive(Clone, Debug, PartialEq)]
pub struct Ranking {
    pub replications: u64,
    /// Doing nothing.
    pub baseline: Kpis,
    /// The plans that pay (significantly cheaper than doing nothing) first, the recommended one at their
    /// head; then the others.
    pub ranked: Vec<RankedCandidate>,
    /// Index of the recommended candidate (`ranked[0].candidate`), or `None`: doing nothing is recommended,
    /// as no plan costs significantly less.
    pub recommended: Option<usize>,
    /// Why that one, in words a controller reads.
    pub why: String,
}

/// Why a ranking could not be made.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum MonteCarloError {
    #[error("{replications} replications asked for: a 95 % interval needs at least 2, and at most {MAX_REPLICATIONS} are kept")]
    Replications { replications: u64 },
    #[error("there are no candidate plans to rank")]
    NoCandidates,
    /// The replay reported an error.
    #[error("replication {replication} of {plan} failed: {message}")]
    Replication {
        /// `None` is doing nothing.
        candidate: Option<usize>,
        plan: String,
        replication: u64,
        message: String,
    },
    /// The replay returned a number that cannot be averaged.
    #[error("replication {replication} of {plan} gave {field} = {value}, not a finite number")]
    NotFinite {
        candidate: Option<usize>,
        plan: String,
        replication: u64,
        field: &'static str,
        value: f64,
    },
}

const AT_LEAST_TWO: &str = "rank checks that there are at least two replications";

fn illegal(outcome: &Outcome) -> f64 {
    if outcome.crew_illegal {
        1.0
    } else {
        0.0
    }
}

/// The measures of one plan over its replications.
fn plan_kpis(runs: &[Outcome]) -> Kpis {
    let t = |measure: fn(&Outcome) -> f64| {
        let moments: Moments = runs.iter().map(measure).collect();
        student_t_interval(&moments, LEVEL).expect(AT_LEAST_TWO)
    };
    let illegal_runs = runs.iter().filter(|o| o.crew_illegal).count() as u64;
    Kpis {
        cost: t(|o| o.cost),
        mean_arrival_delay_min: t(|o| o.mean_arrival_delay_min),
        p90_arrival_delay_min: t(|o| o.p90_arrival_delay_min),
        on_time_rate: t(|o| o.on_time_rate),
        cancelled_legs: t(|o| o.cancelled_legs),
        crew_illegality_probability: wilson_score_interval(illegal_runs, runs.len() as u64, LEVEL)
            .expect(AT_LEAST_TWO),
        misconnects: t(|o| o.misconnects),
    }
}

/// The paired differences `plan − other`, replication by replication.
fn paired_kpis(plan: &[Outcome], other: &[Outcome]) -> Kpis {
    let t = |measure: fn(&Outcome) -> f64| {
        let values = |runs: &[Outcome]| runs.iter().map(measure).collect::<Vec<f64>>();
        paired_difference(&values(plan), &values(other), LEVEL).expect(AT_LEAST_TWO)
    };
    Kpis {
        cost: t(|o| o.cost),
        mean_arrival_delay_min: t(|o| o.mean_arrival_delay_min),
        p90_arrival_delay_min: t(|o| o.p90_arrival_delay_min),
        on_time_rate: t(|o| o.on_time_rate),
        cancelled_legs: t(|o| o.cancelled_legs),
        crew_illegality_probability: t(illegal),
        misconnects: t(|o| o.misconnects),
    }
}

fn plan_name(replay: &dyn Replay, candidate: Option<usize>) -> String {
    match candidate {
        Some(c) => replay.label(c),
        None => "doing nothing".to_string(),
    }
}

fn checked(
    replay: &dyn Replay,
    candidate: Option<usize>,
    replication: u64,
) -> Result<Outcome, MonteCarloError> {
    let outcome = replay
        .replicate(candidate, replication)
        .map_err(|message| MonteCarloError::Replication {
            candidate,
            plan: plan_name(replay, candidate),
            replication,
            message,
        })?;
    let fields = [
        ("cost", outcome.cost),
        ("mean_arrival_delay_min", outcome.mean_arrival_delay_min),
        ("p90_arrival_delay_min", outcome.p90_arrival_delay_min),
        ("on_time_rate", outcome.on_time_rate),
        ("cancelled_legs", outcome.cancelled_legs),
        ("misconnects", outcome.misconnects),
    ];
    if let Some(&(field, value)) = fields.iter().find(|(_, value)| !value.is_finite()) {
        return Err(MonteCarloError::NotFinite {
            candidate,
            plan: plan_name(replay, candidate),
            replication,
            field,
            value,
        });
    }
    Ok(outcome)
}

/// What one worker thread ran: complete replications (outcomes of doing nothing, then each candidate) and
/// the first failure of each replication it gave up on.
#[derive(Default)]
struct WorkerRuns {
    done: Vec<(u64, Vec<Outcome>)>,
    failed: Vec<(u64, MonteCarloError)>,
}

/// Claims replications in increasing order until none is left or one at or below it has failed. So every
/// replication below the lowest failing one runs to the end, and the error reported does not depend on
/// the thread count.
fn work(
    replay: &dyn Replay,
    replications: u64,
    next: &AtomicU64,
    lowest_failure: &AtomicU64,
    on_replication: &(dyn Fn() + Sync),
) -> WorkerRuns {
    let plans = replay.candidates() + 1;
    let mut runs = WorkerRuns::default();
    loop {
        let replication = next.fetch_add(1, atomic::Ordering::Relaxed);
        if replication >= replications
            || replication > lowest_failure.load(atomic::Ordering::Relaxed)
        {
            return runs;
        }
        let mut outcomes = Vec::with_capacity(plans);
        let mut failure = None;
        for plan in 0..plans {
            match checked(replay, plan.checked_sub(1), replication) {
                Ok(outcome) => outcomes.push(outcome),
                Err(error) => {
                    failure = Some(error);
                    break;
                }
            }
        }
        match failure {
            None => {
                runs.done.push((replication, outcomes));
                on_replication();
            }
            Some(error) => {
                lowest_failure.fetch_min(replication, atomic::Ordering::Relaxed);
                runs.failed.push((replication, error));
            }
        }
    }
}

/// Runs every replication of doing nothing and of each candidate; `outcomes[plan][replication]`, plan 0
/// being doing nothing.
fn replay_all(
    replay: &dyn Replay,
    replications: u64,
    threads: usize,
    on_replication: &(dyn Fn() + Sync),
) -> Result<Vec<Vec<Outcome>>, MonteCarloError> {
    let next = AtomicU64::new(0);
    let lowest_failure = AtomicU64::new(u64::MAX);
    let workers = threads.clamp(1, replications as usize);
    let runs: Vec<WorkerRuns> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| work(replay, replications, &next, &lowest_failure, on_replication))
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });

    let mut first_failure: Option<(u64, MonteCarloError)> = None;
    let mut by_replication: Vec<Option<Vec<Outcome>>> = vec![None; replications as usize];
    for worker in runs {
        for (replication, error) in worker.failed {
            if first_failure
                .as_ref()
                .map_or(true, |(r, _)| replication < *r)
            {
                first_failure = Some((replication, error));
            }
        }
        for (replication, outcomes) in worker.done {
            by_replication[replication as usize] = Some(outcomes);
        }
    }
    if let Some((_, error)) = first_failure {
        return Err(error);
    }

    let plans = replay.candidates() + 1;
    let mut outcomes = vec![Vec::with_capacity(replications as usize); plans];
    for row in by_replication {
        let row = row.expect(
            "with no failure, every replication was claimed by a worker and run to the end",
        );
        for (plan, outcome) in row.into_iter().enumerate() {
            outcomes[plan].push(outcome);
        }
    }
    Ok(outcomes)
}

/// How one plan was chosen from those left, for the `why`.
struct Choice {
    chosen: usize,
    /// The plan with the lowest crew-illegality probability among those left.
    safest: usize,
    /// Plans discarded as clearly riskier.
    risky: Vec<usize>,
    /// The cheapest plan that was not discarded.
    cheapest: usize,
}

/// Applies the cautious rule (module doc) to the candidates in `left`, which must not be empty.
fn choose(left: &[usize], kpis: &[Kpis], outcomes: &[Vec<Outcome>]) -> Choice {
    let p = |c: usize| kpis[c].crew_illegality_probability.mean;
    let cost = |c: usize| kpis[c].cost.mean;
    let safest = *left
        .iter()
        .min_by(|&&a, &&b| p(a).total_cmp(&p(b)).then(a.cmp(&b)))
        .expect("choose is called with at least one candidate");
    let (mut safe, mut risky) = (Vec::new(), Vec::new());
    for &c in left {
        let clearly_riskier = p(c) > p(safest) + ILLEGALITY_TOLERANCE
            || paired_kpis(&outcomes[c + 1], &outcomes[safest + 1])
                .crew_illegality_probability
                .lower
                > 0.0;
        if clearly_riskier {
            risky.push(c);
        } else {
            safe.push(c);
        }
    }
    let cheapest = *safe
        .iter()
        .min_by(|&&a, &&b| cost(a).total_cmp(&cost(b)).then(a.cmp(&b)))
        .expect("the safest candidate is never discarded");
    let as_cheap = safe.iter().copied().filter(|&c| {
        c == cheapest
            || paired_kpis(&outcomes[c + 1], &outcomes[cheapest + 1])
                .cost
                .contains_zero()
    });
    let chosen = as_cheap
        .min_by(|&a, &b| {
            let (ka, kb) = (&kpis[a], &kpis[b]);
            ka.p90_arrival_delay_min
                .mean
                .total_cmp(&kb.p90_arrival_delay_min.mean)
                .then(ka.cancelled_legs.mean.total_cmp(&kb.cancelled_legs.mean))
                .then(ka.cost.mean.total_cmp(&kb.cost.mean))
                .then(a.cmp(&b))
        })
        .expect("the cheapest candidate is as cheap as itself");
    Choice {
        chosen,
        safest,
        risky,
        cheapest,
    }
}

/// Runs `replications` replications (numbered 0..replications) of doing nothing and of every candidate on
/// `threads` threads (0 counts as 1), calls `on_replication` once per replication number when doing
/// nothing and every candidate have run it (from the worker threads, in no fixed order), and ranks the
/// candidates by the cautious rule of the module doc.
pub fn rank(
    replay: &dyn Replay,
    replications: u64,
    threads: usize,
    on_replication: &(dyn Fn() + Sync),
) -> Result<Ranking, OptimizerError> {
    let eligible = vec![true; replay.candidates()];
    rank_within(replay, &eligible, replications, threads, on_replication)
}

/// [`rank`], where only the candidates marked in `eligible` (one flag per candidate) may be recommended:
/// a plan over the action budget is replayed and ranked with the others, so that a controller sees what it
/// would have given, but placed after the plans that pay and never recommended.
pub fn rank_within(
    replay: &dyn Replay,
    eligible: &[bool],
    replications: u64,
    threads: usize,
    on_replication: &(dyn Fn() + Sync),
) -> Result<Ranking, OptimizerError> {
    if !(2..=MAX_REPLICATIONS).contains(&replications) {
        return Err(MonteCarloError::Replications { replications }.into());
    }
    let candidates = replay.candidates();
    if candidates == 0 {
        return Err(MonteCarloError::NoCandidates.into());
    }
    let outcomes = replay_all(replay, replications, threads, on_replication)?;
    let kpis: Vec<Kpis> = (0..candidates)
        .map(|c| plan_kpis(&outcomes[c + 1]))
        .collect();
    let vs_baseline: Vec<Kpis> = (0..candidates)
        .map(|c| paired_kpis(&outcomes[c + 1], &outcomes[0]))
        .collect();

    // The plans that pay are placed first, each group by the cautious rule.
    let may = |c: usize| eligible.get(c).copied().unwrap_or(true);
    let (pay, rest): (Vec<usize>, Vec<usize>) =
        (0..candidates).partition(|&c| vs_baseline[c].cost.upper < 0.0 && may(c));
    let mut order = Vec::with_capacity(candidates);
    let mut first_choice = None;
    for mut left in [pay, rest] {
        while !left.is_empty() {
            let choice = choose(&left, &kpis, &outcomes);
            left.retain(|&c| c != choice.chosen);
            order.push(choice.chosen);
            first_choice.get_or_insert(choice);
        }
    }
    let choice = first_choice.expect("there is at least one candidate");
    let recommended = (vs_baseline[choice.chosen].cost.upper < 0.0 && may(choice.chosen))
        .then_some(choice.chosen);

    let baseline = &outcomes[0];
    let ranked: Vec<RankedCandidate> = order
        .iter()
        .map(|&c| RankedCandidate {
            candidate: c,
            kpis: kpis[c].clone(),
            vs_baseline: vs_baseline[c].clone(),
            vs_recommended: match recommended {
                Some(r) => paired_kpis(&outcomes[c + 1], &outcomes[r + 1]),
                None => vs_baseline[c].clone(),
            },
        })
        .collect();
    let baseline = plan_kpis(baseline);
    let why = match recommended {
        Some(_) => explain(replay, replications, &baseline, &ranked, &choice, &outcomes),
        None => {
            let held_back = (0..candidates).any(|c| vs_baseline[c].cost.upper < 0.0 && !may(c));
            explain_doing_nothing(replay, &baseline, &ranked, held_back)
        }
    };
    Ok(Ranking {
        replications,
        baseline,
        ranked,
        recommended,
        why,
    })
}

/// A whole number with thousands separators: `-1,234`.
fn amount(x: f64) -> String {
    let rounded = x.round();
    let digits = format!("{}", rounded.abs() as u64);
    let mut grouped = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    if rounded < 0.0 {
        format!("-{grouped}")
    } else {
        grouped
    }
}

fn range(interval: &Interval) -> String {
    format!("{}..{}", amount(interval.lower), amount(interval.upper))
}

fn percent(p: f64) -> String {
    format!("{:.0}%", 100.0 * p)
}

/// "1,100 more (paired 95% CI 700..1,500)" / "300 less (paired 95% CI -100..700)" with `(more, less)` =
/// `("more", "less")`: the amount and its interval both in the direction of the word.
fn cost_difference(difference: &Interval, (more, less): (&str, &str)) -> String {
    let (direction, amount_in_direction) = if difference.mean < 0.0 {
        (less, difference.negated())
    } else {
        (more, *difference)
    };
    format!(
        "{} {direction} (paired 95% CI {})",
        amount(amount_in_direction.mean),
        range(&amount_in_direction)
    )
}

fn explain(
    replay: &dyn Replay,
    replications: u64,
    baseline: &Kpis,
    ranked: &[RankedCandidate],
    choice: &Choice,
    outcomes: &[Vec<Outcome>],
) -> String {
    let best = &ranked[0];
    let label = |c: usize| replay.label(c);
    let illegal_runs = |c: usize| outcomes[c + 1].iter().filter(|o| o.crew_illegal).count();
    let by_candidate = |c: usize| {
        ranked
            .iter()
            .find(|r| r.candidate == c)
            .expect("every candidate is ranked")
    };
    let mut why = String::new();
    const MORE_LESS: (&str, &str) = ("more", "less");
    let mut mentioned = vec![best.candidate];
    let _ = write!(
        why,
        "{}: expected cost {} (95% CI {}), {}; p90 delay {:.0} min vs {:.0}; \
         {:.1} legs cancelled vs {:.1}; crew illegal in {} of {replications} runs.",
        label(best.candidate),
        amount(best.kpis.cost.mean),
        range(&best.kpis.cost),
        cost_difference(
            &best.vs_baseline.cost,
            ("above doing nothing", "below doing nothing")
        ),
        best.kpis.p90_arrival_delay_min.mean,
        baseline.p90_arrival_delay_min.mean,
        best.kpis.cancelled_legs.mean,
        baseline.cancelled_legs.mean,
        illegal_runs(best.candidate),
    );

    if choice.cheapest != choice.chosen {
        let cheaper = by_candidate(choice.cheapest);
        let (kc, kb) = (&cheaper.kpis, &best.kpis);
        let reason = if kb.p90_arrival_delay_min.mean < kc.p90_arrival_delay_min.mean {
            format!(
                "its p90 delay is {:.0} min against {:.0}",
                kc.p90_arrival_delay_min.mean, kb.p90_arrival_delay_min.mean
            )
        } else {
            format!(
                "it cancels {:.1} legs against {:.1}",
                kc.cancelled_legs.mean, kb.cancelled_legs.mean
            )
        };
        let _ = write!(
            why,
            " Chosen over {}, expected to cost {}: the difference is not significant, and {reason}.",
            label(choice.cheapest),
            cost_difference(&cheaper.vs_recommended.cost, MORE_LESS),
        );
        mentioned.push(choice.cheapest);
    }

    for &c in &choice.risky {
        let risky = by_candidate(c);
        if risky.kpis.cost.mean >= best.kpis.cost.mean {
            continue;
        }
        let p = &risky.kpis.crew_illegality_probability;
        let _ = write!(
            why,
            " Not {}, which would cost {}: its crew is illegal in {} of {replications} runs \
             (95% CI {}..{}) against {} for {}.",
            label(c),
            cost_difference(&risky.vs_recommended.cost, MORE_LESS),
            illegal_runs(c),
            percent(p.lower),
            percent(p.upper),
            illegal_runs(choice.safest),
            label(choice.safest),
        );
        mentioned.push(c);
    }

    if let Some(next) = ranked
        .get(1)
        .filter(|next| !mentioned.contains(&next.candidate))
    {
        let _ = write!(
            why,
            " Next: {} costs {}.",
            label(next.candidate),
            cost_difference(&next.vs_recommended.cost, MORE_LESS),
        );
    }
    why.push_str(RULE);
    why
}

/// The rule, as [`Ranking::why`] ends.
const RULE: &str = " Rule: a plan is recommended only when it costs significantly less than doing nothing (the \
     paired 95% interval of the difference below zero); among those, the lowest expected cost among the plans \
     whose crew-illegality risk is not clearly above the lowest; when costs do not differ significantly, the \
     lower p90 delay, then fewer cancellations.";

/// The `why` when no plan pays: the cheapest plan against doing nothing, and how many cost significantly more.
fn explain_doing_nothing(
    replay: &dyn Replay,
    baseline: &Kpis,
    ranked: &[RankedCandidate],
    held_back: bool,
) -> String {
    let cheapest = ranked
        .iter()
        .min_by(|a, b| {
            a.vs_baseline
                .cost
                .mean
                .total_cmp(&b.vs_baseline.cost.mean)
                .then(a.candidate.cmp(&b.candidate))
        })
        .expect("rank has at least one candidate");
    let worse = ranked
        .iter()
        .filter(|r| r.vs_baseline.cost.lower > 0.0)
        .count();
    let mut why = format!(
        "Doing nothing: expected cost {} (95% CI {}); no plan {}costs significantly less. The cheapest, {}, \
         costs {}.",
        amount(baseline.cost.mean),
        range(&baseline.cost),
        if held_back {
            "within the action budget "
        } else {
            ""
        },
        replay.label(cheapest.candidate),
        cost_difference(
            &cheapest.vs_baseline.cost,
            ("more than doing nothing", "less than doing nothing")
        ),
    );
    match worse {
        0 => {}
        n if n == ranked.len() => {
            why.push_str(" Every plan costs significantly more than doing nothing.")
        }
        n => {
            let _ = write!(
                why,
                " {n} of {} plans cost significantly more than doing nothing.",
                ranked.len()
            );
        }
    }
    why.push_str(RULE);
    why
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(cost: f64, crew_illegal: bool) -> Outcome {
        Outcome {
            cost,
            crew_illegal,
            ..Outcome::default()
        }
    }

    #[test]
    fn a_plans_measures_get_t_intervals_and_its_illegality_a_wilson_interval() {
        // Costs 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sample sd 2.138, t(0.975, 7) = 2.3646 -> ± 1.7875.
        let runs: Vec<Outcome> = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]
            .iter()
            .enumerate()
            .map(|(i, &cost)| outcome(cost, i < 2))
            .collect();
        let kpis = plan_kpis(&runs);
        assert_eq!(kpis.cost.mean, 5.0);
        assert!(
            (kpis.cost.half_width() - 1.7875).abs() < 1e-3,
            "{:?}",
            kpis.cost
        );
        // 2 illegal runs of 8: Wilson 95 % 7.1 % .. 59.1 %, not the Wald interval's -5 % .. 55 %.
        let illegal = kpis.crew_illegality_probability;
        assert_eq!(illegal.mean, 0.25);
        assert!((illegal.lower - 0.0715).abs() < 1e-3, "{illegal:?}");
        assert!((illegal.upper - 0.5907).abs() < 1e-3, "{illegal:?}");
    }

    #[test]
    fn a_comparison_is_the_t_interval_of_the_paired_differences() {
        let plan: Vec<Outcome> = [10.0, 50.0, 30.0].map(|c| outcome(c - 5.0, false)).to_vec();
        let other: Vec<Outcome> = [10.0, 50.0, 30.0].map(|c| outcome(c, true)).to_vec();
        let d = paired_kpis(&plan, &other);
        assert_eq!(
            (d.cost.mean, d.cost.lower, d.cost.upper),
            (-5.0, -5.0, -5.0)
        );
        assert_eq!(d.crew_illegality_probability.mean, -1.0);
    }

    #[test]
    fn amounts_are_grouped_by_thousands() {
        assert_eq!(amount(41_200.4), "41,200");
        assert_eq!(amount(-1_900.0), "-1,900");
        assert_eq!(amount(999.6), "1,000");
        assert_eq!(amount(0.2), "0");
        assert_eq!(amount(1_234_567.0), "1,234,567");
    }
}
