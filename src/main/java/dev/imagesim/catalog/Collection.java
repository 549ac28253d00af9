package dev.imagesim.catalog;

import java.time.Instant;

import dev.imagesim.index.Distance;
import dev.imagesim.index.IndexParameters;

/**
 * A named set of images embedded by one model and compared with one distance.
 *
 * @param lastSequence the sequence number of the collection's latest change
 */
public record Collection(String name, String modelId, int dimension, Distance distance, IndexParameters index,
        long lastSequence, Instant createdAt) {

    /** The same collection embedded by another model. */
    public Collection withModel(String newModelId, int newDimension) {
        return new Collection(name, newModelId, newDimension, distance, index, lastSequence, createdAt);
    }
}
