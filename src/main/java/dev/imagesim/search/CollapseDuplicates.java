package dev.imagesim.search;

/**
 * Asks a search to keep only the best-ranked image of each set of copies among its hits.
 *
 * @param threshold the distance within which two hits are copies; null for the collection's calibrated one
 */
public record CollapseDuplicates(Double threshold) {

    /** The collapse a request's {@code collapseDuplicates} and {@code duplicateThreshold} ask for; null when off. */
    public static CollapseDuplicates of(Boolean collapse, Double threshold) {
        return Boolean.TRUE.equals(collapse) ? new CollapseDuplicates(threshold) : null;
    }
}
