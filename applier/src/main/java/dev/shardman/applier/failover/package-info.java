/**
 * Automatic failover of a node that stays unreachable ({@code settings.failover: {automatic: true, after}}), for
 * {@code shardman monitor}: {@link dev.shardman.applier.failover.AutomaticFailover} answers the monitor's
 * {@link dev.shardman.applier.monitor.NodeDownResponder} call of each poll. It fails a node over through apply's own
 * engine and lock, with the spec the metadata implies plus that node lost, so that it does exactly what a
 * {@code lost: true} edit does, and records the decision in {@code shardman.automatic_failovers}.
 */
package dev.shardman.applier.failover;
