//! Recovery plans flown in the twin, each replication on the same random numbers as doing nothing.
//!
//! A [`Candidate`] (an aircraft plan, a crew plan, or both) is read back onto the schedule by
//! [`ucodts_model::recovery::apply`]: cancelled legs and retimed legs become the twin's
//! [`RecoveryAction`]s, tail swaps and the crew's new pairings (with the reserves they call) change the
//! schedule the [`World`] is built from. Doing nothing (the baseline) is the original schedule; the twin's
//! own operations control still reacts on the day (it calls reserves, holds and cancels), as it does in
//! `ucodts simulate --scenario`. Every world gets the scenario's disruptions and the same delay model.
//!
//! # The days flown
//! Every world flies the scenario's days and the day after them ([`twin_window`]): a plan's crew decisions
//! reach into the next morning (a reserve for tomorrow's 06:00 seat of a crew member short of rest), and so
//! do doing nothing's consequences (the member reports late to keep the minimum rest and tomorrow's first
//! leg waits, or the twin's control calls a reserve). Without that day such a plan could only cost. Its
//! legs are paired like the others; its delays, cancellations and call-outs count in every plan's cost
//! alike, so the difference between two plans is still theirs.
//!
//! # Common random numbers
//! Replication `r` of every plan runs on `sim::RngStreams::new(seed).replication(r)`. The twin draws every
//! number from a stream named by the entity it belongs to, never by a position in a table: a leg's delays
//! by its leg id, a tail's turn times by a hash of the tail, a crew member's sick call by a hash of the crew
//! id. A plan keeps every leg in the world (a cancelled leg is cancelled by an action, not removed) at its
//! timetable time, so even the legs' order is the baseline's ([`TwinReplay::new`] checks it); crew members
//! may come and go (a sick captain with no leg left, a reserve called), which does not move anybody's
//! streams. So the difference between two plans in one replication is the plans', not the dice's.
//!
//! # The cost of a run
//! `cost` = the plan's `action_cost` (what the twin cannot see: call-outs, deadheads, crew contacted,
//! fatigue, in the plan's own cost units) plus the consequences the twin measures:
//! - every minute of late arrival, [`DELAY_COST_PER_MINUTE`];
//! - every cancelled leg, what the aircraft side charges for it ([`cancelled_leg_cost`]: refund,
//!   compensation and the outbound-trip rate of the ROADEF 2009 tables for a load factor's worth of
//!   passengers, rebooked or not, less the operating cost the leg does not spend);
//! - every crew illegality of the run — an exceedance: a pilot duty whose next leg would pass the flight
//!   duty limit plus the unforeseen extension the rules allow (`ucodts_actors::legality`; a legal 117.19
//!   extension and a report delayed to keep the minimum rest are not illegalities) —
//!   [`CrewCostWeights::uncovered_position`] (the crew side's weight for a position nobody can legally
//!   fly). Charged per event; the run is crew-illegal when it has any;
//! - every reserve the twin's operations control calls on the day, [`CrewCostWeights::reserve_callout`].
//!
//! Euros and crew cost units are added as the joint plan's own cost adds them (a crew unit is about a
//! dollar). Passenger misconnections cannot be counted: the data holds no passenger itineraries. What the
//! twin counts instead as `misconnects` is crew who missed their planned connection and had to be
//! repositioned on another flight (`CrewTotals::repositionings`).
//!
//! # What a replay leaves out
//! - Flights a plan creates (ferries) are not flown; the twin moves a tail to its next leg's origin itself.
//! - A tail flies its legs in timetable order, even where the plan swaps the order of two of them.
//! - A duty the crew plan reports after its first leg's timetable departure reports at that departure
//!   (the schedule keeps timetable times): the twin's duty clock starts earlier than the plan's.
//! - A crew seat the plan fills only by connecting legs at their retimed times, or by leaving the member
//!   away from base, flies without that member (a schedule's pairing cannot hold it); the note names them.
//! - The twin's reserve pools are one number per airline, base and rank for every day: a plan's call-outs
//!   are taken out of the pool as the most it calls on any one simulated day.
//!
//! [`TwinReplay::not_replayed`] lists what applies to each plan.

use std::collections::{BTreeMap, BTreeSet};

use crate::bail;
use crate::error::{Context, Result};
use ucodts_actors::{
    fit, DataSetIdentity, DelayModel, Kpis, RecoveryAction, ReplicationOutcome, Twin, Window,
    World, WorldOptions,
};
use ucodts_datasets::embedded;
use ucodts_model::recovery::apply::apply;
use ucodts_model::recovery::crew::{CrewCostWeights, CrewDisruption, CrewRecoveryPlan, Reserve};
use ucodts_model::recovery::{knock_on_delays, RecoveryPlan, RecoveryProblem};
use ucodts_model::{CrewId, Date, LegId, LegSource, Rank, Schedule};
use ucodts_optimizer::montecarlo::{Outcome, Replay};
use ucodts_sim::RngStreams;

