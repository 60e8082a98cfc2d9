package dev.shardman.applier.monitor;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WaitGraphTest {
    /** A client session waiting on a remote result. */
    private static Backend client(String node, int pid, long xactStart) {
        return new Backend(new BackendKey(node, pid), xactStart, "app", "active", "Extension", "PostgresFdwGetResult", "UPDATE t", 1000, List.of());
    }

    /** A backend that {@code origin}'s postgres_fdw opened, waiting on a lock held by {@code blockers}. */
    private static Backend remote(String node, int pid, String origin, long xactStart, List<Integer> blockers) {
        return new Backend(new BackendKey(node, pid), xactStart, "shardman-fdw:" + origin, "active", "Lock", "transactionid", "UPDATE t_1", 900, blockers);
    }

    private static List<Backend> crossDeadlock() {
        return List.of(client("w1", 10, 100), remote("w2", 21, "w1:10", 110, List.of(20)),
                client("w2", 20, 105), remote("w1", 11, "w2:20", 115, List.of(10)));
    }

    @Test
    void aCrossNodeCycleIsFoundStartingAtItsSmallestBackend() {
        List<WaitCycle> cycles = new WaitGraph(crossDeadlock()).crossNodeCycles();
        assertEquals(1, cycles.size());
        assertEquals(List.of("w1:10", "w2:21", "w2:20", "w1:11"), cycles.get(0).backends().stream().map(backend -> backend.key().toString()).toList());
        assertEquals(List.of("w1", "w2"), cycles.get(0).nodes());
    }

    @Test
    void theVictimIsTheYoungestClientSessionNotAnFdwBackend() {
        WaitCycle cycle = new WaitGraph(crossDeadlock()).crossNodeCycles().get(0);
        assertEquals(new BackendKey("w2", 20), cycle.victim().key(), "w2:20 started at 105, after w1:10; fdw backends started later still");
    }

    @Test
    void aWaitWithoutCycleAndALocalCycleAreNotReported() {
        List<Backend> chain = List.of(client("w1", 10, 100), remote("w2", 21, "w1:10", 110, List.of(20)),
                new Backend(new BackendKey("w2", 20), 90, "app", "idle in transaction", "Client", "ClientRead", "", 5000, List.of()));
        assertTrue(new WaitGraph(chain).crossNodeCycles().isEmpty());
        List<Backend> local = List.of(remote("w1", 1, "w9:1", 1, List.of(2)), remote("w1", 2, "w9:2", 2, List.of(1)));
        assertTrue(new WaitGraph(local).crossNodeCycles().isEmpty(), "a one-node cycle is that node's own detector's");
    }

    @Test
    void anFdwBackendIsJoinedOnlyToAnOriginWaitingOnARemoteResult() {
        List<Backend> backends = List.of(
                new Backend(new BackendKey("w1", 10), 100, "app", "active", "Lock", "transactionid", "UPDATE t", 10, List.of(11)),
                remote("w2", 21, "w1:10", 110, List.of(20)), client("w2", 20, 105), remote("w1", 11, "w2:20", 115, List.of(10)));
        assertTrue(new WaitGraph(backends).crossNodeCycles().isEmpty(), "w1:10 waits on a local lock, not on w2:21");
    }

    @Test
    void aCycleIsConfirmedByTheNextPollWithTheSameTransactionsOnly() {
        DeadlockDetector detector = new DeadlockDetector();
        List<WaitCycle> first = new WaitGraph(crossDeadlock()).crossNodeCycles();
        assertTrue(detector.confirm(first).isEmpty());
        assertTrue(detector.pending());
        List<Backend> later = List.of(client("w1", 10, 200), remote("w2", 21, "w1:10", 210, List.of(20)),
                client("w2", 20, 205), remote("w1", 11, "w2:20", 215, List.of(10)));
        assertTrue(detector.confirm(new WaitGraph(later).crossNodeCycles()).isEmpty(), "same pids, new transactions: not the same cycle");
        assertEquals(1, detector.confirm(new WaitGraph(later).crossNodeCycles()).size());
        assertTrue(!detector.pending(), "a confirmed cycle is not carried over");
    }
}
