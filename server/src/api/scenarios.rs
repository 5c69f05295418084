//! Scenarios: the library's and the users' own. A user's scenario is checked against its data set (the
//! embedded default, or an imported one it names) by the same workflow as `ucodts scenario check --data`,
//! so a mistake is refused with the same message (file, line, field).

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use ucodts_workflows::scenario;
use utoipa::ToSchema;

use super::datasets::{DataSetRef, Files};
use crate::audit;
use crate::auth::{Caller, Role};
use crate::db::{now_ms, rfc3339};
use crate::error::{Error, Result};
use crate::AppState;

/// Longest scenario file accepted.
const MAX_TOML_BYTES: usize = 64 * 1024;

#[derive(Serialize, ToSchema)]
pub struct ScenarioView {
    pub name: String,
    pub description: String,
    /// The kinds of its disruptions (`airport_capacity`, `aircraft_unavailable`, ...).
    pub disruptions: Vec<String>,
    /// `library` (shipped with UCODTS) or `user`.
    pub source: String,
    /// The data set a user's scenario was checked against and its runs use unless they name another
    /// (`default`: the embedded default; library scenarios are written for it).
    #[schema(example = "default")]
    pub data_set: String,
    /// Who added a user's scenario.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewScenario {
    /// The scenario file (docs/scenario-format.md). Its `name` names it; it has no `data` line (the data set
    /// is `data_set`).
    pub toml: String,
    /// The data set it is checked against and its runs use by default: `default` (the embedded default,
    /// when absent) or an imported data set's name (GET /api/datasets).
    pub data_set: Option<String>,
}

/// The library's scenarios, parsed once (they are compiled into the binary).
fn library() -> Result<&'static [scenario::ListedScenario]> {
    static LIBRARY: std::sync::OnceLock<
        std::result::Result<Vec<scenario::ListedScenario>, String>,
    > = std::sync::OnceLock::new();
    LIBRARY
        .get_or_init(|| scenario::list().map_err(|e| e.to_string()))
        .as_deref()
        .map_err(|e| Error::Internal(e.clone()))
}

/// The scenarios a run may name: the library's, then the users', by name.
#[utoipa::path(get, path = "/api/scenarios", tag = "scenarios",
    responses((status = 200, body = Vec<ScenarioView>), (status = 401, body = crate::error::ErrorBody)))]
