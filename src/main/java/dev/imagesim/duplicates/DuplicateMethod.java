package dev.imagesim.duplicates;

import java.util.Locale;

import dev.imagesim.ImagesimException;

/**
 * How copies are recognised: {@code hash}, a 64-bit DCT perceptual hash within a Hamming distance (no model
 * needed); {@code exact}, identical bytes; {@code embedding}, the collection's own vectors within a distance.
 */
public enum DuplicateMethod {
    HASH, EXACT, EMBEDDING;

    /** The method named (any case), {@code fallback} when none is; 400 {@code method-unknown}. */
    public static DuplicateMethod parse(String name, DuplicateMethod fallback) {
        if (name == null) {
            return fallback;
        }
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ImagesimException.invalid("method-unknown",
                    "method must be 'embedding', 'hash' or 'exact', was '" + name + "'");
        }
    }

    /**
     * The threshold this method uses: the one given, checked (400 {@code threshold-out-of-range}: whole bits
     * 0-64 for {@code hash}, a distance of 0 or more for {@code embedding}; ignored for {@code exact}, 0), or
     * its default ({@link DuplicateCheck#DEFAULT_HASH_BITS} for {@code hash}; null for {@code embedding}, whose
     * default is calibrated on the collection).
     */
    Double checked(Double threshold) {
        if (this == EXACT) {
            return 0.0;
        }
        if (threshold == null) {
            return this == HASH ? Double.valueOf(DuplicateCheck.DEFAULT_HASH_BITS) : null;
        }
        if (this == HASH && (threshold < 0 || threshold > 64 || threshold != Math.rint(threshold))) {
            throw ImagesimException.invalid("threshold-out-of-range",
                    "a hash threshold is a whole number of bits, 0-64; was " + threshold);
        }
        if (this == EMBEDDING && (threshold < 0 || threshold.isNaN() || threshold.isInfinite())) {
            throw ImagesimException.invalid("threshold-out-of-range", "threshold must be a distance of 0 or more");
        }
        return threshold;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
