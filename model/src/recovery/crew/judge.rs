//! The only judge of a crew plan: [`evaluate`] for a whole plan, [`judge_roster`] for one crew member's part
//! of it, so that an optimizer prices candidate rosters exactly as the plan will be priced. Legality is the
//! rule engine's ([`crate::legality::check_proposed`], on the legs' disrupted times); the structure (the
//! past unchanged, pairings that connect and come home, reserves within their standby, every open position
//! flown once or declared uncovered, nobody new on a leg beyond the window) is checked here, each fault a
//! [`CrewProblem`]; the cost is [`CrewCostBreakdown`], with the fatigue of every new duty from
//! [`crate::fatigue`].

use std::collections::{BTreeMap, BTreeSet};

use crate::crew::{CrewMember, Rank};
use crate::fatigue::{forecast_crew_duties, DutyFatigue, FatigueSettings};
use crate::ids::{AirportCode, CrewId, LegId, PairingId, TailId};
use crate::leg::{Leg, LegStatus};
use crate::legality::{check_proposed, Violation};
use crate::pairing::{Pairing, RosterAssignment, Segment, SegmentKind};
use crate::practice::{
    MIN_CONNECTION_AIRCRAFT_CHANGE, RELEASE_AFTER_ARRIVAL, REPORT_BEFORE_DEPARTURE,
};
use crate::schedule::{Schedule, ScheduleParts};
use crate::time::{Minutes, UtcMinute};

use super::{
    CrewCostBreakdown, CrewProblem, CrewRecoveryPlan, CrewRecoveryProblem, DutyFault, PairingFault,
    UncoveredPosition,
};

/// Whether a crew member in a plan is one of the airline's rostered crew or a reserve.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum CrewRole {
    Rostered,
    Reserve,
}

/// The judgement of one crew member's roster in a plan.
#[derive(Clone, Debug, PartialEq)]
pub struct CrewVerdict {
    pub crew: CrewId,
    pub role: CrewRole,
    /// Legal by the rule engine and structurally sound (no `problems`).
    pub legal: bool,
    /// What the rule engine finds in the whole roster (kept pairings and the plan's), less the
    /// `extensions`.
    pub violations: Vec<Violation>,
    /// Flight duty periods over the planning limit that the operation may still fly as an extension for
    /// unforeseen circumstances (14 CFR 117.19(a), EASA ORO.FTL.205(f)): duties as rostered, made longer by
    /// the disruption's delays, within the rule set's allowance (see [`unforeseen_extensions`]); and, where
    /// the problem reads them ([`CrewRecoveryProblem::with_rest_delayed_reports`]), duties as rostered whose
    /// report waits for the minimum rest after a late release ([`rest_delayed_reports`]).
    /// Legal, and reported so the controller sees whose duty runs long or reports late.
    pub extensions: Vec<Violation>,
    /// Structural faults: changed past, broken connections, wrong seat, not home.
    pub problems: Vec<CrewProblem>,
    /// Legs operated from `t0` on (with the rank's seat), legs deadheaded from `t0` on.
    pub operating: Vec<LegId>,
    pub deadheads: Vec<LegId>,
    /// Legs operated in another crew member's place, with whose.
    pub swaps: Vec<(LegId, CrewId)>,
    /// Legs beyond the window the member was rostered to operate and no longer does: seats the plan leaves
    /// empty for the next plan (priced as uncovered positions).
    pub left_beyond_window: Vec<LegId>,
    /// Whether the crew member must be called (their legs change, or a reserve is used).
    pub contacted: bool,
    pub stranded: Option<String>,
    /// The fatigue forecast of the plan's duties that end after `t0`.
    pub fatigue: Vec<DutyFatigue>,
    pub cost: CrewCostBreakdown,
}

/// A reserve called out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReserveCallOut {
    pub reserve: CrewId,
    pub base: AirportCode,
    pub rank: Rank,
    pub legs: Vec<LegId>,
}

