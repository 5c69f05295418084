-- Data sets as objects of the service (server/src/api/datasets.rs). `{ID}` as in 0001. The embedded default
-- is not a row: it is built into the binary and always listed, as `default`.

-- An imported native data set (docs/native-format.md), checked by the same loader as the binary's before
-- it is stored. `content_hash` is the SHA-256 over its files (datasets.rs: `content_hash`); a run names the
-- data set and keeps that hash in its request.
CREATE TABLE datasets (
    id {ID},
    name TEXT NOT NULL UNIQUE,
    -- The manifest's `name` and `source`.
    manifest_name TEXT NOT NULL,
    source TEXT NOT NULL,
    -- What `ucodts data inspect --json` reports of it, without the per-day list (JSON).
    summary TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    bytes BIGINT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_ms BIGINT NOT NULL
);

-- Its files as uploaded: manifest.json and the CSV files the manifest lists (UTF-8 text).
CREATE TABLE dataset_files (
    dataset_id BIGINT NOT NULL REFERENCES datasets (id),
    name TEXT NOT NULL,
    content TEXT NOT NULL,
    PRIMARY KEY (dataset_id, name)
);

-- The data set a user's scenario was checked against (NULL: the embedded default); its runs use it
-- unless they name another.
ALTER TABLE scenarios ADD COLUMN data_set_id BIGINT REFERENCES datasets (id);
