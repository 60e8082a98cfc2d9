package dev.shardman.applier.execute;

import dev.shardman.applier.metadata.MetadataStore;
import dev.shardman.applier.metadata.MoveRecord;
import dev.shardman.applier.move.MoveConnections;
import dev.shardman.applier.move.MoveRunner;
import dev.shardman.model.state.ClusterState;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * apply {@code --parallelism N}: primary moves copy and catch up in waves of up to N ({@link MoveSchedule}), on
 * threads of their own with their own fenced store and connections; cutover, verification and metadata commit stay
 * on the command thread, one at a time in plan order. A wave is waited for whole before anything else runs: a copy's
 * initial sync locks its destination's parent, which another move's cutover must not wait behind
 * (docs/internals/moves.md, "Parallel moves").
 */
final class MovesAhead {
    /** How long a stop waits for the copies ahead to end (each of their waits is bounded by the node timeout). */
    static final Duration STOP_WAIT = Duration.ofMinutes(2);

    /** A copy's own sessions, closed when it ends. */
    record Sessions(MetadataStore store, MoveConnections connections, AutoCloseable resources) {
        Sessions {
            requireNonNull(store, "store is null");
            requireNonNull(connections, "connections is null");
            requireNonNull(resources, "resources is null");
        }
    }

    interface SessionSource {
        Sessions open();
    }

    /** How a copy ahead ended when the run stopped: {@code failure} empty: it stays in flight, not cut over. */
    record Stopped(int index, Optional<Exception> failure) {
    }

    private final Optional<MoveSchedule> schedule;
    private final List<StepExecutor> executors;
    private final MoveRunner runner;
    private final String planId;
    private final SessionSource sessions;
    private final ExecutorService threads;
    private final Map<Integer, Future<?>> running = new TreeMap<>();
    private volatile boolean failed;

    /** @param threads as many as the moves of a wave */
    MovesAhead(MoveSchedule schedule, int threads, List<StepExecutor> executors, MoveRunner runner, String planId, SessionSource sessions) {
        this(Optional.of(schedule), threads, executors, runner, planId, sessions);
    }

    private MovesAhead(Optional<MoveSchedule> schedule, int threads, List<StepExecutor> executors, MoveRunner runner, String planId,
                       SessionSource sessions) {
        this.schedule = schedule;
        this.executors = List.copyOf(executors);
        this.runner = runner;
        this.planId = planId;
        this.sessions = sessions;
        this.threads = schedule.isEmpty() ? null : Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "shardman-move-ahead");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Parallelism 1: nothing runs ahead, every step runs at its turn as always. */
    static MovesAhead none() {
        return new MovesAhead(Optional.empty(), 0, List.of(), null, "", null);
    }

    /**
     * Before the command thread runs the step at {@code current} (0-based; the steps before it committed to {@code state}):
     * when it is a primary move and no wave is left, starts a new wave (unless a copy failed) and waits for its copies and
     * catch-ups to end. A move that cannot start (its step's check refuses, or its recorded move cannot be resumed) is
     * left to its own turn, where it fails as it would without parallelism.
     */
    void startWave(int current, ClusterState state) {
        if (schedule.isEmpty() || failed || !running.isEmpty() || !(executors.get(current) instanceof MovePrimaryExecutor)) {
            return;
        }
        List<Integer> wave = new ArrayList<>(List.of(current));
        wave.addAll(schedule.get().startable(current, Set.of()));
        if (wave.size() == 1) {
            return; // nothing to run beside it: it runs at its turn as always
        }
        for (int index : wave) {
            MovePrimaryExecutor executor = (MovePrimaryExecutor) executors.get(index);
            MoveRecord move;
            try {
                executor.check(state, null);
                move = runner.startAhead(executor.step(), planId);
            } catch (SQLException | RuntimeException refused) {
                continue;
            }
            running.put(index, threads.submit(() -> copy(move, state, executor)));
        }
        for (Future<?> copy : running.values()) {
            try {
                StepRunner.awaitUninterruptibly(copy);
            } catch (ExecutionException failedCopy) {
                // reported at the turn of its step (await)
            }
        }
    }

    private Void copy(MoveRecord move, ClusterState state, MovePrimaryExecutor executor) throws Exception {
        try {
            Sessions own = sessions.open();
            try (AutoCloseable closing = own.resources()) {
                runner.withSessions(own.store(), own.connections()).copyAhead(move, state, executor.unit(), executor.units());
            }
            return null;
        } catch (Exception failure) {
            failed = true;
            throw failure;
        }
    }

    /** At the turn of the step at {@code index}: waits for its copy ahead, if it had one, and returns how that failed. */
    Optional<Exception> await(int index) {
        Future<?> future = running.remove(index);
        if (future == null) {
            return Optional.empty();
        }
        try {
            StepRunner.awaitUninterruptibly(future);
            return Optional.empty();
        } catch (ExecutionException failure) {
            return Optional.of(failure.getCause() instanceof Exception exception ? exception : new IllegalStateException(failure.getCause()));
        }
    }

    /**
     * The run stops (a step failed, or it ended): the copies still running are interrupted at their next wait and
     * awaited (at most {@link #STOP_WAIT}); returns how each ended, by position. Interrupted ones stay in flight.
     */
    List<Stopped> stop() {
        if (threads == null) {
            return List.of();
        }
        threads.shutdownNow();
        try {
            threads.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        List<Stopped> stopped = running.entrySet().stream().map(entry -> new Stopped(entry.getKey(), outcome(entry.getValue()))).toList();
        running.clear();
        return stopped;
    }

    private static Optional<Exception> outcome(Future<?> future) {
        if (!future.isDone()) {
            return Optional.empty();
        }
        try {
            future.get();
            return Optional.empty();
        } catch (ExecutionException failure) {
            Throwable cause = failure.getCause();
            boolean interrupted = cause.getCause() instanceof InterruptedException;
            return interrupted ? Optional.empty() : Optional.of(cause instanceof Exception exception ? exception : new IllegalStateException(cause));
        } catch (InterruptedException | java.util.concurrent.CancellationException notRun) {
            return Optional.empty();
        }
    }
}
