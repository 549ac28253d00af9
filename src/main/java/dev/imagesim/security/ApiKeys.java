package dev.imagesim.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The configured API keys, held only as SHA-256 hashes. A presented key is hashed and compared with every
 * entry in constant time ({@link MessageDigest#isEqual}), without stopping at a match, so the time taken
 * says nothing about which keys exist or how much of one matched.
 */
public final class ApiKeys {

    private static final String HASH_PREFIX = "sha256:";
    private static final int MIN_KEY_LENGTH = 8;
    /** The mark of the example's keys (docker/imagesim.env.example): a copy left as it is must not work. */
    private static final java.util.regex.Pattern PLACEHOLDER = java.util.regex.Pattern.compile(
            "change[-_]?me", java.util.regex.Pattern.CASE_INSENSITIVE);

    private record Entry(Scope scope, byte[] hash) {
    }

    private final List<Entry> entries;

    private ApiKeys(List<Entry> entries) {
        this.entries = entries;
    }

    /**
     * Parses {@code scope:key} and {@code scope:sha256:<hex>} entries. Error messages name the entry's
     * position, never its key.
     */
    public static ApiKeys parse(List<String> configured) {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < configured.size(); i++) {
            String entry = configured.get(i).trim();
            int colon = entry.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("API key entry " + (i + 1) + " is not of the form scope:key");
            }
            Scope scope = Scope.parse(entry.substring(0, colon));
            byte[] hash = hashOf(entry.substring(colon + 1).trim(), i + 1);
            if (entries.stream().anyMatch(e -> MessageDigest.isEqual(e.hash, hash))) {
                throw new IllegalArgumentException("API key entry " + (i + 1) + " repeats an earlier key");
            }
            entries.add(new Entry(scope, hash));
        }
        return new ApiKeys(List.copyOf(entries));
    }

    private static byte[] hashOf(String key, int position) {
        if (key.startsWith(HASH_PREFIX)) {
            String hex = key.substring(HASH_PREFIX.length());
            if (!hex.matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException("API key entry " + position + " has a malformed sha256 hash");
            }
            return HexFormat.of().parseHex(hex);
        }
        if (PLACEHOLDER.matcher(key).find()) {
            throw new IllegalArgumentException("API key entry " + position + " is the example's placeholder "
                    + "(it contains 'change-me'); put a key of your own there, e.g. from: openssl rand -hex 24");
        }
        if (key.length() < MIN_KEY_LENGTH) {
            throw new IllegalArgumentException(
                    "API key entry " + position + " is shorter than " + MIN_KEY_LENGTH + " characters");
        }
        return sha256(key);
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public int size() {
        return entries.size();
    }

    /** The scope of a presented key, empty when it matches none. */
    public Optional<Scope> scopeOf(String presented) {
        byte[] hash = sha256(presented);
        Scope found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.hash, hash)) {
                found = entry.scope;
            }
        }
        return Optional.ofNullable(found);
    }
}
