package dev.shardman.cli.apply;

import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static dev.shardman.cli.testkit.WorkerSql.execute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The catalog executors that ApplyIT does not reach, on real servers: UpdateNode (a changed conninfo alters
 * the foreign server and replaces the user mappings on the peers), AlterColumn (type, default, nullability),
 * DropColumn (refused without --allow-destroy; with it the column is gone on every node and the other
 * columns keep their data) and DropIndex; a shared table's column type change (its views and foreign tables follow); a
 * foreign table's column option or rename is drift that recover repairs. Each ends with drift-check exit 0.
 */
@LocalClusterTest(workers = 2)
class CatalogExecutorsIT {
    private static final long ROWS = 300;

    @TempDir
    Path directory;

    @Test
    void updateNodeRepointsTheServerAndReplacesTheMappings(TestCluster cluster) throws Exception {
        Path v1 = ClusterSpecFiles.write(cluster, directory.resolve("v1.yaml"), 2, ClusterSpecFiles.CUSTOMERS);
        applied(v1);
        execute(cluster, 2, "CREATE ROLE shardman_upd LOGIN");
        execute(cluster, 1, "INSERT INTO customers (id, name) SELECT g, 'c' || g FROM generate_series(1, " + ROWS + ") AS g");
        assertEquals("host=127.0.0.1", query(cluster, 1, "SELECT (SELECT o FROM unnest(srvoptions) o WHERE o LIKE 'host=%')"
                + " FROM pg_foreign_server WHERE srvname LIKE 'shardman_node_%'"));

        String w2 = cluster.conninfo(cluster.worker(2));
        String conninfo = w2.replace("host=127.0.0.1", "host=localhost").replace("user=postgres", "user=shardman_upd");
        Path v2 = Files.writeString(directory.resolve("v2.yaml"), Files.readString(v1)
                .replace("    super_conninfo: \"" + w2 + "\"\n", "    super_conninfo: \"" + w2 + "\"\n    conninfo: \"" + conninfo + "\"\n"));
        CliRun update = applied(v2);
        assertTrue(update.out().contains("w2") && update.out().contains("conninfo"), update.out());

        assertEquals("host=localhost", query(cluster, 1, "SELECT (SELECT o FROM unnest(srvoptions) o WHERE o LIKE 'host=%')"
                + " FROM pg_foreign_server WHERE srvname LIKE 'shardman_node_%'"));
        assertEquals("postgres:user=shardman_upd,public:user=shardman_upd", query(cluster, 1,
                "SELECT string_agg(usename || ':' || array_to_string(umoptions, ' '), ',' ORDER BY usename) FROM pg_user_mappings"
                        + " WHERE srvname LIKE 'shardman_node_%'"));
        assertEquals("user=postgres", query(cluster, 2, "SELECT string_agg(array_to_string(umoptions, ' '), ',') FROM pg_user_mappings"
                + " WHERE srvname LIKE 'shardman_node_%'"), "w1's conninfo did not change: w2's mapping for it neither");
        assertEquals(String.valueOf(ROWS), query(cluster, 1, "SELECT count(*)::text FROM customers"),
                "w1 reads w2's partitions as shardman_upd, which shardman granted them to");
        execute(cluster, 1, "UPDATE customers SET country = 'FR' WHERE id <= 10");
        assertEquals("10", query(cluster, 2, "SELECT count(*)::text FROM customers WHERE country = 'FR'"));
        assertEquals(0, CliRun.of("drift-check", "-f", v2.toString()).exitCode());
    }

