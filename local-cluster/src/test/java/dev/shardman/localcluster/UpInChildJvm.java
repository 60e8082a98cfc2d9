package dev.shardman.localcluster;

import java.nio.file.Path;

/**
 * Runs {@code up} in a JVM of its own, so that a test can check that the servers outlive it:
 * {@code UpInChildJvm <directory> <workers> <major> <basePort>}.
 */
public final class UpInChildJvm {
    private UpInChildJvm() {
    }

    public static void main(String[] arguments) {
        LocalClusterConfig config = new LocalClusterConfig(Path.of(arguments[0]), Integer.parseInt(arguments[1]),
                PostgresMajorVersion.of(Integer.parseInt(arguments[2])), Integer.parseInt(arguments[3]));
        UpResult result = new LocalCluster().up(config);
        result.instances().forEach(instance -> System.out.println(
                instance.name() + " " + instance.port() + " " + instance.serverVersion() + " " + instance.outcome()));
    }
}
