//! The rule sets the generator plans to ([`super::CrewConfig::rule_sets`]), asked through the rule engine of
//! `ucodts_model::rules` and read once into what the generator's hot loops need: per rule set, its FDP limit
//! for every minute of the day and number of segments, its flight time limit (where it has one) and its rest
//! minimum after a duty of each length. A duty is planned only within the strictest of them, so the
//! generated rosters pass `ucodts_model::legality` under every rule set configured.
//!
//! The generator does not re-encode a regulation number: every limit here comes from a [`RuleSet`] method.
//! What it adds are conservative readings, so that its own simpler bookkeeping can only be stricter than the
//! checker's:
//!
//! - The flight duty period runs to the duty's last arrival, deadheads included (the checker ends it at the
//!   last leg operated), and a duty that only deadheads is held to the one-segment limit.
//! - Acclimatisation by theater (Part 117): a duty with a leg departing outside the base's theater is held
//!   both to the not-acclimated limit read at the base's time and to the acclimated limit read at its
//!   departure's time (the checker may find the crew re-acclimated there).
//! - Acclimatisation by time-zone table (EASA ORO.FTL.105(1)): the generator follows the checker's reference
//!   time duty by duty, with `ucodts_model::rules::easa::acclimatisation_state`; a duty in an unknown state is
//!   held to the rule set's not-acclimated limit, or not planned where that limit cannot be read.
//! - Cumulative limits over calendar windows are checked as rolling windows long enough to hold any such
//!   calendar window (a calendar year in 366 days, N months in 31 N days, N days in 24 N hours; plus an hour
//!   for a clock change); flight time counts whole for a duty that ends inside a window, and the windows
//!   checked for a duty's flight time reach back from its report.
//! - A rest within a pairing never counts as a recovery rest (EASA ORO.FTL.235(d)): only the time off at home
//!   between pairings does.

use std::fmt;

use ucodts_model::rules::{
    self, easa, Acclimatisation, Measure, RecurringRest, RuleError, RuleSet, Window,
};
use ucodts_model::{Date, Minutes, TimeZone, UtcMinute};

use super::BaseClock;

/// Segment counts the FDP tables are read for; more segments read as this many (Part 117 Table B's last
/// column is "7 or more", EASA Table 2's last is 10 sectors and the engine holds more to it).
const MAX_SEGMENT_COLUMN: usize = 10;

/// Rest minima are remembered for preceding duties up to this long; longer duties ask the rule set.
const REST_TABLE_LENGTH: Minutes = Minutes::hours(24);

const MINUTES_PER_DAY: i64 = 24 * 60;

/// Slack added to a calendar window read as a rolling one: a daylight-saving day is 25 hours long.
const CLOCK_CHANGE_SLACK: Minutes = Minutes(60);

/// One rule set, read into tables.
struct Tables {
    name: &'static str,
    rules: &'static dyn RuleSet,
    /// Part 117: the theater's span in degrees of longitude.
    theater_deg: Option<f64>,
    /// Per minute of the day, per segment count 1..=10: the FDP limit for an acclimated crew and for one that
    /// is not (zero where the rule set gives none: such a duty is not planned).
    fdp: Vec<[Minutes; MAX_SEGMENT_COLUMN]>,
    fdp_not_acclimated: Vec<[Minutes; MAX_SEGMENT_COLUMN]>,
    flight_time: Option<Vec<Minutes>>,
    /// By the preceding duty's length in minutes: the least rest at home base, and away.
    rest_home: Vec<Minutes>,
    rest_away: Vec<Minutes>,
}

