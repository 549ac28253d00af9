package dev.imagesim.duplicates;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * Grouping around representatives and the hash pairs behind it: every member is within the threshold of its
 * representative, so a chain does not become one group; repeated edges count once; multi-index hashing finds
 * exactly the pairs that comparing all pairs finds.
 */
class CopyGraphTest {

    @Test
    void aChainOfWeakPairsIsNotMergedIntoOneGroup() {
        CopyGraph graph = new CopyGraph(List.of("a", "b", "c", "d", "e", "lonely"));
        graph.connect(0, 1, 0.25);
        graph.connect(1, 2, 0.25);
        graph.connect(2, 3, 0.25);
        graph.connect(3, 4, 0.25);
        graph.connect(1, 0, 0.125);
        List<DuplicateGroup> groups = graph.groups();
        assertThat(groups).hasSize(2);
        assertThat(groups.get(0).members()).extracting(DuplicateMatch::id).containsExactly("b", "a", "c");
        assertThat(groups.get(0).members()).extracting(DuplicateMatch::distance)
                .as("a repeated pair keeps its smallest distance").containsExactly(0.0, 0.125, 0.25);
        assertThat(groups.get(1).members()).extracting(DuplicateMatch::id).containsExactly("d", "e");
    }

    @Test
    void multiIndexHashingFindsTheSamePairsAsComparingAll() {
        Random random = new Random(7);
        long[] hashes = new long[600];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = i % 3 == 0 || i == 0 ? random.nextLong() : flip(hashes[i - 1], random, random.nextInt(9));
        }
        for (int bits = 0; bits <= 12; bits++) {
            Set<List<Integer>> expected = new HashSet<>();
            for (int a = 0; a < hashes.length; a++) {
                for (int b = a + 1; b < hashes.length; b++) {
                    if (Long.bitCount(hashes[a] ^ hashes[b]) <= bits) {
                        expected.add(List.of(a, b));
                    }
                }
            }
            Set<List<Integer>> found = new HashSet<>();
            List<List<Integer>> reported = new java.util.ArrayList<>();
            HashPairs.find(hashes, bits, new HashPairs.Sink() {
                @Override
                public void pair(int a, int b, int distance) {
                    assertThat(distance).isEqualTo(Long.bitCount(hashes[a] ^ hashes[b]));
                    reported.add(List.of(Math.min(a, b), Math.max(a, b)));
                    found.add(List.of(Math.min(a, b), Math.max(a, b)));
                }

                @Override
                public void progress(long done, long total) {
                    assertThat(done).isBetween(1L, total);
                }
            });
            assertThat(found).as("pairs within %d bits", bits).isEqualTo(expected);
            assertThat(reported).as("each pair once").hasSameSizeAs(found);
            assertThat(expected).as("the fixture has pairs at %d bits", bits).isNotEmpty();
        }
    }

    private static long flip(long hash, Random random, int bits) {
        long flipped = hash;
        for (int i = 0; i < bits; i++) {
            flipped ^= 1L << random.nextInt(64);
        }
        return flipped;
    }
}
