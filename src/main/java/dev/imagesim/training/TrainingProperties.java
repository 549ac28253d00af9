package dev.imagesim.training;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Training job settings ({@code imagesim.training.*}; the dataset settings are {@code DatasetProperties}).
 *
 * @param maxQueuedJobs         jobs waiting or running at once; more are refused with 429 {@code training-queue-full}
 * @param maxEpochs             epochs one job may ask for
 * @param maxBatchSize          P × K one job may ask for
 * @param maxEvaluationImages   images per evaluation split (a seeded sample above this), bounding the time
 *                              each epoch's evaluation takes
 * @param targetFalseAcceptRate false-accept rate the verification threshold is calibrated for
 */
@Validated
@ConfigurationProperties("imagesim.training")
public record TrainingProperties(
        @DefaultValue("16") @Min(1) int maxQueuedJobs,
        @DefaultValue("1000") @Min(1) int maxEpochs,
        @DefaultValue("512") @Min(4) int maxBatchSize,
        @DefaultValue("2000") @Min(10) int maxEvaluationImages,
        @DefaultValue("0.01") @DecimalMin("0.0") @DecimalMax("0.5") double targetFalseAcceptRate) {
}
