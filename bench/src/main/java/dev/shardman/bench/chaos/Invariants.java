package dev.shardman.bench.chaos;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks after a round, read straight from the servers (not through shardman): every acknowledged id present
 * exactly once, both through a node's parent table and by counting the primaries the metadata names; no move in
 * flight and no lock holder left; no prepared transaction anywhere; and the replication objects on every live node
 * matching the metadata: one subscription per (primary holder, replica holder) pair, each with its slot and
 * publication on a live publisher, and no slot or publication that no subscription uses.
 */
final class Invariants {
    private static final Pattern PORT = Pattern.compile("port=(\\d+)");
    private static final String SHARED_SUBSCRIPTION = "shardman_shared_sub_";
    /** The kinds of channel: a sharded table's replicas, or the shared tables' copies. */
    private static final String REPLICA = "replica";
    private static final String SHARED = "shared";

    /** The data figures and every problem found, each a sentence naming the node and the object. */
    record Report(long lost, long duplicated, List<String> problems) {
    }

    private record Metadata(List<String> live, Map<String, String> holders, String sharedMaster, Set<List<String>> channels, List<String> leftovers) {
    }

    private final ChaosCluster cluster;
    private final List<String> problems = new ArrayList<>();

    Invariants(ChaosCluster cluster) {
        this.cluster = cluster;
    }

    Report check(Set<Long> acknowledged, Set<Long> uncertain, RowEdits edits) throws SQLException {
        Metadata metadata = metadata();
        problems.addAll(metadata.leftovers());
        Map<Long, Integer> inPrimaries = new HashMap<>();
        Map<Long, Integer> pluses = new HashMap<>();
        for (Map.Entry<String, String> partition : metadata.holders().entrySet()) {
            for (String row : ChaosSql.rows(cluster.port(partition.getValue()), RowEdits.PLUSES + partition.getKey())) {
                String[] columns = row.split("\t");
                long id = Long.parseLong(columns[0]);
                inPrimaries.merge(id, 1, Integer::sum);
                pluses.put(id, Integer.parseInt(columns[1]));
            }
        }
        edits(edits, pluses);
        Map<Long, Integer> throughParent = new HashMap<>();
        String reader = metadata.live().get(0);
        for (long id : ChaosSql.longs(cluster.port(reader), "SELECT id FROM " + ChaosSpec.TABLE)) {
            throughParent.merge(id, 1, Integer::sum);
        }
        Set<Long> lost = new TreeSet<>();
        for (long id : sharded(acknowledged, true)) {
            if (!inPrimaries.containsKey(id) || !throughParent.containsKey(id)) {
                lost.add(id);
            }
        }
        Set<Long> duplicated = new TreeSet<>();
        inPrimaries.forEach((id, count) -> duplicated.addAll(count > 1 ? Set.of(id) : Set.of()));
        throughParent.forEach((id, count) -> duplicated.addAll(count > 1 ? Set.of(id) : Set.of()));
        Set<Long> unknown = new TreeSet<>(inPrimaries.keySet());
        unknown.removeAll(acknowledged);
        unknown.removeAll(uncertain);
        if (!lost.isEmpty()) {
            problems.add(lost.size() + " acknowledged ids missing (in the primaries or through " + reader + "'s parent), e.g. " + sample(lost));
        }
        if (!duplicated.isEmpty()) {
            problems.add(duplicated.size() + " ids present more than once, e.g. " + sample(duplicated));
        }
        if (!unknown.isEmpty()) {
            problems.add(unknown.size() + " ids present that no writer sent, e.g. " + sample(unknown));
        }
        if (!inPrimaries.keySet().equals(throughParent.keySet())) {
            problems.add("the primaries hold " + inPrimaries.size() + " distinct ids, " + reader + "'s parent shows " + throughParent.size());
        }
        long sharedLost = shared(metadata, reader, sharded(acknowledged, false), sharded(uncertain, false));
        replication(metadata);
        return new Report(lost.size() + sharedLost, duplicated.size(), List.copyOf(problems));
    }

