package dev.imagesim.duplicates;

import java.awt.image.BufferedImage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import org.springframework.stereotype.Component;

import dev.imagesim.ImagesimException;
import dev.imagesim.SampleRank;
import dev.imagesim.catalog.Catalog;
import dev.imagesim.catalog.Collection;
import dev.imagesim.catalog.ImageRecord;
import dev.imagesim.catalog.SearchTarget;
import dev.imagesim.embedding.EmbeddingModel;
import dev.imagesim.embedding.EmbeddingModels;
import dev.imagesim.embedding.ImageDecoder;
import dev.imagesim.index.Neighbor;

/**
 * Sets the {@code embedding} method's default threshold for one collection from its own images, because the
 * distance that makes two images copies depends on the model and the data, and is far tighter than the
 * verification threshold (tuned for "same class"). A fixed sample of up to {@value #SAMPLE} stored originals
 * (the same ids each time) is copied by every edit of {@link CopyEdits#standard}; each copy's distance to its
 * original's stored vector is a true pair; its distance to the nearest other stored image is a false one,
 * and so is the sampled original's own (the pair a check of an image without copies would make wrongly first).
 * The threshold is the largest true-pair distance of best F1 over those pairs. A collection that already holds
 * copies of a sampled image makes the nearest of them a false pair; as those lie closer than most true pairs,
 * they add to every candidate's false pairs alike and move the choice little. Counting every neighbour within
 * reach instead makes such copies outnumber the strangers and drags the threshold far down (measured:
 * {@code docs/benchmarks.md}). Calibrations are kept per collection and model until a scan makes a new one.
 */
@Component
class CopyCalibration {

    static final int SAMPLE = 100;
    private static final long SEED = 0x5EEDC0DEL;

    private record Key(String collection, Instant createdAt, String modelId) {
    }

    private final Catalog catalog;
    private final EmbeddingModels models;
    private final ImageDecoder decoder;
    private final Map<Key, CopyThreshold> calibrated = new ConcurrentHashMap<>();

    CopyCalibration(Catalog catalog, EmbeddingModels models, ImageDecoder decoder) {
        this.catalog = catalog;
        this.models = models;
        this.decoder = decoder;
    }

    /** 400 {@code threshold-required} for a collection of the client's own vectors: it has no model to copy with. */
    void requireCalibratable(Collection collection) {
        if (collection.modelId() == null) {
            throw ImagesimException.invalid("threshold-required", "collection '" + collection.name() + "' holds "
                    + "your own vectors: the embedding method needs a threshold (a distance in its metric), "
                    + "as there is no model to calibrate one with");
        }
    }

    /** The collection's calibrated threshold: the one kept for its model, else a new calibration. */
    CopyThreshold threshold(String collectionName) {
        Collection collection = catalog.searchTarget(collectionName).collection();
        CopyThreshold kept = calibrated.get(key(collection));
        return kept != null ? kept : calibrate(collectionName, () -> false);
    }

    /**
     * Calibrates anew and keeps the result; stops with a {@link CancellationException} when {@code cancelled}
     * turns true. 409 {@code collection-too-small} with fewer than 2 stored images that have originals.
     */
    CopyThreshold calibrate(String collectionName, BooleanSupplier cancelled) {
        SearchTarget target = catalog.searchTarget(collectionName);
        Collection collection = target.collection();
        requireCalibratable(collection);
        List<String> sample = sample(collection.name());
        if (sample.size() < 2) {
            throw new ImagesimException(ImagesimException.Kind.CONFLICT, "collection-too-small", "collection '"
                    + collection.name() + "' needs at least 2 stored images to calibrate a duplicate threshold; "
                    + "give threshold instead");
        }
        EmbeddingModel model = models.get(collection.modelId());
        int ef = Math.max(2, collection.index().ef());
        List<Double> truePairs = new ArrayList<>();
        List<Double> falsePairs = new ArrayList<>();
        for (String id : sample) {
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("cancelled");
            }
            ImageRecord original = catalog.image(collection.name(), id);
            nearestOther(id, target.index().search(original.vector(), 2, ef), falsePairs);
            BufferedImage image = decoder.decode(catalog.content(original)).image();
            for (float[] copy : model.embed(CopyEdits.standard(image))) {
                truePairs.add((double) collection.distance().between(copy, original.vector()));
                nearestOther(id, target.index().search(copy, 2, ef), falsePairs);
            }
        }
        CopyThreshold threshold = best(truePairs, falsePairs, sample.size());
        calibrated.put(key(collection), threshold);
        return threshold;
    }

    /** Adds the distance of the nearest neighbour other than {@code id}: the first pair a check makes wrongly. */
    private static void nearestOther(String id, List<Neighbor> neighbours, List<Double> falsePairs) {
        neighbours.stream().filter(n -> !n.id().equals(id)).findFirst()
                .ifPresent(n -> falsePairs.add((double) n.distance()));
    }

    /** Up to {@value #SAMPLE} ids of stored images with originals, the lowest by {@link SampleRank}. */
    private List<String> sample(String collection) {
        PriorityQueue<String> lowest = new PriorityQueue<>(
                Comparator.comparingLong((String id) -> SampleRank.of(id, SEED)).reversed());
        catalog.forEachHash(collection, stored -> {
            lowest.add(stored.id());
            if (lowest.size() > SAMPLE) {
                lowest.poll();
            }
        });
        return lowest.stream().sorted().toList();
    }

    /** The largest true-pair distance of best F1 between true and false pairs. */
    static CopyThreshold best(List<Double> truePairs, List<Double> falsePairs, int originals) {
        double[] positives = truePairs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] negatives = falsePairs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double bestF1 = -1;
        double threshold = 0;
        for (int i = 0; i < positives.length; i++) {
            double f1 = f1(i + 1, atMost(negatives, positives[i]), positives.length);
            if (f1 >= bestF1) {
                bestF1 = f1;
                threshold = positives[i];
            }
        }
        int accepted = atMost(positives, threshold);
        int wrong = atMost(negatives, threshold);
        return new CopyThreshold(threshold, originals, positives.length,
                accepted + wrong == 0 ? 1 : (double) accepted / (accepted + wrong),
                (double) accepted / positives.length, f1(accepted, wrong, positives.length));
    }

    private static double f1(int truePositives, int falsePositives, int positives) {
        return 2.0 * truePositives / (2.0 * truePositives + falsePositives + (positives - truePositives));
    }

    /** How many of the sorted {@code values} are at most {@code limit}. */
    private static int atMost(double[] values, double limit) {
        int found = Arrays.binarySearch(values, limit);
        if (found < 0) {
            return -found - 1;
        }
        while (found < values.length && values[found] == limit) {
            found++;
        }
        return found;
    }

    /** The key of a collection as its search target holds it (the catalog's row may round createdAt). */
    private static Key key(Collection collection) {
        return new Key(collection.name(), collection.createdAt(), collection.modelId());
    }
}
