package dev.shardman.planner.step;

import dev.shardman.model.state.ClusterSettings;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Records new cluster settings. It touches no node catalog itself: the replication phase that follows
 * every step brings each source's {@code synchronous_standby_names} to the recorded sync_replication.
 */
public record UpdateSettings(ClusterSettings from, ClusterSettings to) implements Step {
    public UpdateSettings {
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        if (from.equals(to)) {
            throw new IllegalArgumentException("UpdateSettings without a change");
        }
    }

    @Override
    public StepId id() {
        return StepId.of("update-settings", "cluster");
    }

    @Override
    public Action action() {
        return Action.UPDATE;
    }

    @Override
    public String subject() {
        return "settings";
    }

    @Override
    public List<String> nodes() {
        return List.of();
    }

    /** e.g. {@code settings will be updated: sync_replication false → true}. */
    @Override
    public String describe() {
        List<String> changes = new ArrayList<>();
        if (from.syncReplication() != to.syncReplication()) {
            changes.add("sync_replication " + from.syncReplication() + " → " + to.syncReplication());
        }
        if (from.maxReplicationLagBytes() != to.maxReplicationLagBytes()) {
            changes.add("max_replication_lag_bytes " + from.maxReplicationLagBytes() + " → " + to.maxReplicationLagBytes());
        }
        if (!from.failover().equals(to.failover())) {
            changes.add("failover " + from.failover().describe() + " → " + to.failover().describe());
        }
        return "settings will be updated: " + String.join(", ", changes);
    }

    @Override
    public void applyTo(ProjectedState state) {
        state.changeSettings(from, to);
    }
}
