package dev.shardman.applier.execute;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import org.postgresql.PGConnection;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The node work of a failover step (MarkNodeLost, PromoteReplica) from the start, and of any other step whose first
 * attempt ran out of lock wait, which must not give up because clients are busy: rounds of short lock waits
 * ({@link #ATTEMPT_LOCK_TIMEOUT}) for at most {@link ClientBlockers#lockWait()} (60 s by default). When one node's
 * attempt runs out, the other nodes' prepared work of the round is rolled back too: a blocker may wait through
 * postgres_fdw on it, a cycle no node sees. Blockers are recorded ({@link LockBlockers}) and named, or terminated with
 * {@code --cancel-blockers} (docs/internals/recovery-and-faults.md, "Failover and busy clients").
 */
final class LockWaitRetry {
    static final Duration ATTEMPT_LOCK_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration WATCH_INTERVAL = Duration.ofMillis(200);
    private static final Duration PAUSE = Duration.ofMillis(500);
    /** lock_timeout and deadlock: the attempt rolled back, nothing of it is left. */
    private static final Set<String> LOCK_WAIT_ENDED = Set.of("55P03", "40P01");

    /** One attempt of the node work, in its own transaction with {@code lockTimeout}; rolled back when it throws. */
    interface Attempt {
        void run(Duration lockTimeout) throws SQLException;
    }

    /** One round over every node: empty when every node's work is prepared, else the first node that failed. */
    interface Round {
        Optional<StepRunner.NodeFailure> run();
    }

    private final ClientBlockers policy;
    private final Consumer<String> loudLines;
    /** Blockers seen by each node's last attempt: named when the wait runs out, terminated first when cancelled. */
    private final Map<String, List<LockBlockers.Blocker>> lastSeen = new ConcurrentHashMap<>();

    /** @param loudLines where the sessions terminated are reported (apply's output) */
    LockWaitRetry(ClientBlockers policy, Consumer<String> loudLines) {
        this.policy = requireNonNull(policy, "policy is null");
        this.loudLines = requireNonNull(loudLines, "loudLines is null");
    }

    /**
     * Runs {@code round} until no node's attempt ends on a lock wait: the caller rolls back the round's prepared work
     * before it returns such a failure. Any other failure (or success) is returned at once; a lock wait after
     * the blockers' wait is thrown, naming the sessions that blocked the node.
     */
    Optional<StepRunner.NodeFailure> rounds(String subject, Round round) {
        lastSeen.clear();
        long deadline = System.nanoTime() + policy.lockWait().toNanos();
        while (true) {
            Optional<StepRunner.NodeFailure> failed = round.run();
            if (failed.isEmpty() || !isLockWait(failed.get().failure())) {
                return failed;
            }
            if (System.nanoTime() > deadline) {
                throw blockedFailure(subject, failed.get().node(), lastSeen.getOrDefault(failed.get().node(), List.of()), failed.get().failure());
            }
            pause();
        }
    }

    /** Whether {@code failure} is a lock wait that ran out (the attempt rolled back: another round may succeed). */
    static boolean isLockWait(Exception failure) {
        return failure instanceof SQLException sql && LOCK_WAIT_ENDED.contains(sql.getSQLState());
    }

    /** One watched attempt on {@code work} (a connection to {@code node}); cancelling, the last attempt's blockers go first. */
    void attempt(String node, Connection work, Supplier<Connection> watcherConnection, Attempt attempt) throws SQLException {
        int pid = work.unwrap(PGConnection.class).getBackendPID();
        try (Connection watcher = watcherConnection.get()) {
            LockBlockers blockers = new LockBlockers(watcher);
            if (policy.cancel()) {
                blockers.terminate(lastSeen.getOrDefault(node, List.of())).forEach(ended -> loudLines.accept("TERMINATED on " + node
                        + " (--cancel-blockers): " + ended.describe() + ", which blocked a step's node work"));
            }
            try {
                watched(pid, blockers, attempt);
            } finally {
                lastSeen.put(node, blockers.seen());
            }
        }
    }

    /** One attempt with the watcher polling who blocks it. */
    private static void watched(int pid, LockBlockers blockers, Attempt attempt) throws SQLException {
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "shardman-lock-watch-" + pid);
            thread.setDaemon(true);
            return thread;
        });
        watch.scheduleWithFixedDelay(() -> {
            try {
                blockers.observe(pid);
            } catch (SQLException ignored) {
                // the watcher is best effort: the attempt itself decides
            }
        }, WATCH_INTERVAL.toMillis(), WATCH_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        try {
            attempt.run(ATTEMPT_LOCK_TIMEOUT);
        } finally {
            watch.shutdownNow();
            awaitWatcher(watch);
        }
    }

    private ShardmanException blockedFailure(String subject, String node, List<LockBlockers.Blocker> seen, Exception last) {
        String who = seen.isEmpty() ? "no blocking session was seen (last error: " + last.getMessage() + ")"
                : "blocked by " + seen.stream().map(LockBlockers.Blocker::describe).collect(Collectors.joining("; "));
        // the advice is part of the summary: a step's failure prints only the summary
        return new ShardmanException(ErrorCode.NODE_FAILURE, subject + " could not take its locks on " + node + " in "
                + seconds(policy.lockWait()) + ": " + who + "; end those sessions (or their transactions) and run apply again "
                + "(--lock-wait for a longer wait), or run apply --cancel-blockers to terminate them", "");
    }

    private static String seconds(Duration wait) {
        return wait.toMillis() % 1000 == 0 ? wait.toSeconds() + " s" : wait.toMillis() + " ms";
    }

    private static void awaitWatcher(ScheduledExecutorService watch) {
        try {
            watch.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(PAUSE.toMillis());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
