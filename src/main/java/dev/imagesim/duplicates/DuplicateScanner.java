package dev.imagesim.duplicates;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import dev.imagesim.catalog.Catalog;
import dev.imagesim.catalog.ImageHash;
import dev.imagesim.catalog.SearchTarget;
import dev.imagesim.index.Neighbor;

/**
 * Finds the groups of copies in a whole collection by one method, in bounded memory: the pairs within the
 * threshold become the edges of a {@link CopyGraph}, never a matrix of all pairs. {@code hash} and {@code exact}
 * read every image's hashes (8 bytes and 64 hex digits an image); {@code hash} compares only the hashes that
 * share a chunk ({@link HashPairs}); {@code embedding} searches the collection's index once per stored vector
 * for its {@value DuplicateCheck#EMBEDDING_CANDIDATES} nearest, so a group larger than that may come out split.
 */
@Component
class DuplicateScanner {

    /** Hears how far a scan is and may stop it by throwing from {@link #advanced}. */
    interface Progress {
        void advanced(long done, long total);
    }

    /** The groups a scan found, and how many images it compared. */
    record Found(int images, List<DuplicateGroup> groups) {
    }

    private final Catalog catalog;

    DuplicateScanner(Catalog catalog) {
        this.catalog = catalog;
    }

    Found scan(String collection, DuplicateMethod method, double threshold, Progress progress) {
        return switch (method) {
            case HASH, EXACT -> byHashes(collection, method, (int) threshold, progress);
            case EMBEDDING -> byEmbedding(collection, threshold, progress);
        };
    }

    private Found byHashes(String collection, DuplicateMethod method, int bits, Progress progress) {
        List<String> ids = new ArrayList<>();
        List<ImageHash> hashes = new ArrayList<>();
        catalog.forEachHash(collection, stored -> {
            if (method == DuplicateMethod.EXACT || stored.perceptualHash() != null) {
                ids.add(stored.id());
                hashes.add(stored);
            }
        });
        CopyGraph graph = new CopyGraph(ids);
        if (method == DuplicateMethod.EXACT) {
            Map<String, Integer> first = new HashMap<>();
            for (int node = 0; node < hashes.size(); node++) {
                Integer original = first.putIfAbsent(hashes.get(node).blobSha256(), node);
                if (original != null) {
                    graph.connect(original, node, 0);
                }
            }
            progress.advanced(1, 1);
        } else {
            long[] values = hashes.stream().mapToLong(ImageHash::perceptualHash).toArray();
            HashPairs.find(values, bits, new HashPairs.Sink() {
                @Override
                public void pair(int a, int b, int distance) {
                    graph.connect(a, b, distance);
                }

                @Override
                public void progress(long done, long total) {
                    progress.advanced(done, total);
                }
            });
        }
        return new Found(ids.size(), graph.groups());
    }

    private Found byEmbedding(String collection, double threshold, Progress progress) {
        SearchTarget target = catalog.searchTarget(collection);
        int k = DuplicateCheck.EMBEDDING_CANDIDATES + 1;
        int ef = Math.max(k, target.collection().index().ef());
        long total = target.index().size();
        List<String> ids = new ArrayList<>();
        Map<String, Integer> nodes = new HashMap<>();
        CopyGraph graph = new CopyGraph(ids);
        int[] scanned = {0};
        catalog.forEachVector(collection, row -> {
            int node = nodes.computeIfAbsent(row.id(), id -> add(ids, id));
            for (Neighbor neighbor : target.index().search(row.vector(), k, ef)) {
                if (neighbor.distance() <= threshold && !neighbor.id().equals(row.id())) {
                    graph.connect(node, nodes.computeIfAbsent(neighbor.id(), id -> add(ids, id)),
                            neighbor.distance());
                }
            }
            scanned[0]++;
            progress.advanced(scanned[0], Math.max(total, scanned[0]));
        });
        return new Found(scanned[0], graph.groups());
    }

    private static int add(List<String> ids, String id) {
        ids.add(id);
        return ids.size() - 1;
    }
}
