package dev.shardman.bench.chaos;

import dev.shardman.localcluster.LocalCluster;
import dev.shardman.localcluster.LocalClusterConfig;
import dev.shardman.localcluster.FreePorts;
import dev.shardman.localcluster.LocalClusterException;
import dev.shardman.localcluster.PostgresMajorVersion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A stopped local cluster made once per suite run (initdb of six instances costs most of a cluster's start on this
 * machine) and copied for every round, so that each round still gets fresh servers in its own directory. Its base port
 * is a free block found by {@link FreePorts} (below the ephemeral range, where client sockets took a round's port between
 * rounds for over a minute when a test suite ran beside) and kept for every round: the copy's {@code cluster.json} records it.
 */
record ClusterTemplate(Path directory, int basePort, int workers) {
    private static final int ATTEMPTS = 5;

    static ClusterTemplate create(Path directory, int workers) throws IOException {
        LocalClusterException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Path attemptDirectory = directory.resolve("template-" + attempt);
            int basePort = FreePorts.findBlock(workers + 1);
            try {
                new LocalCluster().up(config(attemptDirectory, basePort, workers));
                new LocalCluster().down(attemptDirectory);
                return new ClusterTemplate(attemptDirectory, basePort, workers);
            } catch (LocalClusterException e) {
                last = e;
                new LocalCluster().down(attemptDirectory);
            }
        }
        throw new IOException("no local cluster started in " + ATTEMPTS + " attempts (ports taken?)", last);
    }

    /** A stopped copy of the template in {@code target}, ready for {@link LocalCluster#up}. */
    LocalClusterConfig copyTo(Path target) throws IOException {
        try {
            Process copy = new ProcessBuilder("cp", "-a", directory.toString(), target.toString()).redirectErrorStream(true).start();
            String output = new String(copy.getInputStream().readAllBytes());
            if (copy.waitFor() != 0) {
                throw new IOException("cp -a " + directory + " " + target + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while copying the template cluster", e);
        }
        return config(target, basePort, workers);
    }

    /** Deletes the template (stopped since {@link #create}). */
    void delete() throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static LocalClusterConfig config(Path directory, int basePort, int workers) {
        return new LocalClusterConfig(directory, workers, PostgresMajorVersion.DEFAULT, basePort);
    }
}
