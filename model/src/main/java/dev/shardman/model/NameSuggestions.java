package dev.shardman.model;

import java.util.Collection;
import java.util.Optional;

/**
 * Finds the known name closest to a misspelt one, for "did you mean" hints. Uses an edit
 * distance and accepts a candidate only when the distance is small next to the name's length, so
 * that a hint is offered for typos and not for unrelated words.
 */
public final class NameSuggestions {
    private NameSuggestions() {
    }

    /** The candidate closest to {@code name}, if one is close enough to be a likely typo. */
    public static Optional<String> closest(String name, Collection<String> candidates) {
        int allowed = Math.max(1, Math.min(3, name.length() / 3));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates.stream().sorted().toList()) {
            int distance = distance(name.toLowerCase(), candidate.toLowerCase());
            if (distance < bestDistance && !candidate.equals(name)) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /** {@code ; did you mean "x"?} when a close candidate exists, otherwise the empty string. */
    public static String didYouMean(String name, Collection<String> candidates) {
        return closest(name, candidates).map(found -> "; did you mean \"" + found + "\"?").orElse("");
    }

    /**
     * Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
     * neighbouring characters each cost one (so "hots" is one edit from "host").
     */
    static int distance(String left, String right) {
        int[][] cost = new int[left.length() + 1][right.length() + 1];
        for (int row = 0; row <= left.length(); row++) {
            cost[row][0] = row;
        }
        for (int column = 0; column <= right.length(); column++) {
            cost[0][column] = column;
        }
        for (int row = 1; row <= left.length(); row++) {
            for (int column = 1; column <= right.length(); column++) {
                int substitution = left.charAt(row - 1) == right.charAt(column - 1) ? 0 : 1;
                cost[row][column] = Math.min(Math.min(cost[row][column - 1] + 1, cost[row - 1][column] + 1),
                        cost[row - 1][column - 1] + substitution);
                if (row > 1 && column > 1 && left.charAt(row - 1) == right.charAt(column - 2)
                        && left.charAt(row - 2) == right.charAt(column - 1)) {
                    cost[row][column] = Math.min(cost[row][column], cost[row - 2][column - 2] + 1);
                }
            }
        }
        return cost[left.length()][right.length()];
    }
}
