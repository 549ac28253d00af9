package dev.imagesim.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.imagesim.Multipart;
import dev.imagesim.RunningService;
import dev.imagesim.ApiClient.Reply;
import dev.imagesim.TestImages;
import dev.imagesim.TestImages.ShapeKind;

/**
 * With keys configured, every endpoint family answers 401 without a key or with an unknown one, 403 with
 * too small a scope, and lets the right scope (and any larger one) through; health and the API
 * documentation stay open; keys never reach the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class ApiKeyAccessTest {

    private static final String ADMIN = "admin-key-Zq81";
    private static final String WRITE = "write-key-Pw27";
    private static final String READ = "read-key-Kx93";
    private static final byte[] IMAGE = TestImages.png(ShapeKind.CIRCLE, Color.RED);

    /** One endpoint of a family: a request that passes authentication with the scope named. */
    private record Endpoint(String method, String path, String contentType, byte[] body, Scope scope) {

        static Endpoint json(String method, String path, String json, Scope scope) {
            return new Endpoint(method, path, "application/json", json.getBytes(StandardCharsets.UTF_8), scope);
        }

        static Endpoint multipart(String method, String path, Multipart body, Scope scope) {
            return new Endpoint(method, path, body.contentType(), body.bytes(), scope);
        }

        static Endpoint bare(String method, String path, Scope scope) {
            return new Endpoint(method, path, null, null, scope);
        }

        Reply send(RunningService service, String... headers) {
            return service.request(method, path, contentType, body, headers);
        }
    }

    private static final List<Endpoint> ENDPOINTS = List.of(
            Endpoint.multipart("POST", "/api/v1/embeddings", new Multipart().image("image", IMAGE), Scope.READ),
            Endpoint.json("POST", "/api/v1/collections/c/search", "{\"id\":\"kept\",\"k\":1}", Scope.READ),
            Endpoint.json("POST", "/api/v1/similarity", "{\"collection\":\"c\",\"idA\":\"kept\",\"idB\":\"kept\"}",
                    Scope.READ),
            Endpoint.bare("GET", "/api/v1/collections", Scope.READ),
            Endpoint.bare("GET", "/api/v1/collections/c", Scope.READ),
            Endpoint.bare("GET", "/api/v1/collections/c/images/kept", Scope.READ),
            Endpoint.bare("GET", "/actuator/prometheus", Scope.READ),
            Endpoint.bare("GET", "/api/v1/no-such-endpoint", Scope.READ),
            Endpoint.json("POST", "/api/v1/collections", "{\"name\":\"\"}", Scope.WRITE),
            Endpoint.bare("DELETE", "/api/v1/collections/absent", Scope.WRITE),
            Endpoint.multipart("PUT", "/api/v1/collections/absent/images/x", new Multipart().image("image", IMAGE),
                    Scope.WRITE),
            Endpoint.bare("DELETE", "/api/v1/collections/c/images/absent", Scope.WRITE),
            Endpoint.multipart("POST", "/api/v1/collections/absent/images:batch",
                    new Multipart().image("images", IMAGE), Scope.WRITE),
            Endpoint.bare("GET", "/api/v1/training-jobs", Scope.ADMIN),
            Endpoint.json("POST", "/api/v1/training-jobs", "{}", Scope.ADMIN),
            Endpoint.bare("GET", "/api/v1/training-jobs/absent", Scope.ADMIN),
            Endpoint.bare("GET", "/api/v1/training-jobs/absent/events", Scope.ADMIN),
            Endpoint.bare("DELETE", "/api/v1/training-jobs/absent", Scope.ADMIN),
            Endpoint.bare("POST", "/api/v1/training-jobs/absent/resume", Scope.ADMIN),
            Endpoint.bare("GET", "/api/v1/models", Scope.ADMIN),
            Endpoint.bare("GET", "/api/v1/models/absent", Scope.ADMIN),
            Endpoint.json("POST", "/api/v1/collections/c/reindex", "{\"model\":\"absent\"}", Scope.ADMIN),
            Endpoint.bare("GET", "/api/v1/collections/c/reindex", Scope.ADMIN),
            Endpoint.json("POST", "/api/v1/collections/absent/index/tune", "{}", Scope.ADMIN),
            Endpoint.bare("GET", "/api/v1/collections/absent/index/tune", Scope.ADMIN),
            Endpoint.bare("DELETE", "/api/v1/collections/absent/index/tune", Scope.ADMIN),
            Endpoint.json("PUT", "/api/v1/collections/absent/index/ef", "{\"ef\":10}", Scope.ADMIN));

    @TempDir
    static Path dataDir;
    static RunningService service;

    @BeforeAll
    static void start() {
        service = RunningService.start(dataDir, "--server.address=127.0.0.1",
                "--imagesim.api.keys=admin:" + ADMIN + ", write:" + WRITE + ", read:" + READ);
        RunningService writer = service.withKey(WRITE);
        assertThat(writer.postJson("/api/v1/collections", "{\"name\":\"c\"}").status()).isEqualTo(201);
        assertThat(writer.multipart("PUT", "/api/v1/collections/c/images/kept",
                new Multipart().image("image", IMAGE)).status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void withoutAKeyEveryEndpointFamilyIs401() {
        for (Endpoint endpoint : ENDPOINTS) {
            Reply reply = endpoint.send(service);
            assertThat(reply.status()).as("%s %s without a key", endpoint.method(), endpoint.path()).isEqualTo(401);
            assertThat(reply.contentType()).startsWith("application/problem+json");
            assertThat(reply.json().get("code").asString()).isEqualTo("api-key-missing");
            assertThat(reply.json().get("detail").asString()).contains("'" + endpoint.scope().label() + "'");
        }
    }

    @Test
    void anUnknownKeyIs401AsHeaderOrBearer() {
        for (Endpoint endpoint : ENDPOINTS) {
            assertThat(endpoint.send(service, "X-API-Key", "not-a-key-123").status()).isEqualTo(401);
            Reply reply = endpoint.send(service, "Authorization", "Bearer " + ADMIN + "x");
            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.json().get("code").asString()).isEqualTo("api-key-invalid");
        }
    }

    @Test
    void tooSmallAScopeIs403AndTheRightOneGetsThrough() {
        for (Endpoint endpoint : ENDPOINTS) {
            for (Scope scope : Scope.values()) {
                Reply reply = endpoint.send(service.withKey(keyOf(scope)));
                String what = endpoint.method() + " " + endpoint.path() + " with a " + scope.label() + " key";
                if (scope.includes(endpoint.scope())) {
                    assertThat(reply.status()).as(what).isNotIn(401, 403);
                } else {
                    assertThat(reply.status()).as(what).isEqualTo(403);
                    assertThat(reply.json().get("code").asString()).isEqualTo("scope-insufficient");
                }
            }
        }
    }

    @Test
    void bearerTokensWorkLikeTheHeader() {
        Reply reply = service.request("GET", "/api/v1/collections/c/images/kept", null, null,
                "Authorization", "Bearer " + READ);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("id").asString()).isEqualTo("kept");
    }

    @Test
    void healthAndApiDocumentationStayOpen() {
        assertThat(service.get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(service.get("/actuator/health").status()).isEqualTo(200);
        assertThat(service.text("/swagger-ui/index.html")).contains("Swagger UI");
        Reply docs = service.get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.json().at("/components/securitySchemes/apiKey/name").asString()).isEqualTo("X-API-Key");
        assertThat(docs.json().at("/components/securitySchemes/bearer/scheme").asString()).isEqualTo("bearer");
        assertThat(docs.json().get("security")).hasSize(2);
    }

    @Test
    void keysNeverReachTheLog(CapturedOutput output) throws InterruptedException {
        for (Scope scope : Scope.values()) {
            ENDPOINTS.forEach(endpoint -> endpoint.send(service.withKey(keyOf(scope))));
        }
        service.request("GET", "/api/v1/collections", null, null, "X-API-Key", "wrong-key-Hy55");
        // the request log line is written after the response has gone out: wait for it
        for (int i = 0; i < 100 && !output.getAll().contains("GET /api/v1/collections 401"); i++) {
            Thread.sleep(20);
        }
        assertThat(output.getAll()).contains("GET /api/v1/collections 401")
                .doesNotContain(ADMIN, WRITE, READ, "wrong-key-Hy55");
    }

    private static String keyOf(Scope scope) {
        return switch (scope) {
            case READ -> READ;
            case WRITE -> WRITE;
            case ADMIN -> ADMIN;
        };
    }
}