/// The judgement of a whole plan.
#[derive(Clone, Debug, PartialEq)]
pub struct CrewEvaluation {
    /// Every crew member of the plan, by id.
    pub crew: Vec<CrewVerdict>,
    pub reserve_callouts: Vec<ReserveCallOut>,
    /// (crew member, leg, in place of).
    pub swaps: Vec<(CrewId, LegId, CrewId)>,
    /// (crew member, leg).
    pub deadheads: Vec<(CrewId, LegId)>,
    pub uncovered: Vec<UncoveredPosition>,
    /// (crew member, leg): seats beyond the window whose rostered member the plan takes off them; priced
    /// as uncovered positions (in `cost.uncovered`), but no open position of this plan.
    pub left_beyond_window: Vec<(CrewId, LegId)>,
    /// Open positions left empty in fact (whatever the plan declares), per leg and rank.
    pub seats_uncovered: u32,
    pub crew_contacted: usize,
    /// Faults of the plan as a whole: positions flown twice, undeclared gaps, missing rosters, ids reused.
    pub problems: Vec<CrewProblem>,
    pub cost: CrewCostBreakdown,
}

impl CrewEvaluation {
    /// Every roster legal and structurally sound, and the plan consistent.
    pub fn is_legal(&self) -> bool {
        self.problems.is_empty() && self.crew.iter().all(|c| c.legal)
    }
    pub fn violations(&self) -> impl Iterator<Item = &Violation> {
        self.crew.iter().flat_map(|c| c.violations.iter())
    }
}

