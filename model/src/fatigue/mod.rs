//! Crew fatigue forecasts: sleep inferred from each roster ([`sleep`]), alertness from the Three-Process
//! Model ([`three_process`]), reported as the Karolinska Sleepiness Scale (KSS, 1 = extremely alert,
//! 9 = extremely sleepy). Per crew member: a KSS forecast across the roster, the peak KSS of each duty, and an
//! alert for every duty that reaches KSS 7 ("sleepy, but no effort to keep awake"; used as a starting point
//! by fatigue managers, not a regulatory limit).
//!
//! Time stays integer minutes in UTC; only the alertness values are `f64`. The forecast is a pure function
//! of the roster, the crew member's home zone and [`FatigueSettings`].
//!
//! ```
//! use ucodts_model::fatigue::three_process::PUBLISHED;
//!
//! // After a night of sleep from 23:00 to 07:00, KSS at 04:00 the next morning (21 hours awake):
//! let s = PUBLISHED.s_awake(PUBLISHED.s_asleep(PUBLISHED.s0, 8.0), 21.0);
//! assert!((PUBLISHED.kss(s, 4.0) - 7.86).abs() < 0.01);
//! ```

pub mod sleep;
pub mod three_process;

use crate::ids::{CrewId, PairingId};
use crate::legality::clock::ZoneClock;
use crate::schedule::Schedule;
use crate::time::{Minutes, TimeZone, UtcMinute};

pub use sleep::{SleepAssumptions, SleepPeriod};
pub use three_process::{Parameters, PUBLISHED};

/// How a forecast is made.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct FatigueSettings {
    pub model: Parameters,
    pub sleep: SleepAssumptions,
    /// Spacing of the KSS samples.
    pub sample_every: Minutes,
    /// A duty whose KSS reaches this is an alert.
    pub alert_kss: f64,
}

impl Default for FatigueSettings {
    fn default() -> FatigueSettings {
        FatigueSettings {
            model: PUBLISHED,
            sleep: SleepAssumptions::default(),
            sample_every: Minutes(15),
            alert_kss: 7.0,
        }
    }
}

/// The forecast of one duty.
#[derive(Clone, Debug, PartialEq)]
pub struct DutyFatigue {
    pub crew: CrewId,
    pub pairing: PairingId,
    /// From 1 within the pairing.
    pub duty: usize,
    pub report: UtcMinute,
    pub release: UtcMinute,
    /// The highest KSS sampled from report to release, and when.
    pub peak_kss: f64,
    pub peak_at: UtcMinute,
    /// The first sample at or above the alert level, if any.
    pub alert_from: Option<UtcMinute>,
}

impl DutyFatigue {
    pub fn is_alert(&self) -> bool {
        self.alert_from.is_some()
    }
}

/// One KSS sample.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct KssSample {
    pub at: UtcMinute,
    pub kss: f64,
    pub on_duty: bool,
}

/// A crew member's full forecast.
#[derive(Clone, Debug, PartialEq)]
pub struct CrewFatigue {
    pub crew: CrewId,
    pub home_zone: TimeZone,
    /// The inferred sleeps, warm-up included.
    pub sleeps: Vec<SleepPeriod>,
    /// KSS every `sample_every` from the first report to the last release.
    pub samples: Vec<KssSample>,
    pub duties: Vec<DutyFatigue>,
}

/// The duties of a schedule, forecast.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FatigueReport {
    /// Every rostered duty, by crew member and report time.
    pub duties: Vec<DutyFatigue>,
    pub alert_kss: f64,
}

impl FatigueReport {
    /// The duties that reach the alert level.
    pub fn alerts(&self) -> impl Iterator<Item = &DutyFatigue> {
        self.duties.iter().filter(|d| d.is_alert())
    }

    /// The `n` duties with the highest peak KSS (ties by crew member and report time).
    pub fn most_fatigued(&self, n: usize) -> Vec<&DutyFatigue> {
        let mut all: Vec<&DutyFatigue> = self.duties.iter().collect();
        all.sort_by(|a, b| {
            b.peak_kss
                .total_cmp(&a.peak_kss)
                .then_with(|| (&a.crew, a.report).cmp(&(&b.crew, b.report)))
        });
        all.truncate(n);
        all
    }
}

