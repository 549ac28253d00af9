package dev.imagesim.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.imagesim.FashionMnistSubset;
import dev.imagesim.Multipart;
import dev.imagesim.RunningService;
import dev.imagesim.ApiClient.Reply;

/**
 * Replays the committed bad-input corpus ({@code src/test/resources/bad-input}: {@code cases.json} and the
 * files {@code make-corpus.py} wrote) against the running service with tight limits. Every case must get
 * its status; a refusal must be problem+json with a detail (and the expected code), must leave the
 * database exactly as it was, and the server must stay live.
 */
class BadInputCorpusTest {

    private static final String CORPUS = "/bad-input/";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dataDir;
    static RunningService service;

    @BeforeAll
    static void start() throws IOException {
        FashionMnistSubset.copyTrainingSet(dataDir.resolve("datasets/fm"));
        Files.createSymbolicLink(dataDir.resolve("datasets/escape"), Path.of("/etc"));
        service = RunningService.start(dataDir, "--imagesim.limits.max-image-size=100KB",
                "--imagesim.limits.max-image-pixels=1000000", "--imagesim.limits.max-images-per-request=4",
                "--imagesim.limits.max-k=100", "--imagesim.limits.max-ef=500",
                "--imagesim.limits.max-metadata-size=1KB", "--imagesim.limits.max-zip-size=256KB",
                "--imagesim.limits.max-body-size=64KB", "--spring.servlet.multipart.max-request-size=150KB",
                "--spring.servlet.multipart.max-file-size=150KB");
        assertThat(service.postJson("/api/v1/collections", "{\"name\":\"c\"}").status()).isEqualTo(201);
        assertThat(service.multipart("PUT", "/api/v1/collections/c/images/kept",
                new Multipart().file("image", "kept.png", "image/png", corpusFile("one-pixel.png"))
                        .field("metadata", "{\"a\":1}")).status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCaseGetsItsAnswer() {
        JsonNode cases = JSON.readTree(corpusFile("cases.json"));
        assertThat(cases.size()).isGreaterThanOrEqualTo(40);
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : cases) {
            tests.add(DynamicTest.dynamicTest(c.get("name").asString() + ": " + c.get("why").asString(),
                    () -> replay(c)));
        }
        return tests.stream();
    }

    private static void replay(JsonNode c) throws SQLException {
        List<String> before = databaseState();
        Reply reply = send(c);
        int expected = c.get("status").asInt();
        assertThat(reply.status()).as("status").isEqualTo(expected);
        if (expected >= 400) {
            assertThat(reply.contentType()).startsWith("application/problem+json");
            assertThat(reply.json().get("detail").asString()).isNotBlank();
            if (c.has("code")) {
                assertThat(reply.json().get("code").asString()).isEqualTo(c.get("code").asString());
            }
            assertThat(databaseState()).as("database after a refused request").isEqualTo(before);
        }
        assertThat(service.get("/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(service.get("/api/v1/collections/c/images/kept").json().at("/metadata/a").asInt()).isEqualTo(1);
    }

    private static Reply send(JsonNode c) {
        String method = c.get("method").asString();
        String path = c.get("path").asString();
        if (c.has("json")) {
            return service.request(method, path, c.has("contentType") ? c.get("contentType").asString()
                    : "application/json", c.get("json").asString().getBytes(StandardCharsets.UTF_8));
        }
        if (!c.has("multipart")) {
            return service.request(method, path, null, null);
        }
        Multipart body = new Multipart();
        for (JsonNode part : c.get("multipart")) {
            String name = part.get("name").asString();
            if (part.has("file")) {
                String file = part.get("file").asString();
                body.file(name, file, part.get("contentType").asString(), corpusFile(file));
            } else {
                body.field(name, part.get("text").asString());
            }
        }
        return service.request(method, path, body.contentType(), body.bytes());
    }

    /** Every collection's sequence number and every image row's identity, version and metadata. */
    private static List<String> databaseState() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = service.bean(DataSource.class).getConnection();
                Statement sql = connection.createStatement()) {
            try (ResultSet r = sql.executeQuery("SELECT name, last_seq FROM collections ORDER BY name")) {
                while (r.next()) {
                    rows.add("collection " + r.getString(1) + " " + r.getLong(2));
                }
            }
            try (ResultSet r = sql.executeQuery(
                    "SELECT collection_name, id, seq, deleted, metadata FROM images ORDER BY collection_name, id")) {
                while (r.next()) {
                    rows.add("image " + r.getString(1) + "/" + r.getString(2) + " " + r.getLong(3) + " "
                            + r.getBoolean(4) + " " + r.getString(5));
                }
            }
        }
        return rows;
    }

    private static byte[] corpusFile(String name) {
        String resource = CORPUS + (name.equals("cases.json") ? name : "files/" + name);
        try (InputStream in = BadInputCorpusTest.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing corpus resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