/// Judges one crew member's part of a plan: `pairings` replace their affected pairings (for a reserve: are
/// the call-out), `stranded` declares them left away from base. Legality is the rule engine's over the whole
/// roster on the disrupted times; the cost is this member's share of the plan's (all but the open positions
/// nobody flies; the seats beyond the window this member leaves are theirs).
pub fn judge_roster(
    problem: &CrewRecoveryProblem<'_>,
    crew: &CrewId,
    pairings: &[Pairing],
    stranded: Option<&str>,
) -> CrewVerdict {
    let t0 = problem.t0();
    let weights = problem.costs();
    let reserve = problem.reserve(crew);
    let role = if reserve.is_some() {
        CrewRole::Reserve
    } else {
        CrewRole::Rostered
    };
    let mut v = CrewVerdict {
        crew: crew.clone(),
        role,
        legal: false,
        violations: Vec::new(),
        extensions: Vec::new(),
        problems: Vec::new(),
        operating: Vec::new(),
        deadheads: Vec::new(),
        swaps: Vec::new(),
        left_beyond_window: Vec::new(),
        contacted: false,
        stranded: stranded.map(str::to_string),
        fatigue: Vec::new(),
        cost: CrewCostBreakdown::default(),
    };
    let Some(member) = problem.member(crew) else {
        v.problems
            .push(CrewProblem::UnknownCrew { crew: crew.clone() });
        return v;
    };
    let affected = problem.affected_crew(crew);
    if affected.is_none() && reserve.is_none() {
        v.problems
            .push(CrewProblem::NotAffected { crew: crew.clone() });
        return v;
    }
    let sick_from = problem.sick_from(crew);
    if let Some(r) = reserve {
        if pairings.len() > 1 {
            v.problems.push(CrewProblem::ReserveCalledMoreThanOnce {
                crew: crew.clone(),
                pairings: pairings.len(),
            });
        }
        if let Some(report) = pairings.first().and_then(|p| p.report()) {
            if report < r.available_from || report > r.available_until {
                v.problems.push(CrewProblem::ReserveOutsideStandby {
                    crew: crew.clone(),
                    report,
                    from: r.available_from,
                    until: r.available_until,
                });
            }
        }
    }

    // The past stays as rostered.
    let replaced = problem.replaced_pairings(crew);
    let past = |ps: &mut dyn Iterator<Item = &Pairing>| -> BTreeSet<(LegId, SegmentKind)> {
        ps.flat_map(|p| p.legs())
            .filter(|s| problem.is_past(s.leg))
            .map(|s| (s.leg, s.kind))
            .collect()
    };
    if past(&mut replaced.iter().copied()) != past(&mut pairings.iter()) {
        v.problems.push(CrewProblem::PastChanged {
            crew: crew.clone(),
            t0,
        });
    }
    let past_reports: BTreeSet<UtcMinute> = replaced
        .iter()
        .flat_map(|p| p.duties.iter())
        .filter(|d| d.report < t0)
        .map(|d| d.report)
        .collect();
    // Beyond the window the plan does not re-crew: only the rostered crew operate those legs.
    let rostered_beyond: BTreeSet<LegId> = replaced
        .iter()
        .flat_map(|p| p.legs())
        .filter(|s| s.kind == SegmentKind::Operating && problem.is_beyond_window(s.leg))
        .map(|s| s.leg)
        .collect();

    for p in pairings {
        let pairing = p.id;
        let mut problems: Vec<CrewProblem> = Vec::new();
        let mut fault = |fault| problems.push(CrewProblem::InPairing { pairing, fault });
        if p.airline != member.airline {
            fault(PairingFault::OtherAirline {
                crew: crew.clone(),
                pairing_airline: p.airline.clone(),
                crew_airline: member.airline.clone(),
            });
        }
        if p.base != member.base {
            fault(PairingFault::OtherBase {
                crew: crew.clone(),
                pairing_base: p.base,
                crew_base: member.base,
            });
        }
        if p.duties.is_empty() {
            fault(PairingFault::NoDuties);
        }
        let mut at = member.base;
        let mut previous_release: Option<UtcMinute> = None;
        for (n, d) in p.duties.iter().enumerate() {
            let duty = n + 1;
            macro_rules! fault {
                ($fault:expr) => {
                    problems.push(CrewProblem::InDuty {
                        pairing,
                        duty,
                        fault: $fault,
                    })
                };
            }
            if d.segments.is_empty() {
                fault!(DutyFault::NoLegs);
                continue;
            }
            if d.release <= d.report {
                fault!(DutyFault::ReleaseNotAfterReport {
                    report: d.report,
                    release: d.release,
                });
            }
            if previous_release.is_some_and(|r| d.report < r) {
                fault!(DutyFault::ReportBeforePreviousRelease { report: d.report });
            }
            previous_release = Some(d.release);
            let new_duty = d.report >= t0;
            if !new_duty && !past_reports.contains(&d.report) {
                fault!(DutyFault::ReportBeforeT0 {
                    report: d.report,
                    t0,
                });
            }
            let mut ready: Option<(UtcMinute, Option<&TailId>)> = None;
            let mut last_in = None;
            let mut touches_window = new_duty;
            for s in &d.segments {
                let Some(leg) = problem.leg(s.leg) else {
                    fault!(DutyFault::UnknownLeg { leg: s.leg });
                    continue;
                };
                if leg.origin != at {
                    fault!(DutyFault::Disconnected {
                        leg: leg.id,
                        origin: leg.origin,
                        crew_at: at,
                    });
                }
                at = leg.destination;
                let past_leg = problem.is_past(leg.id);
                if !past_leg {
                    touches_window = true;
                    if problem.is_cancelled(leg.id) {
                        fault!(DutyFault::CancelledLeg { leg: leg.id });
                    }
                    match ready {
                        None => {
                            if new_duty && leg.scheduled_out < d.report + REPORT_BEFORE_DEPARTURE {
                                fault!(DutyFault::ReportTooLate {
                                    leg: leg.id,
                                    out: leg.scheduled_out,
                                    need: REPORT_BEFORE_DEPARTURE,
                                    report: d.report,
                                });
                            }
                        }
                        Some((arrival, tail)) => {
                            let same_aircraft = tail.is_some() && tail == leg.tail.as_ref();
                            let need = if same_aircraft {
                                Minutes(0)
                            } else {
                                MIN_CONNECTION_AIRCRAFT_CHANGE
                            };
                            if leg.scheduled_out < arrival + need {
                                fault!(DutyFault::ConnectionTooShort {
                                    leg: leg.id,
                                    out: leg.scheduled_out,
                                    need,
                                    arrival,
                                });
                            }
                        }
                    }
                    if leg.carrier != member.airline {
                        fault!(DutyFault::OtherAirlinesLeg {
                            leg: leg.id,
                            carrier: leg.carrier.clone(),
                            crew_airline: member.airline.clone(),
                        });
                    }
                    match s.kind {
                        SegmentKind::Operating => {
                            if let Some(f) = sick_from.filter(|&f| leg.scheduled_out >= f) {
                                fault!(DutyFault::OperatesWhileSick {
                                    crew: crew.clone(),
                                    sick_from: f,
                                    leg: leg.id,
                                });
                            }
                            let type_code = leg
                                .tail
                                .as_ref()
                                .and_then(|t| problem.disrupted().tail(t))
                                .map(|a| &a.type_code);
                            if let Some(tc) = type_code.filter(|tc| !member.is_qualified_on(tc)) {
                                fault!(DutyFault::NotQualified {
                                    crew: crew.clone(),
                                    type_code: tc.clone(),
                                    leg: leg.id,
                                });
                            }
                            match problem.open_position(leg.id, member.rank) {
                                None if problem.is_beyond_window(leg.id) => {
                                    if !rostered_beyond.contains(&leg.id) {
                                        fault!(DutyFault::BeyondWindow {
                                            leg: leg.id,
                                            out: leg.scheduled_out,
                                            window_end: problem.window_end(),
                                        });
                                    }
                                }
                                None => fault!(DutyFault::NoOpenSeat {
                                    leg: leg.id,
                                    rank: member.rank,
                                }),
                                Some(open) => {
                                    if !open.rostered.contains(crew) {
                                        let whose = open.rostered[0].clone();
                                        if reserve.is_none() {
                                            v.swaps.push((leg.id, whose));
                                        }
                                    }
                                }
                            }
                            v.operating.push(leg.id);
                        }
                        SegmentKind::Deadhead => v.deadheads.push(leg.id),
                    }
                }
                ready = Some((leg.scheduled_in, leg.tail.as_ref()));
                last_in = Some(leg.scheduled_in);
            }
            if let Some(last) = last_in.filter(|_| touches_window) {
                if d.release < last + RELEASE_AFTER_ARRIVAL {
                    fault!(DutyFault::ReleaseTooEarly {
                        release: d.release,
                        need: RELEASE_AFTER_ARRIVAL,
                        last_arrival: last,
                    });
                }
            }
        }
        v.problems.append(&mut problems);
        // A trip may end at a co-terminal of the base: the road transfer home is planned practice.
        let home =
            crate::practice::co_terminal_transfer(at.as_str(), member.base.as_str()).is_some();
        if !home && stranded.is_none() && sick_from.is_none() {
            v.problems.push(CrewProblem::EndsAwayUndeclared {
                pairing: p.id,
                crew: crew.clone(),
                at,
                base: member.base,
            });
        }
    }

    let still_operated: BTreeSet<LegId> = v.operating.iter().copied().collect();
    v.left_beyond_window = rostered_beyond
        .iter()
        .filter(|leg| !still_operated.contains(leg))
        .copied()
        .collect();

    // The rule engine, over the whole roster on disrupted times.
    let kept = problem.kept_pairings(crew);
    let mut roster: Vec<&Pairing> = kept.clone();
    roster.extend(pairings.iter());
    // A roster already broken in structure is not worth the rule engine's time.
    if v.problems.is_empty() {
        match check_proposed(problem.disrupted(), crew, &roster, problem.rules()) {
            Ok(report) => {
                let (mut extensions, violations) =
                    unforeseen_extensions(problem, crew, &roster, report.violations);
                let (delayed, violations) = if problem.reads_rest_delayed_reports() {
                    rest_delayed_reports(problem, crew, &roster, violations)
                } else {
                    reports_late_within_the_lead(problem, crew, &roster, violations)
                };
                extensions.extend(delayed);
                (v.extensions, v.violations) = (extensions, violations);
            }
            Err(error) => v.problems.push(CrewProblem::RuleEngine {
                crew: crew.clone(),
                error,
            }),
        }
    }

    // Contacted: their duties from t0 on (legs, report, release) differ from what the disruption leaves
    // them (a reserve: called at all).
    let upcoming = |ps: &[Pairing]| -> Vec<(UtcMinute, UtcMinute, Vec<Segment>)> {
        ps.iter()
            .flat_map(|p| p.duties.iter())
            .filter(|d| d.segments.iter().any(|s| !problem.is_past(s.leg)))
            .map(|d| (d.report, d.release, d.segments.clone()))
            .collect()
    };
    v.contacted = match role {
        CrewRole::Reserve => !pairings.is_empty(),
        CrewRole::Rostered => upcoming(pairings) != upcoming(&problem.roster_as_disrupted(crew)),
    };

    // Fatigue is priced for legal rosters only: an illegal one is never part of a sound plan.
    if v.problems.is_empty() && v.violations.is_empty() {
        v.fatigue = fatigue_of(problem, member, &kept, pairings);
    }
    let excess: f64 = v
        .fatigue
        .iter()
        .map(|d| (d.peak_kss - weights.fatigue_threshold_kss).max(0.0))
        .sum();
    v.cost = CrewCostBreakdown {
        uncovered: weights.uncovered_position * v.left_beyond_window.len() as i64,
        reserve_callouts: if role == CrewRole::Reserve && !pairings.is_empty() {
            weights.reserve_callout
        } else {
            0
        },
        deadheads: weights.deadhead * v.deadheads.len() as i64,
        swaps: weights.swap * v.swaps.len() as i64,
        crew_contacted: if v.contacted {
            weights.crew_contacted
        } else {
            0
        },
        stranded: if stranded.is_some() {
            weights.stranded
        } else {
            0
        },
        fatigue: (excess * weights.fatigue_per_kss_point as f64).round() as i64,
    };
    v.legal = v.problems.is_empty() && v.violations.is_empty();
    v
}

