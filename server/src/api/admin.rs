//! Users and API tokens (admin), and the service's own health and metrics (anonymous).

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use utoipa::ToSchema;

use crate::accounts;
use crate::auth::{Caller, Role};
use crate::db::rfc3339;
use crate::error::{Error, Result};
use crate::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub name: String,
    pub role: Role,
    /// At least 12 characters.
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct UserView {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub created: String,
}

/// Adds a user (admin).
#[utoipa::path(post, path = "/api/users", tag = "admin", request_body = NewUser,
    responses((status = 201, body = UserView), (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
        (status = 409, description = "the name is taken", body = crate::error::ErrorBody)))]
pub async fn add_user(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Bytes,
) -> Result<HttpResponse> {
    caller.require(&[Role::Admin])?;
    let body: NewUser = super::json(&body)?;
    let actor = caller.actor();
    let id = accounts::add_user(&state.db, &actor, &body.name, body.role, &body.password).await?;
    Ok(HttpResponse::Created().json(UserView {
        id,
        name: body.name.clone(),
        role: body.role,
        created: rfc3339(crate::db::now_ms()),
    }))
}

/// The users (admin).
#[utoipa::path(get, path = "/api/users", tag = "admin",
    responses((status = 200, body = Vec<UserView>), (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_users(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse> {
    caller.require(&[Role::Admin])?;
    let rows = sqlx::query("SELECT id, name, role, created_ms FROM users ORDER BY id")
        .fetch_all(&state.db.pool)
        .await?;
    let users = rows
        .iter()
        .map(|r| {
            let role: String = r.try_get("role")?;
            Ok(UserView {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                role: role.parse().map_err(Error::Internal)?,
                created: rfc3339(r.try_get("created_ms")?),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(HttpResponse::Ok().json(users))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    /// The user the token acts as (a `feed` user for the movement feed, say).
    pub user: String,
    /// What the token is for, in words.
    pub label: String,
}

#[derive(Serialize, ToSchema)]
pub struct TokenView {
    pub id: i64,
    pub user: String,
    pub label: String,
    /// The token: send it as `Authorization: Bearer TOKEN`. Shown this once; only its hash is stored.
    pub token: String,
}

/// Creates an API token for a user (admin).
#[utoipa::path(post, path = "/api/tokens", tag = "admin", request_body = NewToken,
    responses((status = 201, body = TokenView), (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn create_token(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Bytes,
) -> Result<HttpResponse> {
    caller.require(&[Role::Admin])?;
    let body: NewToken = super::json(&body)?;
    let label = body.label.trim();
    if label.is_empty() || label.chars().count() > 128 {
        return Err(Error::bad("label", "must be 1 to 128 characters"));
    }
    let actor = caller.actor();
    let (id, token) = accounts::create_token(&state.db, &actor, &body.user, label).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Cache-Control", "no-store"))
        .json(TokenView {
            id,
            user: body.user.clone(),
            label: label.to_string(),
            token,
        }))
}

/// An API token as listed: never the token itself (only its hash is kept).
#[derive(Serialize, ToSchema)]
pub struct TokenListed {
    pub id: i64,
    pub user: String,
    pub label: String,
    pub created: String,
    /// When it was revoked; `null` while it works.
    pub revoked: Option<String>,
}

/// The API tokens, oldest first (admin).
#[utoipa::path(get, path = "/api/tokens", tag = "admin",
    responses((status = 200, body = Vec<TokenListed>), (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_tokens(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse> {
    caller.require(&[Role::Admin])?;
    let rows = sqlx::query(
        "SELECT t.id, u.name, t.label, t.created_ms, t.revoked_ms FROM api_tokens t \
         JOIN users u ON u.id = t.user_id ORDER BY t.id",
    )
    .fetch_all(&state.db.pool)
    .await?;
    let tokens = rows
        .iter()
        .map(|r| {
            Ok(TokenListed {
                id: r.try_get("id")?,
                user: r.try_get("name")?,
                label: r.try_get("label")?,
                created: rfc3339(r.try_get("created_ms")?),
                revoked: r.try_get::<Option<i64>, _>("revoked_ms")?.map(rfc3339),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(HttpResponse::Ok().json(tokens))
}

/// Revokes an API token (admin): from now on it is answered 401.
#[utoipa::path(delete, path = "/api/tokens/{id}", tag = "admin",
    params(("id" = i64, Path, description = "the token's id (GET /api/tokens)")),
    responses((status = 204, description = "revoked"), (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody),
        (status = 409, description = "already revoked", body = crate::error::ErrorBody)))]
pub async fn revoke_token(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> Result<HttpResponse> {
    caller.require(&[Role::Admin])?;
    let actor = caller.actor();
    let id = id.into_inner();
    accounts::revoke_token(&state.db, &actor, id).await?;
    state.credentials.forget_token(id);
    Ok(HttpResponse::NoContent().finish())
}

/// Alive: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "service", responses((status = 200, description = "ok", body = String)))]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok\n")
}

/// Ready: the database answers.
#[utoipa::path(get, path = "/readyz", tag = "service",
    responses((status = 200, description = "ready", body = String), (status = 503, description = "the database does not answer", body = String)))]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    match sqlx::query("SELECT 1").execute(&state.db.pool).await {
        Ok(_) => HttpResponse::Ok()
            .content_type("text/plain")
            .body("ready\n"),
        Err(e) => {
            tracing::warn!(error = %e, "not ready");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain")
                .body("the database does not answer\n")
        }
    }
}

/// Prometheus metrics (text exposition format).
#[utoipa::path(get, path = "/metrics", tag = "service",
    responses((status = 200, description = "Prometheus text format 0.0.4", body = String)))]
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(state.metrics.render(&state))
}
