package dev.imagesim.index;

import java.util.Arrays;

/**
 * Which nodes one search has visited: a mark per node that counts as set when it equals the current
 * generation, so starting a search is one increment instead of clearing the marks.
 */
final class VisitedMarks {

    private int[] marks;
    private int generation;

    VisitedMarks(int capacity) {
        marks = new int[capacity];
    }

    /** Starts a search over nodes below {@code capacity}, forgetting every earlier mark. */
    void reset(int capacity) {
        if (marks.length < capacity) {
            marks = new int[Math.max(capacity, marks.length * 2)];
            generation = 0;
        }
        if (++generation == 0) {
            Arrays.fill(marks, 0);
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
