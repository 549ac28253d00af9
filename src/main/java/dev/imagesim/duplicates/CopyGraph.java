package dev.imagesim.duplicates;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The images of a scan as nodes 0…n-1 and the pairs a method found within its threshold as
 * edges, made into groups. Grouping is by representatives, not by connected components: the best-connected
 * image not yet grouped becomes a representative and takes every ungrouped image within the threshold of it,
 * then the next, and so on. Every member is therefore within the threshold of its representative, so a chain
 * of weak edges (a near b, b near c, …) cannot merge images that are nothing alike into one group, and each
 * member's distance to the representative is an edge the method measured. Memory is two ints and a float an
 * edge; a scan adds at most a bounded number of edges an image.
 */
final class CopyGraph {

    private final List<String> ids;
    private int[] from = new int[1024];
    private int[] to = new int[1024];
    private float[] distances = new float[1024];
    private int edges;

    /** A graph over {@code ids}, which may still grow while edges are added: nodes are their indexes. */
    CopyGraph(List<String> ids) {
        this.ids = ids;
    }

    /** Records that nodes {@code a} and {@code b} are within the threshold; either order, repeats allowed. */
    void connect(int a, int b, double distance) {
        if (a == b) {
            return;
        }
        if (edges == from.length) {
            from = Arrays.copyOf(from, edges * 2);
            to = Arrays.copyOf(to, edges * 2);
            distances = Arrays.copyOf(distances, edges * 2);
        }
        from[edges] = a;
        to[edges] = b;
        distances[edges] = (float) distance;
        edges++;
    }

    /**
     * The groups of two or more, largest first (then by representative id), each led by its representative
     * at distance 0 and followed by its members nearest first.
     */
    List<DuplicateGroup> groups() {
        Adjacency adjacency = new Adjacency(ids.size(), from, to, distances, edges);
        Integer[] order = new Integer[ids.size()];
        for (int node = 0; node < order.length; node++) {
            order[node] = node;
        }
        Arrays.sort(order, Comparator.comparingInt((Integer node) -> -adjacency.degree(node))
                .thenComparing(ids::get));
        boolean[] grouped = new boolean[ids.size()];
        List<DuplicateGroup> groups = new ArrayList<>();
        for (int representative : order) {
            if (adjacency.degree(representative) == 0) {
                break;
            }
            if (grouped[representative]) {
                continue;
            }
            List<DuplicateMatch> members = new ArrayList<>();
            for (int i = adjacency.start(representative); i < adjacency.start(representative + 1); i++) {
                int member = adjacency.neighbour(i);
                if (!grouped[member]) {
                    grouped[member] = true;
                    members.add(new DuplicateMatch(ids.get(member), adjacency.distance(i)));
                }
            }
            if (!members.isEmpty()) {
                grouped[representative] = true;
                members.sort(Comparator.comparingDouble(DuplicateMatch::distance).thenComparing(DuplicateMatch::id));
                members.add(0, new DuplicateMatch(ids.get(representative), 0));
                groups.add(new DuplicateGroup(List.copyOf(members)));
            }
        }
        groups.sort(Comparator.comparingInt((DuplicateGroup group) -> -group.members().size())
                .thenComparing(group -> group.members().get(0).id()));
        return groups;
    }

    /**
     * The edges both ways, each node's neighbours in one run of a shared array (compressed sparse rows),
     * repeats merged to their smallest distance.
     */
    private static final class Adjacency {

        private final int[] starts;
        private final int[] neighbours;
        private final float[] distances;

        Adjacency(int nodes, int[] from, int[] to, float[] edgeDistances, int edges) {
            int[] counts = new int[nodes + 1];
            for (int e = 0; e < edges; e++) {
                counts[from[e] + 1]++;
                counts[to[e] + 1]++;
            }
            for (int node = 0; node < nodes; node++) {
                counts[node + 1] += counts[node];
            }
            int[] fill = Arrays.copyOf(counts, nodes);
            long[] packed = new long[2 * edges];
            for (int e = 0; e < edges; e++) {
                packed[fill[from[e]]++] = pack(to[e], edgeDistances[e]);
                packed[fill[to[e]]++] = pack(from[e], edgeDistances[e]);
            }
            starts = new int[nodes + 1];
            neighbours = new int[2 * edges];
            distances = new float[2 * edges];
            int kept = 0;
            for (int node = 0; node < nodes; node++) {
                starts[node] = kept;
                Arrays.sort(packed, counts[node], counts[node + 1]);
                for (int i = counts[node]; i < counts[node + 1]; i++) {
                    int neighbour = (int) (packed[i] >>> 32);
                    if (i > counts[node] && neighbour == neighbours[kept - 1]) {
                        continue;
                    }
                    neighbours[kept] = neighbour;
                    distances[kept] = Float.intBitsToFloat((int) packed[i]);
                    kept++;
                }
            }
            starts[nodes] = kept;
        }

        /**
         * A neighbour and a distance in one long that sorts by neighbour, then by distance: a non-negative
         * float's bits order as the float does.
         */
        private static long pack(int neighbour, float distance) {
            return ((long) neighbour << 32) | (Float.floatToIntBits(Math.max(0f, distance)) & 0xFFFFFFFFL);
        }

        int degree(int node) {
            return starts[node + 1] - starts[node];
        }

        int start(int node) {
            return starts[node];
        }

        int neighbour(int i) {
            return neighbours[i];
        }

        double distance(int i) {
            return distances[i];
        }
    }
}
