//! What the operation keeps on record: safety incidents reported by users, and the audit log.

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use utoipa::ToSchema;

use crate::audit::{self, AuditEntry};
use crate::auth::Caller;
use crate::db::{now_ms, rfc3339};
use crate::error::{Error, Result};
use crate::AppState;

/// Kinds of safety incident (a reporting taxonomy close to ICAO ADREP's top level).
pub const INCIDENT_CATEGORIES: [&str; 8] = [
    "fatigue",
    "crew_legality",
    "aircraft_technical",
    "ground_operations",
    "weather",
    "air_traffic",
    "security",
    "other",
];
const MAX_NARRATIVE_CHARS: usize = 10_000;
const MAX_REFERENCE_CHARS: usize = 64;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewIncident {
    /// fatigue, crew_legality, aircraft_technical, ground_operations, weather, air_traffic, security, other.
    #[schema(example = "fatigue")]
    pub category: String,
    /// The flight, as the timetable names it (e.g. `B6 1234 2013-07-02`).
    pub flight: Option<String>,
    /// The aircraft's registration.
    pub tail: Option<String>,
    /// The crew member(s) concerned.
    pub crew: Option<String>,
    /// What happened, in words.
    pub narrative: String,
}

#[derive(Serialize, ToSchema)]
pub struct IncidentView {
    pub id: i64,
    pub category: String,
    pub flight: Option<String>,
    pub tail: Option<String>,
    pub crew: Option<String>,
    pub narrative: String,
    pub reported_by: String,
    pub reported: String,
}

fn reference(field: &str, value: Option<String>) -> Result<Option<String>> {
    let value = value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty());
    if let Some(v) = &value {
        if v.chars().count() > MAX_REFERENCE_CHARS {
            return Err(Error::bad(
                field,
                format!("is longer than {MAX_REFERENCE_CHARS} characters"),
            ));
        }
    }
    Ok(value)
}

/// Reports a safety incident (every role).
#[utoipa::path(post, path = "/api/incidents", tag = "records", request_body = NewIncident,
    responses((status = 201, body = IncidentView), (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn create_incident(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Bytes,
) -> Result<HttpResponse> {
    let body: NewIncident = super::json(&body)?;
    if !INCIDENT_CATEGORIES.contains(&body.category.as_str()) {
        return Err(Error::bad(
            "category",
            format!("must be one of {}", INCIDENT_CATEGORIES.join(", ")),
        ));
    }
    let narrative = body.narrative.trim().to_string();
    if narrative.is_empty() {
        return Err(Error::bad("narrative", "is required: say what happened"));
    }
    if narrative.chars().count() > MAX_NARRATIVE_CHARS {
        return Err(Error::bad(
            "narrative",
            format!("is longer than {MAX_NARRATIVE_CHARS} characters"),
        ));
    }
    let flight = reference("flight", body.flight)?;
    let tail = reference("tail", body.tail)?;
    let crew = reference("crew", body.crew)?;
    let reported_ms = now_ms();
    let mut write = state.db.write().await?;
    let row = sqlx::query(
        "INSERT INTO incidents (category, flight, tail, crew, narrative, reported_by, reported_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(&body.category)
    .bind(&flight)
    .bind(&tail)
    .bind(&crew)
    .bind(&narrative)
    .bind(caller.user_id)
    .bind(reported_ms)
    .fetch_one(&mut *write.tx)
    .await?;
    let view = IncidentView {
        id: row.try_get("id")?,
        category: body.category,
        flight,
        tail,
        crew,
        narrative,
        reported_by: caller.name.clone(),
        reported: rfc3339(reported_ms),
    };
    let actor = caller.actor();
    let content = serde_json::to_value(&view).map_err(|e| Error::Internal(e.to_string()))?;
    audit::append(
        &mut write,
        &actor,
        "incident.create",
        &format!("incident/{}", view.id),
        &content,
    )
    .await?;
    write.commit().await?;
    Ok(HttpResponse::Created().json(view))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct PageQuery {
    /// Most entries (1 to 1000; default 100).
    pub limit: Option<i64>,
    /// Audit: entries after this `seq` (default 0: from the first).
    pub after: Option<i64>,
}

/// Incidents, newest first.
#[utoipa::path(get, path = "/api/incidents", tag = "records", params(PageQuery),
    responses((status = 200, body = Vec<IncidentView>), (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody)))]
pub async fn list_incidents(
    state: web::Data<AppState>,
    _caller: Caller,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse> {
    let limit = super::limit(query.limit, 100, 1000)?;
    let rows = sqlx::query(
        "SELECT i.*, u.name AS reported_by_name FROM incidents i JOIN users u ON u.id = i.reported_by \
         ORDER BY i.id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&state.db.pool)
    .await?;
    let views = rows
        .iter()
        .map(|r| {
            Ok(IncidentView {
                id: r.try_get("id")?,
                category: r.try_get("category")?,
                flight: r.try_get("flight")?,
                tail: r.try_get("tail")?,
                crew: r.try_get("crew")?,
                narrative: r.try_get("narrative")?,
                reported_by: r.try_get("reported_by_name")?,
                reported: rfc3339(r.try_get("reported_ms")?),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(HttpResponse::Ok().json(views))
}

/// The audit log, oldest first, from `after`.
#[utoipa::path(get, path = "/api/audit", tag = "records", params(PageQuery),
    responses((status = 200, body = Vec<AuditEntry>), (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody)))]
pub async fn list_audit(
    state: web::Data<AppState>,
    _caller: Caller,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse> {
    let limit = super::limit(query.limit, 100, 1000)?;
    let after = query.after.unwrap_or(0);
    if after < 0 {
        return Err(Error::bad("after", "must be 0 or more"));
    }
    Ok(HttpResponse::Ok().json(audit::list(&state.db, after, limit).await?))
}
