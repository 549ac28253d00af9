package dev.imagesim.index;

import java.util.Arrays;

/**
 * A binary max-heap of (key, node) pairs in two parallel primitive arrays: no boxing and no allocation once
 * it has grown to its working size. Pushing negated keys makes it a min-heap.
 */
final class NodeHeap {

    private float[] keys;
    private int[] nodes;
    private int size;

    NodeHeap(int capacity) {
        keys = new float[Math.max(capacity, 16)];
        nodes = new int[keys.length];
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void clear() {
        size = 0;
    }

    float topKey() {
        return keys[0];
    }

    int topNode() {
        return nodes[0];
    }

    void push(float key, int node) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            nodes = Arrays.copyOf(nodes, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (keys[parent] >= key) {
                break;
            }
            keys[i] = keys[parent];
            nodes[i] = nodes[parent];
            i = parent;
        }
        keys[i] = key;
        nodes[i] = node;
    }

    /** Removes the top pair; read it first with {@link #topKey} and {@link #topNode}. */
    void pop() {
        int last = --size;
        if (last == 0) {
            return;
        }
        float key = keys[last];
        int node = nodes[last];
        int i = 0;
        int half = last >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            if (child + 1 < last && keys[child + 1] > keys[child]) {
                child++;
            }
            if (key >= keys[child]) {
                break;
            }
            keys[i] = keys[child];
            nodes[i] = nodes[child];
            i = child;
        }
        keys[i] = key;
        nodes[i] = node;
    }
}
