package dev.shardman.applier.monitor;

import org.jgrapht.Graph;
import org.jgrapht.alg.cycle.HawickJamesSimpleCycles;
import org.jgrapht.graph.DefaultDirectedGraph;
import org.jgrapht.graph.DefaultEdge;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The global wait-for graph of one poll. An edge {@code a → b} says that a waits for b:
 * <ul>
 *   <li>on one node, a lock waiter waits for each backend {@code pg_blocking_pids} names;</li>
 *   <li>across nodes, an origin waiting on a remote result ({@link Backend#waitsOnRemote()}) waits for each active
 *       backend that its postgres_fdw opened on a peer ({@link Backend#origin()}).</li>
 * </ul>
 * Only cycles that cross nodes are reported: a cycle on one node is that node's own deadlock detector's business.
 */
final class WaitGraph {
    private final Map<BackendKey, Backend> backends = new TreeMap<>();
    private final Graph<BackendKey, DefaultEdge> graph = new DefaultDirectedGraph<>(DefaultEdge.class);

    WaitGraph(Collection<Backend> all) {
        all.forEach(backend -> backends.put(backend.key(), backend));
        backends.keySet().forEach(graph::addVertex);
        for (Backend backend : backends.values()) {
            for (int blocker : backend.blockedBy()) {
                addEdge(backend.key(), new BackendKey(backend.key().node(), blocker));
            }
            backend.origin().filter(origin -> backend.active()).ifPresent(origin -> {
                Backend driver = backends.get(origin);
                if (driver != null && driver.waitsOnRemote()) {
                    addEdge(origin, backend.key());
                }
            });
        }
    }

    private void addEdge(BackendKey waiter, BackendKey holder) {
        if (graph.containsVertex(holder) && !waiter.equals(holder)) {
            graph.addEdge(waiter, holder);
        }
    }

    /** The cycles that cross nodes, each starting at its smallest backend, sorted. */
    List<WaitCycle> crossNodeCycles() {
        List<WaitCycle> cycles = new ArrayList<>();
        for (List<BackendKey> cycle : new HawickJamesSimpleCycles<>(graph).findSimpleCycles()) {
            if (cycle.stream().map(BackendKey::node).distinct().count() > 1) {
                cycles.add(new WaitCycle(rotate(cycle).stream().map(backends::get).toList()));
            }
        }
        cycles.sort(Comparator.comparing(WaitCycle::identity));
        return List.copyOf(cycles);
    }

    private static List<BackendKey> rotate(List<BackendKey> cycle) {
        int first = cycle.indexOf(cycle.stream().min(Comparator.naturalOrder()).orElseThrow());
        List<BackendKey> rotated = new ArrayList<>(cycle.subList(first, cycle.size()));
        rotated.addAll(cycle.subList(0, first));
        return rotated;
    }
}
