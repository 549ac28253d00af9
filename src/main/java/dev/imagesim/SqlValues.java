package dev.imagesim;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Conversions between the service's values and the columns both databases (H2, PostgreSQL) store them in. */
public final class SqlValues {

    /** The longest message an error column holds ({@code VARCHAR(4000)}). */
    public static final int MESSAGE_LENGTH = 4000;

    private SqlValues() {
    }

    /** A {@code TIMESTAMP WITH TIME ZONE} column as an instant, or null. */
    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** An instant (or null) for a {@code TIMESTAMP WITH TIME ZONE} column, in UTC. */
    public static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** A message cut to {@link #MESSAGE_LENGTH} characters, marked with an ellipsis where it was cut. */
    public static String message(String text) {
        return text == null || text.length() <= MESSAGE_LENGTH ? text
                : text.substring(0, MESSAGE_LENGTH - 3) + "...";
    }
}
