package dev.shardman.applier.move;

import dev.shardman.applier.connect.ConninfoSecrets;
import dev.shardman.applier.execute.DriftCheck;
import dev.shardman.applier.execute.DriftReport;
import dev.shardman.applier.metadata.MetadataStore;
import dev.shardman.applier.metadata.StepRun;
import dev.shardman.applier.replication.ChannelReconciler;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.PartitionState;
import dev.shardman.planner.Plan;
import dev.shardman.planner.PlanHeader;
import dev.shardman.planner.step.MovePrimary;
import dev.shardman.planner.step.PartitionUnit;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import static dev.shardman.applier.move.MoveTestSupport.ENVIRONMENT;
import static dev.shardman.applier.move.MoveTestSupport.assertNoMoveObjects;
import static dev.shardman.applier.move.MoveTestSupport.attachedLocally;
import static dev.shardman.applier.move.MoveTestSupport.execute;
import static dev.shardman.applier.move.MoveTestSupport.queryLong;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Moves run by {@link MoveRunner} directly (no plan), on 3 workers: a move whose unit has a replica on a third node
 * (the replica follows the destination afterwards), and moves "killed" at a phase (the fault point throws, every
 * session of the process is closed, as a crash would leave them) then resumed by a new runner or finished / rolled
 * back by {@link MoveRecovery}: nothing is lost, nothing of the moves is left.
 */
@LocalClusterTest(workers = 3)
class MoveResumeIT {
    private static final int ROWS = 2_400;

    @Test
    void theReplicaOfAMovedUnitFollowsTheDestination(TestCluster cluster) throws Exception {
        MoveTestSupport.apply(MoveTestSupport.spec(cluster, 3, 1));
        execute(cluster, 1, "INSERT INTO customers (id, name) SELECT g, 'c' || g FROM generate_series(1, " + ROWS + ") AS g");
        ClusterState state = readState(cluster);
        PartitionState partition = state.partitionsOf("customers").get(0);
        String source = partition.node();
        String replicaHolder = state.replicaNodesOf(partition.name()).get(0);
        String destination = List.of("w1", "w2", "w3").stream().filter(node -> !node.equals(source) && !node.equals(replicaHolder)).findFirst().orElseThrow();
        MovePrimary step = new MovePrimary(new PartitionUnit(List.of("customers", "orders"), partition.index()), source, destination);

        Events events = new Events(Optional.empty());
        ClusterState after = move(cluster, step, events);
        assertEquals(destination, after.partition("customers", partition.index()).orElseThrow().node());
        assertEquals(1, events.reports.size(), events.notices.toString());

        execute(cluster, 2, "INSERT INTO customers (id, name) SELECT g, 'late' || g FROM generate_series(" + (ROWS + 1) + ", " + (2 * ROWS) + ") AS g");
        int destinationWorker = worker(destination);
        int replicaWorker = worker(replicaHolder);
        long onDestination = queryLong(cluster, destinationWorker, "SELECT count(*) FROM public." + partition.name());
        assertTrue(onDestination > ROWS / 6, "rows of " + partition.name() + " on " + destination + ": " + onDestination);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long onReplica = -1;
        while (System.nanoTime() < deadline && onReplica != onDestination) {
            onReplica = queryLong(cluster, replicaWorker, "SELECT count(*) FROM public." + partition.name());
            MoveTestSupport.sleep(200);
        }
        assertEquals(onDestination, onReplica, "the replica on " + replicaHolder + " does not follow " + destination);
        assertEquals(0L, queryLong(cluster, replicaWorker, "SELECT count(*) FROM pg_subscription_rel r JOIN pg_subscription s ON s.oid = r.srsubid"
                + " WHERE r.srrelid = 'public." + partition.name() + "'::regclass AND s.subconninfo LIKE '%port=" + cluster.worker(worker(source)).port() + "%'"),
                "the replica still subscribes to " + source);
        assertNoMoveObjects(cluster, 3);
        assertNodesMatchTheMetadata(cluster);
    }

