//! Checking one crew member's roster: the facts of each duty are computed once (times, segments, flight
//! time, where it departs, how the crew member is acclimated and the local report time), then every rule is
//! a pass over those facts.

use super::clock::ZoneClock;
use super::windows::{calendar_loads, rolling_peaks, DayPiece, Interval};
use super::{LegalityError, LegalityReport, UncheckedDuty, Violation, ViolationKind};
use crate::crew::CrewMember;
use crate::ids::{AirportCode, PairingId};
use crate::pairing::{Pairing, SegmentKind};
use crate::rules::easa::{acclimatisation_state, AcclimatisationState};
use crate::rules::{Acclimatisation, CumulativeLimit, Measure, RecurringRest, RuleSet, Window};
use crate::schedule::Schedule;
use crate::time::{Date, Minutes, TimeZone, UtcMinute, MINUTES_PER_DAY};

/// Everything the rules ask of one duty.
#[derive(Clone, Debug)]
struct DutyFacts {
    pairing: PairingId,
    /// From 1 within the pairing.
    number: usize,
    report: i64,
    release: i64,
    /// Block-in of the last leg operated; `None` for a duty that only deadheads.
    fdp_end: Option<i64>,
    segments: usize,
    flight_time: i64,
    departure: AirportCode,
    /// Zone of the airport where the duty ends (where the rest after it is taken).
    arrival_zone: TimeZone,
    /// The zone the report is read in, and the local minute there.
    reading_zone: TimeZone,
    report_minute: i64,
    /// Part 117: acclimated; EASA: in a known state of acclimatisation.
    acclimated: bool,
}

/// A pairing of a proposed roster must be whole: duties with legs the schedule knows, in order.
pub(super) fn validate(schedule: &Schedule, pairing: &Pairing) -> Result<(), LegalityError> {
    let bad = |duty: usize, problem: &str| LegalityError::BadDuty {
        pairing: pairing.id,
        duty,
        problem: problem.to_string(),
    };
    if pairing.duties.is_empty() {
        return Err(bad(0, "the pairing has no duties"));
    }
    let mut previous_release = None;
    for (n, duty) in pairing.duties.iter().enumerate() {
        if duty.segments.is_empty() {
            return Err(bad(n + 1, "the duty has no legs"));
        }
        if duty.release <= duty.report {
            return Err(bad(n + 1, "the release is not after the report"));
        }
        if previous_release.is_some_and(|r| duty.report < r) {
            return Err(bad(
                n + 1,
                "the duty reports before the previous duty's release",
            ));
        }
        previous_release = Some(duty.release);
        for s in &duty.segments {
            if schedule.leg(s.leg).is_none() {
                return Err(LegalityError::UnknownLeg {
                    pairing: pairing.id,
                    leg: s.leg,
                });
            }
        }
    }
    Ok(())
}

fn longitude_difference(a: f64, b: f64) -> f64 {
    let d = (a - b).abs() % 360.0;
    d.min(360.0 - d)
}

/// The per-crew checker, holding its scratch space between crew members.
pub(super) struct Checker<'s> {
    schedule: &'s Schedule,
    rules: &'s dyn RuleSet,
    clock: ZoneClock,
    limits: &'s [CumulativeLimit],
    duties: Vec<DutyFacts>,
    legs: Vec<Interval>,
    fdps: Vec<Interval>,
    spans: Vec<Interval>,
    peaks: Vec<i64>,
    pieces: Vec<DayPiece>,
    /// What `pieces` were cut from, for the crew member being checked.
    pieces_of: Option<Measure>,
    loads: Vec<(i64, i64)>,
    /// Per duty: the heaviest window of the limit being checked (load, tag).
    heaviest: Vec<Option<(i64, i64)>>,
    extensions: Vec<i64>,
}