/// The legs of each of a crew member's duties as rostered: a duty of a plan's roster that operates and
/// deadheads exactly the same legs is one of them, flown as planned whatever the disruption did to its
/// times.
struct RosteredDuties(BTreeSet<Vec<(LegId, SegmentKind)>>);

impl RosteredDuties {
    fn legs(duty: &crate::pairing::Duty) -> Vec<(LegId, SegmentKind)> {
        duty.segments.iter().map(|s| (s.leg, s.kind)).collect()
    }

    fn of(problem: &CrewRecoveryProblem<'_>, crew: &CrewId) -> RosteredDuties {
        RosteredDuties(
            problem
                .original()
                .roster(crew)
                .flat_map(|p| p.duties.iter())
                .map(Self::legs)
                .collect(),
        )
    }

    /// Whether the duty `v` is about, in `roster`, is one of them.
    fn has(&self, roster: &[&Pairing], v: &Violation) -> bool {
        roster
            .iter()
            .find(|p| p.id == v.pairing)
            .and_then(|p| p.duties.get(v.duty.checked_sub(1)?))
            .is_some_and(|d| self.0.contains(&Self::legs(d)))
    }
}

/// The longest extension that may be used more than once between two long rests: beyond it, 14 CFR
/// 117.19(a)(2) allows one extension before a rest of 30 consecutive hours. We apply the same to every rule
/// set (EASA's commander's discretion is rarer still), and count within the member's roster in the plan.
const REPEATABLE_EXTENSION: Minutes = Minutes(30);

