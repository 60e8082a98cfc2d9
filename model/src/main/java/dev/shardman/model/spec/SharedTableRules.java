package dev.shardman.model.spec;

import dev.shardman.model.NameSuggestions;

import java.util.Optional;

/** A shared table's master is a node of the spec that is not marked lost: it takes every write. */
final class SharedTableRules implements SpecRule {
    @Override
    public void check(ClusterSpec spec, Diagnostics diagnostics) {
        for (TableSpec table : spec.tables()) {
            if (SpecFacts.isShared(table) && table.positions().has("master")) {
                String master = table.master().orElseThrow();
                Optional<NodeSpec> node = spec.nodes().stream()
                        .filter(candidate -> SpecFacts.isNamed(candidate) && candidate.name().equals(master)).findFirst();
                String prefix = Subjects.table(table) + ": master \"" + master + "\" ";
                if (node.isEmpty()) {
                    String suggestion = NameSuggestions.didYouMean(master, SpecFacts.nodeNames(spec));
                    diagnostics.error(table.positions().of("master"), prefix + "is not a node of this spec"
                            + (suggestion.isEmpty() ? "; name one of: " + String.join(", ", SpecFacts.nodeNames(spec)) : suggestion));
                } else if (node.get().lost()) {
                    diagnostics.error(table.positions().of("master"), prefix
                            + "is marked lost; choose a live node as the master of the shared table");
                }
            }
        }
    }
}
