package dev.imagesim.model;

/**
 * Leave-one-out retrieval quality of a labelled set of embeddings, as defined by Musgrave et al.,
 * "A Metric Learning Reality Check" (2020). Each item queries all others; its R relevant items are the
 * other members of its class. Items alone in their class have no relevant item and are not queries.
 *
 * @param queries     number of items that served as queries
 * @param recallAt1   fraction of queries with a relevant item at rank 1 (equal to precision@1)
 * @param recallAt5   fraction of queries with a relevant item in the top 5
 * @param recallAt10  fraction of queries with a relevant item in the top 10
 * @param rPrecision  mean over queries of (relevant items in the top R) / R
 * @param mapAtR      mean over queries of (1/R)·Σ_{i≤R} P(i)·rel(i)
 */
public record RetrievalMetrics(int queries, double recallAt1, double recallAt5, double recallAt10,
        double rPrecision, double mapAtR) {

    /** Precision@1 is Recall@1 under this definition: one retrieved item, relevant or not. */
    public double precisionAt1() {
        return recallAt1;
    }
}
