//! What the server tests share: a database of each kind (an SQLite file always; PostgreSQL when
//! UCODTS_TEST_POSTGRES_URL names one, each test in its own schema), users of every role with API tokens,
//! and requests to the real app (routes, middleware, extractors) through actix's test service.

#![allow(dead_code)]

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::header::HeaderMap;
use actix_web::test::{self, TestRequest};
use actix_web::web;
use serde_json::Value;
use ucodts_server::audit::Actor;
use ucodts_server::auth::Role;
use ucodts_server::{accounts, AppState};

/// A database for one test; the SQLite folder or the PostgreSQL schema goes away with `cleanup`.
pub struct TestDb {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    postgres: Option<(String, String)>,
}

impl TestDb {
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("a temporary folder");
        TestDb {
            url: format!("sqlite://{}/ops.db", dir.path().display()),
            _dir: Some(dir),
            postgres: None,
        }
    }

    /// A fresh schema on the PostgreSQL of UCODTS_TEST_POSTGRES_URL, or `None` (said on stderr) without
    /// it; under UCODTS_REQUIRE_EXTERNAL=1 a missing URL fails the test instead.
    pub async fn postgres(test: &str) -> Option<TestDb> {
        let Ok(base) = std::env::var("UCODTS_TEST_POSTGRES_URL") else {
            if std::env::var("UCODTS_REQUIRE_EXTERNAL").as_deref() == Ok("1") {
                panic!("{test}: UCODTS_TEST_POSTGRES_URL is not set, and UCODTS_REQUIRE_EXTERNAL=1 lets no test skip (.ci/run sets it to the local PostgreSQL)");
            }
            eprintln!("{test}: skipped on PostgreSQL: set UCODTS_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test to run it");
            return None;
        };
        let schema = format!("ucodts_{}_{}", test, std::process::id());
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&base)
            .await
            .unwrap_or_else(|e| panic!("{test}: connecting to UCODTS_TEST_POSTGRES_URL: {e}"));
        sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query(&format!("CREATE SCHEMA {schema}"))
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
        let sep = if base.contains('?') { '&' } else { '?' };
        Some(TestDb {
            url: format!("{base}{sep}options=-c%20search_path%3D{schema}"),
            _dir: None,
            postgres: Some((base, schema)),
        })
    }

    pub async fn cleanup(self) {
        if let Some((base, schema)) = &self.postgres {
            let pool = sqlx::AnyPool::connect(base).await.unwrap();
            sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                .execute(&pool)
                .await
                .unwrap();
            pool.close().await;
        }
    }
}

/// Runs a test body on SQLite, and on PostgreSQL when there is one.
#[macro_export]
macro_rules! on_both {
    ($body:ident: $($name:ident => $backend:ident),* $(,)?) => {$(
        #[actix_web::test]
        async fn $name() {
            let db = match stringify!($backend) {
                "sqlite" => common::TestDb::sqlite(),
                _ => match common::TestDb::postgres(stringify!($name)).await {
                    Some(db) => db,
                    None => return,
                },
            };
            $body(&db.url).await;
            db.cleanup().await;
        }
    )*};
}

pub const PASSWORD: &str = "a long enough test password";

/// One user per role, named after it, each with an API token: (role, token).
pub async fn users(state: &web::Data<AppState>) -> Vec<(Role, String)> {
    let cli = Actor {
        name: "test",
        role: "admin",
    };
    let mut tokens = Vec::new();
    for role in Role::ALL {
        accounts::add_user(&state.db, &cli, role.name(), role, PASSWORD)
            .await
            .unwrap();
        let (_, token) = accounts::create_token(&state.db, &cli, role.name(), "tests")
            .await
            .unwrap();
        tokens.push((role, token));
    }
    tokens
}

pub fn token(tokens: &[(Role, String)], role: Role) -> String {
    tokens.iter().find(|(r, _)| *r == role).unwrap().1.clone()
}

/// An answer: status, headers, body (JSON when it is JSON, else a string).
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

pub async fn call<S, B>(app: &S, req: TestRequest) -> Answer
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let res = test::call_service(app, req.to_request()).await;
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let bytes = test::read_body(res).await;
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    Answer {
        status,
        headers,
        body,
    }
}

/// A request with a Bearer token.
pub fn with_token(req: TestRequest, token: &str) -> TestRequest {
    req.insert_header(("Authorization", format!("Bearer {token}")))
}

/// What a viewer gets from `GET uri` on a server opened anew on the database at `url` (one worker, four
/// connections): for the tests that restart the server and compare what it rebuilt from what it stored.
pub async fn after_restart(url: &str, uri: &str) -> Value {
    let state = AppState::open(url, 1, 4).await.unwrap();
    let app =
        test::init_service(actix_web::App::new().configure(ucodts_server::routes(state.clone())))
            .await;
    let cli = Actor {
        name: "test",
        role: "admin",
    };
    let (_, viewer) = accounts::create_token(&state.db, &cli, "viewer", "after restart")
        .await
        .unwrap();
    call(&app, with_token(TestRequest::get().uri(uri), &viewer))
        .await
        .body
}
