package dev.shardman.bench;

import dev.shardman.localcluster.InstanceReport;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Diagnosis aid ({@code BENCH_SAMPLE_WAITS=1}): samples, every few milliseconds, what the busy backends and background
 * processes of some instances are waiting on ({@code pg_stat_activity}), so the benchmark can print what the servers
 * did during the writer's longest gaps. It costs CPU on a small machine: its runs are not for the record.
 */
final class WaitSampler {
    /** One sample line of one instance, taken at {@code at} ({@link System#nanoTime()}); {@code writer}: the writer's backend's wait there. */
    record Sample(long at, String instance, String line, String writer) {
    }

    private static final String ACTIVE = "SELECT pid, backend_type, coalesce(application_name, ''), coalesce(wait_event_type, '-'),"
            + " coalesce(wait_event, '-'), coalesce(state, ''), left(regexp_replace(query, '\\s+', ' ', 'g'), 60)"
            + " FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
            + " AND (state IN ('active', 'idle in transaction') OR (backend_type <> 'client backend' AND wait_event_type IS DISTINCT FROM 'Activity'))";

    private final List<InstanceReport> instances;
    private final String database;
    private final long intervalNanos;
    private final Thread thread;
    private final List<Sample> samples = new ArrayList<>();
    private volatile boolean stopping;

    WaitSampler(List<InstanceReport> instances, String database, long intervalNanos) {
        this.instances = List.copyOf(instances);
        this.database = database;
        this.intervalNanos = intervalNanos;
        this.thread = new Thread(this::run, "wait-sampler");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    List<Sample> stop() throws InterruptedException {
        stopping = true;
        thread.join();
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** Prints the samples taken from {@code from} to {@code to}, each with its time relative to {@code origin} in ms. */
    static void print(List<Sample> samples, long origin, long from, long to) {
        for (Sample sample : samples) {
            if (sample.at() >= from && sample.at() <= to) {
                System.out.printf("      %+7.1f ms %s %s%n", (sample.at() - origin) / 1e6, sample.instance(), sample.line());
            }
        }
    }

    private void run() {
        List<Connection> connections = new ArrayList<>();
        try {
            for (InstanceReport instance : instances) {
                connections.add(BenchSql.connect(instance, database, "shardman-bench-sampler"));
            }
            while (!stopping) {
                long next = System.nanoTime() + intervalNanos;
                for (int index = 0; index < connections.size(); index++) {
                    sample(connections.get(index), instances.get(index).name());
                }
                LockSupport.parkNanos(next - System.nanoTime());
            }
        } catch (SQLException failed) {
            System.out.println("  wait sampler stopped: " + failed.getMessage());
        } finally {
            for (Connection connection : connections) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // diagnosis only
                }
            }
        }
    }

    private void sample(Connection connection, String instance) throws SQLException {
        long at = System.nanoTime();
        StringBuilder line = new StringBuilder();
        String writer = "";
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(ACTIVE)) {
            while (row.next()) {
                String application = row.getString(3);
                if (application.equals("shardman-bench-writer") || application.startsWith("shardman-fdw:w1")) {
                    writer += row.getString(4) + ":" + row.getString(5) + "/" + row.getString(6) + " ";
                }
                line.append(String.format("[%d %s/%s %s:%s %s %s] ", row.getInt(1), row.getString(2), row.getString(3), row.getString(4),
                        row.getString(5), row.getString(6), row.getString(7)));
            }
        }
        synchronized (samples) {
            samples.add(new Sample(at, instance, line.toString(), writer.trim()));
        }
    }
}