/// Splits the rule engine's `violations` of a crew member's `roster` into unforeseen-circumstance
/// extensions and violations. The planning limits hold for every duty a plan makes; but a duty as
/// rostered, whose legs the disruption made run late, is what the unforeseen extension is for (14 CFR
/// 117.19(a)(1): "if unforeseen operational circumstances arise prior to takeoff", up to two hours; EASA
/// ORO.FTL.205(f), the commander's discretion): the crew fly it on the day, as the twin lets them. So a
/// flight duty period over its limit is an extension when the duty operates and deadheads exactly the legs
/// of one of the member's duties as rostered, it is over by no more than the rule set's allowance, and, for
/// more than [`REPEATABLE_EXTENSION`], no other such extension is in the roster. Everything else stays a
/// violation.
pub fn unforeseen_extensions(
    problem: &CrewRecoveryProblem<'_>,
    crew: &CrewId,
    roster: &[&Pairing],
    violations: Vec<Violation>,
) -> (Vec<Violation>, Vec<Violation>) {
    use crate::legality::ViolationKind;
    let fdp = |v: &Violation| matches!(v.kind, ViolationKind::FlightDutyPeriod { .. });
    // The search judges thousands of rosters; most have no duty over its limit.
    let Some(allowance) = problem
        .rules()
        .unforeseen_extension()
        .filter(|_| violations.iter().any(fdp))
    else {
        return (Vec::new(), violations);
    };
    let as_rostered = RosteredDuties::of(problem, crew);
    let mut extensions = Vec::new();
    let mut rest = Vec::new();
    let mut long_used = false;
    for v in violations {
        let over = v.actual - v.limit;
        let extendable = fdp(&v)
            && over <= allowance.max
            && (over <= REPEATABLE_EXTENSION || !long_used)
            && as_rostered.has(roster, &v);
        if extendable {
            long_used |= over > REPEATABLE_EXTENSION;
            extensions.push(v);
        } else {
            rest.push(v);
        }
    }
    (extensions, rest)
}

