package dev.shardman.localcluster;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * One instance after {@code up}: it is running on 127.0.0.1:{@code port}.
 *
 * @param name {@code shardlord} or {@code w1..wN}
 * @param serverVersion as the server reports it ({@code SHOW server_version}), e.g. {@code 17.11}
 */
public record InstanceReport(String name, int port, Path dataDirectory, String serverVersion, StartOutcome outcome) {
    public InstanceReport {
        requireNonNull(name, "name is null");
        requireNonNull(dataDirectory, "dataDirectory is null");
        requireNonNull(serverVersion, "serverVersion is null");
        requireNonNull(outcome, "outcome is null");
    }

    /** The libpq connection string of this instance's {@code postgres} database. */
    public String conninfo() {
        return Conninfo.of(port, "postgres");
    }
}
