-- The live feed (server/src/api/live.rs). `{ID}` as in 0001. Times are milliseconds since 1970 UTC.

-- Every accepted feed event, in the canonical JSON-lines form, stored before it is acknowledged; the
-- live state is these rows applied in id order.
CREATE TABLE IF NOT EXISTS live_events (
    id {ID},
    sequence BIGINT NOT NULL UNIQUE,
    event TEXT NOT NULL,
    received_by BIGINT NOT NULL,
    received_ms BIGINT NOT NULL
);

-- Every refused message or line with why: never silently dropped.
CREATE TABLE IF NOT EXISTS live_dead_letters (
    id {ID},
    kind TEXT NOT NULL,
    reason TEXT NOT NULL,
    message TEXT NOT NULL,
    received_by BIGINT NOT NULL,
    received_ms BIGINT NOT NULL
);
