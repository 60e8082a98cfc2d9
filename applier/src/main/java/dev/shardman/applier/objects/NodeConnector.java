package dev.shardman.applier.objects;

import java.sql.Connection;
import java.sql.SQLException;

/** Opens a fresh connection to a node by name (the caller's connection factory; closed by the user of the connection). */
@FunctionalInterface
public interface NodeConnector {
    Connection connect(String node) throws SQLException;
}
