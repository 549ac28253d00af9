package dev.imagesim.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.imagesim.ChildService;

/**
 * The service sets OMP_WAIT_POLICY in its own process before libtorch loads, so a user who starts it with a
 * bare {@code java -jar} still gets passive OpenMP threads; a value in the environment wins. The start-up
 * log reports the value libgomp will read (the C library's view, not the JVM's snapshot of the environment).
 * The one malloc arena that lets the inference threads keep their buffers can only come from the launching
 * environment; it is opt-in, and without it the service says how to opt in.
 */
class NativeEnvironmentTest {

    @TempDir
    Path dataDir;

    @Test
    void setsThePassiveWaitPolicyItselfUnlessTheEnvironmentSaysOtherwiseAndSaysHowToOptIntoOneArena() throws Exception {
        try (ChildService bare = ChildService.start(Files.createDirectories(dataDir.resolve("bare")), List.of(),
                Map.of("OMP_WAIT_POLICY", "", "MALLOC_ARENA_MAX", "1"))) {
            assertThat(bare.output()).contains("OMP_WAIT_POLICY=PASSIVE, malloc tuned: true")
                    .doesNotContain("MALLOC_ARENA_MAX is not 1");
        }
        try (ChildService chosen = ChildService.start(Files.createDirectories(dataDir.resolve("chosen")), List.of(),
                Map.of("OMP_WAIT_POLICY", "ACTIVE", "MALLOC_ARENA_MAX", ""), "--imagesim.engine.tune-malloc=false")) {
            assertThat(chosen.output()).contains("OMP_WAIT_POLICY=ACTIVE, malloc tuned: false")
                    .doesNotContain("MALLOC_ARENA_MAX is not 1");
        }
        try (ChildService arenas = ChildService.start(Files.createDirectories(dataDir.resolve("arenas")), List.of(),
                Map.of("MALLOC_ARENA_MAX", ""))) {
            assertThat(arenas.output()).contains("MALLOC_ARENA_MAX is not 1");
        }
    }
}
