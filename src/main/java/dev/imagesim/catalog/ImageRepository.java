package dev.imagesim.catalog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code images} table, tombstones included. */
@Repository
class ImageRepository {

    /** One change for index replay: a live vector, or a delete when {@code vector} is null. */
    record Change(String id, long sequence, float[] vector) {
    }

    /** Every column of an image but its vector. */
    private static final String LISTED = "collection_name, id, seq, model_id, metadata, blob_sha256, "
            + "content_type, width, height, created_at, updated_at, phash";
    private static final String COLUMNS = LISTED + ", vector";

    /** Ids in one key-list query: two bind parameters each. */
    static final int IDS_PER_QUERY = 500;

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    ImageRepository(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    /** Inserts or replaces an image; true when the id was not live before. */
    boolean upsert(ImageRecord r) {
        boolean existedLive = existsLive(r.collection(), r.id());
        OffsetDateTime now = OffsetDateTime.ofInstant(r.updatedAt(), ZoneOffset.UTC);
        int updated = jdbc.sql("UPDATE images SET seq = ?, deleted = FALSE, model_id = ?, vector = ?, metadata = ?, "
                        + "blob_sha256 = ?, content_type = ?, width = ?, height = ?, phash = ?, updated_at = ?, "
                        + "created_at = CASE WHEN deleted THEN ? ELSE created_at END "
                        + "WHERE collection_name = ? AND id = ?")
                .params(r.sequence(), r.modelId(), VectorCodec.encode(r.vector()), r.metadataJson(), r.blobSha256(),
                        r.contentType(), r.width(), r.height(), r.perceptualHash(), now, now, r.collection(), r.id())
                .update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO images (collection_name, id, seq, deleted, model_id, vector, metadata, blob_sha256, "
                            + "content_type, width, height, phash, created_at, updated_at) "
                            + "VALUES (?, ?, ?, FALSE, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(r.collection(), r.id(), r.sequence(), r.modelId(), VectorCodec.encode(r.vector()),
                            r.metadataJson(), r.blobSha256(), r.contentType(), r.width(), r.height(),
                            r.perceptualHash(), now, now)
                    .update();
        }
        return !existedLive;
    }

    /** Turns a live image into a tombstone; false when no live image has this id. */
    boolean markDeleted(String collection, String id, long sequence, java.time.Instant at) {
        return jdbc.sql("UPDATE images SET deleted = TRUE, seq = ?, vector = NULL, metadata = NULL, updated_at = ? "
                        + "WHERE collection_name = ? AND id = ? AND deleted = FALSE")
                .params(sequence, OffsetDateTime.ofInstant(at, ZoneOffset.UTC), collection, id)
                .update() == 1;
    }

    boolean existsLive(String collection, String id) {
        return jdbc.sql("SELECT COUNT(*) FROM images WHERE collection_name = ? AND id = ? AND deleted = FALSE")
                .params(collection, id).query(Long.class).single() > 0;
    }

    /** Up to {@code limit} live images after {@code afterId} in id order, without their vectors. */
    List<ImageRecord> page(String collection, String afterId, int limit) {
        return jdbc.sql("SELECT " + LISTED + " FROM images WHERE collection_name = ? AND deleted = FALSE AND id > ? "
                        + "ORDER BY id LIMIT ?")
                .params(collection, afterId, limit)
                .query((rs, row) -> map(rs, null))
                .list();
    }

    /** Up to {@code limit} live images after {@code afterId} in id order: id, vector and metadata. */
    List<VectorRow> vectors(String collection, String afterId, int limit) {
        return jdbc.sql("SELECT id, vector, metadata FROM images WHERE collection_name = ? AND deleted = FALSE "
                        + "AND id > ? ORDER BY id LIMIT ?")
                .params(collection, afterId, limit)
                .query((rs, row) -> new VectorRow(rs.getString("id"), VectorCodec.decode(rs.getBytes("vector")),
                        rs.getString("metadata")))
                .list();
    }

    /** The live images of {@code collection} whose original has this SHA-256. */
    List<String> idsWithBlob(String collection, String sha256) {
        return jdbc.sql("SELECT id FROM images WHERE collection_name = ? AND blob_sha256 = ? AND deleted = FALSE "
                        + "ORDER BY id")
                .params(collection, sha256).query(String.class).list();
    }

    /** Up to {@code limit} live images after {@code afterId} in id order that have original bytes. */
    List<ImageHash> hashes(String collection, String afterId, int limit) {
        return jdbc.sql("SELECT id, blob_sha256, phash FROM images WHERE collection_name = ? AND deleted = FALSE "
                        + "AND blob_sha256 IS NOT NULL AND id > ? ORDER BY id LIMIT ?")
                .params(collection, afterId, limit)
                .query((rs, row) -> new ImageHash(rs.getString("id"), rs.getString("blob_sha256"),
                        rs.getObject("phash", Long.class)))
                .list();
    }

    Optional<ImageRecord> find(String collection, String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM images WHERE collection_name = ? AND id = ? AND deleted = FALSE")
                .params(collection, id).query((rs, row) -> map(rs, VectorCodec.decode(rs.getBytes("vector"))))
                .optional();
    }

    /** The metadata of the live images among {@code ids}, by id. */
    Map<String, LiveMetadata> metadata(String collection, Collection<String> ids) {
        Map<String, LiveMetadata> metadata = new HashMap<>();
        for (List<String> chunk : chunks(ids)) {
            jdbc.sql("SELECT id, seq, metadata FROM images WHERE deleted = FALSE AND " + keyList(chunk.size()))
                    .params(keyParameters(collection, chunk))
                    .query((ResultSet rs) -> {
                        metadata.put(rs.getString("id"), new LiveMetadata(rs.getLong("seq"), rs.getString("metadata")));
                    });
        }
        return metadata;
    }

