-- Portable SQL: runs on H2 (default) and PostgreSQL 15.
CREATE TABLE collections (
    name            VARCHAR(128) NOT NULL PRIMARY KEY,
    model_id        VARCHAR(128) NOT NULL,
    dimension       INTEGER      NOT NULL,
    distance        VARCHAR(16)  NOT NULL,
    index_type      VARCHAR(16)  NOT NULL,
    hnsw_m          INTEGER      NOT NULL,
    hnsw_ef_construction INTEGER NOT NULL,
    hnsw_ef         INTEGER      NOT NULL,
    last_seq        BIGINT       NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL
);

-- One row per image id; a delete keeps a tombstone row (deleted = TRUE, vector NULL) so that an index
-- snapshot older than the delete can replay it.
CREATE TABLE images (
    collection_name VARCHAR(128) NOT NULL REFERENCES collections (name) ON DELETE CASCADE,
    id              VARCHAR(256) NOT NULL,
    seq             BIGINT       NOT NULL,
    deleted         BOOLEAN      NOT NULL,
    model_id        VARCHAR(128),
    vector          BYTEA,
    metadata        VARCHAR(65536),
    blob_sha256     VARCHAR(64),
    content_type    VARCHAR(64),
    width           INTEGER,
    height          INTEGER,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (collection_name, id)
);

CREATE INDEX images_by_seq ON images (collection_name, seq);
