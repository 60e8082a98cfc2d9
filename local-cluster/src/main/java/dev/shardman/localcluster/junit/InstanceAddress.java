package dev.shardman.localcluster.junit;

import static java.util.Objects.requireNonNull;

/**
 * One server of a test cluster: {@code shardlord} or {@code w1..wN}, listening on
 * {@code host:port}.
 */
public record InstanceAddress(String name, String host, int port) {
    public InstanceAddress {
        requireNonNull(name, "name is null");
        requireNonNull(host, "host is null");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range");
        }
    }
}
