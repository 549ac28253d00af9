package dev.imagesim.maintenance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.stream.IntStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.imagesim.ImagesimException;
import dev.imagesim.ImagesimException.Kind;
import dev.imagesim.RequestLimits;
import dev.imagesim.catalog.Catalog;
import dev.imagesim.catalog.Collection;
import dev.imagesim.catalog.SearchTarget;
import dev.imagesim.index.IndexType;
import dev.imagesim.index.Neighbor;
import dev.imagesim.index.StoredVector;
import dev.imagesim.index.TunableIndex;

/**
 * Chooses a collection's default {@code ef} from a target recall, or sets it by hand. A seeded sample of
 * its own vectors ({@link TunableIndex#sample}) are the queries, each left out of the
 * collection while it is one: its exact top-k among the other live vectors comes from one pass over the
 * index's vectors for all the queries ({@link TunableIndex#exactSearchWithout}, the
 * searches' own distance kernel), and the HNSW index is searched as if it did not hold the query
 * ({@link TunableIndex#searchWithout}). A stored vector searched for as it is finds
 * itself and, through its own links, its neighbours, and promises more recall than new queries get. The
 * {@code ef} is grown, up to a bound the caller may lower, until the mean recall@k reaches the target, and
 * becomes the collection's default unless the caller asked for a dry run. A hit counts when its distance is
 * within the exact k-th distance, so ties do not count as misses. {@link #prepare} checks the goal and
 * samples (in the request), {@link #run} does the work (in the background, {@link EfTunings}), reporting
 * after each query's search and stopping when asked.
 */
@Component
public class EfTuner {

    /** One {@code ef} tried: its mean recall@k over the sample and mean search time. */
    public record Step(int ef, double recall, double meanMillis) {
    }

    /**
     * What tuning is asked for: the mean recall@k to reach over {@code sampleSize} sampled vectors, the
     * largest ef to try, and whether the ef found becomes the collection's default ({@code apply}) or is
     * only reported.
     */
    public record Goal(double targetRecall, int k, int sampleSize, int maxEf, boolean apply) {
    }

    /**
     * What tuning found. {@code reached} is false when even the largest ef tried fell short;
     * {@code applied} says whether the ef became the collection's default.
     */
    public record Result(String collection, int k, int sample, double targetRecall, int ef, double recall,
            boolean reached, boolean applied, List<Step> sweep) {
    }

    private static final Logger log = LoggerFactory.getLogger(EfTuner.class);
    private static final int[] CANDIDATES = {8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024,
            1536, 2048, 3072, 4096};
    private static final int MAX_SAMPLE = 2000;
    /**
     * Relative slack between the search's distances and the exact pass's: both come from the same kernel
     * and add in the same order, so this only guards a kernel that one day rounds its paths differently.
     */
    private static final float TIE = 1e-5f;

    /** Sampled queries, by index: the stored vectors and their ids; how many live vectors they came from. */
    record Sample(List<String> ids, List<float[]> queries, int live) {
    }

    /**
     * A checked goal with its sampled queries and the ef values the sweep may try, in order; made by
     * {@link #prepare}, carried out by {@link #run}.
     */
    public record Tuning(Collection collection, TunableIndex index, Goal goal, Sample sample, List<Integer> efs) {

        public String name() {
            return collection.name();
        }

        public int sampleSize() {
            return sample.ids().size();
        }
    }

    /** What a running tuning reports, and how it is asked to stop. */
    public interface Listener {

        /** The exact pass has compared {@code scanned} of {@code nodes} stored vectors with every query. */
        void scanned(int scanned, int nodes);

        /** The exact pass is done; the ef sweep starts. */
        void sweepStarted();

        /** {@code queries} of the sample have been searched at {@code ef}. */
        void searched(int ef, int queries);

        /** One ef has been measured over the whole sample. */
        void stepDone(Step step);

        /** Asked before each query's search and during the exact pass; true stops the run. */
        boolean cancelled();
    }

    private final Catalog catalog;
    private final RequestLimits limits;

    public EfTuner(Catalog catalog, RequestLimits limits) {
        this.catalog = catalog;
        this.limits = limits;
    }

    /**
     * Checks a tuning goal against a collection and samples its queries: every refusal (400, 404, 409)
     * happens here, before the work starts.
     */
    public Tuning prepare(String collectionName, Goal goal) {
        if (!(goal.targetRecall() > 0 && goal.targetRecall() <= 1)) {
            throw ImagesimException.invalid("target-recall-out-of-range", "targetRecall must be in (0, 1]");
        }
        int k = goal.k();
        limits.requireK(k);
        if (goal.sampleSize() < 1 || goal.sampleSize() > MAX_SAMPLE) {
            throw ImagesimException.invalid("sample-out-of-range", "sampleSize must be 1-" + MAX_SAMPLE);
        }
        if (goal.maxEf() < k || goal.maxEf() > limits.maxEf()) {
            throw ImagesimException.invalid("max-ef-out-of-range", "maxEf must be between k (" + k + ") and "
                    + limits.maxEf() + " (imagesim.limits.max-ef), was " + goal.maxEf());
        }
        SearchTarget target = catalog.searchTarget(collectionName);
        requireBreadth(target);
        TunableIndex index = tunable(target);
        Sample sample = sample(index, collectionName, goal.sampleSize());
        if (sample.live() < 2) {
            throw new ImagesimException(Kind.CONFLICT, "collection-too-small", "collection '" + collectionName
                    + "' holds " + sample.live() + " vectors; tuning searches for each sampled vector among "
                    + "the others, so it needs at least 2");
        }
        return new Tuning(target.collection(), index, goal, sample, candidates(k, goal.maxEf()));
    }

