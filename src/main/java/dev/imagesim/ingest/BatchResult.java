package dev.imagesim.ingest;

import java.util.List;

/** Counts and per-item results of a batch ingest, items in request order. */
public record BatchResult(int created, int updated, int failed, List<BatchItemResult> items) {

    static BatchResult of(List<BatchItemResult> items) {
        int created = 0;
        int updated = 0;
        int failed = 0;
        for (BatchItemResult item : items) {
            switch (item.status()) {
                case "created" -> created++;
                case "updated" -> updated++;
                default -> failed++;
            }
        }
        return new BatchResult(created, updated, failed, items);
    }
}
