//! Users and API tokens: adding them (from the API or `ucodts user add`), each with its audit row.

use sqlx::Row;

use crate::audit::{self, Actor};
use crate::auth::{self, Role};
use crate::db::{now_ms, Db};
use crate::error::{Error, Result};

/// Adds a user with an argon2id hash of the password; 409 when the name is taken. Returns the user's id.
pub async fn add_user(
    db: &Db,
    actor: &Actor<'_>,
    name: &str,
    role: Role,
    password: &str,
) -> Result<i64> {
    auth::check_user_name(name)?;
    let password = password.to_string();
    let phc = tokio::task::spawn_blocking(move || auth::hash_password(&password))
        .await
        .map_err(|e| Error::Internal(format!("hashing a password: {e}")))??;
    let mut write = db.write().await?;
    let taken = sqlx::query("SELECT id FROM users WHERE name = $1")
        .bind(name)
        .fetch_optional(&mut *write.tx)
        .await?;
    if taken.is_some() {
        return Err(Error::Conflict(format!("a user named `{name}` exists")));
    }
    let row = sqlx::query(
        "INSERT INTO users (name, role, password_hash, created_ms) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(name)
    .bind(role.name())
    .bind(&phc)
    .bind(now_ms())
    .fetch_one(&mut *write.tx)
    .await?;
    let id: i64 = row.try_get("id")?;
    // The content hash covers name and role, never the password or its hash.
    let content = serde_json::json!({ "id": id, "name": name, "role": role.name() });
    audit::append(
        &mut write,
        actor,
        "user.add",
        &format!("user/{id}"),
        &content,
    )
    .await?;
    write.commit().await?;
    Ok(id)
}

/// A new API token for a user: returns the token, shown this once (only its SHA-256 is stored).
pub async fn create_token(
    db: &Db,
    actor: &Actor<'_>,
    user: &str,
    label: &str,
) -> Result<(i64, String)> {
    let mut write = db.write().await?;
    let user_id: i64 = sqlx::query("SELECT id FROM users WHERE name = $1")
        .bind(user)
        .fetch_optional(&mut *write.tx)
        .await?
        .ok_or_else(|| {
            Error::bad(
                "user",
                format!(
                    "no user named `{}`",
                    user.chars().take(64).collect::<String>()
                ),
            )
        })?
        .try_get("id")?;
    let token = format!("ucodts_{}", auth::random_hex());
    let row = sqlx::query(
        "INSERT INTO api_tokens (user_id, label, token_hash, created_ms) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(user_id)
    .bind(label)
    .bind(auth::sha256_hex(token.as_bytes()))
    .bind(now_ms())
    .fetch_one(&mut *write.tx)
    .await?;
    let id: i64 = row.try_get("id")?;
    let content = serde_json::json!({ "id": id, "user": user, "label": label });
    audit::append(
        &mut write,
        actor,
        "token.create",
        &format!("token/{id}"),
        &content,
    )
    .await?;
    write.commit().await?;
    Ok((id, token))
}

/// Revokes an API token: it opens nothing from now on (the row stays, with when). 404 for no such token,
/// 409 when it is already revoked.
pub async fn revoke_token(db: &Db, actor: &Actor<'_>, id: i64) -> Result<()> {
    let mut write = db.write().await?;
    let row = sqlx::query(
        "SELECT t.revoked_ms, t.label, u.name FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *write.tx)
    .await?
    .ok_or_else(|| Error::NotFound(format!("no API token {id}")))?;
    if let Some(ms) = row.try_get::<Option<i64>, _>("revoked_ms")? {
        return Err(Error::Conflict(format!(
            "API token {id} was revoked at {}",
            crate::db::rfc3339(ms)
        )));
    }
    let revoked_ms = now_ms();
    sqlx::query("UPDATE api_tokens SET revoked_ms = $1 WHERE id = $2")
        .bind(revoked_ms)
        .bind(id)
        .execute(&mut *write.tx)
        .await?;
    let user: String = row.try_get("name")?;
    let label: String = row.try_get("label")?;
    let content =
        serde_json::json!({ "id": id, "user": user, "label": label, "revoked_ms": revoked_ms });
    audit::append(
        &mut write,
        actor,
        "token.revoke",
        &format!("token/{id}"),
        &content,
    )
    .await?;
    write.commit().await?;
    Ok(())
}

/// How many users there are (the first start with none prints how to add the admin).
pub async fn user_count(db: &Db) -> Result<i64> {
    Ok(sqlx::query("SELECT COUNT(*) AS n FROM users")
        .fetch_one(&db.pool)
        .await?
        .try_get("n")?)
}
