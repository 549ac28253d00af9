package dev.imagesim.index;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import dev.imagesim.SampleRank;
import dev.imagesim.vector.Distance;

/**
 * The storage under both index types: every vector side by side in pages of one {@code float[]} each,
 * addressed by an int node number, each followed by what the index type keeps beside it (HNSW: the node's
 * base-layer links), with the node's id, version and deleted flag in parallel arrays. An
 * upsert of a known id with another vector adds a new node and marks the old one deleted (a deleted node
 * still routes HNSW searches but is never returned; a rebuild drops it). Cosine collections store unit
 * vectors.
 *
 * <p>Threads: searches and writes hold the read side of {@link #growth}; growing the arrays takes the
 * write side. Writes of one id are serialised by a striped lock, so versions compare reliably.
 */
abstract sealed class StoredVectorIndex implements TunableIndex permits HnswIndex, ExactIndex {

    private static final int PAGE_FLOATS = 1 << 17;
    private static final VarHandle IDS = MethodHandles.arrayElementVarHandle(String[].class);
    private static final int ID_LOCKS = 64;
    /** No node: what {@link #search(float[], int, int, int)} is given to hide nothing. */
    static final int NO_NODE = -1;

    final IndexParameters parameters;
    final Distance distance;
    final int dimension;
    /** Floats a node takes in its page: its vector, then what the subclass keeps beside it. */
    final int stride;
    final VectorKernel kernel;
    /** Nodes per page: a power of two, at most 128 Ki floats (512 KB) a page, below G1's humongous size. */
    final int pageBits;
    final int pageMask;
    final ReadWriteLock growth = new ReentrantReadWriteLock();

    float[][] pages = new float[0][];
    private String[] ids = new String[0];
    private long[] versions = new long[0];
    boolean[] deleted = new boolean[0];
    private volatile int capacity;
    /** Nodes handed out; each one is fully written before its writer lets go of the read lock. */
    final AtomicInteger allocated = new AtomicInteger();
    private final Map<String, Integer> live = new ConcurrentHashMap<>();
    private final Map<String, Long> removedVersions = new ConcurrentHashMap<>();
    private final Object[] idLocks = new Object[ID_LOCKS];

    StoredVectorIndex(IndexParameters parameters, Distance distance, int dimension, int besideFloats) {
        this.parameters = parameters;
        this.distance = distance;
        this.dimension = dimension;
        this.stride = dimension + besideFloats;
        this.kernel = VectorKernel.of(distance);
        this.pageBits = 31 - Integer.numberOfLeadingZeros(Math.max(64, PAGE_FLOATS / stride));
        this.pageMask = (1 << pageBits) - 1;
        Arrays.setAll(idLocks, i -> new Object());
    }

    /** Links a node whose vector, id and version are written; called with the read lock held. */
    abstract void link(int node);

    /** Makes room for nodes below {@code newCapacity} in the subclass's own arrays; write lock held. */
    abstract void growTo(int newCapacity);

    @Override
    public void upsert(String id, float[] vector, long version) {
        Dimensions.require(vector, dimension);
        float[] prepared = prepared(vector);
        synchronized (idLocks[Math.floorMod(id.hashCode(), ID_LOCKS)]) {
            Long removedAt = removedVersions.get(id);
            Integer existing = live.get(id);
            if (removedAt != null && removedAt > version || existing != null && versionOf(existing) > version) {
                return;
            }
            if (existing != null && holds(existing, prepared)) {
                setVersion(existing, version);
                return;
            }
            int node = add(id, prepared, version, existing);
            live.put(id, node);
            removedVersions.remove(id);
        }
    }

    private int add(String id, float[] prepared, long version, Integer replaced) {
        while (true) {
            growth.readLock().lock();
            try {
                int node = allocate();
                if (node >= 0) {
                    System.arraycopy(prepared, 0, pages[node >>> pageBits], offset(node), dimension);
                    versions[node] = version;
                    IDS.setRelease(ids, node, id);
                    if (replaced != null) {
                        deleted[replaced] = true;
                    }
                    link(node);
                    return node;
                }
            } finally {
                growth.readLock().unlock();
            }
            grow();
        }
    }

