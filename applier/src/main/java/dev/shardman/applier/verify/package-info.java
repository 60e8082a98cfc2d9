/**
 * Comparing copies of a partition (row count and checksum): used by a move before it drops the old copy,
 * and by {@code shardman verify} across every primary and its replicas.
 */
package dev.shardman.applier.verify;
