package dev.imagesim.catalog;

import java.util.List;

/**
 * Where a re-index starts: the collection as it was, the last sequence number its index had applied, and
 * its live images at (or after) that point.
 */
public record ReindexBase(Collection collection, long sequence, List<StoredOriginal> originals) {
}
