package dev.imagesim.index;

import dev.imagesim.vector.Distance;

class ExactIndexTest extends TunableIndexContractTest {

    @Override
    protected ExactIndex newIndex(Distance distance, int dimension) {
        return new ExactIndex(new IndexParameters(IndexType.EXACT, 16, 100, 32), distance, dimension);
    }

    @Override
    protected double minimumRecall() {
        return 1.0;
    }
}