    @Test
    void movesKilledAtAPhaseAreResumedFinishedOrRolledBackWithEveryRow(TestCluster cluster) throws Exception {
        MoveTestSupport.apply(MoveTestSupport.spec(cluster, 3, 0));
        execute(cluster, 1, "INSERT INTO customers (id, name) SELECT g, 'c' || g FROM generate_series(1, " + ROWS + ") AS g");
        execute(cluster, 2, "INSERT INTO orders (customer_id, order_id) SELECT g, 1 FROM generate_series(1, " + ROWS + ") AS g");

        // before the cutover: a new runner resumes from the recorded phase
        MovePrimary first = moveOf(cluster, 0);
        assertThrows(Crash.class, () -> move(cluster, first, new Events(Optional.of("catch-up"))));
        Events resumed = new Events(Optional.empty());
        move(cluster, first, resumed);
        assertEquals(1, resumed.reports.size());
        assertTrue(resumed.notices.isEmpty(), resumed.notices.toString());

        // after the cutover committed, before the verification: recover finishes it and keeps the retired copy, loudly
        MovePrimary second = moveOf(cluster, 1);
        long rowsOfSecond = queryLong(cluster, worker(second.from()), "SELECT count(*) FROM public.customers_1");
        long ordersOfSecond = queryLong(cluster, worker(second.from()), "SELECT count(*) FROM public.orders_1");
        assertThrows(Crash.class, () -> move(cluster, second, new Events(Optional.of("cutover-done"))));
        Events recovered = new Events(Optional.empty());
        List<String> lines = recover(cluster, recovered, Optional.empty());
        assertTrue(lines.stream().anyMatch(line -> line.contains("finished the move of customers_1")), lines.toString());
        assertTrue(recovered.notices.stream().anyMatch(line -> line.contains("UNVERIFIED") && line.contains("shardman_retired.customers_1_m")),
                recovered.notices.toString());
        assertEquals(rowsOfSecond + ordersOfSecond, recovered.reports.get(0).rows(), "rows of the retired copies");
        assertEquals(rowsOfSecond, queryLong(cluster, worker(second.from()),
                "SELECT count(*) FROM shardman_retired.customers_1_m" + lastMoveId(cluster)), "the kept retired copy");
        execute(cluster, worker(second.from()), "DROP SCHEMA shardman_retired CASCADE");

        // before the cutover, and the plan no longer wants it: rolled back, the destination's copies go
        MovePrimary third = moveOf(cluster, 2);
        assertThrows(Crash.class, () -> move(cluster, third, new Events(Optional.of("copy-done"))));
        List<String> rolledBack = recover(cluster, new Events(Optional.empty()), Optional.of(third));
        assertTrue(rolledBack.stream().anyMatch(line -> line.contains("rolled back the move of customers_2")), rolledBack.toString());
        assertEquals(0L, queryLong(cluster, worker(third.to()), "SELECT count(*) FROM pg_class WHERE relname IN ('customers_2', 'orders_2')"),
                "copies left on " + third.to());

        // metadata committed, not cleaned up; and killed inside the switch: recover finishes both
        for (int index : List.of(3, 4)) {
            MovePrimary step = moveOf(cluster, index);
            assertThrows(Crash.class, () -> move(cluster, step, new Events(Optional.of(index == 3 ? "commit-done" : "switch-destination"))));
            Events finishing = new Events(Optional.empty());
            recover(cluster, finishing, Optional.empty());
            assertEquals(1, finishing.reports.size(), "move of unit " + index + ": " + finishing.notices);
            assertTrue(attachedLocally(cluster, worker(step.to()), "customers_" + index));
            assertTrue(attachedLocally(cluster, worker(step.to()), "orders_" + index));
        }

        for (int worker = 1; worker <= 3; worker++) {
            assertEquals(ROWS, queryLong(cluster, worker, "SELECT count(*) FROM customers"), "customers through w" + worker);
            assertEquals(ROWS, queryLong(cluster, worker, "SELECT count(*) FROM orders"), "orders through w" + worker);
            assertEquals(0L, queryLong(cluster, worker, "SELECT count(*) FROM (SELECT id FROM customers GROUP BY id HAVING count(*) > 1) AS d"));
        }
        assertNoMoveObjects(cluster, 3);
        assertNodesMatchTheMetadata(cluster);
    }

