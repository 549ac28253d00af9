package dev.imagesim.catalog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.imagesim.vector.Distance;
import dev.imagesim.index.IndexParameters;
import dev.imagesim.index.IndexType;

/** The {@code collections} table. */
@Repository
class CollectionRepository {

    private static final String COLUMNS = "name, model_id, dimension, distance, index_type, hnsw_m, "
            + "hnsw_ef_construction, hnsw_ef, last_seq, created_at";

    private final JdbcClient jdbc;

    CollectionRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Collection c) {
        jdbc.sql("INSERT INTO collections (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(c.name(), c.modelId(), c.dimension(), c.distance().name(), c.index().type().name(),
                        c.index().m(), c.index().efConstruction(), c.index().ef(), c.lastSequence(),
                        OffsetDateTime.ofInstant(c.createdAt(), ZoneOffset.UTC))
                .update();
    }

    Optional<Collection> find(String name) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM collections WHERE name = ?").param(name)
                .query(CollectionRepository::map).optional();
    }

    List<Collection> findAll() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM collections ORDER BY name").query(CollectionRepository::map)
                .list();
    }

    void updateModel(String name, String modelId, int dimension) {
        jdbc.sql("UPDATE collections SET model_id = ?, dimension = ? WHERE name = ?")
                .params(modelId, dimension, name).update();
    }

    void updateEf(String name, int ef) {
        jdbc.sql("UPDATE collections SET hnsw_ef = ? WHERE name = ?").params(ef, name).update();
    }

    boolean delete(String name) {
        jdbc.sql("DELETE FROM images WHERE collection_name = ?").param(name).update();
        return jdbc.sql("DELETE FROM collections WHERE name = ?").param(name).update() == 1;
    }

    /**
     * Takes the collection's next {@code count} sequence numbers; returns the first, or empty if the
     * collection is gone. The row lock this takes is held until the transaction ends, so writes to one
     * collection commit in sequence order.
     */
    Optional<Long> reserveSequences(String name, int count) {
        if (jdbc.sql("UPDATE collections SET last_seq = last_seq + ? WHERE name = ?").params(count, name)
                .update() == 0) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT last_seq FROM collections WHERE name = ?").param(name).query(Long.class).optional()
                .map(last -> last - count + 1);
    }

    private static Collection map(ResultSet rs, int row) throws SQLException {
        return new Collection(
                rs.getString("name"),
                rs.getString("model_id"),
                rs.getInt("dimension"),
                Distance.valueOf(rs.getString("distance")),
                new IndexParameters(IndexType.valueOf(rs.getString("index_type")), rs.getInt("hnsw_m"),
                        rs.getInt("hnsw_ef_construction"), rs.getInt("hnsw_ef")),
                rs.getLong("last_seq"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}
