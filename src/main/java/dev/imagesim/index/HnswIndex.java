package dev.imagesim.index;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReferenceArray;

import dev.imagesim.vector.Distance;

/**
 * A hierarchical navigable small-world graph (Malkov and Yashunin), laid out as hnswlib's C++ code lays it
 * out: each node's base-layer list ({@code count, id₀ … id₂ₘ₋₁}) right after its vector in
 * {@link StoredVectorIndex}'s pages, so the list a search reads next is usually in the cache lines the
 * distance just brought in, and growing the index copies no links; upper-layer lists per node; candidate and
 * result heaps of primitives, a visited set by generation, scratch space pooled across searches. Inserts
 * run in parallel. Links and counts are ints kept in float slots by their bits ({@link #linkAt}); node
 * numbers stay far below the first NaN pattern (0x7F800001), so every slot is an ordinary float and moves
 * through loads, stores and the snapshot unchanged.
 *
 * <p>Memory model: a link list's count is written with release semantics after its entries, and read with
 * acquire semantics before them, so a search that finds a node through a list also sees the node's vector
 * and links. A list rewritten while a search reads it may be read half old, half new: every entry is still a
 * real node, so the worst case is a slightly different route. Writers change a node's lists under that
 * node's (striped) lock and never hold two node locks at once.
 */
final class HnswIndex extends StoredVectorIndex {

    private static final VarHandle LINKS = MethodHandles.arrayElementVarHandle(float[].class);
    private static final long EMPTY = -1;
    private static final int NODE_LOCKS = 1 << 12;
    private static final int MAX_LEVEL = 30;
    private static final int SCRATCH_SLOTS = 32;

    private final int m;
    private final int maxM0;
    private final int efConstruction;
    private final double levelMultiplier;
    private final Random random = new Random(100);
    private final Object[] nodeLocks = new Object[NODE_LOCKS];
    private final Object entryLock = new Object();
    /** Idle scratch space: a search takes one from a slot and puts it back, one compare-and-set each. */
    private final AtomicReferenceArray<Scratch> scratches = new AtomicReferenceArray<>(SCRATCH_SLOTS);

    /** Lists of layers 1… per node ({@code m + 1} slots a layer), null for nodes only on the base layer. */
    private float[][] upper = new float[0][];
    /** The entry point: its layer in the high half, its node in the low half; {@link #EMPTY} at first. */
    private volatile long entry = EMPTY;

    HnswIndex(IndexParameters parameters, Distance distance, int dimension) {
        super(parameters, distance, dimension, 2 * parameters.m() + 1);
        this.m = parameters.m();
        this.maxM0 = 2 * m;
        this.efConstruction = parameters.efConstruction();
        this.levelMultiplier = 1 / Math.log(m);
        Arrays.setAll(nodeLocks, i -> new Object());
    }

    /** Per-search working memory, reused through {@link #scratches}. */
    private static final class Scratch {
        final VisitedMarks visited = new VisitedMarks(0);
        final NodeHeap candidates = new NodeHeap(64);
        final NodeHeap results = new NodeHeap(64);
        int[] ids = new int[64];
        float[] keys = new float[64];
        final int[] pruneIds;
        final float[] pruneKeys;
        /** The unvisited neighbours of one candidate, and their keys. */
        final int[] batch;
        final float[] batchKeys;
        /** An inserted node's lists on all its layers, top down, each as its count and then its links. */
        final int[] chosen;
        float greedyKey;

        Scratch(int m, int maxM0) {
            chosen = new int[maxM0 + 1 + MAX_LEVEL * (m + 1)];
            pruneIds = new int[maxM0 + 1];
            pruneKeys = new float[maxM0 + 1];
            batch = new int[maxM0];
            batchKeys = new float[maxM0];
        }
    }

    @Override
    void growTo(int newCapacity) {
        upper = Arrays.copyOf(upper, newCapacity);
    }

    @Override
    void link(int node) {
        int level = Math.min(MAX_LEVEL, (int) (-Math.log(1 - random.nextDouble()) * levelMultiplier));
        if (level > 0) {
            upper[node] = new float[level * (m + 1)];
        }
        Scratch scratch = scratch();
        try {
            long start = entry;
            if (start == EMPTY || level > levelOf(start)) {
                synchronized (entryLock) {
                    start = entry;
                    if (start == EMPTY) {
                        entry = pack(level, node);
                        return;
                    }
                    if (level > levelOf(start)) {
                        insert(node, level, start, scratch);
                        entry = pack(level, node);
                        return;
                    }
                }
            }
            insert(node, level, start, scratch);
        } finally {
            release(scratch);
        }
    }

