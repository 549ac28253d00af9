package dev.imagesim;

/**
 * A deterministic pseudo-random rank of an id, for samples that must come out the same for the same data:
 * keeping the ids of lowest rank picks a fair sample whatever order the ids come in.
 */
public final class SampleRank {

    private SampleRank() {
    }

    /** The id's hash under {@code seed}, spread by MurmurHash3's 64-bit finaliser. */
    public static long of(String id, long seed) {
        long h = (seed + id.hashCode()) * 0x9E3779B97F4A7C15L;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }
}