/// Splits `violations` of a crew member's `roster` into reports delayed for rest and violations. A duty
/// as rostered (it operates and deadheads exactly the legs of one of the member's rostered duties) that
/// follows too short a rest because the disruption released the member late is flown on the day with its
/// report delayed to the end of the minimum rest (14 CFR 117.25(e) is kept: the rest is whole before the
/// report), its first leg waiting for the crew: what operations control does, and what the twin does
/// (its crew report no sooner than the previous release plus the minimum rest). Up to
/// [`MAX_HOLD_FOR_CREW`](crate::practice::MAX_HOLD_FOR_CREW) short: past it the flight would be cancelled,
/// so the duty stays a violation, as does a short rest before a duty the plan makes.
pub fn rest_delayed_reports(
    problem: &CrewRecoveryProblem<'_>,
    crew: &CrewId,
    roster: &[&Pairing],
    violations: Vec<Violation>,
) -> (Vec<Violation>, Vec<Violation>) {
    split_short_rests(problem, crew, roster, violations, |v| {
        v.limit - v.actual <= crate::practice::MAX_HOLD_FOR_CREW
    })
}

/// Splits `violations` into the short rests before duties as rostered that `accept` takes and the rest.
fn split_short_rests(
    problem: &CrewRecoveryProblem<'_>,
    crew: &CrewId,
    roster: &[&Pairing],
    violations: Vec<Violation>,
    accept: impl Fn(&Violation) -> bool,
) -> (Vec<Violation>, Vec<Violation>) {
    use crate::legality::ViolationKind;
    let rest = |v: &Violation| matches!(v.kind, ViolationKind::RestBeforeDuty { .. });
    if !violations.iter().any(rest) {
        return (Vec::new(), violations);
    }
    let as_rostered = RosteredDuties::of(problem, crew);
    violations
        .into_iter()
        .partition(|v| rest(v) && as_rostered.has(roster, v) && accept(v))
}