pub async fn list(state: web::Data<AppState>, _caller: Caller) -> Result<HttpResponse> {
    let mut views: Vec<ScenarioView> = library()?
        .iter()
        .map(|s| ScenarioView {
            name: s.name.clone(),
            description: s.description.clone(),
            disruptions: s.disruptions.clone(),
            source: "library".into(),
            data_set: super::datasets::DEFAULT.into(),
            created_by: None,
            created: None,
        })
        .collect();
    let rows = sqlx::query(
        "SELECT s.name, s.checked, s.created_ms, u.name AS created_by, d.name AS data_set FROM scenarios s \
         JOIN users u ON u.id = s.created_by LEFT JOIN datasets d ON d.id = s.data_set_id ORDER BY s.name",
    )
    .fetch_all(&state.db.pool)
    .await?;
    for row in rows {
        let checked: serde_json::Value =
            serde_json::from_str(&row.try_get::<String, _>("checked")?)
                .map_err(|e| Error::Internal(e.to_string()))?;
        views.push(ScenarioView {
            name: row.try_get("name")?,
            description: checked["description"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            disruptions: checked["kinds"]
                .as_array()
                .map(|k| {
                    k.iter()
                        .filter_map(|k| k.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default(),
            source: "user".into(),
            data_set: row
                .try_get::<Option<String>, _>("data_set")?
                .unwrap_or_else(|| super::datasets::DEFAULT.into()),
            created_by: Some(row.try_get("created_by")?),
            created: Some(rfc3339(row.try_get("created_ms")?)),
        });
    }
    Ok(HttpResponse::Ok().json(views))
}

/// A scenario a run names: a user's has its TOML and the data set it was checked against.
pub struct Resolved {
    /// `None`: a library scenario.
    pub toml: Option<String>,
    /// `None`: the embedded default.
    pub data_set: Option<DataSetRef>,
}

/// The scenario named `name`: the library's or a user's; 400 naming `field` otherwise.
pub async fn resolve(state: &AppState, field: &str, name: &str) -> Result<Resolved> {
    if name.is_empty() {
        return Err(Error::bad(
            field,
            "is empty: name a scenario (GET /api/scenarios)",
        ));
    }
    if library()?.iter().any(|s| s.name == name) {
        return Ok(Resolved {
            toml: None,
            data_set: None,
        });
    }
    let row = sqlx::query("SELECT toml, data_set_id FROM scenarios WHERE name = $1")
        .bind(name)
        .fetch_optional(&state.db.pool)
        .await?;
    match row {
        Some(row) => Ok(Resolved {
            toml: Some(row.try_get("toml")?),
            data_set: match row.try_get::<Option<i64>, _>("data_set_id")? {
                Some(id) => Some(super::datasets::by_id(&state.db, id).await?),
                None => None,
            },
        }),
        None => Err(Error::bad(
            field,
            format!(
                "`{}` is neither a library scenario nor a user's (GET /api/scenarios lists them)",
                name.chars().take(64).collect::<String>()
            ),
        )),
    }
}

/// What the check found: the scenario's name and the JSON to store.
struct Checked {
    name: String,
    stored: serde_json::Value,
}

/// Checks a scenario file as `ucodts scenario check [--data DIR]` does, in a temporary folder, against the
/// embedded default or the data set whose files are given; errors name the file (`scenario.toml`), line
/// and field.
fn check(toml: &str, data_files: Option<&Files>) -> Result<Checked> {
    let dir =
        tempfile::tempdir().map_err(|e| Error::Internal(format!("a temporary folder: {e}")))?;
    let data_dir = dir.path().join("data");
    if let Some(files) = data_files {
        super::datasets::write_files(files, &data_dir)
            .map_err(|e| Error::Internal(format!("writing a data set: {e}")))?;
    }
    let path = dir.path().join("scenario.toml");
    std::fs::write(&path, toml).map_err(|e| Error::Internal(format!("writing a scenario: {e}")))?;
    let path_text = path.display().to_string();
    let user_error = |e: ucodts_workflows::Error| {
        let mut text = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            text = format!("{text}: {s}");
            source = s.source();
        }
        Error::bad("toml", text.replace(&path_text, "scenario.toml"))
    };
    let (_, file, base_dir) = scenario::read(&path_text).map_err(user_error)?;
    if scenario::data_dir(&file, &base_dir, None).is_some() {
        return Err(Error::bad(
            "toml",
            "scenario.toml: field 'data': a user's scenario names its data set in the request's `data_set`, not in the file; remove the `data` line",
        ));
    }
    let name = file.name().to_string();
    if name.is_empty()
        || name.len() > 64
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(Error::bad(
            "toml",
            "scenario.toml: field 'name': 1 to 64 letters, digits, `-` or `_` (it names the scenario in runs)",
        ));
    }
    let checked = match data_files {
        Some(_) => scenario::check(&path_text, Some(&data_dir)).map_err(|e| {
            Error::bad(
                "toml",
                super::datasets::user_message(&e, &data_dir, "the imported data set")
                    .replace(&path_text, "scenario.toml"),
            )
        })?,
        None => scenario::check(&path_text, None).map_err(user_error)?,
    };
    let mut stored = serde_json::to_value(&checked).map_err(|e| Error::Internal(e.to_string()))?;
    stored["description"] = file.description().into();
    stored["kinds"] = file.kinds().into();
    stored["file"] = "scenario.toml".into();
    Ok(Checked { name, stored })
}

/// Adds a user's scenario (planner), checked against its data set first (`data_set`, default the embedded
/// default).
#[utoipa::path(post, path = "/api/scenarios", tag = "scenarios", request_body = NewScenario,
    responses((status = 201, description = "stored; the body is what `ucodts scenario check --json` reports", body = Object),
        (status = 400, description = "the scenario is invalid; the error names line and field", body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
        (status = 409, description = "the name is taken", body = crate::error::ErrorBody)))]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Bytes,
) -> Result<HttpResponse> {
    caller.require(&[Role::Planner])?;
    let request = super::json::<NewScenario>(&body)?;
    let toml = request.toml;
    if toml.len() > MAX_TOML_BYTES {
        return Err(Error::bad(
            "toml",
            format!("is longer than {MAX_TOML_BYTES} bytes"),
        ));
    }
    let data_set = match request.data_set.as_deref() {
        Some(name) => super::datasets::resolve(&state.db, "data_set", name).await?,
        None => None,
    };
    let data_files = match &data_set {
        Some(d) => Some(super::datasets::files(&state.db, d).await?),
        None => None,
    };
    let text = toml.clone();
    let checked = tokio::task::spawn_blocking(move || check(&text, data_files.as_ref()))
        .await
        .map_err(|e| Error::Internal(format!("checking a scenario: {e}")))??;
    if library()?.iter().any(|s| s.name == checked.name) {
        return Err(Error::Conflict(format!(
            "`{}` is a library scenario's name; give yours another `name`",
            checked.name
        )));
    }
    let mut write = state.db.write().await?;
    let taken = sqlx::query("SELECT id FROM scenarios WHERE name = $1")
        .bind(&checked.name)
        .fetch_optional(&mut *write.tx)
        .await?;
    if taken.is_some() {
        return Err(Error::Conflict(format!(
            "a scenario named `{}` exists",
            checked.name
        )));
    }
    let row = sqlx::query(
        "INSERT INTO scenarios (name, toml, checked, created_by, created_ms, data_set_id) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(&checked.name)
    .bind(&toml)
    .bind(checked.stored.to_string())
    .bind(caller.user_id)
    .bind(now_ms())
    .bind(data_set.as_ref().map(|d| d.id))
    .fetch_one(&mut *write.tx)
    .await?;
    let id: i64 = row.try_get("id")?;
    let actor = caller.actor();
    let content = match &data_set {
        Some(d) => serde_json::json!({ "name": checked.name, "toml": toml, "data_set": d }),
        None => serde_json::json!({ "name": checked.name, "toml": toml }),
    };
    audit::append(
        &mut write,
        &actor,
        "scenario.create",
        &format!("scenario/{id}"),
        &content,
    )
    .await?;
    write.commit().await?;
    Ok(HttpResponse::Created().json(checked.stored))
}
