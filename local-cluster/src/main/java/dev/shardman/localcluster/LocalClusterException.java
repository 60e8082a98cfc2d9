package dev.shardman.localcluster;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;

import static java.util.Objects.requireNonNull;

/**
 * A local cluster operation failed. The summary names the instance or port concerned; the detail
 * says what the operator can do next. There are no passwords anywhere in the local cluster
 * (trust authentication on 127.0.0.1), so messages may quote connection details freely.
 */
public final class LocalClusterException extends ShardmanException {
    /** What went wrong, for callers that react differently (the test harness retries on ports). */
    public enum Reason {
        /** Something that is not one of our instances listens on a port we need. */
        PORT_IN_USE,
        /** The directory holds a cluster of another shape (worker count, version, ports). */
        CONFIGURATION_MISMATCH,
        /** The requested configuration itself is invalid. */
        INVALID_CONFIGURATION,
        /** No binaries are bundled for the requested major version or this platform. */
        UNSUPPORTED_VERSION,
        /** initdb or the server start failed. */
        START_FAILED,
        /** A server did not stop in time. */
        STOP_FAILED,
        /** The directory holds no local cluster, or its state file cannot be read or written. */
        STATE_FILE,
    }

    private final Reason reason;

    public LocalClusterException(Reason reason, ErrorCode code, String summary, String detail) {
        this(reason, code, summary, detail, null);
    }

    public LocalClusterException(Reason reason, ErrorCode code, String summary, String detail, Throwable cause) {
        super(code, summary, detail, cause);
        this.reason = requireNonNull(reason, "reason is null");
    }

    public Reason reason() {
        return reason;
    }
}
