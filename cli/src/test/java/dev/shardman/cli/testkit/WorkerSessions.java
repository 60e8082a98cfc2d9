package dev.shardman.cli.testkit;

import dev.shardman.localcluster.junit.TestCluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

/** One open session per worker {@code first..last} of the test's database, for a loop of many queries; closing closes them all. */
public final class WorkerSessions implements AutoCloseable {
    private final Map<Integer, Connection> sessions = new TreeMap<>();

    public WorkerSessions(TestCluster cluster, int first, int last) throws SQLException {
        try {
            for (int worker = first; worker <= last; worker++) {
                sessions.put(worker, cluster.connect(cluster.worker(worker)));
            }
        } catch (SQLException failed) {
            close();
            throw failed;
        }
    }

    /** Worker {@code worker}'s session. */
    public Connection of(int worker) {
        Connection session = sessions.get(worker);
        if (session == null) {
            throw new IllegalArgumentException("no session to w" + worker + " (sessions to " + sessions.keySet() + ")");
        }
        return session;
    }

    @Override
    public void close() throws SQLException {
        SQLException first = null;
        for (Connection session : sessions.values()) {
            try {
                session.close();
            } catch (SQLException failed) {
                first = first == null ? failed : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
