package dev.shardman.applier.objects;

import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;

import java.util.function.Consumer;

/**
 * One family of expected objects (FDW plumbing, sharded tables; replica tables, publications,
 * subscriptions and shared tables later): a pure function of the state for one live node.
 */
interface ObjectContributor {
    void contribute(ClusterState state, NodeState node, Consumer<NodeObject> objects);
}