/// Homeostatic level along the inferred sleeps: S at each sleep/wake boundary, found once, then read at any
/// later instant.
struct Homeostat<'a> {
    model: &'a Parameters,
    sleeps: &'a [SleepPeriod],
    /// S at the start of sleep `i` and at its end.
    at_sleep: Vec<(f64, f64)>,
    cursor: usize,
}

impl<'a> Homeostat<'a> {
    fn new(model: &'a Parameters, sleeps: &'a [SleepPeriod]) -> Homeostat<'a> {
        let mut at_sleep = Vec::with_capacity(sleeps.len());
        let mut s = model.s0;
        let mut last_wake: Option<UtcMinute> = None;
        for sl in sleeps {
            if let Some(w) = last_wake {
                s = model.s_awake(s, hours(sl.start - w));
            }
            let start = s;
            s = model.s_asleep(s, hours(sl.end - sl.start));
            at_sleep.push((start, s));
            last_wake = Some(sl.end);
        }
        Homeostat {
            model,
            sleeps,
            at_sleep,
            cursor: 0,
        }
    }

    /// S at `t`, for `t` not decreasing between calls and not before the first sleep.
    fn at(&mut self, t: UtcMinute) -> f64 {
        while self.cursor + 1 < self.sleeps.len() && self.sleeps[self.cursor + 1].start <= t {
            self.cursor += 1;
        }
        let (sl, (start, end)) = (self.sleeps[self.cursor], self.at_sleep[self.cursor]);
        if t < sl.end {
            self.model.s_asleep(start, hours(t - sl.start))
        } else {
            self.model.s_awake(end, hours(t - sl.end))
        }
    }
}

fn hours(m: Minutes) -> f64 {
    m.0 as f64 / 60.0
}

/// A crew member's forecast, or `None` for a crew id that is not in the schedule or has no duties.
pub fn forecast_crew(
    schedule: &Schedule,
    crew: &CrewId,
    settings: &FatigueSettings,
) -> Option<CrewFatigue> {
    let mut clock = ZoneClock::new();
    forecast(schedule, crew, settings, &mut clock, true)
}

/// A crew member's duty forecasts alone — the same [`DutyFatigue`]s as [`forecast_crew`], without the
/// KSS samples between duties — or `None` for a crew id that is not in the schedule or has no duties.
///
/// For callers that price many candidate rosters (crew recovery judges thousands): it skips the samples
/// across the whole roster, and it reuses this thread's table of UTC offsets from call to call instead of
/// asking the tz database afresh each time. The table is exact to the minute, so the results do not
/// depend on what was asked before.
pub fn forecast_crew_duties(
    schedule: &Schedule,
    crew: &CrewId,
    settings: &FatigueSettings,
) -> Option<Vec<DutyFatigue>> {
    thread_local! {
        static CLOCK: std::cell::RefCell<ZoneClock> = std::cell::RefCell::new(ZoneClock::new());
    }
    CLOCK.with(|clock| {
        let mut clock = clock.borrow_mut();
        forecast(schedule, crew, settings, &mut clock, false).map(|f| f.duties)
    })
}

/// Every rostered crew member's duties, forecast with the default settings.
pub fn forecast_schedule(schedule: &Schedule) -> FatigueReport {
    forecast_schedule_with(schedule, &FatigueSettings::default())
}

/// Every rostered crew member's duties, forecast.
pub fn forecast_schedule_with(schedule: &Schedule, settings: &FatigueSettings) -> FatigueReport {
    let mut clock = ZoneClock::new();
    let mut duties = Vec::new();
    for member in schedule.crew() {
        if let Some(f) = forecast(schedule, &member.id, settings, &mut clock, false) {
            duties.extend(f.duties);
        }
    }
    duties.sort_by(|a, b| (&a.crew, a.report).cmp(&(&b.crew, b.report)));
    FatigueReport {
        duties,
        alert_kss: settings.alert_kss,
    }
}

