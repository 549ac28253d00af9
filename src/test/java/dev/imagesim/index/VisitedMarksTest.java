package dev.imagesim.index;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VisitedMarksTest {

    @Test
    void aNodeIsNewOncePerSearch() {
        VisitedMarks marks = new VisitedMarks(8);
        marks.reset(8);
        assertThat(marks.visit(3)).isTrue();
        assertThat(marks.visit(3)).isFalse();
        marks.reset(8);
        assertThat(marks.visit(3)).as("a new search forgets the marks").isTrue();
    }

    @Test
    void growsForALargerIndexAndForgetsOldMarks() {
        VisitedMarks marks = new VisitedMarks(4);
        marks.reset(4);
        marks.visit(2);
        marks.reset(100);
        assertThat(marks.visit(99)).isTrue();
        assertThat(marks.visit(2)).isTrue();
    }

    /** The generation counter wraps after 65,535 searches; no mark of an earlier search may survive that. */
    @Test
    void marksStayCorrectWhenTheGenerationWraps() {
        VisitedMarks marks = new VisitedMarks(4);
        for (int search = 0; search < 70_000; search++) {
            marks.reset(4);
            assertThat(marks.visit(search % 4)).as("search %d", search).isTrue();
            assertThat(marks.visit(search % 4)).isFalse();
        }
    }
}
