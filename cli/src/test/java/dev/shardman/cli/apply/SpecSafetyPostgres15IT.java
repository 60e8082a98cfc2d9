package dev.shardman.cli.apply;

import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plan-time column check on PostgreSQL 15, which has no {@code to_regtypemod}: unknown types, bad
 * modifiers, refused defaults and non-converging spellings are still refused at file:line:column, and
 * types with modifiers that the catalog keeps still apply and plan empty.
 */
@LocalClusterTest(workers = 2, postgresMajor = 15)
class SpecSafetyPostgres15IT {
    @TempDir
    Path directory;

    @Test
    void refusesWhatTheNodesRefuseAndAppliesWhatTheyKeep(TestCluster cluster) throws Exception {
        Path refused = ClusterSpecFiles.write(cluster, directory.resolve("refused.yaml"), 2, """
                  - name: acct_refused
                    type: sharded
                    columns:
                      - {name: id, type: bigint, nullable: false}
                      - {name: a, type: no_such_type}
                      - {name: b, type: pg_catalog.int8}
                      - {name: c, type: "varchar(0)"}
                      - {name: d, type: int, default: "'not a number'"}
                    primary_key: [id]
                    sharding_key: id
                """);
        CliRun plan = CliRun.of("plan", "-f", refused.toString());
        assertEquals(1, plan.exitCode(), plan.out() + plan.err());
        assertTrue(plan.err().contains(refused + ":15:25: table \"acct_refused\": column \"a\": node w1 refuses type \"no_such_type\""), plan.err());
        assertTrue(plan.err().contains(refused + ":16:25: table \"acct_refused\": column \"b\": the catalog spells type \"pg_catalog.int8\" as \"bigint\""),
                plan.err());
        assertTrue(plan.err().contains(refused + ":17:25: table \"acct_refused\": column \"c\": node w1 refuses type \"varchar(0)\""), plan.err());
        assertTrue(plan.err().contains(refused + ":18:39: table \"acct_refused\": column \"d\": node w1 refuses the default"), plan.err());

        Path kept = ClusterSpecFiles.write(cluster, directory.resolve("kept.yaml"), 2, """
                  - name: kept
                    type: sharded
                    columns:
                      - {name: id, type: bigint, nullable: false}
                      - {name: m, type: "numeric(10,2)", default: "0"}
                      - {name: t, type: "timestamp(3) with time zone", default: "now()"}
                      - {name: v, type: "varchar(20)[]"}
                    primary_key: [id]
                    sharding_key: id
                    partitions: 4
                """);
        CliRun apply = CliRun.of("apply", "-f", kept.toString(), "--auto-approve");
        assertEquals(0, apply.exitCode(), apply.out() + apply.err());
        CliRun again = CliRun.of("plan", "-f", kept.toString(), "--detailed-exitcode");
        assertEquals(0, again.exitCode(), again.out() + again.err());
    }
}
