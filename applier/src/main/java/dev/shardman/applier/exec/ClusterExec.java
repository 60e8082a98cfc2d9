package dev.shardman.applier.exec;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.connect.ConnectionTarget;
import dev.shardman.applier.connect.NodeThreads;
import dev.shardman.applier.execute.FaultHook;
import dev.shardman.applier.metadata.ClusterLock;
import dev.shardman.applier.metadata.Decision;
import dev.shardman.applier.metadata.Journal;
import dev.shardman.applier.metadata.MetadataStore;
import dev.shardman.applier.metadata.StepRun;
import dev.shardman.applier.objects.NodeReconciler;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.state.ClusterState;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * {@code shardman exec}: one SQL statement on every live node (or some, and the shardlord), in parallel, under the
 * cluster lock, each target in its own session and transaction ({@link TargetRun}). With two-phase commit it runs as a
 * step of apply does: journaled, PREPAREd everywhere, the COMMIT decision recorded in the shardlord, then COMMIT
 * PREPARED; presumed abort otherwise, and {@code recover} finishes a crash in between. Gids and fault points
 * ({@link FaultHook}): docs/internals/exec-and-verify.md, "exec with two-phase commit".
 */
public final class ClusterExec {
    public static final String APPLICATION_NAME = "shardman-exec";
    static final String STEP_ID = "exec";

    private final ConnectionFactory factory;
    private final FaultHook faults;

    public ClusterExec(ConnectionFactory factory, FaultHook faults) {
        this.factory = requireNonNull(factory, "factory is null");
        this.faults = requireNonNull(faults, "faults is null");
    }

    public static ClusterExec fromEnvironment() {
        return new ClusterExec(ConnectionFactory.fromEnvironment(APPLICATION_NAME), FaultHook.fromProcess());
    }

    /** Runs {@code request} on the cluster of {@code spec}; LOCK_HELD at once while an apply, recover or exec runs. */
    public ExecReport run(ClusterSpec spec, ExecRequest request) {
        String runId = Journal.EXEC_RUN_PREFIX + UUID.randomUUID().toString().replace("-", "");
        ConnectionFactory sessions = factory.withNodeTimeout(spec.settings().nodeTimeout());
        try (Connection metadata = sessions.connect(ConnectionTarget.shardlord(spec.shardlord()));
             Connection lockSession = sessions.connect(ConnectionTarget.shardlord(spec.shardlord()))) {
            MetadataStore.requireCluster(metadata, spec.cluster());
            MetadataStore unfenced = MetadataStore.open(metadata);
            try (ClusterLock lock = ClusterLock.acquire(lockSession, "exec", Optional.of(runId))) {
                MetadataStore store = unfenced.fencedBy(lock, () -> sessions.connect(ConnectionTarget.shardlord(spec.shardlord())));
                if (store.cluster().isEmpty()) {
                    throw new ShardmanException(ErrorCode.INVALID_INPUT, "the shardlord holds no cluster yet; nothing was run",
                            "run apply first: exec runs on the nodes the metadata holds");
                }
                ClusterState state = store.readState();
                ManagedObjectsGuard guard = new ManagedObjectsGuard(state.tables());
                List<TargetRun> runs = ExecTargets.select(state, spec, request).stream().map(TargetRun::new).toList();
                try {
                    return request.twoPhase() ? twoPhase(store, runId, runs, sessions, request.statement(), guard)
                            : new ExecReport(false, inParallel(runs, run -> run.run(sessions, request.statement(), guard, Optional.empty())));
                } finally {
                    runs.forEach(TargetRun::close);
                }
            }
        } catch (SQLException closing) {
            throw new ShardmanException(ErrorCode.NODE_FAILURE, "the shardlord connection failed: " + closing.getMessage(), "");
        }
    }

