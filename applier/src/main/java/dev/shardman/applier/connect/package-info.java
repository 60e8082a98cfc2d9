/**
 * Connections to the shardlord and the nodes: a libpq conninfo (as in cluster.yaml or the metadata,
 * with {@code ${env:NAME}} references) is parsed, resolved against the environment and mapped to a
 * pgjdbc URL and properties; the password travels only as a property. Every connection carries a
 * {@code shardman*} ApplicationName and a connect timeout; a failure is a NODE_FAILURE naming the
 * node (or the shardlord) and the redacted conninfo.
 */
package dev.shardman.applier.connect;
