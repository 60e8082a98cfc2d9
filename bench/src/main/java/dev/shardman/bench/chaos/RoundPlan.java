package dev.shardman.bench.chaos;

import java.util.Random;

/**
 * Everything random about one round, drawn from its seed alone, so that {@code run-chaos.sh 1 <seed>} replays the
 * same choices (the timing of processes on a loaded machine is not replayable, the choices are).
 *
 * @param target        the worker the scenario removes or kills ({@code w<n>}), empty for a rebalance
 * @param faultTarget   the worker the fault hits, empty when the fault does not hit a worker
 * @param faultDelayMs  when the fault hits, counted from the moment the scenario's apply printed its plan (its node work
 *                      starts right after; counting from the process start would waste most faults on JVM start-up)
 * @param pauseMs       how long a paused or partitioned worker stays stopped
 * @param parallelism   apply's {@code --parallelism} in the scenario and the convergence (1 or 4: moves in waves)
 * @param change        the change of the tables the scenario's spec makes as well
 */
record RoundPlan(long seed, Scenario scenario, Fault fault, boolean sync, String target, String faultTarget, long faultDelayMs, long pauseMs,
                 int parallelism, Change change) {
    static final int WORKERS = 5;

    static RoundPlan draw(long seed) {
        Random random = new Random(seed);
        Scenario scenario = Scenario.values()[random.nextInt(Scenario.values().length)];
        Fault fault = Fault.values()[random.nextInt(Fault.values().length)];
        // A failover already kills a node: a second kill with redundancy 1 may take both copies of a partition.
        if (scenario == Scenario.FAILOVER && fault == Fault.WORKER_KILL) {
            fault = Fault.WORKER_PAUSE;
        }
        boolean sync = random.nextBoolean();
        String target = scenario == Scenario.REBALANCE ? "" : "w" + (1 + random.nextInt(WORKERS));
        String faultTarget = "";
        if (fault.hitsWorker()) {
            do {
                faultTarget = "w" + (1 + random.nextInt(WORKERS));
            } while (scenario == Scenario.FAILOVER && faultTarget.equals(target));
        }
        // within the scenario's apply, which now ends 1-3 s after its plan (at 3 s, 8 of 15 faults came after it: seed 13000)
        long faultDelayMs = random.nextInt(1_200);
        long pauseMs = fault == Fault.WORKER_PARTITION ? 12_000 + random.nextInt(10_000) : 2_000 + random.nextInt(3_000);
        // drawn last, so that the choices above are those earlier versions of the suite drew for the same seed
        int parallelism = random.nextBoolean() ? 4 : 1;
        Change change = Change.values()[random.nextInt(Change.values().length)];
        return new RoundPlan(seed, scenario, fault, sync, target, faultTarget, faultDelayMs, pauseMs, parallelism, change);
    }

    String describeScenario() {
        return switch (scenario) {
            case REBALANCE -> "rebalance onto w5";
            case DRAIN -> "drain " + target;
            case FAILOVER -> "failover of " + target;
        } + (change == Change.NONE ? "" : ", " + change.label()) + (sync ? " (sync" : " (async") + (parallelism > 1 ? ", parallelism " + parallelism + ")" : ")");
    }

    String describeFault() {
        String on = faultTarget.isEmpty() ? "" : " " + faultTarget;
        String length = fault == Fault.WORKER_PAUSE || fault == Fault.WORKER_PARTITION ? " for " + pauseMs / 1000.0 + " s" : "";
        return fault.label() + on + length;
    }
}
