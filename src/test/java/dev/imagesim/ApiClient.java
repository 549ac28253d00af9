package dev.imagesim;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The service's HTTP API at a base URL, driven with the JDK client; optionally sends an API key. */
public class ApiClient {

    /** A response: status, content type and the body parsed as JSON (null when empty or not JSON). */
    public record Reply(int status, String contentType, JsonNode json) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;
    private final String apiKey;

    public ApiClient(String base, String apiKey) {
        this.base = base;
        this.apiKey = apiKey;
    }

    /** A JSON request whose body is sent chunked, without a Content-Length. */
    public Reply postChunked(String path, byte[] json) {
        return send(builder(path).header("Content-Type", "application/json").POST(
                HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(json))).build());
    }

    /** Any request with a raw body (null: none) and extra headers as name, value pairs. */
    public Reply request(String method, String path, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder builder = builder(path).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return send(builder.build());
    }

    /**
     * Polls a training job until {@code condition} holds; fails when the job ends in another state or the
     * time runs out.
     */
    public JsonNode awaitJob(String id, Predicate<JsonNode> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = get("/api/v1/training-jobs/" + id).json();
            if (condition.test(job)) {
                return job;
            }
            if (!job.get("state").asString().matches("queued|running")) {
                throw new AssertionError("job ended in an unexpected state: " + job);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("timed out waiting for job " + id);
    }

    public Reply get(String path) {
        return send(builder(path).GET().build());
    }

    public Reply delete(String path) {
        return send(builder(path).DELETE().build());
    }

    public Reply postJson(String path, String json) {
        return send(builder(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public Reply multipart(String method, String path, Multipart body) {
        return send(builder(path).header("Content-Type", body.contentType())
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build());
    }

    /** The body of a GET as text, for endpoints that do not answer JSON; fails on a non-200 status. */
    public String text(String path) {
        try {
            HttpResponse<String> response = http.send(builder(path).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(path + " answered " + response.statusCode());
            }
            return response.body();
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException("request " + path + " failed", e);
        }
    }

    /** Reads a server-sent event stream to its end and returns each event's JSON data. */
    public List<JsonNode> events(String path, java.time.Duration timeout) {
        HttpRequest request = builder(path).header("Accept", "text/event-stream")
                .timeout(timeout).GET().build();
        try {
            HttpResponse<java.util.stream.Stream<String>> response = http.send(request,
                    HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("events " + path + " answered " + response.statusCode());
            }
            try (java.util.stream.Stream<String> lines = response.body()) {
                return lines.filter(line -> line.startsWith("data:"))
                        .map(line -> JSON.readTree(line.substring(5).trim()))
                        .toList();
            }
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException("events " + path + " failed", e);
        }
    }

    /** A GET whose body is kept as bytes (an image), with extra headers as name, value pairs. */
    public HttpResponse<byte[]> getBytes(String path, String... headers) {
        HttpRequest.Builder builder = builder(path).GET();
        if (headers.length > 0) {
            builder.headers(headers);
        }
        try {
            return http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException("GET " + path + " failed", e);
        }
    }

    private HttpRequest.Builder builder(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path));
        return apiKey == null ? builder : builder.header("X-API-Key", apiKey);
    }

    private Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            String contentType = response.headers().firstValue("Content-Type").orElse("");
            boolean json = contentType.contains("json") && body != null && !body.isBlank();
            return new Reply(response.statusCode(), contentType, json ? JSON.readTree(body) : null);
        } catch (Exception e) {
            throw new IllegalStateException("request " + request.uri() + " failed", e);
        }
    }

}
