package dev.imagesim.catalog;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code imagesim.index.vectors}: live vectors in each collection's index, read when scraped. A gauge is
 * added when a collection's index appears and removed when it is dropped.
 */
final class IndexMetrics {

    private final MeterRegistry meters;
    private final ToIntFunction<String> size;
    private final Map<String, Gauge> gauges = new ConcurrentHashMap<>();

    IndexMetrics(MeterRegistry meters, ToIntFunction<String> size) {
        this.meters = meters;
        this.size = size;
    }

    void track(String collection) {
        gauges.computeIfAbsent(collection, name -> Gauge.builder("imagesim.index.vectors", this,
                        metrics -> metrics.size.applyAsInt(name))
                .description("vectors in the collection's index").tag("collection", name).register(meters));
    }

    void untrack(String collection) {
        Gauge gauge = gauges.remove(collection);
        if (gauge != null) {
            meters.remove(gauge);
        }
    }
}