impl Tables {
    fn new(name: &str) -> Result<Tables, RuleError> {
        let rules = rules::by_name(name)?;
        let fdp_table = |acclimated: bool| -> Vec<[Minutes; MAX_SEGMENT_COLUMN]> {
            (0..MINUTES_PER_DAY)
                .map(|m| {
                    std::array::from_fn(|c| {
                        rules
                            .max_fdp(m, c + 1, acclimated)
                            .map_or(Minutes(0), |l| l.limit)
                    })
                })
                .collect()
        };
        let fdp = fdp_table(true);
        if let Some(m) = fdp.iter().position(|row| row[0] == Minutes(0)) {
            // An acclimated crew must always have a limit; the engine's error says why not.
            rules.max_fdp(m as i64, 1, true)?;
        }
        let flight_time = rules.max_flight_time(0).map(|_| {
            (0..MINUTES_PER_DAY)
                .map(|m| rules.max_flight_time(m).map_or(Minutes(0), |l| l.limit))
                .collect()
        });
        let rest = |home: bool| {
            (0..=REST_TABLE_LENGTH.0)
                .map(|d| rules.min_rest_before_fdp(Minutes(d), home).min)
                .collect()
        };
        Ok(Tables {
            name: rules.name(),
            rules,
            theater_deg: match rules.acclimatisation() {
                Acclimatisation::Theater {
                    max_longitude_deg, ..
                } => Some(max_longitude_deg),
                Acclimatisation::TimeZoneTable { .. } => None,
            },
            fdp_not_acclimated: fdp_table(false),
            fdp,
            flight_time,
            rest_home: rest(true),
            rest_away: rest(false),
        })
    }
}

/// How the rule sets read one duty: the local minute of its report at the base, at the reference time of the
/// time-zone-table rule sets and at its departure, and whether the crew is acclimated under each kind of rule.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(super) struct DutyReading {
    pub base_minute: i64,
    pub reference_minute: i64,
    pub departure_minute: i64,
    /// Every leg departs within the theater of the base (Part 117).
    pub in_theater: bool,
    /// The state of acclimatisation is known (EASA Table 1: B or D, not X).
    pub reference_known: bool,
}

/// A cumulative limit as a rolling window.
#[derive(Clone, Debug)]
struct RollingLimit {
    measure: Measure,
    window: Minutes,
    limit: Minutes,
    rule: String,
}

/// EASA ORO.FTL.235(d) as the roster assignment applies it.
#[derive(Clone, Debug)]
struct Recovery {
    min: Minutes,
    local_nights: u32,
    max_between: Minutes,
    night_from: i64,
    night_to: i64,
    night_length: Minutes,
    rule: String,
}

/// The rule sets the generator plans to, read once.
pub(super) struct PlanningRules {
    sets: Vec<Tables>,
    rolling: Vec<RollingLimit>,
    /// Part 117 §117.25(b): (free, lookback, rule).
    free: Vec<(Minutes, Minutes, String)>,
    recovery: Vec<Recovery>,
    /// The most flight duty, and the most duty, one pairing may hold: a newly hired member flies it alone
    /// within every cumulative limit (all windows are longer than a pairing).
    pub pairing_flight_duty_cap: Minutes,
    pub pairing_duty_cap: Minutes,
}

impl fmt::Debug for PlanningRules {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.sets.iter().map(|t| t.name).collect();
        write!(f, "PlanningRules({names:?})")
    }
}

/// A calendar window as the shortest rolling window that holds it.
fn rolling_width(window: Window) -> Minutes {
    match window {
        Window::Rolling(w) => w,
        Window::CalendarDays(n) => Minutes::hours(24 * i64::from(n)) + CLOCK_CHANGE_SLACK,
        Window::CalendarMonths(n) => Minutes::hours(24 * 31 * i64::from(n)) + CLOCK_CHANGE_SLACK,
        Window::CalendarYear => Minutes::hours(24 * 366) + CLOCK_CHANGE_SLACK,
    }
}

