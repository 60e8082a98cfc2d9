package dev.shardman.model.spec;

import java.util.List;
import java.util.Map;

/** Runs every rule over a parsed spec; each rule reports to the shared diagnostics. */
final class SpecValidator {
    private final List<SpecRule> rules;

    SpecValidator(Map<String, String> environment) {
        this.rules = List.of(
                new IdentifierRules(),
                new NodeRules(),
                new ConninfoRules(environment),
                new TableRules(),
                new KeyRules(),
                new IndexRules(),
                new ColocationRules(),
                new RedundancyRules(),
                new SharedTableRules(),
                new ColumnValueRules(),
                new PartitionNameRules(),
                new PlacementRules());
    }

    void validate(ClusterSpec spec, Diagnostics diagnostics) {
        for (SpecRule rule : rules) {
            rule.check(spec, diagnostics);
        }
    }
}