    /** The updates: as many as acknowledged (at most the uncertain ones more), and no row an UPDATE or a read missed. */
    private void edits(RowEdits edits, Map<Long, Integer> pluses) {
        Set<Long> wrong = edits.wrongCounts(pluses);
        if (!wrong.isEmpty()) {
            problems.add(wrong.size() + " rows hold another number of updates than acknowledged (acknowledged updates missing, or applied twice), e.g. "
                    + sample(wrong));
        }
        List<String> missed = edits.misses().entrySet().stream().filter(miss -> pluses.containsKey(miss.getKey())).sorted(Map.Entry.comparingByKey())
                .map(Map.Entry::getValue).toList();
        if (!missed.isEmpty()) {
            problems.add(missed.size() + " acknowledged rows that an UPDATE or a read through a parent did not find for a moment, e.g. "
                    + String.join(", ", missed.subList(0, Math.min(5, missed.size()))));
        }
    }

    /** The shared table: every acknowledged id on its master (per the metadata) and through the reader's view, no id no writer sent; returns the ids lost. */
    private long shared(Metadata metadata, String reader, Set<Long> acknowledged, Set<Long> uncertain) throws SQLException {
        Set<Long> onMaster = new TreeSet<>(ChaosSql.longs(cluster.port(metadata.sharedMaster()), "SELECT id FROM shardman_shared." + ChaosSpec.SHARED));
        Set<Long> throughView = new TreeSet<>(ChaosSql.longs(cluster.port(reader), "SELECT id FROM " + ChaosSpec.SHARED));
        Set<Long> lost = new TreeSet<>();
        acknowledged.stream().filter(id -> !onMaster.contains(id) || !throughView.contains(id)).forEach(lost::add);
        if (!lost.isEmpty()) {
            problems.add(lost.size() + " acknowledged ids missing from the shared table (on its master " + metadata.sharedMaster() + " or through "
                    + reader + "'s view), e.g. " + sample(lost));
        }
        Set<Long> unknown = new TreeSet<>(onMaster);
        unknown.removeAll(acknowledged);
        unknown.removeAll(uncertain);
        if (!unknown.isEmpty()) {
            problems.add(unknown.size() + " ids in the shared table that no writer sent, e.g. " + sample(unknown));
        }
        return lost.size();
    }

    /** The ids of {@code ids} written to the sharded table ({@code true}) or to the shared one. */
    private static Set<Long> sharded(Set<Long> ids, boolean sharded) {
        Set<Long> result = new TreeSet<>();
        ids.stream().filter(id -> Writers.tableOf(id).equals(ChaosSpec.TABLE) == sharded).forEach(result::add);
        return result;
    }

    private Metadata metadata() throws SQLException {
        int shardlord = cluster.port("shardlord");
        List<String> live = ChaosSql.rows(shardlord, "SELECT name FROM shardman.nodes WHERE NOT lost ORDER BY name");
        Map<String, String> holders = new HashMap<>();
        for (String row : ChaosSql.rows(shardlord, "SELECT name, node FROM shardman.partitions WHERE table_name = '" + ChaosSpec.TABLE + "'")) {
            String[] fields = row.split("\t");
            holders.put(fields[0], fields[1]);
        }
        Set<List<String>> channels = new HashSet<>();
        for (String row : ChaosSql.rows(shardlord, "SELECT p.node, r.node FROM shardman.replicas r JOIN shardman.partitions p ON p.name = r.partition")) {
            String[] ends = row.split("\t");
            channels.add(List.of(ends[0], ends[1], REPLICA));
        }
        String sharedMaster = ChaosSql.rows(shardlord, "SELECT master FROM shardman.tables WHERE name = '" + ChaosSpec.SHARED + "'").get(0);
        live.stream().filter(node -> !node.equals(sharedMaster)).forEach(node -> channels.add(List.of(sharedMaster, node, SHARED)));
        List<String> leftovers = new ArrayList<>();
        ChaosSql.rows(shardlord, "SELECT step_id || ' ' || phase FROM shardman.moves WHERE phase NOT IN ('done', 'rolled-back')")
                .forEach(move -> leftovers.add("shardlord: move in flight: " + move));
        ChaosSql.rows(shardlord, "SELECT command || ' pid ' || process_id FROM shardman.lock_holder")
                .forEach(holder -> leftovers.add("shardlord: lock holder row left: " + holder));
        ChaosSql.rows(shardlord, "SELECT gid FROM pg_prepared_xacts").forEach(gid -> leftovers.add("shardlord: prepared transaction " + gid));
        return new Metadata(live, holders, sharedMaster, channels, leftovers);
    }

