package dev.imagesim.duplicates;

import java.util.Arrays;

/**
 * Every pair of 64-bit perceptual hashes within a Hamming distance, without comparing all pairs when the
 * distance is small: split into {@code bits + 1} chunks, two hashes within {@code bits} agree exactly on at
 * least one chunk (pigeonhole), so only hashes that share a chunk's value are compared (multi-index hashing).
 * Each pair is reported once, in the first chunk it shares. Above {@value #MAX_INDEXED_BITS} bits the chunks
 * get too narrow to sort anything apart and every pair is compared, a popcount each.
 */
final class HashPairs {

    /** Receives each pair found, and is asked between rounds whether to go on. */
    interface Sink {
        void pair(int a, int b, int distance);

        /** {@code done} of {@code total} units of work finished; throws to stop. */
        void progress(long done, long total);
    }

    static final int MAX_INDEXED_BITS = 7;

    private HashPairs() {
    }

    static void find(long[] hashes, int bits, Sink sink) {
        if (bits <= MAX_INDEXED_BITS) {
            byChunks(hashes, bits, sink);
        } else {
            allPairs(hashes, bits, sink);
        }
    }

    private static void byChunks(long[] hashes, int bits, Sink sink) {
        int chunks = Math.max(2, bits + 1);
        int[] offsets = new int[chunks + 1];
        for (int c = 0; c < chunks; c++) {
            offsets[c + 1] = offsets[c] + 64 / chunks + (c < 64 % chunks ? 1 : 0);
        }
        long[] keyed = new long[hashes.length];
        for (int c = 0; c < chunks; c++) {
            for (int node = 0; node < hashes.length; node++) {
                keyed[node] = chunk(hashes[node], offsets, c) << 32 | node;
            }
            Arrays.sort(keyed);
            for (int start = 0, end; start < keyed.length; start = end) {
                end = start + 1;
                while (end < keyed.length && keyed[end] >>> 32 == keyed[start] >>> 32) {
                    end++;
                }
                for (int i = start; i < end; i++) {
                    for (int j = i + 1; j < end; j++) {
                        report(hashes, (int) keyed[i], (int) keyed[j], bits, offsets, c, sink);
                    }
                }
            }
            sink.progress(c + 1, chunks);
        }
    }

    private static void report(long[] hashes, int a, int b, int bits, int[] offsets, int chunk, Sink sink) {
        int distance = Long.bitCount(hashes[a] ^ hashes[b]);
        if (distance > bits) {
            return;
        }
        for (int earlier = 0; earlier < chunk; earlier++) {
            if (chunk(hashes[a], offsets, earlier) == chunk(hashes[b], offsets, earlier)) {
                return;
            }
        }
        sink.pair(a, b, distance);
    }

    private static long chunk(long hash, int[] offsets, int c) {
        int width = offsets[c + 1] - offsets[c];
        return (hash >>> offsets[c]) & ((1L << width) - 1);
    }

    private static void allPairs(long[] hashes, int bits, Sink sink) {
        int step = Math.max(1, hashes.length / 100);
        for (int a = 0; a < hashes.length; a++) {
            long hash = hashes[a];
            for (int b = a + 1; b < hashes.length; b++) {
                int distance = Long.bitCount(hash ^ hashes[b]);
                if (distance <= bits) {
                    sink.pair(a, b, distance);
                }
            }
            if (a % step == step - 1) {
                long done = (long) (a + 1) * (2L * hashes.length - a - 2) / 2;
                sink.progress(done, (long) hashes.length * (hashes.length - 1) / 2);
            }
        }
    }
}
