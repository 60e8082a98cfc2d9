package dev.shardman.applier.objects;

import static java.util.Objects.requireNonNull;

/** The outcome of inspecting one node: its objects, or why it could not be read. */
public sealed interface InspectionResult permits InspectionResult.Observed, InspectionResult.Unreachable, InspectionResult.Blocked {
    String node();

    /** The node answered. */
    record Observed(NodeInspection inspection) implements InspectionResult {
        public Observed {
            requireNonNull(inspection, "inspection is null");
        }

        @Override
        public String node() {
            return inspection.node();
        }
    }

    /** The node could not be connected to, failed, or did not answer in time; {@code reason} never holds a password. */
    record Unreachable(String node, String reason) implements InspectionResult {
        public Unreachable {
            requireNonNull(node, "node is null");
            requireNonNull(reason, "reason is null");
        }
    }

    /** The node answered, but a catalog read ran out of its lock wait (a session or a prepared transaction holds a lock). */
    record Blocked(String node, String reason) implements InspectionResult {
        public Blocked {
            requireNonNull(node, "node is null");
            requireNonNull(reason, "reason is null");
        }
    }
}
