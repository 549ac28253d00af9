package dev.imagesim.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import dev.imagesim.security.ApiKeys;

/**
 * The Dockerfile and docker-compose.yml agree with the application, checked without Docker: ports, the
 * health probe, the data volume, the GPU build arguments, profiles and the environment variables the
 * Spring configuration reads.
 * (DockerImageTest builds and runs the image where a Docker engine exists.)
 */
class DeploymentFilesTest {

    private static final Path ROOT = Path.of(".");

    private final String dockerfile = read("Dockerfile");
    private final Map<String, Object> compose = yaml("docker-compose.yml");
    private final Map<String, Object> application = yaml("src/main/resources/application.yml");
    private final String postgresProfile = read("src/main/resources/application-postgres.yml");

    @Test
    void theRuntimeStageExposesTheServicePortRunsAsAUserAndProbesReadiness() {
        assertThat(stage("runtime")).contains("EXPOSE 8080")
                .containsPattern("USER (?!root)\\w+")
                .contains("http://localhost:8080/actuator/health/readiness")
                .contains("IMAGESIM_DATA_DIR=/data").contains("VOLUME /data")
                .contains("OMP_WAIT_POLICY=PASSIVE")
                .contains("org.springframework.boot.loader.launch.JarLauncher")
                .contains("\"--add-modules\", \"jdk.incubator.vector\"")
                .contains("\"-XX:+ExplicitGCInvokesConcurrent\"")
                .containsPattern("JAVA_TOOL_OPTIONS=\"[^\"]*-XX:\\+UseTransparentHugePages");
        assertThat(application).doesNotContainKey("server.port");
        Map<String, Object> management = map(application, "management");
        assertThat(map(map(map(management, "endpoint"), "health"), "probes")).containsEntry("enabled", true);
        assertThat((String) map(map(map(management, "endpoints"), "web"), "exposure").get("include"))
                .contains("health").contains("prometheus");
    }

    @Test
    void theGpuServiceBuildsWithTheCudaProfileOnACudaBase() {
        Map<String, Object> args = map(map(map(map(compose, "services"), "imagesim-gpu"), "build"), "args");
        assertThat(args).containsEntry("MAVEN_PROFILES", "-Pcuda");
        assertThat((String) args.get("RUNTIME_BASE")).startsWith("nvidia/cuda:12.4");
        assertThat(dockerfile).contains("ARG MAVEN_PROFILES").contains("ARG RUNTIME_BASE")
                .contains("FROM ${RUNTIME_BASE}");
        assertThat(read("pom.xml")).contains("<id>cuda</id>").contains("pytorch-native-cu124");
    }

    @Test
    void composeServicesUseExistingTargetsThePortTheVolumeAndThePostgresProfile() {
        Map<String, Object> services = map(compose, "services");
        for (String name : List.of("imagesim", "imagesim-gpu")) {
            Map<String, Object> service = map(services, name);
            assertThat(map(service, "build")).as(name).containsEntry("context", ".");
            assertThat(list(service, "ports")).as(name)
                    .allMatch(p -> ((String) p).startsWith("${IMAGESIM_BIND:-127.0.0.1}:") && ((String) p).endsWith(":8080"));
            assertThat(list(service, "volumes")).as(name).allMatch(v -> ((String) v).endsWith(":/data"));
            Map<String, Object> environment = map(service, "environment");
            assertThat(environment).containsEntry("SPRING_PROFILES_ACTIVE", "postgres")
                    .containsEntry("IMAGESIM_API_KEYS", "${IMAGESIM_API_KEYS:-}");
            assertThat(ROOT.resolve("src/main/resources/application-postgres.yml")).exists();
            for (String variable : environment.keySet()) {
                if (variable.startsWith("IMAGESIM_DB_")) {
                    assertThat(postgresProfile).as(variable).contains("${" + variable + ":");
                }
            }
            assertThat(map(map(service, "depends_on"), "postgres")).containsEntry("condition", "service_healthy");
        }
        assertThat(list(map(services, "imagesim-gpu"), "profiles")).containsExactly("gpu");
        assertThat(map(services, "postgres").get("image")).isEqualTo("postgres:15");
    }

    /**
     * Safe as shipped: no anonymous access from Docker's network unless asked for, example keys that do not
     * work as they are, and a GPU service that writes neither the CPU service's catalog nor its volume.
     */
    @Test
    void composeDefaultsAreSafe() {
        Map<String, Object> services = map(compose, "services");
        Map<String, Object> cpu = map(services, "imagesim");
        Map<String, Object> gpu = map(services, "imagesim-gpu");
        for (Map<String, Object> service : List.of(cpu, gpu)) {
            assertThat(map(service, "environment")).containsEntry("IMAGESIM_API_ANONYMOUS",
                    "${IMAGESIM_API_ANONYMOUS:-loopback}");
        }
        assertThat(map(gpu, "environment").get("IMAGESIM_DB_URL"))
                .isNotEqualTo(map(cpu, "environment").get("IMAGESIM_DB_URL"))
                .isEqualTo("jdbc:postgresql://postgres:5432/${POSTGRES_DB:-imagesim}_gpu");
        assertThat(list(gpu, "volumes")).doesNotContainAnyElementsOf(list(cpu, "volumes"));
        assertThat(list(map(services, "postgres"), "volumes"))
                .contains("./docker/postgres-init:/docker-entrypoint-initdb.d:ro");
        assertThat(read("docker/postgres-init/gpu-database.sh")).contains("CREATE DATABASE \\\"${POSTGRES_DB}_gpu\\\"");

        Matcher keys = Pattern.compile("(?m)^IMAGESIM_API_KEYS=(.*)$").matcher(read("docker/imagesim.env.example"));
        assertThat(keys.find()).isTrue();
        assertThatThrownBy(() -> ApiKeys.parse(List.of(keys.group(1).split(","))))
                .as("the example's keys refuse to start the service").hasMessageContaining("placeholder");
    }

    @Test
    void theExampleEnvironmentNamesOnlyVariablesComposeReads() {
        String composeText = read("docker-compose.yml");
        for (String line : read("docker/imagesim.env.example").lines().toList()) {
            Matcher assignment = Pattern.compile("^([A-Z_]+)=").matcher(line);
            if (assignment.find()) {
                assertThat(composeText).as(assignment.group(1)).contains("${" + assignment.group(1));
            }
        }
    }

    private String stage(String target) {
        int start = dockerfile.indexOf(" AS " + target + "\n");
        assertThat(start).as("stage " + target).isPositive();
        int next = dockerfile.indexOf("\nFROM ", start);
        return dockerfile.substring(start, next < 0 ? dockerfile.length() : next);
    }

    private static String read(String file) {
        try {
            return Files.readString(ROOT.resolve(file));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> yaml(String file) {
        try (Reader in = Files.newBufferedReader(ROOT.resolve(file))) {
            return new Yaml().load(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertThat(value).as(key).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    private static List<Object> list(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertThat(value).as(key).isInstanceOf(List.class);
        return new ArrayList<>((List<?>) value);
    }
}