    @Test
    void alterColumnChangesTypeDefaultAndNullabilityOnEveryNode(TestCluster cluster) throws Exception {
        Path v1 = ClusterSpecFiles.write(cluster, directory.resolve("v1.yaml"), 2, ClusterSpecFiles.CUSTOMERS);
        applied(v1);
        execute(cluster, 1, "INSERT INTO customers (id, country) SELECT g, 'DE' FROM generate_series(1, " + ROWS + ") AS g");

        String altered = ClusterSpecFiles.CUSTOMERS
                .replace("{name: name, type: text, nullable: false, default: \"''\"}", "{name: name, type: text, nullable: false, default: \"'anonymous'\"}")
                .replace("{name: country, type: \"char(2)\"}", "{name: country, type: \"varchar(10)\", nullable: false}")
                .replace("{name: created_at, type: timestamptz, nullable: false, default: \"now()\"}", "{name: created_at, type: timestamptz, default: \"now()\"}");
        Path v2 = ClusterSpecFiles.write(cluster, directory.resolve("v2.yaml"), 2, altered);
        applied(v2);

        for (int worker = 1; worker <= 2; worker++) {
            assertEquals("character varying(10) true|text 'anonymous'::text|timestamp with time zone false", query(cluster, worker, """
                    SELECT (SELECT format_type(atttypid, atttypmod) || ' ' || attnotnull FROM pg_attribute WHERE attrelid = 'customers'::regclass AND attname = 'country')
                        || '|' || (SELECT format_type(atttypid, atttypmod) || ' ' || pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a
                                   JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE a.attrelid = 'customers'::regclass AND a.attname = 'name')
                        || '|' || (SELECT format_type(atttypid, atttypmod) || ' ' || attnotnull FROM pg_attribute WHERE attrelid = 'customers'::regclass AND attname = 'created_at')"""),
                    "parent on w" + worker);
            assertEquals("0", query(cluster, worker, "SELECT count(*)::text FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
                    + " WHERE c.relname ~ '^customers_[0-9]+(_fdw)?$' AND a.attname = 'country'"
                    + " AND (format_type(a.atttypid, a.atttypmod) <> 'character varying(10)' OR NOT a.attnotnull)"), "every partition on w" + worker);
        }
        execute(cluster, 2, "INSERT INTO customers (id, country, created_at) VALUES (" + (ROWS + 1) + ", 'longer', NULL)");
        assertEquals("anonymous longer", query(cluster, 1, "SELECT name || ' ' || country FROM customers WHERE id = " + (ROWS + 1)));
        assertEquals(String.valueOf(ROWS), query(cluster, 1, "SELECT count(*)::text FROM customers WHERE country = 'DE'"));
        assertEquals(0, CliRun.of("drift-check", "-f", v2.toString()).exitCode());
    }

    @Test
    void dropColumnNeedsAllowDestroyAndDropIndexLeavesTheOtherColumnsIntact(TestCluster cluster) throws Exception {
        Path v1 = ClusterSpecFiles.write(cluster, directory.resolve("v1.yaml"), 2, ClusterSpecFiles.CUSTOMERS);
        applied(v1);
        execute(cluster, 1, "INSERT INTO customers (id, name, country) SELECT g, 'c' || g, 'DE' FROM generate_series(1, " + ROWS + ") AS g");
        String checksum = query(cluster, 2, "SELECT sum(id)::text || ' ' || md5(string_agg(id || country, ',' ORDER BY id)) FROM customers");
        long indexes = Long.parseLong(query(cluster, 1, "SELECT count(*)::text FROM pg_class WHERE relkind = 'i' AND relname ~ '^customers_country_idx_[0-9]+$'"));
        assertTrue(indexes > 0, "w1 holds partitions with the index");

        String dropped = ClusterSpecFiles.CUSTOMERS
                .replace("      - {name: name, type: text, nullable: false, default: \"''\"}\n", "")
                .replace("    indexes:\n      - {name: customers_country_idx, columns: [country]}\n", "");
        Path v2 = ClusterSpecFiles.write(cluster, directory.resolve("v2.yaml"), 2, dropped);
        CliRun refused = CliRun.of("apply", "-f", v2.toString(), "--auto-approve");
        assertEquals(1, refused.exitCode(), refused.out() + refused.err());
        assertTrue(refused.err().contains("--allow-destroy"), refused.err());
        for (int worker = 1; worker <= 2; worker++) {
            assertEquals("1", query(cluster, worker, "SELECT count(*)::text FROM pg_attribute WHERE attrelid = 'customers'::regclass AND attname = 'name'"),
                    "the refused apply dropped nothing on w" + worker);
        }

        CliRun applied = CliRun.of("apply", "-f", v2.toString(), "--auto-approve", "--allow-destroy");
        assertEquals(0, applied.exitCode(), applied.out() + applied.err());
        for (int worker = 1; worker <= 2; worker++) {
            assertEquals("0", query(cluster, worker, "SELECT count(*)::text FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
                    + " WHERE c.relname ~ '^customers(_[0-9]+(_fdw)?)?$' AND a.attname = 'name' AND NOT a.attisdropped"), "column name is gone on w" + worker);
            assertEquals("0", query(cluster, worker, "SELECT count(*)::text FROM pg_class WHERE relname ~ '^customers_country_idx_[0-9]+$'"),
                    "index partitions are gone on w" + worker);
            assertTrue(Long.parseLong(query(cluster, worker, "SELECT count(*)::text FROM pg_class WHERE relkind = 'i' AND relname ~ '^customers_[0-9]+_pkey$'")) > 0,
                    "primary keys stay on w" + worker);
        }
        assertEquals(checksum, query(cluster, 1, "SELECT sum(id)::text || ' ' || md5(string_agg(id || country, ',' ORDER BY id)) FROM customers"));
        assertEquals(0, CliRun.of("drift-check", "-f", v2.toString()).exitCode());
        assertEquals(0, CliRun.of("plan", "-f", v2.toString(), "--detailed-exitcode").exitCode());
    }

