package dev.imagesim.embedding;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of embedding ({@code imagesim.embedding.*}).
 *
 * @param predictors predictors kept per loaded model (a DJL predictor is not thread-safe); concurrent
 *                   embedding calls beyond this wait for one to be free
 * @param batchSize  images sent to the engine at once when a request holds many
 */
@Validated
@ConfigurationProperties("imagesim.embedding")
public record EmbeddingProperties(
        @DefaultValue("2") @Min(1) int predictors,
        @DefaultValue("32") @Min(1) int batchSize) {
}
