//! Joint recovery: aircraft first, then crew, with the crew's verdict fed back to the aircraft side.
//!
//! Airlines recover in this order — the aircraft plan decides which legs fly and when, and the crew plan
//! then staffs them — because the aircraft side moves the expensive things (passengers, tails) and the crew
//! side has more ways to adapt (reserves, swaps, deadheads). Solving the two apart can still end badly: an
//! aircraft plan that keeps a leg no legal crew can reach pays an uncovered crew position, which in the
//! operation is a long delay or a cancellation on the day. So [`recover_joint`] closes the loop once or a
//! few times: legs the crew plan leaves uncovered are retimed (until a reserve called now can report for
//! them) in one copy of the aircraft problem and cancelled in another (as if the disruption had imposed
//! it), the aircraft policy replans around each, the crew side solves each again, and the cheaper of the two
//! is kept only if the joint cost drops.
//!
//! The joint cost adds the aircraft plan's cost (euros, from [`ucodts_model::recovery::evaluate`]) and the
//! crew plan's cost (cost units of about a US dollar, from [`ucodts_model::recovery::crew::evaluate`]).
//! The two scales are both assumptions of the same order; the sum ranks plans, it is not a bill.
//!
//! What the aircraft plan tells the crew side ([`leg_changes`]): which legs it cancels and which it
//! retimes. A tail swap is not a change for the crew problem (crew legality there does not depend on which
//! tail flies a leg, except through the aircraft type, which a swap keeps within the family), so swaps are
//! not passed on.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use ucodts_model::practice::{CALL_TO_REPORT, REPORT_BEFORE_DEPARTURE};
use ucodts_model::recovery::crew::{CrewDisruption, CrewRecoveryProblem, LegChange};
use ucodts_model::recovery::{
    FlightDisruption, FlightIdx, PlanFlight, RecoveryPlan, RecoveryProblem,
};
use ucodts_model::{LegId, Minutes, Schedule, UtcMinute};

use crate::crew::{CrewPolicy, CrewRecoveryOptions, CrewSolution};
use crate::{recover, Budget, CheckedPlan, Clock, OptimizerError, RecoveryPolicy, Search};

/// Share of the time limit the first aircraft search gets; the crew side and the feedback rounds share the
/// rest. Aircraft plans are the hard part (passengers, capacities, positions); the crew solve of one plan
/// is seconds on the embedded default.
const AIRCRAFT_SHARE_OF_TIME: f64 = 0.6;

/// The least a feedback round delays a leg no crew could take: an hour, the step in which controllers
/// look for crew (an assumption of ours, not a rule).
const MIN_FEEDBACK_RETIME: Minutes = Minutes(60);

/// The least time a crew MILP solve gets, whatever is left of the budget: below it HiGHS rarely improves
/// on its greedy start, and a run may overrun its budget by one step anyway (see [`Budget::time_limit`]).
const MIN_CREW_SOLVE: Duration = Duration::from_millis(200);

/// Options of the joint recovery.
#[derive(Clone, Debug, PartialEq)]
pub struct JointOptions {
    /// Options of every crew solve (its `milp_time_limit` is an upper bound: the budget may cut it).
    pub crew: CrewRecoveryOptions,
    /// How many times at most the crew's uncovered legs go back to the aircraft side, per aircraft plan.
    pub feedback_rounds: usize,
}

impl Default for JointOptions {
    fn default() -> JointOptions {
        JointOptions {
            crew: CrewRecoveryOptions::default(),
            feedback_rounds: 1,
        }
    }
}

/// One round of feedback from crew to aircraft, in words a controller reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedbackStep {
    /// 1 for the first round.
    pub round: usize,
    /// The legs the crew plan left uncovered, sorted.
    pub legs: Vec<LegId>,
    /// What was tried and whether it was kept.
    pub what: String,
}

