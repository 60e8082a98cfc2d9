package dev.shardman.applier.monitor;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Confirms deadlocks: the nodes' views are read one after another, so a cycle in one poll may join waits of different
 * moments; one that the next poll sees again with the same transactions is a deadlock (pg_shardman's rule). A cycle
 * is confirmed once: the poll after a cancel starts afresh.
 */
final class DeadlockDetector {
    private Set<String> previous = Set.of();

    /** The cycles of this poll that the previous poll saw too. */
    List<WaitCycle> confirm(List<WaitCycle> cycles) {
        List<WaitCycle> confirmed = cycles.stream().filter(cycle -> previous.contains(cycle.identity())).toList();
        Set<String> confirmedIdentities = confirmed.stream().map(WaitCycle::identity).collect(Collectors.toSet());
        previous = cycles.stream().map(WaitCycle::identity).filter(identity -> !confirmedIdentities.contains(identity))
                .collect(Collectors.toUnmodifiableSet());
        return confirmed;
    }

    /** Whether a cycle waits for confirmation by the next poll. */
    boolean pending() {
        return !previous.isEmpty();
    }
}