    /**
     * Up to {@code limit} live images that have an original but no perceptual hash, after ({@code collection},
     * {@code id}) in key order, as (collection, id, blob SHA-256).
     */
    List<String[]> unhashed(String afterCollection, String afterId, int limit) {
        return jdbc.sql("SELECT collection_name, id, blob_sha256 FROM images WHERE deleted = FALSE AND phash IS NULL "
                        + "AND blob_sha256 IS NOT NULL AND (collection_name, id) > (?, ?) "
                        + "ORDER BY collection_name, id LIMIT ?")
                .params(afterCollection, afterId, limit)
                .query((rs, row) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)})
                .list();
    }

    /** Sets an image's perceptual hash unless its original changed since it was read. */
    void setPerceptualHash(String collection, String id, String blobSha256, long hash) {
        jdbc.sql("UPDATE images SET phash = ? WHERE collection_name = ? AND id = ? AND blob_sha256 = ? "
                        + "AND deleted = FALSE")
                .params(hash, collection, id, blobSha256).update();
    }

    /** The vectors of those ids that are live, by id. */
    Map<String, float[]> vectors(String collection, Collection<String> ids) {
        Map<String, float[]> vectors = new HashMap<>();
        for (List<String> chunk : chunks(ids)) {
            jdbc.sql("SELECT id, vector FROM images WHERE deleted = FALSE AND " + keyList(chunk.size()))
                    .params(keyParameters(collection, chunk))
                    .query((ResultSet rs) -> {
                        vectors.put(rs.getString("id"), VectorCodec.decode(rs.getBytes("vector")));
                    });
        }
        return vectors;
    }

    /**
     * {@code ids} in pieces of at most {@link #IDS_PER_QUERY}: a query with a key list of them stays far below
     * PostgreSQL's 65,535 bind parameters and H2's statement size, whatever the caller asks for.
     */
    private static List<List<String>> chunks(Collection<String> ids) {
        List<String> all = List.copyOf(ids);
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < all.size(); from += IDS_PER_QUERY) {
            chunks.add(all.subList(from, Math.min(all.size(), from + IDS_PER_QUERY)));
        }
        return chunks;
    }

    /**
     * {@code (collection_name, id) IN ((?, ?), …)}: a lookup by primary key per id. The form
     * {@code collection_name = ? AND id IN (…)} makes H2 scan the whole collection.
     */
    private static String keyList(int count) {
        return "(collection_name, id) IN (" + String.join(", ", Collections.nCopies(count, "(?, ?)")) + ")";
    }

    private static List<Object> keyParameters(String collection, Collection<String> ids) {
        List<Object> params = new ArrayList<>(2 * ids.size());
        for (String id : ids) {
            params.add(collection);
            params.add(id);
        }
        return params;
    }

    /** Every live image's blob and metadata, by id. */
    List<StoredOriginal> originals(String collection) {
        return jdbc.sql("SELECT id, seq, blob_sha256, metadata FROM images WHERE collection_name = ? "
                        + "AND deleted = FALSE ORDER BY id")
                .param(collection)
                .query(ImageRepository::original)
                .list();
    }

    /** The live images among {@code ids}. */
    List<StoredOriginal> originals(String collection, Collection<String> ids) {
        List<StoredOriginal> originals = new ArrayList<>();
        for (List<String> chunk : chunks(ids)) {
            originals.addAll(jdbc.sql("SELECT id, seq, blob_sha256, metadata FROM images WHERE deleted = FALSE AND "
                            + keyList(chunk.size()))
                    .params(keyParameters(collection, chunk))
                    .query(ImageRepository::original)
                    .list());
        }
        return originals;
    }

    /** Rewrites the vectors (and their model) of live images, as a re-index does. */
    void replaceVectors(String collection, List<String> ids, List<float[]> vectors, String modelId) {
        List<Object[]> rows = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            rows.add(new Object[] {VectorCodec.encode(vectors.get(i)), modelId, collection, ids.get(i)});
        }
        batch.batchUpdate("UPDATE images SET vector = ?, model_id = ? WHERE collection_name = ? AND id = ? "
                + "AND deleted = FALSE", rows);
    }

    private static StoredOriginal original(ResultSet rs, int row) throws SQLException {
        return new StoredOriginal(rs.getString("id"), rs.getLong("seq"), rs.getString("blob_sha256"),
                rs.getString("metadata"));
    }

    long countLive(String collection) {
        return jdbc.sql("SELECT COUNT(*) FROM images WHERE collection_name = ? AND deleted = FALSE")
                .param(collection).query(Long.class).single();
    }

    /** Streams every change after {@code afterSequence}, oldest first. */
    void changesAfter(String collection, long afterSequence, Consumer<Change> consumer) {
        jdbc.sql("SELECT id, seq, deleted, vector FROM images WHERE collection_name = ? AND seq > ? ORDER BY seq")
                .params(collection, afterSequence)
                .query((ResultSet rs) -> {
                    byte[] vector = rs.getBytes("vector");
                    consumer.accept(new Change(rs.getString("id"), rs.getLong("seq"),
                            rs.getBoolean("deleted") || vector == null ? null : VectorCodec.decode(vector)));
                });
    }

    private static ImageRecord map(ResultSet rs, float[] vector) throws SQLException {
        return new ImageRecord(
                rs.getString("collection_name"),
                rs.getString("id"),
                rs.getLong("seq"),
                rs.getString("model_id"),
                vector,
                rs.getString("metadata"),
                rs.getString("blob_sha256"),
                rs.getString("content_type"),
                rs.getObject("width", Integer.class),
                rs.getObject("height", Integer.class),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant(),
                rs.getObject("phash", Long.class));
    }
}
