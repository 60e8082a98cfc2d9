package dev.shardman.applier.monitor;

import java.util.List;

/**
 * Resolves the shardman-prepared transactions whose outcome is decided, as recover does (the CLI wires in
 * {@code ApplyEngine#resolveDecidedTransactions}, which takes the cluster lock); returns what it did, one line each.
 * Called by the active monitor when a poll finds one older than {@link MonitorOptions#preparedAge()}.
 */
@FunctionalInterface
public interface PreparedResolver {
    List<String> resolve();

    /** Only reports (tests of other parts, or a monitor told not to touch transactions). */
    PreparedResolver NONE = List::of;
}