    @Test
    void aLeavingSourceKeepsItsVerifiedRetiredCopiesAndOrphanedMoveObjectsAreReportedThenDropped(TestCluster cluster) throws Exception {
        MoveTestSupport.apply(MoveTestSupport.spec(cluster, 3, 0));
        execute(cluster, 1, "INSERT INTO customers (id, name) SELECT g, 'c' || g FROM generate_series(1, " + ROWS + ") AS g");
        MovePrimary step = moveOf(cluster, 0);
        int source = worker(step.from());
        long rows = queryLong(cluster, source, "SELECT count(*) FROM public.customers_0");
        Events events = new Events(Optional.empty());
        withStore(cluster, events, (store, connections, channels) -> {
            StepRun run = store.journal().startStep("it", step.id().value(), step.describe());
            return new MoveRunner(store, connections, ConninfoSecrets.of(ENVIRONMENT), channels, Set.of(step.from()), events)
                    .run(step, run, store.readState(), 1, 1);
        });
        long id = lastMoveId(cluster);
        assertEquals(rows, queryLong(cluster, source, "SELECT count(*) FROM shardman_retired.customers_0_m" + id));
        assertEquals(0L, queryLong(cluster, source, "SELECT count(*) FROM shardman_retired.orders_0_m" + id));
        assertTrue(events.notices.stream().anyMatch(line -> line.contains("leaves the cluster")), events.notices.toString());
        assertTrue(events.reports.get(0).describe().contains("retired copies kept on " + step.from()), events.reports.toString());
        try (Connection shardlord = cluster.connect(cluster.shardlord()); var statement = shardlord.createStatement();
             var row = statement.executeQuery("SELECT phase, verification, retired_kept FROM shardman.moves WHERE id = " + id)) {
            row.next();
            assertEquals("done passed true", row.getString(1) + " " + row.getString(2) + " " + row.getBoolean(3));
        }
        assertTrue(attachedLocally(cluster, worker(step.to()), "customers_0"));

        // orphans: a publication and a marked copy of a move that is not in flight
        int other = worker(step.to()) % 3 + 1;
        String foreignPartition = readState(cluster).partitionsOf("customers").stream().filter(partition -> worker(partition.node()) != other)
                .map(PartitionState::name).findFirst().orElseThrow();
        execute(cluster, other, "CREATE PUBLICATION shardman_move_999");
        execute(cluster, other, "CREATE TABLE public." + foreignPartition + " (LIKE customers, CONSTRAINT shardman_move_999 CHECK (true))");
        DriftReport drift = new DriftCheck(MoveTestSupport.factory()).check(MoveTestSupport.spec(cluster, 3, 0), List.of(), Duration.ofHours(1));
        assertTrue(drift.drift().stream().anyMatch(found -> found.object().equals("publication shardman_move_999")), drift.drift().toString());
        assertTrue(drift.drift().stream().anyMatch(found -> found.object().equals("table public." + foreignPartition)), drift.drift().toString());
        List<String> swept = recover(cluster, new Events(Optional.empty()), Optional.empty());
        assertTrue(swept.stream().anyMatch(line -> line.contains("publication shardman_move_999")), swept.toString());
        assertEquals(0L, queryLong(cluster, other, "SELECT count(*) FROM pg_class WHERE relname = '" + foreignPartition + "'"));
        assertNoMoveObjects(cluster, 3);
        assertNodesMatchTheMetadata(cluster);
    }