    /**
     * Writes the node's own list on each of its layers, top down, then links the chosen neighbours back to
     * it. Until the first link back nothing reaches the node, so no concurrent insert ever starts a search
     * from a node whose lower lists are still empty (it would link to that node alone, and lose the link
     * when the node writes its own list).
     */
    private void insert(int node, int level, long start, Scratch scratch) {
        float[] q = pages[node >>> pageBits];
        int qOffset = offset(node);
        int current = nodeOf(start);
        int top = levelOf(start);
        scratch.greedyKey = rankKey(q, qOffset, current);
        for (int layer = top; layer > level; layer--) {
            current = greedy(q, qOffset, current, layer, scratch, NO_NODE);
        }
        int lowest = Math.min(level, top);
        int[] chosen = scratch.chosen;
        int written = 0;
        for (int layer = lowest; layer >= 0; layer--) {
            searchLayer(q, qOffset, current, efConstruction, layer, scratch, false, NO_NODE);
            current = chooseNeighbours(node, layer, scratch);
            float[] list = lists(node, layer);
            int base = listStart(node, layer);
            int count = linkAt(list, base);
            for (int i = 0; i <= count; i++) {
                chosen[written + i] = linkAt(list, base + i);
            }
            written += count + 1;
        }
        for (int layer = lowest, at = 0; layer >= 0; layer--, at += chosen[at] + 1) {
            for (int i = 1; i <= chosen[at]; i++) {
                int neighbour = chosen[at + i];
                synchronized (lockOf(neighbour)) {
                    addLink(neighbour, node, layer, scratch);
                }
            }
        }
    }

    @Override
    List<Neighbor> search(float[] query, int k, int ef, int hidden) {
        float[] q = preparedQuery(query);
        growth.readLock().lock();
        try {
            long start = entry;
            if (start == EMPTY || k <= 0) {
                return List.of();
            }
            Scratch scratch = scratch();
            try {
                int current = nodeOf(start);
                scratch.greedyKey = current == hidden ? Float.MAX_VALUE : rankKey(q, 0, current);
                for (int layer = levelOf(start); layer > 0; layer--) {
                    current = greedy(q, 0, current, layer, scratch, hidden);
                }
                searchLayer(q, 0, current, Math.max(ef, k), 0, scratch, true, hidden);
                NodeHeap results = scratch.results;
                while (results.size() > k) {
                    results.pop();
                }
                return nearestFirst(results);
            } finally {
                release(scratch);
            }
        } finally {
            growth.readLock().unlock();
        }
    }

    /**
     * Walks one upper layer towards the query, never onto {@code hidden}; the key of the node it stops at is
     * left in the scratch. Each step ranks the whole list four at a time, then moves to the first nearest,
     * as one at a time would.
     */
    private int greedy(float[] q, int qOffset, int from, int layer, Scratch scratch, int hidden) {
        int[] batch = scratch.batch;
        float[] batchKeys = scratch.batchKeys;
        int current = from;
        float currentKey = scratch.greedyKey;
        boolean moved = true;
        while (moved) {
            moved = false;
            float[] list = lists(current, layer);
            int base = listStart(current, layer);
            int count = countAcquire(list, base);
            for (int i = 0; i < count; i++) {
                batch[i] = linkAt(list, base + 1 + i);
            }
            rankKeys(q, qOffset, batch, count, batchKeys);
            for (int i = 0; i < count; i++) {
                if (batchKeys[i] < currentKey && batch[i] != hidden) {
                    currentKey = batchKeys[i];
                    current = batch[i];
                    moved = true;
                }
            }
        }
        scratch.greedyKey = currentKey;
        return current;
    }

    /**
     * Best-first search of one layer from {@code start}: leaves up to {@code ef} nearest nodes in
     * {@code scratch.results} (a max-heap of rank keys). With {@code liveOnly} deleted nodes are walked
     * through but not collected. {@code hidden} is neither collected nor walked through, unless it is the
     * start (then the walk leaves it).
     */
    private void searchLayer(float[] q, int qOffset, int start, int ef, int layer, Scratch scratch,
            boolean liveOnly, int hidden) {
        VisitedMarks visited = scratch.visited;
        NodeHeap candidates = scratch.candidates;
        NodeHeap results = scratch.results;
        boolean[] removed = deleted;
        int[] batch = scratch.batch;
        float[] batchKeys = scratch.batchKeys;
        visited.reset(capacity());
        candidates.clear();
        results.clear();
        float startKey = rankKey(q, qOffset, start);
        visited.visit(start);
        if (hidden != NO_NODE) {
            visited.visit(hidden);
        }
        candidates.push(-startKey, start);
        float bound = Float.MAX_VALUE;
        if (start != hidden && (!liveOnly || !removed[start])) {
            results.push(startKey, start);
            bound = startKey;
        }
        while (!candidates.isEmpty()) {
            float candidateKey = -candidates.topKey();
            if (candidateKey > bound && results.size() >= ef) {
                break;
            }
            int candidate = candidates.topNode();
            candidates.pop();
            float[] list = lists(candidate, layer);
            int base = listStart(candidate, layer);
            int count = countAcquire(list, base);
            int fresh = 0;
            for (int i = 1; i <= count; i++) {
                int neighbour = linkAt(list, base + i);
                if (visited.visit(neighbour)) {
                    batch[fresh++] = neighbour;
                }
            }
            rankKeys(q, qOffset, batch, fresh, batchKeys);
            for (int i = 0; i < fresh; i++) {
                int neighbour = batch[i];
                float key = batchKeys[i];
                if (results.size() < ef || key < bound) {
                    candidates.push(-key, neighbour);
                    if (!liveOnly || !removed[neighbour]) {
                        results.push(key, neighbour);
                        if (results.size() > ef) {
                            results.pop();
                        }
                    }
                    bound = results.isEmpty() ? Float.MAX_VALUE : results.topKey();
                }
            }
        }
    }

