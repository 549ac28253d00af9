package dev.imagesim.training.data;

import java.nio.file.Path;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Where training datasets may come from and how large a zip dataset may be ({@code imagesim.training.*}, beside
 * the job settings of {@code TrainingProperties}).
 *
 * @param datasetRoot   directory every file dataset must be under; default {@code <data-dir>/datasets}
 * @param maxZipEntries images in one zip dataset
 * @param maxZipSize    uncompressed bytes of one zip dataset
 */
@Validated
@ConfigurationProperties("imagesim.training")
public record DatasetProperties(
        Path datasetRoot,
        @DefaultValue("200000") @Min(1) int maxZipEntries,
        @DefaultValue("2GB") DataSize maxZipSize) {
}