use super::from_schedule::cancelled_leg_cost;

/// What a minute of late arrival costs, in euros: EUROCONTROL's average cost of a minute of tactical delay
/// to an airline, about EUR 100 ("Standard Inputs for Economic Analyses", average over the network; an
/// assumption for our US data, kept in euros like the aircraft side's costs).
pub const DELAY_COST_PER_MINUTE: f64 = 100.0;

/// A plan to replay.
pub struct Candidate<'a> {
    /// Its name in the ranking, e.g. `lns+milp`.
    pub label: String,
    /// The aircraft plan, on the problem built from the same schedule and scenario.
    pub aircraft: Option<(&'a RecoveryProblem, &'a RecoveryPlan)>,
    /// The crew plan, with the disruption it was solved for.
    pub crew: Option<(&'a CrewDisruption, std::borrow::Cow<'a, CrewRecoveryPlan>)>,
    /// Cost of the plan's actions the twin cannot see (crew deadheads, call-outs, contacted, fatigue...).
    pub action_cost: f64,
}

/// One plan as the twin flies it.
struct Replayed {
    label: String,
    world: World,
    action_cost: f64,
    not_replayed: Vec<String>,
}

/// The candidates' worlds, doing nothing's, and the delay model: see the module documentation.
pub struct TwinReplay {
    model: DelayModel,
    streams: RngStreams,
    baseline: Replayed,
    candidates: Vec<Replayed>,
    /// Per leg of the worlds (the same legs in the same order in all of them), the cost of cancelling it.
    cancellation_cost: Vec<f64>,
    weights: CrewCostWeights,
    /// Whether the worlds fly the day after the scenario's days (the data set holds legs on it).
    next_day_flown: bool,
}

