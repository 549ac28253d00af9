package dev.imagesim.catalog;

import java.util.concurrent.locks.ReentrantLock;

import dev.imagesim.index.HnswlibVectorIndex;

/**
 * A collection's in-memory index and how far it has caught up with the catalog. Writers hold
 * {@link #writeLock} from taking a sequence number until the index has applied it, so the index applies
 * changes in sequence order and a snapshot taken under the lock is consistent with {@link #appliedSequence}.
 */
final class LiveIndex {

    final ReentrantLock writeLock = new ReentrantLock();
    final HnswlibVectorIndex index;
    private volatile long appliedSequence;
    private int changesSinceSnapshot;

    LiveIndex(HnswlibVectorIndex index, long appliedSequence) {
        this.index = index;
        this.appliedSequence = appliedSequence;
    }

    /** Records that the change with this sequence number is in the index; call with the lock held. */
    void applied(long sequence) {
        appliedSequence = sequence;
        changesSinceSnapshot++;
    }

    long appliedSequence() {
        return appliedSequence;
    }

    int changesSinceSnapshot() {
        return changesSinceSnapshot;
    }

    void snapshotted() {
        changesSinceSnapshot = 0;
    }
}
