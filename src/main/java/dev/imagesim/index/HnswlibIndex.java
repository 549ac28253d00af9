package dev.imagesim.index;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import com.github.jelmerk.hnswlib.core.DistanceFunction;
import com.github.jelmerk.hnswlib.core.DistanceFunctions;
import com.github.jelmerk.hnswlib.core.Item;
import com.github.jelmerk.hnswlib.core.SearchResult;
import com.github.jelmerk.hnswlib.core.hnsw.HnswIndex;
import com.github.jelmerk.hnswlib.core.hnsw.SizeLimitExceededException;

import dev.imagesim.vector.Distance;

/**
 * The hnswlib-core library's HNSW graph (github.com/jelmerk/hnswlib, the library the design card names)
 * behind the {@link VectorIndex} contract, selectable per collection as {@code "index":{"type":"hnswlib"}} so
 * that its speed and recall can be compared with the service's own {@link dev.imagesim.index.HnswIndex} on
 * the same data (docs/performance.md). The library keeps each item's version and refuses older writes and
 * removes itself; its capacity is fixed, so a full graph is resized to twice its size.
 *
 * <p>Threads: writes and searches share the read side of {@link #exclusive}. Its write side is for what the
 * library cannot do beside them: resizing (it swaps the pool of visited sets that running searches return
 * theirs to) and changing the search breadth, which is one setting of the whole graph (a search with another
 * breadth than the last one sets it).
 */
final class HnswlibIndex implements VectorIndex {

    private static final int INITIAL_CAPACITY = 1024;

    /** One stored vector: what the library keeps and serialises. */
    record Entry(String id, float[] vector, long version) implements Item<String, float[]> {

        @Override
        public int dimensions() {
            return vector.length;
        }
    }

    private final IndexParameters parameters;
    private final Distance distance;
    private final int dimension;
    private final ReadWriteLock exclusive = new ReentrantReadWriteLock();
    private final HnswIndex<String, float[], Entry, Float> graph;

    HnswlibIndex(IndexParameters parameters, Distance distance, int dimension) {
        this(parameters, distance, dimension, HnswIndex.newBuilder(dimension, function(distance), INITIAL_CAPACITY)
                .withM(parameters.m()).withEfConstruction(parameters.efConstruction()).withEf(parameters.ef())
                .withRemoveEnabled().build());
    }

    private HnswlibIndex(IndexParameters parameters, Distance distance, int dimension,
            HnswIndex<String, float[], Entry, Float> graph) {
        this.parameters = parameters;
        this.distance = distance;
        this.dimension = dimension;
        this.graph = graph;
    }

    private static DistanceFunction<float[], Float> function(Distance distance) {
        return switch (distance) {
            case COSINE -> DistanceFunctions.FLOAT_COSINE_DISTANCE;
            case EUCLIDEAN -> DistanceFunctions.FLOAT_EUCLIDEAN_DISTANCE;
        };
    }

    @Override
    public void upsert(String id, float[] vector, long version) {
        Dimensions.require(vector, dimension);
        Entry entry = new Entry(id, vector.clone(), version);
        while (true) {
            int capacity = graph.getMaxItemCount();
            exclusive.readLock().lock();
            try {
                graph.add(entry);
                return;
            } catch (SizeLimitExceededException e) {
                // grown below, without the read lock
            } finally {
                exclusive.readLock().unlock();
            }
            grow(capacity);
        }
    }

    /** Doubles the graph's capacity, unless another writer already grew it past {@code full}. */
    private void grow(int full) {
        exclusive.writeLock().lock();
        try {
            if (graph.getMaxItemCount() <= full) {
                graph.resize(full * 2);
            }
        } finally {
            exclusive.writeLock().unlock();
        }
    }

    @Override
    public void remove(String id, long version) {
        exclusive.readLock().lock();
        try {
            graph.remove(id, version);
        } finally {
            exclusive.readLock().unlock();
        }
    }

    @Override
    public List<Neighbor> search(float[] query, int k, int ef) {
        Dimensions.require(query, dimension);
        exclusive.readLock().lock();
        try {
            if (ef == graph.getEf()) {
                return neighbors(graph.findNearest(query, k));
            }
        } finally {
            exclusive.readLock().unlock();
        }
        exclusive.writeLock().lock();
        try {
            graph.setEf(ef);
            return neighbors(graph.findNearest(query, k));
        } finally {
            exclusive.writeLock().unlock();
        }
    }

    private static List<Neighbor> neighbors(List<SearchResult<Entry, Float>> results) {
        List<Neighbor> neighbors = new ArrayList<>(results.size());
        for (SearchResult<Entry, Float> result : results) {
            neighbors.add(new Neighbor(result.item().id(), Math.max(0f, result.distance()), result.item().version()));
        }
        return neighbors;
    }

    @Override
    public List<Neighbor> searchAmong(float[] query, int k, Collection<String> ids) {
        Dimensions.require(query, dimension);
        Comparator<Neighbor> nearestLast = Comparator.comparingDouble(Neighbor::distance).reversed();
        PriorityQueue<Neighbor> nearest = new PriorityQueue<>(k + 1, nearestLast);
        for (String id : ids) {
            Optional<Entry> entry = graph.get(id);
            if (entry.isEmpty() || k == 0) {
                continue;
            }
            nearest.add(new Neighbor(id, distance.between(query, entry.get().vector()), entry.get().version()));
            if (nearest.size() > k) {
                nearest.poll();
            }
        }
        List<Neighbor> found = new ArrayList<>(nearest);
        found.sort(nearestLast.reversed());
        return found;
    }

    @Override
    public int size() {
        return graph.size();
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
    public IndexParameters parameters() {
        return parameters;
    }

    /** The library's own serialisation (Java object streams of {@link Entry}). */
    @Override
    public void save(OutputStream out) throws IOException {
        graph.save(out);
    }

    static HnswlibIndex read(InputStream in, IndexParameters parameters, Distance distance, int dimension)
            throws IOException {
        HnswIndex<String, float[], Entry, Float> graph = HnswIndex.load(in, HnswlibIndex.class.getClassLoader());
        if (graph.getDimensions() != dimension) {
            throw new IOException("hnswlib snapshot of dimension " + graph.getDimensions() + ", expected " + dimension);
        }
        graph.setEf(parameters.ef());
        return new HnswlibIndex(parameters, distance, dimension, graph);
    }
}
