package dev.imagesim.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.imagesim.ApiClient;
import dev.imagesim.ChildService;

/** Operators set keys with the documented environment variable, as a comma-separated scope:key list. */
class EnvironmentKeysTest {

    @TempDir
    Path dataDir;

    @Test
    void imagesimApiKeysFromTheEnvironment() {
        try (ChildService child = ChildService.start(dataDir, List.of(),
                Map.of("IMAGESIM_API_KEYS", "admin:env-admin-key-1, read:env-read-key-2"), "--server.address=127.0.0.1")) {
            String base = child.base();
            assertThat(new ApiClient(base, null).get("/api/v1/collections").status()).isEqualTo(401);
            assertThat(new ApiClient(base, "env-read-key-2").get("/api/v1/collections").status()).isEqualTo(200);
            assertThat(new ApiClient(base, "env-read-key-2").get("/api/v1/models").status()).isEqualTo(403);
            assertThat(new ApiClient(base, "env-admin-key-1").get("/api/v1/models").status()).isEqualTo(200);
            assertThat(child.output()).contains("API keys: 2 configured").doesNotContain("env-admin-key-1", "env-read-key-2");
        }
    }
}
