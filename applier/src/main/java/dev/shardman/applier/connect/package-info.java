/**
 * Connections to the shardlord and the nodes: a libpq conninfo (as in cluster.yaml or the metadata,
 * with {@code ${env:NAME}} references) is parsed, resolved against the environment and mapped to a
 * pgjdbc URL and properties; the password travels only as a property. Every connection carries a
 * {@code shardman*} ApplicationName and the bounds of {@link dev.shardman.applier.connect.SessionTimeouts}
 * (connect timeout, statement_timeout, socket read timeout, TCP keepalive) from {@code settings.node_timeout};
 * one long statement may use {@link dev.shardman.applier.connect.LongStatement}'s larger bound. A failure to
 * connect is a NODE_FAILURE naming the node (or the shardlord) and the redacted conninfo.
 */
package dev.shardman.applier.connect;
