package dev.imagesim.api;

import java.time.Instant;

import dev.imagesim.catalog.CollectionInfo;

/** A collection as the API shows it. */
record CollectionResponse(String name, String model, int dimension, String distance, IndexView index, int size,
        Instant createdAt) {

    record IndexView(String type, int m, int efConstruction, int ef) {
    }

    static CollectionResponse of(CollectionInfo info) {
        var c = info.collection();
        var p = c.index();
        return new CollectionResponse(c.name(), c.modelId(), c.dimension(), c.distance().wireName(),
                new IndexView(p.type().wireName(), p.m(), p.efConstruction(), p.ef()), info.size(), c.createdAt());
    }
}