impl<'s> Checker<'s> {
    pub(super) fn new(schedule: &'s Schedule, rules: &'s dyn RuleSet) -> Checker<'s> {
        Checker {
            schedule,
            rules,
            clock: ZoneClock::new(),
            limits: rules.cumulative_limits(),
            duties: Vec::new(),
            legs: Vec::new(),
            fdps: Vec::new(),
            spans: Vec::new(),
            peaks: Vec::new(),
            pieces: Vec::new(),
            pieces_of: None,
            loads: Vec::new(),
            heaviest: Vec::new(),
            extensions: Vec::new(),
        }
    }

    /// Checks one crew member's roster (`pairings` sorted by report, not overlapping) into `report`.
    pub(super) fn check(
        &mut self,
        member: &CrewMember,
        pairings: &[&Pairing],
        report: &mut LegalityReport,
    ) -> Result<(), LegalityError> {
        if !self.rules.covers(member.rank) {
            report.crew_not_covered += 1;
            return Ok(());
        }
        report.crew_checked += 1;
        self.collect(member, pairings)?;
        if self.duties.is_empty() {
            return Ok(());
        }
        self.check_duties(member, report);
        match self.rules.recurring_rest() {
            RecurringRest::FreeBeforeEveryFdp {
                free,
                lookback,
                rule,
            } => self.check_free_period(member, free, lookback, &rule, report),
            RecurringRest::RecoveryRest {
                min,
                local_nights,
                max_between,
                night_from,
                night_to,
                night_length,
                rule,
            } => self.check_recovery_rest(
                member,
                (min, local_nights, max_between),
                (night_from, night_to, night_length),
                &rule,
                report,
            ),
        }
        for limit in self.limits {
            self.check_cumulative(member, limit, report);
        }
        Ok(())
    }

    /// Builds the duty facts and the intervals of the roster.
    fn collect(&mut self, member: &CrewMember, pairings: &[&Pairing]) -> Result<(), LegalityError> {
        self.duties.clear();
        self.pieces_of = None;
        self.legs.clear();
        self.fdps.clear();
        self.spans.clear();
        let schedule = self.schedule;
        let base_longitude = schedule
            .airport(member.base)
            .map(|a| a.longitude_deg)
            .expect("a crew member's base is an airport of the schedule (Schedule::new checks it)");
        let acclimatisation = self.rules.acclimatisation();
        for pairing in pairings {
            // Theater (Part 117) or reference time (EASA) the crew member is acclimated to.
            let mut reference_longitude = base_longitude;
            let mut reference_zone = member.home_zone;
            let mut reference_since: Option<i64> = None;
            let mut away: Option<(f64, i64)> = None;
            for (n, duty) in pairing.duties.iter().enumerate() {
                let index = self.duties.len();
                let (mut segments, mut flight_time, mut fdp_end) = (0usize, 0i64, None);
                let (mut departure, mut arrival) = (None, None);
                for s in &duty.segments {
                    let leg = schedule.leg(s.leg).ok_or(LegalityError::UnknownLeg {
                        pairing: pairing.id,
                        leg: s.leg,
                    })?;
                    departure.get_or_insert(leg.origin);
                    arrival = Some(leg.destination);
                    if s.kind == SegmentKind::Operating {
                        segments += 1;
                        flight_time += leg.scheduled_block().0;
                        fdp_end = Some(leg.scheduled_in.0);
                        self.legs.push(Interval {
                            start: leg.scheduled_out.0,
                            end: leg.scheduled_in.0,
                            owner: index,
                        });
                    }
                }
                let (Some(departure), Some(arrival)) = (departure, arrival) else {
                    return Err(LegalityError::BadDuty {
                        pairing: pairing.id,
                        duty: n + 1,
                        problem: "the duty has no legs".into(),
                    });
                };
                let airport = |code: AirportCode| {
                    schedule
                        .airport(code)
                        .expect("a leg's airports are in the schedule (Schedule::new checks it)")
                };
                let (dep, arr) = (airport(departure), airport(arrival));
                let report_at = duty.report.0;
                let previous_release = self.duties.last().map(|d: &DutyFacts| d.release);

                let acclimated = match &acclimatisation {
                    Acclimatisation::Theater {
                        max_longitude_deg,
                        in_theater,
                        free,
                        ..
                    } => {
                        if longitude_difference(dep.longitude_deg, reference_longitude)
                            <= *max_longitude_deg
                        {
                            away = None;
                            true
                        } else {
                            let arrived = previous_release.unwrap_or(report_at);
                            let since = match away {
                                Some((anchor, since))
                                    if longitude_difference(dep.longitude_deg, anchor)
                                        <= *max_longitude_deg =>
                                {
                                    since
                                }
                                _ => {
                                    away = Some((dep.longitude_deg, arrived));
                                    arrived
                                }
                            };
                            let rested = match previous_release {
                                None => true,
                                Some(r) => report_at - r >= free.0,
                            };
                            if report_at - since >= in_theater.0 || rested {
                                reference_longitude = dep.longitude_deg;
                                reference_zone = dep.time_zone;
                                away = None;
                                true
                            } else {
                                false
                            }
                        }
                    }
                    Acclimatisation::TimeZoneTable { .. } => {
                        let since = *reference_since.get_or_insert(report_at);
                        let difference = self.clock.offset(dep.time_zone, duty.report)
                            - self.clock.offset(reference_zone, duty.report);
                        match acclimatisation_state(difference, Minutes(report_at - since)) {
                            AcclimatisationState::ReferenceTime => true,
                            AcclimatisationState::Departure => {
                                reference_zone = dep.time_zone;
                                reference_since = Some(report_at);
                                true
                            }
                            AcclimatisationState::Unknown => false,
                        }
                    }
                };
                let report_minute = self.clock.minute_of_day(reference_zone, duty.report);
                if let Some(end) = fdp_end {
                    self.fdps.push(Interval {
                        start: report_at,
                        end: end.max(report_at),
                        owner: index,
                    });
                }
                self.spans.push(Interval {
                    start: report_at,
                    end: duty.release.0,
                    owner: index,
                });
                self.duties.push(DutyFacts {
                    pairing: pairing.id,
                    number: n + 1,
                    report: report_at,
                    release: duty.release.0,
                    fdp_end,
                    segments,
                    flight_time,
                    departure,
                    arrival_zone: arr.time_zone,
                    reading_zone: reference_zone,
                    report_minute,
                    acclimated,
                });
            }
        }
        Ok(())
    }

    fn violation(
        &self,
        member: &CrewMember,
        i: usize,
        kind: ViolationKind,
        rule: String,
        cell: String,
        (limit, actual): (Minutes, Minutes),
    ) -> Violation {
        let d = &self.duties[i];
        Violation {
            crew: member.id.clone(),
            pairing: d.pairing,
            duty: d.number,
            report: UtcMinute(d.report),
            report_zone: d.reading_zone,
            report_minute_of_day: d.report_minute,
            segments: d.segments,
            kind,
            rule,
            cell,
            limit,
            actual,
        }
    }

    /// The limits of each FDP on its own (Tables A, B / 2, 3, planned extensions) and the rest before it.
    fn check_duties(&mut self, member: &CrewMember, report: &mut LegalityReport) {
        let rules = self.rules;
        self.extensions.clear();
        for i in 0..self.duties.len() {
            let d = &self.duties[i];
            let Some(fdp_end) = d.fdp_end else { continue };
            let fdp = Minutes(fdp_end - d.report);
            let (minute, segments, acclimated) = (d.report_minute, d.segments, d.acclimated);
            match rules.max_fdp(minute, segments, acclimated) {
                Ok(limit) if fdp > limit.limit => {
                    let mut extension = None;
                    let mut legal = false;
                    if acclimated {
                        if let Ok(Some(ext)) =
                            rules.max_fdp_with_planned_extension(minute, segments)
                        {
                            if fdp <= ext.limit {
                                match rules.planned_extensions_allowed() {
                                    None => legal = true,
                                    Some((allowed, window, rule)) => {
                                        let from = d.report - window.0;
                                        let used = self.extensions.len()
                                            - self.extensions.partition_point(|&r| r <= from);
                                        if used < allowed as usize {
                                            legal = true;
                                        } else {
                                            extension = Some(format!(
                                                "a planned extension to {} ({} for a {} report with {}) is not available: {} already used in the {} h before, the most {} allows",
                                                ext.limit, ext.table, ext.row, ext.column, used, window.0 / 60, rule
                                            ));
                                        }
                                    }
                                }
                            } else {
                                extension = Some(format!(
                                    "even a planned extension ({} for a {} report with {}) allows only {}",
                                    ext.table, ext.row, ext.column, ext.limit
                                ));
                            }
                        }
                    }
                    if legal {
                        self.extensions.push(d.report);
                    } else {
                        let v = self.violation(
                            member,
                            i,
                            ViolationKind::FlightDutyPeriod {
                                extension,
                                limit: limit.clone(),
                            },
                            limit.rule.to_string(),
                            limit.cell(),
                            (limit.limit, fdp),
                        );
                        report.violations.push(v);
                    }
                }
                Ok(_) => {}
                Err(e) => report.unchecked.push(UncheckedDuty {
                    crew: member.id.clone(),
                    pairing: d.pairing,
                    duty: d.number,
                    report: UtcMinute(d.report),
                    reason: format!("the flight duty period limit cannot be read: {e}"),
                }),
            }
            let d = &self.duties[i];
            if let Some(limit) = rules.max_flight_time(d.report_minute) {
                if d.flight_time > limit.limit.0 {
                    let actual = Minutes(d.flight_time);
                    let v = self.violation(
                        member,
                        i,
                        ViolationKind::FlightTime {
                            limit: limit.clone(),
                        },
                        limit.rule.to_string(),
                        format!("{} report", limit.row),
                        (limit.limit, actual),
                    );
                    report.violations.push(v);
                }
            }
            if i > 0 {
                let previous = &self.duties[i - 1];
                let d = &self.duties[i];
                let rest = Minutes(d.report - previous.release);
                let needed = rules.min_rest_before_fdp(
                    Minutes(previous.release - previous.report),
                    d.departure == member.base,
                );
                if rest < needed.min {
                    let previous_release = UtcMinute(previous.release);
                    let v = self.violation(
                        member,
                        i,
                        ViolationKind::RestBeforeDuty {
                            previous_release,
                            because: needed.because(),
                        },
                        needed.rule.to_string(),
                        "rest before a flight duty period".into(),
                        (needed.min, rest),
                    );
                    report.violations.push(v);
                }
            }
        }
    }

    /// Part 117 §117.25(b): before each FDP, a long enough free period within the lookback.
    fn check_free_period(
        &mut self,
        member: &CrewMember,
        free: Minutes,
        lookback: Minutes,
        rule: &str,
        report: &mut LegalityReport,
    ) {
        // `first`: the first duty whose preceding break ends after the lookback starts (moves forward only).
        let mut first = 0usize;
        for i in 0..self.duties.len() {
            if self.duties[i].fdp_end.is_none() {
                continue;
            }
            let at = self.duties[i].report;
            let from = at - lookback.0;
            while self.duties[first].report <= from {
                first += 1;
            }
            let longest = (first..=i)
                .map(|k| {
                    let start = if k == 0 {
                        from
                    } else {
                        self.duties[k - 1].release.max(from)
                    };
                    self.duties[k].report - start
                })
                .max()
                .unwrap_or(0);
            if longest < free.0 {
                let v = self.violation(
                    member,
                    i,
                    ViolationKind::FreePeriod { lookback },
                    rule.to_string(),
                    format!("{} h before the report", lookback.0 / 60),
                    (free, Minutes(longest)),
                );
                report.violations.push(v);
            }
        }
    }

    /// Local nights (`night.2` within `night.0`..`night.1` local time in `zone`) inside [from, to], counted
    /// up to `needed`.
    fn local_nights(
        &mut self,
        zone: TimeZone,
        from: i64,
        to: i64,
        night: (i64, i64, Minutes),
        needed: u32,
    ) -> u32 {
        let (night_from, night_to, length) = night;
        let (at_from, at_to) = (
            self.clock.offset(zone, UtcMinute(from)),
            self.clock.offset(zone, UtcMinute(to)),
        );
        // The same offset at both ends of a break shorter than a month: no clock change inside it, so the
        // nights are plain arithmetic.
        let fixed = (at_from == at_to && to - from <= 30 * MINUTES_PER_DAY).then_some(at_from);
        let first_day = (from + at_from.0).div_euclid(MINUTES_PER_DAY) - 1;
        let last_day = (to + at_to.0).div_euclid(MINUTES_PER_DAY);
        let mut count = 0;
        for day in first_day..=last_day {
            let end_day = if night_to <= night_from { day + 1 } else { day };
            let (start, end) = match fixed {
                Some(offset) => (
                    day * MINUTES_PER_DAY + night_from - offset.0,
                    end_day * MINUTES_PER_DAY + night_to - offset.0,
                ),
                None => (
                    self.clock.instant(zone, day, night_from).0,
                    self.clock.instant(zone, end_day, night_to).0,
                ),
            };
            if end.min(to) - start.max(from) >= length.0 {
                count += 1;
                if count >= needed {
                    break;
                }
            }
        }
        count
    }

    /// EASA ORO.FTL.235(d): no more than `max_between` from the end of one recovery rest to the start of the
    /// next.
    fn check_recovery_rest(
        &mut self,
        member: &CrewMember,
        (min, nights, max_between): (Minutes, u32, Minutes),
        night: (i64, i64, Minutes),
        rule: &str,
        report: &mut LegalityReport,
    ) {
        let n = self.duties.len();
        // `start`: first duty after the last recovery rest (the time before the roster counts as one).
        let mut start = 0usize;
        for k in 1..=n {
            let recovery = if k == n {
                true
            } else {
                let (release, zone) = (self.duties[k - 1].release, self.duties[k - 1].arrival_zone);
                let next = self.duties[k].report;
                next - release >= min.0
                    && self.local_nights(zone, release, next, night, nights) >= nights
            };
            if !recovery {
                continue;
            }
            let began = self.duties[start].report;
            if self.duties[k - 1].release - began > max_between.0 {
                let j = (start..k)
                    .find(|&j| self.duties[j].release - began > max_between.0)
                    .expect("some duty of the stretch ends past the limit");
                let actual = Minutes(self.duties[j].release - began);
                let v = self.violation(
                    member,
                    j,
                    ViolationKind::RecoveryRest {
                        last_recovery_end: UtcMinute(began),
                        recovery_min: min,
                        local_nights: nights,
                    },
                    rule.to_string(),
                    "time between recovery rests".into(),
                    (max_between, actual),
                );
                report.violations.push(v);
            }
            start = k;
        }
    }

    /// Cuts intervals at local midnights of the home zone.
    fn day_pieces(&mut self, zone: TimeZone, measure: Measure) {
        if self.pieces_of == Some(measure) {
            return;
        }
        self.pieces_of = Some(measure);
        self.pieces.clear();
        let intervals = match measure {
            Measure::FlightTime => &self.legs,
            Measure::FlightDutyPeriod => &self.fdps,
            Measure::Duty => &self.spans,
        };
        for iv in intervals.iter() {
            if iv.end <= iv.start {
                continue;
            }
            let at_start = self.clock.offset(zone, UtcMinute(iv.start)).0;
            let at_end = self.clock.offset(zone, UtcMinute(iv.end - 1)).0;
            let first = (iv.start + at_start).div_euclid(MINUTES_PER_DAY);
            let last = (iv.end - 1 + at_end).div_euclid(MINUTES_PER_DAY);
            let mut at = iv.start;
            for day in first..last {
                // Intervals are shorter than a day or two: one offset at both ends means none changes.
                let midnight = if at_start == at_end {
                    (day + 1) * MINUTES_PER_DAY - at_start
                } else {
                    self.clock.instant(zone, day + 1, 0).0
                };
                let midnight = midnight.clamp(at, iv.end);
                self.pieces.push(DayPiece {
                    day,
                    minutes: midnight - at,
                    owner: iv.owner,
                });
                at = midnight;
            }
            self.pieces.push(DayPiece {
                day: last,
                minutes: iv.end - at,
                owner: iv.owner,
            });
        }
    }

    fn check_cumulative(
        &mut self,
        member: &CrewMember,
        limit: &CumulativeLimit,
        report: &mut LegalityReport,
    ) {
        self.heaviest.clear();
        self.heaviest.resize(self.duties.len(), None);
        let keep = |heaviest: &mut Vec<Option<(i64, i64)>>, owner: usize, load: i64, tag: i64| {
            if !matches!(heaviest[owner], Some((l, _)) if l >= load) {
                heaviest[owner] = Some((load, tag));
            }
        };
        let zone = member.home_zone;
        match limit.window {
            Window::Rolling(width) => {
                let intervals = match limit.measure {
                    Measure::FlightTime => &self.legs,
                    Measure::FlightDutyPeriod => &self.fdps,
                    Measure::Duty => &self.spans,
                };
                rolling_peaks(intervals, width.0, &mut self.peaks);
                for (iv, &load) in intervals.iter().zip(&self.peaks) {
                    keep(&mut self.heaviest, iv.owner, load, iv.end);
                }
            }
            Window::CalendarDays(_) | Window::CalendarMonths(_) | Window::CalendarYear => {
                self.day_pieces(zone, limit.measure);
                let month = |day: i64| {
                    let d = Date::from_days_since_epoch(day);
                    i64::from(d.year) * 12 + i64::from(d.month) - 1
                };
                match limit.window {
                    Window::CalendarDays(n) => {
                        calendar_loads(&self.pieces, |d| d, i64::from(n), &mut self.loads)
                    }
                    Window::CalendarMonths(n) => {
                        calendar_loads(&self.pieces, month, i64::from(n), &mut self.loads)
                    }
                    _ => calendar_loads(
                        &self.pieces,
                        |d| i64::from(Date::from_days_since_epoch(d).year),
                        1,
                        &mut self.loads,
                    ),
                }
                for (piece, &(load, bucket)) in self.pieces.iter().zip(&self.loads) {
                    keep(&mut self.heaviest, piece.owner, load, bucket);
                }
            }
        }
        for i in 0..self.duties.len() {
            let Some((load, tag)) = self.heaviest[i] else {
                continue;
            };
            if load <= limit.limit.0 {
                continue;
            }
            let window = match limit.window {
                Window::Rolling(width) => {
                    format!("the {} h ending {}", width.0 / 60, UtcMinute(tag))
                }
                Window::CalendarDays(n) => format!(
                    "the {n} calendar days ending {} ({} dates) up to this duty",
                    Date::from_days_since_epoch(tag),
                    super::place(&zone)
                ),
                Window::CalendarMonths(n) => format!(
                    "the {n} calendar months ending {:04}-{:02} up to this duty",
                    tag.div_euclid(12),
                    tag.rem_euclid(12) + 1
                ),
                Window::CalendarYear => format!("calendar year {tag} up to this duty"),
            };
            let v = self.violation(
                member,
                i,
                ViolationKind::Cumulative {
                    measure: limit.measure,
                    name: limit.name.clone(),
                    window: window.clone(),
                },
                limit.rule.clone(),
                format!("{}: {window}", limit.name),
                (limit.limit, Minutes(load)),
            );
            report.violations.push(v);
        }
    }
}
