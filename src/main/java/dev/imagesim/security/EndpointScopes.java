package dev.imagesim.security;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The scope each endpoint needs, from its method and path. Health, the OpenAPI document, Swagger UI and
 * the web console's page, scripts and styles (they hold no data; the console sends a key with its API calls)
 * are open; training jobs, models, re-indexing and index tuning need {@code admin}; embedding, search,
 * similarity and duplicate checks need {@code read} although they are POSTs; any other read-only method needs {@code read} and any other
 * write needs {@code write}. Paths nobody maps fall under the same rules, so an unknown path without a key
 * is a 401, not a 404 that would reveal what exists.
 */
final class EndpointScopes {

    private static final Set<String> OPEN = Set.of("/actuator/health", "/actuator/info", "/v3/api-docs",
            "/swagger-ui.html", "/", "/index.html");
    private static final Set<String> OPEN_PREFIXES = Set.of("/actuator/health/", "/v3/api-docs/", "/swagger-ui/",
            "/console/", "/webjars/");
    private static final Pattern ADMIN = Pattern.compile(
            "/api/v1/(training-jobs|models)(/.*)?|/api/v1/collections/[^/]+/(reindex|index)(/.*)?");
    private static final Pattern READ_POSTS = Pattern.compile(
            "/api/v1/(embeddings|similarity)|/api/v1/collections/[^/]+/(search|duplicates:check)");
    private static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private EndpointScopes() {
    }

    /** The scope a request needs; empty for the open endpoints. */
    static Optional<Scope> required(String method, String path) {
        if (OPEN.contains(path) || OPEN_PREFIXES.stream().anyMatch(path::startsWith)) {
            return Optional.empty();
        }
        if (ADMIN.matcher(path).matches()) {
            return Optional.of(Scope.ADMIN);
        }
        if (READ_METHODS.contains(method) || ("POST".equals(method) && READ_POSTS.matcher(path).matches())) {
            return Optional.of(Scope.READ);
        }
        return Optional.of(Scope.WRITE);
    }
}
