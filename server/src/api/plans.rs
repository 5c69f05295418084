//! Recovery plans of finished recover runs, and the scheduler's decisions on them. An accepted plan is the
//! operation's current plan; a run has at most one accepted plan, and a second accept is refused with why,
//! as is the accept of a plan that changes a tail, flight or crew member that an accepted plan of another
//! run changes in an overlapping window. The recommended plan's schedule export (the recover loop's
//! `--schedule-out` files) is downloadable as CSV.

use std::collections::BTreeSet;

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sqlx::Row;
use utoipa::ToSchema;

use crate::audit;
use crate::auth::{Caller, Role};
use crate::db::{now_ms, rfc3339};
use crate::error::{Error, Result};
use crate::AppState;

/// Longest decision reason accepted.
const MAX_REASON_CHARS: usize = 4000;

#[derive(Serialize, ToSchema)]
pub struct DecisionView {
    /// `accept` or `reject`.
    pub decision: String,
    pub reason: String,
    pub decided_by: String,
    pub decided: String,
}

#[derive(Serialize, ToSchema)]
pub struct PlanView {
    pub id: i64,
    pub run: i64,
    /// 1: the recommended plan, then the Monte Carlo ranking's order.
    pub rank: i64,
    pub policy: String,
    pub recommended: bool,
    /// The scheduler's decision, if any.
    pub decision: Option<DecisionView>,
    /// The plan as `ucodts recover --json` prints it (actions, legality, cost, KPIs).
    #[schema(value_type = Object)]
    pub plan: Box<RawValue>,
}

const PLAN_SELECT: &str = "SELECT p.id, p.run_id, p.rank, p.policy, p.recommended, p.plan, \
     d.decision, d.reason, d.decided_ms, u.name AS decided_by \
     FROM plans p LEFT JOIN decisions d ON d.plan_id = p.id LEFT JOIN users u ON u.id = d.decided_by";

fn plan_view(row: &sqlx::any::AnyRow) -> Result<PlanView> {
    let decision: Option<String> = row.try_get("decision")?;
    Ok(PlanView {
        id: row.try_get("id")?,
        run: row.try_get("run_id")?,
        rank: row.try_get("rank")?,
        policy: row.try_get("policy")?,
        recommended: row.try_get::<i64, _>("recommended")? != 0,
        decision: match decision {
            Some(decision) => Some(DecisionView {
                decision,
                reason: row.try_get("reason")?,
                decided_by: row.try_get("decided_by")?,
                decided: rfc3339(row.try_get("decided_ms")?),
            }),
            None => None,
        },
        plan: RawValue::from_string(row.try_get("plan")?)
            .map_err(|e| Error::Internal(format!("a stored plan: {e}")))?,
    })
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct PlansQuery {
    /// The recover run whose plans to list.
    pub run: Option<i64>,
}

/// The plans of a recover run, in rank order, each with its `id` and any decision.
#[utoipa::path(get, path = "/api/plans", tag = "plans", params(PlansQuery),
    responses((status = 200, body = Vec<PlanView>), (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody)))]
pub async fn list(
    state: web::Data<AppState>,
    _caller: Caller,
    query: web::Query<PlansQuery>,
) -> Result<HttpResponse> {
    let run = query
        .run
        .ok_or_else(|| Error::bad("run", "is required: GET /api/plans?run=ID"))?;
    let rows = sqlx::query(&format!(
        "{PLAN_SELECT} WHERE p.run_id = $1 ORDER BY p.rank"
    ))
    .bind(run)
    .fetch_all(&state.db.pool)
    .await?;
    let plans = rows.iter().map(plan_view).collect::<Result<Vec<_>>>()?;
    Ok(HttpResponse::Ok().json(plans))
}

/// The operation's current plan: the latest accepted one.
#[utoipa::path(get, path = "/api/plans/current", tag = "plans",
    responses((status = 200, body = PlanView), (status = 401, body = crate::error::ErrorBody),
        (status = 404, description = "no plan accepted yet", body = crate::error::ErrorBody)))]