    /**
     * Finds the sample's exact neighbours, then sweeps ef until the target is reached, telling
     * {@code listener} after each query; applies the ef found unless the goal is a dry run.
     *
     * @throws CancellationException when the listener asks to stop; nothing is applied then
     */
    public Result run(Tuning tuning, Listener listener) {
        Goal goal = tuning.goal();
        int k = goal.k();
        float[] kthDistance = exactKthDistances(tuning.index(), tuning.sample(), k, listener);
        listener.sweepStarted();
        List<Step> sweep = new ArrayList<>();
        for (int ef : tuning.efs()) {
            Step step = measure(tuning, kthDistance, Math.min(k, tuning.sample().live() - 1), ef, listener);
            sweep.add(step);
            listener.stepDone(step);
            if (step.recall() >= goal.targetRecall()) {
                break;
            }
        }
        Step chosen = sweep.get(sweep.size() - 1);
        String name = tuning.name();
        if (goal.apply()) {
            catalog.setDefaultEf(name, chosen.ef());
            log.info("collection {}: default ef {} (recall@{} {} on {} sampled vectors, target {})", name,
                    chosen.ef(), k, String.format("%.4f", chosen.recall()), tuning.sampleSize(),
                    goal.targetRecall());
        }
        return new Result(name, k, tuning.sampleSize(), goal.targetRecall(), chosen.ef(), chosen.recall(),
                chosen.recall() >= goal.targetRecall(), goal.apply(), List.copyOf(sweep));
    }

    /** Makes {@code ef} the collection's default for searches that give none. */
    public void set(String collectionName, int ef) {
        limits.requireEf(ef);
        requireBreadth(catalog.searchTarget(collectionName));
        log.info("collection {}: default ef {} (set by hand)", catalog.setDefaultEf(collectionName, ef).name(), ef);
    }

    /** 409 for an exact index: it has no search breadth. */
    private static void requireBreadth(SearchTarget target) {
        if (target.collection().index().type() == IndexType.EXACT) {
            throw new ImagesimException(Kind.CONFLICT, "index-exact", "collection '" + target.collection().name()
                    + "' has an exact index: every search is exact, there is no ef");
        }
    }

    /** The collection's index, if the tuner can measure it: 409 for a backend without exact passes. */
    private static TunableIndex tunable(SearchTarget target) {
        if (!(target.index() instanceof TunableIndex index)) {
            throw new ImagesimException(Kind.CONFLICT, "index-not-tunable", "collection '"
                    + target.collection().name() + "' uses the " + target.collection().index().type().wireName()
                    + " index, which the tuner cannot measure; set its ef with PUT index/ef");
        }
        return index;
    }

    /** k itself, then the fixed ladder strictly between k and maxEf, then maxEf. */
    private static List<Integer> candidates(int k, int maxEf) {
        return IntStream.concat(IntStream.concat(IntStream.of(k),
                Arrays.stream(CANDIDATES).filter(ef -> ef > k && ef < maxEf)), IntStream.of(maxEf))
                .distinct().boxed().toList();
    }

    /** A sample of the index's live vectors, the same for the same contents of the same collection. */
    private static Sample sample(TunableIndex index, String collectionName, int size) {
        List<StoredVector> stored = index.sample(size, collectionName.hashCode());
        return new Sample(stored.stream().map(StoredVector::id).toList(),
                stored.stream().map(StoredVector::vector).toList(), index.size());
    }

    /**
     * For each query, the distance of its k-th exact neighbour among the other live vectors (or its last,
     * in a collection of k or fewer), from one pass over the index's stored vectors.
     */
    private static float[] exactKthDistances(TunableIndex index, Sample sample, int k, Listener listener) {
        List<List<Neighbor>> exact = index.exactSearchWithout(sample.queries().toArray(float[][]::new),
                sample.ids().toArray(String[]::new), k, (scanned, nodes) -> {
                    listener.scanned(scanned, nodes);
                    return !listener.cancelled();
                });
        float[] kth = new float[exact.size()];
        for (int q = 0; q < kth.length; q++) {
            List<Neighbor> nearest = exact.get(q);
            kth[q] = nearest.isEmpty() ? Float.MAX_VALUE : nearest.get(nearest.size() - 1).distance();
        }
        return kth;
    }

    /**
     * Mean recall@k over the queries, each searched for without itself; {@code expected} is k, or fewer in a
     * collection of k or fewer vectors.
     */
    private static Step measure(Tuning tuning, float[] kthDistance, int expected, int ef, Listener listener) {
        Sample sample = tuning.sample();
        List<float[]> queries = sample.queries();
        long hits = 0;
        long start = System.nanoTime();
        for (int q = 0; q < queries.size(); q++) {
            if (listener.cancelled()) {
                throw new CancellationException("tuning of collection '" + tuning.name() + "' was cancelled");
            }
            for (Neighbor neighbor : tuning.index().searchWithout(queries.get(q), expected, ef,
                    sample.ids().get(q))) {
                hits += neighbor.distance() <= kthDistance[q] * (1 + TIE) + TIE ? 1 : 0;
            }
            listener.searched(ef, q + 1);
        }
        double millis = (System.nanoTime() - start) / 1e6 / queries.size();
        return new Step(ef, Math.min(1.0, hits / ((double) expected * queries.size())), millis);
    }
}
