package dev.imagesim.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.imagesim.ImagesimException;

/**
 * The paging parameters of the list endpoints: a page size within bounds, and opaque cursors that carry a
 * position (an id, a rank) the client passes back unread.
 */
final class Paging {

    /** The most items a page may ask for. */
    static final int MAX_LIMIT = 1000;

    private Paging() {
    }

    /** 400 {@code limit-out-of-range} outside 1-{@value #MAX_LIMIT}. */
    static void requireLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ImagesimException.invalid("limit-out-of-range", "limit must be 1-" + MAX_LIMIT + ", was " + limit);
        }
    }

    /** The cursor of a position; null for none (the last page). */
    static String cursor(String position) {
        return position == null ? null
                : Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    /** The position a cursor carries; 400 {@code cursor-malformed} for one this service did not give out. */
    static String position(String cursor) {
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw malformed();
        }
    }

    /** A rank (0 or more) a cursor carries; 400 {@code cursor-malformed} otherwise. */
    static int rank(String cursor) {
        try {
            int rank = Integer.parseInt(position(cursor));
            if (rank >= 0) {
                return rank;
            }
        } catch (NumberFormatException e) {
            throw malformed();
        }
        throw malformed();
    }

    private static ImagesimException malformed() {
        return ImagesimException.invalid("cursor-malformed", "cursor is not one this service gave out");
    }
}
