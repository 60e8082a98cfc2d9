/**
 * Comparing copies of a partition (row count and checksum): used by a move before it drops the old copy,
 * and by {@code shardman verify} ({@link dev.shardman.applier.verify.Verification}) across every primary
 * and its replicas, and every shared table's master and its copies, at a point where each copy has
 * confirmed its source's WAL position (see that class for the guarantee under concurrent writes).
 */
package dev.shardman.applier.verify;
