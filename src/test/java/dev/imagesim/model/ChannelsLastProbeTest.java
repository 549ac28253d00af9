package dev.imagesim.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;

import dev.imagesim.TestEngine;
import dev.imagesim.TestManifests;

/**
 * The probe's verdict for a DJL-built network is kept per architecture, input and embedding size and threads a
 * pass; a TorchScript module is probed each time. Blocks that scale their input stand in for the two layouts:
 * scaled by 1 both ways they agree, and a twin that doubles gives other outputs, which the probe rejects when it
 * runs. Blocks that sleep in some of their passes stand in for slow and fast layouts.
 */
class ChannelsLastProbeTest {

    private static final Block AS_IS = scaling(1);
    private static final Block DOUBLING = scaling(2);

    private static IntraOpThreads threads;

    @BeforeAll
    static void engine() {
        threads = TestEngine.start().intraOpThreads();
    }

    @Test
    void aDjlBuiltNetworkOfAShapeProbedBeforeGetsTheEarlierVerdict() {
        ChannelsLastProbe probe = new ChannelsLastProbe(false, threads);
        try (NDManager model = NDManager.newBaseManager()) {
            assertThat(probe.approves(model, AS_IS, AS_IS, manifest(Architecture.CNN, 8, 16), 1)).isTrue();
            assertThat(probe.approves(model, DOUBLING, AS_IS, manifest(Architecture.CNN, 8, 16), 1))
                    .as("the same network and input: the first verdict, no passes").isTrue();
            assertThat(probe.approves(model, DOUBLING, AS_IS, manifest(Architecture.CNN, 12, 16), 1))
                    .as("another input size is probed").isFalse();
            assertThat(probe.approves(model, AS_IS, AS_IS, manifest(Architecture.CNN, 12, 16), 1))
                    .as("and keeps its own verdict").isFalse();
            assertThat(probe.approves(model, DOUBLING, AS_IS, manifest(Architecture.CNN, 8, 32), 1))
                    .as("another embedding size is probed").isFalse();
            assertThat(probe.approves(model, DOUBLING, AS_IS, manifest(Architecture.VGG11, 8, 16), 1))
                    .as("another architecture is probed").isFalse();
            assertThat(probe.approves(model, DOUBLING, AS_IS, manifest(Architecture.CNN, 8, 16), 2))
                    .as("passes served on another number of threads are probed").isFalse();
        }
    }

    @Test
    void aTorchScriptModuleIsProbedEveryTime() {
        ChannelsLastProbe probe = new ChannelsLastProbe(false, threads);
        try (NDManager model = NDManager.newBaseManager()) {
            assertThat(probe.approves(model, AS_IS, AS_IS, manifest(Architecture.TORCHSCRIPT, 8, 16), 1)).isTrue();
            assertThat(probe.approves(model, DOUBLING, AS_IS, manifest(Architecture.TORCHSCRIPT, 8, 16), 1)).isFalse();
        }
    }

    /**
     * A twin whose first passes are slow, as a small network's are before the JIT has compiled the Java around the
     * engine, and whose later passes are fast, is kept: the timed passes come after a warm-up. Timed from the
     * third pass on (as before the warm-up), its medians would have been 30 ms against 2 ms.
     */
    @Test
    void slowFirstPassesDoNotDecide() {
        AtomicInteger passes = new AtomicInteger();
        Block warmingUp = sleeping(30, pass -> passes.incrementAndGet() <= 4);
        Block steady = sleeping(2, pass -> true);
        try (NDManager model = NDManager.newBaseManager()) {
            assertThat(new ChannelsLastProbe(true, threads).approves(model, warmingUp, steady,
                    manifest(Architecture.CNN, 8, 16), 1)).isTrue();
        }
        assertThat(passes.get()).as("passes of the twin: a warm-up and at least three timed").isGreaterThan(7);
    }

    /**
     * Timed passes run on as many intra-op threads as a served pass gets (one for a share of a call, the default;
     * all with one predictor); the caller's count comes back.
     */
    @Test
    void timesOnTheThreadsAServedPassGetsAndGivesTheCallersCountBack() {
        assumeTrue(threads.adjustable() && threads.total() > 1, "libtorch's OpenMP is not bound or has one thread");
        try {
            assertThat(threadsOfThePasses(threads.total(), 1)).as("the compared pass on the caller's threads, the "
                    + "timed ones on one").containsExactlyInAnyOrder(threads.total(), 1);
            assertThat(IntraOpThreads.onThisThread()).isEqualTo(threads.total());
            assertThat(threadsOfThePasses(1, threads.total())).as("the compared pass on the caller's thread, the "
                    + "timed ones on all").containsExactlyInAnyOrder(1, threads.total());
            assertThat(IntraOpThreads.onThisThread()).isEqualTo(1);
        } finally {
            threads.use(threads.total());
        }
    }

    /** The intra-op thread counts the twin's passes ran on, probed by a caller on {@code callers} threads. */
    private static Set<Integer> threadsOfThePasses(int callers, int passThreads) {
        Set<Integer> counts = ConcurrentHashMap.newKeySet();
        Block counting = new LambdaBlock(inputs -> {
            counts.add(IntraOpThreads.onThisThread());
            return AS_IS.forward(null, inputs, false);
        });
        threads.use(callers);
        try (NDManager model = NDManager.newBaseManager()) {
            new ChannelsLastProbe(true, threads).approves(model, counting, AS_IS, manifest(Architecture.CNN, 8, 16),
                    passThreads);
        }
        return counts;
    }

    @Test
    void aSlowerTwinIsNotKept() {
        try (NDManager model = NDManager.newBaseManager()) {
            assertThat(new ChannelsLastProbe(true, threads).approves(model, sleeping(3, pass -> true), AS_IS,
                    manifest(Architecture.CNN, 8, 16), 1)).isFalse();
        }
    }

    private static ModelManifest manifest(Architecture architecture, int size, int dim) {
        return TestManifests.seeded(architecture, size, 3, dim);
    }

    /** A block that passes its input on, sleeping {@code millis} first in the passes {@code slow} says. */
    private static Block sleeping(long millis, IntPredicate slow) {
        AtomicInteger pass = new AtomicInteger();
        return new LambdaBlock(inputs -> {
            if (slow.test(pass.incrementAndGet())) {
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return AS_IS.forward(null, inputs, false);
        });
    }

    private static Block scaling(float factor) {
        return new LambdaBlock(inputs -> new NDList(inputs.singletonOrThrow().mul(factor)));
    }
}
