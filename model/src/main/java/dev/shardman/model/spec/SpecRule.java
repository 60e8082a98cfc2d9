package dev.shardman.model.spec;

/**
 * One family of checks over a parsed spec. A rule must cope with the placeholders the parser
 * leaves for absent or unusable values: it checks a value only when its key has a position
 * ({@code positions().has(key)}), since a missing or wrong value was already reported.
 */
interface SpecRule {
    void check(ClusterSpec spec, Diagnostics diagnostics);
}
