package dev.imagesim.catalog;

import java.util.regex.Pattern;

import dev.imagesim.ImagesimException;

/** Rules for client-chosen names: they end up in URLs, file names and logs. */
public final class Identifiers {

    private static final Pattern COLLECTION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");
    /** Letters and digits of any script plus {@code . _ - : @ + = ~}; no slash, space or control character. */
    private static final Pattern IMAGE_ID = Pattern.compile("[\\p{L}\\p{N}_\\-:@+=~][\\p{L}\\p{N}._\\-:@+=~]{0,255}");

    private Identifiers() {
    }

    public static String requireCollectionName(String name) {
        if (name == null || !COLLECTION.matcher(name).matches()) {
            throw ImagesimException.invalid("invalid-collection-name", "collection name '" + name
                    + "' must be 1-128 characters of A-Z, a-z, 0-9, '_' or '-', starting with a letter or digit");
        }
        return name;
    }

    public static String requireImageId(String id) {
        if (id == null || !IMAGE_ID.matcher(id).matches()) {
            throw ImagesimException.invalid("invalid-image-id", "image id '" + id + "' must be 1-256 letters, "
                    + "digits or the characters . _ - : @ + = ~ (not starting with '.'), without slashes or spaces");
        }
        return id;
    }
}