/// An aircraft plan and the crew plan that staffs it.
#[derive(Clone, Debug)]
pub struct JointPlan {
    /// `"<aircraft policy>+<crew policy>"`, e.g. `"lns+milp"`.
    pub policy: String,
    /// Checked by [`ucodts_model::recovery::evaluate`] against the aircraft problem as given (feedback
    /// cancellations included, as the plan's own choices).
    pub aircraft: CheckedPlan,
    /// The input the crew side solved: the base input plus the aircraft plan's leg changes.
    pub crew_disruption: CrewDisruption,
    /// Checked by [`ucodts_model::recovery::crew::evaluate`].
    pub crew: CrewSolution,
    /// The feedback rounds tried for this plan, kept or not.
    pub feedback: Vec<FeedbackStep>,
    /// Aircraft plan cost (euros) plus crew plan cost (cost units).
    pub cost: f64,
}

impl JointPlan {
    /// Ranking key: feasible aircraft plans first, then legal crew plans, then cost.
    fn rank_key(&self) -> (bool, bool) {
        (!self.aircraft.feasible(), !self.crew.evaluation.is_legal())
    }
}

/// The changes an aircraft plan makes to the schedule's legs, for the crew side, sorted by leg.
///
/// A flight of the aircraft problem is the schedule's leg `LegId(flight.number)` when that leg exists and
/// flies between the same airports (flights of other origins, such as a ROADEF instance's, are skipped).
/// A flight the plan does not fly is [`LegChange::Cancelled`]; one it flies at other times than the leg's
/// schedule is [`LegChange::Retimed`]. Tail swaps are not changes for the crew problem (see the module
/// documentation).
pub fn leg_changes(
    problem: &RecoveryProblem,
    plan: &RecoveryPlan,
    schedule: &Schedule,
) -> Vec<(LegId, LegChange)> {
    let mut flown: Vec<Option<(UtcMinute, UtcMinute)>> = vec![None; problem.flights.len()];
    for leg in plan.rotations.iter().flatten() {
        if let PlanFlight::Planned(f) = leg.flight {
            if let Some(slot) = flown.get_mut(f.index()) {
                slot.get_or_insert((leg.departure, leg.arrival));
            }
        }
    }
    let mut changes: BTreeMap<LegId, LegChange> = BTreeMap::new();
    for (i, flight) in problem.flights.iter().enumerate() {
        let id = LegId(flight.number);
        let Some(leg) = schedule.leg(id) else {
            continue;
        };
        if leg.origin != problem.airport(flight.origin).code
            || leg.destination != problem.airport(flight.destination).code
        {
            continue;
        }
        let change = match flown[i] {
            None => LegChange::Cancelled,
            Some((out, arrival)) if out != leg.scheduled_out || arrival != leg.scheduled_in => {
                LegChange::Retimed { out, arrival }
            }
            Some(_) => continue,
        };
        // A number filed on two dates is one leg: the first flight of it decides.
        changes.entry(id).or_insert(change);
    }
    changes.into_iter().collect()
}

/// The crew input of an aircraft plan: `base` with the plan's leg changes merged in. A change `base`
/// already imposes on a leg wins. Changes the crew problem cannot take are left out: legs departing (as
/// scheduled) outside the crew window, and retimes to before `t0` (the crew side treats both as the past).
pub fn crew_input_for(
    base: &CrewDisruption,
    changes: &[(LegId, LegChange)],
    schedule: &Schedule,
) -> CrewDisruption {
    let mut merged: BTreeMap<LegId, LegChange> = base.leg_changes.iter().copied().collect();
    for &(id, change) in changes {
        let Some(leg) = schedule.leg(id) else {
            continue;
        };
        if leg.scheduled_out < base.t0 || leg.scheduled_out >= base.window_end {
            continue;
        }
        if let LegChange::Retimed { out, arrival } = change {
            if out < base.t0 || arrival <= out {
                continue;
            }
        }
        merged.entry(id).or_insert(change);
    }
    CrewDisruption {
        leg_changes: merged.into_iter().collect(),
        ..base.clone()
    }
}

/// A clock reading the time since it was made, so that each search of the joint recovery gets its own
/// budget while all of them read one underlying clock (a [`crate::SteppingClock`] in tests).
struct SinceClock<'a> {
    inner: &'a dyn Clock,
    start: Duration,
}

