package dev.imagesim.catalog;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The housekeeping H2 skips with {@code WRITE_DELAY=0}. That setting makes every commit reach the file before
 * it returns (the crash tests need it), and it also means H2 starts no background writer, which is where
 * MVStore rewrites chunks that later commits left mostly dead. Without it every commit leaves a chunk behind,
 * so the file grows far beyond its live data and opening it slows down. On a timer this rewrites the live
 * pages of such chunks, as H2's own background writer would, so that their space is reused. Nothing happens
 * on PostgreSQL.
 */
@Component
class H2Housekeeping {

    /** The chunk fill rate below which chunks are rewritten: H2's default while writes go on (90% squared). */
    static final int TARGET_FILL_RATE = 80;
    private static final int WRITE_BYTES = 16 << 20;
    private static final Logger log = LoggerFactory.getLogger(H2Housekeeping.class);

    private final DataSource dataSource;

    H2Housekeeping(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * What one round found and did: the percentage of live data in the chunks, whether it rewrote any, and the
     * file's size. The chunks it emptied are freed by the next commit.
     */
    record Round(int chunksFillRate, boolean rewritten, long fileBytes) {
    }

    @Scheduled(fixedDelayString = "${imagesim.h2.housekeeping-interval-seconds:10}", timeUnit = TimeUnit.SECONDS)
    void housekeeping() {
        try {
            Round round = compact();
            if (round != null && round.rewritten()) {
                log.debug("H2 chunks were {}% live; rewrote the sparsest, file {} MB", round.chunksFillRate(),
                        round.fileBytes() >> 20);
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("H2 housekeeping failed (the next round retries): {}", e.toString());
        }
    }

    /**
     * One round: rewrites up to 16 MB of live pages from chunks under the target fill rate and commits them;
     * null when not on H2.
     */
    Round compact() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.isWrapperFor(JdbcConnection.class)
                    || !(connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)) {
                return null; // PostgreSQL, or an H2 server reached over TCP that keeps its own house
            }
            MVStore store = session.getDatabase().getStore().getMvStore();
            FileStore<?> file = store.getFileStore();
            if (file == null || store.isClosed()) {
                return null;
            }
            int fillRate = file.getChunksFillRate();
            boolean rewritten = store.compact(TARGET_FILL_RATE, WRITE_BYTES);
            if (rewritten) {
                store.commit(); // writes the rewritten pages, which leaves their old chunks dead
            }
            return new Round(fillRate, rewritten, file.size());
        }
    }
}
