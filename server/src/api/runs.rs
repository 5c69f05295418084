//! Runs: starting a recovery loop or a scenario simulation as a job, reading its status, progress and
//! result, following its progress as server-sent events, cancelling it.

use std::time::Duration;

use actix_web::{web, HttpResponse};
use futures_util::stream;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sqlx::Row;
use utoipa::ToSchema;

use crate::audit;
use crate::auth::{Caller, Role};
use crate::db::{now_ms, rfc3339};
use crate::error::{Error, Result};
use crate::jobs::{JobKind, JobSpec, ProgressState};
use crate::AppState;

/// Most replications a run may ask for.
pub const MAX_REPS: u64 = 1000;
/// Longest optimizer budget a run may ask for, seconds.
pub const MAX_TIME_LIMIT_S: f64 = 600.0;
/// Most candidate plans a run may compare.
pub const MAX_CANDIDATES: usize = 10;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRun {
    /// `recover` (the recovery loop, as `ucodts recover`) or `simulate` (the scenario against the
    /// undisrupted days, as `ucodts simulate --scenario`), a planner's; `bench-crew` (as `ucodts bench
    /// crew-recovery`) or `bench-roadef` (as `ucodts bench roadef2009`), a researcher's.
    #[schema(example = "recover")]
    pub kind: String,
    /// A library scenario's name, or a name from POST /api/scenarios (recover and simulate).
    #[schema(example = "captain-no-show")]
    pub scenario: Option<String>,
    /// Master seed of every random choice; default: the scenario's.
    pub seed: Option<u64>,
    /// Monte Carlo replications (2 to 1000); default: recover 30, simulate the scenario's.
    pub reps: Option<u64>,
    /// Recover: wall-clock seconds for all policies together (up to 600); default 10.
    pub time_limit_s: Option<f64>,
    /// Recover: aircraft policies, comma separated (`constructive`, `milp`, `lns`, `all`).
    pub policy: Option<String>,
    /// Recover: crew policies, comma separated (`greedy`, `milp`, `all`) or `auto`.
    pub crew_policy: Option<String>,
    /// Recover: candidate plans compared in the twin (1 to 10); default 3.
    pub candidates: Option<usize>,
    /// bench-roadef: instances to solve, comma separated (`A01,A02`); default every one found.
    pub instances: Option<String>,
    /// bench-crew: only the first N cases of each data set (1 to 1000); default all.
    pub cases: Option<usize>,
    /// bench-roadef: what the policies minimise, `official` (the challenge's checker; the default) or
    /// `honest` (no round-trip shortcut, no swapped-aircraft term), as `--objective`.
    pub objective: Option<String>,
    /// Recover and simulate: the data set to run on, `default` (the embedded default) or an imported
    /// one's name (GET /api/datasets); default: a user's scenario's own data set, else the embedded default.
    #[schema(example = "default")]
    pub data_set: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
    pub status: String,
}

/// A run as stored.
#[derive(Serialize, ToSchema)]
pub struct RunView {
    pub id: i64,
    pub kind: String,
    /// `queued`, `running`, `done` or `failed`.
    pub status: String,
    /// What was asked, as stored.
    #[schema(value_type = Object)]
    pub request: Box<RawValue>,
    pub progress: Option<ProgressState>,
    /// For `recover`: exactly the JSON `ucodts recover --json` prints; for `simulate`: what
    /// `ucodts simulate --scenario --json` prints. `null` until done.
    #[schema(value_type = Option<Object>)]
    pub result: Option<Box<RawValue>>,
    /// Why the run failed.
    pub error: Option<String>,
    pub created_by: String,
    pub created: String,
    pub started: Option<String>,
    pub finished: Option<String>,
}

fn check_name_list(field: &str, value: &Option<String>) -> Result<()> {
    if let Some(v) = value {
        if v.is_empty() || v.len() > 64 || !v.chars().all(|c| c.is_ascii_lowercase() || c == ',') {
            return Err(Error::bad(
                field,
                "must be policy names in lower case, comma separated (e.g. `constructive,lns`)",
            ));
        }
    }
    Ok(())
}