impl PlanningRules {
    /// The rule sets by name (`faa117`, `easa`); an unknown name is the engine's error, which lists the known
    /// ones. Duplicates are read once.
    pub fn new(names: &[String]) -> Result<PlanningRules, RuleError> {
        let mut sets: Vec<Tables> = Vec::new();
        for name in names {
            let tables = Tables::new(name)?;
            if !sets.iter().any(|t| t.name == tables.name) {
                sets.push(tables);
            }
        }
        let mut rolling = Vec::new();
        let mut free = Vec::new();
        let mut recovery = Vec::new();
        let (mut flight_duty_cap, mut duty_cap) = (Minutes(i64::MAX / 4), Minutes(i64::MAX / 4));
        for t in &sets {
            for c in t.rules.cumulative_limits() {
                rolling.push(RollingLimit {
                    measure: c.measure,
                    window: rolling_width(c.window),
                    limit: c.limit,
                    rule: c.rule.clone(),
                });
                match c.measure {
                    // Flight time within a pairing is at most its flight duty.
                    Measure::FlightTime | Measure::FlightDutyPeriod => {
                        flight_duty_cap = flight_duty_cap.min(c.limit)
                    }
                    Measure::Duty => duty_cap = duty_cap.min(c.limit),
                }
            }
            match t.rules.recurring_rest() {
                RecurringRest::FreeBeforeEveryFdp {
                    free: f,
                    lookback,
                    rule,
                } => free.push((f, lookback, rule)),
                RecurringRest::RecoveryRest {
                    min,
                    local_nights,
                    max_between,
                    night_from,
                    night_to,
                    night_length,
                    rule,
                } => recovery.push(Recovery {
                    min,
                    local_nights,
                    max_between,
                    night_from,
                    night_to,
                    night_length,
                    rule,
                }),
            }
        }
        Ok(PlanningRules {
            sets,
            rolling,
            free,
            recovery,
            pairing_flight_duty_cap: flight_duty_cap,
            pairing_duty_cap: duty_cap,
        })
    }

    /// Whether some rule set reads report times at a reference time that follows the crew (EASA).
    pub fn follows_reference_time(&self) -> bool {
        self.sets.iter().any(|t| t.theater_deg.is_none())
    }

    /// Whether a departure from `longitude_deg` leaves the theater of a base at `base_longitude_deg` under
    /// some rule set that reads acclimatisation by theater.
    pub fn outside_theater(&self, base_longitude_deg: f64, longitude_deg: f64) -> bool {
        let d = (base_longitude_deg - longitude_deg).abs() % 360.0;
        let d = d.min(360.0 - d);
        self.sets
            .iter()
            .filter_map(|t| t.theater_deg)
            .any(|span| d > span)
    }

    /// The strictest FDP limit of the rule sets for a duty read as `r` with this many operating segments (a
    /// duty that only deadheads reads as one segment).
    pub fn max_fdp(&self, r: &DutyReading, segments: usize) -> Minutes {
        let column = segments.clamp(1, MAX_SEGMENT_COLUMN) - 1;
        let at = |m: i64| m.rem_euclid(MINUTES_PER_DAY) as usize;
        self.sets
            .iter()
            .map(|t| match t.theater_deg {
                Some(_) if r.in_theater => t.fdp[at(r.base_minute)][column],
                Some(_) => t.fdp_not_acclimated[at(r.base_minute)][column]
                    .min(t.fdp[at(r.departure_minute)][column]),
                None if r.reference_known => t.fdp[at(r.reference_minute)][column],
                None => t.fdp_not_acclimated[at(r.reference_minute)][column],
            })
            .min()
            .unwrap_or(Minutes(i64::MAX / 4))
    }

    /// The strictest limit on flight time in one duty read as `r`.
    pub fn max_flight_time(&self, r: &DutyReading) -> Minutes {
        let at = |m: i64| m.rem_euclid(MINUTES_PER_DAY) as usize;
        self.sets
            .iter()
            .filter_map(|t| {
                let table = t.flight_time.as_ref()?;
                let minute = match t.theater_deg {
                    Some(_) => r.base_minute,
                    None => r.reference_minute,
                };
                let mut limit = table[at(minute)];
                if t.theater_deg.is_some() && !r.in_theater {
                    limit = limit.min(table[at(r.departure_minute)]);
                }
                Some(limit)
            })
            .min()
            .unwrap_or(Minutes(i64::MAX / 4))
    }

