package dev.shardman.model.spec;

import dev.shardman.model.ShardmanException;
import dev.shardman.model.SourcePosition;
import dev.shardman.model.conninfo.Conninfo;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Connection strings (shardlord, super_conninfo, conninfo) parse as libpq would read them, their
 * {@code ${env:NAME}} references are well formed, and no two live nodes (nor the shardlord) point at
 * the same database or the same server (host and port: two databases of one server would replicate into
 * themselves; plan also compares the servers' system identifiers, which sees through other spellings of
 * a host). A variable that is unset now is only a warning: it matters when a command connects.
 */
final class ConninfoRules implements SpecRule {
    private final Map<String, String> environment;

    ConninfoRules(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public void check(ClusterSpec spec, Diagnostics diagnostics) {
        Optional<Conninfo> shardlord = parse(spec.shardlord(), spec.positions(), "shardlord", "spec", diagnostics);
        Map<String, NodeSpec> nodeByDatabase = new HashMap<>();
        Map<String, NodeSpec> nodeByServer = new HashMap<>();
        for (NodeSpec node : spec.nodes()) {
            String subject = Subjects.node(node);
            Optional<Conninfo> superConninfo = parse(node.superConninfo(), node.positions(), "super_conninfo", subject, diagnostics);
            Optional<Conninfo> conninfo = node.conninfo()
                    .flatMap(raw -> parse(raw, node.positions(), "conninfo", subject, diagnostics));
            if (superConninfo.isPresent() && conninfo.isPresent()
                    && !database(superConninfo.get()).equals(database(conninfo.get()))) {
                diagnostics.warning(node.positions().of("conninfo"), subject + ": conninfo points at "
                        + database(conninfo.get()) + " but super_conninfo at " + database(superConninfo.get())
                        + "; both should reach the node's one database (write the same host, port and dbname)");
            }
            // A lost node is never connected to again; its server may be rebuilt as a new node at the same address.
            superConninfo.filter(parsed -> !node.lost()).ifPresent(parsed -> {
                NodeSpec first = nodeByDatabase.putIfAbsent(database(parsed), node);
                NodeSpec sameServer = nodeByServer.putIfAbsent(server(parsed), node);
                if (first != null) {
                    diagnostics.error(node.positions().of("super_conninfo"), subject + ": super_conninfo points at the same database ("
                            + database(parsed) + ") as " + Subjects.node(first) + "; every node needs its own database");
                } else if (sameServer != null) {
                    diagnostics.error(node.positions().of("super_conninfo"), subject + ": super_conninfo points at the same server ("
                            + server(parsed) + ") as " + Subjects.node(sameServer) + ", another database; every node needs a server of its own");
                }
            });
        }
        shardlord.map(ConninfoRules::database).map(nodeByDatabase::get).ifPresent(node ->
                diagnostics.error(spec.positions().of("shardlord"), "spec: shardlord points at the same database ("
                        + database(shardlord.get()) + ") as " + Subjects.node(node)
                        + "; give the shardlord a database of its own (it may be on the same server)"));
    }

    /**
     * host:port/dbname with libpq's defaults filled in (host localhost, port 5432, dbname the user),
     * host in lower case: two conninfos with the same key reach the same database.
     */
    static String database(Conninfo conninfo) {
        return conninfo.host().toLowerCase() + ":" + conninfo.portText() + "/" + conninfo.dbname().orElse("");
    }

    /** host:port with libpq's defaults filled in, host in lower case. */
    private static String server(Conninfo conninfo) {
        return conninfo.host().toLowerCase() + ":" + conninfo.portText();
    }

    private Optional<Conninfo> parse(String raw, Positions positions, String key, String subject, Diagnostics diagnostics) {
        if (!positions.has(key)) {
            return Optional.empty();
        }
        SourcePosition position = positions.of(key);
        Conninfo conninfo;
        try {
            conninfo = Conninfo.parse(raw);
        } catch (ShardmanException invalid) {
            diagnostics.error(position, subject + ": " + key + " is not a valid libpq conninfo: " + invalid.summary()
                    + (invalid.detail().isEmpty() ? "" : "; " + invalid.detail()));
            return Optional.empty();
        }
        for (String variable : conninfo.environmentVariables()) {
            if (!environment.containsKey(variable) || environment.get(variable).isEmpty()) {
                diagnostics.warning(position, subject + ": " + key + " uses ${env:" + variable + "}, but the environment variable "
                        + variable + (environment.containsKey(variable) ? " is empty" : " is not set") + "; set it before a command connects");
            }
        }
        conninfo.password().filter(password -> !password.contains("${env:")).ifPresent(password ->
                diagnostics.warning(position, subject + ": " + key + " holds a literal password; use password=${env:NAME}"
                        + " or ~/.pgpass so that the spec holds no secret"));
        return Optional.of(conninfo);
    }
}
