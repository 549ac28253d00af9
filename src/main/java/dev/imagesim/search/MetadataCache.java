package dev.imagesim.search;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;

import dev.imagesim.catalog.Catalog;
import dev.imagesim.catalog.Collection;
import dev.imagesim.catalog.LiveMetadata;
import dev.imagesim.index.Neighbor;

/**
 * The metadata of recent search hits, in memory, so that a search reads the catalog only for hits it has not
 * met before. Each write of an image takes a new sequence number, and the index hands each hit out with the
 * sequence number it holds, so the metadata stored under one (collection, id, sequence number) never changes:
 * an entry answers for a hit whose version it has (or a later one), and a hit the index holds in a newer
 * version than the entry is read again. Nothing has to be invalidated when images change. The collection's
 * creation time is part of the key: a collection deleted and created again starts its sequence numbers anew.
 *
 * <p>Bounded by an estimate of the heap its entries take ({@link SearchProperties#metadataCacheSize()});
 * Caffeine evicts by frequency and recency. Hits and misses are published as {@code cache.gets} with
 * {@code cache=imagesim.search.metadata}.
 */
@Component
class MetadataCache {

    /** Estimated bytes of an entry beside its strings' characters: cache node, key, value, string headers. */
    private static final int ENTRY_BYTES = 200;

    private final Catalog catalog;
    private final Cache<Key, LiveMetadata> cache;

    MetadataCache(Catalog catalog, SearchProperties properties, MeterRegistry meters) {
        this.catalog = catalog;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(properties.metadataCacheSize().toBytes())
                .weigher(MetadataCache::weight)
                .recordStats()
                .build();
        CaffeineCacheMetrics.monitor(meters, cache, "imagesim.search.metadata");
    }

    private record Key(String collection, Instant created, String id) {
    }

    private static int weight(Key key, LiveMetadata metadata) {
        int chars = key.id().length() + (metadata.json() == null ? 0 : metadata.json().length());
        return ENTRY_BYTES + 2 * chars;
    }

    /**
     * The metadata of those neighbours that are live, by id: from memory where it holds the neighbour's
     * version, the rest in one read from the catalog. A neighbour missing from the answer was deleted after
     * the index answered.
     */
    Map<String, LiveMetadata> of(Collection collection, List<Neighbor> neighbors) {
        Map<String, LiveMetadata> found = new HashMap<>(2 * neighbors.size());
        List<String> unknown = new ArrayList<>();
        for (Neighbor neighbor : neighbors) {
            LiveMetadata cached = cache.getIfPresent(key(collection, neighbor.id()));
            if (cached != null && cached.sequence() >= neighbor.version()) {
                found.put(neighbor.id(), cached);
            } else {
                unknown.add(neighbor.id());
            }
        }
        if (unknown.isEmpty()) {
            return found;
        }
        Map<String, LiveMetadata> read = catalog.metadata(collection.name(), unknown);
        for (String id : unknown) {
            Key key = key(collection, id);
            LiveMetadata live = read.get(id);
            if (live == null) {
                cache.invalidate(key);
            } else {
                cache.asMap().merge(key, live, MetadataCache::later);
                found.put(id, live);
            }
        }
        return found;
    }

    private static Key key(Collection collection, String id) {
        return new Key(collection.name(), collection.createdAt(), id);
    }

    /** Of two reads of one image, the one of the later write: a slow reader never puts older metadata back. */
    private static LiveMetadata later(LiveMetadata a, LiveMetadata b) {
        return a.sequence() >= b.sequence() ? a : b;
    }
}
