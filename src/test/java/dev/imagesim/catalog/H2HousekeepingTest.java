package dev.imagesim.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.imagesim.RunningService;
import dev.imagesim.TestDatabase;

/**
 * Single-vector writes on H2 each leave a chunk that the next commits make mostly dead; housekeeping rewrites
 * what is live in them, as H2's background writer would if {@code WRITE_DELAY=0} did not switch it off.
 */
class H2HousekeepingTest {

    @TempDir
    Path dataDir;

    @Test
    void chunksLeftByManySmallCommitsAreRewritten() throws Exception {
        try (RunningService service = RunningService.start(dataDir,
                "--imagesim.h2.housekeeping-interval-seconds=3600")) {
            H2Housekeeping housekeeping = service.bean(H2Housekeeping.class);
            if (TestDatabase.postgres()) {
                assertThat(housekeeping.compact()).as("nothing to do on PostgreSQL").isNull();
                return;
            }
            // chunks become rewritable only after the retention time (45 s by default)
            service.bean(JdbcClient.class).sql("SET RETENTION_TIME 0").update();
            service.postJson("/api/v1/collections", "{\"name\":\"v\",\"dimension\":64}");
            String vector = "{\"vector\":" + java.util.Arrays.toString(new float[64]).replace("0.0", "0.5") + "}";
            for (int i = 0; i < 500; i++) {
                service.request("PUT", "/api/v1/collections/v/images/i" + i, "application/json", vector.getBytes());
            }
            H2Housekeeping.Round first = housekeeping.compact();
            assertThat(first.chunksFillRate()).as("one commit per write leaves sparse chunks")
                    .isLessThan(H2Housekeeping.TARGET_FILL_RATE);
            assertThat(first.rewritten()).isTrue();
            service.request("PUT", "/api/v1/collections/v/images/last", "application/json", vector.getBytes());
            H2Housekeeping.Round next = housekeeping.compact();
            assertThat(next.chunksFillRate()).as("after a round and a commit (%s, then %s)", first, next)
                    .isGreaterThanOrEqualTo(H2Housekeeping.TARGET_FILL_RATE);
            assertThat(service.get("/api/v1/collections/v").json().get("size").asInt()).isEqualTo(501);
        }
    }
}
