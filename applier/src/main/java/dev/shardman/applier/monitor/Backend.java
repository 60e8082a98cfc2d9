package dev.shardman.applier.monitor;

import dev.shardman.applier.objects.ForeignServer;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A client backend in a transaction, as one poll saw it: its wait ({@code wait_event_type}, {@code wait_event}), the
 * pids that block its lock wait on the same node, and, for a backend that a peer's postgres_fdw opened, the origin
 * backend named by its {@code application_name} ({@link ForeignServer#applicationNameFor}).
 *
 * @param xactStartMicros the transaction's start in microseconds since the epoch: with the key, it tells one
 *                        transaction from a later one of the same backend
 * @param runningMillis   how long its current statement has run (its wait, for a backend that waits)
 */
public record Backend(BackendKey key, long xactStartMicros, String applicationName, String state, String waitEventType,
                      String waitEvent, String query, long runningMillis, List<Integer> blockedBy) {
    public Backend {
        requireNonNull(key, "key is null");
        requireNonNull(applicationName, "applicationName is null");
        requireNonNull(state, "state is null");
        requireNonNull(waitEventType, "waitEventType is null");
        requireNonNull(waitEvent, "waitEvent is null");
        requireNonNull(query, "query is null");
        blockedBy = List.copyOf(blockedBy);
    }

    /** The backend on a peer whose postgres_fdw opened this one, when the application_name says so. */
    public Optional<BackendKey> origin() {
        if (!applicationName.startsWith(ForeignServer.APPLICATION_NAME_PREFIX)) {
            return Optional.empty();
        }
        String rest = applicationName.substring(ForeignServer.APPLICATION_NAME_PREFIX.length());
        int colon = rest.lastIndexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new BackendKey(rest.substring(0, colon), Integer.parseInt(rest.substring(colon + 1))));
        } catch (NumberFormatException notOurs) {
            return Optional.empty();
        }
    }

    /**
     * Waiting for a peer's answer: postgres_fdw waits with type {@code Extension} (the event is
     * {@code PostgresFdwGetResult} on PG 17+, plain {@code Extension} on 15 and 16).
     */
    public boolean waitsOnRemote() {
        return waitEventType.equals("Extension");
    }

    /** Running a statement (a remote backend that an origin waits on is active). */
    public boolean active() {
        return state.equals("active");
    }

    /** Its transaction, as the deadlock confirmation compares them: node, pid and start. */
    String transactionIdentity() {
        return key + "@" + xactStartMicros;
    }
}
