package dev.imagesim.duplicates;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.springframework.stereotype.Service;

import dev.imagesim.ImagesimException;
import dev.imagesim.catalog.Catalog;
import dev.imagesim.catalog.SearchTarget;
import dev.imagesim.embedding.DecodedImage;
import dev.imagesim.embedding.EmbeddingModels;
import dev.imagesim.embedding.ImageDecoder;
import dev.imagesim.index.Neighbor;

/**
 * Whether an image is already in a collection, without storing it. Three methods: {@code exact}, the same
 * bytes (the blob store's SHA-256); {@code hash}, a perceptual hash within a Hamming distance, which survives
 * re-encoding, resizing and brightness changes but not crops or shifts of more than a pixel or two; and
 * {@code embedding} (the default), the collection's own index searched for neighbours within a distance: the
 * caller's, or one calibrated on the collection's own images ({@link CopyCalibration}). The hash comparison
 * reads every stored hash of the
 * collection (a page at a time: 8 bytes an image), the embedding one only the index's nearest
 * {@value #EMBEDDING_CANDIDATES}.
 */
@Service
public class DuplicateCheck {

    /**
     * Hamming bits within which two perceptual hashes count as one image by default: the best F1 of
     * {@code DuplicateBenchmark} (0.797 at 2 bits; at 8 bits distinct Fashion-MNIST images collide so often
     * that precision falls to 0.19). Photos with more texture tolerate more; pass {@code threshold} for them.
     */
    public static final int DEFAULT_HASH_BITS = 2;
    static final int EMBEDDING_CANDIDATES = 20;

    private final Catalog catalog;
    private final EmbeddingModels models;
    private final ImageDecoder decoder;
    private final CopyCalibration calibration;

    DuplicateCheck(Catalog catalog, EmbeddingModels models, ImageDecoder decoder, CopyCalibration calibration) {
        this.catalog = catalog;
        this.models = models;
        this.decoder = decoder;
        this.calibration = calibration;
    }

    /**
     * The stored duplicates of {@code image} in {@code collection} by {@code method} (default {@code embedding});
     * 400 {@code method-unknown}, {@code threshold-out-of-range} or {@code threshold-required}.
     */
    public DuplicateCheckResult check(String collection, byte[] image, String method, Double threshold) {
        DuplicateMethod chosen = DuplicateMethod.parse(method, DuplicateMethod.EMBEDDING);
        Double checked = chosen.checked(threshold);
        DecodedImage decoded = decoder.decode(image);
        return switch (chosen) {
            case EXACT -> new DuplicateCheckResult(chosen.toString(), 0, null, catalog.idsWithContent(collection,
                    image).stream().map(id -> new DuplicateMatch(id, 0)).toList());
            case HASH -> new DuplicateCheckResult(chosen.toString(), checked, null,
                    withinBits(collection, PerceptualHash.of(decoded.image()), checked));
            case EMBEDDING -> byEmbedding(collection, decoded, checked);
        };
    }

    /**
     * The distance within which two of the collection's vectors are copies: {@code given} once checked (400
     * {@code threshold-out-of-range}), else the collection's calibrated one (400 {@code threshold-required} for a
     * collection of the client's own vectors).
     */
    public double copyThreshold(String collection, Double given) {
        Double checked = DuplicateMethod.EMBEDDING.checked(given);
        return checked != null ? checked : calibration.threshold(collection).threshold();
    }

    /**
     * Refuses to store an image of this perceptual hash under {@code id} when the collection holds a copy of it
     * under another id (the default {@code hash} check): 409 {@code duplicate-exists}, naming them. Two copies
     * arriving at once can both pass: the check and the write are not one transaction.
     */
    public void requireNoCopy(String collection, String id, long perceptualHash) {
        List<String> copies = withinBits(collection, perceptualHash, DEFAULT_HASH_BITS).stream()
                .map(DuplicateMatch::id).filter(other -> !other.equals(id)).toList();
        if (!copies.isEmpty()) {
            throw new ImagesimException(ImagesimException.Kind.CONFLICT, "duplicate-exists", "the collection "
                    + "already holds this image (perceptual hash within " + DEFAULT_HASH_BITS + " bits) as "
                    + String.join(", ", copies.subList(0, Math.min(10, copies.size())))
                    + (copies.size() > 10 ? " and " + (copies.size() - 10) + " more" : ""));
        }
    }

    /** The stored images whose hash is within {@code bits} of {@code hash}, nearest first. */
    private List<DuplicateMatch> withinBits(String collection, long hash, double bits) {
        List<DuplicateMatch> found = new ArrayList<>();
        catalog.forEachHash(collection, stored -> {
            if (stored.perceptualHash() == null) {
                return;
            }
            int distance = PerceptualHash.distance(hash, stored.perceptualHash());
            if (distance <= bits) {
                found.add(new DuplicateMatch(stored.id(), distance));
            }
        });
        return nearestFirst(found);
    }

    private DuplicateCheckResult byEmbedding(String collection, DecodedImage image, Double threshold) {
        CopyThreshold calibrated = threshold == null ? calibration.threshold(collection) : null;
        double limit = threshold == null ? calibrated.threshold() : threshold;
        SearchTarget target = catalog.searchTarget(collection);
        float[] vector = models.get(target.collection().requireModel()).embed(List.of(image.image()))[0];
        int candidates = EMBEDDING_CANDIDATES;
        List<DuplicateMatch> found = new ArrayList<>();
        for (Neighbor neighbor : target.index().search(vector, candidates,
                Math.max(candidates, target.collection().index().ef()))) {
            if (neighbor.distance() <= limit) {
                found.add(new DuplicateMatch(neighbor.id(), neighbor.distance()));
            }
        }
        return new DuplicateCheckResult("embedding", limit, calibrated, nearestFirst(found));
    }

    private static List<DuplicateMatch> nearestFirst(List<DuplicateMatch> matches) {
        matches.sort(Comparator.comparingDouble(DuplicateMatch::distance).thenComparing(DuplicateMatch::id));
        return matches;
    }
}