impl TwinReplay {
    /// The worlds of `scenario`'s days for doing nothing and for each candidate, with the delay model of
    /// `simulate --scenario`: the embedded default's parameters for the embedded default data set, else a
    /// model fitted on every recorded day of `schedule`.
    pub fn new(
        schedule: &Schedule,
        scenario: &ucodts_scenarios::Scenario,
        seed: u64,
        candidates: &[Candidate<'_>],
    ) -> Result<TwinReplay> {
        let model = delay_model(schedule)?;
        TwinReplay::with_delay_model(schedule, scenario, seed, candidates, model)
    }

    /// [`TwinReplay::new`] with a given delay model (fitted on `schedule`'s data set).
    pub fn with_delay_model(
        schedule: &Schedule,
        scenario: &ucodts_scenarios::Scenario,
        seed: u64,
        candidates: &[Candidate<'_>],
        model: DelayModel,
    ) -> Result<TwinReplay> {
        let baseline = Replayed {
            label: "doing nothing".into(),
            world: build_world(schedule, scenario, &[], "doing nothing")?,
            action_cost: 0.0,
            not_replayed: Vec::new(),
        };
        let weights = CrewCostWeights::default();
        let next_day = scenario.to.add_days(1);
        let next_day_flown = baseline
            .world
            .legs()
            .iter()
            .filter_map(|l| schedule.leg(l.id))
            .any(|l| ucodts_actors::world::service_date(schedule, l) == next_day);
        let replayed = candidates
            .iter()
            .map(|c| {
                replayed(
                    schedule,
                    scenario,
                    &baseline.world,
                    &weights,
                    next_day_flown,
                    c,
                )
            })
            .collect::<Result<Vec<_>>>()?;
        let cancellation_cost = baseline
            .world
            .legs()
            .iter()
            .map(|l| cancelled_leg_cost(schedule, l.id))
            .collect();
        Ok(TwinReplay {
            model,
            streams: RngStreams::new(seed),
            baseline,
            candidates: replayed,
            cancellation_cost,
            weights,
            next_day_flown,
        })
    }

    /// Whether the twin flies the day after the scenario's days as well ([`twin_window`]): false when the
    /// data set holds no legs on it.
    pub fn next_day_flown(&self) -> bool {
        self.next_day_flown
    }

    /// Replaces the candidates with `candidates` (plans on `scenario` and the schedule this replay was
    /// made for), keeping doing nothing's world and the delay model: how the refinement judges one variant
    /// after another without building doing nothing's world again.
    pub fn replace_candidates(
        &mut self,
        schedule: &Schedule,
        scenario: &ucodts_scenarios::Scenario,
        candidates: &[Candidate<'_>],
    ) -> Result<()> {
        self.candidates = candidates
            .iter()
            .map(|c| {
                replayed(
                    schedule,
                    scenario,
                    &self.baseline.world,
                    &self.weights,
                    self.next_day_flown,
                    c,
                )
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(())
    }

    /// What the twin does not fly of candidate `candidate`'s plan, in words (ferries, reordered rotations,
    /// moved duty reports).
    pub fn not_replayed(&self, candidate: usize) -> &[String] {
        self.candidates
            .get(candidate)
            .map_or(&[], |c| c.not_replayed.as_slice())
    }

    /// The world of a candidate (`None`: doing nothing).
    #[cfg(test)]
    fn world(&self, candidate: Option<usize>) -> Option<&World> {
        self.plan(candidate).map(|p| &p.world)
    }

    fn plan(&self, candidate: Option<usize>) -> Option<&Replayed> {
        match candidate {
            None => Some(&self.baseline),
            Some(i) => self.candidates.get(i),
        }
    }

    /// One replication of a candidate: the twin's KPIs and the outcome the ranking reads.
    fn run(&self, candidate: Option<usize>, replication: u64) -> Result<(Kpis, Outcome)> {
        let Some(plan) = self.plan(candidate) else {
            bail!(
                "candidate {} of {}: no such plan",
                candidate.unwrap_or(0),
                self.candidates.len()
            );
        };
        let twin = Twin::new(&plan.world, &self.model);
        let run = twin
            .replicate(self.streams.replication(replication))
            .with_context(|| format!("replication {replication} of `{}`", plan.label))?;
        let kpis = Kpis::of(&plan.world, &run);
        let outcome = self.outcome(plan, &kpis, &run);
        Ok((kpis, outcome))
    }

    fn outcome(&self, plan: &Replayed, kpis: &Kpis, run: &ReplicationOutcome) -> Outcome {
        let mut late_min = 0.0;
        let mut cancelled_cost = 0.0;
        for ((leg, result), cancel) in plan
            .world
            .legs()
            .iter()
            .zip(&run.legs)
            .zip(&self.cancellation_cost)
        {
            match result.cancelled {
                Some(_) => cancelled_cost += cancel,
                None => {
                    late_min += result
                        .arrival_delay_min(leg.scheduled_in)
                        .unwrap_or(0.0)
                        .max(0.0)
                }
            }
        }
        // Exceedances only (issue 14): extensions within 117.19 and rest-delayed reports are legal.
        let illegalities = kpis.crew_exceedances;
        let crew_illegal = illegalities > 0;
        let w = &self.weights;
        let cost = plan.action_cost
            + late_min * DELAY_COST_PER_MINUTE
            + cancelled_cost
            + illegalities as f64 * w.uncovered_position as f64
            + kpis.reserve_callouts as f64 * w.reserve_callout as f64;
        Outcome {
            cost,
            mean_arrival_delay_min: kpis.mean_arrival_delay_min,
            p90_arrival_delay_min: kpis.p90_arrival_delay_min,
            on_time_rate: kpis.on_time_rate,
            cancelled_legs: kpis.cancelled_legs as f64,
            crew_illegal,
            misconnects: run.crew.repositionings as f64,
        }
    }
}

impl Replay for TwinReplay {
    fn candidates(&self) -> usize {
        self.candidates.len()
    }

    fn replicate(&self, candidate: Option<usize>, replication: u64) -> Result<Outcome, String> {
        self.run(candidate, replication)
            .map(|(_, outcome)| outcome)
            .map_err(|e| format!("{e:#}"))
    }

    fn label(&self, candidate: usize) -> String {
        self.candidates
            .get(candidate)
            .map_or_else(|| format!("candidate {candidate}"), |c| c.label.clone())
    }
}

/// The days the twin flies for `scenario`: the scenario's own days and the day after them. A plan's crew
/// decisions reach into the next morning (a reserve for a crew member short of rest at 06:00, a member
/// stood down from tomorrow's first leg), and doing nothing pays for the same seats there (a report
/// delayed to keep the minimum rest holds tomorrow's first leg, or the twin's control calls a reserve).
/// Doing nothing and every plan fly the same days, so the extra day's legs are paired like the others;
/// where the data set holds no legs on that day the world is the scenario's days alone
/// ([`TwinReplay::next_day_flown`] says which).
pub fn twin_window(scenario: &ucodts_scenarios::Scenario) -> Result<Window> {
    Window::new(scenario.from, scenario.to.add_days(1)).context("the scenario's days")
}

/// The twin's world of `schedule` with `actions` and the scenario's disruptions, on [`twin_window`].
fn build_world(
    schedule: &Schedule,
    scenario: &ucodts_scenarios::Scenario,
    actions: &[RecoveryAction],
    what: &str,
) -> Result<World> {
    let window = twin_window(scenario)?;
    World::new(schedule, window, actions, WorldOptions::default())
        .and_then(|w| w.with_disruptions(&scenario.disruptions))
        .with_context(|| {
            format!(
                "building the twin's world of `{}` for {what}",
                scenario.name
            )
        })
}

/// Candidate `c` (a plan on `schedule`) as the twin flies it, paired with doing nothing's world `baseline`;
/// the crew side priced with `weights`, as the replay prices the twin's own crew decisions.
fn replayed(
    schedule: &Schedule,
    scenario: &ucodts_scenarios::Scenario,
    baseline: &World,
    weights: &CrewCostWeights,
    next_day_flown: bool,
    c: &Candidate<'_>,
) -> Result<Replayed> {
    let crew = c.crew.as_ref().map(|(d, p)| (*d, p.as_ref()));
    let applied = apply(schedule, c.aircraft, crew)
        .with_context(|| format!("applying plan `{}` to the schedule", c.label))?;
    // A knock-on delay (the flight leaves when its aircraft or its airports let it) is what doing
    // nothing has too: the twin propagates delays itself and does not hold the flight for it.
    let knock_on: BTreeSet<LegId> = c
        .aircraft
        .map(|(problem, plan)| {
            knock_on_delays(problem, plan)
                .iter()
                .enumerate()
                .filter(|(_, &k)| k)
                .map(|(f, _)| LegId(problem.flights[f].number))
                .collect()
        })
        .unwrap_or_default();
    let actions: Vec<RecoveryAction> = applied
        .cancelled
        .iter()
        .map(|&leg| RecoveryAction::Cancel { leg })
        .chain(
            applied
                .retimed
                .iter()
                .filter(|(leg, _)| !knock_on.contains(leg))
                .map(|&(leg, earliest_out)| RecoveryAction::Retime { leg, earliest_out }),
        )
        .collect();
    let mut world = build_world(
        &applied.schedule,
        scenario,
        &actions,
        &format!("plan `{}`", c.label),
    )?;
    take_called_reserves(
        &mut world,
        baseline,
        &applied.schedule,
        &applied.reserves_called,
    );
    same_legs(baseline, &world)
        .with_context(|| format!("plan `{}` is not paired with doing nothing", c.label))?;
    let mut not_replayed = applied.not_replayed;
    not_replayed.extend(dropped_seats_note(&world, &applied.dropped_segments));
    // Seats the plan leaves empty on legs after the twin's days: the twin cannot see them, and doing
    // nothing leaves none (its crew fly their rosters, reporting late where they must). Each asks the next
    // day's control at least for a reserve, priced as the twin prices its own call-outs.
    let unseen_empty: u32 = c.crew.as_ref().map_or(0, |(_, plan)| {
        plan.uncovered
            .iter()
            .filter(|u| baseline.leg_index(u.leg).is_none())
            .map(|u| u.count)
            .sum()
    });
    if !next_day_flown && c.crew.is_some() {
        not_replayed.push(format!(
            "the data set holds no legs on {}, the day after the scenario: the plan's crew changes for it \
             are priced, not flown",
            scenario.to.add_days(1)
        ));
    }
    if unseen_empty > 0 {
        not_replayed.push(format!(
            "{unseen_empty} seat(s) the plan leaves empty on legs after the simulated days: charged a reserve \
             call-out each ({} per seat), what the next day's control must at least do",
            weights.reserve_callout
        ));
    }
    Ok(Replayed {
        label: c.label.clone(),
        world,
        action_cost: c.action_cost + f64::from(unseen_empty) * weights.reserve_callout as f64,
        not_replayed,
    })
}

/// The median seats of the schedule's fleet (0 for no aircraft).
pub(super) fn median_fleet_seats(schedule: &Schedule) -> u32 {
    let mut seats: Vec<u32> = schedule
        .aircraft()
        .iter()
        .filter_map(|a| schedule.aircraft_type(&a.type_code))
        .map(|t| u32::from(t.seats))
        .collect();
    seats.sort_unstable();
    seats.get(seats.len() / 2).copied().unwrap_or(0)
}

/// The reserves a plan calls come out of the pools the twin's operations control draws from on the day: per
/// airline, base and rank, doing nothing's pool less the most the plan calls on any one simulated day (the
/// twin's pools are per day and the same every day). Without this a plan would get its reserves twice, and
/// the reserves it adds as crew members would enlarge the pools, which are a share of the based crew.
fn take_called_reserves(
    world: &mut World,
    baseline: &World,
    schedule: &Schedule,
    called: &[Reserve],
) {
    let mut per_day: BTreeMap<(u32, u32, Rank), BTreeMap<Date, u32>> = BTreeMap::new();
    for r in called {
        let m = &r.member;
        let airline = schedule.airlines().iter().position(|a| a.code == m.airline);
        let base = world.airports().iter().position(|a| a.code == m.base);
        let (Some(airline), Some(base)) = (airline, base) else {
            continue;
        };
        let days = per_day
            .entry((airline as u32, base as u32, m.rank))
            .or_default();
        if world.window().contains(r.day) {
            *days.entry(r.day).or_default() += 1;
        }
    }
    for ((airline, base, rank), days) in per_day {
        let taken = days.values().copied().max().unwrap_or(0);
        let left = baseline
            .reserve_pool(airline, base, rank)
            .saturating_sub(taken);
        world.set_reserve_pool(airline, base, rank, left);
    }
}

/// Most crew members a note on dropped seats names.
const CREW_NAMED: usize = 5;

/// The crew plan's seats the twin flies without their crew member, on the simulated days, in words.
fn dropped_seats_note(world: &World, dropped: &[(CrewId, LegId)]) -> Option<String> {
    let mut by_crew: BTreeMap<&CrewId, Vec<LegId>> = BTreeMap::new();
    for (crew, leg) in dropped {
        if world.leg_index(*leg).is_some() {
            by_crew.entry(crew).or_default().push(*leg);
        }
    }
    if by_crew.is_empty() {
        return None;
    }
    let seats: usize = by_crew.values().map(Vec::len).sum();
    let named: Vec<String> = by_crew
        .iter()
        .take(CREW_NAMED)
        .map(|(crew, legs)| {
            let legs: Vec<String> = legs.iter().map(LegId::to_string).collect();
            format!("{crew} on leg(s) {}", legs.join(", "))
        })
        .collect();
    let more = by_crew.len().saturating_sub(CREW_NAMED);
    Some(format!(
        "{seats} crew seat(s) of the plan fly without their crew member in the twin: the plan connects the \
         legs only at their retimed times or leaves the member away from base, which a schedule's pairing \
         cannot hold ({}{})",
        named.join("; "),
        if more > 0 {
            format!("; and {more} more crew members")
        } else {
            String::new()
        }
    ))
}

/// The worlds fly the same legs in the same order: what makes replication `r` of both comparable.
fn same_legs(baseline: &World, plan: &World) -> Result<()> {
    let ids = |w: &World| w.legs().iter().map(|l| l.id).collect::<Vec<LegId>>();
    if ids(baseline) != ids(plan) {
        bail!(
            "the plan's world has other legs or another leg order ({} legs, doing nothing has {})",
            plan.legs().len(),
            baseline.legs().len()
        );
    }
    Ok(())
}

/// The delay model `simulate --scenario` uses without `--params`: the embedded default's parameters if
/// `schedule` is the data set they were fitted on (same fingerprint), else one fitted on every recorded day.
fn delay_model(schedule: &Schedule) -> Result<DelayModel> {
    let identity = DataSetIdentity::of(schedule, embedded::NAME);
    let model = DelayModel::embedded_default();
    if model.data_set.fingerprint == identity.fingerprint {
        return Ok(model);
    }
    let recorded: Vec<Date> = schedule
        .legs()
        .iter()
        .filter(|l| l.source == LegSource::Recorded)
        .map(|l| ucodts_actors::world::service_date(schedule, l))
        .collect();
    let (Some(&from), Some(&to)) = (recorded.iter().min(), recorded.iter().max()) else {
        bail!("the data set has no recorded legs to fit the twin's delay model on");
    };
    let window = Window::new(from, to).context("the recorded days")?;
    fit(schedule, "data set of the scenario", window)
        .context("fitting the twin's delay model on the recorded days of the data set")
}

#[cfg(test)]
mod tests {
    use super::*;
    use ucodts_model::recovery::crew::{CrewRecoveryProblem, ReserveSupply, SickCall};
    use ucodts_model::recovery::{FlightDisruption, PlanFlight};
    use ucodts_model::{CrewId, Minutes, Rank};
    use ucodts_optimizer::crew::{greedy_repair, CrewRecoveryOptions};

    use super::super::test_fixture::fixture;

    fn bits(o: &Outcome) -> String {
        format!("{o:?} {}", o.cost.to_bits())
    }

    #[test]
    fn a_plan_that_changes_nothing_replays_exactly_like_doing_nothing() {
        // The route delays of the second scenario are imposed delays of the aircraft plan, which the twin
        // models itself: a plan that only applies them changes nothing in the twin.
        assert_eq!(replays_like_doing_nothing("captain-no-show"), 0);
        assert!(replays_like_doing_nothing("atc-florida-route-delay") > 0);
    }

    /// Checks the scenario; returns how many flights have an imposed delay.
    fn replays_like_doing_nothing(name: &str) -> usize {
        let f = fixture(name);
        let imposed = f
            .problem
            .flights
            .iter()
            .filter(|fl| matches!(fl.disruption, Some(FlightDisruption::Delayed(_))))
            .count();
        let nothing = RecoveryPlan::with_disruptions_applied(&f.problem);
        let candidates = [
            Candidate {
                label: "empty".into(),
                aircraft: None,
                crew: None,
                action_cost: 0.0,
            },
            Candidate {
                label: "imposed delays only".into(),
                aircraft: Some((&f.problem, &nothing)),
                crew: None,
                action_cost: 0.0,
            },
        ];
        let replay = TwinReplay::new(&f.schedule, &f.scenario, 7, &candidates).expect("replay");
        for r in 0..3 {
            let base = replay.replicate(None, r).expect("baseline runs");
            for c in 0..2 {
                let plan = replay.replicate(Some(c), r).expect("plan runs");
                assert_eq!(
                    bits(&plan),
                    bits(&base),
                    "{name}: candidate {c}, replication {r}"
                );
            }
        }
        imposed
    }

    #[test]
    fn a_leg_the_plan_cancels_is_one_more_cancelled_leg() {
        let f = fixture("captain-no-show");
        let mut plan = RecoveryPlan::with_disruptions_applied(&f.problem);
        // The last leg of the first aircraft with two legs or more: nothing later on that tail depends on it.
        let rotation = plan
            .rotations
            .iter_mut()
            .find(|r| r.len() >= 2)
            .expect("a tail flies two legs");
        let last = rotation.pop().expect("two legs");
        let PlanFlight::Planned(flight) = last.flight else {
            panic!("the original plan has planned flights only")
        };
        let cancelled_leg = LegId(f.problem.flight(flight).number);
        let candidates = [Candidate {
            label: "one cancellation".into(),
            aircraft: Some((&f.problem, &plan)),
            crew: None,
            action_cost: 0.0,
        }];
        let replay = TwinReplay::new(&f.schedule, &f.scenario, 7, &candidates).expect("replay");
        let world = replay.world(Some(0)).expect("the plan's world");
        let index = world
            .leg_index(cancelled_leg)
            .expect("the leg is in the window");
        assert!(world.legs()[index as usize].planned_cancelled);
        for r in 0..3 {
            let base = replay.replicate(None, r).expect("baseline runs");
            let plan = replay.replicate(Some(0), r).expect("plan runs");
            assert_eq!(
                plan.cancelled_legs,
                base.cancelled_legs + 1.0,
                "replication {r}"
            );
        }
    }

    #[test]
    fn a_reserve_called_for_the_sick_captain_flies_the_legs_without_waiting() {
        let f = fixture("captain-no-show");
        let captain = ucodts_model::CrewId::new("B6-JFK-CA-0077");
        let sick_from = f
            .scenario
            .disruptions
            .iter()
            .find_map(|d| match d {
                ucodts_model::disruption::Disruption::CrewSickCall(c) => Some(c.at),
                _ => None,
            })
            .expect("the scenario is a sick call");
        let input = CrewDisruption {
            t0: sick_from,
            window_end: sick_from + Minutes(24 * 60),
            rule_set: "faa117".into(),
            leg_changes: Vec::new(),
            sick_calls: vec![SickCall {
                crew: captain.clone(),
                from: sick_from,
            }],
            reserves: ReserveSupply::default(),
            costs: CrewCostWeights::default(),
        };
        let problem = CrewRecoveryProblem::new(&f.schedule, input.clone()).expect("crew problem");
        let solution = greedy_repair(&problem, &CrewRecoveryOptions::default());
        let called: Vec<_> = solution
            .plan
            .rosters
            .iter()
            .filter(|(id, p)| problem.reserve(id).is_some() && !p.is_empty())
            .map(|(id, _)| id.clone())
            .collect();
        assert!(!called.is_empty(), "the greedy repair calls a reserve");
        assert!(problem
            .reserve(&called[0])
            .is_some_and(|r| r.member.rank == Rank::Captain));
        let candidates = [Candidate {
            label: "greedy".into(),
            aircraft: None,
            crew: Some((&input, std::borrow::Cow::Borrowed(&solution.plan))),
            action_cost: solution.evaluation.cost.total() as f64,
        }];
        let replay = TwinReplay::new(&f.schedule, &f.scenario, 7, &candidates).expect("replay");
        let world = replay.world(Some(0)).expect("the plan's world");
        assert_eq!(
            world.crew().last().map(|c| &c.id),
            Some(called.last().expect("one called")),
            "the called reserves join the crew last"
        );
        // The planned call-outs come out of the twin's own pool of JFK JetBlue captains.
        let baseline = replay.world(None).expect("doing nothing's world");
        let jfk = baseline
            .airports()
            .iter()
            .position(|a| a.code.as_str() == "JFK")
            .expect("JFK") as u32;
        let b6 = f
            .schedule
            .airlines()
            .iter()
            .position(|a| a.code.as_str() == "B6")
            .expect("JetBlue") as u32;
        let called_today = called
            .iter()
            .filter(|id| {
                problem
                    .reserve(id)
                    .is_some_and(|r| r.day == f.scenario.from)
            })
            .count() as u32;
        assert!(called_today > 0);
        assert_eq!(
            world.reserve_pool(b6, jfk, Rank::Captain) + called_today,
            baseline.reserve_pool(b6, jfk, Rank::Captain)
        );
        for r in 0..3 {
            let (base, _) = replay.run(None, r).expect("baseline runs");
            let (plan, _) = replay.run(Some(0), r).expect("plan runs");
            let troubled = |k: &Kpis| k.cancelled_legs + k.holds_for_reserve + k.reserve_callouts;
            assert!(
                troubled(&plan) < troubled(&base),
                "replication {r}: plan {plan:?} vs doing nothing {base:?}"
            );
        }
    }

    /// A captain whose last leg of the scenario's day, late by the returned minutes, leaves them short of
    /// the minimum rest before the next morning's first leg, so that they reach it 90 minutes after its
    /// departure: (captain, that evening leg, the next morning's first leg, the delay). The one with the
    /// least rest to spare over the minimum, among duties short enough that the delay keeps them within
    /// their limits.
    fn short_rested_captain(
        f: &super::super::test_fixture::Fixture,
    ) -> (CrewId, LegId, LegId, Minutes) {
        let schedule = &f.schedule;
        let day = f.scenario.to;
        let service = |leg: LegId| {
            schedule
                .leg(leg)
                .map(|l| ucodts_actors::world::service_date(schedule, l))
        };
        let min_rest = ucodts_actors::WorldOptions::default().min_rest_before_duty;
        let mut best: Option<(Minutes, CrewId, LegId, LegId)> = None;
        for member in schedule.crew().iter().filter(|m| m.rank == Rank::Captain) {
            let mut duties: Vec<&ucodts_model::pairing::Duty> = schedule
                .roster(&member.id)
                .flat_map(|p| p.duties.iter())
                .collect();
            duties.sort_by_key(|d| d.report);
            for pair in duties.windows(2) {
                let (evening, morning) = (pair[0], pair[1]);
                let (Some(last), Some(first)) = (evening.segments.last(), morning.segments.first())
                else {
                    continue;
                };
                let operating = last.kind == ucodts_model::SegmentKind::Operating
                    && first.kind == ucodts_model::SegmentKind::Operating;
                let (Some(late), Some(early)) = (schedule.leg(last.leg), schedule.leg(first.leg))
                else {
                    continue;
                };
                // Tomorrow's first leg leaves from the captain's base after the reserves' standby starts
                // (05:00 local), so that a reserve can take it; the evening leg lands before midnight.
                let local = |at: ucodts_model::AirportCode, t| {
                    schedule.airport(at).map(|a| a.time_zone.to_local(t))
                };
                if !operating
                    || service(last.leg) != Some(day)
                    || service(first.leg) != Some(day.add_days(1))
                    || evening.length() > Minutes::hours(8)
                    || early.origin != member.base
                    || local(early.origin, early.scheduled_out)
                        .map_or(true, |t| t.minute_of_day < 7 * 60)
                    || local(late.destination, late.scheduled_in).map(|t| t.date) != Some(day)
                {
                    continue;
                }
                let spare = morning.report - evening.release - min_rest;
                if spare >= Minutes(0) && best.as_ref().map_or(true, |b| spare < b.0) {
                    best = Some((spare, member.id.clone(), last.leg, first.leg));
                }
            }
        }
        let (spare, crew, evening, morning) =
            best.expect("a captain short of rest after a late evening");
        // The report comes that long before the leg: past it, a late report holds the leg.
        let lead = ucodts_model::practice::REPORT_BEFORE_DEPARTURE;
        (crew, evening, morning, spare + lead + Minutes(90))
    }

    #[test]
    fn a_reserve_for_tomorrows_first_leg_of_a_captain_short_of_rest_pays_in_the_twin() {
        // The twin flies the scenario's day and the next one, for doing nothing and the plan alike. A
        // captain's last leg of the day lands so late that, rested, they would reach tomorrow's first leg
        // 90 minutes after its departure: doing nothing, the captain reports late to keep the minimum rest
        // and that leg waits; the crew plan calls a reserve for it, which the twin judges cheaper, call-out
        // and all.
        let mut f = fixture("captain-no-show");
        let (captain, evening, morning, late) = short_rested_captain(&f);
        let leg = f.schedule.leg(evening).expect("the evening leg").clone();
        f.scenario.disruptions = vec![ucodts_model::disruption::Disruption::RouteDelay(
            ucodts_model::disruption::RouteDelay {
                routes: ucodts_model::disruption::Routes::Only(vec![
                    ucodts_model::disruption::Route {
                        origin: leg.origin,
                        destination: leg.destination,
                    },
                ]),
                // Whenever it leaves (its own delay is drawn too).
                from: leg.scheduled_out - Minutes(60),
                to: leg.scheduled_out + Minutes::hours(6),
                extra: late,
            },
        )];
        let next_morning = f.schedule.leg(morning).expect("the morning leg").clone();
        let mut input = CrewDisruption::new(
            leg.scheduled_out - Minutes(60),
            next_morning.scheduled_out + Minutes::hours(12),
            "faa117",
        );
        input.leg_changes = vec![(
            evening,
            ucodts_model::recovery::crew::LegChange::Retimed {
                out: leg.scheduled_out,
                arrival: leg.scheduled_in + late,
            },
        )];
        let problem = CrewRecoveryProblem::new(&f.schedule, input.clone()).expect("crew problem");
        let solution = greedy_repair(&problem, &CrewRecoveryOptions::default());
        assert!(
            solution
                .evaluation
                .reserve_callouts
                .iter()
                .any(|c| c.legs.contains(&morning)),
            "the plan calls a reserve for {morning}, the first leg of {captain} tomorrow: {:?}",
            solution.plan
        );
        let candidates = [Candidate {
            label: "reserve for tomorrow".into(),
            aircraft: None,
            crew: Some((&input, std::borrow::Cow::Borrowed(&solution.plan))),
            action_cost: super::super::whole_loop::action_cost(&problem, &solution.evaluation),
        }];
        let replay = TwinReplay::new(&f.schedule, &f.scenario, 7, &candidates).expect("replay");
        assert!(replay.next_day_flown());
        let baseline = replay.world(None).expect("doing nothing's world");
        let plan_world = replay.world(Some(0)).expect("the plan's world");
        let m = baseline
            .leg_index(morning)
            .expect("the next morning is flown") as usize;
        let scheduled_out = ucodts_actors::replication::sim_time(next_morning.scheduled_out);
        let (mut nothing_cost, mut plan_cost) = (0.0, 0.0);
        for r in 0..4 {
            let streams = || replay.streams.replication(r);
            let base = Twin::new(baseline, &replay.model)
                .replicate(streams())
                .expect("doing nothing runs");
            let plan = Twin::new(plan_world, &replay.model)
                .replicate(streams())
                .expect("the plan runs");
            let late_out = |run: &ReplicationOutcome| {
                run.legs[m]
                    .out
                    .map(|t| (t - scheduled_out).seconds() / 60)
                    .expect("the morning leg flies")
            };
            // Doing nothing: the captain's late report holds tomorrow's first leg (the 90 minutes, less
            // what the leg would have been late anyway); the reserve takes it on time.
            assert!(
                late_out(&base) >= late_out(&plan) + 60,
                "replication {r}: doing nothing leaves {} min late, the plan {} min (evening leg in {:?}, \
                 scheduled {:?}, {captain}, {late:?})",
                late_out(&base),
                late_out(&plan),
                base.legs[baseline.leg_index(evening).expect("flown") as usize].arrived,
                ucodts_actors::replication::sim_time(leg.scheduled_in),
            );
            assert!(base.crew.rest_shortfalls > plan.crew.rest_shortfalls);
            nothing_cost += replay.replicate(None, r).expect("runs").cost;
            plan_cost += replay.replicate(Some(0), r).expect("runs").cost;
        }
        assert!(
            plan_cost < nothing_cost,
            "the reserve for tomorrow pays: plan {plan_cost} vs doing nothing {nothing_cost}"
        );
    }

    #[test]
    fn the_same_seed_gives_the_same_outcomes_and_another_seed_others() {
        let f = fixture("jfk-crew-sickness-5pct");
        let none: [Candidate<'_>; 0] = [];
        let a = TwinReplay::new(&f.schedule, &f.scenario, 11, &none).expect("replay");
        let b = TwinReplay::new(&f.schedule, &f.scenario, 11, &none).expect("replay");
        let c = TwinReplay::new(&f.schedule, &f.scenario, 12, &none).expect("replay");
        let runs = |t: &TwinReplay| -> Vec<String> {
            (0..3)
                .map(|r| bits(&t.replicate(None, r).expect("runs")))
                .collect()
        };
        assert_eq!(runs(&a), runs(&b));
        assert_ne!(runs(&a), runs(&c));
    }
}
