package dev.shardman.applier.metadata;

import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.SpecLoader;
import dev.shardman.model.state.ClusterState;
import dev.shardman.planner.PlanOptions;
import dev.shardman.planner.Planner;
import dev.shardman.planner.StateProjection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** States made by the planner from examples/cluster.yaml, as apply would record them. */
final class ExampleStates {
    static final String SECRET = "topsecret-pw";
    private static final Path EXAMPLE = Path.of("../examples/cluster.yaml");

    private ExampleStates() {
    }

    /** The example spec; w1 also gets a non-superuser conninfo whose password is {@code ${env:PW}}. */
    static ClusterSpec spec() {
        try {
            String text = Files.readString(EXAMPLE).replace(
                    "    replication_group: rg1\n  - name: w2",
                    "    conninfo: \"host=127.0.0.1 port=17431 dbname=postgres user=app password=${env:PW}\"\n"
                            + "    replication_group: rg1\n  - name: w2");
            if (!text.contains("${env:PW}")) {
                throw new IllegalStateException("examples/cluster.yaml changed shape; update ExampleStates");
            }
            return SpecLoader.load("cluster.yaml", text, Map.of("PW", SECRET)).orElseThrow();
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    /** The state that applying the example's plan to {@code base} (an initialised, empty cluster) leads to. */
    static ClusterState planned(ClusterState base) {
        return StateProjection.project(base, Planner.plan(spec(), base, PlanOptions.DEFAULTS));
    }
}
