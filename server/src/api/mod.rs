//! The HTTP API: the routes, who may call each, how malformed input is answered, and the OpenAPI document
//! generated from the handlers' annotations.

pub mod admin;
pub mod dashboard;
pub mod datasets;
pub mod live;
pub mod plans;
pub mod records;
pub mod runs;
pub mod scenarios;
pub mod session;

use actix_web::error::{PathError, QueryPayloadError};
use actix_web::{web, HttpRequest, HttpResponse};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::auth::Role;
use crate::error::{Error, Result};

/// Who may call a route: anyone, any logged-in role, or only the roles named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Anonymous,
    AnyRole,
    Only(&'static [Role]),
}

/// Every route with its access rule: the documented authorization matrix (docs/guide/server.md; the
/// matrix test calls each route as each role and as nobody).
pub const ROUTES: &[(&str, &str, Access)] = &[
    ("GET", "/healthz", Access::Anonymous),
    ("GET", "/readyz", Access::Anonymous),
    ("GET", "/metrics", Access::Anonymous),
    ("GET", "/api/openapi.json", Access::Anonymous),
    ("GET", "/api/docs", Access::Anonymous),
    ("POST", "/api/login", Access::Anonymous),
    ("POST", "/api/logout", Access::AnyRole),
    ("GET", "/api/me", Access::AnyRole),
    ("GET", "/api/datasets", Access::AnyRole),
    (
        "POST",
        "/api/datasets",
        Access::Only(&[Role::Planner, Role::Admin]),
    ),
    ("GET", "/api/scenarios", Access::AnyRole),
    ("POST", "/api/scenarios", Access::Only(&[Role::Planner])),
    ("GET", "/api/runs", Access::AnyRole),
    (
        "POST",
        "/api/runs",
        Access::Only(&[Role::Planner, Role::Researcher]),
    ),
    ("GET", "/api/runs/{id}", Access::AnyRole),
    ("GET", "/api/runs/{id}/events", Access::AnyRole),
    (
        "DELETE",
        "/api/runs/{id}",
        Access::Only(&[Role::Planner, Role::Researcher]),
    ),
    (
        "POST",
        "/api/runs/{id}/cancel",
        Access::Only(&[Role::Planner, Role::Researcher]),
    ),
    ("GET", "/api/plans", Access::AnyRole),
    ("GET", "/api/plans/current", Access::AnyRole),
    ("GET", "/api/plans/current/schedule.csv", Access::AnyRole),
    ("GET", "/api/plans/current/crew.csv", Access::AnyRole),
    ("GET", "/api/plans/{id}/schedule.csv", Access::AnyRole),
    ("GET", "/api/plans/{id}/crew.csv", Access::AnyRole),
    (
        "POST",
        "/api/plans/{id}/decision",
        Access::Only(&[Role::Scheduler]),
    ),
    ("GET", "/api/incidents", Access::AnyRole),
    ("POST", "/api/incidents", Access::AnyRole),
    ("GET", "/api/audit", Access::AnyRole),
    ("GET", "/api/users", Access::Only(&[Role::Admin])),
    ("POST", "/api/users", Access::Only(&[Role::Admin])),
    ("GET", "/api/tokens", Access::Only(&[Role::Admin])),
    ("POST", "/api/tokens", Access::Only(&[Role::Admin])),
    ("DELETE", "/api/tokens/{id}", Access::Only(&[Role::Admin])),
    ("POST", "/api/feed", Access::Only(&[Role::Feed])),
    ("GET", "/api/live/state", Access::AnyRole),
    ("GET", "/api/live/forecast", Access::AnyRole),
    ("GET", "/api/live/alerts", Access::AnyRole),
    ("GET", "/api/live/events", Access::AnyRole),
    ("GET", "/api/dashboard/day", Access::AnyRole),
    ("GET", "/api/dashboard/maintenance", Access::AnyRole),
];

