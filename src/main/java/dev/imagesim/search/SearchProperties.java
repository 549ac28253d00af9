package dev.imagesim.search;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of search ({@code imagesim.search.*}).
 *
 * @param maxConcurrent     searches that walk an index and read their results' metadata at once; the others
 *                          wait in arrival order. {@code 0} means one per core: more searches than cores
 *                          only add time-slicing to the tail latency (docs/performance.md)
 * @param filterExactLimit  a filtered search that finds fewer than k matches among its first 4·k candidates
 *                          counts the filter's matches in the catalog's label index: at most this many, and it
 *                          computes the exact nearest among them; more, and it widens the graph search to at
 *                          most about 4 × k × size / this many candidates. {@code 0} never uses the label
 *                          index: the graph search widens up to the whole index
 * @param metadataCacheSize memory for the metadata of recent search hits, so that a search reads the catalog
 *                          only for hits it has not met before (an estimate of the heap the entries take);
 *                          {@code 0} reads every hit's metadata from the catalog
 */
@Validated
@ConfigurationProperties("imagesim.search")
public record SearchProperties(@DefaultValue("0") @Min(0) int maxConcurrent,
        @DefaultValue("128MB") @NotNull DataSize metadataCacheSize,
        @DefaultValue("10000") @Min(0) int filterExactLimit) {

    public SearchProperties {
        if (metadataCacheSize.isNegative()) {
            throw new IllegalArgumentException("imagesim.search.metadata-cache-size must not be negative, was "
                    + metadataCacheSize);
        }
    }

    /** The number of searches that may run at once. */
    public int slots() {
        return maxConcurrent == 0 ? Runtime.getRuntime().availableProcessors() : maxConcurrent;
    }
}
