package dev.shardman.bench.chaos;

import java.util.List;

/**
 * One round's outcome. {@code faultAtMs} counts from the moment the scenario's apply printed its plan; {@code faultHit} says whether
 * that apply was still running then. Lost rows are excused only in an asynchronous round that lost a node (the
 * replication lag is asynchronous replication's documented window); every other loss fails the round.
 */
record RoundResult(RoundPlan plan, long faultAtMs, boolean faultHit, int attempts, boolean converged, long acknowledged, long lost,
                   long duplicated, boolean nodeKilled, long seconds, List<String> problems, String logDirectory) {

    boolean lossExcused() {
        return lost > 0 && !plan.sync() && nodeKilled && problems.stream()
                .allMatch(problem -> problem.contains("acknowledged ids missing") || problem.contains("acknowledged updates missing"));
    }

    boolean passed() {
        return converged && (problems.isEmpty() || lossExcused());
    }

    String verdict() {
        return passed() ? (lossExcused() ? "PASS (async loss)" : "PASS") : "FAIL";
    }

    String line() {
        return String.format("seed=%d scenario=\"%s\" fault=\"%s\" at=%.1fs%s attempts=%d converged=%s acked=%d lost=%d duplicated=%d %ds %s",
                plan.seed(), plan.describeScenario(), plan.describeFault(), faultAtMs / 1000.0, faultHit ? "" : " (apply had ended)", attempts,
                converged ? "yes" : "no", acknowledged, lost, duplicated, seconds, verdict());
    }
}
