package dev.shardman.applier.execute;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import org.postgresql.PGConnection;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The node work of a failover step (MarkNodeLost, PromoteReplica), which must not give up because clients are busy:
 * each attempt waits at most {@link #ATTEMPT_LOCK_TIMEOUT} for any lock and is rolled back when that runs out (so
 * the clients queued behind its lock requests go on), then tried again after a pause, for at most {@link #TOTAL}
 * (documented in the README: "Failover and busy clients"). Meanwhile a watcher on a connection of its own records who
 * blocks the attempt ({@link LockBlockers}). When the total runs out the error names those sessions; with
 * {@code cancelBlockers} ({@code apply --cancel-blockers}) the client sessions that blocked an attempt are terminated,
 * said loudly, and the work is tried again. Synchronous-replication waits on the lost node are released before this
 * runs (the shrink phase rewrites {@code synchronous_standby_names} on every source first).
 */
final class FailoverLockRetry {
    static final Duration ATTEMPT_LOCK_TIMEOUT = Duration.ofSeconds(2);
    static final Duration TOTAL = Duration.ofSeconds(60);
    private static final Duration WATCH_INTERVAL = Duration.ofMillis(200);
    private static final Duration PAUSE = Duration.ofMillis(500);
    /** lock_timeout and deadlock: the attempt rolled back, nothing of it is left. */
    private static final Set<String> LOCK_WAIT_ENDED = Set.of("55P03", "40P01");

    /** One attempt of the node work, in its own transaction with {@code lockTimeout}; rolled back when it throws. */
    interface Attempt {
        void run(Duration lockTimeout) throws SQLException;
    }

    private final boolean cancelBlockers;
    private final Consumer<String> loudLines;

    /** @param loudLines where the sessions terminated are reported (apply's output) */
    FailoverLockRetry(boolean cancelBlockers, Consumer<String> loudLines) {
        this.cancelBlockers = cancelBlockers;
        this.loudLines = requireNonNull(loudLines, "loudLines is null");
    }

    /** Runs {@code attempt} on {@code work} (a connection to {@code node}) until it succeeds, fails otherwise, or {@link #TOTAL} ran out. */
    void run(String node, Connection work, Supplier<Connection> watcherConnection, Attempt attempt) throws SQLException {
        int pid = work.unwrap(PGConnection.class).getBackendPID();
        long deadline = System.nanoTime() + TOTAL.toNanos();
        try (Connection watcher = watcherConnection.get()) {
            LockBlockers blockers = new LockBlockers(watcher);
            while (true) {
                blockers.clear();
                SQLException blocked = watched(pid, blockers, attempt);
                if (blocked == null) {
                    return;
                }
                List<LockBlockers.Blocker> seen = blockers.seen();
                if (System.nanoTime() > deadline) {
                    throw blockedFailure(node, seen, blocked);
                }
                if (cancelBlockers) {
                    blockers.terminate(seen).forEach(ended -> loudLines.accept("TERMINATED on " + node + " (--cancel-blockers): "
                            + ended.describe() + ", which blocked the failover"));
                }
                pause();
            }
        }
    }

    /** One attempt with the watcher polling; null when it succeeded, the lock failure when it waited too long. */
    private static SQLException watched(int pid, LockBlockers blockers, Attempt attempt) throws SQLException {
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
            return null;
        } catch (SQLException failure) {
            if (LOCK_WAIT_ENDED.contains(failure.getSQLState())) {
                return failure;
            }
            throw failure;
        } finally {
            watch.shutdownNow();
            awaitWatcher(watch);
        }
    }

    private static ShardmanException blockedFailure(String node, List<LockBlockers.Blocker> seen, SQLException last) {
        String who = seen.isEmpty() ? "no blocking session was seen (last error: " + last.getMessage() + ")"
                : "blocked by " + seen.stream().map(LockBlockers.Blocker::describe).collect(Collectors.joining("; "));
        // the advice is part of the summary: a step's failure prints only the summary
        return new ShardmanException(ErrorCode.NODE_FAILURE, "the failover could not take its locks on " + node + " in "
                + TOTAL.toSeconds() + " s: " + who + "; end those sessions (or their transactions) and run apply again, "
                + "or run apply --cancel-blockers to terminate them", "");
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
