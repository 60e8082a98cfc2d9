package dev.shardman.applier.monitor;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static java.util.Objects.requireNonNull;

/**
 * Serves {@link MonitorMetrics} on {@code GET /metrics} with the JDK's own HTTP server (module jdk.httpserver):
 * the Prometheus text format is a few lines of code ({@link PrometheusText}), lighter than a client library and its
 * registry for gauges the monitor already holds as values. Anything else is a 404.
 */
public final class MetricsServer implements AutoCloseable {
    private final HttpServer server;

    private MetricsServer(HttpServer server) {
        this.server = server;
    }

    /** Listening on {@code port} of every interface (0: a free port, see {@link #port()}). */
    public static MetricsServer start(int port, MonitorMetrics metrics) throws IOException {
        requireNonNull(metrics, "metrics is null");
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/", exchange -> respond(exchange, metrics));
        server.start();
        return new MetricsServer(server);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange exchange, MonitorMetrics metrics) throws IOException {
        try (exchange) {
            boolean found = exchange.getRequestURI().getPath().equals("/metrics") && exchange.getRequestMethod().equals("GET");
            byte[] body = (found ? metrics.render() : "not found: the metrics are on /metrics\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", found ? PrometheusText.CONTENT_TYPE : "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(found ? 200 : 404, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
