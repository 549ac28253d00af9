package dev.imagesim.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.Semaphore;

import org.springframework.stereotype.Service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.imagesim.RequestLimits;
import dev.imagesim.catalog.Catalog;
import dev.imagesim.catalog.Collection;
import dev.imagesim.catalog.ImageRecord;
import dev.imagesim.catalog.LiveMetadata;
import dev.imagesim.catalog.SearchTarget;
import dev.imagesim.duplicates.DuplicateCheck;
import dev.imagesim.embedding.EmbeddingModels;
import dev.imagesim.embedding.ImageDecoder;
import dev.imagesim.index.Neighbor;
import dev.imagesim.index.VectorIndex;
import dev.imagesim.vector.VectorChecks;

/**
 * Nearest-neighbour search in a collection by image, stored id or raw vector, with an optional metadata
 * equality filter: an exact search among the matching images when they are few, else the graph search with
 * a bounded widening (see {@link #filtered}). The hits' metadata comes from a {@link MetadataCache}, which
 * reads the catalog for hits it does not hold.
 *
 * <p>Searches run {@link SearchProperties#slots()} at a time and the rest wait their turn (a fair semaphore):
 * a search is pure CPU, and with more of them than cores the scheduler's time slices, not the work, set the
 * tail latency.
 */
@Service
public class SearchService {

    private static final int WIDEN_FACTOR = 4;
    private static final int COLLAPSE_WIDENINGS = 3;

    private final Catalog catalog;
    private final MetadataCache metadataCache;
    private final EmbeddingModels models;
    private final ImageDecoder decoder;
    private final RequestLimits limits;
    private final JsonMapper json;
    private final Timer byImageTimer;
    private final Timer byIdTimer;
    private final Timer byVectorTimer;
    private final Semaphore slots;
    private final int filterExactLimit;
    private final DuplicateCheck duplicates;

    SearchService(Catalog catalog, MetadataCache metadataCache, EmbeddingModels models, ImageDecoder decoder,
            RequestLimits limits, JsonMapper json, MeterRegistry meters, SearchProperties properties,
            DuplicateCheck duplicates) {
        this.duplicates = duplicates;
        this.catalog = catalog;
        this.metadataCache = metadataCache;
        this.models = models;
        this.decoder = decoder;
        this.limits = limits;
        this.json = json;
        this.byImageTimer = timer(meters, "image");
        this.byIdTimer = timer(meters, "id");
        this.byVectorTimer = timer(meters, "vector");
        this.slots = new Semaphore(properties.slots(), true);
        this.filterExactLimit = properties.filterExactLimit();
    }

    private static Timer timer(MeterRegistry meters, String by) {
        return Timer.builder("imagesim.search").description("search time, query embedding included")
                .tag("by", by).register(meters);
    }

    /**
     * The k nearest of a query image. {@code collapse} (null: off) keeps only the best-ranked of each set of
     * copies among the hits, as the following searches do too.
     */
    public SearchResult byImage(String collectionName, byte[] image, Integer k, Integer ef,
            Map<String, JsonNode> filter, CollapseDuplicates collapse) {
        return byImageTimer.record(() -> searchByImage(collectionName, image, k, ef, filter, collapse));
    }

    public SearchResult byId(String collectionName, String id, Integer k, Integer ef, Map<String, JsonNode> filter,
            CollapseDuplicates collapse) {
        return byIdTimer.record(() -> searchById(collectionName, id, k, ef, filter, collapse));
    }

    public SearchResult byVector(String collectionName, float[] vector, Integer k, Integer ef,
            Map<String, JsonNode> filter, CollapseDuplicates collapse) {
        return byVectorTimer.record(() -> searchByVector(collectionName, vector, k, ef, filter, collapse));
    }

    private SearchResult searchByImage(String collectionName, byte[] image, Integer k, Integer ef,
            Map<String, JsonNode> filter, CollapseDuplicates collapse) {
        long start = System.nanoTime();
        SearchTarget target = catalog.searchTarget(collectionName);
        checkBounds(k, ef);
        float[] query = models.get(target.collection().requireModel()).embed(List.of(decoder.decode(image).image()))[0];
        return search(target, query, k, ef, filter, copyDistance(collectionName, collapse), start);
    }

