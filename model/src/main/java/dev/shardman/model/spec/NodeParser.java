package dev.shardman.model.spec;

import org.snakeyaml.engine.v2.nodes.MappingNode;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one entry of {@code nodes:}. A node without replication_group forms a group named after itself; a
 * node without weight weighs 1.
 */
final class NodeParser {
    private static final Set<String> KEYS = Set.of("name", "super_conninfo", "conninfo", "replication_group", "lost", "weight");
    /** Weights are relative; the bound and at most 3 decimals keep the balancer's exact arithmetic small. */
    static final BigDecimal MAX_WEIGHT = BigDecimal.valueOf(1000);

    private final ParseContext context;

    NodeParser(ParseContext context) {
        this.context = context;
    }

    NodeSpec parse(MappingNode mapping) {
        String subject = Subjects.of("node", YamlNodes.peekString(mapping, "name").orElse(""),
                YamlNodes.peekString(mapping, "name").isPresent(), context.position(mapping));
        MappingReader reader = MappingReader.open(mapping, subject, KEYS, context);
        reader.require("name", "name: w1");
        reader.require("super_conninfo", "super_conninfo: \"host=db1 port=5432 dbname=postgres user=postgres\"");
        String name = reader.string("name").orElse("");
        BigDecimal weight = weight(reader);
        return new NodeSpec(
                name,
                reader.string("super_conninfo").orElse(""),
                reader.string("conninfo"),
                reader.string("replication_group").orElse(name),
                reader.bool("lost").orElse(false),
                reader.positions(),
                weight);
    }

    private static BigDecimal weight(MappingReader reader) {
        Optional<BigDecimal> weight = reader.decimal("weight");
        if (weight.isEmpty()) {
            return BigDecimal.ONE;
        }
        BigDecimal value = weight.get().stripTrailingZeros();
        if (value.signum() <= 0 || value.compareTo(MAX_WEIGHT) > 0 || value.scale() > 3) {
            reader.reject("weight", "weight " + weight.get() + " is not allowed; a weight is a positive number up to "
                    + MAX_WEIGHT + " with at most 3 decimals, relative to the other nodes of the group (default 1; 2 = twice the partitions)");
            return BigDecimal.ONE;
        }
        return value;
    }
}