/// Mounts the routes and the input error handlers on an app.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::PayloadConfig::default().limit(MAX_BODY_BYTES + 1))
        .app_data(web::PathConfig::default().error_handler(path_error))
        .app_data(web::QueryConfig::default().error_handler(query_error))
        .route("/healthz", web::get().to(admin::healthz))
        .route("/readyz", web::get().to(admin::readyz))
        .route("/metrics", web::get().to(admin::metrics))
        .route("/api/openapi.json", web::get().to(openapi_json))
        .route("/api/docs", web::get().to(explorer))
        .route("/api/login", web::post().to(session::login))
        .route("/api/logout", web::post().to(session::logout))
        .route("/api/me", web::get().to(session::me))
        .route("/api/datasets", web::get().to(datasets::list))
        .route("/api/datasets", web::post().to(datasets::create))
        .route("/api/scenarios", web::get().to(scenarios::list))
        .route("/api/scenarios", web::post().to(scenarios::create))
        .route("/api/runs", web::get().to(runs::list))
        .route("/api/runs", web::post().to(runs::create))
        .route("/api/runs/{id}", web::get().to(runs::get))
        .route("/api/runs/{id}", web::delete().to(runs::cancel))
        .route("/api/runs/{id}/cancel", web::post().to(runs::cancel))
        .route("/api/runs/{id}/events", web::get().to(runs::events))
        .route("/api/plans", web::get().to(plans::list))
        .route("/api/plans/current", web::get().to(plans::current))
        .route(
            "/api/plans/current/schedule.csv",
            web::get().to(plans::current_schedule_csv),
        )
        .route(
            "/api/plans/current/crew.csv",
            web::get().to(plans::current_crew_csv),
        )
        .route(
            "/api/plans/{id}/schedule.csv",
            web::get().to(plans::schedule_csv),
        )
        .route("/api/plans/{id}/crew.csv", web::get().to(plans::crew_csv))
        .route("/api/plans/{id}/decision", web::post().to(plans::decide))
        .route("/api/incidents", web::get().to(records::list_incidents))
        .route("/api/incidents", web::post().to(records::create_incident))
        .route("/api/audit", web::get().to(records::list_audit))
        .route("/api/users", web::get().to(admin::list_users))
        .route("/api/users", web::post().to(admin::add_user))
        .route("/api/tokens", web::get().to(admin::list_tokens))
        .route("/api/tokens", web::post().to(admin::create_token))
        .configure(live::configure)
        .route("/api/tokens/{id}", web::delete().to(admin::revoke_token))
        .configure(dashboard::configure)
        .default_service(web::to(not_found));
}

async fn not_found(req: HttpRequest) -> Result<HttpResponse> {
    Err(Error::NotFound(format!(
        "no route {} {}",
        req.method(),
        req.path()
    )))
}

/// `limit` within 1..=`max`, `default` when absent.
pub fn limit(value: Option<i64>, default: i64, max: i64) -> Result<i64> {
    match value {
        None => Ok(default),
        Some(n) if (1..=max).contains(&n) => Ok(n),
        Some(n) => Err(Error::bad("limit", format!("must be 1 to {max}, not {n}"))),
    }
}

/// A JSON request body, read after the caller's role is checked (so that a caller without the role gets
/// 403 whatever they send); a mistake is a 400 naming the field.
pub fn json<T: serde::de::DeserializeOwned>(body: &web::Bytes) -> Result<T> {
    if body.len() > MAX_BODY_BYTES {
        return Err(Error::bad(
            "body",
            format!("is larger than {MAX_BODY_BYTES} bytes"),
        ));
    }
    let value = serde_json::from_slice(body).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => Error::bad(&field_of(&e.to_string()), e.to_string()),
        _ => Error::bad("body", format!("is not valid JSON: {e}")),
    })?;
    // JSON writes a NUL character only as \u0000; PostgreSQL stores no text holding one.
    if body.windows(6).any(|w| w == b"\\u0000") {
        let parsed: serde_json::Value =
            serde_json::from_slice(body).map_err(|e| Error::bad("body", e.to_string()))?;
        if let Some(field) = nul_field(&parsed, "body") {
            return Err(Error::bad(
                &field,
                "holds a NUL character (\\u0000), which no text may hold",
            ));
        }
    }
    Ok(value)
}

