package dev.shardman.applier.objects;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
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
            if (want.isEmpty()) {
                drops.add(new ObjectChange(ChangeAction.DROP, key, want, have,
                        have.get().describe() + " is not expected on " + expected.node(), Mismatches.dropLosesData(have.get())));
            } else if (have.isEmpty()) {
                others.add(new ObjectChange(ChangeAction.CREATE, key, want, have, want.get().describe() + " is missing", false));
            } else if (!want.get().equals(have.get())) {
                Mismatches.compare(want.get(), have.get(), expected).ifPresent(others::add);
            }
        }
        drops.sort(Comparator.comparing(ObjectChange::key).reversed());
        List<ObjectChange> ordered = new ArrayList<>(drops);
        ordered.addAll(others);
        return List.copyOf(ordered);
    }
}