pub async fn current(state: web::Data<AppState>, _caller: Caller) -> Result<HttpResponse> {
    let row = sqlx::query(&format!(
        "{PLAN_SELECT} WHERE d.decision = 'accept' ORDER BY d.decided_ms DESC, d.id DESC LIMIT 1"
    ))
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(|| Error::NotFound("no plan has been accepted yet".into()))?;
    Ok(HttpResponse::Ok().json(plan_view(&row)?))
}

/// Which of the two export files.
#[derive(Clone, Copy)]
enum ExportFile {
    Schedule,
    Crew,
}

/// The operation's current plan's id (the latest accepted one).
async fn current_id(state: &AppState) -> Result<i64> {
    let row = sqlx::query(
        "SELECT plan_id FROM decisions WHERE decision = 'accept' ORDER BY decided_ms DESC, id DESC LIMIT 1",
    )
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(|| Error::NotFound("no plan has been accepted yet".into()))?;
    Ok(row.try_get("plan_id")?)
}

/// A plan's schedule export file, or 404 saying why there is none.
async fn export(state: &AppState, id: i64, file: ExportFile) -> Result<HttpResponse> {
    let row = sqlx::query(
        "SELECT p.run_id, p.rank, p.recommended, r.schedule_csv, r.crew_csv FROM plans p \
         JOIN runs r ON r.id = p.run_id WHERE p.id = $1",
    )
    .bind(id)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(|| Error::NotFound(format!("no plan {id}")))?;
    let run: i64 = row.try_get("run_id")?;
    if row.try_get::<i64, _>("recommended")? == 0 {
        let rank: i64 = row.try_get("rank")?;
        return Err(Error::NotFound(format!(
            "plan {id} is ranked {rank} in run {run} but not recommended: the recovery loop exports the schedule of the recommended plan only (GET /api/plans?run={run} shows which it is)"
        )));
    }
    let column = match file {
        ExportFile::Schedule => "schedule_csv",
        ExportFile::Crew => "crew_csv",
    };
    let csv: Option<String> = row.try_get(column)?;
    let csv = csv.ok_or_else(|| {
        Error::NotFound(format!(
            "run {run} was stored before the server kept schedule exports; start the run again"
        ))
    })?;
    let name = match file {
        ExportFile::Schedule => format!("run-{run}-plan-{id}-schedule.csv"),
        ExportFile::Crew => format!("run-{run}-plan-{id}-crew.csv"),
    };
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ))
        .body(csv))
}

/// The changed legs of a recommended plan, as `ucodts recover --schedule-out F.csv` writes them: carrier,
/// flight, date, origin, destination, old and new departure (UTC), old and new tail, status.
#[utoipa::path(get, path = "/api/plans/{id}/schedule.csv", tag = "plans",
    params(("id" = i64, Path, description = "the plan")),
    responses((status = 200, description = "CSV (RFC 4180), header only when the plan changes no leg", content_type = "text/csv", body = String),
        (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody),
        (status = 404, description = "no such plan, or not the recommended one (the message says)", body = crate::error::ErrorBody)))]
pub async fn schedule_csv(
    state: web::Data<AppState>,
    _caller: Caller,
    id: web::Path<i64>,
) -> Result<HttpResponse> {
    export(&state, id.into_inner(), ExportFile::Schedule).await
}

/// The crew changes of a recommended plan per crew member, as `recover --schedule-out F.csv` writes
/// `F.crew.csv`: crew id, rank, base, action, the new duties' report and release (local) and legs.
#[utoipa::path(get, path = "/api/plans/{id}/crew.csv", tag = "plans",
    params(("id" = i64, Path, description = "the plan")),
    responses((status = 200, description = "CSV (RFC 4180)", content_type = "text/csv", body = String),
        (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody),
        (status = 404, description = "no such plan, or not the recommended one (the message says)", body = crate::error::ErrorBody)))]
pub async fn crew_csv(
    state: web::Data<AppState>,
    _caller: Caller,
    id: web::Path<i64>,
) -> Result<HttpResponse> {
    export(&state, id.into_inner(), ExportFile::Crew).await
}

