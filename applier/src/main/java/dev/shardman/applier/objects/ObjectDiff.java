package dev.shardman.applier.objects;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Expected vs observed objects of one node, as changes in a safe order: first the DROPs in reverse
 * dependency order (indexes before partitions before parents before mappings before servers), then
 * CREATE / ALTER / REPLACE in dependency order (extension, servers, user mappings, parents,
 * partitions, keys and indexes). {@link ChangeSql#script} runs the drop half of every REPLACE in
 * the first phase too, so that a replaced foreign partition releases an old server before it is
 * dropped.
 *
 * <p>Added columns: an ALTER of the parent adds the column to every partition on that node, local
 * and foreign, in one statement. A foreign partition reads the column from the holder's {@code t_n},
 * so callers must commit the change on the holders before (or together with, by two-phase commit)
 * the nodes that read them; dropped columns go the other way round.
 */
public final class ObjectDiff {
    private ObjectDiff() {
    }

    public static List<ObjectChange> diff(NodeObjects expected, NodeObjects observed) {
        TreeSet<ObjectKey> keys = new TreeSet<>(expected.objects().keySet());
        keys.addAll(observed.objects().keySet());
        List<ObjectChange> drops = new ArrayList<>();
        List<ObjectChange> others = new ArrayList<>();
        for (ObjectKey key : keys) {
            Optional<NodeObject> want = expected.get(key);
            Optional<NodeObject> have = observed.get(key);
            if (key.kind() == ObjectKind.REPLICA_TABLE
                    && promotedReplica(new ObjectKey(ObjectKind.LOCAL_PARTITION, key.name()), expected, observed).isPresent()) {
                continue; // converted by the local partition's change
            }
            Optional<NodeObject> promoted = promotedReplica(key, expected, observed);
            if (promoted.isPresent()) {
                others.add(new ObjectChange(ChangeAction.ALTER, key, want, promoted,
                        promoted.get().describe() + " becomes the " + want.get().describe(), false));
                continue;
            }
            if (want.isEmpty()) {
                drops.add(new ObjectChange(ChangeAction.DROP, key, want, have,
                        have.get().describe() + " is not expected on " + expected.node(), Mismatches.dropLosesData(have.get())));
            } else if (have.isEmpty()) {
                others.add(new ObjectChange(ChangeAction.CREATE, key, want, have, want.get().describe() + " is missing", false));
            } else if (!want.get().equals(have.get())) {
                Mismatches.compare(want.get(), have.get(), expected).ifPresent(others::add);
            }
        }
        others.addAll(regrants(others, expected));
        drops.sort(Comparator.comparing(ObjectChange::key).reversed());
        List<ObjectChange> ordered = new ArrayList<>(drops);
        ordered.addAll(others);
        return List.copyOf(ordered);
    }

    /**
     * Grants on a relation that a REPLACE re-creates go with the old relation: they are granted again even when
     * they were observed complete (e.g. a shared view re-created for a new master keeps its applications' rights).
     */
    private static List<ObjectChange> regrants(List<ObjectChange> changes, NodeObjects expected) {
        Set<TableName> recreated = new HashSet<>();
        Set<ObjectKey> changed = new HashSet<>();
        for (ObjectChange change : changes) {
            changed.add(change.key());
            if (change.action() == ChangeAction.REPLACE) {
                change.expected().flatMap(ObjectDiff::relation).ifPresent(recreated::add);
            }
        }
        List<ObjectChange> result = new ArrayList<>();
        for (NodeObject object : expected.objects().values()) {
            if (object instanceof PartitionGrant grant && recreated.contains(grant.table()) && !changed.contains(grant.key())) {
                result.add(new ObjectChange(ChangeAction.CREATE, grant.key(), Optional.of(grant), Optional.empty(),
                        grant.describe() + " is lost with the re-created " + grant.table(), false));
            }
        }
        return result;
    }

    private static Optional<TableName> relation(NodeObject object) {
        return object instanceof SharedView view ? Optional.of(view.view())
                : object instanceof SharedData data ? Optional.of(data.table()) : NodeObjects.tableOf(object);
    }

    /**
     * A promotion: {@code key} is an expected local partition that the node does not have as one but
     * holds as a replica table of the same name that is no longer expected. That is a conversion
     * (ALTER: drop the read-only trigger, attach the table with its rows), never drop + create.
     */
    private static Optional<NodeObject> promotedReplica(ObjectKey key, NodeObjects expected, NodeObjects observed) {
        if (key.kind() != ObjectKind.LOCAL_PARTITION || expected.get(key).isEmpty() || observed.get(key).isPresent()) {
            return Optional.empty();
        }
        ObjectKey replica = new ObjectKey(ObjectKind.REPLICA_TABLE, key.name());
        if (expected.get(replica).isPresent()) {
            return Optional.empty();
        }
        return observed.get(replica);
    }
}
