package dev.imagesim.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;

import dev.imagesim.ApiClient;

/**
 * {@code docker compose up} as a user runs it: builds the image, starts imagesim with PostgreSQL from
 * docker-compose.yml, waits for readiness, then stores and finds a vector over the API with a key (and is
 * refused without one). Needs a Docker engine with Compose and Maven Central from inside the build; skipped
 * where there is no engine (DeploymentFilesTest and scripts/check-deploy-files.sh check the files everywhere).
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeSmokeTest {

    private static final String KEY = "compose-smoke-admin-key";

    @Test
    void composeUpServesTheApiOnPostgres() {
        try (ComposeContainer compose = new ComposeContainer(new File("docker-compose.yml"))
                .withServices("imagesim", "postgres")
                .withBuild(true)
                .withEnv("IMAGESIM_API_KEYS", "admin:" + KEY)
                .withExposedService("imagesim", 8080, Wait.forHttp("/actuator/health/readiness").forStatusCode(200)
                        .withStartupTimeout(Duration.ofMinutes(10)))
                .withRemoveVolumes(true)) {
            compose.start();
            String base = "http://" + compose.getServiceHost("imagesim", 8080) + ":"
                    + compose.getServicePort("imagesim", 8080);
            ApiClient anonymous = new ApiClient(base, null);
            ApiClient admin = new ApiClient(base, KEY);
            assertThat(anonymous.get("/api/v1/collections").status()).isEqualTo(401);
            assertThat(admin.postJson("/api/v1/collections", "{\"name\":\"v\",\"dimension\":2}").status())
                    .isEqualTo(201);
            assertThat(admin.request("PUT", "/api/v1/collections/v/images/a", "application/json",
                    "{\"vector\":[1,0]}".getBytes()).status()).isEqualTo(201);
            assertThat(admin.postJson("/api/v1/collections/v/search", "{\"vector\":[1,0.1],\"k\":1}").json()
                    .get("results").get(0).get("id").asString()).isEqualTo("a");
        }
    }
}
