package dev.shardman.applier.monitor;

import dev.shardman.applier.failover.AutomaticFailover;
import dev.shardman.applier.failover.FailoverOutcome;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * {@link NodeDownResponder#failingOver}: each poll, the unreachable nodes go to {@link AutomaticFailover}; its decision about
 * a node is reported when it changes (waiting → failed over, or refused), not at every poll, beside the minute reminders of
 * {@link ReportingResponder}.
 */
final class FailoverResponder implements NodeDownResponder {
    private final AutomaticFailover failover;
    private final NodeDownResponder reminders = new ReportingResponder();
    private final Map<String, FailoverOutcome.Kind> reported = new HashMap<>();
    private final Map<String, FailoverOutcome.Kind> unfinishedReported = new HashMap<>();

    FailoverResponder(AutomaticFailover failover) {
        this.failover = requireNonNull(failover, "failover is null");
    }

    @Override
    public void respond(List<UnreachableNode> nodes, Consumer<MonitorEvent> events) {
        reminders.respond(nodes, events);
        reported.keySet().retainAll(nodes.stream().map(UnreachableNode::node).toList());
        if (nodes.isEmpty()) {
            return;
        }
        report(failover.respond(nodes.stream()
                .map(node -> new dev.shardman.applier.failover.UnreachableNode(node.node(), node.unreachableFor())).toList()), reported, events);
    }

    @Override
    public void unfinished(List<String> nodes, Consumer<MonitorEvent> events) {
        unfinishedReported.keySet().retainAll(nodes);
        if (!nodes.isEmpty()) {
            report(failover.finish(nodes), unfinishedReported, events);
        }
    }

    private static void report(List<FailoverOutcome> outcomes, Map<String, FailoverOutcome.Kind> reported, Consumer<MonitorEvent> events) {
        for (FailoverOutcome outcome : outcomes) {
            if (reported.put(outcome.node(), outcome.kind()) != outcome.kind()) {
                MonitorEvent.Kind kind = outcome.kind() == FailoverOutcome.Kind.FAILED_OVER
                        ? MonitorEvent.Kind.NODE_FAILED_OVER : MonitorEvent.Kind.FAILOVER_DECISION;
                events.accept(MonitorEvent.of(kind, outcome.node(), outcome.message(),
                        Map.of("decision", outcome.kind().name().toLowerCase(Locale.ROOT))));
            }
        }
    }
}