/// Checks a new run's fields, that the caller's role may start its kind, and finds its scenario (the
/// library's or a user's own).
async fn spec(state: &AppState, caller: &Caller, body: NewRun) -> Result<JobSpec> {
    let kind = JobKind::ALL
        .into_iter()
        .find(|k| k.name() == body.kind)
        .ok_or_else(|| {
            Error::bad(
                "kind",
                format!(
                    "must be `recover`, `simulate`, `bench-crew` or `bench-roadef`, not `{}`",
                    body.kind.chars().take(32).collect::<String>()
                ),
            )
        })?;
    match kind.is_benchmark() {
        true => caller.require(&[Role::Researcher])?,
        false => caller.require(&[Role::Planner])?,
    }
    if let Some(reps) = body.reps {
        if !(2..=MAX_REPS).contains(&reps) {
            return Err(Error::bad(
                "reps",
                format!("must be 2 to {MAX_REPS} (a confidence interval needs two replications), not {reps}"),
            ));
        }
    }
    if let Some(t) = body.time_limit_s {
        if !(t > 0.0 && t <= MAX_TIME_LIMIT_S) {
            return Err(Error::bad(
                "time_limit_s",
                format!("must be more than 0 and at most {MAX_TIME_LIMIT_S} seconds, not {t}"),
            ));
        }
    }
    if let Some(c) = body.candidates {
        if !(1..=MAX_CANDIDATES).contains(&c) {
            return Err(Error::bad(
                "candidates",
                format!("must be 1 to {MAX_CANDIDATES}, not {c}"),
            ));
        }
    }
    check_name_list("policy", &body.policy)?;
    check_name_list("crew_policy", &body.crew_policy)?;
    if let Some(cases) = body.cases {
        if !(1..=1000).contains(&cases) {
            return Err(Error::bad(
                "cases",
                format!("must be 1 to 1000, not {cases}"),
            ));
        }
    }
    let instances = match &body.instances {
        Some(list) => {
            let names: Vec<String> = list.split(',').map(|n| n.trim().to_string()).collect();
            if names.len() > 100
                || names.iter().any(|n| {
                    n.is_empty() || n.len() > 16 || !n.chars().all(|c| c.is_ascii_alphanumeric())
                })
            {
                return Err(Error::bad(
                    "instances",
                    "must be instance names (letters and digits, `A01`), comma separated, at most 100",
                ));
            }
            Some(names)
        }
        None => None,
    };
    if let Some(objective) = &body.objective {
        if kind != JobKind::BenchRoadef {
            return Err(Error::bad(
                "objective",
                "is for bench-roadef runs only: leave it out",
            ));
        }
        if ucodts_workflows::roadef_bench::Objective::from_name(objective).is_none() {
            return Err(Error::bad(
                "objective",
                format!(
                    "must be `official` or `honest`, not `{}`",
                    objective.chars().take(32).collect::<String>()
                ),
            ));
        }
    }
    if kind.is_benchmark() && body.data_set.is_some() {
        return Err(Error::bad(
            "data_set",
            "a benchmark runs on its own instances: leave `data_set` out",
        ));
    }
    let (scenario, scenario_toml, scenario_data) = match (kind.is_benchmark(), body.scenario) {
        (true, Some(_)) => {
            return Err(Error::bad(
                "scenario",
                "a benchmark runs its own fixed cases: leave `scenario` out",
            ))
        }
        (true, None) => (String::new(), None, None),
        (false, None) => {
            return Err(Error::bad(
                "scenario",
                "is required for recover and simulate runs (GET /api/scenarios lists them)",
            ))
        }
        (false, Some(name)) => {
            let resolved = super::scenarios::resolve(state, "scenario", &name).await?;
            (name, resolved.toml, resolved.data_set)
        }
    };
    let data_set = match &body.data_set {
        Some(name) => super::datasets::resolve(&state.db, "data_set", name).await?,
        None => scenario_data,
    };
    Ok(JobSpec {
        kind,
        scenario,
        scenario_toml,
        seed: body.seed,
        reps: body.reps,
        time_limit_s: body.time_limit_s,
        policy: body.policy,
        crew_policy: body.crew_policy,
        candidates: body.candidates,
        instances,
        cases: body.cases,
        objective: body.objective,
        data_set,
    })
}

