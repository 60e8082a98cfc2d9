package dev.shardman.bench;

import dev.shardman.applier.execute.ApplyEngine;
import dev.shardman.applier.move.MoveReport;
import dev.shardman.localcluster.InstanceReport;
import dev.shardman.localcluster.LocalCluster;
import dev.shardman.localcluster.LocalClusterConfig;
import dev.shardman.localcluster.PostgresMajorVersion;
import dev.shardman.localcluster.UpResult;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.SpecLoader;
import dev.shardman.model.state.ClusterState;
import dev.shardman.planner.Plan;
import dev.shardman.planner.PlanOptions;
import dev.shardman.planner.graph.PlannedStep;
import dev.shardman.planner.Planner;
import dev.shardman.planner.StateProjection;
import dev.shardman.planner.step.MovePrimary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The move benchmark (issue 6, "Performance"): one partition of about {@code sizeMiB} MiB moved w1 → w2 by
 * {@code shardman apply} ({@link ApplyEngine}), against the raw floor of the same rows piped by COPY ({@link RawCopy},
 * and {@link PsqlPipeCopy} when psql is installed), with a {@link PacedWriter} client writing through w1's parent the
 * whole time (gaps, errors, latency per phase, every acknowledged write checked). {@link MoveReport} gives the copy time
 * and the write fence; {@code BENCH_SAMPLE_WAITS=1} adds a {@link WaitSampler}. Method: docs/internals/benchmarks.md,
 * "Move benchmark".
 *
 * <p>Usage: {@code bench/run-move.sh [sizeMiB rounds basePort]} (defaults 1024 1 56450; ports basePort..basePort+2).
 */
public final class MoveBenchmark {
    static final String TABLE = "bench_move";
    static final int PARTITIONS = 2;
    static final Duration WRITE_INTERVAL = Duration.ofMillis(5);
    /** Ids for the writer: far above the loaded ones; 200,000 writes are 1,000 s at one per 5 ms. */
    static final long WRITER_FIRST_ID = 1_000_000_000_000L;
    static final int WRITER_IDS = 200_000;
    /** The calibration's ids (deleted before the move) and how long it holds the lock. */
    static final long CALIBRATION_FIRST_ID = 2_000_000_000_000L;
    static final Duration CALIBRATION_LOCK = Duration.ofMillis(100);
    /**
     * How much shorter than the lock the calibration's gap may be: the write the lock waited for is acknowledged to the
     * writer a little after the lock is granted (a loaded machine measured 98.1 ms against the 100 ms lock).
     */
    static final Duration CALIBRATION_SLACK = Duration.ofMillis(10);
    /** How often {@code BENCH_SAMPLE_WAITS=1} samples the workers' wait events. */
    static final Duration SAMPLE_INTERVAL = Duration.ofMillis(5);
    private static final String APPLICATION_NAME = "shardman-bench";
    /** The floors' destination: the partition's columns and primary key (the move's copy has them too). */
    private static final String RAW_TABLE = "CREATE TABLE bench_raw (id bigint NOT NULL PRIMARY KEY, payload text NOT NULL DEFAULT '')";

    private MoveBenchmark() {
    }

    /** One round's figures; {@code moveError} says why the move did not run (then {@code report} is empty). */
    record Round(long rows, long tableBytes, long totalBytes, RawCopy.Result raw, Optional<Long> psqlNanos, long applyNanos, Optional<MoveReport> report,
                 Optional<String> moveError, PacedWriter.Result writer, String gapPhase, long longestGapInMoveNanos, long longestGapInSwitchNanos,
                 long rowsLost) {
    }

    /** The longest of {@code gaps} that overlaps {@code window} (start and end, nanoTime), if any (only gaps of 20 ms or more are kept). */
    private static Optional<PacedWriter.Gap> longestGapIn(List<PacedWriter.Gap> gaps, long[] window) {
        return gaps.stream().filter(gap -> gap.endedAt() >= window[0] && gap.startedAt() <= window[1])
                .max(Comparator.comparingLong(PacedWriter.Gap::nanos));
    }

