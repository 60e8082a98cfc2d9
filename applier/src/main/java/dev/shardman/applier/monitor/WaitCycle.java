package dev.shardman.applier.monitor;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A cycle of the global wait-for graph: each backend waits for the next, the last for the first. Its identity is
 * the transactions in it (node, pid, transaction start), so that a cycle seen again in the next poll is the same one.
 */
public record WaitCycle(List<Backend> backends) {
    /**
     * The victim rule: the youngest distributed transaction loses. Candidates are the backends of the cycle that are
     * no postgres_fdw session (the clients' own sessions: cancelling one aborts its remote parts too); if there is
     * none, every backend is. The candidate whose transaction started last is chosen; ties go to the greatest node
     * name, then pid, so that the same cycle always picks the same victim.
     */
    static final Comparator<Backend> YOUNGEST = Comparator.comparingLong(Backend::xactStartMicros)
            .thenComparing(Backend::key);

    public WaitCycle {
        backends = List.copyOf(backends);
        if (backends.size() < 2) {
            throw new IllegalArgumentException("a cycle has at least two backends: " + backends);
        }
    }

    /** The transactions in the cycle, sorted: equal for the same deadlock seen twice. */
    public String identity() {
        return backends.stream().map(Backend::transactionIdentity).sorted().collect(Collectors.joining(","));
    }

    /** The backend to cancel ({@link #YOUNGEST}). */
    public Backend victim() {
        List<Backend> clients = backends.stream().filter(backend -> backend.origin().isEmpty()).toList();
        return (clients.isEmpty() ? backends : clients).stream().max(YOUNGEST).orElseThrow();
    }

    /** The nodes of the cycle, sorted. */
    public List<String> nodes() {
        return backends.stream().map(backend -> backend.key().node()).distinct().sorted().toList();
    }

    /** One line: each backend with its wait and query, in wait order. */
    public String describe() {
        return backends.stream().map(WaitCycle::describe).collect(Collectors.joining(" → ")) + " → " + backends.get(0).key();
    }

    private static String describe(Backend backend) {
        String query = backend.query().replaceAll("\\s+", " ").strip();
        return backend.key() + " (" + (backend.waitEvent().isEmpty() ? backend.state() : backend.waitEventType() + "/" + backend.waitEvent())
                + " " + backend.runningMillis() + " ms: " + (query.length() > 120 ? query.substring(0, 120) + "…" : query) + ")";
    }
}
