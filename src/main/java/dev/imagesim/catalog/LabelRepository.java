package dev.imagesim.catalog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code image_labels} table: the {@link MetadataLabels} of every live image, so that a filtered search
 * finds the images whose metadata has a (key, value) through an index rather than by reading every image's
 * metadata. Kept in the same transaction as the image rows.
 */
@Repository
class LabelRepository {

    /** Inserts one label: parameters collection, id, label. */
    static final String INSERT = "INSERT INTO image_labels (collection_name, id, label) VALUES (?, ?, ?)";

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    LabelRepository(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    /**
     * Makes the labels of each written id those of its last write in {@code writes} (one transaction's
     * upserts, in order). Only ids that were live before the writes can have labels to remove: a new id or one
     * deleted before (its labels went with the delete) has none.
     */
    void replace(String collection, List<UpsertResult> writes) {
        Map<String, ImageRecord> last = new LinkedHashMap<>();
        Set<String> replaced = new LinkedHashSet<>();
        for (UpsertResult write : writes) {
            String id = write.record().id();
            if (!last.containsKey(id) && !write.created()) {
                replaced.add(id);
            }
            last.put(id, write.record());
        }
        List<Object[]> labels = new ArrayList<>();
        last.values().forEach(record -> labels.addAll(rows(collection, record.id(), record.metadataJson())));
        batch.batchUpdate("DELETE FROM image_labels WHERE collection_name = ? AND id = ?",
                replaced.stream().map(id -> new Object[] {collection, id}).toList());
        batch.batchUpdate(INSERT, labels);
    }

    void remove(String collection, String id) {
        jdbc.sql("DELETE FROM image_labels WHERE collection_name = ? AND id = ?").params(collection, id).update();
    }

    void removeAll(String collection) {
        jdbc.sql("DELETE FROM image_labels WHERE collection_name = ?").param(collection).update();
    }

    /**
     * The ids that carry every one of {@code labels}, when at most {@code limit} do; empty when more may
     * (then the caller filters another way). Bounded whatever the labels: each is counted up to
     * {@code limit + 1}, and the ids are read through the rarest one.
     */
    Optional<List<String>> idsWithAll(String collection, List<String> labels, int limit) {
        String rarest = null;
        long fewest = Long.MAX_VALUE;
        for (String label : labels) {
            long count = jdbc.sql("SELECT COUNT(*) FROM (SELECT 1 FROM image_labels WHERE collection_name = ? "
                            + "AND label = ? LIMIT ?) AS bounded")
                    .params(collection, label, limit + 1).query(Long.class).single();
            if (count < fewest) {
                rarest = label;
                fewest = count;
            }
        }
        if (fewest > limit) {
            return Optional.empty();
        }
        List<String> others = new ArrayList<>(labels);
        others.remove(rarest);
        StringBuilder sql = new StringBuilder("SELECT id FROM image_labels a WHERE a.collection_name = ? AND a.label = ?");
        List<Object> params = new ArrayList<>(List.of(collection, rarest));
        for (String other : others) {
            sql.append(" AND EXISTS (SELECT 1 FROM image_labels b WHERE b.collection_name = a.collection_name "
                    + "AND b.id = a.id AND b.label = ?)");
            params.add(other);
        }
        return Optional.of(jdbc.sql(sql.toString()).params(params).query(String.class).list());
    }

    /** The parameters of {@link #INSERT} for each label of one image's metadata. */
    static Collection<Object[]> rows(String collection, String id, String metadataJson) {
        List<Object[]> rows = new ArrayList<>();
        for (String label : MetadataLabels.of(metadataJson)) {
            rows.add(new Object[] {collection, id, label});
        }
        return rows;
    }
}
