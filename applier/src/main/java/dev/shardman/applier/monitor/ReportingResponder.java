package dev.shardman.applier.monitor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** {@link NodeDownResponder#reportOnly()}: a NODE_STILL_DOWN event for each whole minute a node stays down. */
final class ReportingResponder implements NodeDownResponder {
    private final Map<String, Long> reportedMinutes = new HashMap<>();

    @Override
    public void respond(List<UnreachableNode> nodes, Consumer<MonitorEvent> events) {
        reportedMinutes.keySet().retainAll(nodes.stream().map(UnreachableNode::node).toList());
        for (UnreachableNode node : nodes) {
            long minutes = node.unreachableFor().toMinutes();
            if (minutes > reportedMinutes.getOrDefault(node.node(), 0L)) {
                reportedMinutes.put(node.node(), minutes);
                events.accept(MonitorEvent.of(MonitorEvent.Kind.NODE_STILL_DOWN, node.node(),
                        node.node() + " has not answered for " + node.unreachableFor().toSeconds() + " s: " + node.error(),
                        Map.of("unreachable_seconds", node.unreachableFor().toSeconds())));
            }
        }
    }
}
