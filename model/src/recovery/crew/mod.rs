//! Crew recovery after a disruption, in a crew controller's words. One module per concept:
//!
//! - [`CrewDisruption`] (`disruption.rs`): what happened and what the controller may use — the recovery
//!   window (`t0` to `window_end`), legs retimed or cancelled (from an aircraft plan or a scenario's imposed
//!   delays), crew members out of service from a time (sick calls), the rule set, the reserves and the cost
//!   weights.
//! - [`CrewRecoveryProblem`] (`problem.rs`): the disruption read against a [`Schedule`](crate::Schedule) —
//!   which crew members it touches and which of their pairings must be redone (the *affected* pairings),
//!   which crew positions on which legs are open (the *demand*), what is already flown (the frozen past),
//!   and the reserves, each a named crew member.
//! - [`CrewRecoveryPlan`] (`plan.rs`): a solver's answer — per crew member the pairings that replace their
//!   affected ones (or, for a reserve, the pairing they are called out for), the crew left away from base,
//!   and the positions left uncovered with why.
//! - [`evaluate`] (`judge.rs`): the only judge of a plan. It checks every roster the plan touches with the
//!   rule engine ([`crate::legality::check_proposed`], on the legs' disrupted times), checks the plan's
//!   structure (the past is unchanged, pairings connect and come home, reserves are called within their
//!   standby, every open position is flown once or declared uncovered; each fault a [`CrewProblem`],
//!   `faults.rs`) and prices it ([`CrewCostBreakdown`], `cost.rs`), with the fatigue of every new duty from
//!   [`crate::fatigue`]. [`judge_roster`] is the same judgement for one crew member, so that an optimizer
//!   can price candidate rosters exactly as the plan will be priced.
//!
//! # Reserves
//! The data sets have no reserve lines, so reserves are defined the way the twin keeps them
//! ([`ReserveSupply`], with the defaults of [`crate::practice`]): each day of the window, per airline, crew
//! base and rank, a share (5 % by default, at least one) of the crew members of that airline and rank based
//! there stands by at the base airport from 05:00 to 22:00 local, ready 30 minutes after a call, and covers
//! one call-out (one pairing) that day. Reserves stand by every day from `t0` through `window_end`: every
//! open position departs inside the window (a called reserve's trip may run past it). Each
//! reserve is a named crew member, `R-<base>-<airline>-<rank>-<date>-<n>` (e.g.
//! `R-JFK-B6-captain-20130702-1`), qualified on every aircraft type the based crew of that rank flies, with
//! nothing flown before the call.
//!
//! # What the plan may change
//! A crew member is *affected* when a changed leg is in one of their pairings that overlaps the window, or
//! when they are out sick from a time before the window ends; all their pairings overlapping the window are
//! then affected and are replaced as a whole. Legs that depart (as planned) before `t0` are the past: every
//! segment on them stays as rostered, and a duty reported before `t0` keeps its report time. Legs that
//! depart (as planned) at or after `window_end` are beyond the window, the next plan's: they are no open
//! position, so no reserve is called and nobody is swapped onto them; only their rostered crew operate them,
//! and a plan that takes a rostered member off one leaves that seat empty and pays for it as an uncovered
//! position (in the operation, the day's control fills it if it can). New duties
//! report at least [`REPORT_BEFORE_DEPARTURE`](crate::practice::REPORT_BEFORE_DEPARTURE) before their first
//! leg and release at least [`RELEASE_AFTER_ARRIVAL`](crate::practice::RELEASE_AFTER_ARRIVAL) after their
//! last; a change of aircraft within a duty needs
//! [`MIN_CONNECTION_AIRCRAFT_CHANGE`](crate::practice::MIN_CONNECTION_AIRCRAFT_CHANGE): the operating
//! practice the crew generator plans with and the twin flies by. Deadheads ride the airline's own legs. A
//! sick crew member flies nothing that departs from their call on and need not come home; anyone else left
//! away from base must be declared stranded (and pays for it).
//!
//! Costs are integers in cost units (about US dollars); the weights ([`CrewCostWeights`]) are assumptions,
//! not airline data, and are named where they are set.

mod cost;
mod disruption;
mod faults;
mod judge;
mod plan;
mod problem;

pub use crate::practice::ReserveSupply;
pub use cost::{CrewCostBreakdown, CrewCostWeights};
pub use disruption::{CrewDisruption, CrewRecoveryError, LegChange, SickCall};
pub use faults::{CrewProblem, DutyFault, PairingFault};
pub use judge::{
    evaluate, judge_roster, reports_late_within_the_lead, rest_delayed_reports,
    unforeseen_extensions, CrewEvaluation, CrewRole, CrewVerdict, ReserveCallOut,
};
pub use plan::{CrewRecoveryPlan, UncoveredPosition};
pub use problem::{AffectedBecause, AffectedCrew, CrewRecoveryProblem, OpenPosition, Reserve};