    public static void main(String[] arguments) throws Exception {
        long sizeMiB = arguments.length > 0 ? Long.parseLong(arguments[0]) : 1024;
        int rounds = arguments.length > 1 ? Integer.parseInt(arguments[1]) : 1;
        int basePort = arguments.length > 2 ? Integer.parseInt(arguments[2]) : 56450;
        Path directory = Files.createTempDirectory("shardman-move-bench");
        LocalCluster local = new LocalCluster();
        try {
            UpResult cluster = local.up(new LocalClusterConfig(directory, 2, PostgresMajorVersion.DEFAULT, basePort));
            List<InstanceReport> instances = cluster.instances();
            boolean logLocks = System.getenv("BENCH_LOG_LOCKS") != null;
            if (logLocks) {
                // Diagnosis aid: lock waits longer than deadlock_timeout (1 s) and deadlocks, printed from the server logs at the end.
                for (InstanceReport instance : instances) {
                    BenchSql.execute(instance, "postgres", "ALTER SYSTEM SET log_lock_waits = on");
                    BenchSql.execute(instance, "postgres", "SELECT pg_reload_conf()");
                }
            }
            System.out.printf("cluster: PostgreSQL %s, shardlord + 2 workers under %s; partition target %d MiB, %d round(s), a write every %d ms%n",
                    instances.get(0).serverVersion(), directory, sizeMiB, rounds, WRITE_INTERVAL.toMillis());
            List<Round> results = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                Round result = round(instances, round, sizeMiB << 20);
                results.add(result);
                if (result.moveError().isPresent()) {
                    break;
                }
            }
            MoveSummary.print(results);
            if (logLocks) {
                printLockLines(instances);
            }
        } finally {
            local.down(directory);
            deleteRecursively(directory);
        }
    }

    private static Round round(List<InstanceReport> instances, int round, long sizeBytes) throws Exception {
        InstanceReport source = instances.get(1);
        InstanceReport destination = instances.get(2);
        String database = "bench_move_" + round;
        for (InstanceReport instance : instances) {
            BenchSql.execute(instance, "postgres", "CREATE DATABASE " + database);
        }
        try {
            ClusterSpec before = spec(instances, database, 1);
            ClusterSpec after = spec(instances, database, 2);
            MovePrimary move = plannedMove(before, after);
            int index = move.unit().index();
            String partition = move.unit().name();
            System.out.printf("round %d: %s will move %s -> %s%n", round, partition, move.from(), move.to());
            engine().apply(before, PlanOptions.DEFAULTS, Optional.empty(), new MoveListener(List.of()));

            long started = System.nanoTime();
            long rows = PartitionLoader.load(source, database, TABLE, PARTITIONS, index, sizeBytes);
            BenchSql.execute(source, database, "VACUUM (ANALYZE) " + partition);
            long tableBytes = BenchSql.queryLong(source, database, "SELECT pg_table_size('" + partition + "')");
            long totalBytes = BenchSql.queryLong(source, database, "SELECT pg_total_relation_size('" + partition + "')");
            System.out.printf("  loaded %,d rows into %s on w1 in %.1f s: table %d MiB, with its primary key %d MiB%n", rows, partition,
                    (System.nanoTime() - started) / 1e9, tableBytes >> 20, totalBytes >> 20);

            // The two floors take turns at going first (the second one finds more of the partition in the page cache).
            Optional<Long> psqlNanos = Optional.empty();
            if (round % 2 == 0) {
                psqlNanos = psqlCopy(source, destination, database, partition, rows);
            }
            RawCopy.Result raw = rawCopy(source, destination, database, partition);
            if (raw.rows() != rows) {
                throw new IllegalStateException("the raw copy copied " + raw.rows() + " rows of " + rows);
            }
            System.out.printf("  raw COPY w1 -> w2 (pgjdbc pipe): %,d rows, %d MiB of text, %.1f s: %.1f MiB/s of table%n", raw.rows(), raw.bytes() >> 20,
                    raw.nanos() / 1e9, mibPerSecond(tableBytes, raw.nanos()));
            if (round % 2 == 1) {
                psqlNanos = psqlCopy(source, destination, database, partition, rows);
            }

            calibrateWriter(source, database, move.unit().index(), partition);
            checkpoint(instances, database);
            return moveWithWriter(instances, database, after, move, rows, tableBytes, totalBytes, raw, psqlNanos);
        } finally {
            for (InstanceReport instance : instances) {
                BenchSql.execute(instance, "postgres", "DROP DATABASE " + database + " WITH (FORCE)");
            }
        }
    }

    private static Round moveWithWriter(List<InstanceReport> instances, String database, ClusterSpec after, MovePrimary move, long rows,
                                        long tableBytes, long totalBytes, RawCopy.Result raw, Optional<Long> psqlNanos) throws Exception {
        InstanceReport source = instances.get(1);
        InstanceReport destination = instances.get(2);
        String partition = move.unit().name();
        long[] ids = writerIds(source, database, move.unit().index(), WRITER_FIRST_ID, WRITER_IDS);
        MoveListener listener = new MoveListener(List.of(move.id().value()));
        PacedWriter writer = new PacedWriter(BenchSql.url(source, database, "shardman-bench-writer"),
                "INSERT INTO " + TABLE + " (id, payload) VALUES (?, 'paced')", ids, WRITE_INTERVAL);
        Optional<String> moveError = Optional.empty();
        Optional<WaitSampler> sampler = System.getenv("BENCH_SAMPLE_WAITS") == null ? Optional.empty()
                : Optional.of(new WaitSampler(List.of(source, destination), database, SAMPLE_INTERVAL.toNanos()));
        sampler.ifPresent(WaitSampler::start);
        writer.start();
        long started = System.nanoTime();
        try {
            engine().apply(after, PlanOptions.DEFAULTS, Optional.empty(), listener);
        } catch (RuntimeException failed) {
            moveError = Optional.of(failed.getClass().getSimpleName() + ": " + failed.getMessage());
            System.out.println("  the move did not run: " + moveError.get());
        }
        long applyNanos = System.nanoTime() - started;
        PacedWriter.Result written = writer.stop();
        List<WaitSampler.Sample> samples = sampler.isPresent() ? sampler.get().stop() : List.of();
        if (written.writes() == ids.length) {
            System.out.println("  WARNING: the writer ran out of ids: its last gaps are not measured");
        }
        String gapPhase = listener.phasesDuring(written.longest());
        Optional<PacedWriter.Gap> moveGap = longestGapIn(written.notableGaps(), listener.moveWindow());
        Optional<PacedWriter.Gap> switchGap = longestGapIn(written.notableGaps(), listener.switchWindow());
        long rowsLost = 0;
        if (moveError.isEmpty()) {
            rowsLost = rows + written.writes() - BenchSql.queryLong(destination, database, "SELECT count(*) FROM " + partition);
            String kind = BenchSql.queryString(destination, database, "SELECT relkind::text || relispartition::text FROM pg_class WHERE relname = '"
                    + partition + "'");
            if (!kind.equals("rtrue")) {
                throw new IllegalStateException(partition + " on w2 is not an attached local table after the move (relkind, relispartition = " + kind + ")");
            }
        }
        System.out.printf("  apply %.1f s; writer: %,d writes, %d errors %s, longest gap %.1f ms (%s)%s%n", applyNanos / 1e9, written.writes(),
                written.errors(), written.firstErrors(), written.longest().nanos() / 1e6, gapPhase,
                moveError.isEmpty() ? ", rows lost " + rowsLost : "");
        List<PacedWriter.Gap> long50 = written.notableGaps().stream().filter(gap -> gap.nanos() >= 50_000_000).toList();
        System.out.println("  gaps of 20 ms or more: " + written.notableGaps().size() + "; of 50 ms or more: " + long50.stream()
                .map(gap -> String.format("%.0f ms (%s, its last write %.0f ms)", gap.nanos() / 1e6, listener.phasesDuring(gap),
                        gap.lastWriteNanos() / 1e6)).toList());
        printPhaseLatencies(written, listener, samples);
        if (sampler.isPresent()) {
            printWaits(written.notableGaps(), samples, listener);
        }
        return new Round(rows, tableBytes, totalBytes, raw, psqlNanos, applyNanos, listener.report(), moveError, written, gapPhase,
                moveGap.map(PacedWriter.Gap::nanos).orElse(0L), switchGap.map(PacedWriter.Gap::nanos).orElse(0L), rowsLost);
    }

    /**
     * Per phase: the writes, their median, 99th percentile and longest latency, and (with the sampler) the wait events of
     * the writer's backends on w1 and w2 seen while a write of 20 ms or more was in flight.
     */
    private static void printPhaseLatencies(PacedWriter.Result written, MoveListener listener, List<WaitSampler.Sample> samples) {
        Map<String, List<Long>> latencies = new LinkedHashMap<>();
        Map<String, Map<String, Integer>> waits = new LinkedHashMap<>();
        int next = 0;
        for (int write = 0; write < written.starts().length; write++) {
            long start = written.starts()[write];
            long end = written.ends()[write];
            String phase = listener.phaseAt(start);
            latencies.computeIfAbsent(phase, key -> new ArrayList<>()).add(end - start);
            while (next < samples.size() && samples.get(next).at() < start) {
                next++;
            }
            if (end - start < 20_000_000) {
                continue;
            }
            for (int index = next; index < samples.size() && samples.get(index).at() <= end; index++) {
                WaitSampler.Sample sample = samples.get(index);
                String wait = sample.instance() + " " + (sample.writer().isEmpty() ? "(not seen)" : sample.writer());
                waits.computeIfAbsent(phase, key -> new TreeMap<>()).merge(wait, 1, Integer::sum);
            }
        }
        latencies.forEach((phase, values) -> {
            List<Long> sorted = values.stream().sorted().toList();
            System.out.printf("    writes in %s: %d, latency median %.1f ms, p99 %.1f ms, max %.1f ms, >= 20 ms: %d; waits during those: %s%n", phase,
                    sorted.size(), sorted.get(sorted.size() / 2) / 1e6, sorted.get(Math.min(sorted.size() - 1, sorted.size() * 99 / 100)) / 1e6,
                    sorted.get(sorted.size() - 1) / 1e6, sorted.stream().filter(value -> value >= 20_000_000).count(), waits.getOrDefault(phase, Map.of()));
        });
    }

    /** The wait samples taken during the three longest gaps (and 10 ms before each), with the phases and the writer's last write. */
    private static void printWaits(List<PacedWriter.Gap> gaps, List<WaitSampler.Sample> samples, MoveListener listener) {
        List<PacedWriter.Gap> longest = gaps.stream().sorted(Comparator.comparingLong(PacedWriter.Gap::nanos).reversed()).limit(3).toList();
        for (PacedWriter.Gap gap : longest) {
            System.out.printf("    gap %.1f ms (%s), its last write took %.1f ms; wait samples:%n", gap.nanos() / 1e6, listener.phasesDuring(gap),
                    gap.lastWriteNanos() / 1e6);
            WaitSampler.print(samples, gap.startedAt(), gap.startedAt() - 10_000_000, gap.endedAt());
        }
    }

    /** The one primary move that adding w2 plans (computed offline, as the live apply will plan it from the state w1 alone leads to). */
    private static MovePrimary plannedMove(ClusterSpec before, ClusterSpec after) {
        Plan first = Planner.plan(before, ClusterState.empty(), PlanOptions.DEFAULTS);
        Plan second = Planner.plan(after, StateProjection.project(ClusterState.empty(), first), PlanOptions.DEFAULTS);
        List<MovePrimary> moves = second.steps().stream().map(PlannedStep::step).filter(MovePrimary.class::isInstance).map(MovePrimary.class::cast)
                .toList();
        if (moves.size() != 1 || !moves.get(0).from().equals("w1") || !moves.get(0).to().equals("w2")) {
            throw new IllegalStateException("adding w2 should move exactly one partition from w1 to w2, the plan moves " + moves);
        }
        return moves.get(0);
    }

    private static RawCopy.Result rawCopy(InstanceReport source, InstanceReport destination, String database, String partition) throws Exception {
        BenchSql.execute(destination, database, RAW_TABLE);
        checkpoint(List.of(source, destination), database);
        try (Connection from = BenchSql.connect(source, database, APPLICATION_NAME);
             Connection to = BenchSql.connect(destination, database, APPLICATION_NAME)) {
            return RawCopy.copy(from, "COPY (SELECT id, payload FROM " + partition + ") TO STDOUT", to, "COPY bench_raw (id, payload) FROM STDIN");
        } finally {
            BenchSql.execute(destination, database, "DROP TABLE bench_raw");
        }
    }

    /**
     * Checks the instrument before trusting it: the writer runs for a second while the partition is locked for
     * {@link #CALIBRATION_LOCK} on w1, and its longest gap must be at least that long, less {@link #CALIBRATION_SLACK}. Its rows are
     * deleted after.
     */
    private static void calibrateWriter(InstanceReport source, String database, int index, String partition) throws Exception {
        long[] ids = writerIds(source, database, index, CALIBRATION_FIRST_ID, 1000);
        PacedWriter writer = new PacedWriter(BenchSql.url(source, database, "shardman-bench-writer"),
                "INSERT INTO " + TABLE + " (id, payload) VALUES (?, 'calibration')", ids, WRITE_INTERVAL);
        writer.start();
        Thread.sleep(500);
        try (Connection connection = BenchSql.connect(source, database, APPLICATION_NAME); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute("LOCK TABLE " + partition + " IN EXCLUSIVE MODE");
            Thread.sleep(CALIBRATION_LOCK.toMillis());
            connection.commit();
        }
        Thread.sleep(500);
        PacedWriter.Result result = writer.stop();
        BenchSql.execute(source, database, "DELETE FROM " + partition + " WHERE id >= " + CALIBRATION_FIRST_ID);
        System.out.printf("  writer calibration: %,d writes, %d errors, longest gap %.1f ms with the partition locked for %d ms%n", result.writes(),
                result.errors(), result.longest().nanos() / 1e6, CALIBRATION_LOCK.toMillis());
        if (result.longest().nanos() < CALIBRATION_LOCK.minus(CALIBRATION_SLACK).toNanos() || result.errors() > 0) {
            throw new IllegalStateException("the writer does not measure what it should: see its calibration above");
        }
    }

    /** {@code count} ids from {@code first} on that hash to partition {@code index}. */
    /** The same copy through {@code psql | psql} (no JVM on the data path), when a psql is on the PATH. */
    private static Optional<Long> psqlCopy(InstanceReport source, InstanceReport destination, String database, String partition, long rows)
            throws Exception {
        Optional<String> psql = PsqlPipeCopy.psql();
        if (psql.isEmpty()) {
            System.out.println("  raw COPY w1 -> w2 (psql pipe): skipped, no psql on the PATH");
            return Optional.empty();
        }
        BenchSql.execute(destination, database, RAW_TABLE);
        checkpoint(List.of(source, destination), database);
        try {
            long nanos = PsqlPipeCopy.copy(psql.get(), source, "COPY (SELECT id, payload FROM " + partition + ") TO STDOUT", destination,
                    "COPY bench_raw (id, payload) FROM STDIN", database);
            long copied = BenchSql.queryLong(destination, database, "SELECT count(*) FROM bench_raw");
            if (copied != rows) {
                throw new IllegalStateException("the psql pipe copied " + copied + " rows of " + rows);
            }
            System.out.printf("  raw COPY w1 -> w2 (psql pipe, %s): %,d rows, %.1f s%n", psql.get(), copied, nanos / 1e9);
            return Optional.of(nanos);
        } finally {
            BenchSql.execute(destination, database, "DROP TABLE bench_raw");
        }
    }

    private static long[] writerIds(InstanceReport source, String database, int index, long first, int count) throws SQLException {
        long[] ids = new long[count];
        String sql = "SELECT i FROM generate_series(" + first + "::bigint, " + (first + 4L * count) + ") i"
                + " WHERE satisfies_hash_partition('public." + TABLE + "'::regclass, " + PARTITIONS + ", " + index + ", i) ORDER BY i LIMIT " + count;
        try (Connection connection = BenchSql.connect(source, database, APPLICATION_NAME); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            int found = 0;
            while (result.next()) {
                ids[found++] = result.getLong(1);
            }
            if (found != count) {
                throw new IllegalStateException("found only " + found + " writer ids of " + count);
            }
        }
        return ids;
    }

    private static void checkpoint(List<InstanceReport> instances, String database) throws SQLException {
        for (InstanceReport instance : instances) {
            BenchSql.execute(instance, database, "CHECKPOINT");
        }
    }

    private static ApplyEngine engine() {
        return ApplyEngine.fromEnvironment();
    }

    static double mibPerSecond(long bytes, long nanos) {
        return (bytes / 1048576.0) / (nanos / 1e9);
    }

    private static ClusterSpec spec(List<InstanceReport> instances, String database, int workers) {
        StringBuilder yaml = new StringBuilder("cluster: bench\nshardlord: \"" + conninfo(instances.get(0), database) + "\"\nnodes:\n");
        for (int worker = 1; worker <= workers; worker++) {
            yaml.append("  - {name: w").append(worker).append(", super_conninfo: \"").append(conninfo(instances.get(worker), database))
                    .append("\", replication_group: rg1}\n");
        }
        yaml.append("tables:\n")
                .append("  - name: ").append(TABLE).append('\n')
                .append("    type: sharded\n")
                .append("    columns:\n")
                .append("      - {name: id, type: bigint, nullable: false}\n")
                .append("      - {name: payload, type: text, nullable: false, default: \"''\"}\n")
                .append("    primary_key: [id]\n")
                .append("    sharding_key: id\n")
                .append("    partitions: ").append(PARTITIONS).append('\n');
        return SpecLoader.load("bench-move.yaml", yaml.toString(), Map.of()).spec().orElseThrow();
    }

    private static String conninfo(InstanceReport instance, String database) {
        return "host=127.0.0.1 port=" + instance.port() + " dbname=" + database + " user=postgres";
    }

    /** The server log lines about lock waits, deadlocks, lock timeouts and cancelled autovacuums, with the lines that detail them. */
    private static void printLockLines(List<InstanceReport> instances) throws IOException {
        for (InstanceReport instance : instances) {
            Path log = instance.dataDirectory().resolveSibling("postgres.log");
            if (!Files.exists(log)) {
                continue;
            }
            List<String> lines = Files.readAllLines(log);
            for (int index = 0; index < lines.size(); index++) {
                String line = lines.get(index);
                if (line.contains("still waiting") || line.contains("acquired") || line.contains("deadlock") || line.contains("lock timeout")
                        || line.contains("canceling autovacuum")) {
                    System.out.println(instance.name() + ": " + line);
                    for (int next = index + 1; next < Math.min(lines.size(), index + 5) && isDetail(lines.get(next)); next++) {
                        System.out.println(instance.name() + ":   " + lines.get(next));
                    }
                }
            }
        }
    }

    /** A continuation of the message before it: a DETAIL, CONTEXT, STATEMENT or HINT line, or a line without the log prefix. */
    private static boolean isDetail(String line) {
        return line.contains("DETAIL:") || line.contains("CONTEXT:") || line.contains("STATEMENT:") || line.contains("HINT:")
                || !line.matches("^\\d{4}-\\d{2}-\\d{2} .*");
    }

    static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
