package dev.shardman.model.spec;

import dev.shardman.model.NameSuggestions;

import java.util.Map;
import java.util.Optional;

/**
 * {@code colocate_with} names another sharded table of the spec, the anchor, that does not itself
 * colocate with a third one (chains are refused: colocate with the end of the chain directly), with
 * the same partition count and the same sharding key type (partition n of both must hold the same keys).
 */
final class ColocationRules implements SpecRule {
    /** Spellings of one type that PostgreSQL treats as the same; keys are already lower case. */
    private static final Map<String, String> TYPE_ALIASES = Map.ofEntries(
            Map.entry("int8", "bigint"), Map.entry("int", "integer"), Map.entry("int4", "integer"),
            Map.entry("int2", "smallint"), Map.entry("bool", "boolean"), Map.entry("float8", "double precision"),
            Map.entry("float4", "real"), Map.entry("decimal", "numeric"), Map.entry("varchar", "character varying"),
            Map.entry("char", "character"), Map.entry("timestamptz", "timestamp with time zone"),
            Map.entry("timestamp", "timestamp without time zone"));

    @Override
    public void check(ClusterSpec spec, Diagnostics diagnostics) {
        for (TableSpec table : spec.tables()) {
            if (SpecFacts.isSharded(table) && table.positions().has("colocate_with")) {
                check(spec, table, table.colocateWith().orElseThrow(), diagnostics);
            }
        }
    }

    private static void check(ClusterSpec spec, TableSpec table, String anchorName, Diagnostics diagnostics) {
        String prefix = Subjects.table(table) + ": colocate_with \"" + anchorName + "\" ";
        Optional<String> problem = problem(spec, table, anchorName);
        problem.ifPresent(text -> diagnostics.error(table.positions().of("colocate_with"), prefix + text));
    }

    private static Optional<String> problem(ClusterSpec spec, TableSpec table, String anchorName) {
        if (anchorName.equals(table.name())) {
            return Optional.of("is the table itself; remove colocate_with, or name another sharded table");
        }
        Optional<TableSpec> found = spec.tables().stream()
                .filter(candidate -> SpecFacts.isNamed(candidate) && candidate.name().equals(anchorName)).findFirst();
        if (found.isEmpty()) {
            String suggestion = NameSuggestions.didYouMean(anchorName, SpecFacts.tableNames(spec));
            return Optional.of("is not a table of this spec" + (suggestion.isEmpty() ? "; name a sharded table declared in tables" : suggestion));
        }
        TableSpec anchor = found.get();
        if (SpecFacts.isShared(anchor)) {
            return Optional.of("is a shared table, which is on every node already; remove colocate_with");
        }
        if (!SpecFacts.isSharded(anchor)) {
            return Optional.empty();
        }
        if (anchor.positions().has("colocate_with")) {
            String end = anchor.colocateWith().orElseThrow();
            return Optional.of("itself colocates with \"" + end + "\"; colocate with \"" + end + "\" directly");
        }
        if (anchor.partitions() != table.partitions()) {
            return Optional.of("has " + anchor.partitions() + " partitions and this table has " + table.partitions()
                    + "; colocated tables need the same partition count");
        }
        return shardingKeyTypeProblem(table, anchor);
    }

    private static Optional<String> shardingKeyTypeProblem(TableSpec table, TableSpec anchor) {
        Optional<String> type = shardingKeyType(table);
        Optional<String> anchorType = shardingKeyType(anchor);
        if (type.isEmpty() || anchorType.isEmpty() || normalize(type.get()).equals(normalize(anchorType.get()))) {
            return Optional.empty();
        }
        return Optional.of("has a sharding key of type " + anchorType.get() + " and this table's is " + type.get()
                + "; colocated sharding keys need the same type so that partition n holds the same keys in both");
    }

    private static Optional<String> shardingKeyType(TableSpec table) {
        return table.shardingKey().flatMap(table::column)
                .filter(column -> column.positions().has("type"))
                .map(ColumnSpec::type);
    }

    /** Lower case, single spaces, no spaces around parentheses and commas, one spelling per alias. */
    static String normalize(String type) {
        String compact = type.strip().toLowerCase().replaceAll("\\s+", " ").replaceAll(" ?([(),]) ?", "$1");
        int parenthesis = compact.indexOf('(');
        String base = parenthesis < 0 ? compact : compact.substring(0, parenthesis);
        String modifiers = parenthesis < 0 ? "" : compact.substring(parenthesis);
        return TYPE_ALIASES.getOrDefault(base, base) + modifiers;
    }
}
