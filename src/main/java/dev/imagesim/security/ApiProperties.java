package dev.imagesim.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call the API ({@code imagesim.api.*}).
 *
 * @param keys      API keys as {@code scope:key} entries, e.g. {@code admin:k1,read:k2} (environment variable
 *                  {@code IMAGESIM_API_KEYS}); {@code scope:sha256:<hex>} gives the key's SHA-256 instead of
 *                  the key itself. With keys configured, every request except health and the API
 *                  documentation needs one.
 * @param anonymous without keys, where anonymous clients may come from: {@code loopback} (the default: the
 *                  server also binds to 127.0.0.1 unless {@code server.address} says otherwise) or
 *                  {@code anywhere} (environment variable {@code IMAGESIM_API_ANONYMOUS}); ignored when keys
 *                  are configured
 */
@ConfigurationProperties("imagesim.api")
public record ApiProperties(@DefaultValue List<String> keys, @DefaultValue("loopback") Anonymous anonymous) {

    /** Where anonymous clients are served from when no keys are configured. */
    public enum Anonymous {
        LOOPBACK, ANYWHERE
    }

    /** True when requests are served without keys from loopback clients only. */
    public boolean loopbackOnly() {
        return keys.isEmpty() && anonymous == Anonymous.LOOPBACK;
    }
}
