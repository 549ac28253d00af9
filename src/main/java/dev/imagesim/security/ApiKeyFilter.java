package dev.imagesim.security;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import tools.jackson.databind.json.JsonMapper;

import dev.imagesim.Problems;

/**
 * Lets a request through only with a key of the scope its endpoint needs ({@link EndpointScopes}). The key
 * comes as {@code X-API-Key} or {@code Authorization: Bearer}. A missing or unknown key is a 401, a key of
 * too small a scope a 403. Without configured keys, only loopback clients are served unless
 * {@code imagesim.api.anonymous=anywhere}. Keys never reach a log: failures name the scope, not the key.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class ApiKeyFilter extends OncePerRequestFilter {

    static final String KEY_HEADER = "X-API-Key";
    private static final String BEARER = "Bearer ";
    /** Headers a proxy adds for the client it forwards (RFC 7239's and the common de-facto ones). */
    private static final List<String> FORWARDING_HEADERS = List.of("Forwarded", "X-Forwarded-For",
            "X-Forwarded-Host", "X-Real-IP");
    private static final Logger log = LoggerFactory.getLogger(ApiKeyFilter.class);

    private final ApiKeys keys;
    private final ApiProperties properties;
    private final JsonMapper json;

    ApiKeyFilter(ApiProperties properties, JsonMapper json) {
        this.keys = ApiKeys.parse(properties.keys());
        this.properties = properties;
        this.json = json;
        announce();
    }

    private void announce() {
        if (!keys.isEmpty()) {
            log.info("API keys: {} configured; every request except health and the API documentation needs one",
                    keys.size());
        } else if (properties.loopbackOnly()) {
            log.warn("API keys: none configured, so only loopback clients are served (the server binds to "
                    + "127.0.0.1 unless server.address says otherwise). Set IMAGESIM_API_KEYS (scope:key,...) "
                    + "to serve remote clients, or IMAGESIM_API_ANONYMOUS=anywhere to serve anyone without a key.");
        } else {
            log.warn("API keys: none configured and imagesim.api.anonymous=anywhere: anyone who can reach the "
                    + "port can read, write and train");
        }
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<Scope> required = EndpointScopes.required(request.getMethod(), pathOf(request));
        if (required.isEmpty() || admitted(request, response, required.get())) {
            chain.doFilter(request, response);
        }
    }

    private static String pathOf(HttpServletRequest request) {
        String info = request.getPathInfo();
        return request.getServletPath() + (info == null ? "" : info);
    }

    private boolean admitted(HttpServletRequest request, HttpServletResponse response, Scope required)
            throws IOException {
        if (keys.isEmpty()) {
            if (properties.loopbackOnly() && !isLoopback(request)) {
                Problems.write(response, json, Problems.of(HttpStatus.FORBIDDEN, "remote-needs-key",
                        "this server has no API keys configured and serves loopback clients only (a request "
                                + "forwarded by a proxy counts as remote)"));
                return false;
            }
            return true;
        }
        Optional<String> presented = presentedKey(request);
        if (presented.isEmpty()) {
            return unauthorized(response, "api-key-missing", "this endpoint needs an API key with the '"
                    + required.label() + "' scope, sent as " + KEY_HEADER + " or Authorization: Bearer");
        }
        Optional<Scope> scope = keys.scopeOf(presented.get());
        if (scope.isEmpty()) {
            return unauthorized(response, "api-key-invalid", "the API key is not one this server knows");
        }
        if (!scope.get().includes(required)) {
            Problems.write(response, json, Problems.of(HttpStatus.FORBIDDEN, "scope-insufficient",
                    "this endpoint needs the '" + required.label() + "' scope; the key has '"
                            + scope.get().label() + "' (scopes: " + scopeList() + ")"));
            return false;
        }
        return true;
    }

    /**
     * A client on this machine, not one a proxy on this machine forwards: a request that carries a forwarding
     * header came from elsewhere, whatever its peer address (a reverse proxy on the same host would otherwise
     * make every client an anonymous admin). The remote address is an IP literal, so this resolves nothing.
     */
    private static boolean isLoopback(HttpServletRequest request) throws IOException {
        return FORWARDING_HEADERS.stream().noneMatch(header -> request.getHeader(header) != null)
                && InetAddress.getByName(request.getRemoteAddr()).isLoopbackAddress();
    }

    private static Optional<String> presentedKey(HttpServletRequest request) {
        String header = request.getHeader(KEY_HEADER);
        if (header != null && !header.isBlank()) {
            return Optional.of(header.trim());
        }
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String token = authorization.substring(BEARER.length()).trim();
            return token.isEmpty() ? Optional.empty() : Optional.of(token);
        }
        return Optional.empty();
    }

    private boolean unauthorized(HttpServletResponse response, String code, String detail) throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"imagesim\"");
        Problems.write(response, json, Problems.of(HttpStatus.UNAUTHORIZED, code, detail));
        return false;
    }

    private static String scopeList() {
        return Arrays.stream(Scope.values()).map(Scope::label).collect(Collectors.joining(" < "));
    }
}