    /// The longest rest any rule set asks before a flight duty period after a duty (report to release) of
    /// `preceding_duty`, taken at the home base or away.
    pub fn min_rest(&self, preceding_duty: Minutes, at_home_base: bool) -> Minutes {
        self.sets
            .iter()
            .map(|t| {
                let table = if at_home_base {
                    &t.rest_home
                } else {
                    &t.rest_away
                };
                usize::try_from(preceding_duty.0)
                    .ok()
                    .and_then(|d| table.get(d).copied())
                    .unwrap_or_else(|| {
                        t.rules
                            .min_rest_before_fdp(preceding_duty, at_home_base)
                            .min
                    })
            })
            .max()
            .unwrap_or(Minutes(0))
    }

    /// The least rest after any duty, anywhere: where a search for the next duty may start.
    pub fn least_rest(&self) -> Minutes {
        self.min_rest(Minutes(0), false)
            .min(self.min_rest(Minutes(0), true))
    }

    /// The state of acclimatisation (EASA Table 1) of a duty reported `elapsed` after the report at the
    /// reference time, departing `time_difference` away from it.
    pub fn reference_state(
        &self,
        time_difference: Minutes,
        elapsed: Minutes,
    ) -> easa::AcclimatisationState {
        easa::acclimatisation_state(time_difference, elapsed)
    }
}

/// The local time at a member's base, where the time off between pairings is taken: from the generator's
/// cached clock where it has one (counting local nights is asked for nearly every candidate member).
#[derive(Copy, Clone)]
pub(super) struct HomeClock<'c> {
    zone: TimeZone,
    cached: Option<(&'c BaseClock, u16)>,
}

impl<'c> HomeClock<'c> {
    /// The clock of airport `base` of the network, in `zone`.
    pub fn at_base(clock: &'c BaseClock, base: u16, zone: TimeZone) -> HomeClock<'c> {
        HomeClock {
            zone,
            cached: Some((clock, base)),
        }
    }

    #[cfg(test)]
    fn of_zone(zone: TimeZone) -> HomeClock<'static> {
        HomeClock { zone, cached: None }
    }

    fn offset(&self, t: UtcMinute) -> Minutes {
        match self.cached {
            Some((clock, base)) => clock.offset(base, t),
            None => self.zone.offset_at(t),
        }
    }
}

/// One duty of a crew member, as the cumulative limits see it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(super) struct Workload {
    pub report: UtcMinute,
    /// Arrival of the duty's last leg: the end of the flight duty period.
    pub end: UtcMinute,
    pub release: UtcMinute,
    /// Scheduled block time of the legs operated.
    pub flight: Minutes,
}

/// A limit of the roster that a pairing would break.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum RosterBreach {
    Rest {
        needed: Minutes,
        actual: Minutes,
    },
    Cumulative {
        rule: String,
        window: Minutes,
        load: Minutes,
    },
    FreePeriod {
        rule: String,
        longest: Minutes,
    },
    Recovery {
        rule: String,
        since: Minutes,
    },
}

/// Running totals up to and including a duty, in minutes.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
struct Totals {
    flight_duty: i64,
    duty: i64,
    flight: i64,
}

/// A crew member's duties in time order, with what the roster rules need to add a pairing in a few binary
/// searches: running totals of each measure, and the report of the first duty since the last recovery rest.
#[derive(Clone, Debug, Default)]
pub(super) struct MemberHistory {
    duties: Vec<(Workload, Totals)>,
    /// Report of the first duty after the last recovery rest (EASA ORO.FTL.235(d)).
    since_recovery: Option<UtcMinute>,
}

impl MemberHistory {
    fn push(&mut self, w: Workload) {
        let before = self.duties.last().map_or(Totals::default(), |&(last, t)| {
            debug_assert!(
                last.release <= w.report,
                "duties are pushed in time order without overlap"
            );
            t
        });
        self.duties.push((
            w,
            Totals {
                flight_duty: before.flight_duty + (w.end - w.report).0,
                duty: before.duty + (w.release - w.report).0,
                flight: before.flight + w.flight.0,
            },
        ));
    }

    /// The release of the last duty and that duty's length (report to release).
    pub fn last_duty(&self) -> Option<(UtcMinute, Minutes)> {
        self.duties
            .last()
            .map(|(w, _)| (w.release, w.release - w.report))
    }