    private ExecReport twoPhase(MetadataStore store, String runId, List<TargetRun> runs, ConnectionFactory sessions, ExecStatement statement,
                                ManagedObjectsGuard guard) {
        StepRun journal = store.journal().startStep(runId, STEP_ID, "exec --2pc on "
                + runs.stream().map(run -> run.target().name()).collect(Collectors.joining(", ")));
        List<TargetOutcome> prepared = inParallel(runs, run -> run.run(sessions, statement, guard, Optional.of(gid(runId, run))));
        if (prepared.stream().anyMatch(outcome -> outcome.outcome() == ExecOutcome.OK)) {
            store.journal().markPrepared(journal);
        }
        faults.at(STEP_ID, "after-node-work");
        if (prepared.stream().allMatch(outcome -> outcome.outcome() == ExecOutcome.OK)) {
            return new ExecReport(true, commit(store, journal, runId, runs, prepared));
        }
        List<TargetOutcome> outcomes = new ArrayList<>();
        for (int index = 0; index < runs.size(); index++) {
            TargetOutcome outcome = prepared.get(index);
            if (outcome.outcome() == ExecOutcome.OK) {
                String failure = runs.get(index).rollBackPrepared(gid(runId, runs.get(index)));
                outcome = outcome.with(ExecOutcome.ROLLED_BACK, failure.isEmpty() ? "another target failed"
                        : "another target failed; ROLLBACK PREPARED failed too (" + failure + "): recover rolls it back");
            }
            outcomes.add(outcome);
        }
        store.journal().failStep(journal, outcomes.stream().filter(outcome -> outcome.outcome() != ExecOutcome.ROLLED_BACK)
                .map(outcome -> outcome.target() + ": " + outcome.outcome().label()).collect(Collectors.joining("; ")));
        return new ExecReport(true, outcomes);
    }

    /** Every target prepared: the decision first (durable in the shardlord), then COMMIT PREPARED everywhere. */
    private List<TargetOutcome> commit(MetadataStore store, StepRun journal, String runId, List<TargetRun> runs, List<TargetOutcome> prepared) {
        List<String> gids = runs.stream().map(run -> gid(runId, run)).toList();
        try {
            store.journal().recordDecision(journal, gids, Decision.COMMIT);
        } catch (ShardmanException undecided) {
            throw new ShardmanException(undecided.code(), "exec --2pc: every target prepared, but the COMMIT decision could not be "
                    + "recorded: " + undecided.summary(), "the prepared transactions are left to shardman recover, which commits them "
                    + "if the decision reached the shardlord and rolls them back otherwise", undecided);
        }
        faults.at(STEP_ID, "after-decision");
        List<String> failures = inParallel(runs, run -> run.commitPrepared(gid(runId, run)));
        List<TargetOutcome> outcomes = new ArrayList<>();
        for (int index = 0; index < runs.size(); index++) {
            outcomes.add(failures.get(index).isEmpty() ? prepared.get(index).with(ExecOutcome.COMMITTED, "")
                    : prepared.get(index).with(ExecOutcome.COMMIT_PENDING, "COMMIT PREPARED failed (" + failures.get(index)
                            + "); the decision is commit: run shardman recover to finish it"));
        }
        if (failures.stream().allMatch(String::isEmpty)) {
            try {
                store.journal().forgetDecisions(gids);
            } catch (ShardmanException ignored) {
                // a decision kept too long is harmless: recover prunes it once no node holds its gid
            }
        }
        return outcomes;
    }

    private static String gid(String runId, TargetRun run) {
        return NodeReconciler.GID_PREFIX + runId + "_" + run.target().gidSuffix();
    }

    /** {@code work} on every run at once (each run's session is used by one thread at a time); results in the runs' order. */
    private static <R> List<R> inParallel(List<TargetRun> runs, Function<TargetRun, R> work) {
        try (NodeThreads threads = new NodeThreads("shardman-exec", runs.size())) {
            List<Future<R>> futures = runs.stream().map(run -> threads.submit(() -> work.apply(run))).toList();
            List<R> results = new ArrayList<>();
            for (Future<R> future : futures) {
                results.add(future.get()); // bounded: every session has the node timeout as statement and socket timeout
            }
            return results;
        } catch (ExecutionException failure) {
            throw new ShardmanException(ErrorCode.INTERNAL, "exec failed: " + failure.getCause(), "", failure.getCause());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new ShardmanException(ErrorCode.INTERNAL, "interrupted while running exec", "run shardman recover if --2pc was used");
        }
    }
}