    /** Keys of {@code count} nodes to the query, four at a time. */
    private void rankKeys(float[] q, int qOffset, int[] nodes, int count, float[] keys) {
        float[][] vectors = pages;
        int i = 0;
        for (; i + 4 <= count; i += 4) {
            int a = nodes[i];
            int b = nodes[i + 1];
            int c = nodes[i + 2];
            int d = nodes[i + 3];
            kernel.rankKeys4(q, qOffset, vectors[a >>> pageBits], offset(a), vectors[b >>> pageBits], offset(b),
                    vectors[c >>> pageBits], offset(c), vectors[d >>> pageBits], offset(d), dimension, keys, i);
        }
        for (; i < count; i++) {
            keys[i] = rankKey(q, qOffset, nodes[i]);
        }
    }

    /**
     * Writes {@code node}'s list on {@code layer}: the neighbours the heuristic picks from the search
     * results. Returns the nearest, where the next layer down starts.
     */
    private int chooseNeighbours(int node, int layer, Scratch scratch) {
        NodeHeap results = scratch.results;
        int found = results.size();
        if (scratch.ids.length < found) {
            scratch.ids = new int[found * 2];
            scratch.keys = new float[found * 2];
        }
        int[] ids = scratch.ids;
        float[] keys = scratch.keys;
        for (int i = found - 1; i >= 0; i--) {
            ids[i] = results.topNode();
            keys[i] = results.topKey();
            results.pop();
        }
        int chosen = selectNeighbours(ids, keys, found, m);
        synchronized (lockOf(node)) {
            writeList(node, layer, ids, chosen);
        }
        return ids[0];
    }

    /** Adds {@code node} to {@code to}'s list, pruning it with the heuristic when full; {@code to}'s lock held. */
    private void addLink(int to, int node, int layer, Scratch scratch) {
        float[] list = lists(to, layer);
        int base = listStart(to, layer);
        int max = layer == 0 ? maxM0 : m;
        int count = linkAt(list, base);
        for (int i = 1; i <= count; i++) {
            if (linkAt(list, base + i) == node) {
                return;
            }
        }
        if (count < max) {
            list[base + 1 + count] = Float.intBitsToFloat(node);
            LINKS.setRelease(list, base, Float.intBitsToFloat(count + 1));
            return;
        }
        int[] ids = scratch.pruneIds;
        float[] keys = scratch.pruneKeys;
        ids[0] = node;
        keys[0] = rankKey(to, node);
        for (int i = 0; i < count; i++) {
            ids[i + 1] = linkAt(list, base + 1 + i);
            keys[i + 1] = rankKey(to, ids[i + 1]);
        }
        sortByKey(ids, keys, count + 1);
        int kept = selectNeighbours(ids, keys, count + 1, max);
        writeList(to, layer, ids, kept);
    }

    private void writeList(int node, int layer, int[] ids, int count) {
        float[] list = lists(node, layer);
        int base = listStart(node, layer);
        for (int i = 0; i < count; i++) {
            list[base + 1 + i] = Float.intBitsToFloat(ids[i]);
        }
        LINKS.setRelease(list, base, Float.intBitsToFloat(count));
    }

    /** A link (or a list's count) as stored: the int's bits in a float slot. */
    private static int linkAt(float[] list, int at) {
        return Float.floatToRawIntBits(list[at]);
    }

    /** A list's count, read before its links (see the class comment). */
    private static int countAcquire(float[] list, int base) {
        return Float.floatToRawIntBits((float) LINKS.getAcquire(list, base));
    }

