package dev.imagesim.catalog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The labels of an image's metadata: one per top-level (key, value) pair, a 128-bit hash of the key and the
 * value's canonical JSON (object keys sorted), so that an equality filter on any key finds its images through
 * the {@code image_labels} table's index whatever the value's size or type. Two values equal as JSON (keys in
 * any order) have one label; a hash collision only adds a candidate, which the search's own comparison with
 * the stored metadata drops.
 */
final class MetadataLabels {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int LABEL_BYTES = 16;

    private MetadataLabels() {
    }

    /** The labels of a metadata document (a JSON object as text); none for null or a non-object. */
    static Set<String> of(String metadataJson) {
        Set<String> labels = new LinkedHashSet<>();
        if (metadataJson == null) {
            return labels;
        }
        JsonNode metadata = JSON.readTree(metadataJson);
        if (metadata.isObject()) {
            metadata.properties().forEach(entry -> labels.add(of(entry.getKey(), entry.getValue())));
        }
        return labels;
    }

    /** The labels every match of an equality filter has, one per condition. */
    static List<String> of(Map<String, JsonNode> filter) {
        List<String> labels = new ArrayList<>(filter.size());
        filter.forEach((key, value) -> labels.add(of(key, value)));
        return labels;
    }

    static String of(String key, JsonNode value) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(key.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(canonical(value).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, LABEL_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String canonical(JsonNode value) {
        if (value.isObject()) {
            Map<String, String> sorted = new TreeMap<>();
            value.properties().forEach(entry -> sorted.put(entry.getKey(), canonical(entry.getValue())));
            StringBuilder text = new StringBuilder("{");
            sorted.forEach((key, member) -> text.append(text.length() > 1 ? "," : "")
                    .append(JSON.getNodeFactory().stringNode(key)).append(':').append(member));
            return text.append('}').toString();
        }
        if (value.isArray()) {
            List<String> members = new ArrayList<>(value.size());
            value.values().forEach(member -> members.add(canonical(member)));
            return "[" + String.join(",", members) + "]";
        }
        return value.toString();
    }
}