    @Test
    void aSharedColumnTypeChangeRecreatesTheViewsAndForeignTablesSoNonMastersWriteTheNewType(TestCluster cluster) throws Exception {
        String withPopulation = ClusterSpecFiles.COUNTRIES.replace("      - {name: name, type: text, nullable: false}\n",
                "      - {name: name, type: text, nullable: false}\n      - {name: population, type: integer}\n");
        Path v1 = ClusterSpecFiles.write(cluster, directory.resolve("v1.yaml"), 2, withPopulation);
        applied(v1);
        execute(cluster, 2, "INSERT INTO countries VALUES ('FR', 'France', 68000000)");

        Path v2 = ClusterSpecFiles.write(cluster, directory.resolve("v2.yaml"), 2, withPopulation.replace("type: integer", "type: bigint"));
        applied(v2);
        for (int worker = 1; worker <= 2; worker++) {
            assertEquals(worker == 1 ? "bigint|bigint|" : "bigint|bigint|bigint", query(cluster, worker, """
                    SELECT concat_ws('|', (SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'shardman_shared.countries'::regclass AND attname = 'population'),
                                          (SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'countries'::regclass AND attname = 'population'),
                                          coalesce((SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = to_regclass('countries_fdw') AND attname = 'population'), ''))"""),
                    "data, view and foreign table on w" + worker);
        }
        execute(cluster, 2, "INSERT INTO countries VALUES ('IN', 'India', 1430000000000)");
        assertEquals("1430000000000", query(cluster, 1, "SELECT population::text FROM countries WHERE code = 'IN'"), "written through w2, read on the master");
        assertEquals("68000000", query(cluster, 1, "SELECT population::text FROM countries WHERE code = 'FR'"));
        assertEquals(0, CliRun.of("drift-check", "-f", v2.toString()).exitCode());
        assertEquals(0, CliRun.of("plan", "-f", v2.toString(), "--detailed-exitcode").exitCode());
    }

    @Test
    void aColumnOptionOrARenameOnAForeignTableIsDriftThatRecoverRepairs(TestCluster cluster) throws Exception {
        Path spec = ClusterSpecFiles.write(cluster, directory.resolve("v1.yaml"), 2, ClusterSpecFiles.CUSTOMERS + ClusterSpecFiles.COUNTRIES);
        applied(spec);
        execute(cluster, 1, "INSERT INTO customers (id, name, country) SELECT g, 'c' || g, 'DE' FROM generate_series(1, " + ROWS + ") AS g");
        String foreign = query(cluster, 1, "SELECT min(relname) FROM pg_class WHERE relkind = 'f' AND relname ~ '^customers_[0-9]+_fdw$'");
        String partition = foreign.substring(0, foreign.length() - "_fdw".length());
        String checksum = query(cluster, 2, "SELECT md5(string_agg(id || name || country, ',' ORDER BY id)) FROM customers");
        // reads would give the country as the name, writes would put the name into the country
        execute(cluster, 1, "ALTER FOREIGN TABLE " + foreign + " ALTER COLUMN name OPTIONS (ADD column_name 'country')");
        execute(cluster, 2, "ALTER FOREIGN TABLE countries_fdw RENAME COLUMN name TO renamed");

        CliRun drift = CliRun.of("drift-check", "-f", spec.toString());
        assertEquals(2, drift.exitCode(), drift.out() + drift.err());
        assertTrue(drift.out().contains("foreign table " + foreign + " has column options [name (column_name=country)], expected none"), drift.out());
        assertTrue(drift.out().contains("foreign table public.countries_fdw has columns [code character(2), renamed text]"), drift.out());
        CliRun recover = CliRun.of("recover", "-f", spec.toString());
        assertEquals(0, recover.exitCode(), recover.out() + recover.err());
        assertEquals(0, CliRun.of("drift-check", "-f", spec.toString()).exitCode());
        assertEquals(checksum, query(cluster, 1, "SELECT md5(string_agg(id || name || country, ',' ORDER BY id)) FROM customers"),
                "w1 reads " + partition + " through w2 as it is again");
        execute(cluster, 2, "INSERT INTO countries VALUES ('FR', 'France')");
        assertEquals("France", query(cluster, 1, "SELECT name FROM countries WHERE code = 'FR'"));
    }

    private static CliRun applied(Path spec) {
        CliRun run = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, run.exitCode(), run.out() + run.err());
        return run;
    }

    private static String query(TestCluster cluster, int worker, String sql) throws SQLException {
        try (Connection connection = cluster.connect(cluster.worker(worker)); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return String.valueOf(row.getString(1));
        }
    }
}
