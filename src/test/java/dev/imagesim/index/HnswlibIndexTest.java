package dev.imagesim.index;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.imagesim.vector.Distance;

/** hnswlib-core behind the shared contract, and what is its own: growth past its fixed capacity and ef per search. */
class HnswlibIndexTest extends VectorIndexContractTest {

    @Override
    protected VectorIndex newIndex(Distance distance, int dimension) {
        return new HnswlibIndex(new IndexParameters(IndexType.HNSWLIB, 16, 100, 32), distance, dimension);
    }

    @Override
    protected double minimumRecall() {
        return 0.95;
    }

    @Test
    void growsPastItsInitialCapacity() {
        VectorIndex index = newIndex(Distance.EUCLIDEAN);
        float[][] data = randomVectors(2500, 6);
        filled(index, data);
        assertThat(index.size()).isEqualTo(2500);
        assertThat(index.search(data[2400], 1, 32).get(0).id()).isEqualTo("v2400");
    }

    @Test
    void aWiderSearchFindsAtLeastAsMuch() {
        float[][] data = randomVectors(3000, 8);
        VectorIndex index = filled(newIndex(Distance.COSINE), data);
        int narrow = 0;
        int wide = 0;
        for (float[] q : randomVectors(50, 9)) {
            var truth = nearest(data, q, 10, Distance.COSINE, -1);
            narrow += (int) index.search(q, 10, 10).stream().filter(n -> truth.contains(n.id())).count();
            wide += (int) index.search(q, 10, 400).stream().filter(n -> truth.contains(n.id())).count();
        }
        assertThat(wide).isGreaterThanOrEqualTo(narrow).isGreaterThanOrEqualTo(490);
    }
}
