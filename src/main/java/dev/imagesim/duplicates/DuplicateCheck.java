package dev.imagesim.duplicates;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

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
 * {@code embedding}, the collection's own index searched for neighbours within a distance, which the caller
 * gives until a duplicate-specific default is calibrated. The hash comparison reads every stored hash of the
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

    DuplicateCheck(Catalog catalog, EmbeddingModels models, ImageDecoder decoder) {
        this.catalog = catalog;
        this.models = models;
        this.decoder = decoder;
    }

    /**
     * The stored duplicates of {@code image} in {@code collection} by {@code method} (default {@code hash});
     * 400 {@code method-unknown}, {@code threshold-out-of-range} or {@code threshold-required}.
     */
    public DuplicateCheckResult check(String collection, byte[] image, String method, Double threshold) {
        String chosen = method == null ? "hash" : method.toLowerCase(Locale.ROOT);
        DecodedImage decoded = decoder.decode(image);
        return switch (chosen) {
            case "exact" -> new DuplicateCheckResult(chosen, 0, catalog.idsWithContent(collection, image).stream()
                    .map(id -> new DuplicateMatch(id, 0)).toList());
            case "hash" -> byHash(collection, decoded, threshold == null ? DEFAULT_HASH_BITS : threshold);
            case "embedding" -> byEmbedding(collection, decoded, threshold);
            default -> throw ImagesimException.invalid("method-unknown",
                    "method must be 'hash', 'exact' or 'embedding', was '" + method + "'");
        };
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

    private DuplicateCheckResult byHash(String collection, DecodedImage image, double bits) {
        if (bits < 0 || bits > 64 || bits != Math.rint(bits)) {
            throw ImagesimException.invalid("threshold-out-of-range",
                    "a hash threshold is a whole number of bits, 0-64; was " + bits);
        }
        return new DuplicateCheckResult("hash", bits, withinBits(collection, PerceptualHash.of(image.image()), bits));
    }

    /** The stored images whose hash is within {@code bits} of {@code hash}, nearest first. */
    private List<DuplicateMatch> withinBits(String collection, long hash, double bits) {
        List<DuplicateMatch> found = new ArrayList<>();
        catalog.forEachHash(collection, stored -> {
            int distance = PerceptualHash.distance(hash, stored.perceptualHash());
            if (distance <= bits) {
                found.add(new DuplicateMatch(stored.id(), distance));
            }
        });
        return nearestFirst(found);
    }

    private DuplicateCheckResult byEmbedding(String collection, DecodedImage image, Double threshold) {
        if (threshold == null) {
            throw ImagesimException.invalid("threshold-required", "the embedding method needs a threshold (a "
                    + "distance in the collection's metric) until a duplicate-specific default is calibrated");
        }
        if (threshold < 0 || threshold.isNaN() || threshold.isInfinite()) {
            throw ImagesimException.invalid("threshold-out-of-range", "threshold must be a distance of 0 or more");
        }
        SearchTarget target = catalog.searchTarget(collection);
        float[] vector = models.get(target.collection().requireModel()).embed(List.of(image.image()))[0];
        int candidates = EMBEDDING_CANDIDATES;
        List<DuplicateMatch> found = new ArrayList<>();
        for (Neighbor neighbor : target.index().search(vector, candidates,
                Math.max(candidates, target.collection().index().ef()))) {
            if (neighbor.distance() <= threshold) {
                found.add(new DuplicateMatch(neighbor.id(), neighbor.distance()));
            }
        }
        return new DuplicateCheckResult("embedding", threshold, nearestFirst(found));
    }

    private static List<DuplicateMatch> nearestFirst(List<DuplicateMatch> matches) {
        matches.sort(Comparator.comparingDouble(DuplicateMatch::distance).thenComparing(DuplicateMatch::id));
        return matches;
    }
}