/// The current plan's changed legs (see `/api/plans/{id}/schedule.csv`).
#[utoipa::path(get, path = "/api/plans/current/schedule.csv", tag = "plans",
    responses((status = 200, description = "CSV (RFC 4180)", content_type = "text/csv", body = String),
        (status = 401, body = crate::error::ErrorBody),
        (status = 404, description = "no plan accepted yet, or it is not a recommended plan", body = crate::error::ErrorBody)))]
pub async fn current_schedule_csv(
    state: web::Data<AppState>,
    _caller: Caller,
    _req: HttpRequest,
) -> Result<HttpResponse> {
    export(&state, current_id(&state).await?, ExportFile::Schedule).await
}

/// The current plan's crew changes (see `/api/plans/{id}/crew.csv`).
#[utoipa::path(get, path = "/api/plans/current/crew.csv", tag = "plans",
    responses((status = 200, description = "CSV (RFC 4180)", content_type = "text/csv", body = String),
        (status = 401, body = crate::error::ErrorBody),
        (status = 404, description = "no plan accepted yet, or it is not a recommended plan", body = crate::error::ErrorBody)))]
pub async fn current_crew_csv(
    state: web::Data<AppState>,
    _caller: Caller,
    _req: HttpRequest,
) -> Result<HttpResponse> {
    export(&state, current_id(&state).await?, ExportFile::Crew).await
}

/// What a plan changes, read from its actions: tails (`N525UA`; a tail's second rotation `N525UA/2` is
/// the same aircraft), flights (`B6 1234 2013-07-03`) and crew members.
fn changes(plan: &serde_json::Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for action in plan["actions"].as_array().into_iter().flatten() {
        for tail in action["tails"].as_array().into_iter().flatten() {
            if let Some(t) = tail.as_str() {
                out.insert(format!("tail {}", t.split('/').next().unwrap_or(t)));
            }
        }
        for crew in action["crew"].as_array().into_iter().flatten() {
            if let Some(c) = crew.as_str() {
                out.insert(format!("crew member {c}"));
            }
        }
        if let (Some(carrier), Some(flight), Some(date)) = (
            action["carrier"].as_str(),
            action["flight"].as_str(),
            action["date"].as_str(),
        ) {
            out.insert(format!("flight {carrier} {flight} {date}"));
        }
    }
    out
}

/// Refuses (409, with why) the accept of `plan` when an accepted plan of another run whose window overlaps
/// changes one of the same tails, flights or crew members.
async fn check_no_overlap(write: &mut crate::db::Write, plan: &PlanView) -> Result<()> {
    let window = sqlx::query("SELECT window_start, window_end FROM runs WHERE id = $1")
        .bind(plan.run)
        .fetch_one(&mut *write.tx)
        .await?;
    let (Some(start), Some(end)) = (
        window.try_get::<Option<String>, _>("window_start")?,
        window.try_get::<Option<String>, _>("window_end")?,
    ) else {
        return Ok(());
    };
    let mine = changes(
        &serde_json::from_str(plan.plan.get())
            .map_err(|e| Error::Internal(format!("a stored plan: {e}")))?,
    );
    if mine.is_empty() {
        return Ok(());
    }
    let others = sqlx::query(&format!(
        "{PLAN_SELECT} JOIN runs r ON r.id = p.run_id WHERE d.decision = 'accept' AND p.run_id <> $1 \
         AND r.window_start < $2 AND $3 < r.window_end ORDER BY d.decided_ms"
    ))
    .bind(plan.run)
    .bind(&end)
    .bind(&start)
    .fetch_all(&mut *write.tx)
    .await?;
    for other in &others {
        let other = plan_view(other)?;
        let theirs = changes(
            &serde_json::from_str(other.plan.get())
                .map_err(|e| Error::Internal(format!("a stored plan: {e}")))?,
        );
        let shared: Vec<&String> = mine.intersection(&theirs).collect();
        if !shared.is_empty() {
            let d = other.decision.as_ref();
            let more = match shared.len() {
                n if n > 5 => format!(" and {} more", n - 5),
                _ => String::new(),
            };
            return Err(Error::Conflict(format!(
                "plan {} of run {} ({}), accepted by {} at {}, also changes {}{more} in an overlapping window: accepting plan {} too would give them two sets of instructions",
                other.id,
                other.run,
                other.policy,
                d.map(|d| d.decided_by.as_str()).unwrap_or("?"),
                d.map(|d| d.decided.as_str()).unwrap_or("?"),
                shared.iter().take(5).map(|s| s.as_str()).collect::<Vec<_>>().join(", "),
                plan.id,
            )));
        }
    }
    Ok(())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDecision {
    /// `accept` or `reject`.
    #[schema(example = "accept")]
    pub decision: String,
    /// Why, in words (required).
    pub reason: String,
}

/// Accepts or rejects a plan (scheduler), with a reason. One audit row per decision.
#[utoipa::path(post, path = "/api/plans/{id}/decision", tag = "plans", request_body = NewDecision,
    params(("id" = i64, Path, description = "the plan")),
    responses((status = 201, description = "decided", body = PlanView),
        (status = 400, description = "a field is wrong; `field` names it", body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody),
        (status = 409, description = "already decided, another plan of the run is accepted, or an accepted plan of another run changes the same tail, flight or crew member in an overlapping window", body = crate::error::ErrorBody)))]
