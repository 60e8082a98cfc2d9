package dev.shardman.applier.execute;

import dev.shardman.applier.objects.DriftCode;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What drift-check found. {@code inSync} = no pending step, no spec edit asked for, no node drift, no prepared
 * transaction left behind and every node reachable.
 *
 * @param pending steps a plan from the live metadata to the spec would run
 * @param specEdits what the spec must say to follow a change made without it (a node the monitor failed over), one
 *        sentence each: never undone by a plan
 * @param drift objects on a node that differ from the expected objects of the metadata
 * @param leftoverPrepared shardman prepared transactions older than a minute (recover resolves them)
 * @param oldLockHolder the lock holder when it has held the lock longer than the threshold
 */
public record DriftReport(String cluster, String lineage, long serial, List<Pending> pending, List<String> specEdits, List<Drift> drift, List<Unreachable> unreachable,
                          List<Prepared> leftoverPrepared, Optional<String> oldLockHolder, List<String> warnings) {
    public DriftReport {
        requireNonNull(cluster, "cluster is null");
        requireNonNull(lineage, "lineage is null");
        pending = List.copyOf(pending);
        specEdits = List.copyOf(specEdits);
        drift = List.copyOf(drift);
        unreachable = List.copyOf(unreachable);
        leftoverPrepared = List.copyOf(leftoverPrepared);
        requireNonNull(oldLockHolder, "oldLockHolder is null");
        warnings = List.copyOf(warnings);
    }

    public boolean inSync() {
        return pending.isEmpty() && specEdits.isEmpty() && drift.isEmpty() && unreachable.isEmpty() && leftoverPrepared.isEmpty();
    }

    public record Pending(String id, String action, String description) {
    }

    /** {@code object} like {@code foreign partition public.customers_1_fdw}; {@code code} its kind; {@code problem} the reason, verbatim. */
    public record Drift(String node, String object, DriftCode code, String problem) {
        public Drift {
            requireNonNull(code, "code is null");
        }
    }

    public record Unreachable(String node, String reason) {
    }

    public record Prepared(String node, String gid, String preparedAt) {
    }
}
