package dev.imagesim.security;

import java.util.Locale;

/**
 * What an API key may do. Scopes are ordered: {@code admin} includes {@code write}, which includes
 * {@code read}.
 */
public enum Scope {
    /** Embed, search, compare, and read collections, images and metrics. */
    READ,
    /** Create and delete collections; ingest and delete images. */
    WRITE,
    /** Training jobs, models, model activation, re-indexing and index tuning. */
    ADMIN;

    public boolean includes(Scope required) {
        return compareTo(required) >= 0;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Scope parse(String text) {
        for (Scope scope : values()) {
            if (scope.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return scope;
            }
        }
        throw new IllegalArgumentException("unknown scope '" + text.trim() + "' (read, write or admin)");
    }
}
