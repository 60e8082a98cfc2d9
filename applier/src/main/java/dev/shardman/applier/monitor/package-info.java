/**
 * {@code shardman monitor}: a poll loop over every node that reports nodes going down and up, breaks global
 * (cross-node) deadlocks, reports stale prepared transactions and keeps the figures that {@code /metrics} serves.
 * The monitor reads; the only things it changes are a cancelled backend in a confirmed deadlock and, through
 * {@link dev.shardman.applier.monitor.NodeDownResponder}, whatever the responder wired in does for a node that stays down.
 */
package dev.shardman.applier.monitor;