    @Test
    void aCopyThatDiffersAtTheCutoverStopsTheMoveAndNothingIsDropped(TestCluster cluster) throws Exception {
        MoveTestSupport.apply(MoveTestSupport.spec(cluster, 3, 0));
        execute(cluster, 1, "INSERT INTO customers (id, name) SELECT g, 'c' || g FROM generate_series(1, " + ROWS + ") AS g");
        MovePrimary step = moveOf(cluster, 0);
        long rows = queryLong(cluster, worker(step.from()), "SELECT count(*) FROM public.customers_0");
        assertThrows(Crash.class, () -> move(cluster, step, new Events(Optional.of("cutover"))));
        // someone damages the destination's copy before the cutover
        execute(cluster, worker(step.to()), "DELETE FROM public.customers_0 WHERE id = (SELECT min(id) FROM public.customers_0)");

        ShardmanException stopped = assertThrows(ShardmanException.class, () -> move(cluster, step, new Events(Optional.empty())));
        assertTrue(stopped.summary().contains("stopped: the copies differ") && stopped.summary().contains("customers_0: " + step.from()
                + " (retired copy) " + rows + " rows") && stopped.summary().contains(step.to() + " at the cutover " + (rows - 1) + " rows"),
                stopped.summary());
        long id = lastMoveId(cluster);
        assertEquals(rows, queryLong(cluster, worker(step.from()), "SELECT count(*) FROM shardman_retired.customers_0_m" + id), "retired copy");
        assertEquals(step.from(), readState(cluster).partition("customers", 0).orElseThrow().node(), "the metadata moved on");

        List<String> lines = recover(cluster, new Events(Optional.empty()), Optional.empty());
        assertTrue(lines.stream().anyMatch(line -> line.contains("stopped on a verification mismatch")), lines.toString());
        assertEquals(rows, queryLong(cluster, worker(step.from()), "SELECT count(*) FROM shardman_retired.customers_0_m" + id), "recover dropped it");
        DriftReport drift = new DriftCheck(MoveTestSupport.factory()).check(MoveTestSupport.spec(cluster, 3, 0), List.of(), Duration.ofHours(1));
        assertTrue(drift.drift().stream().anyMatch(found -> found.problem().contains("STOPPED on a verification mismatch")), drift.drift().toString());
        assertThrows(ShardmanException.class, () -> move(cluster, step, new Events(Optional.empty())), "a second run went on with the move");

        // the operator looked and accepts it: recover finishes the move and keeps the retired copy
        ShardmanException unknown = assertThrows(ShardmanException.class,
                () -> withStore(cluster, new Events(Optional.empty()), (store, connections, channels) -> store.moves().acceptMismatch("customers_9")));
        assertTrue(unknown.summary().contains("no move stopped on a verification mismatch is named customers_9"), unknown.summary());
        withStore(cluster, new Events(Optional.empty()), (store, connections, channels) -> store.moves().acceptMismatch(step.id().value()));
        List<String> finished = recover(cluster, new Events(Optional.empty()), Optional.empty());
        assertTrue(finished.stream().anyMatch(line -> line.contains("finished the move of")), finished.toString());
        assertEquals(step.to(), readState(cluster).partition("customers", 0).orElseThrow().node(), "the metadata follows the move");
        assertEquals(rows, queryLong(cluster, worker(step.from()), "SELECT count(*) FROM shardman_retired.customers_0_m" + id), "kept");
        assertEquals(rows - 1, queryLong(cluster, worker(step.to()), "SELECT count(*) FROM public.customers_0"), "the destination serves");
        assertNoMoveObjects(cluster, 3);
    }

    /** Node drift (not pending changes: these moves were not planned) is empty, and so are the moves in flight. */
    private static void assertNodesMatchTheMetadata(TestCluster cluster) {
        DriftReport drift = new DriftCheck(MoveTestSupport.factory()).check(MoveTestSupport.spec(cluster, 3, 0), List.of(), Duration.ofHours(1));
        assertEquals(List.of(), drift.drift(), "node drift");
        assertEquals(List.of(), drift.unreachable());
    }