/// Starts a run as a job (recover and simulate: planner; bench-crew and bench-roadef: researcher).
/// Answers at once with its id; follow it with GET /api/runs/{id} or
/// its events.
#[utoipa::path(post, path = "/api/runs", tag = "runs", request_body = NewRun,
    responses((status = 202, description = "queued", body = Created),
        (status = 400, description = "a field is wrong; `field` names it", body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
        (status = 503, description = "the job queue is full", body = crate::error::ErrorBody)))]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Bytes,
) -> Result<HttpResponse> {
    caller.require(&[Role::Planner, Role::Researcher])?;
    let spec = spec(&state, &caller, super::json::<NewRun>(&body)?).await?;
    state.jobs.check_room()?;
    let request = serde_json::to_string(&spec).map_err(|e| Error::Internal(e.to_string()))?;
    let mut write = state.db.write().await?;
    let row = sqlx::query(
        "INSERT INTO runs (kind, request, status, created_by, instance, created_ms) \
         VALUES ($1, $2, 'queued', $3, $4, $5) RETURNING id",
    )
    .bind(spec.kind.name())
    .bind(&request)
    .bind(caller.user_id)
    .bind(&state.jobs.instance)
    .bind(now_ms())
    .fetch_one(&mut *write.tx)
    .await?;
    let id: i64 = row.try_get("id")?;
    let content: serde_json::Value =
        serde_json::from_str(&request).map_err(|e| Error::Internal(e.to_string()))?;
    let actor = caller.actor();
    audit::append(
        &mut write,
        &actor,
        "run.create",
        &format!("run/{id}"),
        &content,
    )
    .await?;
    write.commit().await?;
    state.jobs.start(id, spec);
    Ok(HttpResponse::Accepted()
        .insert_header(("Location", format!("/api/runs/{id}")))
        .json(Created {
            id,
            status: "queued".into(),
        }))
}

fn raw(text: Option<String>) -> Result<Option<Box<RawValue>>> {
    text.map(|t| {
        RawValue::from_string(t).map_err(|e| Error::Internal(format!("a stored JSON: {e}")))
    })
    .transpose()
}

async fn load(state: &AppState, id: i64, with_result: bool) -> Result<RunView> {
    let row = sqlx::query(
        "SELECT r.*, u.name AS created_by_name FROM runs r JOIN users u ON u.id = r.created_by WHERE r.id = $1",
    )
    .bind(id)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(|| Error::NotFound(format!("no run {id}")))?;
    view(state, &row, with_result)
}

fn view(state: &AppState, row: &sqlx::any::AnyRow, with_result: bool) -> Result<RunView> {
    let id: i64 = row.try_get("id")?;
    let stored: Option<String> = row.try_get("progress")?;
    let progress = match state.jobs.live(id) {
        Some(live) => Some(live.snapshot()),
        None => stored.and_then(|p| serde_json::from_str(&p).ok()),
    };
    let time = |column: &str| -> Result<Option<String>> {
        Ok(row.try_get::<Option<i64>, _>(column)?.map(rfc3339))
    };
    Ok(RunView {
        id,
        kind: row.try_get("kind")?,
        status: row.try_get("status")?,
        request: raw(Some(row.try_get("request")?))?
            .ok_or_else(|| Error::Internal("a run without its request".into()))?,
        progress,
        result: match with_result {
            true => raw(row.try_get("result")?)?,
            false => None,
        },
        error: row.try_get("error")?,
        created_by: row.try_get("created_by_name")?,
        created: rfc3339(row.try_get("created_ms")?),
        started: time("started_ms")?,
        finished: time("finished_ms")?,
    })
}

/// A run: status, progress, and the result once done.
#[utoipa::path(get, path = "/api/runs/{id}", tag = "runs", params(("id" = i64, Path, description = "the run")),
    responses((status = 200, body = RunView),
        (status = 400, description = "the id is not a whole number", body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(
    state: web::Data<AppState>,
    _caller: Caller,
    id: web::Path<i64>,
) -> Result<HttpResponse> {
    let view = load(&state, id.into_inner(), true).await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// Most runs to list, newest first (1 to 500; default 100).
    pub limit: Option<i64>,
}

/// The latest runs, newest first, without their results.
#[utoipa::path(get, path = "/api/runs", tag = "runs", params(ListQuery),
    responses((status = 200, body = Vec<RunView>), (status = 401, body = crate::error::ErrorBody)))]
pub async fn list(
    state: web::Data<AppState>,
    _caller: Caller,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse> {
    let limit = super::limit(query.limit, 100, 500)?;
    let rows = sqlx::query(
        "SELECT r.*, u.name AS created_by_name FROM runs r JOIN users u ON u.id = r.created_by \
         ORDER BY r.id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&state.db.pool)
    .await?;
    let views = rows
        .iter()
        .map(|r| view(&state, r, false))
        .collect::<Result<Vec<_>>>()?;
    Ok(HttpResponse::Ok().json(views))
}

/// Cancels a queued or running run (its kind's role: planner, or researcher for a benchmark). It stops at its next progress step and is marked failed,
/// "cancelled by NAME".
#[utoipa::path(delete, path = "/api/runs/{id}", tag = "runs", params(("id" = i64, Path, description = "the run")),
    responses((status = 202, description = "cancelling", body = Created),
        (status = 400, description = "the id is not a whole number", body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 409, description = "the run has already ended", body = crate::error::ErrorBody)))]
