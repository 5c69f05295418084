//! Logging in and out, and who the caller is.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::audit::{self, Actor};
use crate::auth::{self, Caller, Credential, Role, SESSION_COOKIE, SESSION_LIFETIME_MS};
use crate::db::now_ms;
use crate::error::{Error, Result};
use crate::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub name: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    pub name: String,
    pub role: Role,
    /// Send this back in the `X-CSRF-Token` header on every request that changes state.
    pub csrf_token: String,
    /// When the session ends, RFC 3339.
    pub expires: String,
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    pub name: String,
    pub role: Role,
    /// `session` or `token`.
    pub via: String,
}

/// `; Secure` when the server is reached over HTTPS (`ucodts serve --secure-cookies`).
fn secure(state: &AppState) -> &'static str {
    match state.secure_cookies {
        true => "; Secure",
        false => "",
    }
}

/// Logs in: sets the HttpOnly, SameSite=Strict session cookie and returns the CSRF token.
#[utoipa::path(post, path = "/api/login", tag = "session", request_body = LoginRequest,
    responses(
        (status = 200, description = "logged in; the session cookie is set", body = LoginResponse),
        (status = 400, description = "a field is missing", body = crate::error::ErrorBody),
        (status = 401, description = "wrong name or password", body = crate::error::ErrorBody),
        (status = 429, description = "too many failed logins", body = crate::error::ErrorBody)))]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse> {
    let ip = req.peer_addr().map(|a| a.ip());
    let body: LoginRequest = super::json(&body)?;
    if body.name.is_empty() {
        return Err(Error::bad("name", "is empty"));
    }
    if body.name.len() > 64 {
        return Err(Error::bad("name", "is longer than 64 characters"));
    }
    state.logins.check(&body.name, ip)?;
    let Some(user) = auth::check_login(&state.db, &body.name, &body.password).await? else {
        state.logins.failed(&body.name, ip);
        tracing::warn!(user = %body.name, "failed login");
        return Err(Error::Unauthorized("wrong name or password".into()));
    };
    state.logins.succeeded(&body.name);
    let session = auth::random_hex();
    let csrf_token = auth::random_hex();
    let expires_ms = now_ms() + SESSION_LIFETIME_MS;
    let mut write = state.db.write().await?;
    sqlx::query("DELETE FROM sessions WHERE expires_ms <= $1")
        .bind(now_ms())
        .execute(&mut *write.tx)
        .await?;
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, csrf_token, created_ms, expires_ms) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(auth::sha256_hex(session.as_bytes()))
    .bind(user.user_id)
    .bind(&csrf_token)
    .bind(now_ms())
    .bind(expires_ms)
    .execute(&mut *write.tx)
    .await?;
    let actor = Actor {
        name: &body.name,
        role: user.role.name(),
    };
    let content = serde_json::json!({ "user": body.name, "expires_ms": expires_ms });
    audit::append(
        &mut write,
        &actor,
        "session.login",
        &format!("user/{}", user.user_id),
        &content,
    )
    .await?;
    write.commit().await?;
    tracing::info!(user = %body.name, role = %user.role, "logged in");
    let cookie = format!(
        "{SESSION_COOKIE}={session}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{}",
        SESSION_LIFETIME_MS / 1000,
        secure(&state)
    );
    Ok(HttpResponse::Ok()
        .insert_header(("Set-Cookie", cookie))
        .insert_header(("Cache-Control", "no-store"))
        .json(LoginResponse {
            name: body.name.clone(),
            role: user.role,
            csrf_token,
            expires: crate::db::rfc3339(expires_ms),
        }))
}

/// Ends the caller's session (a token stays valid: an admin revokes it).
#[utoipa::path(post, path = "/api/logout", tag = "session",
    responses((status = 204, description = "logged out"), (status = 401, body = crate::error::ErrorBody),
        (status = 403, description = "X-CSRF-Token missing", body = crate::error::ErrorBody)))]
pub async fn logout(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse> {
    if let Credential::Session { id_hash } = &caller.credential {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&state.db.pool)
            .await?;
        state.credentials.forget_session(id_hash);
    }
    Ok(HttpResponse::NoContent()
        .insert_header((
            "Set-Cookie",
            format!(
                "{SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0{}",
                secure(&state)
            ),
        ))
        .finish())
}

/// The caller's name and role.
#[utoipa::path(get, path = "/api/me", tag = "session",
    responses((status = 200, body = Me), (status = 401, body = crate::error::ErrorBody)))]
pub async fn me(caller: Caller) -> web::Json<Me> {
    web::Json(Me {
        name: caller.name,
        role: caller.role,
        via: match caller.credential {
            Credential::Session { .. } => "session".into(),
            Credential::Token => "token".into(),
        },
    })
}
