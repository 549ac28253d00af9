package dev.imagesim.browse;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of browsing a collection ({@code imagesim.browse.*}).
 *
 * @param thumbnailCacheSize memory for the thumbnails made so far (their encoded bytes)
 */
@Validated
@ConfigurationProperties("imagesim.browse")
public record BrowseProperties(@DefaultValue("64MB") @NotNull DataSize thumbnailCacheSize) {
}
