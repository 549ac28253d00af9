-- Portable SQL: runs on H2 (default) and PostgreSQL 15.
-- The 64-bit DCT perceptual hash of each image stored from now on (null for a client's vector and for the
-- images stored before this column: hash checks do not see those yet), and an index to find identical bytes
-- in a collection.
ALTER TABLE images ADD COLUMN phash BIGINT;

CREATE INDEX images_by_blob ON images (collection_name, blob_sha256);
