//! The fatigue forecast reproduces the published shape of the Three-Process Model on rosters: KSS rises
//! across a long wake and peaks in the early-morning circadian low, and a night duty after a normal working
//! day scores higher than the same duty after a day off. The numbers were computed by hand from the
//! published equations (Ingre et al. 2014 parameters) for the sleeps the inference rules give.

mod common;

use common::*;
use ucodts_model::fatigue::{forecast_crew, forecast_schedule, FatigueSettings, SleepPeriod};
use ucodts_model::*;

/// A night duty reporting 22:00 on Tuesday 12 February 2013 (FDP 8:00, released 06:30), after either a
/// working day (a duty reporting 07:00, released 12:00) or a day off.
fn night_duty_after(working_day: bool) -> Schedule {
    let mut b = RosterBuilder::new(Rank::FirstOfficer);
    if working_day {
        let day = b.round_trip_duty(ny_time(2013, 2, 12, 7, 0), 2, Minutes(4 * 60 + 30), None);
        b.pairing(vec![day]);
    }
    let night = b.round_trip_duty(ny_time(2013, 2, 12, 22, 0), 2, Minutes(8 * 60), None);
    b.pairing(vec![night]);
    b.build()
}

fn sleep(from: (u8, i64, i64), to: (u8, i64, i64)) -> SleepPeriod {
    SleepPeriod {
        start: ny_time(2013, 2, from.0, from.1, from.2),
        end: ny_time(2013, 2, to.0, to.1, to.2),
    }
}

#[test]
fn sleep_is_inferred_at_local_night_and_cut_short_by_an_early_report() {
    let f = forecast_crew(&night_duty_after(true), &c1(), &FatigueSettings::default()).unwrap();
    assert_eq!(
        f.sleeps,
        vec![
            // Three days of warm-up from a habitual 23:00 bedtime.
            sleep((8, 23, 0), (9, 7, 0)),
            sleep((9, 23, 0), (10, 7, 0)),
            sleep((10, 23, 0), (11, 7, 0)),
            // Woken at 05:30 for the 07:00 report (90 minutes to get ready and travel).
            sleep((11, 23, 0), (12, 5, 30)),
            // No sleep between 13:00 and 20:30: not yet bedtime, not yet 16 hours awake.
        ]
    );
}

#[test]
fn a_late_release_means_sleeping_in_and_a_night_duty_means_sleeping_by_day() {
    let mut b = RosterBuilder::new(Rank::Captain);
    // Released 00:30, an hour to get to bed: sleep 01:30-09:30.
    let late = b.round_trip_duty(ny_time(2013, 2, 12, 16, 0), 2, Minutes(8 * 60), None);
    b.pairing(vec![late]);
    // A night duty 22:00-06:30, then a day off: in bed 07:30 after 16+ hours awake, up at 15:30.
    let night = b.round_trip_duty(ny_time(2013, 2, 13, 22, 0), 2, Minutes(8 * 60), None);
    b.pairing(vec![night]);
    let next = b.round_trip_duty(ny_time(2013, 2, 16, 8, 0), 2, Minutes(8 * 60), None);
    b.pairing(vec![next]);
    let f = forecast_crew(&b.build(), &c1(), &FatigueSettings::default()).unwrap();
    assert!(
        f.sleeps.contains(&sleep((13, 1, 30), (13, 9, 30))),
        "{:#?}",
        f.sleeps
    );
    assert!(
        f.sleeps.contains(&sleep((14, 7, 30), (14, 15, 30))),
        "{:#?}",
        f.sleeps
    );
    // Back to the habitual night after that.
    assert!(
        f.sleeps.contains(&sleep((14, 23, 0), (15, 7, 0))),
        "{:#?}",
        f.sleeps
    );
}

#[test]
fn kss_rises_across_a_long_wake_and_peaks_in_the_early_morning_circadian_low() {
    // After a day off (up since 07:00), through the night duty 22:00-06:30.
    let f = forecast_crew(&night_duty_after(false), &c1(), &FatigueSettings::default()).unwrap();
    let night = &f.duties[0];
    let at = |hh: i64, mm: i64, day: u8| {
        let t = ny_time(2013, 2, day, hh, mm);
        f.samples.iter().find(|s| s.at == t).unwrap().kss
    };
    let (k22, k01, k04) = (at(22, 0, 12), at(1, 0, 13), at(4, 0, 13));
    assert!(k22 < k01 && k01 < k04, "{k22} {k01} {k04}");
    // The peak is in the circadian low, after which KSS eases although the wake goes on.
    assert_eq!(night.peak_at, ny_time(2013, 2, 13, 4, 30));
    assert!(at(6, 30, 13) < night.peak_kss);
    assert!((night.peak_kss - 7.795).abs() < 1e-3, "{}", night.peak_kss);
    assert!(f.samples.iter().all(|s| s.on_duty));
}

#[test]
fn a_night_duty_after_a_normal_day_scores_higher_than_after_a_rest_day() {
    let settings = FatigueSettings::default();
    let rested = forecast_crew(&night_duty_after(false), &c1(), &settings).unwrap();
    let worked = forecast_crew(&night_duty_after(true), &c1(), &settings).unwrap();
    let rested_night = &rested.duties[0];
    let worked_night = &worked.duties[1];
    // From the equations: woken at 07:00 after 8 h of sleep, the peak is KSS 7.795 at 04:30; woken at
    // 05:30 after 6.5 h, it is 8.060 at 04:15.
    assert!(
        (rested_night.peak_kss - 7.795).abs() < 1e-3,
        "{}",
        rested_night.peak_kss
    );
    assert!(
        (worked_night.peak_kss - 8.060).abs() < 1e-3,
        "{}",
        worked_night.peak_kss
    );
    assert_eq!(rested_night.peak_at, ny_time(2013, 2, 13, 4, 30));
    assert_eq!(worked_night.peak_at, ny_time(2013, 2, 13, 4, 15));
    assert!(worked_night.peak_kss > rested_night.peak_kss);
    // Both reach the alert level of 7 (from 01:15 and 00:45); the morning duty does not (KSS 4.157 at its
    // 07:00 report, an hour and a half after a short night).
    assert!(rested_night.is_alert() && worked_night.is_alert());
    let day = &worked.duties[0];
    assert!(!day.is_alert());
    assert!((day.peak_kss - 4.157).abs() < 1e-3, "{}", day.peak_kss);
    assert_eq!(rested_night.alert_from, Some(ny_time(2013, 2, 13, 1, 15)));
    assert_eq!(worked_night.alert_from, Some(ny_time(2013, 2, 13, 0, 45)));
}

#[test]
fn the_schedule_forecast_lists_every_duty_and_ranks_the_most_fatigued() {
    let schedule = night_duty_after(true);
    let report = forecast_schedule(&schedule);
    assert_eq!(report, forecast_schedule(&schedule));
    assert_eq!(report.duties.len(), 2);
    assert_eq!(report.alerts().count(), 1);
    let top = report.most_fatigued(1);
    assert_eq!((top[0].pairing, top[0].duty), (PairingId(2), 1));
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["alerts"], 1);
    assert_eq!(json["duties"][1]["peak_kss"], 8.06);
    assert_eq!(json["duties"][1]["alert_from"], "2013-02-13T05:45Z");
}