    private SearchResult searchById(String collectionName, String id, Integer k, Integer ef,
            Map<String, JsonNode> filter, CollapseDuplicates collapse) {
        long start = System.nanoTime();
        checkBounds(k, ef);
        SearchTarget target = catalog.searchTarget(collectionName);
        ImageRecord stored = catalog.image(collectionName, id);
        if (!Objects.equals(stored.modelId(), target.collection().modelId())) {
            // a re-index swapped models between the two reads; the stored vector belongs to the new pair
            target = catalog.searchTarget(collectionName);
        }
        return search(target, stored.vector(), k, ef, filter, copyDistance(collectionName, collapse), start);
    }

    private SearchResult searchByVector(String collectionName, float[] vector, Integer k, Integer ef,
            Map<String, JsonNode> filter, CollapseDuplicates collapse) {
        long start = System.nanoTime();
        SearchTarget target = catalog.searchTarget(collectionName);
        Collection collection = target.collection();
        checkBounds(k, ef);
        VectorChecks.requireFinite(vector, "the query vector");
        collection.requireDimension(vector, "the query vector");
        return search(target, vector, k, ef, filter, copyDistance(collectionName, collapse), start);
    }

    /** The distance that makes two hits copies when collapsing (calibrated outside the search slots), else null. */
    private Double copyDistance(String collectionName, CollapseDuplicates collapse) {
        return collapse == null ? null : duplicates.copyThreshold(collectionName, collapse.threshold());
    }

    private SearchResult search(SearchTarget target, float[] query, Integer kOrNull, Integer efOrNull,
            Map<String, JsonNode> filter, Double copyDistance, long startNanos) {
        slots.acquireUninterruptibly();
        try {
            return searchInSlot(target, query, kOrNull, efOrNull, filter, copyDistance, startNanos);
        } finally {
            slots.release();
        }
    }

    private SearchResult searchInSlot(SearchTarget target, float[] query, Integer kOrNull, Integer efOrNull,
            Map<String, JsonNode> filter, Double copyDistance, long startNanos) {
        Collection collection = target.collection();
        int k = kOrNull == null ? 10 : kOrNull;
        int ef = efOrNull == null ? collection.index().ef() : efOrNull;
        VectorIndex index = target.index();
        Map<String, JsonNode> conditions = filter == null ? Map.of() : filter;
        List<SearchHit> hits;
        if (copyDistance != null) {
            hits = collapsed(collection, index, query, k, ef, conditions, copyDistance);
        } else if (conditions.isEmpty()) {
            hits = hydrate(collection, index.search(query, k, ef), Map.of(), k);
        } else {
            hits = filtered(collection, index, query, k, ef, conditions);
        }
        return new SearchResult(hits, collection.modelId(), (System.nanoTime() - startNanos) / 1_000_000);
    }

    /**
     * A search that keeps only the best-ranked image of each set of copies: walking the hits in rank order, a
     * hit within {@code copyDistance} of one already kept is hidden and listed under it as a copy. Short of k
     * kept hits, the graph search widens by {@value #WIDEN_FACTOR}× while there are more images, up to
     * {@value #COLLAPSE_WIDENINGS} times; a query among very many copies of few images can then answer fewer
     * than k. With a filter, only matching hits are considered.
     */
    private List<SearchHit> collapsed(Collection collection, VectorIndex index, float[] query, int k, int ef,
            Map<String, JsonNode> filter, double copyDistance) {
        int candidates = Math.min(index.size(), k * WIDEN_FACTOR);
        for (int widening = 0; ; widening++) {
            List<Neighbor> neighbors = index.search(query, candidates, Math.max(ef, candidates));
            List<SearchHit> kept = collapse(collection, hydrate(collection, neighbors, filter, neighbors.size()), k,
                    copyDistance);
            if (kept.size() >= k || neighbors.size() < candidates || candidates >= index.size()
                    || widening == COLLAPSE_WIDENINGS) {
                return kept;
            }
            candidates = (int) Math.min(index.size(), (long) candidates * WIDEN_FACTOR);
        }
    }