    /// Gives the member a pairing's duties if every roster rule of `rules` still holds: the rest before it,
    /// the cumulative limits, the free period before every duty and the recovery rest. `home` is the base's
    /// zone (where the time off between pairings is taken). On a breach the history is left as it was.
    pub fn try_add(
        &mut self,
        pairing: &[Workload],
        rules: &PlanningRules,
        home: HomeClock<'_>,
    ) -> Result<(), RosterBreach> {
        let first = pairing[0];
        if let Some((release, length)) = self.last_duty() {
            let needed = rules.min_rest(length, true);
            let actual = first.report - release;
            if actual < needed {
                return Err(RosterBreach::Rest { needed, actual });
            }
        }
        let since_recovery = self.recovery_before(first.report, rules, home);
        let last_release = pairing[pairing.len() - 1].release;
        if let Some(since) = since_recovery {
            for r in &rules.recovery {
                if last_release - since > r.max_between {
                    return Err(RosterBreach::Recovery {
                        rule: r.rule.clone(),
                        since: last_release - since,
                    });
                }
            }
        }
        let kept = self.duties.len();
        for &w in pairing {
            self.push(w);
            if let Err(b) = self.check_last(rules) {
                self.duties.truncate(kept);
                return Err(b);
            }
        }
        self.since_recovery = since_recovery;
        Ok(())
    }

    /// The start of the stretch without recovery rest that a pairing reporting at `report` would be in.
    fn recovery_before(
        &self,
        report: UtcMinute,
        rules: &PlanningRules,
        home: HomeClock<'_>,
    ) -> Option<UtcMinute> {
        if rules.recovery.is_empty() {
            return None;
        }
        let Some((release, _)) = self.last_duty() else {
            // The time before the roster counts as a recovery rest.
            return Some(report);
        };
        let recovered = rules.recovery.iter().all(|r| {
            report - release >= r.min && local_nights(home, release, report, r) >= r.local_nights
        });
        if recovered {
            Some(report)
        } else {
            self.since_recovery
        }
    }

    /// The first roster limit the last duty breaks. Checking each duty as it is pushed checks every window:
    /// a sum over a sliding window is largest when the window ends where a duty ends.
    fn check_last(&self, rules: &PlanningRules) -> Result<(), RosterBreach> {
        let Some(&(last, _)) = self.duties.last() else {
            return Ok(());
        };
        let all = self.duties[self.duties.len() - 1].1;
        for limit in &rules.rolling {
            let everything = match limit.measure {
                Measure::FlightDutyPeriod => all.flight_duty,
                Measure::Duty => all.duty,
                Measure::FlightTime => all.flight,
            };
            if everything <= limit.limit.0 {
                // The whole history is within the limit, so every window is.
                continue;
            }
            let load = self.load(limit.measure, limit.window, last);
            if load > limit.limit {
                return Err(RosterBreach::Cumulative {
                    rule: limit.rule.clone(),
                    window: limit.window,
                    load,
                });
            }
        }
        for (free, lookback, rule) in &rules.free {
            let longest = self.longest_free_before_last(*lookback, *free);
            if longest < *free {
                return Err(RosterBreach::FreePeriod {
                    rule: rule.clone(),
                    longest,
                });
            }
        }
        Ok(())
    }

