package dev.shardman.cli.command;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.connect.ConnectionTarget;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.NodeSpec;
import org.postgresql.PGConnection;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * The demo's sample data and queries: 1,000 customers (one INSERT) and 3,000 orders (COPY through
 * pgjdbc's CopyManager) written through the first node, loaded once (a table that already holds rows
 * is left alone); then a few queries answered through the last node, which holds only a third of the
 * partitions and reads the rest through postgres_fdw.
 */
final class DemoWorkload {
    static final int CUSTOMERS = 1_000;
    static final int ORDERS_PER_CUSTOMER = 3;
    private static final String[] COUNTRIES = {"FR", "DE", "US", "JP", "BR"};
    private static final String[][] QUERIES = {
        {"How many customers?", "SELECT count(*) AS customers FROM customers"},
        {"How many orders, and for how much?", "SELECT count(*) AS orders, sum(amount) AS total FROM orders"},
        {"Customer 42, by key (one partition, wherever it lives):", "SELECT id, name, country FROM customers WHERE id = 42"},
        {"Orders per country (customers ⋈ orders, colocated by customer):", """
                SELECT c.country, count(DISTINCT c.id) AS customers, count(*) AS orders, sum(o.amount) AS total
                FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.country ORDER BY c.country"""},
    };

    private final ConnectionFactory factory = ConnectionFactory.fromEnvironment("shardman-demo");

    void load(ClusterSpec spec, PrintWriter out) {
        NodeSpec writer = spec.nodes().get(0);
        try (Connection connection = factory.connect(ConnectionTarget.node(writer.name(), writer.superConninfo()));
             Statement statement = connection.createStatement()) {
            if (count(statement, "customers") > 0) {
                out.println("Sample customers are already there: not loading them again.");
            } else {
                int inserted = statement.executeUpdate("INSERT INTO customers (id, name, country) SELECT g, 'customer ' || g,"
                        + " (ARRAY['" + String.join("','", COUNTRIES) + "'])[1 + g % " + COUNTRIES.length + "]"
                        + " FROM generate_series(1, " + CUSTOMERS + ") AS g");
                out.println("INSERT INTO customers ... through " + writer.name() + ": " + inserted + " rows");
            }
            if (count(statement, "orders") > 0) {
                out.println("Sample orders are already there: not loading them again.");
            } else {
                long copied = connection.unwrap(PGConnection.class).getCopyAPI()
                        .copyIn("COPY orders (customer_id, order_id, amount, country) FROM STDIN", new StringReader(orders()));
                out.println("COPY orders FROM STDIN through " + writer.name() + ": " + copied + " rows");
            }
        } catch (SQLException | IOException failure) {
            throw new ShardmanException(ErrorCode.NODE_FAILURE, "loading the sample rows failed: " + failure.getMessage(), "");
        }
        out.flush();
    }

    void query(ClusterSpec spec, PrintWriter out) {
        NodeSpec reader = spec.nodes().get(spec.nodes().size() - 1);
        try (Connection connection = factory.connect(ConnectionTarget.node(reader.name(), reader.superConninfo()));
             Statement statement = connection.createStatement()) {
            for (String[] query : QUERIES) {
                out.println(query[0]);
                out.println("  " + query[1].replaceAll("\\s+", " ").trim());
                try (ResultSet rows = statement.executeQuery(query[1])) {
                    print(rows, out);
                }
                out.println();
            }
        } catch (SQLException failure) {
            throw new ShardmanException(ErrorCode.NODE_FAILURE, "the demo queries failed on " + reader.name() + ": " + failure.getMessage(), "");
        }
        out.flush();
    }

    private static long count(Statement statement, String table) throws SQLException {
        try (ResultSet row = statement.executeQuery("SELECT count(*) FROM " + table)) {
            row.next();
            return row.getLong(1);
        }
    }

    private static String orders() {
        StringBuilder text = new StringBuilder();
        for (int customer = 1; customer <= CUSTOMERS; customer++) {
            for (int order = 1; order <= ORDERS_PER_CUSTOMER; order++) {
                text.append(customer).append('\t').append(order).append('\t')
                        .append(String.format(Locale.ROOT, "%d.%02d", 10 + (customer * order) % 90, (customer + order) % 100)).append('\t')
                        .append(COUNTRIES[customer % COUNTRIES.length]).append('\n');
            }
        }
        return text.toString();
    }

    private static void print(ResultSet rows, PrintWriter out) throws SQLException {
        ResultSetMetaData columns = rows.getMetaData();
        StringBuilder header = new StringBuilder("  ");
        for (int column = 1; column <= columns.getColumnCount(); column++) {
            header.append(String.format(Locale.ROOT, "%-14s", columns.getColumnLabel(column)));
        }
        out.println(header.toString().stripTrailing());
        while (rows.next()) {
            StringBuilder line = new StringBuilder("  ");
            for (int column = 1; column <= columns.getColumnCount(); column++) {
                line.append(String.format(Locale.ROOT, "%-14s", rows.getString(column)));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