impl<'a> SinceClock<'a> {
    fn new(inner: &'a dyn Clock) -> SinceClock<'a> {
        SinceClock {
            inner,
            start: inner.elapsed(),
        }
    }
}

impl Clock for SinceClock<'_> {
    fn elapsed(&self) -> Duration {
        self.inner.elapsed().saturating_sub(self.start)
    }
}

/// Offers one given plan: how a plan found on a modified problem is checked against the problem as given,
/// through [`recover`] like every other plan.
struct OfferPlan<'p> {
    name: &'static str,
    plan: &'p RecoveryPlan,
}

impl RecoveryPolicy for OfferPlan<'_> {
    fn name(&self) -> &'static str {
        self.name
    }

    fn search(
        &self,
        _problem: &RecoveryProblem,
        search: &mut Search<'_>,
    ) -> Result<(), OptimizerError> {
        search.offer(self.plan.clone());
        Ok(())
    }
}

/// Runs `aircraft_policy` on `aircraft_problem`, then staffs each of its plans with `crew_policy`, with up
/// to [`JointOptions::feedback_rounds`] rounds of crew-to-aircraft feedback per plan (see the module
/// documentation). Returns the joint plans best first: feasible aircraft plans first, then legal crew
/// plans, then by joint cost; an aircraft plan reached from two starts is returned once.
/// Empty only when the aircraft policy offered no plan at all.
///
/// Time: `budget.time_limit` bounds the whole call. The aircraft search gets 60 % of it and returns up to
/// `budget.plans` plans; the rest is split evenly over the plans, and within a plan over the first crew
/// solve and, per feedback round, one aircraft replan (its budget a fixed share of `budget`, whatever the
/// aircraft search took) and one crew solve. The crew side gets the end of the
/// budget as its [`CrewRecoveryOptions::deadline`] and hands back its best plan by then; a feedback round is
/// not started once the budget is spent (the plan says so in its feedback). So a call overruns its budget
/// by at most one step: a last aircraft step, and the staffing of each plan with the rosters that need no
/// search. Deterministic given a [`crate::SteppingClock`] (apart from where HiGHS's own time limit or the
/// crew deadline, read from the wall clock, cut a crew solve off).
#[allow(clippy::too_many_arguments)] // the contract of the joint recovery: both policies, both problems, the limits
pub fn recover_joint(
    aircraft_policy: &dyn RecoveryPolicy,
    crew_policy: &dyn CrewPolicy,
    aircraft_problem: &RecoveryProblem,
    schedule: &Schedule,
    crew_input: &CrewDisruption,
    budget: &Budget,
    clock: &dyn Clock,
    options: &JointOptions,
) -> Result<Vec<JointPlan>, OptimizerError> {
    let started = SinceClock::new(clock);
    let aircraft_budget = Budget {
        time_limit: budget.time_limit.mul_f64(AIRCRAFT_SHARE_OF_TIME),
        threads: budget.threads,
        plans: budget.plans.max(1),
    };
    let recovery = recover(
        aircraft_policy,
        aircraft_problem,
        &aircraft_budget,
        &SinceClock::new(clock),
        &mut |_| {},
    )?;
    let mut aircraft_plans = recovery.plans;
    if aircraft_plans.is_empty() {
        aircraft_plans.extend(recovery.least_infeasible);
    }

    let left = budget.time_limit.saturating_sub(started.elapsed());
    // Per plan: its first crew solve, and per feedback round two answers (retime, cancel), each an aircraft
    // replan and a crew solve.
    let steps = u32::try_from(aircraft_plans.len().max(1) * (1 + 4 * options.feedback_rounds))
        .unwrap_or(u32::MAX);
    let step = left / steps;
    // An aircraft replan's budget is fixed by `budget`, not by how long the aircraft search took, so a
    // policy on a work budget replans the same way on any machine.
    let replan_limit = budget.time_limit.saturating_sub(aircraft_budget.time_limit) / steps;
    // The crew side stops at the end of the budget, whatever its own limits say.
    let end = Instant::now() + left;
    let crew_options = CrewRecoveryOptions {
        milp_time_limit: options.crew.milp_time_limit.min(step).max(MIN_CREW_SOLVE),
        deadline: Some(options.crew.deadline.map_or(end, |d| d.min(end))),
        ..options.crew.clone()
    };
    let joint = Joint {
        aircraft_policy,
        crew_policy,
        aircraft_problem,
        schedule,
        crew_input,
        crew_options: &crew_options,
        clock,
        policy: format!("{}+{}", aircraft_policy.name(), crew_policy.name()),
    };

    let mut plans = Vec::with_capacity(aircraft_plans.len());
    for (index, aircraft) in aircraft_plans.into_iter().enumerate() {
        let mut best = joint.staff(index, aircraft)?;
        let mut problem = aircraft_problem.clone();
        let mut feedback = Vec::new();
        for round in 1..=options.feedback_rounds {
            let left = budget.time_limit.saturating_sub(started.elapsed());
            if left.is_zero() {
                feedback.extend(joint.out_of_time(round, &best));
                break;
            }
            let replan_budget = Budget {
                time_limit: replan_limit,
                threads: budget.threads,
                plans: 1,
            };
            match joint.feed_back(index, round, &best, &problem, &replan_budget)? {
                Round::Nothing => break,
                Round::Tried { step, better } => {
                    feedback.push(step);
                    match better {
                        Some(better) => {
                            (best, problem) = *better;
                        }
                        None => break,
                    }
                }
            }
        }
        best.feedback = feedback;
        plans.push(best);
    }
    plans.sort_by(|a, b| {
        a.rank_key()
            .cmp(&b.rank_key())
            .then(a.cost.total_cmp(&b.cost))
    });
    // Feedback can lead two aircraft plans to the same one: offer it once.
    let mut distinct: Vec<JointPlan> = Vec::with_capacity(plans.len());
    for plan in plans {
        if !distinct
            .iter()
            .any(|d| d.aircraft.plan() == plan.aircraft.plan())
        {
            distinct.push(plan);
        }
    }
    Ok(distinct)
}

