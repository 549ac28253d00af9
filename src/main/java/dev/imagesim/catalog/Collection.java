package dev.imagesim.catalog;

import java.time.Instant;

import dev.imagesim.ImagesimException;
import dev.imagesim.ImagesimException.Kind;
import dev.imagesim.vector.Distance;
import dev.imagesim.index.IndexParameters;

/**
 * A named set of images embedded by one model and compared with one distance, or of vectors that clients
 * computed themselves.
 *
 * @param modelId      the model that embeds the collection's images; null for a vector collection
 * @param lastSequence the sequence number of the collection's latest change
 */
public record Collection(String name, String modelId, int dimension, Distance distance, IndexParameters index,
        long lastSequence, Instant createdAt) {

    /** The model that embeds this collection's images, or a 409 for a vector collection. */
    public String requireModel() {
        if (modelId == null) {
            throw new ImagesimException(Kind.CONFLICT, "collection-has-no-model", "collection '" + name
                    + "' holds your own " + dimension + "-d vectors and has no model to embed images: PUT "
                    + "{\"vector\":[...]} as JSON, and search by vector or id");
        }
        return modelId;
    }

    /** Nothing for a vector collection; a 409 for one that embeds images with a model. */
    public void requireNoModel() {
        if (modelId != null) {
            throw new ImagesimException(Kind.CONFLICT, "collection-embeds-images", "collection '" + name
                    + "' embeds images with model " + modelId + "; send images as multipart, or create a "
                    + "collection with a dimension for your own vectors");
        }
    }

    /** Nothing when {@code vector} has this collection's dimension; a 400 {@code dimension-mismatch} otherwise. */
    public void requireDimension(float[] vector, String what) {
        if (vector.length != dimension) {
            throw ImagesimException.invalid("dimension-mismatch", what + " has " + vector.length
                    + " dimensions; collection '" + name + "' holds " + dimension);
        }
    }

    /** The same collection embedded by another model. */
    public Collection withModel(String newModelId, int newDimension) {
        return new Collection(name, newModelId, newDimension, distance, index, lastSequence, createdAt);
    }

    /** The same collection searched with another default {@code ef}. */
    public Collection withEf(int ef) {
        return new Collection(name, modelId, dimension, distance, index.withEf(ef), lastSequence, createdAt);
    }
}
