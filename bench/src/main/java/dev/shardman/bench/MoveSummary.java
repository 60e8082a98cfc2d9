package dev.shardman.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Prints the move benchmark's figures over its rounds: each round's line, then medians and the goals. */
final class MoveSummary {
    static final double THROUGHPUT_GOAL = 0.9;
    static final double GAP_GOAL_MILLIS = 100;

    private MoveSummary() {
    }

    static void print(List<MoveBenchmark.Round> rounds) {
        System.out.println();
        System.out.println("| round | table | raw copy (pgjdbc pipe) | raw copy (psql pipe) | move copy | throughput raw / move | move/raw"
                + " | move/raw (psql) | longest write gap: cutover to the end | during the move | during the apply | client errors | write fence | apply | rows lost |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        List<MoveBenchmark.Round> moved = new ArrayList<>();
        int number = 1;
        for (MoveBenchmark.Round round : rounds) {
            double raw = round.raw().nanos() / 1e9;
            double rawThroughput = MoveBenchmark.mibPerSecond(round.tableBytes(), round.raw().nanos());
            String gap = String.format("%.1f ms (%s)", round.writer().longest().nanos() / 1e6, round.gapPhase());
            if (round.report().isPresent()) {
                moved.add(round);
                long copyNanos = round.report().get().copy().toNanos();
                System.out.printf("| %d | %d MiB, %,d rows | %.1f s | %s | %.1f s | %.1f / %.1f MiB/s | %.2f | %s | %s | %s | %s | %d | %d ms | %.1f s | %d |%n",
                        number, round.tableBytes() >> 20, round.rows(), raw, psql(round), copyNanos / 1e9, rawThroughput,
                        MoveBenchmark.mibPerSecond(round.tableBytes(), copyNanos), ratio(round),
                        round.psqlNanos().map(psql -> String.format("%.2f", (double) psql / copyNanos)).orElse("–"),
                        notable(round.longestGapInSwitchNanos()), notable(round.longestGapInMoveNanos()), gap, round.writer().errors(), round.report().get().writeFence().toMillis(), round.applyNanos() / 1e9, round.rowsLost());
            } else {
                System.out.printf("| %d | %d MiB, %,d rows | %.1f s | %s | not run | %.1f MiB/s / – | – | – | – | – | %s | %d | – | %.1f s | – |%n", number,
                        round.tableBytes() >> 20, round.rows(), raw, psql(round), rawThroughput, gap, round.writer().errors(), round.applyNanos() / 1e9);
                System.out.println("move not run: " + round.moveError().orElseThrow());
            }
            number++;
        }
        System.out.printf("raw copy: median %.1f s over %d round(s)%n", median(rounds, round -> round.raw().nanos() / 1e9), rounds.size());
        if (moved.isEmpty()) {
            System.out.println("no move ran: no move figures, no goals checked");
            return;
        }
        double ratio = median(moved, MoveSummary::ratio);
        double gap = median(moved, round -> round.longestGapInMoveNanos() / 1e6);
        double worstGap = moved.stream().mapToDouble(round -> round.longestGapInMoveNanos() / 1e6).max().orElseThrow();
        double switchGap = median(moved, round -> round.longestGapInSwitchNanos() / 1e6);
        double worstSwitchGap = moved.stream().mapToDouble(round -> round.longestGapInSwitchNanos() / 1e6).max().orElseThrow();
        double worstApplyGap = moved.stream().mapToDouble(round -> round.writer().longest().nanos() / 1e6).max().orElseThrow();
        long errors = moved.stream().mapToLong(round -> round.writer().errors()).sum();
        long lost = moved.stream().mapToLong(MoveBenchmark.Round::rowsLost).sum();
        System.out.printf("move copy: median %.1f s; write fence median %.0f ms%n", median(moved, round -> round.report().get().copy().toMillis() / 1e3),
                median(moved, round -> (double) round.report().get().writeFence().toMillis()));
        System.out.printf("throughput move/raw: median %.2f, goal >= %.1f: %s%n", ratio, THROUGHPUT_GOAL, ratio >= THROUGHPUT_GOAL ? "met" : "MISSED");
        List<MoveBenchmark.Round> withPsql = moved.stream().filter(round -> round.psqlNanos().isPresent()).toList();
        if (!withPsql.isEmpty()) {
            System.out.printf("throughput move/raw against the psql pipe: median %.2f (raw psql median %.1f s)%n",
                    median(withPsql, round -> (double) round.psqlNanos().orElseThrow() / round.report().orElseThrow().copy().toNanos()),
                    median(withPsql, round -> round.psqlNanos().orElseThrow() / 1e9));
        }
        System.out.printf("longest write gap from the cutover to the end of the move: median %.1f ms, worst %.1f ms, goal <= %.0f ms: %s%n",
                switchGap, worstSwitchGap, GAP_GOAL_MILLIS, worstSwitchGap <= GAP_GOAL_MILLIS ? "met" : "MISSED");
        System.out.printf("longest write gap during the move: median %.1f ms, worst %.1f ms, goal <= %.0f ms: %s"
                        + " (whole apply, worst round: %.1f ms)%n", gap, worstGap, GAP_GOAL_MILLIS,
                worstGap <= GAP_GOAL_MILLIS ? "met" : gap <= GAP_GOAL_MILLIS ? "met by the median, MISSED by the worst round" : "MISSED", worstApplyGap);
        System.out.printf("client errors: %d in total, goal 0: %s; rows lost: %d%n", errors, errors == 0 ? "met" : "MISSED", lost);
    }

    private static String psql(MoveBenchmark.Round round) {
        return round.psqlNanos().map(nanos -> String.format("%.1f s", nanos / 1e9)).orElse("–");
    }

    /** A longest gap in a window; gaps under 20 ms are not kept one by one, so none found reads "under 20 ms". */
    private static String notable(long nanos) {
        return nanos == 0 ? "under 20 ms" : String.format("%.1f ms", nanos / 1e6);
    }

    /** throughput(move) / throughput(raw) over the same bytes = raw time / move copy time. */
    private static double ratio(MoveBenchmark.Round round) {
        return (double) round.raw().nanos() / round.report().orElseThrow().copy().toNanos();
    }

    private static double median(List<MoveBenchmark.Round> rounds, ToDoubleFunction<MoveBenchmark.Round> figure) {
        List<Double> values = new ArrayList<>(rounds.stream().mapToDouble(figure).boxed().toList());
        Collections.sort(values);
        int middle = values.size() / 2;
        return values.size() % 2 == 1 ? values.get(middle) : (values.get(middle - 1) + values.get(middle)) / 2;
    }
}