    /** Subscriptions, slots and publications of every live node against the metadata's channels and against each other. */
    private void replication(Metadata metadata) throws SQLException {
        Map<Integer, String> nodeOfPort = new HashMap<>();
        metadata.live().forEach(node -> nodeOfPort.put(cluster.port(node), node));
        Set<List<String>> observed = new HashSet<>();
        Set<String> usedSlots = new HashSet<>();
        Set<String> usedPublications = new HashSet<>();
        Map<String, Set<String>> slots = new HashMap<>();
        Map<String, Set<String>> publications = new HashMap<>();
        for (String node : metadata.live()) {
            int port = cluster.port(node);
            ChaosSql.rows(port, "SELECT gid FROM pg_prepared_xacts").forEach(gid -> problems.add(node + ": prepared transaction " + gid));
            slots.put(node, new HashSet<>(ChaosSql.rows(port, "SELECT slot_name FROM pg_replication_slots")));
            publications.put(node, new HashSet<>(ChaosSql.rows(port, "SELECT pubname FROM pg_publication")));
        }
        for (String node : metadata.live()) {
            for (String row : ChaosSql.rows(cluster.port(node), "SELECT subname, subconninfo, coalesce(subslotname::text, ''), subenabled::text,"
                    + " array_to_string(subpublications, ',') FROM pg_subscription WHERE subdbid = (SELECT oid FROM pg_database"
                    + " WHERE datname = current_database())")) {
                String[] fields = row.split("\t", -1);
                String publisher = publisherOf(fields[1], nodeOfPort);
                String subscription = node + ": subscription " + fields[0];
                if (publisher == null) {
                    problems.add(subscription + " subscribes to no live node (" + fields[1].replaceAll("password=\\S+", "") + ")");
                    continue;
                }
                observed.add(List.of(publisher, node, fields[0].startsWith(SHARED_SUBSCRIPTION) ? SHARED : REPLICA));
                usedSlots.add(publisher + "/" + fields[2]);
                if (!slots.get(publisher).contains(fields[2])) {
                    problems.add(subscription + ": its slot '" + fields[2] + "' is missing on " + publisher);
                }
                if (!fields[3].equals("true")) {
                    problems.add(subscription + " is disabled");
                }
                for (String publication : fields[4].split(",")) {
                    usedPublications.add(publisher + "/" + publication);
                    if (!publications.get(publisher).contains(publication)) {
                        problems.add(subscription + ": its publication " + publication + " is missing on " + publisher);
                    }
                }
            }
        }
        slots.forEach((node, names) -> names.stream().filter(name -> !usedSlots.contains(node + "/" + name))
                .forEach(name -> problems.add(node + ": orphaned replication slot " + name)));
        publications.forEach((node, names) -> names.stream().filter(name -> !usedPublications.contains(node + "/" + name))
                .forEach(name -> problems.add(node + ": orphaned publication " + name)));
        compareChannels(metadata.channels(), observed);
    }

    private void compareChannels(Set<List<String>> expected, Set<List<String>> observed) {
        for (List<String> channel : expected) {
            if (!observed.contains(channel)) {
                problems.add("no subscription carries " + channel.get(0) + " -> " + channel.get(1) + " (the metadata has a " + channel.get(2) + " copy there)");
            }
        }
        for (List<String> channel : observed) {
            if (!expected.contains(channel)) {
                problems.add(channel.get(2) + " subscription " + channel.get(0) + " -> " + channel.get(1) + " carries no copy of the metadata");
            }
        }
    }

    private static String publisherOf(String conninfo, Map<Integer, String> nodeOfPort) {
        Matcher port = PORT.matcher(conninfo);
        return port.find() ? nodeOfPort.get(Integer.parseInt(port.group(1))) : null;
    }

    private static String sample(Set<Long> ids) {
        return ids.stream().limit(8).toList().toString();
    }
}
