package dev.shardman.cli.monitor;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.monitor.MetricsServer;
import dev.shardman.applier.monitor.Monitor;
import dev.shardman.applier.monitor.MonitorEvent;
import dev.shardman.applier.monitor.MonitorMetrics;
import dev.shardman.applier.monitor.MonitorOptions;
import dev.shardman.applier.monitor.NodeDownResponder;
import dev.shardman.applier.monitor.PollResult;
import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.cli.testkit.StoppedWorker;
import dev.shardman.cli.testkit.WorkerSql;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code /metrics} scraped and parsed for a known state: the example tables on two workers (redundancy 1: a channel
 * each way, and the shared table's), a shardman-prepared transaction on w1 and an idle slot on w1. Then w2 is frozen (SIGSTOP): the poll
 * reports it down at once and {@code shardman_node_up} says 0; resumed, it is reported up again.
 */
@LocalClusterTest(workers = 2)
class MonitorMetricsIT {
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(3);

    @TempDir
    Path directory;

    @Test
    void metricsDescribeAKnownStateAndANodeGoingDown(TestCluster cluster) throws Exception {
        Path spec = ClusterSpecFiles.example(cluster, directory, 2);
        CliRun apply = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, apply.exitCode(), apply.out() + apply.err());
        WorkerSql.execute(cluster, 1, "SELECT pg_create_logical_replication_slot('monitorit_idle', 'pgoutput')");
        try (Connection prepared = cluster.connect(cluster.worker(1))) {
            prepare(prepared);
            try {
                scrapeAndStop(cluster);
            } finally {
                WorkerSql.execute(cluster, 1, "ROLLBACK PREPARED 'shardman_monitorit_w1'");
                WorkerSql.execute(cluster, 1, "SELECT pg_drop_replication_slot('monitorit_idle')");
            }
        }
    }

    private void scrapeAndStop(TestCluster cluster) throws Exception {
        ConnectionFactory factory = ConnectionFactory.fromEnvironment(Monitor.APPLICATION_NAME).withNodeTimeout(NODE_TIMEOUT);
        MonitorMetrics metrics = new MonitorMetrics();
        try (Monitor monitor = new Monitor(factory, cluster.conninfo(cluster.shardlord()),
                new MonitorOptions(Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofSeconds(30)), NodeDownResponder.reportOnly());
             MetricsServer server = MetricsServer.start(0, metrics)) {
            Map<String, Double> scraped = awaitStreaming(monitor, metrics, server);
            assertEquals(1.0, scraped.get("shardman_monitor_active"));
            assertEquals(1.0, scraped.get("shardman_shardlord_up"));
            assertEquals(1.0, scraped.get("shardman_node_up{node=\"w1\"}"));
            assertEquals(1.0, scraped.get("shardman_node_up{node=\"w2\"}"));
            assertTrue(scraped.get("shardman_node_poll_latency_seconds{node=\"w1\"}") > 0, scraped.toString());
            assertEquals(1.0, scraped.get("shardman_prepared_transactions{node=\"w1\"}"));
            assertEquals(0.0, scraped.get("shardman_prepared_transactions{node=\"w2\"}"));
            assertTrue(scraped.get("shardman_prepared_transaction_oldest_age_seconds{node=\"w1\"}") >= 0, scraped.toString());
            assertEquals(1.0, scraped.get("shardman_replication_slot_inactive{node=\"w1\",slot=\"monitorit_idle\"}"));
            assertTrue(scraped.get("shardman_replication_slot_retained_wal_bytes{node=\"w1\",slot=\"monitorit_idle\"}") >= 0);
            assertEquals(0.0, scraped.get("shardman_replication_slot_inactive{node=\"w1\",slot=\"shardman_sub_1_2\"}"), scraped.toString());
            assertTrue(scraped.containsKey("shardman_replication_lag_bytes{destination=\"w2\",source=\"w1\",subscription=\"shardman_sub_1_2\"}"),
                    scraped.toString());
            assertEquals(0.0, scraped.get("shardman_moves_in_progress"));
            assertEquals(1.0, scraped.get("shardman_last_apply_success"));
            double lastApply = scraped.get("shardman_last_apply_timestamp_seconds");
            assertTrue(Math.abs(Instant.now().getEpochSecond() - lastApply) < 3600, "last apply at " + lastApply);
            assertEquals(0.0, scraped.get("shardman_deadlocks_detected_total"));
            assertEquals(0.0, scraped.get("shardman_deadlocks_resolved_total"));
            assertEquals(0.0, scraped.get("shardman_failovers_total"));
            scraped.entrySet().stream().filter(sample -> sample.getKey().startsWith("shardman_replication_lag_seconds{"))
                    .forEach(sample -> assertTrue(sample.getValue() >= 0, sample.toString()));
            assertTrue(scraped.get("shardman_cluster_serial") > 0);

            StoppedWorker stopped = StoppedWorker.stop(cluster, 2);
            try {
                PollResult down = monitor.poll();
                metrics.record(down);
                assertTrue(down.events().stream().anyMatch(event -> event.kind() == MonitorEvent.Kind.NODE_DOWN
                        && event.node().equals(java.util.Optional.of("w2"))), down.events().toString());
                Map<String, Double> whileDown = scrape(server);
                assertEquals(0.0, whileDown.get("shardman_node_up{node=\"w2\"}"));
                assertEquals(1.0, whileDown.get("shardman_node_up{node=\"w1\"}"));
            } finally {
                stopped.resume();
            }
            PollResult up = monitor.poll();
            assertTrue(up.events().stream().anyMatch(event -> event.kind() == MonitorEvent.Kind.NODE_UP
                    && event.node().equals(java.util.Optional.of("w2"))), up.events().toString());
        }
    }

    private static void prepare(Connection connection) throws Exception {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
            statement.execute("PREPARE TRANSACTION 'shardman_monitorit_w1'");
        }
        connection.setAutoCommit(true);
    }

    /** Polls until the three channels (w1 → w2, w2 → w1, the shared table's w1 → w2) stream (the subscriptions start asynchronously after apply), then scrapes. */
    private static Map<String, Double> awaitStreaming(Monitor monitor, MonitorMetrics metrics, MetricsServer server) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            metrics.record(monitor.poll());
            Map<String, Double> scraped = scrape(server);
            List<Double> channels = scraped.entrySet().stream()
                    .filter(entry -> entry.getKey().startsWith("shardman_replication_channel_streaming{")).map(Map.Entry::getValue).toList();
            if (channels.size() == 3 && channels.stream().allMatch(value -> value == 1.0)) {
                return scraped;
            }
            if (System.nanoTime() > deadline) {
                fail("the channels never streamed: " + scraped);
            }
            Thread.sleep(500);
        }
    }

    /** {@code name{labels}} → value of every sample; HELP and TYPE lines checked to precede each family. */
    private static Map<String, Double> scrape(MetricsServer server) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/metrics")).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        Map<String, Double> samples = new TreeMap<>();
        List<String> typed = new java.util.ArrayList<>();
        for (String line : response.body().split("\n")) {
            if (line.startsWith("# TYPE ")) {
                typed.add(line.split(" ")[2]);
            } else if (!line.startsWith("#") && !line.isBlank()) {
                int space = line.lastIndexOf(' ');
                String name = line.substring(0, space);
                String family = name.contains("{") ? name.substring(0, name.indexOf('{')) : name;
                assertTrue(typed.contains(family), "no TYPE line before " + line);
                samples.put(name, Double.parseDouble(line.substring(space + 1)));
            }
        }
        return samples;
    }
}
