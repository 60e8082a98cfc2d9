package dev.shardman.applier.connect;

import dev.shardman.model.conninfo.Conninfo;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The environment that {@code ${env:NAME}} references in conninfo strings resolve from (passwords, typically), built once
 * per command and passed as this value rather than as a map. Resolution is written here only; {@link #toString()} never
 * shows a value.
 */
public final class ConninfoSecrets {
    private final Map<String, String> environment;

    private ConninfoSecrets(Map<String, String> environment) {
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
    }

    /** The process environment. */
    public static ConninfoSecrets fromProcess() {
        return new ConninfoSecrets(System.getenv());
    }

    /** {@code environment} as the variables references resolve from (tests, and callers given one). */
    public static ConninfoSecrets of(Map<String, String> environment) {
        return new ConninfoSecrets(environment);
    }

    /** {@code conninfo} parsed, with every reference replaced; throws (INVALID_INPUT) naming the first unset variable. */
    public Conninfo resolve(String conninfo) {
        return resolve(Conninfo.parse(conninfo));
    }

    /** {@code conninfo} with every reference replaced; throws (INVALID_INPUT) naming the first unset variable. */
    public Conninfo resolve(Conninfo conninfo) {
        return conninfo.resolve(environment);
    }

    @Override
    public String toString() {
        return "ConninfoSecrets[" + environment.size() + " variables, values hidden]";
    }
}