/// The key of the first string in `value` that holds a NUL character.
fn nul_field(value: &serde_json::Value, key: &str) -> Option<String> {
    match value {
        serde_json::Value::String(s) if s.contains('\0') => Some(key.to_string()),
        serde_json::Value::Array(list) => list.iter().find_map(|v| nul_field(v, key)),
        serde_json::Value::Object(map) => map.iter().find_map(|(k, v)| nul_field(v, k)),
        _ => None,
    }
}

/// Largest request body accepted.
const MAX_BODY_BYTES: usize = 256 * 1024;

/// serde's message names a missing field as "missing field `x`"; other mistakes name the value.
fn field_of(message: &str) -> String {
    message
        .split_once("field `")
        .and_then(|(_, rest)| rest.split_once('`'))
        .map(|(field, _)| field.to_string())
        .unwrap_or_else(|| "body".to_string())
}

fn path_error(err: PathError, _: &HttpRequest) -> actix_web::Error {
    Error::bad("id", format!("must be a whole number ({err})")).into()
}

fn query_error(err: QueryPayloadError, _: &HttpRequest) -> actix_web::Error {
    let message = err.to_string();
    let field = ["run", "limit", "after", "name", "date"]
        .into_iter()
        .find(|f| message.contains(&format!("`{f}`")) || message.contains(&format!("{f}=")))
        .unwrap_or("query");
    Error::bad(field, message).into()
}

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::auth::SESSION_COOKIE,
                "The session cookie POST /api/login sets; requests that change state also send X-CSRF-Token.",
            ))),
        );
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The OpenAPI 3 document, generated from the handlers' annotations.
#[derive(OpenApi)]
#[openapi(
    info(title = "UCODTS operations service", description = "Runs, recovery plans, decisions, incidents and the audit log of UCODTS, the airline operations digital twin. Every route but /healthz, /readyz, /metrics, /api/openapi.json and /api/login needs a session cookie (with X-CSRF-Token on requests that change state) or a Bearer token."),
    paths(
        session::login, session::logout, session::me,
        scenarios::list, scenarios::create,
        runs::create, runs::list, runs::get, runs::cancel, runs::events,
        plans::list, plans::current, plans::decide, plans::schedule_csv, plans::crew_csv,
        plans::current_schedule_csv, plans::current_crew_csv,
        records::create_incident, records::list_incidents, records::list_audit,
        admin::add_user, admin::list_users, admin::create_token, admin::list_tokens, admin::revoke_token,
        admin::healthz, admin::readyz, admin::metrics, explorer,
        datasets::list, datasets::create,
        live::feed, live::live_state, live::live_forecast, live::live_alerts, live::live_events,
        dashboard::day, dashboard::maintenance,
    ),
    modifiers(&Security),
    security(("session" = []), ("bearer" = [])),
)]
pub struct ApiDoc;

async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}

/// The API explorer: one page compiled into the binary that reads /api/openapi.json from the same
/// server and lists every operation with a form to call it; it loads nothing from elsewhere.
const EXPLORER_HTML: &str = include_str!("explorer.html");

/// The API explorer page: every operation of /api/openapi.json with a form to call it.
#[utoipa::path(get, path = "/api/docs", tag = "service",
    responses((status = 200, description = "an HTML page", content_type = "text/html", body = String)))]
pub async fn explorer() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((
            "Content-Security-Policy",
            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'",
        ))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(EXPLORER_HTML)
}

/// Whether a request asks for server-sent events (`Accept: text/event-stream`, what a browser's EventSource
/// sends) rather than one JSON answer.
pub(crate) fn wants_event_stream(req: &actix_web::HttpRequest) -> bool {
    req.headers()
        .get("accept")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/event-stream"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_character_is_refused_naming_its_field() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Reason {
            reason: String,
        }
        let refused = json::<Reason>(&web::Bytes::from_static(br#"{"reason": "a\u0000b"}"#));
        assert!(
            matches!(refused, Err(Error::BadRequest { ref field, .. }) if field == "reason"),
            "{refused:?}"
        );
        assert!(json::<Reason>(&web::Bytes::from_static(br#"{"reason": "a\\u0000b"}"#)).is_ok());
    }

    #[test]
    fn a_missing_field_is_named() {
        assert_eq!(
            field_of("missing field `reason` at line 1 column 22"),
            "reason"
        );
        assert_eq!(field_of("invalid type: string \"x\", expected u64"), "body");
    }
}