    /** Unit {@code index} from its holder to the next worker (w1 → w2 → w3 → w1). */
    private static MovePrimary moveOf(TestCluster cluster, int index) {
        String from = readState(cluster).partition("customers", index).orElseThrow().node();
        String to = "w" + (worker(from) % 3 + 1);
        return new MovePrimary(new PartitionUnit(List.of("customers", "orders"), index), from, to);
    }

    private static ClusterState move(TestCluster cluster, MovePrimary step, Events events) throws SQLException {
        return withStore(cluster, events, (store, connections, channels) -> {
            StepRun run = store.journal().startStep("it", step.id().value(), step.describe());
            return new MoveRunner(store, connections, ConninfoSecrets.of(ENVIRONMENT), channels, Set.of(), events).run(step, run, store.readState(), 1, 1);
        });
    }

    /** MoveRecovery's three passes; {@code unplanned} is rolled back by a plan that holds no move. */
    private static List<String> recover(TestCluster cluster, Events events, Optional<MovePrimary> unplanned) throws SQLException {
        return withStore(cluster, events, (store, connections, channels) -> {
            MoveRecovery recovery = new MoveRecovery(store, connections, ConninfoSecrets.of(ENVIRONMENT), channels, Set.of(), events);
            List<String> lines = new ArrayList<>(recovery.finish());
            ClusterState state = store.readState();
            if (unplanned.isPresent()) {
                lines.addAll(recovery.rollBackUnplanned(new Plan(new PlanHeader("test", state.lineage(), state.serial()), List.of())));
            }
            lines.addAll(recovery.sweepOrphans(state, state.nodes()));
            return lines;
        });
    }

    private interface StoreWork<T> {
        T run(MetadataStore store, MoveTestSupport.TestConnections connections, ChannelReconciler channels) throws SQLException;
    }

    private static <T> T withStore(TestCluster cluster, Events events, StoreWork<T> work) throws SQLException {
        try (MoveTestSupport.TestConnections connections = new MoveTestSupport.TestConnections();
             Connection shardlord = connections.shardlord(cluster)) {
            MetadataStore store = MetadataStore.open(shardlord);
            return work.run(store, connections, new ChannelReconciler(connections::shared, ConninfoSecrets.of(ENVIRONMENT)));
        }
    }

    private static ClusterState readState(TestCluster cluster) {
        try (MoveTestSupport.TestConnections connections = new MoveTestSupport.TestConnections();
             Connection shardlord = connections.shardlord(cluster)) {
            return MetadataStore.open(shardlord).readState();
        } catch (SQLException closing) {
            throw new IllegalStateException(closing);
        }
    }

    private static long lastMoveId(TestCluster cluster) throws SQLException {
        try (Connection shardlord = cluster.connect(cluster.shardlord()); var statement = shardlord.createStatement();
             var row = statement.executeQuery("SELECT max(id) FROM shardman.moves")) {
            row.next();
            return row.getLong(1);
        }
    }

    private static int worker(String node) {
        return Integer.parseInt(node.substring(1));
    }

    /** The process "dies" at a fault point. */
    private static final class Crash extends RuntimeException {
        Crash(String point) {
            super("killed at " + point);
        }
    }

    private static final class Events implements MoveEvents {
        final List<MoveReport> reports = Collections.synchronizedList(new ArrayList<>());
        final List<String> notices = Collections.synchronizedList(new ArrayList<>());
        private final Optional<String> crashAt;

        Events(Optional<String> crashAt) {
            this.crashAt = crashAt;
        }

        @Override
        public void progress(MoveProgress progress) {
        }

        @Override
        public void done(MoveReport report) {
            reports.add(report);
        }

        @Override
        public void notice(String line) {
            notices.add(line);
        }

        @Override
        public void faultPoint(String stepId, String point) {
            if (crashAt.filter(point::equals).isPresent()) {
                throw new Crash(stepId + "@" + point);
            }
        }
    }
}