    private int allocate() {
        while (true) {
            int node = allocated.get();
            if (node >= capacity) {
                return -1;
            }
            if (allocated.compareAndSet(node, node + 1)) {
                return node;
            }
        }
    }

    private void grow() {
        growth.writeLock().lock();
        try {
            if (allocated.get() >= capacity) {
                resize(Math.max(64, capacity * 2));
            }
        } finally {
            growth.writeLock().unlock();
        }
    }

    private void resize(int newCapacity) {
        int pageNodes = 1 << pageBits;
        int pageCount = (newCapacity + pageNodes - 1) >>> pageBits;
        float[][] grown = Arrays.copyOf(pages, pageCount);
        for (int p = 0; p < pageCount; p++) {
            int floats = Math.min(pageNodes, newCapacity - (p << pageBits)) * stride;
            if (grown[p] == null || grown[p].length < floats) {
                grown[p] = grown[p] == null ? new float[floats] : Arrays.copyOf(grown[p], floats);
            }
        }
        pages = grown;
        ids = Arrays.copyOf(ids, newCapacity);
        versions = Arrays.copyOf(versions, newCapacity);
        deleted = Arrays.copyOf(deleted, newCapacity);
        growTo(newCapacity);
        capacity = newCapacity;
    }

    @Override
    public void remove(String id, long version) {
        synchronized (idLocks[Math.floorMod(id.hashCode(), ID_LOCKS)]) {
            Integer existing = live.get(id);
            if (existing != null) {
                if (versionOf(existing) > version) {
                    return;
                }
                markDeleted(existing);
                live.remove(id);
            }
            removedVersions.merge(id, version, Math::max);
        }
    }

    private void markDeleted(int node) {
        growth.readLock().lock();
        try {
            deleted[node] = true;
        } finally {
            growth.readLock().unlock();
        }
    }

    private long versionOf(int node) {
        growth.readLock().lock();
        try {
            return versions[node];
        } finally {
            growth.readLock().unlock();
        }
    }

    private void setVersion(int node, long version) {
        growth.readLock().lock();
        try {
            versions[node] = version;
        } finally {
            growth.readLock().unlock();
        }
    }

    private boolean holds(int node, float[] prepared) {
        growth.readLock().lock();
        try {
            int offset = offset(node);
            return Arrays.equals(pages[node >>> pageBits], offset, offset + dimension, prepared, 0, dimension);
        } finally {
            growth.readLock().unlock();
        }
    }

    /** The rank key between {@code query[queryOffset ..]} and a node; read lock held. */
    final float rankKey(float[] query, int queryOffset, int node) {
        return kernel.rankKey(query, queryOffset, pages[node >>> pageBits], offset(node), dimension);
    }

    /** The rank key between two nodes; read lock held. */
    final float rankKey(int a, int b) {
        return rankKey(pages[a >>> pageBits], offset(a), b);
    }

    /** True once the node's vector and version are written (its id is set last); read lock held. */
    final boolean published(int node) {
        return IDS.getAcquire(ids, node) != null;
    }

    /** How many nodes the arrays hold now; constant while the read lock is held. */
    final int capacity() {
        return capacity;
    }

    final int offset(int node) {
        return (node & pageMask) * stride;
    }

    /** Empties a max-heap of (rank key, node) into results, nearest first; read lock held. */
    final List<Neighbor> nearestFirst(NodeHeap heap) {
        Neighbor[] found = new Neighbor[heap.size()];
        for (int i = found.length - 1; i >= 0; i--) {
            float key = heap.topKey();
            float d = distance == Distance.EUCLIDEAN ? (float) Math.sqrt(Math.max(0f, key)) : Math.max(0f, key);
            int node = heap.topNode();
            found[i] = new Neighbor(ids[node], d, versions[node]);
            heap.pop();
        }
        return Arrays.asList(found);
    }