pub async fn cancel(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> Result<HttpResponse> {
    caller.require(&[Role::Planner, Role::Researcher])?;
    let id = id.into_inner();
    let run = load(&state, id, false).await?;
    match run.kind.starts_with("bench-") {
        true => caller.require(&[Role::Researcher])?,
        false => caller.require(&[Role::Planner])?,
    }
    if run.status == "done" || run.status == "failed" {
        return Err(Error::Conflict(format!(
            "run {id} has already ended ({})",
            run.status
        )));
    }
    if !state.jobs.cancel(id, &caller.name) {
        return Err(Error::Conflict(format!(
            "run {id} is not running on this server (it may have just ended)"
        )));
    }
    let mut write = state.db.write().await?;
    let actor = caller.actor();
    let content = serde_json::json!({ "id": id, "cancelled_by": caller.name });
    audit::append(
        &mut write,
        &actor,
        "run.cancel",
        &format!("run/{id}"),
        &content,
    )
    .await?;
    write.commit().await?;
    Ok(HttpResponse::Accepted().json(Created {
        id,
        status: "cancelling".into(),
    }))
}

/// Server-sent events of a run: `progress` events ({stage, step, steps, notes}) while it runs, then one
/// `done` or `failed` event, and the stream ends.
#[utoipa::path(get, path = "/api/runs/{id}/events", tag = "runs", params(("id" = i64, Path, description = "the run")),
    responses((status = 200, description = "server-sent events; each event's data is a JSON object", content_type = "text/event-stream", body = Object),
        (status = 400, description = "the id is not a whole number", body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn events(
    state: web::Data<AppState>,
    _caller: Caller,
    id: web::Path<i64>,
) -> Result<HttpResponse> {
    let id = id.into_inner();
    // Subscribe before reading the status, so that no end event falls between the two.
    let live = state.jobs.live(id);
    let receiver = live.as_ref().map(|l| l.events.subscribe());
    let run = load(&state, id, false).await?;
    let sse = |name: &str, data: &str| web::Bytes::from(format!("event: {name}\ndata: {data}\n\n"));
    let first = match (&run.progress, run.status.as_str()) {
        (_, "done") => sse("done", &format!(r#"{{"id":{id},"status":"done"}}"#)),
        (_, "failed") => sse(
            "failed",
            &serde_json::json!({ "id": id, "status": "failed", "error": run.error }).to_string(),
        ),
        (progress, _) => sse(
            "progress",
            &serde_json::to_string(&progress.clone().unwrap_or_default()).unwrap_or_default(),
        ),
    };
    let ended = matches!(run.status.as_str(), "done" | "failed") || receiver.is_none();
    let rest = stream::unfold((receiver, ended), move |(receiver, ended)| async move {
        let mut receiver = receiver?;
        if ended {
            return None;
        }
        loop {
            match tokio::time::timeout(Duration::from_secs(15), receiver.recv()).await {
                // A comment line keeps proxies from closing an idle stream.
                Err(_) => {
                    return Some((
                        Ok(web::Bytes::from_static(b": keep-alive\n\n")),
                        (Some(receiver), false),
                    ))
                }
                Ok(Ok(event)) => {
                    let end = event.name != "progress";
                    let bytes = format!("event: {}\ndata: {}\n\n", event.name, event.data);
                    return Some((
                        Ok::<_, actix_web::Error>(web::Bytes::from(bytes)),
                        (Some(receiver), end),
                    ));
                }
                Ok(Err(tokio::sync::broadcast::error::RecvError::Lagged(_))) => continue,
                Ok(Err(tokio::sync::broadcast::error::RecvError::Closed)) => return None,
            }
        }
    });
    let body = futures_util::StreamExt::chain(stream::once(async move { Ok(first) }), rest);
    Ok(HttpResponse::Ok()
        .insert_header(("Content-Type", "text/event-stream"))
        .insert_header(("Cache-Control", "no-cache"))
        .streaming(body))
}
