package dev.imagesim.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
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
import dev.imagesim.index.Distance;
import dev.imagesim.index.IndexType;
import dev.imagesim.index.Neighbor;

/**
 * Chooses a collection's default {@code ef} from a target recall. A seeded sample of its own vectors are
 * the queries; their exact top-k comes from one pass over every live vector in the database; then the HNSW
 * index is searched with growing {@code ef} until the mean recall@k reaches the target, and that
 * {@code ef} becomes the collection's default. A hit counts when its distance is within the exact k-th
 * distance, so ties do not count as misses.
 */
@Component
public class EfTuner {

    /** One {@code ef} tried: its mean recall@k over the sample and mean search time. */
    public record Step(int ef, double recall, double meanMillis) {
    }

    /** What tuning found and set. {@code reached} is false when even the largest ef tried fell short. */
    public record Result(String collection, int k, int sample, double targetRecall, int ef, double recall,
            boolean reached, List<Step> sweep) {
    }

    private static final Logger log = LoggerFactory.getLogger(EfTuner.class);
    private static final int[] CANDIDATES = {8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024,
            1536, 2048, 3072, 4096};
    private static final int MAX_SAMPLE = 2000;
    /** Relative slack for float rounding between the index's distances and the exact pass. */
    private static final float TIE = 1e-5f;

    /** Sampled query vectors and how many live vectors they were drawn from. */
    private record Sample(List<float[]> queries, int live) {
    }

    private final Catalog catalog;
    private final RequestLimits limits;

    public EfTuner(Catalog catalog, RequestLimits limits) {
        this.catalog = catalog;
        this.limits = limits;
    }

    public Result tune(String collectionName, double targetRecall, int k, int sampleSize) {
        if (!(targetRecall > 0 && targetRecall <= 1)) {
            throw ImagesimException.invalid("target-recall-out-of-range", "targetRecall must be in (0, 1]");
        }
        if (k < 1 || k > limits.maxK()) {
            throw ImagesimException.invalid("k-out-of-range", "k must be 1-" + limits.maxK());
        }
        if (sampleSize < 1 || sampleSize > MAX_SAMPLE) {
            throw ImagesimException.invalid("sample-out-of-range", "sampleSize must be 1-" + MAX_SAMPLE);
        }
        SearchTarget target = catalog.searchTarget(collectionName);
        if (target.collection().index().type() != IndexType.HNSW) {
            throw new ImagesimException(Kind.CONFLICT, "index-exact",
                    "collection '" + collectionName + "' has an exact index: every search is exact, there is no ef");
        }
        Sample sample = sample(collectionName, sampleSize);
        List<float[]> queries = sample.queries();
        if (queries.isEmpty()) {
            throw new ImagesimException(Kind.CONFLICT, "collection-empty",
                    "collection '" + collectionName + "' holds no vectors to tune on");
        }
        float[] kthDistance = exactKthDistances(target.collection(), queries, k);
        List<Step> sweep = new ArrayList<>();
        Step chosen = null;
        for (int ef : candidates(k)) {
            Step step = measure(target, queries, kthDistance, Math.min(k, sample.live()), ef);
            sweep.add(step);
            chosen = step;
            if (step.recall() >= targetRecall) {
                break;
            }
        }
        if (chosen == null) {
            throw ImagesimException.invalid("k-out-of-range", "k is above imagesim.limits.max-ef");
        }
        Collection updated = catalog.setDefaultEf(collectionName, chosen.ef());
        log.info("collection {}: default ef {} (recall@{} {} on {} sampled vectors, target {})", updated.name(),
                chosen.ef(), k, String.format("%.4f", chosen.recall()), queries.size(), targetRecall);
        return new Result(updated.name(), k, queries.size(), targetRecall, chosen.ef(), chosen.recall(),
                chosen.recall() >= targetRecall, List.copyOf(sweep));
    }

    /** k itself, then the fixed ladder above k, up to imagesim.limits.max-ef. */
    private int[] candidates(int k) {
        return IntStream.concat(IntStream.of(k), Arrays.stream(CANDIDATES).filter(ef -> ef > k))
                .filter(ef -> ef <= limits.maxEf()).toArray();
    }

    /** A seeded reservoir sample of the collection's live vectors. */
    private Sample sample(String collectionName, int size) {
        Random random = new Random(collectionName.hashCode());
        List<float[]> sample = new ArrayList<>(size);
        int[] seen = {0};
        catalog.forEachLiveVector(collectionName, (id, vector) -> {
            int index = seen[0]++;
            if (sample.size() < size) {
                sample.add(vector);
            } else {
                int slot = random.nextInt(index + 1);
                if (slot < size) {
                    sample.set(slot, vector);
                }
            }
        });
        return new Sample(sample, seen[0]);
    }

    /** For each query, the distance of its k-th exact neighbour, from one pass over the database. */
    private float[] exactKthDistances(Collection collection, List<float[]> queries, int k) {
        Distance distance = collection.distance();
        List<PriorityQueue<Float>> nearest = new ArrayList<>(queries.size());
        for (int q = 0; q < queries.size(); q++) {
            nearest.add(new PriorityQueue<>(k + 1, (a, b) -> Float.compare(b, a)));
        }
        catalog.forEachLiveVector(collection.name(), (id, vector) -> {
            for (int q = 0; q < queries.size(); q++) {
                PriorityQueue<Float> heap = nearest.get(q);
                float d = distance.between(queries.get(q), vector);
                if (heap.size() < k) {
                    heap.add(d);
                } else if (d < heap.peek()) {
                    heap.poll();
                    heap.add(d);
                }
            }
        });
        float[] kth = new float[queries.size()];
        for (int q = 0; q < kth.length; q++) {
            kth[q] = nearest.get(q).isEmpty() ? Float.MAX_VALUE : nearest.get(q).peek();
        }
        return kth;
    }

    /** Mean recall@k over the queries; {@code expected} is k, or fewer in a collection smaller than k. */
    private static Step measure(SearchTarget target, List<float[]> queries, float[] kthDistance, int expected,
            int ef) {
        long hits = 0;
        long start = System.nanoTime();
        for (int q = 0; q < queries.size(); q++) {
            for (Neighbor neighbor : target.index().search(queries.get(q), expected, ef)) {
                hits += neighbor.distance() <= kthDistance[q] * (1 + TIE) + TIE ? 1 : 0;
            }
        }
        double millis = (System.nanoTime() - start) / 1e6 / queries.size();
        return new Step(ef, Math.min(1.0, hits / ((double) expected * queries.size())), millis);
    }
}