    final float[] preparedQuery(float[] query) {
        Dimensions.require(query, dimension);
        return prepared(query);
    }

    @Override
    public final List<Neighbor> search(float[] query, int k, int ef) {
        return search(query, k, ef, NO_NODE);
    }

    @Override
    public final List<Neighbor> searchWithout(float[] query, int k, int ef, String id) {
        return search(query, k, ef, liveNode(id));
    }

    @Override
    public final List<Neighbor> searchAmong(float[] query, int k, java.util.Collection<String> ids) {
        float[] prepared = preparedQuery(query);
        NodeHeap heap = new NodeHeap(k + 1);
        growth.readLock().lock();
        try {
            for (String id : ids) {
                int node = liveNode(id);
                if (node == NO_NODE || deleted[node] || k == 0) {
                    continue; // not live, or replaced since the lookup
                }
                float key = kernel.rankKey(prepared, 0, pages[node >>> pageBits], offset(node), dimension);
                if (heap.size() < k || key < heap.topKey()) {
                    heap.push(key, node);
                    if (heap.size() > k) {
                        heap.pop();
                    }
                }
            }
            return nearestFirst(heap);
        } finally {
            growth.readLock().unlock();
        }
    }

    @Override
    public final List<List<Neighbor>> exactSearchWithout(float[][] queries, String[] ids, int k,
            ScanListener listener) {
        float[][] prepared = new float[queries.length][];
        int[] hidden = new int[queries.length];
        for (int q = 0; q < queries.length; q++) {
            prepared[q] = preparedQuery(queries[q]);
            hidden[q] = liveNode(ids[q]);
        }
        return scan(prepared, hidden, k, listener);
    }

    /** The node that holds {@code id}, or {@link #NO_NODE} for a null id or one that is not live. */
    private int liveNode(String id) {
        Integer node = id == null ? null : live.get(id);
        return node == null ? NO_NODE : node;
    }

    @Override
    public final List<StoredVector> sample(int size, long seed) {
        growth.readLock().lock();
        try {
            Comparator<Ranked> order = Comparator.comparingLong(Ranked::rank).thenComparing(r -> ids[r.node()]);
            PriorityQueue<Ranked> lowest = new PriorityQueue<>(size + 1, order.reversed());
            int count = allocated.get();
            for (int node = 0; node < count; node++) {
                if (deleted[node] || !published(node)) {
                    continue;
                }
                lowest.add(new Ranked(SampleRank.of(ids[node], seed), node));
                if (lowest.size() > size) {
                    lowest.poll();
                }
            }
            List<StoredVector> sample = new ArrayList<>(lowest.size());
            for (Ranked ranked : lowest) {
                int offset = offset(ranked.node());
                sample.add(new StoredVector(ids[ranked.node()],
                        Arrays.copyOfRange(pages[ranked.node() >>> pageBits], offset, offset + dimension)));
            }
            sample.sort(Comparator.comparing(StoredVector::id));
            return sample;
        } finally {
            growth.readLock().unlock();
        }
    }

    private record Ranked(long rank, int node) {
    }

    /**
     * Every live node against every prepared query (a node's vector stays in the cache while all the
     * queries pass over it): the exact {@code k} nearest of each, {@code hidden[q]} left out. Holds the
     * growth lock for {@link ScanListener#EVERY} nodes at a time, so that a long pass never keeps an insert
     * that must grow the index (and the searches queued behind it) waiting for its whole length; nodes
     * added meanwhile are not in it.
     */
    final List<List<Neighbor>> scan(float[][] prepared, int[] hidden, int k, ScanListener listener) {
        NodeHeap[] nearest = new NodeHeap[prepared.length];
        for (int q = 0; q < nearest.length; q++) {
            nearest[q] = new NodeHeap(k + 1);
        }
        int count = allocated.get();
        for (int from = 0; from < count; from += ScanListener.EVERY) {
            if (!listener.scanned(from, count)) {
                throw new CancellationException("the pass over the index was stopped at node " + from);
            }
            growth.readLock().lock();
            try {
                scanNodes(prepared, hidden, k, nearest, from, Math.min(count, from + ScanListener.EVERY));
            } finally {
                growth.readLock().unlock();
            }
        }
        listener.scanned(count, count);
        growth.readLock().lock();
        try {
            List<List<Neighbor>> found = new ArrayList<>(nearest.length);
            for (NodeHeap heap : nearest) {
                found.add(nearestFirst(heap));
            }
            return found;
        } finally {
            growth.readLock().unlock();
        }
    }

