package dev.shardman.applier.objects;

import dev.shardman.applier.connect.NodeThreads;
import dev.shardman.model.state.ClusterState;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.util.Objects.requireNonNull;

/**
 * Inspects several nodes at once, each on its own connection, on a small pool of daemon threads.
 * Each node has {@code timeout} from the start; a node that cannot be reached, fails or is late is
 * reported as {@link InspectionResult.Unreachable}, never left out.
 */
public final class ParallelInspector {
    /** SQLSTATE of a statement that ran out of its lock_timeout. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private final NodeInspector inspector;
    private final NodeConnector connector;
    private final Duration timeout;

    public ParallelInspector(NodeInspector inspector, NodeConnector connector, Duration timeout) {
        this.inspector = requireNonNull(inspector, "inspector is null");
        this.connector = requireNonNull(connector, "connector is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
    }

    /** One result per node, sorted by node name. */
    public Map<String, InspectionResult> inspectAll(Collection<String> nodes, Collection<ClusterState> scope) {
        List<String> sorted = nodes.stream().sorted().distinct().toList();
        if (sorted.isEmpty()) {
            return Map.of();
        }
        try (NodeThreads executor = new NodeThreads("shardman-inspector", sorted.size())) {
            Map<String, Future<InspectionResult>> futures = new LinkedHashMap<>();
            for (String node : sorted) {
                futures.put(node, executor.submit(() -> inspectOne(node, scope)));
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            Map<String, InspectionResult> results = new TreeMap<>();
            futures.forEach((node, future) -> results.put(node, await(node, future, deadline)));
            return results;
        }
    }

    private InspectionResult inspectOne(String node, Collection<ClusterState> scope) {
        try (Connection connection = connector.connect(node)) {
            connection.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            return new InspectionResult.Observed(inspector.inspect(connection, node, scope));
        } catch (SQLException failure) {
            return LOCK_NOT_AVAILABLE.equals(failure.getSQLState()) ? new InspectionResult.Blocked(node, String.valueOf(failure.getMessage()))
                    : new InspectionResult.Unreachable(node, String.valueOf(failure.getMessage()));
        } catch (Exception failure) {
            return new InspectionResult.Unreachable(node, String.valueOf(failure.getMessage()));
        }
    }

    private InspectionResult await(String node, Future<InspectionResult> future, long deadline) {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException late) {
            future.cancel(true);
            return new InspectionResult.Unreachable(node, "no answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException failure) {
            return new InspectionResult.Unreachable(node, String.valueOf(failure.getCause()));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            return new InspectionResult.Unreachable(node, "inspection interrupted");
        }
    }
}