    /// What `measure` adds up to in the window of `width` that ends where the last duty's interval ends (for
    /// flight time: in any window of `width` that ends within the last duty).
    fn load(&self, measure: Measure, width: Minutes, last: Workload) -> Minutes {
        let n = self.duties.len();
        let interval = |w: &Workload| match measure {
            Measure::Duty => (w.report, w.release),
            Measure::FlightDutyPeriod | Measure::FlightTime => (w.report, w.end),
        };
        let total = |t: &Totals| match measure {
            Measure::FlightDutyPeriod => t.flight_duty,
            Measure::Duty => t.duty,
            Measure::FlightTime => t.flight,
        };
        // Flight time accrues only while a leg is flown, so a window ending at a leg inside the duty may hold
        // more than the one ending at its end: count everything from a window's width before the report.
        let start = match measure {
            Measure::FlightTime => last.report - width,
            _ => interval(&last).1 - width,
        };
        // The first duty whose interval ends inside the window: galloping back from the last duty, so that
        // a short window touches only the end of a long history.
        let outside = |k: usize| interval(&self.duties[k].0).1 <= start;
        let (mut lo, mut step) = (n, 1);
        while lo > 0 && !outside(lo - 1) {
            lo = lo.saturating_sub(step);
            step *= 2;
        }
        // Every duty from `hi` on ends inside the window; from `lo` back, outside or none.
        let hi = (lo + step / 2).min(n);
        let j = lo + self.duties[lo..hi].partition_point(|(w, _)| interval(w).1 <= start);
        let before = if j == 0 {
            0
        } else {
            total(&self.duties[j - 1].1)
        };
        let mut load = total(&self.duties[n - 1].1) - before;
        if measure != Measure::FlightTime && j < n {
            // The duty straddling the window's start counts only inside it; flight time counts whole.
            let (from, _) = interval(&self.duties[j].0);
            load -= (start - from).0.max(0);
        }
        Minutes(load)
    }

    /// The longest stretch without duty in the `lookback` before the last duty's report, stopping once it
    /// reaches `enough`. Time before the member's first duty counts as free.
    fn longest_free_before_last(&self, lookback: Minutes, enough: Minutes) -> Minutes {
        let Some(((last, _), earlier)) = self.duties.split_last() else {
            return lookback;
        };
        let start = last.report - lookback;
        let mut longest = Minutes(0);
        let mut next_report = last.report;
        for (s, _) in earlier.iter().rev() {
            longest = longest.max(next_report - s.release.max(start));
            if longest >= enough || s.release <= start {
                return longest;
            }
            next_report = s.report;
            if next_report <= start {
                return longest;
            }
        }
        longest.max(next_report - start)
    }
}

/// Local nights of `r` (its night length within its night hours, local time in `zone`) inside [from, to],
/// counted up to `r.local_nights`.
fn local_nights(home: HomeClock<'_>, from: UtcMinute, to: UtcMinute, r: &Recovery) -> u32 {
    let (at_from, at_to) = (home.offset(from), home.offset(to));
    let zone = home.zone;
    let first_day = (from + at_from).0.div_euclid(MINUTES_PER_DAY) - 1;
    let last_day = (to + at_to).0.div_euclid(MINUTES_PER_DAY);
    let instant = |day: i64, minute: i64| {
        if at_from == at_to {
            UtcMinute(day * MINUTES_PER_DAY + minute) - at_from
        } else {
            zone.to_utc(Date::from_days_since_epoch(day), minute)
                .earliest()
        }
    };
    let mut count = 0;
    for day in first_day..=last_day {
        let end_day = if r.night_to <= r.night_from {
            day + 1
        } else {
            day
        };
        let (start, end) = (instant(day, r.night_from), instant(end_day, r.night_to));
        if end.min(to) - start.max(from) >= r.night_length {
            count += 1;
            if count >= r.local_nights {
                break;
            }
        }
    }
    count
}

