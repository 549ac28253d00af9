-- Portable SQL: runs on H2 (default) and PostgreSQL 15.
-- The latest near-duplicate scan of each collection, and the groups it found (one row a group, its members
-- as a JSON array, ranked largest first). A scan left queued or running by a process that stopped is marked
-- failed at the next start.
CREATE TABLE duplicate_scans (
    collection_name VARCHAR(128)     NOT NULL PRIMARY KEY REFERENCES collections (name) ON DELETE CASCADE,
    scan_id         VARCHAR(36)      NOT NULL,
    state           VARCHAR(16)      NOT NULL,
    method          VARCHAR(16)      NOT NULL,
    threshold       DOUBLE PRECISION,
    calibration     VARCHAR(4000),
    images          INTEGER          NOT NULL,
    total           INTEGER,
    percent         DOUBLE PRECISION NOT NULL,
    eta_seconds     BIGINT,
    group_count     INTEGER,
    duplicate_count INTEGER,
    error           VARCHAR(4000),
    queued_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at      TIMESTAMP WITH TIME ZONE,
    finished_at     TIMESTAMP WITH TIME ZONE
);

CREATE TABLE duplicate_groups (
    scan_id         VARCHAR(36)      NOT NULL,
    collection_name VARCHAR(128)     NOT NULL REFERENCES collections (name) ON DELETE CASCADE,
    group_rank      INTEGER          NOT NULL,
    members         VARCHAR(1000000) NOT NULL,
    PRIMARY KEY (scan_id, group_rank)
);