    /**
     * hnswlib's neighbour heuristic: walks candidates nearest first and keeps one only if it is nearer to
     * the base than to every candidate kept so far, up to {@code max}. Compacts the kept ones to the front.
     */
    private int selectNeighbours(int[] ids, float[] keys, int count, int max) {
        if (count < max) {
            return count;
        }
        int kept = 0;
        for (int i = 0; i < count && kept < max; i++) {
            int candidate = ids[i];
            float key = keys[i];
            boolean diverse = true;
            for (int j = 0; j < kept; j++) {
                if (rankKey(candidate, ids[j]) < key) {
                    diverse = false;
                    break;
                }
            }
            if (diverse) {
                ids[kept] = candidate;
                keys[kept] = key;
                kept++;
            }
        }
        return kept;
    }

    private static void sortByKey(int[] ids, float[] keys, int count) {
        for (int i = 1; i < count; i++) {
            int id = ids[i];
            float key = keys[i];
            int j = i - 1;
            while (j >= 0 && keys[j] > key) {
                ids[j + 1] = ids[j];
                keys[j + 1] = keys[j];
                j--;
            }
            ids[j + 1] = id;
            keys[j + 1] = key;
        }
    }

    /** The array that holds {@code node}'s link list on {@code layer}: its page on the base layer. */
    private float[] lists(int node, int layer) {
        return layer == 0 ? pages[node >>> pageBits] : upper[node];
    }

    /** Where that list starts in {@link #lists}: its count, then its links; right after the vector on layer 0. */
    private int listStart(int node, int layer) {
        return layer == 0 ? offset(node) + dimension : (layer - 1) * (m + 1);
    }

    private Scratch scratch() {
        for (int i = 0; i < SCRATCH_SLOTS; i++) {
            Scratch idle = scratches.get(i);
            if (idle != null && scratches.compareAndSet(i, idle, null)) {
                return idle;
            }
        }
        return new Scratch(m, maxM0);
    }

    /** Keeps the scratch for the next search, unless every slot is taken (more threads than slots). */
    private void release(Scratch scratch) {
        for (int i = 0; i < SCRATCH_SLOTS; i++) {
            if (scratches.get(i) == null && scratches.compareAndSet(i, null, scratch)) {
                return;
            }
        }
    }

    private Object lockOf(int node) {
        return nodeLocks[node & (NODE_LOCKS - 1)];
    }

    private static long pack(int level, int node) {
        return (long) level << 32 | node;
    }

    private static int levelOf(long packed) {
        return (int) (packed >>> 32);
    }

    private static int nodeOf(long packed) {
        return (int) packed;
    }

    @Override
    void saveLinks(DataOutputStream out, BulkData bulk, int count) throws IOException {
        out.writeLong(entry);
        for (int node = 0; node < count; node++) {
            bulk.writeFloats(out, lists(node, 0), listStart(node, 0), maxM0 + 1);
        }
        for (int node = 0; node < count; node++) {
            float[] lists = upper[node];
            out.writeInt(lists == null ? 0 : lists.length);
            if (lists != null) {
                bulk.writeFloats(out, lists, 0, lists.length);
            }
        }
    }

    @Override
    void readLinks(DataInputStream in, BulkData bulk, int count) throws IOException {
        long start = in.readLong();
        if (start != EMPTY && (nodeOf(start) < 0 || nodeOf(start) >= count || levelOf(start) > MAX_LEVEL)
                || start == EMPTY && count > 0) {
            throw new IOException("damaged index: entry point " + start + " with " + count + " nodes");
        }
        for (int node = 0; node < count; node++) {
            float[] page = lists(node, 0);
            int base = listStart(node, 0);
            bulk.readFloats(in, page, base, maxM0 + 1);
            checkLists(page, base, maxM0 + 1, maxM0, count);
        }
        for (int node = 0; node < count; node++) {
            int length = in.readInt();
            if (length < 0 || length % (m + 1) != 0 || length > MAX_LEVEL * (m + 1)) {
                throw new IOException("damaged index: node " + node + " has upper lists of " + length + " ints");
            }
            if (length > 0) {
                upper[node] = new float[length];
                bulk.readFloats(in, upper[node], 0, length);
                checkLists(upper[node], 0, length, m, count);
            }
        }
        if (start != EMPTY && (upper[nodeOf(start)] == null ? 0 : upper[nodeOf(start)].length / (m + 1))
                != levelOf(start)) {
            throw new IOException("damaged index: the entry point's layers do not match its level");
        }
        entry = start;
    }

    /** Rejects lists with a count above {@code max} or a link outside the graph, so a search cannot fail. */
    private static void checkLists(float[] lists, int from, int length, int max, int count) throws IOException {
        for (int base = from; base < from + length; base += max + 1) {
            int size = linkAt(lists, base);
            if (size < 0 || size > max) {
                throw new IOException("damaged index: a link list of " + size + " entries");
            }
            for (int i = 1; i <= size; i++) {
                int link = linkAt(lists, base + i);
                if (link < 0 || link >= count) {
                    throw new IOException("damaged index: a link to node " + link);
                }
            }
        }
    }
}
