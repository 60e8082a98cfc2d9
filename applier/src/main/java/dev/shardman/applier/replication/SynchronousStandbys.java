package dev.shardman.applier.replication;

import dev.shardman.applier.objects.SqlNames;
import dev.shardman.model.state.NodeState;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code synchronous_standby_names} of each source under {@code settings.sync_replication}: on, {@code ANY n (...)}
 * over ALL n existing subscriptions that read from the node, so a commit returns only once every replica holder has
 * it ({@code ANY 1} would not: a subscriber confirms its source's whole stream). An unreachable subscriber keeps its
 * place; a value set by hand is left alone when off. Set by ALTER SYSTEM and pg_reload_conf(). Why each rule:
 * docs/internals/replication.md, "Synchronous standbys".
 */
final class SynchronousStandbys {
    private static final java.util.regex.Pattern SHARDMAN_OWNED =
            java.util.regex.Pattern.compile("ANY [0-9]+ \\(\"shardman_[a-z0-9_]+\"(, \"shardman_[a-z0-9_]+\")*\\)");
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("\"(shardman_[a-z0-9_]+)\"");

    private SynchronousStandbys() {
    }

    static List<String> apply(Function<NodeState, Connection> connections, List<Channel> channels, Collection<NodeState> nodes, boolean synchronous,
                              Map<String, ObservedReplication> observed) throws SQLException {
        List<String> done = new ArrayList<>();
        for (NodeState node : nodes) {
            Connection connection = connections.apply(node);
            String current = current(connection);
            Optional<String> wanted = synchronous ? wanted(channels, node, observed, current) : Optional.empty();
            if (wanted.isPresent() && !wanted.get().equals(current)) {
                ReplicationSql.execute(connection, "ALTER SYSTEM SET synchronous_standby_names = " + SqlNames.literal(wanted.get()));
                ReplicationSql.execute(connection, "SELECT pg_catalog.pg_reload_conf()");
                done.add(node.name() + ": synchronous_standby_names = " + wanted.get());
            } else if (wanted.isEmpty() && isShardmanOwned(current)) {
                ReplicationSql.execute(connection, "ALTER SYSTEM RESET synchronous_standby_names");
                ReplicationSql.execute(connection, "SELECT pg_catalog.pg_reload_conf()");
                done.add(node.name() + ": synchronous_standby_names reset");
            }
        }
        return done;
    }

    /**
     * Takes out of each node's shardman-owned value the standbys that {@code channels} no longer have (a lost node's
     * subscriptions, a dropped channel's), never adding one. It reads only the setting and writes it with ALTER SYSTEM:
     * no catalog lock, so it works while commits that wait for a dead standby hold locks that the inspection of the
     * subscriptions would wait for (an ALTER SUBSCRIPTION ... REFRESH waiting so holds pg_subscription_rel).
     */
    static List<String> releaseUnexpected(Function<NodeState, Connection> connections, List<Channel> channels, Collection<NodeState> nodes)
            throws SQLException {
        List<String> done = new ArrayList<>();
        for (NodeState node : nodes) {
            Connection connection = connections.apply(node);
            String current = current(connection);
            if (!isShardmanOwned(current)) {
                continue;
            }
            java.util.Set<String> expected = channels.stream().filter(channel -> channel.source().name().equals(node.name()))
                    .map(Channel::subscription).collect(java.util.stream.Collectors.toSet());
            List<String> named = NAME.matcher(current).results().map(match -> match.group(1)).toList();
            List<String> kept = named.stream().filter(expected::contains).sorted().toList();
            if (kept.size() == named.size()) {
                continue;
            }
            if (kept.isEmpty()) {
                ReplicationSql.execute(connection, "ALTER SYSTEM RESET synchronous_standby_names");
            } else {
                String value = "ANY " + kept.size() + " (" + String.join(", ", kept.stream().map(name -> "\"" + name + "\"").toList()) + ")";
                ReplicationSql.execute(connection, "ALTER SYSTEM SET synchronous_standby_names = " + SqlNames.literal(value));
            }
            ReplicationSql.execute(connection, "SELECT pg_catalog.pg_reload_conf()");
            done.add(node.name() + ": released the synchronous waits on " + String.join(", ", named.stream().filter(name -> !kept.contains(name)).toList()));
        }
        return done;
    }

    /** {@code ANY 2 ("a", "b")} over {@link #wantedNames}; empty when there is none. */
    static Optional<String> wanted(List<Channel> channels, NodeState node, Map<String, ObservedReplication> observed, String current) {
        List<String> names = wantedNames(channels, node, observed, current);
        if (names.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("ANY " + names.size() + " (" + String.join(", ", names.stream().map(name -> "\"" + name + "\"").toList()) + ")");
    }

    /**
     * The synchronous standbys {@code node} must wait for: the subscriptions of channels from it that exist (or whose
     * unreachable destination {@code current} already names), sorted.
     */
    static List<String> wantedNames(List<Channel> channels, NodeState node, Map<String, ObservedReplication> observed, String current) {
        return channels.stream().filter(channel -> channel.source().name().equals(node.name()))
                .filter(channel -> Optional.ofNullable(observed.get(channel.destination().name()))
                        .map(replication -> replication.subscriptions().containsKey(channel.subscription()))
                        .orElse(isShardmanOwned(current) && current.contains("\"" + channel.subscription() + "\"")))
                .map(Channel::subscription).sorted().toList();
    }

    static final String CURRENT = "SELECT pg_catalog.current_setting('synchronous_standby_names')";

    /** A value that names only shardman subscriptions (what shardman writes). */
    static boolean isShardmanOwned(String value) {
        return SHARDMAN_OWNED.matcher(value).matches();
    }

    static String current(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(CURRENT)) {
            row.next();
            return row.getString(1);
        }
    }
}
