package dev.shardman.applier.metadata;

/** What a move measured, as stored ({@code 0} when not measured yet, or measured by a process that crashed before storing it). */
public record MoveFigures(long rows, long bytes, long copyMillis, long fenceMillis) {
}
