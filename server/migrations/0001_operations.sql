-- The operations service's tables. Written once for SQLite and PostgreSQL: `{ID}` becomes the dialect's
-- auto-numbered primary key (db.rs). Times are milliseconds since 1970 UTC; JSON is stored as text.

CREATE TABLE users (
    id {ID},
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);

-- Machine tokens: only a SHA-256 of the token is kept; the token itself is shown once.
CREATE TABLE api_tokens (
    id {ID},
    user_id BIGINT NOT NULL REFERENCES users (id),
    label TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_ms BIGINT NOT NULL,
    revoked_ms BIGINT
);

-- Server-side sessions: the cookie holds the id, the table its SHA-256.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL
);

-- Jobs. `instance` names the server process that owns a queued or running run, so that a run left behind
-- by a killed process is recognised on restart and a late result of that process is not written over it.
CREATE TABLE runs (
    id {ID},
    kind TEXT NOT NULL,
    request TEXT NOT NULL,
    status TEXT NOT NULL,
    progress TEXT,
    result TEXT,
    error TEXT,
    created_by BIGINT NOT NULL REFERENCES users (id),
    instance TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    started_ms BIGINT,
    finished_ms BIGINT
);

CREATE TABLE plans (
    id {ID},
    run_id BIGINT NOT NULL REFERENCES runs (id),
    rank BIGINT NOT NULL,
    policy TEXT NOT NULL,
    recommended BIGINT NOT NULL,
    plan TEXT NOT NULL,
    UNIQUE (run_id, rank)
);

CREATE TABLE decisions (
    id {ID},
    plan_id BIGINT NOT NULL UNIQUE REFERENCES plans (id),
    run_id BIGINT NOT NULL REFERENCES runs (id),
    decision TEXT NOT NULL,
    reason TEXT NOT NULL,
    decided_by BIGINT NOT NULL REFERENCES users (id),
    decided_ms BIGINT NOT NULL
);
-- At most one accepted plan per run: the backstop of the check that answers 409 with why.
CREATE UNIQUE INDEX decisions_one_accept_per_run ON decisions (run_id) WHERE decision = 'accept';

CREATE TABLE incidents (
    id {ID},
    category TEXT NOT NULL,
    flight TEXT,
    tail TEXT,
    crew TEXT,
    narrative TEXT NOT NULL,
    reported_by BIGINT NOT NULL REFERENCES users (id),
    reported_ms BIGINT NOT NULL
);

CREATE TABLE scenarios (
    id {ID},
    name TEXT NOT NULL UNIQUE,
    toml TEXT NOT NULL,
    -- What the check of the scenario against its data set reported (JSON).
    checked TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_ms BIGINT NOT NULL
);

-- The audit log, a hash chain: `seq` is 1, 2, 3, ... with no gap, and `hash` covers the row and the
-- previous row's hash (audit.rs).
CREATE TABLE audit (
    seq BIGINT PRIMARY KEY,
    at_ms BIGINT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT NOT NULL,
    action TEXT NOT NULL,
    object TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
