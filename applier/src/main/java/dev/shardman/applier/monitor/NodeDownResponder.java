package dev.shardman.applier.monitor;

import dev.shardman.applier.failover.AutomaticFailover;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * What the monitor does about nodes that do not answer, called once per poll of the active monitor (never by a
 * standby) with every node found unreachable in that poll and how long it has been so. The default only reports;
 * automatic failover plugs in here. An implementation reports what it does through {@code events}.
 */
public interface NodeDownResponder {
    /** A node that did not answer this poll, unreachable since the first failed poll of the current outage. */
    record UnreachableNode(String node, Duration unreachableFor, String error) {
        public UnreachableNode {
            requireNonNull(node, "node is null");
            requireNonNull(unreachableFor, "unreachableFor is null");
            requireNonNull(error, "error is null");
        }
    }

    void respond(List<UnreachableNode> nodes, Consumer<MonitorEvent> events);

    /**
     * Nodes lost in the metadata that still hold primaries (their failover stopped halfway), once per poll: the default
     * leaves them to the operator's apply; automatic failover finishes them.
     */
    default void unfinished(List<String> nodes, Consumer<MonitorEvent> events) {
    }

    /** The default: reports a node still down once a minute of its outage, no more (the monitor reports the first failure itself). */
    static NodeDownResponder reportOnly() {
        return new ReportingResponder();
    }

    /** Hands the nodes to {@code failover}, which acts under the recorded {@code settings.failover} (off: reports only). */
    static NodeDownResponder failingOver(AutomaticFailover failover) {
        return new FailoverResponder(failover);
    }
}
