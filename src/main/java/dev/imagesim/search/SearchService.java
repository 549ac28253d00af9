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

    SearchService(Catalog catalog, MetadataCache metadataCache, EmbeddingModels models, ImageDecoder decoder,
            RequestLimits limits, JsonMapper json, MeterRegistry meters, SearchProperties properties) {
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

    public SearchResult byImage(String collectionName, byte[] image, Integer k, Integer ef,
            Map<String, JsonNode> filter) {
        return byImageTimer.record(() -> searchByImage(collectionName, image, k, ef, filter));
    }

    public SearchResult byId(String collectionName, String id, Integer k, Integer ef, Map<String, JsonNode> filter) {
        return byIdTimer.record(() -> searchById(collectionName, id, k, ef, filter));
    }

    public SearchResult byVector(String collectionName, float[] vector, Integer k, Integer ef,
            Map<String, JsonNode> filter) {
        return byVectorTimer.record(() -> searchByVector(collectionName, vector, k, ef, filter));
    }

    private SearchResult searchByImage(String collectionName, byte[] image, Integer k, Integer ef,
            Map<String, JsonNode> filter) {
        long start = System.nanoTime();
        SearchTarget target = catalog.searchTarget(collectionName);
        checkBounds(k, ef);
        float[] query = models.get(target.collection().requireModel()).embed(List.of(decoder.decode(image).image()))[0];
        return search(target, query, k, ef, filter, start);
    }

    private SearchResult searchById(String collectionName, String id, Integer k, Integer ef,
            Map<String, JsonNode> filter) {
        long start = System.nanoTime();
        checkBounds(k, ef);
        SearchTarget target = catalog.searchTarget(collectionName);
        ImageRecord stored = catalog.image(collectionName, id);
        if (!Objects.equals(stored.modelId(), target.collection().modelId())) {
            // a re-index swapped models between the two reads; the stored vector belongs to the new pair
            target = catalog.searchTarget(collectionName);
        }
        return search(target, stored.vector(), k, ef, filter, start);
    }

    private SearchResult searchByVector(String collectionName, float[] vector, Integer k, Integer ef,
            Map<String, JsonNode> filter) {
        long start = System.nanoTime();
        SearchTarget target = catalog.searchTarget(collectionName);
        Collection collection = target.collection();
        checkBounds(k, ef);
        VectorChecks.requireFinite(vector, "the query vector");
        collection.requireDimension(vector, "the query vector");
        return search(target, vector, k, ef, filter, start);
    }

    private SearchResult search(SearchTarget target, float[] query, Integer kOrNull, Integer efOrNull,
            Map<String, JsonNode> filter, long startNanos) {
        slots.acquireUninterruptibly();
        try {
            return searchInSlot(target, query, kOrNull, efOrNull, filter, startNanos);
        } finally {
            slots.release();
        }
    }

    private SearchResult searchInSlot(SearchTarget target, float[] query, Integer kOrNull, Integer efOrNull,
            Map<String, JsonNode> filter, long startNanos) {
        Collection collection = target.collection();
        int k = kOrNull == null ? 10 : kOrNull;
        int ef = efOrNull == null ? collection.index().ef() : efOrNull;
        VectorIndex index = target.index();
        List<SearchHit> hits = filter == null || filter.isEmpty()
                ? hydrate(collection, index.search(query, k, ef), Map.of(), k)
                : filtered(collection, index, query, k, ef, filter);
        return new SearchResult(hits, collection.modelId(), (System.nanoTime() - startNanos) / 1_000_000);
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
                        collection.distance().score(neighbor.distance()), node));
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
