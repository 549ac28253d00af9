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
 */
class NativeEnvironmentTest {

    @TempDir
    Path dataDir;

    @Test
    void theServiceSetsThePassiveWaitPolicyItselfUnlessTheEnvironmentSaysOtherwise() throws Exception {
        try (ChildService bare = ChildService.start(Files.createDirectories(dataDir.resolve("bare")), List.of(),
                Map.of("OMP_WAIT_POLICY", ""))) {
            assertThat(bare.output()).contains("OMP_WAIT_POLICY=PASSIVE, malloc tuned: true");
        }
        try (ChildService chosen = ChildService.start(Files.createDirectories(dataDir.resolve("chosen")), List.of(),
                Map.of("OMP_WAIT_POLICY", "ACTIVE"), "--imagesim.engine.tune-malloc=false")) {
            assertThat(chosen.output()).contains("OMP_WAIT_POLICY=ACTIVE, malloc tuned: false");
        }
    }
}