/// Splits `violations` of a crew member's `roster` into reports delayed for rest within the report's lead
/// and violations. A duty as rostered that follows too short a rest, short by no more than the time its
/// report leaves before its first leg (on disrupted times; [`REPORT_BEFORE_DEPARTURE`] as rostered), is
/// flown by its own member reporting late, at the end of the minimum rest (14 CFR 117.25(e) kept), still
/// before the first leg leaves: no flight waits, so a reserve called for it buys nothing. The twin does
/// the same (its crew report no sooner than the previous release plus the minimum rest and board when
/// there by the departure). Longer shortfalls stay violations for the crew policies (the leg would wait;
/// [`rest_delayed_reports`] weighs those for the refinement), as does a short rest before a duty the plan
/// makes.
pub fn reports_late_within_the_lead(
    problem: &CrewRecoveryProblem<'_>,
    crew: &CrewId,
    roster: &[&Pairing],
    violations: Vec<Violation>,
) -> (Vec<Violation>, Vec<Violation>) {
    // The departure of the duty's first leg, on disrupted times.
    let first_out = |v: &Violation| {
        roster
            .iter()
            .find(|p| p.id == v.pairing)
            .and_then(|p| p.duties.get(v.duty.checked_sub(1)?))
            .and_then(|d| d.segments.first())
            .and_then(|s| problem.leg(s.leg))
            .map(|l| l.scheduled_out)
    };
    split_short_rests(problem, crew, roster, violations, |v| {
        v.actual < v.limit && first_out(v).is_some_and(|out| v.report + (v.limit - v.actual) <= out)
    })
}

/// The forecast of the plan's duties ending after `t0`, from the whole roster on disrupted times. A
/// roster that does not form a schedule of its own (a stranded or sick member's) has none.
fn fatigue_of(
    problem: &CrewRecoveryProblem<'_>,
    member: &CrewMember,
    kept: &[&Pairing],
    pairings: &[Pairing],
) -> Vec<DutyFatigue> {
    let mut all: Vec<Pairing> = kept.iter().map(|p| (*p).clone()).collect();
    all.extend(pairings.iter().cloned());
    let mut legs: Vec<Leg> = Vec::new();
    let mut seen = BTreeSet::new();
    for s in all.iter().flat_map(|p| p.legs()) {
        if seen.insert(s.leg) {
            if let Some(l) = problem.leg(s.leg) {
                let mut l = l.clone();
                l.tail = None;
                l.status = LegStatus::Scheduled;
                legs.push(l);
            }
        }
    }
    let d = problem.disrupted().parts();
    let rosters = all
        .iter()
        .map(|p| RosterAssignment {
            crew: member.id.clone(),
            pairing: p.id,
        })
        .collect();
    let Ok(own) = Schedule::new(ScheduleParts {
        airlines: d.airlines.clone(),
        airports: d.airports.clone(),
        crew: vec![CrewMember {
            qualifications: Vec::new(),
            ..member.clone()
        }],
        legs,
        pairings: all,
        rosters,
        ..ScheduleParts::default()
    }) else {
        return Vec::new();
    };
    let ids: BTreeSet<PairingId> = pairings.iter().map(|p| p.id).collect();
    forecast_crew_duties(&own, &member.id, &FatigueSettings::default())
        .map(|duties| {
            duties
                .into_iter()
                .filter(|d| ids.contains(&d.pairing) && d.release > problem.t0())
                .collect()
        })
        .unwrap_or_default()
}

