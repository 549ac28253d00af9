package dev.imagesim.catalog;

import dev.imagesim.index.VectorIndex;

/** A collection with the index of its current model, taken together so they always agree. */
public record SearchTarget(Collection collection, VectorIndex index) {
}
