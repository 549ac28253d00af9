package dev.imagesim.index;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import com.github.jelmerk.hnswlib.core.DistanceFunction;
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
    /**
     * Growing replaces hnswlib-core's internal arrays and its pool of visited-lists, which a search or add in
     * flight would still use ("Queue full", out-of-bounds reads): they share this lock, growth takes it
     * alone.
     */
    private final ReadWriteLock growth = new ReentrantReadWriteLock();

    private HnswlibVectorIndex(IndexParameters parameters, Distance distance, int dimension,
            Index<String, float[], IndexedVector, Float> index) {
        this.parameters = parameters;
        this.distance = distance;
        this.dimension = dimension;
        this.index = index;
    }

    /** An empty index. */
    public static HnswlibVectorIndex create(IndexParameters parameters, Distance distance, int dimension) {
        DistanceFunction<float[], Float> function = DistanceFunctionsFactory.of(distance);
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


    @Override
    public void upsert(String id, float[] vector, long version) {
        requireDimension(vector);
        IndexedVector item = new IndexedVector(id, prepared(vector), version);
        while (!tryAdd(item)) {
            grow();
        }
    }

    private boolean tryAdd(IndexedVector item) {
        growth.readLock().lock();
        try {
            index.add(item);
            return true;
        } catch (SizeLimitExceededException e) {
            return false;
        } finally {
            growth.readLock().unlock();
        }
    }

    private void grow() {
        growth.writeLock().lock();
        try {
            HnswIndex<String, float[], IndexedVector, Float> hnsw = (HnswIndex<String, float[], IndexedVector, Float>) index;
            if (hnsw.size() >= hnsw.getMaxItemCount()) { // another writer may have grown it already
                hnsw.resize(hnsw.getMaxItemCount() * 2);
            }
        } finally {
            growth.writeLock().unlock();
        }
    }

    @Override
    public void remove(String id, long version) {
        growth.readLock().lock();
        try {
            index.remove(id, version);
        } finally {
            growth.readLock().unlock();
        }
    }

    @Override
    public List<Neighbor> search(float[] query, int k, int ef) {
        requireDimension(query);
        int breadth = parameters.type() == IndexType.HNSW ? Math.max(k, ef) : k;
        List<SearchResult<IndexedVector, Float>> found;
        growth.readLock().lock();
        try {
            found = index.findNearest(prepared(query), breadth);
        } finally {
            growth.readLock().unlock();
        }
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
        growth.readLock().lock();
        try {
            index.save(out);
        } finally {
            growth.readLock().unlock();
        }
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
