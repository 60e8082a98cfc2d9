package dev.shardman.planner.golden;

import java.util.ArrayList;
import java.util.List;

/**
 * A line-based unified diff (longest common subsequence, three lines of context) of an expected and an
 * actual text, for golden-test failure messages. Quadratic in the line count, which is fine for plans
 * of a few hundred lines.
 */
final class UnifiedDiff {
    private static final int CONTEXT = 3;

    private UnifiedDiff() {
    }

    private record Line(char marker, String text, int expectedLine, int actualLine) {
    }

    static String between(String expectedName, String expected, String actualName, String actual) {
        List<Line> lines = edits(lines(expected), lines(actual));
        StringBuilder diff = new StringBuilder("--- " + expectedName + "\n+++ " + actualName + "\n");
        int index = 0;
        while (index < lines.size()) {
            if (lines.get(index).marker() == ' ') {
                index++;
                continue;
            }
            int start = Math.max(0, index - CONTEXT);
            int end = index;
            int lastChange = index;
            while (end < lines.size() && end - lastChange <= 2 * CONTEXT) {
                if (lines.get(end).marker() != ' ') {
                    lastChange = end;
                }
                end++;
            }
            end = Math.min(lines.size(), lastChange + CONTEXT + 1);
            appendHunk(diff, lines.subList(start, end));
            index = end;
        }
        return diff.toString();
    }

    private static void appendHunk(StringBuilder diff, List<Line> hunk) {
        int expectedStart = hunk.get(0).expectedLine();
        int actualStart = hunk.get(0).actualLine();
        long expectedCount = hunk.stream().filter(line -> line.marker() != '+').count();
        long actualCount = hunk.stream().filter(line -> line.marker() != '-').count();
        diff.append("@@ -").append(expectedStart).append(',').append(expectedCount)
                .append(" +").append(actualStart).append(',').append(actualCount).append(" @@\n");
        hunk.forEach(line -> diff.append(line.marker()).append(line.text()).append('\n'));
    }

    private static String[] lines(String text) {
        if (text.isEmpty()) {
            return new String[0];
        }
        return (text.endsWith("\n") ? text.substring(0, text.length() - 1) : text + "\n\\ No newline at end of file").split("\n", -1);
    }

    /** Every line of both texts in order, marked ' ' (common), '-' (expected only) or '+' (actual only). */
    private static List<Line> edits(String[] expected, String[] actual) {
        int[][] common = new int[expected.length + 1][actual.length + 1];
        for (int i = expected.length - 1; i >= 0; i--) {
            for (int j = actual.length - 1; j >= 0; j--) {
                common[i][j] = expected[i].equals(actual[j]) ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<Line> lines = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < expected.length || j < actual.length) {
            if (i < expected.length && j < actual.length && expected[i].equals(actual[j])) {
                lines.add(new Line(' ', expected[i], i + 1, j + 1));
                i++;
                j++;
            } else if (i < expected.length && (j == actual.length || common[i + 1][j] >= common[i][j + 1])) {
                lines.add(new Line('-', expected[i], i + 1, j + 1));
                i++;
            } else {
                lines.add(new Line('+', actual[j], i + 1, j + 1));
                j++;
            }
        }
        return lines;
    }
}
