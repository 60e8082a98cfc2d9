package dev.shardman.planner.step;

import java.util.ArrayList;
import java.util.List;

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
        List<String> left = chunks(value);
        List<String> right = chunks(other.value);
        for (int i = 0; i < Math.min(left.size(), right.size()); i++) {
            String a = left.get(i);
            String b = right.get(i);
            int result;
            if (Character.isDigit(a.charAt(0)) && Character.isDigit(b.charAt(0))) {
                result = a.length() != b.length() ? Integer.compare(stripped(a).length(), stripped(b).length()) : 0;
                if (result == 0) {
                    result = stripped(a).compareTo(stripped(b));
                }
                if (result == 0) {
                    result = a.compareTo(b);
                }
            } else {
                result = a.compareTo(b);
            }
            if (result != 0) {
                return result;
            }
        }
        return Integer.compare(left.size(), right.size());
    }

    private static String stripped(String digits) {
        int start = 0;
        while (start < digits.length() - 1 && digits.charAt(start) == '0') {
            start++;
        }
        return digits.substring(start);
    }

    private static List<String> chunks(String text) {
        List<String> chunks = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= text.length(); i++) {
            if (i == text.length() || Character.isDigit(text.charAt(i)) != Character.isDigit(text.charAt(start))) {
                chunks.add(text.substring(start, i));
                start = i;
            }
        }
        return chunks;
    }

    @Override
    public String toString() {
        return value;
    }
}
