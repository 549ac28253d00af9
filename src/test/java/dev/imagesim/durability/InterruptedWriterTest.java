package dev.imagesim.durability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.imagesim.RunningService;
import dev.imagesim.catalog.Catalog;

/**
 * A thread interrupted in the middle of a database write (a request thread on a timeout, the training
 * worker at shutdown) must not take the database down with it. With H2 on a plain FileChannel the
 * interrupt closes the channel and every later write fails; the service uses H2's {@code async:} file
 * system, which does not.
 */
class InterruptedWriterTest {

    @TempDir
    Path dataDir;

    @Test
    void anInterruptedWriterLeavesTheDatabaseWritable() throws Exception {
        try (RunningService service = RunningService.start(dataDir)) {
            assertThat(service.postJson("/api/v1/collections", "{\"name\":\"v\",\"dimension\":2}").status())
                    .isEqualTo(201);
            Catalog catalog = service.bean(Catalog.class);
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                Thread.currentThread().interrupt();
                try {
                    catalog.upsertVector("v", "interrupted", new float[] {1, 0}, null);
                } catch (RuntimeException e) {
                    outcome.set(e);
                }
            });
            writer.start();
            writer.join();
            System.out.println("interrupted writer: " + (outcome.get() == null ? "stored" : outcome.get()));
            for (int i = 0; i < 3; i++) {
                assertThat(service.request("PUT", "/api/v1/collections/v/images/after-" + i, "application/json",
                        "{\"vector\":[0,1]}".getBytes()).status()).as("a write after the interrupt").isEqualTo(201);
            }
            assertThat(service.get("/api/v1/collections/v/images/after-2").status()).isEqualTo(200);
        }
    }
}
