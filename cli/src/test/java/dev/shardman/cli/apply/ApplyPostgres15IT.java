package dev.shardman.cli.apply;

import dev.shardman.localcluster.junit.LocalClusterTest;

/**
 * ApplyIT's cases on PostgreSQL 15: the example applied and queried, schema changes, nodes that leave and join (DDL,
 * postgres_fdw and a node's identity differ between versions). The default run is on 17.
 */
@LocalClusterTest(workers = 3, postgresMajor = 15)
class ApplyPostgres15IT extends ApplyIT {
}
