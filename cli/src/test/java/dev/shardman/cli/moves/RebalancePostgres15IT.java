package dev.shardman.cli.moves;

import dev.shardman.localcluster.junit.LocalClusterTest;

/**
 * RebalanceIT's cases on PostgreSQL 15: a rebalance's online moves (logical replication and DDL differ between versions).
 * The default run is on 17.
 */
@LocalClusterTest(workers = 4, postgresMajor = 15)
class RebalancePostgres15IT extends RebalanceIT {
}
