-- Portable SQL: runs on H2 (default) and PostgreSQL 15.
-- JSON documents are kept as text: the service reads and writes them whole.
CREATE TABLE training_jobs (
    id          VARCHAR(64)      NOT NULL PRIMARY KEY,
    state       VARCHAR(16)      NOT NULL,
    request     VARCHAR(1000000) NOT NULL,
    progress    VARCHAR(1000000),
    epochs      VARCHAR(1000000),
    model_id    VARCHAR(128),
    error       VARCHAR(4000),
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at  TIMESTAMP WITH TIME ZONE,
    finished_at TIMESTAMP WITH TIME ZONE
);

CREATE INDEX training_jobs_by_state ON training_jobs (state);