pub async fn decide(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse> {
    caller.require(&[Role::Scheduler])?;
    let id = id.into_inner();
    let NewDecision { decision, reason } = super::json::<NewDecision>(&body)?;
    if decision != "accept" && decision != "reject" {
        return Err(Error::bad(
            "decision",
            format!(
                "must be `accept` or `reject`, not `{}`",
                decision.chars().take(32).collect::<String>()
            ),
        ));
    }
    let reason = reason.trim().to_string();
    if reason.is_empty() {
        return Err(Error::bad("reason", "is required: say why, in words"));
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(Error::bad(
            "reason",
            format!("is longer than {MAX_REASON_CHARS} characters"),
        ));
    }
    let mut write = state.db.write().await?;
    let plan = sqlx::query(&format!("{PLAN_SELECT} WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(&mut *write.tx)
        .await?
        .ok_or_else(|| Error::NotFound(format!("no plan {id}")))?;
    let plan = plan_view(&plan)?;
    if let Some(d) = &plan.decision {
        return Err(Error::Conflict(format!(
            "plan {id} was already decided: {} by {} at {} ({})",
            d.decision, d.decided_by, d.decided, d.reason
        )));
    }
    if decision == "accept" {
        let accepted = sqlx::query(&format!(
            "{PLAN_SELECT} WHERE p.run_id = $1 AND d.decision = 'accept'"
        ))
        .bind(plan.run)
        .fetch_optional(&mut *write.tx)
        .await?;
        if let Some(other) = accepted {
            let other = plan_view(&other)?;
            let d = other.decision.as_ref();
            return Err(Error::Conflict(format!(
                "plan {} of run {} ({}) was accepted by {} at {}: a run has one accepted plan, and plan {id} conflicts with it (both recover the same disruption)",
                other.id,
                plan.run,
                other.policy,
                d.map(|d| d.decided_by.as_str()).unwrap_or("?"),
                d.map(|d| d.decided.as_str()).unwrap_or("?"),
            )));
        }
        check_no_overlap(&mut write, &plan).await?;
    }
    let decided_ms = now_ms();
    sqlx::query(
        "INSERT INTO decisions (plan_id, run_id, decision, reason, decided_by, decided_ms) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(plan.run)
    .bind(&decision)
    .bind(&reason)
    .bind(caller.user_id)
    .bind(decided_ms)
    .execute(&mut *write.tx)
    .await?;
    let actor = caller.actor();
    let content = serde_json::json!({
        "plan": id, "run": plan.run, "decision": decision, "reason": reason,
        "plan_content_hash": crate::auth::sha256_hex(plan.plan.get().as_bytes()),
    });
    audit::append(
        &mut write,
        &actor,
        &format!("plan.{decision}"),
        &format!("plan/{id}"),
        &content,
    )
    .await?;
    write.commit().await?;
    tracing::info!(plan = id, run = plan.run, decision = %decision, by = %caller.name, "plan decided");
    let view = PlanView {
        decision: Some(DecisionView {
            decision,
            reason,
            decided_by: caller.name,
            decided: rfc3339(decided_ms),
        }),
        ..plan
    };
    Ok(HttpResponse::Created().json(view))
}