impl fmt::Display for RosterBreach {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RosterBreach::Rest { needed, actual } => {
                write!(f, "{actual} of rest before the pairing, below {needed}")
            }
            RosterBreach::Cumulative { rule, load, .. } => {
                write!(f, "{load} over the limit of {rule}")
            }
            RosterBreach::FreePeriod { rule, longest } => {
                write!(f, "only {longest} free at a stretch ({rule})")
            }
            RosterBreach::Recovery { rule, since } => {
                write!(f, "{since} since the last recovery rest ({rule})")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both() -> PlanningRules {
        PlanningRules::new(&["faa117".into(), "easa".into()]).unwrap()
    }

    fn reading(minute: i64) -> DutyReading {
        DutyReading {
            base_minute: minute,
            reference_minute: minute,
            departure_minute: minute,
            in_theater: true,
            reference_known: true,
        }
    }

    #[test]
    fn the_strictest_fdp_limit_of_both_rule_sets_is_planned() {
        let rules = both();
        // 07:30, 4 segments: Part 117 Table B 13:00, EASA Table 2 12:00.
        assert_eq!(rules.max_fdp(&reading(7 * 60 + 30), 4), Minutes::hours(12));
        // 02:00, 1 segment: Part 117 9:00, EASA 11:00.
        assert_eq!(rules.max_fdp(&reading(2 * 60), 1), Minutes::hours(9));
        let part117 = PlanningRules::new(&["faa117".into()]).unwrap();
        assert_eq!(
            part117.max_fdp(&reading(7 * 60 + 30), 4),
            Minutes::hours(13)
        );
        // EASA's unknown state of acclimatisation reads Table 3, which is not verified: not planned.
        let unknown = DutyReading {
            reference_known: false,
            ..reading(8 * 60)
        };
        assert_eq!(rules.max_fdp(&unknown, 2), Minutes(0));
    }

    #[test]
    fn rest_is_the_longest_either_rule_set_asks() {
        let rules = both();
        assert_eq!(rules.min_rest(Minutes::hours(8), false), Minutes::hours(10));
        assert_eq!(rules.min_rest(Minutes::hours(8), true), Minutes::hours(12));
        assert_eq!(
            rules.min_rest(Minutes::hours(13), false),
            Minutes::hours(13)
        );
        assert_eq!(
            rules.min_rest(Minutes::hours(30), false),
            Minutes::hours(30)
        );
    }

    #[test]
    fn an_unknown_rule_set_name_is_the_engines_error() {
        let e = PlanningRules::new(&["icao".into()]).unwrap_err();
        assert!(e.to_string().contains("faa117, easa"), "{e}");
    }

    fn duty(day: i64, report_h: i64, hours: i64) -> Workload {
        let report = UtcMinute(day * MINUTES_PER_DAY + report_h * 60);
        let end = report + Minutes::hours(hours);
        Workload {
            report,
            end,
            release: end + Minutes(30),
            flight: Minutes::hours(hours / 2),
        }
    }

    #[test]
    fn a_week_of_daily_duties_needs_a_recovery_rest_under_easa() {
        let easa = PlanningRules::new(&["easa".into()]).unwrap();
        let utc = HomeClock::of_zone(TimeZone::from_iana("UTC").unwrap());
        let mut h = MemberHistory::default();
        // Daily 6-hour duties reported at 08:00 UTC: each rest is 17:30, no recovery.
        for day in 0..6 {
            assert_eq!(
                h.try_add(&[duty(day, 8, 6)], &easa, utc),
                Ok(()),
                "day {day}"
            );
        }
        // The seventh ends 6 d 6:30 after the first report: still within 168 hours.
        assert_eq!(h.try_add(&[duty(6, 8, 6)], &easa, utc), Ok(()));
        // The eighth would end 7 d 6:30 after it.
        assert!(matches!(
            h.try_add(&[duty(7, 8, 6)], &easa, utc),
            Err(RosterBreach::Recovery { .. })
        ));
        // Two days off (two local nights) make a recovery rest.
        assert_eq!(h.try_add(&[duty(9, 8, 6)], &easa, utc), Ok(()));
    }

    #[test]
    fn sixty_hours_of_duty_in_a_week_is_the_easa_limit() {
        let easa = PlanningRules::new(&["easa".into()]).unwrap();
        let utc = HomeClock::of_zone(TimeZone::from_iana("UTC").unwrap());
        let mut h = MemberHistory::default();
        // Five duties of 11:30 (report to release), a day apart: 57:30 of duty.
        for day in 0..5 {
            let added = h.try_add(&[duty(day, 6, 11)], &easa, utc);
            assert_eq!(added.map_err(|e| e.to_string()), Ok(()), "day {day}");
        }
        // A sixth of 4:30 on the next day brings the week to 62 hours.
        let b = h.try_add(&[duty(5, 6, 4)], &easa, utc).unwrap_err();
        assert!(matches!(b, RosterBreach::Cumulative { .. }), "{b}");
    }
}
