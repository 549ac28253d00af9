package dev.imagesim.catalog;

import java.util.concurrent.locks.ReentrantLock;

import dev.imagesim.index.VectorIndex;

/**
 * A collection's in-memory index and how far it has caught up with the catalog. Writers hold
 * {@link #writeLock} from taking a sequence number until the index has applied it, so the index applies
 * changes in sequence order and a snapshot taken under the lock is consistent with {@link #appliedSequence}.
 *
 * <p>The collection settings and the index built with its model form one {@link Generation}, replaced as a
 * whole (under the write lock) when a re-index swaps in another model. A reader takes the generation once
 * and so never pairs one model's query vector with another model's index.
 */
final class LiveIndex {

    /** A collection's settings and the index that holds vectors of its model. */
    record Generation(Collection collection, VectorIndex index) {
    }

    final ReentrantLock writeLock = new ReentrantLock();
    private volatile Generation generation;
    private volatile long appliedSequence;
    private int changesSinceSnapshot;
    private boolean snapshotFailing;

    LiveIndex(Collection collection, VectorIndex index, long appliedSequence) {
        this.generation = new Generation(collection, index);
        this.appliedSequence = appliedSequence;
    }

    Generation generation() {
        return generation;
    }

    VectorIndex index() {
        return generation.index();
    }

    /** Swaps in another model's generation; call with the lock held. */
    void replace(Generation next) {
        generation = next;
        changesSinceSnapshot++;
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
        snapshotFailing = false;
    }

    /** The last snapshot failed: leave retries to the timer rather than to every write. */
    void snapshotFailed() {
        snapshotFailing = true;
    }

    boolean snapshotFailing() {
        return snapshotFailing;
    }
}
