/**
 * The spec: cluster.yaml (version 1) as immutable records, and how it is read.
 *
 * <p>Entry point: {@link dev.shardman.model.spec.SpecLoader#load(java.nio.file.Path, java.util.Map)}
 * returns a {@link dev.shardman.model.spec.SpecLoadResult}: every
 * {@link dev.shardman.model.Diagnostic} in file order, and the {@link dev.shardman.model.spec.ClusterSpec}
 * only when none is an error. Reading goes in three steps, each reporting instead of throwing:
 * SnakeYAML Engine composes the node tree (marks on every node); one small parser per object
 * (cluster, settings, node, table, column, index) maps nodes to records with their
 * {@link dev.shardman.model.spec.Positions}; then a list of rules, one class per family of checks,
 * looks at the whole spec (names, keys, colocation, redundancy, derived partition names, conninfo).
 */
package dev.shardman.model.spec;
