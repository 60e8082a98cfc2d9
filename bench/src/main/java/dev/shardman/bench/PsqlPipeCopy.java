package dev.shardman.bench;

import dev.shardman.localcluster.InstanceReport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A second reference beside {@link RawCopy}, with no JVM on the data path: {@code psql -c "COPY (...) TO STDOUT"}
 * piped by the shell into {@code psql -c "COPY ... FROM STDIN"}, timed from the start of the pipeline to its
 * end (both psql start-ups included, a few milliseconds). Only when a {@code psql} is on the PATH (any version
 * that speaks the COPY protocol; the embedded servers come without client tools).
 */
final class PsqlPipeCopy {
    private PsqlPipeCopy() {
    }

    static Optional<String> psql() {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(directory, "psql");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }

    /** Returns the nanoseconds the pipeline took; fails with psql's messages when either side fails. */
    static long copy(String psql, InstanceReport source, String copyOutSql, InstanceReport destination, String copyInSql, String database)
            throws IOException, InterruptedException {
        String pipeline = "set -o pipefail; " + side(psql, source, database, copyOutSql) + " | " + side(psql, destination, database, copyInSql);
        ProcessBuilder builder = new ProcessBuilder(List.of("bash", "-c", pipeline)).redirectErrorStream(true);
        builder.environment().put("PGAPPNAME", "shardman-bench");
        long started = System.nanoTime();
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        long took = System.nanoTime() - started;
        if (exit != 0) {
            throw new IllegalStateException("the psql pipe failed (exit " + exit + "): " + output);
        }
        return took;
    }

    private static String side(String psql, InstanceReport instance, String database, String sql) {
        return psql + " -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -p " + instance.port() + " -U postgres -d " + database + " -c \"" + sql + "\"";
    }
}
