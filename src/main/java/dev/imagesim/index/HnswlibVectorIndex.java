package dev.imagesim.index;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

import com.github.jelmerk.hnswlib.core.DistanceFunction;
import com.github.jelmerk.hnswlib.core.DistanceFunctions;
import com.github.jelmerk.hnswlib.core.Index;
import com.github.jelmerk.hnswlib.core.SearchResult;
import com.github.jelmerk.hnswlib.core.bruteforce.BruteForceIndex;
import com.github.jelmerk.hnswlib.core.hnsw.HnswIndex;
import com.github.jelmerk.hnswlib.core.hnsw.SizeLimitExceededException;

/**
 * {@link VectorIndex} over hnswlib-core: {@link HnswIndex} for approximate search or {@link BruteForceIndex}
 * for exact search. Cosine collections store unit vectors and rank by inner product (1 − a·b equals the
 * cosine distance then, and is cheaper). Per-query {@code ef} works because hnswlib-core searches the base
 * layer with max(ef, k) candidates: the index's own ef is 1 and a search asks for max(k, ef) results.
 */
public final class HnswlibVectorIndex implements VectorIndex {

    private static final int INITIAL_CAPACITY = 1024;

    private final IndexParameters parameters;
    private final Distance distance;
    private final int dimension;
    private final Index<String, float[], IndexedVector, Float> index;

    private HnswlibVectorIndex(IndexParameters parameters, Distance distance, int dimension,
            Index<String, float[], IndexedVector, Float> index) {
        this.parameters = parameters;
        this.distance = distance;
        this.dimension = dimension;
        this.index = index;
    }

    /** An empty index. */
    public static HnswlibVectorIndex create(IndexParameters parameters, Distance distance, int dimension) {
        DistanceFunction<float[], Float> function = function(distance);
        Index<String, float[], IndexedVector, Float> index = parameters.type() == IndexType.HNSW
                ? HnswIndex.newBuilder(dimension, function, INITIAL_CAPACITY)
                        .withM(parameters.m())
                        .withEfConstruction(parameters.efConstruction())
                        .withEf(1)
                        .withRemoveEnabled()
                        .build()
                : BruteForceIndex.newBuilder(dimension, function).build();
        return new HnswlibVectorIndex(parameters, distance, dimension, index);
    }

    /** Reads an index written by {@link #save}; the caller supplies what the snapshot header recorded. */
    public static HnswlibVectorIndex read(InputStream in, IndexParameters parameters, Distance distance,
            int dimension) throws IOException {
        ClassLoader loader = HnswlibVectorIndex.class.getClassLoader();
        Index<String, float[], IndexedVector, Float> index = parameters.type() == IndexType.HNSW
                ? HnswIndex.load(in, loader)
                : BruteForceIndex.load(in, loader);
        return new HnswlibVectorIndex(parameters, distance, dimension, index);
    }

    private static DistanceFunction<float[], Float> function(Distance distance) {
        return distance == Distance.COSINE
                ? DistanceFunctions.FLOAT_INNER_PRODUCT
                : DistanceFunctions.FLOAT_EUCLIDEAN_DISTANCE;
    }

    @Override
    public void upsert(String id, float[] vector, long version) {
        requireDimension(vector);
        IndexedVector item = new IndexedVector(id, prepared(vector), version);
        try {
            index.add(item);
        } catch (SizeLimitExceededException e) {
            HnswIndex<String, float[], IndexedVector, Float> hnsw = (HnswIndex<String, float[], IndexedVector, Float>) index;
            hnsw.resize(hnsw.getMaxItemCount() * 2);
            index.add(item);
        }
    }

    @Override
    public void remove(String id, long version) {
        index.remove(id, version);
    }

    @Override
    public List<Neighbor> search(float[] query, int k, int ef) {
        requireDimension(query);
        int breadth = parameters.type() == IndexType.HNSW ? Math.max(k, ef) : k;
        List<SearchResult<IndexedVector, Float>> found = index.findNearest(prepared(query), breadth);
        List<Neighbor> neighbors = new ArrayList<>(Math.min(k, found.size()));
        for (int i = 0; i < found.size() && neighbors.size() < k; i++) {
            SearchResult<IndexedVector, Float> result = found.get(i);
            neighbors.add(new Neighbor(result.item().id(), Math.max(0f, result.distance())));
        }
        return neighbors;
    }

    @Override
    public int size() {
        return index.size();
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public Distance distance() {
        return distance;
    }

    @Override
    public IndexType type() {
        return parameters.type();
    }

    public IndexParameters parameters() {
        return parameters;
    }

    @Override
    public void save(OutputStream out) throws IOException {
        index.save(out);
    }

    private void requireDimension(float[] vector) {
        if (vector.length != dimension) {
            throw new IllegalArgumentException("vector has " + vector.length + " dimensions, index has " + dimension);
        }
    }

    private float[] prepared(float[] vector) {
        if (distance != Distance.COSINE) {
            return vector;
        }
        double norm = 0;
        for (float v : vector) {
            norm += (double) v * v;
        }
        norm = Math.sqrt(norm);
        float[] unit = new float[vector.length];
        if (norm > 0) {
            for (int i = 0; i < vector.length; i++) {
                unit[i] = (float) (vector[i] / norm);
            }
        }
        return unit;
    }
}
