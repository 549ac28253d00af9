package dev.imagesim.index;

import java.util.Arrays;

/**
 * Which nodes one search has visited: a mark per node that counts as set when it equals the current
 * generation, so starting a search is one increment instead of clearing the marks.
 */
final class VisitedMarks {

    /** Two bytes a node rather than four: more of the marks stay in cache. */
    private short[] marks;
    private short generation;

    VisitedMarks(int capacity) {
        marks = new short[capacity];
    }

    /** Starts a search over nodes below {@code capacity}, forgetting every earlier mark. */
    void reset(int capacity) {
        if (marks.length < capacity) {
            marks = new short[Math.max(capacity, marks.length * 2)];
            generation = 0;
        }
        if (++generation == 0) {
            Arrays.fill(marks, (short) 0);
            generation = 1;
        }
    }

    /** Marks {@code node}; false when it was marked already in this search. */
    boolean visit(int node) {
        if (marks[node] == generation) {
            return false;
        }
        marks[node] = generation;
        return true;
    }
}
