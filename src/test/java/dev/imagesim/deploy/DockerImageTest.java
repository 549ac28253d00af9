package dev.imagesim.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * Builds the CPU image from the Dockerfile and waits for its readiness probe. Needs a Docker engine and
 * Maven Central from inside the build; skipped where there is no engine (DeploymentFilesTest checks the
 * files everywhere).
 */
@Testcontainers(disabledWithoutDocker = true)
class DockerImageTest {

    @Test
    void theImageStartsAndBecomesReady() throws Exception {
        ImageFromDockerfile image = new ImageFromDockerfile("imagesim-test", true)
                .withFileFromPath(".", Path.of("."));
        try (GenericContainer<?> container = new GenericContainer<>(image)
                .withExposedPorts(8080)
                .withEnv("IMAGESIM_API_KEYS", "admin:docker-test-admin-key")
                .waitingFor(Wait.forHttp("/actuator/health/readiness").forStatusCode(200)
                        .withStartupTimeout(Duration.ofMinutes(5)))) {
            container.start();
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://" + container.getHost() + ":" + container.getMappedPort(8080) + "/api/v1/models"))
                    .header("X-API-Key", "docker-test-admin-key").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("fashion-mnist-cnn32-triplet-v2");
        }
    }
}
