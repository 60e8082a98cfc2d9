package dev.shardman.applier.objects;

import dev.shardman.applier.connect.LongStatement;
import dev.shardman.applier.connect.UnloggedStatement;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.ClusterState;
import dev.shardman.templates.Templates;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Level-based reconcile of one node: inspect, diff against the expected objects, run the SQL that
 * closes the difference, all in ONE transaction on that node under {@code lock_timeout}. Running it
 * again on a consistent node changes nothing and returns an empty list. Statement texts that carry
 * a password are only executed: errors quote the redacted text.
 *
 * <p>{@link #prepare} leaves the transaction prepared under a {@code shardman_} gid for two-phase
 * commit across nodes; the caller journals its decision, then calls {@link #commitPrepared} or
 * {@link #rollbackPrepared} (PostgreSQL refuses PREPARE for a transaction that went through
 * postgres_fdw: a node's part touches only its own catalogs, which is what this does).
 */
public final class NodeReconciler {
    public static final String GID_PREFIX = "shardman_";
    private static final Pattern BATCH_ENTRY = Pattern.compile("Batch entry (\\d+) ");
    private static final Pattern GID = Pattern.compile("shardman_[A-Za-z0-9_.:-]{1,190}");
    private static final String SET_LOCK_TIMEOUT = "SELECT pg_catalog.set_config('lock_timeout', ?, true)";
    private static final String PREPARED_TRANSACTIONS = """
            SELECT gid, prepared, owner, database FROM pg_catalog.pg_prepared_xacts
            WHERE starts_with(gid, ?) ORDER BY prepared, gid""";

    private final NodeInspector inspector;
    private final ChangeSql changeSql;
    private final ReconcileOptions options;
    private final Set<TableName> excluded;
    private final FirstInTransaction first;

    /** What a transaction does before it inspects the node (e.g. take locks in an order agreed with the other nodes). */
    public interface FirstInTransaction {
        void run(Connection connection) throws SQLException;
    }

    public NodeReconciler(NodeInspector inspector, ChangeSql changeSql, ReconcileOptions options) {
        this(inspector, changeSql, options, Set.of(), connection -> { });
    }

    private NodeReconciler(NodeInspector inspector, ChangeSql changeSql, ReconcileOptions options, Set<TableName> excluded,
                           FirstInTransaction first) {
        this.inspector = requireNonNull(inspector, "inspector is null");
        this.changeSql = requireNonNull(changeSql, "changeSql is null");
        this.options = requireNonNull(options, "options is null");
        this.excluded = Set.copyOf(excluded);
        this.first = requireNonNull(first, "first is null");
    }

    /**
     * This reconciler, leaving alone the objects of {@code tables} (each table, its keys, indexes and grants) in both
     * the expected and the observed objects: the partitions of a data move in flight, whose copies and switches the
     * move owns until it finishes or is rolled back ({@code applier.move}).
     */
    public NodeReconciler excluding(Set<TableName> tables) {
        return new NodeReconciler(inspector, changeSql, options, tables, first);
    }

    /** This reconciler, running {@code first} at the start of each transaction, under its lock timeout. */
    public NodeReconciler startingWith(FirstInTransaction first) {
        return new NodeReconciler(inspector, changeSql, options, excluded, first);
    }

    /** A reconciler with the shared templates, a password source and default options. */
    public static NodeReconciler create(PasswordSource passwords) {
        return new NodeReconciler(new NodeInspector(), new ChangeSql(Templates.shared(), passwords), ReconcileOptions.defaults());
    }

    /** A reconciler with the shared templates, a password source and {@code options}. */
    public static NodeReconciler create(PasswordSource passwords, ReconcileOptions options) {
        return new NodeReconciler(new NodeInspector(), new ChangeSql(Templates.shared(), passwords), options);
    }

    /** What {@link #reconcile} would change on the node, without changing anything (read-only). */
    public List<ObjectChange> plannedChanges(Connection connection, NodeObjects expected, Collection<ClusterState> scope) throws SQLException {
        return diff(expected, inspector.inspect(connection, expected.node(), scope).observed());
    }

    private List<ObjectChange> diff(NodeObjects unresolved, NodeObjects observed) {
        NodeObjects expected = changeSql.passwords().resolve(unresolved);
        return excluded.isEmpty() ? ObjectDiff.diff(expected, observed)
                : ObjectDiff.diff(expected.withoutTables(excluded), observed.withoutTables(excluded));
    }

    /** Reconciles and commits; returns what was changed (empty: the node was already consistent). */
    public List<ObjectChange> reconcile(Connection connection, NodeObjects expected, Collection<ClusterState> scope) throws SQLException {
        return inTransaction(connection, expected, scope, Optional.empty());
    }

    /** Reconciles and leaves the transaction prepared as {@code gid} (also when nothing changed). */
    public List<ObjectChange> prepare(Connection connection, NodeObjects expected, Collection<ClusterState> scope, String gid) throws SQLException {
        checkGid(gid);
        return inTransaction(connection, expected, scope, Optional.of(gid));
    }

    public void commitPrepared(Connection connection, String gid) throws SQLException {
        finishPrepared(connection, "commit_prepared", gid);
    }

    public void rollbackPrepared(Connection connection, String gid) throws SQLException {
        finishPrepared(connection, "rollback_prepared", gid);
    }

    /** Prepared transactions whose gid starts with {@code shardman_}, on the connection's server (all databases), oldest first. */
    public static List<PreparedTransaction> listPreparedShardmanTransactions(Connection connection) throws SQLException {
        List<PreparedTransaction> result = new ArrayList<>();
        CatalogReads reads = new CatalogReads(connection);
        readPreparedShardmanTransactions(reads, result);
        reads.run();
        return result;
    }

    /** Adds the read of {@link #listPreparedShardmanTransactions} to {@code reads}; {@code result} is filled when they run. */
    public static void readPreparedShardmanTransactions(CatalogReads reads, List<PreparedTransaction> result) {
        reads.add(PREPARED_TRANSACTIONS, List.of(GID_PREFIX), rows -> {
            while (rows.next()) {
                result.add(new PreparedTransaction(rows.getString(1), rows.getTimestamp(2).toInstant(), rows.getString(3), rows.getString(4)));
            }
        });
    }

    private List<ObjectChange> inTransaction(Connection connection, NodeObjects expected, Collection<ClusterState> scope, Optional<String> gid)
            throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        boolean finished = false;
        try {
            setLockTimeout(connection);
            first.run(connection);
            NodeObjects observed = inspector.inspect(connection, expected.node(), scope).observed();
            List<ObjectChange> changes = diff(expected, observed);
            refuseDataLoss(expected.node(), changes);
            List<SqlStatement> script = changeSql.script(changes);
            if (script.stream().anyMatch(SqlStatement::scansData)) {
                LongStatement.run(connection, () -> {
                    executeAll(connection, expected.node(), script);
                    return null;
                });
            } else {
                executeAll(connection, expected.node(), script);
            }
            if (!changes.isEmpty()) {
                verify(connection, expected, scope);
            }
            if (gid.isPresent()) {
                execute(connection, expected.node(), changeSql.transactionControl("prepare_transaction", gid.get()));
            } else {
                connection.commit();
            }
            finished = true;
            return changes;
        } finally {
            // a session the driver aborted (socket timeout on a hung node) must not hide the failure that ended it
            if (!connection.isClosed()) {
                if (!finished) {
                    connection.rollback();
                }
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    /** Re-inspects inside the same transaction, before it commits or prepares: the node must now match exactly. */
    private void verify(Connection connection, NodeObjects expected, Collection<ClusterState> scope) throws SQLException {
        List<ObjectChange> left = diff(expected, inspector.inspect(connection, expected.node(), scope).observed());
        if (!left.isEmpty()) {
            throw new ShardmanException(ErrorCode.INTERNAL, "inconsistent result on " + expected.node() + " after reconciling: "
                    + left.stream().map(ObjectChange::describe).collect(Collectors.joining("; ")),
                    "nothing was committed on " + expected.node() + "; this is a shardman bug, please report it with the output of drift-check");
        }
    }

    private void setLockTimeout(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SET_LOCK_TIMEOUT)) {
            statement.setString(1, options.lockTimeout().toMillis() + "ms");
            statement.execute();
        }
    }

    private void refuseDataLoss(String node, List<ObjectChange> changes) {
        List<ObjectChange> losing = changes.stream().filter(ObjectChange::losesData).toList();
        if (!losing.isEmpty() && !options.allowDataLoss()) {
            throw new ShardmanException(ErrorCode.REFUSED, "reconciling " + node + " would lose data: "
                    + losing.stream().map(ObjectChange::describe).collect(Collectors.joining("; ")),
                    "move or back up the data first, or allow data loss explicitly; a server that was a node before (drained, or lost"
                            + " and back) keeps its old tables: 'shardman wipe-state --node " + node + " -f cluster.yaml' fences"
                            + " them as <name>_stale, then apply again");
        }
    }

    /**
     * Runs the script in order, in JDBC batches (pgjdbc pipelines a batch: one round trip instead of one per
     * statement, which dominated a step on a node with many partitions). A statement that carries a secret runs
     * alone, so that no batch error can quote it; so does one whose text may hold several commands (any {@code ;}:
     * the replica table, shared data and shared view templates, DO blocks), since pgjdbc splits such a text into
     * several queries and a batch then gets more results than entries. A failed batch names its first failed
     * statement (redacted).
     */
    static void executeAll(Connection connection, String node, List<SqlStatement> script) throws SQLException {
        List<SqlStatement> batch = new ArrayList<>();
        for (SqlStatement statement : script) {
            if (statement.text().equals(statement.redactedText()) && statement.text().indexOf(';') < 0) {
                batch.add(statement);
            } else {
                executeBatch(connection, node, batch);
                batch.clear();
                execute(connection, node, statement);
            }
        }
        executeBatch(connection, node, batch);
    }

    private static void executeBatch(Connection connection, String node, List<SqlStatement> batch) throws SQLException {
        if (batch.size() <= 1) {
            for (SqlStatement statement : batch) {
                execute(connection, node, statement);
            }
            return;
        }
        try (Statement statement = connection.createStatement()) {
            for (SqlStatement sql : batch) {
                statement.addBatch(sql.text());
            }
            statement.executeBatch();
        } catch (BatchUpdateException failure) {
            SQLException cause = failure.getNextException() != null ? failure.getNextException() : failure;
            int failed = failedEntry(failure);
            String statementText = failed < batch.size() ? batch.get(failed).summary() : "one of " + batch.size() + " statements";
            throw new SQLException("on " + node + ": " + statementText + ": " + cause.getMessage(), cause.getSQLState(), failure);
        }
    }

    /**
     * The index of the batch entry that failed, or {@code Integer.MAX_VALUE} when unknown. In a transaction pgjdbc marks
     * EVERY update count failed (it counts only committed entries as done), so the counts alone would always blame the
     * first statement; its message ("Batch entry N ... was aborted", untranslated) names the entry.
     */
    static int failedEntry(BatchUpdateException failure) {
        Matcher entry = BATCH_ENTRY.matcher(String.valueOf(failure.getMessage()));
        if (entry.lookingAt()) {
            return Integer.parseInt(entry.group(1));
        }
        int[] counts = failure.getUpdateCounts();
        int done = 0;
        while (done < counts.length && counts[done] != Statement.EXECUTE_FAILED) {
            done++;
        }
        return done > 0 && done < counts.length ? done : Integer.MAX_VALUE;
    }

    private static void execute(Connection connection, String node, SqlStatement sql) throws SQLException {
        try {
            if (sql.text().equals(sql.redactedText())) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(sql.text());
                }
            } else {
                UnloggedStatement.execute(connection, sql.text());
            }
        } catch (SQLException failure) {
            // pgjdbc's messages carry the server's error, never the statement text: safe to chain.
            throw new SQLException("on " + node + ": " + sql.summary() + ": " + failure.getMessage(), failure.getSQLState(), failure);
        }
    }

    private void finishPrepared(Connection connection, String template, String gid) throws SQLException {
        checkGid(gid);
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            statement.execute(changeSql.transactionControl(template, gid).text());
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static void checkGid(String gid) {
        requireNonNull(gid, "gid is null");
        if (!GID.matcher(gid).matches()) {
            throw new IllegalArgumentException("a shardman gid starts with shardman_ and has at most 199 characters of [A-Za-z0-9_.:-]: " + gid);
        }
    }
}
