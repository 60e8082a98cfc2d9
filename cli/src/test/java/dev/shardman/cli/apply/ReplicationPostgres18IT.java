package dev.shardman.cli.apply;

import dev.shardman.localcluster.junit.LocalClusterTest;

/**
 * ReplicationIT's cases on PostgreSQL 18: replicas, the shared table, synchronous replication, a stopped replica (logical
 * replication differs between versions). The default run is on 17.
 */
@LocalClusterTest(workers = 3, postgresMajor = 18)
class ReplicationPostgres18IT extends ReplicationIT {
}
