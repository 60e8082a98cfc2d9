package dev.shardman.cli.monitor;

import dev.shardman.localcluster.junit.LocalClusterTest;

/**
 * {@link MonitorDeadlockIT} on PostgreSQL 15, the oldest supported: postgres_fdw waits there as plain
 * {@code Extension/Extension} (no {@code PostgresFdwGetResult} event), and {@code %p} in the server's
 * application_name must still name the origin's pid.
 */
@LocalClusterTest(workers = 2, postgresMajor = 15)
class MonitorDeadlockPostgres15IT extends MonitorDeadlockIT {
}
