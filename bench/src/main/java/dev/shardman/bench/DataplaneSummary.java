package dev.shardman.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Prints the data-plane benchmark's medians over the rounds and the ratios that issue 14 asks for. */
final class DataplaneSummary {
    private DataplaneSummary() {
    }

    static void print(List<Map<String, Double>> rounds) {
        System.out.println();
        System.out.println("| measurement | median | rounds |");
        System.out.println("|---|---|---|");
        for (String name : rounds.get(0).keySet()) {
            System.out.printf("| %s | %.1f | %s |%n", name, median(rounds, name), rounds.stream()
                    .map(round -> String.format("%.1f", round.get(name))).toList());
        }
        System.out.println();
        System.out.println("| ratio (medians) | value |");
        System.out.println("|---|---|");
        ratio(rounds, "point select: parent / plain (goal >= 0.5)", "select parent (TPS)", "select plain (TPS)");
        ratio(rounds, "point select: parent, keys held on w1 / plain", "select parent, keys held on w1 (TPS)", "select plain (TPS)");
        ratio(rounds, "point select: parent with async_capable off / plain", "select parent, async_capable off (TPS)", "select plain (TPS)");
        ratio(rounds, "point update: parent / plain", "update parent (TPS)", "update plain (TPS)");
        ratio(rounds, "insert: parent / plain", "insert parent (TPS)", "insert plain (TPS)");
        ratio(rounds, "insert: redundancy 1 async / redundancy 0", "insert redundancy 1 (TPS)", "insert parent (TPS)");
        ratio(rounds, "insert: redundancy 1 sync / redundancy 0", "insert redundancy 1, sync (TPS)", "insert parent (TPS)");
        ratio(rounds, "insert: redundancy 0 while sync is on for the other table / redundancy 0 (goal 1)",
                "insert redundancy 0, sync on for the other table (TPS)", "insert parent (TPS)");
        ratio(rounds, "  the same, the session setting synchronous_commit = local / redundancy 0",
                "insert redundancy 0, sync on for the other table, session synchronous_commit = local (TPS)", "insert parent (TPS)");
        ratio(rounds, "  the same, waiting only for replicated tables / redundancy 0",
                "insert redundancy 0, sync on for the other table, wait only for replicated tables (TPS)", "insert parent (TPS)");
        ratio(rounds, "  redundancy 1 sync, waiting only for replicated tables / redundancy 1 sync (still waits: about 1)",
                "insert redundancy 1, sync, wait only for replicated tables (TPS)", "insert redundancy 1, sync (TPS)");
        ratio(rounds, "12-row insert at redundancy 1 sync: parallel_commit on / off", "insert 12 rows redundancy 1, sync, parallel_commit (TPS)",
                "insert 12 rows redundancy 1, sync (TPS)");
        for (String query : List.of("count/sum", "group by")) {
            ratio(rounds, query + ": parent time / plain time", query + " parent (ms)", query + " plain (ms)");
            ratio(rounds, query + ": parent time / per-partition UNION ALL time", query + " parent (ms)", query + " per-partition UNION ALL (ms)");
            ratio(rounds, query + ": parent partitionwise time / per-partition UNION ALL time", query + " parent, partitionwise aggregate (ms)",
                    query + " per-partition UNION ALL (ms)");
            ratio(rounds, query + ": per-partition UNION ALL time / plain time", query + " per-partition UNION ALL (ms)", query + " plain (ms)");
        }
    }

    private static void ratio(List<Map<String, Double>> rounds, String label, String numerator, String denominator) {
        System.out.printf("| %s | %.2f |%n", label, median(rounds, numerator) / median(rounds, denominator));
    }

    private static double median(List<Map<String, Double>> rounds, String name) {
        List<Double> values = new ArrayList<>(rounds.stream().map(round -> round.get(name)).toList());
        Collections.sort(values);
        int size = values.size();
        return size % 2 == 1 ? values.get(size / 2) : (values.get(size / 2 - 1) + values.get(size / 2)) / 2;
    }
}
