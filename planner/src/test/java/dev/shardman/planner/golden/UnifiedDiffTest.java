package dev.shardman.planner.golden;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UnifiedDiffTest {
    @Test
    void changedLineShowsRemovalThenAdditionWithContext() {
        String expected = "a\nb\nc\nd\ne\nf\ng\nh\n";
        String actual = "a\nb\nc\nd\nE\nf\ng\nh\n";
        assertEquals("""
                --- old
                +++ new
                @@ -2,7 +2,7 @@
                 b
                 c
                 d
                -e
                +E
                 f
                 g
                 h
                """, UnifiedDiff.between("old", expected, "new", actual));
    }

    @Test
    void farApartChangesMakeTwoHunksAndAMissingNewlineIsShown() {
        String expected = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n";
        String actual = "0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12";
        assertEquals("""
                --- old
                +++ new
                @@ -1,3 +1,4 @@
                +0
                 1
                 2
                 3
                @@ -10,3 +11,4 @@
                 10
                 11
                 12
                +\\ No newline at end of file
                """, UnifiedDiff.between("old", expected, "new", actual));
    }
}
