package dev.shardman.planner.step;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link StepId#compareTo} starts after the ids' common prefix; this checks it against the natural order computed from
 * the first character (the comparison as it was), and {@link StepKinds#sorted} against sorting a stream, on random
 * ids built from digits, zeros and the separators step ids use.
 */
class StepIdOrderTest {
    private static final String ALPHABET = "0019a_b:@-";

    @Test
    void comparingFromTheCommonPrefixGivesTheNaturalOrder() {
        Random random = new Random(14);
        for (int round = 0; round < 200_000; round++) {
            String prefix = randomText(random, 6);
            String left = prefix + randomText(random, 5);
            String right = prefix + randomText(random, 5);
            assertEquals(Integer.signum(naturalOrder(left, right)), Integer.signum(new StepId("x" + left).compareTo(new StepId("x" + right))),
                    left + " vs " + right);
        }
    }

    @Test
    void sortedNodesAreDistinctAndInOrder() {
        Random random = new Random(14);
        for (int round = 0; round < 10_000; round++) {
            List<String> nodes = new ArrayList<>();
            for (int count = 1 + random.nextInt(6); count > 0; count--) {
                nodes.add("w" + random.nextInt(5));
            }
            assertEquals(nodes.stream().distinct().sorted().toList(), StepKinds.sorted(nodes), nodes.toString());
        }
    }

    private static String randomText(Random random, int maxLength) {
        StringBuilder text = new StringBuilder();
        for (int length = random.nextInt(maxLength + 1); length > 0; length--) {
            text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return text.toString();
    }

    /** The natural order walked from the first character: runs of digits by value, then by count of leading zeros. */
    private static int naturalOrder(String left, String right) {
        int i = 0;
        int j = 0;
        while (i < left.length() && j < right.length()) {
            char a = left.charAt(i);
            char b = right.charAt(j);
            if (Character.isDigit(a) && Character.isDigit(b)) {
                int leftEnd = digitsEnd(left, i);
                int rightEnd = digitsEnd(right, j);
                String leftDigits = left.substring(i, leftEnd).replaceFirst("^0+(?=.)", "");
                String rightDigits = right.substring(j, rightEnd).replaceFirst("^0+(?=.)", "");
                int compared = leftDigits.length() != rightDigits.length() ? Integer.compare(leftDigits.length(), rightDigits.length())
                        : leftDigits.compareTo(rightDigits);
                if (compared == 0) {
                    compared = Integer.compare(leftEnd - i, rightEnd - j);
                }
                if (compared != 0) {
                    return compared;
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

    private static int digitsEnd(String text, int start) {
        int end = start;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
            end++;
        }
        return end;
    }
}
