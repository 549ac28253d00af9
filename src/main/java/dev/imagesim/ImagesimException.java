package dev.imagesim;

/**
 * A request the service refuses, with a machine-readable {@link #code()} and a {@link Kind} that the
 * HTTP layer maps to a status. Feature packages throw it without knowing about HTTP.
 */
public class ImagesimException extends RuntimeException {

    /** What went wrong, from the client's point of view. */
    public enum Kind {
        INVALID, NOT_FOUND, CONFLICT, TOO_LARGE, UNSUPPORTED_MEDIA, UNPROCESSABLE, TOO_MANY, UNAVAILABLE, STORAGE_FULL
    }

    private final Kind kind;
    private final String code;

    public ImagesimException(Kind kind, String code, String message) {
        this(kind, code, message, null);
    }

    public ImagesimException(Kind kind, String code, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.code = code;
    }

    public static ImagesimException invalid(String code, String message) {
        return new ImagesimException(Kind.INVALID, code, message);
    }

    public static ImagesimException notFound(String code, String message) {
        return new ImagesimException(Kind.NOT_FOUND, code, message);
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }
}
