package dev.imagesim.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

class ApiKeysTest {

    @Test
    void keysMapToTheirScopes() {
        ApiKeys keys = ApiKeys.parse(List.of("admin:admin-secret-1", " read : reader-secret-2 ", "WRITE:writer-secret-3"));
        assertThat(keys.size()).isEqualTo(3);
        assertThat(keys.scopeOf("admin-secret-1")).contains(Scope.ADMIN);
        assertThat(keys.scopeOf("reader-secret-2")).contains(Scope.READ);
        assertThat(keys.scopeOf("writer-secret-3")).contains(Scope.WRITE);
        assertThat(keys.scopeOf("admin-secret-")).isEmpty();
        assertThat(keys.scopeOf("")).isEmpty();
    }

    @Test
    void aKeyMayBeGivenAsItsSha256() {
        String hash = HexFormat.of().formatHex(ApiKeys.sha256("hashed-secret-9"));
        ApiKeys keys = ApiKeys.parse(List.of("write:sha256:" + hash.toUpperCase()));
        assertThat(keys.scopeOf("hashed-secret-9")).contains(Scope.WRITE);
        assertThat(keys.scopeOf("sha256:" + hash)).isEmpty();
    }

    @Test
    void scopesAreOrdered() {
        assertThat(Scope.ADMIN.includes(Scope.WRITE)).isTrue();
        assertThat(Scope.ADMIN.includes(Scope.READ)).isTrue();
        assertThat(Scope.WRITE.includes(Scope.READ)).isTrue();
        assertThat(Scope.WRITE.includes(Scope.ADMIN)).isFalse();
        assertThat(Scope.READ.includes(Scope.WRITE)).isFalse();
    }

    @Test
    void badEntriesAreRefusedWithoutEchoingTheKey() {
        assertRefused("reader-secret-2", "not of the form scope:key");
        assertRefused("owner:owner-secret-4", "unknown scope 'owner'");
        assertRefused("read:tiny7", "shorter than 8 characters");
        assertRefused("read:sha256:abc", "malformed sha256");
        assertRefused("admin:change-me-to-a-random-key", "placeholder");
        assertRefused("read:CHANGEME-please-0123", "placeholder");
        assertThatThrownBy(() -> ApiKeys.parse(List.of("read:same-secret-5", "admin:same-secret-5")))
                .hasMessageContaining("entry 2 repeats").hasMessageNotContaining("same-secret-5");
    }

    private static void assertRefused(String entry, String message) {
        String key = entry.substring(entry.indexOf(':') + 1);
        assertThatThrownBy(() -> ApiKeys.parse(List.of(entry)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message)
                .hasMessageNotContaining(key);
    }

    @Test
    void endpointsNeedTheirScope() {
        assertThat(EndpointScopes.required("GET", "/actuator/health/readiness")).isEmpty();
        assertThat(EndpointScopes.required("GET", "/v3/api-docs")).isEmpty();
        assertThat(EndpointScopes.required("GET", "/swagger-ui/index.html")).isEmpty();
        assertThat(EndpointScopes.required("GET", "/")).isEmpty();
        assertThat(EndpointScopes.required("GET", "/console/app.js")).isEmpty();
        assertThat(EndpointScopes.required("GET", "/webjars/chart.js/dist/chart.umd.min.js")).isEmpty();
        assertThat(EndpointScopes.required("GET", "/api/v1/collections/c/images/a/thumbnail")).contains(Scope.READ);
        assertThat(EndpointScopes.required("POST", "/api/v1/collections/c/duplicates:check")).contains(Scope.READ);
        assertThat(EndpointScopes.required("GET", "/actuator/prometheus")).contains(Scope.READ);
        assertThat(EndpointScopes.required("POST", "/api/v1/embeddings")).contains(Scope.READ);
        assertThat(EndpointScopes.required("POST", "/api/v1/collections/c/search")).contains(Scope.READ);
        assertThat(EndpointScopes.required("POST", "/api/v1/collections/c/images:batch")).contains(Scope.WRITE);
        assertThat(EndpointScopes.required("GET", "/api/v1/models")).contains(Scope.ADMIN);
        assertThat(EndpointScopes.required("GET", "/api/v1/collections/c/reindex")).contains(Scope.ADMIN);
        assertThat(EndpointScopes.required("POST", "/api/v1/collections/c/index/tune")).contains(Scope.ADMIN);
        assertThat(EndpointScopes.required("DELETE", "/api/v1/unknown")).contains(Scope.WRITE);
        assertThat(EndpointScopes.required("GET", "/api/v1/health")).contains(Scope.READ);
    }
}
