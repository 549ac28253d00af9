package dev.imagesim.duplicates;

import static dev.imagesim.SqlValues.instant;
import static dev.imagesim.SqlValues.message;
import static dev.imagesim.SqlValues.timestamp;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code duplicate_scans} and {@code duplicate_groups} tables: each collection's latest scan, and its groups
 * by rank, members as JSON text.
 */
@Repository
class DuplicateScanRepository {

    private static final TypeReference<List<DuplicateMatch>> MEMBERS = new TypeReference<>() {
    };
    private static final int GROUPS_PER_BATCH = 500;

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private final TransactionTemplate transactions;
    private final JsonMapper json;

    DuplicateScanRepository(JdbcClient jdbc, JdbcTemplate batch, TransactionTemplate transactions, JsonMapper json) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.transactions = transactions;
        this.json = json;
    }

    /** Makes {@code scan} the collection's latest, forgetting the one before and its groups. */
    void replace(DuplicateScanStatus scan) {
        transactions.executeWithoutResult(status -> {
            jdbc.sql("DELETE FROM duplicate_groups WHERE collection_name = ?").param(scan.collection()).update();
            jdbc.sql("DELETE FROM duplicate_scans WHERE collection_name = ?").param(scan.collection()).update();
            jdbc.sql("INSERT INTO duplicate_scans (collection_name, scan_id, state, method, threshold, images, "
                            + "percent, queued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(scan.collection(), scan.id(), scan.state(), scan.method(), scan.threshold(), 0, 0.0,
                            timestamp(scan.queuedAt()))
                    .update();
        });
    }

    /** Writes the scan's status, unless a newer scan of the collection (or its deletion) replaced it. */
    void update(DuplicateScanStatus scan) {
        jdbc.sql("UPDATE duplicate_scans SET state = ?, threshold = ?, calibration = ?, images = ?, percent = ?, "
                        + "eta_seconds = ?, group_count = ?, duplicate_count = ?, error = ?, started_at = ?, "
                        + "finished_at = ? WHERE collection_name = ? AND scan_id = ?")
                .params(scan.state(), scan.threshold(),
                        scan.calibration() == null ? null : json.writeValueAsString(scan.calibration()),
                        scan.images(), scan.percent(), scan.etaSeconds(), scan.groupCount(), scan.duplicateCount(),
                        message(scan.error()), timestamp(scan.startedAt()), timestamp(scan.finishedAt()),
                        scan.collection(), scan.id())
                .update();
    }

    /** Stores the groups of a scan, ranked in the order given; run before its status says succeeded. */
    void saveGroups(DuplicateScanStatus scan, List<DuplicateGroup> groups) {
        transactions.executeWithoutResult(status -> insertGroups(scan, groups));
    }

    private void insertGroups(DuplicateScanStatus scan, List<DuplicateGroup> groups) {
        for (int from = 0; from < groups.size(); from += GROUPS_PER_BATCH) {
            List<Object[]> rows = new ArrayList<>();
            for (int rank = from; rank < Math.min(groups.size(), from + GROUPS_PER_BATCH); rank++) {
                rows.add(new Object[] {scan.id(), scan.collection(), rank,
                        json.writeValueAsString(groups.get(rank).members())});
            }
            batch.batchUpdate("INSERT INTO duplicate_groups (scan_id, collection_name, group_rank, members) "
                    + "VALUES (?, ?, ?, ?)", rows);
        }
    }

    Optional<DuplicateScanStatus> find(String collection) {
        return jdbc.sql("SELECT * FROM duplicate_scans WHERE collection_name = ?").param(collection)
                .query(this::map).optional();
    }

    /** Up to {@code limit} groups of the scan from rank {@code from}. */
    List<DuplicateGroup> groups(String scanId, int from, int limit) {
        return jdbc.sql("SELECT members FROM duplicate_groups WHERE scan_id = ? AND group_rank >= ? "
                        + "ORDER BY group_rank LIMIT ?")
                .params(scanId, from, limit)
                .query((rs, row) -> new DuplicateGroup(json.readValue(rs.getString("members"), MEMBERS)))
                .list();
    }

    /** Marks scans left queued or running by a process that stopped as failed; returns how many. */
    int failUnfinished(Instant at, String why) {
        return jdbc.sql("UPDATE duplicate_scans SET state = 'failed', error = ?, eta_seconds = NULL, finished_at = ? "
                        + "WHERE state IN ('queued', 'running')")
                .params(why, timestamp(at)).update();
    }

    private DuplicateScanStatus map(ResultSet rs, int row) throws SQLException {
        String calibration = rs.getString("calibration");
        return new DuplicateScanStatus(rs.getString("scan_id"), rs.getString("collection_name"),
                rs.getString("state"), rs.getString("method"), rs.getObject("threshold", Double.class),
                calibration == null ? null : json.readValue(calibration, CopyThreshold.class), rs.getInt("images"),
                rs.getDouble("percent"), rs.getObject("eta_seconds", Long.class),
                rs.getObject("group_count", Integer.class), rs.getObject("duplicate_count", Integer.class),
                rs.getString("error"), instant(rs, "queued_at"), instant(rs, "started_at"),
                instant(rs, "finished_at"));
    }
}
