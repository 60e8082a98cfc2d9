package dev.shardman.cli.docs;

import dev.shardman.localcluster.LocalClusterConfig;
import dev.shardman.localcluster.junit.TestCluster;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The convention of the runnable docs (docs/README.md): they are written for the demo cluster, whose shardlord listens on
 * 17430 and worker wN on 1743N, database {@code postgres}; a test runs them on its own servers and database instead.
 */
public final class DemoAddresses {
    /** The demo's ports share all digits but the last with its base port (17430 to 17439). */
    private static final Pattern DEMO_PORT = Pattern.compile("\\b" + LocalClusterConfig.DEFAULT_BASE_PORT / 10 + "(\\d)\\b");

    private final TestCluster cluster;

    public DemoAddresses(TestCluster cluster) {
        this.cluster = cluster;
    }

    /** {@code text} with each demo port replaced by the test server's, and {@code dbname=postgres} by the test's database. */
    public String localize(String text) {
        Matcher matcher = DEMO_PORT.matcher(text);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            int instance = Integer.parseInt(matcher.group(1));
            if (instance >= cluster.instances().size()) {
                throw new AssertionError("port " + matcher.group() + ": the test cluster has no instance " + instance);
            }
            matcher.appendReplacement(result, Integer.toString(cluster.instances().get(instance).port()));
        }
        matcher.appendTail(result);
        return result.toString().replace("dbname=postgres", "dbname=" + cluster.database());
    }
}
