package dev.shardman.cli.apply;

import dev.shardman.localcluster.junit.LocalClusterTest;

/**
 * ReplicationIT's cases on PostgreSQL 15: replicas, the shared table, synchronous replication, a stopped replica (logical
 * replication differs between versions). The default run is on 17.
 */
@LocalClusterTest(workers = 3, postgresMajor = 15)
class ReplicationPostgres15IT extends ReplicationIT {
}
