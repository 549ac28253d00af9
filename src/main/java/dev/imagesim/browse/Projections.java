package dev.imagesim.browse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

import org.springframework.stereotype.Service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.imagesim.ImagesimException;
import dev.imagesim.SampleRank;
import dev.imagesim.catalog.Catalog;
import dev.imagesim.catalog.Collection;
import dev.imagesim.catalog.VectorRow;

/**
 * The console's embedding map: a PCA projection of a collection's stored vectors to 2-D, points labelled by a
 * metadata key. A collection larger than the limit is sampled deterministically (the images whose ids hash
 * lowest), and a projection is computed once per collection state (its last sequence number) and kept for
 * the next request of the same key and limit.
 */
@Service
public class Projections {

    public static final int MAX_POINTS = 20_000;
    private static final int CACHED = 16;

    private record Key(String collection, Instant created, long sequence, String labelKey, int limit) {
    }

    private record Sampled(long rank, VectorRow row) {
    }

    private final Catalog catalog;
    private final JsonMapper json;
    private final Cache<Key, Projection> cache = Caffeine.newBuilder().maximumSize(CACHED).build();

    Projections(Catalog catalog, JsonMapper json) {
        this.catalog = catalog;
        this.json = json;
    }

    /** The map of {@code collectionName}; 400 {@code limit-out-of-range} outside 1-{@value #MAX_POINTS}. */
    public Projection of(String collectionName, String labelKey, int limit) {
        if (limit < 1 || limit > MAX_POINTS) {
            throw ImagesimException.invalid("limit-out-of-range", "limit must be 1-" + MAX_POINTS + ", was " + limit);
        }
        Collection collection = catalog.collection(collectionName);
        Key key = new Key(collection.name(), collection.createdAt(), collection.lastSequence(), labelKey, limit);
        return cache.get(key, k -> compute(collection.name(), labelKey, limit));
    }

    private Projection compute(String collection, String labelKey, int limit) {
        Comparator<Sampled> lowestFirst = Comparator.comparingLong(Sampled::rank)
                .thenComparing(sampled -> sampled.row().id());
        PriorityQueue<Sampled> kept = new PriorityQueue<>(limit + 1, lowestFirst.reversed());
        int[] total = {0};
        catalog.forEachVector(collection, row -> {
            total[0]++;
            kept.add(new Sampled(SampleRank.of(row.id(), 0), row));
            if (kept.size() > limit) {
                kept.poll();
            }
        });
        List<VectorRow> sample = kept.stream().sorted(lowestFirst).map(Sampled::row).toList();
        float[][] vectors = sample.stream().map(VectorRow::vector).toArray(float[][]::new);
        Pca.Result pca = Pca.project(vectors);
        List<Projection.Point> points = new ArrayList<>(sample.size());
        for (int i = 0; i < sample.size(); i++) {
            points.add(new Projection.Point(sample.get(i).id(), pca.coordinates()[i][0], pca.coordinates()[i][1],
                    label(sample.get(i).metadataJson(), labelKey)));
        }
        return new Projection("pca", total[0], pca.explained(), points);
    }

    private String label(String metadataJson, String labelKey) {
        if (labelKey == null || metadataJson == null) {
            return null;
        }
        JsonNode value = json.readTree(metadataJson).get(labelKey);
        return value == null || value.isNull() ? null : value.isString() ? value.asString() : value.toString();
    }
}
