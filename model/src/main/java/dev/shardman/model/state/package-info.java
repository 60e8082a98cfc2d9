/**
 * The shardlord metadata as immutable records ({@link dev.shardman.model.state.ClusterState} and its parts)
 * and its snapshot file format ({@link dev.shardman.model.state.StateSnapshots}, YAML or JSON, the only code
 * that reads or writes it). An empty state ({@link dev.shardman.model.state.ClusterState#empty()}) is a new
 * cluster. Conninfo strings are kept as given (with {@code ${env:NAME}} references); a literal password is
 * never written.
 */
package dev.shardman.model.state;