    private List<SearchHit> collapse(Collection collection, List<SearchHit> hits, int k, double copyDistance) {
        Map<String, float[]> vectors = catalog.vectors(collection.name(), hits.stream().map(SearchHit::id).toList());
        List<SearchHit> kept = new ArrayList<>(k);
        List<List<String>> copies = new ArrayList<>(k);
        for (SearchHit hit : hits) {
            float[] vector = vectors.get(hit.id());
            if (vector == null) {
                continue; // deleted after the index answered
            }
            int original = -1;
            for (int i = 0; i < kept.size() && original < 0; i++) {
                if (collection.distance().between(vector, vectors.get(kept.get(i).id())) <= copyDistance) {
                    original = i;
                }
            }
            if (original >= 0) {
                copies.get(original).add(hit.id());
            } else if (kept.size() < k) {
                kept.add(hit);
                copies.add(new ArrayList<>());
            } else {
                break;
            }
        }
        List<SearchHit> answer = new ArrayList<>(kept.size());
        for (int i = 0; i < kept.size(); i++) {
            answer.add(kept.get(i).withCopies(copies.get(i)));
        }
        return answer;
    }

    /**
     * A search with a metadata filter, bounded in work and memory whatever the filter's selectivity. First
     * the graph search with {@value #WIDEN_FACTOR}·k candidates: a common filter has its k matches among them.
     * Short of k, the catalog's label index counts the matches (bounded): at most
     * {@link SearchProperties#filterExactLimit()} of them, and the answer is the exact nearest among just
     * those. Otherwise a match is at least that common, and the graph search widens by {@value #WIDEN_FACTOR}×
     * up to {@value #WIDEN_FACTOR} times what a filter of exactly that selectivity needs for k matches; a
     * filter that matches many images, none of them near the query, can then answer fewer than k.
     */
    private List<SearchHit> filtered(Collection collection, VectorIndex index, float[] query, int k, int ef,
            Map<String, JsonNode> filter) {
        int size = index.size();
        int candidates = Math.min(size, k * WIDEN_FACTOR);
        List<Neighbor> neighbors = index.search(query, candidates, Math.max(ef, candidates));
        List<SearchHit> hits = hydrate(collection, neighbors, filter, k);
        if (hits.size() >= k || neighbors.size() < candidates) {
            return hits;
        }
        Optional<List<String>> few = filterExactLimit == 0 ? Optional.empty()
                : catalog.idsMatching(collection.name(), filter, filterExactLimit);
        if (few.isPresent()) {
            return hydrate(collection, index.searchAmong(query, k, few.get()), filter, k);
        }
        int most = filterExactLimit == 0 ? size : (int) Math.min(size, Math.max((long) candidates,
                (long) Math.ceil((double) WIDEN_FACTOR * k * size / filterExactLimit)));
        while (candidates < most) {
            candidates = (int) Math.min((long) candidates * WIDEN_FACTOR, most);
            neighbors = index.search(query, candidates, Math.max(ef, candidates));
            hits = hydrate(collection, neighbors, filter, k);
            if (hits.size() >= k || neighbors.size() < candidates) {
                return hits;
            }
        }
        return hits;
    }

    private List<SearchHit> hydrate(Collection collection, List<Neighbor> neighbors, Map<String, JsonNode> filter,
            int k) {
        Map<String, LiveMetadata> metadata = metadataCache.of(collection, neighbors);
        List<SearchHit> hits = new ArrayList<>(k);
        for (Neighbor neighbor : neighbors) {
            if (hits.size() == k) {
                break;
            }
            LiveMetadata live = metadata.get(neighbor.id());
            if (live == null) {
                continue; // deleted after the index answered
            }
            JsonNode node = live.json() == null ? json.createObjectNode() : json.readTree(live.json());
            if (matches(node, filter)) {
                hits.add(new SearchHit(neighbor.id(), neighbor.distance(),
                        collection.distance().score(neighbor.distance()), node, null));
            }
        }
        return hits;
    }

    private static boolean matches(JsonNode metadata, Map<String, JsonNode> filter) {
        for (Map.Entry<String, JsonNode> condition : filter.entrySet()) {
            if (!condition.getValue().equals(metadata.get(condition.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private void checkBounds(Integer k, Integer ef) {
        if (k != null) {
            limits.requireK(k);
        }
        if (ef != null) {
            limits.requireEf(ef);
        }
    }
}
