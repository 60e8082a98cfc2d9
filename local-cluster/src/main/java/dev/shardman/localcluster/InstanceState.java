package dev.shardman.localcluster;

/** Whether an instance's postmaster is alive. */
public enum InstanceState {
    RUNNING,
    STOPPED,
}
