package dev.shardman.planner.step;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** Names of step kinds and small text helpers shared by the steps' one-line descriptions. */
public final class StepKinds {
    private static final ClassValue<String> KIND = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            return type.getSimpleName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
        }
    };

    private StepKinds() {
    }

    /** {@code MovePrimary} → {@code move_primary}. */
    public static String kindOf(Class<?> stepType) {
        return KIND.get(stepType);
    }

    /** {@code MovePrimary} → {@code move-primary}, the prefix of its step ids. */
    static String idPrefix(Class<?> stepType) {
        return kindOf(stepType).replace('_', '-');
    }

    /** "w1, w2, w3", or "w1, w2, w3, w4, w5 and 995 more" for long lists. */
    static String nodeList(List<String> nodes) {
        if (nodes.size() <= 5) {
            return String.join(", ", nodes);
        }
        return String.join(", ", nodes.subList(0, 5)) + " and " + (nodes.size() - 5) + " more";
    }

    /** Sorted without duplicates, without a stream: the plan graph asks every step often (a replica move names three nodes). */
    static List<String> sorted(List<String> nodes) {
        if (nodes.size() == 1) {
            return List.of(nodes.get(0));
        }
        if (nodes.size() == 2) {
            String first = nodes.get(0);
            String second = nodes.get(1);
            int order = first.compareTo(second);
            return order == 0 ? List.of(first) : order < 0 ? List.of(first, second) : List.of(second, first);
        }
        String[] sorted = nodes.toArray(new String[0]);
        Arrays.sort(sorted);
        List<String> distinct = new ArrayList<>(sorted.length);
        for (String node : sorted) {
            if (distinct.isEmpty() || !distinct.get(distinct.size() - 1).equals(node)) {
                distinct.add(node);
            }
        }
        return Collections.unmodifiableList(distinct);
    }
}