fn forecast(
    schedule: &Schedule,
    crew: &CrewId,
    settings: &FatigueSettings,
    clock: &mut ZoneClock,
    with_samples: bool,
) -> Option<CrewFatigue> {
    let member = schedule.crew_member(crew)?;
    let zone = member.home_zone;
    let mut duties: Vec<(PairingId, usize, UtcMinute, UtcMinute)> = Vec::new();
    for p in schedule.roster(crew) {
        for (n, d) in p.duties.iter().enumerate() {
            duties.push((p.id, n + 1, d.report, d.release));
        }
    }
    let first = duties.first()?.2;
    let last = duties.last()?.3;
    let spans: Vec<(UtcMinute, UtcMinute)> = duties.iter().map(|d| (d.2, d.3)).collect();
    let start = settings.sleep.warm_up_start(clock, zone, first);
    let mut sleeps = Vec::new();
    settings
        .sleep
        .infer(clock, zone, start, &spans, &mut sleeps);
    let mut homeostat = Homeostat::new(&settings.model, &sleeps);
    let model = settings.model;
    let kss_at = |clock: &mut ZoneClock, homeostat: &mut Homeostat, t: UtcMinute| {
        let tod = clock.minute_of_day(zone, t) as f64 / 60.0;
        model.kss(homeostat.at(t), tod)
    };
    let step = Minutes(settings.sample_every.0.max(1));
    let mut out = Vec::with_capacity(duties.len());
    for &(pairing, number, report, release) in &duties {
        let mut peak = (f64::MIN, report);
        let mut alert_from = None;
        let mut t = report;
        loop {
            let kss = kss_at(clock, &mut homeostat, t);
            if kss > peak.0 {
                peak = (kss, t);
            }
            if alert_from.is_none() && kss >= settings.alert_kss {
                alert_from = Some(t);
            }
            if t >= release {
                break;
            }
            t = (t + step).min(release);
        }
        out.push(DutyFatigue {
            crew: crew.clone(),
            pairing,
            duty: number,
            report,
            release,
            peak_kss: peak.0,
            peak_at: peak.1,
            alert_from,
        });
    }
    let mut samples = Vec::new();
    if with_samples {
        homeostat.cursor = 0;
        let mut on = 0usize;
        let mut t = first;
        while t <= last {
            while on < duties.len() && duties[on].3 < t {
                on += 1;
            }
            let on_duty = on < duties.len() && duties[on].2 <= t;
            let kss = kss_at(clock, &mut homeostat, t);
            samples.push(KssSample {
                at: t,
                kss,
                on_duty,
            });
            t = t + step;
        }
    }
    Some(CrewFatigue {
        crew: crew.clone(),
        home_zone: zone,
        sleeps,
        samples,
        duties: out,
    })
}

impl serde::Serialize for DutyFatigue {
    /// For machines: ids and times as text, `peak_kss` to two decimals.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut v = s.serialize_struct("DutyFatigue", 8)?;
        v.serialize_field("crew", self.crew.as_str())?;
        v.serialize_field("pairing", &self.pairing.0)?;
        v.serialize_field("duty", &self.duty)?;
        v.serialize_field("report", &self.report.to_string())?;
        v.serialize_field("release", &self.release.to_string())?;
        v.serialize_field("peak_kss", &((self.peak_kss * 100.0).round() / 100.0))?;
        v.serialize_field("peak_at", &self.peak_at.to_string())?;
        v.serialize_field("alert_from", &self.alert_from.map(|t| t.to_string()))?;
        v.end()
    }
}

impl serde::Serialize for FatigueReport {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut v = s.serialize_struct("FatigueReport", 3)?;
        v.serialize_field("alert_kss", &self.alert_kss)?;
        v.serialize_field("alerts", &self.alerts().count())?;
        v.serialize_field("duties", &self.duties)?;
        v.end()
    }
}