/// Judges a plan (see the module documentation): every crew member's roster by [`judge_roster`], then the
/// plan as a whole — each open position flown once or declared uncovered, every affected crew member
/// given a roster, no pairing id used twice — and its cost.
pub fn evaluate(problem: &CrewRecoveryProblem<'_>, plan: &CrewRecoveryPlan) -> CrewEvaluation {
    let mut e = CrewEvaluation {
        crew: Vec::new(),
        reserve_callouts: Vec::new(),
        swaps: Vec::new(),
        deadheads: Vec::new(),
        uncovered: plan.uncovered.clone(),
        left_beyond_window: Vec::new(),
        seats_uncovered: 0,
        crew_contacted: 0,
        problems: Vec::new(),
        cost: CrewCostBreakdown::default(),
    };
    for a in problem.affected() {
        if !plan.rosters.contains_key(&a.crew) {
            e.problems.push(CrewProblem::AffectedWithoutRoster {
                crew: a.crew.clone(),
            });
        }
    }
    for crew in plan.stranded.keys() {
        if !plan.rosters.contains_key(crew) {
            e.problems
                .push(CrewProblem::StrandedWithoutRoster { crew: crew.clone() });
        }
    }
    // Pairing ids: unique in the plan and unused by pairings the plan keeps.
    let mut ids: BTreeMap<PairingId, &CrewId> = BTreeMap::new();
    for (crew, ps) in &plan.rosters {
        for p in ps {
            if let Some(other) = ids.insert(p.id, crew) {
                e.problems.push(CrewProblem::PairingIdTwice {
                    pairing: p.id,
                    first: other.clone(),
                    second: crew.clone(),
                });
            }
        }
    }
    for p in problem.original().pairings() {
        if let Some(crew) = ids.get(&p.id) {
            let replaced = problem
                .affected_crew(crew)
                .is_some_and(|a| a.pairings.contains(&p.id));
            if !replaced {
                e.problems.push(CrewProblem::PairingIdOfKeptPairing {
                    pairing: p.id,
                    crew: (*crew).clone(),
                });
            }
        }
    }

    let mut flown: BTreeMap<(LegId, Rank), u32> = BTreeMap::new();
    for (crew, ps) in &plan.rosters {
        let v = judge_roster(
            problem,
            crew,
            ps,
            plan.stranded.get(crew).map(String::as_str),
        );
        let rank = problem.member(crew).map(|m| m.rank);
        if let Some(rank) = rank {
            for &leg in &v.operating {
                *flown.entry((leg, rank)).or_default() += 1;
            }
        }
        if v.role == CrewRole::Reserve && !ps.is_empty() {
            if let Some(r) = problem.reserve(crew) {
                e.reserve_callouts.push(ReserveCallOut {
                    reserve: crew.clone(),
                    base: r.member.base,
                    rank: r.member.rank,
                    legs: v.operating.clone(),
                });
            }
        }
        e.swaps.extend(
            v.swaps
                .iter()
                .map(|(leg, whose)| (crew.clone(), *leg, whose.clone())),
        );
        e.deadheads
            .extend(v.deadheads.iter().map(|&leg| (crew.clone(), leg)));
        e.left_beyond_window
            .extend(v.left_beyond_window.iter().map(|&leg| (crew.clone(), leg)));
        if v.contacted {
            e.crew_contacted += 1;
        }
        e.cost.add(&v.cost);
        e.crew.push(v);
    }

    let mut declared: BTreeMap<(LegId, Rank), u32> = BTreeMap::new();
    for u in &plan.uncovered {
        *declared.entry((u.leg, u.rank)).or_default() += u.count;
        if problem.open_position(u.leg, u.rank).is_none() {
            e.problems.push(CrewProblem::UncoveredWithoutOpenSeat {
                leg: u.leg,
                rank: u.rank,
            });
        }
    }
    for open in problem.demand() {
        let f = flown.get(&(open.leg, open.rank)).copied().unwrap_or(0);
        let d = declared.get(&(open.leg, open.rank)).copied().unwrap_or(0);
        if f > open.count {
            e.problems.push(CrewProblem::SeatsFlownTooOften {
                leg: open.leg,
                rank: open.rank,
                flown: f,
                open: open.count,
            });
        }
        let missing = open.count.saturating_sub(f);
        if missing != d {
            e.problems.push(CrewProblem::UndeclaredEmptySeats {
                leg: open.leg,
                rank: open.rank,
                empty: missing,
                declared: d,
            });
        }
        e.seats_uncovered += missing;
    }
    // The open positions nobody flies, and the seats beyond the window the plan leaves (each member's
    // verdict priced its own, so that candidate rosters carry them).
    e.cost.uncovered = problem.costs().uncovered_position
        * (i64::from(e.seats_uncovered) + e.left_beyond_window.len() as i64);
    e
}
