package dev.imagesim.index;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Index defaults and snapshot policy ({@code imagesim.index.*}).
 *
 * @param m                   default HNSW links per node
 * @param efConstruction      default HNSW construction breadth
 * @param ef                  default HNSW search breadth
 * @param snapshotEveryWrites write a collection's snapshot after this many changes
 * @param snapshotEveryFraction and only once the changes are also this fraction of the index's size: a
 *                            snapshot costs time in proportion to the size, and so does a replay
 * @param snapshotIntervalSeconds also snapshot every collection with unsaved changes this often
 */
@Validated
@ConfigurationProperties("imagesim.index")
public record IndexProperties(
        @DefaultValue("16") @Min(2) int m,
        @DefaultValue("200") @Min(1) int efConstruction,
        @DefaultValue("64") @Min(1) int ef,
        @DefaultValue("1000") @Min(1) int snapshotEveryWrites,
        @DefaultValue("0.05") @DecimalMin("0") double snapshotEveryFraction,
        @DefaultValue("60") @Min(1) int snapshotIntervalSeconds) {

    /** Changes after which an index of {@code size} vectors is snapshotted. */
    public long snapshotAfter(int size) {
        return Math.max(snapshotEveryWrites, (long) (size * snapshotEveryFraction));
    }

    public IndexParameters defaults(IndexType type) {
        return new IndexParameters(type, m, efConstruction, ef);
    }
}
