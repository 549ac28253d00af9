package dev.imagesim.index;

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
 * @param snapshotIntervalSeconds also snapshot every collection with unsaved changes this often
 */
@Validated
@ConfigurationProperties("imagesim.index")
public record IndexProperties(
        @DefaultValue("16") @Min(2) int m,
        @DefaultValue("200") @Min(1) int efConstruction,
        @DefaultValue("64") @Min(1) int ef,
        @DefaultValue("1000") @Min(1) int snapshotEveryWrites,
        @DefaultValue("60") @Min(1) int snapshotIntervalSeconds) {

    public IndexParameters defaults(IndexType type) {
        return new IndexParameters(type, m, efConstruction, ef);
    }
}
