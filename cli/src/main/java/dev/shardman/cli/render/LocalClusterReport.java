package dev.shardman.cli.render;

import dev.shardman.localcluster.ClusterStatus;
import dev.shardman.localcluster.DownResult;
import dev.shardman.localcluster.InstanceReport;
import dev.shardman.localcluster.InstanceStatus;
import dev.shardman.localcluster.InstanceStop;
import dev.shardman.localcluster.LocalClusterConfig;
import dev.shardman.localcluster.StopOutcome;
import dev.shardman.localcluster.UpResult;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Text and JSON renderings of {@code local up|status|down}. */
public final class LocalClusterReport {
    private static final String UP_ROW = "  %-10s %-17s %-16s %s%n";
    private static final String STATUS_ROW = "  %-10s %-17s %-8s %-8s %s%n";

    private LocalClusterReport() {
    }

    public static void printUp(UpResult result, PrintWriter out) {
        if (result.alreadyRunning()) {
            out.printf("The local cluster in %s is already running; nothing changed.%n", result.directory());
        } else {
            out.printf("Local cluster in %s (%s):%n", result.directory(), result.postgresMajor());
        }
        out.printf(UP_ROW, "NAME", "ADDRESS", "STATE", "VERSION");
        for (InstanceReport instance : result.instances()) {
            String state = switch (instance.outcome()) {
                case STARTED -> "started";
                case ALREADY_RUNNING -> "already running";
            };
            out.printf(UP_ROW, instance.name(), "127.0.0.1:" + instance.port(), state, instance.serverVersion());
        }
        int firstWorkerPort = result.instances().size() > 1 ? result.instances().get(1).port() : 0;
        out.printf("%nConnect: psql -h 127.0.0.1 -p %d -U postgres%n", firstWorkerPort);
        out.println("Stop:    shardman local down" + directoryArgument(result.directory()));
        printAdded(result, out);
    }

    /** The spec entries of the workers up added: they are servers only until the spec names them and apply runs. */
    private static void printAdded(UpResult result, PrintWriter out) {
        if (result.addedWorkers().isEmpty()) {
            return;
        }
        boolean single = result.addedWorkers().size() == 1;
        out.printf("%nAdded %s. To make %s of the cluster, add %s to the spec's nodes and run plan, then apply"
                + " (partitions move onto %s):%n", String.join(", ", result.addedWorkers()), single ? "it a node" : "them nodes",
                single ? "it" : "them", single ? "it" : "them");
        for (InstanceReport instance : result.added()) {
            out.printf("  - name: %s%n", instance.name());
            out.printf("    super_conninfo: \"%s\"%n", instance.conninfo());
            out.println("    replication_group: rg1   # the group of examples/cluster.yaml; use your spec's");
        }
    }

    public static void printStatus(ClusterStatus status, PrintWriter out) {
        if (status.instances().isEmpty()) {
            out.printf("No local cluster in %s; start one with: shardman local up%n", status.directory());
            return;
        }
        out.printf("Local cluster in %s (%s):%n", status.directory(), status.postgresMajor());
        out.printf(STATUS_ROW, "NAME", "ADDRESS", "STATE", "PID", "VERSION");
        for (InstanceStatus instance : status.instances()) {
            out.printf(STATUS_ROW, instance.name(), "127.0.0.1:" + instance.port(),
                    instance.running() ? "running" : "stopped",
                    instance.pid().isPresent() ? Long.toString(instance.pid().getAsLong()) : "-",
                    instance.serverVersion());
        }
    }

    public static void printDown(DownResult result, PrintWriter out) {
        if (result.instances().isEmpty() || result.alreadyStopped()) {
            out.printf("No server of the local cluster in %s is running; nothing changed.%n", result.directory());
            return;
        }
        for (InstanceStop instance : result.instances()) {
            if (instance.outcome() == StopOutcome.STOPPED) {
                out.printf("  stopped %-10s (port %d, pid %d)%n", instance.name(), instance.port(),
                        instance.pid().orElse(0));
            }
        }
        out.printf("The local cluster in %s is stopped; its data is kept (start it again with: shardman local up).%n",
                result.directory());
    }

    public static Map<String, Object> upJson(UpResult result) {
        Map<String, Object> json = header(result.directory().toString(), result.postgresMajor().number());
        json.put("already_running", result.alreadyRunning());
        json.put("added_workers", result.addedWorkers());
        json.put("instances", result.instances().stream().map(instance -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", instance.name());
            entry.put("host", "127.0.0.1");
            entry.put("port", instance.port());
            entry.put("outcome", instance.outcome().name().toLowerCase(Locale.ROOT));
            entry.put("server_version", instance.serverVersion());
            entry.put("conninfo", instance.conninfo());
            return entry;
        }).toList());
        return json;
    }

    public static Map<String, Object> statusJson(ClusterStatus status) {
        Map<String, Object> json = header(status.directory().toString(), status.postgresMajor().number());
        List<Map<String, Object>> instances = status.instances().stream().map(instance -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", instance.name());
            entry.put("host", "127.0.0.1");
            entry.put("port", instance.port());
            entry.put("running", instance.running());
            entry.put("pid", instance.pid().isPresent() ? instance.pid().getAsLong() : null);
            entry.put("server_version", instance.serverVersion());
            return entry;
        }).toList();
        json.put("instances", instances);
        return json;
    }

    private static Map<String, Object> header(String directory, int postgresMajor) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format_version", "1");
        json.put("directory", directory);
        json.put("postgres_major", postgresMajor);
        return json;
    }

    private static String directoryArgument(Path directory) {
        boolean isDefault = directory.toAbsolutePath().normalize()
                .equals(LocalClusterConfig.DEFAULT_DIRECTORY.toAbsolutePath().normalize());
        return isDefault ? "" : " --dir " + directory;
    }
}
