//! The server's one error type and how each kind answers over HTTP: a client's mistake is a 4xx whose body
//! names the field, anything else a 500 whose details stay in the log.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// 400: the request is malformed or a field is out of range; `field` names it.
    #[error("{field}: {message}")]
    BadRequest { field: String, message: String },
    /// 401: no credentials, or credentials that are not (or no longer) valid.
    #[error("{0}")]
    Unauthorized(String),
    /// 403: known caller, not allowed (role, CSRF token).
    #[error("{0}")]
    Forbidden(String),
    /// 404: no such object.
    #[error("{0}")]
    NotFound(String),
    /// 409: refused because of the state of things (a second accept in a run).
    #[error("{0}")]
    Conflict(String),
    /// 429: too many failed logins.
    #[error("{message}")]
    TooManyRequests { message: String, retry_after_s: u64 },
    /// 503: the job queue is full, or the server is stopping.
    #[error("{0}")]
    Unavailable(String),
    /// A bad `--db` or another setting; the message says which.
    #[error("{0}")]
    Config(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{0}")]
    Internal(String),
}

impl Error {
    pub fn bad(field: &str, message: impl Into<String>) -> Error {
        Error::BadRequest {
            field: field.to_string(),
            message: message.into(),
        }
    }
}

/// What every error answer carries.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What went wrong, in words.
    pub error: String,
    /// The request field at fault, for a 400.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ResponseError for Error {
    fn status_code(&self) -> StatusCode {
        match self {
            Error::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Error::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Error::Forbidden(_) => StatusCode::FORBIDDEN,
            Error::NotFound(_) => StatusCode::NOT_FOUND,
            Error::Conflict(_) => StatusCode::CONFLICT,
            Error::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Error::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let body = match self {
            Error::BadRequest { field, message } => ErrorBody {
                error: format!("{field}: {message}"),
                field: Some(field.clone()),
            },
            _ if status.is_server_error() && status != StatusCode::SERVICE_UNAVAILABLE => {
                tracing::error!(error = %self, "request failed");
                ErrorBody {
                    error: "internal error (the server's log has the details)".into(),
                    field: None,
                }
            }
            _ => ErrorBody {
                error: self.to_string(),
                field: None,
            },
        };
        let mut response = HttpResponse::build(status);
        if let Error::TooManyRequests { retry_after_s, .. } = self {
            response.insert_header(("Retry-After", retry_after_s.to_string()));
        }
        if status == StatusCode::UNAUTHORIZED {
            response.insert_header(("WWW-Authenticate", "Bearer"));
        }
        response.json(body)
    }
}
