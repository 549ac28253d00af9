package dev.imagesim.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

class NodeHeapTest {

    @Test
    void popsInDescendingKeyOrderWithEachKeysNode() {
        NodeHeap heap = new NodeHeap(4);
        Random random = new Random(3);
        float[] keyOf = new float[1000];
        for (int node = 0; node < keyOf.length; node++) {
            keyOf[node] = random.nextInt(200) - 100;
            heap.push(keyOf[node], node);
        }
        assertThat(heap.size()).as("grown past its capacity").isEqualTo(1000);
        Set<Integer> popped = new HashSet<>();
        float previous = Float.POSITIVE_INFINITY;
        while (!heap.isEmpty()) {
            assertThat(heap.topKey()).isLessThanOrEqualTo(previous).isEqualTo(keyOf[heap.topNode()]);
            assertThat(popped.add(heap.topNode())).as("node %d popped once", heap.topNode()).isTrue();
            previous = heap.topKey();
            heap.pop();
        }
        assertThat(popped).hasSize(keyOf.length);
    }

    @Test
    void negatedKeysMakeItAMinHeapAndClearEmptiesIt() {
        NodeHeap heap = new NodeHeap(16);
        for (float distance : new float[] {0.5f, 0.1f, 0.9f, 0.3f}) {
            heap.push(-distance, Math.round(distance * 10));
        }
        assertThat(heap.topNode()).isEqualTo(1);
        heap.pop();
        assertThat(heap.topNode()).isEqualTo(3);
        heap.clear();
        assertThat(heap.isEmpty()).isTrue();
        heap.push(2f, 7);
        assertThat(heap.size()).isEqualTo(1);
        assertThat(heap.topKey()).isEqualTo(2f);
    }
}
