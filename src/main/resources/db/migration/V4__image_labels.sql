-- Portable SQL: runs on H2 (default) and PostgreSQL 15.
-- The labels of every live image's metadata (one per top-level key and value, a 128-bit hash as 32 hex
-- digits), so that a filtered search finds the images that match through an index. The service keeps them
-- in step with the images rows; V5 (a Java migration, LabelBackfill) fills them in for existing images.
CREATE TABLE image_labels (
    collection_name VARCHAR(128) NOT NULL,
    id              VARCHAR(256) NOT NULL,
    label           VARCHAR(32)  NOT NULL,
    PRIMARY KEY (collection_name, id, label)
);

CREATE INDEX image_labels_by_label ON image_labels (collection_name, label, id);