/// What [`recover_joint`] works with, for one call.
struct Joint<'a> {
    aircraft_policy: &'a dyn RecoveryPolicy,
    crew_policy: &'a dyn CrewPolicy,
    aircraft_problem: &'a RecoveryProblem,
    schedule: &'a Schedule,
    crew_input: &'a CrewDisruption,
    crew_options: &'a CrewRecoveryOptions,
    clock: &'a dyn Clock,
    policy: String,
}

/// The outcome of one feedback round.
enum Round {
    /// The crew plan covers everything: nothing to feed back.
    Nothing,
    /// A round was tried; `better` holds the improved joint plan and the aircraft problem with the
    /// round's cancellations, when the round is kept.
    Tried {
        step: FeedbackStep,
        better: Option<Box<(JointPlan, RecoveryProblem)>>,
    },
}

impl Joint<'_> {
    /// The crew plan of an aircraft plan (plan number `index` from 0, for error messages). The aircraft
    /// plan first holds each flight for its crew ([`crate::holds::hold_for_crew`]), as doing nothing would,
    /// when the held plan keeps every rule the plan kept; the crew side then re-crews only what a hold
    /// cannot save (a duty run out, a sick call, a cancelled leg).
    fn staff(&self, index: usize, aircraft: CheckedPlan) -> Result<JointPlan, OptimizerError> {
        let aircraft = self.held_for_crew(aircraft)?;
        let changes = leg_changes(self.aircraft_problem, aircraft.plan(), self.schedule);
        let crew_disruption = crew_input_for(self.crew_input, &changes, self.schedule);
        let problem =
            CrewRecoveryProblem::new(self.schedule, crew_disruption.clone()).map_err(|source| {
                OptimizerError::CrewProblem {
                    plan: index + 1,
                    source,
                }
            })?;
        let crew = self.crew_policy.solve(&problem, self.crew_options)?;
        let cost = aircraft.cost().euros() + crew.evaluation.cost.total() as f64;
        Ok(JointPlan {
            policy: self.policy.clone(),
            aircraft,
            crew_disruption,
            crew,
            feedback: Vec::new(),
            cost,
        })
    }

    /// `aircraft` with its crew holds, checked against the aircraft problem as given; `aircraft` itself
    /// when no flight needs a hold or the held plan breaks a rule the plan did not.
    fn held_for_crew(&self, aircraft: CheckedPlan) -> Result<CheckedPlan, OptimizerError> {
        let Some(held) = crate::holds::hold_for_crew(self.aircraft_problem, aircraft.plan()) else {
            return Ok(aircraft);
        };
        let budget = Budget {
            time_limit: Duration::from_secs(60),
            threads: std::num::NonZeroUsize::MIN,
            plans: 1,
        };
        let checked = recover(
            &OfferPlan {
                name: aircraft.policy(),
                plan: &held,
            },
            self.aircraft_problem,
            &budget,
            &SinceClock::new(self.clock),
            &mut |_| {},
        )?;
        // `plans` holds feasible plans only: an infeasible hold leaves the plan as it was.
        Ok(checked.plans.into_iter().next().unwrap_or(aircraft))
    }

    /// The legs `plan`'s crew plan leaves uncovered, sorted, and their names.
    fn uncovered(&self, plan: &JointPlan) -> (Vec<LegId>, String) {
        let legs: Vec<LegId> = plan
            .crew
            .plan
            .uncovered
            .iter()
            .map(|u| u.leg)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let named = self.name_legs(&legs);
        let count = match legs.len() {
            1 => "1 leg".to_string(),
            n => format!("{n} legs"),
        };
        (legs, format!("crew could not cover {count} ({named})"))
    }

    /// The feedback round the budget left no time for, if the crew plan leaves legs uncovered.
    fn out_of_time(&self, round: usize, current: &JointPlan) -> Option<FeedbackStep> {
        let (legs, uncovered) = self.uncovered(current);
        (!legs.is_empty()).then(|| FeedbackStep {
            round,
            legs,
            what: format!(
                "{uncovered}: not sent back to the aircraft side, the time limit was reached"
            ),
        })
    }

    /// One round: cancel the legs `current` leaves uncovered in `problem` (the aircraft problem with the
    /// cancellations of earlier kept rounds), replan, restaff, and compare.
    fn feed_back(
        &self,
        index: usize,
        round: usize,
        current: &JointPlan,
        problem: &RecoveryProblem,
        replan_budget: &Budget,
    ) -> Result<Round, OptimizerError> {
        let (legs, uncovered) = self.uncovered(current);
        if legs.is_empty() {
            return Ok(Round::Nothing);
        }
        let said = |what: String| FeedbackStep {
            round,
            legs: legs.clone(),
            what: format!("{uncovered}: {what}"),
        };

        // The flights of the uncovered legs the aircraft plan may still cancel: not those whose times the
        // disruption imposes (frozen or delayed legs must fly as imposed).
        let wanted: BTreeSet<LegId> = legs.iter().copied().collect();
        let mut in_problem: BTreeSet<LegId> = BTreeSet::new();
        let mut cancellable: Vec<FlightIdx> = Vec::new();
        for (i, flight) in problem.flights.iter().enumerate() {
            let id = LegId(flight.number);
            let same_leg = wanted.contains(&id)
                && self.schedule.leg(id).is_some_and(|l| {
                    l.origin == problem.airport(flight.origin).code
                        && l.destination == problem.airport(flight.destination).code
                });
            if !same_leg {
                continue;
            }
            in_problem.insert(id);
            let f = FlightIdx(i as u32);
            if flight.disruption.is_none() && !problem.is_fixed(f) {
                cancellable.push(f);
            }
        }
        let elsewhere = legs.len() - in_problem.len();
        let cancelled_legs: BTreeSet<LegId> = cancellable
            .iter()
            .map(|&f| LegId(problem.flight(f).number))
            .collect();
        let imposed = in_problem.len() - cancelled_legs.len();
        let mut kept_flying = Vec::new();
        if elsewhere > 0 {
            kept_flying.push(format!("{elsewhere} not in the aircraft problem"));
        }
        if imposed > 0 {
            kept_flying.push(format!("{imposed} flying at times the disruption imposes"));
        }
        if cancellable.is_empty() {
            return Ok(Round::Tried {
                step: said(format!(
                    "none of them can be cancelled in the aircraft plan ({}); nothing changed",
                    kept_flying.join(", ")
                )),
                better: None,
            });
        }
        // Two answers to a leg no crew can take: fly it later, when a reserve called now can report for it
        // (or an hour later, when the reason is not the call-out time), or cancel it. Each is an imposed
        // change in a copy of the problem, replanned around and restaffed; the cheaper kept answer wins.
        let retimed = self.retimed_problem(problem, &cancellable);
        let mut cancelled = problem.clone();
        for &f in &cancellable {
            cancelled.flights[f.index()].disruption = Some(FlightDisruption::Cancelled);
        }
        let kept_note = if kept_flying.is_empty() {
            String::new()
        } else {
            format!(" ({})", kept_flying.join(", "))
        };
        let what_retimed = format!(
            "retimed {} of them until a reserve can report{kept_note}",
            cancellable.len()
        );
        let what_cancelled = format!(
            "cancelled {} of them in the aircraft plan{kept_note}",
            cancelled_legs.len()
        );
        let mut tried = Vec::new();
        let mut best: Option<(JointPlan, RecoveryProblem, &str)> = None;
        for (answer, what, variant, declare) in [
            ("the retime", what_retimed, retimed, &[][..]),
            (
                "the cancellation",
                what_cancelled,
                cancelled,
                &cancellable[..],
            ),
        ] {
            let (outcome, found) =
                self.try_variant(index, current, &variant, declare, replan_budget)?;
            tried.push(format!("{what}{outcome}"));
            if let Some(found) = found {
                if best.as_ref().map_or(true, |(b, _, _)| found.cost < b.cost) {
                    best = Some((found, variant, answer));
                }
            }
        }
        tried.push(match &best {
            Some((_, _, answer)) => format!("kept {answer}"),
            None => "neither kept".to_string(),
        });
        Ok(Round::Tried {
            step: said(tried.join("; ")),
            better: best.map(|(plan, problem, _)| Box::new((plan, problem))),
        })
    }

    /// `problem` with each of `flights` delayed until a reserve called at the decision time can report for
    /// it ([`CALL_TO_REPORT`] then [`REPORT_BEFORE_DEPARTURE`]), and by [`MIN_FEEDBACK_RETIME`] at least:
    /// a leg left uncovered for another reason (no reserve at that base, a duty limit) may find a crew an
    /// hour later.
    fn retimed_problem(&self, problem: &RecoveryProblem, flights: &[FlightIdx]) -> RecoveryProblem {
        let earliest = self.crew_input.t0 + CALL_TO_REPORT + REPORT_BEFORE_DEPARTURE;
        let mut retimed = problem.clone();
        for &f in flights {
            let flight = &mut retimed.flights[f.index()];
            let needed = (earliest - flight.scheduled_departure).0.max(0);
            // Whole five minutes, as timetables are written.
            let by = (needed.max(MIN_FEEDBACK_RETIME.0) + 4) / 5 * 5;
            flight.disruption = Some(FlightDisruption::Delayed(Minutes(by)));
        }
        retimed
    }

    /// Replans the aircraft side on `variant` (the problem with the round's imposed changes), checks the
    /// replan against the problem as given (the `declare`d flights it does not fly are its own
    /// cancellations) and restaffs it. Returns what happened, in words, and the joint plan when it is legal
    /// and cheaper than `current`.
    fn try_variant(
        &self,
        index: usize,
        current: &JointPlan,
        variant: &RecoveryProblem,
        declare: &[FlightIdx],
        replan_budget: &Budget,
    ) -> Result<(String, Option<JointPlan>), OptimizerError> {
        let replanned = recover(
            self.aircraft_policy,
            variant,
            replan_budget,
            &SinceClock::new(self.clock),
            &mut |_| {},
        )?;
        let Some(replan) = replanned.best() else {
            return Ok((
                format!(
                    ", but the {} policy offered no plan; not kept",
                    self.aircraft_policy.name()
                ),
                None,
            ));
        };
        // Check the replan against the aircraft problem as given: the cancellations are now the plan's own,
        // so it declares them (the cost credits a cancelled leg's operating cost only when declared), and
        // the retimes are its own retimes.
        let mut own = replan.plan().clone();
        let mut flown = vec![false; variant.flights.len()];
        for leg in own.rotations.iter().flatten() {
            if let PlanFlight::Planned(f) = leg.flight {
                if let Some(slot) = flown.get_mut(f.index()) {
                    *slot = true;
                }
            }
        }
        own.cancelled.extend(
            declare
                .iter()
                .copied()
                .filter(|f| !flown.get(f.index()).copied().unwrap_or(true)),
        );
        own.cancelled.sort();
        own.cancelled.dedup();
        let budget = Budget {
            time_limit: replan_budget.time_limit,
            threads: replan_budget.threads,
            plans: 1,
        };
        let checked = recover(
            &OfferPlan {
                name: self.aircraft_policy.name(),
                plan: &own,
            },
            self.aircraft_problem,
            &budget,
            &SinceClock::new(self.clock),
            &mut |_| {},
        )?;
        let Some(aircraft) = checked
            .plans
            .into_iter()
            .next()
            .or(checked.least_infeasible)
        else {
            return Ok((", but the replan was lost; not kept".to_string(), None));
        };
        if !aircraft.feasible() && current.aircraft.feasible() {
            return Ok((
                format!(
                    ", but the aircraft plan then breaks {} rule(s); not kept",
                    aircraft.evaluation().violations.len()
                ),
                None,
            ));
        }
        let candidate = self.staff(index, aircraft)?;
        let kept = candidate.crew.evaluation.is_legal() && candidate.cost < current.cost;
        let words = format!(
            ": joint cost {} -> {}, {}",
            thousands(current.cost),
            thousands(candidate.cost),
            if kept { "better" } else { "not better" }
        );
        Ok((words, kept.then_some(candidate)))
    }

    /// `B6 1234 JFK-BOS 2013-07-02T14:05Z, ...` by departure (at most five, then how many more).
    fn name_legs(&self, legs: &[LegId]) -> String {
        const SHOWN: usize = 5;
        let mut by_departure: Vec<(Option<UtcMinute>, LegId)> = legs
            .iter()
            .map(|&id| (self.schedule.leg(id).map(|l| l.scheduled_out), id))
            .collect();
        by_departure.sort();
        let mut names: Vec<String> = by_departure
            .iter()
            .take(SHOWN)
            .map(|&(_, id)| match self.schedule.leg(id) {
                Some(l) => {
                    let number = l
                        .flight_number
                        .map_or_else(|| format!("leg {}", l.id), |n| n.to_string());
                    format!(
                        "{} {number} {}-{} {}",
                        l.carrier, l.origin, l.destination, l.scheduled_out
                    )
                }
                None => format!("leg {id}"),
            })
            .collect();
        if legs.len() > SHOWN {
            names.push(format!("{} more", legs.len() - SHOWN));
        }
        names.join(", ")
    }
}

/// A cost with thousands separators and no decimals, as a controller reads it: `12,345`.
fn thousands(cost: f64) -> String {
    let whole = cost.round() as i64;
    let digits = whole.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if whole < 0 {
        format!("-{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn costs_read_with_thousands_separators() {
        assert_eq!(thousands(0.4), "0");
        assert_eq!(thousands(999.0), "999");
        assert_eq!(thousands(12_345.2), "12,345");
        assert_eq!(thousands(1_234_567.0), "1,234,567");
        assert_eq!(thousands(-11_000.0), "-11,000");
    }
}
