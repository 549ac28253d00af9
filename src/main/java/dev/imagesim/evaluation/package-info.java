/**
 * Quality measures of an embedding: retrieval (Recall@K, precision@1, R-precision, MAP@R) and
 * verification (ROC-AUC, equal error rate, threshold at a target false-accept rate). Used by training
 * jobs, the benchmark and the tests alike, so a number means the same everywhere.
 */
package dev.imagesim.evaluation;
