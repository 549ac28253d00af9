package dev.imagesim.embedding;

import java.time.Duration;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of embedding ({@code imagesim.embedding.*}).
 *
 * @param predictors predictors kept per loaded model (a DJL predictor is not thread-safe); concurrent
 *                   embedding calls beyond this wait for one to be free. Two (default): one batch runs while
 *                   the next one is gathered and copied in
 * @param batchSize  images sent to the engine at once when a request holds many; also the most a
 *                   micro-batch gathers
 * @param batchWait  how long a micro-batch waits for more calls after the first; calls that queued
 *                   while the predictors were busy join without waiting. The default {@code 0} batches
 *                   only what is already queued: a wait costs a lone caller more than it gains under
 *                   concurrency (docs/performance.md)
 * @param microBatching whether concurrent small calls share engine batches
 */
@Validated
@ConfigurationProperties("imagesim.embedding")
public record EmbeddingProperties(
        @DefaultValue("2") @Min(1) int predictors,
        @DefaultValue("32") @Min(1) int batchSize,
        @DefaultValue("0ms") Duration batchWait,
        @DefaultValue("true") boolean microBatching) {
}
