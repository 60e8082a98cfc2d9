package dev.shardman.applier.verify;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * {@code shardman verify}: compares the row count and checksum ({@link PartitionChecksum}) of every partition's primary
 * with each replica, and of every shared table's master with each copy; read-only, no lock. Each attempt waits until
 * the copies confirmed the sources' WAL position before reading them; a mismatch counts only when every attempt
 * disagreed, or, with {@code fenceWrites}, after a comparison with writes fenced ({@link FencedComparison}). The
 * guarantee: docs/internals/exec-and-verify.md, "verify: a consistent comparison".
 */
public final class Verification {
    public static final String APPLICATION_NAME = "shardman-verify";
    public static final int DEFAULT_ATTEMPTS = 3;
    public static final Duration DEFAULT_CATCH_UP_TIMEOUT = Duration.ofSeconds(10);
    private static final long POLL_MILLIS = 50;

    private final ConnectionFactory factory;
    private final int attempts;
    private final Duration catchUpTimeout;
    private final boolean fenceWrites;

    /**
     * @param fenceWrites compare each copy that still differs after {@code attempts} once more with writes to its
     *                    source blocked ({@link FencedComparison}): exact under concurrent writes, writers wait briefly
     */
    public Verification(ConnectionFactory factory, int attempts, Duration catchUpTimeout, boolean fenceWrites) {
        this.factory = requireNonNull(factory, "factory is null");
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
        }
        this.attempts = attempts;
        this.catchUpTimeout = requireNonNull(catchUpTimeout, "catchUpTimeout is null");
        this.fenceWrites = fenceWrites;
    }

    public VerificationReport verify(String cluster, ClusterState state) {
        VerificationTargets targets = VerificationTargets.of(state);
        Map<String, NodeState> live = state.nodes().stream().filter(node -> !node.lost())
                .collect(Collectors.toMap(NodeState::name, node -> node));
        Set<ReadError> errors = new LinkedHashSet<>(targets.unreadable());
        List<SourceFigure> sourceFigures = new ArrayList<>();
        Map<CopyPair, Comparison> compared = new LinkedHashMap<>();
        try (NodeSessions sessions = new NodeSessions(factory, live)) {
            CopyReads firstSources = read(sessions, targets.sources().stream().map(VerificationTargets.Source::location).toList(), true);
            errors.addAll(firstSources.errors());
            for (VerificationTargets.Source source : targets.sources()) {
                firstSources.figure(source.location()).ifPresent(figure ->
                        sourceFigures.add(new SourceFigure(source.kind(), source.table(), source.name(), source.location().node(), figure)));
            }
            List<CopyPair> pending = targets.pairs().stream().filter(pair -> firstSources.figure(pair.source()).isPresent()).toList();
            CopyReads sources = firstSources;
            for (int attempt = 1; attempt <= attempts && !pending.isEmpty(); attempt++) {
                if (attempt > 1) {
                    sources = read(sessions, pending.stream().map(CopyPair::source).distinct().toList(), true);
                    errors.addAll(sources.errors());
                }
                Map<String, String> lagging = awaitCatchUp(sessions, pending, sources.positions());
                CopyReads copies = read(sessions, pending.stream().map(CopyPair::copy).distinct().toList(), false);
                errors.addAll(copies.errors());
                List<CopyPair> again = new ArrayList<>();
                for (CopyPair pair : pending) {
                    if (sources.figure(pair.source()).isEmpty() || copies.figure(pair.copy()).isEmpty()) {
                        continue;
                    }
                    Comparison comparison = new Comparison(pair.kind(), pair.table(), pair.name(), pair.source().node(),
                            sources.figure(pair.source()).get(), pair.copy().node(), copies.figure(pair.copy()).get(), attempt,
                            lagging.getOrDefault(pair.source().node() + " " + pair.slot(), ""));
                    compared.put(pair, comparison);
                    if (!comparison.matches()) {
                        again.add(pair);
                    }
                }
                pending = again;
            }
            if (fenceWrites) {
                for (CopyPair pair : pending) {
                    fenced(sessions, pair, compared.get(pair).attempts() + 1, errors).ifPresent(comparison -> compared.put(pair, comparison));
                }
            }
        }
        List<Comparison> comparisons = targets.pairs().stream().filter(compared::containsKey).map(compared::get).toList();
        return new VerificationReport(cluster, state.lineage(), state.serial(), sourceFigures, comparisons, List.copyOf(errors));
    }

    /** The fenced comparison of {@code pair}; a failure (lock timeout, node gone) is an error of the source's node. */
    private java.util.Optional<Comparison> fenced(NodeSessions sessions, CopyPair pair, int attempt, Set<ReadError> errors) {
        try {
            return java.util.Optional.of(FencedComparison.compare(sessions, pair, catchUpTimeout, attempt));
        } catch (SQLException | ShardmanException failed) {
            errors.add(new ReadError(pair.source().node(), pair.source().schema() + "." + pair.source().relation(),
                    "the comparison with writes blocked failed: " + reason(failed)));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while verifying", interrupted);
        }
        return java.util.Optional.empty();
    }

    /** Reads {@code locations}, every node in parallel; with {@code position}, each node's WAL position after its reads. */
    private CopyReads read(NodeSessions sessions, List<CopyLocation> locations, boolean position) {
        Map<String, List<CopyLocation>> byNode = new TreeMap<>();
        locations.forEach(location -> byNode.computeIfAbsent(location.node(), node -> new ArrayList<>()).add(location));
        Map<String, Callable<CopyReads>> work = new LinkedHashMap<>();
        byNode.forEach((node, nodeLocations) -> work.put(node, () -> readOnNode(sessions, node, nodeLocations, position)));
        return CopyReads.merge(sessions.forEachNode(work, (node, failure) -> CopyReads.failed(node, reason(failure))));
    }

    private static CopyReads readOnNode(NodeSessions sessions, String node, List<CopyLocation> locations, boolean position) {
        Connection connection;
        try {
            connection = sessions.session(node);
        } catch (SQLException | ShardmanException unreachable) {
            return CopyReads.failed(node, reason(unreachable));
        }
        Map<CopyLocation, TableChecksum> figures = new LinkedHashMap<>();
        List<ReadError> errors = new ArrayList<>();
        for (CopyLocation location : locations) {
            try {
                figures.put(location, PartitionChecksum.of(connection, location.schema(), location.relation(), location.columns()));
            } catch (SQLException failed) {
                errors.add(new ReadError(node, location.schema() + "." + location.relation(), reason(failed)));
            }
        }
        Map<String, String> positions = new LinkedHashMap<>();
        if (position) {
            try (Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery("SELECT pg_catalog.pg_current_wal_lsn()::text")) {
                row.next();
                positions.put(node, row.getString(1));
            } catch (SQLException failed) {
                errors.add(new ReadError(node, "the node", reason(failed)));
            }
        }
        return new CopyReads(figures, errors, positions);
    }

    /**
     * Waits until every slot feeding one of the pairs' copies has confirmed its source node's position
     * (sources in parallel, each at most {@code catchUpTimeout}); returns a note per slot that had not
     * ({@code "<source node> <slot>"} → why), so a mismatch can say that the copy may only be late.
     */
    private Map<String, String> awaitCatchUp(NodeSessions sessions, List<CopyPair> pairs, Map<String, String> positions) {
        Map<String, Set<String>> slotsBySource = new TreeMap<>();
        pairs.forEach(pair -> slotsBySource.computeIfAbsent(pair.source().node(), node -> new java.util.TreeSet<>()).add(pair.slot()));
        Map<String, Callable<Map<String, String>>> work = new LinkedHashMap<>();
        slotsBySource.forEach((node, slots) -> {
            if (positions.containsKey(node)) {
                work.put(node, () -> SlotCatchUp.await(sessions.session(node), node, slots, positions.get(node), catchUpTimeout, POLL_MILLIS));
            }
        });
        Map<String, String> notes = new TreeMap<>();
        sessions.forEachNode(work, (node, failure) -> Map.of(node + " (slots)", "could not read its slots: " + reason(failure)))
                .forEach(notes::putAll);
        return notes;
    }

    private static String reason(Throwable failure) {
        if (failure instanceof ShardmanException known) {
            return known.summary();
        }
        return String.valueOf(failure.getMessage());
    }
}
