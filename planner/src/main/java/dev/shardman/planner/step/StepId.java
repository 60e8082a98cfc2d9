package dev.shardman.planner.step;

import static java.util.Objects.requireNonNull;

/**
 * The stable identifier of a step, {@code <kind>:<object>} (e.g. {@code move-primary:customers_3}).
 * Ids order naturally: runs of digits compare as numbers, so {@code customers_2} sorts before
 * {@code customers_10}. Ties in the plan order are broken by this order.
 */
public record StepId(String value) implements Comparable<StepId> {
    public StepId {
        requireNonNull(value, "value is null");
        if (value.isBlank()) {
            throw new IllegalArgumentException("step id is blank");
        }
    }

    public static StepId of(String kind, String object) {
        return new StepId(kind + ":" + object);
    }

    @Override
    public int compareTo(StepId other) {
        String left = value;
        String right = other.value;
        int i = commonStart(left, right);
        int j = i;
        while (i < left.length() && j < right.length()) {
            char a = left.charAt(i);
            char b = right.charAt(j);
            if (isDigit(a) && isDigit(b)) {
                int leftEnd = digitsEnd(left, i);
                int rightEnd = digitsEnd(right, j);
                int leftStart = skipZeros(left, i, leftEnd);
                int rightStart = skipZeros(right, j, rightEnd);
                int lengths = Integer.compare(leftEnd - leftStart, rightEnd - rightStart);
                if (lengths != 0) {
                    return lengths;
                }
                for (int k = 0; k < leftEnd - leftStart; k++) {
                    int digit = Character.compare(left.charAt(leftStart + k), right.charAt(rightStart + k));
                    if (digit != 0) {
                        return digit;
                    }
                }
                int zeros = Integer.compare(leftEnd - i, rightEnd - j);
                if (zeros != 0) {
                    return zeros;
                }
                i = leftEnd;
                j = rightEnd;
            } else {
                if (a != b) {
                    return Character.compare(a, b);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(left.length() - i, right.length() - j);
    }

    /**
     * Where the comparison can start: the end of the common prefix, moved back to the start of a run of digits it
     * ends in. Every token before it is the same in both (ids of one kind share long prefixes, and sorting the
     * 49,000 moves of a large plan compared them from the first character).
     */
    private static int commonStart(String left, String right) {
        int length = Math.min(left.length(), right.length());
        int common = 0;
        while (common < length && left.charAt(common) == right.charAt(common)) {
            common++;
        }
        while (common > 0 && isDigit(left.charAt(common - 1))) {
            common--;
        }
        return common;
    }

    private static boolean isDigit(char character) {
        return character >= '0' && character <= '9';
    }

    private static int digitsEnd(String text, int start) {
        int end = start;
        while (end < text.length() && isDigit(text.charAt(end))) {
            end++;
        }
        return end;
    }

    private static int skipZeros(String text, int start, int end) {
        int position = start;
        while (position < end - 1 && text.charAt(position) == '0') {
            position++;
        }
        return position;
    }

    @Override
    public String toString() {
        return value;
    }
}