    /** Nodes {@code from} to {@code to} (exclusive) into each query's heap of its {@code k} nearest. */
    private void scanNodes(float[][] prepared, int[] hidden, int k, NodeHeap[] nearest, int from, int to) {
        for (int node = from; node < to; node++) {
            if (deleted[node] || !published(node)) {
                continue;
            }
            float[] page = pages[node >>> pageBits];
            int offset = offset(node);
            for (int q = 0; q < prepared.length; q++) {
                float key = kernel.rankKey(prepared[q], 0, page, offset, dimension);
                NodeHeap heap = nearest[q];
                if ((heap.size() < k || key < heap.topKey()) && node != hidden[q]) {
                    heap.push(key, node);
                    if (heap.size() > k) {
                        heap.pop();
                    }
                }
            }
        }
    }

    /** The search, with node {@code hidden} (or {@link #NO_NODE}) left out as {@link #searchWithout} says. */
    abstract List<Neighbor> search(float[] query, int k, int ef, int hidden);

    @Override
    public int size() {
        return live.size();
    }

    /** Nodes in the graph, deleted ones included. */
    public int nodes() {
        return allocated.get();
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

    /**
     * {@inheritDoc} Searches go on meanwhile; writes must not (the catalog holds a collection's write lock
     * while it snapshots).
     */
    @Override
    public void save(OutputStream stream) throws IOException {
        growth.readLock().lock();
        try {
            DataOutputStream out = new DataOutputStream(stream);
            BulkData bulk = new BulkData();
            int count = allocated.get();
            out.writeInt(count);
            for (int node = 0; node < count; node++) {
                out.writeUTF(ids[node]);
                out.writeLong(versions[node]);
                out.writeBoolean(deleted[node]);
            }
            for (int node = 0; node < count; node++) {
                bulk.writeFloats(out, pages[node >>> pageBits], offset(node), dimension);
            }
            out.writeInt(removedVersions.size());
            for (Map.Entry<String, Long> removed : removedVersions.entrySet()) {
                out.writeUTF(removed.getKey());
                out.writeLong(removed.getValue());
            }
            saveLinks(out, bulk, count);
            out.flush();
        } finally {
            growth.readLock().unlock();
        }
    }

    /** Writes the subclass's own structures for the first {@code count} nodes; read lock held. */
    abstract void saveLinks(DataOutputStream out, BulkData bulk, int count) throws IOException;

    /** Reads what {@link #saveLinks} wrote. */
    abstract void readLinks(DataInputStream in, BulkData bulk, int count) throws IOException;

    /** Fills this empty index from a stream written by {@link #save}. */
    final void read(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        BulkData bulk = new BulkData();
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("damaged index: negative node count");
        }
        growth.writeLock().lock();
        try {
            resize(Math.max(64, count));
            for (int node = 0; node < count; node++) {
                ids[node] = in.readUTF();
                versions[node] = in.readLong();
                deleted[node] = in.readBoolean();
                if (!deleted[node] && live.put(ids[node], node) != null) {
                    throw new IOException("damaged index: id " + ids[node] + " is live twice");
                }
            }
            for (int node = 0; node < count; node++) {
                bulk.readFloats(in, pages[node >>> pageBits], offset(node), dimension);
            }
            for (int removed = in.readInt(); removed > 0; removed--) {
                removedVersions.put(in.readUTF(), in.readLong());
            }
            allocated.set(count);
            readLinks(in, bulk, count);
        } finally {
            growth.writeLock().unlock();
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
